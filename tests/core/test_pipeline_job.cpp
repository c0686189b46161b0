#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "io/csv_reader.hpp"
#include "pipeline/pipeline_job.hpp"
#include "pipeline/recipe.hpp"

using namespace recluster;

TEST_CASE("recipe: JSON round trip and readable errors") {
    auto r = recipe_from_json(R"({"scale":"minmax","seed":7,"columns":["a","b"]})");
    REQUIRE(r.ok());
    CHECK(r->scale == ScaleMethod::MinMax);
    CHECK(r->seed == 7);
    auto back = recipe_from_json(r->to_json());
    REQUIRE(back.ok());
    CHECK(back->columns == std::vector<std::string>{"a", "b"});
    CHECK(recipe_from_json("").ok());
    CHECK(recipe_from_json("{}").ok());
    CHECK(recipe_from_json("{").error() == "The recipe is not valid JSON.");
    CHECK(recipe_from_json("[1]").error() == "The recipe must be a JSON object.");
    CHECK(recipe_from_json(R"({"scale":"z"})").error().find("recipe.scale") == 0);
    CHECK(recipe_from_json(R"({"n_neighbours":5})").error() == "Unknown recipe parameter 'n_neighbours'.");
    CHECK(recipe_from_json(R"({"n_neighbors":1})").error() == "recipe.n_neighbors must be an integer from 2 to 200.");
    CHECK(recipe_from_json(R"({"min_dist":2})").error() == "recipe.min_dist must not exceed recipe.spread.");
    CHECK(recipe_from_json(R"({"metric":"manhattan"})").error() ==
          "recipe.metric must be \"euclidean\", \"cosine\" or \"correlation\".");
    CHECK(recipe_from_json(R"({"metric":"correlation"})")->metric == Metric::Correlation);
    CHECK(recipe_from_json(R"({"pca_solver":"randomized"})")->pca_solver == PcaSolver::Randomized);
    CHECK(recipe_from_json(R"({"pca_solver":"svd"})").error() ==
          "recipe.pca_solver must be \"auto\", \"exact\" or \"randomized\".");
    auto u = recipe_from_json(R"({"embedding":"umap","n_neighbors":30,"min_dist":0.5,"metric":"cosine","n_epochs":50})");
    REQUIRE(u.ok());
    CHECK(u->n_neighbors == 30);
    CHECK(u->metric == Metric::Cosine);
    auto u2 = recipe_from_json(u->to_json());
    REQUIRE(u2.ok());
    CHECK(u2->to_json() == u->to_json());
    Recipe auto_dims;
    CHECK(auto_dims.effective_pca_dims(784) == 50);
    CHECK(auto_dims.effective_pca_dims(64) == 0);
    CHECK_FALSE(recipe_from_json(R"({"seed":-1})").ok());
}

TEST_CASE("pipeline: wine runs end to end and is deterministic across threads and slicing") {
    auto d = read_csv_file(RECLUSTER_TEST_DIR "/data/wine.csv");
    REQUIRE(d.ok());
    auto one = run_pipeline(*d, {}, 1);
    REQUIRE(one.ok());
    CHECK(one->embedding.rows == 178);
    CHECK(one->embedding.cols == 2);
    CHECK(one->feature_columns.size() == 13);
    REQUIRE(one->labels.size() == 178);
    CHECK(one->clustering.method == "hdbscan");
    CHECK(one->clustering.sizes.size() >= 2);  // wine has three cultivars
    CHECK(one->clustering.min_cluster_size == 5);
    CHECK(one->clustering.min_samples == 5);
    REQUIRE(one->timings.size() == 4);
    CHECK(one->timings[0].stage == "scale");
    CHECK(one->timings[1].stage == "knn");
    CHECK(one->timings[2].stage == "umap");
    CHECK(one->timings[3].stage == "cluster");
    CHECK(one->umap.neighbor_method == "exact");
    auto three = run_pipeline(*d, {}, 3);
    REQUIRE(three.ok());
    CHECK(three->embedding.data == one->embedding.data);
    CHECK(three->labels == one->labels);
    PipelineJob job(*d, {}, 2);
    while (job.step(10)) {
    }
    REQUIRE_FALSE(job.failed());
    CHECK(job.output().embedding.data == one->embedding.data);
    CHECK(job.output().labels == one->labels);
}

TEST_CASE("pipeline: clustering options, re-labelling from the kept tree, and no clustering") {
    auto d = read_csv_file(RECLUSTER_TEST_DIR "/data/wine.csv");
    REQUIRE(d.ok());
    auto r = recipe_from_json(R"({"min_cluster_size":10,"min_samples":4,"cluster_selection":"leaf","hdbscan_rules":"r-dbscan"})");
    REQUIRE(r.ok());
    auto out = run_pipeline(*d, *r, 2);
    REQUIRE(out.ok());
    CHECK(out->clustering.min_cluster_size == 10);
    CHECK(out->clustering.min_samples == 4);
    CHECK(out->clustering.rules == "r-dbscan");
    CHECK_FALSE(recipe_from_json(R"({"hdbscan_rules":"python"})").ok());
    int total = static_cast<int>(out->clustering.n_noise);
    for (int s : out->clustering.sizes) total += s;
    CHECK(total == 178);
    // Only back-half options change: the same tree re-labels to what a full run gives.
    Recipe eom = *r;
    eom.cluster_selection = "eom";
    eom.min_cluster_size = 20;
    PipelineOutput copy = *out;
    REQUIRE(relabel(copy, eom));
    auto full = run_pipeline(*d, eom, 1);
    REQUIRE(full.ok());
    CHECK(copy.labels == full->labels);
    CHECK(copy.clustering.probabilities == full->clustering.probabilities);
    // The condensed tree report: selected clusters map to output clusters; children born where parents end.
    const auto tree = nlohmann::json::parse(condensed_tree_json(copy.clustering));
    CHECK(tree["n_points"] == 178);
    int selected = 0;
    for (const auto& k : tree["clusters"]) {
        if (k["selected_as"].get<int>() >= 0) {
            ++selected;
            CHECK(k["size"].get<int>() >= copy.clustering.sizes[k["selected_as"].get<std::size_t>()]);
        }
        if (k["parent"].get<int>() >= 0) CHECK(k["birth_lambda"].get<double>() >= tree["clusters"][k["parent"].get<std::size_t>()]["death_lambda"].get<double>() - 1e-12);
    }
    CHECK(selected == static_cast<int>(copy.clustering.sizes.size()));
    Recipe none;
    none.cluster = "none";
    auto plain = run_pipeline(*d, none, 1);
    REQUIRE(plain.ok());
    CHECK(plain->labels == std::vector<int>(178, 0));
    CHECK_FALSE(recipe_from_json(R"({"min_cluster_size":1})").ok());
    CHECK(recipe_from_json(R"({"cluster":"spectral"})").error() ==
          "recipe.cluster must be \"hdbscan\", \"dbscan\", \"kmeans\", \"gmm\" or \"none\".");
    auto j = recipe_from_json(eom.to_json());
    REQUIRE(j.ok());
    CHECK(j->to_json() == eom.to_json());
}

TEST_CASE("pipeline: bad recipe columns and cancellation are result values") {
    auto d = read_csv("a,b,t\n1,2,x\n3,5,y\n", "small.csv");
    REQUIRE(d.ok());
    Recipe r;
    r.columns = {"zzz"};
    auto out = run_pipeline(*d, r);
    REQUIRE_FALSE(out.ok());
    CHECK(out.error() == "Column 'zzz' does not exist.");
    r.columns = {"t"};
    CHECK(run_pipeline(*d, r).error() == "Column 't' is not numeric and cannot be a feature.");
    r.columns = {"b"};
    auto tiny = run_pipeline(*d, r);
    REQUIRE_FALSE(tiny.ok());
    CHECK(tiny.error().find("UMAP needs at least 3 rows") == 0);
    r.embedding = "pca";
    auto single = run_pipeline(*d, r);
    REQUIRE(single.ok());
    CHECK(single->embedding.at(0, 1) == 0.0f);
    PipelineJob job(*d, {});
    job.cancel();
    CHECK_FALSE(job.step(1));
    CHECK(job.failed());
    CHECK(job.error() == "Cancelled.");
}

TEST_CASE("pipeline: PCA pre-reduction feeds UMAP when there are many features") {
    std::string text;
    for (int j = 0; j < 120; ++j) {
        if (j) text += ',';
        text += 'f';
        text += std::to_string(j);
    }
    text += '\n';
    for (int i = 0; i < 300; ++i) {
        for (int j = 0; j < 120; ++j) {
            if (j) text += ',';
            text += std::to_string((i % 3) * (j % 5) + ((i * 31 + j * 17) % 11) * 0.1);
        }
        text += '\n';
    }
    auto d = read_csv(text, "wide.csv");
    REQUIRE(d.ok());
    Recipe r;
    r.n_epochs = 30;
    auto out = run_pipeline(*d, r, 2);
    REQUIRE(out.ok());
    REQUIRE(out->timings.size() == 5);
    CHECK(out->timings[1].stage == "pca");
    CHECK(out->timings[2].stage == "knn");
    CHECK(out->timings[3].stage == "umap");
    CHECK(out->explained_variance_ratio.size() == 50);
    CHECK(out->pca_solver == "exact");  // 120 features: 60 subspace columns would not save work
    CHECK(out->embedding.rows == 300);
    r.pca_solver = PcaSolver::Randomized;
    auto fast = run_pipeline(*d, r, 2);
    REQUIRE(fast.ok());
    CHECK(fast->pca_solver == "randomized");
    CHECK(fast->explained_variance_ratio[0] == Approx(out->explained_variance_ratio[0]).epsilon(1e-5));
}

TEST_CASE("pipeline: k-means and Gaussian mixture in the map, PCA and feature spaces") {
    auto d = read_csv_file(RECLUSTER_TEST_DIR "/data/wine.csv");
    REQUIRE(d.ok());
    auto km = recipe_from_json(R"({"embedding":"pca","cluster":"kmeans","n_clusters":3,"cluster_space":"features"})");
    REQUIRE(km.ok());
    auto out = run_pipeline(*d, *km, 1);
    REQUIRE(out.ok());
    CHECK(out->clustering.method == "kmeans");
    CHECK(out->clustering.space == "features");
    CHECK(out->clustering.space_dims == 13);
    REQUIRE(out->cluster_input);
    CHECK(out->cluster_input->cols == 13);
    CHECK(out->clustering.sizes.size() == 3);
    CHECK(out->clustering.inertia > 0);
    CHECK(out->clustering.n_noise == 0);
    auto three = run_pipeline(*d, *km, 3);
    REQUIRE(three.ok());
    CHECK(three->labels == out->labels);

    // The "pca" space reuses UMAP's pre-reduction when it ran, else computes a PCA of its own.
    auto g = recipe_from_json(R"({"cluster":"gmm","n_clusters":3,"cluster_space":"pca","cluster_pca_dims":4,"gmm_covariance":"diag"})");
    REQUIRE(g.ok());
    auto gout = run_pipeline(*d, *g, 2);
    REQUIRE(gout.ok());
    CHECK(gout->clustering.method == "gmm");
    CHECK(gout->clustering.space_dims == 4);
    CHECK(gout->timings.at(gout->timings.size() - 2).stage == "cluster_pca");
    CHECK(gout->clustering.bic > 0);
    for (float p : gout->clustering.probabilities) CHECK((p > 0.33f && p <= 1.0f));
    // Same space either way: a 4-component PCA of the scaled features, whatever the embedding.
    auto g2 = *g;
    g2.embedding = "pca";
    auto gout2 = run_pipeline(*d, g2, 1);
    REQUIRE(gout2.ok());
    CHECK(gout2->labels == gout->labels);

    Recipe emb;  // the default space is the map; its clustering input is the embedding itself
    emb.cluster = "kmeans";
    emb.n_clusters = 4;
    emb.embedding = "pca";
    auto eout = run_pipeline(*d, emb, 1);
    REQUIRE(eout.ok());
    CHECK_FALSE(eout->cluster_input);
    CHECK(&clustering_space(*eout) == &eout->embedding);
    CHECK(eout->clustering.sizes.size() == 4);
}

TEST_CASE("pipeline: clusterings that cannot run fail at once with a readable reason") {
    auto d = read_csv_file(RECLUSTER_TEST_DIR "/data/wine.csv");
    REQUIRE(d.ok());
    Recipe r;
    r.cluster = "kmeans";
    r.n_clusters = 179;
    PipelineJob job(*d, r);
    CHECK(job.failed());  // before any embedding work
    CHECK(job.error() == "k = 179 clusters is more than the 178 rows.");
    // Quadratic density clustering of a big wide space is refused up front (here: 30k rows x 50 columns).
    std::string csv;
    for (int c = 0; c < 50; ++c) {
        csv.append(c ? ",c" : "c");
        csv.append(std::to_string(c));
    }
    csv.push_back('\n');
    for (int i = 0; i < 30000; ++i) {
        for (int c = 0; c < 50; ++c) {
            if (c) csv.push_back(',');
            csv.append(std::to_string((i * 7 + c * 13) % 17));
        }
        csv.push_back('\n');
    }
    auto wide = read_csv(csv, "wide.csv");
    REQUIRE(wide.ok());
    Recipe h;
    h.cluster_space = "features";
    PipelineJob hjob(*wide, h);
    CHECK(hjob.failed());
    CHECK(hjob.error().find("HDBSCAN in a 50-column space of 30000 rows compares every pair") == 0);
    Recipe full;
    full.cluster = "gmm";
    full.cluster_space = "features";
    PipelineJob too_wide(*wide, full);
    CHECK_FALSE(too_wide.failed());  // 50 columns: full covariance is still allowed
}

TEST_CASE("pipeline: a clustering-only change re-clusters the kept map exactly as a full run") {
    auto d = read_csv_file(RECLUSTER_TEST_DIR "/data/wine.csv");
    REQUIRE(d.ok());
    auto base = recipe_from_json(R"({"n_epochs":60})");
    REQUIRE(base.ok());
    auto first = run_pipeline(*d, *base, 2);
    REQUIRE(first.ok());
    for (const char* change : {R"({"n_epochs":60,"min_samples":3,"min_cluster_size":8})",
                               R"({"n_epochs":60,"cluster":"kmeans","n_clusters":4})",
                               R"({"n_epochs":60,"cluster":"dbscan","dbscan_eps":0.7})",
                               R"({"n_epochs":60,"cluster":"gmm","n_clusters":3,"gmm_covariance":"diag"})"}) {
        INFO(change);
        auto next = recipe_from_json(change);
        REQUIRE(next.ok());
        REQUIRE(can_reuse_embedding(*base, *first, *next));
        PipelineJob job(*d, *next, *first, 2);
        while (job.step(1000)) {
        }
        REQUIRE_FALSE(job.failed());
        auto full = run_pipeline(*d, *next, 1);
        REQUIRE(full.ok());
        CHECK(job.output().reused_embedding);
        CHECK(job.output().embedding.data == full->embedding.data);
        CHECK(job.output().labels == full->labels);
        CHECK(job.output().clustering.probabilities == full->clustering.probabilities);
        REQUIRE(job.output().timings.size() == 1);
        CHECK(job.output().timings[0].stage == "cluster");
    }
    // Not reusable: a map parameter, or a new non-map space.
    auto umap_change = recipe_from_json(R"({"n_epochs":61})");
    CHECK_FALSE(can_reuse_embedding(*base, *first, *umap_change));
    auto space = recipe_from_json(R"({"n_epochs":60,"cluster":"kmeans","cluster_space":"features"})");
    CHECK_FALSE(can_reuse_embedding(*base, *first, *space));
    // ... but the same features space again is.
    auto feat = run_pipeline(*d, *space, 1);
    REQUIRE(feat.ok());
    auto feat_k = recipe_from_json(R"({"n_epochs":60,"cluster":"kmeans","cluster_space":"features","n_clusters":3})");
    REQUIRE(can_reuse_embedding(*space, *feat, *feat_k));
    PipelineJob job(*d, *feat_k, *feat, 1);
    while (job.step(1000)) {
    }
    auto full = run_pipeline(*d, *feat_k, 1);
    CHECK(job.output().labels == full->labels);
    CHECK(job.output().cluster_input == feat->cluster_input);  // shared, not copied
}
