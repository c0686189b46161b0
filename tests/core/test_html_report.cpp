// HTML report: one self-contained page (no external reference), every computed view with its map and cluster table,
// a section per cluster (explained ones with their SHAP chart, profile and representative rows; pixel data with an
// average image), names escaped, the same bytes for the same session.
#include <catch2/catch.hpp>

#include <memory>
#include <regex>
#include <string>

#include "common/random.hpp"
#include "io/csv_reader.hpp"
#include "report/html_report.hpp"

using namespace recluster;

namespace {
std::size_t occurrences(const std::string& s, const std::string& what) {
    std::size_t n = 0;
    for (std::size_t p = s.find(what); p != std::string::npos; p = s.find(what, p + what.size())) ++n;
    return n;
}

// 16 pixel-like columns (a 4 x 4 image) in two groups, plus a text column whose name needs escaping.
std::string pixels_csv() {
    std::string csv;
    for (int c = 0; c < 16; ++c) {
        csv += 'p';
        csv += std::to_string(c);
        csv += ',';
    }
    csv += "a<b&c\n";
    RandomStream rng(3, 0);
    for (int i = 0; i < 240; ++i) {
        const bool bright = i < 120;
        for (int c = 0; c < 16; ++c) {
            const double v = (bright == (c < 8) ? 200 : 20) + rng.uniform() * 30;
            csv += std::to_string(static_cast<int>(v)) + ",";
        }
        csv += rng.uniform() < 0.5 ? "u\n" : "v\n";  // a text column: not a feature
    }
    return csv;
}
}  // namespace

TEST_CASE("html report: self-contained, every view and cluster, escaped, deterministic") {
    auto d = read_csv(pixels_csv(), "pix<els>.csv");
    REQUIRE(d.ok());
    Session s(std::make_shared<const Dataset>(std::move(*d)));
    auto top = recipe_from_json(R"({"n_epochs":60,"min_cluster_size":30,"seed":4})");
    REQUIRE(top.ok());
    REQUIRE(compute_node(s, 0, *top, 2).ok());
    const std::size_t top_clusters = s.node(0).output->clustering.sizes.size();
    REQUIRE(top_clusters >= 2);
    ExplainOptions eo;
    eo.booster.n_rounds = 10;
    ExplainJob job(s.explain_input(0), eo);
    while (job.step()) {
    }
    s.add_explanations(0, job.explanations());
    auto child = s.child_for_cluster(0, 0);
    REQUIRE(child.ok());
    REQUIRE(compute_node(s, *child, s.default_recipe(*child), 2).ok());
    const std::size_t child_clusters = s.node(*child).output->clustering.sizes.size();

    const std::string html = html_report(s);
    CHECK(html.rfind("<!doctype html>", 0) == 0);
    CHECK(html.find("</html>") != std::string::npos);
    // Nothing to fetch: no external URL, no script, images inline.
    CHECK_FALSE(std::regex_search(html, std::regex(R"((src|href)\s*=\s*"(?!data:))")));
    CHECK(html.find("http://") == std::string::npos);
    CHECK(html.find("https://") == std::string::npos);
    CHECK(html.find("<script") == std::string::npos);
    CHECK(occurrences(html, "src=\"data:image/png;base64,") == 2 + top_clusters);  // two maps, an average image per explained cluster
    CHECK(occurrences(html, "<section class=\"view\">") == 2);
    CHECK(occurrences(html, "<section class=\"cluster\">") == top_clusters + child_clusters);
    CHECK(occurrences(html, "<svg class=\"shap\"") == top_clusters);
    CHECK(occurrences(html, "Not explained") == child_clusters);
    CHECK(html.find("pix&lt;els&gt;.csv") != std::string::npos);
    CHECK(html.find("pix<els>") == std::string::npos);
    if (child_clusters > 0) CHECK(html.find("Cluster 0.0") != std::string::npos);  // a sub-cluster's section
    CHECK(html.find("<h2>Cluster 0 ") != std::string::npos);                       // the zoomed-in view
    CHECK(html.find("break-before: page") != std::string::npos);  // one cluster per printed page
    CHECK(html_report(s) == html);
    ReportOptions o;
    o.title = "Fashion & more";
    o.image_width = 0;
    CHECK(html_report(s, o).find("<h1>Fashion &amp; more</h1>") != std::string::npos);
}
