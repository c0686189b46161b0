// Gaussian mixture model fitted by expectation-maximisation (Dempster, Laird & Rubin 1977), with full or
// diagonal covariances, initialised from k-means as scikit-learn's GaussianMixture does, and scored by the
// Bayesian information criterion (Schwarz 1978; lower is better). Deterministic for any thread count: sums are
// per fixed chunk of rows, reduced in chunk order.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "common/matrix.hpp"

namespace recluster {

enum class Covariance { Full, Diagonal };

struct GmmOptions {
    int k = 3;
    Covariance covariance = Covariance::Full;
    int n_init = 1;            // seeded restarts (each from its own k-means); the highest likelihood wins
    int max_iter = 100;
    double tol = 1e-3;         // stop when the mean log-likelihood per row improves by less
    double reg_covar = 1e-6;   // added to every variance, keeps covariances positive definite
    std::uint64_t seed = 42;
    int n_threads = 1;
    // Full covariances cost O(k d^2) per row; above this many columns only diagonal is allowed.
    std::size_t full_max_dims = 64;
    // Start from this partition (labels 0..k-1 per row) instead of k-means; n_init is then 1.
    std::vector<int> init_labels;
    void validate(std::size_t rows, std::size_t cols) const;
};

struct GmmResult {
    std::vector<int> labels;            // per row: most probable component, 0..k-1 largest first
    std::vector<float> probabilities;   // per row: that component's responsibility
    std::vector<int> sizes;             // rows per label
    std::vector<double> weights;        // mixing weights, in label order
    Matrix means;                       // k x d, in label order
    double log_likelihood = 0;          // total over rows
    double bic = 0;                     // -2 log L + p ln n
    int n_parameters = 0;
    int n_iter = 0;
    bool converged = false;
};

GmmResult gmm(const Matrix& data, const GmmOptions& options);

// Free parameters of a k-component mixture in d dimensions (weights, means, covariances).
int gmm_parameter_count(int k, std::size_t d, Covariance covariance);

}  // namespace recluster
