#include "embed/spectral_init.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

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

// Dot product of two vectors over `rows`, summed in fixed chunks then in chunk order.
double dot(const std::vector<double>& a, const std::vector<double>& b, const SpectralInitOptions& o) {
    const std::size_t n = a.size();
    std::vector<double> partial(chunk_count(n, o.chunk_rows), 0.0);
    parallel_for(o.n_threads, n, o.chunk_rows, [&](int, std::size_t begin, std::size_t end) {
        double s = 0;
        for (std::size_t i = begin; i < end; ++i) s += a[i] * b[i];
        partial[begin / o.chunk_rows] = s;
    });
    double s = 0;
    for (double p : partial) s += p;
    return s;
}

// Leading non-trivial eigenvectors of one component (rows `members`); false if degenerate.
bool component_layout(const SparseGraph& g, const std::vector<std::size_t>& members, const std::vector<int>& local,
                      const SpectralInitOptions& o, std::vector<std::vector<double>>& out) {
    const std::size_t m = members.size();
    const int dim = o.dim;
    std::vector<double> inv_sqrt_deg(m), trivial(m);
    for (std::size_t r = 0; r < m; ++r) {
        const std::size_t v = members[r];
        double deg = 0;
        for (std::size_t e = g.row_ptr[v]; e < g.row_ptr[v + 1]; ++e) deg += g.weight[e];
        if (!(deg > 0)) return false;
        inv_sqrt_deg[r] = 1.0 / std::sqrt(deg);
        trivial[r] = std::sqrt(deg);
    }
    const double tn = std::sqrt(dot(trivial, trivial, o));
    for (double& t : trivial) t /= tn;
    out.assign(dim, std::vector<double>(m));
    for (int c = 0; c < dim; ++c) {
        RandomStream rng(o.seed, 0x5bec7a1ull + static_cast<std::uint64_t>(c));
        for (std::size_t r = 0; r < m; ++r) out[c][r] = rng.uniform() - 0.5;
    }
    std::vector<double> next(m);
    auto orthonormalise = [&](int c) {
        // Remove the trivial vector and the earlier ones, then normalise (modified Gram-Schmidt).
        double p = dot(out[c], trivial, o);
        for (std::size_t r = 0; r < m; ++r) out[c][r] -= p * trivial[r];
        for (int b = 0; b < c; ++b) {
            double q = dot(out[c], out[b], o);
            for (std::size_t r = 0; r < m; ++r) out[c][r] -= q * out[b][r];
        }
        double norm = std::sqrt(dot(out[c], out[c], o));
        if (!(norm > 1e-300)) return false;
        for (double& x : out[c]) x /= norm;
        return true;
    };
    for (int c = 0; c < dim; ++c)
        if (!orthonormalise(c)) return false;
    for (int it = 0; it < o.iterations; ++it) {
        for (int c = 0; c < dim; ++c) {
            // next = (x + M x) / 2 with M = D^-1/2 W D^-1/2: eigenvalues in [0, 1], order kept.
            parallel_for(o.n_threads, m, o.chunk_rows, [&](int, std::size_t begin, std::size_t end) {
                for (std::size_t r = begin; r < end; ++r) {
                    const std::size_t v = members[r];
                    double s = 0;
                    for (std::size_t e = g.row_ptr[v]; e < g.row_ptr[v + 1]; ++e) {
                        const std::size_t u = static_cast<std::size_t>(local[static_cast<std::size_t>(g.col[e])]);
                        s += g.weight[e] * inv_sqrt_deg[u] * out[c][u];
                    }
                    next[r] = 0.5 * (out[c][r] + inv_sqrt_deg[r] * s);
                }
            });
            out[c].swap(next);
        }
        for (int c = 0; c < dim; ++c)
            if (!orthonormalise(c)) return false;
    }
    return true;
}

}  // namespace

std::optional<Matrix> spectral_init(const SparseGraph& g, const SpectralInitOptions& o) {
    if (g.n == 0 || g.edges() == 0 || o.dim < 1) return std::nullopt;
    int n_comp = 0;
    const std::vector<int> label = components(g, n_comp);
    std::vector<std::vector<std::size_t>> members(static_cast<std::size_t>(n_comp));
    std::vector<int> local(g.n);
    for (std::size_t v = 0; v < g.n; ++v) {
        auto& mem = members[static_cast<std::size_t>(label[v])];
        local[v] = static_cast<int>(mem.size());
        mem.push_back(v);
    }
    // Largest components first; each gets a slot on a ring (one component: the centre), sized by its share.
    std::vector<int> order(static_cast<std::size_t>(n_comp));
    for (int c = 0; c < n_comp; ++c) order[static_cast<std::size_t>(c)] = c;
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
        return members[static_cast<std::size_t>(a)].size() > members[static_cast<std::size_t>(b)].size();
    });
    Matrix out(g.n, static_cast<std::size_t>(o.dim));
    const double largest = static_cast<double>(members[static_cast<std::size_t>(order[0])].size());
    for (int slot = 0; slot < n_comp; ++slot) {
        const auto& mem = members[static_cast<std::size_t>(order[static_cast<std::size_t>(slot)])];
        const double radius = std::sqrt(static_cast<double>(mem.size()) / largest);
        std::vector<double> centre(static_cast<std::size_t>(o.dim), 0.0);
        if (n_comp > 1) {
            const double angle = 2.0 * 3.14159265358979323846 * slot / n_comp;
            centre[0] = 3.0 * std::cos(angle);
            if (o.dim > 1) centre[1] = 3.0 * std::sin(angle);
        }
        std::vector<std::vector<double>> vecs;
        const bool ok = mem.size() > static_cast<std::size_t>(o.dim) + 1 && component_layout(g, mem, local, o, vecs);
        if (!ok && n_comp == 1) return std::nullopt;
        for (int c = 0; c < o.dim; ++c) {
            double scale = 0;
            if (ok)
                for (double x : vecs[static_cast<std::size_t>(c)]) scale = std::max(scale, std::fabs(x));
            for (std::size_t r = 0; r < mem.size(); ++r) {
                double x = ok && scale > 0 ? vecs[static_cast<std::size_t>(c)][r] / scale
                                           : (RandomStream(o.seed, mem[r]).uniform() * 2.0 - 1.0);
                out.at(mem[r], static_cast<std::size_t>(c)) = static_cast<float>(centre[static_cast<std::size_t>(c)] + radius * x);
            }
        }
    }
    // Scale to [-10, 10] and add tiny noise (breaks exact ties), as umap-learn does.
    float max_abs = 0;
    for (float v : out.data) max_abs = std::max(max_abs, std::fabs(v));
    if (!(max_abs > 0) || !std::isfinite(max_abs)) return std::nullopt;
    const float expansion = 10.0f / max_abs;
    for (std::size_t i = 0; i < out.rows; ++i) {
        RandomStream rng(o.seed ^ 0x9015eull, i);
        for (std::size_t c = 0; c < out.cols; ++c) out.at(i, c) = out.at(i, c) * expansion + (rng.uniform() - 0.5f) * 2e-4f;
    }
    return out;
}

}  // namespace recluster
