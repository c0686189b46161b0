#include "pipeline/session_file.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <initializer_list>
#include <type_traits>

#include "cluster/condensed_tree.hpp"
#include "common/sha256.hpp"
#include "common/json_text.hpp"

namespace recluster {

static_assert(std::endian::native == std::endian::little, "session files are little-endian");

namespace {

constexpr char kMagic[8] = {'R', 'C', 'L', 'S', 'E', 'S', 'S', '\n'};
constexpr std::size_t kDigestBytes = 64;  // hex SHA-256 of everything before it

std::string text_of(std::initializer_list<std::string> parts) {  // (GCC 12 warns wrongly on "lit" + string)
    std::string out;
    for (const auto& p : parts) out += p;
    return out;
}

class Writer {
public:
    template <typename T>
    void put(T v) {
        static_assert(std::is_arithmetic_v<T>);
        out_.append(reinterpret_cast<const char*>(&v), sizeof(T));
    }
    void u64(std::size_t v) { put<std::uint64_t>(v); }
    void str(const std::string& s) {
        u64(s.size());
        out_ += s;
    }
    template <typename T>
    void vec(const std::vector<T>& v) {
        static_assert(std::is_arithmetic_v<T>);
        u64(v.size());
        if (!v.empty()) out_.append(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T));
    }
    void sizes(const std::vector<std::size_t>& v) {
        u64(v.size());
        for (std::size_t x : v) u64(x);
    }
    void bools(const std::vector<bool>& v) {
        u64(v.size());
        for (bool b : v) put<std::uint8_t>(b ? 1 : 0);
    }
    void strs(const std::vector<std::string>& v) {
        u64(v.size());
        for (const auto& s : v) str(s);
    }
    void matrix(const Matrix& m) {
        u64(m.rows);
        u64(m.cols);
        vec(m.data);
    }
    std::string& bytes() { return out_; }

private:
    std::string out_;
};

// Reads what Writer wrote; any overrun or implausible size marks the reader failed and yields zeros / empties.
class Reader {
public:
    Reader(const std::string& s, std::size_t end) : s_(s), end_(end) {}
    bool ok() const { return ok_; }
    void fail() { ok_ = false; }
    template <typename T>
    T get() {
        T v{};
        if (!ok_ || end_ - pos_ < sizeof(T)) {
            ok_ = false;
            return v;
        }
        std::memcpy(&v, s_.data() + pos_, sizeof(T));
        pos_ += sizeof(T);
        return v;
    }
    std::size_t u64() {
        const std::uint64_t v = get<std::uint64_t>();
        if (v > end_) {  // no count or length can exceed the file's size
            ok_ = false;
            return 0;
        }
        return static_cast<std::size_t>(v);
    }
    std::string str() {
        const std::size_t n = u64();
        if (!ok_ || end_ - pos_ < n) {
            ok_ = false;
            return {};
        }
        std::string out = s_.substr(pos_, n);
        pos_ += n;
        return out;
    }
    template <typename T>
    std::vector<T> vec() {
        const std::size_t n = u64();
        std::vector<T> v;
        if (!ok_ || (end_ - pos_) / sizeof(T) < n) {
            ok_ = false;
            return v;
        }
        v.resize(n);
        if (n) std::memcpy(v.data(), s_.data() + pos_, n * sizeof(T));
        pos_ += n * sizeof(T);
        return v;
    }
    std::vector<std::size_t> sizes() {
        auto v = vec<std::uint64_t>();
        return std::vector<std::size_t>(v.begin(), v.end());
    }
    std::vector<bool> bools() {
        auto v = vec<std::uint8_t>();
        std::vector<bool> out(v.size());
        for (std::size_t i = 0; i < v.size(); ++i) out[i] = v[i] != 0;
        return out;
    }
    std::vector<std::string> strs() {
        const std::size_t n = u64();
        std::vector<std::string> v;
        for (std::size_t i = 0; i < n && ok_; ++i) v.push_back(str());
        return v;
    }
    Matrix matrix() {
        Matrix m;
        m.rows = u64();
        m.cols = u64();
        m.data = vec<float>();
        if (m.cols > 0 && m.rows > m.data.size() / m.cols) ok_ = false;
        if (m.rows * m.cols != m.data.size()) ok_ = false;
        return m;
    }
    std::size_t pos() const { return pos_; }

private:
    const std::string& s_;
    std::size_t end_;
    std::size_t pos_ = 0;
    bool ok_ = true;
};

// ---- pipeline output ----

void write_tree(Writer& w, const HdbscanTree* t) {
    w.put<std::uint8_t>(t ? 1 : 0);
    if (!t) return;
    w.vec(t->mst.core_sq);
    w.u64(t->mst.edges.size());
    for (const auto& e : t->mst.edges) {
        w.put<std::int32_t>(e.u);
        w.put<std::int32_t>(e.v);
        w.put<float>(e.w);
    }
    w.put<std::int32_t>(static_cast<int>(t->mst.method));
    w.u64(t->dendrogram.n);
    w.vec(t->dendrogram.left);
    w.vec(t->dendrogram.right);
    w.vec(t->dendrogram.distance);
    w.vec(t->dendrogram.size);
}

std::shared_ptr<const HdbscanTree> read_tree(Reader& r, std::size_t n) {
    if (r.get<std::uint8_t>() == 0) return nullptr;
    auto t = std::make_shared<HdbscanTree>();
    t->mst.core_sq = r.vec<float>();
    const std::size_t edges = r.u64();
    for (std::size_t i = 0; i < edges && r.ok(); ++i) {
        MstEdge e;
        e.u = r.get<std::int32_t>();
        e.v = r.get<std::int32_t>();
        e.w = r.get<float>();
        t->mst.edges.push_back(e);
    }
    const int method = r.get<std::int32_t>();
    if (method < 0 || method > static_cast<int>(MstMethod::PrimRDbscan)) r.fail();
    t->mst.method = static_cast<MstMethod>(method);
    auto& d = t->dendrogram;
    d.n = r.u64();
    d.left = r.vec<int>();
    d.right = r.vec<int>();
    d.distance = r.vec<double>();
    d.size = r.vec<int>();
    // Indices in range: every edge joins rows of this view; merge i joins nodes made before it.
    const std::size_t merges = n > 0 ? n - 1 : 0;
    bool ok = t->mst.core_sq.size() == n && t->mst.edges.size() == merges && d.n == n && d.left.size() == merges &&
              d.right.size() == merges && d.distance.size() == merges && d.size.size() == merges;
    for (const auto& e : t->mst.edges) ok = ok && e.u >= 0 && e.v >= 0 && static_cast<std::size_t>(e.u) < n && static_cast<std::size_t>(e.v) < n;
    for (std::size_t i = 0; ok && i < merges; ++i)
        ok = d.left[i] >= 0 && d.right[i] >= 0 && static_cast<std::size_t>(d.left[i]) < n + i &&
             static_cast<std::size_t>(d.right[i]) < n + i && d.size[i] >= 2 && static_cast<std::size_t>(d.size[i]) <= n;
    if (!ok) r.fail();
    return t;
}

void write_condensed(Writer& w, const CondensedTree* c) {
    w.put<std::uint8_t>(c ? 1 : 0);
    if (!c) return;
    w.u64(c->n_points);
    w.vec(c->parent);
    w.vec(c->child);
    w.vec(c->child_size);
    w.vec(c->lambda);
    w.vec(c->cluster_parent);
    w.vec(c->birth_lambda);
    w.vec(c->cluster_size);
    w.vec(c->stability);
    w.vec(c->max_lambda);
    w.bools(c->has_children);
    w.vec(c->point_cluster);
    w.vec(c->point_lambda);
}

std::shared_ptr<const CondensedTree> read_condensed(Reader& r, std::size_t n) {
    if (r.get<std::uint8_t>() == 0) return nullptr;
    auto c = std::make_shared<CondensedTree>();
    c->n_points = r.u64();
    c->parent = r.vec<int>();
    c->child = r.vec<int>();
    c->child_size = r.vec<int>();
    c->lambda = r.vec<double>();
    c->cluster_parent = r.vec<int>();
    c->birth_lambda = r.vec<double>();
    c->cluster_size = r.vec<int>();
    c->stability = r.vec<double>();
    c->max_lambda = r.vec<double>();
    c->has_children = r.bools();
    c->point_cluster = r.vec<int>();
    c->point_lambda = r.vec<double>();
    const std::size_t k = c->cluster_parent.size(), e = c->parent.size();
    bool ok = c->n_points == n && c->child.size() == e && c->child_size.size() == e && c->lambda.size() == e &&
              c->birth_lambda.size() == k && c->cluster_size.size() == k && c->stability.size() == k &&
              c->max_lambda.size() == k && c->has_children.size() == k && c->point_cluster.size() == n &&
              c->point_lambda.size() == n;
    for (std::size_t i = 0; ok && i < e; ++i)
        ok = c->parent[i] >= 0 && static_cast<std::size_t>(c->parent[i]) < k && c->child[i] >= 0 &&
             static_cast<std::size_t>(c->child[i]) < n + k;
    for (std::size_t i = 0; ok && i < k; ++i)
        ok = c->cluster_parent[i] >= -1 && c->cluster_parent[i] < static_cast<int>(i);
    for (std::size_t i = 0; ok && i < n; ++i) ok = c->point_cluster[i] >= 0 && static_cast<std::size_t>(c->point_cluster[i]) < k;
    if (!ok) r.fail();
    return c;
}

void write_output(Writer& w, const PipelineOutput& o) {
    w.matrix(o.embedding);
    w.put<std::uint8_t>(o.cluster_input ? 1 : 0);
    if (o.cluster_input) w.matrix(*o.cluster_input);
    w.vec(o.labels);
    const ClusteringOutput& c = o.clustering;
    w.str(c.method);
    w.str(c.space);
    w.u64(c.space_dims);
    w.put<double>(c.eps);
    w.put<std::int32_t>(c.min_cluster_size);
    w.put<std::int32_t>(c.min_samples);
    w.str(c.rules);
    w.vec(c.probabilities);
    w.vec(c.outlier_scores);
    w.vec(c.sizes);
    w.vec(c.stability);
    w.vec(c.persistence);
    w.put<std::int32_t>(c.k);
    w.put<double>(c.inertia);
    w.put<double>(c.log_likelihood);
    w.put<double>(c.bic);
    w.put<std::int32_t>(c.n_iter);
    w.put<std::uint8_t>(c.mini_batch ? 1 : 0);
    w.u64(c.n_noise);
    write_tree(w, c.tree.get());
    write_condensed(w, c.condensed.get());
    w.bools(c.selected);
    w.vec(c.tree_cluster);
    w.strs(o.feature_columns);
    w.vec(o.explained_variance_ratio);
    w.str(o.pca_solver);
    w.u64(o.timings.size());
    for (const auto& t : o.timings) {
        w.str(t.stage);
        w.put<double>(t.ms);
    }
    const UmapInfo& u = o.umap;
    w.str(u.neighbor_method);
    w.str(u.init);
    w.put<std::int32_t>(u.n_epochs);
    w.put<double>(u.a);
    w.put<double>(u.b);
    w.u64(u.graph_edges);
    w.put<double>(u.neighbors_ms);
    w.put<double>(u.graph_ms);
    w.put<double>(u.init_ms);
    w.put<double>(u.layout_ms);
    w.put<std::uint8_t>(o.reused_embedding ? 1 : 0);
}

std::shared_ptr<PipelineOutput> read_output(Reader& r, std::size_t n) {
    auto o = std::make_shared<PipelineOutput>();
    o->embedding = r.matrix();
    if (r.get<std::uint8_t>()) o->cluster_input = std::make_shared<const Matrix>(r.matrix());
    o->labels = r.vec<int>();
    ClusteringOutput& c = o->clustering;
    c.method = r.str();
    c.space = r.str();
    c.space_dims = r.u64();
    c.eps = r.get<double>();
    c.min_cluster_size = r.get<std::int32_t>();
    c.min_samples = r.get<std::int32_t>();
    c.rules = r.str();
    c.probabilities = r.vec<float>();
    c.outlier_scores = r.vec<float>();
    c.sizes = r.vec<int>();
    c.stability = r.vec<double>();
    c.persistence = r.vec<double>();
    c.k = r.get<std::int32_t>();
    c.inertia = r.get<double>();
    c.log_likelihood = r.get<double>();
    c.bic = r.get<double>();
    c.n_iter = r.get<std::int32_t>();
    c.mini_batch = r.get<std::uint8_t>() != 0;
    c.n_noise = r.u64();
    c.tree = read_tree(r, n);
    c.condensed = read_condensed(r, n);
    c.selected = r.bools();
    c.tree_cluster = r.vec<int>();
    o->feature_columns = r.strs();
    o->explained_variance_ratio = r.vec<double>();
    o->pca_solver = r.str();
    const std::size_t timings = r.u64();
    for (std::size_t i = 0; i < timings && r.ok(); ++i) {
        StageTiming t;
        t.stage = r.str();
        t.ms = r.get<double>();
        o->timings.push_back(std::move(t));
    }
    UmapInfo& u = o->umap;
    u.neighbor_method = r.str();
    u.init = r.str();
    u.n_epochs = r.get<std::int32_t>();
    u.a = r.get<double>();
    u.b = r.get<double>();
    u.graph_edges = r.u64();
    u.neighbors_ms = r.get<double>();
    u.graph_ms = r.get<double>();
    u.init_ms = r.get<double>();
    u.layout_ms = r.get<double>();
    o->reused_embedding = r.get<std::uint8_t>() != 0;
    // Every per-row array has the view's rows; every label names a cluster.
    const int k = static_cast<int>(c.sizes.size());
    bool ok = o->embedding.rows == n && o->embedding.cols == 2 && o->labels.size() == n &&
              (c.probabilities.empty() || c.probabilities.size() == n) &&
              (c.outlier_scores.empty() || c.outlier_scores.size() == n) && c.space_dims < 1000000 &&
              (!o->cluster_input || o->cluster_input->rows == n) && c.n_noise <= n;
    for (int l : o->labels) ok = ok && l >= -1 && l < k;
    if (c.condensed) {
        ok = ok && c.selected.size() == c.condensed->n_clusters();
        for (int t : c.tree_cluster) ok = ok && t >= 0 && static_cast<std::size_t>(t) < c.condensed->n_clusters();
    }
    if (!ok) r.fail();
    return o;
}

// ---- explanations ----

void write_explanation(Writer& w, const ClusterExplanation& e) {
    w.put<std::int32_t>(e.cluster);
    w.u64(e.size);
    w.u64(e.model.n_features);
    w.put<double>(e.model.base_score);
    w.u64(e.model.trees.size());
    for (const auto& t : e.model.trees) {
        w.u64(t.nodes.size());
        for (const auto& nd : t.nodes) {
            w.put<std::int32_t>(nd.left);
            w.put<std::int32_t>(nd.right);
            w.put<std::int32_t>(nd.feature);
            w.put<float>(nd.threshold);
            w.put<std::int32_t>(nd.split_bin);
            w.put<std::uint8_t>(nd.default_left ? 1 : 0);
            w.put<float>(nd.value);
            w.put<float>(nd.gain);
            w.put<float>(nd.cover);
        }
    }
    const BoosterReport& b = e.report;
    w.put<std::int32_t>(b.rounds);
    w.put<std::int32_t>(b.rounds_run);
    w.u64(b.train_rows);
    w.u64(b.validation_rows);
    w.u64(b.positives);
    w.put<double>(b.validation_logloss);
    w.put<double>(b.validation_auc);
    w.put<double>(b.validation_accuracy);
    w.put<double>(e.auc);
    w.put<double>(e.accuracy);
    w.u64(e.features.size());
    for (const auto& f : e.features) {
        w.put<std::int32_t>(f.feature);
        w.put<double>(f.mean_abs_shap);
        w.put<double>(f.mean_shap);
    }
    w.vec(e.mean_shap);
    w.vec(e.mean_values);
    w.u64(e.profile.size());
    for (const auto& p : e.profile) {
        w.put<std::int32_t>(p.feature);
        w.put<double>(p.cluster_mean);
        w.put<double>(p.rest_mean);
        w.put<double>(p.std_diff);
    }
    w.sizes(e.shap_rows);
    w.vec(e.shap_top);
    w.vec(e.value_top);
    w.sizes(e.representatives);
    w.sizes(e.outliers);
}

ClusterExplanation read_explanation(Reader& r, std::size_t n, std::size_t n_features, int n_clusters) {
    ClusterExplanation e;
    e.cluster = r.get<std::int32_t>();
    e.size = r.u64();
    e.model.n_features = r.u64();
    e.model.base_score = r.get<double>();
    const std::size_t trees = r.u64();
    bool ok = e.cluster >= 0 && e.cluster < n_clusters && e.size <= n && e.model.n_features == n_features;
    for (std::size_t t = 0; t < trees && r.ok(); ++t) {
        RegressionTree tree;
        const std::size_t nodes = r.u64();
        for (std::size_t i = 0; i < nodes && r.ok(); ++i) {
            TreeNode nd;
            nd.left = r.get<std::int32_t>();
            nd.right = r.get<std::int32_t>();
            nd.feature = r.get<std::int32_t>();
            nd.threshold = r.get<float>();
            nd.split_bin = r.get<std::int32_t>();
            nd.default_left = r.get<std::uint8_t>() != 0;
            nd.value = r.get<float>();
            nd.gain = r.get<float>();
            nd.cover = r.get<float>();
            // Children come after their parent (no cycles); splits name a feature of the model.
            if (nd.left >= 0 || nd.right >= 0)
                ok = ok && nd.left > static_cast<int>(i) && nd.right > static_cast<int>(i) &&
                     static_cast<std::size_t>(nd.left) < nodes && static_cast<std::size_t>(nd.right) < nodes &&
                     nd.feature >= 0 && static_cast<std::size_t>(nd.feature) < n_features;
            tree.nodes.push_back(nd);
        }
        ok = ok && !tree.nodes.empty();
        e.model.trees.push_back(std::move(tree));
    }
    BoosterReport& b = e.report;
    b.rounds = r.get<std::int32_t>();
    b.rounds_run = r.get<std::int32_t>();
    b.train_rows = r.u64();
    b.validation_rows = r.u64();
    b.positives = r.u64();
    b.validation_logloss = r.get<double>();
    b.validation_auc = r.get<double>();
    b.validation_accuracy = r.get<double>();
    e.auc = r.get<double>();
    e.accuracy = r.get<double>();
    const std::size_t features = r.u64();
    for (std::size_t i = 0; i < features && r.ok(); ++i) {
        FeatureScore f;
        f.feature = r.get<std::int32_t>();
        f.mean_abs_shap = r.get<double>();
        f.mean_shap = r.get<double>();
        ok = ok && f.feature >= 0 && static_cast<std::size_t>(f.feature) < n_features;
        e.features.push_back(f);
    }
    e.mean_shap = r.vec<double>();
    e.mean_values = r.vec<double>();
    const std::size_t profile = r.u64();
    for (std::size_t i = 0; i < profile && r.ok(); ++i) {
        ProfileEntry p;
        p.feature = r.get<std::int32_t>();
        p.cluster_mean = r.get<double>();
        p.rest_mean = r.get<double>();
        p.std_diff = r.get<double>();
        ok = ok && p.feature >= 0 && static_cast<std::size_t>(p.feature) < n_features;
        e.profile.push_back(p);
    }
    e.shap_rows = r.sizes();
    e.shap_top = r.vec<float>();
    e.value_top = r.vec<float>();
    e.representatives = r.sizes();
    e.outliers = r.sizes();
    ok = ok && e.features.size() == n_features && e.profile.size() == n_features && e.mean_shap.size() == n_features &&
         e.mean_values.size() == n_features && e.shap_top.size() == e.value_top.size() &&
         (e.shap_rows.empty() ? e.shap_top.empty() : e.shap_top.size() % e.shap_rows.size() == 0 &&
                                                          e.shap_top.size() / e.shap_rows.size() <= n_features);
    for (const auto* rows : {&e.shap_rows, &e.representatives, &e.outliers})
        for (std::size_t x : *rows) ok = ok && x < n;
    if (!ok) r.fail();
    return e;
}

bool reachable(const Session& s, int id) {
    const SessionNode& n = s.node(id);
    return n.output && n.parent != -2;
}

}  // namespace

bool is_session_file(const std::string& bytes) {
    return bytes.size() >= sizeof(kMagic) && std::memcmp(bytes.data(), kMagic, sizeof(kMagic)) == 0;
}

Result<std::string> encode_session_file(const Session& session, const std::string& data_text, const std::string& view_json,
                                        const std::string& data_setup) {
    using R = Result<std::string>;
    const Dataset& data = *session.dataset();
    if (sha256_hex(data_text) != data.fingerprint)
        return R::failure("The data kept for the session file is not the file the exploration was made from.");
    if (!reachable(session, session.root())) return R::failure("Nothing to save yet: the first map has not been computed.");
    Writer w;
    w.bytes().append(kMagic, sizeof(kMagic));
    w.put<std::uint32_t>(SessionFile::kVersion);
    w.str(data.name);
    w.str(data_text);
    w.str(data.fingerprint);
    w.str(data_setup);
    w.str(view_json);
    // Reachable computed nodes in id order (parents first), renumbered.
    std::vector<int> index(session.size(), -1);
    std::vector<int> order;
    for (std::size_t id = 0; id < session.size(); ++id) {
        const SessionNode& n = session.node(static_cast<int>(id));
        if (!reachable(session, static_cast<int>(id)) || (n.parent >= 0 && index[static_cast<std::size_t>(n.parent)] < 0)) continue;
        index[id] = static_cast<int>(order.size());
        order.push_back(static_cast<int>(id));
    }
    w.u64(order.size());
    for (int id : order) {
        const SessionNode& n = session.node(id);
        w.put<std::int32_t>(n.parent < 0 ? -1 : index[static_cast<std::size_t>(n.parent)]);
        w.put<std::int32_t>(n.cluster);
        w.u64(n.rows.size());
        if (n.parent >= 0 && n.cluster < 0) w.sizes(n.rows);
        w.str(n.recipe.to_json());
        write_output(w, *n.output);
        w.str(n.stability.is_null() ? std::string() : json_text(n.stability));
        const std::size_t k = n.explanations ? n.explanations->size() : 0;
        w.u64(k);
        for (std::size_t i = 0; i < k; ++i) write_explanation(w, (*n.explanations)[i]);
    }
    w.put<std::int32_t>(index[static_cast<std::size_t>(session.current())] < 0 ? 0 : index[static_cast<std::size_t>(session.current())]);
    const std::string digest = sha256_hex(w.bytes());
    w.bytes() += digest;
    return std::move(w.bytes());
}

Result<SessionFile> decode_session_file(const std::string& bytes) {
    using R = Result<SessionFile>;
    if (!is_session_file(bytes)) return R::failure("This is not a recluster session file.");
    if (bytes.size() < sizeof(kMagic) + 4 + kDigestBytes) return R::failure("The session file is cut short.");
    const std::size_t end = bytes.size() - kDigestBytes;
    std::uint32_t version = 0;
    std::memcpy(&version, bytes.data() + sizeof(kMagic), 4);
    if (version != SessionFile::kVersion && version != 1)
        return R::failure(text_of({"The session file was saved by another version of recluster (format ", std::to_string(version), ")."}));
    if (sha256_hex(bytes.substr(0, end)) != bytes.substr(end))
        return R::failure("The session file is damaged (its checksum does not match): it was cut short or changed.");
    Reader r(bytes, end);
    for (std::size_t i = 0; i < sizeof(kMagic) + 4; ++i) r.get<char>();
    SessionFile f;
    f.data_name = r.str();
    f.data_text = r.str();
    f.fingerprint = r.str();
    f.data_setup = version >= 2 ? r.str() : std::string("{}");
    f.view_json = r.str();
    const std::size_t count = r.u64();
    if (r.ok() && count == 0) return R::failure("The session file holds no views.");
    std::size_t total_rows = 0;
    for (std::size_t i = 0; i < count && r.ok(); ++i) {
        SavedNode n;
        n.parent = r.get<std::int32_t>();
        n.cluster = r.get<std::int32_t>();
        n.row_count = r.u64();
        if (i == 0) total_rows = n.row_count;
        const bool top = i == 0;
        if (top != (n.parent < 0) || n.parent >= static_cast<int>(i) || n.cluster < -1 || n.row_count > total_rows) {
            r.fail();
            break;
        }
        if (n.parent >= 0 && n.cluster < 0) {
            n.rows = r.sizes();
            bool ok = n.rows.size() == n.row_count;
            for (std::size_t k = 0; ok && k < n.rows.size(); ++k) ok = n.rows[k] < total_rows && (k == 0 || n.rows[k - 1] < n.rows[k]);
            if (!ok) r.fail();
        }
        auto recipe = recipe_from_json(r.str());
        if (!r.ok()) break;
        if (!recipe) return R::failure(text_of({"The session file has a view with a bad recipe: ", recipe.error()}));
        n.recipe = std::move(*recipe);
        n.output = read_output(r, n.row_count);
        n.stability_json = r.str();
        const std::size_t k = r.u64();
        for (std::size_t e = 0; e < k && r.ok(); ++e)
            n.explanations.push_back(read_explanation(r, n.row_count, n.output->feature_columns.size(),
                                                      static_cast<int>(n.output->clustering.sizes.size())));
        f.nodes.push_back(std::move(n));
    }
    f.current = r.get<std::int32_t>();
    if (!r.ok() || r.pos() != end || f.current < 0 || static_cast<std::size_t>(f.current) >= f.nodes.size())
        return R::failure("The session file is damaged: its contents do not fit together.");
    // The data's own fingerprint is checked by restore_session() against the dataset parsed from it (the CSV
    // reader hashes the bytes anyway, so they are hashed once).
    return f;
}

Result<std::unique_ptr<Session>> restore_session(std::shared_ptr<const Dataset> data, SessionFile& file) {
    using R = Result<std::unique_ptr<Session>>;
    if (data->fingerprint != file.fingerprint) return R::failure("The session's data does not match its fingerprint.");
    if (file.nodes.empty() || file.nodes[0].row_count != data->rows)
        return R::failure("The session file's top view does not have the data's rows.");
    auto session = std::make_unique<Session>(std::move(data));
    std::vector<int> id(file.nodes.size(), -1);
    for (std::size_t i = 0; i < file.nodes.size(); ++i) {
        SavedNode& n = file.nodes[i];
        if (i == 0) {
            id[0] = session->root();
        } else {
            const int parent = id[static_cast<std::size_t>(n.parent)];
            Result<int> child = Result<int>::failure("");
            if (n.cluster >= 0) {
                child = session->child_for_cluster(parent, n.cluster);
            } else {
                // Selection rows as indices into the parent's rows (both ascending).
                const auto& prow = session->node(parent).rows;
                std::vector<std::size_t> local;
                for (std::size_t r : n.rows) {
                    auto it = std::lower_bound(prow.begin(), prow.end(), r);
                    if (it == prow.end() || *it != r) return R::failure("The session file has a selection outside its parent view.");
                    local.push_back(static_cast<std::size_t>(it - prow.begin()));
                }
                child = session->child_for_selection(parent, local);
            }
            if (!child) return R::failure(text_of({"The session file's views do not fit its data: ", child.error()}));
            id[i] = *child;
        }
        if (session->node(id[i]).rows.size() != n.row_count)
            return R::failure("The session file's views do not fit its data (a view's rows differ).");
        session->set_result(id[i], n.recipe, std::move(*n.output));
        n.output.reset();
        if (!n.stability_json.empty()) {
            const nlohmann::json s = nlohmann::json::parse(n.stability_json, nullptr, false);
            if (s.is_discarded()) return R::failure("The session file has an unreadable stability report.");
            session->set_stability(id[i], n.stability_json);
        }
        if (!n.explanations.empty()) session->add_explanations(id[i], n.explanations);
        n.explanations.clear();
    }
    session->go_to(id[static_cast<std::size_t>(file.current)]);
    return session;
}

}  // namespace recluster
