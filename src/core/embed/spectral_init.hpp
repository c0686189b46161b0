// Spectral initialisation for UMAP: per connected component of the fuzzy graph, the leading non-trivial
// eigenvectors of the normalised adjacency D^-1/2 W D^-1/2 (equivalently the smallest of the normalised
// Laplacian), found by block power iteration on (I + M) / 2 with deflation of the trivial vector sqrt(degree).
// O(iterations * edges * dim), as a resumable job (step = some power iterations). Components are laid out
// side by side. Deterministic (fixed-order sums) for any thread count and step slicing.
#pragma once
#include <cstdint>
#include <optional>
#include <vector>

#include "common/matrix.hpp"
#include "embed/fuzzy_graph.hpp"

namespace recluster {

struct SpectralInitOptions {
    int dim = 2;
    // Power iterations; more = closer to the true eigenvectors, slower.
    int iterations = 200;
    std::uint64_t seed = 42;
    int n_threads = 1;
    std::size_t chunk_rows = 1024;
};

class SpectralInitJob {
public:
    // `graph` must outlive the job.
    SpectralInitJob(const SparseGraph& graph, SpectralInitOptions options);
    // Runs about `iterations` power iterations (at least one unit of work); false when finished.
    bool step(int iterations);
    bool done() const { return done_; }
    double progress() const;
    // Coordinates scaled to [-10, 10] with tiny deterministic noise, as umap-learn does before SGD; nullopt
    // when the graph has no edges or the iteration degenerates (the caller then falls back to a random layout).
    std::optional<Matrix> take_result();

private:
    void start_component();
    bool orthonormalise(int c);
    void power_iteration();
    void place_component(bool ok);
    void finish();

    const SparseGraph& g_;
    SpectralInitOptions o_;
    bool done_ = false;
    bool failed_ = false;
    std::vector<int> local_;                          // row -> index within its component
    std::vector<std::vector<std::size_t>> members_;   // per component, rows in index order
    std::vector<int> order_;                          // components, largest first
    std::size_t slot_ = 0;                            // position in order_ being computed
    bool in_component_ = false;
    int iteration_ = 0;
    std::vector<double> inv_sqrt_deg_, trivial_, next_;
    // The current component's edges in local indices with weights pre-scaled by the tail's 1/sqrt(degree)
    // (row r: local_ptr_[r] .. local_ptr_[r + 1]), and its vectors interleaved row by row for the product.
    std::vector<std::size_t> local_ptr_;
    std::vector<int> local_col_;
    std::vector<double> local_w_, interleaved_;
    std::vector<std::vector<double>> vecs_;           // dim vectors over the current component
    Matrix out_;
};

// Convenience: run the whole job.
std::optional<Matrix> spectral_init(const SparseGraph& graph, const SpectralInitOptions& options);

}  // namespace recluster
