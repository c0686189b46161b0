// Randomized PCA (Halko, Martinsson & Tropp 2011, algorithm 4.4 in subspace-iteration form): starting from a
// random d x l subspace Q, each power iteration is one pass over the rows computing Q <- orth(Xc^T (Xc Q));
// a last pass forms W = Xc Q and the l x l matrix W^T W, whose eigen-decomposition (Rayleigh-Ritz) gives the
// components, variances and scores. Cost O(n d l) per pass with l = k + oversamples; memory O(n l + d l).
// Inner products run in single precision over rows; per-chunk sums are added in double in chunk order, so
// the result is bit-identical for any thread count and step slicing.
#pragma once
#include "prep/pca.hpp"

namespace recluster {

class RandomizedPcaJob final : public PcaJob {
public:
    // `data` must outlive the job.
    RandomizedPcaJob(const RowSource& data, PcaOptions options);
    bool step(std::size_t rows) override;
    double progress() const override;

private:
    enum class Stage { Mean, Power, RayleighRitz, Project, Done };
    void pass_power(std::size_t begin, std::size_t end);
    void pass_rayleigh_ritz(std::size_t begin, std::size_t end);
    void pass_project(std::size_t begin, std::size_t end);
    void finish_stage();
    // Writes `count` (<= kReadRows) centred rows starting at `first` to out (count x d); scratch holds as many.
    void centre_rows(std::size_t first, std::size_t count, float* scratch, float* out) const;
    // Orthonormalises the columns of basis_ (d x l, row-major) in place; collapsed columns are replaced by
    // fresh random directions so the basis always has l orthonormal columns.
    void orthonormalise_basis();
    void decompose();

    const RowSource& data_;
    PcaOptions options_;
    Stage stage_ = Stage::Mean;
    std::size_t cursor_ = 0;
    std::size_t chunk_ = 0;    // rows per deterministic chunk
    std::size_t l_ = 0;        // subspace dimension
    std::size_t k_ = 0;        // components kept
    int n_iter_ = 0;
    int iteration_ = 0;        // power iterations finished
    std::vector<double> sum_;         // d, feature sums (Mean stage)
    std::vector<float> mean_f_;       // d
    std::vector<double> basis_;       // d x l, the current orthonormal subspace
    std::vector<float> basis_f_;      // single-precision copy used in the passes, packed in tiles of 8 columns
    std::vector<double> next_basis_;  // d x l, Xc^T Xc basis_ being accumulated
    std::vector<float> w_;            // n x l, Xc basis_ (Rayleigh-Ritz pass)
    std::vector<double> gram_;        // l x l, W^T W
    double total_sq_ = 0;             // sum of squared centred entries (total variance * (n - 1))
    std::vector<double> rotation_;    // l x k: scores = W rotation_
};

}  // namespace recluster
