// Readable numbers for the UI: thousands separators for counts, 4 significant digits for values.
#pragma once
#include <cmath>
#include <cstdio>
#include <string>

namespace recluster::web::ui {

inline std::string format_count(std::size_t n) {
    std::string digits = std::to_string(n), out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i && (digits.size() - i) % 3 == 0) out.push_back(',');
        out.push_back(digits[i]);
    }
    return out;
}

inline std::string format_number(double v) {
    char buf[32];
    if (std::isnan(v)) return "-";
    std::snprintf(buf, sizeof buf, "%.4g", v);
    return buf;
}

}  // namespace recluster::web::ui
