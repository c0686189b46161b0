#include "prep/randomized_pca.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>

#include "common/parallel_for.hpp"
#include "common/random.hpp"
#include "common/simd.hpp"

namespace recluster {

namespace {
// Single-precision sums are flushed into the chunk's double sums every this many rows.
constexpr std::size_t kFlushRows = 128;
// Rows handled together by the kernels below (register blocking: each loaded basis entry serves 4 rows).
constexpr std::size_t kBlockRows = 4;
// Columns per register tile; the basis and the accumulators are stored tile by tile ("packed": tile t holds
// columns [8t, 8t+8) for every feature j at [t*d*8 + j*8, +8)) so the kernels read memory contiguously.
constexpr std::size_t kTile = 8;

// w[r][0, lp) = sum_j x[r][j] * q[j][0, lp) for NR consecutive rows x (NR x d) and a packed basis q; w is
// NR x lp. Every output is a sum over j in increasing order, whatever the vector width.
template <std::size_t NR>
void rows_times_basis(const float* x, const float* q, std::size_t d, std::size_t tiles, float* w) {
    using namespace simd;
    const std::size_t lp = tiles * kTile;
    for (std::size_t tile = 0; tile < tiles; ++tile) {
        const float* qt = q + tile * d * kTile;
        f32x4 lo[NR], hi[NR];
        for (std::size_t r = 0; r < NR; ++r) lo[r] = hi[r] = zero4();
        for (std::size_t j = 0; j < d; ++j) {
            const f32x4 q0 = load4(qt + j * kTile), q1 = load4(qt + j * kTile + 4);
            for (std::size_t r = 0; r < NR; ++r) {
                const float xr = x[r * d + j];
                lo[r] += xr * q0;
                hi[r] += xr * q1;
            }
        }
        for (std::size_t r = 0; r < NR; ++r) {
            store4(w + r * lp + tile * kTile, lo[r]);
            store4(w + r * lp + tile * kTile + 4, hi[r]);
        }
    }
}

// acc[j][0, lp) += sum_r x[r][j] * w[r][0, lp) into packed accumulators, rows added in increasing r.
template <std::size_t NR>
void accumulate_outer(const float* x, const float* w, std::size_t d, std::size_t tiles, float* acc) {
    using namespace simd;
    const std::size_t lp = tiles * kTile;
    for (std::size_t tile = 0; tile < tiles; ++tile) {
        f32x4 wlo[NR], whi[NR];
        for (std::size_t r = 0; r < NR; ++r) {
            wlo[r] = load4(w + r * lp + tile * kTile);
            whi[r] = load4(w + r * lp + tile * kTile + 4);
        }
        float* at = acc + tile * d * kTile;
        for (std::size_t j = 0; j < d; ++j) {
            f32x4 s0 = load4(at + j * kTile), s1 = load4(at + j * kTile + 4);
            for (std::size_t r = 0; r < NR; ++r) {
                const float xr = x[r * d + j];
                s0 += xr * wlo[r];
                s1 += xr * whi[r];
            }
            store4(at + j * kTile, s0);
            store4(at + j * kTile + 4, s1);
        }
    }
}

double random_entry(std::uint64_t seed, std::uint64_t a, std::uint64_t b, std::uint64_t c) {
    // Uniform in [-1, 1): any continuous distribution works for the starting subspace, and this one needs
    // no transcendental functions, so every platform draws the same numbers.
    return static_cast<double>(hash64(seed, a, b, c) >> 11) * (2.0 / 9007199254740992.0) - 1.0;
}
}  // namespace

RandomizedPcaJob::RandomizedPcaJob(const RowSource& data, PcaOptions options) : data_(data), options_(options) {
    const std::size_t d = data.cols();
    k_ = std::min<std::size_t>(static_cast<std::size_t>(options_.n_components), d);
    // Whole register tiles: oversampling rounded up costs nothing extra in the kernels.
    l_ = std::min<std::size_t>((k_ + static_cast<std::size_t>(options_.n_oversamples) + 7) / 8 * 8, d);
    n_iter_ = options_.n_iter >= 0 ? options_.n_iter : (10 * k_ < d ? 7 : 4);
    // At most ~64 chunks, so partial sums stay small however many rows there are.
    chunk_ = std::max(options_.chunk_rows, (data.rows() + 63) / 64);
    sum_.assign(d, 0.0);
    basis_.resize(d * l_);
    for (std::size_t j = 0; j < d; ++j)
        for (std::size_t c = 0; c < l_; ++c) basis_[j * l_ + c] = random_entry(options_.seed, 0, j, c);
    orthonormalise_basis();
}

double RandomizedPcaJob::progress() const {
    const double passes = n_iter_ + 2.2;  // mean, power iterations, Rayleigh-Ritz, a light projection
    const double within = static_cast<double>(cursor_) / static_cast<double>(data_.rows());
    switch (stage_) {
        case Stage::Mean: return within / passes;
        case Stage::Power: return (1 + iteration_ + within) / passes;
        case Stage::RayleighRitz: return (1 + n_iter_ + within) / passes;
        case Stage::Project: return (2 + n_iter_ + 0.2 * within) / passes;
        case Stage::Done: return 1.0;
    }
    return 0;
}

bool RandomizedPcaJob::step(std::size_t rows) {
    // Whole chunks only, so chunk boundaries never depend on how the caller slices the work.
    std::size_t budget = std::max<std::size_t>(1, (rows + chunk_ - 1) / chunk_) * chunk_;
    while (budget > 0 && stage_ != Stage::Done) {
        const std::size_t end = std::min(data_.rows(), cursor_ + budget);
        switch (stage_) {
            case Stage::Mean: add_column_sums(data_, cursor_, end, chunk_, options_.n_threads, sum_); break;
            case Stage::Power: pass_power(cursor_, end); break;
            case Stage::RayleighRitz: pass_rayleigh_ritz(cursor_, end); break;
            case Stage::Project: pass_project(cursor_, end); break;
            case Stage::Done: break;
        }
        // Keep the budget in whole chunks (a stage may end on a partial chunk) so ranges stay chunk-aligned.
        budget = (budget - (end - cursor_)) / chunk_ * chunk_;
        cursor_ = end;
        if (cursor_ == data_.rows()) {
            cursor_ = 0;
            finish_stage();
        }
    }
    return stage_ != Stage::Done;
}

void RandomizedPcaJob::finish_stage() {
    const std::size_t d = data_.cols();
    switch (stage_) {
        case Stage::Mean:
            result_.mean.resize(d);
            mean_f_.resize(d);
            for (std::size_t j = 0; j < d; ++j) {
                result_.mean[j] = sum_[j] / static_cast<double>(data_.rows());
                mean_f_[j] = static_cast<float>(result_.mean[j]);
            }
            next_basis_.assign(d * l_, 0.0);
            stage_ = n_iter_ > 0 ? Stage::Power : Stage::RayleighRitz;
            if (stage_ == Stage::RayleighRitz) {
                w_.assign(data_.rows() * l_, 0.0f);
                gram_.assign(l_ * l_, 0.0);
            }
            break;
        case Stage::Power:
            basis_.swap(next_basis_);
            std::fill(next_basis_.begin(), next_basis_.end(), 0.0);
            orthonormalise_basis();
            if (++iteration_ == n_iter_) {
                std::vector<double>().swap(next_basis_);
                w_.assign(data_.rows() * l_, 0.0f);
                gram_.assign(l_ * l_, 0.0);
                stage_ = Stage::RayleighRitz;
            }
            break;
        case Stage::RayleighRitz:
            decompose();
            stage_ = Stage::Project;
            break;
        case Stage::Project:
            std::vector<float>().swap(w_);
            stage_ = Stage::Done;
            done_ = true;
            break;
        case Stage::Done: break;
    }
}

void RandomizedPcaJob::pass_power(std::size_t begin, std::size_t end) {
    const std::size_t d = data_.cols(), l = l_;
    const std::size_t n_chunks = chunk_count(end - begin, chunk_);
    std::vector<double> partial(n_chunks * d * l, 0.0);
    parallel_for(options_.n_threads, end - begin, chunk_, [&](int, std::size_t b, std::size_t e) {
        double* p = partial.data() + (b / chunk_) * d * l;
        const std::size_t tiles = (l + kTile - 1) / kTile, lp = tiles * kTile;
        std::vector<float> acc(d * lp, 0.0f), scratch(kReadRows * d), xc(kReadRows * d), w(kBlockRows * lp);
        std::size_t since_flush = 0;
        for (std::size_t r0 = begin + b; r0 < begin + e; r0 += kReadRows) {
            const std::size_t n = std::min(kReadRows, begin + e - r0);
            centre_rows(r0, n, scratch.data(), xc.data());
            for (std::size_t i0 = 0; i0 < n; i0 += kBlockRows) {
                const std::size_t nr = std::min(kBlockRows, n - i0);
                const float* x = xc.data() + i0 * d;
                // w = xc Q, then acc += xc^T w.
                if (nr == kBlockRows) {
                    rows_times_basis<kBlockRows>(x, basis_f_.data(), d, tiles, w.data());
                    accumulate_outer<kBlockRows>(x, w.data(), d, tiles, acc.data());
                } else {
                    for (std::size_t i = 0; i < nr; ++i) {
                        rows_times_basis<1>(x + i * d, basis_f_.data(), d, tiles, w.data());
                        accumulate_outer<1>(x + i * d, w.data(), d, tiles, acc.data());
                    }
                }
                since_flush += nr;
                if (since_flush >= kFlushRows || r0 + i0 + nr == begin + e) {
                    for (std::size_t j = 0; j < d; ++j)
                        for (std::size_t c = 0; c < l; ++c) p[j * l + c] += acc[(c / kTile) * d * kTile + j * kTile + c % kTile];
                    std::fill(acc.begin(), acc.end(), 0.0f);
                    since_flush = 0;
                }
            }
        }
    });
    for (std::size_t c = 0; c < n_chunks; ++c)
        for (std::size_t i = 0; i < d * l; ++i) next_basis_[i] += partial[c * d * l + i];
}

void RandomizedPcaJob::centre_rows(std::size_t first, std::size_t count, float* scratch, float* out) const {
    const std::size_t d = data_.cols();
    const float* rows = data_.read(first, count, scratch);
    for (std::size_t i = 0; i < count; ++i) {
        const float* x = rows + i * d;
        float* o = out + i * d;
        for (std::size_t j = 0; j < d; ++j) o[j] = x[j] - mean_f_[j];
    }
}

void RandomizedPcaJob::pass_rayleigh_ritz(std::size_t begin, std::size_t end) {
    const std::size_t d = data_.cols(), l = l_;
    const std::size_t n_chunks = chunk_count(end - begin, chunk_);
    const std::size_t stride = l * l + 1;  // gram, then the sum of squares
    std::vector<double> partial(n_chunks * stride, 0.0);
    parallel_for(options_.n_threads, end - begin, chunk_, [&](int, std::size_t b, std::size_t e) {
        double* p = partial.data() + (b / chunk_) * stride;
        const std::size_t tiles = (l + kTile - 1) / kTile;
        std::vector<float> scratch(kReadRows * d), xcb(kReadRows * d), wp(tiles * kTile);
        for (std::size_t r0 = begin + b; r0 < begin + e; r0 += kReadRows) {
            const std::size_t n = std::min(kReadRows, begin + e - r0);
            centre_rows(r0, n, scratch.data(), xcb.data());
            for (std::size_t i = 0; i < n; ++i) {
                const float* xc = xcb.data() + i * d;
                double sq = 0;
                for (std::size_t j = 0; j < d; ++j) sq += static_cast<double>(xc[j]) * xc[j];
                float* w = w_.data() + (r0 + i) * l;
                rows_times_basis<1>(xc, basis_f_.data(), d, tiles, wp.data());
                std::copy(wp.begin(), wp.begin() + static_cast<std::ptrdiff_t>(l), w);
                for (std::size_t a = 0; a < l; ++a) {
                    const double wa = w[a];
                    double* pa = p + a * l;
                    for (std::size_t c = a; c < l; ++c) pa[c] += wa * w[c];
                }
                p[l * l] += sq;
            }
        }
    });
    for (std::size_t c = 0; c < n_chunks; ++c) {
        for (std::size_t i = 0; i < l * l; ++i) gram_[i] += partial[c * stride + i];
        total_sq_ += partial[c * stride + l * l];
    }
}

void RandomizedPcaJob::decompose() {
    const std::size_t d = data_.cols(), l = l_;
    Eigen::MatrixXd h(l, l);
    for (std::size_t a = 0; a < l; ++a)
        for (std::size_t c = a; c < l; ++c) h(a, c) = h(c, a) = gram_[a * l + c];
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> solver(h);
    const double denom = data_.rows() > 1 ? static_cast<double>(data_.rows() - 1) : 1.0;
    rotation_.assign(l * k_, 0.0);
    result_.components.clear();
    result_.explained_variance.clear();
    result_.explained_variance_ratio.clear();
    for (std::size_t c = 0; c < k_; ++c) {
        const Eigen::Index idx = static_cast<Eigen::Index>(l - 1 - c);  // Eigen sorts ascending
        std::vector<double> v(d, 0.0);
        for (std::size_t j = 0; j < d; ++j)
            for (std::size_t m = 0; m < l; ++m)
                v[j] += basis_[j * l + m] * solver.eigenvectors()(static_cast<Eigen::Index>(m), idx);
        const double sign = fix_sign(v) ? -1.0 : 1.0;
        for (std::size_t m = 0; m < l; ++m)
            rotation_[m * k_ + c] = sign * solver.eigenvectors()(static_cast<Eigen::Index>(m), idx);
        const double ev = std::max(0.0, solver.eigenvalues()(idx)) / denom;
        result_.components.push_back(std::move(v));
        result_.explained_variance.push_back(ev);
        result_.explained_variance_ratio.push_back(total_sq_ > 0 ? ev * denom / total_sq_ : 0.0);
    }
    result_.scores = Matrix(data_.rows(), k_);
    result_.solver = PcaSolver::Randomized;
    std::vector<double>().swap(gram_);
}

void RandomizedPcaJob::pass_project(std::size_t begin, std::size_t end) {
    const std::size_t l = l_, k = k_;
    parallel_for(options_.n_threads, end - begin, chunk_, [&](int, std::size_t b, std::size_t e) {
        std::vector<double> s(k);
        for (std::size_t r = begin + b; r < begin + e; ++r) {
            const float* w = w_.data() + r * l;
            std::fill(s.begin(), s.end(), 0.0);
            for (std::size_t m = 0; m < l; ++m) {
                const double wm = w[m];
                const double* rm = rotation_.data() + m * k;
                for (std::size_t c = 0; c < k; ++c) s[c] += wm * rm[c];
            }
            float* out = result_.scores.row(r);
            for (std::size_t c = 0; c < k; ++c) out[c] = static_cast<float>(s[c]);
        }
    });
}

void RandomizedPcaJob::orthonormalise_basis() {
    // Modified Gram-Schmidt, twice ("twice is enough"), on column copies; fixed operation order so every
    // platform gets the same basis.
    const std::size_t d = data_.cols(), l = l_;
    std::vector<std::vector<double>> cols(l, std::vector<double>(d));
    for (std::size_t j = 0; j < d; ++j)
        for (std::size_t c = 0; c < l; ++c) cols[c][j] = basis_[j * l + c];
    auto dot = [d](const std::vector<double>& a, const std::vector<double>& b) {
        double s = 0;
        for (std::size_t j = 0; j < d; ++j) s += a[j] * b[j];
        return s;
    };
    for (std::size_t c = 0; c < l; ++c) {
        for (int attempt = 0;; ++attempt) {
            const double norm0 = std::sqrt(dot(cols[c], cols[c]));
            for (int pass = 0; pass < 2; ++pass)
                for (std::size_t p = 0; p < c; ++p) {
                    const double r = dot(cols[p], cols[c]);
                    for (std::size_t j = 0; j < d; ++j) cols[c][j] -= r * cols[p][j];
                }
            const double norm = std::sqrt(dot(cols[c], cols[c]));
            if ((norm > 1e-10 * norm0 && norm > 0) || attempt == 16) {
                if (norm > 0)
                    for (double& x : cols[c]) x /= norm;
                break;
            }
            // The data has fewer than l directions: continue with a fresh random one.
            for (std::size_t j = 0; j < d; ++j)
                cols[c][j] = random_entry(options_.seed, 1 + static_cast<std::uint64_t>(iteration_),
                                          j, c * 64 + static_cast<std::uint64_t>(attempt));
        }
    }
    const std::size_t tiles = (l + kTile - 1) / kTile;
    basis_f_.assign(tiles * d * kTile, 0.0f);  // packed; padding columns stay zero
    for (std::size_t j = 0; j < d; ++j)
        for (std::size_t c = 0; c < l; ++c) {
            basis_[j * l + c] = cols[c][j];
            basis_f_[(c / kTile) * d * kTile + j * kTile + c % kTile] = static_cast<float>(cols[c][j]);
        }
}

}  // namespace recluster
