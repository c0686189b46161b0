#include <catch2/catch.hpp>
#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "io/csv_reader.hpp"
#include "metrics/internal_validity.hpp"
#include "metrics/partition_agreement.hpp"
#include "golden_io.hpp"

using namespace recluster;

namespace {

struct Golden {
    double silhouette, davies_bouldin, calinski_harabasz;
};

Golden sklearn_values(const std::string& name) {
    std::ifstream f(RECLUSTER_TEST_DIR "/golden/metrics_sklearn.csv");
    REQUIRE(f);
    std::string line;
    while (std::getline(f, line)) {
        if (line.rfind(name + ",", 0) != 0) continue;
        std::stringstream ss(line);
        std::string cell;
        std::vector<std::string> cells;
        while (std::getline(ss, cell, ',')) cells.push_back(cell);
        return {std::stod(cells[2]), std::stod(cells[3]), std::stod(cells[4])};
    }
    FAIL("no golden row " << name);
    return {};
}

}  // namespace

TEST_CASE("silhouette, Davies-Bouldin and Calinski-Harabasz equal scikit-learn's (noise left out)") {
    const Matrix blobs = test::read_float_csv(RECLUSTER_TEST_DIR "/golden/hdbscan_blobs.csv");
    const std::vector<int> r10 = test::int_column(test::read_golden(RECLUSTER_TEST_DIR "/golden/hdbscan_blobs_r.csv"), 1);
    const Golden gb = sklearn_values("blobs");
    const Silhouette sb = silhouette(blobs, r10);
    CHECK_FALSE(sb.sampled);
    CHECK(sb.mean == Approx(gb.silhouette).epsilon(1e-5));
    CHECK(davies_bouldin(blobs, r10) == Approx(gb.davies_bouldin).epsilon(1e-6));
    CHECK(calinski_harabasz(blobs, r10) == Approx(gb.calinski_harabasz).epsilon(1e-6));

    const Matrix wine = test::read_float_csv(RECLUSTER_TEST_DIR "/golden/hdbscan_wine.csv");
    auto d = read_csv_file(RECLUSTER_TEST_DIR "/data/wine.csv");
    REQUIRE(d.ok());
    std::vector<int> classes;
    for (const auto& t : d->columns.back().text) classes.push_back(t.back() - '0');
    const Golden gw = sklearn_values("wine");
    CHECK(silhouette(wine, classes).mean == Approx(gw.silhouette).epsilon(1e-5));
    CHECK(davies_bouldin(wine, classes) == Approx(gw.davies_bouldin).epsilon(1e-6));
    CHECK(calinski_harabasz(wine, classes) == Approx(gw.calinski_harabasz).epsilon(1e-6));
}

TEST_CASE("sampled silhouette: close to exact, deterministic for any thread count, undefined cases are NaN") {
    const Matrix blobs = test::read_float_csv(RECLUSTER_TEST_DIR "/golden/hdbscan_blobs.csv");
    const std::vector<int> r10 = test::int_column(test::read_golden(RECLUSTER_TEST_DIR "/golden/hdbscan_blobs_r.csv"), 1);
    SilhouetteOptions o;
    o.exact_max_rows = 200;
    o.sample_size = 300;
    o.n_threads = 1;
    const Silhouette one = silhouette(blobs, r10, o);
    CHECK(one.sampled);
    CHECK(one.rows_used == 300);
    o.n_threads = 3;
    CHECK(silhouette(blobs, r10, o).mean == one.mean);
    CHECK(one.mean == Approx(silhouette(blobs, r10).mean).margin(0.03));
    const std::vector<int> single(blobs.rows, 0);
    CHECK(std::isnan(silhouette(blobs, single).mean));
    CHECK(std::isnan(davies_bouldin(blobs, single)));
    CHECK(std::isnan(calinski_harabasz(blobs, single)));
    CHECK_THROWS_AS(davies_bouldin(blobs, std::vector<int>(3, 0)), std::invalid_argument);
}
