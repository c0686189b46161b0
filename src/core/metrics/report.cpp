#include "metrics/report.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>
#include <numeric>

#include "common/random.hpp"
#include "metrics/dbcv.hpp"
#include "metrics/internal_validity.hpp"
#include "metrics/partition_agreement.hpp"
#include "common/json_text.hpp"

namespace recluster {

namespace {

constexpr int kSteps = 4;  // silhouette, DB + CH, DBCV, agreement

// NaN is not JSON: undefined values are null.
nlohmann::json number(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }

}  // namespace

MetricsJob::MetricsJob(MetricsInput input) : in_(std::move(input)) {
    nlohmann::json j;
    std::size_t noise = 0;
    for (int l : in_.labels) noise += l < 0;
    j["rows"] = in_.labels.size();
    j["noise_rows"] = noise;
    j["space_dims"] = in_.space ? in_.space->cols : 0;
    json_ = json_text(j);
}

void MetricsJob::start_silhouette() {
    sil_started_ = true;
    const Matrix& x = *in_.space;
    const double d = static_cast<double>(std::max<std::size_t>(1, x.cols));
    std::size_t m = 0;
    for (int l : in_.labels) m += l >= 0;
    const double md = static_cast<double>(m);
    SilhouetteOptions so;
    so.seed = in_.seed;
    sil_space_ = in_.space;
    sil_labels_ = in_.labels;
    if (m <= so.exact_max_rows && md * md * d <= in_.budget) {
        so.exact_max_rows = m;
        sil_method_ = "exact";
    } else if (static_cast<double>(so.sample_size) * md * d <= in_.budget) {
        so.exact_max_rows = 0;  // always sample: 5000 rows, each against every clustered row
        sil_method_ = "sampled rows against all rows";
    } else {
        // Both sides subsampled (scikit-learn's sample_size): the silhouette of a seeded subset on its own.
        const std::size_t want = std::clamp<std::size_t>(static_cast<std::size_t>(std::sqrt(in_.budget / d)), 500, 5000);
        std::vector<std::size_t> rows;
        for (std::size_t i = 0; i < in_.labels.size(); ++i)
            if (in_.labels[i] >= 0) rows.push_back(i);
        RandomStream rng(in_.seed, 0x5117ull);
        const std::size_t keep = std::min(want, rows.size());
        for (std::size_t i = 0; i < keep; ++i) std::swap(rows[i], rows[i + rng.below(static_cast<std::uint32_t>(rows.size() - i))]);
        rows.resize(keep);
        std::sort(rows.begin(), rows.end());
        auto sub = std::make_shared<Matrix>(keep, x.cols);
        sil_labels_.assign(keep, 0);
        for (std::size_t i = 0; i < keep; ++i) {
            std::copy(x.row(rows[i]), x.row(rows[i]) + x.cols, sub->row(i));
            sil_labels_[i] = in_.labels[rows[i]];
        }
        sil_space_ = std::move(sub);
        so.exact_max_rows = keep;
        sil_method_ = "subsample";
    }
    sil_rows_ = silhouette_rows(sil_labels_, so);
}

bool MetricsJob::step() {
    if (next_ >= kSteps) return false;
    nlohmann::json j = nlohmann::json::parse(json_);
    const Matrix& x = *in_.space;
    const double d = static_cast<double>(std::max<std::size_t>(1, x.cols));
    switch (next_) {
        case 0: {
            if (!sil_started_) start_silhouette();
            // About 5e7 distance terms per step.
            std::size_t m = 0;
            for (int l : sil_labels_) m += l >= 0;
            const std::size_t slice = std::max<std::size_t>(
                1, static_cast<std::size_t>(5e7 / std::max(1.0, static_cast<double>(m) * d)));
            const std::size_t end = std::min(sil_rows_.size(), sil_done_ + slice);
            const std::vector<std::size_t> part(sil_rows_.begin() + static_cast<std::ptrdiff_t>(sil_done_),
                                                sil_rows_.begin() + static_cast<std::ptrdiff_t>(end));
            for (double w : silhouette_widths(*sil_space_, sil_labels_, part, in_.n_threads)) {
                if (std::isnan(w)) sil_undefined_ = true;
                sil_sum_ += w;
            }
            sil_done_ = end;
            if (sil_done_ < sil_rows_.size()) return true;
            const double mean = sil_undefined_ || sil_rows_.empty() ? std::nan("") : sil_sum_ / static_cast<double>(sil_rows_.size());
            j["silhouette"] = {{"value", number(mean)}, {"rows", sil_rows_.size()}, {"method", sil_method_}};
            sil_space_.reset();
            break;
        }
        case 1:
            j["davies_bouldin"] = number(davies_bouldin(x, in_.labels));
            j["calinski_harabasz"] = number(calinski_harabasz(x, in_.labels));
            break;
        case 2:
            if (in_.density) {
                DbcvOptions o;
                o.seed = in_.seed;
                o.n_threads = in_.n_threads;
                o.exact_max_rows = std::min<std::size_t>(o.exact_max_rows, static_cast<std::size_t>(std::sqrt(in_.budget / d)));
                const Dbcv r = dbcv(x, in_.labels, o);
                j["dbcv"] = {{"value", number(r.score)}, {"rows", r.rows_used}, {"sampled", r.sampled}};
            }
            break;
        case 3:
            if (!in_.truth_column.empty())
                j["agreement"] = {{"column", in_.truth_column},
                                  {"ari", number(adjusted_rand_index(in_.labels, in_.truth))},
                                  {"nmi", number(normalized_mutual_info(in_.labels, in_.truth))}};
            break;
    }
    ++next_;
    json_ = json_text(j);
    return next_ < kSteps;
}

double MetricsJob::progress() const {
    double part = 0;
    if (next_ == 0 && !sil_rows_.empty()) part = static_cast<double>(sil_done_) / static_cast<double>(sil_rows_.size());
    return (static_cast<double>(next_) + part) / kSteps;
}

const char* MetricsJob::stage_name() const {
    static const char* const kNames[] = {"silhouette", "Davies-Bouldin, Calinski-Harabasz", "DBCV", "agreement", "done"};
    return kNames[std::min(next_, kSteps)];
}

std::string MetricsJob::result_json() const { return json_; }

std::vector<int> label_codes(const Dataset& data, std::size_t column) {
    std::map<std::string, int> ids;
    std::vector<int> codes(data.rows);
    for (std::size_t r = 0; r < data.rows; ++r)
        codes[r] = ids.emplace(data.cell_text(r, column), static_cast<int>(ids.size())).first->second;
    return codes;
}

}  // namespace recluster
