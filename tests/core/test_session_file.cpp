// Session files: save an exploration (views, maps, labels, trees, stability, explanations) and read it back into
// the same state without recomputing; damaged, truncated or tampered files fail readably and never crash.
#include <catch2/catch.hpp>

#include <cstring>
#include <memory>
#include <string>

#include "common/random.hpp"
#include "common/sha256.hpp"
#include "golden_io.hpp"
#include "io/csv_reader.hpp"
#include "pipeline/session_file.hpp"

using namespace recluster;

namespace {
std::string groups_csv() {
    std::string csv = "x,y,z,kind\n";
    RandomStream rng(7, 0);
    for (int i = 0; i < 300; ++i) {
        char buf[96];
        const double cx = i < 100 ? 0 : i < 200 ? 30 : 60;
        std::snprintf(buf, sizeof buf, "%.4f,%.4f,%.4f,%s\n", cx + rng.uniform() * 6, rng.uniform() * 6 + (i % 2) * 20,
                      rng.uniform(), i % 3 ? "a" : "b");
        csv += buf;
    }
    return csv;
}

std::shared_ptr<const Dataset> load(const std::string& csv) { return test::shared_dataset(csv, "groups.csv"); }

// A session with a top view (explained), a zoom into cluster 0 (explained if it has clusters), a selection, and a
// stability report.
std::unique_ptr<Session> explored(const std::string& csv) {
    auto s = std::make_unique<Session>(load(csv));
    auto top = recipe_from_json(R"({"n_epochs":60,"min_cluster_size":30,"seed":3})");
    REQUIRE(top.ok());
    REQUIRE(compute_node(*s, 0, *top, 2).ok());
    auto child = s->child_for_cluster(0, 0);
    REQUIRE(child.ok());
    Recipe cr = s->default_recipe(*child);
    cr.min_cluster_size = 10;
    REQUIRE(compute_node(*s, *child, cr, 2).ok());
    ExplainOptions eo;
    eo.booster.n_rounds = 8;
    for (int id : {0, *child}) {  // the zoomed view may have no clusters to explain: then it stays unexplained
        ExplainJob job(s->explain_input(id), eo);
        while (job.step()) {
        }
        REQUIRE(job.done());
        s->add_explanations(id, job.explanations(), job.prepared());
    }
    REQUIRE(s->node(0).explanations);
    REQUIRE(s->node(0).explanations->size() == s->node(0).output->clustering.sizes.size());
    CHECK(static_cast<bool>(s->node(*child).explanations) == !s->node(*child).output->clustering.sizes.empty());
    s->set_stability(*child, R"({"clusters":[{"cluster":0,"jaccard":0.9}]})");
    std::vector<std::size_t> pick;
    for (std::size_t i = 0; i < 40; ++i) pick.push_back(i * 3);
    auto sel = s->child_for_selection(0, pick);
    REQUIRE(sel.ok());
    REQUIRE(compute_node(*s, *sel, s->default_recipe(*sel), 1).ok());
    REQUIRE(s->go_to(*child));
    return s;
}

void same_output(const PipelineOutput& a, const PipelineOutput& b) {
    CHECK(a.embedding.data == b.embedding.data);
    CHECK(a.labels == b.labels);
    CHECK(a.clustering.probabilities == b.clustering.probabilities);
    CHECK(a.clustering.outlier_scores == b.clustering.outlier_scores);
    CHECK(a.clustering.sizes == b.clustering.sizes);
    CHECK(a.clustering.stability == b.clustering.stability);
    CHECK(a.clustering.selected == b.clustering.selected);
    CHECK(a.feature_columns == b.feature_columns);
    CHECK(a.umap.n_epochs == b.umap.n_epochs);
    REQUIRE(static_cast<bool>(a.clustering.tree) == static_cast<bool>(b.clustering.tree));
    if (a.clustering.tree) {
        CHECK(a.clustering.tree->dendrogram.left == b.clustering.tree->dendrogram.left);
        CHECK(a.clustering.tree->dendrogram.distance == b.clustering.tree->dendrogram.distance);
    }
    REQUIRE(static_cast<bool>(a.clustering.condensed) == static_cast<bool>(b.clustering.condensed));
    if (a.clustering.condensed) CHECK(a.clustering.condensed->lambda == b.clustering.condensed->lambda);
}

std::string with_digest(std::string payload) {
    const std::string d = sha256_hex(payload);
    return payload + d;
}
}  // namespace

TEST_CASE("session file: an exploration reopens with the same views, results and explanations") {
    const std::string csv = groups_csv();
    auto a = explored(csv);
    auto bytes = encode_session_file(*a, csv, R"({"camera":[1,2,3]})", R"({"delimiter":","})");
    REQUIRE(bytes.ok());
    auto file = decode_session_file(*bytes);
    REQUIRE(file.ok());
    CHECK(file->data_name == "groups.csv");
    CHECK(file->data_setup == R"({"delimiter":","})");
    CHECK(file->view_json == R"({"camera":[1,2,3]})");
    CHECK(file->nodes.size() == 3);
    auto b = restore_session(load(file->data_text), *file);
    REQUIRE(b.ok());
    Session& s = **b;
    REQUIRE(s.size() == a->size());
    CHECK(s.current() == a->current());
    CHECK(s.row_paths() == a->row_paths());
    CHECK(s.hierarchy_json() == a->hierarchy_json());
    for (std::size_t id = 0; id < s.size(); ++id) {
        const SessionNode& x = a->node(static_cast<int>(id));
        const SessionNode& y = s.node(static_cast<int>(id));
        CHECK(x.rows == y.rows);
        CHECK(x.label == y.label);
        CHECK(x.recipe.to_json() == y.recipe.to_json());
        REQUIRE(y.output);
        same_output(*x.output, *y.output);
        CHECK(x.stability == y.stability);
        REQUIRE(static_cast<bool>(x.explanations) == static_cast<bool>(y.explanations));
        if (!x.explanations) continue;
        REQUIRE(x.explanations->size() == y.explanations->size());
        for (std::size_t e = 0; e < x.explanations->size(); ++e) {
            const auto& p = (*x.explanations)[e];
            const auto& q = (*y.explanations)[e];
            CHECK(p.cluster == q.cluster);
            CHECK(p.auc == q.auc);
            CHECK(p.shap_top == q.shap_top);
            CHECK(p.representatives == q.representatives);
            REQUIRE(p.model.trees.size() == q.model.trees.size());
            // The restored model predicts exactly as the saved one.
            const auto& data = *a->node(static_cast<int>(id)).data;
            std::vector<float> row;
            for (const auto& name : x.output->feature_columns) row.push_back(static_cast<float>(data.columns[data.column_index(name)].numbers[0]));
            CHECK(p.model.margin(row.data()) == q.model.margin(row.data()));
        }
    }
    // Saving the restored session gives the same bytes.
    auto again = encode_session_file(s, csv, R"({"camera":[1,2,3]})", file->data_setup);
    REQUIRE(again.ok());
    CHECK(*again == *bytes);
}

TEST_CASE("session file: wrong data, truncation and tampering fail readably") {
    const std::string csv = groups_csv();
    auto a = explored(csv);
    auto bad = encode_session_file(*a, csv + "1,2,3,a\n", "{}");
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().find("not the file") != std::string::npos);
    auto bytes = encode_session_file(*a, csv, "{}");
    REQUIRE(bytes.ok());
    const std::string& good = *bytes;

    CHECK(decode_session_file("hello,world\n1,2\n").error() == "This is not a recluster session file.");
    for (std::size_t cut : {std::size_t{10}, good.size() / 3, good.size() - 1}) {
        auto r = decode_session_file(good.substr(0, cut));
        REQUIRE_FALSE(r.ok());
        CHECK((r.error().find("damaged") != std::string::npos || r.error().find("cut short") != std::string::npos));
    }
    std::string flipped = good;
    flipped[good.size() / 2] ^= 0x20;
    CHECK(decode_session_file(flipped).error().find("checksum") != std::string::npos);

    // Another format version.
    std::string v3 = good.substr(0, good.size() - 64);
    v3[8] = 3;
    CHECK(decode_session_file(with_digest(v3)).error().find("another version") != std::string::npos);

    // Data that is not the fingerprinted file.
    auto other = restore_session(load(groups_csv() + "1,2,3,a\n"), *decode_session_file(good));
    REQUIRE_FALSE(other.ok());
    CHECK(other.error().find("fingerprint") != std::string::npos);
}

TEST_CASE("session file: 3,000 corruptions with a valid checksum never crash and never restore nonsense") {
    const std::string csv = groups_csv();
    auto a = explored(csv);
    auto bytes = encode_session_file(*a, csv, "{}");
    REQUIRE(bytes.ok());
    const std::string payload = bytes->substr(0, bytes->size() - 64);
    RandomStream rng(11, 0);
    int decoded = 0;
    for (int i = 0; i < 3000; ++i) {
        std::string p = payload;
        const int flips = 1 + static_cast<int>(rng.uniform() * 4);
        // Most corruptions hit the structure after the data text (the text's own bytes are fingerprinted).
        const std::size_t from = i % 2 ? payload.size() / 2 : 8;
        for (int f = 0; f < flips; ++f) {
            const std::size_t at = from + static_cast<std::size_t>(rng.uniform() * static_cast<double>(p.size() - from));
            p[at] = static_cast<char>(static_cast<unsigned char>(p[at]) ^ (1u << static_cast<unsigned>(rng.uniform() * 8)));
        }
        auto f = decode_session_file(with_digest(p));
        if (!f.ok()) {
            CHECK_FALSE(f.error().empty());
            continue;
        }
        ++decoded;  // a flip in a value (a coordinate, a timing) still decodes; restoring must then also be safe
        auto data = read_csv(f->data_text, f->data_name);
        if (!data.ok()) continue;
        auto s = restore_session(std::make_shared<const Dataset>(std::move(*data)), *f);
        if (s.ok()) {
            CHECK((*s)->size() >= 1);
            (void)(*s)->hierarchy_json();
            (void)(*s)->row_paths();
        }
    }
    CHECK(decoded < 3000);
}
