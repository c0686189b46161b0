// Exact TreeSHAP (Lundberg, Erion and Lee 2018, "Consistent individualized feature attribution for tree
// ensembles", Algorithm 2, path-dependent): the Shapley values of one row for one tree, where a feature outside the
// coalition follows both branches weighted by the training cover. O(leaves x depth^2) per row and tree.
// The contributions plus the tree's expected value sum to the tree's prediction for the row.
#pragma once
#include <cstddef>
#include <vector>

#include "explain/booster.hpp"
#include "explain/regression_tree.hpp"

namespace recluster {

// Adds the row's SHAP values for `tree` to phi[0 .. n_features) and the tree's expected value (its leaves
// averaged by cover) to phi[n_features]. x: the row's features (NaN = missing).
void tree_shap(const RegressionTree& tree, const float* x, std::size_t n_features, double* phi);

// The expected value of a tree: its leaf values averaged by training cover.
double tree_expected_value(const RegressionTree& tree);

// SHAP values of a row for a whole model (n_features + 1 entries, the last being the bias: base margin + the
// trees' expected values), as XGBoost's predict(pred_contribs=True) defines them. Their sum is the margin.
std::vector<double> model_shap(const BoosterModel& model, const float* x);

}  // namespace recluster
