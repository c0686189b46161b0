#include "embed/spectral_init.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "common/parallel_for.hpp"
#include "common/random.hpp"

namespace recluster {

namespace {

// Connected components by breadth-first search from rows in index order: deterministic labels.
std::vector<int> components(const SparseGraph& g, int& count) {
    std::vector<int> label(g.n, -1);
    std::vector<std::size_t> queue;
    count = 0;
    for (std::size_t s = 0; s < g.n; ++s) {
        if (label[s] >= 0) continue;
        label[s] = count;
        queue.assign(1, s);
        for (std::size_t q = 0; q < queue.size(); ++q) {
            std::size_t v = queue[q];
            for (std::size_t e = g.row_ptr[v]; e < g.row_ptr[v + 1]; ++e) {
                std::size_t u = static_cast<std::size_t>(g.col[e]);
                if (label[u] < 0) {
                    label[u] = count;
                    queue.push_back(u);
                }
            }
        }
        ++count;
    }
    return label;
}

// Dot product of two vectors, summed in fixed chunks then in chunk order. On the calling thread: it is
// memory-bound and short, and waking workers several times per iteration costs more than it saves (much
// more in WASM, where a wake-up goes through Atomics.notify).
double dot(const std::vector<double>& a, const std::vector<double>& b, const SpectralInitOptions& o) {
    const std::size_t n = a.size();
    double s = 0;
    for (std::size_t begin = 0; begin < n; begin += o.chunk_rows) {
        const std::size_t end = std::min(n, begin + o.chunk_rows);
        double part = 0;
        for (std::size_t i = begin; i < end; ++i) part += a[i] * b[i];
        s += part;
    }
    return s;
}

}  // namespace

SpectralInitJob::SpectralInitJob(const SparseGraph& g, SpectralInitOptions o) : g_(g), o_(o) {
    if (g.n == 0 || g.edges() == 0 || o.dim < 1) {
        failed_ = done_ = true;
        return;
    }
    int n_comp = 0;
    const std::vector<int> label = components(g, n_comp);
    members_.resize(static_cast<std::size_t>(n_comp));
    local_.resize(g.n);
    for (std::size_t v = 0; v < g.n; ++v) {
        auto& mem = members_[static_cast<std::size_t>(label[v])];
        local_[v] = static_cast<int>(mem.size());
        mem.push_back(v);
    }
    order_.resize(static_cast<std::size_t>(n_comp));
    for (int c = 0; c < n_comp; ++c) order_[static_cast<std::size_t>(c)] = c;
    std::stable_sort(order_.begin(), order_.end(), [&](int a, int b) {
        return members_[static_cast<std::size_t>(a)].size() > members_[static_cast<std::size_t>(b)].size();
    });
    out_ = Matrix(g.n, static_cast<std::size_t>(o.dim));
}

double SpectralInitJob::progress() const {
    if (done_) return 1.0;
    // Rows of finished components plus the current one's share of iterations.
    double finished = 0;
    for (std::size_t s = 0; s < slot_; ++s) finished += static_cast<double>(members_[static_cast<std::size_t>(order_[s])].size());
    if (in_component_)
        finished += static_cast<double>(members_[static_cast<std::size_t>(order_[slot_])].size()) * iteration_ /
                    std::max(1, o_.iterations);
    return finished / static_cast<double>(g_.n);
}

bool SpectralInitJob::orthonormalise(int c) {
    // Remove the trivial vector and the earlier ones, then normalise (modified Gram-Schmidt).
    auto& x = vecs_[static_cast<std::size_t>(c)];
    const std::size_t m = x.size();
    double p = dot(x, trivial_, o_);
    for (std::size_t r = 0; r < m; ++r) x[r] -= p * trivial_[r];
    for (int b = 0; b < c; ++b) {
        const auto& y = vecs_[static_cast<std::size_t>(b)];
        double q = dot(x, y, o_);
        for (std::size_t r = 0; r < m; ++r) x[r] -= q * y[r];
    }
    double norm = std::sqrt(dot(x, x, o_));
    if (!(norm > 1e-300)) return false;
    for (double& v : x) v /= norm;
    return true;
}

void SpectralInitJob::start_component() {
    const auto& mem = members_[static_cast<std::size_t>(order_[slot_])];
    const std::size_t m = mem.size();
    if (m <= static_cast<std::size_t>(o_.dim) + 1) {  // too small for dim non-trivial eigenvectors
        place_component(false);
        return;
    }
    inv_sqrt_deg_.assign(m, 0.0);
    trivial_.assign(m, 0.0);
    for (std::size_t r = 0; r < m; ++r) {
        const std::size_t v = mem[r];
        double deg = 0;
        for (std::size_t e = g_.row_ptr[v]; e < g_.row_ptr[v + 1]; ++e) deg += g_.weight[e];
        if (!(deg > 0)) {
            place_component(false);
            return;
        }
        inv_sqrt_deg_[r] = 1.0 / std::sqrt(deg);
        trivial_[r] = std::sqrt(deg);
    }
    const double tn = std::sqrt(dot(trivial_, trivial_, o_));
    for (double& t : trivial_) t /= tn;
    vecs_.assign(static_cast<std::size_t>(o_.dim), std::vector<double>(m));
    for (int c = 0; c < o_.dim; ++c) {
        RandomStream rng(o_.seed, 0x5bec7a1ull + static_cast<std::uint64_t>(c));
        for (std::size_t r = 0; r < m; ++r) vecs_[static_cast<std::size_t>(c)][r] = rng.uniform() - 0.5;
    }
    for (int c = 0; c < o_.dim; ++c)
        if (!orthonormalise(c)) {
            place_component(false);
            return;
        }
    local_ptr_.assign(m + 1, 0);
    local_col_.clear();
    local_w_.clear();
    for (std::size_t r = 0; r < m; ++r) {
        const std::size_t v = mem[r];
        for (std::size_t e = g_.row_ptr[v]; e < g_.row_ptr[v + 1]; ++e) {
            const int u = local_[static_cast<std::size_t>(g_.col[e])];
            local_col_.push_back(u);
            local_w_.push_back(g_.weight[e] * inv_sqrt_deg_[static_cast<std::size_t>(u)]);
        }
        local_ptr_[r + 1] = local_col_.size();
    }
    next_.assign(m * static_cast<std::size_t>(o_.dim), 0.0);
    interleaved_.assign(m * static_cast<std::size_t>(o_.dim), 0.0);
    in_component_ = true;
    iteration_ = 0;
}

void SpectralInitJob::power_iteration() {
    const auto& mem = members_[static_cast<std::size_t>(order_[slot_])];
    const std::size_t m = mem.size(), dim = static_cast<std::size_t>(o_.dim);
    // next = (x + M x) / 2 with M = D^-1/2 W D^-1/2: eigenvalues in [0, 1], order kept. All dim vectors in
    // one pass over the edges.
    for (std::size_t r = 0; r < m; ++r)
        for (std::size_t c = 0; c < dim; ++c) interleaved_[r * dim + c] = vecs_[c][r];
    const std::size_t* ptr = local_ptr_.data();
    const int* col = local_col_.data();
    const double* w = local_w_.data();
    const double* x = interleaved_.data();
    const double* isd = inv_sqrt_deg_.data();
    double* next = next_.data();
    parallel_for(o_.n_threads, m, o_.chunk_rows, [&](int, std::size_t begin, std::size_t end) {
        if (dim == 2) {  // the common case with sums in registers (WASM cannot keep a vector's sums there)
            for (std::size_t r = begin; r < end; ++r) {
                double s0 = 0, s1 = 0;
                for (std::size_t e = ptr[r]; e < ptr[r + 1]; ++e) {
                    const double* xu = x + static_cast<std::size_t>(col[e]) * 2;
                    s0 += w[e] * xu[0];
                    s1 += w[e] * xu[1];
                }
                next[r] = 0.5 * (x[r * 2] + isd[r] * s0);
                next[m + r] = 0.5 * (x[r * 2 + 1] + isd[r] * s1);
            }
            return;
        }
        std::vector<double> s(dim);
        for (std::size_t r = begin; r < end; ++r) {
            std::fill(s.begin(), s.end(), 0.0);
            for (std::size_t e = ptr[r]; e < ptr[r + 1]; ++e) {
                const double* xu = x + static_cast<std::size_t>(col[e]) * dim;
                for (std::size_t c = 0; c < dim; ++c) s[c] += w[e] * xu[c];
            }
            for (std::size_t c = 0; c < dim; ++c) next[c * m + r] = 0.5 * (x[r * dim + c] + isd[r] * s[c]);
        }
    });
    for (std::size_t c = 0; c < dim; ++c)
        std::copy(next_.begin() + static_cast<std::ptrdiff_t>(c * m),
                  next_.begin() + static_cast<std::ptrdiff_t>((c + 1) * m), vecs_[c].begin());
    for (int c = 0; c < o_.dim; ++c)
        if (!orthonormalise(c)) {
            in_component_ = false;
            place_component(false);
            return;
        }
    if (++iteration_ == o_.iterations) {
        in_component_ = false;
        place_component(true);
    }
}

void SpectralInitJob::place_component(bool ok) {
    // Largest components first; each gets a slot on a ring (one component: the centre), sized by its share.
    const std::size_t n_comp = order_.size();
    if (!ok && n_comp == 1) {
        failed_ = done_ = true;
        return;
    }
    const auto& mem = members_[static_cast<std::size_t>(order_[slot_])];
    const double largest = static_cast<double>(members_[static_cast<std::size_t>(order_[0])].size());
    const double radius = std::sqrt(static_cast<double>(mem.size()) / largest);
    std::vector<double> centre(static_cast<std::size_t>(o_.dim), 0.0);
    if (n_comp > 1) {
        const double angle = 2.0 * 3.14159265358979323846 * static_cast<double>(slot_) / static_cast<double>(n_comp);
        centre[0] = 3.0 * std::cos(angle);
        if (o_.dim > 1) centre[1] = 3.0 * std::sin(angle);
    }
    for (int c = 0; c < o_.dim; ++c) {
        const std::size_t cc = static_cast<std::size_t>(c);
        double scale = 0;
        if (ok)
            for (double x : vecs_[cc]) scale = std::max(scale, std::fabs(x));
        for (std::size_t r = 0; r < mem.size(); ++r) {
            double x = ok && scale > 0 ? vecs_[cc][r] / scale : (RandomStream(o_.seed, mem[r]).uniform() * 2.0 - 1.0);
            out_.at(mem[r], cc) = static_cast<float>(centre[cc] + radius * x);
        }
    }
    vecs_.clear();
    std::vector<std::size_t>().swap(local_ptr_);
    std::vector<int>().swap(local_col_);
    std::vector<double>().swap(local_w_);
    std::vector<double>().swap(interleaved_);
    if (++slot_ == n_comp) finish();
}

void SpectralInitJob::finish() {
    // Scale to [-10, 10] and add tiny noise (breaks exact ties), as umap-learn does.
    float max_abs = 0;
    for (float v : out_.data) max_abs = std::max(max_abs, std::fabs(v));
    if (!(max_abs > 0) || !std::isfinite(max_abs)) {
        failed_ = done_ = true;
        return;
    }
    const float expansion = 10.0f / max_abs;
    for (std::size_t i = 0; i < out_.rows; ++i) {
        RandomStream rng(o_.seed ^ 0x9015eull, i);
        for (std::size_t c = 0; c < out_.cols; ++c)
            out_.at(i, c) = out_.at(i, c) * expansion + (rng.uniform() - 0.5f) * 2e-4f;
    }
    std::vector<double>().swap(next_);
    done_ = true;
}

bool SpectralInitJob::step(int iterations) {
    int budget = std::max(1, iterations);
    while (!done_ && budget > 0) {
        if (!in_component_) {
            start_component();  // may place a tiny component directly
            continue;
        }
        power_iteration();
        --budget;
    }
    return !done_;
}

std::optional<Matrix> SpectralInitJob::take_result() {
    if (!done_ || failed_) return std::nullopt;
    return std::move(out_);
}

std::optional<Matrix> spectral_init(const SparseGraph& graph, const SpectralInitOptions& options) {
    SpectralInitJob job(graph, options);
    while (job.step(std::numeric_limits<int>::max())) {
    }
    return job.take_result();
}

}  // namespace recluster
