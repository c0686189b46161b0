#include "image/map_image.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "image/colormap.hpp"
#include "pipeline/pipeline_job.hpp"

namespace recluster {

Rgb cluster_color(int cluster) {
    if (cluster < 0) return Rgb{120, 120, 120};
    const Rgba8 c = category_color(cluster);
    return Rgb{c.r, c.g, c.b};
}

RgbImage render_map_image(const Matrix& xy, const std::vector<Rgb>& colors, const MapImageSpec& spec) {
    RgbImage img(spec.width, spec.height, spec.background);
    const std::size_t n = std::min(xy.rows, colors.size());
    const int ts = spec.text_scale > 0 ? spec.text_scale : std::max(1, static_cast<int>(std::lround(static_cast<double>(spec.height) / 450.0)));
    const long pad = 6L * ts, line = static_cast<long>(kLineHeight) * ts;
    // Legend geometry first: the fitted map keeps clear of it.
    long legend_w = 0;
    std::size_t legend_rows = 0;
    if (!spec.legend.empty()) {
        const long max_rows = std::max(1L, (static_cast<long>(spec.height) - 4 * pad) / line - 2);
        legend_rows = std::min<std::size_t>(spec.legend.size(), static_cast<std::size_t>(max_rows));
        legend_w = text_width(spec.legend_title, ts);
        for (std::size_t i = 0; i < legend_rows; ++i) legend_w = std::max(legend_w, text_width(spec.legend[i].label, ts) + 2 * line);
        legend_w = std::min(legend_w + 2 * pad, static_cast<long>(spec.width) / 2);
    }
    const long header_h = spec.header.empty() ? 0 : static_cast<long>(spec.header.size()) * line + 2 * pad;

    // Data -> pixels: one scale on both axes, y up.
    double scale = 1, ox = 0, oy = 0;  // px = (x - ox) * scale, py = (oy - y) * scale
    if (spec.has_view && spec.units_across > 0) {
        scale = static_cast<double>(spec.width) / spec.units_across;
        ox = spec.cx - static_cast<double>(spec.width) * 0.5 / scale;
        oy = spec.cy + static_cast<double>(spec.height) * 0.5 / scale;
    } else if (n > 0) {
        double x0 = 1e300, x1 = -1e300, y0 = 1e300, y1 = -1e300;
        for (std::size_t i = 0; i < n; ++i) {
            const double x = xy.at(i, 0), y = xy.at(i, 1);
            if (!std::isfinite(x) || !std::isfinite(y)) continue;
            x0 = std::min(x0, x), x1 = std::max(x1, x), y0 = std::min(y0, y), y1 = std::max(y1, y);
        }
        if (x0 > x1) x0 = x1 = y0 = y1 = 0;
        const double fw = std::max(50.0, static_cast<double>(spec.width - legend_w) * 0.92);
        const double fh = std::max(50.0, static_cast<double>(spec.height - header_h) * 0.92);
        scale = std::min(fw / std::max(1e-12, x1 - x0), fh / std::max(1e-12, y1 - y0));
        if (!(scale > 0) || !std::isfinite(scale)) scale = 1;
        const double free_cx = static_cast<double>(spec.width - legend_w) * 0.5, free_cy = static_cast<double>(header_h) + static_cast<double>(spec.height - header_h) * 0.5;
        ox = 0.5 * (x0 + x1) - free_cx / scale;
        oy = 0.5 * (y0 + y1) + free_cy / scale;
    }
    const float r = spec.point_radius > 0 ? spec.point_radius
                                          : static_cast<float>(std::clamp(static_cast<double>(std::min(spec.width, spec.height)) / 220.0 *
                                                                              std::min(1.0, std::sqrt(3000.0 / std::max<double>(1, static_cast<double>(n)))),
                                                                          0.7, 8.0));
    const long reach = static_cast<long>(std::ceil(r + 0.5f));
    for (std::size_t i = 0; i < n; ++i) {
        const double px = (xy.at(i, 0) - ox) * scale, py = (oy - xy.at(i, 1)) * scale;
        if (!std::isfinite(px) || !std::isfinite(py) || px < -reach || py < -reach || px > static_cast<double>(spec.width) + reach ||
            py > static_cast<double>(spec.height) + reach)
            continue;
        const long cx = static_cast<long>(std::floor(px)), cy = static_cast<long>(std::floor(py));
        for (long y = cy - reach; y <= cy + reach; ++y)
            for (long x = cx - reach; x <= cx + reach; ++x) {
                const double d = std::hypot(static_cast<double>(x) + 0.5 - px, static_cast<double>(y) + 0.5 - py);
                const float cover = static_cast<float>(std::clamp(static_cast<double>(r) + 0.5 - d, 0.0, 1.0));
                if (cover > 0) img.set(x, y, colors[i], spec.opacity * cover);
            }
    }
    // Labels over the points: white text on a dark box, centred.
    for (const auto& m : spec.marks) {
        const double px = (m.x - ox) * scale, py = (oy - m.y) * scale;
        if (!std::isfinite(px) || !std::isfinite(py)) continue;
        const long tw = text_width(m.text, ts), x = static_cast<long>(px) - tw / 2, y = static_cast<long>(py) - 7L * ts / 2;
        img.fill_rect(x - 2 * ts, y - 2 * ts, x + tw + ts, y + 9L * ts, Rgb{0, 0, 0}, 0.6f);
        draw_text(img, x, y, m.text, Rgb{255, 255, 255}, ts);
    }
    if (!spec.header.empty()) {
        long w = 0;
        for (const auto& h : spec.header) w = std::max(w, text_width(h, ts));
        img.fill_rect(0, 0, w + 2 * pad, header_h, Rgb{0, 0, 0}, 0.55f);
        for (std::size_t i = 0; i < spec.header.size(); ++i)
            draw_text(img, pad, pad + static_cast<long>(i) * line, spec.header[i], i == 0 ? Rgb{255, 255, 255} : Rgb{200, 205, 215}, ts);
    }
    if (legend_rows > 0) {
        const bool more = legend_rows < spec.legend.size();
        const long x0 = static_cast<long>(spec.width) - legend_w;
        const long h = (static_cast<long>(legend_rows) + (more ? 1 : 0) + (spec.legend_title.empty() ? 0 : 1)) * line + 2 * pad;
        img.fill_rect(x0, 0, static_cast<long>(spec.width), h, Rgb{0, 0, 0}, 0.55f);
        long y = pad;
        if (!spec.legend_title.empty()) {
            draw_text(img, x0 + pad, y, spec.legend_title, Rgb{255, 255, 255}, ts);
            y += line;
        }
        for (std::size_t i = 0; i < legend_rows; ++i, y += line) {
            img.fill_rect(x0 + pad, y, x0 + pad + 7L * ts, y + 7L * ts, spec.legend[i].color);
            draw_text(img, x0 + pad + line + 2 * ts, y, spec.legend[i].label, Rgb{225, 228, 235}, ts);
        }
        if (more) draw_text(img, x0 + pad, y, "... " + std::to_string(spec.legend.size() - legend_rows) + " more", Rgb{170, 175, 185}, ts);
    }
    return img;
}

RgbImage cluster_map_image(const PipelineOutput& output, MapImageSpec spec) {
    const std::size_t n = output.embedding.rows;
    std::vector<Rgb> colors(n);
    for (std::size_t i = 0; i < n; ++i) colors[i] = cluster_color(i < output.labels.size() ? output.labels[i] : -1);
    const auto& sizes = output.clustering.sizes;
    std::vector<double> sx(sizes.size(), 0), sy(sizes.size(), 0);
    std::size_t noise = 0;
    for (std::size_t i = 0; i < n && i < output.labels.size(); ++i) {
        const int l = output.labels[i];
        if (l < 0 || static_cast<std::size_t>(l) >= sizes.size()) {
            ++noise;
            continue;
        }
        sx[static_cast<std::size_t>(l)] += output.embedding.at(i, 0);
        sy[static_cast<std::size_t>(l)] += output.embedding.at(i, 1);
    }
    if (spec.legend_title.empty()) spec.legend_title = std::to_string(sizes.size()) + (sizes.size() == 1 ? " cluster" : " clusters");
    char buf[96];
    for (std::size_t c = 0; c < sizes.size(); ++c) {
        std::snprintf(buf, sizeof buf, "cluster %zu  %d rows  %.1f%%", c, sizes[c], 100.0 * sizes[c] / std::max<double>(1, static_cast<double>(n)));
        spec.legend.push_back({buf, cluster_color(static_cast<int>(c))});
        if (sizes[c] > 0)
            spec.marks.push_back({static_cast<float>(sx[c] / sizes[c]), static_cast<float>(sy[c] / sizes[c]), std::to_string(c)});
    }
    if (noise > 0) {
        std::snprintf(buf, sizeof buf, "noise  %zu rows  %.1f%%", noise, 100.0 * static_cast<double>(noise) / std::max<double>(1, static_cast<double>(n)));
        spec.legend.push_back({buf, cluster_color(-1)});
    }
    return render_map_image(output.embedding, colors, spec);
}

}  // namespace recluster
