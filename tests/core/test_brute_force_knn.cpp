#include <catch2/catch.hpp>
#include <cmath>

#include "neighbors/brute_force_knn.hpp"

using namespace recluster;

TEST_CASE("brute force knn: hand-computed points on a line") {
    Matrix m(5, 1);
    m.data = {0, 1, 3, 6, 10};
    BruteForceOptions o;
    o.k = 2;
    auto g = brute_force_knn(m, o);
    REQUIRE(g.k == 2);
    // Row 0: neighbours 1 (d=1), 2 (d=3). Row 2: 1 (d=2), then 0 and 3 tie at d=3: the lower index wins.
    // Row 4: 3 (d=4), 2 (d=7).
    CHECK(g.index[0] == 1);
    CHECK(g.index[1] == 2);
    CHECK(g.distance[1] == 3.0f);
    CHECK(g.index[4] == 1);
    CHECK(g.index[5] == 0);
    CHECK(g.index[8] == 3);
    CHECK(g.distance[9] == 7.0f);
}

TEST_CASE("brute force knn: ties break by index, k is clamped to n-1") {
    Matrix m(4, 2);
    m.data = {0, 0, 1, 0, -1, 0, 0, 1};  // row 0 has three neighbours at distance 1
    BruteForceOptions o;
    o.k = 10;
    auto g = brute_force_knn(m, o);
    REQUIRE(g.k == 3);
    CHECK(g.index[0] == 1);
    CHECK(g.index[1] == 2);
    CHECK(g.index[2] == 3);
    CHECK(g.distance[0] == 1.0f);
}

TEST_CASE("brute force knn: cosine distance ignores length") {
    Matrix m(3, 2);
    m.data = {1, 0, 10, 1, 0, 5};
    BruteForceOptions o;
    o.k = 1;
    o.metric = Metric::Cosine;
    auto g = brute_force_knn(m, o);
    CHECK(g.index[0] == 1);
    CHECK(g.distance[0] == Approx(1.0 - 10.0 / std::sqrt(101.0)).margin(1e-6));
    CHECK(g.index[2] == 1);
}

TEST_CASE("brute force knn: correlation distance ignores offset and scale of a row") {
    Matrix m(3, 3);
    m.data = {1, 2, 3,     // rising
              10, 20, 30,  // rising, scaled: correlation 1 with row 0
              3, 2, 1.5f};
    BruteForceOptions o;
    o.k = 2;
    o.metric = Metric::Correlation;
    auto g = brute_force_knn(m, o);
    CHECK(g.index[0] == 1);
    CHECK(g.distance[0] == Approx(0.0).margin(1e-6));
    // Pearson r of (1,2,3) and (3,2,1.5): centred (-1,0,1) and (5/6,-1/6,-2/3)
    const double r = (-5.0 / 6 - 2.0 / 3) / (std::sqrt(2.0) * std::sqrt(25.0 / 36 + 1.0 / 36 + 4.0 / 9));
    CHECK(g.distance[1] == Approx(1.0 - r).margin(1e-6));
    o.metric = Metric::Cosine;  // cosine sees the offset: different numbers
    CHECK(brute_force_knn(m, o).distance[1] != Approx(1.0 - r).margin(1e-3));
}

TEST_CASE("brute force knn: same graph for 1, 2 and 3 threads") {
    Matrix m(700, 9);
    unsigned s = 3;
    for (auto& v : m.data) {
        s = s * 1664525u + 1013904223u;
        v = static_cast<float>(s >> 9) / 8388608.0f;
    }
    BruteForceOptions o;
    o.chunk_rows = 32;
    auto ref = brute_force_knn(m, o);
    for (int t : {2, 3}) {
        o.n_threads = t;
        auto g = brute_force_knn(m, o);
        CHECK(g.index == ref.index);
        CHECK(g.distance == ref.distance);
    }
    CHECK(knn_recall(ref, ref) == 1.0);
}

TEST_CASE("brute force knn: bad arguments throw") {
    Matrix one(1, 3);
    CHECK_THROWS_AS(brute_force_knn(one, {}), std::invalid_argument);
    BruteForceOptions o;
    o.k = 0;
    CHECK_THROWS_AS(brute_force_knn(Matrix(5, 2), o), std::invalid_argument);
}
