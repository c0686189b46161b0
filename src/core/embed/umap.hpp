// UMAP (McInnes, Healy & Melville 2018) as one resumable job: k nearest neighbours (exact or NN-descent)
// -> fuzzy simplicial set -> initial layout -> SGD layout. step(budget) does a bounded slice of work, and
// embedding() shows the layout as it evolves (for live animation). Deterministic for a given seed whatever
// the thread count. Parameters follow umap-learn's names and meanings.
#pragma once
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "common/matrix.hpp"
#include "embed/find_ab.hpp"
#include "embed/fuzzy_graph.hpp"
#include "embed/spectral_init.hpp"
#include "embed/optimize_layout.hpp"
#include "neighbors/nn_descent.hpp"

namespace recluster {

enum class NeighborMethod { Auto, Exact, NNDescent };
enum class UmapInit { Spectral, Random };

struct UmapOptions {
    // Neighbourhood size, self included (umap-learn's n_neighbors). Larger = more global structure.
    int n_neighbors = 15;
    // Smallest distance between points in the layout. Larger = more evenly spread, less clumped.
    float min_dist = 0.1f;
    // Scale of the layout's distances; min_dist must not exceed it.
    float spread = 1.0f;
    Metric metric = Metric::Euclidean;
    // Output dimensions (2 for maps; 3 possible).
    int n_components = 2;
    // SGD epochs; unset = 500 up to 10,000 rows, 200 above (as umap-learn). More = converged further, slower.
    std::optional<int> n_epochs;
    float learning_rate = 1.0f;
    // Repulsive samples per attractive sample. Larger = more separated clusters, slower.
    float negative_sample_rate = 5.0f;
    float local_connectivity = 1.0f;
    float bandwidth = 1.0f;
    float set_op_mix_ratio = 1.0f;
    // kNN method; Auto = exact below exact_below rows, NN-descent above.
    NeighborMethod neighbors = NeighborMethod::Auto;
    std::size_t exact_below = 4096;
    // Initial layout: spectral (default; falls back to random if it fails, recorded in UmapInfo::init).
    UmapInit init = UmapInit::Spectral;
    std::uint64_t seed = 42;
    int n_threads = 1;
    void validate() const;
};

struct UmapInfo {
    std::string neighbor_method;  // "exact" or "nn-descent"
    std::string init;             // initialisation actually used: "spectral", "random", "random (spectral failed)"
    int n_epochs = 0;
    double a = 0, b = 0;
    std::size_t graph_edges = 0;
    // Wall time of each stage in milliseconds (neighbours is reported by the pipeline as "knn").
    double neighbors_ms = 0, graph_ms = 0, init_ms = 0, layout_ms = 0;
};

class UmapJob {
public:
    // `data` (rows x features) must outlive the job.
    UmapJob(const Matrix& data, UmapOptions options);
    // Does about `budget` rows' worth of work (layout: budget / rows epochs, at least one). False when done.
    bool step(std::size_t budget);
    bool done() const { return stage_ == Stage::Done; }
    double progress() const;
    const char* stage_name() const;
    // Current coordinates (rows x n_components); empty until the initial layout exists.
    const Matrix& embedding() const;
    const UmapInfo& info() const { return info_; }
    // True once the k-nearest-neighbour stage has finished (for per-stage timings).
    bool neighbors_done() const { return stage_ != Stage::Neighbors; }
    Matrix take_embedding();

private:
    bool advance(std::size_t budget);  // step() without the stage clocks
    enum class Stage { Neighbors, Graph, Init, Layout, Done };
    const Matrix& data_;
    UmapOptions options_;
    Stage stage_ = Stage::Neighbors;
    std::unique_ptr<NnDescentJob> nn_;
    Matrix exact_normalised_;     // exact search with cosine: unit-length rows (euclidean reads data_)
    std::size_t exact_next_ = 0;  // next query row of the exact search
    KnnGraph knn_;
    SparseGraph graph_;
    Matrix init_;
    std::unique_ptr<SpectralInitJob> spectral_;
    std::unique_ptr<LayoutJob> layout_;
    UmapInfo info_;
    Matrix empty_;
};

Matrix umap(const Matrix& data, const UmapOptions& options, UmapInfo* info = nullptr);

}  // namespace recluster
