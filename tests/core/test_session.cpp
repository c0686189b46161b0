#include <catch2/catch.hpp>
#include <algorithm>
#include <cmath>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/random.hpp"
#include "io/csv_reader.hpp"
#include "metrics/partition_agreement.hpp"
#include "pipeline/export_labels.hpp"
#include "pipeline/hierarchy.hpp"
#include "pipeline/session.hpp"
#include "pipeline/stability.hpp"

using namespace recluster;

namespace {

// Blobs inside blobs: two plain groups of 300 rows far apart, and a third group made of three tight inner blobs
// of 100 rows each (12 sd apart). Columns x, y and the text column `inner` (a, b, c for the inner blobs, "-"
// elsewhere).
std::shared_ptr<const Dataset> nested() {
    std::string csv = "x,y,inner\n";
    RandomStream rng(11, 0);
    auto gauss = [&] {  // Box-Muller from the counter-based stream
        const double u = std::max(1e-12, static_cast<double>(rng.uniform())), v = rng.uniform();
        return std::sqrt(-2 * std::log(u)) * std::cos(6.283185307179586 * v);
    };
    auto add = [&](double cx, double cy, double sd, const char* tag) {
        char buf[128];
        std::snprintf(buf, sizeof buf, "%.5f,%.5f,%s\n", cx + sd * gauss(), cy + sd * gauss(), tag);
        csv += buf;
    };
    for (int i = 0; i < 300; ++i) add(0, 0, 2.0, "-");
    for (int i = 0; i < 300; ++i) add(100, 0, 2.0, "-");
    const double inner[3][2] = {{0, 100}, {6, 100}, {3, 105}};
    const char* tags[] = {"a", "b", "c"};
    for (int i = 0; i < 300; ++i) add(inner[i % 3][0], inner[i % 3][1], 0.5, tags[i % 3]);
    auto d = read_csv(csv, "nested.csv");
    REQUIRE(d.ok());
    return std::make_shared<const Dataset>(std::move(*d));
}

Recipe top_recipe() {
    // A global (PCA) view with large clusters: the inner blobs merge at the top.
    auto r = recipe_from_json(R"({"embedding":"pca","min_cluster_size":150})");
    REQUIRE(r.ok());
    return *r;
}

// The top-level cluster that holds the inner blobs (rows 600..899).
int inner_group(const Session& s) {
    return s.node(0).output->labels[700];
}

}  // namespace

TEST_CASE("session: drilling into a cluster finds the inner blobs the top level merges") {
    auto data = nested();
    Session s(data);
    REQUIRE(compute_node(s, 0, top_recipe(), 2).ok());
    const auto& top = *s.node(0).output;
    const int g = inner_group(s);
    REQUIRE(g >= 0);
    std::size_t in_g = 0;
    for (std::size_t i = 600; i < 900; ++i) {
        CHECK((top.labels[i] == g || top.labels[i] == -1));  // one cluster at the top (a few rows may be noise)
        in_g += top.labels[i] == g;
    }
    CHECK(in_g >= 290);
    auto child = s.child_for_cluster(0, g);
    REQUIRE(child.ok());
    const SessionNode& n = s.node(*child);
    CHECK(n.path == std::to_string(g));
    CHECK(n.depth == 1);
    REQUIRE(n.rows.size() == in_g);
    CHECK(n.data->rows == n.rows.size());
    // The child's data is its own: statistics on its rows only.
    CHECK(n.data->columns[1].stats.min > 90);
    Recipe child_recipe = s.default_recipe(*child);
    CHECK(child_recipe.min_cluster_size == 150);  // the parent's recipe...
    CHECK(child_recipe.n_epochs == Session::kDrillEpochs);  // (automatic epochs become the quick drill setting)
    child_recipe.min_cluster_size = 40;            // ...changed for the zoomed-in view
    child_recipe.embedding = "umap";               // and UMAP's local view of the cluster's own rows
    child_recipe.n_epochs = 200;
    // HDBSCAN may leave a few rows of an inner blob as noise on one map or another: every seed finds the three
    // blobs, and on average (five seeds) all but a few rows are where they belong.
    const std::size_t tag_col = data->column_index("inner");
    double sum = 0;
    for (std::uint64_t seed : {child_recipe.seed, std::uint64_t{1}, std::uint64_t{2}, std::uint64_t{3}, std::uint64_t{4}}) {
        child_recipe.seed = seed;
        REQUIRE(compute_node(s, *child, child_recipe, 2).ok());
        const auto& inner = *s.node(*child).output;
        INFO("seed " << seed << ": inner sizes " << nlohmann::json(inner.clustering.sizes).dump() << " noise " << inner.clustering.n_noise);
        CHECK(inner.clustering.sizes.size() == 3);
        std::vector<int> truth, found;
        for (std::size_t i = 0; i < n.rows.size(); ++i) {
            truth.push_back(data->columns[tag_col].text[n.rows[i]][0]);
            found.push_back(inner.labels[i]);
        }
        const double ari = adjusted_rand_index(truth, found);
        CHECK(ari > 0.9);
        sum += ari;
    }
    CHECK(sum / 5 > 0.97);
}

TEST_CASE("session: an explain run that explained nothing leaves the view unexplained") {
    Session s(nested());
    REQUIRE(compute_node(s, 0, top_recipe(), 1).ok());
    s.add_explanations(0, {});
    CHECK_FALSE(s.node(0).explanations);  // a session file cannot tell "explained nothing" from "not explained"
    ClusterExplanation e;
    e.cluster = 0;
    s.add_explanations(0, {e});
    REQUIRE(s.node(0).explanations);
    s.add_explanations(0, {});
    CHECK(s.node(0).explanations->size() == 1);  // earlier explanations stay
}

TEST_CASE("session: zoomed-in views fill in their own automatic epochs and min cluster size") {
    auto data = nested();
    Session s(data);
    auto top = recipe_from_json(R"({"embedding":"pca"})");  // everything automatic
    REQUIRE(top.ok());
    CHECK(s.view_defaults(0, *top).min_cluster_fraction == 0);  // the top keeps 0.5%
    CHECK(s.view_defaults(0, *top).effective_min_cluster_size(20000) == 100);  // 0.5%
    REQUIRE(compute_node(s, 0, *top, 2).ok());
    const int g = inner_group(s);
    REQUIRE(g >= 0);
    auto child = s.child_for_cluster(0, g);
    REQUIRE(child.ok());
    const std::size_t rows = s.node(*child).rows.size();
    Recipe r = s.default_recipe(*child);
    CHECK(r.n_epochs == Session::kDrillEpochs);
    CHECK(r.min_cluster_fraction == Session::kDrillMinClusterFraction);
    CHECK(r.min_cluster_size == 0);  // still automatic: it scales with the view's rows
    CHECK(r.effective_min_cluster_size(rows) == std::max(5, static_cast<int>(rows * 0.02 + 0.5)));
    // A user's own values are kept.
    auto mine = recipe_from_json(R"({"embedding":"pca","n_epochs":50,"min_cluster_fraction":0.1})");
    REQUIRE(mine.ok());
    CHECK(s.view_defaults(*child, *mine).n_epochs == 50);
    CHECK(s.view_defaults(*child, *mine).min_cluster_fraction == 0.1);
    // The computed child runs with them, and a grandchild inherits the fraction (not a fixed size).
    REQUIRE(compute_node(s, *child, r, 2).ok());
    CHECK(s.node(*child).output->clustering.min_cluster_size == r.effective_min_cluster_size(rows));
    CHECK(!recipe_from_json(R"({"min_cluster_fraction":0.9})").ok());
}

TEST_CASE("session: navigation, caching, hierarchical labels and determinism") {
    auto data = nested();
    Session s(data);
    REQUIRE(compute_node(s, 0, top_recipe(), 1).ok());
    const int g = inner_group(s);
    const int child = *s.child_for_cluster(0, g);
    CHECK(*s.child_for_cluster(0, g) == child);  // the same node, not a new one
    CHECK_FALSE(s.go_to(child));                 // not computed yet
    Recipe r = s.default_recipe(child);
    r.min_cluster_size = 40;
    r.embedding = "umap";
    r.n_epochs = 200;
    REQUIRE(compute_node(s, child, r, 1).ok());
    REQUIRE(s.go_to(child));
    CHECK(s.breadcrumbs() == std::vector<int>{0, child});
    CHECK(s.up());
    CHECK(s.current() == 0);
    CHECK(s.breadcrumbs() == std::vector<int>{0});
    CHECK_FALSE(s.up());  // the root has no parent
    CHECK(s.go_to(child));

    // Hierarchical labels: rows of the drilled cluster get "g.k"; the rest keep their top-level label.
    const auto paths = s.row_paths();
    const auto& top = *s.node(0).output;
    const auto& node = s.node(child);
    const std::string prefix = std::to_string(g) + ".";
    std::size_t in_child = 0;
    for (std::size_t i = 0; i < paths.size(); ++i) {
        if (top.labels[i] == g) {
            CHECK(paths[i].rfind(prefix, 0) == 0);
            ++in_child;
        } else {
            CHECK(paths[i] == (top.labels[i] < 0 ? std::string("noise") : std::to_string(top.labels[i])));
        }
    }
    CHECK(in_child == node.rows.size());

    // A fresh session, the same drill path and recipes: bit-identical results (3 threads this time).
    Session again(data);
    REQUIRE(compute_node(again, 0, top_recipe(), 3).ok());
    const int child2 = *again.child_for_cluster(0, g);
    REQUIRE(compute_node(again, child2, r, 3).ok());
    CHECK(again.node(child2).output->embedding.data == node.output->embedding.data);
    CHECK(again.node(child2).output->labels == node.output->labels);
    CHECK(again.row_paths() == paths);

    // The hierarchy as JSON.
    const auto h = nlohmann::json::parse(s.hierarchy_json());
    CHECK(h["label"] == "All");
    CHECK(h["rows"] == 900);
    REQUIRE(h["children"].size() == 1);
    CHECK(h["children"][0]["path"] == std::to_string(g));
    CHECK(h["children"][0]["clusters"] == 3);
    CHECK(h["children"][0]["fraction"].get<double>() == Approx(static_cast<double>(node.rows.size()) / 900));

    // Re-clustering the root forgets its cluster children (their ids no longer mean the same rows).
    Recipe km = top_recipe();
    km.cluster = "kmeans";
    km.n_clusters = 3;
    REQUIRE(compute_node(s, 0, km, 1).ok());
    CHECK(s.node(0).children.empty());
    CHECK_FALSE(s.go_to(child));
    CHECK_FALSE(s.node(child).data);  // a detached view's rows and result are freed
    CHECK_FALSE(s.node(child).output);
}

TEST_CASE("session: selections and readable errors") {
    auto data = nested();
    Session s(data);
    CHECK(s.child_for_cluster(0, 0).error() == "This view has no result yet to zoom into.");
    REQUIRE(compute_node(s, 0, top_recipe(), 1).ok());
    CHECK(s.child_for_cluster(0, 99).error().find("There is no cluster 99 here") == 0);
    CHECK(s.child_for_cluster(5, 0).error() == "Unknown node.");
    CHECK(s.child_for_selection(0, {1, 1, 2}).error() == "Select at least 3 rows to zoom into.");
    CHECK(s.child_for_selection(0, {1, 2, 900}).error().find("Selected row 900 is outside") == 0);
    std::vector<std::size_t> pick;
    for (std::size_t i = 600; i < 700; ++i) pick.push_back(i);
    auto sel = s.child_for_selection(0, pick);
    REQUIRE(sel.ok());
    CHECK(s.node(*sel).label == "selection 1 (100 rows)");
    CHECK(s.node(*sel).cluster == -1);
    auto r = recipe_from_json(R"({"embedding":"pca"})");
    REQUIRE(compute_node(s, *sel, *r, 1).ok());
    // Selections are views, not part of the rows' hierarchical labels.
    const auto paths = s.row_paths();
    CHECK(paths[650] == std::to_string(inner_group(s)));
}

TEST_CASE("hierarchy: automatic recursion by depth and minimum fraction, leaves without sub-structure") {
    auto data = nested();
    Session s(data);
    auto top = recipe_from_json(R"({"n_epochs":100,"min_cluster_size":40})");
    REQUIRE(compute_node(s, 0, *top, 2).ok());
    HierarchyOptions o;
    o.max_depth = 2;
    o.min_fraction = 0.05;
    o.n_threads = 2;
    HierarchyJob job(s, 0, o);
    int steps = 0;
    while (job.step(500)) ++steps;
    REQUIRE_FALSE(job.failed());
    CHECK(steps > 1);
    CHECK(job.progress() == Approx(1.0));
    CHECK(job.computed() == static_cast<int>(s.size()) - 1);
    for (std::size_t id = 1; id < s.size(); ++id) {
        const SessionNode& n = s.node(static_cast<int>(id));
        INFO("node " << n.label);
        REQUIRE(n.output);
        CHECK(n.depth <= 2);
        CHECK(static_cast<double>(n.rows.size()) >= 0.05 * 900);
        const SessionNode& p = s.node(n.parent);
        CHECK(p.output->clustering.sizes.size() >= 2);  // only clusters of a split are drilled into
        CHECK(n.path.rfind(p.path.empty() ? "" : p.path + ".", 0) == 0);
        if (n.output->clustering.sizes.size() < 2) CHECK(n.children.empty());  // no sub-structure: a leaf
    }
    // Depth 0 computes nothing more; a second job over a finished tree has nothing to do.
    HierarchyOptions none = o;
    none.max_depth = 0;
    HierarchyJob nothing(s, 0, none);
    CHECK_FALSE(nothing.step(100));
    const std::size_t before = s.size();
    HierarchyJob again(s, 0, o);
    while (again.step(500)) {
    }
    CHECK(s.size() == before);
    CHECK(again.computed() == 0);
    // Every row's path has at most three parts (depth 2 + its cluster there).
    for (const auto& p : s.row_paths()) CHECK(std::count(p.begin(), p.end(), '.') <= 2);
    // Deterministic: the same tree in a fresh session with one thread.
    Session fresh(data);
    REQUIRE(compute_node(fresh, 0, *top, 1).ok());
    HierarchyOptions one = o;
    one.n_threads = 1;
    HierarchyJob job1(fresh, 0, one);
    while (job1.step(100000)) {
    }
    CHECK(fresh.row_paths() == s.row_paths());
    CHECK(fresh.hierarchy_json() == s.hierarchy_json());
    // Cancel stops between steps.
    Session c(data);
    REQUIRE(compute_node(c, 0, *top, 1).ok());
    HierarchyJob cancelled(c, 0, o);
    cancelled.cancel();
    CHECK_FALSE(cancelled.step(100));
    CHECK(cancelled.error() == "Cancelled.");
}

TEST_CASE("stability: best-match Jaccard by hand") {
    // Reference clusters {0,1,2}, {3,4}; the rerun splits the first and keeps the second, row 5 noise in both.
    const std::vector<int> ref = {0, 0, 0, 1, 1, -1};
    const std::vector<int> other = {0, 0, 2, 1, 1, -1};
    const auto j = best_match_jaccard(ref, other, 2);
    CHECK(j[0] == Approx(2.0 / 3.0));  // {0,1} of {0,1,2}
    CHECK(j[1] == Approx(1.0));
    CHECK(std::string(stability_rating(0.9)) == "stable");
    CHECK(std::string(stability_rating(0.7)) == "fair");
    CHECK(std::string(stability_rating(0.3)) == "unstable");
}

TEST_CASE("stability: clear clusters are stable under reseeding, permutation and subsampling, noise is not") {
    auto data = nested();
    auto r = recipe_from_json(R"({"embedding":"pca","min_cluster_size":150})");
    auto out = run_pipeline(*data, *r, 2);
    REQUIRE(out.ok());
    StabilityOptions o;
    o.n_threads = 2;
    StabilityJob job(data, *r, out->labels, o);
    int steps = 0;
    while (job.step()) ++steps;
    REQUIRE_FALSE(job.failed());
    CHECK(job.progress() == Approx(1.0));
    const auto& rep = job.report();
    REQUIRE(rep.runs.size() == 7);  // 3 seeds, 1 permutation, 3 bootstraps
    CHECK(rep.runs[3].kind == "permutation");
    CHECK(rep.runs[6].rows == 720);
    REQUIRE(rep.jaccard.size() == 3);
    for (std::size_t c = 0; c < 3; ++c) {
        CHECK(rep.jaccard[c] > 0.95);
        CHECK(rep.rating[c] == "stable");
    }
    CHECK(rep.mean_ari > 0.95);
    // Deterministic.
    StabilityJob again(data, *r, out->labels, o);
    while (again.step()) {
    }
    CHECK(again.result_json() == job.result_json());

    // Uniform noise cut into 6 k-means pieces: the pieces move between reruns.
    std::string csv = "x,y\n";
    RandomStream rng(3, 3);
    for (int i = 0; i < 600; ++i) csv += std::to_string(rng.uniform()) + "," + std::to_string(rng.uniform()) + "\n";
    auto uniform = read_csv(csv, "uniform.csv");
    REQUIRE(uniform.ok());
    auto u = std::make_shared<const Dataset>(std::move(*uniform));
    auto kr = recipe_from_json(R"({"embedding":"pca","cluster":"kmeans","n_clusters":6})");
    auto uout = run_pipeline(*u, *kr, 1);
    REQUIRE(uout.ok());
    StabilityJob noisy(u, *kr, uout->labels, o);
    while (noisy.step()) {
    }
    double mean = 0;
    for (double v : noisy.report().jaccard) mean += v / 6;
    INFO("uniform mean Jaccard " << mean << ", ARI " << noisy.report().mean_ari);
    CHECK(mean < 0.9);
    CHECK(noisy.report().mean_ari < rep.mean_ari);
}

TEST_CASE("labels export: original columns, hierarchical path and the deepest view's values per row") {
    // A text column with commas and quotes must survive the round trip.
    std::string csv = "x,y,note,map_x\n";  // map_x clashes with an added column
    RandomStream rng(5, 0);
    for (int i = 0; i < 400; ++i) {
        const double cx = i < 200 ? 0 : 50;
        char buf[96];
        std::snprintf(buf, sizeof buf, "%.4f,%.4f,", cx + rng.uniform() * 4, rng.uniform() * 4);
        csv += buf;
        csv += i == 3 ? "\"has, a comma and \"\"quotes\"\"\",1\n" : "plain,1\n";
    }
    auto parsed = read_csv(csv, "notes.csv");
    REQUIRE(parsed.ok());
    Session s(std::make_shared<const Dataset>(std::move(*parsed)));
    auto r = recipe_from_json(R"({"embedding":"pca","min_cluster_size":50})");
    REQUIRE(r.ok());
    REQUIRE(compute_node(s, 0, *r, 2).ok());
    const int g = s.node(0).output->labels[0];
    REQUIRE(g >= 0);
    auto child = s.child_for_cluster(0, g);
    REQUIRE(child.ok());
    REQUIRE(compute_node(s, *child, s.default_recipe(*child), 2).ok());
    s.set_stability(0, R"({"clusters":[{"cluster":0,"jaccard":0.93,"rating":"stable"},{"cluster":1,"jaccard":0.7,"rating":"fair"}]})");
    const std::string out = export_labels_csv(s);
    // Read it back with our own CSV reader: the original columns and values, plus the exploration's.
    auto back = read_csv(out, "export.csv");
    REQUIRE(back.ok());
    REQUIRE(back->rows == 400);
    const std::vector<std::string> want = {"x", "y", "note", "map_x", "path", "probability", "outlier_score", "map_x_recluster", "map_y", "stability", "view"};
    std::vector<std::string> names;
    for (const auto& c : back->columns) names.push_back(c.name);
    REQUIRE(names == want);
    CHECK(back->cell_text(3, 2) == "has, a comma and \"quotes\"");
    const auto paths = s.row_paths();
    const std::size_t path_col = back->column_index("path"), view_col = back->column_index("view"),
                      stab_col = back->column_index("stability");
    for (std::size_t i = 0; i < 400; ++i) {
        REQUIRE(back->cell_text(i, path_col) == paths[i]);
        CHECK(back->cell_text(i, 0) == s.node(0).data->cell_text(i, 0));
    }
    // Rows of the drilled cluster come from the child view (no stability there); the others from the top, whose
    // clusters carry the checked stability.
    const SessionNode& c = s.node(*child);
    CHECK(back->cell_text(c.rows[0], view_col) == c.path);
    CHECK(back->cell_text(c.rows[0], stab_col).empty());
    for (std::size_t i = 0; i < 400; ++i)
        if (s.node(0).output->labels[i] >= 0 && s.node(0).output->labels[i] != g) {
            CHECK(back->cell_text(i, view_col).empty());
            CHECK(!back->cell_text(i, stab_col).empty());
            break;
        }
}
