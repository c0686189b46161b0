#include <catch2/catch.hpp>
#include <algorithm>
#include <cmath>
#include <functional>
#include <numeric>
#include <set>
#include <string>

#include "cluster/hdbscan.hpp"
#include "common/random.hpp"
#include "metrics/partition_agreement.hpp"
#include "neighbors/distance.hpp"
#include "neighbors/kd_tree.hpp"
#include "neighbors/brute_force_knn.hpp"
#include "golden_io.hpp"

using namespace recluster;

namespace {

// Gaussian-ish blobs (sum of uniforms) with given centres and sizes, plus optional integer rounding so many
// distances tie exactly.
Matrix blobs(const std::vector<std::vector<float>>& centres, const std::vector<int>& sizes, float spread,
             std::uint64_t seed, bool round_to_grid = false) {
    const std::size_t dim = centres[0].size();
    std::size_t n = 0;
    for (int s : sizes) n += static_cast<std::size_t>(s);
    Matrix m(n, dim);
    std::size_t r = 0;
    for (std::size_t b = 0; b < centres.size(); ++b)
        for (int i = 0; i < sizes[b]; ++i, ++r) {
            RandomStream rng(seed, r);
            for (std::size_t c = 0; c < dim; ++c) {
                float v = centres[b][c] + spread * static_cast<float>(rng.uniform() + rng.uniform() + rng.uniform() - 1.5);
                m.at(r, c) = round_to_grid ? std::round(v) : v;
            }
        }
    return m;
}

// Reference MST: Kruskal over every pair of the dense mutual-reachability graph, same edge order.
std::vector<MstEdge> kruskal_reference(const Matrix& x, const std::vector<float>& core) {
    std::vector<MstEdge> all;
    for (std::size_t i = 0; i < x.rows; ++i)
        for (std::size_t j = i + 1; j < x.rows; ++j)
            all.push_back(MstEdge{static_cast<int>(i), static_cast<int>(j),
                                  std::max(std::max(core[i], core[j]), squared_euclidean(x.row(i), x.row(j), x.cols))});
    std::sort(all.begin(), all.end(), edge_less);
    std::vector<int> parent(x.rows);
    std::iota(parent.begin(), parent.end(), 0);
    std::function<int(int)> find = [&](int a) { return parent[a] == a ? a : parent[a] = find(parent[a]); };
    std::vector<MstEdge> out;
    for (const auto& e : all) {
        int a = find(e.u), b = find(e.v);
        if (a == b) continue;
        parent[std::max(a, b)] = std::min(a, b);
        out.push_back(e);
    }
    return out;
}

bool same_edges(const std::vector<MstEdge>& a, const std::vector<MstEdge>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (a[i].u != b[i].u || a[i].v != b[i].v || a[i].w != b[i].w) return false;
    return true;
}

MutualReachabilityMst mst_with(const Matrix& x, int min_samples, MstMethod method, int threads) {
    MstOptions o;
    o.min_samples = min_samples;
    o.method = method;
    o.n_threads = threads;
    return mutual_reachability_mst(x, o);
}

}  // namespace

TEST_CASE("kd-tree kNN equals brute force, ties by index") {
    Matrix x = blobs({{0, 0}, {6, 1}, {3, 8}}, {150, 120, 90}, 2.0f, 11, true);  // integer grid: many ties
    KnnGraph kd = kd_tree_knn(x, 10, 2);
    BruteForceOptions bo;
    bo.k = 10;
    KnnGraph bf = brute_force_knn(x, bo);
    for (std::size_t i = 0; i < x.rows * 10; ++i) {
        CHECK(kd.distance[i] == Approx(bf.distance[i]).margin(1e-5));
    }
    // Neighbour sets agree where the k-th distance is not tied beyond the list.
    CHECK(knn_recall(kd, bf) > 0.97);
}

TEST_CASE("mutual-reachability MST: Prim and Borůvka give the Kruskal tree, with tied distances") {
    for (int min_samples : {1, 2, 5, 10}) {
        for (bool grid : {false, true}) {
            INFO("min_samples " << min_samples << " grid " << grid);
            Matrix x = blobs({{0, 0}, {10, 2}, {4, 12}, {30, 30}}, {120, 90, 60, 3}, grid ? 4.0f : 1.5f, 7, grid);
            auto prim = mst_with(x, min_samples, MstMethod::Prim, 1);
            auto boruvka = mst_with(x, min_samples, MstMethod::Boruvka, 1);
            CHECK(prim.method == MstMethod::Prim);
            CHECK(boruvka.method == MstMethod::Boruvka);
            CHECK(prim.core_sq == boruvka.core_sq);
            REQUIRE(prim.edges.size() == x.rows - 1);
            CHECK(same_edges(prim.edges, boruvka.edges));
            CHECK(same_edges(prim.edges, kruskal_reference(x, prim.core_sq)));
        }
    }
    // 3-D rows too (Borůvka allowed up to boruvka_max_dim).
    Matrix x3 = blobs({{0, 0, 0}, {5, 5, 5}}, {100, 80}, 2.0f, 3);
    CHECK(same_edges(mst_with(x3, 4, MstMethod::Prim, 1).edges, mst_with(x3, 4, MstMethod::Boruvka, 1).edges));
}

TEST_CASE("mutual-reachability MST is identical for 1, 2 and 3 threads") {
    Matrix x = blobs({{0, 0}, {8, 0}, {0, 8}}, {3000, 2000, 1500}, 3.0f, 5);
    for (MstMethod m : {MstMethod::Boruvka, MstMethod::Prim}) {
        auto one = mst_with(x, 5, m, 1);
        CHECK(same_edges(one.edges, mst_with(x, 5, m, 2).edges));
        CHECK(same_edges(one.edges, mst_with(x, 5, m, 3).edges));
    }
}

TEST_CASE("core distances count the row itself (min_samples) and duplicates give zero") {
    Matrix x(4, 1);
    x.data = {0, 1, 3, 3};
    auto c2 = core_sq_distances(x, 2, 1, false);  // nearest other row
    CHECK(c2 == std::vector<float>{1, 1, 0, 0});
    auto c3 = core_sq_distances(x, 3, 1, true);   // second nearest other row
    CHECK(c3 == std::vector<float>{9, 4, 4, 4});
    CHECK(core_sq_distances(x, 1, 1, true) == std::vector<float>{0, 0, 0, 0});
}

TEST_CASE("hdbscan finds separated blobs, marks a far point as noise with the top outlier score") {
    Matrix x = blobs({{0, 0}, {20, 0}, {0, 20}}, {200, 150, 100}, 2.0f, 21);
    x.rows += 1;
    x.data.push_back(60.0f);
    x.data.push_back(60.0f);
    MstOptions mo;
    mo.min_samples = 5;
    auto tree = build_hdbscan_tree(x, mo);
    HdbscanOptions ho;
    ho.min_cluster_size = 20;
    auto r = extract_clusters(tree, ho);
    REQUIRE(r.n_clusters() == 3);
    CHECK(r.sizes[0] + r.sizes[1] + r.sizes[2] + static_cast<int>(r.n_noise) == 451);
    // Largest cluster first; each blob's rows share one label.
    CHECK(r.sizes[0] >= r.sizes[1]);
    CHECK(r.sizes[1] >= r.sizes[2]);
    std::set<int> first(r.labels.begin(), r.labels.begin() + 200), second(r.labels.begin() + 200, r.labels.begin() + 350);
    first.erase(-1);
    second.erase(-1);
    CHECK(first.size() == 1);
    CHECK(second.size() == 1);
    CHECK(*first.begin() != *second.begin());
    CHECK(r.labels[450] == -1);
    CHECK(r.probabilities[450] == 0.0f);
    CHECK(*std::max_element(r.outlier_scores.begin(), r.outlier_scores.end()) == r.outlier_scores[450]);
    for (std::size_t i = 0; i < x.rows; ++i) {
        CHECK(r.probabilities[i] >= 0.0f);
        CHECK(r.probabilities[i] <= 1.0f);
        CHECK(r.outlier_scores[i] >= 0.0f);
        CHECK(r.outlier_scores[i] <= 1.0f);
        if (r.labels[i] >= 0) CHECK(r.probabilities[i] > 0.0f);
    }
    for (double p : r.persistence) {
        CHECK(p > 0);
        CHECK(p <= 1);
    }
}

TEST_CASE("hdbscan selection: leaf vs excess of mass, epsilon, single cluster, max cluster size") {
    // Two groups far apart, each made of two close sub-blobs.
    Matrix x = blobs({{0, 0}, {4, 0}, {40, 0}, {44, 0}}, {150, 150, 150, 150}, 1.0f, 8);
    MstOptions mo;
    mo.min_samples = 5;
    auto tree = build_hdbscan_tree(x, mo);
    HdbscanOptions ho;
    ho.min_cluster_size = 30;
    ho.selection = ClusterSelection::Leaf;
    const auto leaf = extract_clusters(tree, ho);
    CHECK(leaf.n_clusters() == 4);
    ho.selection = ClusterSelection::ExcessOfMass;
    const auto eom = extract_clusters(tree, ho);
    CHECK(eom.n_clusters() >= 2);
    CHECK(eom.n_clusters() <= 4);
    // epsilon larger than the sub-blob gap but smaller than the group gap merges sub-blobs: two clusters.
    ho.selection = ClusterSelection::Leaf;
    ho.cluster_selection_epsilon = 10.0;
    CHECK(extract_clusters(tree, ho).n_clusters() == 2);
    // A huge epsilon stops below the root unless a single cluster is allowed.
    ho.cluster_selection_epsilon = 1000.0;
    CHECK(extract_clusters(tree, ho).n_clusters() == 2);
    ho.allow_single_cluster = true;
    auto single = extract_clusters(tree, ho);
    CHECK(single.n_clusters() == 1);
    CHECK(single.n_noise == 0);
    // max_cluster_size forbids the two 300-row groups: their children are selected instead.
    HdbscanOptions capped;
    capped.min_cluster_size = 30;
    capped.max_cluster_size = 200;
    auto c = extract_clusters(tree, capped);
    CHECK(c.n_clusters() == 4);
    for (int s : c.sizes) CHECK(s <= 200);
    // Changing only back-half options never touches the tree (same object reused above): labels are stable.
    CHECK(extract_clusters(tree, capped).labels == c.labels);
}

TEST_CASE("hdbscan edge cases: tiny inputs, duplicates, invalid options, NaN") {
    Matrix one(1, 2);
    auto t1 = build_hdbscan_tree(one, MstOptions{});
    HdbscanOptions ho;
    CHECK(extract_clusters(t1, ho).labels == std::vector<int>{-1});
    Matrix dup(50, 2);  // all rows identical
    auto td = build_hdbscan_tree(dup, MstOptions{});
    auto rd = extract_clusters(td, ho);
    for (float p : rd.probabilities) CHECK(std::isfinite(p));
    ho.allow_single_cluster = true;
    CHECK(extract_clusters(td, ho).n_clusters() == 1);
    HdbscanOptions bad;
    bad.min_cluster_size = 1;
    CHECK_THROWS_AS(extract_clusters(td, bad), std::invalid_argument);
    MstOptions bad_mst;
    bad_mst.min_samples = 0;
    CHECK_THROWS_AS(build_hdbscan_tree(dup, bad_mst), std::invalid_argument);
    Matrix nan(3, 2);
    nan.data[1] = std::nanf("");
    CHECK_THROWS_AS(build_hdbscan_tree(nan, MstOptions{}), std::invalid_argument);
}

TEST_CASE("hdbscan against R dbscan::hdbscan on golden inputs (2-D embedding, blobs, 13-D wine)") {
    // R dbscan's tree (double precision, Prim from row 0 with R's tie order) with R's rules: R's labels exactly,
    // and R's merge heights to double precision. Our fast tree has the same heights (float32); with the
    // HDBSCAN* rules the labels differ from R's by design where merges tie (see HdbscanRules).
    for (const std::string name : {"digits_umap", "blobs", "wine"}) {
        const Matrix x = test::read_float_csv(RECLUSTER_TEST_DIR "/golden/hdbscan_" + name + ".csv");
        const Dataset r = test::read_golden(RECLUSTER_TEST_DIR "/golden/hdbscan_" + name + "_r.csv");
        const Dataset heights = test::read_golden(RECLUSTER_TEST_DIR "/golden/hdbscan_" + name + "_r_heights.csv");
        int checked = 0;
        for (std::size_t ci = 0; ci < r.columns.size(); ++ci) {
            const std::string& col = r.columns[ci].name;
            if (col.rfind("minPts_", 0) != 0) continue;
            const int min_pts = std::stoi(col.substr(7));
            INFO(name << " minPts " << min_pts);
            MstOptions mo;
            mo.min_samples = min_pts;
            const auto tree = build_hdbscan_tree(x, mo);
            CHECK(tree.mst.method == (x.cols <= 4 ? MstMethod::Boruvka : MstMethod::Prim));
            mo.method = MstMethod::PrimRDbscan;
            mo.n_threads = 2;
            const auto r_tree = build_hdbscan_tree(x, mo);
            CHECK(r_tree.mst.method == MstMethod::PrimRDbscan);
            const std::size_t hc = heights.column_index(col);
            REQUIRE(hc < heights.columns.size());
            const std::vector<float>& h = heights.columns[hc].numbers;  // R's heights printed to float precision
            REQUIRE(h.size() == x.rows - 1);
            double worst = 0, worst_r = 0;
            for (std::size_t i = 0; i < h.size(); ++i) {
                const double ref = std::max(1e-12, static_cast<double>(h[i]));
                worst = std::max(worst, std::fabs(tree.dendrogram.distance[i] - h[i]) / ref);
                worst_r = std::max(worst_r, std::fabs(r_tree.dendrogram.distance[i] - h[i]) / ref);
            }
            CHECK(worst < 1e-5);    // float32 distances vs R's doubles
            CHECK(worst_r < 5e-6);  // R parses the 9-digit text as doubles, we as float32
            const std::vector<int> theirs = test::int_column(r, ci);
            REQUIRE(theirs.size() == x.rows);
            HdbscanOptions ho;
            ho.min_cluster_size = min_pts;
            ho.rules = HdbscanRules::RDbscan;
            const auto like_r = extract_clusters(r_tree, ho);
            std::size_t noise_diff = 0;
            for (std::size_t i = 0; i < x.rows; ++i) noise_diff += (like_r.labels[i] < 0) != (theirs[i] < 0);
            CHECK(noise_diff == 0);
            CHECK(adjusted_rand_index(like_r.labels, theirs) == Approx(1.0).epsilon(1e-12));
            // GLOSH (first minPts only): R's score for 97-99.8% of rows. R's maximum lambda of a cluster is larger
            // than ours for rows of some deep clusters (1 - lambda / lambda_max; measured: 25 of 1250, 23 of 1797,
            // 3 of 178 rows differ, by at most 0.19).
            const std::size_t gc = r.column_index("glosh_" + col);
            if (gc < r.columns.size()) {
                std::size_t same = 0;
                for (std::size_t i = 0; i < x.rows; ++i) same += std::fabs(like_r.outlier_scores[i] - r.columns[gc].numbers[i]) < 1e-4;
                CHECK(same * 100 >= x.rows * 97);
            }
            ho.rules = HdbscanRules::Campello;
            const double ari = adjusted_rand_index(extract_clusters(tree, ho).labels, theirs);
            CHECK(ari >= (min_pts >= 25 ? 0.998 : 0.85));
            ++checked;
        }
        CHECK(checked >= 2);
    }
}

TEST_CASE("R dbscan's tree is the same for any thread count and is an MST of the same weight") {
    const Matrix x = test::read_float_csv(RECLUSTER_TEST_DIR "/golden/hdbscan_blobs.csv");
    MstOptions mo;
    mo.min_samples = 5;
    const auto fast = build_hdbscan_tree(x, mo);
    mo.method = MstMethod::PrimRDbscan;
    mo.n_threads = 1;
    const auto one = build_hdbscan_tree(x, mo);
    mo.n_threads = 3;
    const auto three = build_hdbscan_tree(x, mo);
    CHECK(one.dendrogram.distance == three.dendrogram.distance);
    CHECK(one.dendrogram.left == three.dendrogram.left);
    double a = 0, b = 0;
    for (double d : fast.dendrogram.distance) a += d;
    for (double d : one.dendrogram.distance) b += d;
    CHECK(a == Approx(b).epsilon(1e-6));
    CHECK(std::is_sorted(one.dendrogram.distance.begin(), one.dendrogram.distance.end()));
    CHECK_THROWS(mutual_reachability_mst(x, mo));  // only build_hdbscan_tree makes R's tree
}

TEST_CASE("hdbscan (HDBSCAN* rules) does not depend on the order of rows, even with many tied distances") {
    Matrix x = blobs({{0, 0}, {9, 3}, {3, 10}}, {120, 100, 80}, 5.0f, 17, true);  // integer grid: ties everywhere
    const std::size_t n = x.rows;
    std::vector<std::size_t> perm(n);
    std::iota(perm.begin(), perm.end(), std::size_t{0});
    std::reverse(perm.begin(), perm.end());
    std::rotate(perm.begin(), perm.begin() + 37, perm.end());
    Matrix y(n, 2);
    for (std::size_t i = 0; i < n; ++i) std::copy(x.row(perm[i]), x.row(perm[i]) + 2, y.row(i));
    MstOptions mo;
    mo.min_samples = 4;
    HdbscanOptions ho;
    ho.min_cluster_size = 8;
    const auto a = extract_clusters(build_hdbscan_tree(x, mo), ho);
    const auto b = extract_clusters(build_hdbscan_tree(y, mo), ho);
    std::vector<int> b_in_x_order(n);
    for (std::size_t i = 0; i < n; ++i) b_in_x_order[perm[i]] = b.labels[i];
    CHECK(adjusted_rand_index(a.labels, b_in_x_order) == Approx(1.0));
    CHECK(a.n_noise == b.n_noise);
    CHECK(a.sizes == b.sizes);
}

TEST_CASE("partition agreement: ARI and NMI") {
    const std::vector<int> a{0, 0, 0, 1, 1, 1, 2, 2, 2};
    const std::vector<int> renamed{5, 5, 5, -1, -1, -1, 7, 7, 7};
    CHECK(adjusted_rand_index(a, renamed) == Approx(1.0));
    CHECK(normalized_mutual_info(a, renamed) == Approx(1.0));
    // scikit-learn: adjusted_rand_score([0,0,1,1],[0,0,1,2]) = 0.5714285714, NMI = 0.8
    CHECK(adjusted_rand_index({0, 0, 1, 1}, {0, 0, 1, 2}) == Approx(4.0 / 7.0));
    CHECK(normalized_mutual_info({0, 0, 1, 1}, {0, 0, 1, 2}) == Approx(0.8));
    CHECK(adjusted_rand_index({0, 1, 0, 1}, {0, 0, 1, 1}) < 0);
}
