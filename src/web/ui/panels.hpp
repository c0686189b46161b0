// The app's panels, one per file in src/web/ui/, each a small state struct with Draw().
#pragma once
#include <string>
#include "app/map_view.hpp"
#include "engine.hpp"

namespace recluster::web::ui {

// Shown while no data is loaded: drop zone, file picker, load progress.
struct StartPanel {
    void Draw(Engine& engine, float w, float h);
};

// Columns of the dataset with inferred types and statistics.
struct DataPanel {
    void Draw(const Dataset& data, float x, float y, float w, float h);
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
    int cluster_choice = 0;     // 0 HDBSCAN, 1 DBSCAN, 2 none
    float dbscan_eps = 0.5f;
    int min_cluster_size = 0;
    int min_samples = 0;
    int selection_choice = 0;   // 0 eom, 1 leaf
    float selection_epsilon = 0.0f;
    bool allow_single_cluster = false;
    int max_cluster_size = 0;   // 0 = no limit
    int rules_choice = 0;       // 0 campello, 1 r-dbscan
    std::string relabel_message;  // last re-label error, shown under the controls
    void Draw(Engine& engine, MapView& map, float x, float y, float w, float view_w, float view_h);
    float bottom = 0;  // screen y of the panel's lower edge after the last Draw()
};

// Colour legend for the current colouring.
struct LegendPanel {
    void Draw(const Dataset& data, MapView& map, float right, float top);  // clicks on cluster entries hide them
};

// Tooltip with the hovered row's values.
void DrawPointTooltip(const Dataset& data, int row);

// Bottom status line and the dismissible error banner.
struct StatusBar {
    void Draw(Engine& engine, const MapView& map, float w, float h);
};

}  // namespace recluster::web::ui
