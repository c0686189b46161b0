// Feature binning for histogram boosting: per feature up to max_bin quantile bins of its non-missing values, and
// every row's bin index as one byte (kMissingBin for NaN). Building the cuts sorts each feature's values
// (O(n log n) per feature, features in parallel); binning is a binary search per value.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "common/matrix.hpp"

namespace recluster {

// The byte marking a missing (NaN) value; real bins are 0 .. 254, so at most 255 bins per feature.
inline constexpr std::uint8_t kMissingBin = 255;
inline constexpr int kMaxBins = 255;

struct FeatureBins {
    // cuts[f]: increasing thresholds; a value x falls in bin (number of cuts <= x), so bin b holds
    // [cuts[b-1], cuts[b]) and "bin <= b" is exactly "x < cuts[b]" (XGBoost's split rule). n_bins = cuts + 1.
    std::vector<std::vector<float>> cuts;
    std::size_t features() const { return cuts.size(); }
    int n_bins(std::size_t f) const { return static_cast<int>(cuts[f].size()) + 1; }
    std::uint8_t bin(std::size_t f, float x) const;
};

struct FeatureBinOptions {
    int max_bin = 255;  // more bins = finer thresholds, slower histograms (2 .. 255)
    int n_threads = 1;
    void validate() const;
};

// Read-only access to feature columns without copying them: column f of row r is columns[f][r * stride].
// A Dataset's numeric columns are contiguous (stride 1); a row-major Matrix's column f starts at data + f with
// stride cols.
struct FeatureColumns {
    std::vector<const float*> columns;
    std::size_t rows = 0, stride = 1;
    float at(std::size_t r, std::size_t f) const { return columns[f][r * stride]; }
    std::size_t features() const { return columns.size(); }
    // Row r gathered into out[0 .. features()).
    void gather(std::size_t r, float* out) const {
        for (std::size_t f = 0; f < columns.size(); ++f) out[f] = columns[f][r * stride];
    }
};
FeatureColumns columns_of(const Matrix& x);

// Quantile cuts of every column (NaN = missing; +-Inf are treated as missing too). A column with at most max_bin
// distinct values gets one bin per value. Above 65,536 rows the cuts come from every (rows / 32,768)-th row.
FeatureBins make_feature_bins(const FeatureColumns& x, const FeatureBinOptions& options);
inline FeatureBins make_feature_bins(const Matrix& x, const FeatureBinOptions& options) {
    return make_feature_bins(columns_of(x), options);
}

// Row-major bin indices (rows x features, one byte each).
struct BinnedMatrix {
    std::size_t rows = 0, cols = 0;
    std::vector<std::uint8_t> data;
    const std::uint8_t* row(std::size_t r) const { return data.data() + r * cols; }
};
BinnedMatrix bin_matrix(const FeatureColumns& x, const FeatureBins& bins, int n_threads);
inline BinnedMatrix bin_matrix(const Matrix& x, const FeatureBins& bins, int n_threads) {
    return bin_matrix(columns_of(x), bins, n_threads);
}

}  // namespace recluster
