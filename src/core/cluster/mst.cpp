#include "cluster/mst.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "common/parallel_for.hpp"
#include "common/union_find.hpp"
#include "neighbors/distance.hpp"
#include "neighbors/kd_tree.hpp"

namespace recluster {

namespace {

constexpr float kInf = std::numeric_limits<float>::infinity();

MstEdge make_edge(int a, int b, float w) { return a < b ? MstEdge{a, b, w} : MstEdge{b, a, w}; }

std::vector<MstEdge> prim(const Matrix& x, const std::vector<float>& core, int n_threads) {
    const std::size_t n = x.rows, d = x.cols;
    std::vector<MstEdge> edges;
    edges.reserve(n - 1);
    std::vector<char> in_tree(n, 0);
    std::vector<MstEdge> key(n, MstEdge{-1, -1, kInf});
    constexpr std::size_t chunk = 2048;
    std::vector<int> chunk_best(chunk_count(n, chunk), -1);
    int current = 0;
    in_tree[0] = 1;
    for (std::size_t step = 1; step < n; ++step) {
        const float* xc = x.row(static_cast<std::size_t>(current));
        const float cc = core[static_cast<std::size_t>(current)];
        parallel_for(n > 4 * chunk ? n_threads : 1, n, chunk, [&](int, std::size_t begin, std::size_t end) {
            int best = -1;
            for (std::size_t v = begin; v < end; ++v) {
                if (in_tree[v]) continue;
                const float w = std::max(std::max(cc, core[v]), squared_euclidean(xc, x.row(v), d));
                const MstEdge e = make_edge(current, static_cast<int>(v), w);
                if (edge_less(e, key[v])) key[v] = e;
                if (best < 0 || edge_less(key[v], key[static_cast<std::size_t>(best)])) best = static_cast<int>(v);
            }
            chunk_best[begin / chunk] = best;
        });
        int best = -1;
        for (int b : chunk_best)
            if (b >= 0 && (best < 0 || edge_less(key[static_cast<std::size_t>(b)], key[static_cast<std::size_t>(best)]))) best = b;
        edges.push_back(key[static_cast<std::size_t>(best)]);
        in_tree[static_cast<std::size_t>(best)] = 1;
        current = best;
    }
    return edges;
}

// Borůvka: every round, each component takes its lightest edge to another component. `knn` (from the same
// tree, squared distances, k >= 1) gives cheap upper bounds before the exact tree search.
std::vector<MstEdge> boruvka(const std::vector<float>& core, const KdTree& tree, const KnnGraph& knn, int n_threads) {
    const std::size_t k = static_cast<std::size_t>(knn.k);
    const std::size_t n = tree.size();
    const auto& nodes = tree.nodes();
    const std::size_t dim = tree.dim();
    // Per node: smallest core distance inside (a lower bound for any edge into it).
    std::vector<float> node_min_core(nodes.size(), kInf);
    for (std::size_t k = nodes.size(); k-- > 0;) {
        const auto& nd = nodes[k];
        if (nd.left < 0) {
            for (std::size_t p = nd.begin; p < nd.end; ++p)
                node_min_core[k] = std::min(node_min_core[k], core[static_cast<std::size_t>(tree.row_at(p))]);
        } else {
            node_min_core[k] = std::min(node_min_core[static_cast<std::size_t>(nd.left)], node_min_core[static_cast<std::size_t>(nd.right)]);
        }
    }
    std::vector<float> core_at(n);  // core distance by permuted position
    for (std::size_t p = 0; p < n; ++p) core_at[p] = core[static_cast<std::size_t>(tree.row_at(p))];

    UnionFind uf(n);
    std::vector<MstEdge> edges;
    edges.reserve(n - 1);
    std::vector<int> comp(n), comp_at(n), node_comp(nodes.size());
    std::vector<MstEdge> best(n), comp_best(n);
    const MstEdge none{-1, -1, kInf};
    while (edges.size() + 1 < n) {
        for (std::size_t i = 0; i < n; ++i) comp[i] = uf.find(static_cast<int>(i));
        for (std::size_t p = 0; p < n; ++p) comp_at[p] = comp[static_cast<std::size_t>(tree.row_at(p))];
        for (std::size_t q = nodes.size(); q-- > 0;) {  // children have larger ids than their parent
            const auto& nd = nodes[q];
            if (nd.left < 0) {
                int c = comp_at[nd.begin];
                for (std::size_t p = nd.begin + 1; p < nd.end && c >= 0; ++p)
                    if (comp_at[p] != c) c = -1;
                node_comp[q] = c;
            } else {
                const int a = node_comp[static_cast<std::size_t>(nd.left)], b = node_comp[static_cast<std::size_t>(nd.right)];
                node_comp[q] = a == b ? a : -1;
            }
        }
        // Upper bounds per component from the neighbour lists (cheap), so most rows can skip the tree search.
        std::fill(comp_best.begin(), comp_best.end(), none);
        for (std::size_t i = 0; i < n; ++i) {
            MstEdge b = none;
            for (std::size_t j = 0; j < k; ++j) {
                const int r = knn.index[i * k + j];
                if (r < 0 || comp[static_cast<std::size_t>(r)] == comp[i]) continue;
                const float w = std::max(std::max(core[i], core[static_cast<std::size_t>(r)]), knn.distance[i * k + j]);
                const MstEdge e = make_edge(static_cast<int>(i), r, w);
                if (edge_less(e, b)) b = e;
            }
            best[i] = b;
            MstEdge& cb = comp_best[static_cast<std::size_t>(comp[i])];
            if (edge_less(b, cb)) cb = b;
        }
        // Exact search per row: the best edge to another component, pruned by the component's bound.
        parallel_for(n_threads, n, 256, [&](int, std::size_t begin, std::size_t end) {
            int stack[128];
            for (std::size_t p = begin; p < end; ++p) {
                const int i = tree.row_at(p);
                const int ci = comp_at[p];
                const float cci = core_at[p];
                MstEdge b = best[static_cast<std::size_t>(i)];
                const MstEdge& bound = comp_best[static_cast<std::size_t>(ci)];
                if (cci > bound.w) continue;  // every edge of this row is heavier than one already known
                const float* q = tree.point_at(p);
                int top = 0;
                stack[top++] = 0;
                while (top > 0) {
                    const std::size_t nd_id = static_cast<std::size_t>(stack[--top]);
                    if (node_comp[nd_id] == ci) continue;
                    const float limit = std::min(b.w, bound.w);
                    if (std::max(std::max(cci, node_min_core[nd_id]), tree.box_sq_distance(nd_id, q)) > limit) continue;
                    const auto& nd = nodes[nd_id];
                    if (nd.left < 0) {
                        for (std::size_t pj = nd.begin; pj < nd.end; ++pj) {
                            if (comp_at[pj] == ci) continue;
                            const float w = std::max(std::max(cci, core_at[pj]), squared_euclidean(q, tree.point_at(pj), dim));
                            if (w > b.w) continue;
                            const MstEdge e = make_edge(i, tree.row_at(pj), w);
                            if (edge_less(e, b)) b = e;
                        }
                        continue;
                    }
                    tree.push_children(nd, q, stack, top);
                }
                best[static_cast<std::size_t>(i)] = b;
            }
        });
        std::fill(comp_best.begin(), comp_best.end(), none);
        for (std::size_t i = 0; i < n; ++i) {
            MstEdge& cb = comp_best[static_cast<std::size_t>(comp[i])];
            if (edge_less(best[i], cb)) cb = best[i];
        }
        std::size_t added = 0;
        for (std::size_t c = 0; c < n; ++c) {
            const MstEdge& e = comp_best[c];
            if (e.u < 0) continue;
            if (uf.unite(e.u, e.v)) {
                edges.push_back(e);
                ++added;
            }
        }
        if (added == 0) throw std::logic_error("boruvka: no edge joins the remaining components");
    }
    std::sort(edges.begin(), edges.end(), edge_less);
    return edges;
}

}  // namespace

void MstOptions::validate() const {
    if (min_samples < 1) throw std::invalid_argument("hdbscan: min_samples must be >= 1");
}

std::vector<float> core_sq_distances(const Matrix& data, int min_samples, int n_threads, bool use_kd_tree) {
    const std::size_t n = data.rows;
    std::vector<float> core(n, 0.0f);
    const std::size_t k = std::min<std::size_t>(static_cast<std::size_t>(std::max(min_samples - 1, 0)), n - 1);
    if (k == 0 || n < 2) return core;
    if (use_kd_tree) {
        const KnnGraph g = KdTree(data).knn_graph(static_cast<int>(k), n_threads);
        for (std::size_t i = 0; i < n; ++i) core[i] = g.distance[i * k + k - 1];
        return core;
    }
    parallel_for(n_threads, n, 64, [&](int, std::size_t begin, std::size_t end) {
        std::vector<float> dist(n - 1);
        for (std::size_t i = begin; i < end; ++i) {
            std::size_t m = 0;
            for (std::size_t j = 0; j < n; ++j)
                if (j != i) dist[m++] = squared_euclidean(data.row(i), data.row(j), data.cols);
            std::nth_element(dist.begin(), dist.begin() + static_cast<std::ptrdiff_t>(k - 1), dist.end());
            core[i] = dist[k - 1];
        }
    });
    return core;
}

MutualReachabilityMst mutual_reachability_mst(const Matrix& data, const MstOptions& options) {
    options.validate();
    if (data.rows == 0) throw std::invalid_argument("hdbscan: no rows");
    if (data.cols == 0) throw std::invalid_argument("hdbscan: no columns");
    for (float v : data.data)
        if (!std::isfinite(v)) throw std::invalid_argument("hdbscan: the input has NaN or infinite values");
    if (options.method == MstMethod::PrimRDbscan)
        throw std::invalid_argument("hdbscan: R dbscan's tree is built by build_hdbscan_tree");
    MutualReachabilityMst out;
    out.method = options.method;
    if (out.method == MstMethod::Auto)
        out.method = data.cols <= options.boruvka_max_dim ? MstMethod::Boruvka : MstMethod::Prim;
    if (out.method == MstMethod::Boruvka) {
        const std::size_t n = data.rows;
        out.core_sq.assign(n, 0.0f);
        if (n < 2) return out;
        // One tree for the neighbour lists (core distances, first bounds) and the MST search.
        const KdTree tree(data);
        const std::size_t k = std::min<std::size_t>(static_cast<std::size_t>(std::max(options.min_samples - 1, 1)), n - 1);
        const KnnGraph knn = tree.knn_graph(static_cast<int>(k), options.n_threads);
        if (options.min_samples > 1)
            for (std::size_t i = 0; i < n; ++i) out.core_sq[i] = knn.distance[i * k + k - 1];
        out.edges = boruvka(out.core_sq, tree, knn, options.n_threads);
    } else {
        out.core_sq = core_sq_distances(data, options.min_samples, options.n_threads, false);
        if (data.rows > 1) out.edges = prim(data, out.core_sq, options.n_threads);
        std::sort(out.edges.begin(), out.edges.end(), edge_less);
    }
    return out;
}

}  // namespace recluster
