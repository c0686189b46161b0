// App: the per-frame composition of map and panels; owns UI state, reads and drives the Engine.
#pragma once
#include <utility>
#include "app/map_view.hpp"
#include "engine.hpp"
#include "ui/panels.hpp"

namespace recluster::web {

class App {
public:
    bool init();
    // One frame of UI; `w`,`h` is the framebuffer size in pixels.
    void frame(float w, float h);
    // GL drawing of the map (before ImGui's draw data).
    void render_map(float w, float h);
    // A file dropped onto the page (path in the in-memory file system).
    void on_file_dropped(const char* path);
    void record_frame_ms(double ms, const MapView::FrameParts& parts) { map_.record_frame_ms(ms, parts); }
    std::size_t points_drawn() const { return map_.points_drawn(); }
    // True once after something outside the input events changed the look (e.g. setMapOptions from JS).
    bool take_redraw_request() { return std::exchange(redraw_requested_, false); }
    void set_frame_pacing(bool software_renderer, double busy_frame_ms) { map_.set_frame_pacing(software_renderer, busy_frame_ms); }
    // The map as on screen as a PNG of width x height pixels (0 = the screen's size) with breadcrumbs and legend.
    Result<std::string> map_png(std::size_t width, std::size_t height) const;

private:
    Engine& engine_ = engine();
    MapView map_;
    ui::StartPanel start_;
    ui::DataPanel data_panel_;
    const Dataset* data_seen_ = nullptr;  // the loaded file's dataset the Data panel was laid out for
    ui::ControlsPanel controls_;
    ui::LegendPanel legend_;
    ui::QualityPanel quality_;
    ui::ExplainPanel explain_;
    ui::DrillBar drill_;
    ui::StatusBar status_;
    ui::SharePanel share_;
    ui::HelpPanel help_;
    unsigned view_serial_ = 0;
    float screen_w_ = 0, screen_h_ = 0;  // the last frame's size  // the engine's last view request applied (links, session files)
    void apply_view_request(float w, float h);
    bool redraw_requested_ = false;
};

}  // namespace recluster::web
