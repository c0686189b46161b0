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

// Resumable form: fills query rows [begin, end) of `graph` (g.n, g.k and both arrays already sized) from rows
// made by prepare_rows(); ranking distances until finish_distances() is applied once all rows are done.
void brute_force_knn_rows(const Matrix& prepared, const BruteForceOptions& options, std::size_t begin,
                          std::size_t end, KnnGraph& graph);

}  // namespace recluster
