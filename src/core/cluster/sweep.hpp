// ClusterSweep: k-means or Gaussian mixtures for every k in [k_min, k_max], one k per step, to choose k:
// k-means reports inertia (look for the elbow) and silhouette (higher is better); the mixture reports BIC
// (lower is better) and log-likelihood. Silhouettes are taken on one seeded subsample of rows shared by every k.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "cluster/gmm.hpp"
#include "common/matrix.hpp"
#include "common/resumable.hpp"

namespace recluster {

struct SweepOptions {
    std::string method = "kmeans";  // "kmeans" or "gmm"
    int k_min = 2, k_max = 12;
    Covariance covariance = Covariance::Full;
    std::size_t silhouette_rows = 2000;
    std::uint64_t seed = 42;
    int n_threads = 1;
    // "" when the options suit a rows x cols input, else the reason (no exception: callers in the threaded
    // WASM build cannot catch typed exceptions). validate() throws std::invalid_argument with the same text.
    std::string check(std::size_t rows, std::size_t cols) const;
    void validate(std::size_t rows, std::size_t cols) const;
};

struct SweepPoint {
    int k = 0;
    double inertia = 0, silhouette = 0, bic = 0, log_likelihood = 0;  // NaN where not computed
};

class ClusterSweep : public ResumableJob {
public:
    // Throws std::invalid_argument for bad options.
    ClusterSweep(std::shared_ptr<const Matrix> data, SweepOptions options);
    bool step() override;
    double progress() const override;
    const char* stage_name() const override;
    std::string result_json() const override;
    const std::vector<SweepPoint>& points() const { return points_; }
    // k-means: the k of the highest silhouette; mixture: the k of the lowest BIC (0 before any point).
    int best_k() const;

private:
    std::shared_ptr<const Matrix> data_;
    SweepOptions o_;
    std::vector<std::size_t> sample_;  // rows the silhouette is taken on
    Matrix sample_matrix_;
    std::vector<SweepPoint> points_;
};

}  // namespace recluster
