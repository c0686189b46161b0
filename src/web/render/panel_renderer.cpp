#include "render/panel_renderer.hpp"

#include <imgui.h>

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "render/gl_program.hpp"
#include "shaders_embedded.hpp"

namespace recluster::web {

bool PanelRenderer::init() {
    program_ = link_program(shaders::panels_vert, shaders::panels_frag, error_);
    if (!program_) {
        error_ = "panel " + error_;
        return false;
    }
    u_scale_ = glGetUniformLocation(program_, "u_scale");
    u_translate_ = glGetUniformLocation(program_, "u_translate");
    u_texture_ = glGetUniformLocation(program_, "u_texture");

    glGenVertexArrays(1, &vao_);
    glGenBuffers(1, &vertices_);
    glGenBuffers(1, &indices_);
    glBindVertexArray(vao_);
    glBindBuffer(GL_ARRAY_BUFFER, vertices_);
    glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, indices_);  // recorded in the vertex array
    glEnableVertexAttribArray(0);
    glEnableVertexAttribArray(1);
    glEnableVertexAttribArray(2);
    point_attributes(0);
    glBindVertexArray(0);

    ImGuiIO& io = ImGui::GetIO();
    unsigned char* pixels = nullptr;
    int w = 0, h = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
    glGenTextures(1, &font_texture_);
    glActiveTexture(GL_TEXTURE0);
    glBindTexture(GL_TEXTURE_2D, font_texture_);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, w, h, 0, GL_RGBA, GL_UNSIGNED_BYTE, pixels);
    io.Fonts->SetTexID(static_cast<ImTextureID>(reinterpret_cast<void*>(static_cast<std::uintptr_t>(font_texture_))));
    io.BackendRendererName = "recluster_webgl2";
    io.BackendFlags |= ImGuiBackendFlags_RendererHasVtxOffset;  // large lists keep 16-bit indices
    return true;
}

void PanelRenderer::point_attributes(std::size_t first_vertex) {
    const std::size_t base = first_vertex * sizeof(ImDrawVert);
    const auto at = [&](std::size_t offset) { return reinterpret_cast<const void*>(base + offset); };
    glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, sizeof(ImDrawVert), at(offsetof(ImDrawVert, pos)));
    glVertexAttribPointer(1, 2, GL_FLOAT, GL_FALSE, sizeof(ImDrawVert), at(offsetof(ImDrawVert, uv)));
    glVertexAttribPointer(2, 4, GL_UNSIGNED_BYTE, GL_TRUE, sizeof(ImDrawVert), at(offsetof(ImDrawVert, col)));
}

void PanelRenderer::setup_state(const ImDrawData& d, int fb_w, int fb_h) {
    glViewport(0, 0, fb_w, fb_h);
    glEnable(GL_BLEND);
    glBlendEquation(GL_FUNC_ADD);
    glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
    glDisable(GL_CULL_FACE);
    glDisable(GL_DEPTH_TEST);
    glDisable(GL_STENCIL_TEST);
    glEnable(GL_SCISSOR_TEST);
    glUseProgram(program_);
    glUniform2f(u_scale_, 2.0f / d.DisplaySize.x, -2.0f / d.DisplaySize.y);
    glUniform2f(u_translate_, -1.0f - 2.0f * d.DisplayPos.x / d.DisplaySize.x, 1.0f + 2.0f * d.DisplayPos.y / d.DisplaySize.y);
    glUniform1i(u_texture_, 0);
    glActiveTexture(GL_TEXTURE0);
    glBindVertexArray(vao_);
    glBindBuffer(GL_ARRAY_BUFFER, vertices_);
}

void PanelRenderer::render(const ImDrawData* draw_data) {
    if (!draw_data || !program_ || draw_data->CmdListsCount == 0) return;
    const ImDrawData& d = *draw_data;
    const int fb_w = static_cast<int>(d.DisplaySize.x * d.FramebufferScale.x);
    const int fb_h = static_cast<int>(d.DisplaySize.y * d.FramebufferScale.y);
    if (fb_w <= 0 || fb_h <= 0) return;

    // Every list's vertices and indices back to back: two uploads per frame. A list's indices count from its own
    // first vertex, so each list re-points the attributes at its vertices (WebGL2 has no base-vertex draw).
    vertex_data_.clear();
    index_data_.clear();
    for (int n = 0; n < d.CmdListsCount; ++n) {
        const ImDrawList* list = d.CmdLists[n];
        const auto* v = reinterpret_cast<const unsigned char*>(list->VtxBuffer.Data);
        const auto* i = reinterpret_cast<const unsigned char*>(list->IdxBuffer.Data);
        vertex_data_.insert(vertex_data_.end(), v, v + list->VtxBuffer.Size * sizeof(ImDrawVert));
        index_data_.insert(index_data_.end(), i, i + list->IdxBuffer.Size * sizeof(ImDrawIdx));
    }
    setup_state(d, fb_w, fb_h);
    glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(vertex_data_.size()), vertex_data_.data(), GL_STREAM_DRAW);
    glBufferData(GL_ELEMENT_ARRAY_BUFFER, static_cast<GLsizeiptr>(index_data_.size()), index_data_.data(), GL_STREAM_DRAW);

    const ImVec2 origin = d.DisplayPos, scale = d.FramebufferScale;
    const GLenum index_type = sizeof(ImDrawIdx) == 2 ? GL_UNSIGNED_SHORT : GL_UNSIGNED_INT;
    std::size_t list_vertex = 0, list_index = 0;
    std::size_t pointed_at = static_cast<std::size_t>(-1);
    GLuint bound_texture = 0;
    for (int n = 0; n < d.CmdListsCount; ++n) {
        const ImDrawList* list = d.CmdLists[n];
        for (int c = 0; c < list->CmdBuffer.Size; ++c) {
            const ImDrawCmd& cmd = list->CmdBuffer[c];
            if (cmd.UserCallback) {
                if (cmd.UserCallback == ImDrawCallback_ResetRenderState) {
                    setup_state(d, fb_w, fb_h);
                    pointed_at = static_cast<std::size_t>(-1);
                    bound_texture = 0;
                } else {
                    cmd.UserCallback(list, &cmd);
                }
                continue;
            }
            // The clip rectangle in framebuffer pixels (GL's scissor origin is the bottom-left corner).
            const float x0 = (cmd.ClipRect.x - origin.x) * scale.x, y0 = (cmd.ClipRect.y - origin.y) * scale.y;
            const float x1 = (cmd.ClipRect.z - origin.x) * scale.x, y1 = (cmd.ClipRect.w - origin.y) * scale.y;
            if (x1 <= x0 || y1 <= y0 || cmd.ElemCount == 0) continue;
            glScissor(static_cast<GLint>(x0), static_cast<GLint>(static_cast<float>(fb_h) - y1),
                      static_cast<GLsizei>(x1 - x0), static_cast<GLsizei>(y1 - y0));
            const GLuint texture = static_cast<GLuint>(reinterpret_cast<std::uintptr_t>(cmd.GetTexID()));
            if (texture != bound_texture) {
                glBindTexture(GL_TEXTURE_2D, texture);
                bound_texture = texture;
            }
            const std::size_t first_vertex = list_vertex + cmd.VtxOffset;
            if (first_vertex != pointed_at) {
                point_attributes(first_vertex);
                pointed_at = first_vertex;
            }
            glDrawElements(GL_TRIANGLES, static_cast<GLsizei>(cmd.ElemCount), index_type,
                           reinterpret_cast<const void*>((list_index + cmd.IdxOffset) * sizeof(ImDrawIdx)));
        }
        list_vertex += static_cast<std::size_t>(list->VtxBuffer.Size);
        list_index += static_cast<std::size_t>(list->IdxBuffer.Size);
    }
    glDisable(GL_SCISSOR_TEST);
    glBindVertexArray(0);
}

}  // namespace recluster::web
