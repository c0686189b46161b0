// Density-Based Clustering Validation, DBCV (Moulavi, Jaskowiak, Campello, Zimek & Sander 2014): the
// validity index made for density clusterings (HDBSCAN, DBSCAN), in [-1, 1], higher is better.
//   all-points core distance of x in cluster C (d = columns, n_C = |C|):
//       core(x) = ( sum over y in C, y != x, dist(x, y) > 0, of dist(x, y)^-d / (n_C - 1) )^(-1/d)
//   mutual reachability: max(core(x), core(y), dist(x, y))
//   sparseness DSC(C): largest edge between internal vertices (degree > 1) of C's mutual-reachability MST
//   separation DSPC(C, C'): smallest mutual reachability between internal vertices of C and of C'
//   V(C) = (min over C' of DSPC - DSC) / max(min DSPC, DSC);  DBCV = sum over C of |C| / N * V(C)
// where N counts every row, noise included (noise lowers the index). Exact cost is quadratic in the clustered
// rows; above exact_max_rows each cluster is sampled in proportion (seeded), weights still use full sizes.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "common/matrix.hpp"

namespace recluster {

struct DbcvOptions {
    std::size_t exact_max_rows = 6000;
    std::uint64_t seed = 42;
    int n_threads = 1;
};

struct Dbcv {
    double score = 0;                 // NaN with fewer than 2 clusters
    std::vector<double> per_cluster;  // V(C) per label 0..max (NaN for labels with no rows)
    std::size_t rows_used = 0;
    bool sampled = false;
};

Dbcv dbcv(const Matrix& x, const std::vector<int>& labels, const DbcvOptions& options = {});

}  // namespace recluster
