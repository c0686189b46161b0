#include "embed/optimize_layout.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "common/parallel_for.hpp"
#include "common/random.hpp"

namespace recluster {

namespace {
constexpr float kClip = 4.0f;
inline float clip(float v) { return std::min(kClip, std::max(-kClip, v)); }
}  // namespace

void LayoutOptions::validate() const {
    if (n_epochs < 0) throw std::invalid_argument("layout: n_epochs must be >= 0");
    if (!(learning_rate > 0)) throw std::invalid_argument("layout: learning_rate must be > 0");
    if (!(negative_sample_rate >= 0)) throw std::invalid_argument("layout: negative_sample_rate must be >= 0");
    if (!(a > 0) || !(b > 0)) throw std::invalid_argument("layout: a and b must be > 0");
    if (chunk_rows < 1) throw std::invalid_argument("layout: chunk_rows must be >= 1");
}

LayoutJob::LayoutJob(const SparseGraph& graph, Matrix embedding, LayoutOptions options)
    : options_(options), embedding_(std::move(embedding)) {
    options_.validate();
    if (embedding_.rows != graph.n) throw std::invalid_argument("layout: embedding rows != graph size");
    float max_w = 0;
    for (float w : graph.weight) max_w = std::max(max_w, w);
    // Edges too weak to be sampled even once in n_epochs are dropped (as umap-learn does).
    const float cutoff = options_.n_epochs > 0 ? max_w / static_cast<float>(options_.n_epochs) : 0.0f;
    row_ptr_.assign(graph.n + 1, 0);
    for (std::size_t i = 0; i < graph.n; ++i) {
        for (std::size_t e = graph.row_ptr[i]; e < graph.row_ptr[i + 1]; ++e) {
            if (graph.weight[e] < cutoff || graph.weight[e] <= 0) continue;
            tail_.push_back(graph.col[e]);
            epochs_per_sample_.push_back(max_w / graph.weight[e]);
        }
        row_ptr_[i + 1] = tail_.size();
    }
    next_sample_ = epochs_per_sample_;
    next_negative_.resize(epochs_per_sample_.size());
    for (std::size_t e = 0; e < epochs_per_sample_.size(); ++e)
        next_negative_[e] = options_.negative_sample_rate > 0 ? epochs_per_sample_[e] / options_.negative_sample_rate : 0;
}

bool LayoutJob::step(int epochs) {
    for (int i = 0; i < epochs && !done(); ++i) run_epoch();
    return !done();
}

void LayoutJob::run_epoch() {
    const std::size_t n = embedding_.rows, dim = embedding_.cols;
    const float a = options_.a, b = options_.b;
    const float alpha = options_.learning_rate * (1.0f - static_cast<float>(epoch_) / options_.n_epochs);
    const float epoch = static_cast<float>(epoch_);
    const float neg_rate = options_.negative_sample_rate;
    snapshot_ = embedding_;
    parallel_for(options_.n_threads, n, options_.chunk_rows, [&](int, std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) {
            float* yi = embedding_.row(i);
            for (std::size_t e = row_ptr_[i]; e < row_ptr_[i + 1]; ++e) {
                if (next_sample_[e] > epoch) continue;
                const float* yj = snapshot_.row(static_cast<std::size_t>(tail_[e]));
                float d2 = 0;
                for (std::size_t c = 0; c < dim; ++c) d2 += (yi[c] - yj[c]) * (yi[c] - yj[c]);
                if (d2 > 0) {
                    const float coeff = (-2.0f * a * b * std::pow(d2, b - 1.0f)) / (a * std::pow(d2, b) + 1.0f);
                    for (std::size_t c = 0; c < dim; ++c) yi[c] += clip(coeff * (yi[c] - yj[c])) * alpha;
                }
                next_sample_[e] += epochs_per_sample_[e];
                if (neg_rate <= 0) continue;
                const float per_negative = epochs_per_sample_[e] / neg_rate;
                const int n_neg = static_cast<int>((epoch - next_negative_[e]) / per_negative);
                for (int p = 0; p < n_neg; ++p) {
                    const std::size_t kk = hash64(options_.seed, static_cast<std::uint64_t>(epoch_), e,
                                                  static_cast<std::uint64_t>(p)) % n;
                    if (kk == i) continue;
                    const float* yk = snapshot_.row(kk);
                    float dk = 0;
                    for (std::size_t c = 0; c < dim; ++c) dk += (yi[c] - yk[c]) * (yi[c] - yk[c]);
                    if (dk > 0) {
                        const float coeff = (2.0f * b) / ((0.001f + dk) * (a * std::pow(dk, b) + 1.0f));
                        for (std::size_t c = 0; c < dim; ++c) yi[c] += clip(coeff * (yi[c] - yk[c])) * alpha;
                    } else {
                        for (std::size_t c = 0; c < dim; ++c) yi[c] += kClip * alpha;
                    }
                }
                next_negative_[e] += static_cast<float>(n_neg) * per_negative;
            }
        }
    });
    ++epoch_;
}

}  // namespace recluster
