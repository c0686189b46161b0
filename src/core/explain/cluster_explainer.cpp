#include "explain/cluster_explainer.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "common/parallel_for.hpp"
#include "common/random.hpp"
#include "explain/tree_shap.hpp"
#include "common/json_text.hpp"

namespace recluster {

namespace {
nlohmann::json number(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }

// The rows of `candidates` with the smallest hashes of (seed, stream, row): a deterministic sample, ascending.
std::vector<std::size_t> hash_sample(const std::vector<std::size_t>& candidates, std::size_t k, std::uint64_t seed,
                                     std::uint64_t stream) {
    if (candidates.size() <= k) return candidates;
    std::vector<std::pair<std::uint64_t, std::size_t>> order;
    order.reserve(candidates.size());
    for (std::size_t r : candidates) order.emplace_back(hash64(seed, stream, r), r);
    std::nth_element(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(k), order.end());
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < k; ++i) out.push_back(order[i].second);
    std::sort(out.begin(), out.end());
    return out;
}

double sigmoid(double m) { return 1.0 / (1.0 + std::exp(-m)); }
}  // namespace

BoosterOptions ExplainOptions::default_booster() {
    BoosterOptions b;
    b.n_rounds = 60;
    b.max_depth = 4;
    b.eta = 0.3;
    b.early_stopping_rounds = 5;
    b.validation_fraction = 0.2;
    return b;
}

void ExplainOptions::validate() const {
    booster.validate();
    FeatureBinOptions{max_bin, 1}.validate();
    if (max_train_rows < 100) throw std::invalid_argument("explain: max_train_rows must be >= 100");
    if (shap_rows < 1) throw std::invalid_argument("explain: shap_rows must be >= 1");
    if (top_features < 1) throw std::invalid_argument("explain: top_features must be >= 1");
    if (representatives < 0) throw std::invalid_argument("explain: representatives must be >= 0");
}

ExplainJob::ExplainJob(ExplainInput input, ExplainOptions options) : in_(std::move(input)), options_(options) {
    options_.validate();
    const std::size_t n = in_.features.rows, d = in_.features.features();
    if (d == 0) throw std::invalid_argument("explain: there is no feature to explain the clusters with");
    if (in_.labels.size() != n) throw std::invalid_argument("explain: one label per row is needed");
    if (in_.feature_names.size() != d) throw std::invalid_argument("explain: one name per feature is needed");
    if (in_.embedding && in_.embedding->rows != n) throw std::invalid_argument("explain: the map's rows differ");
    if (!in_.outlier_scores.empty() && in_.outlier_scores.size() != n)
        throw std::invalid_argument("explain: one outlier score per row is needed");
    for (int l : in_.labels)
        if (l >= 0 && std::find(clusters_.begin(), clusters_.end(), l) == clusters_.end()) clusters_.push_back(l);
    std::sort(clusters_.begin(), clusters_.end());
    if (options_.only_cluster >= 0) {
        if (std::find(clusters_.begin(), clusters_.end(), options_.only_cluster) == clusters_.end())
            throw std::invalid_argument("explain: there is no cluster " + std::to_string(options_.only_cluster));
        clusters_ = {options_.only_cluster};
    }
}

double ExplainJob::progress() const {
    if (clusters_.empty()) return 1.0;
    const double within = booster_ ? 0.95 * booster_->progress() : 0.0;
    return std::min(1.0, (static_cast<double>(next_) + within) / static_cast<double>(clusters_.size()));
}

const char* ExplainJob::stage_name() const { return prepared_ ? "training cluster models" : "binning features"; }

bool ExplainJob::step() {
    if (!prepared_) {
        if (in_.prepared && in_.prepared->max_bin == options_.max_bin && in_.prepared->feature_names == in_.feature_names &&
            in_.prepared->binned.rows == in_.features.rows) {
            prepared_ = in_.prepared;
            return !done();
        }
        auto p = std::make_shared<PreparedFeatures>();
        p->feature_names = in_.feature_names;
        p->max_bin = options_.max_bin;
        FeatureBinOptions bo;
        bo.max_bin = options_.max_bin;
        bo.n_threads = options_.n_threads;
        p->bins = make_feature_bins(in_.features, bo);
        p->binned = bin_matrix(in_.features, p->bins, options_.n_threads);
        // Per-feature totals for the profiles: count, mean, and sums of deviations from it (the latter ~0 but kept
        // exact, so that cluster and rest add up).
        p->totals.assign(in_.features.features(), PreparedFeatures::Totals{});
        parallel_for(options_.n_threads, p->totals.size(), 16, [&](int, std::size_t b, std::size_t end) {
            for (std::size_t f = b; f < end; ++f) {
                PreparedFeatures::Totals& t = p->totals[f];
                double sum = 0;
                for (std::size_t r = 0; r < in_.features.rows; ++r) {
                    const float v = in_.features.at(r, f);
                    if (std::isfinite(v)) {
                        sum += v;
                        t.count += 1;
                    }
                }
                t.mean = t.count > 0 ? sum / t.count : 0.0;
                for (std::size_t r = 0; r < in_.features.rows; ++r) {
                    const float v = in_.features.at(r, f);
                    if (!std::isfinite(v)) continue;
                    t.shifted_sum += v - t.mean;
                    t.shifted_squares += (v - t.mean) * (v - t.mean);
                }
            }
        });
        prepared_ = std::move(p);
        return !done();
    }
    if (done()) return false;
    if (!booster_) {
        start_cluster();
        return true;
    }
    if (booster_->step()) return true;
    finish_cluster();
    return !done();
}

void ExplainJob::start_cluster() {
    const int c = clusters_[next_];
    const std::size_t n = in_.features.rows;
    std::vector<std::uint8_t> y(n);
    std::vector<std::size_t> pos, neg;
    for (std::size_t r = 0; r < n; ++r) {
        y[r] = in_.labels[r] == c ? 1 : 0;
        (y[r] ? pos : neg).push_back(r);
    }
    std::vector<std::size_t> rows;  // empty = all rows
    positive_rate_ = negative_rate_ = 1;
    if (n > options_.max_train_rows) {
        // All positives up to half the budget, negatives for the rest; the model's base margin is corrected for
        // the changed class balance when the cluster finishes.
        const std::size_t take_pos = std::min(pos.size(), options_.max_train_rows / 2);
        const std::size_t take_neg = std::min(neg.size(), options_.max_train_rows - take_pos);
        const auto sp = hash_sample(pos, take_pos, options_.seed, 0xE1 + static_cast<std::uint64_t>(c));
        const auto sn = hash_sample(neg, take_neg, options_.seed, 0xE2 + static_cast<std::uint64_t>(c));
        positive_rate_ = pos.empty() ? 1.0 : static_cast<double>(sp.size()) / static_cast<double>(pos.size());
        negative_rate_ = neg.empty() ? 1.0 : static_cast<double>(sn.size()) / static_cast<double>(neg.size());
        std::merge(sp.begin(), sp.end(), sn.begin(), sn.end(), std::back_inserter(rows));
    }
    BoosterOptions bo = options_.booster;
    bo.n_threads = options_.n_threads;
    bo.seed = options_.seed ^ (0x9E37ull * static_cast<std::uint64_t>(c + 1));
    booster_ = std::make_unique<BoosterJob>(prepared_->bins, prepared_->binned, std::move(y), bo, rows);
}

void ExplainJob::finish_cluster() {
    const int c = clusters_[next_];
    const std::size_t n = in_.features.rows, d = in_.features.features();
    ClusterExplanation e;
    e.cluster = c;
    e.model = booster_->model();
    e.report = booster_->report();
    // Undo the sampling's shift of the log-odds: trained odds = true odds x (positive rate / negative rate).
    const double shift = std::log(positive_rate_ / negative_rate_);
    e.model.base_score = static_cast<float>(sigmoid(e.model.base_margin() - shift));  // a float, as XGBoost's
    std::vector<std::size_t> members;
    for (std::size_t r = 0; r < n; ++r)
        if (in_.labels[r] == c) members.push_back(r);
    e.size = members.size();
    // Held-out scores: AUC does not depend on the class balance; accuracy is weighted back to the view's.
    e.auc = e.report.validation_auc;
    {
        std::size_t tp = 0, pos = 0, tn = 0, neg = 0;
        for (std::size_t r : booster_->validation_rows()) {
            double m = e.model.base_margin();
            for (const auto& t : e.model.trees) m += t.nodes[static_cast<std::size_t>(t.leaf_of_bins(prepared_->binned.row(r)))].value;
            if (in_.labels[r] == c) {
                ++pos;
                tp += m > 0;
            } else {
                ++neg;
                tn += m <= 0;
            }
        }
        const double p = static_cast<double>(members.size()) / static_cast<double>(n);
        e.accuracy = pos && neg ? p * static_cast<double>(tp) / static_cast<double>(pos) + (1 - p) * static_cast<double>(tn) / static_cast<double>(neg)
                     : std::numeric_limits<double>::quiet_NaN();
    }
    booster_.reset();

    // SHAP values of a sample of the cluster's rows.
    e.shap_rows = hash_sample(members, options_.shap_rows, options_.seed, 0x5A4 + static_cast<std::uint64_t>(c));
    const std::size_t m = e.shap_rows.size();
    std::vector<double> phi(m * (d + 1));
    parallel_for(options_.n_threads, m, 8, [&](int, std::size_t b, std::size_t end) {
        std::vector<float> row(d);
        for (std::size_t i = b; i < end; ++i) {
            in_.features.gather(e.shap_rows[i], row.data());
            const std::vector<double> v = model_shap(e.model, row.data());
            std::copy(v.begin(), v.end(), phi.begin() + static_cast<std::ptrdiff_t>(i * (d + 1)));
        }
    });
    e.mean_shap.assign(d, 0.0);
    std::vector<double> mean_abs(d, 0.0);
    for (std::size_t i = 0; i < m; ++i)
        for (std::size_t f = 0; f < d; ++f) {
            e.mean_shap[f] += phi[i * (d + 1) + f];
            mean_abs[f] += std::fabs(phi[i * (d + 1) + f]);
        }
    for (std::size_t f = 0; f < d; ++f) {
        e.mean_shap[f] /= static_cast<double>(std::max<std::size_t>(1, m));
        mean_abs[f] /= static_cast<double>(std::max<std::size_t>(1, m));
        e.features.push_back(FeatureScore{static_cast<int>(f), mean_abs[f], e.mean_shap[f]});
    }
    std::stable_sort(e.features.begin(), e.features.end(),
                     [](const FeatureScore& a, const FeatureScore& b) { return a.mean_abs_shap > b.mean_abs_shap; });
    const std::size_t top = std::min<std::size_t>(static_cast<std::size_t>(options_.top_features), d);
    for (std::size_t i = 0; i < m; ++i)
        for (std::size_t k = 0; k < top; ++k) {
            const std::size_t f = static_cast<std::size_t>(e.features[k].feature);
            e.shap_top.push_back(static_cast<float>(phi[i * (d + 1) + f]));
            e.value_top.push_back(in_.features.at(e.shap_rows[i], f));
        }

    // Profile: cluster mean vs the rest, standardised by the pooled standard deviation (missing values skipped).
    // From sums over the cluster's rows, shifted by the feature's overall mean, and the overall sums (once per job).
    e.mean_values.assign(d, 0.0);
    e.profile.resize(d);
    parallel_for(options_.n_threads, d, 16, [&](int, std::size_t b, std::size_t end) {
        for (std::size_t f = b; f < end; ++f) {
            const PreparedFeatures::Totals& t = prepared_->totals[f];
            double n1 = 0, s1 = 0, q1 = 0;
            for (std::size_t r : members) {
                const float v = in_.features.at(r, f);
                if (!std::isfinite(v)) continue;
                const double dv = v - t.mean;
                n1 += 1;
                s1 += dv;
                q1 += dv * dv;
            }
            const double n0 = t.count - n1, s0 = t.shifted_sum - s1, q0 = t.shifted_squares - q1;
            const double mean1 = n1 > 0 ? t.mean + s1 / n1 : std::numeric_limits<double>::quiet_NaN();
            const double mean0 = n0 > 0 ? t.mean + s0 / n0 : std::numeric_limits<double>::quiet_NaN();
            const double within = (n1 > 0 ? q1 - s1 * s1 / n1 : 0.0) + (n0 > 0 ? q0 - s0 * s0 / n0 : 0.0);
            const double dof = n0 + n1 - 2;
            const double sd = dof > 0 && within > 0 ? std::sqrt(within / dof) : 0.0;
            const double diff = mean1 - mean0;
            e.mean_values[f] = mean1;
            e.profile[f] = ProfileEntry{static_cast<int>(f), mean1, mean0, sd > 0 && std::isfinite(diff) ? diff / sd : 0.0};
        }
    });
    std::stable_sort(e.profile.begin(), e.profile.end(),
                     [](const ProfileEntry& a, const ProfileEntry& b) { return std::fabs(a.std_diff) > std::fabs(b.std_diff); });

    // Representatives: nearest the medoid (on the map) of a sample of the cluster; outliers: highest GLOSH scores.
    const std::size_t k = std::min<std::size_t>(static_cast<std::size_t>(options_.representatives), members.size());
    std::vector<double> to_medoid;
    if (in_.embedding && k > 0) {
        const Matrix& map = *in_.embedding;
        const auto sample = hash_sample(members, 1000, options_.seed, 0x3ED + static_cast<std::uint64_t>(c));
        const auto dist = [&](std::size_t a, std::size_t b) {
            double s = 0;
            for (std::size_t j = 0; j < map.cols; ++j) {
                const double t = static_cast<double>(map.at(a, j)) - map.at(b, j);
                s += t * t;
            }
            return std::sqrt(s);
        };
        std::vector<double> total(sample.size(), 0.0);
        parallel_for(options_.n_threads, sample.size(), 64, [&](int, std::size_t b, std::size_t end) {
            for (std::size_t i = b; i < end; ++i)
                for (std::size_t j = 0; j < sample.size(); ++j) total[i] += dist(sample[i], sample[j]);
        });
        const std::size_t medoid = sample[static_cast<std::size_t>(std::min_element(total.begin(), total.end()) - total.begin())];
        for (std::size_t r : members) to_medoid.push_back(dist(r, medoid));
        std::vector<std::size_t> order(members.size());
        std::iota(order.begin(), order.end(), 0);
        std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return to_medoid[a] < to_medoid[b]; });
        for (std::size_t i = 0; i < k; ++i) e.representatives.push_back(members[order[i]]);
    } else {
        for (std::size_t i = 0; i < k; ++i) e.representatives.push_back(members[i]);
    }
    if (k > 0 && (!in_.outlier_scores.empty() || !to_medoid.empty())) {
        std::vector<std::size_t> order(members.size());
        std::iota(order.begin(), order.end(), 0);
        const auto score = [&](std::size_t i) {
            return in_.outlier_scores.empty() ? to_medoid[i] : static_cast<double>(in_.outlier_scores[members[i]]);
        };
        std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return score(a) > score(b); });
        for (std::size_t i = 0; i < k; ++i) e.outliers.push_back(members[order[i]]);
    }
    done_.push_back(std::move(e));
    ++next_;
}

std::string ExplainJob::result_json() const {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& e : done_) out.push_back(nlohmann::json::parse(explanation_json(e, in_.feature_names, options_.top_features)));
    return json_text(out);
}

std::string explanation_json(const ClusterExplanation& e, const std::vector<std::string>& names, int top) {
    nlohmann::json j;
    j["cluster"] = e.cluster;
    j["size"] = e.size;
    j["auc"] = number(e.auc);
    j["accuracy"] = number(e.accuracy);
    j["rounds"] = e.report.rounds;
    j["train_rows"] = e.report.train_rows;
    j["validation_rows"] = e.report.validation_rows;
    nlohmann::json feats = nlohmann::json::array(), prof = nlohmann::json::array();
    for (std::size_t i = 0; i < e.features.size() && static_cast<int>(i) < top; ++i) {
        const auto& f = e.features[i];
        feats.push_back({{"name", names[static_cast<std::size_t>(f.feature)]},
                         {"index", f.feature},
                         {"mean_abs_shap", f.mean_abs_shap},
                         {"mean_shap", f.mean_shap}});
    }
    for (std::size_t i = 0; i < e.profile.size() && static_cast<int>(i) < top; ++i) {
        const auto& p = e.profile[i];
        prof.push_back({{"name", names[static_cast<std::size_t>(p.feature)]},
                        {"index", p.feature},
                        {"cluster_mean", number(p.cluster_mean)},
                        {"rest_mean", number(p.rest_mean)},
                        {"std_diff", number(p.std_diff)}});
    }
    j["features"] = feats;
    j["profile"] = prof;
    j["representatives"] = e.representatives;
    j["outliers"] = e.outliers;
    return json_text(j);
}

std::string row_contributions_json(const ClusterExplanation& e, const std::vector<std::string>& names,
                                   const float* row, int top) {
    const std::vector<double> phi = model_shap(e.model, row);
    const std::size_t d = e.model.n_features;
    std::vector<std::size_t> order(d);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return std::fabs(phi[a]) > std::fabs(phi[b]); });
    nlohmann::json j, items = nlohmann::json::array();
    const double margin = e.model.margin(row);  // from the trees (the SHAP values add up to it)
    for (std::size_t i = 0; i < d && static_cast<int>(i) < top; ++i)
        items.push_back({{"name", names[order[i]]}, {"index", order[i]}, {"value", number(row[order[i]])}, {"shap", phi[order[i]]}});
    j["cluster"] = e.cluster;
    j["bias"] = phi[d];
    j["margin"] = margin;
    j["probability"] = sigmoid(margin);
    j["contributions"] = items;
    return json_text(j);
}

}  // namespace recluster
