// A one-split boosted model for tests of what consumes models (path prediction, row assignment): its margin is
// `margin` when feature f < t and -margin otherwise.
#pragma once
#include "explain/booster.hpp"

namespace recluster::testing {

inline BoosterModel stump(int f, float t, float margin, std::size_t n_features = 2) {
    BoosterModel m;
    m.n_features = n_features;
    RegressionTree tree;
    tree.nodes.resize(3);
    tree.nodes[0] = TreeNode{1, 2, f, t, 0, false, 0, 1, 2};
    tree.nodes[1] = TreeNode{-1, -1, -1, 0, 0, false, margin, 0, 1};
    tree.nodes[2] = TreeNode{-1, -1, -1, 0, 0, false, -margin, 0, 1};
    m.trees.push_back(tree);
    return m;
}

}  // namespace recluster::testing
