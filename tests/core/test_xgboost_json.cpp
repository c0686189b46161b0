// XGBoost JSON models: our export read back gives the same predictions, bad files are refused with a message, and
// Debian's python3-xgboost loads the export and reproduces our margins (1e-5) and SHAP values (1e-4).
#include <catch2/catch.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <unistd.h>

#include "common/random.hpp"
#include "explain/tree_shap.hpp"
#include "explain/xgboost_json.hpp"

using namespace recluster;

namespace {
Matrix data_with_missing(std::size_t n, std::size_t m, std::vector<std::uint8_t>& y) {
    Matrix x(n, m);
    y.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        RandomStream rng(21, i);
        for (std::size_t c = 0; c < m; ++c) x.at(i, c) = rng.uniform() * 10 - 5;
        if (rng.uniform() < 0.15f) x.at(i, 1) = std::numeric_limits<float>::quiet_NaN();
        if (rng.uniform() < 0.05f) x.at(i, 3) = std::numeric_limits<float>::quiet_NaN();
        const float a = std::isnan(x.at(i, 1)) ? 2.0f : x.at(i, 1);
        y[i] = x.at(i, 0) + a * x.at(i, 2) * 0.3f + (rng.uniform() - 0.5f) * 2 > 0 ? 1 : 0;
    }
    return x;
}
}  // namespace

TEST_CASE("XGBoost JSON: round trip and refusals") {
    std::vector<std::uint8_t> y;
    const Matrix x = data_with_missing(1500, 6, y);
    BoosterOptions o;
    o.n_rounds = 20;
    const BoosterModel m = train_booster(x, y, o);
    auto back = from_xgboost_json(to_xgboost_json(m, {"a", "b", "c", "d", "e", "f"}));
    REQUIRE(back.ok());
    CHECK(back->trees.size() == m.trees.size());
    for (std::size_t r = 0; r < x.rows; ++r) REQUIRE(back->margin(x.row(r)) == m.margin(x.row(r)));
    CHECK(!from_xgboost_json("{").ok());
    CHECK(from_xgboost_json("{}").error().find("schema") != std::string::npos);
    std::string bad = to_xgboost_json(m);
    const auto at = bad.find("\"binary:logistic\"");
    bad.replace(at, 17, "\"reg:squarederror\"");
    CHECK(from_xgboost_json(bad).error().find("binary:logistic") != std::string::npos);
}

TEST_CASE("XGBoost JSON: python3-xgboost loads our model and predicts our margins and SHAP values", "[python]") {
    std::vector<std::uint8_t> y;
    const Matrix x = data_with_missing(3000, 8, y);
    BoosterOptions o;
    o.n_rounds = 40;
    o.max_depth = 5;
    o.subsample = 0.9;
    o.colsample_bytree = 0.8;
    o.n_threads = 2;
    BoosterModel m = train_booster(x, y, o);
    REQUIRE(m.trees.size() > 3);
    // A base score other than XGBoost's default, as cluster models trained on sampled negatives have (XGBoost 1.7
    // silently read 0.5 for the 10 significant digits we once wrote).
    m.base_score = static_cast<float>(0.3141592653589793);
    const auto dir = std::filesystem::temp_directory_path() / ("recluster_xgb_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "model.json") << to_xgboost_json(m);
    {
        std::ofstream data(dir / "data.csv"), ours(dir / "ours.csv");
        char buf[64];
        for (std::size_t r = 0; r < x.rows; ++r) {
            for (std::size_t c = 0; c < x.cols; ++c) {
                std::snprintf(buf, sizeof buf, "%.9g", static_cast<double>(x.at(r, c)));
                data << (c ? "," : "") << (std::isnan(x.at(r, c)) ? "nan" : buf);
            }
            data << "\n";
            std::snprintf(buf, sizeof buf, "%.12g", m.margin(x.row(r)));
            ours << buf;
            for (double v : model_shap(m, x.row(r))) {
                std::snprintf(buf, sizeof buf, ",%.12g", v);
                ours << buf;
            }
            ours << "\n";
        }
    }
    const std::string cmd = "/usr/bin/python3 " RECLUSTER_TEST_DIR "/python/check_xgboost_export.py " + dir.string();
    INFO("needs Debian's python3-xgboost (scripts/setup.sh installs it): " << cmd);
    CHECK(std::system(cmd.c_str()) == 0);
    std::filesystem::remove_all(dir);
}
