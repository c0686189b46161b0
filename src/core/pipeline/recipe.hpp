// Recipe: every parameter of the pipeline that changes its result, as one value that round-trips through
// JSON (the JS API's run(recipe), the CLI flags and, later, share links all speak it).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "neighbors/distance.hpp"
#include "prep/pca.hpp"
#include "prep/scale.hpp"

namespace recluster {

struct Recipe {
    // How numeric features are scaled before embedding.
    ScaleMethod scale = ScaleMethod::ZScore;
    // Embedding method: "umap" (default) or "pca" (the first two principal components).
    std::string embedding = "umap";
    // Seed for every random choice downstream.
    std::uint64_t seed = 42;
    // Feature columns by name; empty = every numeric column.
    std::vector<std::string> columns;
    // PCA pre-reduction before UMAP's neighbour search: -1 = automatic (50 dims when there are more than 100
    // features), 0 = off, otherwise the number of components.
    int pca_dims = -1;
    // PCA solver for the pre-reduction and the PCA embedding: automatic (randomized for wide data), exact or
    // randomized.
    PcaSolver pca_solver = PcaSolver::Auto;

    // UMAP parameters (umap-learn names and meanings).
    int n_neighbors = 15;
    float min_dist = 0.1f;
    float spread = 1.0f;
    Metric metric = Metric::Euclidean;
    int n_epochs = 0;  // 0 = automatic: 500 up to 10,000 rows, 200 above
    float learning_rate = 1.0f;
    float negative_sample_rate = 5.0f;

    // Clustering: "hdbscan" (default), "dbscan", "kmeans", "gmm" (Gaussian mixture) or "none" (every row in
    // cluster 0).
    std::string cluster = "hdbscan";
    // The space clustered: "embedding" (the 2-D map, default), "pca" (the first cluster_pca_dims principal
    // components of the scaled features) or "features" (the scaled features themselves).
    std::string cluster_space = "embedding";
    int cluster_pca_dims = 10;
    // k-means / Gaussian mixture: the number of clusters, and the mixture's covariance ("full" or "diag").
    int n_clusters = 8;
    std::string gmm_covariance = "full";
    // DBSCAN radius in map units (required, > 0, with cluster "dbscan"); DBSCAN's min_samples is min_samples
    // (0 = 5, scikit-learn's default).
    double dbscan_eps = 0.0;
    // HDBSCAN (hdbscan / R dbscan names and meanings). 0 = automatic: min_cluster_size = min_cluster_fraction
    // of the rows (at least 5), min_samples = min(min_cluster_size, 10). min_cluster_fraction 0 = automatic:
    // 0.5% (Session gives zoomed-in views 2%, see Session::view_defaults).
    int min_cluster_size = 0;
    double min_cluster_fraction = 0.0;
    int min_samples = 0;
    std::string cluster_selection = "eom";  // "eom" (excess of mass) or "leaf"
    double cluster_selection_epsilon = 0.0;
    bool allow_single_cluster = false;
    int max_cluster_size = 0;  // 0 = no limit
    // Condensed-tree rules: "campello" (HDBSCAN* as published, tie-order independent) or "r-dbscan" (R dbscan
    // 1.1's labels exactly: R's own O(n^2) tree and rules; up to 50,000 rows).
    std::string hdbscan_rules = "campello";

    int effective_min_cluster_size(std::size_t rows) const;
    int effective_min_samples(std::size_t rows) const;
    // Components PCA pre-reduction keeps for `n_features` inputs (0 = none).
    int effective_pca_dims(std::size_t n_features) const;
    std::string to_json() const;
};

// Parses a recipe from JSON ("" or "{}" = defaults). Unknown keys and bad values are errors naming the key.
Result<Recipe> recipe_from_json(const std::string& json);

}  // namespace recluster
