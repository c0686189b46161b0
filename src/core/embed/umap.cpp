#include "embed/umap.hpp"

#include <algorithm>
#include <chrono>
#include <limits>
#include <stdexcept>

#include "common/random.hpp"
#include "embed/spectral_init.hpp"
#include "neighbors/brute_force_knn.hpp"

namespace recluster {

void UmapOptions::validate() const {
    if (n_neighbors < 2) throw std::invalid_argument("UMAP: n_neighbors must be >= 2");
    if (!(spread > 0)) throw std::invalid_argument("UMAP: spread must be > 0");
    if (!(min_dist >= 0) || min_dist > spread) throw std::invalid_argument("UMAP: min_dist must be in [0, spread]");
    if (n_components < 1) throw std::invalid_argument("UMAP: n_components must be >= 1");
    if (n_epochs && *n_epochs < 0) throw std::invalid_argument("UMAP: n_epochs must be >= 0");
}

UmapJob::UmapJob(const Matrix& data, UmapOptions options) : data_(data), options_(std::move(options)) {
    options_.validate();
    if (data.rows < 2) throw std::invalid_argument("UMAP: need at least 2 rows");
    const CurveParams ab = find_ab(options_.spread, options_.min_dist);
    info_.a = ab.a;
    info_.b = ab.b;
    info_.n_epochs = options_.n_epochs ? *options_.n_epochs : (data.rows <= 10000 ? 500 : 200);
    const int k = std::min<int>(options_.n_neighbors - 1, static_cast<int>(data.rows) - 1);
    const bool exact = options_.neighbors == NeighborMethod::Exact ||
                       (options_.neighbors == NeighborMethod::Auto && data.rows < options_.exact_below);
    info_.neighbor_method = exact ? "exact" : "nn-descent";
    if (!exact) {
        NnDescentOptions o;
        o.k = k;
        o.metric = options_.metric;
        o.n_threads = options_.n_threads;
        o.seed = options_.seed;
        nn_ = std::make_unique<NnDescentJob>(data_, o);
    } else {
        knn_ = empty_knn_graph(data_.rows, k);
    }
}

double UmapJob::progress() const {
    switch (stage_) {
        case Stage::Neighbors:
            return 0.3 * (nn_ ? nn_->progress() : static_cast<double>(exact_next_) / static_cast<double>(data_.rows));
        case Stage::Graph: return 0.3;
        case Stage::Init: return 0.3 + 0.05 * (spectral_ ? spectral_->progress() : 0.0);
        case Stage::Layout: return 0.35 + 0.65 * layout_->progress();
        case Stage::Done: return 1.0;
    }
    return 0;
}

const char* UmapJob::stage_name() const {
    switch (stage_) {
        case Stage::Neighbors: return "nearest neighbours";
        case Stage::Graph: return "fuzzy graph";
        case Stage::Init: return "initial layout";
        case Stage::Layout: return "UMAP layout";
        case Stage::Done: return "done";
    }
    return "";
}

const Matrix& UmapJob::embedding() const {
    if (layout_) return layout_->embedding();
    return stage_ == Stage::Done ? init_ : empty_;
}

bool UmapJob::step(std::size_t budget) {
    const auto start = std::chrono::steady_clock::now();
    double* clock = nullptr;
    switch (stage_) {
        case Stage::Neighbors: clock = &info_.neighbors_ms; break;
        case Stage::Graph: clock = &info_.graph_ms; break;
        case Stage::Init: clock = &info_.init_ms; break;
        case Stage::Layout: clock = &info_.layout_ms; break;
        case Stage::Done: break;
    }
    const bool more = advance(budget);
    if (clock) *clock += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    return more;
}

bool UmapJob::advance(std::size_t budget) {
    switch (stage_) {
        case Stage::Neighbors:
            if (nn_) {
                if (!nn_->step(budget)) {
                    knn_ = nn_->result();
                    nn_.reset();
                    stage_ = Stage::Graph;
                }
            } else {
                // Exact search in slices of query rows (each costs a pass over all rows).
                BruteForceOptions o;
                o.k = knn_.k;
                o.metric = options_.metric;
                o.n_threads = options_.n_threads;
                const std::size_t slice = std::max<std::size_t>(32, budget / 16);
                const std::size_t end = std::min(data_.rows, exact_next_ + slice);
                if (exact_next_ == 0 && options_.metric != Metric::Euclidean)
                    exact_normalised_ = prepare_rows(data_, options_.metric);
                const Matrix& rows = options_.metric != Metric::Euclidean ? exact_normalised_ : data_;
                brute_force_knn_rows(rows, o, exact_next_, end, knn_);
                exact_next_ = end;
                if (exact_next_ == data_.rows) {
                    finish_distances(knn_, options_.metric);
                    exact_normalised_ = Matrix();
                    stage_ = Stage::Graph;
                }
            }
            return true;
        case Stage::Graph: {
            FuzzyGraphOptions fo;
            fo.local_connectivity = options_.local_connectivity;
            fo.bandwidth = options_.bandwidth;
            fo.set_op_mix_ratio = options_.set_op_mix_ratio;
            fo.n_neighbors = options_.n_neighbors;
            fo.n_threads = options_.n_threads;
            graph_ = fuzzy_graph(knn_, fo).graph;
            info_.graph_edges = graph_.edges();
            knn_ = KnnGraph();
            stage_ = Stage::Init;
            return true;
        }
        case Stage::Init: {
            std::optional<Matrix> spectral;
            if (options_.init == UmapInit::Spectral) {
                if (!spectral_) {
                    SpectralInitOptions so;
                    so.dim = options_.n_components;
                    so.seed = options_.seed;
                    so.n_threads = options_.n_threads;
                    spectral_ = std::make_unique<SpectralInitJob>(graph_, so);
                }
                // Power iterations cost about as much as layout epochs: same budget rule.
                const std::size_t wanted = std::max<std::size_t>(1, budget / std::max<std::size_t>(1, data_.rows));
                if (spectral_->step(static_cast<int>(std::min<std::size_t>(wanted, 1u << 20)))) return true;
                spectral = spectral_->take_result();
                spectral_.reset();
            }
            if (spectral) {
                init_ = std::move(*spectral);
                info_.init = "spectral";
            } else {
                // Random initialisation in [-10, 10]^dim, one stream per row (chosen, or the spectral fallback).
                init_ = Matrix(data_.rows, static_cast<std::size_t>(options_.n_components));
                for (std::size_t i = 0; i < init_.rows; ++i) {
                    RandomStream rng(options_.seed ^ 0x5EEDull, i);
                    for (std::size_t c = 0; c < init_.cols; ++c) init_.at(i, c) = rng.uniform() * 20.0f - 10.0f;
                }
                info_.init = options_.init == UmapInit::Spectral ? "random (spectral failed)" : "random";
            }
            LayoutOptions lo;
            lo.n_epochs = info_.n_epochs;
            lo.learning_rate = options_.learning_rate;
            lo.negative_sample_rate = options_.negative_sample_rate;
            lo.a = static_cast<float>(info_.a);
            lo.b = static_cast<float>(info_.b);
            lo.seed = options_.seed;
            lo.n_threads = options_.n_threads;
            layout_ = std::make_unique<LayoutJob>(graph_, init_, lo);
            stage_ = Stage::Layout;
            return true;
        }
        case Stage::Layout: {
            const std::size_t wanted = std::max<std::size_t>(1, budget / std::max<std::size_t>(1, data_.rows));
            const int epochs = static_cast<int>(std::min<std::size_t>(wanted, static_cast<std::size_t>(info_.n_epochs) + 1));
            if (!layout_->step(epochs)) {
                init_ = layout_->take_embedding();
                layout_.reset();
                graph_ = SparseGraph();
                stage_ = Stage::Done;
                return false;
            }
            return true;
        }
        case Stage::Done: return false;
    }
    return false;
}

Matrix UmapJob::take_embedding() { return std::move(init_); }

Matrix umap(const Matrix& data, const UmapOptions& options, UmapInfo* info) {
    UmapJob job(data, options);
    while (job.step(std::numeric_limits<std::size_t>::max() / 2)) {
    }
    if (info) *info = job.info();
    return job.take_embedding();
}

}  // namespace recluster
