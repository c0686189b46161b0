// StabilityJob: "Check stability" of a clustering (Hennig 2007's resampling idea). The node's pipeline runs
// again with other seeds, on a seeded permutation of the row order, and on bootstrap subsamples (rows drawn
// without replacement); each rerun is compared with the reference labels on the rows both have:
//   per reference cluster: Jaccard of its rows with the best-matching rerun cluster, averaged over reruns
//   per rerun: adjusted Rand index against the reference (noise counted as one label)
// Ratings follow Hennig's guide: mean Jaccard >= 0.85 stable, >= 0.6 fair, below that unstable (the cluster
// does not survive small changes). Resumable and deterministic.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/resumable.hpp"
#include "io/dataset.hpp"
#include "pipeline/pipeline_job.hpp"
#include "pipeline/recipe.hpp"

namespace recluster {

struct StabilityOptions {
    int seeds = 3;                   // reruns with other seeds
    bool permutation = true;         // one rerun on a permuted row order
    int bootstraps = 3;              // reruns on subsamples
    double bootstrap_fraction = 0.8; // share of rows in each subsample
    std::uint64_t seed = 1234;       // for the new seeds, the permutation and the subsamples
    int n_threads = 1;
};

struct StabilityRun {
    std::string kind;  // "seed", "permutation" or "bootstrap"
    double ari = 0;
    std::size_t rows = 0;
};

struct StabilityReport {
    std::vector<StabilityRun> runs;
    std::vector<double> jaccard;     // per reference cluster, mean over runs
    std::vector<std::string> rating; // "stable", "fair", "unstable"
    double mean_ari = 0;
};

const char* stability_rating(double jaccard);
// Best-match Jaccard of each reference cluster (labels 0..k-1, -1 noise ignored) in `other`, over the rows
// where `present` is true.
std::vector<double> best_match_jaccard(const std::vector<int>& reference, const std::vector<int>& other, int k);

class StabilityJob : public ResumableJob {
public:
    // `data` is the node's dataset; `reference` its labels under `recipe`.
    StabilityJob(std::shared_ptr<const Dataset> data, Recipe recipe, std::vector<int> reference, StabilityOptions options);
    bool step() override;
    double progress() const override;
    const char* stage_name() const override { return "stability reruns"; }
    std::string result_json() const override;
    const StabilityReport& report() const { return report_; }
    bool failed() const { return !error_.empty(); }
    std::string error() const override { return error_; }

private:
    void start_run();
    void finish_run();

    std::shared_ptr<const Dataset> data_;
    Recipe recipe_;
    std::vector<int> reference_;
    StabilityOptions o_;
    int k_ = 0;
    int total_runs_ = 0, next_run_ = 0;
    std::shared_ptr<const Dataset> run_data_;  // the permuted / subsampled rows of the running rerun
    std::vector<std::size_t> run_rows_;        // original row of each run_data_ row
    std::string run_kind_;
    std::unique_ptr<PipelineJob> job_;
    std::vector<double> jaccard_sum_;
    StabilityReport report_;
    std::string error_;
};

}  // namespace recluster
