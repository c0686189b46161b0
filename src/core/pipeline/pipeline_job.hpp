// PipelineJob: one resumable run of the recipe on a dataset: scale -> [PCA pre-reduction] -> UMAP or PCA-2
// embedding -> HDBSCAN of the embedding.
// step(budget) does a bounded amount of work so the web app can time-slice it or run it on a worker thread;
// cancel() may be called from any thread. Errors in the input are result values, not exceptions.
#pragma once
#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cluster/hdbscan.hpp"
#include "common/matrix.hpp"
#include "io/dataset.hpp"
#include "pipeline/recipe.hpp"
#include "embed/umap.hpp"
#include "prep/pca.hpp"
#include "prep/scale.hpp"

namespace recluster {

struct StageTiming {
    std::string stage;
    double ms = 0;
};

// Clustering of the embedding. The HDBSCAN tree is kept so back-half options re-label without recomputing it.
struct ClusteringOutput {
    std::string method;                    // "hdbscan", "dbscan", "kmeans", "gmm" or "none"
    std::string space = "embedding";       // the space clustered (recipe.cluster_space)
    std::size_t space_dims = 2;            // its columns
    double eps = 0;                        // DBSCAN radius
    int min_cluster_size = 0, min_samples = 0;  // the values used (automatic ones resolved)
    std::string rules;                     // condensed-tree rules ("campello" or "r-dbscan")
    std::vector<float> probabilities;      // rows (1 for "none"; DBSCAN: 1 in a cluster, 0 noise)
    std::vector<float> outlier_scores;     // rows (GLOSH; 0 for "none"; DBSCAN: 1 for noise, else 0)
    std::vector<int> sizes;                // per cluster
    std::vector<double> stability, persistence;  // per cluster (HDBSCAN)
    int k = 0;                             // k-means / GMM: clusters asked for
    double inertia = 0;                    // k-means
    double log_likelihood = 0, bic = 0;    // GMM
    int n_iter = 0;                        // k-means / GMM iterations (mini-batch: batches)
    bool mini_batch = false;               // k-means ran mini-batch
    std::size_t n_noise = 0;
    std::shared_ptr<const HdbscanTree> tree;
    // HDBSCAN's condensed tree of the current selection (for the tree plot), which of its clusters are
    // selected, and the tree id of each output cluster.
    std::shared_ptr<const CondensedTree> condensed;
    std::vector<bool> selected;
    std::vector<int> tree_cluster;
};

struct PipelineOutput {
    Matrix embedding;                      // rows x 2
    // The space clustered when it is not the embedding (else null); shared so analyses can outlive the output.
    std::shared_ptr<const Matrix> cluster_input;
    std::vector<int> labels;               // rows: cluster 0..k-1 (largest first), -1 = noise
    ClusteringOutput clustering;
    std::vector<std::string> feature_columns;
    std::vector<double> explained_variance_ratio;  // of the PCA that ran (pre-reduction or the embedding)
    std::string pca_solver;                        // "exact" / "randomized" when a PCA ran, else empty
    std::vector<StageTiming> timings;
    UmapInfo umap;                                 // when the embedding is UMAP
    bool reused_embedding = false;                 // a re-clustering of an earlier result's map
};

class PipelineJob {
public:
    // `data` must outlive the job. n_threads does not change results.
    PipelineJob(const Dataset& data, Recipe recipe, int n_threads = 1);
    // Re-clusters `previous` (computed from `data` with a recipe that differs from `recipe` only where
    // can_reuse_embedding() allows): keeps its map and clustered space, runs only the clustering. The output
    // equals what a full run of `recipe` gives.
    PipelineJob(const Dataset& data, Recipe recipe, const PipelineOutput& previous, int n_threads = 1);
    // Does about `budget` rows of work; false when finished, failed or cancelled.
    bool step(std::size_t budget);
    bool done() const { return stage_ == Stage::Done || stage_ == Stage::Failed; }
    bool failed() const { return stage_ == Stage::Failed; }
    const std::string& error() const { return error_; }
    double progress() const;
    const char* stage_name() const;
    void cancel() { cancel_requested_ = true; }
    PipelineOutput& output() { return output_; }
    // The embedding as it currently stands while UMAP's layout runs (rows x 2), else nullptr. Read it only
    // from the thread that calls step().
    const Matrix* live_embedding() const;

private:
    enum class Stage { Scale, Reduce, Embed, Space, Cluster, Done, Failed };
    void start_embedding();
    void finish_embedding(Matrix embedding);
    // Columns of the "pca" clustering space.
    std::size_t space_pca_dims() const;
    void run_clustering();
    void fail(std::string message);
    void record_time(const char* name);

    const Dataset& data_;
    Recipe recipe_;
    int n_threads_;
    Stage stage_ = Stage::Scale;
    std::string error_;
    std::atomic<bool> cancel_requested_{false};  // set from any thread
    std::vector<std::size_t> columns_;
    std::unique_ptr<ScaledColumns> scaled_;  // the features as PCA reads them (scaled on the fly)
    Matrix features_;                        // the scaled features, made only when read whole (see step())
    std::unique_ptr<PcaJob> pca_;
    Matrix reduced_;  // PCA pre-reduction output, UMAP's input when used
    std::unique_ptr<UmapJob> umap_;
    PipelineOutput output_;
    double stage_ms_ = 0;  // time spent in step() for the current stage
};

// Resolves recipe column names to numeric column indices; error names the first unknown / non-numeric one.
Result<std::vector<std::size_t>> resolve_feature_columns(const Dataset& data, const Recipe& recipe);

// Convenience: run everything at once (used by the CLI and tests).
// UMAP details for reports (summary.json, the JS run result): method, init, epochs, a, b, edges, stage ms.
std::string umap_info_json(const UmapInfo& info);

// True when `next` changes only the clustering of a result computed with `previous` in a way that can reuse its
// map and clustered space (clustering method and parameters; the space only when it is the map or unchanged).
bool can_reuse_embedding(const Recipe& previous, const PipelineOutput& output, const Recipe& next);

// The matrix a recipe's clustering ran on: the embedding or output.cluster_input.
const Matrix& clustering_space(const PipelineOutput& output);

// HDBSCAN options of a recipe for `rows` rows (automatic values resolved).
HdbscanOptions hdbscan_options(const Recipe& recipe, std::size_t rows);
// Re-labels from the kept HDBSCAN tree with the recipe's back-half options (min_cluster_size, selection,
// epsilon, single cluster, max size): O(n), no new tree. False if the output has no tree.
bool relabel(PipelineOutput& output, const Recipe& recipe);
// The recipe keys relabel() honours (the rest change the map or the tree and need a run).
bool is_relabel_key(const std::string& key);
// Clustering details for reports (summary.json, the JS run result): method, parameters, sizes, noise, ...
std::string clustering_info_json(const ClusteringOutput& c);
// HDBSCAN's condensed tree, cluster by cluster: {n_points, clusters: [{id, parent, birth_lambda, death_lambda,
// size, stability, selected_as}]} (selected_as = output cluster id or -1); "" without an HDBSCAN result.
std::string condensed_tree_json(const ClusteringOutput& c);

Result<PipelineOutput> run_pipeline(const Dataset& data, const Recipe& recipe, int n_threads = 1);

}  // namespace recluster
