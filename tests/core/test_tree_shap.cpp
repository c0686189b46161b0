// TreeSHAP: the AND example by hand, agreement with brute-force Shapley values of the same (path-dependent)
// value function on small trees, and additivity on trained models.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "common/random.hpp"
#include "explain/booster.hpp"
#include "explain/tree_shap.hpp"

using namespace recluster;

namespace {
// E[f(x) | x_S]: features in S follow the row's branch, the others both branches weighted by cover.
double conditional_value(const RegressionTree& t, int node, const float* x, unsigned coalition) {
    const TreeNode& n = t.nodes[static_cast<std::size_t>(node)];
    if (n.is_leaf()) return n.value;
    if (coalition & (1u << n.feature)) {
        const float v = x[n.feature];
        const bool left = std::isnan(v) ? n.default_left : v < n.threshold;
        return conditional_value(t, left ? n.left : n.right, x, coalition);
    }
    const double cl = t.nodes[static_cast<std::size_t>(n.left)].cover, cr = t.nodes[static_cast<std::size_t>(n.right)].cover;
    return (cl * conditional_value(t, n.left, x, coalition) + cr * conditional_value(t, n.right, x, coalition)) / (cl + cr);
}

// Shapley values by enumerating every coalition (features < 16).
std::vector<double> brute_force_shap(const RegressionTree& t, const float* x, int m) {
    std::vector<double> phi(static_cast<std::size_t>(m) + 1, 0.0);
    std::vector<double> fact(static_cast<std::size_t>(m) + 1, 1.0);
    for (int i = 1; i <= m; ++i) fact[static_cast<std::size_t>(i)] = fact[static_cast<std::size_t>(i) - 1] * i;
    for (int i = 0; i < m; ++i)
        for (unsigned s = 0; s < (1u << m); ++s) {
            if (s & (1u << i)) continue;
            const int size = __builtin_popcount(s);
            const double w = fact[static_cast<std::size_t>(size)] * fact[static_cast<std::size_t>(m - size - 1)] / fact[static_cast<std::size_t>(m)];
            phi[static_cast<std::size_t>(i)] += w * (conditional_value(t, 0, x, s | (1u << i)) - conditional_value(t, 0, x, s));
        }
    phi[static_cast<std::size_t>(m)] = conditional_value(t, 0, x, 0);
    return phi;
}

RegressionTree and_tree() {
    // f = x0 AND x1 on the four equally likely inputs: root splits x0, its right child x1.
    RegressionTree t;
    t.nodes.resize(5);
    t.nodes[0] = TreeNode{1, 2, 0, 0.5f, 0, false, 0, 0, 4};
    t.nodes[1] = TreeNode{-1, -1, -1, 0, 0, false, 0.0f, 0, 2};
    t.nodes[2] = TreeNode{3, 4, 1, 0.5f, 0, false, 0, 0, 2};
    t.nodes[3] = TreeNode{-1, -1, -1, 0, 0, false, 0.0f, 0, 1};
    t.nodes[4] = TreeNode{-1, -1, -1, 0, 0, false, 1.0f, 0, 1};
    return t;
}
}  // namespace

TEST_CASE("TreeSHAP: the AND function by hand") {
    const RegressionTree t = and_tree();
    const float both[] = {1, 1}, none[] = {0, 0}, first[] = {1, 0};
    std::vector<double> phi(3, 0.0);
    tree_shap(t, both, 2, phi.data());
    // E f = 1/4; f(1,1) = 1; the two features share the 3/4 equally.
    CHECK(phi[2] == Approx(0.25));
    CHECK(phi[0] == Approx(0.375));
    CHECK(phi[1] == Approx(0.375));
    phi.assign(3, 0.0);
    tree_shap(t, none, 2, phi.data());
    CHECK(phi[0] == Approx(-0.125));
    CHECK(phi[1] == Approx(-0.125));
    phi.assign(3, 0.0);
    tree_shap(t, first, 2, phi.data());
    // v({}) = 1/4, v({0}) = 1/2, v({1}) = 0, v({0,1}) = 0: phi0 = (1/4 + 0)/2 = 1/8... computed exactly:
    // phi0 = 1/2 (v0 - v) + 1/2 (v01 - v1) = 1/2 (1/4) + 1/2 (0) = 1/8; phi1 = 1/2 (-1/4) + 1/2 (-1/2) = -3/8.
    CHECK(phi[0] == Approx(0.125));
    CHECK(phi[1] == Approx(-0.375));
}

TEST_CASE("TreeSHAP equals brute-force Shapley values on small trained trees (repeated features, missing values)") {
    const int m = 6;
    const std::size_t n = 600;
    Matrix x(n, m);
    std::vector<std::uint8_t> y(n);
    for (std::size_t i = 0; i < n; ++i) {
        RandomStream rng(5, i);
        for (int c = 0; c < m; ++c) x.at(i, static_cast<std::size_t>(c)) = rng.uniform();
        if (rng.uniform() < 0.1f) x.at(i, 3) = std::numeric_limits<float>::quiet_NaN();
        y[i] = (x.at(i, 0) + 0.5f * x.at(i, 1) * x.at(i, 1) > 0.7f) ? 1 : 0;
    }
    BoosterOptions o;
    o.max_depth = 5;  // deep enough that features repeat along paths
    o.n_rounds = 8;
    o.validation_fraction = 0;
    const BoosterModel model = train_booster(x, y, o);
    int repeats = 0;
    for (const auto& t : model.trees) {
        for (std::size_t r = 0; r < 40; ++r) {
            std::vector<double> fast(m + 1, 0.0);
            tree_shap(t, x.row(r), m, fast.data());
            const std::vector<double> slow = brute_force_shap(t, x.row(r), m);
            for (int i = 0; i <= m; ++i) REQUIRE(fast[static_cast<std::size_t>(i)] == Approx(slow[static_cast<std::size_t>(i)]).margin(1e-9));
        }
        // Count trees where a feature is split twice on one path (the unwind case is exercised).
        for (std::size_t i = 0; i < t.nodes.size(); ++i)
            for (std::size_t j = i + 1; j < t.nodes.size(); ++j)
                repeats += !t.nodes[i].is_leaf() && !t.nodes[j].is_leaf() && t.nodes[i].feature == t.nodes[j].feature;
    }
    CHECK(repeats > 0);
}

TEST_CASE("TreeSHAP: contributions plus bias add up to the margin") {
    const std::size_t n = 2000, m = 10;
    Matrix x(n, m);
    std::vector<std::uint8_t> y(n);
    for (std::size_t i = 0; i < n; ++i) {
        RandomStream rng(9, i);
        for (std::size_t c = 0; c < m; ++c) x.at(i, c) = rng.uniform() * 4 - 2;
        if (rng.uniform() < 0.05f) x.at(i, 4) = std::numeric_limits<float>::quiet_NaN();
        y[i] = x.at(i, 0) * x.at(i, 1) + x.at(i, 2) > 0 ? 1 : 0;
    }
    BoosterOptions o;
    o.n_threads = 2;
    const BoosterModel model = train_booster(x, y, o);
    for (std::size_t r = 0; r < n; r += 7) {
        const std::vector<double> phi = model_shap(model, x.row(r));
        double sum = 0;
        for (double v : phi) sum += v;
        REQUIRE(sum == Approx(model.margin(x.row(r))).margin(1e-5));
    }
}
