#include "explain/path_predictor.hpp"

#include <stdexcept>

namespace recluster {

void PathPredictor::add_view(const std::string& view_path, std::vector<int> clusters, std::vector<BoosterModel> models) {
    if (clusters.size() != models.size()) throw std::invalid_argument("predict: one model per cluster is needed");
    for (const auto& v : views_)
        if (v.path == view_path) throw std::invalid_argument("predict: view '" + view_path + "' was added twice");
    views_.push_back(View{view_path, std::move(clusters), std::move(models)});
}

const PathPredictor::View* PathPredictor::find(const std::string& path) const {
    for (const auto& v : views_)
        if (v.path == path) return &v;
    return nullptr;
}

PathPrediction PathPredictor::predict(const float* row) const {
    PathPrediction out;
    out.confidence = 1;
    std::string at;  // the view being decided
    for (const View* v = find(at); v; v = find(at)) {
        int best = -1;
        double best_p = -1;
        for (std::size_t i = 0; i < v->models.size(); ++i) {
            const double p = v->models[i].probability(row);
            if (p > best_p) {
                best_p = p;
                best = v->clusters[i];
            }
        }
        const std::string prefix = at.empty() ? "" : at + ".";
        if (best < 0 || best_p < 0.5) {
            out.path = prefix + "noise";
            out.probability = best_p < 0 ? 1.0 : 1.0 - best_p;
            out.confidence *= out.probability;
            return out;
        }
        out.path = prefix + std::to_string(best);
        out.probability = best_p;
        out.confidence *= best_p;
        at = out.path;
    }
    return out;
}

}  // namespace recluster
