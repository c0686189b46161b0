// PCA: principal components of a row-major float matrix, as a resumable job with two solvers behind one
// interface: exact (covariance + eigen-decomposition, O(n d^2)) and randomized subspace iteration
// (O(n d l) per pass, l = components + oversampling), chosen automatically by cost. Both are deterministic for
// any thread count: reductions run over fixed row chunks added in chunk order.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "common/matrix.hpp"
#include "prep/row_source.hpp"

namespace recluster {

enum class PcaSolver {
    Auto,        // randomized when it does clearly less work than exact (many features, few components)
    Exact,       // covariance matrix + symmetric eigen-decomposition
    Randomized,  // randomized subspace iteration + Rayleigh-Ritz (Halko, Martinsson & Tropp 2011)
};

struct PcaOptions {
    // Number of components kept (clamped to the number of features).
    int n_components = 2;
    // Threads for the passes over rows; results do not depend on it.
    int n_threads = 1;
    // Rows per deterministic chunk; larger = fewer partial sums.
    std::size_t chunk_rows = 1024;
    PcaSolver solver = PcaSolver::Auto;
    // Randomized solver: extra subspace dimensions (more = more accurate trailing components).
    int n_oversamples = 10;
    // Randomized solver: power iterations; -1 = automatic (7 when components < 10% of features, else 4,
    // scikit-learn's rule). More = more accurate, one pass over the data each.
    int n_iter = -1;
    // Randomized solver: seed of the random starting subspace.
    std::uint64_t seed = 0;
    void validate() const;
};

struct PcaResult {
    Matrix scores;                              // rows x k, projections of the centred data
    std::vector<double> mean;                   // per input feature
    std::vector<std::vector<double>> components;  // k vectors of length d (unit norm, largest |entry| > 0)
    std::vector<double> explained_variance;     // eigenvalues (ddof = 1), descending
    std::vector<double> explained_variance_ratio;
    PcaSolver solver = PcaSolver::Exact;        // the solver that ran
};

// The solver `options` resolve to for a rows x cols matrix.
PcaSolver choose_pca_solver(const PcaOptions& options, std::size_t rows, std::size_t cols);
const char* pca_solver_name(PcaSolver solver);

class PcaJob {
public:
    virtual ~PcaJob() = default;
    // Processes about `rows` rows of work; returns false when done.
    virtual bool step(std::size_t rows) = 0;
    virtual double progress() const = 0;
    bool done() const { return done_; }
    PcaResult& result() { return result_; }

protected:
    // Shared final touch: makes the largest-magnitude loading positive; true when it flipped the vector.
    static bool fix_sign(std::vector<double>& component);
    // Rows are read from the source in blocks of this many (a block of a wide table stays in cache).
    static constexpr std::size_t kReadRows = 64;
    // sum[j] += data[r][j] over rows [begin, end): per-chunk partial sums added in chunk order.
    static void add_column_sums(const RowSource& data, std::size_t begin, std::size_t end, std::size_t chunk,
                                int n_threads, std::vector<double>& sum);
    PcaResult result_;
    bool done_ = false;

private:
    friend std::unique_ptr<PcaJob> make_pca_job(const Matrix& data, PcaOptions options);
    std::unique_ptr<RowSource> owned_source_;  // a Matrix's view, when the job was started on a Matrix
};

// Starts a PCA job with the solver `options` resolve to. `data` must outlive the job.
std::unique_ptr<PcaJob> make_pca_job(const RowSource& data, PcaOptions options);
std::unique_ptr<PcaJob> make_pca_job(const Matrix& data, PcaOptions options);

// Convenience: run the whole job.
PcaResult pca(const Matrix& data, PcaOptions options = {});

}  // namespace recluster
