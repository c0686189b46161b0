#include "ui/line_chart.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "ui/format.hpp"

namespace recluster::web::ui {

namespace {

struct Range {
    double lo = std::numeric_limits<double>::infinity(), hi = -std::numeric_limits<double>::infinity();
    void add(double v) {
        if (!std::isfinite(v)) return;
        lo = std::min(lo, v);
        hi = std::max(hi, v);
    }
    bool valid() const { return lo <= hi; }
    void pad() {
        if (!valid()) lo = 0, hi = 1;
        if (hi == lo) hi = lo + (lo == 0 ? 1 : std::abs(lo) * 0.1), lo -= (hi - lo) * 0.1;
    }
};

}  // namespace

ChartHit LineChart(const char* id, ImVec2 size, const std::vector<double>& x, const std::vector<ChartSeries>& series,
                   const std::vector<ChartMarker>& markers, bool log_left) {
    ChartHit hit;
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    ImGui::InvisibleButton(id, size);
    const bool hovered = ImGui::IsItemHovered();
    hit.clicked = ImGui::IsItemClicked(ImGuiMouseButton_Left);
    const float text_h = ImGui::GetTextLineHeight();
    const float left = 52, right = series.size() > 1 ? 52.0f : 10.0f, top = 6, bottom = text_h + 6;
    const ImVec2 p0(origin.x + left, origin.y + top), p1(origin.x + size.x - right, origin.y + size.y - bottom);
    dl->AddRectFilled(p0, p1, IM_COL32(20, 22, 28, 255));
    dl->AddRect(p0, p1, IM_COL32(90, 90, 100, 255));
    if (x.empty()) return hit;
    Range rx, ry[2];
    for (double v : x) rx.add(v);
    auto ly = [&](double v) { return log_left ? (v > 0 ? std::log10(v) : std::numeric_limits<double>::quiet_NaN()) : v; };
    for (const auto& s : series)
        for (double v : s.y) ry[s.right_axis].add(s.right_axis ? v : ly(v));
    for (const auto& m : markers)
        if (!m.vertical) ry[0].add(ly(m.value));
    rx.pad();
    ry[0].pad();
    ry[1].pad();
    auto sx = [&](double v) { return p0.x + static_cast<float>((v - rx.lo) / (rx.hi - rx.lo)) * (p1.x - p0.x); };
    auto sy = [&](double v, bool r) {
        const Range& g = ry[r];
        return p1.y - static_cast<float>((v - g.lo) / (g.hi - g.lo)) * (p1.y - p0.y);
    };
    // Axis labels: min and max of each axis, x at the ends.
    auto axis_text = [&](double v, bool r, bool log) {
        const std::string t = format_number(log ? std::pow(10.0, v) : v);
        const float w = ImGui::CalcTextSize(t.c_str()).x;
        return std::make_pair(t, r ? p1.x + 4 : p0.x - 4 - w);
    };
    for (int r = 0; r < 2; ++r) {
        if (r == 1 && series.size() < 2) break;
        ImU32 col = IM_COL32(170, 170, 180, 255);
        for (const auto& s : series)
            if (s.right_axis == (r == 1)) col = s.color;
        for (double v : {ry[r].lo, ry[r].hi}) {
            auto [t, tx] = axis_text(v, r == 1, r == 0 && log_left);
            dl->AddText(ImVec2(tx, sy(v, r == 1) - text_h * 0.5f), col, t.c_str());
        }
    }
    for (double v : {rx.lo, rx.hi}) {
        const std::string t = format_number(v);
        const float w = ImGui::CalcTextSize(t.c_str()).x;
        dl->AddText(ImVec2(std::clamp(sx(v) - w * 0.5f, p0.x, p1.x - w), p1.y + 2), IM_COL32(170, 170, 180, 255), t.c_str());
    }
    dl->PushClipRect(p0, p1, true);
    for (const auto& m : markers) {
        if (m.vertical) {
            dl->AddLine(ImVec2(sx(m.value), p0.y), ImVec2(sx(m.value), p1.y), m.color, 1.5f);
            if (!m.label.empty()) dl->AddText(ImVec2(sx(m.value) + 3, p0.y + 2), m.color, m.label.c_str());
        } else {
            const float y = sy(ly(m.value), false);
            dl->AddLine(ImVec2(p0.x, y), ImVec2(p1.x, y), m.color, 1.5f);
            if (!m.label.empty()) dl->AddText(ImVec2(p0.x + 3, y - text_h - 1), m.color, m.label.c_str());
        }
    }
    for (const auto& s : series) {
        ImVec2 prev;
        bool have_prev = false;
        for (std::size_t i = 0; i < x.size() && i < s.y.size(); ++i) {
            const double v = s.right_axis ? s.y[i] : ly(s.y[i]);
            if (!std::isfinite(v)) {
                have_prev = false;
                continue;
            }
            const ImVec2 p(sx(x[i]), sy(v, s.right_axis));
            if (have_prev) dl->AddLine(prev, p, s.color, 2.0f);
            if (s.show_points) dl->AddCircleFilled(p, 3.0f, s.color);
            prev = p;
            have_prev = true;
        }
    }
    if (hovered) {
        const ImVec2 mouse = ImGui::GetIO().MousePos;
        float best = std::numeric_limits<float>::infinity();
        for (std::size_t i = 0; i < x.size(); ++i) {
            const float d = std::abs(sx(x[i]) - mouse.x);
            if (d < best) best = d, hit.index = static_cast<int>(i);
        }
        const double t = (p1.y - mouse.y) / (p1.y - p0.y);
        const double v = ry[0].lo + t * (ry[0].hi - ry[0].lo);
        hit.left_y = log_left ? std::pow(10.0, v) : v;
        if (hit.index >= 0) {
            const float cx = sx(x[static_cast<std::size_t>(hit.index)]);
            dl->AddLine(ImVec2(cx, p0.y), ImVec2(cx, p1.y), IM_COL32(255, 255, 255, 90), 1.0f);
        }
    }
    dl->PopClipRect();
    return hit;
}

}  // namespace recluster::web::ui
