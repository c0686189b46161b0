#include <imgui.h>

#include <string>

#include "app/app.hpp"
#include "platform/browser.hpp"
#include "ui/format.hpp"
#include "ui/panels.hpp"
#include "ui/widget_rects.hpp"
#include "common/json_text.hpp"

namespace recluster::web::ui {

std::string file_stem(const Engine& engine) {
    const std::string name = engine.session() ? engine.session()->dataset()->name : "data.csv";
    const std::size_t dot = name.find_last_of('.');
    return dot == std::string::npos || dot == 0 ? name : name.substr(0, dot);
}

void SharePanel::Draw(Engine& engine, const App& app, float w, float h) {
    const auto& answer = platform::share_link();
    if (answer.serial != seen_answer) {
        seen_answer = answer.serial;
        waiting = false;
        link = answer.link;
        error = answer.error;
        copied = answer.copied;
    }
    if (!open) return;
    ImGui::SetNextWindowPos(ImVec2(w * 0.5f, h * 0.3f), ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
    ImGui::SetNextWindowSize(ImVec2(520, 0), ImGuiCond_Appearing);
    if (!ImGui::Begin("Share and export (S)", &open, ImGuiWindowFlags_NoSavedSettings)) {
        ImGui::End();
        return;
    }
    const bool ready = engine.output() && !engine.busy();
    ImGui::SeparatorText("Link to this exploration");
    ImGui::TextWrapped("Opening the link recomputes every zoomed-in view to the same labels and shows this view with "
                       "the same camera, colouring and highlighted cluster.");
    ImGui::Checkbox("Put the data in the link", &embed_data);
    NoteItem("Share/embed data");
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("For small files (up to 64 KB compressed): the link alone reopens everything.\n"
                          "Without it, a link names the data's URL when it was loaded from one (?data=);\n"
                          "otherwise the recipient opens the same file, checked by its SHA-256 fingerprint.");
    ImGui::BeginDisabled(!ready || waiting);
    if (ImGui::Button("Copy link", ImVec2(140, 0))) {
        waiting = true;
        link.clear();
        error.clear();
        platform::request_share_link(embed_data);
    }
    NoteItem("Share/Copy link");
    ImGui::EndDisabled();
    ImGui::SameLine();
    if (waiting) ImGui::TextDisabled("making the link...");
    else if (!link.empty()) ImGui::TextUnformatted(copied ? "Copied to the clipboard." : "Select the link below and copy it (Ctrl+C).");
    if (!link.empty()) {
        ImGui::SetNextItemWidth(-1);
        ImGui::InputText("##link", link.data(), link.size() + 1, ImGuiInputTextFlags_ReadOnly | ImGuiInputTextFlags_AutoSelectAll);
        NoteItem("Share/link text");
        ImGui::TextDisabled("%s characters", format_count(link.size()).c_str());
    }
    if (!error.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(1.0f, 0.45f, 0.4f, 1.0f));
        ImGui::TextWrapped("%s", error.c_str());
        ImGui::PopStyleColor();
    }

    ImGui::SeparatorText("Files");
    ImGui::BeginDisabled(!ready);
    if (ImGui::Button("Export labels (CSV)", ImVec2(170, 0)))
        platform::download_text(file_stem(engine) + "_labels.csv", engine.export_labels_csv());
    NoteItem("Share/Export labels");
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
        ImGui::SetTooltip("Every row with its columns, cluster path (3, 3.1, ...), probability, outlier score,\n"
                          "map position and cluster stability.");
    ImGui::SameLine();
    if (ImGui::Button("Save session file", ImVec2(170, 0))) {
        auto bytes = engine.save_session();
        if (bytes.ok()) {
            platform::download_bytes(file_stem(engine) + ".recluster", *bytes);
            file_message = "Saved " + file_stem(engine) + ".recluster (" + format_count(bytes->size()) + " bytes).";
        } else {
            file_message = bytes.error();
        }
    }
    NoteItem("Share/Save session");
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
        ImGui::SetTooltip("One file with the data and everything computed: every view, its map, clusters,\n"
                          "stability and explanations. Opening it shows this exploration at once, without recomputing.");
    ImGui::SameLine();
    if (ImGui::Button("HTML report", ImVec2(-1, 0))) {
        nlohmann::json o;
        o["image_width"] = image_w;
        o["image_height"] = image_h;
        const std::string html = engine.report_html(json_text(o));
        if (html.rfind("error: ", 0) == 0 || html.empty()) {
            file_message = html.empty() ? "Nothing to report yet." : html.substr(7);
        } else {
            platform::download_text(file_stem(engine) + "_report.html", html, "text/html");
            file_message = "Saved " + file_stem(engine) + "_report.html (" + format_count(html.size()) + " bytes): open it in any browser, print it to PDF.";
        }
    }
    NoteItem("Share/Report");
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
        ImGui::SetTooltip("One self-contained HTML file (opens offline): a map and cluster table per view, and per cluster\n"
                          "its SHAP chart, profile, representative rows and average image. Prints one cluster per page.");
    // The map as on screen, at a chosen size.
    const char* sizes[] = {"screen size", "2 x screen", "1920 x 1080", "3840 x 2160"};
    if (ImGui::Button("Export PNG", ImVec2(170, 0))) {
        std::size_t pw = 0, ph = 0;
        if (png_size_choice == 1) pw = static_cast<std::size_t>(2 * w), ph = static_cast<std::size_t>(2 * h);
        if (png_size_choice == 2) pw = 1920, ph = 1080;
        if (png_size_choice == 3) pw = 3840, ph = 2160;
        auto png = app.map_png(pw, ph);
        if (png.ok()) {
            platform::download_bytes(file_stem(engine) + "_map.png", *png, "image/png");
            file_message = "Saved " + file_stem(engine) + "_map.png (" + format_count(png->size()) + " bytes).";
        } else {
            file_message = png.error();
        }
    }
    NoteItem("Share/Export PNG");
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
        ImGui::SetTooltip("The map as on screen (camera, colours, highlight) with the breadcrumbs and the legend.");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(170);
    ImGui::Combo("##png size", &png_size_choice, sizes, 4);
    NoteItem("Share/PNG size");
    ImGui::EndDisabled();
    if (ImGui::Button("Open session file...", ImVec2(170, 0))) platform::open_file_picker();
    NoteItem("Share/Open session");
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("A .recluster file saved here before (drop it on the page, or choose it).");
    if (!file_message.empty()) ImGui::TextWrapped("%s", file_message.c_str());
    ImGui::End();
}

}  // namespace recluster::web::ui
