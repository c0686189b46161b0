#include "prep/text_model_json.hpp"

#include <cmath>
#include <cstring>

#include <nlohmann/json.hpp>

#include "common/base64.hpp"
#include "common/json_text.hpp"

namespace recluster {

std::string text_model_json(const TextModel& model) {
    std::string bytes(model.projection.size() * sizeof(float), '\0');
    if (!bytes.empty()) std::memcpy(bytes.data(), model.projection.data(), bytes.size());
    nlohmann::json j;
    j["format"] = "recluster-text-model";
    j["version"] = 1;
    j["documents"] = model.documents;
    j["dims"] = model.dims;
    j["terms"] = model.terms;
    j["document_frequency"] = model.document_frequency;
    j["projection"] = base64_encode(bytes);
    return json_text(j);
}

Result<TextModel> parse_text_model_json(const std::string& json) {
    using R = Result<TextModel>;
    const nlohmann::json j = nlohmann::json::parse(json, nullptr, false);
    if (j.is_discarded() || !j.is_object() || j.value("format", "") != "recluster-text-model")
        return R::failure("not a recluster text model");
    if (j.value("version", 0) != 1) return R::failure("text model version " + j.value("version", nlohmann::json()).dump() + " is not supported");
    const auto& terms = j.value("terms", nlohmann::json());
    const auto& df = j.value("document_frequency", nlohmann::json());
    if (!j.contains("documents") || !j["documents"].is_number_unsigned() || !j.contains("dims") || !j["dims"].is_number_unsigned() ||
        !terms.is_array() || !df.is_array() || terms.size() != df.size() || !j.contains("projection") || !j["projection"].is_string())
        return R::failure("the text model's fields are missing or of the wrong type");
    TextModel m;
    m.documents = j["documents"].get<std::size_t>();
    m.dims = j["dims"].get<std::size_t>();
    for (const auto& t : terms) {
        if (!t.is_string()) return R::failure("a text model term is not a string");
        m.terms.push_back(t.get<std::string>());
    }
    for (const auto& d : df) {
        if (!d.is_number_unsigned() || d.get<std::uint64_t>() > m.documents) return R::failure("a text model document frequency is out of range");
        m.document_frequency.push_back(d.get<std::uint32_t>());
    }
    std::string bytes;
    if (!base64_decode(j["projection"].get<std::string>(), bytes)) return R::failure("the text model's projection is not base64");
    if (m.dims == 0 || m.documents == 0 || bytes.size() != m.terms.size() * m.dims * sizeof(float))
        return R::failure("the text model's projection does not have terms x dims numbers");
    m.projection.resize(m.terms.size() * m.dims);
    std::memcpy(m.projection.data(), bytes.data(), bytes.size());
    for (float v : m.projection)
        if (!std::isfinite(v)) return R::failure("the text model's projection holds a number that is not finite");
    return m;
}

}  // namespace recluster
