// Small text helpers shared by the CSV reader and column typing.
#pragma once
#include <string>
#include <string_view>

namespace recluster {

// Without leading and trailing spaces and tabs.
inline std::string_view trim_view(std::string_view s) {
    std::size_t b = 0, e = s.size();
    while (b < e && (s[b] == ' ' || s[b] == '\t')) ++b;
    while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t')) --e;
    return s.substr(b, e - b);
}

// ASCII letters lower-cased (other bytes, UTF-8 included, unchanged).
inline std::string ascii_lower(std::string_view s) {
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

}  // namespace recluster
