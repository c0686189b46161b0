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

ScaledColumns::ScaledColumns(const Dataset& data, ScaleMethod method, std::vector<std::size_t> columns)
    : data_(data), columns_(std::move(columns)) {
    if (columns_.empty()) columns_ = data.feature_columns();
    for (std::size_t c : columns_)
        if (c >= data.columns.size() || data.columns[c].type != ColumnType::Numeric)
            throw std::invalid_argument("scale_features: column " + std::to_string(c) + " is not numeric");
    stats_.offset.resize(columns_.size());
    stats_.divisor.resize(columns_.size());
    fill_.resize(columns_.size());
    for (std::size_t j = 0; j < columns_.size(); ++j) {
        const Column& col = data.columns[columns_[j]];
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
        stats_.offset[j] = offset;
        stats_.divisor[j] = divisor;
        fill_[j] = mean;
    }
}

const float* ScaledColumns::read(std::size_t first, std::size_t count, float* scratch) const {
    const std::size_t d = columns_.size();
    for (std::size_t j = 0; j < d; ++j) {
        const float* x = data_.columns[columns_[j]].numbers.data() + first;
        const double fill = fill_[j], offset = stats_.offset[j], divisor = stats_.divisor[j];
        float* out = scratch + j;
        for (std::size_t r = 0; r < count; ++r) {
            const double v = std::isnan(x[r]) ? fill : static_cast<double>(x[r]);
            out[r * d] = static_cast<float>((v - offset) / divisor);
        }
    }
    return scratch;
}

ScaledFeatures scale_features(const Dataset& data, ScaleMethod method, std::vector<std::size_t> columns) {
    const ScaledColumns source(data, method, std::move(columns));
    ScaledFeatures out;
    out.columns = source.columns();
    out.stats = source.stats();
    out.matrix = read_all(source);
    return out;
}

}  // namespace recluster
