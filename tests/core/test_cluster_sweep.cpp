#include <catch2/catch.hpp>
#include <cmath>
#include <memory>
#include <nlohmann/json.hpp>

#include "cluster/kmeans.hpp"
#include "cluster/sweep.hpp"
#include "golden_io.hpp"

using namespace recluster;

TEST_CASE("k sweep: one k per step, inertia falls, the silhouette peaks at the blobs' k, equals single runs") {
    auto x = std::make_shared<const Matrix>(test::read_float_csv(RECLUSTER_TEST_DIR "/golden/hdbscan_blobs.csv"));
    SweepOptions o;
    o.k_min = 2;
    o.k_max = 7;
    o.silhouette_rows = 500;
    ClusterSweep sweep(x, o);
    int steps = 0;
    while (sweep.step()) ++steps;
    CHECK(steps == 5);  // six values of k; the last step reports that nothing is left
    REQUIRE(sweep.points().size() == 6);
    CHECK(sweep.progress() == Approx(1.0));
    for (std::size_t i = 1; i < sweep.points().size(); ++i) CHECK(sweep.points()[i].inertia < sweep.points()[i - 1].inertia);
    CHECK(std::isnan(sweep.points()[0].bic));
    KMeansOptions ko;
    ko.k = 4;
    CHECK(sweep.points()[2].inertia == kmeans(*x, ko).inertia);
    const auto j = nlohmann::json::parse(sweep.result_json());
    CHECK(j["silhouette_rows"] == 500);
    CHECK(j["points"].size() == 6);
    CHECK(j["points"][0]["bic"].is_null());
    CHECK(j["best_k"] == sweep.best_k());
    CHECK(sweep.best_k() >= 3);
    CHECK(sweep.best_k() <= 5);
}

TEST_CASE("mixture sweep: BIC per k, best = lowest, options are checked") {
    auto x = std::make_shared<const Matrix>(test::read_float_csv(RECLUSTER_TEST_DIR "/golden/hdbscan_blobs.csv"));
    SweepOptions o;
    o.method = "gmm";
    o.k_min = 1;
    o.k_max = 6;
    ClusterSweep sweep(x, o);
    while (sweep.step()) {
    }
    REQUIRE(sweep.points().size() == 6);
    int lowest = 0;
    for (std::size_t i = 0; i < 6; ++i)
        if (sweep.points()[i].bic < sweep.points()[static_cast<std::size_t>(lowest)].bic) lowest = static_cast<int>(i);
    CHECK(sweep.best_k() == lowest + 1);
    CHECK(std::isnan(sweep.points()[0].silhouette));  // one cluster has no silhouette
    CHECK(std::isnan(sweep.points()[1].inertia));
    o.k_max = 2000;
    CHECK_THROWS_WITH(ClusterSweep(x, o), Catch::Contains("at most 50"));
    o.k_min = 3;
    o.k_max = 2;
    CHECK_THROWS_WITH(ClusterSweep(x, o), Catch::Contains("k_min <= k_max"));
    o.method = "spectral";
    CHECK_THROWS(ClusterSweep(x, o));
}
