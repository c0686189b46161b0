// Session: recursive drill-down. It owns the dataset and a tree of analysis nodes; a node is a subset of the
// original rows with its own recipe, its own preprocessing statistics (the subset is scaled on its own rows),
// embedding and clustering. Drilling into a cluster (or a selection of rows) makes a child node and the whole
// pipeline runs again on the original rows it holds, so UMAP sees the cluster's local structure afresh.
// Results stay cached in their nodes: going back up is instant. Headless and deterministic: the same drill path
// with the same recipes gives bit-identical results in any session.
//
// Hierarchical labels: a row in top-level cluster 3 that falls in cluster 1 of node "3" is "3.1"; noise is
// "noise" at the top and "<path>.noise" below.
#pragma once
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "io/dataset.hpp"
#include "pipeline/pipeline_job.hpp"
#include "explain/cluster_explainer.hpp"
#include "pipeline/recipe.hpp"

namespace recluster {

struct SessionNode {
    int id = 0;
    int parent = -1;                          // -1 for the root
    int depth = 0;
    int cluster = -1;                         // the parent's cluster this node zooms into (-1: root or selection)
    std::string path;                         // "" for the root, "3", "3.1", ... for cluster nodes
    std::string label;                        // for breadcrumbs: "All", "3", "3.1", "selection 1 (250 rows)"
    std::vector<std::size_t> rows;            // original row indices, ascending
    std::shared_ptr<const Dataset> data;      // these rows as a dataset (the root: the original)
    Recipe recipe;                            // of the computed result
    std::shared_ptr<const PipelineOutput> output;  // null until computed
    std::vector<int> children;
    nlohmann::json stability;                 // StabilityJob report of this node's clustering (null = none)
    // ExplainJob results for this node's clusters, by cluster (null = none yet; cleared by a new result).
    std::shared_ptr<const std::vector<ClusterExplanation>> explanations;
    std::shared_ptr<const PreparedFeatures> explain_features;  // binned features of the last ExplainJob (kept across results)
    const ClusterExplanation* explanation(int cluster) const;
};

class Session {
public:
    explicit Session(std::shared_ptr<const Dataset> data);

    const SessionNode& node(int id) const { return nodes_.at(static_cast<std::size_t>(id)); }
    std::size_t size() const { return nodes_.size(); }
    int root() const { return 0; }
    int current() const { return current_; }
    const std::shared_ptr<const Dataset>& dataset() const { return nodes_[0].data; }

    // The node that zooms into `cluster` of node `parent` (created on first use; the same node afterwards).
    // Errors: parent not computed, unknown cluster, or fewer than 3 rows.
    Result<int> child_for_cluster(int parent, int cluster);
    // A new node for rows of `parent` given as indices into the parent's rows (any order; repeats ignored).
    Result<int> child_for_selection(int parent, const std::vector<std::size_t>& parent_rows);

    // The job that computes node `id` with `recipe`; the caller steps it and hands the output to set_result.
    std::unique_ptr<PipelineJob> make_job(int id, const Recipe& recipe, int n_threads) const;
    void set_result(int id, const Recipe& recipe, PipelineOutput output);
    // Records a stability report of node `id`'s current clustering (cleared by the next set_result).
    void set_stability(int id, const std::string& report_json) {
        nodes_.at(static_cast<std::size_t>(id)).stability = nlohmann::json::parse(report_json);
    }
    // What an ExplainJob of computed node `id` reads: its rows' feature columns (the recipe's, unscaled), labels,
    // map and outlier scores; it keeps the node's data alive.
    ExplainInput explain_input(int id) const;
    // Adds explanations of node `id`'s current clustering (replacing those of the same clusters).
    void add_explanations(int id, const std::vector<ClusterExplanation>& explained,
                          std::shared_ptr<const PreparedFeatures> prepared = nullptr);

    // The recipe a new child starts from: its parent's, automatic sizes staying automatic (they scale with the
    // node's rows), with view_defaults applied.
    Recipe default_recipe(int id) const;
    // `r` with the automatic values of a zoomed-in view filled in when node `id` is not the top: UMAP epochs
    // kDrillEpochs (a zoom should be quick) and min cluster fraction kDrillMinClusterFraction.
    Recipe view_defaults(int id, Recipe r) const;
    static constexpr int kDrillEpochs = 200;
    static constexpr double kDrillMinClusterFraction = 0.02;

    // Navigation among computed nodes; false (and no change) for unknown or uncomputed nodes.
    bool go_to(int id);
    bool up() { return go_to(node(current_).parent); }
    // Node ids from the root to the current node.
    std::vector<int> breadcrumbs() const;

    // The hierarchical label of every original row from the computed cluster nodes (see the header comment).
    std::vector<std::string> row_paths() const;
    // The node tree: id, label, path, rows, share of all rows, depth, clusters, noise, children, recipe.
    std::string hierarchy_json() const;

private:
    std::vector<SessionNode> nodes_;
    int current_ = 0;
    int selections_ = 0;
};

// Runs node `id` to completion (CLI and tests). On failure the node stays uncomputed.
Result<int> compute_node(Session& session, int id, const Recipe& recipe, int n_threads = 1);

}  // namespace recluster
