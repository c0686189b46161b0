// Map images: points land where the data says, the legend and header are drawn, the view window is honoured, and
// the same input gives the same pixels.
#include <catch2/catch.hpp>

#include "image/map_image.hpp"
#include "image/png_writer.hpp"
#include "pipeline/pipeline_job.hpp"

using namespace recluster;

namespace {
Rgb at(const RgbImage& img, std::size_t x, std::size_t y) {
    const std::uint8_t* p = &img.pixels[(y * img.width + x) * 3];
    return Rgb{p[0], p[1], p[2]};
}
bool same(Rgb a, Rgb b) { return a.r == b.r && a.g == b.g && a.b == b.b; }
std::size_t count_color(const RgbImage& img, Rgb c) {
    std::size_t k = 0;
    for (std::size_t y = 0; y < img.height; ++y)
        for (std::size_t x = 0; x < img.width; ++x) k += same(at(img, x, y), c);
    return k;
}
}  // namespace

TEST_CASE("map image: points are drawn where the data puts them, header and legend on top") {
    Matrix xy(2, 2);
    xy.at(0, 0) = 0, xy.at(0, 1) = 0;   // bottom left
    xy.at(1, 0) = 10, xy.at(1, 1) = 10;  // top right
    const Rgb red{255, 0, 0}, green{0, 255, 0};
    MapImageSpec spec;
    spec.width = 400, spec.height = 300, spec.opacity = 1.0f, spec.point_radius = 4;
    const RgbImage img = render_map_image(xy, {red, green}, spec);
    REQUIRE(img.pixels.size() == 400u * 300u * 3u);
    // Fitted with y up: the red point is below and left of the green one.
    std::size_t rx = 0, ry = 0, gx = 0, gy = 0;
    for (std::size_t y = 0; y < img.height; ++y)
        for (std::size_t x = 0; x < img.width; ++x) {
            if (same(at(img, x, y), red)) rx = x, ry = y;
            if (same(at(img, x, y), green)) gx = x, gy = y;
        }
    CHECK(rx < gx);
    CHECK(ry > gy);
    CHECK(count_color(img, red) > 20);
    CHECK(same(at(img, 0, 0), spec.background));

    // A legend and a header: white text pixels appear at the top left and right.
    spec.header = {"wine.csv", "All > 0"};
    spec.legend_title = "2 clusters";
    spec.legend = {{"cluster 0", red}, {"cluster 1", green}};
    const RgbImage with = render_map_image(xy, {red, green}, spec);
    std::size_t left = 0, right = 0;
    for (std::size_t y = 0; y < 40; ++y)
        for (std::size_t x = 0; x < with.width; ++x)
            if (same(at(with, x, y), Rgb{255, 255, 255})) (x < 200 ? left : right)++;
    CHECK(left > 20);
    CHECK(right > 20);
    CHECK(render_map_image(xy, {red, green}, spec).pixels == with.pixels);

    // A view window centred on the green point puts it in the middle of the image.
    MapImageSpec view;
    view.width = 200, view.height = 200, view.opacity = 1.0f, view.point_radius = 3;
    view.has_view = true, view.cx = 10, view.cy = 10, view.units_across = 4;
    const RgbImage centred = render_map_image(xy, {red, green}, view);
    CHECK(same(at(centred, 100, 100), green));
    CHECK(count_color(centred, red) == 0);
}

TEST_CASE("map image: a clustered view gets cluster colours, ids and a legend of sizes, it encodes as PNG") {
    PipelineOutput out;
    out.embedding = Matrix(6, 2);
    for (std::size_t i = 0; i < 6; ++i) out.embedding.at(i, 0) = static_cast<float>(i < 3 ? 0 : 10) + 0.1f * static_cast<float>(i), out.embedding.at(i, 1) = 0;
    out.labels = {0, 0, 0, 1, 1, -1};
    out.clustering.sizes = {3, 2};
    MapImageSpec spec;
    spec.width = 320, spec.height = 200;
    const RgbImage img = cluster_map_image(out, spec);
    CHECK(count_color(img, cluster_color(0)) + count_color(img, cluster_color(1)) > 0);
    const std::string png = encode_png_rgb(img.pixels, img.width, img.height);
    CHECK(png.size() > 100);
    CHECK(png.size() < img.pixels.size());
}
