// Top-down prediction of hierarchical cluster paths from per-view models: the argmax cluster per level, descent
// into explained sub-views, noise below probability 0.5, confidence as the product along the path.
#include <catch2/catch.hpp>

#include <cmath>

#include "common/random.hpp"
#include "explain/path_predictor.hpp"
#include "stump_model.hpp"

using namespace recluster;
using recluster::testing::stump;

namespace {
double sigmoid(double m) { return 1 / (1 + std::exp(-m)); }
}  // namespace

TEST_CASE("path predictor: argmax per view, descent into explained views, noise, confidence") {
    PathPredictor p;
    // Top: cluster 0 when x0 < 0, cluster 1 when x0 >= 0 (each model says so with margin 3).
    p.add_view("", {0, 1}, {stump(0, 0.0f, 3.0f), stump(0, 0.0f, -3.0f)});
    // Inside cluster 1: sub-cluster 0 when x1 < 5, sub-cluster 1 otherwise.
    p.add_view("1", {0, 1}, {stump(1, 5.0f, 2.0f), stump(1, 5.0f, -2.0f)});
    const float a[] = {-1, 0}, b[] = {1, 2}, c[] = {1, 9};
    PathPrediction r = p.predict(a);
    CHECK(r.path == "0");  // cluster 0 was not zoomed into
    CHECK(r.confidence == Approx(sigmoid(3)));
    r = p.predict(b);
    CHECK(r.path == "1.0");
    CHECK(r.confidence == Approx(sigmoid(3) * sigmoid(2)));
    CHECK(r.probability == Approx(sigmoid(2)));
    r = p.predict(c);
    CHECK(r.path == "1.1");
    // A view whose models all say "not mine": noise at that level.
    PathPredictor q;
    q.add_view("", {0}, {stump(0, 0.0f, -1.0f)});  // p = sigmoid(-1) below x0 < 0, sigmoid(1) above
    const float left[] = {-1, 0}, right[] = {1, 0};
    CHECK(q.predict(left).path == "noise");
    CHECK(q.predict(left).confidence == Approx(1 - sigmoid(-1)));
    CHECK(q.predict(right).path == "0");
    CHECK_THROWS(q.add_view("", {0}, {stump(0, 0, 1)}));
}
