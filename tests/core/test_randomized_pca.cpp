#include <catch2/catch.hpp>
#include <cmath>

#include "io/csv_reader.hpp"
#include "prep/pca.hpp"
#include "prep/scale.hpp"

using namespace recluster;

namespace {
double dot(const std::vector<double>& a, const std::vector<double>& b) {
    double s = 0;
    for (std::size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
    return s;
}

// rows x cols data of exact rank `rank` plus an offset, from a fixed LCG.
Matrix low_rank_matrix(std::size_t rows, std::size_t cols, std::size_t rank) {
    unsigned s = 12345;
    auto next = [&] {
        s = s * 1664525u + 1013904223u;
        return static_cast<float>((s >> 8) % 20001) / 10000.0f - 1.0f;
    };
    std::vector<float> basis(rank * cols), coef(rows * rank);
    for (auto& v : basis) v = next();
    for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t a = 0; a < rank; ++a) coef[r * rank + a] = next() * static_cast<float>(rank - a);
    Matrix m(rows, cols);
    for (std::size_t r = 0; r < rows; ++r)
        for (std::size_t j = 0; j < cols; ++j) {
            float v = 3.0f + 0.01f * static_cast<float>(j);
            for (std::size_t a = 0; a < rank; ++a) v += coef[r * rank + a] * basis[a * cols + j];
            m.at(r, j) = v;
        }
    return m;
}

const Matrix& fashion_pixels() {
    static Matrix m = [] {
        auto data = read_csv_file(RECLUSTER_FIXTURE_DIR "/fashion_5000.csv");
        REQUIRE(data.ok());
        return scale_features(*data, ScaleMethod::None).matrix;
    }();
    return m;
}
}  // namespace

TEST_CASE("randomized pca: automatic solver choice") {
    PcaOptions o;
    o.n_components = 50;
    CHECK(choose_pca_solver(o, 10000, 784) == PcaSolver::Randomized);
    CHECK(choose_pca_solver(o, 10000, 150) == PcaSolver::Exact);
    o.n_components = 2;
    CHECK(choose_pca_solver(o, 178, 13) == PcaSolver::Exact);
    CHECK(choose_pca_solver(o, 5000, 784) == PcaSolver::Randomized);
    o.solver = PcaSolver::Exact;
    CHECK(choose_pca_solver(o, 5000, 784) == PcaSolver::Exact);
}

TEST_CASE("randomized pca: recovers a low-rank matrix exactly") {
    Matrix m = low_rank_matrix(400, 160, 4);
    PcaOptions o;
    o.n_components = 4;
    o.solver = PcaSolver::Exact;
    auto exact = pca(m, o);
    o.solver = PcaSolver::Randomized;
    o.n_iter = 2;
    auto fast = pca(m, o);
    REQUIRE(fast.solver == PcaSolver::Randomized);
    REQUIRE(exact.solver == PcaSolver::Exact);
    for (int c = 0; c < 4; ++c) {
        CHECK(fast.explained_variance[c] == Approx(exact.explained_variance[c]).epsilon(1e-5));
        CHECK(std::fabs(dot(fast.components[c], exact.components[c])) == Approx(1.0).epsilon(1e-6));
    }
    CHECK(fast.explained_variance_ratio[0] + fast.explained_variance_ratio[1] + fast.explained_variance_ratio[2] +
              fast.explained_variance_ratio[3] ==
          Approx(1.0).epsilon(1e-5));
    for (std::size_t i = 0; i < m.rows; ++i)
        for (int c = 0; c < 4; ++c) REQUIRE(fast.scores.at(i, c) == Approx(exact.scores.at(i, c)).margin(2e-3));
}

TEST_CASE("randomized pca: matches exact PCA on Fashion-MNIST (5000 x 784, 50 components)") {
    const Matrix& m = fashion_pixels();
    PcaOptions o;
    o.n_components = 50;
    o.n_threads = 2;
    o.solver = PcaSolver::Exact;
    auto exact = pca(m, o);
    o.solver = PcaSolver::Auto;
    auto fast = pca(m, o);
    REQUIRE(fast.solver == PcaSolver::Randomized);
    double captured_exact = 0, captured_fast = 0;
    for (int c = 0; c < 50; ++c) {
        captured_exact += exact.explained_variance_ratio[c];
        captured_fast += fast.explained_variance_ratio[c];
    }
    INFO("captured variance exact " << captured_exact << " randomized " << captured_fast);
    CHECK(captured_fast <= captured_exact + 1e-6);
    CHECK(captured_fast >= captured_exact - 2e-3);
    for (int c = 0; c < 10; ++c) {
        CHECK(fast.explained_variance[c] == Approx(exact.explained_variance[c]).epsilon(1e-3));
        if (c < 5) CHECK(dot(fast.components[c], exact.components[c]) > 0.999);  // same sign convention
    }
    // Scores are the centred rows projected on the components.
    for (std::size_t i : {0u, 1234u, 4999u}) {
        for (int c : {0, 17, 49}) {
            double s = 0;
            for (std::size_t j = 0; j < m.cols; ++j) s += (m.at(i, j) - fast.mean[j]) * fast.components[c][j];
            CHECK(fast.scores.at(i, c) == Approx(s).margin(1e-3 * (1 + std::fabs(s))));
        }
    }
    for (int a = 0; a < 50; a += 7)
        for (int b = 0; b < 50; b += 5)
            CHECK(dot(fast.components[a], fast.components[b]) == Approx(a == b ? 1.0 : 0.0).margin(1e-9));
}

TEST_CASE("randomized pca: bit-identical for 1, 2 and 3 threads and any step slicing") {
    Matrix m = low_rank_matrix(3000, 120, 30);
    for (std::size_t i = 0; i < m.data.size(); ++i) m.data[i] += 0.001f * static_cast<float>(i % 97);
    PcaOptions o;
    o.n_components = 12;
    o.solver = PcaSolver::Randomized;
    o.chunk_rows = 256;
    o.n_threads = 1;
    auto ref = pca(m, o);
    for (int t : {2, 3}) {
        o.n_threads = t;
        CHECK(pca(m, o).scores.data == ref.scores.data);
    }
    o.n_threads = 2;
    auto job = make_pca_job(m, o);
    job->step(200);
    while (job->step(777)) {
    }
    CHECK(job->result().scores.data == ref.scores.data);
    o.seed = 7;  // another starting subspace: same components up to rounding
    auto other = pca(m, o);
    CHECK(other.scores.data != ref.scores.data);
    CHECK(dot(other.components[0], ref.components[0]) == Approx(1.0).epsilon(1e-6));
}

TEST_CASE("randomized pca: more components than the data's rank stay orthonormal and finite") {
    Matrix m = low_rank_matrix(200, 128, 3);
    PcaOptions o;
    o.n_components = 8;
    o.solver = PcaSolver::Randomized;
    auto p = pca(m, o);
    for (int a = 0; a < 8; ++a) {
        CHECK(dot(p.components[a], p.components[a]) == Approx(1.0).epsilon(1e-9));
        for (int b = 0; b < a; ++b) CHECK(std::fabs(dot(p.components[a], p.components[b])) < 1e-9);
    }
    for (float v : p.scores.data) REQUIRE(std::isfinite(v));
    CHECK(p.explained_variance[3] < 1e-6 * p.explained_variance[0]);
    Matrix constant(50, 200);
    std::fill(constant.data.begin(), constant.data.end(), 2.5f);
    auto c = pca(constant, o);
    for (float v : c.scores.data) CHECK(v == 0.0f);
}

TEST_CASE("pca of columns scaled on the fly equals the pca of the scaled matrix, bit for bit (both solvers)") {
    // The pipeline feeds PCA from the dataset's columns without a scaled copy; results must not change.
    auto data = read_csv_file(RECLUSTER_FIXTURE_DIR "/fashion_5000.csv");
    REQUIRE(data.ok());
    const ScaledColumns lazy(*data, ScaleMethod::ZScore);
    const Matrix whole = scale_features(*data, ScaleMethod::ZScore).matrix;
    for (auto solver : {PcaSolver::Randomized, PcaSolver::Exact}) {
        PcaOptions o;
        o.n_components = solver == PcaSolver::Exact ? 5 : 20;
        o.solver = solver;
        o.n_threads = 2;
        o.seed = 3;
        const PcaResult a = pca(whole, o);
        auto job = make_pca_job(lazy, o);
        while (job->step(777)) {
        }
        const PcaResult& b = job->result();
        CHECK(b.solver == solver);
        CHECK(b.mean == a.mean);
        CHECK(b.explained_variance == a.explained_variance);
        REQUIRE(b.scores.data.size() == a.scores.data.size());
        CHECK(b.scores.data == a.scores.data);
    }
}
