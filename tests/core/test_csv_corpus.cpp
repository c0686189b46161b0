// The ingest corpus (tests/data/ingest): 33 unusual or malformed files, each with its expected outcome in
// expected.json — shape, types, names, values, the delimiter and decimal separator, a warning, or the exact error.
#include <catch2/catch.hpp>

#include <cmath>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "io/csv_reader.hpp"

using namespace recluster;

namespace {
std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    REQUIRE(in);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}
const Column& column(const Dataset& d, const std::string& name) {
    const std::size_t c = d.column_index(name);
    REQUIRE(c < d.columns.size());
    return d.columns[c];
}
}  // namespace

TEST_CASE("csv corpus: every file gives its expected dataset or error") {
    const std::string dir = RECLUSTER_TEST_DIR "/data/ingest/";
    const auto cases = nlohmann::json::parse(slurp(dir + "expected.json"));
    REQUIRE(cases.size() >= 34);
    for (const auto& e : cases) {
        const std::string file = e["file"];
        INFO(file << " " << e.dump());
        CsvOptions o;
        if (e.contains("options")) o.skip_bad_rows = e["options"].value("skip_bad_rows", false);
        auto r = read_csv(slurp(dir + file), file, o);
        if (e.contains("error")) {
            REQUIRE_FALSE(r.ok());
            CHECK_THAT(r.error(), Catch::Contains(e["error"].get<std::string>()));
            continue;
        }
        REQUIRE(r.ok());
        const Dataset& d = *r;
        CHECK(d.rows == e["rows"].get<std::size_t>());
        if (e.contains("types")) {
            std::string types;
            for (const auto& c : d.columns) types += c.type == ColumnType::Numeric ? 'N' : 'T';
            CHECK(types == e["types"].get<std::string>());
        }
        if (e.contains("names")) {
            std::vector<std::string> names;
            for (const auto& c : d.columns) names.push_back(c.name);
            CHECK(names == e["names"].get<std::vector<std::string>>());
        }
        if (e.contains("delimiter")) CHECK(std::string(1, d.delimiter) == e["delimiter"].get<std::string>());
        if (e.contains("decimal")) CHECK(std::string(1, d.decimal) == e["decimal"].get<std::string>());
        if (e.contains("values"))
            for (auto it = e["values"].begin(); it != e["values"].end(); ++it) {
                const Column& c = column(d, it.key());
                REQUIRE(c.type == ColumnType::Numeric);
                const auto want = it.value().get<std::vector<double>>();
                REQUIRE(c.numbers.size() == want.size());
                for (std::size_t i = 0; i < want.size(); ++i) CHECK(c.numbers[i] == Approx(want[i]));
            }
        if (e.contains("texts"))
            for (auto it = e["texts"].begin(); it != e["texts"].end(); ++it)
                CHECK(column(d, it.key()).text == it.value().get<std::vector<std::string>>());
        if (e.contains("missing"))
            for (auto it = e["missing"].begin(); it != e["missing"].end(); ++it)
                CHECK(column(d, it.key()).stats.missing == it.value().get<std::size_t>());
        if (e.contains("warning")) {
            bool found = false;
            for (const auto& w : d.warnings) found |= w.find(e["warning"].get<std::string>()) != std::string::npos;
            CHECK(found);
        }
    }
}
