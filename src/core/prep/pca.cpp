#include "prep/pca.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "common/parallel_for.hpp"
#include "prep/exact_pca.hpp"
#include "prep/randomized_pca.hpp"

namespace recluster {

void PcaOptions::validate() const {
    if (n_components < 1) throw std::invalid_argument("PCA: n_components must be >= 1");
    if (chunk_rows < 1) throw std::invalid_argument("PCA: chunk_rows must be >= 1");
    if (n_oversamples < 0) throw std::invalid_argument("PCA: n_oversamples must be >= 0");
    if (n_iter < -1) throw std::invalid_argument("PCA: n_iter must be >= 0 (or -1 for automatic)");
}

PcaSolver choose_pca_solver(const PcaOptions& options, std::size_t rows, std::size_t cols) {
    if (options.solver != PcaSolver::Auto) return options.solver;
    (void)rows;
    // Exact costs ~d/2 multiply-adds per row and feature (double precision); randomized ~2 l per power
    // iteration in single precision, so it pays off once the subspace is small next to the feature count.
    const std::size_t l = static_cast<std::size_t>(options.n_components + options.n_oversamples);
    return cols > 100 && 4 * l <= cols ? PcaSolver::Randomized : PcaSolver::Exact;
}

const char* pca_solver_name(PcaSolver solver) {
    switch (solver) {
        case PcaSolver::Auto: return "auto";
        case PcaSolver::Exact: return "exact";
        case PcaSolver::Randomized: return "randomized";
    }
    return "";
}

bool PcaJob::fix_sign(std::vector<double>& component) {
    std::size_t arg = 0;
    for (std::size_t j = 0; j < component.size(); ++j)
        if (std::fabs(component[j]) > std::fabs(component[arg])) arg = j;
    if (component.empty() || component[arg] >= 0) return false;
    for (double& x : component) x = -x;
    return true;
}

void PcaJob::add_column_sums(const RowSource& data, std::size_t begin, std::size_t end, std::size_t chunk,
                             int n_threads, std::vector<double>& sum) {
    const std::size_t d = data.cols();
    const std::size_t n_chunks = chunk_count(end - begin, chunk);
    std::vector<double> partial(n_chunks * d, 0.0);
    parallel_for(n_threads, end - begin, chunk, [&](int, std::size_t b, std::size_t e) {
        double* p = partial.data() + (b / chunk) * d;
        std::vector<float> scratch;
        for_each_row(data, begin + b, begin + e, kReadRows, scratch, [&](std::size_t, const float* x) {
            for (std::size_t j = 0; j < d; ++j) p[j] += x[j];
        });
    });
    for (std::size_t c = 0; c < n_chunks; ++c)
        for (std::size_t j = 0; j < d; ++j) sum[j] += partial[c * d + j];
}

std::unique_ptr<PcaJob> make_pca_job(const RowSource& data, PcaOptions options) {
    options.validate();
    if (data.rows() == 0 || data.cols() == 0) throw std::invalid_argument("PCA: empty matrix");
    if (choose_pca_solver(options, data.rows(), data.cols()) == PcaSolver::Randomized)
        return std::make_unique<RandomizedPcaJob>(data, options);
    return std::make_unique<ExactPcaJob>(data, options);
}

std::unique_ptr<PcaJob> make_pca_job(const Matrix& data, PcaOptions options) {
    auto source = std::make_unique<MatrixRows>(data);
    auto job = make_pca_job(*source, options);
    job->owned_source_ = std::move(source);
    return job;
}

PcaResult pca(const Matrix& data, PcaOptions options) {
    auto job = make_pca_job(data, options);
    while (job->step(data.rows)) {
    }
    return std::move(job->result());
}

}  // namespace recluster
