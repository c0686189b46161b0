#version 300 es
// One GL point per data point (a single non-instanced draw: software rasterisers such as SwiftShader handle
// it an order of magnitude faster than instanced quads), sized in pixels so points keep their size on zoom.
precision highp float;
layout(location = 0) in vec2 a_position;  // point position in data space
layout(location = 1) in vec4 a_color;     // RGBA (normalised bytes)
uniform vec2 u_center;      // data-space point at the viewport centre
uniform vec2 u_scale;       // data units -> NDC
uniform float u_point_px;   // point diameter in pixels
out vec4 v_color;
void main() {
    gl_Position = vec4((a_position - u_center) * u_scale, 0.0, 1.0);
    gl_PointSize = u_point_px;
    v_color = a_color;
}
