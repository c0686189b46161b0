#include "neighbors/point_grid.hpp"

#include <algorithm>
#include <cmath>

namespace recluster {

std::size_t PointGrid::cell_of(float v, float lo, std::size_t cells) const {
    const double c = std::floor((static_cast<double>(v) - lo) / cell_);
    if (!(c > 0)) return 0;
    if (c >= static_cast<double>(cells - 1)) return cells - 1;  // compared before converting: no overflow
    return static_cast<std::size_t>(c);
}

void PointGrid::build(const float* xy, std::size_t n, double per_cell) {
    n_ = n;
    xy_.assign(xy, xy + 2 * n);
    float x0 = 0, y0 = 0, x1 = 0, y1 = 0;
    bool any = false;
    for (std::size_t i = 0; i < n; ++i) {
        const float x = xy[2 * i], y = xy[2 * i + 1];
        if (!std::isfinite(x) || !std::isfinite(y)) continue;
        if (!any) {
            x0 = x1 = x;
            y0 = y1 = y;
            any = true;
        }
        x0 = std::min(x0, x);
        x1 = std::max(x1, x);
        y0 = std::min(y0, y);
        y1 = std::max(y1, y);
    }
    // Square cells over the box, about per_cell points each (at most 2^22 cells).
    const double w = std::max<double>(x1 - x0, 1e-12), h = std::max<double>(y1 - y0, 1e-12);
    const double cells = std::clamp(static_cast<double>(n) / std::max(per_cell, 1.0), 1.0, 4194304.0);
    cell_ = static_cast<float>(std::max(std::sqrt(w * h / cells), std::max(w, h) / 2048.0));
    x0_ = x0;
    y0_ = y0;
    nx_ = static_cast<std::size_t>(std::floor(w / cell_)) + 1;
    ny_ = static_cast<std::size_t>(std::floor(h / cell_)) + 1;
    start_.assign(nx_ * ny_ + 1, 0);
    std::vector<std::uint32_t> cell(n, 0);
    for (std::size_t i = 0; i < n; ++i) {
        const float x = xy[2 * i], y = xy[2 * i + 1];
        if (!std::isfinite(x) || !std::isfinite(y)) {
            cell[i] = static_cast<std::uint32_t>(nx_ * ny_);  // not stored
            continue;
        }
        cell[i] = static_cast<std::uint32_t>(cell_of(y, y0_, ny_) * nx_ + cell_of(x, x0_, nx_));
        ++start_[cell[i] + 1];
    }
    for (std::size_t c = 0; c < nx_ * ny_; ++c) start_[c + 1] += start_[c];
    order_.assign(start_[nx_ * ny_], 0);
    std::vector<std::uint32_t> fill(start_.begin(), start_.end() - 1);
    for (std::size_t i = 0; i < n; ++i)
        if (cell[i] < nx_ * ny_) order_[fill[cell[i]]++] = static_cast<std::uint32_t>(i);
    sat_.assign((nx_ + 1) * (ny_ + 1), 0);
    for (std::size_t cy = 0; cy < ny_; ++cy) {
        std::uint32_t row = 0;
        for (std::size_t cx = 0; cx < nx_; ++cx) {
            const std::size_t c = cy * nx_ + cx;
            row += start_[c + 1] - start_[c];
            sat_[(cy + 1) * (nx_ + 1) + cx + 1] = sat_[cy * (nx_ + 1) + cx + 1] + row;
        }
    }
}

std::size_t PointGrid::count_in_box(float x0, float y0, float x1, float y1) const {
    if (n_ == 0 || !(x0 <= x1) || !(y0 <= y1)) return 0;
    const float gx1 = x0_ + cell_ * static_cast<float>(nx_), gy1 = y0_ + cell_ * static_cast<float>(ny_);
    if (x1 < x0_ || y1 < y0_ || x0 > gx1 || y0 > gy1) return 0;
    const std::size_t cx0 = cell_of(x0, x0_, nx_), cx1 = cell_of(x1, x0_, nx_) + 1;
    const std::size_t cy0 = cell_of(y0, y0_, ny_), cy1 = cell_of(y1, y0_, ny_) + 1;
    const std::size_t w = nx_ + 1;
    return static_cast<std::size_t>(sat_[cy1 * w + cx1]) - sat_[cy0 * w + cx1] - sat_[cy1 * w + cx0] + sat_[cy0 * w + cx0];
}

long PointGrid::nearest(float x, float y, float r, const std::function<bool(std::size_t)>& keep) const {
    if (n_ == 0 || !(r >= 0) || !std::isfinite(x) || !std::isfinite(y)) return -1;
    const std::size_t cx0 = cell_of(x - r, x0_, nx_), cx1 = cell_of(x + r, x0_, nx_);
    const std::size_t cy0 = cell_of(y - r, y0_, ny_), cy1 = cell_of(y + r, y0_, ny_);
    float best = r * r;
    long found = -1;
    for (std::size_t cy = cy0; cy <= cy1; ++cy)
        for (std::size_t cx = cx0; cx <= cx1; ++cx) {
            const std::size_t c = cy * nx_ + cx;
            for (std::uint32_t k = start_[c]; k < start_[c + 1]; ++k) {
                const std::size_t i = order_[k];
                const float dx = xy_[2 * i] - x, dy = xy_[2 * i + 1] - y, d2 = dx * dx + dy * dy;
                if (d2 > best || (d2 == best && found > static_cast<long>(i))) continue;
                if (keep && !keep(i)) continue;
                best = d2;
                found = static_cast<long>(i);
            }
        }
    return found;
}

}  // namespace recluster
