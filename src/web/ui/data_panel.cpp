#include <imgui.h>

#include <cstdio>

#include "ui/format.hpp"
#include "ui/panels.hpp"

namespace recluster::web::ui {

void DataPanel::Draw(const Dataset& data, float x, float y, float w, float h) {
    // Docked below the pipeline panel in the left column (its height changes with the chosen method).
    ImGui::SetNextWindowPos(ImVec2(x, y), ImGuiCond_Always);
    ImGui::SetNextWindowSize(ImVec2(w, h), ImGuiCond_Always);
    ImGui::Begin("Data");
    ImGui::Text("%s", data.name.c_str());
    ImGui::TextDisabled("%s rows x %zu columns, %zu numeric (features)", format_count(data.rows).c_str(),
                        data.columns.size(), data.numeric_columns().size());
    for (const auto& warning : data.warnings) ImGui::TextColored(ImVec4(1, 0.8f, 0.3f, 1), "! %s", warning.c_str());
    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_Borders | ImGuiTableFlags_ScrollY |
                                  ImGuiTableFlags_Resizable | ImGuiTableFlags_SizingStretchProp;
    if (ImGui::BeginTable("columns", 6, flags)) {
        ImGui::TableSetupScrollFreeze(0, 1);
        ImGui::TableSetupColumn("column", ImGuiTableColumnFlags_WidthStretch, 2.0f);
        ImGui::TableSetupColumn("type");
        ImGui::TableSetupColumn("min");
        ImGui::TableSetupColumn("max");
        ImGui::TableSetupColumn("mean");
        ImGui::TableSetupColumn("missing");
        ImGui::TableHeadersRow();
        ImGuiListClipper clipper;
        clipper.Begin(static_cast<int>(data.columns.size()));
        while (clipper.Step()) {
            for (int c = clipper.DisplayStart; c < clipper.DisplayEnd; ++c) {
                const Column& col = data.columns[c];
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(col.name.c_str());
                if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", col.name.c_str());
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(column_type_name(col.type));
                if (col.type == ColumnType::Numeric) {
                    ImGui::TableNextColumn();
                    ImGui::TextUnformatted(format_number(col.stats.min).c_str());
                    ImGui::TableNextColumn();
                    ImGui::TextUnformatted(format_number(col.stats.max).c_str());
                    ImGui::TableNextColumn();
                    ImGui::TextUnformatted(format_number(col.stats.mean).c_str());
                } else {
                    ImGui::TableNextColumn();
                    ImGui::TextDisabled("%s%zu distinct", col.stats.distinct >= ColumnStats::kDistinctCap ? ">=" : "",
                                        col.stats.distinct);
                    ImGui::TableNextColumn();
                    ImGui::TableNextColumn();
                }
                ImGui::TableNextColumn();
                if (col.stats.missing) ImGui::TextUnformatted(format_count(col.stats.missing).c_str());
                else ImGui::TextDisabled("0");
            }
        }
        ImGui::EndTable();
    }
    ImGui::End();
}

}  // namespace recluster::web::ui
