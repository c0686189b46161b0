// SHA-256 (FIPS 180-4), for data fingerprints in share links: the same bytes give the same digest on every
// platform. Incremental: update() in any pieces, then hex(). O(bytes).
#pragma once
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

namespace recluster {

class Sha256 {
public:
    Sha256();
    void update(const void* data, std::size_t size);
    void update(const std::string& s) { update(s.data(), s.size()); }
    // The digest as 64 lowercase hex digits (finishes the hash; further updates are not allowed).
    std::string hex();

private:
    void block(const std::uint8_t* p);
    std::array<std::uint32_t, 8> h_;
    std::array<std::uint8_t, 64> buffer_{};
    std::size_t buffered_ = 0;
    std::uint64_t length_ = 0;  // bytes
    bool finished_ = false;
};

inline std::string sha256_hex(const std::string& s) {
    Sha256 h;
    h.update(s);
    return h.hex();
}

}  // namespace recluster
