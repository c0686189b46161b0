#include <catch2/catch.hpp>
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "cluster/gmm.hpp"
#include "metrics/partition_agreement.hpp"
#include "golden_io.hpp"
#include "partition_golden.hpp"

using namespace recluster;

TEST_CASE("Gaussian mixture: EM from a fixed start follows scikit-learn's path (full and diagonal)") {
    for (const std::string name : {"blobs", "wine"}) {
        for (const std::string cov : {"full", "diag"}) {
            INFO(name << " " << cov);
            const Matrix x = test::read_float_csv(RECLUSTER_TEST_DIR "/golden/hdbscan_" + name + ".csv");
            const test::PartitionGolden g = test::partition_golden(name, "gmm_" + cov + "_from_kmeans");
            const std::vector<int> theirs =
                test::int_column(test::read_golden(RECLUSTER_TEST_DIR "/golden/gmm_" + cov + "_" + name + "_sklearn.csv"), 0);
            GmmOptions o;
            o.k = g.k;
            o.covariance = cov == "full" ? Covariance::Full : Covariance::Diagonal;
            o.init_labels = test::int_column(test::read_golden(RECLUSTER_TEST_DIR "/golden/kmeans_" + name + "_sklearn.csv"), 0);
            const GmmResult r = gmm(x, o);
            CHECK(r.converged);
            CHECK(r.log_likelihood / static_cast<double>(x.rows) == Approx(g.value).epsilon(1e-6));
            CHECK(r.bic == Approx(g.bic).epsilon(1e-6));
            CHECK(adjusted_rand_index(r.labels, theirs) == Approx(1.0));
            double w = 0;
            for (double v : r.weights) w += v;
            CHECK(w == Approx(1.0));
            for (float p : r.probabilities) CHECK((p >= 1.0f / static_cast<float>(g.k) - 1e-6f && p <= 1.0f + 1e-6f));
            // From its own k-means starts (10 restarts) the fit is at least as good as scikit-learn's best of 20.
            o.init_labels.clear();
            o.n_init = 10;
            const test::PartitionGolden best = test::partition_golden(name, "gmm_" + cov);
            CHECK(gmm(x, o).log_likelihood / static_cast<double>(x.rows) >= best.value - 2e-3);
        }
    }
}

TEST_CASE("Gaussian mixture: BIC picks the true number of components, threads do not change the fit") {
    const Matrix x = test::read_float_csv(RECLUSTER_TEST_DIR "/golden/hdbscan_blobs.csv");
    // The golden blobs: ARI of k=4 against scikit-learn is checked above; here BIC(k) must be lowest near there.
    std::vector<double> bic;
    for (int k = 1; k <= 7; ++k) {
        GmmOptions o;
        o.k = k;
        bic.push_back(gmm(x, o).bic);
    }
    const int best = static_cast<int>(std::min_element(bic.begin(), bic.end()) - bic.begin()) + 1;
    CHECK(best >= 3);
    CHECK(best <= 5);
    CHECK(bic[0] > bic[static_cast<std::size_t>(best - 1)]);
    GmmOptions o;
    o.k = 4;
    const GmmResult one = gmm(x, o);
    for (int t : {2, 3}) {
        o.n_threads = t;
        const GmmResult r = gmm(x, o);
        CHECK(r.labels == one.labels);
        CHECK(r.log_likelihood == one.log_likelihood);
        CHECK(r.probabilities == one.probabilities);
    }
}

TEST_CASE("Gaussian mixture: parameter count, invalid options, degenerate columns") {
    CHECK(gmm_parameter_count(3, 2, Covariance::Full) == 3 * (2 + 3) + 2);
    CHECK(gmm_parameter_count(3, 2, Covariance::Diagonal) == 3 * (2 + 2) + 2);
    Matrix x(10, 2);
    for (std::size_t i = 0; i < 10; ++i) x.at(i, 0) = static_cast<float>(i);  // column 1 constant: reg_covar keeps it valid
    GmmOptions o;
    o.k = 2;
    const GmmResult r = gmm(x, o);
    CHECK(std::isfinite(r.bic));
    CHECK(r.sizes.size() == 2);
    o.k = 11;
    CHECK_THROWS_WITH(gmm(x, o), Catch::Contains("more than the 10 rows"));
    Matrix wide(5, 100);
    o.k = 2;
    CHECK_THROWS_WITH(gmm(wide, o), Catch::Contains("diagonal"));
}
