// PCA by eigen-decomposition of the covariance matrix: O(n d^2) to accumulate, O(d^3) to decompose,
// O(n d k) to project. Resumable (step in rows) and deterministic for any thread count: partial sums are
// taken over fixed row chunks and added in chunk order.
#pragma once
#include <cstddef>
#include <vector>

#include "common/matrix.hpp"

namespace recluster {

struct PcaOptions {
    // Number of components kept (clamped to the number of features).
    int n_components = 2;
    // Threads for accumulation and projection; results do not depend on it.
    int n_threads = 1;
    // Rows per deterministic chunk; larger = fewer partial sums.
    std::size_t chunk_rows = 1024;
    void validate() const;
};

struct PcaResult {
    Matrix scores;                              // rows x k, projections of the centred data
    std::vector<double> mean;                   // per input feature
    std::vector<std::vector<double>> components;  // k vectors of length d (unit norm, largest |entry| > 0)
    std::vector<double> explained_variance;     // eigenvalues (ddof = 1), descending
    std::vector<double> explained_variance_ratio;
};

class PcaJob {
public:
    // `data` must outlive the job.
    PcaJob(const Matrix& data, PcaOptions options);
    // Processes about `rows` rows of work; returns false when done.
    bool step(std::size_t rows);
    bool done() const { return stage_ == Stage::Done; }
    double progress() const;
    PcaResult& result() { return result_; }

private:
    enum class Stage { Mean, Covariance, Decompose, Project, Done };
    void accumulate_mean(std::size_t begin, std::size_t end);
    void accumulate_covariance(std::size_t begin, std::size_t end);
    void decompose();
    void project(std::size_t begin, std::size_t end);

    const Matrix& data_;
    PcaOptions options_;
    Stage stage_ = Stage::Mean;
    std::size_t cursor_ = 0;  // next chunk-aligned row in the current stage
    int k_ = 0;
    std::vector<double> sum_;
    std::vector<double> cov_;  // d x d, upper triangle accumulated
    PcaResult result_;
};

// Convenience: run the whole job.
PcaResult pca(const Matrix& data, PcaOptions options = {});

}  // namespace recluster
