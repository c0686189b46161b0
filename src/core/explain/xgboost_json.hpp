// A boosted model in XGBoost's JSON model format (the schema of XGBoost 1.7's save_model(".json"): learner ->
// gradient_booster (gbtree) -> trees with parallel node arrays), so xgboost.Booster(model_file=...) loads it and
// predicts the same margins and SHAP values; and the way back, for models we wrote (or XGBoost's own binary
// logistic gbtree models without categorical splits).
#pragma once
#include <string>
#include <vector>

#include "common/result.hpp"
#include "explain/booster.hpp"

namespace recluster {

// feature_names may be empty (XGBoost then names features f0, f1, ...).
std::string to_xgboost_json(const BoosterModel& model, const std::vector<std::string>& feature_names = {});

Result<BoosterModel> from_xgboost_json(const std::string& text);

}  // namespace recluster
