// Single-linkage dendrogram from a minimum spanning tree: edges merged in edge_less order with union-find.
// Merge m creates node n + m joining nodes left[m] and right[m] (rows are nodes 0..n-1) at `distance`.
#pragma once
#include <cstddef>
#include <vector>

#include "cluster/mst.hpp"

namespace recluster {

struct Dendrogram {
    std::size_t n = 0;             // rows (leaves)
    std::vector<int> left, right;  // n - 1 merges
    std::vector<double> distance;  // merge distance (euclidean, not squared), non-decreasing
    std::vector<int> size;         // rows under the merged node
};

// `edges` must be a spanning tree of n rows sorted by edge_less.
Dendrogram single_linkage(const std::vector<MstEdge>& edges, std::size_t n);

}  // namespace recluster
