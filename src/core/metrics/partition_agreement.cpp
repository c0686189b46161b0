#include "metrics/partition_agreement.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>
#include <utility>

namespace recluster {

namespace {

struct Contingency {
    std::map<std::pair<int, int>, double> cells;
    std::map<int, double> rows, cols;
    double n = 0;
};

Contingency contingency(const std::vector<int>& a, const std::vector<int>& b) {
    if (a.size() != b.size()) throw std::invalid_argument("partition agreement: labelings differ in length");
    Contingency c;
    for (std::size_t i = 0; i < a.size(); ++i) {
        c.cells[{a[i], b[i]}] += 1;
        c.rows[a[i]] += 1;
        c.cols[b[i]] += 1;
    }
    c.n = static_cast<double>(a.size());
    return c;
}

double pairs(double x) { return x * (x - 1) / 2; }

}  // namespace

double adjusted_rand_index(const std::vector<int>& a, const std::vector<int>& b) {
    const Contingency c = contingency(a, b);
    double index = 0, sum_a = 0, sum_b = 0;
    for (const auto& [k, v] : c.cells) index += pairs(v);
    for (const auto& [k, v] : c.rows) sum_a += pairs(v);
    for (const auto& [k, v] : c.cols) sum_b += pairs(v);
    const double total = pairs(c.n);
    if (total == 0) return 1.0;
    const double expected = sum_a * sum_b / total;
    const double max_index = (sum_a + sum_b) / 2;
    if (max_index == expected) return 1.0;  // both labelings trivial (one cluster or all singletons)
    return (index - expected) / (max_index - expected);
}

double normalized_mutual_info(const std::vector<int>& a, const std::vector<int>& b) {
    const Contingency c = contingency(a, b);
    if (c.n == 0) return 1.0;
    const auto entropy = [&](const std::map<int, double>& m) {
        double h = 0;
        for (const auto& [k, v] : m) h -= v / c.n * std::log(v / c.n);
        return h;
    };
    const double ha = entropy(c.rows), hb = entropy(c.cols);
    if (ha == 0 && hb == 0) return 1.0;
    double mi = 0;
    for (const auto& [k, v] : c.cells)
        mi += v / c.n * std::log(v * c.n / (c.rows.at(k.first) * c.cols.at(k.second)));
    const double denom = (ha + hb) / 2;
    return denom > 0 ? std::max(0.0, mi / denom) : 0.0;
}

}  // namespace recluster
