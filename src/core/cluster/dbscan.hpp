// DBSCAN (Ester et al. 1996) as scikit-learn defines it: a row is a core row when at least min_samples rows
// (itself included) lie within eps (euclidean); clusters are the core rows connected through eps-neighbourhoods
// plus the non-core rows within eps of them; the rest is noise (-1). Clusters grow from seeds in row order, so
// a border row near two clusters joins the one whose seed comes first — the same labels as scikit-learn's.
// Neighbourhoods come from a kd-tree for low-dimensional rows, else from brute force; both exact.
#pragma once
#include <cstddef>
#include <vector>

#include "common/matrix.hpp"

namespace recluster {

struct DbscanOptions {
    double eps = 0.5;
    int min_samples = 5;
    int n_threads = 1;
    std::size_t kd_tree_max_dim = 4;
    void validate() const;
};

struct DbscanResult {
    std::vector<int> labels;    // per row: cluster 0..k-1 (largest first), -1 = noise
    std::vector<bool> core;     // per row
    std::vector<int> sizes;     // per cluster
    std::size_t n_noise = 0;
};

DbscanResult dbscan(const Matrix& data, const DbscanOptions& options);

// Sorted distance of every row to its k-th nearest other row: the "k-distance" curve used to pick eps (its
// knee). Exact.
std::vector<float> k_distances(const Matrix& data, int k, int n_threads);

// The knee of a sorted k-distance curve: the value where the curve lies farthest below the straight line from
// its first to its last point (both axes scaled to [0, 1]) — a suggested eps. 0 for an empty curve.
float k_distance_knee(const std::vector<float>& sorted);

}  // namespace recluster
