// A small line chart drawn with ImGui's draw list: up to two y axes (left, right), points joined by lines, a
// hover cursor snapped to the nearest x, optional vertical / horizontal markers. Returns what the mouse did.
#pragma once
#include <imgui.h>

#include <string>
#include <vector>

namespace recluster::web::ui {

struct ChartSeries {
    std::string name;
    std::vector<double> y;     // NaN = no point
    ImU32 color = IM_COL32(255, 255, 255, 255);
    bool right_axis = false;
    bool show_points = true;
};

struct ChartMarker {
    double value = 0;          // an x (vertical line) or a left-axis y (horizontal line)
    bool vertical = true;
    ImU32 color = IM_COL32(255, 255, 255, 120);
    std::string label;
};

struct ChartHit {
    int index = -1;            // nearest x under the mouse, -1 when not hovered
    bool clicked = false;      // left click inside the plot
    double left_y = 0;         // left-axis value under the mouse
};

// `x` is shared by every series. `log_left` draws the left axis on a log scale (positive values).
ChartHit LineChart(const char* id, ImVec2 size, const std::vector<double>& x, const std::vector<ChartSeries>& series,
                   const std::vector<ChartMarker>& markers = {}, bool log_left = false);

}  // namespace recluster::web::ui
