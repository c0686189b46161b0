#include "pipeline/recipe.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>
#include "common/json_text.hpp"

namespace recluster {

int Recipe::effective_pca_dims(std::size_t n_features) const {
    if (pca_dims == 0) return 0;
    const int want = pca_dims < 0 ? (n_features > 100 ? 50 : 0) : pca_dims;
    return want > 0 && static_cast<std::size_t>(want) < n_features ? want : 0;
}

int Recipe::effective_min_cluster_size(std::size_t rows) const {
    if (min_cluster_size > 0) return min_cluster_size;
    const double fraction = min_cluster_fraction > 0 ? min_cluster_fraction : 0.005;
    return std::max(5, static_cast<int>(static_cast<double>(rows) * fraction + 0.5));
}

int Recipe::effective_min_samples(std::size_t rows) const {
    if (min_samples > 0) return min_samples;
    return std::min(effective_min_cluster_size(rows), 10);
}

std::string Recipe::to_json() const {
    nlohmann::json j;
    j["scale"] = scale_method_name(scale);
    j["embedding"] = embedding;
    j["seed"] = seed;
    j["columns"] = columns;
    j["pca_dims"] = pca_dims;
    j["pca_solver"] = pca_solver_name(pca_solver);
    j["n_neighbors"] = n_neighbors;
    j["min_dist"] = min_dist;
    j["spread"] = spread;
    j["metric"] = metric_name(metric);
    j["n_epochs"] = n_epochs;
    j["learning_rate"] = learning_rate;
    j["negative_sample_rate"] = negative_sample_rate;
    j["cluster"] = cluster;
    j["cluster_space"] = cluster_space;
    j["cluster_pca_dims"] = cluster_pca_dims;
    j["n_clusters"] = n_clusters;
    j["gmm_covariance"] = gmm_covariance;
    j["dbscan_eps"] = dbscan_eps;
    j["min_cluster_size"] = min_cluster_size;
    j["min_cluster_fraction"] = min_cluster_fraction;
    j["min_samples"] = min_samples;
    j["cluster_selection"] = cluster_selection;
    j["cluster_selection_epsilon"] = cluster_selection_epsilon;
    j["allow_single_cluster"] = allow_single_cluster;
    j["max_cluster_size"] = max_cluster_size;
    j["hdbscan_rules"] = hdbscan_rules;
    return json_text(j);
}

namespace {

// Reads a number into `out` if it is within [lo, hi]; false otherwise.
template <typename T>
bool read_number(const nlohmann::json& v, T& out, double lo, double hi, bool integer) {
    if (!v.is_number() || (integer && !v.is_number_integer())) return false;
    const double x = v.get<double>();
    if (!(x >= lo && x <= hi)) return false;
    out = static_cast<T>(x);
    return true;
}

}  // namespace

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
        auto range = [&](const char* what) { return R::failure("recipe." + key + " must be " + what + "."); };
        if (key == "scale") {
            if (!v.is_string() || !parse_scale_method(v.get<std::string>(), recipe.scale))
                return R::failure("recipe.scale must be \"zscore\", \"minmax\" or \"none\".");
        } else if (key == "embedding") {
            if (!v.is_string() || (v.get<std::string>() != "pca" && v.get<std::string>() != "umap"))
                return R::failure("recipe.embedding must be \"umap\" or \"pca\".");
            recipe.embedding = v.get<std::string>();
        } else if (key == "seed") {
            if (!v.is_number_unsigned() && !(v.is_number_integer() && v.get<std::int64_t>() >= 0))
                return R::failure("recipe.seed must be a non-negative integer.");
            recipe.seed = v.get<std::uint64_t>();
        } else if (key == "columns") {
            if (!v.is_array()) return R::failure("recipe.columns must be an array of column names.");
            for (const auto& c : v) {
                if (!c.is_string()) return R::failure("recipe.columns must be an array of column names.");
                recipe.columns.push_back(c.get<std::string>());
            }
        } else if (key == "metric") {
            if (v == "euclidean") recipe.metric = Metric::Euclidean;
            else if (v == "cosine") recipe.metric = Metric::Cosine;
            else if (v == "correlation") recipe.metric = Metric::Correlation;
            else return R::failure("recipe.metric must be \"euclidean\", \"cosine\" or \"correlation\".");
        } else if (key == "pca_dims") {
            if (!read_number(v, recipe.pca_dims, -1, 1000, true)) return range("-1 (automatic), 0 (off) or 1 to 1000");
        } else if (key == "pca_solver") {
            if (v == "auto") recipe.pca_solver = PcaSolver::Auto;
            else if (v == "exact") recipe.pca_solver = PcaSolver::Exact;
            else if (v == "randomized") recipe.pca_solver = PcaSolver::Randomized;
            else return R::failure("recipe.pca_solver must be \"auto\", \"exact\" or \"randomized\".");
        } else if (key == "n_neighbors") {
            if (!read_number(v, recipe.n_neighbors, 2, 200, true)) return range("an integer from 2 to 200");
        } else if (key == "min_dist") {
            if (!read_number(v, recipe.min_dist, 0, 100, false)) return range("a number >= 0");
        } else if (key == "spread") {
            if (!read_number(v, recipe.spread, 1e-3, 100, false)) return range("a number > 0");
        } else if (key == "n_epochs") {
            if (!read_number(v, recipe.n_epochs, 0, 10000, true)) return range("0 (automatic) or an integer up to 10000");
        } else if (key == "learning_rate") {
            if (!read_number(v, recipe.learning_rate, 1e-4, 100, false)) return range("a number > 0");
        } else if (key == "negative_sample_rate") {
            if (!read_number(v, recipe.negative_sample_rate, 0, 100, false)) return range("a number from 0 to 100");
        } else if (key == "cluster") {
            if (v != "hdbscan" && v != "dbscan" && v != "kmeans" && v != "gmm" && v != "none")
                return R::failure("recipe.cluster must be \"hdbscan\", \"dbscan\", \"kmeans\", \"gmm\" or \"none\".");
            recipe.cluster = v.get<std::string>();
        } else if (key == "cluster_space") {
            if (v != "embedding" && v != "pca" && v != "features")
                return R::failure("recipe.cluster_space must be \"embedding\", \"pca\" or \"features\".");
            recipe.cluster_space = v.get<std::string>();
        } else if (key == "cluster_pca_dims") {
            if (!read_number(v, recipe.cluster_pca_dims, 1, 1000, true)) return range("an integer from 1 to 1000");
        } else if (key == "n_clusters") {
            if (!read_number(v, recipe.n_clusters, 1, 1000, true)) return range("an integer from 1 to 1000");
        } else if (key == "gmm_covariance") {
            if (v != "full" && v != "diag") return R::failure("recipe.gmm_covariance must be \"full\" or \"diag\".");
            recipe.gmm_covariance = v.get<std::string>();
        } else if (key == "min_cluster_size") {
            if (!read_number(v, recipe.min_cluster_size, 0, 1e9, true) || recipe.min_cluster_size == 1)
                return range("0 (automatic) or an integer >= 2");
        } else if (key == "min_cluster_fraction") {
            if (!read_number(v, recipe.min_cluster_fraction, 0, 0.5, false))
                return range("0 (automatic) or a fraction of the rows up to 0.5");
        } else if (key == "dbscan_eps") {
            if (!read_number(v, recipe.dbscan_eps, 0, 1e30, false)) return range("a number > 0");
        } else if (key == "min_samples") {
            if (!read_number(v, recipe.min_samples, 0, 1000, true)) return range("0 (automatic) or an integer from 1 to 1000");
        } else if (key == "cluster_selection") {
            if (v != "eom" && v != "leaf") return R::failure("recipe.cluster_selection must be \"eom\" or \"leaf\".");
            recipe.cluster_selection = v.get<std::string>();
        } else if (key == "cluster_selection_epsilon") {
            if (!read_number(v, recipe.cluster_selection_epsilon, 0, 1e30, false)) return range("a number >= 0");
        } else if (key == "allow_single_cluster") {
            if (!v.is_boolean()) return R::failure("recipe.allow_single_cluster must be true or false.");
            recipe.allow_single_cluster = v.get<bool>();
        } else if (key == "hdbscan_rules") {
            if (v != "campello" && v != "r-dbscan") return R::failure("recipe.hdbscan_rules must be \"campello\" or \"r-dbscan\".");
            recipe.hdbscan_rules = v.get<std::string>();
        } else if (key == "max_cluster_size") {
            if (!read_number(v, recipe.max_cluster_size, 0, 1e9, true)) return range("0 (no limit) or a positive integer");
        } else {
            return R::failure("Unknown recipe parameter '" + key + "'.");
        }
    }
    if (recipe.min_dist > recipe.spread) return R::failure("recipe.min_dist must not exceed recipe.spread.");
    if (recipe.cluster == "dbscan" && !(recipe.dbscan_eps > 0))
        return R::failure("recipe.dbscan_eps must be > 0 with cluster \"dbscan\" (the neighbourhood radius in map units).");
    return recipe;
}

}  // namespace recluster
