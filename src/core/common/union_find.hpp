// Union-find over 0..n-1 with path halving. Deterministic: when two sets join, the larger root hangs under the
// smaller one, so the root of a set is always its smallest member's root.
#pragma once
#include <cstddef>
#include <numeric>
#include <vector>

namespace recluster {

class UnionFind {
public:
    explicit UnionFind(std::size_t n) : parent_(n) { std::iota(parent_.begin(), parent_.end(), 0); }
    int find(int x) {
        while (parent_[static_cast<std::size_t>(x)] != x) {
            int& p = parent_[static_cast<std::size_t>(x)];
            p = parent_[static_cast<std::size_t>(p)];
            x = p;
        }
        return x;
    }
    // Joins the sets of a and b; false if they were already one. The new root is the smaller of the two roots.
    bool unite(int a, int b) {
        a = find(a);
        b = find(b);
        if (a == b) return false;
        if (a < b) parent_[static_cast<std::size_t>(b)] = a;
        else parent_[static_cast<std::size_t>(a)] = b;
        return true;
    }

private:
    std::vector<int> parent_;
};

}  // namespace recluster
