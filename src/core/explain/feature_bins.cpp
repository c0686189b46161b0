#include "explain/feature_bins.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "common/parallel_for.hpp"

namespace recluster {

namespace {
constexpr std::size_t kCutSampleRows = 32768;
}  // namespace

void FeatureBinOptions::validate() const {
    if (max_bin < 2 || max_bin > kMaxBins) throw std::invalid_argument("boosting: max_bin must be from 2 to 255");
}

std::uint8_t FeatureBins::bin(std::size_t f, float x) const {
    if (!std::isfinite(x)) return kMissingBin;
    const auto& c = cuts[f];
    return static_cast<std::uint8_t>(std::upper_bound(c.begin(), c.end(), x) - c.begin());
}

FeatureColumns columns_of(const Matrix& x) {
    FeatureColumns c;
    c.rows = x.rows;
    c.stride = x.cols;
    for (std::size_t f = 0; f < x.cols; ++f) c.columns.push_back(x.data.data() + f);
    return c;
}

FeatureBins make_feature_bins(const FeatureColumns& x, const FeatureBinOptions& options) {
    options.validate();
    FeatureBins bins;
    bins.cuts.resize(x.features());
    // Large inputs: the quantiles of every step-th row (a sketch of 32k-64k rows, like XGBoost's).
    const std::size_t step = std::max<std::size_t>(1, x.rows / kCutSampleRows);
    parallel_for(options.n_threads, x.features(), 8, [&](int, std::size_t begin, std::size_t end) {
        std::vector<float> values;
        for (std::size_t f = begin; f < end; ++f) {
            values.clear();
            for (std::size_t r = 0; r < x.rows; r += step) {
                const float v = x.at(r, f);
                if (std::isfinite(v)) values.push_back(v == 0.0f ? 0.0f : v);  // -0 and +0 are one value
            }
            std::sort(values.begin(), values.end());
            // Distinct values with their counts.
            std::vector<float> distinct;
            std::vector<std::size_t> upto;  // rows with a value <= distinct[i]
            for (std::size_t i = 0; i < values.size(); ++i) {
                if (distinct.empty() || values[i] != distinct.back()) {
                    distinct.push_back(values[i]);
                    upto.push_back(0);
                }
                upto.back() = i + 1;
            }
            std::vector<float>& cuts = bins.cuts[f];
            if (distinct.size() <= static_cast<std::size_t>(options.max_bin)) {
                // One bin per value: the cut before value i is the value itself.
                cuts.assign(distinct.begin() + (distinct.empty() ? 0 : 1), distinct.end());
                continue;
            }
            // Quantile cuts: the first distinct value at or past each j/max_bin of the rows starts a new bin.
            const double n = static_cast<double>(values.size());
            std::size_t i = 0;
            for (int j = 1; j < options.max_bin; ++j) {
                const double target = n * j / options.max_bin;
                while (i < distinct.size() && static_cast<double>(upto[i]) <= target) ++i;
                if (i >= distinct.size()) break;
                if (i == 0) continue;
                if (cuts.empty() || distinct[i] > cuts.back()) cuts.push_back(distinct[i]);
            }
        }
    });
    return bins;
}

BinnedMatrix bin_matrix(const FeatureColumns& x, const FeatureBins& bins, int n_threads) {
    if (x.features() != bins.features()) throw std::invalid_argument("boosting: the data's columns differ from the bins'");
    BinnedMatrix out;
    out.rows = x.rows;
    out.cols = x.features();
    out.data.resize(out.rows * out.cols);
    // Blocks of rows, feature by feature inside a block: columns are read contiguously and the block's rows of
    // the output stay in cache.
    parallel_for(n_threads, x.rows, 512, [&](int, std::size_t begin, std::size_t end) {
        for (std::size_t f = 0; f < out.cols; ++f)
            for (std::size_t r = begin; r < end; ++r) out.data[r * out.cols + f] = bins.bin(f, x.at(r, f));
    });
    return out;
}

}  // namespace recluster
