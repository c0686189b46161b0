// WebGL2 point renderer: one non-instanced GL_POINTS draw (round anti-aliased sprites; software rasterisers draw
// this ~6x faster than instanced quads), positions and colours in GPU buffers re-uploaded only when they change.
// Points are drawn through an index buffer holding a fixed random permutation, so the first m indices are a
// uniform random sample of the points: the level of detail draws such a prefix when zoomed out (draw(max_points)).
// Shaders live in shaders/points.{vert,frag}.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "render/camera.hpp"
#include "render/colormap.hpp"

namespace recluster::web {

class PointRenderer {
public:
    bool init();  // compiles shaders, creates buffers; false (and error()) on failure
    void set_positions(const float* xy, std::size_t count);  // interleaved x,y
    void set_colors(const std::vector<Rgba8>& colors);        // one per point
    // Draws the first `max_points` points of the draw order (all when larger) into the current framebuffer of size
    // w x h pixels; returns how many were drawn.
    std::size_t draw(const Camera& camera, float w, float h, float point_px, float opacity, std::size_t max_points);
    std::size_t count() const { return count_; }
    // Position of point i in the draw order: a draw of m points draws exactly the points of rank < m.
    std::uint32_t rank(std::size_t i) const { return i < rank_.size() ? rank_[i] : 0; }
    const std::string& error() const { return error_; }

private:
    void build_order(std::size_t count);
    unsigned program_ = 0, vao_ = 0, positions_ = 0, colors_ = 0, order_ = 0;
    std::vector<std::uint32_t> rank_;  // inverse of the uploaded draw order
    float max_point_px_ = 64.0f;  // the implementation's largest point size
    int u_center_ = -1, u_scale_ = -1, u_point_px_ = -1, u_opacity_ = -1, u_edge_ = -1;
    std::size_t count_ = 0;
    std::string error_;
};

}  // namespace recluster::web
