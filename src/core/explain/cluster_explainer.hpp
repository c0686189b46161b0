// Explanations of a view's clusters: one-vs-rest boosted models on the original features (how well the data
// predicts each cluster, and which features do it, by TreeSHAP), feature profiles (cluster mean vs the rest), the
// average row (the average image of pixel data), representative rows (nearest the cluster's medoid on the map)
// and outliers (highest GLOSH scores). A resumable job: one step = one boosting round or one cluster's summary.
// Cost per cluster: training O(rounds x train rows x features x depth / 2) + SHAP O(sample x trees x leaves x depth^2).
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/matrix.hpp"
#include "common/resumable.hpp"
#include "explain/booster.hpp"
#include "explain/feature_bins.hpp"

namespace recluster {

struct ExplainOptions {
    BoosterOptions booster = default_booster();
    int max_bin = 64;                    // histogram bins per feature (more = finer thresholds, slower)
    std::size_t max_train_rows = 20000;  // larger views train on all positives (up to half) and sampled negatives
    std::size_t shap_rows = 300;         // rows of each cluster whose SHAP values summarise it
    int top_features = 10;               // features kept for the beeswarm (all are ranked)
    int representatives = 6;             // representative and outlier rows per cluster
    int only_cluster = -1;               // >= 0: explain this cluster only (on demand)
    std::uint64_t seed = 42;
    int n_threads = 1;
    void validate() const;
    // Boosting settings for explanations: shallow trees (readable, fast SHAP) with early stopping.
    static BoosterOptions default_booster();
};

struct FeatureScore {
    int feature = 0;
    double mean_abs_shap = 0;  // over the SHAP sample of the cluster's rows
    double mean_shap = 0;
};

struct ProfileEntry {
    int feature = 0;
    double cluster_mean = 0, rest_mean = 0;
    double std_diff = 0;  // (cluster mean - rest mean) / pooled standard deviation
};

struct ClusterExplanation {
    int cluster = 0;
    std::size_t size = 0;
    BoosterModel model;
    BoosterReport report;
    double auc = 0;            // held-out ROC AUC of the one-vs-rest model (NaN when not measurable)
    double accuracy = 0;       // held-out accuracy at probability 0.5, weighted back to the view's class balance
    std::vector<FeatureScore> features;      // every feature, by mean |SHAP| (largest first)
    std::vector<double> mean_shap;           // per feature, in feature order (the SHAP heat-map)
    std::vector<double> mean_values;         // per feature: the cluster's average row (the average image)
    std::vector<ProfileEntry> profile;       // every feature, by |std_diff| (largest first)
    std::vector<std::size_t> shap_rows;      // rows (of the view) of the SHAP sample
    std::vector<float> shap_top;             // shap_rows x top features (features[0 .. top)): their SHAP values
    std::vector<float> value_top;            // the same cells' feature values (NaN = missing)
    std::vector<std::size_t> representatives, outliers;  // rows of the view
};

// The binned features and per-feature totals a job prepares in its first step; reusable by later jobs on the same
// rows and columns (the session keeps them per view, so explaining one more cluster does not bin again).
struct PreparedFeatures {
    std::vector<std::string> feature_names;
    int max_bin = 0;
    FeatureBins bins;
    BinnedMatrix binned;
    struct Totals {
        double count = 0, mean = 0, shifted_sum = 0, shifted_squares = 0;
    };
    std::vector<Totals> totals;
};

struct ExplainInput {
    FeatureColumns features;               // the view's original (unscaled, pre-PCA) features
    std::shared_ptr<const void> owner;     // keeps the features' storage alive (may be null if the caller does)
    std::vector<std::string> feature_names;
    std::vector<int> labels;               // cluster of every row, -1 = noise
    std::shared_ptr<const Matrix> embedding;  // the view's map (rows x 2): medoids; may be null
    std::vector<float> outlier_scores;     // GLOSH per row (may be empty: outliers are then farthest from the medoid)
    std::shared_ptr<const PreparedFeatures> prepared;  // from an earlier job on these features (optional)
};

class ExplainJob : public ResumableJob {
public:
    // Checks the input (throws std::invalid_argument on broken preconditions; callers check only_cluster first);
    // the features are binned by the first step().
    ExplainJob(ExplainInput input, ExplainOptions options);
    bool step() override;
    double progress() const override;
    const char* stage_name() const override;
    std::string result_json() const override;
    bool done() const { return prepared_ && next_ >= clusters_.size() && !booster_; }
    // The binned features (after the first step), for reuse by later jobs.
    std::shared_ptr<const PreparedFeatures> prepared() const { return prepared_; }
    const std::vector<ClusterExplanation>& explanations() const { return done_; }
    std::shared_ptr<const std::vector<ClusterExplanation>> take() { return std::make_shared<const std::vector<ClusterExplanation>>(std::move(done_)); }

private:
    void start_cluster();
    void finish_cluster();

    ExplainInput in_;
    ExplainOptions options_;
    std::shared_ptr<const PreparedFeatures> prepared_;
    std::vector<int> clusters_;
    std::size_t next_ = 0;
    std::unique_ptr<BoosterJob> booster_;
    double positive_rate_ = 1, negative_rate_ = 1;  // sampling rates of the current cluster's training rows
    std::vector<ClusterExplanation> done_;
};

// The summary of one cluster as JSON: {cluster, size, auc, accuracy, rounds, features:[{name, mean_abs_shap,
// mean_shap}] (top `top` features), profile (top `top`), representatives, outliers}.
std::string explanation_json(const ClusterExplanation& e, const std::vector<std::string>& names, int top);

// The SHAP values of one row for a cluster's model, largest |value| first, with the model's bias and margin.
std::string row_contributions_json(const ClusterExplanation& e, const std::vector<std::string>& names,
                                   const float* row, int top);

}  // namespace recluster
