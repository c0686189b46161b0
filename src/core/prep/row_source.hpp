// RowSource: the rows of a numeric table, read block by block. Two kinds: a Matrix as it is (MatrixRows), and a
// Dataset's numeric columns scaled on the fly (ScaledColumns, prep/scale.hpp), so a wide table feeds PCA without a
// second full copy of itself. Readers ask for a block of consecutive rows and get it row-major.
#pragma once
#include <cstddef>
#include <vector>

#include "common/matrix.hpp"

namespace recluster {

class RowSource {
public:
    virtual ~RowSource() = default;
    virtual std::size_t rows() const = 0;
    virtual std::size_t cols() const = 0;
    // Rows [first, first + count) as count x cols() row-major floats: a pointer into the source when it holds them
    // that way, else `scratch` (count * cols() floats) filled and returned.
    virtual const float* read(std::size_t first, std::size_t count, float* scratch) const = 0;
};

class MatrixRows final : public RowSource {
public:
    // `m` must outlive this view.
    explicit MatrixRows(const Matrix& m) : m_(m) {}
    std::size_t rows() const override { return m_.rows; }
    std::size_t cols() const override { return m_.cols; }
    const float* read(std::size_t first, std::size_t, float*) const override { return m_.row(first); }

private:
    const Matrix& m_;
};

// Calls fn(r, x) for every row r of [begin, end) in order, x pointing at its cols() values; rows are read in blocks of
// `block` through `scratch` (resized as needed), so a source computed on the fly is read a cache-sized block at a time.
template <class Fn>
void for_each_row(const RowSource& source, std::size_t begin, std::size_t end, std::size_t block, std::vector<float>& scratch,
                  Fn&& fn) {
    const std::size_t d = source.cols();
    scratch.resize(block * d);
    for (std::size_t r0 = begin; r0 < end; r0 += block) {
        const std::size_t n = end - r0 < block ? end - r0 : block;
        const float* rows = source.read(r0, n, scratch.data());
        for (std::size_t i = 0; i < n; ++i) fn(r0 + i, rows + i * d);
    }
}

// The whole source as a Matrix (a copy, read in blocks of rows).
inline Matrix read_all(const RowSource& source) {
    Matrix m(source.rows(), source.cols());
    constexpr std::size_t kBlock = 4096;
    for (std::size_t r = 0; r < m.rows; r += kBlock) {
        const std::size_t n = m.rows - r < kBlock ? m.rows - r : kBlock;
        float* out = m.row(r);
        const float* in = source.read(r, n, out);
        if (in != out)
            for (std::size_t i = 0; i < n * m.cols; ++i) out[i] = in[i];
    }
    return m;
}

}  // namespace recluster
