#include "pipeline/session.hpp"

#include <algorithm>
#include <functional>
#include <limits>
#include <stdexcept>

#include <nlohmann/json.hpp>
#include "common/json_text.hpp"

namespace recluster {

Session::Session(std::shared_ptr<const Dataset> data) {
    SessionNode root;
    root.label = "All";
    root.rows.resize(data ? data->rows : 0);
    for (std::size_t i = 0; i < root.rows.size(); ++i) root.rows[i] = i;
    root.data = std::move(data);
    nodes_.push_back(std::move(root));
}

Result<int> Session::child_for_cluster(int parent, int cluster) {
    using R = Result<int>;
    if (parent < 0 || static_cast<std::size_t>(parent) >= nodes_.size()) return R::failure("Unknown node.");
    const SessionNode& p = nodes_[static_cast<std::size_t>(parent)];
    if (!p.output) return R::failure("This view has no result yet to zoom into.");
    if (cluster < 0 || static_cast<std::size_t>(cluster) >= p.output->clustering.sizes.size())
        return R::failure("There is no cluster " + std::to_string(cluster) + " here (clusters 0 to " +
                          std::to_string(static_cast<int>(p.output->clustering.sizes.size()) - 1) + ").");
    for (int c : p.children)
        if (nodes_[static_cast<std::size_t>(c)].cluster == cluster) return c;
    std::vector<std::size_t> rows;
    for (std::size_t i = 0; i < p.rows.size(); ++i)
        if (p.output->labels[i] == cluster) rows.push_back(p.rows[i]);
    if (rows.size() < 3) return R::failure("Cluster " + std::to_string(cluster) + " has too few rows to zoom into.");
    SessionNode n;
    n.id = static_cast<int>(nodes_.size());
    n.parent = parent;
    n.depth = p.depth + 1;
    n.cluster = cluster;
    n.path = p.path.empty() ? std::to_string(cluster) : p.path + "." + std::to_string(cluster);
    n.label = n.path;
    n.data = std::make_shared<const Dataset>(subset_rows(*nodes_[0].data, rows, nodes_[0].data->name + " [" + n.path + "]"));
    n.rows = std::move(rows);
    nodes_[static_cast<std::size_t>(parent)].children.push_back(n.id);
    nodes_.push_back(std::move(n));
    return static_cast<int>(nodes_.size()) - 1;
}

Result<int> Session::child_for_selection(int parent, const std::vector<std::size_t>& parent_rows) {
    using R = Result<int>;
    if (parent < 0 || static_cast<std::size_t>(parent) >= nodes_.size()) return R::failure("Unknown node.");
    const SessionNode& p = nodes_[static_cast<std::size_t>(parent)];
    std::vector<std::size_t> rows;
    for (std::size_t i : parent_rows) {
        if (i >= p.rows.size())
            return R::failure("Selected row " + std::to_string(i) + " is outside this view's " + std::to_string(p.rows.size()) + " rows.");
        rows.push_back(p.rows[i]);
    }
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    if (rows.size() < 3) return R::failure("Select at least 3 rows to zoom into.");
    SessionNode n;
    n.id = static_cast<int>(nodes_.size());
    n.parent = parent;
    n.depth = p.depth + 1;
    n.label = "selection " + std::to_string(++selections_) + " (" + std::to_string(rows.size()) + " rows)";
    n.data = std::make_shared<const Dataset>(subset_rows(*nodes_[0].data, rows, nodes_[0].data->name + " [" + n.label + "]"));
    n.rows = std::move(rows);
    nodes_[static_cast<std::size_t>(parent)].children.push_back(n.id);
    nodes_.push_back(std::move(n));
    return static_cast<int>(nodes_.size()) - 1;
}

std::unique_ptr<PipelineJob> Session::make_job(int id, const Recipe& recipe, int n_threads) const {
    return std::make_unique<PipelineJob>(*node(id).data, recipe, n_threads);
}

void Session::set_result(int id, const Recipe& recipe, PipelineOutput output) {
    SessionNode& n = nodes_.at(static_cast<std::size_t>(id));
    n.recipe = recipe;
    n.output = std::make_shared<const PipelineOutput>(std::move(output));
    n.stability = nullptr;
    n.explanations.reset();
    // A new clustering of this node makes its cluster children meaningless: detach them and their subtrees
    // (unreachable from the root; their row subsets and results are freed). Selections stay.
    std::vector<int> kept, drop;
    for (int c : n.children) (nodes_[static_cast<std::size_t>(c)].cluster < 0 ? kept : drop).push_back(c);
    n.children = std::move(kept);
    while (!drop.empty()) {
        SessionNode& d = nodes_[static_cast<std::size_t>(drop.back())];
        drop.pop_back();
        d.parent = -2;
        d.data.reset();
        d.output.reset();
        d.explanations.reset();
        d.explain_features.reset();
        d.rows.clear();
        d.rows.shrink_to_fit();
        drop.insert(drop.end(), d.children.begin(), d.children.end());
        d.children.clear();
    }
}

const ClusterExplanation* SessionNode::explanation(int cluster) const {
    if (!explanations) return nullptr;
    for (const auto& e : *explanations)
        if (e.cluster == cluster) return &e;
    return nullptr;
}

ExplainInput Session::explain_input(int id) const {
    const SessionNode& n = node(id);
    if (!n.output) throw std::invalid_argument("explain: the view has not been computed");
    ExplainInput in;
    in.owner = n.data;
    in.features.rows = n.data->rows;
    for (const auto& name : n.output->feature_columns) {
        const std::size_t c = n.data->column_index(name);
        if (c == n.data->columns.size() || n.data->columns[c].type != ColumnType::Numeric)
            throw std::invalid_argument("explain: feature column '" + name + "' is missing");
        in.features.columns.push_back(n.data->columns[c].numbers.data());
        in.feature_names.push_back(name);
    }
    in.labels = n.output->labels;
    in.embedding = std::shared_ptr<const Matrix>(n.output, &n.output->embedding);
    in.outlier_scores = n.output->clustering.outlier_scores;
    in.prepared = n.explain_features;
    return in;
}

void Session::add_explanations(int id, const std::vector<ClusterExplanation>& explained,
                               std::shared_ptr<const PreparedFeatures> prepared) {
    SessionNode& n = nodes_.at(static_cast<std::size_t>(id));
    if (prepared) n.explain_features = std::move(prepared);
    if (explained.empty()) return;  // nothing explained (a view without clusters): it stays unexplained
    auto merged = std::make_shared<std::vector<ClusterExplanation>>();
    if (n.explanations)
        for (const auto& e : *n.explanations) {
            bool replaced = false;
            for (const auto& x : explained) replaced |= x.cluster == e.cluster;
            if (!replaced) merged->push_back(e);
        }
    merged->insert(merged->end(), explained.begin(), explained.end());
    std::sort(merged->begin(), merged->end(), [](const ClusterExplanation& a, const ClusterExplanation& b) { return a.cluster < b.cluster; });
    n.explanations = std::move(merged);
}

Recipe Session::default_recipe(int id) const {
    const SessionNode& n = node(id);
    if (n.output) return n.recipe;
    Recipe r;
    for (int p = n.parent; p >= 0; p = node(p).parent)
        if (node(p).output) {
            r = node(p).recipe;
            break;
        }
    return view_defaults(id, r);
}

Recipe Session::view_defaults(int id, Recipe r) const {
    if (node(id).parent < 0) return r;
    // Zoomed-in views run UMAP for 200 epochs unless the recipe sets them: a zoom should be quick, and the maps
    // lose little (scripts/bench_drill_quality.py; docs/benchmarks.md).
    if (r.n_epochs == 0) r.n_epochs = kDrillEpochs;
    // ... and look for sub-clusters of at least 2% of the view's rows: at 0.5% the smaller, less settled maps of
    // Fashion-MNIST clusters split into 44-58 fragments with 21-28% noise (docs/benchmarks.md, drill-down).
    if (r.min_cluster_fraction == 0) r.min_cluster_fraction = kDrillMinClusterFraction;
    return r;
}

bool Session::go_to(int id) {
    if (id < 0 || static_cast<std::size_t>(id) >= nodes_.size() || !nodes_[static_cast<std::size_t>(id)].output) return false;
    if (nodes_[static_cast<std::size_t>(id)].parent == -2) return false;
    current_ = id;
    return true;
}

std::vector<int> Session::breadcrumbs() const {
    std::vector<int> out;
    for (int n = current_; n >= 0; n = node(n).parent) out.push_back(n);
    std::reverse(out.begin(), out.end());
    return out;
}

std::vector<std::string> Session::row_paths() const {
    const std::size_t total = nodes_[0].rows.size();
    std::vector<std::string> path(total);
    // Parents come before children (ids grow), so deeper nodes overwrite their parents' labels.
    for (const SessionNode& n : nodes_) {
        if (!n.output || n.parent == -2 || (n.parent >= 0 && n.cluster < 0)) continue;  // selections: not paths
        const std::string prefix = n.path.empty() ? "" : n.path + ".";
        for (std::size_t i = 0; i < n.rows.size(); ++i) {
            const int l = n.output->labels[i];
            path[n.rows[i]] = prefix + (l < 0 ? std::string("noise") : std::to_string(l));
        }
    }
    return path;
}

std::string Session::hierarchy_json() const {
    const double total = static_cast<double>(std::max<std::size_t>(1, nodes_[0].rows.size()));
    std::function<nlohmann::json(int)> build = [&](int id) {
        const SessionNode& n = node(id);
        nlohmann::json j;
        j["id"] = n.id;
        j["label"] = n.label;
        j["path"] = n.path;
        j["rows"] = n.rows.size();
        j["fraction"] = static_cast<double>(n.rows.size()) / total;
        j["depth"] = n.depth;
        j["computed"] = n.output != nullptr;
        if (n.output) {
            j["clusters"] = n.output->clustering.sizes.size();
            j["sizes"] = n.output->clustering.sizes;
            j["noise"] = n.output->clustering.n_noise;
            j["method"] = n.output->clustering.method;
            j["recipe"] = nlohmann::json::parse(n.recipe.to_json());
            if (!n.stability.is_null()) j["stability"] = n.stability;
        }
        nlohmann::json kids = nlohmann::json::array();
        for (int c : n.children) kids.push_back(build(c));
        j["children"] = kids;
        return j;
    };
    return json_text(build(0));
}

Result<int> compute_node(Session& session, int id, const Recipe& recipe, int n_threads) {
    auto job = session.make_job(id, recipe, n_threads);
    while (job->step(std::numeric_limits<std::size_t>::max() / 2)) {
    }
    if (job->failed()) return Result<int>::failure(job->error());
    session.set_result(id, recipe, std::move(job->output()));
    return id;
}

}  // namespace recluster
