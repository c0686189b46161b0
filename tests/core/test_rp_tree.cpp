#include <catch2/catch.hpp>
#include <algorithm>
#include <numeric>

#include "neighbors/rp_tree.hpp"

using namespace recluster;

namespace {
// Two tight groups far apart (rows alternate between them), plus small noise.
Matrix two_groups(std::size_t n, std::size_t d) {
    Matrix m(n, d);
    unsigned s = 3;
    for (std::size_t i = 0; i < n; ++i)
        for (std::size_t j = 0; j < d; ++j) {
            s = s * 1664525u + 1013904223u;
            m.at(i, j) = (i % 2 ? 100.0f : -100.0f) * (j == 0) + static_cast<float>(s >> 9) / 8388608.0f;
        }
    return m;
}

void check_partition(const RpLeaves& t, std::size_t n, std::size_t leaf_size) {
    REQUIRE(t.rows.size() == n);
    std::vector<int> sorted = t.rows;
    std::sort(sorted.begin(), sorted.end());
    std::vector<int> expect(n);
    std::iota(expect.begin(), expect.end(), 0);
    CHECK(sorted == expect);  // every row in exactly one leaf
    REQUIRE(t.offsets.front() == 0);
    REQUIRE(t.offsets.back() == n);
    for (std::size_t l = 0; l < t.leaves(); ++l) {
        CHECK(t.offsets[l + 1] > t.offsets[l]);
        CHECK(t.offsets[l + 1] - t.offsets[l] <= leaf_size);
    }
}
}  // namespace

TEST_CASE("rp tree: leaves partition the rows, respect the leaf size and are deterministic") {
    Matrix m = two_groups(5000, 6);
    const auto a = rp_tree_leaves(m, 32, 42, 0);
    check_partition(a, 5000, 32);
    CHECK(a.leaves() >= 5000 / 32);
    const auto again = rp_tree_leaves(m, 32, 42, 0);
    CHECK(again.rows == a.rows);
    CHECK(again.offsets == a.offsets);
    const auto other_tree = rp_tree_leaves(m, 32, 42, 1);
    check_partition(other_tree, 5000, 32);
    CHECK(other_tree.rows != a.rows);  // trees differ
    const auto other_seed = rp_tree_leaves(m, 32, 7, 0);
    CHECK(other_seed.rows != a.rows);
}

TEST_CASE("rp tree: leaves keep close rows together") {
    Matrix m = two_groups(4000, 5);
    const auto t = rp_tree_leaves(m, 20, 42, 3);
    // A leaf mixing the two groups would need a hyperplane that fails to separate points 200 apart; the first
    // split between a point of each group separates them, so every leaf is pure.
    std::size_t mixed = 0;
    for (std::size_t l = 0; l < t.leaves(); ++l) {
        bool odd = false, even = false;
        for (std::size_t x = t.offsets[l]; x < t.offsets[l + 1]; ++x) (t.rows[x] % 2 ? odd : even) = true;
        mixed += odd && even;
    }
    CHECK(mixed == 0);
}

TEST_CASE("rp tree: identical rows, tiny inputs and bad leaf sizes") {
    Matrix same(1000, 4);  // all zeros: no hyperplane separates them, sets are halved
    const auto t = rp_tree_leaves(same, 10, 1, 0);
    check_partition(t, 1000, 10);
    Matrix one(1, 3);
    check_partition(rp_tree_leaves(one, 2, 1, 0), 1, 2);
    Matrix none(0, 3);
    CHECK(rp_tree_leaves(none, 2, 1, 0).leaves() == 0);
    CHECK_THROWS(rp_tree_leaves(same, 1, 1, 0));
}
