#include "pipeline/hierarchy.hpp"

namespace recluster {

HierarchyJob::HierarchyJob(Session& session, int start, HierarchyOptions options) : session_(session), o_(options) {
    if (!session_.node(start).output) {
        error_ = "Compute this view first; the hierarchy grows from its clusters.";
        return;
    }
    enqueue_children(start);
}

void HierarchyJob::enqueue_children(int id) {
    const SessionNode& n = session_.node(id);
    if (!n.output || n.depth >= o_.max_depth) return;
    const auto& sizes = n.output->clustering.sizes;
    if (sizes.size() < 2) return;  // no sub-structure here: a leaf
    const double total = static_cast<double>(session_.node(session_.root()).rows.size());
    for (std::size_t c = 0; c < sizes.size(); ++c) {
        if (static_cast<double>(sizes[c]) < o_.min_fraction * total || sizes[c] < 3) continue;
        auto child = session_.child_for_cluster(id, static_cast<int>(c));
        if (!child) continue;
        if (session_.node(*child).output) {  // computed before (a drill by hand): recurse from its result
            enqueue_children(*child);
            continue;
        }
        todo_.push_back(*child);
        ++planned_;
    }
}

bool HierarchyJob::step(std::size_t budget) {
    if (failed()) return false;
    if (cancel_) {
        error_ = "Cancelled.";
        return false;
    }
    if (!job_) {
        if (todo_.empty()) return false;
        running_ = todo_.front();
        todo_.pop_front();
        running_recipe_ = session_.default_recipe(running_);
        job_ = session_.make_job(running_, running_recipe_, o_.n_threads);
    }
    if (job_->step(budget)) return true;
    if (job_->failed()) {
        error_ = "Node " + session_.node(running_).label + ": " + job_->error();
        job_.reset();
        return false;
    }
    session_.set_result(running_, running_recipe_, std::move(job_->output()));
    job_.reset();
    ++computed_;
    enqueue_children(running_);
    return !todo_.empty();
}

double HierarchyJob::progress() const {
    if (planned_ == 0) return 1.0;
    const double inner = job_ ? job_->progress() : 0.0;
    return (static_cast<double>(computed_) + inner) / static_cast<double>(planned_);
}

}  // namespace recluster
