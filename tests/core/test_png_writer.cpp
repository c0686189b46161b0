// PNG writer: Python's zlib (an independent inflate) decodes our DEFLATE streams and PNG files to the bytes we wrote;
// flat images compress well; the same pixels give the same bytes.
#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "image/png_writer.hpp"
#include "common/random.hpp"

using namespace recluster;

namespace {
std::vector<std::uint8_t> test_image(std::size_t w, std::size_t h) {
    std::vector<std::uint8_t> rgb(w * h * 3, 20);
    RandomStream rng(5, 0);
    for (std::size_t i = 0; i < 400; ++i) {  // coloured discs on a flat background, like a map
        const auto cx = static_cast<long>(rng.uniform() * static_cast<double>(w)), cy = static_cast<long>(rng.uniform() * static_cast<double>(h));
        const auto r = static_cast<std::uint8_t>(rng.uniform() * 255), g = static_cast<std::uint8_t>(rng.uniform() * 255);
        for (long y = cy - 3; y <= cy + 3; ++y)
            for (long x = cx - 3; x <= cx + 3; ++x) {
                if (x < 0 || y < 0 || x >= static_cast<long>(w) || y >= static_cast<long>(h) || (x - cx) * (x - cx) + (y - cy) * (y - cy) > 9) continue;
                auto* p = &rgb[(static_cast<std::size_t>(y) * w + static_cast<std::size_t>(x)) * 3];
                p[0] = r, p[1] = g, p[2] = 200;
            }
    }
    return rgb;
}
}  // namespace

TEST_CASE("PNG writer: the zlib stream and the PNG file decode to our bytes (Python's zlib)", "[python]") {
    const std::size_t w = 333, h = 217;
    const auto rgb = test_image(w, h);
    const std::string png = encode_png_rgb(rgb, w, h);
    CHECK(png.compare(0, 8, std::string("\x89PNG\r\n\x1a\n", 8)) == 0);
    CHECK(png.substr(png.size() - 12) == std::string("\0\0\0\0IEND\xae\x42\x60\x82", 12));  // the IEND chunk and its CRC
    CHECK(png.size() < rgb.size() / 4);  // a flat background compresses
    CHECK(encode_png_rgb(rgb, w, h) == png);
    const auto dir = std::filesystem::temp_directory_path() / ("recluster_png_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "image.png", std::ios::binary) << png;
    std::ofstream(dir / "image.rgb", std::ios::binary).write(reinterpret_cast<const char*>(rgb.data()), static_cast<std::streamsize>(rgb.size()));
    std::ofstream(dir / "size.txt") << w << " " << h;
    // Streams that exercise literals above 143, long matches (258), far distances and the empty input.
    std::vector<std::string> inputs = {"", "Wikipedia", std::string(100000, 'a'), "abcabcabcabcabcabcabc"};
    RandomStream rng(9, 0);
    std::string noise;
    for (int i = 0; i < 70000; ++i) noise.push_back(static_cast<char>(rng.uniform() * 256));
    inputs.push_back(noise);
    inputs.push_back(noise.substr(0, 5000) + noise.substr(0, 30000) + noise.substr(100, 4000));
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        const auto* p = reinterpret_cast<const std::uint8_t*>(inputs[i].data());
        std::ofstream(dir / (std::to_string(i) + ".z"), std::ios::binary) << zlib_compress(p, inputs[i].size());
        std::ofstream(dir / (std::to_string(i) + ".raw"), std::ios::binary) << inputs[i];
    }
    // Adler-32 of "Wikipedia" is 0x11E60398 (RFC 1950's example value as commonly quoted).
    const std::string z = zlib_compress(reinterpret_cast<const std::uint8_t*>("Wikipedia"), 9);
    CHECK(z.substr(z.size() - 4) == std::string("\x11\xe6\x03\x98", 4));
    const std::string cmd = "/usr/bin/python3 " RECLUSTER_TEST_DIR "/python/check_png.py " + dir.string();
    CHECK(std::system(cmd.c_str()) == 0);
    std::filesystem::remove_all(dir);
}

TEST_CASE("PNG writer: a size that does not match the pixels is refused") {
    CHECK_THROWS_AS(encode_png_rgb(std::vector<std::uint8_t>(10), 2, 2), std::invalid_argument);
    CHECK_THROWS_AS(encode_png_rgb({}, 0, 0), std::invalid_argument);
}
