// Deterministic random numbers: counter-based hashing (splitmix64 finaliser) so any (seed, stream, counter)
// gives the same value on every platform and in any processing order, which is what lets parallel code be
// bit-identical for any thread count.
#pragma once
#include <cstdint>

namespace recluster {

// splitmix64 finaliser: a bijective mix of 64 bits.
inline std::uint64_t mix64(std::uint64_t x) {
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

// Hash of a seed and up to three counters; different argument tuples give independent-looking values.
inline std::uint64_t hash64(std::uint64_t seed, std::uint64_t a, std::uint64_t b = 0, std::uint64_t c = 0) {
    return mix64(mix64(mix64(seed ^ mix64(a)) ^ b) ^ mix64(c + 0x632BE59BD9B4E019ull));
}

// A small sequential generator for one stream (e.g. one row or one chunk): seeded from (seed, stream).
class RandomStream {
public:
    RandomStream(std::uint64_t seed, std::uint64_t stream) : state_(hash64(seed, stream)) {}
    std::uint64_t next() { return mix64(state_++); }
    // Uniform integer in [0, n), n > 0 (multiply-shift; bias is below 2^-32 for n < 2^32).
    std::uint32_t below(std::uint32_t n) {
        return static_cast<std::uint32_t>(((next() >> 32) * static_cast<std::uint64_t>(n)) >> 32);
    }
    // Uniform float in [0, 1).
    float uniform() { return static_cast<float>(next() >> 40) * (1.0f / 16777216.0f); }

private:
    std::uint64_t state_;
};

}  // namespace recluster
