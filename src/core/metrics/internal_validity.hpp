// Internal validity of a clustering of rows X (what the clusters look like, no ground truth): silhouette
// (Rousseeuw 1987), Davies–Bouldin (1979) and Calinski–Harabasz (1974), as scikit-learn defines them.
// Noise rows (label -1) are left out of every index. Undefined values (fewer than 2 clusters, ...) are NaN.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "common/matrix.hpp"

namespace recluster {

struct SilhouetteOptions {
    // Rows above which the silhouette is estimated on a sample (every sampled row against all rows).
    std::size_t exact_max_rows = 20000;
    std::size_t sample_size = 5000;
    std::uint64_t seed = 42;
    int n_threads = 1;
};

struct Silhouette {
    double mean = 0;              // mean silhouette width over the (sampled) clustered rows
    std::size_t rows_used = 0;    // rows whose width was averaged (all clustered rows when exact)
    bool sampled = false;
};

Silhouette silhouette(const Matrix& x, const std::vector<int>& labels, const SilhouetteOptions& options = {});
// The rows silhouette() averages over (all clustered rows, or its seeded sample), in row order.
std::vector<std::size_t> silhouette_rows(const std::vector<int>& labels, const SilhouetteOptions& options = {});
// Silhouette widths of the given clustered rows against every clustered row (for callers that spread the work
// over several steps); NaN for every row when there are fewer than 2 clusters.
std::vector<double> silhouette_widths(const Matrix& x, const std::vector<int>& labels, const std::vector<std::size_t>& rows,
                                      int n_threads = 1);
double davies_bouldin(const Matrix& x, const std::vector<int>& labels);
double calinski_harabasz(const Matrix& x, const std::vector<int>& labels);

}  // namespace recluster
