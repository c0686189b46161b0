#include "app/app.hpp"

#include <imgui.h>

#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <algorithm>
#include <cmath>
#include <string>

#include <nlohmann/json.hpp>

#include "image/png_writer.hpp"
#include "pipeline/session_file.hpp"
#include "platform/browser.hpp"
#include "ui/widget_rects.hpp"
#include "common/json_text.hpp"

namespace recluster::web {

namespace {
App* g_app = nullptr;  // for the page's bindings below

// window.recluster.exportPng(): the PNG's bytes as a Uint8Array, or the reason as a string.
emscripten::val map_png_binding(int width, int height) {
    if (!g_app) return emscripten::val(std::string("The app is not running."));
    auto png = g_app->map_png(static_cast<std::size_t>(std::max(0, width)), static_cast<std::size_t>(std::max(0, height)));
    if (!png) return emscripten::val(png.error());
    return emscripten::val::global("Uint8Array").new_(emscripten::typed_memory_view(png->size(), reinterpret_cast<const unsigned char*>(png->data())));
}
}  // namespace

EMSCRIPTEN_BINDINGS(recluster_app_map) { emscripten::function("mapPng", &map_png_binding); }

Result<std::string> App::map_png(std::size_t width, std::size_t height) const {
    using R = Result<std::string>;
    if (!map_.has_points() || !engine_.session()) return R::failure("There is no map to export yet.");
    if (width == 0) width = static_cast<std::size_t>(std::max(64.0f, screen_w_));
    if (height == 0) height = static_cast<std::size_t>(std::max(64.0f, screen_h_));
    if (width < 64 || height < 64 || width > 8192 || height > 8192) return R::failure("The PNG size must be from 64 to 8192 pixels a side.");
    const Session& s = *engine_.session();
    std::string crumbs;
    for (int id : s.breadcrumbs()) crumbs += (crumbs.empty() ? "" : " > ") + s.node(id).label;
    const auto& data = *engine_.dataset();
    std::vector<std::string> header = {s.dataset()->name + ": " + crumbs,
                                       std::to_string(data.rows) + " rows, coloured by " +
                                           (map_.color_name().empty() ? std::string("(none)") : map_.color_name() == "(cluster)" ? map_.cluster_title() : map_.color_name())};
    const RgbImage img = map_.render_image(width, height, std::max(1.0f, screen_w_), header);
    return encode_png_rgb(img.pixels, img.width, img.height);
}

bool App::init() {
    g_app = this;
    if (!map_.init()) return false;
    engine_.set_view_state_provider([this] {
        auto j = nlohmann::json::parse(map_.state_json());
        j["widgets"] = ui::WidgetRectsJson();
        j["explain_cluster"] = explain_.cluster;
        j["explain_image"] = {explain_.image_w, explain_.image_h};
        j["help_open"] = help_.open;
        j["data_expanded"] = data_panel_.expanded;
        j["share"] = {{"open", share_.open}, {"link", share_.link}, {"error", share_.error}, {"copied", share_.copied},
                      {"waiting", share_.waiting}, {"file_message", share_.file_message}};
        return json_text(j);
    });
    engine_.set_map_options_handler([this](const std::string& text) -> std::string {
        const auto o = nlohmann::json::parse(text, nullptr, false);
        if (!o.is_object()) return "setMapOptions(options): options must be an object.";
        if (o.contains("level_of_detail")) {
            if (!o["level_of_detail"].is_boolean()) return "setMapOptions: levelOfDetail must be true or false.";
            map_.level_of_detail = o["level_of_detail"].get<bool>();
        }
        if (o.contains("point_budget")) {
            const auto& b = o["point_budget"];
            if (!b.is_number() || !(b.get<double>() >= 0) || b.get<double>() > 1e9 || b.get<double>() != std::floor(b.get<double>()))
                return "setMapOptions: pointBudget must be a whole number of points (0 = automatic).";
            map_.point_budget = static_cast<std::size_t>(b.get<double>());
        }
        redraw_requested_ = true;
        return "";
    });
    // Share links and session files carry the map's look.
    engine_.set_share_view_provider([this](ShareState& s) {
        s.has_camera = true;
        s.cx = map_.camera.cx;
        s.cy = map_.camera.cy;
        s.zoom = map_.camera.zoom;
        s.color_by = map_.color_name();
        s.highlighted = map_.highlighted() >= 0 ? map_.highlighted() : -1;
    });
    return true;
}

void App::on_file_dropped(const char* path) {
    std::string text;
    std::string p = path ? path : "";
    std::string name = p.substr(p.find_last_of('/') == std::string::npos ? 0 : p.find_last_of('/') + 1);
    if (!platform::read_file(p, text)) return;
    if (is_session_file(text)) engine_.load_session(std::move(text));
    else engine_.load_csv_text(std::move(text), name);
}

void App::apply_view_request(float w, float h) {
    if (engine_.view_request_serial() == view_serial_) return;
    view_serial_ = engine_.view_request_serial();
    const ShareState& v = engine_.view_request();
    map_.set_color_name(v.color_by);
    if (v.highlighted >= 0) map_.set_highlight(v.highlighted);
    if (v.has_camera && v.zoom > 0) {
        map_.camera.cx = static_cast<float>(v.cx);
        map_.camera.cy = static_cast<float>(v.cy);
        map_.camera.zoom = static_cast<float>(v.zoom);
    } else {
        map_.fit(w, h);
    }
}

void App::frame(float w, float h) {
    screen_w_ = w, screen_h_ = h;
    map_.sync(engine_, w, h);
    apply_view_request(w, h);
    ImGuiIO& io = ImGui::GetIO();
    if (!io.WantTextInput) {
        if (ImGui::IsKeyPressed(ImGuiKey_S, false) && engine_.output()) share_.open = !share_.open;
        if (ImGui::IsKeyPressed(ImGuiKey_H, false) || ImGui::IsKeyPressed(ImGuiKey_F1, false)) help_.open = !help_.open;
        if (ImGui::IsKeyPressed(ImGuiKey_Escape, false) && (engine_.busy() || engine_.analysing())) engine_.cancel();
        if (ImGui::IsKeyPressed(ImGuiKey_F, false)) map_.fit(w, h);
        if (ImGui::IsKeyPressed(ImGuiKey_O, false)) platform::open_file_picker();
        if (ImGui::IsKeyPressed(ImGuiKey_D, false) && engine_.dataset()) data_panel_.expanded = !data_panel_.expanded;
    }
    const auto& data = engine_.dataset();
    if (!data || !map_.has_points()) {
        if (!data) {
            start_.Draw(engine_, w, h);
            if (start_.help_requested) {
                start_.help_requested = false;
                help_.open = true;
            }
            help_.Draw(w, h);
            return;
        }
    }
    const float side = 360, status_h = ImGui::GetFrameHeight() + 6;
    map_.inset_left = side + 20;
    map_.inset_bottom = status_h;
    map_.handle_input(w, h);
    // A file opened to choose its columns' roles (no map yet) shows the Data panel in full.
    if (engine_.session() && engine_.session()->dataset().get() != data_seen_) {
        data_seen_ = engine_.session()->dataset().get();
        data_panel_.expanded = !engine_.output() && !engine_.busy();
    }
    if (data_panel_.expanded) {
        data_panel_.Draw(engine_, 10, 10, side, h - status_h - 18);
    } else {
        controls_.Draw(engine_, map_, 10, 10, side, w, h);
        const float data_y = controls_.bottom + 8;
        data_panel_.Draw(engine_, 10, data_y, side, std::max(120.0f, h - status_h - 8 - data_y));
    }
    legend_.Draw(engine_, *data, map_, w, 0, std::max(120.0f, h * 0.35f));
    drill_.Draw(engine_, map_, side + 20, 10);
    // Double-click a point of a cluster: zoom into that cluster.
    if (!io.WantCaptureMouse && ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left) && !engine_.busy()) {
        const int row = map_.row_at(io.MousePos.x, io.MousePos.y, w, h);  // hover is off while the button is down
        const PipelineOutput* out = engine_.output();
        if (row >= 0 && out && static_cast<std::size_t>(row) < out->labels.size() && out->labels[static_cast<std::size_t>(row)] >= 0)
            engine_.drill(out->labels[static_cast<std::size_t>(row)], "");
    }
    quality_.Draw(engine_, controls_, map_, w, h - status_h);
    explain_.Draw(engine_, map_, std::min(legend_.left, w - 10) - 10, drill_.bottom + 8, quality_.top - 8);
    // Cluster ids at their centroids, over the points and under the panels.
    ImDrawList* bg = ImGui::GetBackgroundDrawList();
    for (const auto& m : map_.cluster_marks()) {
        float sx, sy;
        map_.camera.to_screen(m.x, m.y, w, h, sx, sy);
        const std::string id = std::to_string(m.cluster);
        const ImVec2 size = ImGui::CalcTextSize(id.c_str());
        const ImVec2 at(sx - size.x * 0.5f, sy - size.y * 0.5f);
        bg->AddRectFilled(ImVec2(at.x - 3, at.y - 1), ImVec2(at.x + size.x + 3, at.y + size.y + 1), IM_COL32(0, 0, 0, 150), 3.0f);
        bg->AddText(at, IM_COL32(255, 255, 255, 230), id.c_str());
    }
    // Rows assigned by predictCsvText(): rings at their estimated map positions.
    for (const auto& p : engine_.predicted_points()) {
        float sx, sy;
        map_.camera.to_screen(p.x, p.y, w, h, sx, sy);
        bg->AddCircle(ImVec2(sx, sy), 6.0f, IM_COL32(0, 0, 0, 200), 12, 3.0f);
        bg->AddCircle(ImVec2(sx, sy), 6.0f, IM_COL32(255, 170, 40, 255), 12, 1.5f);
    }
    // The box being dragged (shift + drag) and the selected rows' count.
    if (float x0, y0, x1, y1; map_.box_active(x0, y0, x1, y1)) {
        ImDrawList* fg = ImGui::GetForegroundDrawList();
        fg->AddRectFilled(ImVec2(std::min(x0, x1), std::min(y0, y1)), ImVec2(std::max(x0, x1), std::max(y0, y1)), IM_COL32(120, 170, 255, 40));
        fg->AddRect(ImVec2(std::min(x0, x1), std::min(y0, y1)), ImVec2(std::max(x0, x1), std::max(y0, y1)), IM_COL32(120, 170, 255, 200));
    }
    if (!io.WantTextInput && ImGui::IsKeyPressed(ImGuiKey_Escape, false) && !engine_.busy() && !engine_.analysing())
        map_.clear_selection();
    if (map_.hovered() >= 0) {
        const Session* session = engine_.session();
        const auto& rows = session->node(session->current()).rows;
        const std::size_t h = static_cast<std::size_t>(map_.hovered());
        ui::DrawPointTooltip(*data, map_.hovered(), h < rows.size() ? rows[h] : h, [&] { ui::DrawRowContributions(engine_, map_.hovered()); });
    }
    if (controls_.share_requested) {
        controls_.share_requested = false;
        share_.open = true;
    }
    share_.image_w = explain_.image_w, share_.image_h = explain_.image_h;
    share_.Draw(engine_, *this, w, h);
    help_.Draw(w, h);
    status_.Draw(engine_, map_, w, h);
}

void App::render_map(float w, float h) { map_.draw(w, h); }

}  // namespace recluster::web
