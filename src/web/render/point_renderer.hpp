// WebGL2 point renderer: one non-instanced GL_POINTS draw for all points (round anti-aliased sprites; software
// rasterisers draw this ~6x faster than instanced quads), positions and colours in GPU buffers re-uploaded only
// when they change. Shaders live in shaders/points.{vert,frag}.
#pragma once
#include <cstddef>
#include <vector>

#include "render/camera.hpp"
#include "render/colormap.hpp"

namespace recluster::web {

class PointRenderer {
public:
    bool init();  // compiles shaders, creates buffers; false (and error()) on failure
    void set_positions(const float* xy, std::size_t count);  // interleaved x,y
    void set_colors(const std::vector<Rgba8>& colors);        // one per point
    // Draws into the current framebuffer of size w x h pixels.
    void draw(const Camera& camera, float w, float h, float point_px, float opacity);
    std::size_t count() const { return count_; }
    const char* error() const { return error_; }

private:
    unsigned program_ = 0, vao_ = 0, positions_ = 0, colors_ = 0;
    float max_point_px_ = 64.0f;  // the implementation's largest point size
    int u_center_ = -1, u_scale_ = -1, u_point_px_ = -1, u_opacity_ = -1, u_edge_ = -1;
    std::size_t count_ = 0;
    const char* error_ = "";
};

}  // namespace recluster::web
