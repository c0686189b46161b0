// KnnGraph: the k nearest neighbours of every row (self excluded), the input of UMAP's fuzzy graph.
// Row i's neighbours are index[i*k, i*k+k), ordered by ascending distance, ties by ascending index.
#pragma once
#include <cstddef>
#include <vector>

#include "common/matrix.hpp"
#include "neighbors/distance.hpp"

namespace recluster {

struct KnnGraph {
    std::size_t n = 0;
    int k = 0;
    std::vector<int> index;      // n * k row indices
    std::vector<float> distance; // n * k distances (euclidean, or 1 - cos for cosine / correlation)
};

// An n-row graph with k slots per row, indices -1 and distances 0, ready to be filled.
KnnGraph empty_knn_graph(std::size_t n, int k);

// Rows as the search sees them: a copy scaled to unit length for cosine, centred on each row's mean and then
// scaled for correlation (zero rows stay zero), else the input.
Matrix prepare_rows(const Matrix& data, Metric metric);
// Same without copying for euclidean: returns `data` itself, or `storage` filled with the normalised rows.
const Matrix& search_rows(const Matrix& data, Metric metric, Matrix& storage);

// Converts ranking distances (squared euclidean / cosine) to reported distances, in place.
void finish_distances(KnnGraph& graph, Metric metric);

// Fraction of true neighbours found: |approx ∩ exact| / (n k), per row as sets.
double knn_recall(const KnnGraph& approx, const KnnGraph& exact);

}  // namespace recluster
