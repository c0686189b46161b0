// Distance kernels for the neighbour search: squared euclidean and dot product over float rows, written with
// four independent accumulators combined in a fixed order, so compilers vectorise them (SSE natively,
// simd128 in WASM) while every build adds the same numbers in the same order: identical results everywhere.
#pragma once
#include <cstddef>

namespace recluster {

// Correlation = cosine of the rows after centring each row on its own mean (1 - Pearson's r).
enum class Metric { Euclidean, Cosine, Correlation };

const char* metric_name(Metric m);

inline float squared_euclidean(const float* a, const float* b, std::size_t d) {
    float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    std::size_t j = 0;
    for (; j + 4 <= d; j += 4) {
        float d0 = a[j] - b[j], d1 = a[j + 1] - b[j + 1], d2 = a[j + 2] - b[j + 2], d3 = a[j + 3] - b[j + 3];
        s0 += d0 * d0;
        s1 += d1 * d1;
        s2 += d2 * d2;
        s3 += d3 * d3;
    }
    for (; j < d; ++j) {
        float t = a[j] - b[j];
        s0 += t * t;
    }
    return (s0 + s1) + (s2 + s3);
}

inline float dot(const float* a, const float* b, std::size_t d) {
    float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    std::size_t j = 0;
    for (; j + 4 <= d; j += 4) {
        s0 += a[j] * b[j];
        s1 += a[j + 1] * b[j + 1];
        s2 += a[j + 2] * b[j + 2];
        s3 += a[j + 3] * b[j + 3];
    }
    for (; j < d; ++j) s0 += a[j] * b[j];
    return (s0 + s1) + (s2 + s3);
}

// The quantity neighbour searches rank by: squared euclidean distance, or 1 - cosine similarity for rows
// already centred (correlation) and scaled to unit length (see prepare_rows). Monotone in the reported distance.
inline float ranking_distance(Metric m, const float* a, const float* b, std::size_t d) {
    return m == Metric::Euclidean ? squared_euclidean(a, b, d) : 1.0f - dot(a, b, d);
}

}  // namespace recluster
