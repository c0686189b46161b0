#include "cluster/gmm.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <numeric>
#include <stdexcept>
#include <string>

#include "cluster/kmeans.hpp"
#include "cluster/label_order.hpp"
#include "common/parallel_for.hpp"
#include "common/random.hpp"

namespace recluster {

namespace {

constexpr std::size_t kChunk = 2048;
constexpr double kLog2Pi = 1.8378770664093454836;

// One component's parameters in the form the E step uses.
struct Component {
    double log_weight = 0;
    std::vector<double> mean;       // d
    std::vector<double> inv_chol;   // full: d x d lower-triangular L^-1 (Sigma = L L^T); diag: 1/sqrt(var), d
    double log_det_half = 0;        // 0.5 log |Sigma|
};

class Mixture {
public:
    Mixture(const Matrix& x, const GmmOptions& o) : x_(x), o_(o), n_(x.rows), d_(x.cols), k_(static_cast<std::size_t>(o.k)) {
        resp_.assign(n_ * k_, 0.0);
        comp_.resize(k_);
    }

    std::vector<double>& resp() { return resp_; }

    // M step from the responsibilities.
    void maximise() {
        const std::size_t chunks = chunk_count(n_, kChunk), kd = k_ * d_;
        std::vector<double> nk_parts(chunks * k_), sum_parts(chunks * kd);
        parallel_for(o_.n_threads, n_, kChunk, [&](int, std::size_t b, std::size_t e) {
            const std::size_t ch = b / kChunk;
            double* nk = &nk_parts[ch * k_];
            double* s = &sum_parts[ch * kd];
            std::fill(nk, nk + k_, 0.0);
            std::fill(s, s + kd, 0.0);
            for (std::size_t i = b; i < e; ++i) {
                const float* xi = x_.row(i);
                for (std::size_t c = 0; c < k_; ++c) {
                    const double r = resp_[i * k_ + c];
                    if (r == 0) continue;
                    nk[c] += r;
                    for (std::size_t f = 0; f < d_; ++f) s[c * d_ + f] += r * xi[f];
                }
            }
        });
        std::vector<double> nk(k_, 0.0), mean(kd, 0.0);
        for (std::size_t ch = 0; ch < chunks; ++ch) {
            for (std::size_t c = 0; c < k_; ++c) nk[c] += nk_parts[ch * k_ + c];
            for (std::size_t j = 0; j < kd; ++j) mean[j] += sum_parts[ch * kd + j];
        }
        const double tiny = 10 * std::numeric_limits<double>::epsilon();
        for (std::size_t c = 0; c < k_; ++c) {
            nk[c] += tiny;
            for (std::size_t f = 0; f < d_; ++f) mean[c * d_ + f] /= nk[c];
        }
        const bool full = o_.covariance == Covariance::Full;
        const std::size_t cov_size = full ? d_ * d_ : d_;
        std::vector<double> cov_parts(chunks * k_ * cov_size);
        parallel_for(o_.n_threads, n_, kChunk, [&](int, std::size_t b, std::size_t e) {
            double* cv = &cov_parts[(b / kChunk) * k_ * cov_size];
            std::fill(cv, cv + k_ * cov_size, 0.0);
            std::vector<double> diff(d_);
            for (std::size_t i = b; i < e; ++i) {
                const float* xi = x_.row(i);
                for (std::size_t c = 0; c < k_; ++c) {
                    const double r = resp_[i * k_ + c];
                    if (r == 0) continue;
                    for (std::size_t f = 0; f < d_; ++f) diff[f] = xi[f] - mean[c * d_ + f];
                    double* out = cv + c * cov_size;
                    if (full) {
                        for (std::size_t f = 0; f < d_; ++f)
                            for (std::size_t g = 0; g <= f; ++g) out[f * d_ + g] += r * diff[f] * diff[g];
                    } else {
                        for (std::size_t f = 0; f < d_; ++f) out[f] += r * diff[f] * diff[f];
                    }
                }
            }
        });
        std::vector<double> cov(k_ * cov_size, 0.0);
        for (std::size_t ch = 0; ch < chunks; ++ch)
            for (std::size_t j = 0; j < k_ * cov_size; ++j) cov[j] += cov_parts[ch * k_ * cov_size + j];
        for (std::size_t c = 0; c < k_; ++c) {
            Component& comp = comp_[c];
            comp.log_weight = std::log(nk[c] / static_cast<double>(n_));
            comp.mean.assign(mean.begin() + static_cast<std::ptrdiff_t>(c * d_), mean.begin() + static_cast<std::ptrdiff_t>((c + 1) * d_));
            const double* cc = &cov[c * cov_size];
            if (full) {
                Eigen::MatrixXd s(d_, d_);
                for (std::size_t f = 0; f < d_; ++f)
                    for (std::size_t g = 0; g <= f; ++g) {
                        const double v = cc[f * d_ + g] / nk[c];
                        s(static_cast<Eigen::Index>(f), static_cast<Eigen::Index>(g)) = v;
                        s(static_cast<Eigen::Index>(g), static_cast<Eigen::Index>(f)) = v;
                    }
                s.diagonal().array() += o_.reg_covar;
                Eigen::LLT<Eigen::MatrixXd> llt(s);
                if (llt.info() != Eigen::Success)
                    throw std::runtime_error("Gaussian mixture: the covariance of a component is singular (the rows "
                                             "are degenerate); try diagonal covariance or fewer components");
                const Eigen::MatrixXd l = llt.matrixL();
                const Eigen::MatrixXd inv = l.triangularView<Eigen::Lower>().solve(Eigen::MatrixXd::Identity(static_cast<Eigen::Index>(d_), static_cast<Eigen::Index>(d_)));
                comp.inv_chol.assign(d_ * d_, 0.0);
                comp.log_det_half = 0;
                for (std::size_t f = 0; f < d_; ++f) {
                    comp.log_det_half += std::log(l(static_cast<Eigen::Index>(f), static_cast<Eigen::Index>(f)));
                    for (std::size_t g = 0; g <= f; ++g) comp.inv_chol[f * d_ + g] = inv(static_cast<Eigen::Index>(f), static_cast<Eigen::Index>(g));
                }
            } else {
                comp.inv_chol.resize(d_);
                comp.log_det_half = 0;
                for (std::size_t f = 0; f < d_; ++f) {
                    const double var = cc[f] / nk[c] + o_.reg_covar;
                    comp.inv_chol[f] = 1.0 / std::sqrt(var);
                    comp.log_det_half += 0.5 * std::log(var);
                }
            }
        }
    }

    // E step: responsibilities from the parameters; returns the total log-likelihood.
    double expect() {
        const std::size_t chunks = chunk_count(n_, kChunk);
        std::vector<double> ll_parts(chunks);
        const bool full = o_.covariance == Covariance::Full;
        parallel_for(o_.n_threads, n_, kChunk, [&](int, std::size_t b, std::size_t e) {
            std::vector<double> diff(d_), lp(k_);
            double ll = 0;
            for (std::size_t i = b; i < e; ++i) {
                const float* xi = x_.row(i);
                double top = -std::numeric_limits<double>::infinity();
                for (std::size_t c = 0; c < k_; ++c) {
                    const Component& comp = comp_[c];
                    for (std::size_t f = 0; f < d_; ++f) diff[f] = xi[f] - comp.mean[f];
                    double maha = 0;
                    if (full) {
                        for (std::size_t f = 0; f < d_; ++f) {
                            const double* row = &comp.inv_chol[f * d_];
                            double y = 0;
                            for (std::size_t g = 0; g <= f; ++g) y += row[g] * diff[g];
                            maha += y * y;
                        }
                    } else {
                        for (std::size_t f = 0; f < d_; ++f) {
                            const double y = diff[f] * comp.inv_chol[f];
                            maha += y * y;
                        }
                    }
                    lp[c] = comp.log_weight - 0.5 * (static_cast<double>(d_) * kLog2Pi + maha) - comp.log_det_half;
                    top = std::max(top, lp[c]);
                }
                double s = 0;
                for (std::size_t c = 0; c < k_; ++c) s += std::exp(lp[c] - top);
                const double lse = top + std::log(s);
                for (std::size_t c = 0; c < k_; ++c) resp_[i * k_ + c] = std::exp(lp[c] - lse);
                ll += lse;
            }
            ll_parts[b / kChunk] = ll;
        });
        double total = 0;
        for (double v : ll_parts) total += v;
        return total;
    }

    std::vector<double> weights() const {
        std::vector<double> w(k_);
        for (std::size_t c = 0; c < k_; ++c) w[c] = std::exp(comp_[c].log_weight);
        return w;
    }
    const std::vector<double>& mean(std::size_t c) const { return comp_[c].mean; }

private:
    const Matrix& x_;
    const GmmOptions& o_;
    std::size_t n_, d_, k_;
    std::vector<double> resp_;  // n x k
    std::vector<Component> comp_;
};

}  // namespace

void GmmOptions::validate(std::size_t rows, std::size_t cols) const {
    if (k < 1) throw std::invalid_argument("Gaussian mixture: k must be at least 1 (got " + std::to_string(k) + ")");
    if (static_cast<std::size_t>(k) > rows)
        throw std::invalid_argument("Gaussian mixture: k = " + std::to_string(k) + " is more than the " + std::to_string(rows) + " rows");
    if (max_iter < 1 || n_init < 1) throw std::invalid_argument("Gaussian mixture: max_iter and n_init must be at least 1");
    if (!(tol >= 0) || !(reg_covar >= 0)) throw std::invalid_argument("Gaussian mixture: tol and reg_covar must be >= 0");
    if (covariance == Covariance::Full && cols > full_max_dims)
        throw std::invalid_argument("Gaussian mixture: full covariance on " + std::to_string(cols) +
                                    " columns is too costly (limit " + std::to_string(full_max_dims) +
                                    "); use diagonal covariance or a PCA space");
    if (!init_labels.empty()) {
        if (init_labels.size() != rows) throw std::invalid_argument("Gaussian mixture: init_labels and rows differ in length");
        for (int l : init_labels)
            if (l < 0 || l >= k) throw std::invalid_argument("Gaussian mixture: init_labels must lie in 0..k-1");
    }
}

int gmm_parameter_count(int k, std::size_t d, Covariance covariance) {
    const std::size_t cov = covariance == Covariance::Full ? d * (d + 1) / 2 : d;
    return static_cast<int>(static_cast<std::size_t>(k) * (d + cov) + static_cast<std::size_t>(k - 1));
}

GmmResult gmm(const Matrix& data, const GmmOptions& o) {
    o.validate(data.rows, data.cols);
    const std::size_t n = data.rows, d = data.cols, k = static_cast<std::size_t>(o.k);
    GmmResult r;
    std::unique_ptr<Mixture> best;
    const int restarts = o.init_labels.empty() ? o.n_init : 1;
    for (int restart = 0; restart < restarts; ++restart) {
        KMeansOptions ko;
        ko.k = o.k;
        ko.n_init = 1;
        ko.seed = hash64(o.seed, static_cast<std::uint64_t>(restart));
        ko.n_threads = o.n_threads;
        const std::vector<int> start = o.init_labels.empty() ? kmeans(data, ko).labels : o.init_labels;
        auto mix = std::make_unique<Mixture>(data, o);
        for (std::size_t i = 0; i < n; ++i) mix->resp()[i * k + static_cast<std::size_t>(start[i])] = 1.0;
        mix->maximise();
        double previous = -std::numeric_limits<double>::infinity();
        int iterations = 0;
        bool converged = false;
        for (int it = 1; it <= o.max_iter; ++it) {
            const double mean_ll = mix->expect() / static_cast<double>(n);
            mix->maximise();
            iterations = it;
            if (std::abs(mean_ll - previous) < o.tol) {
                converged = true;
                break;
            }
            previous = mean_ll;
        }
        const double ll = mix->expect();  // final E step: labels agree with the returned parameters
        if (!best || ll > r.log_likelihood) {
            best = std::move(mix);
            r.log_likelihood = ll;
            r.n_iter = iterations;
            r.converged = converged;
        }
    }
    Mixture& mix = *best;
    r.n_parameters = gmm_parameter_count(o.k, d, o.covariance);
    r.bic = -2 * r.log_likelihood + r.n_parameters * std::log(static_cast<double>(n));

    r.labels.resize(n);
    r.probabilities.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
        const double* row = &mix.resp()[i * k];
        std::size_t top = 0;
        for (std::size_t c = 1; c < k; ++c)
            if (row[c] > row[top]) top = c;
        r.labels[i] = static_cast<int>(top);
        r.probabilities[i] = static_cast<float>(row[top]);
    }
    const LabelOrder order = order_labels_by_size(r.labels, o.k);
    r.sizes = order.sizes;
    const std::vector<double> w = mix.weights();
    r.means = Matrix(k, d);
    for (std::size_t j = 0; j < k; ++j) {
        const std::size_t c = static_cast<std::size_t>(order.old_of_new[j]);
        r.weights.push_back(w[c]);
        for (std::size_t f = 0; f < d; ++f) r.means.at(j, f) = static_cast<float>(mix.mean(c)[f]);
    }
    // Components that own no row still count in k; sizes of 0 stay visible to the caller.
    return r;
}

}  // namespace recluster
