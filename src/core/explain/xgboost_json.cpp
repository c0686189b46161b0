#include "explain/xgboost_json.hpp"

#include <cmath>
#include <cstdio>

#include <nlohmann/json.hpp>
#include "common/json_text.hpp"

namespace recluster {

namespace {
// XGBoost writes parameters as strings; base_score as a float in scientific notation. XGBoost 1.7 reads at most 9
// significant digits there: a longer string is silently replaced by the default 0.5 (found by comparing predictions
// in scripts/bench.sh assign). base_score is a float (BoosterModel keeps it float-exact), and 9 digits are enough.
std::string float_string(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.8E", static_cast<double>(static_cast<float>(v)));
    return buf;
}
}  // namespace

std::string to_xgboost_json(const BoosterModel& model, const std::vector<std::string>& feature_names) {
    using nlohmann::json;
    json trees = json::array();
    for (std::size_t t = 0; t < model.trees.size(); ++t) {
        const auto& nodes = model.trees[t].nodes;
        json left = json::array(), right = json::array(), parents = json::array(), split_indices = json::array(),
             split_conditions = json::array(), default_left = json::array(), base_weights = json::array(),
             loss_changes = json::array(), sum_hessian = json::array(), split_type = json::array();
        std::vector<int> parent(nodes.size(), 2147483647);  // XGBoost's "no parent"
        for (std::size_t i = 0; i < nodes.size(); ++i)
            if (!nodes[i].is_leaf()) parent[static_cast<std::size_t>(nodes[i].left)] = parent[static_cast<std::size_t>(nodes[i].right)] = static_cast<int>(i);
        for (std::size_t i = 0; i < nodes.size(); ++i) {
            const TreeNode& n = nodes[i];
            left.push_back(n.left);
            right.push_back(n.right);
            parents.push_back(parent[i]);
            split_indices.push_back(n.is_leaf() ? 0 : n.feature);
            // A leaf's "split condition" holds its value (XGBoost's layout).
            split_conditions.push_back(n.is_leaf() ? n.value : n.threshold);
            default_left.push_back(n.is_leaf() ? 0 : (n.default_left ? 1 : 0));
            base_weights.push_back(n.value);
            loss_changes.push_back(n.gain);
            sum_hessian.push_back(n.cover);
            split_type.push_back(0);
        }
        json tree;
        tree["base_weights"] = base_weights;
        tree["categories"] = json::array();
        tree["categories_nodes"] = json::array();
        tree["categories_segments"] = json::array();
        tree["categories_sizes"] = json::array();
        tree["default_left"] = default_left;
        tree["id"] = t;
        tree["left_children"] = left;
        tree["loss_changes"] = loss_changes;
        tree["parents"] = parents;
        tree["right_children"] = right;
        tree["split_conditions"] = split_conditions;
        tree["split_indices"] = split_indices;
        tree["split_type"] = split_type;
        tree["sum_hessian"] = sum_hessian;
        tree["tree_param"] = {{"num_deleted", "0"},
                              {"num_feature", std::to_string(model.n_features)},
                              {"num_nodes", std::to_string(nodes.size())},
                              {"size_leaf_vector", "0"}};
        trees.push_back(tree);
    }
    json j;
    json& learner = j["learner"];
    learner["attributes"] = json::object();
    learner["feature_names"] = feature_names;
    learner["feature_types"] = feature_names.empty() ? json::array() : json(std::vector<std::string>(feature_names.size(), "float"));
    json& gb = learner["gradient_booster"];
    gb["name"] = "gbtree";
    gb["model"]["gbtree_model_param"] = {{"num_parallel_tree", "1"}, {"num_trees", std::to_string(model.trees.size())},
                                         {"size_leaf_vector", "0"}};
    gb["model"]["tree_info"] = std::vector<int>(model.trees.size(), 0);
    gb["model"]["trees"] = trees;
    learner["learner_model_param"] = {{"base_score", float_string(model.base_score)},
                                      {"boost_from_average", "0"},
                                      {"num_class", "0"},
                                      {"num_feature", std::to_string(model.n_features)},
                                      {"num_target", "1"}};
    learner["objective"] = {{"name", "binary:logistic"}, {"reg_loss_param", {{"scale_pos_weight", "1"}}}};
    j["version"] = {1, 7, 4};
    return json_text(j);
}

Result<BoosterModel> from_xgboost_json(const std::string& text) {
    using R = Result<BoosterModel>;
    const nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
    if (j.is_discarded()) return R::failure("The model file is not valid JSON.");
    try {
        const auto& learner = j.at("learner");
        if (learner.at("objective").at("name") != "binary:logistic")
            return R::failure("Only binary:logistic models can be read (this one is " +
                              learner.at("objective").at("name").get<std::string>() + ").");
        const auto& gb = learner.at("gradient_booster");
        if (gb.at("name") != "gbtree") return R::failure("Only gbtree models can be read.");
        BoosterModel m;
        const auto& param = learner.at("learner_model_param");
        m.n_features = static_cast<std::size_t>(std::stoul(param.at("num_feature").get<std::string>()));
        m.base_score = static_cast<float>(std::stod(param.at("base_score").get<std::string>()));
        if (!(m.base_score > 0 && m.base_score < 1)) return R::failure("The model's base_score is not a probability.");
        for (const auto& t : gb.at("model").at("trees")) {
            const auto& left = t.at("left_children");
            const std::size_t n = left.size();
            const auto& right = t.at("right_children");
            const auto& feat = t.at("split_indices");
            const auto& cond = t.at("split_conditions");
            const auto& dl = t.at("default_left");
            const auto& hess = t.at("sum_hessian");
            const auto& gain = t.at("loss_changes");
            if (right.size() != n || feat.size() != n || cond.size() != n || dl.size() != n || hess.size() != n)
                return R::failure("A tree's node arrays differ in length.");
            if (t.contains("split_type"))
                for (const auto& s : t.at("split_type"))
                    if (s.get<int>() != 0) return R::failure("Categorical splits are not supported.");
            RegressionTree tree;
            tree.nodes.resize(n);
            for (std::size_t i = 0; i < n; ++i) {
                TreeNode& node = tree.nodes[i];
                node.left = left[i].get<int>();
                node.right = right[i].get<int>();
                node.cover = hess[i].get<float>();
                node.gain = gain.size() == n ? gain[i].get<float>() : 0.0f;
                if (node.left < 0) {
                    node.left = node.right = -1;
                    node.value = cond[i].get<float>();
                    continue;
                }
                // Children must come after their parent (XGBoost's layout): this also rules out cycles.
                if (static_cast<std::size_t>(node.left) <= i || static_cast<std::size_t>(node.left) >= n || node.right < 0 ||
                    static_cast<std::size_t>(node.right) <= i || static_cast<std::size_t>(node.right) >= n)
                    return R::failure("A tree has a child index out of order or out of range.");
                node.feature = feat[i].get<int>();
                if (node.feature < 0 || static_cast<std::size_t>(node.feature) >= m.n_features)
                    return R::failure("A split uses a feature the model does not have.");
                node.threshold = cond[i].get<float>();
                node.default_left = dl[i].get<int>() != 0;
                node.value = t.contains("base_weights") ? t.at("base_weights")[i].get<float>() : 0.0f;
            }
            m.trees.push_back(std::move(tree));
        }
        return m;
    } catch (...) {
        return R::failure("The model file does not follow XGBoost's JSON model schema.");
    }
}

}  // namespace recluster
