// The "Explain" window: per-cluster one-vs-rest boosted models of the current view (trained in the background on
// request, all clusters or the chosen one): how well the original features predict the cluster (held-out AUC,
// a validity check), features by mean |SHAP| with a beeswarm, the profile table, the average image and SHAP
// heat-map for pixel data, and representative / outlier rows. Hovering a point of an explained cluster shows its
// own SHAP contributions (a waterfall) in the point tooltip.
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "render/colormap.hpp"
#include "platform/browser.hpp"
#include "ui/format.hpp"
#include "ui/panels.hpp"
#include "ui/widget_rects.hpp"

namespace recluster::web::ui {

namespace {

// Blue (-1) .. grey (0) .. red (+1).
ImU32 diverging(double t) {
    t = std::clamp(t, -1.0, 1.0);
    const int fade = 200 - static_cast<int>(150 * std::fabs(t)), strong = 200 + static_cast<int>(55 * std::fabs(t));
    return t < 0 ? IM_COL32(fade, fade, strong, 255) : IM_COL32(strong, fade, fade, 255);
}

// Horizontal bars of values (>= 0 scaled to the largest, or signed around a centre line).
void Bars(const std::vector<std::pair<std::string, double>>& items, bool signed_values, float width) {
    double top = 0;
    for (const auto& it : items) top = std::max(top, std::fabs(it.second));
    if (!(top > 0)) top = 1;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float label_w = 110, bar_w = width - label_w - 70, row_h = ImGui::GetTextLineHeightWithSpacing();
    for (const auto& [name, v] : items) {
        const ImVec2 p = ImGui::GetCursorScreenPos();
        std::string label = name.size() > 16 ? name.substr(0, 15) + "~" : name;
        dl->AddText(p, IM_COL32(210, 210, 210, 255), label.c_str());
        const float x0 = p.x + label_w + (signed_values ? bar_w / 2 : 0);
        const float len = static_cast<float>(v / top) * (signed_values ? bar_w / 2 : bar_w);
        dl->AddRectFilled(ImVec2(std::min(x0, x0 + len), p.y + 2), ImVec2(std::max(x0, x0 + len), p.y + row_h - 3),
                          signed_values ? diverging(v / top) : IM_COL32(110, 160, 230, 255));
        const std::string value = format_number(v);
        dl->AddText(ImVec2(p.x + label_w + bar_w + 6, p.y), IM_COL32(170, 170, 170, 255), value.c_str());
        ImGui::Dummy(ImVec2(width, row_h));
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s: %s", name.c_str(), value.c_str());
    }
}

// One row of dots per top feature: x = SHAP value, colour = the feature's value (low blue .. high red).
void Beeswarm(const ClusterExplanation& e, const std::vector<std::string>& names, float width) {
    const std::size_t top = e.shap_rows.empty() ? 0 : e.shap_top.size() / e.shap_rows.size();
    if (top == 0) return;
    double reach = 0;
    for (float v : e.shap_top) reach = std::max(reach, static_cast<double>(std::fabs(v)));
    if (!(reach > 0)) reach = 1;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float label_w = 110, plot_w = width - label_w - 10, row_h = 16;
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const float centre = origin.x + label_w + plot_w / 2;
    dl->AddLine(ImVec2(centre, origin.y), ImVec2(centre, origin.y + row_h * static_cast<float>(top)), IM_COL32(120, 120, 120, 255));
    for (std::size_t k = 0; k < top; ++k) {
        const float y = origin.y + row_h * static_cast<float>(k);
        const std::string& name = names[static_cast<std::size_t>(e.features[k].feature)];
        std::string label = name.size() > 16 ? name.substr(0, 15) + "~" : name;
        dl->AddText(ImVec2(origin.x, y), IM_COL32(210, 210, 210, 255), label.c_str());
        float lo = INFINITY, hi = -INFINITY;
        for (std::size_t i = 0; i < e.shap_rows.size(); ++i) {
            const float v = e.value_top[i * top + k];
            if (std::isfinite(v)) {
                lo = std::min(lo, v);
                hi = std::max(hi, v);
            }
        }
        for (std::size_t i = 0; i < e.shap_rows.size(); ++i) {
            const float s = e.shap_top[i * top + k], v = e.value_top[i * top + k];
            const float x = centre + static_cast<float>(s / reach) * plot_w / 2;
            const float jitter = static_cast<float>((i * 2654435761u) % 1000) / 1000.0f - 0.5f;  // spread the dots
            const ImU32 c = !std::isfinite(v) ? IM_COL32(150, 150, 150, 200)
                            : hi > lo ? diverging(2.0 * (v - lo) / (hi - lo) - 1.0)
                                      : IM_COL32(200, 200, 200, 255);
            const float cy = y + row_h / 2 + jitter * (row_h - 6);
            dl->AddRectFilled(ImVec2(x - 1.5f, cy - 1.5f), ImVec2(x + 1.5f, cy + 1.5f), c);  // 4 vertices a dot
        }
    }
    ImGui::Dummy(ImVec2(width, row_h * static_cast<float>(top)));
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("One dot per sampled row of the cluster: position = its SHAP value for the feature\n"
                          "(right pushes towards this cluster), colour = the feature's value (blue low, red high).");
}

// A features-as-pixels image (row-major w x h): grey by value, or diverging by signed value.
void Image(const std::vector<double>& values, int w, int h, bool signed_values, float cell) {
    double lo = INFINITY, hi = -INFINITY, reach = 0;
    for (double v : values)
        if (std::isfinite(v)) {
            lo = std::min(lo, v);
            hi = std::max(hi, v);
            reach = std::max(reach, std::fabs(v));
        }
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 p = ImGui::GetCursorScreenPos();
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            const double v = values[static_cast<std::size_t>(y * w + x)];
            ImU32 c = IM_COL32(60, 60, 60, 255);
            if (std::isfinite(v)) {
                if (signed_values) {
                    c = diverging(reach > 0 ? v / reach : 0);
                } else {
                    const int g = hi > lo ? static_cast<int>(255 * (v - lo) / (hi - lo)) : 128;
                    c = IM_COL32(g, g, g, 255);
                }
            }
            dl->AddRectFilled(ImVec2(p.x + x * cell, p.y + y * cell), ImVec2(p.x + (x + 1) * cell, p.y + (y + 1) * cell), c);
        }
    ImGui::Dummy(ImVec2(w * cell, h * cell));
}

}  // namespace

void ExplainPanel::Draw(Engine& engine, MapView& map, float right, float top, float max_bottom) {
    const PipelineOutput* out = engine.output();
    const Session* session = engine.session();
    if (!out || !session || out->clustering.sizes.empty()) return;
    const SessionNode& node = session->node(session->current());
    const int k = static_cast<int>(out->clustering.sizes.size());
    if (map.highlighted() >= 0 && map.highlighted() < k && map.highlighted() != followed_highlight) {
        cluster = map.highlighted();  // the legend's highlighted cluster is the one explained
        followed_highlight = map.highlighted();
    }
    cluster = std::clamp(cluster, 0, k - 1);
    if (pixels_generation != engine.generation()) {  // the features that draw as an image
        pixels_generation = engine.generation();
        pixel_features = engine.dataset()->image_features(out->feature_columns);
    }
    const std::size_t d = pixel_features.size();
    if (d != features_seen) {  // pixel data: a square number of features is an image (28 x 28, 8 x 8)
        features_seen = d;
        const int side = static_cast<int>(std::lround(std::sqrt(static_cast<double>(d))));
        image_w = side * side == static_cast<int>(d) && side >= 4 ? side : 0;
        image_h = image_w;
        select_image_tab = image_w > 0;  // pixel data opens on its average images
    }

    // Automatic explanations after every clustering of views up to kAutoExplainRows rows (at most two attempts
    // per clustering, e.g. when another analysis cancelled the first); larger views on request.
    if (auto_explain && out->labels.size() <= kAutoExplainRows && engine.generation() != auto_generation) {
        auto_generation = engine.generation();
        auto_attempts = 0;
    }
    const bool explained_all = node.explanations && static_cast<int>(node.explanations->size()) == k;
    if (auto_explain && out->labels.size() <= kAutoExplainRows && engine.generation() == auto_generation && !explained_all &&
        auto_attempts < 2 && pending.empty() && !engine.busy() && !engine.analysing()) {
        ++auto_attempts;
        pending = "{}";
        pending_generation = engine.generation();
    }
    ImGui::SetNextWindowPos(ImVec2(right, top), ImGuiCond_Always, ImVec2(1, 0));
    ImGui::SetNextWindowBgAlpha(0.9f);
    ImGui::SetNextWindowSizeConstraints(ImVec2(380, 0), ImVec2(380, std::max(160.0f, max_bottom - top)));
    if (!ImGui::Begin("Explain", nullptr, ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings)) {
        ImGui::End();
        return;
    }
    // A request waits while another analysis (e.g. the quality metrics after a run) holds the analysis slot.
    if (!pending.empty() && (engine.generation() != pending_generation || engine.busy())) pending.clear();
    if (!pending.empty() && !engine.analysing()) {
        engine.analyze("explain", pending);
        pending.clear();
    }
    const bool can_start = !engine.busy() && pending.empty();
    const auto request = [&](std::string options) {
        pending = std::move(options);
        pending_generation = engine.generation();
    };
    const bool all_done = node.explanations && static_cast<int>(node.explanations->size()) == k;
    ImGui::BeginDisabled(!can_start || all_done);
    if (ImGui::Button("Explain all clusters")) request("{}");
    NoteItem("Explain all clusters");
    ImGui::EndDisabled();
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
        ImGui::SetTooltip("Train a gradient-boosted tree model per cluster (this cluster vs the rest) on the\n"
                          "original features, then rank the features by SHAP. Runs in the background.");
    ImGui::SameLine();
    ImGui::Checkbox("auto", &auto_explain);
    NoteItem("Explain automatically");
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("Explain every clustering of views up to %s rows automatically, in the background.",
                          format_count(kAutoExplainRows).c_str());
    ImGui::SameLine();
    ImGui::SetNextItemWidth(70);
    if (ImGui::BeginCombo("Cluster", std::to_string(cluster).c_str())) {
        for (int c = 0; c < k; ++c) {
            const std::string item = std::to_string(c) + "  (" + format_count(out->clustering.sizes[static_cast<std::size_t>(c)]) + " rows)";
            if (ImGui::Selectable(item.c_str(), c == cluster)) cluster = c;
        }
        ImGui::EndCombo();
    }
    NoteItem("Explain cluster");
    if (engine.analysing() && engine.analysis_stage() != "" &&
        (engine.analysis_stage() == "training cluster models" || engine.analysis_stage() == "binning features")) {
        ImGui::ProgressBar(static_cast<float>(engine.analysis_progress()), ImVec2(-1, 0), engine.analysis_stage().c_str());
    }
    {
        // Predicting needs a model for every cluster of the top view (its rows then descend into explained views).
        const bool ready = engine.can_assign();
        const char* not_ready = "Explain every cluster of the top view first.";
        ImGui::BeginDisabled(!ready || engine.busy() || engine.assigning());
        if (ImGui::Button("Show rows of a CSV file on the map...")) platform::open_file_picker(platform::Picker::Predict);
        NoteItem("Predict from CSV");
        if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
            ImGui::SetTooltip("%s", ready ? "Assign the rows of another CSV file (same columns) to clusters with these models,\n"
                                            "without re-running UMAP or HDBSCAN; they appear as rings on the map."
                                          : not_ready);
        if (ImGui::Button("Assign every row of a CSV file...")) platform::open_file_picker(platform::Picker::Assign);
        NoteItem("Assign CSV");
        if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
            ImGui::SetTooltip("%s", ready ? "Stream a CSV file of any size (same columns) through these models and download each\n"
                                            "row's cluster path as <name>-paths.csv (row, path, confidence, probability).\n"
                                            "The file is read in slices in this tab; nothing is uploaded."
                                          : not_ready);
        // A sample of a file is on screen: its other rows get their paths from the same file, without picking it again.
        if (engine.sampled_rows() > 0 && platform::loaded_file_held() && engine.dataset()) {
            const std::string label = "Assign all rows of " + session->dataset()->name;
            if (ImGui::Button(label.c_str())) platform::assign_loaded_file();
            NoteItem("Assign loaded file");
            if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
                ImGui::SetTooltip("%s", ready ? ("The map shows a sample of " + format_count(session->dataset()->rows) +
                                                 " rows. Assign every row of the file to a cluster\npath with these models and download the paths.")
                                                    .c_str()
                                              : not_ready);
        }
        ImGui::EndDisabled();
    }
    if (engine.assigning()) {
        ImGui::ProgressBar(static_cast<float>(engine.analysis_progress()), ImVec2(-60, 0), "assigning rows");
        ImGui::SameLine();
        if (ImGui::SmallButton("Cancel##assign")) engine.cancel_analysis();
        NoteItem("Cancel assign");
    }
    if (const auto& a = engine.last_assignment(); a.is_object()) {
        const double seconds = a.value("elapsed_ms", 0.0) / 1000.0;
        ImGui::TextWrapped("%s rows of %s assigned in %.1f s to %s paths (downloaded as paths CSV).",
                           format_count(a.value("rows", std::size_t{0})).c_str(), a.value("name", std::string()).c_str(), seconds,
                           format_count(a["paths"].size()).c_str());
        NoteItem("Assignment summary");
        std::size_t shown = 0;
        for (const auto& p : a["paths"]) {
            if (++shown > 6) break;
            ImGui::BulletText("%s: %s rows", p.value("path", std::string()).c_str(), format_count(p.value("rows", std::size_t{0})).c_str());
        }
    }
    if (const auto& predicted = engine.predicted_points(); !predicted.empty()) {
        ImGui::Text("%s predicted rows (orange rings)", format_count(predicted.size()).c_str());
        ImGui::SameLine();
        if (ImGui::SmallButton("Clear")) engine.clear_predictions();
        NoteItem("Clear predictions");
    }
    // Text columns: the cluster's most distinctive words (no model needed).
    if (terms_generation != engine.generation()) {
        terms_generation = engine.generation();
        terms = nlohmann::json::parse(engine.top_terms_json(""), nullptr, false);
    }
    if (terms.is_object() && terms.contains("clusters")) {
        const std::string title = "Words of cluster " + std::to_string(cluster) + " (" + terms.value("column", std::string()) + ")";
        if (ImGui::CollapsingHeader(title.c_str(), ImGuiTreeNodeFlags_DefaultOpen)) {
            NoteItem("Explain words");
            const auto& list = terms["clusters"];
            if (cluster < static_cast<int>(list.size()) && !list[static_cast<std::size_t>(cluster)]["terms"].empty()) {
                if (ImGui::BeginTable("words", 3, ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_RowBg)) {
                    ImGui::TableSetupColumn("word");
                    ImGui::TableSetupColumn("in cluster");
                    ImGui::TableSetupColumn("elsewhere");
                    ImGui::TableHeadersRow();
                    for (const auto& t : list[static_cast<std::size_t>(cluster)]["terms"]) {
                        ImGui::TableNextRow();
                        ImGui::TableNextColumn();
                        ImGui::TextUnformatted(t["term"].get<std::string>().c_str());
                        ImGui::TableNextColumn();
                        ImGui::Text("%.0f%%", 100.0 * t["share_in"].get<double>());
                        ImGui::TableNextColumn();
                        ImGui::TextDisabled("%.0f%%", 100.0 * t["share_out"].get<double>());
                    }
                    ImGui::EndTable();
                }
                if (ImGui::IsItemHovered())
                    ImGui::SetTooltip("Words in many of this cluster's rows and few of the others' (share of rows containing each).");
            } else {
                ImGui::TextDisabled("No word stands out in this cluster.");
            }
        }
    }
    const ClusterExplanation* e = node.explanation(cluster);
    if (!e) {
        ImGui::BeginDisabled(!can_start);
        if (ImGui::Button(("Explain cluster " + std::to_string(cluster)).c_str()))
            request("{\"cluster\":" + std::to_string(cluster) + "}");
        NoteItem("Explain this cluster");
        ImGui::EndDisabled();
        ImGui::TextDisabled(pending.empty() ? "Not explained yet." : "Queued behind the running analysis.");
        ImGui::End();
        return;
    }
    const auto& names = out->feature_columns;
    // How well the data explains the cluster: a cluster the original features cannot predict is suspect.
    const bool measured = std::isfinite(e->auc);
    ImGui::Text("AUC %s   accuracy %s   %d trees", measured ? format_number(e->auc).c_str() : "n/a",
                std::isfinite(e->accuracy) ? format_number(e->accuracy).c_str() : "n/a", e->report.rounds);
    NoteItem("Explain AUC");
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("Held-out ROC AUC and accuracy of the model predicting this cluster from the original\n"
                          "features (%s training rows, %s held out). Near 1: the features explain the cluster;\n"
                          "near 0.5: they do not, and the cluster may be an artefact of the embedding.",
                          format_count(e->report.train_rows).c_str(), format_count(e->report.validation_rows).c_str());
    if (measured && e->auc < 0.7) ImGui::TextColored(ImVec4(1.0f, 0.6f, 0.3f, 1.0f), "The features barely predict this cluster: suspect.");

    if (ImGui::BeginTabBar("explain_tabs")) {
        if (ImGui::BeginTabItem("SHAP")) {
            std::vector<std::pair<std::string, double>> bars;
            for (std::size_t i = 0; i < e->features.size() && i < 10; ++i)
                bars.emplace_back(names[static_cast<std::size_t>(e->features[i].feature)], e->features[i].mean_abs_shap);
            ImGui::TextDisabled("mean |SHAP| over %zu rows of the cluster", e->shap_rows.size());
            Bars(bars, false, 360);
            ImGui::Separator();
            Beeswarm(*e, names, 360);
            ImGui::EndTabItem();
        }
        if (ImGui::BeginTabItem("Profile")) {
            if (ImGui::BeginTable("profile", 4, ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_RowBg)) {
                ImGui::TableSetupColumn("feature");
                ImGui::TableSetupColumn("cluster");
                ImGui::TableSetupColumn("rest");
                ImGui::TableSetupColumn("std. diff");
                ImGui::TableHeadersRow();
                for (std::size_t i = 0; i < e->profile.size() && i < 12; ++i) {
                    const auto& p = e->profile[i];
                    ImGui::TableNextRow();
                    ImGui::TableNextColumn();
                    ImGui::TextUnformatted(names[static_cast<std::size_t>(p.feature)].c_str());
                    ImGui::TableNextColumn();
                    ImGui::TextUnformatted(format_number(p.cluster_mean).c_str());
                    ImGui::TableNextColumn();
                    ImGui::TextUnformatted(format_number(p.rest_mean).c_str());
                    ImGui::TableNextColumn();
                    ImGui::TextColored(p.std_diff >= 0 ? ImVec4(1.0f, 0.55f, 0.5f, 1) : ImVec4(0.55f, 0.65f, 1.0f, 1), "%s %s",
                                       p.std_diff >= 0 ? "+" : "-", format_number(std::fabs(p.std_diff)).c_str());
                }
                ImGui::EndTable();
            }
            ImGui::TextDisabled("std. diff: (cluster mean - rest mean) / pooled standard deviation");
            ImGui::EndTabItem();
        }
        const bool image_tab = ImGui::BeginTabItem("Image", nullptr, select_image_tab ? ImGuiTabItemFlags_SetSelected : 0);
        select_image_tab = false;
        NoteItem("Explain tab Image");
        if (image_tab) {
            ImGui::SetNextItemWidth(80);
            ImGui::InputInt("width", &image_w, 0);
            ImGui::SameLine();
            ImGui::SetNextItemWidth(80);
            ImGui::InputInt("height", &image_h, 0);
            image_w = std::max(0, image_w);
            image_h = std::max(0, image_h);
            if (image_w > 0 && image_h > 0 && static_cast<std::size_t>(image_w * image_h) == d) {
                const float cell = std::clamp(170.0f / static_cast<float>(std::max(image_w, image_h)), 1.0f, 12.0f);
                ImGui::BeginGroup();
                ImGui::TextDisabled("average image");
                std::vector<double> mean_pixels, shap_pixels;
                for (std::size_t f : pixel_features) {
                    mean_pixels.push_back(f < e->mean_values.size() ? e->mean_values[f] : 0.0);
                    shap_pixels.push_back(f < e->mean_shap.size() ? e->mean_shap[f] : 0.0);
                }
                Image(mean_pixels, image_w, image_h, false, cell);
                ImGui::EndGroup();
                NoteItem("Average image");
                ImGui::SameLine();
                ImGui::BeginGroup();
                ImGui::TextDisabled("mean SHAP");
                if (ImGui::IsItemHovered()) ImGui::SetTooltip("Red pixels push rows towards this cluster, blue away from it.");
                Image(shap_pixels, image_w, image_h, true, cell);
                ImGui::EndGroup();
            } else {
                ImGui::TextWrapped("Width x height must equal the number of features (%zu) to show them as an image.", d);
            }
            ImGui::EndTabItem();
        }
        if (ImGui::BeginTabItem("Rows")) {
            const auto list = [&](const char* title, const std::vector<std::size_t>& rows, const char* tip) {
                ImGui::TextDisabled("%s", title);
                if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tip);
                for (std::size_t r : rows) {
                    const std::size_t original = r < node.rows.size() ? node.rows[r] : r;
                    ImGui::PushID(static_cast<int>(r));
                    if (ImGui::SmallButton(("row " + std::to_string(original)).c_str())) pinned_row = static_cast<int>(r);
                    if (ImGui::IsItemHovered()) DrawPointTooltip(*engine.dataset(), static_cast<int>(r), original);
                    ImGui::PopID();
                    ImGui::SameLine();
                }
                ImGui::NewLine();
            };
            list("representative (nearest the cluster's medoid on the map)", e->representatives,
                 "The rows closest to the medoid of the cluster's points on the map.");
            list("outliers (highest GLOSH scores)", e->outliers, "The cluster's rows HDBSCAN finds least typical.");
            // A clicked row's own SHAP contributions (hovering a point on the map shows the same).
            if (pinned_row >= 0 && static_cast<std::size_t>(pinned_row) < out->labels.size() &&
                out->labels[static_cast<std::size_t>(pinned_row)] == cluster)
                DrawRowContributions(engine, pinned_row);
            else
                ImGui::TextDisabled("Click a row for its SHAP contributions.");
            ImGui::EndTabItem();
        }
        ImGui::EndTabBar();
    }
    ImGui::End();
}

void DrawRowContributions(const Engine& engine, int row) {
    const std::string text = engine.row_explanation_json(static_cast<std::size_t>(row), 6);
    if (text == "null") return;
    const nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded()) return;
    ImGui::Separator();
    ImGui::Text("why cluster %d: p = %s", j["cluster"].get<int>(), format_number(j["probability"].get<double>()).c_str());
    std::vector<std::pair<std::string, double>> items;
    for (const auto& c : j["contributions"]) items.emplace_back(c["name"].get<std::string>(), c["shap"].get<double>());
    Bars(items, true, 300);
    ImGui::TextDisabled("SHAP contributions to the log-odds (base %s)", format_number(j["bias"].get<double>()).c_str());
}

}  // namespace recluster::web::ui
