// What a share link carries: the data's fingerprint, every computed view of the exploration (its place in the
// drill-down and the recipe keys that differ from the defaults), the shown view, and the map's look (camera,
// colouring, highlighted cluster). Encoded as compact JSON (the page compresses it into the URL); parsed strictly,
// since links arrive from anywhere: a tampered or truncated one gives a readable error and nothing else.
#pragma once
#include <string>
#include <vector>

#include "common/result.hpp"
#include "pipeline/data_setup.hpp"
#include "pipeline/recipe.hpp"
#include "pipeline/session.hpp"

namespace recluster {

struct ShareView {
    std::string path;  // "" = the top; "3" = cluster 3 of the top; "3.1" = cluster 1 of view "3"
    Recipe recipe;
};

struct ShareState {
    static constexpr int kVersion = 1;
    std::string fingerprint;        // SHA-256 of the data file (64 hex digits)
    std::string data_url;           // where the data came from, when it was a URL ("" otherwise)
    std::string data_name;          // the data file's name, and its rows (0 = not given): for "drop <name>"
    std::size_t data_rows = 0;
    DataSetup setup;                // how the file is read and its columns typed (defaults unless the user chose)
    std::vector<ShareView> views;   // parents before children
    std::string current;            // path of the shown view
    int highlighted = -1;           // highlighted cluster of the shown view (-1 = none)
    bool has_camera = false;
    double cx = 0, cy = 0, zoom = 1;
    std::string color_by;           // a column name, "(cluster)", "(hierarchy)" or "" (one colour)
};

// The computed cluster views of a session (selections are not shareable), with their recipes, the data's name and
// rows.
ShareState share_state_of(const Session& session);

// Compact JSON: recipes hold only the keys that differ from the default recipe.
std::string share_state_json(const ShareState& state);

// Strict parse: known version, types and ranges, at most 256 views, paths of cluster numbers whose parent view
// is listed before them, recipes the recipe parser accepts. Errors name what is wrong.
Result<ShareState> parse_share_state(const std::string& json);

}  // namespace recluster
