#include "cluster/sweep.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <numeric>
#include <stdexcept>

#include "cluster/kmeans.hpp"
#include "common/random.hpp"
#include "metrics/internal_validity.hpp"
#include "common/json_text.hpp"

namespace recluster {

namespace {
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
nlohmann::json number(double v) { return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr); }
}  // namespace

std::string SweepOptions::check(std::size_t rows, std::size_t cols) const {
    if (method != "kmeans" && method != "gmm") return "sweep: method must be \"kmeans\" or \"gmm\"";
    if (k_min < 1 || k_max < k_min) return "sweep: need 1 <= k_min <= k_max";
    if (k_max - k_min > 49) return "sweep: at most 50 values of k";
    if (static_cast<std::size_t>(k_max) > rows)
        return "sweep: k_max = " + std::to_string(k_max) + " is more than the " + std::to_string(rows) + " rows";
    if (method == "gmm" && covariance == Covariance::Full && cols > GmmOptions().full_max_dims)
        return "sweep: full covariance on " + std::to_string(cols) + " columns is too costly; use diagonal";
    return "";
}

void SweepOptions::validate(std::size_t rows, std::size_t cols) const {
    const std::string problem = check(rows, cols);
    if (!problem.empty()) throw std::invalid_argument(problem);
}

ClusterSweep::ClusterSweep(std::shared_ptr<const Matrix> data, SweepOptions options) : data_(std::move(data)), o_(std::move(options)) {
    o_.validate(data_->rows, data_->cols);
    const std::size_t n = data_->rows;
    sample_.resize(n);
    std::iota(sample_.begin(), sample_.end(), std::size_t{0});
    if (n > o_.silhouette_rows) {
        RandomStream rng(o_.seed, 0x5eeull);
        for (std::size_t i = 0; i < o_.silhouette_rows; ++i)
            std::swap(sample_[i], sample_[i + rng.below(static_cast<std::uint32_t>(n - i))]);
        sample_.resize(o_.silhouette_rows);
        std::sort(sample_.begin(), sample_.end());
    }
    sample_matrix_ = Matrix(sample_.size(), data_->cols);
    for (std::size_t i = 0; i < sample_.size(); ++i)
        std::copy(data_->row(sample_[i]), data_->row(sample_[i]) + data_->cols, sample_matrix_.row(i));
}

bool ClusterSweep::step() {
    const int k = o_.k_min + static_cast<int>(points_.size());
    if (k > o_.k_max) return false;
    SweepPoint p;
    p.k = k;
    std::vector<int> labels;
    if (o_.method == "kmeans") {
        KMeansOptions ko;
        ko.k = k;
        ko.seed = o_.seed;
        ko.n_threads = o_.n_threads;
        KMeansResult r = kmeans(*data_, ko);
        p.inertia = r.inertia;
        p.bic = p.log_likelihood = kNaN;
        labels = std::move(r.labels);
    } else {
        GmmOptions go;
        go.k = k;
        go.covariance = o_.covariance;
        go.seed = o_.seed;
        go.n_threads = o_.n_threads;
        GmmResult r = gmm(*data_, go);
        p.bic = r.bic;
        p.log_likelihood = r.log_likelihood;
        p.inertia = kNaN;
        labels = std::move(r.labels);
    }
    std::vector<int> sub(sample_.size());
    for (std::size_t i = 0; i < sample_.size(); ++i) sub[i] = labels[sample_[i]];
    SilhouetteOptions so;
    so.exact_max_rows = sample_.size();
    so.n_threads = o_.n_threads;
    p.silhouette = k >= 2 ? silhouette(sample_matrix_, sub, so).mean : kNaN;
    points_.push_back(p);
    return k < o_.k_max;
}

double ClusterSweep::progress() const {
    return static_cast<double>(points_.size()) / static_cast<double>(o_.k_max - o_.k_min + 1);
}

const char* ClusterSweep::stage_name() const { return o_.method == "kmeans" ? "k-means sweep" : "mixture sweep"; }

int ClusterSweep::best_k() const {
    int best = 0;
    double best_value = 0;
    for (const auto& p : points_) {
        const double v = o_.method == "kmeans" ? p.silhouette : -p.bic;
        if (std::isfinite(v) && (best == 0 || v > best_value)) {
            best = p.k;
            best_value = v;
        }
    }
    return best;
}

std::string ClusterSweep::result_json() const {
    nlohmann::json j;
    j["method"] = o_.method;
    if (o_.method == "gmm") j["covariance"] = o_.covariance == Covariance::Full ? "full" : "diag";
    j["k_min"] = o_.k_min;
    j["k_max"] = o_.k_max;
    j["silhouette_rows"] = sample_.size();
    j["best_k"] = best_k();
    nlohmann::json pts = nlohmann::json::array();
    for (const auto& p : points_)
        pts.push_back({{"k", p.k}, {"inertia", number(p.inertia)}, {"silhouette", number(p.silhouette)},
                       {"bic", number(p.bic)}, {"log_likelihood", number(p.log_likelihood)}});
    j["points"] = pts;
    return json_text(j);
}

}  // namespace recluster
