// JSON as text, for everything the core, the CLI and the app write: column names, labels and cells come from users'
// files and may not be valid UTF-8 (a Latin-1 export), so invalid bytes become U+FFFD instead of an exception
// (nlohmann's default dump throws on them).
#pragma once
#include <nlohmann/json.hpp>
#include <string>

namespace recluster {

inline std::string json_text(const nlohmann::json& j, int indent = -1) {
    return j.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace recluster
