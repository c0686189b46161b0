#include "pipeline/share_state.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

#include <nlohmann/json.hpp>
#include "common/json_text.hpp"

namespace recluster {

namespace {
constexpr std::size_t kMaxViews = 256;
constexpr std::size_t kMaxText = 2048;

// "", "3", "3.1", ...: dot-separated cluster numbers (no sign, no leading zeros, at most 6 digits each).
bool valid_path(const std::string& p) {
    if (p.empty()) return true;
    std::size_t start = 0;
    while (true) {
        const std::size_t dot = p.find('.', start);
        const std::string part = p.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
        if (part.empty() || part.size() > 6 || (part.size() > 1 && part[0] == '0')) return false;
        for (char c : part)
            if (!std::isdigit(static_cast<unsigned char>(c))) return false;
        if (dot == std::string::npos) return true;
        start = dot + 1;
    }
}

std::string parent_of(const std::string& p) {
    const std::size_t dot = p.rfind('.');
    return dot == std::string::npos ? "" : p.substr(0, dot);
}

nlohmann::json recipe_diff(const Recipe& r) {
    const nlohmann::json mine = nlohmann::json::parse(r.to_json()), base = nlohmann::json::parse(Recipe{}.to_json());
    nlohmann::json out = nlohmann::json::object();
    for (auto it = mine.begin(); it != mine.end(); ++it)
        if (!base.contains(it.key()) || base[it.key()] != it.value()) out[it.key()] = it.value();
    return out;
}
}  // namespace

ShareState share_state_of(const Session& session) {
    ShareState s;
    s.fingerprint = session.dataset()->fingerprint;
    s.data_name = session.dataset()->name;
    s.data_rows = session.dataset()->rows;
    for (std::size_t id = 0; id < session.size(); ++id) {
        const SessionNode& n = session.node(static_cast<int>(id));
        if (!n.output || n.parent == -2 || (n.parent >= 0 && n.cluster < 0)) continue;
        s.views.push_back(ShareView{n.path, n.recipe});
    }
    const SessionNode& cur = session.node(session.current());
    s.current = cur.parent >= 0 && cur.cluster < 0 ? session.node(cur.parent).path : cur.path;
    return s;
}

std::string share_state_json(const ShareState& state) {
    nlohmann::json j;
    j["v"] = ShareState::kVersion;
    j["fp"] = state.fingerprint;
    if (!state.data_url.empty()) j["data"] = state.data_url;
    if (!state.data_name.empty()) j["name"] = state.data_name;
    if (state.data_rows > 0) j["rows"] = state.data_rows;
    if (!state.setup.is_default()) j["setup"] = nlohmann::json::parse(data_setup_json(state.setup));
    nlohmann::json views = nlohmann::json::array();
    for (const auto& v : state.views) views.push_back({{"p", v.path}, {"r", recipe_diff(v.recipe)}});
    j["views"] = views;
    j["at"] = state.current;
    if (state.highlighted >= 0) j["hl"] = state.highlighted;
    if (state.has_camera) j["cam"] = {state.cx, state.cy, state.zoom};
    if (!state.color_by.empty()) j["color"] = state.color_by;
    return json_text(j);
}

Result<ShareState> parse_share_state(const std::string& json) {
    using R = Result<ShareState>;
    if (json.size() > 1000000) return R::failure("The link's state is too large.");
    const nlohmann::json j = nlohmann::json::parse(json, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return R::failure("The link is damaged: its state is not readable.");
    if (!j.contains("v") || !j["v"].is_number_integer()) return R::failure("The link has no version.");
    if (j["v"].get<long long>() != ShareState::kVersion)
        return R::failure("The link was made by another version of recluster (state version " + json_text(j["v"]) + ").");
    ShareState s;
    const auto text = [&](const char* key, std::string& out, bool required) -> std::string {
        if (!j.contains(key)) return required ? std::string("The link lacks '") + key + "'." : "";
        if (!j[key].is_string() || j[key].get<std::string>().size() > kMaxText)
            return std::string("The link's '") + key + "' is not a valid text.";
        out = j[key].get<std::string>();
        return "";
    };
    for (auto [key, out, required] : {std::tuple{"fp", &s.fingerprint, true}, {"data", &s.data_url, false}, {"name", &s.data_name, false},
                                      {"at", &s.current, true}, {"color", &s.color_by, false}})
        if (auto e = text(key, *out, required); !e.empty()) return R::failure(e);
    if (s.fingerprint.size() != 64 ||
        !std::all_of(s.fingerprint.begin(), s.fingerprint.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) && !std::isupper(static_cast<unsigned char>(c)); }))
        return R::failure("The link's data fingerprint is malformed.");
    if (!j.contains("views") || !j["views"].is_array() || j["views"].empty())
        return R::failure("The link lists no views.");
    if (j["views"].size() > kMaxViews) return R::failure("The link lists too many views.");
    for (const auto& v : j["views"]) {
        if (!v.is_object() || !v.contains("p") || !v["p"].is_string() || !v.contains("r") || !v["r"].is_object())
            return R::failure("The link has a malformed view.");
        const std::string path = v["p"].get<std::string>();
        if (!valid_path(path)) return R::failure("The link has a view with a malformed path '" + path.substr(0, 40) + "'.");
        const bool seen = std::any_of(s.views.begin(), s.views.end(), [&](const ShareView& x) { return x.path == path; });
        if (seen) return R::failure("The link lists view '" + path + "' twice.");
        if (s.views.empty() ? !path.empty() : path.empty()) return R::failure("The link's first view must be the top one.");
        if (!path.empty()) {
            const std::string parent = parent_of(path);
            if (!std::any_of(s.views.begin(), s.views.end(), [&](const ShareView& x) { return x.path == parent; }))
                return R::failure("The link's view '" + path + "' comes before its parent view.");
        }
        auto recipe = recipe_from_json(json_text(v["r"]));
        if (!recipe) return R::failure("The link's view '" + path + "' has a bad recipe: " + recipe.error());
        s.views.push_back(ShareView{path, *recipe});
    }
    if (!valid_path(s.current) ||
        !std::any_of(s.views.begin(), s.views.end(), [&](const ShareView& x) { return x.path == s.current; }))
        return R::failure("The link shows a view it does not list.");
    if (j.contains("rows")) {
        if (!j["rows"].is_number_unsigned() || j["rows"].get<unsigned long long>() > (1ull << 40))
            return R::failure("The link's row count is not a count.");
        s.data_rows = static_cast<std::size_t>(j["rows"].get<unsigned long long>());
    }
    if (j.contains("setup")) {
        if (!j["setup"].is_object()) return R::failure("The link's data setup is malformed.");
        auto setup = parse_data_setup(json_text(j["setup"]));
        if (!setup) return R::failure("The link's data setup is bad: " + setup.error());
        s.setup = std::move(*setup);
    }
    if (j.contains("hl")) {
        if (!j["hl"].is_number_integer() || j["hl"].get<long long>() < 0 || j["hl"].get<long long>() > 1000000)
            return R::failure("The link's highlighted cluster is not a cluster number.");
        s.highlighted = static_cast<int>(j["hl"].get<long long>());
    }
    if (j.contains("cam")) {
        const auto& c = j["cam"];
        if (!c.is_array() || c.size() != 3 || !c[0].is_number() || !c[1].is_number() || !c[2].is_number())
            return R::failure("The link's camera is malformed.");
        s.cx = c[0].get<double>();
        s.cy = c[1].get<double>();
        s.zoom = c[2].get<double>();
        if (!std::isfinite(s.cx) || !std::isfinite(s.cy) || !(s.zoom > 0) || !std::isfinite(s.zoom))
            return R::failure("The link's camera is malformed.");
        s.has_camera = true;
    }
    return s;
}

}  // namespace recluster
