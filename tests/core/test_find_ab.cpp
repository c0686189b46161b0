#include <catch2/catch.hpp>
#include <cmath>
#include <fstream>
#include <string>

#include "embed/find_ab.hpp"

using namespace recluster;

TEST_CASE("find_ab: matches scipy curve_fit (golden from scripts/make_umap_golden.py)") {
    std::ifstream in(RECLUSTER_TEST_DIR "/golden/find_ab.csv");
    REQUIRE(in);
    std::string line;
    std::getline(in, line);
    int rows = 0;
    while (std::getline(in, line)) {
        double spread, min_dist, a, b;
        REQUIRE(std::sscanf(line.c_str(), "%lf,%lf,%lf,%lf", &spread, &min_dist, &a, &b) == 4);
        CurveParams p = find_ab(spread, min_dist);
        INFO("spread " << spread << " min_dist " << min_dist);
        CHECK(p.a == Approx(a).epsilon(2e-3));
        CHECK(p.b == Approx(b).epsilon(2e-3));
        ++rows;
    }
    CHECK(rows >= 5);
}

TEST_CASE("find_ab: the fitted kernel is near the target curve and arguments are checked") {
    CurveParams p = find_ab(1.0, 0.1);
    CHECK(1.0 / (1.0 + p.a * std::pow(0.05, 2 * p.b)) > 0.95);
    CHECK(1.0 / (1.0 + p.a * std::pow(2.0, 2 * p.b)) == Approx(std::exp(-1.9)).margin(0.05));
    CHECK_THROWS_AS(find_ab(0.0, 0.1), std::invalid_argument);
    CHECK_THROWS_AS(find_ab(1.0, 1.5), std::invalid_argument);
    CHECK_THROWS_AS(find_ab(1.0, -0.1), std::invalid_argument);
}
