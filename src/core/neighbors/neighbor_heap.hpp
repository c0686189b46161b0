// NeighborHeap: the k best (distance, index) pairs seen so far, as a max-heap on (distance, index) so ties
// break by index and the kept set never depends on the order candidates arrive in.
#pragma once
#include <algorithm>
#include <cstddef>
#include <limits>
#include <vector>

namespace recluster {

class NeighborHeap {
public:
    explicit NeighborHeap(int k) : k_(static_cast<std::size_t>(k)) { items_.reserve(k_); }
    void clear() { items_.clear(); }
    std::size_t size() const { return items_.size(); }
    // Largest kept (distance, index); +inf while not full.
    float worst() const { return items_.size() < k_ ? std::numeric_limits<float>::infinity() : items_.front().dist; }

    // Offers a candidate; returns true if it was kept. Duplicate indices are the caller's concern.
    bool push(float dist, int index) {
        Item it{dist, index};
        if (items_.size() < k_) {
            items_.push_back(it);
            std::push_heap(items_.begin(), items_.end(), less);
            return true;
        }
        if (!less(it, items_.front())) return false;
        std::pop_heap(items_.begin(), items_.end(), less);
        items_.back() = it;
        std::push_heap(items_.begin(), items_.end(), less);
        return true;
    }

    // Writes the kept pairs in ascending (distance, index) order; missing slots get index -1, distance +inf.
    void sorted_into(int* index, float* dist) const {
        std::vector<Item> s = items_;
        std::sort(s.begin(), s.end(), less);
        for (std::size_t x = 0; x < k_; ++x) {
            index[x] = x < s.size() ? s[x].index : -1;
            dist[x] = x < s.size() ? s[x].dist : std::numeric_limits<float>::infinity();
        }
    }

private:
    struct Item {
        float dist;
        int index;
    };
    static bool less(const Item& a, const Item& b) { return a.dist < b.dist || (a.dist == b.dist && a.index < b.index); }
    std::size_t k_;
    std::vector<Item> items_;
};

}  // namespace recluster
