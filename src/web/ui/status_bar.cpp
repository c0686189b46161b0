#include <imgui.h>

#include "platform/browser.hpp"
#include "ui/format.hpp"
#include "ui/panels.hpp"
#include "ui/widget_rects.hpp"

namespace recluster::web::ui {

void StatusBar::Draw(Engine& engine, const MapView& map, float w, float h) {
    const float bar_h = ImGui::GetFrameHeight() + 6;
    ImGui::SetNextWindowPos(ImVec2(0, h - bar_h), ImGuiCond_Always);
    ImGui::SetNextWindowSize(ImVec2(w, bar_h), ImGuiCond_Always);
    ImGui::SetNextWindowBgAlpha(0.9f);
    ImGui::Begin("##status", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                     ImGuiWindowFlags_NoBringToFrontOnFocus);
    if (const auto& d = engine.dataset()) {
        if (map.points_drawn() < map.point_count())
            ImGui::Text("%s  |  %s rows  |  %s of %s points drawn (level of detail: zoom in for more)", d->name.c_str(),
                        format_count(d->rows).c_str(), format_count(map.points_drawn()).c_str(), format_count(map.point_count()).c_str());
        else
            ImGui::Text("%s  |  %s rows  |  %s points drawn", d->name.c_str(), format_count(d->rows).c_str(),
                        format_count(map.points_drawn()).c_str());
    }
    else
        ImGui::TextUnformatted("no data");
    ImGui::SameLine();
    ImGui::TextDisabled("  |  %s build, %d thread%s  |  %.0f fps  |  drag: pan, wheel: zoom, F: fit, O: open, S: share, H: help, Esc: cancel",
#if defined(__EMSCRIPTEN_PTHREADS__)
                        "threaded",
#else
                        "single-threaded",
#endif
                        engine.threads(), engine.threads() == 1 ? "" : "s", ImGui::GetIO().Framerate);
    ImGui::End();

    // Error banner over the map when data is on screen (the start panel shows its own).
    if (!engine.last_error().empty() && engine.dataset()) {
        ImGui::SetNextWindowPos(ImVec2(w * 0.5f, 12), ImGuiCond_Always, ImVec2(0.5f, 0));
        ImGui::SetNextWindowBgAlpha(0.95f);
        ImGui::PushStyleColor(ImGuiCol_WindowBg, ImVec4(0.45f, 0.08f, 0.08f, 1));
        ImGui::Begin("##error", nullptr,
                     ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoSavedSettings);
        ImGui::PushTextWrapPos(w * 0.6f);
        ImGui::TextUnformatted(engine.last_error().c_str());
        ImGui::PopTextWrapPos();
        ImGui::TextDisabled("The previous data and map are unchanged.");
        if (ImGui::Button("Dismiss")) engine.clear_error();
        if (engine.can_skip_bad_rows() && !engine.busy()) {
            ImGui::SameLine();
            if (ImGui::Button("Skip rows with the wrong number of fields and load the rest")) engine.retry_skipping_bad_rows();
            NoteItem("Skip bad rows");
            if (ImGui::IsItemHovered()) ImGui::SetTooltip("Loads the file again without the rows whose field count differs from the header's;\nthe warning lists their lines.");
        }
        if (engine.can_load_sample() && !engine.busy()) {
            ImGui::SameLine();
            const std::string label = "Load a sample of " + format_count(engine.suggested_sample()) + " rows";
            if (ImGui::Button(label.c_str())) platform::load_sample();
            NoteItem("Load sample");
            if (ImGui::IsItemHovered())
                ImGui::SetTooltip("Reads the file again keeping a deterministic random share of its rows, as many as fit.\n"
                                  "Once the clusters are explained, Explain > \"Assign all rows of ...\" gives every row of the file\n"
                                  "its cluster path (CLI: recluster run --sample-rows N --explain, then recluster predict).");
        }
        if (engine.can_open_without_features() && !engine.busy()) {
            ImGui::SameLine();
            if (ImGui::Button("Open it to choose its columns' roles")) engine.open_without_features();
            NoteItem("Open without features");
            if (ImGui::IsItemHovered()) ImGui::SetTooltip("Shows the file in the Data panel without computing a map;\nchoose roles there and Apply.");
        }
        ImGui::End();
        ImGui::PopStyleColor();
    }
}

}  // namespace recluster::web::ui
