// Minimum spanning tree of the mutual-reachability graph, HDBSCAN's front half:
//   core(i)   = distance from row i to its min_samples-th nearest row, counting i itself (min_samples = 1: 0)
//   mreach(i,j) = max(core(i), core(j), |x_i - x_j|)
// Two algorithms give the same tree (a test asserts it): Prim on dense distances, O(n^2 d) time and O(n)
// memory, for higher-dimensional rows; Borůvka over a kd-tree for low-dimensional rows such as a 2-D
// embedding. Edges are totally ordered by (weight, smaller row, larger row), so the tree is unique even with
// tied distances, and every build (any thread count, native or WASM) returns it bit for bit.
#pragma once
#include <cstddef>
#include <vector>

#include "common/matrix.hpp"

namespace recluster {

struct MstEdge {
    int u = 0, v = 0;  // u < v
    float w = 0;       // squared mutual-reachability distance
};

// The edge order used everywhere: weight, then smaller endpoint, then larger endpoint.
inline bool edge_less(const MstEdge& a, const MstEdge& b) {
    if (a.w != b.w) return a.w < b.w;
    if (a.u != b.u) return a.u < b.u;
    return a.v < b.v;
}

// PrimRDbscan: R dbscan's tree (cluster/r_dbscan_tree.hpp), built by build_hdbscan_tree only.
enum class MstMethod { Auto, Prim, Boruvka, PrimRDbscan };

struct MstOptions {
    // Neighbourhood size of the core distance, counting the row itself (hdbscan's min_samples, R's minPts).
    int min_samples = 5;
    // Auto: Borůvka for rows of at most boruvka_max_dim columns, else Prim.
    MstMethod method = MstMethod::Auto;
    std::size_t boruvka_max_dim = 4;
    int n_threads = 1;
    void validate() const;
};

struct MutualReachabilityMst {
    std::vector<float> core_sq;  // squared core distance per row
    std::vector<MstEdge> edges;  // n - 1 edges in edge_less order
    MstMethod method = MstMethod::Prim;  // the algorithm that ran
};

// Squared core distances (exact), by kd-tree for low dimensions, else by brute force.
std::vector<float> core_sq_distances(const Matrix& data, int min_samples, int n_threads, bool use_kd_tree);

MutualReachabilityMst mutual_reachability_mst(const Matrix& data, const MstOptions& options);

}  // namespace recluster
