// Text features: a free-text column as numbers, so reviews or survey answers can be embedded and clustered. TF-IDF
// (lower-cased word tokens of two or more characters, English stop words and pure numbers dropped, terms in at
// least min_df documents and at most max_df of them, the max_terms most frequent; smoothed idf; sublinear tf; rows
// L2-normalised), then latent semantic analysis: a truncated SVD of the sparse n x V matrix by randomized subspace
// iteration (Halko, Martinsson & Tropp 2011), giving each document its coordinates on the top `dims` singular
// directions, rows L2-normalised again (so Euclidean distance ranks like cosine). Cost O(nnz l) per pass with
// l = dims + 10 and n_iter + 1 passes; memory O(nnz + (n + V) l). Every sum runs in a fixed order, so the result is
// bit-identical for any thread count and step slicing.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "common/matrix.hpp"

namespace recluster {

struct TextFeatureOptions {
    int dims = 100;                   // LSA components kept (fewer when the vocabulary or the rows are fewer)
    int min_df = 2;                   // a term must appear in at least this many documents (1 below 10 documents)
    double max_df = 0.95;             // ... and in at most this share of them (near-universal words carry nothing)
    std::size_t max_terms = 20000;    // vocabulary cap: the most frequent terms (ties by the term's bytes)
    int n_iter = 4;                   // power iterations of the randomized SVD (more = closer to the exact SVD)
    std::uint64_t seed = 42;          // the random start subspace
    int n_threads = 1;
};

// The terms of one document: maximal runs of ASCII letters, digits, '_' and non-ASCII UTF-8 bytes, ASCII letters
// lower-cased, of two or more bytes, without English stop words and pure numbers. In document order.
std::vector<std::string> tokenize_text(std::string_view text);

// What embedding new documents like the data's needs: the vocabulary with its document frequencies (the idf) and the
// projection from TF-IDF to the LSA components. A document's coordinates are its TF-IDF row times the projection,
// L2-normalised; for the data's own documents that is their `lsa` row (to float rounding).
struct TextModel {
    std::size_t documents = 0;                    // the data's documents (the idf's n)
    std::vector<std::string> terms;
    std::vector<std::uint32_t> document_frequency;  // per term
    std::size_t dims = 0;
    std::vector<float> projection;                // terms x dims, row-major
};

// New documents embedded with a fitted model: texts.size() x model.dims (zero rows for documents without a known
// term). O(tokens x dims).
Matrix embed_texts(const TextModel& model, const std::vector<std::string>& texts);

struct TextFeatures {
    Matrix lsa;                        // rows x dims, L2-normalised rows (zero for documents without a kept term)
    std::vector<std::string> terms;    // the vocabulary, by descending document frequency
    std::vector<double> singular_values;  // per component, descending
    double captured = 0;               // share of the TF-IDF matrix's squared norm the components keep
    std::size_t empty_documents = 0;   // documents with no kept term
    TextModel model;                   // for new documents (embed_texts)
};

// Resumable: tokenising and counting (documents in chunks), building the sparse matrix, then the SVD passes.
class TextFeatureJob {
public:
    // `texts` must outlive the job. Empty strings are empty documents.
    TextFeatureJob(const std::vector<std::string>& texts, TextFeatureOptions options);
    // Does up to about `budget` documents' worth of work; false when finished.
    bool step(std::size_t budget);
    bool done() const { return stage_ == Stage::Done; }
    double progress() const;
    const char* stage_name() const;
    // Valid once done(). Fewer than 2 distinct kept terms gives 0 dims (the caller reports it).
    TextFeatures& result() { return out_; }

private:
    enum class Stage { Count, Build, Power, Final, Done };
    void finish_count();
    void multiply_rows(const std::vector<double>& basis, std::vector<float>& w) const;  // w = A basis (n x l)
    void multiply_terms(const std::vector<float>& w, std::vector<double>& z) const;    // z = A^T w (V x l)
    void orthonormalise(std::vector<double>& basis) const;                               // V x l columns
    void finish_svd();

    const std::vector<std::string>& texts_;
    TextFeatureOptions options_;
    Stage stage_ = Stage::Count;
    std::size_t cursor_ = 0;
    int iteration_ = 0;
    std::vector<std::vector<std::uint32_t>> doc_terms_;   // Count: each document's token ids in a provisional vocabulary
    std::unordered_map<std::string, std::uint32_t> ids_;  // term -> provisional id
    std::vector<std::string> provisional_;                // provisional id -> term
    std::vector<std::uint32_t> df_;                       // provisional id -> document frequency
    std::vector<std::int64_t> keep_;                      // provisional id -> final id or -1
    std::vector<std::uint32_t> term_df_;                  // final id -> document frequency
    // The TF-IDF matrix, CSR by document and CSC by term.
    std::vector<std::size_t> row_start_;
    std::vector<std::uint32_t> row_term_;
    std::vector<float> row_value_;
    std::vector<std::size_t> col_start_;
    std::vector<std::uint32_t> col_doc_;
    std::vector<float> col_value_;
    std::size_t l_ = 0, k_ = 0;
    std::vector<double> basis_;  // V x l
    std::vector<float> w_;       // n x l
    TextFeatures out_;
};

// Convenience: the whole job at once.
TextFeatures text_features(const std::vector<std::string>& texts, TextFeatureOptions options = {});

}  // namespace recluster
