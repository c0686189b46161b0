// Condensed cluster tree (Campello, Moulavi & Sander 2013; McInnes & Healy 2017): the dendrogram walked from
// the top in lambda = 1 / distance; a split where both sides have at least min_cluster_size rows gives birth
// to two child clusters, otherwise the smaller side's rows fall out of the current cluster. Cluster 0 is the
// root; children always have larger ids than their parent. Each cluster's stability is
// sum over its rows and child clusters of (lambda at which they leave - lambda at which the cluster was born) * size.
#pragma once
#include <cstddef>
#include <vector>

#include "cluster/single_linkage.hpp"

namespace recluster {

struct CondensedTree {
    std::size_t n_points = 0;
    // One row per point leaving a cluster and per child cluster born: parent cluster, child (a point index
    // < n_points, or n_points + cluster id), lambda, number of rows in the child.
    std::vector<int> parent, child, child_size;
    std::vector<double> lambda;
    // Per cluster.
    std::vector<int> cluster_parent;        // -1 for the root
    std::vector<double> birth_lambda;       // lambda at which the cluster appeared (0 for the root)
    std::vector<int> cluster_size;          // rows
    std::vector<double> stability;
    std::vector<double> max_lambda;         // largest lambda of any row in the cluster's subtree
    std::vector<bool> has_children;         // splits into child clusters
    // Per point: the cluster it fell out of last and the lambda at which it did.
    std::vector<int> point_cluster;
    std::vector<double> point_lambda;

    std::size_t n_clusters() const { return cluster_parent.size(); }
};

// Two readings of the condensed tree:
//   Campello: HDBSCAN* as defined by Campello et al. 2013/2015 — all merges at one tied height form one
//             multi-way split (the result does not depend on tie order), and when a group smaller than
//             min_cluster_size splits off, its rows leave the cluster at that split (as Python's hdbscan).
//   RDbscan:  R dbscan 1.1's rules — binary splits in merge order, and the rows of a small group that split off
//             stay counted in the cluster until each one's own first merge (its lambda as a single row).
//             Labels then match R's dbscan::hdbscan up to the order of tied merges.
enum class HdbscanRules { Campello, RDbscan };

// Where each cluster ends: the lambda at which its children are born, else the largest lambda of its rows.
std::vector<double> death_lambdas(const CondensedTree& tree);

CondensedTree condense(const Dendrogram& dendrogram, int min_cluster_size,
                       HdbscanRules rules = HdbscanRules::Campello);

}  // namespace recluster
