// k-means: k-means++ seeding (Arthur & Vassilvitskii 2007, greedy variant with 2 + ln k candidate centres per
// step), then Lloyd's iterations, or mini-batch updates (Sculley 2010) for large inputs. Several seeded
// restarts keep the lowest inertia. Deterministic: sums are taken per fixed chunk of rows and reduced in chunk
// order, and every random choice comes from the seed, so labels are identical for any thread count.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "common/matrix.hpp"

namespace recluster {

enum class KMeansAlgorithm { Auto, Lloyd, MiniBatch };

struct KMeansOptions {
    int k = 8;
    int n_init = 3;           // seeded restarts; the lowest inertia wins
    int max_iter = 300;       // Lloyd iterations, or mini-batch passes over the data
    // Lloyd stops when the centres move less than tol x (mean feature variance), squared and summed
    // (scikit-learn's criterion).
    double tol = 1e-4;
    KMeansAlgorithm algorithm = KMeansAlgorithm::Auto;
    // Auto picks mini-batch when rows x columns exceeds this.
    std::size_t mini_batch_min_cells = 8'000'000;
    std::size_t batch_size = 1024;
    std::uint64_t seed = 42;
    int n_threads = 1;
    void validate(std::size_t rows) const;
};

struct KMeansResult {
    std::vector<int> labels;     // per row: 0..k-1, largest cluster first
    Matrix centers;              // k x cols, in label order
    std::vector<int> sizes;      // per cluster
    double inertia = 0;          // sum of squared distances of rows to their centre
    int n_iter = 0;              // of the winning restart
    bool mini_batch = false;
};

KMeansResult kmeans(const Matrix& data, const KMeansOptions& options);

// Nearest centre of every row (ties to the lower index) and the inertia; used by k-means and for assigning
// rows to given centres.
double assign_to_centers(const Matrix& data, const Matrix& centers, std::vector<int>& labels, int n_threads);

}  // namespace recluster
