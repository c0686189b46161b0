// A uniform grid over 2-D points for "nearest point within a radius" queries: hover picking on a map of a million
// points without scanning them all. Points are bucketed by cell with a counting sort (cells sized for about
// `per_cell` points over the bounding box); a query visits only the cells its disc touches. Build O(n) time and
// memory (one index per point, one offset per cell); a query costs the points in those cells.
#pragma once
#include <cstddef>
#include <cstdint>
#include <functional>
#include <vector>

namespace recluster {

class PointGrid {
public:
    // xy: n interleaved (x, y) pairs; the grid keeps its own copy. Non-finite points are never found.
    void build(const float* xy, std::size_t n, double per_cell = 4.0);
    std::size_t size() const { return n_; }
    float cell_size() const { return cell_; }
    // The point nearest to (x, y) within distance r, among those `keep` accepts (all when empty); ties go to the
    // highest index. -1 when there is none.
    long nearest(float x, float y, float r, const std::function<bool(std::size_t)>& keep = {}) const;
    // How many points lie in the cells that overlap the box [x0, x1] x [y0, y1]: whole cells, so an upper bound
    // that overshoots by at most the cells along the box's edge; O(1) (a summed-area table of the cell counts).
    // The map's level of detail uses it to know how many points the viewport shows.
    std::size_t count_in_box(float x0, float y0, float x1, float y1) const;

private:
    std::size_t cell_of(float v, float lo, std::size_t cells) const;
    std::vector<float> xy_;
    std::size_t n_ = 0;
    float x0_ = 0, y0_ = 0, cell_ = 1;
    std::size_t nx_ = 0, ny_ = 0;
    std::vector<std::uint32_t> start_;  // per cell: first position in order_ (nx * ny + 1 entries)
    std::vector<std::uint32_t> order_;  // point indices by cell, ascending within a cell
    std::vector<std::uint32_t> sat_;    // (nx + 1) x (ny + 1): points in the cells below and left of each corner
};

}  // namespace recluster
