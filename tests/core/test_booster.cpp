// Histogram boosting: a hand-computed first tree, learning and held-out scores, missing values routed by the learned
// default side, raw-value and bin predictions agreeing, early stopping, and determinism across thread counts.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "common/random.hpp"
#include "explain/booster.hpp"
#include "explain/xgboost_json.hpp"

using namespace recluster;

namespace {
// Rows of `d` features; the label depends on features 0 and 1 (an interaction), the rest is noise.
Matrix synthetic(std::size_t n, std::size_t d, std::vector<std::uint8_t>& y, double missing = 0.0) {
    Matrix x(n, d);
    y.assign(n, 0);
    for (std::size_t i = 0; i < n; ++i) {
        RandomStream rng(7, i);
        for (std::size_t c = 0; c < d; ++c) x.at(i, c) = rng.uniform() * 2.0f - 1.0f;
        y[i] = (x.at(i, 0) > 0) != (x.at(i, 1) > 0.3f) ? 1 : 0;
        if (missing > 0 && rng.uniform() < missing) x.at(i, 2) = std::numeric_limits<float>::quiet_NaN();
    }
    return x;
}
}  // namespace

TEST_CASE("booster: the first tree of a tiny problem, by hand") {
    // x = 1, 2, 3, 4 with labels 0, 0, 1, 1; base score 0.5 gives g = p - y = +-0.5 and h = 0.25 per row.
    Matrix x(4, 1);
    for (int i = 0; i < 4; ++i) x.at(static_cast<std::size_t>(i), 0) = static_cast<float>(i + 1);
    BoosterOptions o;
    o.n_rounds = 1;
    o.max_depth = 1;
    o.min_child_weight = 0;
    o.validation_fraction = 0;
    BoosterReport report;
    const BoosterModel m = train_booster(x, {0, 0, 1, 1}, o, 255, &report);
    REQUIRE(m.trees.size() == 1);
    const auto& t = m.trees[0].nodes;
    REQUIRE(t.size() == 3);
    CHECK(t[0].feature == 0);
    CHECK(t[0].threshold == 3.0f);  // x < 3 goes left
    // gain = G_L^2/(H_L+1) + G_R^2/(H_R+1) - G^2/(H+1) = 1/1.5 + 1/1.5 - 0
    CHECK(t[0].gain == Approx(4.0 / 3.0).epsilon(1e-6));
    CHECK(t[1].value == Approx(0.3 * -1.0 / 1.5).epsilon(1e-6));  // eta * -G/(H+lambda)
    CHECK(t[2].value == Approx(0.3 * 1.0 / 1.5).epsilon(1e-6));
    CHECK(t[0].cover == Approx(1.0));
    CHECK(t[1].cover == Approx(0.5));
    CHECK(m.margin(x.row(0)) == Approx(-0.2).epsilon(1e-6));
    CHECK(m.margin(x.row(3)) == Approx(0.2).epsilon(1e-6));
}

TEST_CASE("booster: learns an interaction, held-out AUC and accuracy") {
    std::vector<std::uint8_t> y;
    const Matrix x = synthetic(4000, 8, y);
    BoosterOptions o;
    o.n_threads = 2;
    BoosterReport r;
    const BoosterModel m = train_booster(x, y, o, 255, &r);
    CHECK(r.validation_rows == 800);
    CHECK(r.train_rows == 3200);
    CHECK(r.validation_auc > 0.99);
    CHECK(r.validation_accuracy > 0.97);
    CHECK(r.rounds >= 1);
    CHECK(r.rounds <= r.rounds_run);
    // Splits only on the informative features at the top of the first tree.
    const int root = m.trees[0].nodes[0].feature;
    CHECK((root == 0 || root == 1));
}

TEST_CASE("booster: missing values follow the learned default side") {
    // Feature 2 is missing exactly on the positive rows of an otherwise noisy problem.
    const std::size_t n = 2000;
    Matrix x(n, 3);
    std::vector<std::uint8_t> y(n);
    for (std::size_t i = 0; i < n; ++i) {
        RandomStream rng(11, i);
        y[i] = rng.uniform() < 0.3f ? 1 : 0;
        x.at(i, 0) = rng.uniform();
        x.at(i, 1) = rng.uniform();
        x.at(i, 2) = y[i] ? std::numeric_limits<float>::quiet_NaN() : rng.uniform();
    }
    BoosterOptions o;
    BoosterReport r;
    const BoosterModel m = train_booster(x, y, o, 255, &r);
    CHECK(r.validation_auc > 0.999);
    const auto& root = m.trees[0].nodes[0];
    CHECK(root.feature == 2);
    // The missing rows (positives) go where the positive leaf is.
    const int missing_child = root.default_left ? root.left : root.right;
    CHECK(m.trees[0].nodes[static_cast<std::size_t>(missing_child)].value > 0);
}

TEST_CASE("booster: predictions from values and from bins agree, bit-identical for 1, 2 and 3 threads") {
    std::vector<std::uint8_t> y;
    const Matrix x = synthetic(3000, 12, y, 0.1);
    FeatureBinOptions bo;
    bo.max_bin = 64;
    const FeatureBins bins = make_feature_bins(x, bo);
    const BinnedMatrix binned = bin_matrix(x, bins, 1);
    std::string first;
    for (int threads : {1, 2, 3}) {
        BoosterOptions o;
        o.n_threads = threads;
        o.subsample = 0.8;
        o.colsample_bytree = 0.7;
        o.n_rounds = 30;
        BoosterJob job(bins, binned, y, o);
        while (job.step()) {
        }
        const std::string json = to_xgboost_json(job.model());
        if (threads == 1) first = json;
        CHECK(json == first);
        for (std::size_t r = 0; r < x.rows; ++r)
            for (const auto& t : job.model().trees) REQUIRE(t.leaf_of(x.row(r)) == t.leaf_of_bins(binned.row(r)));
    }
}

TEST_CASE("booster: early stopping keeps the best held-out round") {
    // Labels are coin flips: the held-out loss stops improving almost at once.
    const std::size_t n = 1000;
    Matrix x(n, 5);
    std::vector<std::uint8_t> y(n);
    for (std::size_t i = 0; i < n; ++i) {
        RandomStream rng(3, i);
        for (std::size_t c = 0; c < 5; ++c) x.at(i, c) = rng.uniform();
        y[i] = rng.uniform() < 0.5f ? 1 : 0;
    }
    BoosterOptions o;
    o.n_rounds = 200;
    o.early_stopping_rounds = 5;
    BoosterReport r;
    const BoosterModel m = train_booster(x, y, o, 255, &r);
    CHECK(r.rounds_run < 200);
    CHECK(r.rounds_run - r.rounds == 5);
    CHECK(static_cast<int>(m.trees.size()) == r.rounds);
    CHECK(r.validation_auc < 0.65);
}

TEST_CASE("booster: bad options and inputs are refused with a message") {
    BoosterOptions o;
    o.eta = 0;
    CHECK_THROWS_WITH(o.validate(), Catch::Contains("eta"));
    o = BoosterOptions{};
    o.max_depth = 0;
    CHECK_THROWS_WITH(o.validate(), Catch::Contains("max_depth"));
    Matrix x(1, 2);
    CHECK_THROWS(train_booster(x, {1}, BoosterOptions{}));
    CHECK(std::isnan(roc_auc({0.1, 0.2}, {1, 1})));
    CHECK(roc_auc({0.1, 0.2, 0.2, 0.9}, {0, 1, 0, 1}) == Approx(0.875));  // one tie counts one half
}
