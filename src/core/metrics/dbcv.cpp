#include "metrics/dbcv.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "common/parallel_for.hpp"
#include "common/random.hpp"
#include "neighbors/distance.hpp"

namespace recluster {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

inline double dist(const Matrix& x, std::size_t a, std::size_t b) {
    return std::sqrt(static_cast<double>(squared_euclidean(x.row(a), x.row(b), x.cols)));
}

// All-points core distance of row `a` within `members`. Small dimensions use powers directly; larger ones work
// in the log domain (dist^-d overflows doubles for d in the hundreds).
double core_distance(const Matrix& x, std::size_t a, const std::vector<std::size_t>& members) {
    const std::size_t n = members.size();
    if (n < 2) return 0.0;
    const double dims = static_cast<double>(x.cols);
    if (x.cols <= 8) {
        double sum = 0;
        for (std::size_t b : members) {
            if (b == a) continue;
            const double d2 = static_cast<double>(squared_euclidean(x.row(a), x.row(b), x.cols));
            if (d2 <= 0) continue;  // duplicates contribute nothing
            const double inv2 = 1.0 / d2;
            double p = 1;
            for (std::size_t k = 0; k < x.cols / 2; ++k) p *= inv2;
            if (x.cols % 2) p *= std::sqrt(inv2);
            sum += p;
        }
        if (sum <= 0) return 0.0;
        return std::pow(sum / static_cast<double>(n - 1), -1.0 / dims);
    }
    double top = -kInf, s = 0;  // running log-sum-exp of -d log dist
    for (std::size_t b : members) {
        if (b == a) continue;
        const double dd = dist(x, a, b);
        if (dd <= 0) continue;
        const double v = -dims * std::log(dd);
        if (v > top) {
            s = s * std::exp(top - v) + 1;
            top = v;
        } else {
            s += std::exp(v - top);
        }
    }
    if (s <= 0) return 0.0;
    const double log_mean = top + std::log(s) - std::log(static_cast<double>(n - 1));
    return std::exp(-log_mean / dims);
}

}  // namespace

Dbcv dbcv(const Matrix& x, const std::vector<int>& labels, const DbcvOptions& o) {
    if (labels.size() != x.rows) throw std::invalid_argument("DBCV: labels and rows differ in length");
    Dbcv out;
    int max_label = -1;
    for (int l : labels) max_label = std::max(max_label, l);
    const std::size_t k = static_cast<std::size_t>(max_label + 1);
    std::vector<std::vector<std::size_t>> members(k);
    for (std::size_t i = 0; i < labels.size(); ++i)
        if (labels[i] >= 0) members[static_cast<std::size_t>(labels[i])].push_back(i);
    std::vector<std::size_t> full_size(k);
    std::size_t clustered = 0, non_empty = 0;
    for (std::size_t c = 0; c < k; ++c) {
        full_size[c] = members[c].size();
        clustered += full_size[c];
        non_empty += full_size[c] > 0;
    }
    out.per_cluster.assign(k, kNaN);
    if (non_empty < 2) {
        out.score = kNaN;
        out.rows_used = clustered;
        return out;
    }
    // Proportional seeded sample of each cluster when the clustered rows are too many.
    if (clustered > o.exact_max_rows) {
        out.sampled = true;
        const double frac = static_cast<double>(o.exact_max_rows) / static_cast<double>(clustered);
        for (std::size_t c = 0; c < k; ++c) {
            auto& m = members[c];
            const std::size_t keep = std::min(m.size(), std::max<std::size_t>(3, static_cast<std::size_t>(std::ceil(frac * static_cast<double>(m.size())))));
            RandomStream rng(o.seed, 0xdbc0000ull + c);
            for (std::size_t i = 0; i < keep; ++i)
                std::swap(m[i], m[i + rng.below(static_cast<std::uint32_t>(m.size() - i))]);
            m.resize(keep);
            std::sort(m.begin(), m.end());
        }
    }
    for (const auto& m : members) out.rows_used += m.size();

    // Core distances, per cluster.
    std::vector<double> core(x.rows, 0.0);
    std::vector<std::pair<std::size_t, std::size_t>> tasks;  // (cluster, index in members)
    for (std::size_t c = 0; c < k; ++c)
        for (std::size_t j = 0; j < members[c].size(); ++j) tasks.emplace_back(c, j);
    parallel_for(o.n_threads, tasks.size(), 32, [&](int, std::size_t b, std::size_t e) {
        for (std::size_t t = b; t < e; ++t) {
            const auto& m = members[tasks[t].first];
            core[m[tasks[t].second]] = core_distance(x, m[tasks[t].second], m);
        }
    });
    auto mreach = [&](std::size_t a, std::size_t b) { return std::max({core[a], core[b], dist(x, a, b)}); };

    // Per cluster: mutual-reachability MST (Prim, dense), internal vertices, sparseness.
    std::vector<std::vector<std::size_t>> internal(k);
    std::vector<double> sparseness(k, 0.0);
    parallel_for(o.n_threads, k, 1, [&](int, std::size_t b, std::size_t e) {
        for (std::size_t c = b; c < e; ++c) {
            const auto& m = members[c];
            const std::size_t n = m.size();
            if (n == 0) continue;
            std::vector<double> best(n, kInf);
            std::vector<std::size_t> parent(n, 0);
            std::vector<char> in_tree(n, 0);
            std::vector<int> degree(n, 0);
            std::vector<std::pair<std::size_t, std::size_t>> edges;
            std::vector<double> weight;
            std::size_t cur = 0;
            in_tree[0] = 1;
            for (std::size_t step = 1; step < n; ++step) {
                std::size_t next = n;
                for (std::size_t j = 0; j < n; ++j) {
                    if (in_tree[j]) continue;
                    const double w = mreach(m[cur], m[j]);
                    if (w < best[j]) {
                        best[j] = w;
                        parent[j] = cur;
                    }
                    if (next == n || best[j] < best[next]) next = j;
                }
                in_tree[next] = 1;
                edges.emplace_back(parent[next], next);
                weight.push_back(best[next]);
                ++degree[parent[next]];
                ++degree[next];
                cur = next;
            }
            std::vector<char> is_internal(n, 0);
            bool any = false;
            for (std::size_t j = 0; j < n; ++j)
                if (degree[j] > 1) is_internal[j] = 1, any = true;
            if (!any) std::fill(is_internal.begin(), is_internal.end(), 1);
            for (std::size_t j = 0; j < n; ++j)
                if (is_internal[j]) internal[c].push_back(m[j]);
            double dsc = -1;
            for (std::size_t t = 0; t < edges.size(); ++t)
                if (is_internal[edges[t].first] && is_internal[edges[t].second]) dsc = std::max(dsc, weight[t]);
            if (dsc < 0)  // no edge between internal vertices: the largest edge (as the authors' reference code)
                for (double w : weight) dsc = std::max(dsc, w);
            sparseness[c] = std::max(dsc, 0.0);
        }
    });

    // Separation: smallest mutual reachability between internal vertices of two clusters.
    std::vector<double> separation(k * k, kInf);
    parallel_for(o.n_threads, k, 1, [&](int, std::size_t b, std::size_t e) {
        for (std::size_t c = b; c < e; ++c)
            for (std::size_t c2 = 0; c2 < k; ++c2) {
                if (c2 == c || internal[c].empty() || internal[c2].empty()) continue;
                double best = kInf;
                for (std::size_t a : internal[c])
                    for (std::size_t b2 : internal[c2]) best = std::min(best, mreach(a, b2));
                separation[c * k + c2] = best;
            }
    });
    double score = 0;
    for (std::size_t c = 0; c < k; ++c) {
        if (full_size[c] == 0) continue;
        double sep = kInf;
        for (std::size_t c2 = 0; c2 < k; ++c2)
            if (c2 != c) sep = std::min(sep, separation[c * k + c2]);
        const double denom = std::max(sep, sparseness[c]);
        const double v = denom > 0 && std::isfinite(denom) ? (sep - sparseness[c]) / denom : 0.0;
        out.per_cluster[c] = v;
        score += static_cast<double>(full_size[c]) / static_cast<double>(x.rows) * v;
    }
    out.score = score;
    return out;
}

}  // namespace recluster
