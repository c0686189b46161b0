#include "cluster/r_dbscan_tree.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

#include "common/parallel_for.hpp"

namespace recluster {

namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

inline double distance(const Matrix& x, std::size_t a, std::size_t b) {
    const float* p = x.row(a);
    const float* q = x.row(b);
    double s = 0;
    for (std::size_t f = 0; f < x.cols; ++f) {
        const double t = static_cast<double>(p[f]) - static_cast<double>(q[f]);
        s += t * t;
    }
    return std::sqrt(s);
}

}  // namespace

HdbscanTree build_r_dbscan_tree(const Matrix& x, const MstOptions& options) {
    options.validate();
    const std::size_t n = x.rows;
    if (n == 0 || x.cols == 0) throw std::invalid_argument("hdbscan: no rows or no columns");
    for (float v : x.data)
        if (!std::isfinite(v)) throw std::invalid_argument("hdbscan: the input has NaN or infinite values");
    // Core distance: to the (min_samples - 1)-th other row, in double (R's coredist with minPts).
    const std::size_t kth = static_cast<std::size_t>(std::min<long long>(options.min_samples - 1, static_cast<long long>(n) - 1));
    std::vector<double> core(n, 0.0);
    if (kth > 0)
        parallel_for(options.n_threads, n, 64, [&](int, std::size_t begin, std::size_t end) {
            std::vector<double> row(n);
            for (std::size_t i = begin; i < end; ++i) {
                for (std::size_t j = 0; j < n; ++j) row[j] = distance(x, i, j);
                std::nth_element(row.begin(), row.begin() + static_cast<std::ptrdiff_t>(kth), row.end());
                core[i] = row[kth];  // row i's own zero is the 0-th
            }
        });
    // Prim from row 0 with R's tie rules.
    struct Edge {
        int from, to;
        double w;
    };
    std::vector<Edge> found;
    found.reserve(n ? n - 1 : 0);
    std::vector<double> key(n, kInf);
    std::vector<int> from(n, -1);
    std::vector<char> in_tree(n, 0);
    constexpr std::size_t chunk = 2048;
    std::vector<std::size_t> chunk_best(chunk_count(n, chunk));
    std::size_t current = 0;
    in_tree[0] = 1;
    for (std::size_t step = 1; step < n; ++step) {
        parallel_for(n > 4 * chunk ? options.n_threads : 1, n, chunk, [&](int, std::size_t begin, std::size_t end) {
            std::size_t best = n;
            for (std::size_t j = begin; j < end; ++j) {
                if (in_tree[j]) continue;
                const double w = std::max({core[current], core[j], distance(x, current, j)});
                if (w < key[j]) {
                    key[j] = w;
                    from[j] = static_cast<int>(current);
                }
                if (best == n || key[j] < key[best]) best = j;
            }
            chunk_best[begin / chunk] = best;
        });
        std::size_t best = n;
        for (std::size_t b : chunk_best)
            if (b != n && (best == n || key[b] < key[best])) best = b;  // chunks in order: ties to the lower row
        found.push_back({from[best], static_cast<int>(best), key[best]});
        in_tree[best] = 1;
        current = best;
    }
    std::vector<std::size_t> order(found.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return found[a].w < found[b].w; });
    HdbscanTree t;
    t.mst.method = MstMethod::PrimRDbscan;
    t.mst.core_sq.resize(n);
    for (std::size_t i = 0; i < n; ++i) t.mst.core_sq[i] = static_cast<float>(core[i] * core[i]);
    t.mst.edges.reserve(order.size());
    for (std::size_t o : order) {
        const Edge& e = found[o];
        t.mst.edges.push_back({std::min(e.from, e.to), std::max(e.from, e.to), static_cast<float>(e.w * e.w)});
    }
    t.dendrogram = single_linkage(t.mst.edges, n);
    for (std::size_t m = 0; m < order.size(); ++m) t.dendrogram.distance[m] = found[order[m]].w;  // R's doubles
    return t;
}

}  // namespace recluster
