#include <imgui.h>

#include <cstdio>

#include "prep/column_types.hpp"
#include "ui/format.hpp"
#include "ui/panels.hpp"
#include "ui/widget_rects.hpp"

namespace recluster::web::ui {

namespace {

constexpr ColumnRole kRoles[] = {ColumnRole::Feature, ColumnRole::Pixels, ColumnRole::Category, ColumnRole::Vector,
                                 ColumnRole::Text,    ColumnRole::Label,  ColumnRole::Identifier, ColumnRole::Ignore};

const char* role_help(ColumnRole r) {
    switch (r) {
        case ColumnRole::Feature: return "a feature: embedded and clustered";
        case ColumnRole::Pixels: return "a feature that is also a pixel: clusters show average images";
        case ColumnRole::Category: return "one-hot encoded: one 0/1 feature per value (up to the cap)";
        case ColumnRole::Vector: return "\"[0.1, 0.2, ...]\" or space-separated numbers: one feature per dimension";
        case ColumnRole::Text: return "free text: TF-IDF + LSA features; clusters list their words (Explain > Words)";
        case ColumnRole::Label: return "not a feature: colours the map and scores the clusters (ARI / NMI)";
        case ColumnRole::Identifier: return "not a feature: shown on hover and kept in exports";
        case ColumnRole::Ignore: return "not used";
    }
    return "";
}

// A combo whose items are named widgets ("<name>/<item>") so browser tests can pick them.
bool NamedCombo(const char* label, const std::string& name, int& choice, const char* const* items, int count) {
    bool changed = false;
    ImGui::SetNextItemWidth(120);
    if (ImGui::BeginCombo(label, items[choice])) {
        for (int i = 0; i < count; ++i) {
            if (ImGui::Selectable(items[i], i == choice)) choice = i, changed = true;
            NoteItem(name + "/" + items[i]);
        }
        ImGui::EndCombo();
    }
    NoteItem(name);
    return changed;
}

}  // namespace

void DataPanel::Draw(Engine& engine, float x, float y, float w, float h) {
    const auto& shown = engine.dataset();
    if (!shown || !engine.session()) return;
    const Dataset& data = *shown;
    const std::string key = engine.session()->dataset()->fingerprint + data_setup_json(engine.data_setup());
    if (key != synced) {
        draft = engine.data_setup();
        synced = key;
    }
    // Docked below the pipeline panel in the left column (its height changes with the chosen method).
    ImGui::SetNextWindowPos(ImVec2(x, y), ImGuiCond_Always);
    ImGui::SetNextWindowSize(ImVec2(w, h), ImGuiCond_Always);
    ImGui::Begin("Data");
    if (ImGui::SmallButton(expanded ? "< Pipeline" : "Expand")) expanded = !expanded;
    NoteItem("Data/Expand");
    if (ImGui::IsItemHovered()) ImGui::SetTooltip(expanded ? "Back to the pipeline panel (D)" : "The columns and their roles in the whole left column (D)");
    ImGui::SameLine();
    ImGui::Text("%s", data.name.c_str());
    if (!engine.output() && !engine.busy())
        ImGui::TextColored(ImVec4(1, 0.8f, 0.3f, 1), "No map yet: give columns a role below, then Apply.");
    const std::size_t file_columns = data.original_columns();
    ImGui::TextDisabled("%s rows x %zu columns -> %zu features", format_count(data.rows).c_str(), file_columns,
                        data.feature_columns().size());
    for (const auto& warning : data.warnings) ImGui::TextColored(ImVec4(1, 0.8f, 0.3f, 1), "! %s", warning.c_str());

    // How the file is read.
    if (ImGui::TreeNodeEx("Reading the file", reader_open ? ImGuiTreeNodeFlags_DefaultOpen : 0)) {
        NoteItem("Data/Reading");
        reader_open = true;
        const char* delimiters[] = {"sniffed", ", comma", "; semicolon", "tab", "| pipe"};
        const char delimiter_chars[] = {0, ',', ';', '\t', '|'};
        int d = 0;
        for (int i = 0; i < 5; ++i)
            if (draft.delimiter == delimiter_chars[i]) d = i;
        if (NamedCombo("delimiter", "Data/Delimiter", d, delimiters, 5)) draft.delimiter = delimiter_chars[d];
        ImGui::SameLine();
        ImGui::TextDisabled("(read: %s)", data.delimiter == '\t' ? "tab" : std::string(1, data.delimiter).c_str());
        const char* decimals[] = {"sniffed", ". point", ", comma"};
        const char decimal_chars[] = {0, '.', ','};
        int m = draft.decimal == '.' ? 1 : draft.decimal == ',' ? 2 : 0;
        if (NamedCombo("decimal separator", "Data/Decimal", m, decimals, 3)) draft.decimal = decimal_chars[m];
        const char* headers[] = {"detected", "first row", "none (col1..colN)"};
        int hd = draft.header < 0 ? 0 : draft.header == 1 ? 1 : 2;
        if (NamedCombo("header", "Data/Header", hd, headers, 3)) draft.header = hd == 0 ? -1 : hd == 1 ? 1 : 0;
        ImGui::Checkbox("skip rows with the wrong number of fields", &draft.skip_bad_rows);
        NoteItem("Data/Skip bad rows");
        ImGui::SetNextItemWidth(120);
        ImGui::SliderInt("category cap", &draft.typing.max_categories, 2, 1000, "%d", ImGuiSliderFlags_AlwaysClamp | ImGuiSliderFlags_Logarithmic);
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("A category column with more distinct values than this is not one-hot encoded.");
        ImGui::SetNextItemWidth(120);
        ImGui::SliderInt("text dimensions", &draft.typing.text_dims, 2, 300, "%d", ImGuiSliderFlags_AlwaysClamp);
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("LSA components computed from each text column's TF-IDF.");
        ImGui::TreePop();
    } else {
        NoteItem("Data/Reading");
        reader_open = false;
    }

    // Apply / revert the draft.
    const bool changed = !(draft == engine.data_setup());
    if (changed) {
        ImGui::BeginDisabled(engine.busy());
        if (ImGui::Button("Apply: read the file again")) engine.set_data_setup(data_setup_json(draft));
        NoteItem("Data/Apply");
        if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
            ImGui::SetTooltip("Reads the file with these settings and recomputes the map on the new features.\nIf it fails, the current exploration stays.");
        ImGui::SameLine();
        if (ImGui::Button("Revert")) draft = engine.data_setup();
        NoteItem("Data/Revert");
        ImGui::EndDisabled();
    }

    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_Borders | ImGuiTableFlags_ScrollY |
                                  ImGuiTableFlags_Resizable | ImGuiTableFlags_SizingStretchProp;
    if (ImGui::BeginTable("columns", 4, flags)) {
        ImGui::TableSetupScrollFreeze(0, 1);
        ImGui::TableSetupColumn("column", ImGuiTableColumnFlags_WidthStretch, 1.6f);
        ImGui::TableSetupColumn("role", ImGuiTableColumnFlags_WidthStretch, 1.4f);
        ImGui::TableSetupColumn("values", ImGuiTableColumnFlags_WidthStretch, 1.8f);
        ImGui::TableSetupColumn("missing", ImGuiTableColumnFlags_WidthStretch, 0.8f);
        ImGui::TableHeadersRow();
        ImGuiListClipper clipper;
        clipper.Begin(static_cast<int>(file_columns));
        while (clipper.Step()) {
            for (int c = clipper.DisplayStart; c < clipper.DisplayEnd; ++c) {
                const Column& col = data.columns[static_cast<std::size_t>(c)];
                ImGui::PushID(c);
                ImGui::TableNextRow();
                ImGui::TableNextColumn();
                ImGui::TextUnformatted(col.name.c_str());
                if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s (%s)", col.name.c_str(), column_type_name(col.type));
                ImGui::TableNextColumn();
                auto chosen = draft.typing.roles.find(col.name);
                std::string preview = chosen != draft.typing.roles.end() ? column_role_name(chosen->second)
                                                                          : std::string("auto: ") + column_role_name(col.role);
                ImGui::SetNextItemWidth(-1);
                if (ImGui::BeginCombo("##role", preview.c_str())) {
                    if (ImGui::Selectable("auto (detected)", chosen == draft.typing.roles.end())) draft.typing.roles.erase(col.name);
                    NoteItem("Role/" + col.name + "/auto");
                    for (ColumnRole r : kRoles) {
                        if (!role_fits(r, col.type)) continue;
                        const bool selected = chosen != draft.typing.roles.end() && chosen->second == r;
                        if (ImGui::Selectable(column_role_name(r), selected)) draft.typing.roles[col.name] = r;
                        NoteItem("Role/" + col.name + "/" + column_role_name(r));
                        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", role_help(r));
                    }
                    ImGui::EndCombo();
                }
                NoteItem("Role/" + col.name);
                if (ImGui::IsItemHovered())
                    ImGui::SetTooltip("%s: %s%s%s", column_role_name(col.role), role_help(col.role), col.note.empty() ? "" : "\n",
                                      col.note.c_str());
                ImGui::TableNextColumn();
                if (!col.note.empty() && col.role != ColumnRole::Feature && col.role != ColumnRole::Pixels) {
                    ImGui::TextDisabled("%s", col.note.c_str());
                } else if (col.type == ColumnType::Numeric) {
                    ImGui::Text("%s .. %s", format_number(col.stats.min).c_str(), format_number(col.stats.max).c_str());
                    if (ImGui::IsItemHovered()) ImGui::SetTooltip("mean %s", format_number(col.stats.mean).c_str());
                } else {
                    ImGui::TextDisabled("%s%zu distinct", col.stats.distinct >= ColumnStats::kDistinctCap ? ">=" : "", col.stats.distinct);
                }
                if (ImGui::IsItemHovered() && !col.note.empty()) ImGui::SetTooltip("%s", col.note.c_str());
                ImGui::TableNextColumn();
                if (col.stats.missing) ImGui::TextUnformatted(format_count(col.stats.missing).c_str());
                else ImGui::TextDisabled("0");
                ImGui::PopID();
            }
        }
        ImGui::EndTable();
    }
    ImGui::End();
}

}  // namespace recluster::web::ui
