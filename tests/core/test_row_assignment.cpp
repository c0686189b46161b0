// New rows through the data's column typing (features_of_new_rows: names, one-hot levels, vectors, text models)
// and whole files assigned to cluster paths in batches (RowAssignmentJob): the same answer as the predictor row
// by row, whole or streamed in any chunk size, with readable errors.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <map>
#include <sstream>

#include "common/random.hpp"
#include "io/csv_reader.hpp"
#include "pipeline/row_assignment.hpp"
#include "prep/column_types.hpp"
#include "stump_model.hpp"

using namespace recluster;
using recluster::testing::stump;

namespace {

Dataset typed(const std::string& csv, const ColumnTyping& typing) {
    CsvOptions o;
    o.require_numeric = false;
    auto d = read_csv(csv, "t.csv", o);
    REQUIRE(d.ok());
    auto t = apply_column_types(std::move(*d), typing);
    REQUIRE(t.ok());
    return std::move(*t);
}

Result<std::vector<std::vector<float>>> new_rows(const std::string& csv, const NewRowTyping& typing, const std::vector<std::string>& features) {
    CsvOptions o;
    o.require_numeric = false;
    o.text_columns = typing.text_columns;
    auto d = read_csv(csv, "new.csv", o);
    REQUIRE(d.ok());
    return features_of_new_rows(std::move(*d), typing, features);
}


// Top view: cluster 0 when x < 0, 1 otherwise; inside cluster 1: sub-cluster 0 when kind is not "a", 1 when it is.
PathPredictor two_level_predictor() {
    PathPredictor p;
    p.add_view("", {0, 1}, {stump(0, 0.0f, 3.0f), stump(0, 0.0f, -3.0f)});
    p.add_view("1", {0, 1}, {stump(1, 0.5f, 2.0f), stump(1, 0.5f, -2.0f)});
    return p;
}

RowAssignmentSetup xy_setup() {
    RowAssignmentSetup s;
    s.typing.roles = {{"x", ColumnRole::Feature}, {"kind", ColumnRole::Category}, {"note", ColumnRole::Identifier}};
    s.typing.text_columns = {"kind", "note"};
    s.features = {"x", "kind=a"};
    return s;
}

// 20,000 rows: x, kind (a/b/c, and "7" now and then: a code that looks like a number), a quoted note.
std::string xy_csv(std::vector<std::pair<float, std::string>>& rows) {
    std::string s = "x,kind,note\n";
    RandomStream rng(11, 2);
    for (int i = 0; i < 20000; ++i) {
        const float x = static_cast<float>(rng.uniform() * 2.0 - 1.0);
        const std::string kind = i % 101 == 0 ? "7" : std::string(1, "abc"[rng.below(3)]);
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.6f", static_cast<double>(x));
        s += buf;
        s += "," + kind + ",\"note, line\n" + std::to_string(i) + "\"\n";
        rows.emplace_back(std::strtof(buf, nullptr), kind);
    }
    return s;
}

std::string run_whole(RowAssignmentJob& job) {
    std::string out;
    while (job.step()) out += job.take_output();
    return out + job.take_output();
}

std::string run_streamed(RowAssignmentJob& job, const std::string& text, std::size_t chunk) {
    std::string out;
    while (job.step()) {
        if (job.waiting() && job.wanted_offset() < text.size()) {
            const std::size_t at = static_cast<std::size_t>(job.wanted_offset());
            job.feed(text.data() + at, std::min(chunk, text.size() - at), at);
        }
        out += job.take_output();
    }
    return out + job.take_output();
}

}  // namespace

TEST_CASE("new rows: features by name, one-hot levels by the category's cells, vectors by their dimensions") {
    ColumnTyping typing;
    typing.roles["city"] = ColumnRole::Category;
    typing.roles["code"] = ColumnRole::Category;
    typing.roles["emb"] = ColumnRole::Vector;
    const Dataset data = typed("size,city,code,emb\n1,Paris,1,\"[1, 2]\"\n2,Lyon,2,\"[3, 4]\"\n3,Paris,1,\"[5, 6]\"\n", typing);
    const NewRowTyping nt = new_row_typing(data, typing);
    CHECK(nt.roles.at("city") == ColumnRole::Category);
    CHECK(nt.text_columns == std::vector<std::string>{"city", "emb"});
    const std::vector<std::string> features = {"size", "city=Paris", "city=Lyon", "code=1", "code=2", "emb[0]", "emb[1]"};
    // Columns in another order, a city the data did not have, a missing cell, an extra column.
    auto v = new_rows("emb,extra,code,city,size\n\"[7, 8]\",x,2,Nice,10\n\"[9, 10]\",y,1,Lyon,\n\"[0, 1]\",z,,Paris,12\n", nt, features);
    REQUIRE(v.ok());
    REQUIRE(v->size() == features.size());
    CHECK((*v)[1] == std::vector<float>{0, 0, 1});
    CHECK((*v)[2] == std::vector<float>{0, 1, 0});
    CHECK((*v)[3] == std::vector<float>{0, 1, 0});
    CHECK((*v)[4] == std::vector<float>{1, 0, 0});
    CHECK((*v)[5] == std::vector<float>{7, 9, 0});
    CHECK((*v)[6] == std::vector<float>{8, 10, 1});
    CHECK((*v)[0][0] == 10.0f);
    CHECK(std::isnan((*v)[0][1]));

    auto no_city = new_rows("size,code,emb\n1,1,\"[1, 2]\"\n", nt, features);
    REQUIRE_FALSE(no_city.ok());
    CHECK(no_city.error() == "the new rows have no column 'city' (the models need it)");
    auto no_size = new_rows("city,code,emb\nParis,1,\"[1, 2]\"\n", nt, features);
    REQUIRE_FALSE(no_size.ok());
    CHECK(no_size.error() == "the new rows have no numeric column 'size' (the models need it)");
    auto bad_vector = new_rows("size,city,code,emb\n1,Paris,1,\"[1, x]\"\n", nt, features);
    REQUIRE_FALSE(bad_vector.ok());
    CHECK(bad_vector.error().find("is not a vector of numbers") != std::string::npos);
}

TEST_CASE("new rows: a text column's words go through the data's TF-IDF + LSA model") {
    std::string csv = "review,stars\n";
    const char* topics[] = {"battery charger screen phone signal camera", "pasta sauce garlic oven recipe cheese",
                            "goal match striker league coach referee"};
    RandomStream rng(5, 1);
    std::vector<std::string> docs;
    for (int i = 0; i < 90; ++i) {
        std::istringstream words(topics[i % 3]);
        std::vector<std::string> w{std::istream_iterator<std::string>(words), {}};
        std::string doc;
        for (int k = 0; k < 6; ++k) doc += (k ? " " : "") + w[rng.below(6)];
        docs.push_back(doc);
        csv += doc + "," + std::to_string(i % 5) + "\n";
    }
    ColumnTyping typing;
    typing.roles["review"] = ColumnRole::Text;
    typing.text_dims = 3;
    const Dataset data = typed(csv, typing);
    const NewRowTyping nt = new_row_typing(data, typing);
    REQUIRE(nt.text_models.count("review") == 1);
    std::vector<std::string> features;
    for (std::size_t c : data.feature_columns()) features.push_back(data.columns[c].name);
    REQUIRE(features.size() == 4);  // stars, review:lsa1..3
    // The data's own rows as new rows: the same features (to float rounding).
    auto same = new_rows(csv, nt, features);
    REQUIRE(same.ok());
    for (std::size_t f = 0; f < features.size(); ++f)
        for (std::size_t r = 0; r < data.rows; ++r)
            CHECK(std::fabs((*same)[f][r] - data.columns[data.column_index(features[f])].numbers[r]) < 1e-4);
    // Without the model (a typing from elsewhere) the reason is given.
    NewRowTyping without = nt;
    without.text_models.clear();
    auto refused = new_rows(csv, without, features);
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error() == "the models use the words of column 'review', but its text model is not available.");
}

TEST_CASE("row assignment: every row once and in order, whole or streamed, any thread count, equal to the predictor row by row") {
    std::vector<std::pair<float, std::string>> rows;
    const std::string text = xy_csv(rows);
    const PathPredictor predictor = two_level_predictor();
    std::string expect = "row,path,confidence,probability\n";
    std::map<std::string, std::size_t> counts;
    for (std::size_t r = 0; r < rows.size(); ++r) {
        const float row[2] = {rows[r].first, rows[r].second == "a" ? 1.0f : 0.0f};
        const PathPrediction p = predictor.predict(row);
        char buf[96];
        std::snprintf(buf, sizeof buf, "%zu,%s,%.6g,%.6g\n", r, p.path.c_str(), p.confidence, p.probability);
        expect += buf;
        ++counts[p.path];
    }
    REQUIRE(counts.size() == 3);  // 0, 1.0, 1.1
    RowAssignmentJob whole(text, "new.csv", xy_setup(), predictor);
    CHECK(run_whole(whole) == expect);
    CHECK(whole.error().empty());
    CHECK(whole.rows() == rows.size());
    CHECK(whole.counts() == counts);
    CHECK(whole.progress() == 1.0);
    for (int threads : {2, 3}) {
        RowAssignmentSetup setup = xy_setup();
        setup.n_threads = threads;
        RowAssignmentJob threaded(text, "new.csv", setup, predictor);
        CHECK(run_whole(threaded) == expect);
    }
    for (std::size_t chunk : {std::size_t{4096}, std::size_t{1} << 20}) {
        RowAssignmentJob streamed("new.csv", text.size(), xy_setup(), predictor);
        CHECK(run_streamed(streamed, text, chunk) == expect);
        CHECK(streamed.counts() == counts);
    }
    // The summary lists paths by descending rows.
    const std::string summary = whole.summary_json();
    CHECK(summary.find("\"rows\":20000") != std::string::npos);
}

TEST_CASE("row assignment: output waits for the taker, errors name the row or column") {
    std::vector<std::pair<float, std::string>> rows;
    std::string text = xy_csv(rows);
    const std::string body = text.substr(text.find('\n') + 1);
    for (int copy = 0; copy < 15; ++copy) text += body;  // 320,000 rows: about 9 MB of output, over the 8 MB cap
    RowAssignmentJob job(text, "new.csv", xy_setup(), two_level_predictor());
    while (!job.output_full()) REQUIRE(job.step());  // the cap is reached before the end of the file
    // Full: steps do nothing (no more rows) until the output is taken.
    const std::size_t rows_then = job.rows();
    for (int i = 0; i < 5; ++i) REQUIRE(job.step());
    CHECK(job.rows() == rows_then);
    const std::string held = job.take_output();
    CHECK(held.size() >= (std::size_t{8} << 20));
    CHECK_FALSE(job.output_full());
    std::string out = held;
    while (job.step()) out += job.take_output();
    out += job.take_output();
    CHECK(rows_then < 320000);
    CHECK(job.rows() == 320000);
    CHECK(static_cast<std::size_t>(std::count(out.begin(), out.end(), '\n')) == 320001);

    // A feature column with text in a late row.
    std::vector<std::pair<float, std::string>> ignored;
    const std::string late = xy_csv(ignored) + "oops,a,\"n\"\n";
    RowAssignmentJob bad(late, "new.csv", xy_setup(), two_level_predictor());
    run_whole(bad);
    CHECK(bad.error() == "Column 'x' has text in data row 20001 after numbers in the rows above; read in batches, a column must keep its type.");
    // The category column is missing.
    RowAssignmentJob missing("x,note\n0.5,hi\n", "new.csv", xy_setup(), two_level_predictor());
    run_whole(missing);
    CHECK(missing.error() == "the new rows have no column 'kind' (the models need it)");
    RowAssignmentJob empty("x,kind,note\n", "new.csv", xy_setup(), two_level_predictor());
    run_whole(empty);
    CHECK(empty.error() == "The file has a header row but no data rows.");
}
