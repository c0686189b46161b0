#include "cluster/kmeans.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>
#include <string>

#include "cluster/label_order.hpp"
#include "common/parallel_for.hpp"
#include "common/random.hpp"
#include "neighbors/distance.hpp"

namespace recluster {

namespace {

constexpr std::size_t kChunk = 2048;  // rows per reduction chunk (fixed: results do not depend on threads)

// Sum of per-chunk doubles in chunk order.
double ordered_sum(const std::vector<double>& parts) {
    double s = 0;
    for (double v : parts) s += v;
    return s;
}

// Nearest centre (ties to the lower index) and its squared distance.
inline int nearest(const float* x, const Matrix& centers, float& best) {
    best = std::numeric_limits<float>::infinity();
    int arg = 0;
    for (std::size_t c = 0; c < centers.rows; ++c) {
        const float d2 = squared_euclidean(x, centers.row(c), centers.cols);
        if (d2 < best) {
            best = d2;
            arg = static_cast<int>(c);
        }
    }
    return arg;
}

// Greedy k-means++ over the rows listed in `rows` (indices into data).
Matrix kmeans_plus_plus(const Matrix& data, const std::vector<std::size_t>& rows, int k, RandomStream& rng,
                        int n_threads) {
    const std::size_t n = rows.size(), d = data.cols;
    Matrix centers(static_cast<std::size_t>(k), d);
    auto set_center = [&](int c, std::size_t row) {
        std::copy(data.row(row), data.row(row) + d, centers.row(static_cast<std::size_t>(c)));
    };
    set_center(0, rows[rng.below(static_cast<std::uint32_t>(n))]);
    std::vector<double> closest(n);
    std::vector<double> parts(chunk_count(n, kChunk));
    parallel_for(n_threads, n, kChunk, [&](int, std::size_t b, std::size_t e) {
        double s = 0;
        for (std::size_t i = b; i < e; ++i) s += closest[i] = squared_euclidean(data.row(rows[i]), centers.row(0), d);
        parts[b / kChunk] = s;
    });
    double potential = ordered_sum(parts);
    const int trials = 2 + static_cast<int>(std::log(static_cast<double>(k)));
    std::vector<std::size_t> candidate(static_cast<std::size_t>(trials));
    std::vector<double> cand_potential(static_cast<std::size_t>(trials) * parts.size());
    for (int c = 1; c < k; ++c) {
        for (int t = 0; t < trials; ++t) {
            std::size_t pick = n - 1;
            if (potential > 0) {
                const double r = static_cast<double>(rng.uniform()) * potential;
                double cum = 0;
                for (std::size_t i = 0; i < n; ++i) {
                    cum += closest[i];
                    if (cum > r) {
                        pick = i;
                        break;
                    }
                }
            } else {
                pick = rng.below(static_cast<std::uint32_t>(n));
            }
            candidate[static_cast<std::size_t>(t)] = pick;
        }
        parallel_for(n_threads, n, kChunk, [&](int, std::size_t b, std::size_t e) {
            for (int t = 0; t < trials; ++t) {
                const float* y = data.row(rows[candidate[static_cast<std::size_t>(t)]]);
                double s = 0;
                for (std::size_t i = b; i < e; ++i)
                    s += std::min(closest[i], static_cast<double>(squared_euclidean(data.row(rows[i]), y, d)));
                cand_potential[static_cast<std::size_t>(t) * parts.size() + b / kChunk] = s;
            }
        });
        int best = 0;
        double best_potential = std::numeric_limits<double>::infinity();
        for (int t = 0; t < trials; ++t) {
            double s = 0;
            for (std::size_t p = 0; p < parts.size(); ++p) s += cand_potential[static_cast<std::size_t>(t) * parts.size() + p];
            if (s < best_potential) {
                best_potential = s;
                best = t;
            }
        }
        const std::size_t chosen = rows[candidate[static_cast<std::size_t>(best)]];
        set_center(c, chosen);
        potential = best_potential;
        parallel_for(n_threads, n, kChunk, [&](int, std::size_t b, std::size_t e) {
            for (std::size_t i = b; i < e; ++i)
                closest[i] = std::min(closest[i], static_cast<double>(squared_euclidean(data.row(rows[i]), centers.row(static_cast<std::size_t>(c)), d)));
        });
    }
    return centers;
}

struct Run {
    Matrix centers;
    std::vector<int> labels;
    double inertia = std::numeric_limits<double>::infinity();
    int n_iter = 0;
};

// Lloyd's iterations from `centers` until the squared centre shift is at most tol_abs.
Run lloyd(const Matrix& data, Matrix centers, const KMeansOptions& o, double tol_abs) {
    const std::size_t n = data.rows, d = data.cols, k = centers.rows;
    const std::size_t chunks = chunk_count(n, kChunk);
    Run run;
    run.labels.assign(n, -1);
    std::vector<float> dist(n);
    std::vector<double> sums(chunks * k * d), counts(chunks * k), inertia(chunks);
    std::vector<int> changed(chunks);
    for (int it = 1; it <= o.max_iter; ++it) {
        // E step + per-chunk sums for the M step.
        parallel_for(o.n_threads, n, kChunk, [&](int, std::size_t b, std::size_t e) {
            const std::size_t ch = b / kChunk;
            double* s = &sums[ch * k * d];
            double* cnt = &counts[ch * k];
            std::fill(s, s + k * d, 0.0);
            std::fill(cnt, cnt + k, 0.0);
            double in = 0;
            int moved = 0;
            for (std::size_t i = b; i < e; ++i) {
                float best;
                const int c = nearest(data.row(i), centers, best);
                moved += c != run.labels[i];
                run.labels[i] = c;
                dist[i] = best;
                in += best;
                cnt[c] += 1;
                const float* x = data.row(i);
                double* sc = s + static_cast<std::size_t>(c) * d;
                for (std::size_t f = 0; f < d; ++f) sc[f] += x[f];
            }
            inertia[ch] = in;
            changed[ch] = moved;
        });
        run.inertia = ordered_sum(inertia);
        run.n_iter = it;
        int moved = 0;
        for (int m : changed) moved += m;
        if (moved == 0) break;  // labels stable: centres are already their means
        // M step: reduce chunks in order.
        std::vector<double> total(k * d, 0.0), count(k, 0.0);
        for (std::size_t ch = 0; ch < chunks; ++ch) {
            for (std::size_t j = 0; j < k * d; ++j) total[j] += sums[ch * k * d + j];
            for (std::size_t c = 0; c < k; ++c) count[c] += counts[ch * k + c];
        }
        // Empty clusters take the rows farthest from their centres (scikit-learn's relocation).
        std::vector<std::size_t> far;
        for (std::size_t c = 0; c < k; ++c)
            if (count[c] == 0) {
                if (far.empty()) {
                    far.resize(n);
                    std::iota(far.begin(), far.end(), std::size_t{0});
                    std::stable_sort(far.begin(), far.end(), [&](std::size_t a, std::size_t b) { return dist[a] > dist[b]; });
                }
            }
        std::size_t next_far = 0;
        double shift = 0;
        for (std::size_t c = 0; c < k; ++c) {
            float* cc = centers.row(c);
            if (count[c] == 0) {
                const float* x = data.row(far[next_far++]);
                for (std::size_t f = 0; f < d; ++f) {
                    shift += static_cast<double>(x[f] - cc[f]) * (x[f] - cc[f]);
                    cc[f] = x[f];
                }
                continue;
            }
            for (std::size_t f = 0; f < d; ++f) {
                const float v = static_cast<float>(total[c * d + f] / count[c]);
                shift += static_cast<double>(v - cc[f]) * (v - cc[f]);
                cc[f] = v;
            }
        }
        if (shift <= tol_abs) {
            // Final assignment to the moved centres.
            run.inertia = assign_to_centers(data, centers, run.labels, o.n_threads);
            break;
        }
    }
    run.centers = std::move(centers);
    return run;
}

// Mini-batch k-means: batches of rows drawn with replacement; each centre moves to the running mean of the
// rows ever assigned to it. Stops after max_iter passes or when the smoothed batch inertia has not improved
// for 10 batches.
Run mini_batch(const Matrix& data, Matrix centers, const KMeansOptions& o, RandomStream& rng) {
    const std::size_t n = data.rows, d = data.cols, k = centers.rows;
    const std::size_t b = std::min(o.batch_size, n);
    const std::size_t steps = std::max<std::size_t>(1, static_cast<std::size_t>(o.max_iter) * n / b);
    std::vector<double> weight(k, 0.0);
    std::vector<std::size_t> batch(b);
    std::vector<int> batch_label(b);
    std::vector<float> batch_dist(b);
    const double alpha = std::min(1.0, 2.0 * static_cast<double>(b) / static_cast<double>(n + 1));
    double ewa = -1, best_ewa = std::numeric_limits<double>::infinity();
    int no_improvement = 0;
    Run run;
    std::size_t step = 0;
    while (step < steps) {
        ++step;
        for (auto& r : batch) r = rng.below(static_cast<std::uint32_t>(n));
        parallel_for(o.n_threads, b, 256, [&](int, std::size_t s, std::size_t e) {
            for (std::size_t j = s; j < e; ++j) batch_label[j] = nearest(data.row(batch[j]), centers, batch_dist[j]);
        });
        double in = 0;
        for (float v : batch_dist) in += v;
        in /= static_cast<double>(b);
        for (std::size_t j = 0; j < b; ++j) {
            const std::size_t c = static_cast<std::size_t>(batch_label[j]);
            weight[c] += 1;
            const double eta = 1.0 / weight[c];
            float* cc = centers.row(c);
            const float* x = data.row(batch[j]);
            for (std::size_t f = 0; f < d; ++f) cc[f] += static_cast<float>(eta * (x[f] - cc[f]));
        }
        ewa = ewa < 0 ? in : ewa * (1 - alpha) + in * alpha;
        if (ewa < best_ewa) {
            best_ewa = ewa;
            no_improvement = 0;
        } else if (++no_improvement >= 10) {
            break;
        }
    }
    run.inertia = assign_to_centers(data, centers, run.labels, o.n_threads);
    run.n_iter = static_cast<int>(step);
    run.centers = std::move(centers);
    return run;
}

}  // namespace

void KMeansOptions::validate(std::size_t rows) const {
    if (k < 1) throw std::invalid_argument("k-means: k must be at least 1 (got " + std::to_string(k) + ")");
    if (static_cast<std::size_t>(k) > rows)
        throw std::invalid_argument("k-means: k = " + std::to_string(k) + " is more than the " + std::to_string(rows) + " rows");
    if (n_init < 1) throw std::invalid_argument("k-means: n_init must be at least 1");
    if (max_iter < 1) throw std::invalid_argument("k-means: max_iter must be at least 1");
    if (!(tol >= 0)) throw std::invalid_argument("k-means: tol must be >= 0");
    if (batch_size < 1) throw std::invalid_argument("k-means: batch_size must be at least 1");
    if (static_cast<std::uint64_t>(rows) > 0xFFFFFFFFull) throw std::invalid_argument("k-means: too many rows");
}

double assign_to_centers(const Matrix& data, const Matrix& centers, std::vector<int>& labels, int n_threads) {
    const std::size_t n = data.rows;
    labels.resize(n);
    std::vector<double> parts(chunk_count(n, kChunk));
    parallel_for(n_threads, n, kChunk, [&](int, std::size_t b, std::size_t e) {
        double s = 0;
        for (std::size_t i = b; i < e; ++i) {
            float best;
            labels[i] = nearest(data.row(i), centers, best);
            s += best;
        }
        parts[b / kChunk] = s;
    });
    return ordered_sum(parts);
}

KMeansResult kmeans(const Matrix& data, const KMeansOptions& o) {
    o.validate(data.rows);
    const std::size_t n = data.rows, d = data.cols;
    KMeansResult result;
    result.mini_batch = o.algorithm == KMeansAlgorithm::MiniBatch ||
                        (o.algorithm == KMeansAlgorithm::Auto && n * d > o.mini_batch_min_cells && n > o.batch_size);
    // Absolute tolerance: tol x mean per-feature variance.
    double mean_var = 0;
    for (std::size_t f = 0; f < d; ++f) {
        double s = 0, s2 = 0;
        for (std::size_t i = 0; i < n; ++i) {
            const double v = data.at(i, f);
            s += v;
            s2 += v * v;
        }
        const double m = s / static_cast<double>(n);
        mean_var += std::max(0.0, s2 / static_cast<double>(n) - m * m);
    }
    const double tol_abs = d ? o.tol * mean_var / static_cast<double>(d) : 0.0;

    Run best;
    for (int restart = 0; restart < o.n_init; ++restart) {
        RandomStream rng(o.seed, 0x6b6d0000ull + static_cast<std::uint64_t>(restart));
        std::vector<std::size_t> rows(n);
        std::iota(rows.begin(), rows.end(), std::size_t{0});
        Run run;
        if (result.mini_batch) {
            // Seed on a random subset (3 batches, at least 3k rows), then stream batches.
            const std::size_t m = std::min(n, std::max(3 * o.batch_size, 3 * static_cast<std::size_t>(o.k)));
            for (std::size_t i = 0; i < m; ++i) std::swap(rows[i], rows[i + rng.below(static_cast<std::uint32_t>(n - i))]);
            rows.resize(m);
            run = mini_batch(data, kmeans_plus_plus(data, rows, o.k, rng, o.n_threads), o, rng);
        } else {
            run = lloyd(data, kmeans_plus_plus(data, rows, o.k, rng, o.n_threads), o, tol_abs);
        }
        if (run.inertia < best.inertia) best = std::move(run);
    }
    // Labels largest cluster first (ties: lower centre index first).
    const std::size_t k = static_cast<std::size_t>(o.k);
    result.labels = std::move(best.labels);
    const LabelOrder order = order_labels_by_size(result.labels, o.k);
    result.sizes = order.sizes;
    result.centers = Matrix(k, d);
    for (std::size_t r = 0; r < k; ++r) {
        const std::size_t c = static_cast<std::size_t>(order.old_of_new[r]);
        std::copy(best.centers.row(c), best.centers.row(c) + d, result.centers.row(r));
    }
    result.inertia = best.inertia;
    result.n_iter = best.n_iter;
    return result;
}

}  // namespace recluster
