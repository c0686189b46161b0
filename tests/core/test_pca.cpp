#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>
#include <sstream>

#include "io/csv_reader.hpp"
#include "prep/pca.hpp"
#include "prep/scale.hpp"

using namespace recluster;

namespace {
std::vector<std::array<double, 2>> read_golden(const std::string& path) {
    std::ifstream in(path);
    std::string line;
    std::getline(in, line);
    std::vector<std::array<double, 2>> out;
    while (std::getline(in, line)) {
        std::array<double, 2> v{};
        std::sscanf(line.c_str(), "%lf,%lf", &v[0], &v[1]);
        out.push_back(v);
    }
    return out;
}

Matrix random_matrix(std::size_t n, std::size_t d, unsigned seed) {
    Matrix m(n, d);
    unsigned s = seed;
    for (auto& v : m.data) {
        s = s * 1664525u + 1013904223u;
        v = static_cast<float>((s >> 8) % 10000) / 1000.0f;
    }
    // Correlate columns so the spectrum is not flat.
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 1; j < d; ++j) m.at(i, j) += 0.5f * m.at(i, j - 1);
    return m;
}
}  // namespace

TEST_CASE("pca: wine z-score scores match numpy up to sign") {
    auto d = read_csv_file(RECLUSTER_TEST_DIR "/data/wine.csv");
    REQUIRE(d.ok());
    auto f = scale_features(*d, ScaleMethod::ZScore);
    auto p = pca(f.matrix, {});
    auto golden = read_golden(RECLUSTER_TEST_DIR "/golden/wine_pca_zscore.csv");
    REQUIRE(golden.size() == 178);
    REQUIRE(p.scores.cols == 2);
    for (int c = 0; c < 2; ++c) {
        double sign = (p.scores.at(0, c) * golden[0][c] < 0) ? -1.0 : 1.0;
        for (std::size_t i = 0; i < golden.size(); ++i)
            REQUIRE(sign * p.scores.at(i, c) == Approx(golden[i][c]).margin(1e-4));
    }
    CHECK(p.explained_variance_ratio[0] == Approx(0.36198848294709673).epsilon(1e-5));
    CHECK(p.explained_variance_ratio[1] == Approx(0.19207490171610792).epsilon(1e-5));
}

TEST_CASE("pca: hand-computed 2-D example") {
    // Points on the line y = x: all variance in the first component, direction (1,1)/sqrt(2).
    Matrix m(3, 2);
    m.data = {0, 0, 1, 1, 2, 2};
    auto p = pca(m, {});
    CHECK(p.components[0][0] == Approx(std::sqrt(0.5)));
    CHECK(p.components[0][1] == Approx(std::sqrt(0.5)));
    CHECK(p.explained_variance[0] == Approx(2.0));  // var of (-√2, 0, √2) with ddof=1: (2+0+2)/2
    CHECK(p.explained_variance_ratio[0] == Approx(1.0));
    CHECK(std::fabs(p.scores.at(0, 0)) == Approx(std::sqrt(2.0)));
    CHECK(p.scores.at(1, 0) == Approx(0.0).margin(1e-6));
}

TEST_CASE("pca: invariants (orthonormal components, centred scores, descending variance)") {
    Matrix m = random_matrix(500, 6, 7);
    PcaOptions o;
    o.n_components = 4;
    auto p = pca(m, o);
    for (int a = 0; a < 4; ++a)
        for (int b = 0; b < 4; ++b) {
            double dot = 0;
            for (int j = 0; j < 6; ++j) dot += p.components[a][j] * p.components[b][j];
            CHECK(dot == Approx(a == b ? 1.0 : 0.0).margin(1e-9));
        }
    for (int c = 0; c < 4; ++c) {
        double s = 0;
        for (std::size_t i = 0; i < m.rows; ++i) s += p.scores.at(i, c);
        CHECK(s / m.rows == Approx(0.0).margin(1e-4));
        if (c > 0) CHECK(p.explained_variance[c] <= p.explained_variance[c - 1]);
    }
}

TEST_CASE("pca: bit-identical for 1, 2 and 3 threads and any step slicing") {
    Matrix m = random_matrix(5000, 9, 11);
    PcaOptions o;
    o.chunk_rows = 256;
    o.n_threads = 1;
    auto ref = pca(m, o);
    for (int t : {2, 3}) {
        o.n_threads = t;
        auto p = pca(m, o);
        CHECK(p.scores.data == ref.scores.data);
    }
    o.n_threads = 2;
    auto job = make_pca_job(m, o);
    job->step(200);  // rounded up to whole chunks internally
    while (job->step(777)) {
    }
    CHECK(job->result().scores.data == ref.scores.data);
}

TEST_CASE("pca: edge cases") {
    Matrix one(1, 3);
    one.data = {1, 2, 3};
    auto p = pca(one, {});
    CHECK(p.scores.at(0, 0) == 0.0f);
    Matrix constant(10, 2);
    for (auto& v : constant.data) v = 4.0f;
    auto c = pca(constant, {});
    for (float v : c.scores.data) CHECK(v == 0.0f);
    Matrix single_feature(4, 1);
    single_feature.data = {1, 2, 3, 4};
    auto s = pca(single_feature, {});
    CHECK(s.scores.cols == 1);
    CHECK(s.explained_variance_ratio[0] == Approx(1.0));
    CHECK_THROWS_AS(pca(Matrix(0, 3), {}), std::invalid_argument);
    PcaOptions bad;
    bad.n_components = 0;
    CHECK_THROWS_AS(pca(one, bad), std::invalid_argument);
}
