// Feature matrix assembly and scaling: picks numeric columns, imputes missing cells with the column mean,
// then standardises (z-score), rescales to [0, 1] (min-max) or leaves values as they are. O(rows * cols).
#pragma once
#include <string>
#include <vector>

#include "common/matrix.hpp"
#include "io/dataset.hpp"

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

// Builds the scaled feature matrix from the given numeric columns (all numeric columns if empty).
// Missing cells take the column mean before scaling (so 0 after z-score). Constant columns get divisor 1.
ScaledFeatures scale_features(const Dataset& data, ScaleMethod method, std::vector<std::size_t> columns = {});

}  // namespace recluster
