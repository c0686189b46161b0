#include "pipeline/stability.hpp"

#include <algorithm>
#include <numeric>

#include <nlohmann/json.hpp>

#include "common/random.hpp"
#include "metrics/partition_agreement.hpp"
#include "common/json_text.hpp"

namespace recluster {

const char* stability_rating(double jaccard) {
    return jaccard >= 0.85 ? "stable" : jaccard >= 0.6 ? "fair" : "unstable";
}

std::vector<double> best_match_jaccard(const std::vector<int>& reference, const std::vector<int>& other, int k) {
    int other_k = 0;
    for (int l : other) other_k = std::max(other_k, l + 1);
    // Contingency table of reference clusters x other clusters (noise rows count in the sizes, not in overlaps).
    std::vector<std::size_t> both(static_cast<std::size_t>(k) * static_cast<std::size_t>(other_k), 0);
    std::vector<std::size_t> ref_size(static_cast<std::size_t>(k), 0), other_size(static_cast<std::size_t>(other_k), 0);
    for (std::size_t i = 0; i < reference.size(); ++i) {
        const int a = reference[i], b = other[i];
        if (a >= 0) ++ref_size[static_cast<std::size_t>(a)];
        if (b >= 0) ++other_size[static_cast<std::size_t>(b)];
        if (a >= 0 && b >= 0) ++both[static_cast<std::size_t>(a) * static_cast<std::size_t>(other_k) + static_cast<std::size_t>(b)];
    }
    std::vector<double> out(static_cast<std::size_t>(k), 0.0);
    for (std::size_t a = 0; a < static_cast<std::size_t>(k); ++a) {
        if (ref_size[a] == 0) continue;
        for (std::size_t b = 0; b < static_cast<std::size_t>(other_k); ++b) {
            const double inter = static_cast<double>(both[a * static_cast<std::size_t>(other_k) + b]);
            if (inter == 0) continue;
            out[a] = std::max(out[a], inter / (static_cast<double>(ref_size[a] + other_size[b]) - inter));
        }
    }
    return out;
}

StabilityJob::StabilityJob(std::shared_ptr<const Dataset> data, Recipe recipe, std::vector<int> reference, StabilityOptions options)
    : data_(std::move(data)), recipe_(std::move(recipe)), reference_(std::move(reference)), o_(options) {
    for (int l : reference_) k_ = std::max(k_, l + 1);
    total_runs_ = std::max(0, o_.seeds) + (o_.permutation ? 1 : 0) + std::max(0, o_.bootstraps);
    jaccard_sum_.assign(static_cast<std::size_t>(k_), 0.0);
    if (reference_.size() != data_->rows) error_ = "stability: the labels do not match the rows";
    else if (total_runs_ == 0) error_ = "stability: ask for at least one rerun";
}

void StabilityJob::start_run() {
    const int r = next_run_;
    const std::size_t n = data_->rows;
    Recipe recipe = recipe_;
    run_rows_.resize(n);
    std::iota(run_rows_.begin(), run_rows_.end(), std::size_t{0});
    RandomStream rng(o_.seed, 0x57abull + static_cast<std::uint64_t>(r));
    if (r < o_.seeds) {
        run_kind_ = "seed";
        recipe.seed = hash64(o_.seed, recipe_.seed, static_cast<std::uint64_t>(r)) >> 16;
        run_data_ = data_;
    } else if (o_.permutation && r == o_.seeds) {
        run_kind_ = "permutation";
        for (std::size_t i = n; i > 1; --i) std::swap(run_rows_[i - 1], run_rows_[rng.below(static_cast<std::uint32_t>(i))]);
        run_data_ = std::make_shared<const Dataset>(subset_rows(*data_, run_rows_, data_->name));
    } else {
        run_kind_ = "bootstrap";
        const std::size_t keep = std::max<std::size_t>(3, static_cast<std::size_t>(o_.bootstrap_fraction * static_cast<double>(n)));
        for (std::size_t i = 0; i < keep && i < n; ++i) std::swap(run_rows_[i], run_rows_[i + rng.below(static_cast<std::uint32_t>(n - i))]);
        run_rows_.resize(std::min(keep, n));
        std::sort(run_rows_.begin(), run_rows_.end());
        run_data_ = std::make_shared<const Dataset>(subset_rows(*data_, run_rows_, data_->name));
    }
    job_ = std::make_unique<PipelineJob>(*run_data_, recipe, o_.n_threads);
}

void StabilityJob::finish_run() {
    const auto& labels = job_->output().labels;
    std::vector<int> ref(run_rows_.size());
    for (std::size_t i = 0; i < run_rows_.size(); ++i) ref[i] = reference_[run_rows_[i]];
    const std::vector<double> j = best_match_jaccard(ref, labels, k_);
    for (std::size_t c = 0; c < j.size(); ++c) jaccard_sum_[c] += j[c];
    report_.runs.push_back({run_kind_, adjusted_rand_index(ref, labels), run_rows_.size()});
    job_.reset();
    run_data_.reset();
    ++next_run_;
}

bool StabilityJob::step() {
    if (failed() || next_run_ >= total_runs_) return false;
    if (!job_) start_run();
    if (job_->step(4096)) return true;
    if (job_->failed()) {
        error_ = "stability rerun " + std::to_string(next_run_ + 1) + ": " + job_->error();
        return false;
    }
    finish_run();
    if (next_run_ < total_runs_) return true;
    report_.jaccard.resize(static_cast<std::size_t>(k_));
    report_.rating.resize(static_cast<std::size_t>(k_));
    for (std::size_t c = 0; c < jaccard_sum_.size(); ++c) {
        report_.jaccard[c] = jaccard_sum_[c] / static_cast<double>(total_runs_);
        report_.rating[c] = stability_rating(report_.jaccard[c]);
    }
    double s = 0;
    for (const auto& r : report_.runs) s += r.ari;
    report_.mean_ari = s / static_cast<double>(report_.runs.size());
    return false;
}

double StabilityJob::progress() const {
    if (total_runs_ == 0) return 1.0;
    return (static_cast<double>(next_run_) + (job_ ? job_->progress() : 0.0)) / static_cast<double>(total_runs_);
}

std::string StabilityJob::result_json() const {
    nlohmann::json j;
    if (failed()) j["error"] = error_;
    nlohmann::json runs = nlohmann::json::array();
    for (const auto& r : report_.runs) runs.push_back({{"kind", r.kind}, {"ari", r.ari}, {"rows", r.rows}});
    j["runs"] = runs;
    nlohmann::json clusters = nlohmann::json::array();
    for (std::size_t c = 0; c < report_.jaccard.size(); ++c)
        clusters.push_back({{"cluster", c}, {"jaccard", report_.jaccard[c]}, {"rating", report_.rating[c]}});
    j["clusters"] = clusters;
    j["mean_ari"] = report_.mean_ari;
    return json_text(j);
}

}  // namespace recluster
