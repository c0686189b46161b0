#include "prep/scale.hpp"

#include <cmath>
#include <stdexcept>

namespace recluster {

const char* scale_method_name(ScaleMethod m) {
    switch (m) {
        case ScaleMethod::ZScore: return "zscore";
        case ScaleMethod::MinMax: return "minmax";
        case ScaleMethod::None: return "none";
    }
    return "?";
}

bool parse_scale_method(const std::string& name, ScaleMethod& out) {
    if (name == "zscore") out = ScaleMethod::ZScore;
    else if (name == "minmax") out = ScaleMethod::MinMax;
    else if (name == "none") out = ScaleMethod::None;
    else return false;
    return true;
}

ScaledFeatures scale_features(const Dataset& data, ScaleMethod method, std::vector<std::size_t> columns) {
    if (columns.empty()) columns = data.feature_columns();
    for (std::size_t c : columns)
        if (c >= data.columns.size() || data.columns[c].type != ColumnType::Numeric)
            throw std::invalid_argument("scale_features: column " + std::to_string(c) + " is not numeric");
    ScaledFeatures out;
    out.columns = columns;
    out.matrix = Matrix(data.rows, columns.size());
    out.stats.offset.resize(columns.size());
    out.stats.divisor.resize(columns.size());
    for (std::size_t j = 0; j < columns.size(); ++j) {
        const Column& col = data.columns[columns[j]];
        const double mean = col.stats.mean;  // over present values; 0 if none
        double offset = 0, divisor = 1;
        if (method == ScaleMethod::ZScore) {
            // Population standard deviation (ddof = 0), as scikit-learn's StandardScaler; imputed cells add 0.
            double ss = 0;
            for (float v : col.numbers) {
                double x = std::isnan(v) ? mean : static_cast<double>(v);
                ss += (x - mean) * (x - mean);
            }
            double sd = data.rows ? std::sqrt(ss / static_cast<double>(data.rows)) : 0.0;
            offset = mean;
            divisor = sd > 0 ? sd : 1.0;
        } else if (method == ScaleMethod::MinMax) {
            offset = col.stats.min;
            double range = col.stats.max - col.stats.min;
            divisor = range > 0 ? range : 1.0;
        }
        out.stats.offset[j] = offset;
        out.stats.divisor[j] = divisor;
        for (std::size_t r = 0; r < data.rows; ++r) {
            float v = col.numbers[r];
            double x = std::isnan(v) ? mean : static_cast<double>(v);
            out.matrix.at(r, j) = static_cast<float>((x - offset) / divisor);
        }
    }
    return out;
}

}  // namespace recluster
