#version 300 es
// Dear ImGui's panels: one vertex per ImDrawVert (position in screen pixels, font-atlas UV, RGBA colour).
precision highp float;
layout(location = 0) in vec2 a_position;
layout(location = 1) in vec2 a_uv;
layout(location = 2) in vec4 a_color;
uniform vec2 u_scale;      // pixels -> NDC: (2 / width, -2 / height)
uniform vec2 u_translate;  // NDC of the display's top-left corner
out vec2 v_uv;
out vec4 v_color;
void main() {
    v_uv = a_uv;
    v_color = a_color;
    gl_Position = vec4(a_position * u_scale + u_translate, 0.0, 1.0);
}
