// pow / log2 / exp2 for positive floats from + - * / and bit operations only, so every build (native, WASM,
// any libm) computes bit-identical values. Relative error below 5e-6 for pow(x, b) with |b log2 x| < 40
// (tested against std::pow). UMAP's layout tabulates x^b with them (pow_table.hpp).
#pragma once
#include <cstdint>
#include <cstring>

namespace recluster {

namespace fast_math_detail {
inline std::uint32_t bits_of(float x) {
    std::uint32_t u;
    std::memcpy(&u, &x, sizeof u);
    return u;
}
inline float float_of(std::uint32_t u) {
    float x;
    std::memcpy(&x, &u, sizeof x);
    return x;
}
constexpr float kMinNormal = 1.17549435e-38f;
constexpr std::uint32_t kSqrtHalfBits = 0x3f3504f3u;  // bits of 0.70710678f
// log2(m) for m in [0.7071, 1.4142): (2 / ln 2) atanh(t), t = (m - 1) / (m + 1), |t| < 0.172, series to t^7
// (truncation error below 3e-7).
inline float log2_mantissa(float m) {
    const float t = (m - 1.0f) / (m + 1.0f), t2 = t * t;
    return t * (1.0f + t2 * (1.0f / 3.0f + t2 * (1.0f / 5.0f + t2 * (1.0f / 7.0f)))) * 2.88539008f;
}
// 2^f for f in [0, 1) as sqrt(2) e^z, z = (f - 1/2) ln 2, |z| <= 0.347: Taylor series to z^6 (truncation
// error below 4e-7).
inline float exp2_fraction(float f) {
    const float z = (f - 0.5f) * 0.693147181f;
    return (1.0f + z * (1.0f + z * (0.5f + z * (1.0f / 6.0f + z * (1.0f / 24.0f + z * (1.0f / 120.0f + z * (1.0f / 720.0f))))))) *
           1.41421356f;
}
}  // namespace fast_math_detail

// log2(x) for finite x > 0 (smaller values are treated as the smallest normal float).
inline float fast_log2(float x) {
    using namespace fast_math_detail;
    if (!(x >= kMinNormal)) x = kMinNormal;
    // Split x = 2^e m with m in [0.7071, 1.4142) by offsetting the bits by those of sqrt(1/2): no branch.
    const std::uint32_t u = bits_of(x) - kSqrtHalfBits;
    const int e = static_cast<int>(u) >> 23;
    const float m = float_of((u & 0x7fffffu) + kSqrtHalfBits);
    return static_cast<float>(e) + log2_mantissa(m);
}

// 2^y, clamped to the normal float range.
inline float fast_exp2(float y) {
    using namespace fast_math_detail;
    y = y > -126.0f ? y : -126.0f;  // also maps NaN to the smallest value
    y = y < 127.0f ? y : 127.0f;
    int whole = static_cast<int>(y);  // floor without libm: truncate, step down for negative non-integers
    whole -= static_cast<float>(whole) > y ? 1 : 0;
    return exp2_fraction(y - static_cast<float>(whole)) * float_of(static_cast<std::uint32_t>(whole + 127) << 23);
}

// x^b for x > 0.
inline float fast_pow(float x, float b) { return fast_exp2(b * fast_log2(x)); }

}  // namespace recluster
