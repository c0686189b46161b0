// HierarchyJob: "Build hierarchy" — automatic recursion of a Session. From the computed nodes, breadth first,
// every cluster with at least min_fraction of all rows is drilled into and computed with its parent's recipe
// (automatic sizes scale with the node), down to max_depth. A drilled cluster whose own clustering finds fewer
// than two clusters has no sub-structure: it stays as a leaf. Resumable (one pipeline step at a time, cancel
// between steps); deterministic (nodes are visited in id order).
#pragma once
#include <atomic>
#include <deque>
#include <memory>
#include <string>

#include "pipeline/session.hpp"

namespace recluster {

struct HierarchyOptions {
    int max_depth = 2;           // 0 = the root only
    double min_fraction = 0.01;  // of all rows; smaller clusters are not drilled into
    int n_threads = 1;
};

class HierarchyJob {
public:
    // Recurses below `start` (a computed node of `session`, usually the root). The session must outlive the job.
    HierarchyJob(Session& session, int start, HierarchyOptions options);
    // About `budget` rows of pipeline work; false when finished, failed or cancelled.
    bool step(std::size_t budget);
    bool failed() const { return !error_.empty(); }
    const std::string& error() const { return error_; }
    void cancel() { cancel_ = true; }
    // Nodes computed so far, and an estimate of the total (grows as clusters are found).
    int computed() const { return computed_; }
    double progress() const;

private:
    void enqueue_children(int node);

    Session& session_;
    HierarchyOptions o_;
    std::deque<int> todo_;  // nodes to compute, in order
    int running_ = -1;
    Recipe running_recipe_;
    std::unique_ptr<PipelineJob> job_;
    int computed_ = 0, planned_ = 0;
    std::string error_;
    std::atomic<bool> cancel_{false};
};

}  // namespace recluster
