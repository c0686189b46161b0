// The "Cluster quality" window: validity metrics of the current clustering (computed in the background after
// every run or re-label), agreement with a labels column the user picks, the k sweep chart (click a k to use
// it), the k-distance plot for DBSCAN's eps (click to pick eps) and HDBSCAN's condensed tree.
#include <imgui.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <string>

#include <nlohmann/json.hpp>

#include "ui/format.hpp"
#include "ui/line_chart.hpp"
#include "ui/panels.hpp"
#include "ui/widget_rects.hpp"
#include "common/json_text.hpp"

namespace recluster::web::ui {

namespace {

double num(const nlohmann::json& j, const char* key) {
    return j.contains(key) && j[key].is_number() ? j[key].get<double>() : std::nan("");
}

void MetricRow(const char* name, double value, const char* better, const char* tooltip, const std::string& detail = "") {
    ImGui::TableNextRow();
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(name);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tooltip);
    ImGui::TableNextColumn();
    ImGui::TextUnformatted(std::isnan(value) ? "n/a" : format_number(value).c_str());
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", std::isnan(value) ? "Undefined here (fewer than two clusters?)" : tooltip);
    ImGui::TableNextColumn();
    ImGui::TextDisabled("%s", better);
    if (!detail.empty()) {
        ImGui::SameLine();
        ImGui::TextDisabled("%s", detail.c_str());
    }
}

}  // namespace

void QualityPanel::RequestMetrics(Engine& engine) {
    nlohmann::json o = nlohmann::json::object();
    if (truth_column >= 0 && engine.dataset() && static_cast<std::size_t>(truth_column) < engine.dataset()->columns.size())
        o["truth_column"] = engine.dataset()->columns[static_cast<std::size_t>(truth_column)].name;
    engine.analyze("metrics", json_text(o));
    metrics_dirty = false;
    ++metrics_attempts;
}

void QualityPanel::Draw(Engine& engine, ControlsPanel& controls, MapView& map, float right, float bottom) {
    const PipelineOutput* out = engine.output();
    const auto& data = engine.dataset();
    top = bottom;
    if (!out || !data) return;
    if (data.get() != dataset_seen) {  // column choices belong to the dataset they were made for
        dataset_seen = data.get();
        // A label column scores the clusters from the start (ARI / NMI); the user can pick another or none.
        const std::size_t label = data->label_column();
        truth_column = label < data->columns.size() ? static_cast<int>(label) : -1;
    }
    // Metrics follow the clustering: request them when a new one appears (twice at most, if cancelled).
    if (metrics_generation != engine.generation()) {
        metrics_generation = engine.generation();
        metrics_attempts = 0;
        metrics_dirty = true;
    }
    if (!engine.busy() && !engine.analysing() && metrics_attempts < 2 &&
        (metrics_dirty || !engine.analysis_result("metrics")))
        RequestMetrics(engine);

    // Anchored to the bottom-right corner (the legend holds the top-right one); grows upwards as sections open.
    ImGui::SetNextWindowPos(ImVec2(right - 10, bottom - 10), ImGuiCond_Always, ImVec2(1, 1));
    ImGui::SetNextWindowBgAlpha(0.9f);
    ImGui::Begin("Cluster quality", nullptr,
                 ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings);
    top = ImGui::GetWindowPos().y;
    if (engine.analysing()) {
        ImGui::Text("Computing: %s", engine.analysis_stage().c_str());
        ImGui::SameLine();
        if (ImGui::SmallButton("Cancel")) engine.cancel();
        ImGui::ProgressBar(static_cast<float>(engine.analysis_progress()), ImVec2(-1, 0));
    }

    // Labels column for ARI / NMI.
    if (static_cast<std::size_t>(std::max(truth_column, 0)) >= data->columns.size()) truth_column = -1;  // another file's
    const char* current = truth_column >= 0 ? data->columns[static_cast<std::size_t>(truth_column)].name.c_str() : "(none)";
    ImGui::SetNextItemWidth(200);
    const bool open = ImGui::BeginCombo("Labels column", current);
    NoteItem("Labels column");
    if (open) {
        if (ImGui::Selectable("(none)", truth_column < 0)) truth_column = -1, metrics_dirty = true, metrics_attempts = 0;
        // Likely label columns first: text columns and columns named like labels, then the rest; a filter box
        // for wide data (hundreds of pixel columns).
        ImGui::SetNextItemWidth(180);
        if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
        label_filter.Draw("##filter");
        ImGui::SameLine();
        ImGui::TextDisabled("filter");
        auto likely = [&](std::size_t c) {
            if (data->columns[c].type != ColumnType::Numeric) return true;
            std::string n = data->columns[c].name;
            for (auto& ch : n) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
            for (const char* w : {"label", "class", "target", "species", "category", "cluster", "group", "y"})
                if (n == w || n.find(std::string(w) + "_") == 0 || (n.size() > 2 && n.find(w) != std::string::npos && std::string(w).size() > 2))
                    return true;
            return false;
        };
        for (int pass = 0; pass < 2; ++pass)
            for (std::size_t c = 0; c < data->columns.size(); ++c) {
                if (likely(c) != (pass == 0) || !label_filter.PassFilter(data->columns[c].name.c_str())) continue;
                if (ImGui::Selectable(data->columns[c].name.c_str(), truth_column == static_cast<int>(c)))
                    truth_column = static_cast<int>(c), metrics_dirty = true, metrics_attempts = 0;
                NoteItem("Labels column/" + data->columns[c].name);
            }
        ImGui::EndCombo();
    }
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("A column of known classes to compare the clusters with (adjusted Rand index and\n"
                          "normalised mutual information; noise counts as one more cluster).");

    if (const nlohmann::json* metrics = engine.analysis_result("metrics")) {
        const nlohmann::json& m = *metrics;
        if (ImGui::BeginTable("metrics", 3, ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_RowBg)) {
            const auto& s = m.value("silhouette", nlohmann::json::object());
            std::string sil_detail = s.value("method", std::string()) == "exact"
                                         ? "(" + format_count(s.value("rows", std::size_t{0})) + " rows)"
                                         : "(" + s.value("method", std::string()) + ", " + format_count(s.value("rows", std::size_t{0})) + " rows)";
            MetricRow("Silhouette", num(s, "value"), "[-1, 1], higher",
                      "Mean silhouette width: how much closer rows are to their own cluster than to the next.\n"
                      "Exact up to 20,000 clustered rows, estimated on a seeded sample above. Noise left out.",
                      sil_detail);
            MetricRow("Davies-Bouldin", num(m, "davies_bouldin"), ">= 0, lower",
                      "Average worst ratio of within-cluster scatter to between-centroid distance.");
            MetricRow("Calinski-Harabasz", num(m, "calinski_harabasz"), "> 0, higher",
                      "Between-cluster over within-cluster dispersion (variance ratio).");
            if (m.contains("dbcv")) {
                const auto& d = m["dbcv"];
                MetricRow("DBCV", num(d, "value"), "[-1, 1], higher",
                          "Density-based clustering validation (Moulavi et al. 2014): density separation against\n"
                          "density sparseness; the index for density clusterings. Noise lowers it.",
                          d.value("sampled", false) ? "(sample of " + format_count(d.value("rows", std::size_t{0})) + ")" : "");
            }
            if (m.contains("agreement")) {
                const auto& a = m["agreement"];
                MetricRow("ARI", num(a, "ari"), "[-1, 1], higher", "Adjusted Rand index against the labels column (1 = same partition).");
                MetricRow("NMI", num(a, "nmi"), "[0, 1], higher", "Normalised mutual information against the labels column.");
            }
            ImGui::EndTable();
            ImGui::TextDisabled("In the clustered space (%d dims); %s noise rows left out.", m.value("space_dims", 0),
                                format_count(m.value("noise_rows", std::size_t{0})).c_str());
        }
    } else if (!engine.analysing()) {
        ImGui::TextDisabled("Metrics appear after a run.");
    }
    DrawStability(engine);
    DrawSweep(engine, controls);
    DrawKDistance(engine, controls);
    const bool tree_open = out->clustering.condensed && ImGui::CollapsingHeader("Condensed tree");
    if (out->clustering.condensed) NoteItem("Condensed tree header");
    if (tree_open)
        DrawCondensedTree(out->clustering, map);
    ImGui::End();
}

void QualityPanel::DrawStability(Engine& engine) {
    const bool open = ImGui::CollapsingHeader("Stability");
    NoteItem("Stability header");
    if (!open) return;
    ImGui::SetNextItemWidth(100);
    ImGui::SliderInt("Seeds", &stability_seeds, 0, 10);
    NoteItem("Seeds");
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Reruns of this view's pipeline with other random seeds.");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(100);
    ImGui::SliderInt("Subsamples", &stability_bootstraps, 0, 10);
    NoteItem("Subsamples");
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Reruns on 80%% of the rows, drawn at random (plus one on a shuffled row order).");
    ImGui::BeginDisabled(engine.busy() || stability_seeds + stability_bootstraps == 0);
    if (ImGui::Button("Check stability")) {
        nlohmann::json o;
        o["seeds"] = stability_seeds;
        o["bootstraps"] = stability_bootstraps;
        engine.analyze("stability", json_text(o));
    }
    NoteItem("Check stability");
    ImGui::EndDisabled();
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("Re-runs the whole pipeline of this view %d times and measures how well each cluster\n"
                          "comes back (Jaccard, shown in the legend) and how similar whole runs are (ARI).",
                          stability_seeds + stability_bootstraps + 1);
    const nlohmann::json* report = engine.analysis_result("stability");
    if (!report) return;
    const nlohmann::json& j = *report;
    ImGui::Text("Mean ARI between runs: %s over %zu reruns", format_number(num(j, "mean_ari")).c_str(), j["runs"].size());
    std::string weak;
    for (const auto& c : j["clusters"])
        if (c["rating"] == "unstable") weak += (weak.empty() ? "" : ", ") + std::to_string(c["cluster"].get<int>());
    if (weak.empty()) ImGui::TextColored(ImVec4(0.4f, 0.85f, 0.45f, 1), "No unstable cluster (Jaccard per cluster in the legend).");
    else ImGui::TextColored(ImVec4(1, 0.4f, 0.35f, 1), "Unstable clusters (Jaccard < 0.6): %s", weak.c_str());
}

void QualityPanel::DrawSweep(Engine& engine, ControlsPanel& controls) {
    const nlohmann::json* sweep = engine.analysis_result("sweep");
    if (!sweep || !ImGui::CollapsingHeader("k sweep", ImGuiTreeNodeFlags_DefaultOpen)) return;
    const nlohmann::json& j = *sweep;
    const bool gmm = j.value("method", std::string()) == "gmm";
    std::vector<double> ks;
    ChartSeries first, sil;
    first.name = gmm ? "BIC" : "inertia";
    first.color = IM_COL32(90, 160, 255, 255);
    sil.name = "silhouette";
    sil.color = IM_COL32(255, 160, 60, 255);
    sil.right_axis = true;
    for (const auto& p : j["points"]) {
        ks.push_back(p.value("k", 0));
        first.y.push_back(num(p, gmm ? "bic" : "inertia"));
        sil.y.push_back(num(p, "silhouette"));
    }
    const int best = j.value("best_k", 0);
    std::vector<ChartMarker> markers = {{static_cast<double>(best), true, IM_COL32(90, 220, 120, 200), "best " + std::to_string(best)}};
    if (const PipelineOutput* out = engine.output(); out && out->clustering.k > 0 && out->clustering.k != best)
        markers.push_back({static_cast<double>(out->clustering.k), true, IM_COL32(255, 255, 255, 140), "current"});
    ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(first.color), "%s", first.name.c_str());
    ImGui::SameLine();
    ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(sil.color), "silhouette (on %d rows)", j.value("silhouette_rows", 0));
    ImGui::SameLine();
    ImGui::TextDisabled(gmm ? "- lowest BIC wins" : "- elbow / highest silhouette");
    const ChartHit hit = LineChart("##sweep", ImVec2(400, 160), ks, {first, sil}, markers);
    NoteItem("Sweep chart");
    if (hit.index >= 0) {
        const std::size_t i = static_cast<std::size_t>(hit.index);
        ImGui::SetTooltip("k = %d\n%s %s\nsilhouette %s\nClick to use this k", static_cast<int>(ks[i]), first.name.c_str(),
                          format_number(first.y[i]).c_str(), format_number(sil.y[i]).c_str());
        if (hit.clicked && !engine.busy()) {
            controls.n_clusters = static_cast<int>(ks[i]);
            controls.cluster_choice = gmm ? ControlsPanel::kGmm : ControlsPanel::kKMeans;
            controls.Run(engine);
        }
    }
}

void QualityPanel::DrawKDistance(Engine& engine, ControlsPanel& controls) {
    const nlohmann::json* curve_json = engine.analysis_result("k_distance");
    if (!curve_json || !ImGui::CollapsingHeader("k-distance (DBSCAN eps)", ImGuiTreeNodeFlags_DefaultOpen)) return;
    const nlohmann::json& j = *curve_json;
    std::vector<double> rank;
    ChartSeries curve;
    curve.name = "distance";
    curve.color = IM_COL32(90, 160, 255, 255);
    curve.show_points = false;
    for (const auto& p : j["curve"]) {
        rank.push_back(p[0].get<double>());
        curve.y.push_back(p[1].get<double>());
    }
    const double knee = num(j, "knee");
    ImGui::TextDisabled("Distance to the %d-th neighbour, all %s rows sorted. Click to set eps.", j.value("k", 0),
                        format_count(j.value("rows", std::size_t{0})).c_str());
    const ChartHit hit = LineChart("##kdist", ImVec2(400, 160), rank, {curve},
                                   {{controls.dbscan_eps, false, IM_COL32(255, 255, 255, 170), "eps " + format_number(controls.dbscan_eps)},
                                    {knee, false, IM_COL32(90, 220, 120, 200), "knee " + format_number(knee)}});
    NoteItem("k-distance chart");
    if (hit.index >= 0) {
        ImGui::SetTooltip("eps = %s\n(click to use)", format_number(hit.left_y).c_str());
        if (hit.clicked) controls.dbscan_eps = static_cast<float>(std::max(1e-3, hit.left_y));
    }
    if (std::isfinite(knee) && knee > 0 && ImGui::Button(("Use the knee, eps = " + format_number(knee)).c_str()))
        controls.dbscan_eps = static_cast<float>(knee);
    NoteItem("Use knee");
}

}  // namespace recluster::web::ui
