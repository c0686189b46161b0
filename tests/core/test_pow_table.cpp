#include <catch2/catch.hpp>
#include <cmath>
#include <limits>

#include "common/pow_table.hpp"

using namespace recluster;

TEST_CASE("pow table: x^b close to the standard library over the table's range") {
    for (float b : {0.5f, 0.79f, 0.895f, 1.0f, 1.25f, 1.9f}) {
        const PowTable pow_b(b);
        double worst = 0;
        for (float x = 2.5e-10f; x < 4e9f; x *= 1.00731f) {
            const double want = std::pow(static_cast<double>(x), static_cast<double>(b));
            worst = std::max(worst, std::fabs(pow_b(x) - want) / want);
        }
        // Linear interpolation's error grows with the curvature b |b - 1|: 1e-5 up to b = 1.25 (UMAP's default
        // b is 0.895), 6e-5 at b = 1.9 (min_dist near 0 with a large spread).
        INFO("b = " << b << ", worst relative error " << worst);
        CHECK(worst < (b <= 1.25f ? 1e-5 : 6e-5));
        CHECK(worst > 0);  // it is an approximation: a table that returned std::pow would be a different thing
    }
}

TEST_CASE("pow table: exact at bucket starts, monotone, finite for any input") {
    const PowTable pow_b(0.895f);
    for (float x : {1.0f, 2.0f, 0.25f, 1024.0f}) CHECK(pow_b(x) == fast_pow(x, 0.895f));
    float prev = 0;
    for (float x = 1e-9f; x < 1e9f; x *= 1.001f) {
        const float v = pow_b(x);
        REQUIRE(v >= prev);
        prev = v;
    }
    // Below, above and outside the range: clamped into the end buckets.
    const float inf = std::numeric_limits<float>::infinity(), nan = std::numeric_limits<float>::quiet_NaN();
    for (float x : {0.0f, -0.0f, 1e-45f, 1e-20f, -3.0f, 1e20f, inf, nan}) {
        INFO("x = " << x);
        CHECK(std::isfinite(pow_b(x)));
        CHECK(pow_b(x) >= 0.0f);
    }
    CHECK(pow_b(1e-20f) <= pow_b(1e-9f));
    CHECK(pow_b(1e20f) >= pow_b(1e9f));
}

TEST_CASE("pow table: the four-lane lookup equals the scalar one bit for bit") {
    std::size_t checked = 0;
    for (float b : {0.5f, 0.895f, 1.3f}) {
        const PowTable pow_b(b);
        for (float x = 1e-12f; x < 1e12f; x *= 1.37f) {
            const simd::f32x4 v = {x, x * 0.5f, x * 3.3f, x * 1e-3f};
            const simd::f32x4 r = pow_b(v);
            for (int l = 0; l < 4; ++l) {
                REQUIRE(r[l] == pow_b(v[l]));
                ++checked;
            }
        }
    }
    CHECK(checked > 1000);
    const float nan = std::numeric_limits<float>::quiet_NaN();
    const PowTable pow_b(0.9f);
    const simd::f32x4 edge = {0.0f, nan, 1e30f, -1.0f};
    const simd::f32x4 r = pow_b(edge);
    for (int l = 0; l < 4; ++l) CHECK(r[l] == pow_b(edge[l]));
}
