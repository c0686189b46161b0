#include "pipeline/share_replay.hpp"

namespace recluster {

ShareReplayJob::ShareReplayJob(Session& session, ShareState state, int n_threads)
    : session_(session), state_(std::move(state)), threads_(n_threads) {
    if (session_.dataset()->fingerprint != state_.fingerprint) {
        error_ = "This data is not the file the link was made with (its fingerprint differs).";
        return;
    }
    start_next();
}

double ShareReplayJob::progress() const {
    if (state_.views.empty()) return 1.0;
    const double within = job_ ? job_->progress() : 0.0;
    return std::min(1.0, (static_cast<double>(next_) + within) / static_cast<double>(state_.views.size()));
}

bool ShareReplayJob::start_next() {
    if (next_ >= state_.views.size()) {
        shown_ = nodes_.count(state_.current) ? nodes_[state_.current] : session_.root();
        session_.go_to(shown_);
        done_ = true;
        return false;
    }
    const ShareView& v = state_.views[next_];
    if (v.path.empty()) {
        node_ = session_.root();
    } else {
        const std::size_t dot = v.path.rfind('.');
        const std::string parent = dot == std::string::npos ? "" : v.path.substr(0, dot);
        const int cluster = std::stoi(v.path.substr(dot == std::string::npos ? 0 : dot + 1));
        auto child = session_.child_for_cluster(nodes_.at(parent), cluster);
        if (!child) {
            error_ = "The link's view " + v.path + " does not exist here: " + child.error();
            return false;
        }
        node_ = *child;
    }
    job_ = session_.make_job(node_, v.recipe, threads_);
    if (job_->failed()) {
        error_ = "The link's view " + (v.path.empty() ? std::string("All") : v.path) + " cannot be computed: " + job_->error();
        return false;
    }
    return true;
}

bool ShareReplayJob::step(std::size_t budget) {
    if (done()) return false;
    if (job_->step(budget)) return true;
    if (job_->failed()) {
        error_ = "The link's view " + (state_.views[next_].path.empty() ? std::string("All") : state_.views[next_].path) +
                 " failed: " + job_->error();
        return false;
    }
    session_.set_result(node_, state_.views[next_].recipe, std::move(job_->output()));
    nodes_[state_.views[next_].path] = node_;
    job_.reset();
    ++next_;
    return start_next();
}

}  // namespace recluster
