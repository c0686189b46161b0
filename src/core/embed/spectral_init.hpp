// Spectral initialisation for UMAP: per connected component of the fuzzy graph, the leading non-trivial
// eigenvectors of the normalised adjacency D^-1/2 W D^-1/2 (equivalently the smallest of the normalised
// Laplacian), found by block power iteration on (I + M) / 2 with deflation of the trivial vector sqrt(degree).
// O(iterations * edges * dim). Components are laid out side by side. Deterministic (fixed-order sums).
#pragma once
#include <cstdint>
#include <optional>

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

// Coordinates scaled to [-10, 10] with tiny deterministic noise, as umap-learn does before SGD; nullopt when
// the graph has no edges or the iteration degenerates (the caller then falls back to a random layout).
std::optional<Matrix> spectral_init(const SparseGraph& graph, const SpectralInitOptions& options);

}  // namespace recluster
