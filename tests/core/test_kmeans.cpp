#include <catch2/catch.hpp>
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "cluster/kmeans.hpp"
#include "common/random.hpp"
#include "metrics/partition_agreement.hpp"
#include "golden_io.hpp"
#include "partition_golden.hpp"

using namespace recluster;

namespace {

double inertia_of(const Matrix& x, const std::vector<int>& labels, const Matrix& centers) {
    double s = 0;
    for (std::size_t i = 0; i < x.rows; ++i)
        for (std::size_t f = 0; f < x.cols; ++f) {
            const double t = x.at(i, f) - centers.at(static_cast<std::size_t>(labels[i]), f);
            s += t * t;
        }
    return s;
}

// n points around `centers` (c x 2) with uniform jitter of +-spread.
Matrix blobs(std::size_t n, const std::vector<std::pair<float, float>>& centers, float spread, std::uint64_t seed) {
    Matrix x(n, 2);
    RandomStream rng(seed, 1);
    for (std::size_t i = 0; i < n; ++i) {
        const auto& c = centers[i % centers.size()];
        x.at(i, 0) = c.first + spread * (2 * rng.uniform() - 1);
        x.at(i, 1) = c.second + spread * (2 * rng.uniform() - 1);
    }
    return x;
}

}  // namespace

TEST_CASE("k-means reaches scikit-learn's best inertia (50 restarts) and its partition") {
    for (const std::string name : {"blobs", "wine"}) {
        INFO(name);
        const Matrix x = test::read_float_csv(RECLUSTER_TEST_DIR "/golden/hdbscan_" + name + ".csv");
        const test::PartitionGolden g = test::partition_golden(name, "kmeans");
        const std::vector<int> theirs = test::int_column(test::read_golden(RECLUSTER_TEST_DIR "/golden/kmeans_" + name + "_sklearn.csv"), 0);
        KMeansOptions o;
        o.k = g.k;
        o.algorithm = KMeansAlgorithm::Lloyd;
        const KMeansResult r = kmeans(x, o);
        CHECK(r.inertia == Approx(g.value).epsilon(1e-4));
        CHECK(adjusted_rand_index(r.labels, theirs) == Approx(1.0));
        // The reported inertia is that of the labels and centres returned, centres are the label means.
        CHECK(inertia_of(x, r.labels, r.centers) == Approx(r.inertia).epsilon(1e-5));
        CHECK(std::is_sorted(r.sizes.rbegin(), r.sizes.rend()));
        int total = 0;
        for (int s : r.sizes) total += s;
        CHECK(total == static_cast<int>(x.rows));
    }
}

TEST_CASE("k-means is bit-identical for 1, 2 and 3 threads (Lloyd and mini-batch)") {
    const Matrix x = blobs(9000, {{0, 0}, {5, 0}, {0, 5}, {5, 5}, {10, 10}}, 1.5f, 7);
    for (auto algorithm : {KMeansAlgorithm::Lloyd, KMeansAlgorithm::MiniBatch}) {
        KMeansOptions o;
        o.k = 5;
        o.algorithm = algorithm;
        o.batch_size = 512;
        o.n_threads = 1;
        const KMeansResult one = kmeans(x, o);
        for (int t : {2, 3}) {
            o.n_threads = t;
            const KMeansResult r = kmeans(x, o);
            CHECK(r.labels == one.labels);
            CHECK(r.centers.data == one.centers.data);
            CHECK(r.inertia == one.inertia);
        }
    }
}

TEST_CASE("mini-batch k-means finds the same well-separated clusters as Lloyd, with close inertia") {
    const Matrix x = blobs(20000, {{0, 0}, {20, 0}, {0, 20}, {20, 20}}, 2.0f, 3);
    KMeansOptions o;
    o.k = 4;
    o.algorithm = KMeansAlgorithm::Lloyd;
    const KMeansResult lloyd = kmeans(x, o);
    o.algorithm = KMeansAlgorithm::MiniBatch;
    const KMeansResult mb = kmeans(x, o);
    CHECK(mb.mini_batch);
    CHECK_FALSE(lloyd.mini_batch);
    CHECK(adjusted_rand_index(lloyd.labels, mb.labels) == Approx(1.0));
    CHECK(mb.inertia <= lloyd.inertia * 1.01);
    // Auto switches to mini-batch only for large inputs.
    o.algorithm = KMeansAlgorithm::Auto;
    CHECK_FALSE(kmeans(x, o).mini_batch);
    o.mini_batch_min_cells = 1000;
    CHECK(kmeans(x, o).mini_batch);
}

TEST_CASE("k-means edge cases: k = 1, k = rows, duplicates, invalid k") {
    Matrix x(6, 2);
    for (std::size_t i = 0; i < 6; ++i) x.at(i, 0) = static_cast<float>(i % 3);  // three distinct points, twice each
    KMeansOptions o;
    o.k = 1;
    KMeansResult r = kmeans(x, o);
    CHECK(r.sizes == std::vector<int>{6});
    CHECK(r.centers.at(0, 0) == Approx(1.0f));
    o.k = 3;
    r = kmeans(x, o);
    CHECK(r.inertia == 0.0);
    CHECK(r.sizes == std::vector<int>{2, 2, 2});
    o.k = 6;  // more clusters than distinct points: still a valid partition, zero inertia
    r = kmeans(x, o);
    CHECK(r.inertia == 0.0);
    CHECK(r.labels.size() == 6);
    o.k = 7;
    CHECK_THROWS_WITH(kmeans(x, o), Catch::Contains("more than the 6 rows"));
    o.k = 0;
    CHECK_THROWS_WITH(kmeans(x, o), Catch::Contains("at least 1"));
}
