// A text column's fitted model (prep/text_features TextModel) as JSON, so `recluster predict` can embed the words
// of new rows as `recluster run` did: {"format": "recluster-text-model", "version": 1, "documents": N, "dims": K,
// "terms": [...], "document_frequency": [...], "projection": base64 of terms x dims float32, little-endian}.
#pragma once
#include <string>

#include "common/result.hpp"
#include "prep/text_features.hpp"

namespace recluster {

std::string text_model_json(const TextModel& model);
// Strict: wrong sizes, a bad base64 payload or non-finite numbers are errors.
Result<TextModel> parse_text_model_json(const std::string& json);

}  // namespace recluster
