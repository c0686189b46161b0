#include "neighbors/nn_descent.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "common/parallel_for.hpp"
#include "common/random.hpp"
#include "neighbors/neighbor_heap.hpp"

namespace recluster {

namespace {

bool pair_less(float da, int ia, float db, int ib) { return da < db || (da == db && ia < ib); }

// Sift the root of a max-heap slice down after replacing it.
void sift_down(int* idx, float* dist, std::uint8_t* flag, int k) {
    int i = 0;
    for (;;) {
        int l = 2 * i + 1, r = l + 1, m = i;
        if (l < k && pair_less(dist[m], idx[m], dist[l], idx[l])) m = l;
        if (r < k && pair_less(dist[m], idx[m], dist[r], idx[r])) m = r;
        if (m == i) return;
        std::swap(idx[i], idx[m]);
        std::swap(dist[i], dist[m]);
        std::swap(flag[i], flag[m]);
        i = m;
    }
}

// Bounded candidate list: keeps the `cap` entries with the smallest priority (ties by index), no duplicates.
struct CandidateList {
    int* index;
    std::uint64_t* priority;
    int size = 0, cap = 0;
    void offer(int v, std::uint64_t p) {
        for (int x = 0; x < size; ++x)
            if (index[x] == v) return;
        if (size < cap) {
            index[size] = v;
            priority[size] = p;
            ++size;
            return;
        }
        int worst = 0;
        for (int x = 1; x < size; ++x)
            if (priority[x] > priority[worst] || (priority[x] == priority[worst] && index[x] > index[worst])) worst = x;
        if (p < priority[worst] || (p == priority[worst] && v < index[worst])) {
            index[worst] = v;
            priority[worst] = p;
        }
    }
};

}  // namespace

void NnDescentOptions::validate() const {
    if (k < 1) throw std::invalid_argument("nn_descent: k must be >= 1");
    if (max_iterations < 0 || max_candidates < 0) throw std::invalid_argument("nn_descent: negative limits");
    if (!(delta >= 0)) throw std::invalid_argument("nn_descent: delta must be >= 0");
    if (chunk_rows < 1) throw std::invalid_argument("nn_descent: chunk_rows must be >= 1");
}

NnDescentJob::NnDescentJob(const Matrix& data, NnDescentOptions options)
    : rows_(&search_rows(data, options.metric, normalised_)), options_(options) {
    options_.validate();
    if (data.rows < 2) throw std::invalid_argument("nn_descent: need at least 2 rows");
    n_ = rows_->rows;
    d_ = rows_->cols;
    k_ = static_cast<int>(std::min<std::size_t>(static_cast<std::size_t>(options_.k), n_ - 1));
    max_iterations_ = options_.max_iterations > 0
                          ? options_.max_iterations
                          : std::max(5, static_cast<int>(std::lround(std::log2(static_cast<double>(n_)))));
    max_candidates_ = options_.max_candidates > 0 ? options_.max_candidates : std::min(60, k_);
}

double NnDescentJob::progress() const {
    if (done_) return 1.0;
    return static_cast<double>(iteration_) / (max_iterations_ + 1);
}

void NnDescentJob::initialise() {
    const std::size_t k = static_cast<std::size_t>(k_);
    index_.assign(n_ * k, -1);
    dist_.assign(n_ * k, 0.0f);
    is_new_.assign(n_ * k, 1);
    parallel_for(options_.n_threads, n_, options_.chunk_rows, [&](int, std::size_t begin, std::size_t end) {
        NeighborHeap heap(k_);
        std::vector<int> picked;
        for (std::size_t i = begin; i < end; ++i) {
            // k distinct random rows other than i, from this row's own stream.
            RandomStream rng(options_.seed, i);
            picked.clear();
            while (static_cast<int>(picked.size()) < k_) {
                int j = static_cast<int>(rng.below(static_cast<std::uint32_t>(n_)));
                if (static_cast<std::size_t>(j) == i || std::find(picked.begin(), picked.end(), j) != picked.end()) continue;
                picked.push_back(j);
            }
            heap.clear();
            for (int j : picked) heap.push(ranking_distance(options_.metric, rows_->row(i), rows_->row(j), d_), j);
            // Store as a max-heap: descending order is a valid heap layout.
            std::vector<int> idx(k);
            std::vector<float> dist(k);
            heap.sorted_into(idx.data(), dist.data());
            for (std::size_t x = 0; x < k; ++x) {
                index_[i * k + x] = idx[k - 1 - x];
                dist_[i * k + x] = dist[k - 1 - x];
            }
        }
    });
    initialised_ = true;
}

bool NnDescentJob::heap_insert(std::size_t row, float dist, int index) {
    const std::size_t k = static_cast<std::size_t>(k_);
    int* idx = index_.data() + row * k;
    float* dd = dist_.data() + row * k;
    std::uint8_t* flag = is_new_.data() + row * k;
    if (!pair_less(dist, index, dd[0], idx[0])) return false;
    for (std::size_t x = 0; x < k; ++x)
        if (idx[x] == index) return false;
    idx[0] = index;
    dd[0] = dist;
    flag[0] = 1;
    sift_down(idx, dd, flag, k_);
    return true;
}

void NnDescentJob::build_candidates(std::vector<int>& new_c, std::vector<int>& old_c) {
    const std::size_t k = static_cast<std::size_t>(k_), c = static_cast<std::size_t>(max_candidates_);
    new_c.assign(n_ * c, -1);
    old_c.assign(n_ * c, -1);
    std::vector<std::uint64_t> new_p(n_ * c), old_p(n_ * c);
    std::vector<int> new_size(n_, 0), old_size(n_, 0);
    auto list = [&](std::vector<int>& ix, std::vector<std::uint64_t>& pr, std::vector<int>& sz, std::size_t v) {
        CandidateList l{ix.data() + v * c, pr.data() + v * c, sz[v], max_candidates_};
        return l;
    };
    // Forward and reverse candidates. Priorities hash the unordered pair, so an edge seen from both ends is
    // one candidate, and the sample never depends on visiting order. Each task owns a range of rows and scans
    // every edge in order, offering only to its own rows: every row receives its offers in the serial order.
    const std::size_t owned = owner_chunk();
    parallel_for(options_.n_threads, n_, owned, [&](int, std::size_t begin, std::size_t end) {
        for (std::size_t v = 0; v < n_; ++v) {
            const bool own_v = v >= begin && v < end;
            for (std::size_t x = 0; x < k; ++x) {
                const int u = index_[v * k + x];
                if (u < 0) continue;
                const std::size_t uu = static_cast<std::size_t>(u);
                const bool own_u = uu >= begin && uu < end;
                if (!own_v && !own_u) continue;
                const std::uint64_t lo = std::min<std::uint64_t>(v, uu), hi = std::max<std::uint64_t>(v, uu);
                const std::uint64_t p = hash64(options_.seed, static_cast<std::uint64_t>(iteration_) + 1, lo, hi);
                const bool fresh = is_new_[v * k + x] != 0;
                auto& ix = fresh ? new_c : old_c;
                auto& pr = fresh ? new_p : old_p;
                auto& sz = fresh ? new_size : old_size;
                if (own_v) {
                    CandidateList a = list(ix, pr, sz, v);
                    a.offer(u, p);
                    sz[v] = a.size;
                }
                if (own_u) {
                    CandidateList b = list(ix, pr, sz, uu);
                    b.offer(static_cast<int>(v), p);
                    sz[uu] = b.size;
                }
            }
        }
    });
    // Entries sampled as new candidates will have been joined: mark them old.
    parallel_for(options_.n_threads, n_, options_.chunk_rows, [&](int, std::size_t begin, std::size_t end) {
        for (std::size_t v = begin; v < end; ++v) {
            const int* cand = new_c.data() + v * c;
            for (std::size_t x = 0; x < k; ++x) {
                if (!is_new_[v * k + x]) continue;
                if (std::find(cand, cand + new_size[v], index_[v * k + x]) != cand + new_size[v]) is_new_[v * k + x] = 0;
            }
        }
    });
}

std::size_t NnDescentJob::owner_chunk() const {
    const std::size_t t = static_cast<std::size_t>(std::max(1, options_.n_threads));
    return std::max<std::size_t>(1, (n_ + t - 1) / t);
}

void NnDescentJob::join_rows(std::size_t first, std::size_t last) {
    const std::size_t c = static_cast<std::size_t>(max_candidates_);
    const std::size_t chunk = options_.chunk_rows;
    const std::size_t n_chunks = chunk_count(last - first, chunk);
    std::vector<std::vector<Update>> updates(n_chunks);
    parallel_for(options_.n_threads, last - first, chunk, [&](int, std::size_t b, std::size_t e) {
        auto& out = updates[b / chunk];
        for (std::size_t v = first + b; v < first + e; ++v) {
            const int* nw = new_c_.data() + v * c;
            const int* od = old_c_.data() + v * c;
            for (std::size_t a = 0; a < c && nw[a] >= 0; ++a) {
                const int p = nw[a];
                const float* rp = rows_->row(static_cast<std::size_t>(p));
                auto consider = [&](int q) {
                    if (q == p) return;
                    float dist = ranking_distance(options_.metric, rp, rows_->row(static_cast<std::size_t>(q)), d_);
                    if (dist < worst_[static_cast<std::size_t>(p)] || dist < worst_[static_cast<std::size_t>(q)])
                        out.push_back({p, q, dist});
                };
                for (std::size_t b2 = a + 1; b2 < c && nw[b2] >= 0; ++b2) consider(nw[b2]);
                for (std::size_t b2 = 0; b2 < c && od[b2] >= 0; ++b2) consider(od[b2]);
            }
        }
    });
    // Chunks are appended in row order, so the update list does not depend on how rows were sliced.
    for (auto& chunk_updates : updates) pending_.insert(pending_.end(), chunk_updates.begin(), chunk_updates.end());
}

bool NnDescentJob::step(std::size_t budget_rows) {
    if (done_) return false;
    if (!initialised_) {
        initialise();
        return true;
    }
    const std::size_t k = static_cast<std::size_t>(k_);
    if (join_next_ == 0 && !joining_) {
        build_candidates(new_c_, old_c_);
        // Snapshot of every row's current worst distance: joins read only this (heaps change after the join).
        worst_.resize(n_);
        for (std::size_t v = 0; v < n_; ++v) worst_[v] = dist_[v * k];
        pending_.clear();
        joining_ = true;
    }
    // Whole chunks per slice keep chunk boundaries fixed.
    const std::size_t chunk = options_.chunk_rows;
    const std::size_t slice = std::max<std::size_t>(1, budget_rows / chunk) * chunk;
    const std::size_t end = std::min(n_, join_next_ + slice);
    join_rows(join_next_, end);
    join_next_ = end;
    if (join_next_ < n_) return true;
    // Apply the updates: each task owns a range of rows and takes, in list order, the updates that touch them,
    // so every heap sees the serial sequence of inserts whatever the thread count.
    const std::size_t owned = owner_chunk();
    std::vector<std::size_t> changed_by(chunk_count(n_, owned), 0);
    parallel_for(options_.n_threads, n_, owned, [&](int, std::size_t begin, std::size_t end) {
        std::size_t changed = 0;
        for (const auto& u : pending_) {
            const std::size_t p = static_cast<std::size_t>(u.p), q = static_cast<std::size_t>(u.q);
            if (p >= begin && p < end) changed += heap_insert(p, u.dist, u.q);
            if (q >= begin && q < end) changed += heap_insert(q, u.dist, u.p);
        }
        changed_by[begin / owned] = changed;
    });
    std::size_t changed = 0;
    for (std::size_t c : changed_by) changed += c;
    pending_.clear();
    join_next_ = 0;
    joining_ = false;
    last_updates_ = changed;
    ++iteration_;
    const double threshold = static_cast<double>(options_.delta) * static_cast<double>(n_) * k_;
    if (static_cast<double>(last_updates_) <= threshold || iteration_ >= max_iterations_) done_ = true;
    return !done_;
}

KnnGraph NnDescentJob::result() {
    const std::size_t k = static_cast<std::size_t>(k_);
    KnnGraph g;
    g.n = n_;
    g.k = k_;
    g.index.resize(n_ * k);
    g.distance.resize(n_ * k);
    std::vector<std::pair<float, int>> row(k);
    for (std::size_t v = 0; v < n_; ++v) {
        for (std::size_t x = 0; x < k; ++x) row[x] = {dist_[v * k + x], index_[v * k + x]};
        std::sort(row.begin(), row.end());
        for (std::size_t x = 0; x < k; ++x) {
            g.distance[v * k + x] = row[x].first;
            g.index[v * k + x] = row[x].second;
        }
    }
    finish_distances(g, options_.metric);
    return g;
}

KnnGraph nn_descent(const Matrix& data, const NnDescentOptions& options) {
    NnDescentJob job(data, options);
    while (job.step(std::numeric_limits<std::size_t>::max() / 2)) {
    }
    return job.result();
}

}  // namespace recluster
