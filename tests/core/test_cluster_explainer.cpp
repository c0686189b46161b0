// Cluster explanations: each cluster's model finds the feature that defines it (SHAP and profile agree), a cluster
// the features cannot predict gets an AUC near one half, sampling large views keeps the probabilities calibrated,
// representatives and outliers come from the cluster, and results do not depend on the thread count.
#include <catch2/catch.hpp>

#include <cmath>
#include <numeric>

#include <nlohmann/json.hpp>

#include "common/random.hpp"
#include "explain/cluster_explainer.hpp"

using namespace recluster;

namespace {
// Three clusters defined by one feature each (0 high, 3 high, 5 low) among 8 noisy features, plus noise rows.
struct Synthetic {
    Matrix x;
    std::shared_ptr<Matrix> map;
    std::vector<int> labels;
    std::vector<float> glosh;
    std::vector<std::string> names;
};

Synthetic synthetic(std::size_t n) {
    Synthetic s;
    s.x = Matrix(n, 8);
    s.map = std::make_shared<Matrix>(n, 2);
    for (std::size_t i = 0; i < n; ++i) {
        RandomStream rng(17, i);
        const int c = static_cast<int>(i % 4) - 1;  // -1 (noise), 0, 1, 2
        for (std::size_t f = 0; f < 8; ++f) s.x.at(i, f) = rng.uniform();
        if (c == 0) s.x.at(i, 0) += 1.0f;
        if (c == 1) s.x.at(i, 3) += 1.0f;
        if (c == 2) s.x.at(i, 5) -= 1.0f;
        s.labels.push_back(c);
        s.map->at(i, 0) = static_cast<float>(c * 10) + rng.uniform();
        s.map->at(i, 1) = rng.uniform();
        s.glosh.push_back(rng.uniform());
    }
    for (int f = 0; f < 8; ++f) {
        std::string name = "f";
        name += std::to_string(f);  // (appending avoids GCC 12's false -Wrestrict on string concatenation)
        s.names.push_back(name);
    }
    return s;
}

ExplainInput input_of(const Synthetic& s) {
    ExplainInput in;
    in.features = columns_of(s.x);
    in.feature_names = s.names;
    in.labels = s.labels;
    in.embedding = s.map;
    in.outlier_scores = s.glosh;
    return in;
}

std::vector<ClusterExplanation> run(ExplainJob& job) {
    while (job.step()) {
    }
    return job.explanations();
}
}  // namespace

TEST_CASE("explain: each cluster's model and profile find the feature that defines it") {
    const Synthetic s = synthetic(2000);
    ExplainOptions o;
    o.n_threads = 2;
    ExplainJob job(input_of(s), o);
    const auto ex = run(job);
    REQUIRE(ex.size() == 3);
    const int defining[] = {0, 3, 5};
    for (int c = 0; c < 3; ++c) {
        const auto& e = ex[static_cast<std::size_t>(c)];
        INFO("cluster " << c);
        CHECK(e.cluster == c);
        CHECK(e.size == 500);
        CHECK(e.auc > 0.97);
        CHECK(e.accuracy > 0.9);
        CHECK(e.features[0].feature == defining[c]);
        CHECK(e.features[0].mean_abs_shap > 3 * e.features[1].mean_abs_shap);
        CHECK(e.profile[0].feature == defining[c]);
        CHECK((c == 2 ? e.profile[0].std_diff < -1 : e.profile[0].std_diff > 1));
        // The average row: the defining feature's mean moved by one.
        CHECK(e.mean_values[static_cast<std::size_t>(defining[c])] == Approx(c == 2 ? -0.5 : 1.5).margin(0.05));
        CHECK(e.shap_rows.size() == 300);
        CHECK(e.shap_top.size() == 300 * 8);
        for (std::size_t r : e.representatives) CHECK(s.labels[r] == c);
        REQUIRE(e.outliers.size() == 6);
        for (std::size_t r : e.outliers) CHECK(s.labels[r] == c);
        // Outliers are the cluster's highest GLOSH scores.
        float lowest_outlier = 1;
        for (std::size_t r : e.outliers) lowest_outlier = std::min(lowest_outlier, s.glosh[r]);
        std::size_t above = 0;
        for (std::size_t r = 0; r < s.labels.size(); ++r) above += s.labels[r] == c && s.glosh[r] > lowest_outlier;
        CHECK(above == 5);
    }
    const auto j = nlohmann::json::parse(explanation_json(ex[1], s.names, 3));
    CHECK(j["features"][0]["name"] == "f3");
    CHECK(j["features"].size() == 3);
    const auto w = nlohmann::json::parse(row_contributions_json(ex[1], s.names, s.x.row(2), 4));  // row 2 is in cluster 1
    CHECK(w["contributions"][0]["name"] == "f3");
    CHECK(w["probability"].get<double>() > 0.5);
}

TEST_CASE("explain: a cluster the features cannot predict scores near one half") {
    Synthetic s = synthetic(3000);
    for (std::size_t i = 0; i < s.labels.size(); ++i) {
        RandomStream rng(99, i);
        s.labels[i] = rng.uniform() < 0.3f ? 0 : -1;  // membership unrelated to the features
    }
    ExplainJob job(input_of(s), ExplainOptions{});
    const auto ex = run(job);
    REQUIRE(ex.size() == 1);
    CHECK(ex[0].auc > 0.35);
    CHECK(ex[0].auc < 0.65);
}

TEST_CASE("explain: large views train on a sample and stay calibrated, one cluster on demand, thread-independent") {
    const Synthetic s = synthetic(6000);
    ExplainOptions o;
    o.max_train_rows = 1000;  // 1,500 positives and 4,500 negatives: 500 + 500 are trained on
    o.only_cluster = 1;
    std::string first;
    for (int threads : {1, 2, 3}) {
        o.n_threads = threads;
        ExplainJob job(input_of(s), o);
        const auto ex = run(job);
        REQUIRE(ex.size() == 1);
        CHECK(ex[0].cluster == 1);
        CHECK(ex[0].report.train_rows + ex[0].report.validation_rows == 1000);
        CHECK(ex[0].auc > 0.97);
        // Mean predicted probability over all rows close to the cluster's share (1/4) after the base correction.
        double mean = 0;
        for (std::size_t r = 0; r < s.x.rows; ++r) mean += ex[0].model.probability(s.x.row(r));
        mean /= static_cast<double>(s.x.rows);
        CHECK(mean == Approx(0.25).margin(0.03));
        std::string j = job.result_json();
        j += std::to_string(ex[0].model.base_score);
        if (threads == 1) first = j;
        CHECK(j == first);
    }
    o.only_cluster = 7;
    CHECK_THROWS_WITH(ExplainJob(input_of(s), o), Catch::Contains("no cluster 7"));
}

TEST_CASE("explain: a later job reuses the binned features of an earlier one and gets the same results") {
    const Synthetic s = synthetic(1200);
    ExplainOptions o;
    o.only_cluster = 2;
    ExplainJob fresh(input_of(s), o);
    const auto a = run(fresh);
    REQUIRE(fresh.prepared());
    ExplainInput in = input_of(s);
    in.prepared = fresh.prepared();
    ExplainJob again(in, o);
    again.step();  // the first step adopts the prepared features instead of binning
    CHECK(again.prepared() == fresh.prepared());
    const auto b = run(again);
    CHECK(again.result_json() == fresh.result_json());
    // Other columns or bins are not reused.
    ExplainOptions coarse = o;
    coarse.max_bin = 16;
    ExplainJob other(in, coarse);
    other.step();
    CHECK(other.prepared() != fresh.prepared());
    CHECK(other.prepared()->max_bin == 16);
}
