// PNG encoder (RFC 2083 / ISO 15948) for map images: 8-bit RGB pixels, compressed with our own DEFLATE (RFC 1951:
// LZ77 with hash chains, fixed Huffman codes) in a zlib stream (RFC 1950). Deterministic: the same pixels give the
// same bytes. O(pixels x chain length).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace recluster {

// `rgb` holds width x height pixels, row by row, 3 bytes each. Returns the PNG file's bytes.
std::string encode_png_rgb(const std::vector<std::uint8_t>& rgb, std::size_t width, std::size_t height);

// The compressed zlib stream of `data` (exposed for tests).
std::string zlib_compress(const std::uint8_t* data, std::size_t size);

}  // namespace recluster
