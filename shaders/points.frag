#version 300 es
// Round points with an anti-aliased edge; opacity scales the per-point alpha.
precision mediump float;
in vec4 v_color;
uniform float u_opacity;
uniform float u_edge;       // width of the soft edge in radius units (about one pixel)
out vec4 frag_color;
void main() {
    float r = length(gl_PointCoord * 2.0 - 1.0);
    float alpha = 1.0 - smoothstep(1.0 - u_edge, 1.0, r);
    if (alpha <= 0.0) discard;
    frag_color = vec4(v_color.rgb, v_color.a * u_opacity * alpha);
}
