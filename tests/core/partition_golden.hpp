// scikit-learn's k-means / Gaussian-mixture references (scripts/make_metrics_golden.py).
#pragma once
#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace recluster::test {

struct PartitionGolden {
    int k = 0;
    double value = 0;  // k-means: inertia; GMM: mean log-likelihood per row
    double bic = 0;
};

inline PartitionGolden partition_golden(const std::string& name, const std::string& method) {
    std::ifstream f(RECLUSTER_TEST_DIR "/golden/partition_sklearn.csv");
    REQUIRE(f);
    std::string line;
    while (std::getline(f, line)) {
        std::stringstream ss(line);
        std::string cell;
        std::vector<std::string> cells;
        while (std::getline(ss, cell, ',')) cells.push_back(cell);
        if (cells.size() == 5 && cells[0] == name && cells[1] == method)
            return {std::stoi(cells[2]), std::stod(cells[3]), std::stod(cells[4])};
    }
    FAIL("no golden row " << name << " " << method);
    return {};
}

}  // namespace recluster::test
