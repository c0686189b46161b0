// The app's panels, one per file in src/web/ui/, each a small state struct with Draw().
#pragma once
#include <imgui.h>

#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/map_view.hpp"
#include "engine.hpp"

namespace recluster::web {
class App;
}

namespace recluster::web::ui {

// Shown while no data is loaded: drop zone, file picker, URL box, built-in demos, load progress; a share link
// waiting for its data file.
struct StartPanel {
    char url[1024] = "";
    bool help_requested = false;
    void Draw(Engine& engine, float w, float h);
};

// The built-in demos (dist/demo/, made by scripts/make_demos.py): one click loads and explores one.
struct Demo {
    const char* title;
    const char* file;  // under demo/
    const char* about;
};
const std::vector<Demo>& Demos();
// Buttons for the demos (NoteItem "Demo/<title>").
void DrawDemoButtons(float width);

// "Help" (H): how to explore, the keyboard shortcuts, what stays private (ui/help_panel.cpp).
struct HelpPanel {
    bool open = false;
    void Draw(float w, float h);
};

// The file's columns with their roles (detected, or chosen here: feature, pixels, category, vector, text, label,
// identifier, ignore) and statistics, and how the file is read (delimiter, decimal separator, header). Changes are
// a draft until Apply, which reads the file again with them and recomputes the map.
struct DataPanel {
    bool expanded = false;  // the whole left column (the pipeline panel hidden); D toggles
    DataSetup draft;
    std::string synced;  // fingerprint + setup the draft was taken from
    bool reader_open = false;
    void Draw(Engine& engine, float x, float y, float w, float h);
};

// Pipeline parameters, run / cancel with progress, and map appearance.
struct ControlsPanel {
    int scale_choice = 0;      // index into zscore, minmax, none
    int embedding_choice = 0;  // 0 UMAP, 1 PCA
    int n_neighbors = 15;
    float min_dist = 0.1f;
    int metric_choice = 0;     // 0 euclidean, 1 cosine, 2 correlation
    // Advanced (umap-learn names): 0 epochs = automatic; pca_dims -1 = automatic, 0 = off.
    float spread = 1.0f;
    int n_epochs = 0;
    float learning_rate = 1.0f;
    float negative_sample_rate = 5.0f;
    int pca_dims = -1;
    int pca_solver_choice = 0;  // auto, exact, randomized
    int seed = 42;
    // Clustering (recipe names): 0 = automatic for sizes.
    enum Method { kHdbscan, kDbscan, kKMeans, kGmm, kNone };
    int cluster_choice = kHdbscan;
    int space_choice = 0;       // 0 map, 1 PCA, 2 scaled features
    int cluster_pca_dims = 10;
    int n_clusters = 8;         // k-means / mixture
    int covariance_choice = 0;  // 0 full, 1 diagonal
    float dbscan_eps = 0.5f;
    int min_cluster_size = 0;
    int min_samples = 0;
    int selection_choice = 0;   // 0 eom, 1 leaf
    float selection_epsilon = 0.0f;
    bool allow_single_cluster = false;
    int max_cluster_size = 0;   // 0 = no limit
    int rules_choice = 0;       // 0 campello, 1 r-dbscan
    std::string relabel_message;  // last re-label error, shown under the controls
    bool share_requested = false;  // the Share button was pressed (the app opens its Share window)
    void Draw(Engine& engine, MapView& map, float x, float y, float w, float view_w, float view_h);
    void DrawClustering(Engine& engine);  // ui/clustering_controls.cpp
    // The recipe the panel describes, and its clustering keys (`back_half`: only those relabel() takes).
    std::string RecipeJson() const;
    nlohmann::json ClusteringKeys(bool back_half) const;
    void Run(Engine& engine) const;
    float bottom = 0;  // screen y of the panel's lower edge after the last Draw()
};

// Colour legend for the current colouring.
struct LegendPanel {
    // Tick boxes hide / show clusters, clicking a cluster highlights it; entries scroll beyond max_height pixels.
    void Draw(const Engine& engine, const Dataset& data, MapView& map, float right, float top, float max_height);
    float left = 0;  // screen x of the legend's left edge after the last Draw()
};

// "Cluster quality": metrics (requested after every new clustering), ARI/NMI against a chosen column, the k
// sweep chart, the k-distance plot and HDBSCAN's condensed tree (ui/quality_panel.cpp, ui/tree_plot.cpp).
struct QualityPanel {
    int truth_column = -1;  // dataset column for ARI / NMI, -1 = none
    const Dataset* dataset_seen = nullptr;
    ImGuiTextFilter label_filter;
    unsigned metrics_generation = ~0u;
    int metrics_attempts = 0;
    bool metrics_dirty = true;
    float top = 0;  // the window's top edge in the latest frame (the Explain window stops above it)
    void Draw(Engine& engine, ControlsPanel& controls, MapView& map, float right, float bottom);

private:
    void RequestMetrics(Engine& engine);
    void DrawSweep(Engine& engine, ControlsPanel& controls);
    void DrawKDistance(Engine& engine, ControlsPanel& controls);
    void DrawCondensedTree(const ClusteringOutput& clustering, MapView& map);
    void DrawStability(Engine& engine);
    int stability_seeds = 3, stability_bootstraps = 3;
};

// Breadcrumbs of the drill-down over the map, zoom into a cluster, and the hierarchy of views with "Build
// hierarchy" (ui/drill_panel.cpp).
struct DrillBar {
    int depth = 2;
    float min_percent = 1.0f;  // smallest cluster drilled into, % of all rows
    void Draw(Engine& engine, MapView& map, float x, float y);
    float bottom = 0;  // screen y of the bar's lower edge after the last Draw()

private:
    void DrawHierarchy(Engine& engine);
};

// "Explain": per-cluster boosted models and SHAP of the current view (ui/explain_panel.cpp). Follows the
// legend's highlighted cluster.
struct ExplainPanel {
    int cluster = 0;
    int followed_highlight = -1000;
    int image_w = 0, image_h = 0;  // pixel data: features as a w x h image (auto for square counts)
    std::size_t features_seen = 0;
    std::vector<std::size_t> pixel_features;  // indices into the features of the pixel columns (all when none)
    unsigned pixels_generation = ~0u;         // the engine generation they were found for
    unsigned terms_generation = ~0u;          // top terms of the text column, per clustering
    nlohmann::json terms;
    bool select_image_tab = false;
    int pinned_row = -1;
    std::string pending;  // explain options waiting for the analysis slot
    unsigned pending_generation = 0;
    bool auto_explain = true;  // explain every clustering of views up to kAutoExplainRows rows
    static constexpr std::size_t kAutoExplainRows = 20000;
    unsigned auto_generation = ~0u;
    int auto_attempts = 0;
    // Anchored at its top-right corner (right, top); never reaches below max_bottom (it scrolls instead).
    void Draw(Engine& engine, MapView& map, float right, float top, float max_bottom);
};
// The hovered row's SHAP contributions for its cluster's model (nothing when the cluster is not explained).
void DrawRowContributions(const Engine& engine, int row);

// Tooltip with the hovered row's values.
// `row` indexes `data` (the current view's rows); `original_row` is its number in the loaded file.
// `extra` (optional) draws more inside the tooltip.
void DrawPointTooltip(const Dataset& data, int row, std::size_t original_row, const std::function<void()>& extra = {});

// The loaded file's name without its extension, for downloads (wine.csv -> wine_labels.csv).
std::string file_stem(const Engine& engine);

// "Share and export": the share link (Copy link, data in the link), labels CSV, session files
// (ui/share_panel.cpp).
struct SharePanel {
    bool open = false;
    bool embed_data = false;
    bool waiting = false, copied = false;
    unsigned seen_answer = 0;
    std::string link, error, file_message;
    int png_size_choice = 1;     // screen, 2 x screen, 1920 x 1080, 3840 x 2160
    int image_w = 0, image_h = 0;  // the Explain window's image shape (pixel data), for the report
    void Draw(Engine& engine, const App& app, float w, float h);
};

// Bottom status line and the dismissible error banner.
struct StatusBar {
    void Draw(Engine& engine, const MapView& map, float w, float h);
};

}  // namespace recluster::web::ui
