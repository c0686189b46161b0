// A regression tree of a boosted model, in the layout XGBoost's JSON model uses: node 0 is the root, a split sends
// a row left when its value is below the threshold (or, when missing, to the default side). Prediction is
// O(depth) per row; the same tree predicts from raw values and from bin indices (bin <= split_bin <=> x < threshold).
#pragma once
#include <cmath>
#include <cstdint>
#include <vector>

#include "explain/feature_bins.hpp"

namespace recluster {

struct TreeNode {
    int left = -1, right = -1;  // children; -1 for a leaf
    int feature = -1;           // split feature (internal nodes)
    float threshold = 0;        // x < threshold goes left
    int split_bin = 0;          // the same rule on bin indices: bin <= split_bin goes left
    bool default_left = false;  // where missing values go
    float value = 0;            // leaf: its contribution to the margin (learning rate applied); internal: the same
                                // weight had the node been a leaf
    float gain = 0;             // loss reduction of the split (0 for leaves)
    float cover = 0;            // sum of the hessians of the training rows that reached the node
    bool is_leaf() const { return left < 0; }
};

struct RegressionTree {
    std::vector<TreeNode> nodes;
    int depth() const;
    // The leaf a row reaches; x points at the row's features (NaN and +-Inf = missing, as in the bins).
    int leaf_of(const float* x) const {
        int i = 0;
        while (!nodes[i].is_leaf()) {
            const TreeNode& n = nodes[i];
            const float v = x[n.feature];
            i = !std::isfinite(v) ? (n.default_left ? n.left : n.right) : (v < n.threshold ? n.left : n.right);
        }
        return i;
    }
    int leaf_of_bins(const std::uint8_t* bins) const {
        int i = 0;
        while (!nodes[i].is_leaf()) {
            const TreeNode& n = nodes[i];
            const std::uint8_t b = bins[n.feature];
            i = b == kMissingBin ? (n.default_left ? n.left : n.right) : (b <= n.split_bin ? n.left : n.right);
        }
        return i;
    }
    float predict(const float* x) const { return nodes[leaf_of(x)].value; }
};

}  // namespace recluster
