// Four-lane float vectors through the GCC/Clang vector extension: SSE natively, simd128 in WASM. Lane-wise
// arithmetic only (no horizontal reductions), so a kernel written with it adds the same numbers in the same
// order as its scalar form: results are identical in every build.
#pragma once
#include <cstring>

namespace recluster::simd {

typedef float f32x4 __attribute__((vector_size(16)));
typedef int i32x4 __attribute__((vector_size(16)));

inline f32x4 zero4() { return f32x4{0.0f, 0.0f, 0.0f, 0.0f}; }
inline f32x4 load4(const float* p) {
    f32x4 v;
    std::memcpy(&v, p, sizeof v);  // unaligned load
    return v;
}
inline void store4(float* p, f32x4 v) { std::memcpy(p, &v, sizeof v); }
// Bit casts between lane types.
inline i32x4 as_i32(f32x4 v) {
    i32x4 r;
    std::memcpy(&r, &v, sizeof r);
    return r;
}
inline f32x4 as_f32(i32x4 v) {
    f32x4 r;
    std::memcpy(&r, &v, sizeof r);
    return r;
}
// Lane-wise mask ? a : b, for masks from vector comparisons (all bits set or clear per lane).
inline f32x4 select(i32x4 mask, f32x4 a, f32x4 b) { return as_f32((mask & as_i32(a)) | (~mask & as_i32(b))); }

}  // namespace recluster::simd
