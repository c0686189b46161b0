// Opening a share link: recomputes the views a ShareState lists on a fresh session of the same data — the top view
// with its recipe, then each listed zoomed-in view (its parent's cluster, by path) — one pipeline run at a time.
// Our determinism makes the result bit-identical to the exploration the link was made from. Resumable:
// step(budget) like PipelineJob; fails with a readable message when the data differs (fingerprint) or a listed
// cluster does not exist.
#pragma once
#include <map>
#include <memory>
#include <string>

#include "pipeline/pipeline_job.hpp"
#include "pipeline/session.hpp"
#include "pipeline/share_state.hpp"

namespace recluster {

class ShareReplayJob {
public:
    // `session` (fresh, holding the data the link needs) must outlive the job.
    ShareReplayJob(Session& session, ShareState state, int n_threads = 1);
    bool step(std::size_t budget);
    bool done() const { return done_ || failed(); }
    bool failed() const { return !error_.empty(); }
    const std::string& error() const { return error_; }
    double progress() const;
    const char* stage_name() const { return job_ ? job_->stage_name() : "opening the link"; }
    // The node of the link's shown view (valid when done without failure).
    int shown_node() const { return shown_; }
    const ShareState& state() const { return state_; }

private:
    bool start_next();
    Session& session_;
    ShareState state_;
    int threads_;
    std::size_t next_ = 0;  // index into state_.views of the view being computed
    int node_ = -1;
    std::unique_ptr<PipelineJob> job_;
    std::map<std::string, int> nodes_;  // view path -> session node
    int shown_ = -1;
    bool done_ = false;
    std::string error_;
};

}  // namespace recluster
