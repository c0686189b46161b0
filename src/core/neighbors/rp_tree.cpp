#include "neighbors/rp_tree.hpp"

#include <algorithm>
#include <stdexcept>

#include "common/random.hpp"

namespace recluster {

namespace {

// Fixed-order float sum (plain loop, no reassociation): the same margin on every build.
float margin(const float* x, const float* normal, float offset, std::size_t d) {
    float s = 0;
    for (std::size_t j = 0; j < d; ++j) s += x[j] * normal[j];
    return s - offset;
}

struct Node {
    std::size_t begin, end;
    std::uint64_t id;
};

}  // namespace

RpLeaves rp_tree_leaves(const Matrix& data, std::size_t leaf_size, std::uint64_t seed, std::uint64_t tree) {
    if (leaf_size < 2) throw std::invalid_argument("rp_tree: leaf_size must be >= 2");
    const std::size_t n = data.rows, d = data.cols;
    RpLeaves out;
    out.rows.resize(n);
    for (std::size_t i = 0; i < n; ++i) out.rows[i] = static_cast<int>(i);
    out.offsets.push_back(0);
    if (n == 0) return out;
    std::vector<float> normal(d);
    std::vector<std::uint8_t> side;
    std::vector<int> scratch;
    // Depth first, left before right: leaves come out in a fixed order.
    std::vector<Node> stack{{0, n, 1}};
    while (!stack.empty()) {
        const Node node = stack.back();
        stack.pop_back();
        const std::size_t size = node.end - node.begin;
        if (size <= leaf_size) {
            out.offsets.push_back(node.end);
            continue;
        }
        int* rows = out.rows.data() + node.begin;
        std::size_t left = 0;
        // Up to three tries at two distinct points; a set of identical rows is halved by position.
        for (std::uint64_t attempt = 0; attempt < 3 && (left == 0 || left == size); ++attempt) {
            const std::uint64_t h = hash64(seed, tree, node.id, attempt);
            const std::size_t ia = static_cast<std::size_t>((h >> 32) % size);
            std::size_t ib = static_cast<std::size_t>((h & 0xffffffffu) % (size - 1));
            if (ib >= ia) ++ib;
            const float* a = data.row(static_cast<std::size_t>(rows[ia]));
            const float* b = data.row(static_cast<std::size_t>(rows[ib]));
            float offset = 0;
            for (std::size_t j = 0; j < d; ++j) {
                normal[j] = a[j] - b[j];
                offset += normal[j] * 0.5f * (a[j] + b[j]);
            }
            side.resize(size);
            left = 0;
            for (std::size_t i = 0; i < size; ++i) {
                const float m = margin(data.row(static_cast<std::size_t>(rows[i])), normal.data(), offset, d);
                // A row on the hyperplane goes to a side picked by its own hash.
                const bool to_left = m > 0 || (m == 0 && (hash64(seed, tree, node.id, 100 + static_cast<std::uint64_t>(rows[i])) & 1));
                side[i] = to_left;
                left += to_left;
            }
        }
        if (left == 0 || left == size) {
            left = size / 2;
            for (std::size_t i = 0; i < size; ++i) side[i] = i < left;
        }
        // Stable partition: left rows first, each side in its previous order.
        scratch.assign(rows, rows + size);
        std::size_t l = 0, r = left;
        for (std::size_t i = 0; i < size; ++i) rows[side[i] ? l++ : r++] = scratch[i];
        const std::uint64_t left_id = mix64(node.id * 2), right_id = mix64(node.id * 2 + 1);
        stack.push_back({node.begin + left, node.end, right_id});
        stack.push_back({node.begin, node.begin + left, left_id});
    }
    return out;
}

}  // namespace recluster
