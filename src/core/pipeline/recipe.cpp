#include "pipeline/recipe.hpp"

#include <nlohmann/json.hpp>

namespace recluster {

std::string Recipe::to_json() const {
    nlohmann::json j;
    j["scale"] = scale_method_name(scale);
    j["embedding"] = embedding;
    j["seed"] = seed;
    j["columns"] = columns;
    return j.dump();
}

Result<Recipe> recipe_from_json(const std::string& text) {
    using R = Result<Recipe>;
    Recipe recipe;
    if (text.find_first_not_of(" \t\r\n") == std::string::npos) return recipe;
    nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded()) return R::failure("The recipe is not valid JSON.");
    if (!j.is_object()) return R::failure("The recipe must be a JSON object.");
    for (auto it = j.begin(); it != j.end(); ++it) {
        const std::string& key = it.key();
        const auto& v = it.value();
        if (key == "scale") {
            if (!v.is_string() || !parse_scale_method(v.get<std::string>(), recipe.scale))
                return R::failure("recipe.scale must be \"zscore\", \"minmax\" or \"none\".");
        } else if (key == "embedding") {
            if (!v.is_string() || v.get<std::string>() != "pca")
                return R::failure("recipe.embedding must be \"pca\".");
            recipe.embedding = v.get<std::string>();
        } else if (key == "seed") {
            if (!v.is_number_integer() || (v.is_number_integer() && v.get<std::int64_t>() < 0 && !v.is_number_unsigned()))
                return R::failure("recipe.seed must be a non-negative integer.");
            recipe.seed = v.get<std::uint64_t>();
        } else if (key == "columns") {
            if (!v.is_array()) return R::failure("recipe.columns must be an array of column names.");
            for (const auto& c : v) {
                if (!c.is_string()) return R::failure("recipe.columns must be an array of column names.");
                recipe.columns.push_back(c.get<std::string>());
            }
        } else {
            return R::failure("Unknown recipe parameter '" + key + "'.");
        }
    }
    return recipe;
}

}  // namespace recluster
