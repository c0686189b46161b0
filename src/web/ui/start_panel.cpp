#include <imgui.h>

#include "platform/browser.hpp"
#include "ui/format.hpp"
#include "ui/panels.hpp"
#include "ui/widget_rects.hpp"

namespace recluster::web::ui {

void StartPanel::Draw(Engine& engine, float w, float h) {
    ImGui::SetNextWindowPos(ImVec2(w * 0.5f, h * 0.45f), ImGuiCond_Always, ImVec2(0.5f, 0.5f));
    ImGui::SetNextWindowSize(ImVec2(460, 0), ImGuiCond_Always);
    ImGui::Begin("recluster", nullptr,
                 ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoCollapse |
                     ImGuiWindowFlags_NoSavedSettings);
    ImGui::TextWrapped("Explore a CSV file: embedding, clustering and drill-down, computed in this browser tab. "
                       "Your data never leaves this computer.");
    ImGui::Spacing();
    ImGui::Separator();
    ImGui::Spacing();
    const ShareState* link = engine.pending_share();
    if (engine.busy()) {
        ImGui::Text("%s: %s", engine.busy_label(), engine.stage().c_str());
        ImGui::ProgressBar(static_cast<float>(engine.progress()), ImVec2(-1, 0));
        if (ImGui::Button("Cancel (Esc)")) engine.cancel();
    } else if (link) {
        // A share link without its data: the recipient opens the file it was made with.
        const std::string name = link->data_name.empty() ? std::string("its data file") : link->data_name;
        if (link->data_rows > 0)
            ImGui::TextWrapped("This link opens an exploration of %s (%s rows).", name.c_str(), format_count(link->data_rows).c_str());
        else
            ImGui::TextWrapped("This link opens an exploration of %s.", name.c_str());
        ImGui::TextDisabled("Drop that file on this page, or open it: it is checked by its\n"
                            "SHA-256 fingerprint, then every view of the link is recomputed here.");
        ImGui::Spacing();
        if (ImGui::Button(("Open " + name + "...").c_str(), ImVec2(-1, 34))) platform::open_file_picker();
        NoteItem("Start/Open link data");
        if (ImGui::Button("Discard the link", ImVec2(-1, 0))) engine.clear_pending_share();
        NoteItem("Start/Discard link");
    } else {
        ImGui::TextUnformatted("Drop a CSV file anywhere on this page");
        ImGui::TextDisabled("header row; comma, semicolon or tab separated;\nor a .recluster session file saved before");
        ImGui::Spacing();
        if (ImGui::Button("Open CSV or session file...  (O)", ImVec2(-1, 34))) platform::open_file_picker();
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("Choose a .csv / .tsv / .txt file, or a .recluster session file");
        ImGui::SetNextItemWidth(-70);
        const bool entered = ImGui::InputTextWithHint("##url", "or a CSV's URL (https://...)", url, sizeof url, ImGuiInputTextFlags_EnterReturnsTrue);
        NoteItem("Start/URL");
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip("The file is fetched by this page (the server must allow it: CORS) and never uploaded anywhere.");
        ImGui::SameLine();
        if ((ImGui::Button("Open", ImVec2(-1, 0)) || entered) && url[0] != 0) platform::load_url(url);
        NoteItem("Start/Open URL");
        ImGui::Spacing();
        ImGui::SeparatorText("or try a demo");
        DrawDemoButtons(-1);
        ImGui::Spacing();
        if (ImGui::SmallButton("Help and keyboard shortcuts (H)")) help_requested = true;
        NoteItem("Start/Help");
    }
    if (!engine.last_error().empty()) {
        ImGui::Spacing();
        ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.0f, 0.45f, 0.4f, 1.0f));
        ImGui::TextWrapped("%s", engine.last_error().c_str());
        ImGui::PopStyleColor();
        if (engine.can_skip_bad_rows() && !engine.busy()) {
            if (ImGui::Button("Skip rows with the wrong number of fields and load the rest")) engine.retry_skipping_bad_rows();
            NoteItem("Skip bad rows");
        }
        if (engine.can_load_sample() && !engine.busy()) {
            const std::string label = "Load a sample of " + format_count(engine.suggested_sample()) + " rows";
            if (ImGui::Button(label.c_str())) engine.load_sample();
            NoteItem("Load sample");
        }
        if (engine.can_open_without_features() && !engine.busy()) {
            if (ImGui::Button("Open it to choose its columns' roles")) engine.open_without_features();
            NoteItem("Open without features");
        }
    }
    ImGui::End();
}

}  // namespace recluster::web::ui
