// Test helper: reads a headered CSV of numbers (a golden input) into a Matrix.
#pragma once
#include <catch2/catch.hpp>
#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>

#include "common/matrix.hpp"

namespace recluster::test {

inline Matrix read_float_csv(const std::string& path) {
    std::ifstream f(path);
    REQUIRE(f);
    std::string line, cell;
    std::getline(f, line);
    Matrix m;
    m.cols = static_cast<std::size_t>(std::count(line.begin(), line.end(), ',') + 1);
    while (std::getline(f, line)) {
        std::stringstream ss(line);
        while (std::getline(ss, cell, ',')) m.data.push_back(std::stof(cell));
        ++m.rows;
    }
    return m;
}

}  // namespace recluster::test
