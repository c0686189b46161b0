// UMAP's fuzzy simplicial set (McInnes, Healy & Melville 2018, section 3): per row, rho (distance to the
// nearest neighbour, for local connectivity) and sigma (found by binary search so the memberships sum to
// log2(n_neighbors) * bandwidth), memberships exp(-(d - rho) / sigma), then the fuzzy union of the directed
// graph with its transpose. O(n k log k). Output: a symmetric sparse graph in CSR form.
#pragma once
#include <cstddef>
#include <vector>

#include "neighbors/knn_graph.hpp"

namespace recluster {

struct FuzzyGraphOptions {
    // Nearest neighbours taken as locally connected (1 = the nearest is at membership 1). Larger = more
    // connected, less local. Fractional values interpolate.
    float local_connectivity = 1.0f;
    // Scales the target sum log2(n_neighbors); larger = wider kernels.
    float bandwidth = 1.0f;
    // 1 = fuzzy union (default), 0 = fuzzy intersection of the directed graph and its transpose.
    float set_op_mix_ratio = 1.0f;
    // The neighbourhood size the user asked for, self included (umap-learn's n_neighbors); 0 = knn.k + 1.
    int n_neighbors = 0;
    // Threads for the per-row kernels (the graph does not depend on it); rows per parallel chunk.
    int n_threads = 1;
    std::size_t chunk_rows = 1024;
    void validate() const;
};

struct SparseGraph {
    std::size_t n = 0;
    std::vector<std::size_t> row_ptr;  // n + 1 offsets into col / weight
    std::vector<int> col;              // ascending within each row
    std::vector<float> weight;         // in (0, 1]
    std::size_t edges() const { return col.size(); }
};

struct FuzzyGraphResult {
    SparseGraph graph;
    std::vector<float> rho, sigma;  // per row, for diagnostics and tests
};

FuzzyGraphResult fuzzy_graph(const KnnGraph& knn, const FuzzyGraphOptions& options = {});

}  // namespace recluster
