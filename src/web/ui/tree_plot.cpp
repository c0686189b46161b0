// HDBSCAN's condensed tree as an icicle plot: each cluster of the tree is a bar as wide as its rows, from the
// density where it appears (top) to where it splits or fades out (bottom), on a log scale of lambda = 1 / distance.
// Selected clusters wear their map colour; click one to highlight it on the map.
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "render/colormap.hpp"
#include "ui/format.hpp"
#include "ui/panels.hpp"
#include "ui/widget_rects.hpp"

namespace recluster::web::ui {

void QualityPanel::DrawCondensedTree(const ClusteringOutput& clustering, MapView& map) {
    const CondensedTree& t = *clustering.condensed;
    const std::size_t k = t.n_clusters();
    if (k == 0 || t.n_points == 0) return;
    // Each bar ends where its children are born, else where its last row leaves.
    const std::vector<double> death = death_lambdas(t);
    std::vector<std::vector<int>> children(k);
    for (std::size_t c = 1; c < k; ++c) children[static_cast<std::size_t>(t.cluster_parent[c])].push_back(static_cast<int>(c));
    double lo = std::numeric_limits<double>::infinity(), hi = 0;
    for (std::size_t c = 0; c < k; ++c) {
        if (t.birth_lambda[c] > 0) lo = std::min(lo, t.birth_lambda[c]);
        if (std::isfinite(death[c])) hi = std::max(hi, death[c]);
    }
    for (double l : t.point_lambda)
        if (l > 0) lo = std::min(lo, l);
    if (!std::isfinite(lo) || hi <= lo) hi = lo * 10;
    hi = std::min(hi, lo * 1e6);  // exact duplicates have huge lambdas: keep the scale readable
    const double log_span = std::log(hi / lo);
    auto y_of = [&](double lambda) { return lambda <= lo ? 0.0 : std::min(1.0, std::log(lambda / lo) / log_span); };
    // Horizontal layout: children side by side in their parent's span, widths by rows.
    std::vector<double> x0(k, 0.0), width(k, 0.0);
    width[0] = static_cast<double>(t.cluster_size[0]);
    for (std::size_t c = 0; c < k; ++c) {
        double at = x0[c];
        for (int ch : children[c]) {
            x0[static_cast<std::size_t>(ch)] = at;
            width[static_cast<std::size_t>(ch)] = static_cast<double>(t.cluster_size[static_cast<std::size_t>(ch)]);
            at += width[static_cast<std::size_t>(ch)];
        }
    }
    const std::vector<int> output_id = output_cluster_of_tree(clustering.tree_cluster, k);

    const ImVec2 size(400, 190);
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    ImGui::InvisibleButton("##tree", size);
    NoteItem("Condensed tree");
    const bool hovered = ImGui::IsItemHovered();
    const bool clicked = ImGui::IsItemClicked(ImGuiMouseButton_Left);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float left = 6, top = 4;
    const ImVec2 p0(origin.x + left, origin.y + top), p1(origin.x + size.x - 6, origin.y + size.y - 4);
    dl->AddRectFilled(p0, p1, IM_COL32(20, 22, 28, 255));
    const double n = static_cast<double>(t.n_points);
    const ImVec2 mouse = ImGui::GetIO().MousePos;
    int under = -1;
    for (std::size_t c = 0; c < k; ++c) {
        const float ax = p0.x + static_cast<float>(x0[c] / n) * (p1.x - p0.x);
        const float bx = p0.x + static_cast<float>((x0[c] + width[c]) / n) * (p1.x - p0.x);
        const float ay = p0.y + static_cast<float>(y_of(t.birth_lambda[c])) * (p1.y - p0.y);
        const float by = std::max(ay + 2.0f, p0.y + static_cast<float>(y_of(death[c])) * (p1.y - p0.y));
        if (bx - ax < 0.5f) continue;
        const int o = output_id[c];
        const bool selected = o >= 0;
        Rgba8 col = selected ? category_color(o) : Rgba8{70, 74, 86, 255};
        if (selected && map.highlighted() != LegendEntry::kNoCluster && map.highlighted() != o) col.a = 90;
        dl->AddRectFilled(ImVec2(ax, ay), ImVec2(bx, by), IM_COL32(col.r, col.g, col.b, col.a));
        if (bx - ax > 3) dl->AddRect(ImVec2(ax, ay), ImVec2(bx, by), IM_COL32(15, 15, 20, 255));
        if (hovered && mouse.x >= ax && mouse.x < bx && mouse.y >= ay && mouse.y < by) under = static_cast<int>(c);
    }
    if (under >= 0) {
        const std::size_t c = static_cast<std::size_t>(under);
        const int o = output_id[c];
        const double born = t.birth_lambda[c];
        ImGui::SetTooltip("tree cluster %d: %s rows\nborn at distance %s\nstability %s\n%s", under,
                          format_count(static_cast<std::size_t>(t.cluster_size[c])).c_str(),
                          born > 0 ? format_number(1.0 / born).c_str() : "(root)", format_number(t.stability[c]).c_str(),
                          o >= 0 ? ("selected: cluster " + std::to_string(o) + " (click to highlight)").c_str() : "not selected");
        if (clicked && o >= 0) map.toggle_highlight(o);
    }
    ImGui::TextDisabled("%zu tree clusters, %zu selected; down = denser (log 1/distance).", k, clustering.tree_cluster.size());
}

}  // namespace recluster::web::ui
