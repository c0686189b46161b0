#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "common/random.hpp"
#include "metrics/dbcv.hpp"
#include "golden_io.hpp"

using namespace recluster;

namespace {

// Two clusters of three points on a line, {0,1,2} and {10,11,12} on the first axis of D dimensions, plus
// optional noise rows far away.
Matrix two_lines(std::size_t dims, std::size_t noise) {
    Matrix x(6 + noise, dims);
    const float at[] = {0, 1, 2, 10, 11, 12};
    for (std::size_t i = 0; i < 6; ++i) x.at(i, 0) = at[i];
    for (std::size_t i = 0; i < noise; ++i) x.at(6 + i, 0) = 100.0f * static_cast<float>(i + 1);
    return x;
}

}  // namespace

TEST_CASE("DBCV by hand: two 3-point clusters, with and without noise, small and large dimension") {
    for (std::size_t dims : {std::size_t{1}, std::size_t{2}, std::size_t{10}}) {
        INFO("dims " << dims);
        const double d = static_cast<double>(dims);
        // End points: neighbours at 1 and 2; middle point: two neighbours at 1.
        const double core_end = std::pow((1.0 + std::pow(2.0, -d)) / 2.0, -1.0 / d);
        // MST of each cluster: 0-1 and 1-2, each weighted max(core_end, core_mid = 1, 1) = core_end. Only the
        // middle point is internal, so there is no internal edge: sparseness is the largest edge.
        const double sparseness = core_end;
        const double separation = 10.0;  // middle points 1 and 11: max(1, 1, 10)
        const double v = (separation - sparseness) / separation;
        std::vector<int> labels = {0, 0, 0, 1, 1, 1};
        Dbcv r = dbcv(two_lines(dims, 0), labels);
        CHECK(r.score == Approx(v).epsilon(1e-9));
        CHECK(r.per_cluster.size() == 2);
        CHECK(r.per_cluster[0] == Approx(v));
        CHECK_FALSE(r.sampled);
        labels.push_back(-1);
        labels.push_back(-1);
        r = dbcv(two_lines(dims, 2), labels);  // noise counts in N: 6 of 8 rows are clustered
        CHECK(r.score == Approx(0.75 * v).epsilon(1e-9));
    }
}

TEST_CASE("DBCV ranks clusterings: true blobs high, a random split of them negative, sampling and threads") {
    const Matrix x = test::read_float_csv(RECLUSTER_TEST_DIR "/golden/hdbscan_blobs.csv");
    const std::vector<int> r_labels = test::int_column(test::read_golden(RECLUSTER_TEST_DIR "/golden/hdbscan_blobs_r.csv"), 1);
    REQUIRE(r_labels.size() == x.rows);
    const Dbcv good = dbcv(x, r_labels);
    CHECK(good.score > 0.3);
    std::vector<int> random(x.rows);
    RandomStream rng(5, 5);
    for (auto& l : random) l = static_cast<int>(rng.below(4));
    const Dbcv bad = dbcv(x, random);
    CHECK(bad.score < 0);
    CHECK(good.score > bad.score + 0.3);
    CHECK(std::isnan(good.per_cluster[0]));  // R's labels start at 1: no rows carry label 0
    for (std::size_t c = 1; c < good.per_cluster.size(); ++c) CHECK((good.per_cluster[c] >= -1 && good.per_cluster[c] <= 1));
    // Threads do not change it; a proportional sample estimates it.
    DbcvOptions o;
    o.n_threads = 3;
    CHECK(dbcv(x, r_labels, o).score == good.score);
    o.exact_max_rows = 600;
    const Dbcv sampled = dbcv(x, r_labels, o);
    CHECK(sampled.sampled);
    CHECK(sampled.rows_used < 700);
    CHECK(sampled.score == Approx(good.score).margin(0.1));
    // Fewer than two clusters: undefined.
    CHECK(std::isnan(dbcv(x, std::vector<int>(x.rows, 0)).score));
}
