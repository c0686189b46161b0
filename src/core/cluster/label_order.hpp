// Output label convention shared by every clustering: clusters numbered 0..k-1 from the largest down (ties:
// lower original id first), -1 = noise.
#pragma once
#include <algorithm>
#include <cstddef>
#include <numeric>
#include <vector>

namespace recluster {

struct LabelOrder {
    std::vector<int> old_of_new;  // original id of output cluster j
    std::vector<int> sizes;       // rows of output cluster j
};

// Renumbers `labels` (ids 0..k-1, or -1 left alone) in place to the convention and reports the mapping.
inline LabelOrder order_labels_by_size(std::vector<int>& labels, int k) {
    const std::size_t kk = static_cast<std::size_t>(k);
    std::vector<int> count(kk, 0);
    for (int l : labels)
        if (l >= 0) ++count[static_cast<std::size_t>(l)];
    LabelOrder out;
    out.old_of_new.resize(kk);
    std::iota(out.old_of_new.begin(), out.old_of_new.end(), 0);
    std::stable_sort(out.old_of_new.begin(), out.old_of_new.end(),
                     [&](int a, int b) { return count[static_cast<std::size_t>(a)] > count[static_cast<std::size_t>(b)]; });
    std::vector<int> rank(kk);
    out.sizes.resize(kk);
    for (std::size_t j = 0; j < kk; ++j) {
        rank[static_cast<std::size_t>(out.old_of_new[j])] = static_cast<int>(j);
        out.sizes[j] = count[static_cast<std::size_t>(out.old_of_new[j])];
    }
    for (int& l : labels)
        if (l >= 0) l = rank[static_cast<std::size_t>(l)];
    return out;
}

}  // namespace recluster
