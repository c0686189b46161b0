#include "neighbors/brute_force_knn.hpp"

#include <algorithm>
#include <limits>
#include <stdexcept>

#include "common/parallel_for.hpp"
#include "neighbors/neighbor_heap.hpp"

namespace recluster {

void BruteForceOptions::validate() const {
    if (k < 1) throw std::invalid_argument("brute_force_knn: k must be >= 1");
    if (chunk_rows < 1) throw std::invalid_argument("brute_force_knn: chunk_rows must be >= 1");
}

void brute_force_knn_rows(const Matrix& rows, const BruteForceOptions& options, std::size_t first,
                          std::size_t last, KnnGraph& g) {
    const std::size_t n = rows.rows, d = rows.cols;
    const int k = g.k;
    parallel_for(options.n_threads, last - first, options.chunk_rows, [&](int, std::size_t b, std::size_t e) {
        NeighborHeap heap(k);
        for (std::size_t i = first + b; i < first + e; ++i) {
            heap.clear();
            const float* a = rows.row(i);
            for (std::size_t j = 0; j < n; ++j) {
                if (j == i) continue;
                heap.push(ranking_distance(options.metric, a, rows.row(j), d), static_cast<int>(j));
            }
            heap.sorted_into(g.index.data() + i * k, g.distance.data() + i * k);
        }
    });
}

KnnGraph brute_force_knn(const Matrix& data, const BruteForceOptions& options) {
    options.validate();
    if (data.rows < 2) throw std::invalid_argument("brute_force_knn: need at least 2 rows");
    Matrix normalised;
    const Matrix& rows = search_rows(data, options.metric, normalised);
    const std::size_t n = rows.rows;
    KnnGraph g = empty_knn_graph(n, static_cast<int>(std::min<std::size_t>(static_cast<std::size_t>(options.k), n - 1)));
    brute_force_knn_rows(rows, options, 0, n, g);
    finish_distances(g, options.metric);
    return g;
}

}  // namespace recluster
