// Drill-down controls over the map: breadcrumbs (All > 3 > 3.1; click to go back), zoom into the highlighted
// cluster (Z; or double-click a cluster on the map), and the hierarchy of views with "Build hierarchy".
#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "ui/format.hpp"
#include "ui/panels.hpp"
#include "ui/widget_rects.hpp"
#include "common/json_text.hpp"

namespace recluster::web::ui {

void DrillBar::Draw(Engine& engine, MapView& map, float x, float y) {
    const Session* session = engine.session();
    if (!session || !engine.output()) return;
    ImGuiIO& io = ImGui::GetIO();
    const bool idle = !engine.busy();
    const int highlighted = map.highlighted();
    const bool can_zoom = idle && highlighted >= 0 && map.color_column() == MapView::kColorByCluster;
    if (!io.WantTextInput && idle) {
        if (ImGui::IsKeyPressed(ImGuiKey_Backspace, false)) engine.up();
        if (ImGui::IsKeyPressed(ImGuiKey_Z, false) && can_zoom) engine.drill(highlighted, "");
    }
    ImGui::SetNextWindowPos(ImVec2(x, y), ImGuiCond_Always);
    ImGui::SetNextWindowBgAlpha(0.85f);
    ImGui::Begin("Views", nullptr, ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings);
    const std::vector<int> crumbs = session->breadcrumbs();
    ImGui::BeginDisabled(!idle);
    for (std::size_t i = 0; i < crumbs.size(); ++i) {
        const SessionNode& n = session->node(crumbs[i]);
        if (i) {
            ImGui::SameLine();
            ImGui::TextDisabled(">");
            ImGui::SameLine();
        }
        const std::string text = n.label + "##crumb" + std::to_string(n.id);
        if (i + 1 == crumbs.size()) {
            ImGui::TextUnformatted(n.label.c_str());
        } else if (ImGui::SmallButton(text.c_str())) {
            engine.go_to(n.id);
        }
        NoteItem("Crumb/" + n.label);
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip("%s rows (%.1f%% of all)%s", format_count(n.rows.size()).c_str(),
                              100.0 * static_cast<double>(n.rows.size()) / static_cast<double>(std::max<std::size_t>(1, session->node(0).rows.size())),
                              i + 1 == crumbs.size() ? "" : "\nClick to go back here (Backspace: one level up)");
    }
    ImGui::SameLine();
    ImGui::TextDisabled(" | ");
    ImGui::SameLine();
    if (!map.selection().empty()) {
        const std::string text = "Zoom into selection (" + format_count(map.selection().size()) + " rows)";
        if (ImGui::SmallButton(text.c_str())) {
            nlohmann::json rows = map.selection();
            engine.drill_selection(json_text(rows), "");
            map.clear_selection();
        }
        NoteItem("Zoom into selection");
        ImGui::SameLine();
        if (ImGui::SmallButton("Clear selection")) map.clear_selection();
        ImGui::SameLine();
    }
    if (can_zoom) {
        if (ImGui::SmallButton(("Zoom into cluster " + std::to_string(highlighted) + " (Z)").c_str())) engine.drill(highlighted, "");
        NoteItem("Zoom in");
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip("Re-embed and re-cluster only this cluster's original rows:\nstructure hidden at this level appears.");
    } else {
        // A first step for newcomers: while no cluster of this view has been zoomed into, suggest the largest.
        const SessionNode& here = session->node(session->current());
        const auto& sizes = engine.output()->clustering.sizes;
        const bool explored = std::any_of(here.children.begin(), here.children.end(),
                                          [&](int c) { return session->node(c).cluster >= 0 && session->node(c).output; });
        if (!explored && sizes.size() >= 2 && sizes[0] >= 30) {
            const std::string text = "Suggested: zoom into cluster 0, the largest (" + format_count(static_cast<std::size_t>(sizes[0])) + " rows)";
            if (ImGui::SmallButton(text.c_str())) engine.drill(0, "");
            NoteItem("Suggested zoom");
            if (ImGui::IsItemHovered())
                ImGui::SetTooltip("Large clusters often hide sub-groups: zooming in re-embeds and re-clusters only its rows.\n"
                                  "Or double-click any cluster; shift-drag to select points.");
        } else {
            ImGui::TextDisabled("double-click a cluster to zoom in; shift-drag to select");
        }
    }
    ImGui::EndDisabled();

    const bool open = ImGui::TreeNode("Hierarchy");
    NoteItem("Hierarchy");
    if (open) {
        DrawHierarchy(engine);
        ImGui::TreePop();
    }
    bottom = ImGui::GetWindowPos().y + ImGui::GetWindowSize().y;
    ImGui::End();
}

void DrillBar::DrawHierarchy(Engine& engine) {
    const Session* session = engine.session();
    const double total = static_cast<double>(std::max<std::size_t>(1, session->node(0).rows.size()));
    const bool idle = !engine.busy();
    std::function<void(int)> draw = [&](int id) {
        const SessionNode& n = session->node(id);
        char buf[200];
        const int subs = n.output ? static_cast<int>(n.output->clustering.sizes.size()) : 0;
        // The stability of the cluster this view zooms into, when its parent was checked.
        std::string badge;
        if (n.parent >= 0 && n.cluster >= 0) {
            const nlohmann::json& st = session->node(n.parent).stability;
            if (!st.is_null() && static_cast<std::size_t>(n.cluster) < st["clusters"].size())
                badge = ", " + st["clusters"][static_cast<std::size_t>(n.cluster)]["rating"].get<std::string>();
        }
        std::snprintf(buf, sizeof buf, "%s  %s rows, %.1f%%%s%s%s###node%d", n.label.c_str(), format_count(n.rows.size()).c_str(),
                      100.0 * static_cast<double>(n.rows.size()) / total,
                      n.output ? (", " + std::to_string(subs) + " clusters").c_str() : ", not computed", badge.c_str(),
                      id == session->current() ? "  <" : "", id);
        ImGuiTreeNodeFlags flags = ImGuiTreeNodeFlags_DefaultOpen | ImGuiTreeNodeFlags_OpenOnArrow;
        if (n.children.empty()) flags |= ImGuiTreeNodeFlags_Leaf;
        if (id == session->current()) flags |= ImGuiTreeNodeFlags_Selected;
        const bool open = ImGui::TreeNodeEx(buf, flags);
        NoteItem("Node/" + n.label);
        if (ImGui::IsItemClicked() && !ImGui::IsItemToggledOpen() && idle && n.output) engine.go_to(id);
        if (ImGui::IsItemHovered()) ImGui::SetTooltip(n.output ? "Click to show this view" : "Not computed yet");
        if (open) {
            for (int c : n.children) draw(c);
            ImGui::TreePop();
        }
    };
    draw(0);
    ImGui::SetNextItemWidth(120);
    ImGui::SliderInt("Depth", &depth, 1, 4);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Levels to recurse below the current view.");
    ImGui::SetNextItemWidth(120);
    ImGui::SliderFloat("Min size", &min_percent, 0.1f, 20.0f, "%.1f%% of rows", ImGuiSliderFlags_Logarithmic);
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("Do not zoom into clusters smaller than this share of all rows. Clusters whose own\n"
                          "clustering finds no sub-structure stay leaves.");
    ImGui::BeginDisabled(!idle);
    if (ImGui::Button("Build hierarchy")) {
        nlohmann::json o;
        o["depth"] = depth;
        o["min_fraction"] = min_percent / 100.0;
        engine.build_hierarchy(json_text(o));
    }
    NoteItem("Build hierarchy");
    ImGui::EndDisabled();
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("Zoom into every cluster automatically (breadth first), with progress; Esc cancels.");
}

}  // namespace recluster::web::ui
