// Feature matrix assembly and scaling: picks numeric columns, imputes missing cells with the column mean,
// then standardises (z-score), rescales to [0, 1] (min-max) or leaves values as they are. O(rows * cols).
#pragma once
#include <string>
#include <vector>

#include "common/matrix.hpp"
#include "io/dataset.hpp"
#include "prep/row_source.hpp"

namespace recluster {

enum class ScaleMethod { ZScore, MinMax, None };

const char* scale_method_name(ScaleMethod m);
// Parses "zscore" | "minmax" | "none"; returns false on anything else.
bool parse_scale_method(const std::string& name, ScaleMethod& out);

// Per-column statistics used to scale: x' = (x - offset) / divisor. Kept so new rows can be scaled alike.
struct ScaleStats {
    std::vector<double> offset;
    std::vector<double> divisor;
};

struct ScaledFeatures {
    Matrix matrix;                     // rows x columns.size()
    std::vector<std::size_t> columns;  // dataset column index of each matrix column
    ScaleStats stats;
};

// The given numeric columns (all numeric columns if empty) scaled on the fly: rows are computed when read, so nothing
// the size of the table is allocated. Values are exactly those scale_features() stores. `data` must outlive it.
class ScaledColumns final : public RowSource {
public:
    ScaledColumns(const Dataset& data, ScaleMethod method, std::vector<std::size_t> columns = {});
    std::size_t rows() const override { return data_.rows; }
    std::size_t cols() const override { return columns_.size(); }
    const float* read(std::size_t first, std::size_t count, float* scratch) const override;
    const std::vector<std::size_t>& columns() const { return columns_; }
    const ScaleStats& stats() const { return stats_; }

private:
    const Dataset& data_;
    std::vector<std::size_t> columns_;
    ScaleStats stats_;
    std::vector<double> fill_;  // the value a missing cell takes (the column mean)
};

// Builds the scaled feature matrix from the given numeric columns (all numeric columns if empty).
// Missing cells take the column mean before scaling (so 0 after z-score). Constant columns get divisor 1.
ScaledFeatures scale_features(const Dataset& data, ScaleMethod method, std::vector<std::size_t> columns = {});

}  // namespace recluster
