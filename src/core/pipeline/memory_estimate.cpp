#include "pipeline/memory_estimate.hpp"

#include <cmath>
#include <algorithm>
#include <cstdio>

namespace recluster {

MemoryEstimate estimate_memory(double rows, std::size_t numeric_columns, std::size_t text_columns, double text_bytes_per_row) {
    const double d = static_cast<double>(numeric_columns);
    MemoryEstimate m;
    m.data_bytes = rows * (4.0 * d + text_bytes_per_row + 32.0 * static_cast<double>(text_columns));
    // Above 100 features the PCA pre-reduction reads the columns scaled on the fly and UMAP gets its 50 components:
    // the run sees 50 features, plus the reduction's subspace (64 floats per row) and scores.
    const bool reduced = numeric_columns > 100;
    const double e = reduced ? 50.0 : d;
    m.pipeline_bytes = rows * (12.0 * e + (reduced ? 500.0 : 0.0) + 1200.0);
    return m;
}

std::size_t rows_within(double limit, std::size_t numeric_columns, std::size_t text_columns, double text_bytes_per_row) {
    const double per_row = estimate_memory(1.0, numeric_columns, text_columns, text_bytes_per_row).total();
    double rows = std::floor(limit / per_row);
    if (rows < 100) return 0;
    const double unit = std::pow(10.0, std::floor(std::log10(rows)) - 1);  // two significant digits
    return static_cast<std::size_t>(std::floor(rows / unit) * unit);
}

std::string format_bytes(double bytes) {
    char buf[32];
    if (bytes >= 1e9) std::snprintf(buf, sizeof buf, "%.1f GB", bytes / 1e9);
    else if (bytes >= 1e6) std::snprintf(buf, sizeof buf, "%.0f MB", bytes / 1e6);
    else std::snprintf(buf, sizeof buf, "%.0f KB", std::max(1.0, bytes / 1e3));
    return buf;
}

}  // namespace recluster
