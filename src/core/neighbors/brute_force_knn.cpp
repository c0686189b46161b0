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

KnnGraph brute_force_knn(const Matrix& data, const BruteForceOptions& options) {
    options.validate();
    if (data.rows < 2) throw std::invalid_argument("brute_force_knn: need at least 2 rows");
    const Matrix rows = prepare_rows(data, options.metric);
    const std::size_t n = rows.rows, d = rows.cols;
    const int k = static_cast<int>(std::min<std::size_t>(static_cast<std::size_t>(options.k), n - 1));
    KnnGraph g;
    g.n = n;
    g.k = k;
    g.index.assign(n * k, -1);
    g.distance.assign(n * k, 0.0f);
    parallel_for(options.n_threads, n, options.chunk_rows, [&](int, std::size_t begin, std::size_t end) {
        NeighborHeap heap(k);
        for (std::size_t i = begin; i < end; ++i) {
            heap.clear();
            const float* a = rows.row(i);
            for (std::size_t j = 0; j < n; ++j) {
                if (j == i) continue;
                float dist = ranking_distance(options.metric, a, rows.row(j), d);
                heap.push(dist, static_cast<int>(j));
            }
            heap.sorted_into(g.index.data() + i * k, g.distance.data() + i * k);
        }
    });
    finish_distances(g, options.metric);
    return g;
}

}  // namespace recluster
