#include "metrics/internal_validity.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

#include "common/parallel_for.hpp"
#include "common/random.hpp"
#include "neighbors/distance.hpp"

namespace recluster {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Clustered rows and their labels renumbered 0..k-1 (order of first appearance of each label value sorted).
struct Clustered {
    std::vector<std::size_t> rows;
    std::vector<int> label;  // per clustered row, 0..k-1
    int k = 0;
};

Clustered clustered_rows(const Matrix& x, const std::vector<int>& labels) {
    if (labels.size() != x.rows) throw std::invalid_argument("validity: labels and rows differ in length");
    Clustered c;
    int max_label = -1;
    for (int l : labels) max_label = std::max(max_label, l);
    std::vector<int> id(static_cast<std::size_t>(max_label + 1), -1);
    for (int l : labels)
        if (l >= 0) id[static_cast<std::size_t>(l)] = 0;
    for (auto& v : id)
        if (v == 0) v = c.k++;
    for (std::size_t i = 0; i < labels.size(); ++i)
        if (labels[i] >= 0) {
            c.rows.push_back(i);
            c.label.push_back(id[static_cast<std::size_t>(labels[i])]);
        }
    return c;
}

// Per-cluster centroids (double) and sizes.
void centroids(const Matrix& x, const Clustered& c, std::vector<double>& mean, std::vector<double>& size) {
    const std::size_t d = x.cols, k = static_cast<std::size_t>(c.k);
    mean.assign(k * d, 0.0);
    size.assign(k, 0.0);
    for (std::size_t j = 0; j < c.rows.size(); ++j) {
        const std::size_t l = static_cast<std::size_t>(c.label[j]);
        size[l] += 1;
        for (std::size_t f = 0; f < d; ++f) mean[l * d + f] += x.at(c.rows[j], f);
    }
    for (std::size_t l = 0; l < k; ++l)
        for (std::size_t f = 0; f < d; ++f) mean[l * d + f] /= size[l];
}

}  // namespace

std::vector<std::size_t> silhouette_rows(const std::vector<int>& labels, const SilhouetteOptions& o) {
    std::vector<std::size_t> rows;
    for (std::size_t i = 0; i < labels.size(); ++i)
        if (labels[i] >= 0) rows.push_back(i);
    const std::size_t m = rows.size();
    if (m > o.exact_max_rows && o.sample_size < m) {
        // Seeded partial Fisher-Yates over the clustered rows.
        RandomStream rng(o.seed, 0x51e7ull);
        for (std::size_t i = 0; i < o.sample_size; ++i) {
            const std::size_t j = i + static_cast<std::size_t>(rng.uniform() * static_cast<double>(m - i));
            std::swap(rows[i], rows[std::min(j, m - 1)]);
        }
        rows.resize(o.sample_size);
        std::sort(rows.begin(), rows.end());
    }
    return rows;
}

std::vector<double> silhouette_widths(const Matrix& x, const std::vector<int>& labels, const std::vector<std::size_t>& which,
                                      int n_threads) {
    const Clustered c = clustered_rows(x, labels);
    const std::size_t m = c.rows.size();
    std::vector<double> width(which.size(), 0.0);
    if (c.k < 2 || c.k >= static_cast<int>(m)) {
        std::fill(width.begin(), width.end(), kNaN);
        return width;
    }
    std::vector<double> size(static_cast<std::size_t>(c.k), 0.0);
    for (int l : c.label) size[static_cast<std::size_t>(l)] += 1;
    std::vector<int> id(labels.size(), -1);  // row -> renumbered label
    for (std::size_t j = 0; j < m; ++j) id[c.rows[j]] = c.label[j];
    parallel_for(n_threads, which.size(), 64, [&](int, std::size_t begin, std::size_t end) {
        std::vector<double> sum(static_cast<std::size_t>(c.k));
        for (std::size_t w = begin; w < end; ++w) {
            std::fill(sum.begin(), sum.end(), 0.0);
            const float* xa = x.row(which[w]);
            for (std::size_t b = 0; b < m; ++b)
                sum[static_cast<std::size_t>(c.label[b])] += std::sqrt(static_cast<double>(squared_euclidean(xa, x.row(c.rows[b]), x.cols)));
            const std::size_t own = static_cast<std::size_t>(id[which[w]]);
            if (size[own] <= 1) continue;  // a singleton cluster's rows have width 0 (scikit-learn)
            const double in = sum[own] / (size[own] - 1);
            double out = std::numeric_limits<double>::infinity();
            for (std::size_t l = 0; l < sum.size(); ++l)
                if (l != own) out = std::min(out, sum[l] / size[l]);
            const double denom = std::max(in, out);
            width[w] = denom > 0 ? (out - in) / denom : 0.0;
        }
    });
    return width;
}

Silhouette silhouette(const Matrix& x, const std::vector<int>& labels, const SilhouetteOptions& o) {
    if (labels.size() != x.rows) throw std::invalid_argument("validity: labels and rows differ in length");
    Silhouette s;
    const std::vector<std::size_t> rows = silhouette_rows(labels, o);
    std::size_t clustered = 0;
    for (int l : labels) clustered += l >= 0;
    s.sampled = rows.size() < clustered;
    const std::vector<double> width = silhouette_widths(x, labels, rows, o.n_threads);
    if (width.empty() || std::isnan(width[0])) {
        s.mean = kNaN;
        return s;
    }
    double total = 0;
    for (double v : width) total += v;  // fixed order: same result for any thread count
    s.mean = total / static_cast<double>(width.size());
    s.rows_used = width.size();
    return s;
}

double davies_bouldin(const Matrix& x, const std::vector<int>& labels) {
    const Clustered c = clustered_rows(x, labels);
    if (c.k < 2) return kNaN;
    const std::size_t d = x.cols, k = static_cast<std::size_t>(c.k);
    std::vector<double> mean, size;
    centroids(x, c, mean, size);
    std::vector<double> scatter(k, 0.0);  // mean distance of a cluster's rows to its centroid
    for (std::size_t j = 0; j < c.rows.size(); ++j) {
        const std::size_t l = static_cast<std::size_t>(c.label[j]);
        double s2 = 0;
        for (std::size_t f = 0; f < d; ++f) {
            const double t = x.at(c.rows[j], f) - mean[l * d + f];
            s2 += t * t;
        }
        scatter[l] += std::sqrt(s2);
    }
    for (std::size_t l = 0; l < k; ++l) scatter[l] /= size[l];
    double total = 0;
    for (std::size_t a = 0; a < k; ++a) {
        double worst = 0;
        for (std::size_t b = 0; b < k; ++b) {
            if (a == b) continue;
            double s2 = 0;
            for (std::size_t f = 0; f < d; ++f) {
                const double t = mean[a * d + f] - mean[b * d + f];
                s2 += t * t;
            }
            const double sep = std::sqrt(s2);
            worst = std::max(worst, sep > 0 ? (scatter[a] + scatter[b]) / sep : 0.0);
        }
        total += worst;
    }
    return total / static_cast<double>(k);
}

double calinski_harabasz(const Matrix& x, const std::vector<int>& labels) {
    const Clustered c = clustered_rows(x, labels);
    const std::size_t m = c.rows.size();
    if (c.k < 2 || static_cast<std::size_t>(c.k) >= m) return kNaN;
    const std::size_t d = x.cols, k = static_cast<std::size_t>(c.k);
    std::vector<double> mean, size;
    centroids(x, c, mean, size);
    std::vector<double> overall(d, 0.0);
    for (std::size_t j = 0; j < m; ++j)
        for (std::size_t f = 0; f < d; ++f) overall[f] += x.at(c.rows[j], f);
    for (double& v : overall) v /= static_cast<double>(m);
    double between = 0, within = 0;
    for (std::size_t l = 0; l < k; ++l)
        for (std::size_t f = 0; f < d; ++f) {
            const double t = mean[l * d + f] - overall[f];
            between += size[l] * t * t;
        }
    for (std::size_t j = 0; j < m; ++j) {
        const std::size_t l = static_cast<std::size_t>(c.label[j]);
        for (std::size_t f = 0; f < d; ++f) {
            const double t = x.at(c.rows[j], f) - mean[l * d + f];
            within += t * t;
        }
    }
    if (within == 0) return 1.0;  // scikit-learn's convention
    return between * static_cast<double>(m - k) / (within * static_cast<double>(k - 1));
}

}  // namespace recluster
