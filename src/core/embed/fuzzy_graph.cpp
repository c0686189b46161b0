#include "embed/fuzzy_graph.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "common/parallel_for.hpp"

namespace recluster {

namespace {
constexpr float kMinKDistScale = 1e-3f;  // sigma >= this * mean neighbour distance (as umap-learn)
constexpr int kSearchSteps = 64;
constexpr double kTolerance = 1e-5;
}  // namespace

void FuzzyGraphOptions::validate() const {
    if (!(local_connectivity >= 0)) throw std::invalid_argument("fuzzy_graph: local_connectivity must be >= 0");
    if (!(bandwidth > 0)) throw std::invalid_argument("fuzzy_graph: bandwidth must be > 0");
    if (!(set_op_mix_ratio >= 0 && set_op_mix_ratio <= 1))
        throw std::invalid_argument("fuzzy_graph: set_op_mix_ratio must be in [0, 1]");
    if (n_neighbors < 0) throw std::invalid_argument("fuzzy_graph: n_neighbors must be >= 0");
    if (chunk_rows < 1) throw std::invalid_argument("fuzzy_graph: chunk_rows must be >= 1");
}

FuzzyGraphResult fuzzy_graph(const KnnGraph& knn, const FuzzyGraphOptions& options) {
    options.validate();
    const std::size_t n = knn.n, k = static_cast<std::size_t>(knn.k);
    const int n_neighbors = options.n_neighbors > 0 ? options.n_neighbors : knn.k + 1;
    const double target = std::log2(static_cast<double>(n_neighbors)) * options.bandwidth;
    double global_mean = 0;
    for (float d : knn.distance) global_mean += d;
    global_mean = knn.distance.empty() ? 0.0 : global_mean / static_cast<double>(knn.distance.size());

    FuzzyGraphResult out;
    out.rho.assign(n, 0.0f);
    out.sigma.assign(n, 1.0f);
    std::vector<float> membership(n * k, 0.0f);
    parallel_for(options.n_threads, n, options.chunk_rows, [&](int, std::size_t begin, std::size_t end) {
        std::vector<float> positive;
        for (std::size_t i = begin; i < end; ++i) {
            const float* d = knn.distance.data() + i * k;
            // rho: distance to the local_connectivity-th nearest neighbour at positive distance (interpolated).
            positive.clear();
            for (std::size_t x = 0; x < k; ++x)
                if (d[x] > 0) positive.push_back(d[x]);
            double rho = 0;
            const double lc = options.local_connectivity;
            if (positive.size() >= static_cast<std::size_t>(std::max(1.0, std::floor(lc)))) {
                const std::size_t idx = static_cast<std::size_t>(std::floor(lc));
                const double frac = lc - std::floor(lc);
                if (idx > 0) {
                    rho = positive[idx - 1];
                    if (frac > kTolerance && idx < positive.size()) rho += frac * (positive[idx] - positive[idx - 1]);
                } else {
                    rho = frac * positive[0];
                }
            } else if (!positive.empty()) {
                rho = positive.back();
            }
            // sigma: binary search on the sum of memberships.
            double lo = 0, hi = INFINITY, mid = 1.0;
            for (int step = 0; step < kSearchSteps; ++step) {
                double sum = 0;
                for (std::size_t x = 0; x < k; ++x) {
                    double t = d[x] - rho;
                    sum += t > 0 ? std::exp(-t / mid) : 1.0;
                }
                if (std::fabs(sum - target) < kTolerance) break;
                if (sum > target) {
                    hi = mid;
                    mid = (lo + hi) / 2;
                } else {
                    lo = mid;
                    mid = std::isinf(hi) ? mid * 2 : (lo + hi) / 2;
                }
            }
            double mean_i = 0;
            for (std::size_t x = 0; x < k; ++x) mean_i += d[x];
            mean_i /= static_cast<double>(k);
            const double floor_sigma = kMinKDistScale * (rho > 0 ? mean_i : global_mean);
            if (mid < floor_sigma) mid = floor_sigma;
            out.rho[i] = static_cast<float>(rho);
            out.sigma[i] = static_cast<float>(mid);
            for (std::size_t x = 0; x < k; ++x) {
                double t = d[x] - rho;
                membership[i * k + x] = static_cast<float>(t > 0 ? std::exp(-t / mid) : 1.0);
            }
        }
    });

    // Fuzzy union of the directed graph (row i: its neighbours j with w(i->j)) and its transpose (row i: the
    // rows j that have i as a neighbour, with w(j->i)), merged row by row in column order: O(edges).
    struct Entry {
        int col;
        float w;
    };
    std::vector<Entry> forward(n * k);
    std::vector<std::size_t> fwd_size(n, 0), rev_ptr(n + 1, 0);
    parallel_for(options.n_threads, n, options.chunk_rows, [&](int, std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) {
            Entry* row = forward.data() + i * k;
            std::size_t m = 0;
            for (std::size_t x = 0; x < k; ++x) {
                const int j = knn.index[i * k + x];
                const float w = membership[i * k + x];
                if (j < 0 || static_cast<std::size_t>(j) == i || w <= 0) continue;
                row[m++] = {j, w};
            }
            std::sort(row, row + m, [](const Entry& p, const Entry& q) { return p.col < q.col; });
            fwd_size[i] = m;
        }
    });
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t x = 0; x < fwd_size[i]; ++x) ++rev_ptr[static_cast<std::size_t>(forward[i * k + x].col) + 1];
    for (std::size_t i = 0; i < n; ++i) rev_ptr[i + 1] += rev_ptr[i];
    std::vector<Entry> reverse(rev_ptr[n]);
    {
        std::vector<std::size_t> fill(rev_ptr.begin(), rev_ptr.end() - 1);
        for (std::size_t i = 0; i < n; ++i)  // sources in increasing order: each reverse row is sorted
            for (std::size_t x = 0; x < fwd_size[i]; ++x) {
                const Entry& e = forward[i * k + x];
                reverse[fill[static_cast<std::size_t>(e.col)]++] = {static_cast<int>(i), e.w};
            }
    }
    const double mix = options.set_op_mix_ratio;
    // Merges row i's two sorted lists; emit(col, w) for every column with a positive combined weight.
    const auto merge_row = [&](std::size_t i, auto&& emit) {
        const Entry* f = forward.data() + i * k;
        const Entry* f_end = f + fwd_size[i];
        const Entry* r = reverse.data() + rev_ptr[i];
        const Entry* r_end = reverse.data() + rev_ptr[i + 1];
        while (f != f_end || r != r_end) {
            int col;
            double wf = 0, wb = 0;
            if (r == r_end || (f != f_end && f->col < r->col)) {
                col = f->col;
                wf = (f++)->w;
            } else if (f == f_end || r->col < f->col) {
                col = r->col;
                wb = (r++)->w;
            } else {
                col = f->col;
                wf = (f++)->w;
                wb = (r++)->w;
            }
            const double prod = wf * wb;
            const float w = static_cast<float>(mix * (wf + wb - prod) + (1.0 - mix) * prod);
            if (w > 0) emit(col, w);
        }
    };
    SparseGraph& g = out.graph;
    g.n = n;
    g.row_ptr.assign(n + 1, 0);
    parallel_for(options.n_threads, n, options.chunk_rows, [&](int, std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) {
            std::size_t count = 0;
            merge_row(i, [&](int, float) { ++count; });
            g.row_ptr[i + 1] = count;
        }
    });
    for (std::size_t i = 0; i < n; ++i) g.row_ptr[i + 1] += g.row_ptr[i];
    g.col.resize(g.row_ptr[n]);
    g.weight.resize(g.row_ptr[n]);
    parallel_for(options.n_threads, n, options.chunk_rows, [&](int, std::size_t begin, std::size_t end) {
        for (std::size_t i = begin; i < end; ++i) {
            std::size_t at = g.row_ptr[i];
            merge_row(i, [&](int col, float w) {
                g.col[at] = col;
                g.weight[at] = w;
                ++at;
            });
        }
    });
    return out;
}

}  // namespace recluster
