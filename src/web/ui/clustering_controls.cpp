// The Clustering section of the Pipeline panel: method, its parameters and the space it runs in. HDBSCAN's
// selection controls re-label the finished result at once; everything else applies on Run (which re-clusters
// the kept map when only clustering changed).
#include <imgui.h>

#include <algorithm>
#include <string>

#include <nlohmann/json.hpp>

#include "ui/panels.hpp"
#include "ui/widget_rects.hpp"
#include "common/json_text.hpp"

namespace recluster::web::ui {

namespace {
const char* kMethodNames[] = {"hdbscan", "dbscan", "kmeans", "gmm", "none"};
const char* kMethodLabels[] = {"HDBSCAN", "DBSCAN", "k-means", "Gaussian mixture", "none"};
const char* kSelectionNames[] = {"eom", "leaf"};
const char* kRulesNames[] = {"campello", "r-dbscan"};
const char* kSpaceNames[] = {"embedding", "pca", "features"};
const char* kCovarianceNames[] = {"full", "diag"};

void Tooltip(const char* text) {
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", text);
}
}  // namespace

nlohmann::json ControlsPanel::ClusteringKeys(bool back_half) const {
    nlohmann::json j;
    j["min_cluster_size"] = min_cluster_size;
    j["cluster_selection"] = kSelectionNames[selection_choice];
    j["cluster_selection_epsilon"] = selection_epsilon;
    j["allow_single_cluster"] = allow_single_cluster;
    j["max_cluster_size"] = max_cluster_size;
    if (!back_half) {
        j["hdbscan_rules"] = kRulesNames[rules_choice];
        j["cluster"] = kMethodNames[cluster_choice];
        j["min_samples"] = min_samples;
        if (cluster_choice == kDbscan) j["dbscan_eps"] = dbscan_eps;
        j["n_clusters"] = n_clusters;
        j["gmm_covariance"] = kCovarianceNames[covariance_choice];
        j["cluster_space"] = kSpaceNames[space_choice];
        j["cluster_pca_dims"] = cluster_pca_dims;
    }
    return j;
}

void ControlsPanel::DrawClustering(Engine& engine) {
    ImGui::SeparatorText("Clustering");
    ImGui::SetNextItemWidth(200);
    const bool open = ImGui::BeginCombo("Clusters", kMethodLabels[cluster_choice]);
    NoteItem("Clusters");
    if (open) {
        for (int i = 0; i < IM_ARRAYSIZE(kMethodLabels); ++i) {
            if (ImGui::Selectable(kMethodLabels[i], cluster_choice == i)) cluster_choice = i;
            NoteItem(std::string("Clusters/") + kMethodLabels[i]);
        }
        ImGui::EndCombo();
    }
    Tooltip("HDBSCAN: clusters of any shape and density; sparse points are noise (grey). The default.\n"
            "DBSCAN: one fixed density (radius eps).\n"
            "k-means: k round clusters of similar spread, every row assigned.\n"
            "Gaussian mixture: k elliptical clusters with soft membership (probability per row).\n"
            "none: every row in one group.");
    const PipelineOutput* out = engine.output();
    const int rows = engine.dataset() ? static_cast<int>(engine.dataset()->rows) : 0;
    if (cluster_choice != kNone) {
        ImGui::SetNextItemWidth(200);
        const char* spaces[] = {"map (2-D embedding)", "PCA components", "scaled features"};
        ImGui::Combo("Space", &space_choice, spaces, IM_ARRAYSIZE(spaces));
        NoteItem("Space");
        Tooltip("Where distances are measured for clustering.\n"
                "map: the 2-D embedding you see (fast; UMAP separates clusters well).\n"
                "PCA: the first principal components of the scaled features (keeps global geometry).\n"
                "features: all scaled feature columns (slowest; density methods are quadratic there).");
        if (space_choice == 1) {
            ImGui::SetNextItemWidth(200);
            ImGui::SliderInt("PCA components", &cluster_pca_dims, 2, 50);
            Tooltip("Principal components that form the clustering space (default 10).");
        }
    }
    if (cluster_choice == kKMeans || cluster_choice == kGmm) {
        ImGui::SetNextItemWidth(200);
        ImGui::SliderInt("k (clusters)", &n_clusters, 1, std::max(2, std::min(50, rows)));
        NoteItem("k");
        Tooltip("Number of clusters. Not sure? Use 'Sweep k' and read the chart in Cluster quality:\n"
                "k-means: the elbow of inertia, the peak of silhouette; mixture: the lowest BIC.");
        if (cluster_choice == kGmm) {
            ImGui::SetNextItemWidth(200);
            const char* cov[] = {"full (any ellipse)", "diagonal (axis-aligned)"};
            ImGui::Combo("Covariance", &covariance_choice, cov, IM_ARRAYSIZE(cov));
            Tooltip("full: each component is any tilted ellipse; diagonal: ellipses along the axes\n"
                    "(fewer parameters; the only choice above 64 columns).");
        }
        ImGui::BeginDisabled(engine.busy() || !out);
        if (ImGui::Button("Sweep k")) {
            nlohmann::json o;
            o["method"] = kMethodNames[cluster_choice];
            o["k_min"] = cluster_choice == kGmm ? 1 : 2;
            o["k_max"] = std::max(2, std::min(15, rows));
            o["covariance"] = kCovarianceNames[covariance_choice];
            engine.analyze("sweep", json_text(o));
        }
        NoteItem("Sweep k");
        ImGui::EndDisabled();
        Tooltip("Fits the method for k = 2..15 (mixture: 1..15) in the current result's space and charts\n"
                "inertia and silhouette (k-means) or BIC (mixture) in Cluster quality. Click a k there to use it.");
        if (out && (out->clustering.method == "kmeans" || out->clustering.method == "gmm"))
            ImGui::TextDisabled("%zu clusters (k = %d)", out->clustering.sizes.size(), out->clustering.k);
        ImGui::TextDisabled("Run (R) to apply.");
    }
    if (cluster_choice == kDbscan) {
        ImGui::SetNextItemWidth(200);
        ImGui::DragFloat("Eps", &dbscan_eps, 0.01f, 0.001f, 100.0f, "%.3f");
        NoteItem("Eps");
        if (dbscan_eps < 0.001f) dbscan_eps = 0.001f;
        Tooltip("eps: neighbourhood radius in the clustering space. Points with at least min samples\n"
                "neighbours within eps are cores; clusters are connected cores and their neighbours.\n"
                "The k-distance plot in Cluster quality suggests a value (its knee); click it to pick eps.");
        ImGui::SetNextItemWidth(200);
        ImGui::SliderInt("Min samples##dbscan", &min_samples, 0, 100, min_samples == 0 ? "5 (default)" : "%d");
        Tooltip("min_samples: neighbours within eps (the point included) that make a core point.");
        ImGui::BeginDisabled(engine.busy() || !out);
        if (ImGui::Button("k-distance plot")) {
            nlohmann::json o;
            o["k"] = std::max(1, (min_samples > 0 ? min_samples : 5) - 1);
            engine.analyze("k_distance", json_text(o));
        }
        NoteItem("k-distance plot");
        ImGui::EndDisabled();
        Tooltip("Sorted distance of every row to its (min samples - 1)-th neighbour in the current result's\n"
                "space; eps near the knee of the curve separates dense rows from noise.");
        if (out && out->clustering.method == "dbscan")
            ImGui::TextDisabled("%zu clusters, %zu noise rows", out->clustering.sizes.size(), out->clustering.n_noise);
        ImGui::TextDisabled("Run (R) to apply.");
    }
    if (cluster_choice == kHdbscan) {
        // Back-half controls re-label the finished result at once (no new map, no new tree).
        bool changed = false;
        const std::string auto_mcs = "automatic (" + std::to_string(engine.view_defaults().effective_min_cluster_size(static_cast<std::size_t>(rows))) + ")";
        ImGui::SetNextItemWidth(200);
        changed |= ImGui::SliderInt("Min cluster size", &min_cluster_size, 0, std::max(100, rows / 10),
                                    min_cluster_size == 0 ? auto_mcs.c_str() : "%d", ImGuiSliderFlags_Logarithmic);
        if (min_cluster_size == 1) min_cluster_size = 2;
        NoteItem("Min cluster size");
        Tooltip("min_cluster_size: the smallest group that counts as a cluster.\n"
                "0 = automatic (0.5% of the rows, 2% in a zoomed-in view; at least 5).\n"
                "Re-labels instantly.");
        ImGui::SetNextItemWidth(200);
        ImGui::SliderInt("Min samples", &min_samples, 0, 100, min_samples == 0 ? "automatic" : "%d");
        NoteItem("Min samples");
        Tooltip("min_samples: neighbours (the point included) that define a point's density.\n"
                "Larger = more conservative, more noise. 0 = min(min cluster size, 10).\n"
                "Needs Run (it changes the tree; the map is kept).");
        ImGui::SetNextItemWidth(200);
        const char* selections[] = {"excess of mass", "leaf"};
        changed |= ImGui::Combo("Selection", &selection_choice, selections, IM_ARRAYSIZE(selections));
        Tooltip("excess of mass: the most persistent clusters (fewer, larger; default).\n"
                "leaf: the finest clusters of the tree (many small, homogeneous ones).");
        ImGui::SetNextItemWidth(200);
        changed |= ImGui::DragFloat("Epsilon", &selection_epsilon, 0.01f, 0.0f, 100.0f, "%.2f");
        if (selection_epsilon < 0) selection_epsilon = 0;
        Tooltip("cluster_selection_epsilon: clusters born closer than this distance (in the clustering\n"
                "space's units) merge into their parent. 0 = off.");
        ImGui::SetNextItemWidth(200);
        changed |= ImGui::SliderInt("Max cluster size", &max_cluster_size, 0, std::max(100, rows),
                                    max_cluster_size == 0 ? "no limit" : "%d", ImGuiSliderFlags_Logarithmic);
        NoteItem("Max cluster size");
        Tooltip("max_cluster_size: clusters with more rows are never selected; their sub-clusters\n"
                "are (excess of mass only). 0 = no limit. Re-labels instantly.");
        changed |= ImGui::Checkbox("Allow a single cluster", &allow_single_cluster);
        Tooltip("Let all rows form one cluster when nothing splits them.");
        ImGui::SetNextItemWidth(200);
        const char* rules[] = {"HDBSCAN* (published)", "R dbscan"};
        ImGui::Combo("Rules", &rules_choice, rules, IM_ARRAYSIZE(rules));
        Tooltip("HDBSCAN*: Campello et al.'s definition (tied merges split together; fast tree).\n"
                "R dbscan: R's dbscan::hdbscan labels exactly (R's own quadratic tree; up to 50,000 rows).\n"
                "Needs Run (the map is kept).");
        if (changed && out && out->clustering.tree && !engine.busy()) {
            const std::string r = engine.relabel(json_text(ClusteringKeys(true)));
            relabel_message = r.rfind("error: ", 0) == 0 ? r.substr(7) : "";
        }
        if (out && out->clustering.method == "hdbscan")
            ImGui::TextDisabled("%zu clusters, %zu noise rows (%.1f%%)", out->clustering.sizes.size(),
                                out->clustering.n_noise, rows ? 100.0 * static_cast<double>(out->clustering.n_noise) / rows : 0.0);
        if (!relabel_message.empty()) ImGui::TextColored(ImVec4(1, 0.5f, 0.4f, 1), "%s", relabel_message.c_str());
    }
}

}  // namespace recluster::web::ui
