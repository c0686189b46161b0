#include "neighbors/knn_graph.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace recluster {

const char* metric_name(Metric m) {
    switch (m) {
        case Metric::Euclidean: return "euclidean";
        case Metric::Cosine: return "cosine";
        case Metric::Correlation: return "correlation";
    }
    return "";
}

KnnGraph empty_knn_graph(std::size_t n, int k) {
    KnnGraph g;
    g.n = n;
    g.k = k;
    g.index.assign(n * static_cast<std::size_t>(k), -1);
    g.distance.assign(n * static_cast<std::size_t>(k), 0.0f);
    return g;
}

Matrix prepare_rows(const Matrix& data, Metric metric) {
    Matrix out = data;
    if (metric == Metric::Euclidean) return out;
    for (std::size_t i = 0; i < out.rows; ++i) {
        float* r = out.row(i);
        if (metric == Metric::Correlation && out.cols > 0) {
            double mean = 0;
            for (std::size_t j = 0; j < out.cols; ++j) mean += r[j];
            const float m = static_cast<float>(mean / static_cast<double>(out.cols));
            for (std::size_t j = 0; j < out.cols; ++j) r[j] -= m;
        }
        double norm = 0;
        for (std::size_t j = 0; j < out.cols; ++j) norm += static_cast<double>(r[j]) * r[j];
        if (norm > 0) {
            const float inv = static_cast<float>(1.0 / std::sqrt(norm));
            for (std::size_t j = 0; j < out.cols; ++j) r[j] *= inv;
        }
    }
    return out;
}

const Matrix& search_rows(const Matrix& data, Metric metric, Matrix& storage) {
    if (metric == Metric::Euclidean) return data;
    storage = prepare_rows(data, metric);
    return storage;
}

void finish_distances(KnnGraph& graph, Metric metric) {
    for (float& d : graph.distance)
        d = metric == Metric::Euclidean ? std::sqrt(std::max(0.0f, d)) : std::max(0.0f, d);
}

double knn_recall(const KnnGraph& approx, const KnnGraph& exact) {
    if (approx.n != exact.n || approx.k != exact.k) throw std::invalid_argument("knn_recall: shapes differ");
    std::size_t hits = 0;
    const std::size_t k = static_cast<std::size_t>(exact.k);
    for (std::size_t i = 0; i < exact.n; ++i) {
        const int* a = approx.index.data() + i * k;
        const int* e = exact.index.data() + i * k;
        for (std::size_t x = 0; x < k; ++x)
            if (std::find(a, a + k, e[x]) != a + k) ++hits;
    }
    return exact.n ? static_cast<double>(hits) / static_cast<double>(exact.n * k) : 1.0;
}

}  // namespace recluster
