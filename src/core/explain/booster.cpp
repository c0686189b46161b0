#include "explain/booster.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "common/parallel_for.hpp"
#include "common/random.hpp"
#include "common/json_text.hpp"

namespace recluster {

namespace {
constexpr double kMinGain = 1e-6;  // below this a split is numerical noise (XGBoost's kRtEps)
constexpr std::size_t kFeatureChunk = 16;
constexpr std::size_t kRowsPerBlock = 1024;  // rows summed in single precision before adding to the histogram
constexpr std::size_t kMaxBlocks = 8;        // blocks summed at once (their scratch histograms)

double sigmoid(double m) { return 1.0 / (1.0 + std::exp(-m)); }

double log_loss(double margin, int y) {
    // -log(sigmoid(m)) = log(1 + e^-m), written so large |m| neither overflows nor loses precision.
    const double z = y ? -margin : margin;
    return z > 0 ? z + std::log1p(std::exp(-z)) : std::log1p(std::exp(z));
}

// A uniform number in [0, 1) for (seed, stream, index).
double unit(std::uint64_t seed, std::uint64_t stream, std::uint64_t index) {
    return static_cast<double>(hash64(seed, stream, index) >> 11) * (1.0 / 9007199254740992.0);
}
}  // namespace

void BoosterOptions::validate() const {
    if (n_rounds < 1) throw std::invalid_argument("boosting: n_rounds must be >= 1");
    if (max_depth < 1 || max_depth > 16) throw std::invalid_argument("boosting: max_depth must be from 1 to 16");
    if (!(eta > 0) || eta > 1) throw std::invalid_argument("boosting: eta must be in (0, 1]");
    if (!(min_child_weight >= 0)) throw std::invalid_argument("boosting: min_child_weight must be >= 0");
    if (!(lambda >= 0)) throw std::invalid_argument("boosting: lambda must be >= 0");
    if (!(gamma >= 0)) throw std::invalid_argument("boosting: gamma must be >= 0");
    if (!(subsample > 0) || subsample > 1) throw std::invalid_argument("boosting: subsample must be in (0, 1]");
    if (!(colsample_bytree > 0) || colsample_bytree > 1)
        throw std::invalid_argument("boosting: colsample_bytree must be in (0, 1]");
    if (early_stopping_rounds < 0) throw std::invalid_argument("boosting: early_stopping_rounds must be >= 0");
    if (!(validation_fraction >= 0) || validation_fraction >= 1)
        throw std::invalid_argument("boosting: validation_fraction must be in [0, 1)");
    if (!(base_score > 0) || !(base_score < 1)) throw std::invalid_argument("boosting: base_score must be in (0, 1)");
}

double BoosterModel::base_margin() const { return std::log(base_score / (1.0 - base_score)); }

double BoosterModel::margin(const float* x) const {
    double m = base_margin();
    for (const auto& t : trees) m += t.predict(x);
    return m;
}

double BoosterModel::probability(const float* x) const { return sigmoid(margin(x)); }

int RegressionTree::depth() const {
    std::vector<int> d(nodes.size(), 0);
    int deepest = 0;
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        deepest = std::max(deepest, d[i]);
        if (!nodes[i].is_leaf()) d[static_cast<std::size_t>(nodes[i].left)] = d[static_cast<std::size_t>(nodes[i].right)] = d[i] + 1;
    }
    return deepest;
}

BoosterJob::BoosterJob(const FeatureBins& bins, const BinnedMatrix& binned, std::vector<std::uint8_t> labels,
                       BoosterOptions options, const std::vector<std::size_t>& rows)
    : bins_(bins), binned_(binned), labels_(std::move(labels)), options_(options) {
    options_.validate();
    if (binned_.cols != bins_.features()) throw std::invalid_argument("boosting: bins and binned matrix differ");
    if (labels_.size() != binned_.rows) throw std::invalid_argument("boosting: one label per row is needed");
    const std::size_t n = binned_.rows;
    for (std::size_t r : rows)
        if (r >= n) throw std::invalid_argument("boosting: a training row is out of range");
    if ((rows.empty() ? n : rows.size()) < 2) throw std::invalid_argument("boosting: need at least 2 rows");
    const auto take_part = [&](const auto& visit) {
        if (rows.empty())
            for (std::size_t r = 0; r < n; ++r) visit(r);
        else
            for (std::size_t r : rows) visit(r);
    };
    // Stratified held-out split: in each class, the rows with the smallest hashes.
    for (int cls = 0; cls < 2; ++cls) {
        std::vector<std::pair<std::uint64_t, std::size_t>> order;
        take_part([&](std::size_t r) {
            if (labels_[r] == cls) order.emplace_back(hash64(options_.seed, 0x5A11D, r), r);
        });
        std::sort(order.begin(), order.end());
        std::size_t k = static_cast<std::size_t>(std::floor(options_.validation_fraction * static_cast<double>(order.size()) + 0.5));
        if (k >= order.size()) k = order.size() > 1 ? order.size() - 1 : 0;  // keep a training row of the class
        for (std::size_t i = 0; i < order.size(); ++i) (i < k ? valid_ : train_).push_back(order[i].second);
        report_.positives += cls == 1 ? order.size() : 0;
    }
    std::sort(train_.begin(), train_.end());
    std::sort(valid_.begin(), valid_.end());
    report_.train_rows = train_.size();
    report_.validation_rows = valid_.size();
    model_.n_features = binned_.cols;
    model_.base_score = static_cast<float>(options_.base_score);  // a float, as XGBoost's
    margin_.assign(n, model_.base_margin());
    grad_.assign(n, 0.0);
    hess_.assign(n, 0.0);
    offset_.assign(binned_.cols, 0);
    for (std::size_t f = 0; f < binned_.cols; ++f) {
        if (bins_.n_bins(f) < 2) continue;
        active_.push_back(static_cast<int>(f));
        // n_bins cells per feature and one more for the rows whose value is missing.
        offset_[f] = total_bins_;
        total_bins_ += static_cast<std::size_t>(bins_.n_bins(f)) + 1;
    }
}

double BoosterJob::progress() const {
    return done_ ? 1.0 : static_cast<double>(round_) / static_cast<double>(options_.n_rounds);
}

void BoosterJob::accumulate(std::size_t begin, std::size_t end, float* hist) const {
    const std::size_t nf = round_features_.size();
    const int* feature = round_features_.data();
    const std::size_t* cells = round_cells_.data();
    const std::uint8_t* last = round_last_bin_.data();
    for (std::size_t i = begin; i < end; ++i) {
        const std::size_t r = rows_[i];
        const std::uint8_t* b = binned_.row(r);
        const float g = static_cast<float>(grad_[r]), h = static_cast<float>(hess_[r]);
        for (std::size_t k = 0; k < nf; ++k) {
            // The missing code (255) lands in the feature's extra cell after its last bin.
            const std::uint8_t bin = std::min(b[feature[k]], last[k]);
            float* cell = hist + 2 * (cells[k] + bin);
            cell[0] += g;
            cell[1] += h;
        }
    }
}

void BoosterJob::build_histogram(std::size_t begin, std::size_t end, std::vector<double>& hist) {
    // The node's rows are cut into blocks of at most kRowsPerBlock rows, their number depending on the row count
    // only. Each block is summed in row order by one thread, reading whole rows (the cache-friendly direction of
    // the row-major bins) into a single-precision histogram small enough for the core's cache; the blocks are
    // then added in block order in double precision: the same sums for any number of threads.
    const std::size_t rows = end - begin, cells = 2 * total_bins_;
    const std::size_t blocks = std::max<std::size_t>(1, (rows + kRowsPerBlock - 1) / kRowsPerBlock);
    if (block_hists_.size() < std::min(blocks, kMaxBlocks) * cells) block_hists_.assign(std::min(blocks, kMaxBlocks) * cells, 0.0f);
    std::fill(hist.begin(), hist.end(), 0.0);
    // Rounds of at most kMaxBlocks blocks bound the scratch memory.
    for (std::size_t first = 0; first < blocks; first += kMaxBlocks) {
        const std::size_t count = std::min(kMaxBlocks, blocks - first);
        parallel_for(options_.n_threads, count, 1, [&](int, std::size_t b0, std::size_t b1) {
            for (std::size_t blk = b0; blk < b1; ++blk) {
                float* part = block_hists_.data() + blk * cells;
                std::fill(part, part + cells, 0.0f);
                const std::size_t from = begin + (first + blk) * kRowsPerBlock;
                accumulate(from, std::min(end, from + kRowsPerBlock), part);
            }
        });
        parallel_for(options_.n_threads, cells, 4096, [&](int, std::size_t c0, std::size_t c1) {
            for (std::size_t c = c0; c < c1; ++c) {
                double sum = hist[c];
                for (std::size_t blk = 0; blk < count; ++blk) sum += block_hists_[blk * cells + c];
                hist[c] = sum;
            }
        });
    }
}

BoosterJob::Split BoosterJob::best_split(const std::vector<double>& hist, double g, double h) const {
    const std::size_t nf = round_features_.size();
    std::vector<Split> per_feature(nf);
    const double lambda = options_.lambda, mcw = options_.min_child_weight;
    const double parent = g * g / (h + lambda);
    parallel_for(options_.n_threads, nf, kFeatureChunk, [&](int, std::size_t fb, std::size_t fe) {
        for (std::size_t k = fb; k < fe; ++k) {
            const int f = round_features_[k];
            const double* cell = hist.data() + 2 * offset_[static_cast<std::size_t>(f)];
            const int nb = bins_.n_bins(static_cast<std::size_t>(f));
            // Rows with a missing value were summed into the cell after the last bin.
            const double mg = cell[2 * nb], mh = cell[2 * nb + 1];
            const double empty = 1e-12 * h;
            const bool has_missing = mh > 1e-12;
            Split best;
            double gl = 0, hl = 0;
            for (int b = 0; b + 1 < nb; ++b) {
                gl += cell[2 * b];
                hl += cell[2 * b + 1];
                // An empty bin (up to the rounding a subtracted histogram leaves) splits the rows as the last one did.
                if (cell[2 * b + 1] <= empty) continue;
                for (int side = 0; side < (has_missing ? 2 : 1); ++side) {
                    // side 0: missing values go right; side 1: left.
                    const double lg = side ? gl + mg : gl, lh = side ? hl + mh : hl;
                    const double rg = g - lg, rh = h - lh;
                    if (lh < mcw || rh < mcw) continue;
                    const double gain = lg * lg / (lh + lambda) + rg * rg / (rh + lambda) - parent;
                    if (gain > best.gain) {
                        best.gain = gain;
                        best.feature = f;
                        best.bin = b;
                        best.default_left = side == 1;
                        best.left_g = lg;
                        best.left_h = lh;
                    }
                }
            }
            per_feature[k] = best;
        }
    });
    Split best;
    for (const Split& s : per_feature)
        if (s.feature >= 0 && s.gain > best.gain) best = s;  // ties keep the lower feature (deterministic)
    return best;
}

RegressionTree BoosterJob::grow_tree(int round) {
    // Rows of this tree (row subsample) and its features (column subsample), from hashes of (seed, round).
    rows_.clear();
    for (std::size_t r : train_)
        if (options_.subsample >= 1 || unit(options_.seed, 0x5AB5 + static_cast<std::uint64_t>(round), r) < options_.subsample)
            rows_.push_back(r);
    round_features_ = active_;
    if (options_.colsample_bytree < 1 && !active_.empty()) {
        std::vector<std::pair<std::uint64_t, int>> order;
        for (int f : active_) order.emplace_back(hash64(options_.seed, 0xC01 + static_cast<std::uint64_t>(round), static_cast<std::uint64_t>(f)), f);
        std::sort(order.begin(), order.end());
        const std::size_t keep = std::max<std::size_t>(1, static_cast<std::size_t>(std::floor(options_.colsample_bytree * static_cast<double>(active_.size()))));
        round_features_.clear();
        for (std::size_t i = 0; i < keep; ++i) round_features_.push_back(order[i].second);
        std::sort(round_features_.begin(), round_features_.end());
    }
    round_cells_.clear();
    round_last_bin_.clear();
    for (int f : round_features_) {
        round_cells_.push_back(offset_[static_cast<std::size_t>(f)]);
        round_last_bin_.push_back(static_cast<std::uint8_t>(bins_.n_bins(static_cast<std::size_t>(f))));
    }

    RegressionTree tree;
    struct Pending {
        int node;
        std::size_t begin, end;
        int depth;
        double g, h;
        std::vector<double> hist;  // empty when not built yet
    };
    const auto new_node = [&](double g, double h) {
        TreeNode n;
        n.value = static_cast<float>(options_.eta * leaf_weight(g, h));
        n.cover = static_cast<float>(h);
        tree.nodes.push_back(n);
        return static_cast<int>(tree.nodes.size()) - 1;
    };
    double g0 = 0, h0 = 0;
    for (std::size_t r : rows_) {
        g0 += grad_[r];
        h0 += hess_[r];
    }
    std::vector<Pending> stack;
    stack.push_back(Pending{new_node(g0, h0), 0, rows_.size(), 0, g0, h0, {}});
    // Depth-first with a stack; a node's split depends only on its rows, so the tree equals a level-by-level one.
    // Node ids are assigned in breadth-first order afterwards (XGBoost's layout is not required to be BFS, but
    // children after parents is).
    while (!stack.empty()) {
        Pending p = std::move(stack.back());
        stack.pop_back();
        if (p.depth >= options_.max_depth || p.end - p.begin < 2 || round_features_.empty()) continue;
        if (p.hist.empty()) {
            p.hist = take_buffer();
            build_histogram(p.begin, p.end, p.hist);
        }
        const Split s = best_split(p.hist, p.g, p.h);
        if (s.feature < 0 || !(s.gain > kMinGain) || !(s.gain > options_.gamma)) {
            give_back(std::move(p.hist));
            continue;
        }
        // Partition the node's rows (stable: each side keeps ascending row order).
        const std::size_t f = static_cast<std::size_t>(s.feature);
        const auto goes_left = [&](std::size_t r) {
            const std::uint8_t b = binned_.row(r)[f];
            return b == kMissingBin ? s.default_left : b <= s.bin;
        };
        const auto mid_it = std::stable_partition(rows_.begin() + static_cast<std::ptrdiff_t>(p.begin),
                                                  rows_.begin() + static_cast<std::ptrdiff_t>(p.end), goes_left);
        const std::size_t mid = static_cast<std::size_t>(mid_it - rows_.begin());
        const double rg = p.g - s.left_g, rh = p.h - s.left_h;
        TreeNode& n = tree.nodes[static_cast<std::size_t>(p.node)];
        n.feature = s.feature;
        n.split_bin = s.bin;
        n.threshold = bins_.cuts[f][static_cast<std::size_t>(s.bin)];
        n.default_left = s.default_left;
        n.gain = static_cast<float>(s.gain);
        const int left = new_node(s.left_g, s.left_h);
        const int right = new_node(rg, rh);
        tree.nodes[static_cast<std::size_t>(p.node)].left = left;
        tree.nodes[static_cast<std::size_t>(p.node)].right = right;
        Pending l{left, p.begin, mid, p.depth + 1, s.left_g, s.left_h, {}};
        Pending r{right, mid, p.end, p.depth + 1, rg, rh, {}};
        if (p.depth + 1 < options_.max_depth) {
            // The smaller child is summed; the larger is its parent minus it.
            Pending& small = (mid - p.begin) <= (p.end - mid) ? l : r;
            Pending& large = &small == &l ? r : l;
            small.hist = take_buffer();
            build_histogram(small.begin, small.end, small.hist);
            large.hist = std::move(p.hist);
            for (std::size_t i = 0; i < large.hist.size(); ++i) large.hist[i] -= small.hist[i];
        } else {
            give_back(std::move(p.hist));
        }
        stack.push_back(std::move(r));
        stack.push_back(std::move(l));
    }
    // Renumber breadth-first (parents before children, each level left to right).
    RegressionTree bfs;
    std::vector<int> order{0}, new_id(tree.nodes.size(), -1);
    for (std::size_t i = 0; i < order.size(); ++i) {
        const TreeNode& n = tree.nodes[static_cast<std::size_t>(order[i])];
        if (!n.is_leaf()) {
            order.push_back(n.left);
            order.push_back(n.right);
        }
    }
    for (std::size_t i = 0; i < order.size(); ++i) new_id[static_cast<std::size_t>(order[i])] = static_cast<int>(i);
    for (int old : order) {
        TreeNode n = tree.nodes[static_cast<std::size_t>(old)];
        if (!n.is_leaf()) {
            n.left = new_id[static_cast<std::size_t>(n.left)];
            n.right = new_id[static_cast<std::size_t>(n.right)];
        }
        bfs.nodes.push_back(n);
    }
    return bfs;
}

std::vector<double> BoosterJob::take_buffer() {
    if (spare_.empty()) return std::vector<double>(2 * total_bins_, 0.0);
    std::vector<double> b = std::move(spare_.back());
    spare_.pop_back();
    return b;
}

void BoosterJob::give_back(std::vector<double> buffer) {
    if (!buffer.empty()) spare_.push_back(std::move(buffer));
}

bool BoosterJob::step() {
    if (done_) return false;
    // Gradients of the log loss at the current margins (training rows), and the new tree's leaf values added to
    // the margins of the rows taking part (training and held-out).
    parallel_for(options_.n_threads, train_.size(), 4096, [&](int, std::size_t b, std::size_t e) {
        for (std::size_t i = b; i < e; ++i) {
            const std::size_t r = train_[i];
            const double p = sigmoid(margin_[r]);
            grad_[r] = p - labels_[r];
            hess_[r] = std::max(p * (1.0 - p), 1e-16);
        }
    });
    RegressionTree tree = grow_tree(round_);
    const auto add_leaves = [&](const std::vector<std::size_t>& rows) {
        parallel_for(options_.n_threads, rows.size(), 4096, [&](int, std::size_t b, std::size_t e) {
            for (std::size_t i = b; i < e; ++i) {
                const std::size_t r = rows[i];
                margin_[r] += tree.nodes[static_cast<std::size_t>(tree.leaf_of_bins(binned_.row(r)))].value;
            }
        });
    };
    add_leaves(train_);
    add_leaves(valid_);
    model_.trees.push_back(std::move(tree));
    ++round_;
    // Held-out log loss (training loss without a held-out split) picks the round to keep.
    const auto& eval = valid_.empty() ? train_ : valid_;
    double loss = 0;
    for (std::size_t r : eval) loss += log_loss(margin_[r], labels_[r]);
    loss /= static_cast<double>(std::max<std::size_t>(1, eval.size()));
    if (best_round_ < 0 || loss < best_loss_) {
        best_loss_ = loss;
        best_round_ = round_ - 1;
        best_valid_margin_.clear();
        for (std::size_t r : valid_) best_valid_margin_.push_back(margin_[r]);
    }
    const bool stop = round_ >= options_.n_rounds ||
                      (!valid_.empty() && options_.early_stopping_rounds > 0 &&
                       round_ - 1 - best_round_ >= options_.early_stopping_rounds);
    if (stop) finish();
    return !done_;
}

void BoosterJob::finish() {
    done_ = true;
    report_.rounds_run = round_;
    if (!valid_.empty()) model_.trees.resize(static_cast<std::size_t>(best_round_ + 1));
    report_.rounds = static_cast<int>(model_.trees.size());
    report_.validation_logloss = best_loss_;
    std::vector<std::uint8_t> y;
    std::size_t correct = 0;
    for (std::size_t i = 0; i < valid_.size(); ++i) {
        y.push_back(labels_[valid_[i]]);
        correct += (best_valid_margin_[i] > 0) == (labels_[valid_[i]] == 1);
    }
    report_.validation_auc = roc_auc(best_valid_margin_, y);
    report_.validation_accuracy = valid_.empty() ? std::numeric_limits<double>::quiet_NaN()
                                                 : static_cast<double>(correct) / static_cast<double>(valid_.size());
    margin_ = {};
    spare_ = {};
    block_hists_ = {};
    grad_ = {};
    hess_ = {};
    rows_ = {};
}

std::string BoosterJob::result_json() const {
    nlohmann::json j;
    const auto num = [](double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); };
    j["rounds"] = report_.rounds;
    j["rounds_run"] = report_.rounds_run;
    j["train_rows"] = report_.train_rows;
    j["validation_rows"] = report_.validation_rows;
    j["positives"] = report_.positives;
    j["validation_logloss"] = num(report_.validation_logloss);
    j["validation_auc"] = num(report_.validation_auc);
    j["validation_accuracy"] = num(report_.validation_accuracy);
    return json_text(j);
}

double roc_auc(const std::vector<double>& scores, const std::vector<std::uint8_t>& labels) {
    // Mann-Whitney U from ranks (average ranks for ties).
    const std::size_t n = scores.size();
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return scores[a] < scores[b]; });
    double rank_sum = 0;
    std::size_t pos = 0;
    for (std::size_t i = 0; i < n;) {
        std::size_t j = i;
        while (j < n && scores[order[j]] == scores[order[i]]) ++j;
        const double rank = 0.5 * static_cast<double>(i + j + 1);  // 1-based average rank of i .. j-1
        for (std::size_t k = i; k < j; ++k)
            if (labels[order[k]]) {
                rank_sum += rank;
                ++pos;
            }
        i = j;
    }
    const std::size_t neg = n - pos;
    if (pos == 0 || neg == 0) return std::numeric_limits<double>::quiet_NaN();
    return (rank_sum - 0.5 * static_cast<double>(pos) * static_cast<double>(pos + 1)) /
           (static_cast<double>(pos) * static_cast<double>(neg));
}

BoosterModel train_booster(const Matrix& x, const std::vector<std::uint8_t>& labels, const BoosterOptions& options,
                           int max_bin, BoosterReport* report) {
    FeatureBinOptions bo;
    bo.max_bin = max_bin;
    bo.n_threads = options.n_threads;
    const FeatureBins bins = make_feature_bins(x, bo);
    const BinnedMatrix binned = bin_matrix(x, bins, options.n_threads);
    BoosterJob job(bins, binned, labels, options);
    while (job.step()) {
    }
    if (report) *report = job.report();
    return job.model();
}

}  // namespace recluster
