// UMAP's layout optimisation: stochastic gradient descent on the fuzzy cross-entropy, sampling each edge
// every epochs_per_sample = max_weight / weight epochs, with negative_sample_rate random repulsions per
// sampled edge, learning rate decaying linearly to 0 and gradients clipped to [-4, 4]. O(E) per epoch.
// Deterministic for any thread count: a row's coordinates are written only by the thread that owns the row,
// other rows are read from a snapshot taken at the start of the epoch, and negative samples come from
// counter-based hashes. Resumable: step(epochs).
#pragma once
#include <cstdint>
#include <vector>

#include "common/matrix.hpp"
#include "common/pow_table.hpp"
#include "embed/fuzzy_graph.hpp"

namespace recluster {

struct LayoutOptions {
    int n_epochs = 200;
    float learning_rate = 1.0f;
    float negative_sample_rate = 5.0f;
    float a = 1.577f, b = 0.895f;  // output kernel; see find_ab()
    std::uint64_t seed = 42;
    int n_threads = 1;
    std::size_t chunk_rows = 256;
    void validate() const;
};

class LayoutJob {
public:
    // `embedding` (n x dim, initial coordinates) is taken over and optimised in place.
    LayoutJob(const SparseGraph& graph, Matrix embedding, LayoutOptions options);
    // Runs up to `epochs` more epochs; false when all n_epochs are done.
    bool step(int epochs);
    bool done() const { return epoch_ >= options_.n_epochs; }
    int epoch() const { return epoch_; }
    double progress() const { return options_.n_epochs ? static_cast<double>(epoch_) / options_.n_epochs : 1.0; }
    const Matrix& embedding() const { return embedding_; }
    Matrix take_embedding() { return std::move(embedding_); }

private:
    void run_epoch();
    template <std::size_t Dim>  // 0 = any dimension
    void epoch_rows();

    LayoutOptions options_;
    PowTable pow_b_;  // d^2b of every sample
    Matrix embedding_, snapshot_;
    std::vector<std::size_t> row_ptr_;
    std::vector<int> tail_;
    std::vector<float> epochs_per_sample_, next_sample_, next_negative_;
    int epoch_ = 0;
};

}  // namespace recluster
