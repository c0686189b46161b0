// Approximate k-nearest neighbours by NN-descent (Dong, Moses & Li 2011): start from the rows sharing a leaf in a
// few random-projection trees (rp_tree.hpp; random neighbours fill the rest, or all of it for small data) and
// repeatedly compare each row's neighbours with each other ("a neighbour of a neighbour is likely a
// neighbour"). About O(n k^2 d) per iteration; stops when fewer than delta*n*k entries change.
// Deterministic for any thread count: sampling uses counter-based hashes, joins read a frozen snapshot and
// updates are applied in chunk order. Resumable: step(rows) joins a slice of rows, applying each block's updates
// once it is joined (memory: one block's updates, not an iteration's); an iteration ends when all rows are joined.
#pragma once
#include <cstdint>
#include <vector>

#include "neighbors/knn_graph.hpp"

namespace recluster {

struct NnDescentOptions {
    // Neighbours per row (clamped to n - 1).
    int k = 15;
    Metric metric = Metric::Euclidean;
    int n_threads = 1;
    std::uint64_t seed = 42;
    // Iteration cap; 0 = automatic, max(5, round(log2 n)) as pynndescent does. More = better recall, slower.
    int max_iterations = 0;
    // Candidates sampled per row and iteration; 0 = automatic, min(60, k). More = better recall, slower.
    int max_candidates = 0;
    // Random-projection trees whose leaves give the starting graph (see rp_tree.hpp); 0 = start from random
    // neighbours; -1 = automatic (none below 2,000 rows, else 4 + rows^0.25 / 4, at most 16).
    int rp_trees = -1;
    // Rows per leaf at most; 0 = automatic, max(2k, 32).
    int leaf_size = 0;
    // Early stop when an iteration changes fewer than delta * n * k entries. Smaller = more iterations.
    float delta = 0.001f;
    // Rows per parallel chunk.
    std::size_t chunk_rows = 256;
    void validate() const;
};

class NnDescentJob {
public:
    // `data` must outlive the job.
    NnDescentJob(const Matrix& data, NnDescentOptions options);
    // Initialises (first call), else joins about `budget_rows` more rows of the current iteration, applying the
    // updates when the iteration is complete. False when converged or at the iteration cap.
    bool step(std::size_t budget_rows);
    bool done() const { return done_; }
    double progress() const;
    int iterations() const { return iteration_; }
    std::size_t last_updates() const { return last_updates_; }
    // The graph, sorted and with reported distances. Call once done().
    KnnGraph result();

private:
    void clear_heaps();           // every row's heap empty: (+inf, -1) entries
    void initialise();            // random start, or the forest's start once its trees are joined
    bool initialise_forest_step();  // builds and joins the next trees; true when the forest is complete
    void fill_from_random(std::size_t begin, std::size_t end);  // completes rows with fewer than k neighbours
    void build_candidates(std::vector<int>& new_c, std::vector<int>& old_c);
    void join_rows(std::size_t first, std::size_t last);
    // Items [first, last) in blocks of `block` (whole chunks of `chunk`): produce(begin, end, out) fills one list per
    // chunk in parallel, then the block's lists are applied in chunk order (apply_updates) before the next block.
    template <class Produce>
    void produce_and_apply(std::size_t first, std::size_t last, std::size_t chunk, std::size_t block, Produce produce);
    void apply_updates(std::size_t n_chunks);
    bool heap_insert(std::size_t row, float dist, int index);
    std::size_t owner_chunk() const;  // rows per task when tasks own row ranges (one range per thread)

    struct Update {
        int p, q;
        float dist;
    };
    std::vector<int> new_c_, old_c_;  // this iteration's candidates (n x max_candidates, -1 padded)
    std::vector<float> worst_;        // per-row worst distance at the start of the join
    // Updates of the current block (of rows being joined, or of a tree's leaves), one list per chunk.
    std::vector<std::vector<Update>> updates_;
    static constexpr std::size_t kJoinBlockRows = 16384;
    std::size_t changed_this_iteration_ = 0;
    std::size_t join_next_ = 0;
    bool joining_ = false;

    Matrix normalised_;   // cosine only: the unit-length rows
    const Matrix* rows_;  // what distances are computed on: the caller's data (euclidean) or normalised_
    NnDescentOptions options_;
    std::size_t n_ = 0, d_ = 0;
    int k_ = 0, max_iterations_ = 0, max_candidates_ = 0;
    int rp_trees_ = 0, trees_done_ = 0;
    std::size_t leaf_size_ = 0;
    std::vector<int> index_;     // n*k, per row a max-heap on (distance, index)
    std::vector<float> dist_;    // n*k ranking distances
    std::vector<std::uint8_t> is_new_;  // n*k, 1 = not yet used in a join
    int iteration_ = 0;
    bool initialised_ = false, done_ = false;
    std::size_t last_updates_ = 0;
};

// Convenience: run to convergence.
KnnGraph nn_descent(const Matrix& data, const NnDescentOptions& options);

}  // namespace recluster
