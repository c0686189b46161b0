// Matrix: a dense row-major float32 matrix (row i occupies data[i*cols, (i+1)*cols)).
// The pipeline's one matrix type; algorithms wrap it with Eigen::Map where they need linear algebra.
#pragma once
#include <cstddef>
#include <vector>

namespace recluster {

struct Matrix {
    std::size_t rows = 0, cols = 0;
    std::vector<float> data;

    Matrix() = default;
    Matrix(std::size_t r, std::size_t c) : rows(r), cols(c), data(r * c, 0.0f) {}
    float& at(std::size_t r, std::size_t c) { return data[r * cols + c]; }
    float at(std::size_t r, std::size_t c) const { return data[r * cols + c]; }
    float* row(std::size_t r) { return data.data() + r * cols; }
    const float* row(std::size_t r) const { return data.data() + r * cols; }
};

}  // namespace recluster
