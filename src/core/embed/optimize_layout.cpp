#include "embed/optimize_layout.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "common/pow_table.hpp"
#include "common/parallel_for.hpp"
#include "common/random.hpp"

namespace recluster {

namespace {
constexpr float kClip = 4.0f;

// Asks for a row's coordinates ahead of their use. Natively a prefetch; WASM has no prefetch instruction
// (__builtin_prefetch compiles to nothing), so there the first coordinate is loaded at once into `touch` (summed
// and stored once per chunk so it is not optimised away): the miss starts now, while the row waits in the queue.
inline void fetch_ahead(const float* row, float& touch) {
#if defined(__wasm__)
    touch += row[0];
#else
    (void)touch;
    __builtin_prefetch(row);
#endif
}
thread_local volatile float g_touch_sink = 0;
inline float clip(float v) { return std::min(kClip, std::max(-kClip, v)); }

// Four negative samples of a 2-D row in lane-parallel form: the same operations in the same order as the generic
// loop in epoch_rows (clip written as the comparisons std::min / std::max make, deltas summed lane by lane), so
// the result is bit-identical; it just avoids per-lane inserts and extracts, which WASM pays for dearly.
inline void repel4_2d(float* yi, const float* const* yk, const PowTable& pow_b, float a, float b, float alpha) {
    using simd::f32x4;
    const f32x4 xs = {yk[0][0], yk[1][0], yk[2][0], yk[3][0]};
    const f32x4 ys = {yk[0][1], yk[1][1], yk[2][1], yk[3][1]};
    const f32x4 dx = yi[0] - xs, dy = yi[1] - ys;
    const f32x4 dk = dx * dx + dy * dy;
    const f32x4 coeff = (2.0f * b) / ((0.001f + dk) * (a * pow_b(dk) + 1.0f));
    const f32x4 lo = {-kClip, -kClip, -kClip, -kClip}, hi = {kClip, kClip, kClip, kClip};
    const f32x4 far = {kClip * alpha, kClip * alpha, kClip * alpha, kClip * alpha};
    const auto step = [&](f32x4 d) {
        f32x4 v = coeff * d;
        v = simd::select(v > lo, v, lo);
        v = simd::select(v < hi, v, hi);
        return simd::select(dk > 0.0f, v * alpha, far);
    };
    const f32x4 tx = step(dx), ty = step(dy);
    yi[0] += (((0.0f + tx[0]) + tx[1]) + tx[2]) + tx[3];
    yi[1] += (((0.0f + ty[0]) + ty[1]) + ty[2]) + ty[3];
}
}  // namespace

void LayoutOptions::validate() const {
    if (n_epochs < 0) throw std::invalid_argument("layout: n_epochs must be >= 0");
    if (!(learning_rate > 0)) throw std::invalid_argument("layout: learning_rate must be > 0");
    if (!(negative_sample_rate >= 0)) throw std::invalid_argument("layout: negative_sample_rate must be >= 0");
    if (!(a > 0) || !(b > 0)) throw std::invalid_argument("layout: a and b must be > 0");
    if (chunk_rows < 1) throw std::invalid_argument("layout: chunk_rows must be >= 1");
}

LayoutJob::LayoutJob(const SparseGraph& graph, Matrix embedding, LayoutOptions options)
    : options_(options), pow_b_(options.b), embedding_(std::move(embedding)) {
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
    snapshot_ = embedding_;
    switch (embedding_.cols) {  // the common dimensions get compile-time loops
        case 2: epoch_rows<2>(); break;
        case 3: epoch_rows<3>(); break;
        default: epoch_rows<0>(); break;
    }
    ++epoch_;
}

template <std::size_t Dim>
void LayoutJob::epoch_rows() {
    const std::size_t n = embedding_.rows, dim = Dim ? Dim : embedding_.cols;
    const float a = options_.a, b = options_.b;
    const float alpha = options_.learning_rate * (1.0f - static_cast<float>(epoch_) / options_.n_epochs);
    const float epoch = static_cast<float>(epoch_);
    const float neg_rate = options_.negative_sample_rate;
    parallel_for(options_.n_threads, n, options_.chunk_rows, [&](int, std::size_t begin, std::size_t end) {
        float fixed[Dim ? Dim : 1];
        std::vector<float> dynamic(Dim ? 0 : dim);
        float* delta = Dim ? fixed : dynamic.data();
        float touch = 0;
        for (std::size_t i = begin; i < end; ++i) {
            float* yi = embedding_.row(i);
            // Negative samples wait in a queue and are evaluated four at a time (one four-lane lookup of d^2b) at
            // the row's current position, across edge boundaries, so no lane is wasted on rounding. A group is
            // evaluated when four newer samples wait behind it, so the prefetches of its rows have had time to arrive.
            const float* yk[8];
            int queued = 0;
            const auto flush = [&](int lanes) {
                if constexpr (Dim == 2) {
                    if (lanes == 4) return repel4_2d(yi, yk, pow_b_, a, b, alpha);
                }
                simd::f32x4 dk = {1.0f, 1.0f, 1.0f, 1.0f};
                for (int l = 0; l < lanes; ++l) {
                    float d = 0;
                    for (std::size_t c = 0; c < dim; ++c) d += (yi[c] - yk[l][c]) * (yi[c] - yk[l][c]);
                    dk[l] = d;
                }
                const simd::f32x4 coeff = (2.0f * b) / ((0.001f + dk) * (a * pow_b_(dk) + 1.0f));
                std::fill(delta, delta + dim, 0.0f);
                for (int l = 0; l < lanes; ++l) {
                    if (dk[l] > 0) {
                        for (std::size_t c = 0; c < dim; ++c) delta[c] += clip(coeff[l] * (yi[c] - yk[l][c])) * alpha;
                    } else {
                        for (std::size_t c = 0; c < dim; ++c) delta[c] += kClip * alpha;
                    }
                }
                for (std::size_t c = 0; c < dim; ++c) yi[c] += delta[c];
            };
            const std::size_t row_end = row_ptr_[i + 1];
            for (std::size_t e = row_ptr_[i]; e < row_end; ++e) {
                if (next_sample_[e] > epoch) continue;
                // Warm the cache for the row's next neighbour (its coordinates are a random access).
                if (e + 1 < row_end) fetch_ahead(snapshot_.row(static_cast<std::size_t>(tail_[e + 1])), touch);
                const float* yj = snapshot_.row(static_cast<std::size_t>(tail_[e]));
                float d2 = 0;
                for (std::size_t c = 0; c < dim; ++c) d2 += (yi[c] - yj[c]) * (yi[c] - yj[c]);
                if (d2 > 0) {
                    const float pb = pow_b_(d2);  // d2^(b-1) = pb / d2
                    const float coeff = (-2.0f * a * b * (pb / d2)) / (a * pb + 1.0f);
                    for (std::size_t c = 0; c < dim; ++c) yi[c] += clip(coeff * (yi[c] - yj[c])) * alpha;
                }
                next_sample_[e] += epochs_per_sample_[e];
                if (neg_rate <= 0) continue;
                const float per_negative = epochs_per_sample_[e] / neg_rate;
                const int n_neg = static_cast<int>((epoch - next_negative_[e]) / per_negative);
                next_negative_[e] += static_cast<float>(n_neg) * per_negative;
                // One hash per edge and epoch, a cheap mix per sample, multiply-shift to a row index.
                const std::uint64_t base = hash64(options_.seed, static_cast<std::uint64_t>(epoch_), e);
                for (int p = 0; p < n_neg; ++p) {
                    const std::uint64_t h = mix64(base + static_cast<std::uint64_t>(p));
                    const std::size_t kk = static_cast<std::size_t>(((h >> 32) * static_cast<std::uint64_t>(n)) >> 32);
                    if (kk == i) continue;
                    yk[queued] = snapshot_.row(kk);
                    fetch_ahead(yk[queued], touch);
                    if (++queued == 8) {
                        flush(4);
                        for (int l = 0; l < 4; ++l) yk[l] = yk[l + 4];
                        queued = 4;
                    }
                }
            }
            if (queued > 4) {
                flush(4);
                for (int l = 0; l < 4; ++l) yk[l] = yk[l + 4];
                queued -= 4;
            }
            if (queued) flush(queued);
        }
        g_touch_sink = touch;
    });
}

}  // namespace recluster
