// Assigning new rows to the clusters of an exploration without re-running UMAP or HDBSCAN: the one-vs-rest models
// of each view, applied top-down. At a view, the row goes to the cluster whose model gives the highest probability
// (noise when none reaches 0.5); if that cluster was zoomed into and explained, its sub-cluster models continue.
// Cost per row: the models' trees along the path, O(clusters x trees x depth) per level.
#pragma once
#include <string>
#include <vector>

#include "explain/booster.hpp"

namespace recluster {

struct PathPrediction {
    std::string path;         // "3", "3.1", "noise", "3.noise" (the labels Session::row_paths uses)
    double confidence = 0;    // product of the chosen probabilities along the path (1 - best for noise)
    double probability = 0;   // of the last level's choice
};

class PathPredictor {
public:
    // The models of the view at `view_path` ("" = the top), one per cluster id. All levels read the same features
    // in the same order.
    void add_view(const std::string& view_path, std::vector<int> clusters, std::vector<BoosterModel> models);
    PathPrediction predict(const float* row) const;
    bool empty() const { return views_.empty(); }

private:
    struct View {
        std::string path;
        std::vector<int> clusters;
        std::vector<BoosterModel> models;
    };
    const View* find(const std::string& path) const;
    std::vector<View> views_;
};

}  // namespace recluster
