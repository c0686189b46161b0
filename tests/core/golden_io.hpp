// Test helpers for golden files: read with the project's own CSV reader.
#pragma once
#include <catch2/catch.hpp>
#include <memory>
#include <string>
#include <vector>

#include "common/matrix.hpp"
#include "io/csv_reader.hpp"
#include "prep/scale.hpp"

namespace recluster::test {

// CSV text parsed as a shared dataset (the form sessions take).
inline std::shared_ptr<const Dataset> shared_dataset(const std::string& csv, const std::string& name) {
    auto d = read_csv(csv, name);
    REQUIRE(d.ok());
    return std::make_shared<const Dataset>(std::move(*d));
}

inline Dataset read_golden(const std::string& path) {
    auto d = read_csv_file(path);
    INFO(path);
    REQUIRE(d.ok());
    return std::move(*d);
}

// Every column of a numeric golden CSV as a rows x columns matrix.
inline Matrix read_float_csv(const std::string& path) { return scale_features(read_golden(path), ScaleMethod::None).matrix; }

// A numeric column as integers (labels).
inline std::vector<int> int_column(const Dataset& d, std::size_t col) {
    std::vector<int> out;
    for (float v : d.columns.at(col).numbers) out.push_back(static_cast<int>(v));
    return out;
}

}  // namespace recluster::test
