#include <imgui.h>

#include "ui/format.hpp"
#include "ui/panels.hpp"
#include "ui/widget_rects.hpp"

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace recluster::web::ui {

namespace {
ImU32 to_imu32(Rgba8 c) { return IM_COL32(c.r, c.g, c.b, c.a); }
}  // namespace

void LegendPanel::Draw(const Engine& engine, const Dataset& data, MapView& map, float right, float top, float max_height) {
    // Stability badges (Check stability in Cluster quality): mean best-match Jaccard per cluster.
    std::vector<double> jaccard;
    if (const nlohmann::json* j = engine.analysis_result("stability"))
        for (const auto& c : (*j)["clusters"]) jaccard.push_back(c["jaccard"].get<double>());
    const bool clusters = map.color_column() == MapView::kColorByCluster;
    const bool hierarchy = map.color_column() == MapView::kColorByHierarchy;
    if (map.color_column() < 0 && !clusters && !hierarchy) return;
    ImGui::SetNextWindowPos(ImVec2(right - 10, top + 10), ImGuiCond_Always, ImVec2(1, 0));
    ImGui::SetNextWindowBgAlpha(0.85f);
    ImGui::Begin("Legend", nullptr,
                 ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings);
    ImGui::TextUnformatted(clusters    ? map.cluster_title().c_str()
                           : hierarchy ? "Hierarchy: deepest cluster of each row"
                                       : data.columns[map.color_column()].name.c_str());
    ImDrawList* dl = ImGui::GetWindowDrawList();
    if (map.legend_continuous()) {
        const float w = 180, h = 12;
        ImVec2 p = ImGui::GetCursorScreenPos();
        const int steps = 32;
        for (int i = 0; i < steps; ++i) {
            float t0 = static_cast<float>(i) / steps, t1 = static_cast<float>(i + 1) / steps;
            dl->AddRectFilled(ImVec2(p.x + t0 * w, p.y), ImVec2(p.x + t1 * w, p.y + h), to_imu32(ramp_color(t0)));
        }
        ImGui::Dummy(ImVec2(w, h));
        ImGui::TextUnformatted(format_number(map.legend_min()).c_str());
        ImGui::SameLine(w - ImGui::CalcTextSize(format_number(map.legend_max()).c_str()).x + 8);
        ImGui::TextUnformatted(format_number(map.legend_max()).c_str());
    } else {
        int toggle = LegendEntry::kNoCluster, highlight = LegendEntry::kNoCluster;
        // Long legends scroll inside a box so they leave room for the Cluster quality window below.
        const auto& entries = map.legend_categories();
        const float row_h = ImGui::GetFrameHeightWithSpacing();
        const bool scroll = static_cast<float>(entries.size()) * row_h > max_height;
        if (scroll) {
            float widest = 0;
            for (const auto& e : entries) widest = std::max(widest, ImGui::CalcTextSize((e.label + "  0,000,000  100.0%").c_str()).x);
            ImGui::BeginChild("entries", ImVec2(widest + 3 * row_h + 20, max_height));
        }
        dl = ImGui::GetWindowDrawList();
        for (const auto& e : entries) {
            ImVec2 p = ImGui::GetCursorScreenPos();
            float s = ImGui::GetTextLineHeight();
            Rgba8 c = e.color;
            if (e.hidden) c.a = 60;
            dl->AddCircleFilled(ImVec2(p.x + s * 0.5f, p.y + s * 0.5f), s * 0.35f, to_imu32(c));
            ImGui::Dummy(ImVec2(s, s));
            ImGui::SameLine();
            if (e.cluster != LegendEntry::kNoCluster) {
                // Clusters: checkbox shows / hides; click the name to highlight (others dimmed).
                bool shown = !e.hidden;
                ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(1, 0));
                if (ImGui::Checkbox(("##show" + e.label).c_str(), &shown)) toggle = e.cluster;
                ImGui::PopStyleVar();
                NoteItem("Legend/" + e.label + "/show");
                if (ImGui::IsItemHovered()) ImGui::SetTooltip(e.hidden ? "Hidden: tick to show" : "Untick to hide these points");
                ImGui::SameLine();
                char pct[32];
                std::snprintf(pct, sizeof pct, "%.1f%%", data.rows ? 100.0 * static_cast<double>(e.count) / data.rows : 0.0);
                const std::string text = e.label + "  " + format_count(e.count) + "  " + pct;
                if (e.hidden) ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
                if (ImGui::Selectable((text + "##" + e.label).c_str(), map.highlighted() == e.cluster)) highlight = e.cluster;
                if (e.hidden) ImGui::PopStyleColor();
                NoteItem("Legend/" + e.label);
                const bool hovered_entry = ImGui::IsItemHovered();
                if (e.cluster >= 0 && static_cast<std::size_t>(e.cluster) < jaccard.size()) {
                    const double v = jaccard[static_cast<std::size_t>(e.cluster)];
                    const ImVec4 col = v >= 0.85 ? ImVec4(0.4f, 0.85f, 0.45f, 1) : v >= 0.6 ? ImVec4(0.95f, 0.8f, 0.3f, 1) : ImVec4(1, 0.4f, 0.35f, 1);
                    ImGui::SameLine();
                    ImGui::TextColored(col, "J %.2f%s", v, v < 0.6 ? " !" : "");
                    NoteItem("Legend/" + e.label + "/stability");
                    if (ImGui::IsItemHovered())
                        ImGui::SetTooltip("Stability: mean Jaccard overlap with the best-matching cluster over the reruns\n"
                                          "(other seeds, a permuted row order, subsamples). %s",
                                          v >= 0.85 ? "Stable." : v >= 0.6 ? "Fair: its boundary moves." : "Unstable: it does not survive small changes.");
                }
                if (hovered_entry)
                    ImGui::SetTooltip(map.highlighted() == e.cluster ? "Highlighted: click again to show all equally"
                                                                     : "Click to highlight (the rest is dimmed)");
                continue;
            }
            ImGui::Text("%s", e.label.c_str());
            ImGui::SameLine();
            ImGui::TextDisabled("%s", format_count(e.count).c_str());
        }
        if (scroll) ImGui::EndChild();
        if (toggle != LegendEntry::kNoCluster) map.toggle_hidden(toggle);
        if (highlight != LegendEntry::kNoCluster) map.toggle_highlight(highlight);
    }
    left = ImGui::GetWindowPos().x;
    ImGui::End();
}

void DrawPointTooltip(const Dataset& data, int row, std::size_t original_row, const std::function<void()>& extra) {
    if (row < 0 || static_cast<std::size_t>(row) >= data.rows) return;
    ImGui::BeginTooltip();
    ImGui::Text("row %zu", original_row);
    ImGui::Separator();
    const std::size_t shown = std::min<std::size_t>(data.columns.size(), 24);
    if (ImGui::BeginTable("row", 2, ImGuiTableFlags_SizingFixedFit)) {
        for (std::size_t c = 0; c < shown; ++c) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::TextDisabled("%s", data.columns[c].name.c_str());
            ImGui::TableNextColumn();
            std::string v = data.cell_text(static_cast<std::size_t>(row), c);
            if (v.size() > 60) v = v.substr(0, 57) + "...";
            if (v.empty()) ImGui::TextDisabled("(missing)");
            else ImGui::TextUnformatted(v.c_str());
        }
        ImGui::EndTable();
    }
    if (data.columns.size() > shown) ImGui::TextDisabled("... %zu more columns", data.columns.size() - shown);
    if (extra) extra();
    ImGui::EndTooltip();
}

}  // namespace recluster::web::ui
