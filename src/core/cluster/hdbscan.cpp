#include "cluster/hdbscan.hpp"

#include <algorithm>
#include <numeric>
#include <stdexcept>

#include "cluster/r_dbscan_tree.hpp"

namespace recluster {

void HdbscanOptions::validate() const {
    if (min_cluster_size < 2) throw std::invalid_argument("hdbscan: min_cluster_size must be >= 2");
    if (!(cluster_selection_epsilon >= 0)) throw std::invalid_argument("hdbscan: cluster_selection_epsilon must be >= 0");
    if (max_cluster_size < 0) throw std::invalid_argument("hdbscan: max_cluster_size must be >= 0 (0 = no limit)");
}

HdbscanTree build_hdbscan_tree(const Matrix& data, const MstOptions& options) {
    if (options.method == MstMethod::PrimRDbscan) return build_r_dbscan_tree(data, options);
    HdbscanTree t;
    t.mst = mutual_reachability_mst(data, options);
    t.dendrogram = single_linkage(t.mst.edges, data.rows);
    return t;
}

namespace {

// Clears the selection of every cluster that has a selected ancestor (children have larger ids).
void keep_outermost(const CondensedTree& t, std::vector<bool>& selected) {
    std::vector<bool> covered(t.n_clusters(), false);
    for (std::size_t c = 1; c < t.n_clusters(); ++c) {
        const std::size_t p = static_cast<std::size_t>(t.cluster_parent[c]);
        covered[c] = covered[p] || selected[p];
        if (covered[c]) selected[c] = false;
    }
}

std::vector<bool> select_eom(const CondensedTree& t, const HdbscanOptions& o) {
    const std::size_t c_count = t.n_clusters();
    std::vector<bool> selected(c_count, false);
    std::vector<double> child_sum(c_count, 0.0);
    for (std::size_t c = c_count; c-- > 0;) {
        if (c == 0 && !o.allow_single_cluster) break;
        const bool too_big = o.max_cluster_size > 0 && t.cluster_size[c] > o.max_cluster_size;
        double propagated = child_sum[c];
        // A cluster wins when its own stability is at least the best its descendants can offer (a leaf's is
        // never negative: its rows leave at or after its birth).
        if (!too_big && t.stability[c] >= child_sum[c]) {
            selected[c] = true;
            propagated = t.stability[c];
        }
        if (c > 0) child_sum[static_cast<std::size_t>(t.cluster_parent[c])] += propagated;
    }
    keep_outermost(t, selected);
    return selected;
}

std::vector<bool> select_leaves(const CondensedTree& t, const HdbscanOptions& o) {
    std::vector<bool> selected(t.n_clusters(), false);
    for (std::size_t c = 0; c < t.n_clusters(); ++c)
        if (!t.has_children[c] && (c != 0 || o.allow_single_cluster)) selected[c] = true;
    return selected;
}

// cluster_selection_epsilon: a selected cluster born below epsilon is replaced by its nearest ancestor born
// above it (the root only when a single cluster is allowed).
void apply_epsilon(const CondensedTree& t, const HdbscanOptions& o, std::vector<bool>& selected) {
    const double eps = o.cluster_selection_epsilon;
    std::vector<bool> out(t.n_clusters(), false);
    for (std::size_t c = 0; c < t.n_clusters(); ++c) {
        if (!selected[c]) continue;
        std::size_t x = c;
        if (c != 0 && 1.0 / t.birth_lambda[c] < eps) {
            for (;;) {
                const std::size_t p = static_cast<std::size_t>(t.cluster_parent[x]);
                if (p == 0) {
                    if (o.allow_single_cluster) x = 0;
                    break;
                }
                x = p;
                if (1.0 / t.birth_lambda[p] > eps) break;
            }
        }
        out[x] = true;
    }
    keep_outermost(t, out);
    selected = out;
}

}  // namespace

HdbscanResult extract_clusters(const HdbscanTree& tree, const HdbscanOptions& options) {
    options.validate();
    HdbscanResult r;
    r.tree = condense(tree.dendrogram, options.min_cluster_size, options.rules);
    const CondensedTree& t = r.tree;
    const std::size_t n = t.n_points, c_count = t.n_clusters();
    r.selected = options.selection == ClusterSelection::Leaf ? select_leaves(t, options) : select_eom(t, options);
    if (options.cluster_selection_epsilon > 0) apply_epsilon(t, options, r.selected);

    // Output ids: selected clusters by size (largest first), ties by tree id.
    std::vector<int> chosen;
    for (std::size_t c = 0; c < c_count; ++c)
        if (r.selected[c]) chosen.push_back(static_cast<int>(c));
    std::stable_sort(chosen.begin(), chosen.end(), [&](int a, int b) {
        return t.cluster_size[static_cast<std::size_t>(a)] > t.cluster_size[static_cast<std::size_t>(b)];
    });
    std::vector<int> out_id(c_count, -1);
    for (std::size_t k = 0; k < chosen.size(); ++k) out_id[static_cast<std::size_t>(chosen[k])] = static_cast<int>(k);
    // The selected cluster containing each tree cluster (-1 if none), top-down.
    std::vector<int> owner(c_count, -1);
    for (std::size_t c = 0; c < c_count; ++c) {
        if (r.selected[c]) owner[c] = static_cast<int>(c);
        else if (c > 0) owner[c] = owner[static_cast<std::size_t>(t.cluster_parent[c])];
    }

    r.labels.assign(n, -1);
    r.probabilities.assign(n, 0.0f);
    r.outlier_scores.assign(n, 0.0f);
    r.sizes.assign(chosen.size(), 0);
    for (std::size_t p = 0; p < n; ++p) {
        const std::size_t home = static_cast<std::size_t>(t.point_cluster[p]);
        const double lp = t.point_lambda[p];
        const double ml_home = t.max_lambda[home];
        r.outlier_scores[p] = ml_home > 0 ? static_cast<float>((ml_home - std::min(lp, ml_home)) / ml_home) : 0.0f;
        const int s = owner[home];
        if (s < 0) {
            ++r.n_noise;
            continue;
        }
        const int id = out_id[static_cast<std::size_t>(s)];
        r.labels[p] = id;
        ++r.sizes[static_cast<std::size_t>(id)];
        const double ml = t.max_lambda[static_cast<std::size_t>(s)];
        r.probabilities[p] = ml > 0 ? static_cast<float>(std::min(lp, ml) / ml) : 1.0f;
    }
    for (int c : chosen) {
        const std::size_t cc = static_cast<std::size_t>(c);
        r.tree_cluster.push_back(c);
        r.stability.push_back(t.stability[cc]);
        const double ml = t.max_lambda[cc];
        r.persistence.push_back(ml > 0 ? (ml - t.birth_lambda[cc]) / ml : 0.0);
    }
    return r;
}

std::vector<int> output_cluster_of_tree(const std::vector<int>& tree_cluster, std::size_t n_tree_clusters) {
    std::vector<int> out(n_tree_clusters, -1);
    for (std::size_t o = 0; o < tree_cluster.size(); ++o)
        if (tree_cluster[o] >= 0) out[static_cast<std::size_t>(tree_cluster[o])] = static_cast<int>(o);
    return out;
}

}  // namespace recluster
