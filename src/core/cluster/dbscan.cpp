#include "cluster/dbscan.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "cluster/label_order.hpp"
#include "cluster/mst.hpp"
#include "common/parallel_for.hpp"
#include "neighbors/distance.hpp"
#include "neighbors/kd_tree.hpp"

namespace recluster {

void DbscanOptions::validate() const {
    if (!(eps > 0) || !std::isfinite(eps)) throw std::invalid_argument("dbscan: eps must be a number > 0");
    if (min_samples < 1) throw std::invalid_argument("dbscan: min_samples must be >= 1");
}

DbscanResult dbscan(const Matrix& x, const DbscanOptions& o) {
    o.validate();
    const std::size_t n = x.rows;
    for (float v : x.data)
        if (!std::isfinite(v)) throw std::invalid_argument("dbscan: the input has NaN or infinite values");
    const float r2 = static_cast<float>(o.eps * o.eps);
    // Neighbourhoods (self included), as a CSR built in parallel over fixed chunks.
    std::vector<std::vector<int>> hood(n);
    if (n > 0 && x.cols <= o.kd_tree_max_dim) {
        const KdTree tree(x);
        parallel_for(o.n_threads, n, 256, [&](int, std::size_t begin, std::size_t end) {
            for (std::size_t i = begin; i < end; ++i) tree.radius(static_cast<int>(i), r2, hood[i]);
        });
    } else {
        parallel_for(o.n_threads, n, 64, [&](int, std::size_t begin, std::size_t end) {
            for (std::size_t i = begin; i < end; ++i)
                for (std::size_t j = 0; j < n; ++j)
                    if (squared_euclidean(x.row(i), x.row(j), x.cols) <= r2) hood[i].push_back(static_cast<int>(j));
        });
    }
    DbscanResult r;
    r.core.assign(n, false);
    for (std::size_t i = 0; i < n; ++i) r.core[i] = hood[i].size() >= static_cast<std::size_t>(o.min_samples);
    std::vector<int> label(n, -1), stack;
    int next = 0;
    for (std::size_t s = 0; s < n; ++s) {
        if (label[s] >= 0 || !r.core[s]) continue;
        label[s] = next;
        stack.assign(1, static_cast<int>(s));
        while (!stack.empty()) {
            const std::size_t v = static_cast<std::size_t>(stack.back());
            stack.pop_back();
            if (!r.core[v]) continue;  // border rows join but do not spread the cluster
            for (int u : hood[v])
                if (label[static_cast<std::size_t>(u)] < 0) {
                    label[static_cast<std::size_t>(u)] = next;
                    stack.push_back(u);
                }
        }
        ++next;
    }
    // Largest cluster first (ties by first row, the order clusters were grown in), like the HDBSCAN output.
    r.labels = std::move(label);
    r.sizes = order_labels_by_size(r.labels, next).sizes;
    r.n_noise = static_cast<std::size_t>(std::count(r.labels.begin(), r.labels.end(), -1));
    return r;
}

std::vector<float> k_distances(const Matrix& x, int k, int n_threads) {
    // The squared core distances of min_samples = k + 1 are the squared k-th neighbour distances.
    std::vector<float> d = core_sq_distances(x, k + 1, n_threads, x.cols <= 4);
    for (float& v : d) v = std::sqrt(v);
    std::sort(d.begin(), d.end());
    return d;
}

float k_distance_knee(const std::vector<float>& d) {
    if (d.empty()) return 0.0f;
    const double lo = d.front(), hi = d.back(), n = static_cast<double>(d.size() - 1);
    if (!(hi > lo) || n == 0) return d.back();
    std::size_t best = 0;
    double best_gap = -1;
    for (std::size_t i = 0; i < d.size(); ++i) {
        const double gap = static_cast<double>(i) / n - (d[i] - lo) / (hi - lo);
        if (gap > best_gap) {
            best_gap = gap;
            best = i;
        }
    }
    return d[best];
}

}  // namespace recluster
