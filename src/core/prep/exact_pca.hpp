// Exact PCA by eigen-decomposition of the covariance matrix: O(n d^2) to accumulate, O(d^3) to decompose,
// O(n d k) to project. Resumable (step in rows) and deterministic for any thread count.
#pragma once
#include "prep/pca.hpp"

namespace recluster {

class ExactPcaJob final : public PcaJob {
public:
    // `data` must outlive the job.
    ExactPcaJob(const RowSource& data, PcaOptions options);
    bool step(std::size_t rows) override;
    double progress() const override;

private:
    enum class Stage { Mean, Covariance, Decompose, Project, Done };
    void accumulate_covariance(std::size_t begin, std::size_t end);
    void decompose();
    void project(std::size_t begin, std::size_t end);

    const RowSource& data_;
    PcaOptions options_;
    Stage stage_ = Stage::Mean;
    std::size_t cursor_ = 0;  // next chunk-aligned row in the current stage
    int k_ = 0;
    std::vector<double> sum_;
    std::vector<double> cov_;  // d x d, upper triangle accumulated
};

}  // namespace recluster
