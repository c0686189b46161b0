#include <imgui.h>

#include <algorithm>
#include <string>

#include <nlohmann/json.hpp>

#include "platform/browser.hpp"
#include "ui/format.hpp"
#include "ui/panels.hpp"
#include "ui/widget_rects.hpp"
#include "common/json_text.hpp"

namespace recluster::web::ui {

namespace {
const char* kScaleNames[] = {"zscore", "minmax", "none"};
const char* kScaleLabels[] = {"z-score (standardise)", "min-max to [0, 1]", "none (raw values)"};
const char* kMetricNames[] = {"euclidean", "cosine", "correlation"};
const char* kPcaSolverNames[] = {"auto", "exact", "randomized"};
}  // namespace

std::string ControlsPanel::RecipeJson() const {
    nlohmann::json recipe;
    recipe["scale"] = kScaleNames[scale_choice];
    recipe["embedding"] = embedding_choice == 0 ? "umap" : "pca";
    recipe["seed"] = seed;
    recipe["pca_solver"] = kPcaSolverNames[pca_solver_choice];
    if (embedding_choice == 0) {
        recipe["n_neighbors"] = n_neighbors;
        recipe["min_dist"] = std::min(min_dist, spread);
        recipe["spread"] = spread;
        recipe["metric"] = kMetricNames[metric_choice];
        recipe["n_epochs"] = n_epochs;
        recipe["learning_rate"] = learning_rate;
        recipe["negative_sample_rate"] = negative_sample_rate;
        recipe["pca_dims"] = pca_dims;
    }
    recipe.update(ClusteringKeys(false));
    return json_text(recipe);
}

void ControlsPanel::Run(Engine& engine) const { engine.run(RecipeJson()); }

void ControlsPanel::Draw(Engine& engine, MapView& map, float x, float y, float w, float view_w, float view_h) {
    ImGui::SetNextWindowPos(ImVec2(x, y), ImGuiCond_FirstUseEver);
    ImGui::SetNextWindowSize(ImVec2(w, 0), ImGuiCond_FirstUseEver);
    ImGui::Begin("Pipeline", nullptr, ImGuiWindowFlags_AlwaysAutoResize);

    ImGui::SeparatorText("Preprocessing");
    ImGui::SetNextItemWidth(200);
    ImGui::Combo("Scaling", &scale_choice, kScaleLabels, IM_ARRAYSIZE(kScaleLabels));
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("How numeric columns are put on a common scale before embedding.\n"
                          "z-score: mean 0, standard deviation 1 (default).\n"
                          "min-max: each column to [0, 1].\nnone: raw values (large-valued columns dominate).\n"
                          "Missing cells take the column mean.");
    ImGui::SeparatorText("Embedding");
    const char* embeddings[] = {"UMAP", "PCA (first two components)"};
    ImGui::SetNextItemWidth(200);
    ImGui::Combo("Method", &embedding_choice, embeddings, IM_ARRAYSIZE(embeddings));
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("UMAP keeps local neighbourhoods (clusters) and is the default.\n"
                          "PCA is linear and fast: the two directions of largest variance.");
    if (embedding_choice == 0) {
        ImGui::SetNextItemWidth(200);
        ImGui::SliderInt("Neighbours", &n_neighbors, 2, 100);
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip("n_neighbors: size of the neighbourhood UMAP preserves.\n"
                              "Small = fine local detail; large = more global structure. Default 15.");
        ImGui::SetNextItemWidth(200);
        ImGui::SliderFloat("Min distance", &min_dist, 0.0f, 0.99f, "%.2f");
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip("min_dist: how tightly points may pack in the map.\n"
                              "Small = dense clumps (good for clustering); large = evenly spread. Default 0.1.");
        ImGui::SetNextItemWidth(200);
        ImGui::Combo("Metric", &metric_choice, kMetricNames, IM_ARRAYSIZE(kMetricNames));
        NoteItem("Metric");
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip("Distance between rows.\ncosine ignores vector length (use it for embeddings).\n"
                              "correlation also ignores each row's offset (1 - Pearson's r; profiles, spectra).");
        const bool advanced = ImGui::TreeNode("Advanced UMAP");
        NoteItem("Advanced UMAP");
        if (advanced) {
            ImGui::SetNextItemWidth(160);
            ImGui::SliderFloat("Spread", &spread, 0.1f, 5.0f, "%.2f");
            if (ImGui::IsItemHovered())
                ImGui::SetTooltip("spread: the scale of embedded points; with min_dist it sets how clumped\n"
                                  "clusters look. Default 1.0; min distance may not exceed it.");
            ImGui::SetNextItemWidth(160);
            ImGui::SliderInt("Epochs", &n_epochs, 0, 2000, n_epochs == 0 ? "automatic" : "%d");
            NoteItem("Epochs");
            if (ImGui::IsItemHovered())
                ImGui::SetTooltip("n_epochs: optimisation rounds. 0 = automatic like umap-learn\n"
                                  "(500 up to 10,000 rows, else 200). More = more settled layout, slower.");
            ImGui::SetNextItemWidth(160);
            ImGui::SliderFloat("Learning rate", &learning_rate, 0.05f, 5.0f, "%.2f");
            if (ImGui::IsItemHovered())
                ImGui::SetTooltip("Initial step size of the layout optimisation (decays linearly to 0). Default 1.");
            ImGui::SetNextItemWidth(160);
            ImGui::SliderFloat("Negative samples", &negative_sample_rate, 1.0f, 20.0f, "%.0f");
            if (ImGui::IsItemHovered())
                ImGui::SetTooltip("negative_sample_rate: repulsive samples per attractive edge. Default 5;\n"
                                  "more separates clusters more, slower.");
            ImGui::SetNextItemWidth(160);
            ImGui::SliderInt("PCA dims", &pca_dims, -1, 200, pca_dims < 0 ? "automatic" : pca_dims == 0 ? "off" : "%d");
            if (ImGui::IsItemHovered())
                ImGui::SetTooltip("PCA pre-reduction before the neighbour search. Automatic: 50 dimensions\n"
                                  "when the data has more than 100 features (e.g. images), else off.");
            ImGui::SetNextItemWidth(160);
            ImGui::Combo("PCA solver", &pca_solver_choice, kPcaSolverNames, IM_ARRAYSIZE(kPcaSolverNames));
            if (ImGui::IsItemHovered())
                ImGui::SetTooltip("auto: randomized subspace iteration for wide data, exact otherwise.\n"
                                  "exact: full covariance eigen-decomposition (slow for many features).");
            ImGui::TreePop();
        }
    }
    DrawClustering(engine);

    ImGui::SetNextItemWidth(120);
    ImGui::InputInt("Seed", &seed);
    if (seed < 0) seed = 0;
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("Random seed. The same data, parameters and seed give the same map bit for bit,\n"
                          "whatever the number of threads.");
    ImGui::SameLine();
    {
        // Worker threads for the next run: the default is the browser's cores (navigator.hardwareConcurrency), at most 4.
        int threads = engine.threads();
        const bool single_build = !Engine::threaded_build();
        ImGui::BeginDisabled(engine.busy() || single_build);
        ImGui::SetNextItemWidth(90);
        if (ImGui::SliderInt("Threads", &threads, 1, 4)) engine.set_threads(threads);
        ImGui::EndDisabled();
        NoteItem("Threads");
        if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
            ImGui::SetTooltip(single_build ? "This page runs the single-threaded build (the server does not send the\n"
                                             "cross-origin-isolation headers threads need): 1 thread."
                                           : "Worker threads for the next run (1 to 4; the default is this computer's\n"
                                             "cores, at most 4). Results are bit-identical for any count: only speed changes.");
    }

    ImGui::BeginDisabled(engine.busy() || !engine.dataset());
    const bool run_clicked = ImGui::Button("Run (R)", ImVec2(120, 0));
    NoteItem("Run");
    if (run_clicked || (!engine.busy() && engine.dataset() && !ImGui::GetIO().WantTextInput &&
                                                      ImGui::IsKeyPressed(ImGuiKey_R, false))) {
        Run(engine);
    }
    ImGui::EndDisabled();
    if (engine.busy()) {
        ImGui::SameLine();
        if (ImGui::Button("Cancel (Esc)")) engine.cancel();
        ImGui::Text("%s: %s", engine.busy_label(), engine.stage().c_str());
        ImGui::ProgressBar(static_cast<float>(engine.progress()), ImVec2(-1, 0));
    } else if (const PipelineOutput* out = engine.output()) {
        double total = 0;
        for (const auto& t : out->timings) total += t.ms;
        ImGui::TextDisabled("%zu features, %.1f ms", out->feature_columns.size(), total);
        if (!out->umap.neighbor_method.empty())
            ImGui::TextDisabled("UMAP: %s neighbours, %s init, %d epochs", out->umap.neighbor_method.c_str(),
                                out->umap.init.c_str(), out->umap.n_epochs);
        else if (out->explained_variance_ratio.size() >= 2)
            ImGui::TextDisabled("PC1 %.1f%%, PC2 %.1f%% of variance", 100 * out->explained_variance_ratio[0],
                                100 * out->explained_variance_ratio[1]);
    }

    ImGui::SeparatorText("Map");
    if (const auto& data = engine.dataset()) {
        const char* current = map.color_column() == MapView::kColorByCluster     ? "Cluster"
                              : map.color_column() == MapView::kColorByHierarchy ? "Hierarchy"
                              : map.color_column() >= 0 && static_cast<std::size_t>(map.color_column()) < data->columns.size()
                                  ? data->columns[static_cast<std::size_t>(map.color_column())].name.c_str()
                                                        : "(none)";
        ImGui::SetNextItemWidth(200);
        const bool open = ImGui::BeginCombo("Colour by", current);
        NoteItem("Colour by");
        if (open) {
            if (ImGui::Selectable("(none)", map.color_column() == -1)) map.set_color_column(-1);
            if (ImGui::Selectable("Cluster", map.color_column() == MapView::kColorByCluster))
                map.set_color_column(MapView::kColorByCluster);
            NoteItem("Colour by/(cluster)");
            if (ImGui::Selectable("Hierarchy (deepest clusters)", map.color_column() == MapView::kColorByHierarchy))
                map.set_color_column(MapView::kColorByHierarchy);
            NoteItem("Colour by/(hierarchy)");
            if (ImGui::IsItemHovered())
                ImGui::SetTooltip("Each row coloured by its label in the drill-down hierarchy (3, 3.1, ...):\n"
                                  "build the hierarchy or zoom into clusters first.");
            for (std::size_t c = 0; c < data->columns.size(); ++c) {
                std::string label = data->columns[c].name + "  [" + column_type_name(data->columns[c].type) + "]";
                if (ImGui::Selectable(label.c_str(), map.color_column() == static_cast<int>(c)))
                    map.set_color_column(static_cast<int>(c));
                NoteItem("Colour by/" + data->columns[c].name);
            }
            ImGui::EndCombo();
        }
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip("Cluster: HDBSCAN clusters of the map (grey = noise). Numeric columns use a colour ramp; "
                              "text columns a palette.");
    }
    ImGui::SetNextItemWidth(200);
    ImGui::SliderFloat("Point size", &map.point_px, 1.0f, 20.0f, "%.1f px");
    ImGui::SetNextItemWidth(200);
    ImGui::SliderFloat("Opacity", &map.opacity, 0.05f, 1.0f, "%.2f");
    ImGui::Checkbox("Level of detail", &map.level_of_detail);
    NoteItem("Level of detail");
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("With more than %s points in view, draw an even random sample of about that many, so panning and\n"
                          "zooming stay smooth; zooming in shows more, down to every point. Hover picks only drawn points.\n"
                          "Off: always draw every point (slow beyond a few hundred thousand without a GPU).",
                          format_count(map.lod_budget()).c_str());
    if (ImGui::Button("Fit to view (F)")) map.fit(view_w, view_h);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Drag to pan, scroll to zoom at the cursor.");
    ImGui::SameLine();
    if (ImGui::Button("Open file... (O)")) platform::open_file_picker();
    ImGui::SameLine();
    ImGui::BeginDisabled(engine.busy() || !engine.output());
    if (ImGui::Button("Export labels")) {
        platform::download_text(file_stem(engine) + "_labels.csv", engine.export_labels_csv());
    }
    NoteItem("Export labels");
    ImGui::EndDisabled();
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
        ImGui::SetTooltip("Download every row with its columns, cluster path (3, 3.1, ...), probability,\n"
                          "outlier score, map position and cluster stability as CSV.");
    if (ImGui::Button("Share link, session file, exports... (S)", ImVec2(-1, 0))) share_requested = true;
    NoteItem("Share");
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("A link that reopens this exploration, the labels as CSV, and session files that\n"
                          "keep everything computed.");
    bottom = ImGui::GetWindowPos().y + ImGui::GetWindowHeight();
    ImGui::End();
}

}  // namespace recluster::web::ui
