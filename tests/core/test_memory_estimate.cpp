#include <catch2/catch.hpp>

#include "pipeline/data_setup.hpp"
#include "pipeline/memory_estimate.hpp"

using namespace recluster;

TEST_CASE("memory estimate: linear in rows, grows with columns, rows_within fits the limit") {
    const MemoryEstimate a = estimate_memory(1000, 10, 1, 12), b = estimate_memory(2000, 10, 1, 12);
    CHECK(b.total() == Approx(2 * a.total()));
    CHECK(estimate_memory(1000, 20, 1, 12).total() > a.total());
    // Up to 100 features the pipeline holds scaled copies of them; above, the PCA pre-reduction reads the columns
    // scaled on the fly and UMAP sees 50 components: the pipeline no longer grows with the columns, the data does.
    CHECK(estimate_memory(1000, 100, 0, 0).pipeline_bytes > estimate_memory(1000, 50, 0, 0).pipeline_bytes + 1000 * 400);
    CHECK(estimate_memory(1000, 784, 0, 0).pipeline_bytes == estimate_memory(1000, 200, 0, 0).pipeline_bytes);
    CHECK(estimate_memory(1000, 784, 0, 0).pipeline_bytes < estimate_memory(1000, 100, 0, 0).pipeline_bytes);
    CHECK(estimate_memory(1000, 784, 0, 0).data_bytes == Approx(1000 * 784 * 4.0));
    CHECK(estimate_memory(1000, 784, 0, 0).total() > estimate_memory(1000, 200, 0, 0).total() + 1000 * 584 * 4.0 - 1);
    for (double limit : {1e6, 3.3e7, 2e9}) {
        const std::size_t rows = rows_within(limit, 32, 1, 10);
        REQUIRE(rows > 0);
        CHECK(estimate_memory(static_cast<double>(rows), 32, 1, 10).total() <= limit);
        CHECK(estimate_memory(static_cast<double>(rows) * 1.1, 32, 1, 10).total() > limit);  // two significant digits
        const std::string digits = std::to_string(rows);
        CHECK(digits.find_first_not_of('0', 2) == std::string::npos);
    }
    CHECK(rows_within(1000, 32, 0, 0) == 0);
    CHECK(format_bytes(3.14e9) == "3.1 GB");
    CHECK(format_bytes(7.4e8) == "740 MB");
    CHECK(format_bytes(12345) == "12 KB");
}

TEST_CASE("memory estimate: a load over the limit is refused before it is read, and its suggested sample fits") {
    std::string csv = "a,b,c,d,label\n";
    for (int i = 0; i < 20000; ++i) csv += std::to_string(i) + ",1.5,2.5,3.5,x\n";
    DataLoadJob job(csv, "big.csv", DataSetup{});
    job.set_memory_limit(5e6);
    while (job.step()) {
    }
    auto r = job.finish();
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().find("big.csv needs about ") == 0);
    CHECK(r.error().find("more than the 5 MB this browser tab can still use: load a sample of ") != std::string::npos);
    const std::size_t sample = job.suggested_sample();
    REQUIRE(sample > 100);
    REQUIRE(sample < 20000);
    DataSetup setup;
    setup.sample_rows = sample;
    DataLoadJob again(csv, "big.csv", setup);
    again.set_memory_limit(5e6);
    while (again.step()) {
    }
    auto s = again.finish();
    REQUIRE(s.ok());
    CHECK(s->rows > sample * 8 / 10);
    CHECK(s->rows < sample * 12 / 10);
    // The setup's sample travels as JSON.
    auto back = parse_data_setup(data_setup_json(setup));
    REQUIRE(back.ok());
    CHECK(back->sample_rows == sample);
    CHECK(parse_data_setup(R"({"sample_rows":5})").error().find("from 100") != std::string::npos);
}
