// Four-lane float vectors through the GCC/Clang vector extension: SSE natively, simd128 in WASM. Lane-wise
// arithmetic only (no horizontal reductions), so a kernel written with it adds the same numbers in the same
// order as its scalar form: results are identical in every build.
#pragma once
#include <cstring>

namespace recluster::simd {

typedef float f32x4 __attribute__((vector_size(16)));

inline f32x4 zero4() { return f32x4{0.0f, 0.0f, 0.0f, 0.0f}; }
inline f32x4 load4(const float* p) {
    f32x4 v;
    std::memcpy(&v, p, sizeof v);  // unaligned load
    return v;
}
inline void store4(float* p, f32x4 v) { std::memcpy(p, &v, sizeof v); }

}  // namespace recluster::simd
