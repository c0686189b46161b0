#include <imgui.h>

#include "platform/browser.hpp"
#include "ui/panels.hpp"

namespace recluster::web::ui {

void StartPanel::Draw(Engine& engine, float w, float h) {
    const ImVec2 size(460, 230);
    ImGui::SetNextWindowPos(ImVec2((w - size.x) * 0.5f, (h - size.y) * 0.45f), ImGuiCond_Always);
    ImGui::SetNextWindowSize(size, ImGuiCond_Always);
    ImGui::Begin("recluster", nullptr,
                 ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoCollapse |
                     ImGuiWindowFlags_NoSavedSettings);
    ImGui::TextWrapped("Explore a CSV file: embedding, clustering and drill-down, computed in this browser tab. "
                       "Your data never leaves this computer.");
    ImGui::Spacing();
    ImGui::Separator();
    ImGui::Spacing();
    if (engine.busy()) {
        ImGui::Text("%s: %s", engine.busy_label(), engine.stage().c_str());
        ImGui::ProgressBar(static_cast<float>(engine.progress()), ImVec2(-1, 0));
        if (ImGui::Button("Cancel (Esc)")) engine.cancel();
    } else {
        ImGui::TextUnformatted("Drop a CSV file anywhere on this page");
        ImGui::TextDisabled("header row; comma, semicolon or tab separated");
        ImGui::Spacing();
        if (ImGui::Button("Open CSV file...  (O)", ImVec2(-1, 34))) platform::open_file_picker();
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("Choose a .csv / .tsv / .txt file from this computer");
    }
    if (!engine.last_error().empty()) {
        ImGui::Spacing();
        ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.0f, 0.45f, 0.4f, 1.0f));
        ImGui::TextWrapped("%s", engine.last_error().c_str());
        ImGui::PopStyleColor();
    }
    ImGui::End();
}

}  // namespace recluster::web::ui
