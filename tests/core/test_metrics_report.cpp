#include <catch2/catch.hpp>
#include <cmath>
#include <memory>
#include <nlohmann/json.hpp>

#include "io/csv_reader.hpp"
#include "metrics/dbcv.hpp"
#include "metrics/internal_validity.hpp"
#include "metrics/partition_agreement.hpp"
#include "metrics/report.hpp"
#include "golden_io.hpp"

using namespace recluster;

namespace {
nlohmann::json run_report(MetricsInput in) {
    MetricsJob job(std::move(in));
    int steps = 0;
    while (job.step()) ++steps;
    CHECK(steps >= 3);  // the silhouette may take several steps
    CHECK(job.progress() == Approx(1.0));
    return nlohmann::json::parse(job.result_json());
}
}  // namespace

TEST_CASE("metrics report: the same values as the metric functions, DBCV for density, agreement with a column") {
    auto x = std::make_shared<const Matrix>(test::read_float_csv(RECLUSTER_TEST_DIR "/golden/hdbscan_blobs.csv"));
    const std::vector<int> labels = test::int_column(test::read_golden(RECLUSTER_TEST_DIR "/golden/hdbscan_blobs_r.csv"), 1);
    MetricsInput in;
    in.space = x;
    in.labels = labels;
    in.density = true;
    in.truth_column = "r5";
    in.truth = test::int_column(test::read_golden(RECLUSTER_TEST_DIR "/golden/hdbscan_blobs_r.csv"), 0);
    const auto j = run_report(in);
    CHECK(j["silhouette"]["method"] == "exact");
    CHECK(j["silhouette"]["value"].get<double>() == Approx(silhouette(*x, labels).mean));
    CHECK(j["davies_bouldin"].get<double>() == Approx(davies_bouldin(*x, labels)));
    CHECK(j["calinski_harabasz"].get<double>() == Approx(calinski_harabasz(*x, labels)));
    CHECK(j["dbcv"]["value"].get<double>() == Approx(dbcv(*x, labels).score));
    CHECK(j["agreement"]["ari"].get<double>() == Approx(adjusted_rand_index(labels, in.truth)));
    CHECK(j["noise_rows"] == 175);
    // Over budget: sampled against all rows, then both sides subsampled; the JSON says which.
    in.budget = 2e6;
    in.density = false;
    in.truth_column.clear();
    const auto s = run_report(in);
    CHECK(s["silhouette"]["method"] == "subsample");
    CHECK(s["silhouette"]["rows"].get<int>() == 1000);  // sqrt(2e6 / 2)
    CHECK(s["silhouette"]["value"].get<double>() == Approx(j["silhouette"]["value"].get<double>()).margin(0.05));
    CHECK_FALSE(s.contains("dbcv"));
    CHECK_FALSE(s.contains("agreement"));
    {
        // 12,000 rows in 3 bands: exact would need 2.9e8 terms, 5000 sampled rows against all need 1.2e8.
        auto big = std::make_shared<Matrix>(12000, 2);
        MetricsInput b;
        b.labels.resize(12000);
        for (std::size_t i = 0; i < 12000; ++i) {
            big->at(i, 0) = static_cast<float>(i % 3) * 10.0f + static_cast<float>(i % 7) * 0.1f;
            big->at(i, 1) = static_cast<float>(i % 11) * 0.1f;
            b.labels[i] = static_cast<int>(i % 3);
        }
        b.space = big;
        b.budget = 1.5e8;
        const auto r = run_report(b);
        CHECK(r["silhouette"]["method"] == "sampled rows against all rows");
        CHECK(r["silhouette"]["rows"] == 5000);
        MetricsJob sliced(b);  // 5e7 terms per step: the 5000 sampled rows take three steps
        int steps = 0;
        while (sliced.step()) ++steps;
        CHECK(steps == 5);
        CHECK(sliced.result_json() == r.dump());
        CHECK(r["silhouette"]["value"].get<double>() == Approx(silhouette(*big, b.labels).mean).margin(0.01));
    }
    // One cluster: undefined values are null, not NaN in the JSON.
    in.labels.assign(x->rows, 0);
    const auto one = run_report(in);
    CHECK(one["silhouette"]["value"].is_null());
    CHECK(one["davies_bouldin"].is_null());
}

TEST_CASE("label_codes: one code per distinct cell text, missing cells share one") {
    auto d = read_csv("a,c\n1,x\n2,y\n3,\n4,x\n5,\n", "t.csv");
    REQUIRE(d.ok());
    const auto codes = label_codes(*d, 1);
    CHECK(codes[0] == codes[3]);
    CHECK(codes[2] == codes[4]);
    CHECK(codes[0] != codes[1]);
    CHECK(codes[1] != codes[2]);
}
