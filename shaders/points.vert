#version 300 es
// Instanced point sprite: one quad per point, expanded in screen space so points keep their pixel size.
precision highp float;
layout(location = 0) in vec2 a_corner;    // quad corner in [-1, 1]^2
layout(location = 1) in vec2 a_position;  // point position in data space (per instance)
layout(location = 2) in vec4 a_color;     // RGBA (per instance, normalised bytes)
uniform vec2 u_center;      // data-space point at the viewport centre
uniform vec2 u_scale;       // data units -> NDC
uniform vec2 u_point_ndc;   // half point size in NDC
out vec2 v_corner;
out vec4 v_color;
void main() {
    vec2 ndc = (a_position - u_center) * u_scale + a_corner * u_point_ndc;
    gl_Position = vec4(ndc, 0.0, 1.0);
    v_corner = a_corner;
    v_color = a_color;
}
