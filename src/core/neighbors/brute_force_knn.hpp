// Exact k-nearest neighbours by comparing every pair: O(n^2 d) time, O(n k) memory. Parallel over fixed
// chunks of query rows; each row's result depends only on the data, so any thread count gives the same graph.
#pragma once
#include "neighbors/knn_graph.hpp"

namespace recluster {

struct BruteForceOptions {
    // Neighbours per row (clamped to n - 1).
    int k = 15;
    Metric metric = Metric::Euclidean;
    int n_threads = 1;
    // Query rows per parallel chunk.
    std::size_t chunk_rows = 64;
    void validate() const;
};

KnnGraph brute_force_knn(const Matrix& data, const BruteForceOptions& options);

}  // namespace recluster
