// The point grid answers "nearest point within r" exactly as a scan of every point does (the same point, ties to
// the highest index, the filter applied), for clustered points, duplicates, non-finite points and degenerate boxes.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <vector>

#include "common/random.hpp"
#include "neighbors/point_grid.hpp"

using namespace recluster;

namespace {
long scan(const std::vector<float>& xy, float x, float y, float r, const std::function<bool(std::size_t)>& keep) {
    float best = r * r;
    long found = -1;
    for (std::size_t i = 0; i < xy.size() / 2; ++i) {
        if (!std::isfinite(xy[2 * i]) || !std::isfinite(xy[2 * i + 1])) continue;
        const float dx = xy[2 * i] - x, dy = xy[2 * i + 1] - y, d2 = dx * dx + dy * dy;
        if (d2 <= best && (!keep || keep(i))) {
            best = d2;
            found = static_cast<long>(i);
        }
    }
    return found;
}
}  // namespace

TEST_CASE("point grid: nearest within r equals a scan of every point") {
    RandomStream rng(17, 3);
    std::vector<float> xy;
    for (int i = 0; i < 20000; ++i) {  // five tight clusters and a sparse background
        const int c = i % 6;
        const float cx = c == 5 ? 0 : static_cast<float>(10 * c - 20), spread = c == 5 ? 30.0f : 0.5f;
        xy.push_back(cx + spread * static_cast<float>(rng.uniform() * 2 - 1));
        xy.push_back(static_cast<float>(c) + spread * static_cast<float>(rng.uniform() * 2 - 1));
    }
    for (int i = 0; i < 50; ++i) {  // exact duplicates: ties
        xy.push_back(xy[2 * static_cast<std::size_t>(i)]);
        xy.push_back(xy[2 * static_cast<std::size_t>(i) + 1]);
    }
    xy.push_back(std::numeric_limits<float>::quiet_NaN());
    xy.push_back(1.0f);
    xy.push_back(std::numeric_limits<float>::infinity());
    xy.push_back(0.0f);
    PointGrid grid;
    grid.build(xy.data(), xy.size() / 2);
    CHECK(grid.size() == xy.size() / 2);
    const auto odd = [](std::size_t i) { return i % 2 == 1; };
    for (int q = 0; q < 3000; ++q) {
        const std::size_t near = static_cast<std::size_t>(rng.below(20050));
        const float x = q % 3 ? xy[2 * near] + static_cast<float>(rng.uniform() - 0.5) : static_cast<float>(rng.uniform() * 80 - 40);
        const float y = q % 3 ? xy[2 * near + 1] + static_cast<float>(rng.uniform() - 0.5) : static_cast<float>(rng.uniform() * 80 - 40);
        const float r = static_cast<float>(rng.uniform() * (q % 10 == 0 ? 20.0 : 0.3));
        INFO("query " << q << " at " << x << ", " << y << " r " << r);
        REQUIRE(grid.nearest(x, y, r) == scan(xy, x, y, r, {}));
        REQUIRE(grid.nearest(x, y, r, odd) == scan(xy, x, y, r, odd));
    }
    // A duplicate's twin: the higher index wins, as the scan.
    CHECK(grid.nearest(xy[0], xy[1], 0.0f) == 20000);
    CHECK(grid.nearest(std::numeric_limits<float>::quiet_NaN(), 0, 1) == -1);
    CHECK(grid.nearest(0, 0, -1) == -1);
}

TEST_CASE("point grid: degenerate inputs (empty, one point, a line, one spot)") {
    PointGrid grid;
    grid.build(nullptr, 0);
    CHECK(grid.nearest(0, 0, 10) == -1);
    const std::vector<float> one = {3, 4};
    grid.build(one.data(), 1);
    CHECK(grid.nearest(3, 4.5f, 0.5f) == 0);
    CHECK(grid.nearest(3, 5, 0.5f) == -1);
    std::vector<float> line, spot;
    for (int i = 0; i < 5000; ++i) {
        line.push_back(static_cast<float>(i));
        line.push_back(7.0f);
        spot.push_back(1.0f);
        spot.push_back(1.0f);
    }
    grid.build(line.data(), 5000);
    CHECK(grid.nearest(1234.4f, 7.1f, 1.0f) == 1234);
    CHECK(grid.nearest(1234.4f, 9.0f, 1.0f) == -1);
    grid.build(spot.data(), 5000);
    CHECK(grid.nearest(1.0f, 1.0f, 0.1f) == 4999);
    // Far from a one-spot grid (its cells are tiny): cell numbers beyond any integer are clamped, not converted (the
    // app read outside memory when the cursor was away from such a map).
    CHECK(grid.nearest(1000.0f, -1000.0f, 1.0f) == -1);
    CHECK(grid.nearest(1e30f, 1e30f, 1e15f) == -1);
    CHECK(grid.nearest(1000.0f, 1000.0f, std::numeric_limits<float>::infinity()) == 4999);
}

TEST_CASE("point grid: count_in_box bounds the points in a box from above, within one cell of its edge") {
    RandomStream rng(5, 1);
    std::vector<float> xy;
    for (int i = 0; i < 30000; ++i) {  // a dense blob and a wide sparse field
        const bool blob = i % 3 != 0;
        xy.push_back(blob ? 2.0f + 0.3f * static_cast<float>(rng.uniform()) : 40.0f * static_cast<float>(rng.uniform()) - 20.0f);
        xy.push_back(blob ? -1.0f + 0.3f * static_cast<float>(rng.uniform()) : 40.0f * static_cast<float>(rng.uniform()) - 20.0f);
    }
    xy.push_back(std::numeric_limits<float>::quiet_NaN());  // never counted
    xy.push_back(0.0f);
    PointGrid grid;
    grid.build(xy.data(), xy.size() / 2);
    const std::size_t n = xy.size() / 2;
    const auto exact = [&](float x0, float y0, float x1, float y1) {
        std::size_t c = 0;
        for (std::size_t i = 0; i < n; ++i) c += xy[2 * i] >= x0 && xy[2 * i] <= x1 && xy[2 * i + 1] >= y0 && xy[2 * i + 1] <= y1;
        return c;
    };
    CHECK(grid.count_in_box(-100, -100, 100, 100) == n - 1);
    const float cell = grid.cell_size();
    for (int q = 0; q < 300; ++q) {
        const float x0 = 50.0f * static_cast<float>(rng.uniform()) - 25.0f, y0 = 50.0f * static_cast<float>(rng.uniform()) - 25.0f;
        const float x1 = x0 + 20.0f * static_cast<float>(rng.uniform()), y1 = y0 + 20.0f * static_cast<float>(rng.uniform());
        const std::size_t got = grid.count_in_box(x0, y0, x1, y1);
        INFO(x0 << "," << y0 << " - " << x1 << "," << y1);
        CHECK(got >= exact(x0, y0, x1, y1));
        CHECK(got <= exact(x0 - cell, y0 - cell, x1 + cell, y1 + cell));
    }
    CHECK(grid.count_in_box(2.0f, -1.0f, 2.3f, -0.7f) >= 20000);  // the blob
    CHECK(grid.count_in_box(30, 30, 40, 40) == 0);                 // outside the points
    CHECK(grid.count_in_box(1, 1, 0, 0) == 0);                     // an inverted box
    PointGrid empty;
    CHECK(empty.count_in_box(-1, -1, 1, 1) == 0);
}
