// Readable numbers shared by the app, the CLI and reports: thousands separators for counts.
#pragma once
#include <cstddef>
#include <string>

namespace recluster {

inline std::string format_count(std::size_t n) {
    std::string digits = std::to_string(n), out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i && (digits.size() - i) % 3 == 0) out.push_back(',');
        out.push_back(digits[i]);
    }
    return out;
}

}  // namespace recluster
