// The app's colour maps are the core's (image/colormap.hpp), so exported images match the screen.
#pragma once
#include "image/colormap.hpp"

namespace recluster::web {
using recluster::category_color;
using recluster::default_point_color;
using recluster::missing_color;
using recluster::palette_size;
using recluster::ramp_color;
using recluster::Rgba8;
}  // namespace recluster::web
