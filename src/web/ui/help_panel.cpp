// "Help": a short how-to, every keyboard shortcut, the built-in demos and what stays on this computer.
#include <imgui.h>

#include "platform/browser.hpp"
#include "ui/panels.hpp"
#include "ui/widget_rects.hpp"

namespace recluster::web::ui {

const std::vector<Demo>& Demos() {
    static const std::vector<Demo> demos = {
        {"Handwritten digits", "digits.csv", "1,797 images of 8 x 8 pixels (scikit-learn's digits): ten digits, some written in several ways"},
        {"Fashion-MNIST sample", "fashion.csv", "3,000 clothing images of 28 x 28 pixels, 300 per class: shirts, coats and pullovers overlap"},
        {"Shop users", "users.csv", "4,000 users of a shop (synthetic): activity, spending and device habits, with the segment each was drawn from"},
    };
    return demos;
}

void DrawDemoButtons(float width) {
    for (const auto& d : Demos()) {
        if (ImGui::Button(d.title, ImVec2(width, 0))) platform::load_url(std::string("demo/") + d.file);
        NoteItem(std::string("Demo/") + d.title);
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s.\nLoads demo/%s from this site and explores it.", d.about, d.file);
    }
}

void HelpPanel::Draw(float w, float h) {
    if (!open) return;
    ImGui::SetNextWindowPos(ImVec2(w * 0.5f, h * 0.5f), ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
    ImGui::SetNextWindowSize(ImVec2(560, 0), ImGuiCond_Appearing);
    if (!ImGui::Begin("Help (H)", &open, ImGuiWindowFlags_NoSavedSettings)) {
        ImGui::End();
        return;
    }
    ImGui::SeparatorText("Explore a CSV in four steps");
    ImGui::TextWrapped("1. Drop a CSV file on the page (or open a file, a URL or a demo). Numeric columns are the "
                       "features; the others are kept for colouring and tooltips. The Data panel (D) sets each "
                       "column's role: a category is one-hot encoded, a vector column (\"[0.1, 0.2]\") expands, "
                       "free text is embedded by its words (TF-IDF + LSA) and its clusters list their words.");
    ImGui::TextWrapped("2. The map appears: UMAP places similar rows together, HDBSCAN finds the clusters (grey = "
                       "noise). Colour by any column; hover a point for its row.");
    ImGui::TextWrapped("3. Zoom into a cluster (double-click it): its rows are embedded and clustered again on their "
                       "own, and sub-groups appear. Breadcrumbs lead back.");
    ImGui::TextWrapped("4. Explain: per-cluster boosted trees and SHAP show which features set each cluster apart. "
                       "Share a link, save the session, download the report.");
    ImGui::SeparatorText("Keyboard");
    if (ImGui::BeginTable("keys", 2, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingFixedFit)) {
        const char* keys[][2] = {{"O", "open a CSV or session file"},
                                 {"D", "the Data panel in full: column roles, how the file is read"},
                                 {"R", "run the pipeline with the panel's settings"},
                                 {"Esc", "cancel the running job; clear the selection"},
                                 {"F", "fit the map to the window"},
                                 {"drag / wheel", "pan / zoom at the cursor"},
                                 {"shift + drag", "select points (then: Zoom into selection)"},
                                 {"double-click", "zoom into the cluster under the cursor"},
                                 {"Z", "zoom into the highlighted cluster"},
                                 {"Backspace", "back up one view"},
                                 {"S", "share link, session file, report, PNG"},
                                 {"H", "this help"}};
        for (const auto& k : keys) {
            ImGui::TableNextRow();
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(k[0]);
            ImGui::TableNextColumn();
            ImGui::TextUnformatted(k[1]);
        }
        ImGui::EndTable();
    }
    NoteItem("Help/keys");
    ImGui::SeparatorText("Demos");
    DrawDemoButtons(220);
    ImGui::SeparatorText("Privacy");
    ImGui::TextWrapped("Everything is computed in this browser tab. After the page has loaded it sends nothing and "
                       "fetches only the data URLs you give it.");
    ImGui::End();
}

}  // namespace recluster::web::ui
