// Map images: a view's points drawn into an RGB image, with header lines (title, breadcrumbs), cluster ids at their
// centroids and a legend, for PNG exports (the app's Export PNG, the CLI's --png) and the HTML report's maps. The
// map fills the image; header and legend sit on translucent boxes over it, as on screen. O(points x radius^2).
#pragma once
#include <string>
#include <vector>

#include "common/matrix.hpp"
#include "image/bitmap_font.hpp"

namespace recluster {

struct PipelineOutput;

struct MapImageSpec {
    std::size_t width = 1600, height = 1000;
    Rgb background{20, 23, 28};
    std::vector<std::string> header;  // lines at the top left (title, breadcrumbs)
    struct LegendItem {
        std::string label;
        Rgb color;
    };
    std::string legend_title;
    std::vector<LegendItem> legend;   // at the top right (as many as fit; then "... N more")
    struct Mark {
        float x = 0, y = 0;           // data coordinates
        std::string text;
    };
    std::vector<Mark> marks;          // labels drawn over the points (cluster ids at centroids)
    float point_radius = 0;           // pixels; 0 = from the image size and the number of points
    float opacity = 0.85f;
    // The data window: its centre and the data units across the image's width (else the points are fitted into
    // the part of the image the header and legend leave free).
    bool has_view = false;
    double cx = 0, cy = 0, units_across = 1;
    int text_scale = 0;               // pixels per font pixel; 0 = from the image height
};

// `xy` is points x 2 (data coordinates, y up); `colors` one colour per point, drawn in row order.
RgbImage render_map_image(const Matrix& xy, const std::vector<Rgb>& colors, const MapImageSpec& spec);

// A computed view coloured by its clusters (noise grey) with a legend of their sizes and ids at the centroids.
RgbImage cluster_map_image(const PipelineOutput& output, MapImageSpec spec);

// The category palette (shared with the app: no greys, which mean noise and missing values), a grey for noise.
Rgb cluster_color(int cluster);

}  // namespace recluster
