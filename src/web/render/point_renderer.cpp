#include "render/point_renderer.hpp"

#include <GLES3/gl3.h>

#include <algorithm>

#include "common/random.hpp"
#include "render/gl_program.hpp"
#include "shaders_embedded.hpp"

namespace recluster::web {

bool PointRenderer::init() {
    std::string error;
    program_ = link_program(shaders::points_vert, shaders::points_frag, error);
    if (!program_) {
        error_ = "point " + error;
        return false;
    }
    u_center_ = glGetUniformLocation(program_, "u_center");
    u_scale_ = glGetUniformLocation(program_, "u_scale");
    u_point_px_ = glGetUniformLocation(program_, "u_point_px");
    u_opacity_ = glGetUniformLocation(program_, "u_opacity");
    u_edge_ = glGetUniformLocation(program_, "u_edge");
    GLfloat range[2] = {1.0f, 64.0f};
    glGetFloatv(GL_ALIASED_POINT_SIZE_RANGE, range);
    if (range[1] >= 1.0f) max_point_px_ = range[1];

    glGenVertexArrays(1, &vao_);
    glBindVertexArray(vao_);
    glGenBuffers(1, &positions_);
    glBindBuffer(GL_ARRAY_BUFFER, positions_);
    glEnableVertexAttribArray(0);
    glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, 0, nullptr);

    glGenBuffers(1, &colors_);
    glBindBuffer(GL_ARRAY_BUFFER, colors_);
    glEnableVertexAttribArray(1);
    glVertexAttribPointer(1, 4, GL_UNSIGNED_BYTE, GL_TRUE, 0, nullptr);

    glGenBuffers(1, &order_);
    glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, order_);  // recorded in the vertex array
    glBindVertexArray(0);
    return true;
}

void PointRenderer::build_order(std::size_t count) {
    // Fisher-Yates with a fixed seed: the same order for the same number of points, every time.
    std::vector<std::uint32_t> order(count);
    for (std::size_t i = 0; i < count; ++i) order[i] = static_cast<std::uint32_t>(i);
    RandomStream rng(0x5EED, count);
    for (std::size_t i = count; i > 1; --i) std::swap(order[i - 1], order[rng.below(static_cast<std::uint32_t>(i))]);
    rank_.assign(count, 0);
    for (std::size_t r = 0; r < count; ++r) rank_[order[r]] = static_cast<std::uint32_t>(r);
    glBindVertexArray(vao_);
    glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, order_);
    glBufferData(GL_ELEMENT_ARRAY_BUFFER, static_cast<GLsizeiptr>(count * sizeof(std::uint32_t)), order.data(), GL_STATIC_DRAW);
    glBindVertexArray(0);
}

void PointRenderer::set_positions(const float* xy, std::size_t count) {
    if (count != rank_.size()) build_order(count);
    count_ = count;
    glBindBuffer(GL_ARRAY_BUFFER, positions_);
    glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(count * 2 * sizeof(float)), xy, GL_STATIC_DRAW);
}

void PointRenderer::set_colors(const std::vector<Rgba8>& colors) {
    glBindBuffer(GL_ARRAY_BUFFER, colors_);
    glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(colors.size() * sizeof(Rgba8)), colors.data(),
                 GL_DYNAMIC_DRAW);
}

std::size_t PointRenderer::draw(const Camera& camera, float w, float h, float point_px, float opacity, std::size_t max_points) {
    if (count_ == 0 || w <= 0 || h <= 0) return 0;
    const std::size_t m = std::min(count_, max_points);
    glUseProgram(program_);
    glUniform2f(u_center_, camera.cx, camera.cy);
    glUniform2f(u_scale_, camera.zoom * 2.0f / w, camera.zoom * 2.0f / h);
    point_px = std::min(point_px, max_point_px_);
    glUniform1f(u_point_px_, point_px);
    glUniform1f(u_opacity_, opacity);
    glUniform1f(u_edge_, point_px > 1.5f ? 2.0f / point_px : 1.0f);
    glEnable(GL_BLEND);
    glBlendFunc(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA);
    glBindVertexArray(vao_);
    glDrawElements(GL_POINTS, static_cast<GLsizei>(m), GL_UNSIGNED_INT, nullptr);
    glBindVertexArray(0);
    return m;
}

}  // namespace recluster::web
