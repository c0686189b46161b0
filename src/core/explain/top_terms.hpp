// Top terms: what a cluster of texts is about, as the words found in many of its documents and few of the others.
// Each term of a cluster scores share_in * ln((share_in + e) / (share_out + e)) with share_in / share_out the
// fractions of the cluster's / the other rows' documents containing it (e = 0.5 / rows): frequent *and*
// distinctive words first. Tokens as prep/text_features. Cost O(total tokens + terms x clusters).
#pragma once
#include <cstddef>
#include <string>
#include <vector>

namespace recluster {

struct TopTerm {
    std::string term;
    double share_in = 0;   // of the cluster's documents containing the term
    double share_out = 0;  // of the other documents (noise included) containing it
    double score = 0;
};

struct ClusterTerms {
    int cluster = 0;
    std::size_t size = 0;
    std::vector<TopTerm> terms;  // best first, at most `top`
};

// `texts` and `labels` are per row of one view (label -1 = noise: counted among the others, never a cluster). A term
// must appear in at least min(min_docs, cluster size) of a cluster's documents and more often than elsewhere.
std::vector<ClusterTerms> top_terms(const std::vector<std::string>& texts, const std::vector<int>& labels,
                                    std::size_t top = 10, std::size_t min_docs = 2);

// {"column": name, "clusters": [{"cluster", "size", "terms": [{"term", "share_in", "share_out", "score"}]}]}
std::string top_terms_json(const std::vector<ClusterTerms>& terms, const std::string& column);

}  // namespace recluster
