#include <catch2/catch.hpp>
#include <cmath>

#include "embed/spectral_init.hpp"

using namespace recluster;

namespace {
// Undirected graph from an edge list (weights 1).
SparseGraph graph_from(std::size_t n, const std::vector<std::pair<int, int>>& edges) {
    std::vector<std::vector<int>> adj(n);
    for (auto [a, b] : edges) {
        adj[static_cast<std::size_t>(a)].push_back(b);
        adj[static_cast<std::size_t>(b)].push_back(a);
    }
    SparseGraph g;
    g.n = n;
    g.row_ptr.assign(n + 1, 0);
    for (std::size_t i = 0; i < n; ++i) {
        std::sort(adj[i].begin(), adj[i].end());
        for (int j : adj[i]) {
            g.col.push_back(j);
            g.weight.push_back(1.0f);
        }
        g.row_ptr[i + 1] = g.col.size();
    }
    return g;
}
}  // namespace

TEST_CASE("spectral init: a path graph unrolls in order along the first coordinate (Fiedler vector)") {
    std::vector<std::pair<int, int>> edges;
    for (int i = 0; i + 1 < 40; ++i) edges.push_back({i, i + 1});
    SpectralInitOptions o;
    o.iterations = 3000;
    auto init = spectral_init(graph_from(40, edges), o);
    REQUIRE(init);
    const float sign = init->at(39, 0) > init->at(0, 0) ? 1.0f : -1.0f;
    // The coordinates are eigenvectors of D^-1/2 W D^-1/2, i.e. sqrt(degree) times the random-walk (cosine
    // shaped, monotone) vector: monotone over the interior rows, which all have degree 2.
    for (std::size_t i = 1; i + 2 < 40; ++i) CHECK(sign * init->at(i + 1, 0) > sign * init->at(i, 0));
    for (std::size_t i : {std::size_t{0}, std::size_t{39}})
        CHECK(std::fabs(init->at(i, 0)) < std::fabs(init->at(i == 0 ? 1 : 38, 0)));  // degree 1: scaled by 1/sqrt(2)
    float max_abs = 0;
    for (float v : init->data) max_abs = std::max(max_abs, std::fabs(v));
    CHECK(max_abs == Approx(10.0f).margin(1e-3));
}

TEST_CASE("spectral init: disconnected components land apart, deterministic for 1, 2 and 3 threads") {
    std::vector<std::pair<int, int>> edges;
    for (int c = 0; c < 2; ++c)
        for (int i = 0; i < 30; ++i)
            for (int j = i + 1; j < 30; j += 3) edges.push_back({c * 30 + i, c * 30 + j});
    SparseGraph g = graph_from(60, edges);
    SpectralInitOptions o;
    o.chunk_rows = 7;
    auto ref = spectral_init(g, o);
    REQUIRE(ref);
    auto centre = [&](int c) {
        double x = 0, y = 0;
        for (int i = 0; i < 30; ++i) {
            x += ref->at(static_cast<std::size_t>(c * 30 + i), 0);
            y += ref->at(static_cast<std::size_t>(c * 30 + i), 1);
        }
        return std::make_pair(x / 30, y / 30);
    };
    auto [x0, y0] = centre(0);
    auto [x1, y1] = centre(1);
    CHECK(std::hypot(x0 - x1, y0 - y1) > 5.0);
    for (int t : {2, 3}) {
        o.n_threads = t;
        auto again = spectral_init(g, o);
        REQUIRE(again);
        CHECK(again->data == ref->data);
    }
}

TEST_CASE("spectral init: an empty graph fails so the caller can fall back") {
    SparseGraph g;
    g.n = 5;
    g.row_ptr.assign(6, 0);
    CHECK_FALSE(spectral_init(g, {}).has_value());
}

TEST_CASE("spectral init: the resumable job gives the same layout however it is sliced") {
    // Two rings of 30 and 20 rows plus an isolated pair: three components, one too small to iterate.
    std::vector<std::pair<int, int>> edges;
    for (int i = 0; i < 30; ++i) edges.push_back({i, (i + 1) % 30});
    for (int i = 0; i < 20; ++i) edges.push_back({30 + i, 30 + (i + 1) % 20});
    edges.push_back({50, 51});
    const SparseGraph g = graph_from(52, edges);
    SpectralInitOptions o;
    o.iterations = 50;
    auto whole = spectral_init(g, o);
    REQUIRE(whole);
    SpectralInitJob job(g, o);
    int steps = 0;
    double last = -1;
    while (job.step(7)) {
        CHECK(job.progress() >= last);
        last = job.progress();
        ++steps;
    }
    CHECK(steps >= 100 / 7);  // two components x 50 iterations, 7 per step
    CHECK(job.progress() == 1.0);
    auto sliced = job.take_result();
    REQUIRE(sliced);
    CHECK(sliced->data == whole->data);
}
