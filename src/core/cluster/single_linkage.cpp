#include "cluster/single_linkage.hpp"

#include <cmath>
#include <numeric>
#include <stdexcept>

#include "common/union_find.hpp"

namespace recluster {

Dendrogram single_linkage(const std::vector<MstEdge>& edges, std::size_t n) {
    if (n == 0 || edges.size() + 1 != n) throw std::invalid_argument("single linkage: need n - 1 edges");
    Dendrogram d;
    d.n = n;
    d.left.reserve(n - 1);
    d.right.reserve(n - 1);
    d.distance.reserve(n - 1);
    d.size.reserve(n - 1);
    // Each set's root remembers the dendrogram node that currently represents the set.
    UnionFind uf(n);
    std::vector<int> node(n), count(n, 1);
    std::iota(node.begin(), node.end(), 0);
    for (const MstEdge& e : edges) {
        const int a = uf.find(e.u), b = uf.find(e.v);
        if (a == b) throw std::invalid_argument("single linkage: the edges contain a cycle");
        const int lo = a < b ? a : b, hi = a < b ? b : a;
        d.left.push_back(node[static_cast<std::size_t>(lo)]);
        d.right.push_back(node[static_cast<std::size_t>(hi)]);
        d.distance.push_back(std::sqrt(static_cast<double>(e.w)));
        const int merged = count[static_cast<std::size_t>(a)] + count[static_cast<std::size_t>(b)];
        d.size.push_back(merged);
        uf.unite(a, b);  // lo stays the root
        count[static_cast<std::size_t>(lo)] = merged;
        node[static_cast<std::size_t>(lo)] = static_cast<int>(n + d.left.size() - 1);
    }
    return d;
}

}  // namespace recluster
