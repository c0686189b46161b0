#include "cluster/condensed_tree.hpp"

#include <algorithm>
#include <stdexcept>

namespace recluster {

CondensedTree condense(const Dendrogram& d, int min_cluster_size, HdbscanRules rules) {
    const bool r_rules = rules == HdbscanRules::RDbscan;
    if (min_cluster_size < 2) throw std::invalid_argument("hdbscan: min_cluster_size must be >= 2");
    const std::size_t n = d.n;
    CondensedTree t;
    t.n_points = n;
    t.point_cluster.assign(n, 0);
    t.point_lambda.assign(n, 0.0);
    // Zero distances (duplicate rows) would give infinite lambdas: they get a finite lambda far above every
    // other one instead, so stabilities and probabilities stay finite.
    double min_positive = 0;
    for (double x : d.distance)
        if (x > 0 && (min_positive == 0 || x < min_positive)) min_positive = x;
    const double zero_lambda = min_positive > 0 ? 1e6 / min_positive : 1.0;
    const auto lambda_of = [&](double dist) { return dist > 0 ? 1.0 / dist : zero_lambda; };
    const auto size_of = [&](int node) { return node < static_cast<int>(n) ? 1 : d.size[static_cast<std::size_t>(node) - n]; };

    const auto new_cluster = [&](int parent_cluster, double birth, int size) {
        t.cluster_parent.push_back(parent_cluster);
        t.birth_lambda.push_back(birth);
        t.cluster_size.push_back(size);
        return static_cast<int>(t.cluster_parent.size() - 1);
    };
    const auto add_row = [&](int cluster, int child, double lambda, int size) {
        t.parent.push_back(cluster);
        t.child.push_back(child);
        t.lambda.push_back(lambda);
        t.child_size.push_back(size);
    };
    // R rules: the level of each row's first merge (where it stops being a single row).
    std::vector<double> first_merge(r_rules ? n : 0, 0.0);
    for (std::size_t m = 0; r_rules && m + 1 < n; ++m) {
        if (d.left[m] < static_cast<int>(n)) first_merge[static_cast<std::size_t>(d.left[m])] = lambda_of(d.distance[m]);
        if (d.right[m] < static_cast<int>(n)) first_merge[static_cast<std::size_t>(d.right[m])] = lambda_of(d.distance[m]);
    }
    // All rows under `node` fall out of `cluster` at `lambda` (R rules: each at its first merge, if later).
    std::vector<int> stack;
    const auto fall_out = [&](int node, int cluster, double lambda) {
        stack.assign(1, node);
        while (!stack.empty()) {
            const int x = stack.back();
            stack.pop_back();
            if (x < static_cast<int>(n)) {
                const double l = r_rules ? std::max(lambda, first_merge[static_cast<std::size_t>(x)]) : lambda;
                add_row(cluster, x, l, 1);
                t.point_cluster[static_cast<std::size_t>(x)] = cluster;
                t.point_lambda[static_cast<std::size_t>(x)] = l;
            } else {
                stack.push_back(d.right[static_cast<std::size_t>(x) - n]);
                stack.push_back(d.left[static_cast<std::size_t>(x) - n]);
            }
        }
    };

    const int root_node = static_cast<int>(2 * n - 2);
    new_cluster(-1, 0.0, static_cast<int>(n));
    if (n == 1) {
        add_row(0, 0, zero_lambda, 1);
        t.point_lambda[0] = zero_lambda;
    }
    // Depth-first over (dendrogram node, cluster it belongs to); a cluster's own rows continue down the larger
    // side of uneven splits.
    std::vector<std::pair<int, int>> work;
    if (n > 1) work.emplace_back(root_node, 0);
    // Campello rules: tied merge distances form one multi-way split — all dendrogram nodes directly below
    // `node` at the same distance are expanded, so the result does not depend on how ties were ordered
    // (HDBSCAN*'s definition: at each level every edge of that weight is removed at once). R rules: binary.
    std::vector<int> pieces, expand;
    while (!work.empty()) {
        auto [node, cluster] = work.back();
        work.pop_back();
        for (;;) {
            const double dist = d.distance[static_cast<std::size_t>(node) - n];
            const double lambda = lambda_of(dist);
            pieces.clear();
            expand.assign(1, node);
            while (!expand.empty()) {
                const int x = expand.back();
                expand.pop_back();
                if (x >= static_cast<int>(n) && (x == node || (!r_rules && d.distance[static_cast<std::size_t>(x) - n] == dist))) {
                    expand.push_back(d.right[static_cast<std::size_t>(x) - n]);
                    expand.push_back(d.left[static_cast<std::size_t>(x) - n]);
                } else {
                    pieces.push_back(x);
                }
            }
            int big = 0, last_big = -1;
            for (int x : pieces)
                if (size_of(x) >= min_cluster_size) {
                    ++big;
                    last_big = x;
                }
            if (big >= 2) {
                // Pushed in reverse so clusters are processed (and numbered below) in piece order.
                std::vector<std::pair<int, int>> born;
                for (int x : pieces) {
                    if (size_of(x) < min_cluster_size) {
                        fall_out(x, cluster, lambda);
                        continue;
                    }
                    const int c = new_cluster(cluster, lambda, size_of(x));
                    add_row(cluster, static_cast<int>(n) + c, lambda, size_of(x));
                    born.emplace_back(x, c);
                }
                for (auto it = born.rbegin(); it != born.rend(); ++it) work.push_back(*it);
                break;
            }
            for (int x : pieces)
                if (x != last_big) fall_out(x, cluster, lambda);
            if (big == 0) break;
            node = last_big;
            if (node < static_cast<int>(n)) {  // a single row kept as a cluster (min_cluster_size 1 is rejected)
                fall_out(node, cluster, lambda);
                break;
            }
        }
    }

    const std::size_t c = t.n_clusters();
    t.stability.assign(c, 0.0);
    t.max_lambda.assign(c, 0.0);
    t.has_children.assign(c, false);
    for (std::size_t i = 0; i < t.parent.size(); ++i) {
        const std::size_t p = static_cast<std::size_t>(t.parent[i]);
        t.stability[p] += (t.lambda[i] - t.birth_lambda[p]) * t.child_size[i];
        if (t.child[i] >= static_cast<int>(n)) t.has_children[p] = true;
        else t.max_lambda[p] = std::max(t.max_lambda[p], t.lambda[i]);
    }
    for (std::size_t k = c; k-- > 1;) {  // children after parents: propagate maxima upwards
        const std::size_t p = static_cast<std::size_t>(t.cluster_parent[k]);
        t.max_lambda[p] = std::max(t.max_lambda[p], t.max_lambda[k]);
    }
    return t;
}

std::vector<double> death_lambdas(const CondensedTree& t) {
    std::vector<double> death(t.max_lambda);
    for (std::size_t k = 1; k < t.n_clusters(); ++k) {
        const std::size_t p = static_cast<std::size_t>(t.cluster_parent[k]);
        death[p] = std::min(death[p], t.birth_lambda[k]);
    }
    return death;
}

}  // namespace recluster
