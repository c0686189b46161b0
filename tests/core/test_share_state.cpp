// Share-link state: a session's views round-trip through the compact JSON; default recipes cost nothing; every
// kind of tampering gives a readable error; no prefix of a valid state parses (truncated links are refused).
#include <catch2/catch.hpp>

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "common/random.hpp"
#include "io/csv_reader.hpp"
#include "pipeline/share_state.hpp"

using namespace recluster;

namespace {
std::shared_ptr<const Dataset> two_groups() {
    std::string csv = "x,y\n";
    RandomStream rng(3, 0);
    for (int i = 0; i < 300; ++i) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "%.4f,%.4f\n", (i < 150 ? 0 : 40) + rng.uniform() * 5, rng.uniform() * 5);
        csv += buf;
    }
    auto d = read_csv(csv, "groups.csv");
    REQUIRE(d.ok());
    return std::make_shared<const Dataset>(std::move(*d));
}

std::string valid_state() {
    return R"J({"v":1,"fp":")J" + std::string(64, 'a') +
           R"J(","views":[{"p":"","r":{"embedding":"pca"}},{"p":"0","r":{"n_epochs":200}}],"at":"0","hl":1,"cam":[1.5,-2,30],"color":"(cluster)"})J";
}

std::string with(const std::string& key, const nlohmann::json& value) {
    nlohmann::json j = nlohmann::json::parse(valid_state());
    if (value.is_null()) j.erase(key);
    else j[key] = value;
    return j.dump();
}
}  // namespace

TEST_CASE("share state: a session's views round-trip, default recipes are empty") {
    Session s(two_groups());
    auto top = recipe_from_json(R"({"embedding":"pca","min_cluster_size":40,"seed":7})");
    REQUIRE(top.ok());
    REQUIRE(compute_node(s, 0, *top, 2).ok());
    auto child = s.child_for_cluster(0, 0);
    REQUIRE(child.ok());
    REQUIRE(compute_node(s, *child, s.default_recipe(*child), 2).ok());
    REQUIRE(s.go_to(*child));
    ShareState st = share_state_of(s);
    CHECK(st.fingerprint == s.dataset()->fingerprint);
    REQUIRE(st.views.size() == 2);
    CHECK(st.current == "0");
    st.has_camera = true;
    st.cx = 0.25;
    st.cy = -3;
    st.zoom = 12.5;
    st.color_by = "x";
    st.highlighted = 0;
    const std::string json = share_state_json(st);
    auto back = parse_share_state(json);
    REQUIRE(back.ok());
    REQUIRE(back->views.size() == 2);
    for (std::size_t i = 0; i < 2; ++i) {
        CHECK(back->views[i].path == st.views[i].path);
        CHECK(back->views[i].recipe.to_json() == st.views[i].recipe.to_json());
    }
    CHECK(back->current == "0");
    CHECK(back->cx == 0.25);
    CHECK(back->zoom == 12.5);
    CHECK(back->color_by == "x");
    CHECK(back->highlighted == 0);
    CHECK(back->data_name == s.dataset()->name);
    CHECK(back->data_rows == s.dataset()->rows);
    CHECK(back->setup.is_default());
    CHECK(share_state_json(*back) == json);
    // The data setup travels when the user chose one.
    st.setup.delimiter = ';';
    st.setup.typing.roles["kind"] = ColumnRole::Category;
    auto with_setup = parse_share_state(share_state_json(st));
    REQUIRE(with_setup.ok());
    CHECK(with_setup->setup == st.setup);
    // Only the keys that differ from the default recipe travel.
    ShareState plain;
    plain.fingerprint = std::string(64, '0');
    plain.views.push_back(ShareView{"", Recipe{}});
    CHECK(nlohmann::json::parse(share_state_json(plain))["views"][0]["r"] == nlohmann::json::object());
}

TEST_CASE("share state: tampered links are refused with a readable message") {
    REQUIRE(parse_share_state(valid_state()).ok());
    const auto error = [](const std::string& json) {
        auto r = parse_share_state(json);
        REQUIRE(!r.ok());
        return r.error();
    };
    CHECK(error("") == "The link is damaged: its state is not readable.");
    CHECK(error("[1,2]") == "The link is damaged: its state is not readable.");
    CHECK_THAT(error(with("v", 2)), Catch::Contains("another version"));
    CHECK_THAT(error(with("v", nullptr)), Catch::Contains("no version"));
    CHECK_THAT(error(with("fp", "abc")), Catch::Contains("fingerprint is malformed"));
    CHECK_THAT(error(with("fp", std::string(64, 'A'))), Catch::Contains("fingerprint is malformed"));
    CHECK_THAT(error(with("views", nlohmann::json::array())), Catch::Contains("no views"));
    CHECK_THAT(error(with("views", nlohmann::json::parse(R"([{"p":"","r":{}},{"p":"01","r":{}}])"))), Catch::Contains("malformed path"));
    CHECK_THAT(error(with("views", nlohmann::json::parse(R"([{"p":"","r":{}},{"p":"3..1","r":{}}])"))), Catch::Contains("malformed path"));
    CHECK_THAT(error(with("views", nlohmann::json::parse(R"([{"p":"","r":{}},{"p":"-1","r":{}}])"))), Catch::Contains("malformed path"));
    CHECK_THAT(error(with("views", nlohmann::json::parse(R"([{"p":"","r":{}},{"p":"2.1","r":{}}])"))), Catch::Contains("before its parent"));
    CHECK_THAT(error(with("views", nlohmann::json::parse(R"([{"p":"0","r":{}}])"))), Catch::Contains("first view must be the top"));
    CHECK_THAT(error(with("views", nlohmann::json::parse(R"([{"p":"","r":{}},{"p":"","r":{}}])"))), Catch::Contains("twice"));
    CHECK_THAT(error(with("views", nlohmann::json::parse(R"([{"p":"","r":{"min_cluster_size":1}}])"))), Catch::Contains("bad recipe"));
    CHECK_THAT(error(with("views", nlohmann::json::parse(R"([{"p":"","r":{"nope":1}}])"))), Catch::Contains("bad recipe"));
    CHECK_THAT(error(with("at", "7")), Catch::Contains("does not list"));
    CHECK_THAT(error(with("hl", -3)), Catch::Contains("highlighted cluster"));
    CHECK_THAT(error(with("cam", nlohmann::json::parse("[1,2,0]"))), Catch::Contains("camera"));
    CHECK_THAT(error(with("cam", nlohmann::json::parse("[1,2]"))), Catch::Contains("camera"));
    CHECK_THAT(error(with("color", 5)), Catch::Contains("'color'"));
    CHECK_THAT(error(with("name", 5)), Catch::Contains("'name'"));
    CHECK_THAT(error(with("rows", -1)), Catch::Contains("row count"));
    CHECK_THAT(error(with("rows", "12")), Catch::Contains("row count"));
    CHECK_THAT(error(with("setup", 3)), Catch::Contains("data setup is malformed"));
    CHECK_THAT(error(with("setup", nlohmann::json::parse(R"({"delimiter":"x"})"))), Catch::Contains("delimiter must be"));
    CHECK_THAT(error(with("setup", nlohmann::json::parse(R"({"roles":{"a":"b"}})"))), Catch::Contains("unknown role"));
    nlohmann::json many = nlohmann::json::parse(valid_state());
    many["views"] = nlohmann::json::array({{{"p", ""}, {"r", nlohmann::json::object()}}});
    for (int i = 0; i < 300; ++i) many["views"].push_back({{"p", std::to_string(i)}, {"r", nlohmann::json::object()}});
    CHECK_THAT(error(many.dump()), Catch::Contains("too many views"));
}

TEST_CASE("share state: no truncation of a valid state parses, and none throws") {
    const std::string full = valid_state();
    for (std::size_t n = 0; n < full.size(); ++n) {
        Result<ShareState> r = Result<ShareState>::failure("");
        REQUIRE_NOTHROW(r = parse_share_state(full.substr(0, n)));
        REQUIRE(!r.ok());
        REQUIRE(!r.error().empty());
    }
    // Single-byte corruptions: parse or refuse, never throw.
    RandomStream rng(1, 2);
    for (int i = 0; i < 2000; ++i) {
        std::string s = full;
        s[rng.below(static_cast<std::uint32_t>(s.size()))] = static_cast<char>(rng.below(256));
        REQUIRE_NOTHROW(parse_share_state(s));
    }
}
