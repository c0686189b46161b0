#include <imgui.h>

#include <algorithm>
#include <string>

#include <nlohmann/json.hpp>

#include "platform/browser.hpp"
#include "ui/panels.hpp"
#include "ui/widget_rects.hpp"

namespace recluster::web::ui {

namespace {
const char* kScaleNames[] = {"zscore", "minmax", "none"};
const char* kScaleLabels[] = {"z-score (standardise)", "min-max to [0, 1]", "none (raw values)"};
const char* kMetricNames[] = {"euclidean", "cosine", "correlation"};
const char* kPcaSolverNames[] = {"auto", "exact", "randomized"};
const char* kSelectionNames[] = {"eom", "leaf"};
const char* kRulesNames[] = {"campello", "r-dbscan"};

// The clustering keys of the panel's recipe; `back_half` = only those that re-label without a new tree.
nlohmann::json clustering_keys(const ControlsPanel& p, bool back_half) {
    nlohmann::json j;
    j["min_cluster_size"] = p.min_cluster_size;
    j["cluster_selection"] = kSelectionNames[p.selection_choice];
    j["cluster_selection_epsilon"] = p.selection_epsilon;
    j["allow_single_cluster"] = p.allow_single_cluster;
    j["max_cluster_size"] = p.max_cluster_size;
    j["hdbscan_rules"] = kRulesNames[p.rules_choice];
    if (!back_half) {
        const char* methods[] = {"hdbscan", "dbscan", "none"};
        j["cluster"] = methods[p.cluster_choice];
        j["min_samples"] = p.min_samples;
        if (p.cluster_choice == 1) j["dbscan_eps"] = p.dbscan_eps;
    }
    return j;
}
}  // namespace

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
    ImGui::SeparatorText("Clustering");
    const char* clusterings[] = {"HDBSCAN", "DBSCAN", "none"};
    ImGui::SetNextItemWidth(200);
    const bool clusters_open = ImGui::BeginCombo("Clusters", clusterings[cluster_choice]);
    NoteItem("Clusters");
    if (clusters_open) {
        for (int i = 0; i < IM_ARRAYSIZE(clusterings); ++i) {
            if (ImGui::Selectable(clusterings[i], cluster_choice == i)) cluster_choice = i;
            NoteItem(std::string("Clusters/") + clusterings[i]);
        }
        ImGui::EndCombo();
    }
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("HDBSCAN finds clusters of any shape and density in the map and leaves sparse points\n"
                          "as noise (grey). DBSCAN: one fixed density (radius eps). none: every row in one group.");
    if (cluster_choice == 1) {
        ImGui::SetNextItemWidth(200);
        ImGui::DragFloat("Eps", &dbscan_eps, 0.01f, 0.001f, 100.0f, "%.3f");
        NoteItem("Eps");
        if (dbscan_eps < 0.001f) dbscan_eps = 0.001f;
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip("eps: neighbourhood radius in map units. Points with at least min samples\n"
                              "neighbours within eps are cores; clusters are connected cores and their neighbours.");
        ImGui::SetNextItemWidth(200);
        ImGui::SliderInt("Min samples##dbscan", &min_samples, 0, 100, min_samples == 0 ? "5 (default)" : "%d");
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("min_samples: neighbours within eps (the point included) that make a core point.");
        if (const PipelineOutput* out = engine.output(); out && out->clustering.method == "dbscan")
            ImGui::TextDisabled("%zu clusters, %zu noise rows", out->clustering.sizes.size(), out->clustering.n_noise);
        ImGui::TextDisabled("Run (R) to apply.");
    }
    if (cluster_choice == 0) {
        const PipelineOutput* out = engine.output();
        const int rows = engine.dataset() ? static_cast<int>(engine.dataset()->rows) : 0;
        // Back-half controls re-label the finished result at once (no new map, no new tree).
        bool changed = false;
        const std::string auto_mcs = "automatic (" + std::to_string(Recipe{}.effective_min_cluster_size(static_cast<std::size_t>(rows))) + ")";
        ImGui::SetNextItemWidth(200);
        changed |= ImGui::SliderInt("Min cluster size", &min_cluster_size, 0, std::max(100, rows / 10),
                                    min_cluster_size == 0 ? auto_mcs.c_str() : "%d", ImGuiSliderFlags_Logarithmic);
        if (min_cluster_size == 1) min_cluster_size = 2;
        NoteItem("Min cluster size");
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip("min_cluster_size: the smallest group that counts as a cluster.\n"
                              "0 = automatic (0.5%% of the rows, at least 5). Re-labels instantly.");
        ImGui::SetNextItemWidth(200);
        ImGui::SliderInt("Min samples", &min_samples, 0, 100, min_samples == 0 ? "automatic" : "%d");
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip("min_samples: neighbours (the point included) that define a point's density.\n"
                              "Larger = more conservative, more noise. 0 = min(min cluster size, 10).\n"
                              "Needs Run (it changes the tree).");
        ImGui::SetNextItemWidth(200);
        const char* selections[] = {"excess of mass", "leaf"};
        changed |= ImGui::Combo("Selection", &selection_choice, selections, IM_ARRAYSIZE(selections));
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip("excess of mass: the most persistent clusters (fewer, larger; default).\n"
                              "leaf: the finest clusters of the tree (many small, homogeneous ones).");
        ImGui::SetNextItemWidth(200);
        changed |= ImGui::DragFloat("Epsilon", &selection_epsilon, 0.01f, 0.0f, 100.0f, "%.2f");
        if (selection_epsilon < 0) selection_epsilon = 0;
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip("cluster_selection_epsilon: clusters born closer than this distance (in map units)\n"
                              "merge into their parent. 0 = off.");
        ImGui::SetNextItemWidth(200);
        changed |= ImGui::SliderInt("Max cluster size", &max_cluster_size, 0, std::max(100, rows),
                                    max_cluster_size == 0 ? "no limit" : "%d", ImGuiSliderFlags_Logarithmic);
        NoteItem("Max cluster size");
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip("max_cluster_size: clusters with more rows are never selected; their sub-clusters\n"
                              "are (excess of mass only). 0 = no limit. Re-labels instantly.");
        changed |= ImGui::Checkbox("Allow a single cluster", &allow_single_cluster);
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("Let all rows form one cluster when nothing splits them.");
        ImGui::SetNextItemWidth(200);
        const char* rules[] = {"HDBSCAN* (published)", "R dbscan"};
        changed |= ImGui::Combo("Rules", &rules_choice, rules, IM_ARRAYSIZE(rules));
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip("HDBSCAN*: Campello et al.'s definition (tied merges split together).\n"
                              "R dbscan: reproduces R's dbscan::hdbscan labels (up to tied merges).");
        if (changed && out && out->clustering.tree && !engine.busy()) {
            const std::string r = engine.relabel(clustering_keys(*this, true).dump());
            relabel_message = r.rfind("error: ", 0) == 0 ? r.substr(7) : "";
        }
        if (out && out->clustering.method == "hdbscan")
            ImGui::TextDisabled("%zu clusters, %zu noise rows (%.1f%%)", out->clustering.sizes.size(),
                                out->clustering.n_noise, rows ? 100.0 * out->clustering.n_noise / rows : 0.0);
        if (!relabel_message.empty()) ImGui::TextColored(ImVec4(1, 0.5f, 0.4f, 1), "%s", relabel_message.c_str());
    }

    ImGui::SetNextItemWidth(120);
    ImGui::InputInt("Seed", &seed);
    if (seed < 0) seed = 0;
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("Random seed. The same data, parameters and seed give the same map bit for bit,\n"
                          "whatever the number of threads.");

    ImGui::BeginDisabled(engine.busy() || !engine.dataset());
    const bool run_clicked = ImGui::Button("Run (R)", ImVec2(120, 0));
    NoteItem("Run");
    if (run_clicked || (!engine.busy() && engine.dataset() && !ImGui::GetIO().WantTextInput &&
                                                      ImGui::IsKeyPressed(ImGuiKey_R, false))) {
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
        recipe.update(clustering_keys(*this, false));
        engine.run(recipe.dump());
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
        const char* current = map.color_column() == MapView::kColorByCluster ? "Cluster"
                              : map.color_column() >= 0 ? data->columns[map.color_column()].name.c_str()
                                                        : "(none)";
        ImGui::SetNextItemWidth(200);
        const bool open = ImGui::BeginCombo("Colour by", current);
        NoteItem("Colour by");
        if (open) {
            if (ImGui::Selectable("(none)", map.color_column() == -1)) map.set_color_column(-1);
            if (ImGui::Selectable("Cluster", map.color_column() == MapView::kColorByCluster))
                map.set_color_column(MapView::kColorByCluster);
            NoteItem("Colour by/(cluster)");
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
    if (ImGui::Button("Fit to view (F)")) map.fit(view_w, view_h);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("Drag to pan, scroll to zoom at the cursor.");
    ImGui::SameLine();
    if (ImGui::Button("Open file... (O)")) platform::open_file_picker();
    bottom = ImGui::GetWindowPos().y + ImGui::GetWindowHeight();
    ImGui::End();
}

}  // namespace recluster::web::ui
