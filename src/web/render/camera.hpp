// Camera for the 2-D map: a data-space centre and a zoom in pixels per data unit. Pure maths, no GL.
#pragma once

namespace recluster::web {

struct Camera {
    float cx = 0, cy = 0;   // data point shown at the viewport centre
    float zoom = 1;         // pixels per data unit (same on both axes)

    // Screen pixel (origin top-left, y down) <-> data space (y up).
    void to_screen(float x, float y, float w, float h, float& sx, float& sy) const {
        sx = (x - cx) * zoom + w * 0.5f;
        sy = h * 0.5f - (y - cy) * zoom;
    }
    void to_data(float sx, float sy, float w, float h, float& x, float& y) const {
        x = (sx - w * 0.5f) / zoom + cx;
        y = (h * 0.5f - sy) / zoom + cy;
    }
    // Zooms by `factor` keeping the data point under screen pixel (sx, sy) fixed.
    void zoom_at(float factor, float sx, float sy, float w, float h) {
        float x, y;
        to_data(sx, sy, w, h, x, y);
        zoom *= factor;
        cx = x - (sx - w * 0.5f) / zoom;
        cy = y - (h * 0.5f - sy) / zoom;
    }
    // Fits the data box [x0,x1]x[y0,y1] into the screen rectangle that a w x h viewport leaves after the
    // given insets (pixels covered by panels), with a margin.
    void fit(float x0, float y0, float x1, float y1, float w, float h, float inset_left = 0, float inset_bottom = 0) {
        const float vw = w - inset_left > 50 ? w - inset_left : w;
        const float vh = h - inset_bottom > 50 ? h - inset_bottom : h;
        float bw = x1 - x0, bh = y1 - y0;
        if (!(bw > 0)) bw = 1;
        if (!(bh > 0)) bh = 1;
        float zx = vw / bw, zy = vh / bh;
        zoom = 0.9f * (zx < zy ? zx : zy);
        if (!(zoom > 0)) zoom = 1;
        // The box centre goes to the centre of the free rectangle, not of the whole viewport.
        cx = 0.5f * (x0 + x1) - ((w - vw) + vw * 0.5f - w * 0.5f) / zoom;
        cy = 0.5f * (y0 + y1) - (h * 0.5f - vh * 0.5f) / zoom;
    }
};

}  // namespace recluster::web
