#include <catch2/catch.hpp>
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "cluster/dbscan.hpp"
#include "metrics/partition_agreement.hpp"
#include "golden_io.hpp"

using namespace recluster;

namespace {

// Golden labels: one column named eps_<e>_min_samples_<m>.
std::vector<int> read_labels(const std::string& path, double& eps, int& min_samples) {
    const Dataset d = test::read_golden(path);
    const std::string& header = d.columns.at(0).name;
    eps = std::stod(header.substr(4, header.find("_min_samples_") - 4));
    min_samples = std::stoi(header.substr(header.find("_min_samples_") + 13));
    return test::int_column(d, 0);
}

}  // namespace

TEST_CASE("dbscan equals scikit-learn's DBSCAN (kd-tree path in 2-D, brute force in 13-D)") {
    for (const std::string name : {"blobs", "wine"}) {
        INFO(name);
        const Matrix x = test::read_float_csv(RECLUSTER_TEST_DIR "/golden/hdbscan_" + name + ".csv");
        double eps = 0;
        int ms = 0;
        const std::vector<int> theirs = read_labels(RECLUSTER_TEST_DIR "/golden/dbscan_" + name + "_sklearn.csv", eps, ms);
        REQUIRE(theirs.size() == x.rows);
        DbscanOptions o;
        o.eps = eps;
        o.min_samples = ms;
        for (int threads : {1, 3}) {
            o.n_threads = threads;
            const DbscanResult r = dbscan(x, o);
            CHECK(adjusted_rand_index(r.labels, theirs) == Approx(1.0));
            for (std::size_t i = 0; i < x.rows; ++i) CHECK((r.labels[i] < 0) == (theirs[i] < 0));
            CHECK(r.sizes.size() == static_cast<std::size_t>(*std::max_element(theirs.begin(), theirs.end()) + 1));
            CHECK(std::is_sorted(r.sizes.rbegin(), r.sizes.rend()));
        }
    }
}

TEST_CASE("dbscan: k-distance curve, invalid options, NaN") {
    Matrix x(5, 1);
    x.data = {0, 1, 3, 3, 10};
    const auto kd = k_distances(x, 1, 1);  // nearest other row
    CHECK(kd == std::vector<float>{0, 0, 1, 1, 7});
    // Knee: flat then a sharp rise -> the last value before the rise.
    CHECK(k_distance_knee({1, 1, 1, 1, 1, 1, 1, 1.2f, 5, 9}) == Approx(1.2f));
    CHECK(k_distance_knee({}) == 0.0f);
    CHECK(k_distance_knee({2, 2, 2}) == 2.0f);
    DbscanOptions bad;
    bad.eps = 0;
    CHECK_THROWS_AS(dbscan(x, bad), std::invalid_argument);
    DbscanOptions o;
    o.eps = 1.5;
    o.min_samples = 2;
    const auto r = dbscan(x, o);
    CHECK(r.labels == std::vector<int>{0, 0, 1, 1, -1});  // ties in size: the first seed's cluster first
    x.data[2] = std::nanf("");
    CHECK_THROWS_AS(dbscan(x, o), std::invalid_argument);
}
