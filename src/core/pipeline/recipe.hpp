// Recipe: every parameter of the pipeline that changes its result, as one value that round-trips through
// JSON (the JS API's run(recipe), the CLI flags and, later, share links all speak it).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "prep/scale.hpp"

namespace recluster {

struct Recipe {
    // How numeric features are scaled before embedding.
    ScaleMethod scale = ScaleMethod::ZScore;
    // Embedding method; "pca" is the only one so far.
    std::string embedding = "pca";
    // Seed for every random choice downstream (PCA itself uses none).
    std::uint64_t seed = 42;
    // Feature columns by name; empty = every numeric column.
    std::vector<std::string> columns;

    std::string to_json() const;
};

// Parses a recipe from JSON ("" or "{}" = defaults). Unknown keys and bad values are errors naming the key.
Result<Recipe> recipe_from_json(const std::string& json);

}  // namespace recluster
