#include "image/png_writer.hpp"

#include <array>
#include <stdexcept>

namespace recluster {

namespace {

// Bits are packed from the least significant end of each byte (RFC 1951 §3.1.1).
class BitWriter {
public:
    explicit BitWriter(std::string& out) : out_(out) {}
    void bits(std::uint32_t value, int count) {  // value's low `count` bits, least significant first
        acc_ |= static_cast<std::uint64_t>(value) << filled_;
        filled_ += count;
        while (filled_ >= 8) {
            out_.push_back(static_cast<char>(acc_ & 0xff));
            acc_ >>= 8;
            filled_ -= 8;
        }
    }
    void huffman(std::uint32_t code, int length) {  // Huffman codes go most significant bit first
        std::uint32_t reversed = 0;
        for (int i = 0; i < length; ++i) reversed |= ((code >> i) & 1u) << (length - 1 - i);
        bits(reversed, length);
    }
    void flush() {
        if (filled_ > 0) out_.push_back(static_cast<char>(acc_ & 0xff));
        acc_ = 0;
        filled_ = 0;
    }

private:
    std::string& out_;
    std::uint64_t acc_ = 0;
    int filled_ = 0;
};

// The fixed literal / length code (RFC 1951 §3.2.6).
void put_literal(BitWriter& w, unsigned symbol) {
    if (symbol < 144) w.huffman(0x30 + symbol, 8);
    else if (symbol < 256) w.huffman(0x190 + (symbol - 144), 9);
    else if (symbol < 280) w.huffman(symbol - 256, 7);
    else w.huffman(0xc0 + (symbol - 280), 8);
}

constexpr std::array<unsigned, 29> kLengthBase = {3,  4,  5,  6,  7,  8,  9,  10, 11,  13,  15,  17,  19,  23, 27,
                                                  31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
constexpr std::array<int, 29> kLengthExtra = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
                                              2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
constexpr std::array<unsigned, 30> kDistBase = {1,   2,   3,   4,   5,   7,    9,    13,   17,   25,   33,   49,   65,    97,    129,
                                                193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577};
constexpr std::array<int, 30> kDistExtra = {0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};

void put_match(BitWriter& w, unsigned length, unsigned distance) {
    unsigned li = 28;
    while (kLengthBase[li] > length) --li;
    put_literal(w, 257 + li);
    if (kLengthExtra[li]) w.bits(length - kLengthBase[li], kLengthExtra[li]);
    unsigned di = 29;
    while (kDistBase[di] > distance) --di;
    w.huffman(di, 5);
    if (kDistExtra[di]) w.bits(distance - kDistBase[di], kDistExtra[di]);
}

std::uint32_t adler32(const std::uint8_t* p, std::size_t n) {
    std::uint32_t a = 1, b = 0;
    for (std::size_t i = 0; i < n; ++i) {
        a = (a + p[i]) % 65521u;
        b = (b + a) % 65521u;
    }
    return (b << 16) | a;
}

std::uint32_t crc32(const std::string& s, std::size_t from) {
    static const auto table = [] {
        std::array<std::uint32_t, 256> t{};
        for (std::uint32_t i = 0; i < 256; ++i) {
            std::uint32_t c = i;
            for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
            t[i] = c;
        }
        return t;
    }();
    std::uint32_t c = 0xffffffffu;
    for (std::size_t i = from; i < s.size(); ++i) c = table[(c ^ static_cast<std::uint8_t>(s[i])) & 0xff] ^ (c >> 8);
    return c ^ 0xffffffffu;
}

void put_be32(std::string& out, std::uint32_t v) {
    for (int s = 24; s >= 0; s -= 8) out.push_back(static_cast<char>((v >> s) & 0xff));
}

void chunk(std::string& png, const char* type, const std::string& data) {
    put_be32(png, static_cast<std::uint32_t>(data.size()));
    const std::size_t start = png.size();
    png.append(type, 4);
    png += data;
    put_be32(png, crc32(png, start));
}

}  // namespace

std::string zlib_compress(const std::uint8_t* data, std::size_t size) {
    std::string out;
    out.push_back(static_cast<char>(0x78));  // deflate, 32 KB window
    out.push_back(static_cast<char>(0x01));  // (0x7801 is a multiple of 31), no dictionary
    BitWriter w(out);
    w.bits(1, 1);  // the final block
    w.bits(1, 2);  // fixed Huffman codes
    constexpr std::size_t kWindow = 32768, kMaxChain = 48, kMinMatch = 3, kMaxMatch = 258;
    constexpr std::size_t kHashBits = 15;
    std::vector<std::int64_t> head(std::size_t{1} << kHashBits, -1);
    std::vector<std::int64_t> prev(size, -1);
    const auto hash = [&](std::size_t i) {
        const std::uint32_t v = (static_cast<std::uint32_t>(data[i]) << 16) | (static_cast<std::uint32_t>(data[i + 1]) << 8) | data[i + 2];
        return (v * 2654435761u) >> (32 - kHashBits);
    };
    const auto insert = [&](std::size_t i) {
        if (i + kMinMatch > size) return;
        const std::uint32_t h = hash(i);
        prev[i] = head[h];
        head[h] = static_cast<std::int64_t>(i);
    };
    std::size_t i = 0;
    while (i < size) {
        std::size_t best_len = 0, best_dist = 0;
        if (i + kMinMatch <= size) {
            const std::size_t limit = std::min(kMaxMatch, size - i);
            std::int64_t cand = head[hash(i)];
            for (std::size_t chain = 0; cand >= 0 && chain < kMaxChain; ++chain, cand = prev[static_cast<std::size_t>(cand)]) {
                const std::size_t c = static_cast<std::size_t>(cand);
                if (i - c > kWindow) break;
                std::size_t len = 0;
                while (len < limit && data[c + len] == data[i + len]) ++len;
                if (len > best_len) {
                    best_len = len;
                    best_dist = i - c;
                    if (len == limit) break;
                }
            }
        }
        if (best_len >= kMinMatch) {
            put_match(w, static_cast<unsigned>(best_len), static_cast<unsigned>(best_dist));
            for (std::size_t k = 0; k < best_len; ++k) insert(i + k);
            i += best_len;
        } else {
            put_literal(w, data[i]);
            insert(i);
            ++i;
        }
    }
    put_literal(w, 256);  // end of block
    w.flush();
    put_be32(out, adler32(data, size));
    return out;
}

std::string encode_png_rgb(const std::vector<std::uint8_t>& rgb, std::size_t width, std::size_t height) {
    if (width == 0 || height == 0 || width > 100000 || height > 100000 || rgb.size() != width * height * 3)
        throw std::invalid_argument("encode_png_rgb: pixels do not match the size");
    // Each row starts with its filter type: 2 (Up, the difference to the row above) suits flat map backgrounds.
    std::vector<std::uint8_t> raw;
    raw.reserve(height * (width * 3 + 1));
    for (std::size_t y = 0; y < height; ++y) {
        raw.push_back(y == 0 ? 0 : 2);
        const std::uint8_t* row = rgb.data() + y * width * 3;
        for (std::size_t x = 0; x < width * 3; ++x)
            raw.push_back(y == 0 ? row[x] : static_cast<std::uint8_t>(row[x] - row[x - width * 3]));
    }
    std::string png("\x89PNG\r\n\x1a\n", 8);
    std::string ihdr;
    put_be32(ihdr, static_cast<std::uint32_t>(width));
    put_be32(ihdr, static_cast<std::uint32_t>(height));
    ihdr += std::string("\x08\x02\x00\x00\x00", 5);  // 8 bits, RGB, deflate, adaptive filtering, no interlace
    chunk(png, "IHDR", ihdr);
    chunk(png, "IDAT", zlib_compress(raw.data(), raw.size()));
    chunk(png, "IEND", "");
    return png;
}

}  // namespace recluster
