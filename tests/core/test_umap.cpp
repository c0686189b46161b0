#include <catch2/catch.hpp>
#include <cmath>
#include <map>

#include "embed/optimize_layout.hpp"
#include "embed/umap.hpp"
#include "neighbors/brute_force_knn.hpp"

using namespace recluster;

namespace {
// Five well separated Gaussian-ish blobs in 10-D; label = blob.
Matrix blobs(std::size_t n, std::vector<int>& labels) {
    Matrix m(n, 10);
    labels.resize(n);
    unsigned s = 17;
    auto rnd = [&] {
        s = s * 1664525u + 1013904223u;
        return static_cast<float>(s >> 9) / 8388608.0f - 0.5f;
    };
    for (std::size_t i = 0; i < n; ++i) {
        int c = static_cast<int>(i % 5);
        labels[i] = c;
        for (std::size_t j = 0; j < 10; ++j) m.at(i, j) = (j == static_cast<std::size_t>(c) * 2 ? 8.0f : 0.0f) + rnd() + rnd();
    }
    return m;
}

// Fraction of rows whose 10 nearest neighbours in the embedding mostly share their label.
double knn_accuracy(const Matrix& emb, const std::vector<int>& labels) {
    BruteForceOptions o;
    o.k = 10;
    auto g = brute_force_knn(emb, o);
    std::size_t right = 0;
    for (std::size_t i = 0; i < g.n; ++i) {
        std::map<int, int> votes;
        for (int x = 0; x < g.k; ++x) ++votes[labels[g.index[i * g.k + x]]];
        int best = -1, count = -1;
        for (auto [l, c] : votes)
            if (c > count) best = l, count = c;
        right += best == labels[i];
    }
    return static_cast<double>(right) / g.n;
}
}  // namespace

TEST_CASE("umap: separates blobs (10-NN accuracy in 2-D), finite output, info filled") {
    std::vector<int> labels;
    Matrix x = blobs(1500, labels);
    UmapOptions o;
    o.n_epochs = 200;
    o.n_threads = 2;
    UmapInfo info;
    Matrix emb = umap(x, o, &info);
    REQUIRE(emb.rows == 1500);
    REQUIRE(emb.cols == 2);
    for (float v : emb.data) REQUIRE(std::isfinite(v));
    CHECK(knn_accuracy(emb, labels) >= 0.98);
    CHECK(info.neighbor_method == "exact");
    CHECK(info.init == "spectral");
    CHECK(info.n_epochs == 200);
    CHECK(info.a == Approx(1.577).epsilon(1e-3));
    CHECK(info.graph_edges > 1500 * 14);
}

TEST_CASE("umap: bit-identical for 1, 2 and 3 threads (NN-descent path) and for any step slicing") {
    std::vector<int> labels;
    Matrix x = blobs(1200, labels);
    UmapOptions o;
    o.n_epochs = 60;
    o.exact_below = 100;  // force NN-descent
    o.n_threads = 1;
    UmapInfo info;
    Matrix ref = umap(x, o, &info);
    CHECK(info.neighbor_method == "nn-descent");
    for (int t : {2, 3}) {
        o.n_threads = t;
        CHECK(umap(x, o).data == ref.data);
    }
    UmapJob job(x, o);
    job.step(1);
    while (job.step(1200 * 7)) {  // 7 epochs per layout step
        CHECK(job.progress() <= 1.0);
    }
    CHECK(job.take_embedding().data == ref.data);
    o.seed = 9;
    CHECK(umap(x, o).data != ref.data);
}

TEST_CASE("umap: parameter checks and tiny inputs") {
    UmapOptions bad;
    bad.min_dist = 2.0f;
    CHECK_THROWS_AS(UmapJob(Matrix(10, 2), bad), std::invalid_argument);
    bad = UmapOptions();
    bad.n_neighbors = 1;
    CHECK_THROWS_AS(UmapJob(Matrix(10, 2), bad), std::invalid_argument);
    CHECK_THROWS_AS(UmapJob(Matrix(1, 2), UmapOptions()), std::invalid_argument);
    Matrix three(3, 2);
    three.data = {0, 0, 1, 0, 5, 5};
    UmapOptions o;
    o.n_epochs = 50;
    Matrix e = umap(three, o);
    for (float v : e.data) CHECK(std::isfinite(v));
    Matrix same(30, 3);  // all identical rows
    Matrix s = umap(same, o);
    for (float v : s.data) CHECK(std::isfinite(v));
}

TEST_CASE("layout: epochs advance, learning stops at n_epochs") {
    SparseGraph g;
    g.n = 2;
    g.row_ptr = {0, 1, 2};
    g.col = {1, 0};
    g.weight = {1.0f, 1.0f};
    Matrix init(2, 2);
    init.data = {0, 0, 5, 0};
    LayoutOptions lo;
    lo.n_epochs = 20;
    lo.negative_sample_rate = 0;
    LayoutJob job(g, init, lo);
    while (job.step(3)) {
    }
    CHECK(job.epoch() == 20);
    const Matrix& e = job.embedding();
    // Two mutually attracted points end closer than they started.
    CHECK(std::fabs(e.at(0, 0) - e.at(1, 0)) < 5.0f);
}

TEST_CASE("umap: the exact-neighbour path gives the same result in small slices as in one go") {
    std::vector<int> labels;
    Matrix x = blobs(600, labels);
    UmapOptions o;
    o.n_epochs = 30;
    UmapInfo info;
    Matrix ref = umap(x, o, &info);
    REQUIRE(info.neighbor_method == "exact");
    UmapJob job(x, o);
    int steps = 0;
    while (job.step(100)) ++steps;  // 32 query rows per neighbour step, 1 epoch per layout step
    CHECK(steps > 600 / 32);
    CHECK(job.take_embedding().data == ref.data);
}
