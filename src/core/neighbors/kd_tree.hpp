// KdTree: an exact space-partitioning tree for low-dimensional rows (a 2-D or 3-D embedding), used for exact
// k-nearest neighbours and by HDBSCAN's Borůvka minimum spanning tree. Splits at the median of the widest
// bounding-box side until a node holds at most leaf_size rows; rows are stored permuted so a node's rows are
// contiguous. Construction and queries are deterministic (ties by row index).
#pragma once
#include <cstddef>
#include <vector>

#include "common/matrix.hpp"
#include "neighbors/knn_graph.hpp"

namespace recluster {

struct KdTreeOptions {
    std::size_t leaf_size = 16;
    void validate() const;
};

class KdTree {
public:
    struct Node {
        std::size_t begin = 0, end = 0;  // rows [begin, end) of the permuted order
        int left = -1, right = -1;       // children (-1 for a leaf)
    };

    KdTree(const Matrix& data, KdTreeOptions options = {});

    std::size_t dim() const { return dim_; }
    std::size_t size() const { return order_.size(); }
    const std::vector<Node>& nodes() const { return nodes_; }
    // Original row index of permuted position p, and the coordinates stored at p.
    int row_at(std::size_t p) const { return order_[p]; }
    const float* point_at(std::size_t p) const { return points_.data() + p * dim_; }
    // Bounding box of a node: lo and hi arrays of dim() floats.
    const float* lo(std::size_t node) const { return boxes_.data() + node * 2 * dim_; }
    const float* hi(std::size_t node) const { return boxes_.data() + node * 2 * dim_ + dim_; }
    // Squared distance from q to the node's box (0 inside).
    float box_sq_distance(std::size_t node, const float* q) const;
    // Pushes an inner node's two children on a depth-first stack, the one nearer to q last (visited first).
    void push_children(const Node& node, const float* q, int* stack, int& top) const {
        const float dl = box_sq_distance(static_cast<std::size_t>(node.left), q);
        const float dr = box_sq_distance(static_cast<std::size_t>(node.right), q);
        stack[top++] = dl <= dr ? node.right : node.left;
        stack[top++] = dl <= dr ? node.left : node.right;
    }

    // The k nearest rows to row `query` of the indexed data (itself excluded), ascending by squared euclidean
    // distance, ties by row index. Writes k indices and squared distances.
    void knn(int query, int k, int* index, float* sq_distance) const;
    // Every row (the query itself included) within squared euclidean distance sq_radius of row `query`, in
    // ascending row order.
    void radius(int query, float sq_radius, std::vector<int>& out) const;
    // knn() for every row, in parallel over fixed chunks (identical for any thread count); the graph keeps
    // squared distances (ranking distances, see finish_distances).
    KnnGraph knn_graph(int k, int n_threads) const;

private:
    int build(std::size_t begin, std::size_t end, std::size_t leaf_size);

    std::size_t dim_ = 0;
    std::vector<int> order_;
    std::vector<float> points_;  // permuted copy, size() * dim
    std::vector<int> position_;  // row -> permuted position
    std::vector<Node> nodes_;
    std::vector<float> boxes_;
};

// Exact kNN graph of every row through a KdTree (euclidean; distances reported as euclidean, not squared).
KnnGraph kd_tree_knn(const Matrix& data, int k, int n_threads);

}  // namespace recluster
