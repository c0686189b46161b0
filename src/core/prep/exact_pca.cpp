#include "prep/exact_pca.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "common/parallel_for.hpp"

namespace recluster {

ExactPcaJob::ExactPcaJob(const RowSource& data, PcaOptions options) : data_(data), options_(options) {
    k_ = std::min<int>(options_.n_components, static_cast<int>(data.cols()));
    sum_.assign(data.cols(), 0.0);
    cov_.assign(data.cols() * data.cols(), 0.0);
}

double ExactPcaJob::progress() const {
    const double n = static_cast<double>(data_.rows());
    switch (stage_) {
        case Stage::Mean: return 0.2 * cursor_ / n;
        case Stage::Covariance: return 0.2 + 0.6 * cursor_ / n;
        case Stage::Decompose: return 0.8;
        case Stage::Project: return 0.85 + 0.15 * cursor_ / n;
        case Stage::Done: return 1.0;
    }
    return 0;
}

bool ExactPcaJob::step(std::size_t rows) {
    // Round the budget to whole chunks so chunk boundaries never depend on how the caller slices work.
    const std::size_t chunk = options_.chunk_rows;
    std::size_t budget = std::max<std::size_t>(1, (rows + chunk - 1) / chunk) * chunk;
    while (budget > 0 && stage_ != Stage::Done) {
        if (stage_ == Stage::Decompose) {
            decompose();
            stage_ = Stage::Project;
            cursor_ = 0;
            continue;
        }
        std::size_t end = std::min(data_.rows(), cursor_ + budget);
        if (stage_ == Stage::Mean) add_column_sums(data_, cursor_, end, chunk, options_.n_threads, sum_);
        else if (stage_ == Stage::Covariance) accumulate_covariance(cursor_, end);
        else project(cursor_, end);
        // Keep the budget in whole chunks (a stage may end on a partial chunk) so ranges stay chunk-aligned.
        budget = (budget - (end - cursor_)) / chunk * chunk;
        cursor_ = end;
        if (cursor_ == data_.rows()) {
            cursor_ = 0;
            if (stage_ == Stage::Mean) {
                result_.mean.resize(data_.cols());
                for (std::size_t j = 0; j < data_.cols(); ++j) result_.mean[j] = sum_[j] / data_.rows();
                stage_ = Stage::Covariance;
            } else if (stage_ == Stage::Covariance) {
                stage_ = Stage::Decompose;
            } else {
                stage_ = Stage::Done;
                done_ = true;
            }
        }
    }
    return stage_ != Stage::Done;
}

void ExactPcaJob::accumulate_covariance(std::size_t begin, std::size_t end) {
    const std::size_t d = data_.cols(), chunk = options_.chunk_rows;
    const std::size_t n_chunks = chunk_count(end - begin, chunk);
    std::vector<double> partial(n_chunks * d * d, 0.0);
    const double* mean = result_.mean.data();
    parallel_for(options_.n_threads, end - begin, chunk, [&](int, std::size_t b, std::size_t e) {
        double* p = partial.data() + (b / chunk) * d * d;
        std::vector<double> centred(d);
        std::vector<float> scratch;
        for_each_row(data_, begin + b, begin + e, kReadRows, scratch, [&](std::size_t, const float* x) {
            for (std::size_t j = 0; j < d; ++j) centred[j] = x[j] - mean[j];
            for (std::size_t i = 0; i < d; ++i) {
                const double ci = centred[i];
                double* prow = p + i * d;
                for (std::size_t j = i; j < d; ++j) prow[j] += ci * centred[j];
            }
        });
    });
    for (std::size_t c = 0; c < n_chunks; ++c)
        for (std::size_t i = 0; i < d * d; ++i) cov_[i] += partial[c * d * d + i];
}

void ExactPcaJob::decompose() {
    const std::size_t d = data_.cols();
    const double denom = data_.rows() > 1 ? static_cast<double>(data_.rows() - 1) : 1.0;
    Eigen::MatrixXd cov(d, d);
    for (std::size_t i = 0; i < d; ++i)
        for (std::size_t j = i; j < d; ++j) cov(i, j) = cov(j, i) = cov_[i * d + j] / denom;
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(cov);
    if (solver.info() != Eigen::Success) throw std::runtime_error("PCA: eigen-decomposition failed");
    // Eigen returns ascending eigenvalues; we want descending.
    double total = 0;
    for (std::size_t i = 0; i < d; ++i) total += std::max(0.0, solver.eigenvalues()(i));
    result_.components.clear();
    result_.explained_variance.clear();
    result_.explained_variance_ratio.clear();
    for (int c = 0; c < k_; ++c) {
        const Eigen::Index idx = static_cast<Eigen::Index>(d) - 1 - c;
        std::vector<double> v(d);
        for (std::size_t j = 0; j < d; ++j) v[j] = solver.eigenvectors()(static_cast<Eigen::Index>(j), idx);
        fix_sign(v);
        double ev = std::max(0.0, solver.eigenvalues()(idx));
        result_.components.push_back(std::move(v));
        result_.explained_variance.push_back(ev);
        result_.explained_variance_ratio.push_back(total > 0 ? ev / total : 0.0);
    }
    result_.scores = Matrix(data_.rows(), static_cast<std::size_t>(k_));
    result_.solver = PcaSolver::Exact;
    std::vector<double>().swap(cov_);
}

void ExactPcaJob::project(std::size_t begin, std::size_t end) {
    const std::size_t d = data_.cols(), k = static_cast<std::size_t>(k_);
    parallel_for(options_.n_threads, end - begin, options_.chunk_rows, [&](int, std::size_t b, std::size_t e) {
        std::vector<float> scratch;
        for_each_row(data_, begin + b, begin + e, kReadRows, scratch, [&](std::size_t r, const float* x) {
            for (std::size_t c = 0; c < k; ++c) {
                const double* w = result_.components[c].data();
                double s = 0;
                for (std::size_t j = 0; j < d; ++j) s += (x[j] - result_.mean[j]) * w[j];
                result_.scores.at(r, c) = static_cast<float>(s);
            }
        });
    });
}

}  // namespace recluster
