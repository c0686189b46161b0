// WebGL2 renderer for Dear ImGui's draw data (the panels, tooltips and labels over the map).
//
// Written for this page instead of ImGui's OpenGL 3 backend, whose every frame begins by reading back about twenty
// pieces of GL state (blend functions, bindings, capabilities) to restore them afterwards. In a browser each such
// query that WebGL does not answer from its own cache is a synchronous round trip to the GPU process, which first
// finishes the work queued before it — the previous map draw. Measured at 1M points in headless Chromium, those
// queries were most of a frame's CPU time (1-9 ms). The page owns the whole GL state, so this renderer only sets
// what it needs and never queries: per frame it uploads every draw list's vertices and indices in one buffer each
// and issues one draw per ImDrawCmd with its clip rectangle as the scissor box.
//
// State contract: render() sets blending, scissor, program, vertex array and texture unit 0 itself and leaves the
// scissor test off and no vertex array bound; whatever draws before it (the map) sets its own state too.
#pragma once
#include <GLES3/gl3.h>

#include <string>
#include <vector>

struct ImDrawData;

namespace recluster::web {

class PanelRenderer {
public:
    // Compiles the shaders, creates the buffers and uploads ImGui's font atlas (and gives ImGui its texture id).
    // Call once after ImGui::CreateContext() with the GL context current; false (and error()) on failure.
    bool init();
    void render(const ImDrawData* draw_data);
    const std::string& error() const { return error_; }

private:
    void setup_state(const ImDrawData& d, int fb_w, int fb_h);
    void point_attributes(std::size_t first_vertex);  // the vertex array's attributes start at this vertex

    GLuint program_ = 0, vao_ = 0, vertices_ = 0, indices_ = 0, font_texture_ = 0;
    GLint u_scale_ = -1, u_translate_ = -1, u_texture_ = -1;
    std::vector<unsigned char> vertex_data_, index_data_;  // every draw list's, back to back (reused)
    std::string error_;
};

}  // namespace recluster::web
