#include <catch2/catch.hpp>
#include <cmath>

#include "io/csv_reader.hpp"
#include "neighbors/brute_force_knn.hpp"
#include "neighbors/nn_descent.hpp"
#include "prep/pca.hpp"
#include "prep/scale.hpp"

using namespace recluster;

namespace {
Matrix blobs(std::size_t n, std::size_t d, unsigned seed) {
    Matrix m(n, d);
    unsigned s = seed;
    auto rnd = [&] {
        s = s * 1664525u + 1013904223u;
        return static_cast<float>(s >> 9) / 8388608.0f - 0.5f;
    };
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < d; ++j) m.at(i, j) = static_cast<float>((i % 7) * (j % 3)) + rnd();
    return m;
}
}  // namespace

TEST_CASE("nn-descent: recall >= 0.95 against brute force on blobs, for both metrics") {
    Matrix m = blobs(3000, 12, 5);
    for (Metric metric : {Metric::Euclidean, Metric::Cosine}) {
        NnDescentOptions o;
        o.metric = metric;
        BruteForceOptions b;
        b.metric = metric;
        auto exact = brute_force_knn(m, b);
        auto approx = nn_descent(m, o);
        INFO(metric_name(metric));
        CHECK(knn_recall(approx, exact) >= 0.95);
        // Reported distances are the true distances of the reported pairs.
        for (std::size_t x = 0; x < 15; ++x) {
            int j = approx.index[x];
            float dd = metric == Metric::Euclidean ? std::sqrt(squared_euclidean(m.row(0), m.row(j), m.cols)) : exact.distance[0];
            if (metric == Metric::Euclidean) CHECK(approx.distance[x] == Approx(dd).epsilon(1e-5));
        }
    }
}

TEST_CASE("nn-descent: bit-identical for 1, 2 and 3 threads") {
    Matrix m = blobs(2500, 8, 9);
    NnDescentOptions o;
    o.chunk_rows = 100;
    auto ref = nn_descent(m, o);
    for (int t : {2, 3}) {
        o.n_threads = t;
        auto g = nn_descent(m, o);
        CHECK(g.index == ref.index);
        CHECK(g.distance == ref.distance);
    }
    o.seed = 7;
    auto other = nn_descent(m, o);
    CHECK(other.index != ref.index);  // the seed matters (different random start)
}

TEST_CASE("nn-descent: resumable job reports progress and stops") {
    Matrix m = blobs(1000, 6, 2);
    NnDescentJob job(m, {});
    double last = job.progress();
    int steps = 0;
    while (job.step(300)) {  // rounded to whole chunks of 256 rows
        CHECK(job.progress() >= last);
        last = job.progress();
        ++steps;
    }
    CHECK(job.done());
    CHECK(job.iterations() >= 1);
    CHECK(job.iterations() <= 10);  // max(5, round(log2 1000)) = 10
    auto g = job.result();
    CHECK(g.n == 1000);
    CHECK(steps > job.iterations());  // iterations were sliced
    auto whole = nn_descent(m, {});
    CHECK(g.index == whole.index);    // and slicing does not change the result
    for (int v : g.index) CHECK(v >= 0);
}

TEST_CASE("nn-descent: tiny inputs") {
    Matrix two(2, 2);
    two.data = {0, 0, 1, 1};
    auto g = nn_descent(two, {});
    REQUIRE(g.k == 1);
    CHECK(g.index[0] == 1);
    CHECK(g.index[1] == 0);
    Matrix dup(20, 3);  // all rows identical: every distance is 0, neighbours still distinct rows
    auto d = nn_descent(dup, {});
    for (std::size_t i = 0; i < 20; ++i)
        for (int x = 0; x < d.k; ++x) CHECK(d.index[i * d.k + x] != static_cast<int>(i));
}

TEST_CASE("nn-descent: recall >= 0.95 at k = 15 on Fashion-MNIST (5000 images, PCA-50)") {
    auto data = read_csv_file(RECLUSTER_FIXTURE_DIR "/fashion_5000.csv");
    REQUIRE(data.ok());
    REQUIRE(data->rows == 5000);
    auto features = scale_features(*data, ScaleMethod::None);
    PcaOptions po;
    po.n_components = 50;
    po.n_threads = 2;
    auto reduced = pca(features.matrix, po).scores;
    BruteForceOptions b;
    b.n_threads = 2;
    auto exact = brute_force_knn(reduced, b);
    NnDescentOptions o;
    o.n_threads = 2;
    auto approx = nn_descent(reduced, o);
    double recall = knn_recall(approx, exact);
    INFO("recall " << recall);
    CHECK(recall >= 0.95);
}

TEST_CASE("nn-descent: a random-projection forest start converges in fewer iterations, as well or better") {
    Matrix m = blobs(6000, 16, 4);
    BruteForceOptions b;
    const auto exact = brute_force_knn(m, b);
    NnDescentOptions random_start;
    random_start.rp_trees = 0;
    random_start.n_threads = 2;
    NnDescentJob r(m, random_start);
    while (r.step(1u << 30)) {
    }
    NnDescentOptions forest = random_start;
    forest.rp_trees = 8;
    NnDescentJob f(m, forest);
    int init_steps = 0;
    while (f.progress() == 0 || f.iterations() == 0) {  // the forest is built over several steps
        REQUIRE(f.step(1u << 30));
        ++init_steps;
        if (f.iterations() > 0) break;
    }
    while (f.step(1u << 30)) {
    }
    CHECK(init_steps >= 4);  // 8 trees, 2 per step, then the completion
    CHECK(f.iterations() < r.iterations());
    const double recall_forest = knn_recall(f.result(), exact), recall_random = knn_recall(r.result(), exact);
    CHECK(recall_forest >= 0.95);
    CHECK(recall_forest >= recall_random - 0.005);
    // Thread count and slicing do not change the forest's result.
    forest.n_threads = 3;
    forest.chunk_rows = 100;
    NnDescentJob f3(m, forest);
    while (f3.step(700)) {
    }
    forest.n_threads = 1;
    forest.chunk_rows = 256;
    const auto one = nn_descent(m, forest);
    CHECK(f3.result().index == one.index);
    CHECK(one.index == f.result().index);
}
