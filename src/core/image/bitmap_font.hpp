// A 5 x 7 pixel font for printable ASCII, drawn into RGB images (legends and breadcrumbs of exported maps) at any
// integer scale. Characters outside ASCII 32..126 are drawn as '?'.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace recluster {

struct Rgb {
    std::uint8_t r = 0, g = 0, b = 0;
};

struct RgbImage {
    std::size_t width = 0, height = 0;
    std::vector<std::uint8_t> pixels;  // width x height x 3, row by row
    RgbImage() = default;
    RgbImage(std::size_t w, std::size_t h, Rgb fill);
    void set(long x, long y, Rgb c, float alpha = 1.0f);  // clipped; alpha blends over the pixel
    void fill_rect(long x0, long y0, long x1, long y1, Rgb c, float alpha = 1.0f);  // [x0, x1) x [y0, y1)
};

// Text advance per character and line height, in pixels at `scale`.
constexpr int kGlyphAdvance = 6, kLineHeight = 10;
inline long text_width(const std::string& text, int scale) { return static_cast<long>(text.size()) * kGlyphAdvance * scale; }
// Draws `text` with its top-left corner at (x, y); returns the x after the last character.
long draw_text(RgbImage& image, long x, long y, const std::string& text, Rgb color, int scale);

}  // namespace recluster
