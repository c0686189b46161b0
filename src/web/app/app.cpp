#include "app/app.hpp"

#include <imgui.h>

#include <algorithm>
#include <string>

#include <nlohmann/json.hpp>

#include "platform/browser.hpp"
#include "ui/widget_rects.hpp"

namespace recluster::web {

bool App::init() {
    if (!map_.init()) return false;
    engine_.set_view_state_provider([this] {
        auto j = nlohmann::json::parse(map_.state_json());
        j["widgets"] = ui::WidgetRectsJson();
        j["explain_cluster"] = explain_.cluster;
        j["explain_image"] = {explain_.image_w, explain_.image_h};
        return j.dump();
    });
    return true;
}

void App::on_file_dropped(const char* path) {
    std::string text;
    std::string p = path ? path : "";
    std::string name = p.substr(p.find_last_of('/') == std::string::npos ? 0 : p.find_last_of('/') + 1);
    if (!platform::read_file(p, text)) return;
    engine_.load_csv_text(std::move(text), name);
}

void App::frame(float w, float h) {
    map_.sync(engine_, w, h);
    ImGuiIO& io = ImGui::GetIO();
    if (!io.WantTextInput) {
        if (ImGui::IsKeyPressed(ImGuiKey_Escape, false) && (engine_.busy() || engine_.analysing())) engine_.cancel();
        if (ImGui::IsKeyPressed(ImGuiKey_F, false)) map_.fit(w, h);
        if (ImGui::IsKeyPressed(ImGuiKey_O, false)) platform::open_file_picker();
    }
    const auto& data = engine_.dataset();
    if (!data || !map_.has_points()) {
        if (!data) {
            start_.Draw(engine_, w, h);
            return;
        }
    }
    const float side = 360, status_h = ImGui::GetFrameHeight() + 6;
    map_.inset_left = side + 20;
    map_.inset_bottom = status_h;
    map_.handle_input(w, h);
    controls_.Draw(engine_, map_, 10, 10, side, w, h);
    const float data_y = controls_.bottom + 8;
    data_panel_.Draw(*data, 10, data_y, side, std::max(120.0f, h - status_h - 8 - data_y));
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
    explain_.Draw(engine_, map_, std::min(legend_.left, w - 10) - 10, drill_.bottom + 8);
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
    status_.Draw(engine_, map_, w, h);
}

void App::render_map(float w, float h) { map_.draw(w, h); }

}  // namespace recluster::web
