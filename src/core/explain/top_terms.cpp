#include "explain/top_terms.hpp"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "prep/text_features.hpp"
#include "common/json_text.hpp"

namespace recluster {

std::vector<ClusterTerms> top_terms(const std::vector<std::string>& texts, const std::vector<int>& labels,
                                    std::size_t top, std::size_t min_docs) {
    const std::size_t n = std::min(texts.size(), labels.size());
    int k = 0;
    for (std::size_t i = 0; i < n; ++i) k = std::max(k, labels[i] + 1);
    std::vector<ClusterTerms> out(static_cast<std::size_t>(k));
    for (int c = 0; c < k; ++c) out[static_cast<std::size_t>(c)].cluster = c;
    for (std::size_t i = 0; i < n; ++i)
        if (labels[i] >= 0) ++out[static_cast<std::size_t>(labels[i])].size;
    if (k == 0) return out;
    // Distinct terms per document, then document counts per (term, cluster); column k counts noise.
    std::unordered_map<std::string, std::uint32_t> ids;
    std::vector<std::string> names;
    std::vector<std::uint32_t> counts;  // term x (k + 1)
    const std::size_t stride = static_cast<std::size_t>(k) + 1;
    std::vector<std::uint32_t> doc;
    for (std::size_t i = 0; i < n; ++i) {
        doc.clear();
        for (auto& token : tokenize_text(texts[i])) {
            auto [it, inserted] = ids.try_emplace(std::move(token), static_cast<std::uint32_t>(names.size()));
            if (inserted) {
                names.push_back(it->first);
                counts.resize(counts.size() + stride, 0);
            }
            doc.push_back(it->second);
        }
        std::sort(doc.begin(), doc.end());
        doc.erase(std::unique(doc.begin(), doc.end()), doc.end());
        const std::size_t col = labels[i] >= 0 ? static_cast<std::size_t>(labels[i]) : static_cast<std::size_t>(k);
        for (std::uint32_t t : doc) ++counts[t * stride + col];
    }
    const double eps = 0.5 / static_cast<double>(std::max<std::size_t>(n, 1));
    for (int c = 0; c < k; ++c) {
        ClusterTerms& ct = out[static_cast<std::size_t>(c)];
        if (ct.size == 0) continue;
        const double in_docs = static_cast<double>(ct.size), out_docs = static_cast<double>(n - ct.size);
        const std::size_t need = std::max<std::size_t>(1, std::min(min_docs, ct.size));
        std::vector<TopTerm> candidates;
        for (std::size_t t = 0; t < names.size(); ++t) {
            const std::uint32_t* row = counts.data() + t * stride;
            const std::uint32_t in = row[c];
            if (in < need) continue;
            std::uint64_t total = 0;
            for (std::size_t j = 0; j < stride; ++j) total += row[j];
            TopTerm term;
            term.share_in = in / in_docs;
            term.share_out = out_docs > 0 ? static_cast<double>(total - in) / out_docs : 0.0;
            if (term.share_in <= term.share_out) continue;
            term.score = term.share_in * std::log((term.share_in + eps) / (term.share_out + eps));
            term.term = names[t];
            candidates.push_back(std::move(term));
        }
        const std::size_t keep = std::min(top, candidates.size());
        std::partial_sort(candidates.begin(), candidates.begin() + static_cast<std::ptrdiff_t>(keep), candidates.end(),
                          [](const TopTerm& a, const TopTerm& b) { return a.score != b.score ? a.score > b.score : a.term < b.term; });
        candidates.resize(keep);
        ct.terms = std::move(candidates);
    }
    return out;
}

std::string top_terms_json(const std::vector<ClusterTerms>& terms, const std::string& column) {
    nlohmann::json clusters = nlohmann::json::array();
    for (const auto& c : terms) {
        nlohmann::json list = nlohmann::json::array();
        for (const auto& t : c.terms)
            list.push_back({{"term", t.term}, {"share_in", t.share_in}, {"share_out", t.share_out}, {"score", t.score}});
        clusters.push_back({{"cluster", c.cluster}, {"size", c.size}, {"terms", list}});
    }
    return json_text(nlohmann::json{{"column", column}, {"clusters", clusters}});
}

}  // namespace recluster
