// Readable numbers for the UI: thousands separators for counts (common/format.hpp), 4 significant digits for values.
#pragma once
#include <cmath>
#include <cstdio>
#include <string>

#include "common/format.hpp"

namespace recluster::web::ui {

using recluster::format_count;

inline std::string format_number(double v) {
    char buf[32];
    if (std::isnan(v)) return "-";
    std::snprintf(buf, sizeof buf, "%.4g", v);
    return buf;
}

}  // namespace recluster::web::ui
