#include <catch2/catch.hpp>
#include <cmath>

#include "io/csv_reader.hpp"
#include "prep/scale.hpp"

using namespace recluster;

TEST_CASE("scale: z-score uses ddof=0 and imputes the mean") {
    auto d = read_csv("a,b,c\n1,10,5\n2,,5\n3,30,5\n", "s.csv");
    REQUIRE(d.ok());
    auto f = scale_features(*d, ScaleMethod::ZScore);
    REQUIRE(f.matrix.rows == 3);
    REQUIRE(f.matrix.cols == 3);
    const double sd = std::sqrt(2.0 / 3.0);
    CHECK(f.matrix.at(0, 0) == Approx(-1.0 / sd));
    CHECK(f.matrix.at(2, 0) == Approx(1.0 / sd));
    CHECK(f.matrix.at(1, 1) == Approx(0.0).margin(1e-7));  // imputed -> mean -> 0
    CHECK(f.matrix.at(0, 2) == 0.0f);                       // constant column stays finite
}

TEST_CASE("scale: min-max maps to 0..1, none keeps values") {
    auto d = read_csv("a,b\n-2,7\n0,7\n2,7\n", "s.csv");
    REQUIRE(d.ok());
    auto mm = scale_features(*d, ScaleMethod::MinMax);
    CHECK(mm.matrix.at(0, 0) == 0.0f);
    CHECK(mm.matrix.at(1, 0) == 0.5f);
    CHECK(mm.matrix.at(2, 0) == 1.0f);
    auto none = scale_features(*d, ScaleMethod::None);
    CHECK(none.matrix.at(0, 0) == -2.0f);
    CHECK(none.matrix.at(2, 1) == 7.0f);
}

TEST_CASE("scale: method names round-trip, non-numeric column is rejected") {
    for (auto m : {ScaleMethod::ZScore, ScaleMethod::MinMax, ScaleMethod::None}) {
        ScaleMethod back{};
        REQUIRE(parse_scale_method(scale_method_name(m), back));
        CHECK(back == m);
    }
    ScaleMethod x{};
    CHECK_FALSE(parse_scale_method("zscores", x));
    auto d = read_csv("a,t\n1,x\n2,y\n", "s.csv");
    REQUIRE(d.ok());
    CHECK_THROWS_AS(scale_features(*d, ScaleMethod::ZScore, {1}), std::invalid_argument);
}

TEST_CASE("scale: columns scaled on the fly read exactly the materialised matrix, in any block") {
    // 300 rows, a missing cell every 7th row in column b, a constant column c.
    std::string text = "a,b,c,t\n";
    for (int i = 0; i < 300; ++i)
        text += std::to_string(i * 0.37 - 20) + "," + (i % 7 == 3 ? std::string() : std::to_string((i * 13) % 41)) + ",2,x" +
                std::to_string(i % 3) + "\n";
    auto d = read_csv(text, "s.csv");
    REQUIRE(d.ok());
    for (auto method : {ScaleMethod::ZScore, ScaleMethod::MinMax, ScaleMethod::None}) {
        const auto whole = scale_features(*d, method);
        const ScaledColumns lazy(*d, method);
        REQUIRE(lazy.rows() == 300);
        REQUIRE(lazy.cols() == whole.matrix.cols);
        CHECK(lazy.stats().offset == whole.stats.offset);
        CHECK(lazy.stats().divisor == whole.stats.divisor);
        std::vector<float> scratch(300 * lazy.cols());
        for (std::size_t first : {0, 1, 3, 64, 299})
            for (std::size_t count : {1, 5, 64}) {
                if (first + count > 300) continue;
                const float* rows = lazy.read(first, count, scratch.data());
                for (std::size_t i = 0; i < count * lazy.cols(); ++i) REQUIRE(rows[i] == whole.matrix.data[first * lazy.cols() + i]);
            }
        const Matrix copy = read_all(lazy);
        CHECK(copy.data == whole.matrix.data);
    }
}
