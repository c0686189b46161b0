// Colour maps for maps (the app's and exported images): a continuous perceptual ramp for numeric columns and a categorical palette.
#pragma once
#include <cstdint>

namespace recluster {

struct Rgba8 {
    std::uint8_t r, g, b, a;
};

// Continuous ramp (dark blue -> green -> yellow, perceptually ordered), t in [0, 1]; NaN -> grey.
Rgba8 ramp_color(float t);
// Distinct colours for categories; index wraps after palette_size().
Rgba8 category_color(int index);
int palette_size();
// Colour of points when the map is not coloured by a column.
Rgba8 default_point_color();
// Colour for missing values.
Rgba8 missing_color();

}  // namespace recluster
