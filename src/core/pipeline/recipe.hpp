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

    // Components PCA pre-reduction keeps for `n_features` inputs (0 = none).
    int effective_pca_dims(std::size_t n_features) const;
    std::string to_json() const;
};

// Parses a recipe from JSON ("" or "{}" = defaults). Unknown keys and bad values are errors naming the key.
Result<Recipe> recipe_from_json(const std::string& json);

}  // namespace recluster
