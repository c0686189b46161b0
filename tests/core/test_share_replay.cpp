// Opening a share link recomputes the exploration bit for bit: the same views, maps and labels, whatever the
// thread count or step budget; other data or a cluster that does not exist fail with a readable message.
#include <catch2/catch.hpp>

#include <memory>
#include <string>

#include "common/random.hpp"
#include "golden_io.hpp"
#include "io/csv_reader.hpp"
#include "pipeline/share_replay.hpp"

using namespace recluster;

namespace {
std::string groups_csv(int seed) {
    std::string csv = "x,y,z\n";
    RandomStream rng(static_cast<std::uint64_t>(seed), 0);
    for (int i = 0; i < 360; ++i) {
        char buf[80];
        const double cx = i < 120 ? 0 : i < 240 ? 30 : 60;
        std::snprintf(buf, sizeof buf, "%.4f,%.4f,%.4f\n", cx + rng.uniform() * 6, rng.uniform() * 6, rng.uniform());
        csv += buf;
    }
    return csv;
}

std::shared_ptr<const Dataset> load(const std::string& csv) { return test::shared_dataset(csv, "groups.csv"); }
}  // namespace

TEST_CASE("share replay: a link's views are recomputed bit for bit") {
    const std::string csv = groups_csv(1);
    Session a(load(csv));
    auto top = recipe_from_json(R"({"n_epochs":60,"min_cluster_size":40,"seed":5})");
    REQUIRE(top.ok());
    REQUIRE(compute_node(a, 0, *top, 2).ok());
    auto child = a.child_for_cluster(0, 1);
    REQUIRE(child.ok());
    Recipe cr = a.default_recipe(*child);
    cr.min_cluster_size = 10;
    REQUIRE(compute_node(a, *child, cr, 2).ok());
    REQUIRE(a.go_to(*child));
    auto st = parse_share_state(share_state_json(share_state_of(a)));
    REQUIRE(st.ok());
    for (int threads : {1, 3}) {
        Session b(load(csv));  // the same file, read again
        ShareReplayJob job(b, *st, threads);
        while (job.step(threads == 1 ? 500 : 1u << 20)) {
        }
        REQUIRE_FALSE(job.failed());
        REQUIRE(job.done());
        CHECK(b.current() == job.shown_node());
        CHECK(b.node(b.current()).path == a.node(*child).path);
        for (int id : {0, *child}) {
            const SessionNode& x = a.node(id);
            int y_id = id == 0 ? 0 : job.shown_node();
            const SessionNode& y = b.node(y_id);
            REQUIRE(y.output);
            CHECK(y.rows == x.rows);
            CHECK(y.output->labels == x.output->labels);
            CHECK(y.output->embedding.data == x.output->embedding.data);
            CHECK(y.recipe.to_json() == x.recipe.to_json());
        }
    }
}

TEST_CASE("share replay: other data, or a view that does not exist, fail readably") {
    Session a(load(groups_csv(1)));
    auto top = recipe_from_json(R"({"embedding":"pca","min_cluster_size":40})");
    REQUIRE(top.ok());
    REQUIRE(compute_node(a, 0, *top, 1).ok());
    ShareState st = share_state_of(a);
    Session other(load(groups_csv(2)));
    ShareReplayJob wrong(other, st, 1);
    CHECK(wrong.failed());
    CHECK_THAT(wrong.error(), Catch::Contains("not the file the link was made with"));
    st.views.push_back(ShareView{"9", Recipe{}});
    Session b(load(groups_csv(1)));
    ShareReplayJob missing(b, st, 1);
    while (missing.step(1u << 20)) {
    }
    CHECK(missing.failed());
    CHECK_THAT(missing.error(), Catch::Contains("view 9 does not exist here"));
}
