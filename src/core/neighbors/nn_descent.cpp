#include "neighbors/nn_descent.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "common/parallel_for.hpp"
#include "common/random.hpp"
#include "neighbors/rp_tree.hpp"

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
    if (options_.rp_trees >= 0) {
        rp_trees_ = options_.rp_trees;
    } else if (n_ >= 2000) {
        rp_trees_ = std::min(16, 4 + static_cast<int>(std::lround(std::pow(static_cast<double>(n_), 0.25) / 4.0)));
    }
    leaf_size_ = options_.leaf_size > 0 ? static_cast<std::size_t>(options_.leaf_size)
                                        : std::max<std::size_t>(32, 2 * static_cast<std::size_t>(k_));
}

double NnDescentJob::progress() const {
    if (done_) return 1.0;
    if (!initialised_) return rp_trees_ > 0 ? 0.5 * trees_done_ / rp_trees_ / (max_iterations_ + 1) : 0.0;
    return static_cast<double>(iteration_ + 1) / (max_iterations_ + 1);
}

void NnDescentJob::clear_heaps() {
    const std::size_t k = static_cast<std::size_t>(k_);
    index_.assign(n_ * k, -1);
    dist_.assign(n_ * k, std::numeric_limits<float>::infinity());
    is_new_.assign(n_ * k, 1);
}

void NnDescentJob::initialise() {
    if (rp_trees_ == 0) clear_heaps();  // k distinct random rows per row
    parallel_for(options_.n_threads, n_, options_.chunk_rows,
                 [&](int, std::size_t begin, std::size_t end) { fill_from_random(begin, end); });
    initialised_ = true;
}

void NnDescentJob::fill_from_random(std::size_t begin, std::size_t end) {
    const std::size_t k = static_cast<std::size_t>(k_);
    std::vector<std::pair<float, int>> kept;
    for (std::size_t i = begin; i < end; ++i) {
        int* idx = index_.data() + i * k;
        if (idx[0] >= 0 && std::find(idx, idx + k, -1) == idx + k) continue;
        float* dd = dist_.data() + i * k;
        kept.clear();
        for (std::size_t x = 0; x < k; ++x)
            if (idx[x] >= 0) kept.push_back({dd[x], idx[x]});
        // Distinct random rows other than i and the kept ones, from this row's own stream.
        RandomStream rng(options_.seed, i);
        while (kept.size() < k) {
            const int j = static_cast<int>(rng.below(static_cast<std::uint32_t>(n_)));
            if (static_cast<std::size_t>(j) == i ||
                std::find_if(kept.begin(), kept.end(), [j](const auto& e) { return e.second == j; }) != kept.end())
                continue;
            kept.push_back({ranking_distance(options_.metric, rows_->row(i), rows_->row(static_cast<std::size_t>(j)), d_), j});
        }
        // Descending (distance, index) is a valid max-heap layout.
        std::sort(kept.begin(), kept.end(), [](const auto& x, const auto& y) { return pair_less(y.first, y.second, x.first, x.second); });
        for (std::size_t x = 0; x < k; ++x) {
            idx[x] = kept[x].second;
            dd[x] = kept[x].first;
            is_new_[i * k + x] = 1;
        }
    }
}

bool NnDescentJob::initialise_forest_step() {
    const std::size_t k = static_cast<std::size_t>(k_);
    if (trees_done_ == 0) clear_heaps();
    // One tree per thread per step: trees are built in parallel, then their leaves joined in tree order.
    const int batch = std::min(rp_trees_ - trees_done_, std::max(1, options_.n_threads));
    std::vector<RpLeaves> trees(static_cast<std::size_t>(batch));
    parallel_for(options_.n_threads, trees.size(), 1, [&](int, std::size_t b, std::size_t e) {
        for (std::size_t t = b; t < e; ++t)
            trees[t] = rp_tree_leaves(*rows_, leaf_size_, options_.seed, static_cast<std::uint64_t>(trees_done_) + t);
    });
    const std::size_t leaf_chunk = std::max<std::size_t>(1, options_.chunk_rows / leaf_size_);
    const std::size_t block = leaf_chunk * std::max<std::size_t>(1, kJoinBlockRows / (leaf_chunk * leaf_size_));
    for (auto& tree : trees) {
        // Pairs within each leaf, kept if they could enter either heap as it stands at the block's start.
        produce_and_apply(0, tree.leaves(), leaf_chunk, block, [&](std::size_t first, std::size_t last, std::vector<Update>& out) {
            for (std::size_t leaf = first; leaf < last; ++leaf) {
                const int* r = tree.rows.data() + tree.offsets[leaf];
                const std::size_t m = tree.offsets[leaf + 1] - tree.offsets[leaf];
                for (std::size_t i = 0; i < m; ++i) {
                    const std::size_t p = static_cast<std::size_t>(r[i]);
                    const float* rp = rows_->row(p);
                    for (std::size_t j = i + 1; j < m; ++j) {
                        const std::size_t q = static_cast<std::size_t>(r[j]);
                        const float dist = ranking_distance(options_.metric, rp, rows_->row(q), d_);
                        // The test heap_insert starts with: what fails it now would fail it later too (a heap's
                        // worst only improves), so blocks and chunking cannot change the result.
                        if (pair_less(dist, r[j], dist_[p * k], index_[p * k]) || pair_less(dist, r[i], dist_[q * k], index_[q * k]))
                            out.push_back({r[i], r[j], dist});
                    }
                }
            }
        });
    }
    trees_done_ += batch;
    return trees_done_ >= rp_trees_;
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

template <class Produce>
void NnDescentJob::produce_and_apply(std::size_t first, std::size_t last, std::size_t chunk, std::size_t block, Produce produce) {
    for (std::size_t b = first; b < last; b += block) {
        const std::size_t e = std::min(last, b + block);
        const std::size_t n_chunks = chunk_count(e - b, chunk);
        if (updates_.size() < n_chunks) updates_.resize(n_chunks);
        parallel_for(options_.n_threads, e - b, chunk, [&](int, std::size_t cb, std::size_t ce) {
            auto& out = updates_[cb / chunk];
            out.clear();
            produce(b + cb, b + ce, out);
        });
        apply_updates(n_chunks);
    }
}

void NnDescentJob::join_rows(std::size_t first, std::size_t last) {
    // Joins read only the candidates and the worst-distance snapshot, never the heaps, so the updates of a block
    // of rows can be applied as soon as the block is joined: every heap still sees its inserts in the serial
    // (row) order, and only one block's updates are ever held (a whole iteration's took ~2 KB per row).
    const std::size_t c = static_cast<std::size_t>(max_candidates_);
    const std::size_t chunk = options_.chunk_rows;
    const std::size_t block = chunk * std::max<std::size_t>(1, kJoinBlockRows / chunk);
    produce_and_apply(first, last, chunk, block, [&](std::size_t begin, std::size_t end, std::vector<Update>& out) {
        for (std::size_t v = begin; v < end; ++v) {
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
}

void NnDescentJob::apply_updates(std::size_t n_chunks) {
    // Each task owns a range of rows and takes, in chunk (= row) order, the updates that touch them, so every heap
    // sees the serial sequence of inserts whatever the thread count.
    const std::size_t owned = owner_chunk();
    std::vector<std::size_t> changed_by(chunk_count(n_, owned), 0);
    parallel_for(options_.n_threads, n_, owned, [&](int, std::size_t begin, std::size_t end) {
        std::size_t changed = 0;
        for (std::size_t ch = 0; ch < n_chunks; ++ch) {
            for (const auto& u : updates_[ch]) {
                const std::size_t p = static_cast<std::size_t>(u.p), q = static_cast<std::size_t>(u.q);
                if (p >= begin && p < end) changed += heap_insert(p, u.dist, u.q);
                if (q >= begin && q < end) changed += heap_insert(q, u.dist, u.p);
            }
        }
        changed_by[begin / owned] = changed;
    });
    for (std::size_t c : changed_by) changed_this_iteration_ += c;
}

bool NnDescentJob::step(std::size_t budget_rows) {
    if (done_) return false;
    if (!initialised_) {
        if (rp_trees_ == 0 || initialise_forest_step()) initialise();
        return true;
    }
    const std::size_t k = static_cast<std::size_t>(k_);
    if (join_next_ == 0 && !joining_) {
        build_candidates(new_c_, old_c_);
        // Snapshot of every row's current worst distance: joins read only this (heaps change during the join).
        worst_.resize(n_);
        for (std::size_t v = 0; v < n_; ++v) worst_[v] = dist_[v * k];
        changed_this_iteration_ = 0;
        joining_ = true;
    }
    // Whole chunks per slice keep chunk boundaries fixed.
    const std::size_t chunk = options_.chunk_rows;
    const std::size_t slice = std::max<std::size_t>(1, budget_rows / chunk) * chunk;
    const std::size_t end = std::min(n_, join_next_ + slice);
    join_rows(join_next_, end);
    join_next_ = end;
    if (join_next_ < n_) return true;
    join_next_ = 0;
    joining_ = false;
    last_updates_ = changed_this_iteration_;
    ++iteration_;
    const double threshold = static_cast<double>(options_.delta) * static_cast<double>(n_) * k_;
    if (static_cast<double>(last_updates_) <= threshold || iteration_ >= max_iterations_) done_ = true;
    if (done_) {
        // Free the iteration's working memory before the graph is built from the heaps.
        std::vector<int>().swap(new_c_);
        std::vector<int>().swap(old_c_);
        std::vector<float>().swap(worst_);
        std::vector<std::vector<Update>>().swap(updates_);
    }
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
