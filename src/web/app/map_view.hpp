// MapView: the 2-D map's state and interaction: camera, colouring by a column, hover picking, pan/zoom input,
// and the GPU buffers (through PointRenderer). Reads engine results; never changes them.
#pragma once
#include <chrono>
#include <string>
#include <vector>

#include "engine.hpp"
#include "image/map_image.hpp"
#include "neighbors/point_grid.hpp"
#include "render/camera.hpp"
#include "render/point_renderer.hpp"

namespace recluster::web {

struct LegendEntry {
    std::string label;
    Rgba8 color;
    std::size_t count = 0;
    int cluster = kNoCluster;  // cluster id (-1 = noise) when colouring by cluster: the entry can hide it
    bool hidden = false;
    static constexpr int kNoCluster = -1000;
};

// A cluster's id drawn at its centroid (data coordinates).
struct ClusterMark {
    int cluster = 0;
    float x = 0, y = 0;
};

class MapView {
public:
    bool init() { return renderer_.init(); }
    // Re-uploads buffers when the engine's results changed (new data fits the view).
    void sync(const Engine& engine, float w, float h);
    // Pan (drag), zoom at cursor (wheel), hover picking. Call when ImGui does not want the mouse.
    void handle_input(float w, float h);
    void draw(float w, float h);
    void fit(float w, float h);
    // Colouring: a dataset column index, -1 for a single colour, or kColorByCluster for the current result's
    // clusters.
    static constexpr int kColorByCluster = -2;
    // Colour by the drill-down hierarchy: each row's deepest hierarchical label (3, 3.1, ...).
    static constexpr int kColorByHierarchy = -3;
    void set_color_column(int column);
    int color_column() const { return color_column_; }
    // The colouring by name, as share links carry it: a column name, "(cluster)", "(hierarchy)" or "" (one colour).
    std::string color_name() const;
    // Applies a name from color_name(); false (colouring unchanged) when no column has that name.
    bool set_color_name(const std::string& name);

    // Colouring by cluster: hide / show a cluster's points (-1 = noise); hidden points are not drawn or picked.
    void toggle_hidden(int cluster);
    // Highlight one cluster (others dimmed, still hoverable); LegendEntry::kNoCluster = none. Toggles when the
    // same cluster is highlighted again.
    void toggle_highlight(int cluster);
    void set_highlight(int cluster) {
        if (highlighted_ != cluster) toggle_highlight(cluster);
    }
    int highlighted() const { return highlighted_; }
    // "HDBSCAN clusters", "k-means, k = 8, in 10 PCA components", ...: the legend's title.
    const std::string& cluster_title() const { return cluster_title_; }
    const std::vector<ClusterMark>& cluster_marks() const { return marks_; }

    int hovered() const { return hovered_; }
    // The visible row under a screen position (-1 if none), e.g. where a double-click happened.
    int row_at(float mx, float my, float w, float h) const { return pick(mx, my, w, h); }
    // Shift + drag selects the visible rows in a box: the rows (indices into the view) and the box while dragging.
    const std::vector<std::size_t>& selection() const { return selection_; }
    void clear_selection() { selection_.clear(); }
    bool box_active(float& x0, float& y0, float& x1, float& y1) const {
        x0 = box_x0_, y0 = box_y0_, x1 = box_x1_, y1 = box_y1_;
        return box_active_;
    }
    bool has_points() const { return renderer_.count() > 0; }
    std::size_t points_drawn() const { return points_drawn_; }

    float point_px = 6.0f;
    // Level of detail: with more points in the viewport than lod_budget(), draw a uniform random sample of about
    // that many (the renderer's draw-order prefix; zooming in shows more, down to every point). Off: all points.
    bool level_of_detail = true;
    static constexpr std::size_t kGpuPointBudget = 500000, kSoftwarePointBudget = 40000;
    std::size_t point_budget = 0;  // 0 = automatic: kGpuPointBudget, or kSoftwarePointBudget without a GPU
    std::size_t lod_budget() const {
        return point_budget ? point_budget : software_renderer_ ? kSoftwarePointBudget : kGpuPointBudget;
    }
    std::size_t point_count() const { return renderer_.count(); }
    // Screen pixels on the left / bottom covered by panels; fit() keeps points out from under them.
    float inset_left = 0, inset_bottom = 0;
    float opacity = 0.8f;
    Camera camera;

    // Legend contents for the current colouring.
    bool legend_continuous() const { return continuous_; }
    float legend_min() const { return vmin_; }
    float legend_max() const { return vmax_; }
    const std::vector<LegendEntry>& legend_categories() const { return categories_; }

    std::string state_json() const;
    // The map as on screen (camera, colours, highlight, hidden clusters, cluster ids) drawn into a width x height
    // image with `header` lines and the legend; `screen_w` is the on-screen width the camera is for.
    RgbImage render_image(std::size_t width, std::size_t height, float screen_w, const std::vector<std::string>& header) const;
    // CPU time of a drawn frame: the whole (smoothed, and the last one) and the last one's parts: building the
    // panels (ImGui + the app's per-frame work), drawing the map, submitting the panels to WebGL; and the number
    // of frames drawn (the page skips frames when nothing changed). Reported in state() for benchmarks and tests.
    struct FrameParts {
        double ui_ms = 0, map_ms = 0, panels_gl_ms = 0;
    };
    void record_frame_ms(double ms, const FrameParts& parts) {
        frame_ms_ = frame_ms_ == 0 ? ms : 0.9 * frame_ms_ + 0.1 * ms;
        last_frame_ms_ = ms;
        last_parts_ = parts;
        ++frames_drawn_;
    }
    // How the page paces frames while a job runs (see main.cpp); reported in state().
    void set_frame_pacing(bool software_renderer, double busy_frame_ms) {
        software_renderer_ = software_renderer;
        busy_frame_ms_ = busy_frame_ms;
    }

private:
    void recolor();
    bool root_changed(const Engine& engine);  // true once per new file (session root)
    void color_categories(const std::vector<std::string>& values);  // palette by frequency, fills the legend
    std::vector<std::size_t> rows_in_rect(float x0, float y0, float x1, float y1, float w, float h) const;
    void start_transition(const std::vector<float>& previous_xy, const std::vector<std::size_t>& rows);
    void animate();  // advances a view transition (called every frame)
    int pick(float mx, float my, float w, float h) const;
    void ensure_grid() const;  // (re)builds the grid after the layout changed (at most twice a second while it moves)

    PointRenderer renderer_;
    const Engine* engine_ = nullptr;
    unsigned generation_ = ~0u;
    std::shared_ptr<const Dataset> data_;
    const Dataset* root_ = nullptr;
    std::vector<float> xy_;  // copy of the embedding on screen (x0,y0,x1,y1,...)
    unsigned xy_version_ = 0;        // bumped whenever xy_ changes
    mutable PointGrid grid_;         // hover picking: built from xy_ on the first pick after it changed
    mutable unsigned grid_version_ = ~0u;
    mutable std::chrono::steady_clock::time_point grid_built_{};
    double pick_ms_ = 0;
    int color_column_ = -1;
    std::vector<Rgba8> colors_;
    bool continuous_ = false;
    float vmin_ = 0, vmax_ = 0;
    std::vector<LegendEntry> categories_;
    std::vector<int> hidden_;          // hidden cluster ids (colouring by cluster), sorted
    int highlighted_ = LegendEntry::kNoCluster;
    std::vector<std::size_t> selection_;
    // View transitions (drill-down): the node shown, its original rows, and the glide of shared points.
    static constexpr double kTransitionSeconds = 0.45;
    int node_ = -1;
    std::vector<std::size_t> node_rows_;
    bool animating_ = false;
    double anim_start_ = 0;
    std::vector<float> anim_from_, anim_now_;
    unsigned long transitions_ = 0;
    bool box_active_ = false;
    float box_x0_ = 0, box_y0_ = 0, box_x1_ = 0, box_y1_ = 0;
    std::string cluster_title_;
    std::vector<ClusterMark> marks_;   // visible clusters' centroids
    int hovered_ = -1;
    bool dragging_ = false;
    std::size_t points_drawn_ = 0;
    std::size_t points_in_view_ = 0;  // the grid's count for the viewport at the last draw
    unsigned preview_version_ = 0;
    bool showing_preview_ = false;
    double frame_ms_ = 0, last_frame_ms_ = 0;
    FrameParts last_parts_;
    unsigned long frames_drawn_ = 0;
    bool software_renderer_ = false;
    double busy_frame_ms_ = 0;
};

}  // namespace recluster::web
