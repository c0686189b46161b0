#include "explain/tree_shap.hpp"

#include <algorithm>
#include <cmath>

namespace recluster {

namespace {

// One feature on the current root-to-node path, with the share of the coalitions without it (zero) and with it
// (one) that reach the node, and the path's permutation weight for coalitions of each size (weight).
struct PathElement {
    int feature = -1;
    double zero = 0, one = 0, weight = 0;
};

// Adds an element to the path of length `len` (so it becomes len + 1 long). The weights w[i] hold, for coalitions
// of i of the path's features, their summed Shapley permutation weight times the fraction of them that reach
// here; a new feature joins (share `one`) or stays out (share `zero`) of every coalition.
void extend(PathElement* path, int len, double zero, double one, int feature) {
    path[len] = PathElement{feature, zero, one, len == 0 ? 1.0 : 0.0};
    const double total = len + 1;
    for (int i = len - 1; i >= 0; --i) {
        path[i + 1].weight += one * path[i].weight * (i + 1) / total;
        path[i].weight = zero * path[i].weight * (len - i) / total;
    }
}

// Inverse of extend for the element at `index` of a path of length `len`: the weights the path had before that
// element was added (solved from the top weight down), then the element removed.
void unwind(PathElement* path, int len, int index) {
    const int last = len - 1;
    const double one = path[index].one, zero = path[index].zero;
    double carry = path[last].weight;
    for (int i = last - 1; i >= 0; --i) {
        if (one != 0) {
            const double before = path[i].weight;
            path[i].weight = carry * len / ((i + 1) * one);
            carry = before - path[i].weight * zero * (last - i) / len;
        } else {
            path[i].weight = path[i].weight * len / (zero * (last - i));
        }
    }
    for (int i = index; i < last; ++i) {
        path[i].feature = path[i + 1].feature;
        path[i].zero = path[i + 1].zero;
        path[i].one = path[i + 1].one;
    }
}

// Sum of the weights unwind(index) would leave, without changing the path.
double unwound_weight_sum(const PathElement* path, int len, int index) {
    const int last = len - 1;
    const double one = path[index].one, zero = path[index].zero;
    double carry = path[last].weight, total = 0;
    for (int i = last - 1; i >= 0; --i) {
        if (one != 0) {
            const double w = carry * len / ((i + 1) * one);
            total += w;
            carry = path[i].weight - w * zero * (last - i) / len;
        } else {
            total += path[i].weight * len / (zero * (last - i));
        }
    }
    return total;
}

struct ShapWalk {
    const RegressionTree& tree;
    const float* x;
    double* phi;
    std::vector<PathElement> buffer;  // each level's path copy follows its parent's

    // `path` holds `len` elements; the node is entered with the given zero / one shares for `feature`.
    void visit(int node, PathElement* path, int len, double zero, double one, int feature) {
        PathElement* mine = path + len;  // room for this level's copy right after the parent's elements
        std::copy(path, path + len, mine);
        extend(mine, len, zero, one, feature);
        ++len;
        const TreeNode& n = tree.nodes[static_cast<std::size_t>(node)];
        if (n.is_leaf()) {
            for (int i = 1; i < len; ++i) {  // element 0 is the root's placeholder
                const double w = unwound_weight_sum(mine, len, i);
                phi[mine[i].feature] += w * (mine[i].one - mine[i].zero) * n.value;
            }
            return;
        }
        const float v = x[n.feature];
        const bool left = !std::isfinite(v) ? n.default_left : v < n.threshold;
        const int hot = left ? n.left : n.right, cold = left ? n.right : n.left;
        double in_zero = 1, in_one = 1;
        // A feature split on again further down the path: undo its earlier entry and carry its shares on.
        for (int k = 1; k < len; ++k)
            if (mine[k].feature == n.feature) {
                in_zero = mine[k].zero;
                in_one = mine[k].one;
                unwind(mine, len, k);
                --len;
                break;
            }
        const double cover = n.cover;
        const double hot_share = cover > 0 ? tree.nodes[static_cast<std::size_t>(hot)].cover / cover : 0.0;
        const double cold_share = cover > 0 ? tree.nodes[static_cast<std::size_t>(cold)].cover / cover : 0.0;
        visit(hot, mine, len, in_zero * hot_share, in_one, n.feature);
        visit(cold, mine, len, in_zero * cold_share, 0.0, n.feature);
    }
};

double node_mean(const RegressionTree& tree, int node) {
    const TreeNode& n = tree.nodes[static_cast<std::size_t>(node)];
    if (n.is_leaf()) return n.value;
    const double cl = tree.nodes[static_cast<std::size_t>(n.left)].cover, cr = tree.nodes[static_cast<std::size_t>(n.right)].cover;
    const double total = cl + cr;
    if (!(total > 0)) return 0.5 * (node_mean(tree, n.left) + node_mean(tree, n.right));
    return (node_mean(tree, n.left) * cl + node_mean(tree, n.right) * cr) / total;
}

}  // namespace

double tree_expected_value(const RegressionTree& tree) { return tree.nodes.empty() ? 0.0 : node_mean(tree, 0); }

void tree_shap(const RegressionTree& tree, const float* x, std::size_t n_features, double* phi) {
    if (tree.nodes.empty()) return;
    phi[n_features] += tree_expected_value(tree);
    if (tree.nodes[0].is_leaf()) return;
    const int d = tree.depth() + 2;
    ShapWalk walk{tree, x, phi, std::vector<PathElement>(static_cast<std::size_t>(d * (d + 1) / 2 + d))};
    walk.visit(0, walk.buffer.data(), 0, 1.0, 1.0, -1);
}

std::vector<double> model_shap(const BoosterModel& model, const float* x) {
    std::vector<double> phi(model.n_features + 1, 0.0);
    phi[model.n_features] = model.base_margin();
    for (const auto& t : model.trees) tree_shap(t, x, model.n_features, phi.data());
    return phi;
}

}  // namespace recluster
