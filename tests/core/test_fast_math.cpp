#include <catch2/catch.hpp>
#include <cmath>

#include "common/fast_math.hpp"

using namespace recluster;

TEST_CASE("fast math: pow, log2 and exp2 agree with the standard library") {
    double worst = 0;
    for (float b : {0.5f, 0.79f, 0.895f, 1.0f, 1.25f, 1.9f, -0.105f}) {
        for (float x = 1e-6f; x < 1e6f; x *= 1.0137f) {
            const double want = std::pow(static_cast<double>(x), static_cast<double>(b));
            const double rel = std::fabs(fast_pow(x, b) - want) / want;
            worst = std::max(worst, rel);
        }
    }
    INFO("worst relative error " << worst);
    CHECK(worst < 5e-6);
    for (float x : {1.0f, 2.0f, 0.5f, 1024.0f}) CHECK(fast_log2(x) == std::log2(x));
    CHECK(fast_log2(3.0f) == Approx(std::log2(3.0)).epsilon(1e-7));
    CHECK(fast_exp2(10.0f) == Approx(1024.0).epsilon(1e-6));
    CHECK(fast_exp2(-3.5f) == Approx(std::exp2(-3.5)).epsilon(1e-6));
    // Out-of-range inputs stay finite.
    CHECK(std::isfinite(fast_exp2(1000.0f)));
    CHECK(fast_exp2(-1000.0f) > 0.0f);
    CHECK(std::isfinite(fast_log2(0.0f)));
    CHECK(std::isfinite(fast_pow(1e-45f, 0.9f)));
}
