// HDBSCAN (Campello, Moulavi & Sander 2013; McInnes, Healy & Astels 2017), exact, in two halves:
//   front: build_hdbscan_tree()  core distances -> mutual-reachability MST -> single-linkage dendrogram
//   back:  extract_clusters()    condensed tree (min_cluster_size) -> selection -> labels, probabilities,
//                                GLOSH outlier scores, per-cluster stability and persistence
// Moving only the back half's options (min_cluster_size, selection method, epsilon, ...) re-labels in O(n)
// without recomputing the tree. Everything is deterministic: same rows + options => same labels in any build.
#pragma once
#include <cstddef>
#include <vector>

#include "cluster/condensed_tree.hpp"
#include "cluster/mst.hpp"
#include "cluster/single_linkage.hpp"
#include "common/matrix.hpp"

namespace recluster {

struct HdbscanTree {
    MutualReachabilityMst mst;
    Dendrogram dendrogram;
};

HdbscanTree build_hdbscan_tree(const Matrix& data, const MstOptions& options);

enum class ClusterSelection { ExcessOfMass, Leaf };

struct HdbscanOptions {
    // Smallest group of rows that counts as a cluster.
    int min_cluster_size = 5;
    ClusterSelection selection = ClusterSelection::ExcessOfMass;
    // Clusters born below this distance are merged into the ancestor born above it (0 = off).
    double cluster_selection_epsilon = 0.0;
    // Let the root (all rows) be selected as the one cluster.
    bool allow_single_cluster = false;
    // Clusters with more rows are never selected (their children are); 0 = no limit. Excess of mass only.
    int max_cluster_size = 0;
    // Condensed-tree rules (see HdbscanRules): HDBSCAN* as published, or R dbscan's.
    HdbscanRules rules = HdbscanRules::Campello;
    void validate() const;
};

struct HdbscanResult {
    std::vector<int> labels;            // per row: cluster 0..k-1 (largest first), -1 = noise
    std::vector<float> probabilities;   // per row: strength of membership in its cluster, 0 for noise
    std::vector<float> outlier_scores;  // per row: GLOSH score in [0, 1]
    // Per output cluster.
    std::vector<int> sizes;
    std::vector<double> stability;      // excess of mass of the selected cluster
    std::vector<double> persistence;    // (max lambda - birth lambda) / max lambda, in [0, 1]
    std::vector<int> tree_cluster;      // its id in the condensed tree
    std::size_t n_noise = 0;
    CondensedTree tree;
    std::vector<bool> selected;         // per condensed-tree cluster
    int n_clusters() const { return static_cast<int>(sizes.size()); }
};

HdbscanResult extract_clusters(const HdbscanTree& tree, const HdbscanOptions& options);

// The inverse of HdbscanResult::tree_cluster: per condensed-tree cluster, the output cluster it became (-1 if none).
std::vector<int> output_cluster_of_tree(const std::vector<int>& tree_cluster, std::size_t n_tree_clusters);

}  // namespace recluster
