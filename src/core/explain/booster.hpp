// Histogram gradient boosting for binary logistic loss (XGBoost's "hist" method, written from its paper and docs):
// per round one depth-limited tree grown on gradient/hessian histograms of the binned features, splits scored by
// G_L^2/(H_L+lambda) + G_R^2/(H_R+lambda) - G^2/(H+lambda), missing values sent to a learned default side, early
// stopping on a held-out split. Cost per round O(rows x features x depth / 2) histogram updates (the larger child of
// a split is its parent minus the smaller). Deterministic for any thread count: each feature's histogram is summed
// by one thread in row order, and row / column subsamples come from counter-based hashes.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/matrix.hpp"
#include "common/resumable.hpp"
#include "explain/feature_bins.hpp"
#include "explain/regression_tree.hpp"

namespace recluster {

struct BoosterOptions {
    int n_rounds = 100;                // trees at most; more = a closer fit, slower
    int max_depth = 6;                 // deeper trees model more interactions (and take longer)
    double eta = 0.3;                  // learning rate: smaller needs more rounds, generalises better
    double min_child_weight = 1.0;     // hessian sum a child must keep; larger = fewer, safer splits
    double lambda = 1.0;               // L2 penalty on leaf weights
    double gamma = 0.0;                // loss reduction a split must exceed (XGBoost's min_split_loss)
    double subsample = 1.0;            // share of training rows each tree sees
    double colsample_bytree = 1.0;     // share of features each tree may split on
    int early_stopping_rounds = 10;    // stop after this many rounds without a better held-out log loss (0 = off)
    double validation_fraction = 0.2;  // held-out share of each class (0 = train on everything, no early stop)
    double base_score = 0.5;           // initial probability (XGBoost 1.7's default)
    std::uint64_t seed = 42;
    int n_threads = 1;
    void validate() const;
};

// The trained model: margin(x) = logit(base_score) + sum of the trees' leaf values; probability = sigmoid(margin).
struct BoosterModel {
    std::size_t n_features = 0;
    double base_score = 0.5;  // a float value (as XGBoost keeps it), held as a double
    std::vector<RegressionTree> trees;
    double base_margin() const;
    double margin(const float* x) const;
    double probability(const float* x) const;
};

struct BoosterReport {
    int rounds = 0;                  // trees kept (the best round of the held-out loss when early stopping)
    int rounds_run = 0;              // rounds trained before stopping
    std::size_t train_rows = 0, validation_rows = 0, positives = 0;
    double validation_logloss = 0;   // at the kept round (or training log loss without a held-out split)
    double validation_auc = 0;       // ROC AUC on the held-out rows (NaN when they hold one class only)
    double validation_accuracy = 0;  // at probability 0.5
};

// Trains one binary model on rows whose labels are 0 / 1. The bins are shared by all models of a dataset (the
// one-vs-rest models of a view use the same binned matrix). `rows` (ascending, empty = all) picks the rows that
// take part; labels of the others are ignored. One step() = one round.
class BoosterJob : public ResumableJob {
public:
    BoosterJob(const FeatureBins& bins, const BinnedMatrix& binned, std::vector<std::uint8_t> labels,
               BoosterOptions options, const std::vector<std::size_t>& rows = {});
    bool step() override;
    double progress() const override;
    const char* stage_name() const override { return "boosting"; }
    std::string result_json() const override;
    bool done() const { return done_; }
    // Valid once done.
    const BoosterModel& model() const { return model_; }
    const BoosterReport& report() const { return report_; }
    // The held-out rows (indices into the binned matrix, ascending).
    const std::vector<std::size_t>& validation_rows() const { return valid_; }

private:
    struct Split {
        double gain = 0;
        int feature = -1, bin = 0;
        bool default_left = false;
        double left_g = 0, left_h = 0;
    };
    RegressionTree grow_tree(int round);
    void build_histogram(std::size_t begin, std::size_t end, std::vector<double>& hist);
    void accumulate(std::size_t begin, std::size_t end, float* hist) const;
    Split best_split(const std::vector<double>& hist, double g, double h) const;
    double leaf_weight(double g, double h) const { return -g / (h + options_.lambda); }
    void finish();
    // Histogram buffers are reused between nodes and trees (fresh pages cost more than the sums).
    std::vector<double> take_buffer();
    void give_back(std::vector<double> buffer);

    const FeatureBins& bins_;
    const BinnedMatrix& binned_;
    std::vector<std::uint8_t> labels_;
    BoosterOptions options_;
    std::vector<std::size_t> train_, valid_;
    std::vector<double> margin_, grad_, hess_;
    std::vector<int> active_;                // features with at least two bins
    std::vector<std::size_t> offset_;        // histogram offset of each feature (in bins)
    std::size_t total_bins_ = 0;
    std::vector<int> round_features_;        // features of the current round (column subsample)
    std::vector<std::size_t> round_cells_;   // their histogram offsets
    std::vector<std::uint8_t> round_last_bin_;  // their bin counts (= the missing cell's index)
    std::vector<float> block_hists_;         // per-block partial histograms (single precision)
    std::vector<std::size_t> rows_;          // row order of the tree being grown, partitioned by node
    std::vector<std::vector<double>> spare_;
    std::vector<double> best_valid_margin_;
    double best_loss_ = 0;
    int best_round_ = -1, round_ = 0;
    bool done_ = false;
    BoosterModel model_;
    BoosterReport report_;
};

// Convenience: trains to the end.
BoosterModel train_booster(const Matrix& x, const std::vector<std::uint8_t>& labels, const BoosterOptions& options,
                           int max_bin = 255, BoosterReport* report = nullptr);

// ROC AUC of scores against 0 / 1 labels (ties count one half); NaN when only one class is present.
double roc_auc(const std::vector<double>& scores, const std::vector<std::uint8_t>& labels);

}  // namespace recluster
