#include <catch2/catch.hpp>

#include "explain/top_terms.hpp"

using namespace recluster;

TEST_CASE("top terms: a cluster's distinctive words come first, with their shares") {
    const std::vector<std::string> texts = {
        "battery died, battery again", "battery and screen", "screen cracked", "battery screen charger",  // cluster 0
        "pasta with garlic", "garlic bread", "pasta sauce", "pasta dinner screen",                        // cluster 1
        "random noise words", "battery noise"};                                                          // noise
    const std::vector<int> labels = {0, 0, 0, 0, 1, 1, 1, 1, -1, -1};
    const auto t = top_terms(texts, labels, 3);
    REQUIRE(t.size() == 2);
    CHECK(t[0].size == 4);
    REQUIRE(!t[0].terms.empty());
    CHECK(t[0].terms[0].term == "battery");  // 3 of 4 in the cluster, 1 of 6 elsewhere
    CHECK(t[0].terms[0].share_in == Approx(0.75));
    CHECK(t[0].terms[0].share_out == Approx(1.0 / 6.0));
    CHECK(t[0].terms[1].term == "screen");   // 3 of 4, but 1 of 6 elsewhere too: ties broken by the term
    REQUIRE(!t[1].terms.empty());
    CHECK(t[1].terms[0].term == "pasta");
    for (const auto& c : t)
        for (std::size_t i = 1; i < c.terms.size(); ++i) CHECK(c.terms[i].score <= c.terms[i - 1].score);
    // A word in one document of a cluster is not enough (min_docs 2); noise is never a cluster.
    for (const auto& term : t[1].terms) CHECK(term.term != "bread");
    const std::string json = top_terms_json(t, "review");
    CHECK(json.find("\"column\":\"review\"") != std::string::npos);
    CHECK(json.find("\"term\":\"battery\"") != std::string::npos);
}

TEST_CASE("top terms: empty input, all noise, empty texts") {
    CHECK(top_terms({}, {}).empty());
    CHECK(top_terms({"a b", "c d"}, {-1, -1}).empty());
    const auto t = top_terms({"", "", "x"}, {0, 0, 0});
    REQUIRE(t.size() == 1);
    CHECK(t[0].size == 3);
    CHECK(t[0].terms.empty());
}
