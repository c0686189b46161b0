#include "neighbors/kd_tree.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "common/parallel_for.hpp"
#include "neighbors/distance.hpp"

namespace recluster {

void KdTreeOptions::validate() const {
    if (leaf_size < 1) throw std::invalid_argument("kd-tree: leaf_size must be >= 1");
}

KdTree::KdTree(const Matrix& data, KdTreeOptions options) : dim_(data.cols) {
    options.validate();
    if (dim_ == 0) throw std::invalid_argument("kd-tree: data has no columns");
    order_.resize(data.rows);
    for (std::size_t i = 0; i < data.rows; ++i) order_[i] = static_cast<int>(i);
    points_ = data.data;  // permuted in place as the tree is built
    if (data.rows > 0) build(0, data.rows, options.leaf_size);
    // Rewrite the coordinates in permuted order.
    points_.assign(data.rows * dim_, 0.0f);
    position_.assign(data.rows, 0);
    for (std::size_t p = 0; p < data.rows; ++p) {
        const std::size_t r = static_cast<std::size_t>(order_[p]);
        std::copy(data.row(r), data.row(r) + dim_, points_.begin() + static_cast<std::ptrdiff_t>(p * dim_));
        position_[r] = static_cast<int>(p);
    }
}

int KdTree::build(std::size_t begin, std::size_t end, std::size_t leaf_size) {
    const int id = static_cast<int>(nodes_.size());
    nodes_.push_back(Node{begin, end, -1, -1});
    boxes_.resize(nodes_.size() * 2 * dim_);
    float* lo = boxes_.data() + static_cast<std::size_t>(id) * 2 * dim_;
    float* hi = lo + dim_;
    for (std::size_t c = 0; c < dim_; ++c) {
        lo[c] = points_[static_cast<std::size_t>(order_[begin]) * dim_ + c];
        hi[c] = lo[c];
    }
    for (std::size_t p = begin; p < end; ++p)
        for (std::size_t c = 0; c < dim_; ++c) {
            const float v = points_[static_cast<std::size_t>(order_[p]) * dim_ + c];
            lo[c] = std::min(lo[c], v);
            hi[c] = std::max(hi[c], v);
        }
    if (end - begin <= leaf_size) return id;
    std::size_t axis = 0;
    for (std::size_t c = 1; c < dim_; ++c)
        if (hi[c] - lo[c] > hi[axis] - lo[axis]) axis = c;
    if (!(hi[axis] > lo[axis])) return id;  // all rows identical: keep as one leaf
    const std::size_t mid = begin + (end - begin) / 2;
    const auto key = [&](int r) { return points_[static_cast<std::size_t>(r) * dim_ + axis]; };
    std::nth_element(order_.begin() + static_cast<std::ptrdiff_t>(begin), order_.begin() + static_cast<std::ptrdiff_t>(mid),
                     order_.begin() + static_cast<std::ptrdiff_t>(end), [&](int a, int b) {
                         const float ka = key(a), kb = key(b);
                         return ka < kb || (ka == kb && a < b);
                     });
    const int left = build(begin, mid, leaf_size);
    const int right = build(mid, end, leaf_size);
    nodes_[static_cast<std::size_t>(id)].left = left;
    nodes_[static_cast<std::size_t>(id)].right = right;
    return id;
}

float KdTree::box_sq_distance(std::size_t node, const float* q) const {
    const float* l = lo(node);
    const float* h = hi(node);
    float s = 0;
    for (std::size_t c = 0; c < dim_; ++c) {
        const float d = q[c] < l[c] ? l[c] - q[c] : (q[c] > h[c] ? q[c] - h[c] : 0.0f);
        s += d * d;
    }
    return s;
}

void KdTree::knn(int query, int k, int* index, float* sq_distance) const {
    const float* q = point_at(static_cast<std::size_t>(position_[static_cast<std::size_t>(query)]));
    // Sorted insertion list of the best k (k is small).
    int found = 0;
    const auto better = [](float d, int i, float d2, int i2) { return d < d2 || (d == d2 && i < i2); };
    const auto offer = [&](float d, int i) {
        if (found == k && !better(d, i, sq_distance[k - 1], index[k - 1])) return;
        int p = found < k ? found++ : k - 1;
        while (p > 0 && better(d, i, sq_distance[p - 1], index[p - 1])) {
            sq_distance[p] = sq_distance[p - 1];
            index[p] = index[p - 1];
            --p;
        }
        sq_distance[p] = d;
        index[p] = i;
    };
    int stack[128];
    int top = 0;
    stack[top++] = 0;
    while (top > 0) {
        const std::size_t node = static_cast<std::size_t>(stack[--top]);
        if (found == k && box_sq_distance(node, q) > sq_distance[k - 1]) continue;
        const Node& nd = nodes_[node];
        if (nd.left < 0) {
            for (std::size_t p = nd.begin; p < nd.end; ++p) {
                const int r = order_[p];
                if (r == query) continue;
                offer(squared_euclidean(q, point_at(p), dim_), r);
            }
            continue;
        }
        push_children(nd, q, stack, top);
    }
    for (int j = found; j < k; ++j) {
        index[j] = -1;
        sq_distance[j] = 0;
    }
}

void KdTree::radius(int query, float sq_radius, std::vector<int>& out) const {
    out.clear();
    const float* q = point_at(static_cast<std::size_t>(position_[static_cast<std::size_t>(query)]));
    int stack[128];
    int top = 0;
    stack[top++] = 0;
    while (top > 0) {
        const std::size_t node = static_cast<std::size_t>(stack[--top]);
        if (box_sq_distance(node, q) > sq_radius) continue;
        const Node& nd = nodes_[node];
        if (nd.left < 0) {
            for (std::size_t p = nd.begin; p < nd.end; ++p)
                if (squared_euclidean(q, point_at(p), dim_) <= sq_radius) out.push_back(order_[p]);
            continue;
        }
        stack[top++] = nd.right;
        stack[top++] = nd.left;
    }
    std::sort(out.begin(), out.end());
}

KnnGraph KdTree::knn_graph(int k, int n_threads) const {
    KnnGraph g = empty_knn_graph(size(), k);
    const std::size_t kk = static_cast<std::size_t>(k);
    parallel_for(n_threads, size(), 512, [&](int, std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) knn(static_cast<int>(i), k, &g.index[i * kk], &g.distance[i * kk]);
    });
    return g;
}

KnnGraph kd_tree_knn(const Matrix& data, int k, int n_threads) {
    if (data.rows < 2) throw std::invalid_argument("kd-tree kNN: need at least 2 rows");
    KnnGraph g = KdTree(data).knn_graph(std::min<int>(k, static_cast<int>(data.rows) - 1), n_threads);
    finish_distances(g, Metric::Euclidean);
    return g;
}

}  // namespace recluster
