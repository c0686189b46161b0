#include <catch2/catch.hpp>

#include <cmath>

#include "io/csv_reader.hpp"
#include "pipeline/pipeline_job.hpp"
#include "prep/column_types.hpp"

using namespace recluster;

namespace {

Dataset parse(const std::string& text) {
    auto d = read_csv(text, "t.csv", [] {
        CsvOptions o;
        o.require_numeric = false;
        return o;
    }());
    REQUIRE(d.ok());
    return std::move(*d);
}

Dataset typed(const std::string& text, const ColumnTyping& typing = {}) {
    auto d = apply_column_types(parse(text), typing);
    if (!d.ok()) FAIL(d.error());
    return std::move(*d);
}

std::vector<std::string> names(const Dataset& d, const std::vector<std::size_t>& cols) {
    std::vector<std::string> out;
    for (auto c : cols) out.push_back(d.columns[c].name);
    return out;
}

}  // namespace

TEST_CASE("column types: vector cells parse in the usual export formats") {
    std::vector<float> v;
    REQUIRE(parse_vector_cell("[0.1, -2, 3e2]", v));
    CHECK(v == std::vector<float>{0.1f, -2.0f, 300.0f});
    REQUIRE(parse_vector_cell(" 1 2  3\t4 ", v));
    CHECK(v.size() == 4);
    REQUIRE(parse_vector_cell("(1;2)", v));
    CHECK(v.size() == 2);
    REQUIRE(parse_vector_cell("[1,2,]", v) == false);  // a trailing comma leaves an empty part
    CHECK_FALSE(parse_vector_cell("[1,,2]", v));
    CHECK_FALSE(parse_vector_cell("[1, x]", v));
    CHECK_FALSE(parse_vector_cell("[]", v));
    CHECK_FALSE(parse_vector_cell("[1, nan]", v));
    CHECK_FALSE(parse_vector_cell("[1, inf]", v));
    CHECK_FALSE(parse_vector_cell("1-2", v));
}

TEST_CASE("column types: detection of features, keys, labels, pixels, vectors and text") {
    std::string csv = "id,species,height,emb,comment\n";
    for (int i = 0; i < 30; ++i)
        csv += std::to_string(i + 1) + "," + (i % 3 ? "cat" : "dog") + "," + std::to_string(10 + i % 7) + ",\"[" +
               std::to_string(i) + ".5, 1, 2]\",the quick brown fox number " + std::to_string(i) + " jumps\n";
    const Dataset d = typed(csv);
    CHECK(d.columns[0].role == ColumnRole::Identifier);
    CHECK(d.columns[1].role == ColumnRole::Label);
    CHECK(d.columns[2].role == ColumnRole::Feature);
    CHECK(d.columns[3].role == ColumnRole::Vector);
    CHECK(d.columns[4].role == ColumnRole::Identifier);  // free text beside other features: not embedded by default
    CHECK(d.columns[4].note.find("'text'") != std::string::npos);
    CHECK(d.original_columns() == 5);
    CHECK(names(d, d.feature_columns()) == std::vector<std::string>{"height", "emb[0]", "emb[1]", "emb[2]"});
    CHECK(d.columns[5].numbers[3] == 3.5f);
    CHECK(d.columns[5].derived_from == 3);
    CHECK(d.label_column() == 1);
    // Several label columns: the last one is the table's label (targets usually come last).
    const Dataset two = typed("plan,x,segment\nfree,1,a\npro,2,b\nfree,3,a\npro,4,b\n");
    CHECK(two.columns[0].role == ColumnRole::Label);
    CHECK(two.label_column() == 2);

    // A numeric label named like one is not a feature; a plain numeric column keeps being one.
    const Dataset t = typed("x,target\n1,0\n2,1\n3,0\n4,2\n");
    CHECK(t.columns[1].role == ColumnRole::Label);
    CHECK(t.feature_columns() == std::vector<std::size_t>{0});

    // 16 pixel columns named p1..p16 draw as a 4 x 4 image; 15 do not.
    std::string px = "p1";
    for (int j = 2; j <= 16; ++j) (px += ",p") += std::to_string(j);
    px += "\n";
    for (int r = 0; r < 3; ++r) {
        for (int j = 0; j < 16; ++j) (px += j ? "," : "") += std::to_string(r * j);
        px += "\n";
    }
    const Dataset image = typed(px);
    std::vector<std::string> all;
    for (const auto& c : image.columns) all.push_back(c.name);
    CHECK(image.image_features(all).size() == 16);
    for (const auto& c : image.columns) CHECK(c.role == ColumnRole::Pixels);
}

TEST_CASE("column types: free text alone is embedded with TF-IDF + LSA") {
    std::string csv = "review\n";
    const char* topics[] = {"battery screen charger phone died quickly", "pasta sauce garlic cheese dinner recipe"};
    for (int i = 0; i < 40; ++i) csv += std::string(topics[i % 2]) + " and more words " + std::to_string(i % 5) + "\n";
    const Dataset d = typed(csv);
    REQUIRE(d.columns[0].role == ColumnRole::Text);
    REQUIRE(d.columns.size() > 1);
    CHECK(d.columns[1].name == "review:lsa1");
    CHECK(d.columns[1].derived_from == 0);
    CHECK(d.columns[0].note.find("TF-IDF") != std::string::npos);
    // The pipeline runs on it.
    Recipe r;
    r.embedding = "pca";
    auto out = run_pipeline(d, r);
    REQUIRE(out.ok());
    CHECK(out->feature_columns.front() == "review:lsa1");
}

TEST_CASE("column types: user roles override detection, categories are one-hot encoded up to the cap") {
    const std::string csv = "city,size,plan\nParis,1,free\nLyon,2,pro\nParis,3,\nNice,4,free\n";
    ColumnTyping typing;
    typing.roles["city"] = ColumnRole::Category;
    typing.roles["plan"] = ColumnRole::Category;
    const Dataset d = typed(csv, typing);
    CHECK(names(d, d.feature_columns()) ==
          std::vector<std::string>{"size", "city=Paris", "city=Lyon", "city=Nice", "plan=free", "plan=pro"});
    const std::size_t free = d.column_index("plan=free");
    CHECK(d.columns[free].numbers == std::vector<float>{1, 0, 0, 1});
    CHECK(d.columns[d.column_index("plan=pro")].numbers == std::vector<float>{0, 1, 0, 0});  // missing: no level
    CHECK(d.columns[0].note == "one-hot: 3 columns");

    typing.max_categories = 2;
    const Dataset capped = typed(csv, typing);
    CHECK(capped.column_index("city=Paris") == capped.columns.size());
    CHECK(capped.columns[0].note.find("more than the 2") != std::string::npos);
    REQUIRE(!capped.warnings.empty());

    // Numeric codes as a category; a numeric column can be set aside.
    ColumnTyping codes;
    codes.roles["size"] = ColumnRole::Category;
    const Dataset c = typed("size,w\n1,5\n2,6\n1,7\n", codes);
    CHECK(names(c, c.feature_columns()) == std::vector<std::string>{"w", "size=1", "size=2"});
    ColumnTyping ignore;
    ignore.roles["w"] = ColumnRole::Ignore;
    CHECK(typed("size,w\n1,5\n2,6\n1,7\n", ignore).feature_columns() == std::vector<std::size_t>{0});
}

TEST_CASE("column types: re-typing a typed dataset starts from the file's columns") {
    ColumnTyping a;
    a.roles["plan"] = ColumnRole::Category;
    Dataset d = typed("v,plan\n1,x\n2,y\n3,x\n", a);
    CHECK(d.columns.size() == 4);
    auto again = apply_column_types(std::move(d), ColumnTyping{});
    REQUIRE(again.ok());
    CHECK(again->columns.size() == 2);
    CHECK(again->columns[1].role == ColumnRole::Label);
}

TEST_CASE("column types: roles that cannot apply are errors naming the column") {
    const auto error = [](const std::string& csv, const std::string& column, ColumnRole role) {
        ColumnTyping t;
        t.roles[column] = role;
        auto r = apply_column_types(parse(csv), t);
        REQUIRE_FALSE(r.ok());
        return r.error();
    };
    CHECK(error("a,b\n1,x\n", "nope", ColumnRole::Feature) == "Column roles: there is no column 'nope'.");
    CHECK(error("a,b\n1,x\n", "b", ColumnRole::Feature) == "Column 'b' holds text: it cannot have the role 'feature'.");
    CHECK(error("a,b\n1,\"[1,2]\"\n2,\"[1,2,3]\"\n", "b", ColumnRole::Vector) ==
          "Column 'b' row 2 has 3 numbers where the rows before have 2");
    CHECK(error("a,b\n1,\"[1,2]\"\n2,\"[1,oops]\"\n", "b", ColumnRole::Vector) ==
          "Column 'b' row 2: '[1,oops]' is not a vector of numbers");
    CHECK(error("a,b\n1,x\n2,x\n", "b", ColumnRole::Text).find("too few words") != std::string::npos);
}

TEST_CASE("column types: typing JSON round-trips and is parsed strictly") {
    ColumnTyping t;
    t.roles["a b"] = ColumnRole::Category;
    t.roles["z"] = ColumnRole::Label;
    t.max_categories = 12;
    auto back = parse_column_typing(column_typing_json(t));
    REQUIRE(back.ok());
    CHECK(*back == t);
    CHECK(column_typing_json(ColumnTyping{}) == "{}");
    CHECK(parse_column_typing("{}")->is_default());
    CHECK(parse_column_typing("[]").error() == "Column roles must be a JSON object.");
    CHECK(parse_column_typing(R"({"roles":{"a":"colour"}})").error().find("unknown role \"colour\"") != std::string::npos);
    CHECK(parse_column_typing(R"({"text_dims":1})").error().find("from 2 to 300") != std::string::npos);
    CHECK(parse_column_typing(R"({"x":1})").error() == "Column roles: unknown key \"x\".");
}

TEST_CASE("column types: names that are not UTF-8 (a Latin-1 export) still make JSON") {
    const Dataset d = typed("caf\xe9,x\n1,2\n2,3\n3,1\n4,5\n");
    ColumnTyping t;
    t.roles[d.columns[0].name] = ColumnRole::Ignore;
    std::string json;
    REQUIRE_NOTHROW(json = column_typing_json(t));
    CHECK(json.find("caf\xef\xbf\xbd") != std::string::npos);  // the invalid byte became U+FFFD
}
