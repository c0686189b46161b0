#include "image/colormap.hpp"

#include <cmath>

namespace recluster {

namespace {
// Control points of the ramp, sampled by eye from a viridis-like progression.
constexpr float kRamp[][3] = {
    {0.267f, 0.005f, 0.329f}, {0.283f, 0.141f, 0.458f}, {0.254f, 0.265f, 0.530f}, {0.207f, 0.372f, 0.553f},
    {0.164f, 0.471f, 0.558f}, {0.128f, 0.567f, 0.551f}, {0.135f, 0.659f, 0.518f}, {0.267f, 0.749f, 0.441f},
    {0.478f, 0.821f, 0.318f}, {0.741f, 0.873f, 0.150f}, {0.993f, 0.906f, 0.144f}};
constexpr int kRampN = sizeof(kRamp) / sizeof(kRamp[0]);

// Category colours (Tableau-like); no greys, since grey means missing values and HDBSCAN noise.
constexpr std::uint8_t kPalette[][3] = {
    {31, 119, 180}, {255, 127, 14}, {44, 160, 44},  {214, 39, 40},   {148, 103, 189}, {140, 86, 75},
    {227, 119, 194}, {0, 150, 136},   {188, 189, 34}, {23, 190, 207},  {174, 199, 232}, {255, 187, 120},
    {152, 223, 138}, {255, 152, 150}, {197, 176, 213}, {196, 156, 148}, {247, 182, 210}, {120, 94, 240},
    {219, 219, 141}, {158, 218, 229}};
constexpr int kPaletteN = sizeof(kPalette) / sizeof(kPalette[0]);

std::uint8_t to_byte(float v) { return static_cast<std::uint8_t>(std::lround(std::fmin(1.f, std::fmax(0.f, v)) * 255.f)); }
}  // namespace

Rgba8 ramp_color(float t) {
    if (std::isnan(t)) return missing_color();
    t = std::fmin(1.f, std::fmax(0.f, t));
    float x = t * (kRampN - 1);
    int i = static_cast<int>(x);
    if (i >= kRampN - 1) i = kRampN - 2;
    float f = x - i;
    return {to_byte(kRamp[i][0] * (1 - f) + kRamp[i + 1][0] * f), to_byte(kRamp[i][1] * (1 - f) + kRamp[i + 1][1] * f),
            to_byte(kRamp[i][2] * (1 - f) + kRamp[i + 1][2] * f), 255};
}

Rgba8 category_color(int index) {
    const auto& c = kPalette[((index % kPaletteN) + kPaletteN) % kPaletteN];
    return {c[0], c[1], c[2], 255};
}

int palette_size() { return kPaletteN; }
Rgba8 default_point_color() { return {66, 135, 245, 255}; }
Rgba8 missing_color() { return {150, 150, 150, 140}; }

}  // namespace recluster
