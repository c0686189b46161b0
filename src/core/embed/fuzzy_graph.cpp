#include "embed/fuzzy_graph.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

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
    for (std::size_t i = 0; i < n; ++i) {
        const float* d = knn.distance.data() + i * k;
        // rho: distance to the local_connectivity-th nearest neighbour at positive distance (interpolated).
        std::vector<float> positive;
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

    // Fuzzy union: pair each directed edge with its reverse by sorting on the unordered pair.
    struct Half {
        int lo, hi;
        bool forward;  // lo -> hi
        float w;
    };
    std::vector<Half> halves;
    halves.reserve(n * k);
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t x = 0; x < k; ++x) {
            int j = knn.index[i * k + x];
            float w = membership[i * k + x];
            if (j < 0 || static_cast<std::size_t>(j) == i || w <= 0) continue;
            int a = static_cast<int>(i);
            halves.push_back({std::min(a, j), std::max(a, j), a < j, w});
        }
    std::sort(halves.begin(), halves.end(), [](const Half& p, const Half& q) {
        return p.lo != q.lo ? p.lo < q.lo : p.hi != q.hi ? p.hi < q.hi : p.forward > q.forward;
    });
    struct Edge {
        int from, to;
        float w;
    };
    std::vector<Edge> edges;
    const double mix = options.set_op_mix_ratio;
    for (std::size_t s = 0; s < halves.size();) {
        double wf = 0, wb = 0;
        std::size_t e = s;
        while (e < halves.size() && halves[e].lo == halves[s].lo && halves[e].hi == halves[s].hi) {
            (halves[e].forward ? wf : wb) = halves[e].w;
            ++e;
        }
        const double prod = wf * wb;
        const float w = static_cast<float>(mix * (wf + wb - prod) + (1.0 - mix) * prod);
        if (w > 0) {
            edges.push_back({halves[s].lo, halves[s].hi, w});
            edges.push_back({halves[s].hi, halves[s].lo, w});
        }
        s = e;
    }
    std::sort(edges.begin(), edges.end(), [](const Edge& p, const Edge& q) {
        return p.from != q.from ? p.from < q.from : p.to < q.to;
    });
    SparseGraph& g = out.graph;
    g.n = n;
    g.row_ptr.assign(n + 1, 0);
    g.col.reserve(edges.size());
    g.weight.reserve(edges.size());
    for (const Edge& e : edges) {
        ++g.row_ptr[static_cast<std::size_t>(e.from) + 1];
        g.col.push_back(e.to);
        g.weight.push_back(e.w);
    }
    for (std::size_t i = 0; i < n; ++i) g.row_ptr[i + 1] += g.row_ptr[i];
    return out;
}

}  // namespace recluster
