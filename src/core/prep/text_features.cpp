#include "prep/text_features.hpp"

#include <Eigen/Dense>

#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_set>

#include "common/parallel_for.hpp"
#include "common/random.hpp"

namespace recluster {

namespace {

// Function words that say nothing about a document's topic.
const std::unordered_set<std::string_view>& stop_words() {
    static const std::unordered_set<std::string_view> words = {
        "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any", "are", "as", "at",
        "be", "because", "been", "before", "being", "below", "between", "both", "but", "by", "can", "could", "did",
        "do", "does", "doing", "down", "during", "each", "even", "ever", "few", "for", "from", "further", "get", "got",
        "had", "has", "have", "having", "he", "her", "here", "hers", "herself", "him", "himself", "his", "how", "however",
        "if", "in", "into", "is", "it", "its", "itself", "just", "let", "like", "may", "me", "might", "more", "most",
        "much", "must", "my", "myself", "no", "nor", "not", "now", "of", "off", "on", "once", "one", "only", "or",
        "other", "our", "ours", "ourselves", "out", "over", "own", "same", "she", "should", "so", "some", "still", "such",
        "than", "that", "the", "their", "theirs", "them", "themselves", "then", "there", "these", "they", "this",
        "those", "through", "to", "too", "under", "until", "up", "upon", "us", "very", "was", "we", "were", "what",
        "when", "where", "which", "while", "who", "whom", "why", "will", "with", "within", "without", "would", "yet",
        "you", "your", "yours", "yourself", "yourselves", "ll", "re", "ve", "don", "didn", "doesn", "isn", "wasn",
        "aren", "won", "wouldn", "couldn", "shouldn", "hasn", "haven", "hadn", "im", "ive", "id"};
    return words;
}

bool word_byte(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c >= 0x80;
}

constexpr std::size_t kChunk = 1024;  // documents or terms per deterministic chunk

}  // namespace

std::vector<std::string> tokenize_text(std::string_view text) {
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && !word_byte(static_cast<unsigned char>(text[i]))) ++i;
        std::size_t j = i;
        bool digits_only = true;
        while (j < text.size() && word_byte(static_cast<unsigned char>(text[j]))) {
            digits_only = digits_only && text[j] >= '0' && text[j] <= '9';
            ++j;
        }
        if (j - i >= 2 && !digits_only) {
            std::string token(text.substr(i, j - i));
            for (char& c : token)
                if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
            if (!stop_words().count(token)) out.push_back(std::move(token));
        }
        i = j;
    }
    return out;
}

TextFeatureJob::TextFeatureJob(const std::vector<std::string>& texts, TextFeatureOptions options)
    : texts_(texts), options_(options) {
    doc_terms_.resize(texts_.size());
    if (options_.dims < 1) options_.dims = 1;
    if (options_.n_iter < 0) options_.n_iter = 0;
}

double TextFeatureJob::progress() const {
    const double n = std::max<double>(1.0, static_cast<double>(texts_.size()));
    switch (stage_) {
        case Stage::Count: return 0.3 * static_cast<double>(cursor_) / n;
        case Stage::Build: return 0.3 + 0.1 * static_cast<double>(cursor_) / n;
        case Stage::Power: return 0.4 + 0.55 * iteration_ / std::max(1, options_.n_iter);
        case Stage::Final: return 0.95;
        case Stage::Done: return 1.0;
    }
    return 0.0;
}

const char* TextFeatureJob::stage_name() const {
    switch (stage_) {
        case Stage::Count: return "reading the words";
        case Stage::Build: return "TF-IDF";
        case Stage::Power:
        case Stage::Final: return "LSA (truncated SVD)";
        case Stage::Done: return "done";
    }
    return "";
}

bool TextFeatureJob::step(std::size_t budget) {
    const std::size_t n = texts_.size();
    budget = std::max<std::size_t>(budget, 1);
    if (stage_ == Stage::Count) {
        // Distinct provisional ids per document count towards document frequency; the ids in order give tf later.
        std::vector<std::uint32_t> seen;
        const std::size_t end = std::min(n, cursor_ + budget);
        for (std::size_t d = cursor_; d < end; ++d) {
            std::vector<std::uint32_t>& ids = doc_terms_[d];
            for (auto& token : tokenize_text(texts_[d])) {
                auto [it, inserted] = ids_.try_emplace(std::move(token), static_cast<std::uint32_t>(provisional_.size()));
                if (inserted) {
                    provisional_.push_back(it->first);
                    df_.push_back(0);
                }
                ids.push_back(it->second);
            }
            seen = ids;
            std::sort(seen.begin(), seen.end());
            seen.erase(std::unique(seen.begin(), seen.end()), seen.end());
            for (std::uint32_t id : seen) ++df_[id];
        }
        cursor_ = end;
        if (cursor_ == n) finish_count();
        return true;
    }
    if (stage_ == Stage::Build) {
        const double docs = static_cast<double>(n);
        const std::size_t end = std::min(n, cursor_ + budget);
        std::vector<std::pair<std::uint32_t, std::uint32_t>> kept;  // (final id, tf)
        std::vector<std::uint32_t> ids;
        for (std::size_t d = cursor_; d < end; ++d) {
            ids.clear();
            for (std::uint32_t p : doc_terms_[d])
                if (keep_[p] >= 0) ids.push_back(static_cast<std::uint32_t>(keep_[p]));
            std::vector<std::uint32_t>().swap(doc_terms_[d]);
            std::sort(ids.begin(), ids.end());
            kept.clear();
            for (std::size_t a = 0; a < ids.size();) {
                std::size_t b = a;
                while (b < ids.size() && ids[b] == ids[a]) ++b;
                kept.emplace_back(ids[a], static_cast<std::uint32_t>(b - a));
                a = b;
            }
            double norm = 0;
            const std::size_t first = row_term_.size();
            for (auto [t, tf] : kept) {
                const double idf = std::log((1.0 + docs) / (1.0 + term_df_[t])) + 1.0;
                const double v = (1.0 + std::log(static_cast<double>(tf))) * idf;
                norm += v * v;
                row_term_.push_back(t);
                row_value_.push_back(static_cast<float>(v));
            }
            if (norm > 0) {
                const double inv = 1.0 / std::sqrt(norm);
                for (std::size_t e = first; e < row_term_.size(); ++e) row_value_[e] = static_cast<float>(row_value_[e] * inv);
            } else {
                ++out_.empty_documents;
            }
            row_start_.push_back(row_term_.size());
        }
        cursor_ = end;
        if (cursor_ < n) return true;
        std::vector<std::vector<std::uint32_t>>().swap(doc_terms_);
        // CSC by a counting sort over terms; documents stay ascending within each term.
        const std::size_t v = out_.terms.size();
        col_start_.assign(v + 1, 0);
        for (std::uint32_t t : row_term_) ++col_start_[t + 1];
        for (std::size_t t = 0; t < v; ++t) col_start_[t + 1] += col_start_[t];
        col_doc_.resize(row_term_.size());
        col_value_.resize(row_term_.size());
        std::vector<std::size_t> fill(col_start_.begin(), col_start_.end() - 1);
        for (std::size_t d = 0; d < n; ++d)
            for (std::size_t e = row_start_[d]; e < row_start_[d + 1]; ++e) {
                const std::size_t at = fill[row_term_[e]]++;
                col_doc_[at] = static_cast<std::uint32_t>(d);
                col_value_[at] = row_value_[e];
            }
        // Truncated SVD sizes: k < V (as scikit-learn's TruncatedSVD) and k < n.
        const std::size_t cap = std::min(v, n);
        k_ = cap >= 2 ? std::min<std::size_t>(static_cast<std::size_t>(options_.dims), cap - 1) : 0;
        l_ = std::min(k_ + 10, cap);
        if (k_ == 0) {
            out_.lsa = Matrix(n, 0);
            stage_ = Stage::Done;
            return false;
        }
        basis_.resize(v * l_);
        for (std::size_t t = 0; t < v; ++t)
            for (std::size_t c = 0; c < l_; ++c)
                basis_[t * l_ + c] = static_cast<double>(hash64(options_.seed, t, c) >> 11) * (2.0 / 9007199254740992.0) - 1.0;
        orthonormalise(basis_);
        stage_ = iteration_ < options_.n_iter ? Stage::Power : Stage::Final;
        return true;
    }
    if (stage_ == Stage::Power) {
        // Q <- orth(A^T A Q): the subspace turns towards the top right singular vectors.
        multiply_rows(basis_, w_);
        multiply_terms(w_, basis_);
        orthonormalise(basis_);
        if (++iteration_ >= options_.n_iter) stage_ = Stage::Final;
        return true;
    }
    if (stage_ == Stage::Final) {
        finish_svd();
        stage_ = Stage::Done;
        return false;
    }
    return false;
}

void TextFeatureJob::finish_count() {
    const std::size_t n = texts_.size();
    const std::uint32_t min_df = static_cast<std::uint32_t>(n < 10 ? 1 : std::max(1, options_.min_df));
    const double max_df = n < 10 ? static_cast<double>(n) : options_.max_df * static_cast<double>(n);
    std::vector<std::uint32_t> candidates;
    for (std::uint32_t p = 0; p < provisional_.size(); ++p)
        if (df_[p] >= min_df && static_cast<double>(df_[p]) <= max_df) candidates.push_back(p);
    std::sort(candidates.begin(), candidates.end(), [&](std::uint32_t a, std::uint32_t b) {
        return df_[a] != df_[b] ? df_[a] > df_[b] : provisional_[a] < provisional_[b];
    });
    if (candidates.size() > options_.max_terms) candidates.resize(options_.max_terms);
    keep_.assign(provisional_.size(), -1);
    for (std::size_t f = 0; f < candidates.size(); ++f) {
        keep_[candidates[f]] = static_cast<std::int64_t>(f);
        out_.terms.push_back(provisional_[candidates[f]]);
        term_df_.push_back(df_[candidates[f]]);
    }
    ids_.clear();
    std::vector<std::string>().swap(provisional_);
    row_start_.assign(1, 0);
    cursor_ = 0;
    stage_ = Stage::Build;
}

void TextFeatureJob::multiply_rows(const std::vector<double>& basis, std::vector<float>& w) const {
    const std::size_t n = texts_.size(), l = l_;
    w.assign(n * l, 0.0f);
    parallel_for(options_.n_threads, n, kChunk, [&](int, std::size_t begin, std::size_t end) {
        std::vector<double> acc(l);
        for (std::size_t d = begin; d < end; ++d) {
            std::fill(acc.begin(), acc.end(), 0.0);
            for (std::size_t e = row_start_[d]; e < row_start_[d + 1]; ++e) {
                const double v = row_value_[e];
                const double* q = basis.data() + static_cast<std::size_t>(row_term_[e]) * l;
                for (std::size_t c = 0; c < l; ++c) acc[c] += v * q[c];
            }
            for (std::size_t c = 0; c < l; ++c) w[d * l + c] = static_cast<float>(acc[c]);
        }
    });
}

void TextFeatureJob::multiply_terms(const std::vector<float>& w, std::vector<double>& z) const {
    const std::size_t v = out_.terms.size(), l = l_;
    z.assign(v * l, 0.0);
    parallel_for(options_.n_threads, v, kChunk, [&](int, std::size_t begin, std::size_t end) {
        for (std::size_t t = begin; t < end; ++t) {
            double* out = z.data() + t * l;
            for (std::size_t e = col_start_[t]; e < col_start_[t + 1]; ++e) {
                const double a = col_value_[e];
                const float* row = w.data() + static_cast<std::size_t>(col_doc_[e]) * l;
                for (std::size_t c = 0; c < l; ++c) out[c] += a * row[c];
            }
        }
    });
}

void TextFeatureJob::orthonormalise(std::vector<double>& basis) const {
    using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
    const Eigen::Index v = static_cast<Eigen::Index>(out_.terms.size()), l = static_cast<Eigen::Index>(l_);
    Eigen::Map<RowMajor> q(basis.data(), v, l);
    Eigen::HouseholderQR<Eigen::MatrixXd> qr(q);
    q = qr.householderQ() * Eigen::MatrixXd::Identity(v, l);
}

void TextFeatureJob::finish_svd() {
    const std::size_t n = texts_.size(), l = l_, k = k_;
    multiply_rows(basis_, w_);
    // Rayleigh-Ritz: the eigenvectors of W^T W (l x l) rotate W = A Q onto the singular directions. Per-chunk sums
    // are added in chunk order.
    const std::size_t chunks = chunk_count(n, kChunk);
    std::vector<double> partial(chunks * l * l, 0.0);
    parallel_for(options_.n_threads, n, kChunk, [&](int, std::size_t begin, std::size_t end) {
        double* g = partial.data() + (begin / kChunk) * l * l;
        for (std::size_t d = begin; d < end; ++d) {
            const float* row = w_.data() + d * l;
            for (std::size_t a = 0; a < l; ++a)
                for (std::size_t b = a; b < l; ++b) g[a * l + b] += static_cast<double>(row[a]) * row[b];
        }
    });
    Eigen::MatrixXd gram = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(l), static_cast<Eigen::Index>(l));
    for (std::size_t c = 0; c < chunks; ++c)
        for (std::size_t a = 0; a < l; ++a)
            for (std::size_t b = a; b < l; ++b) gram(static_cast<Eigen::Index>(a), static_cast<Eigen::Index>(b)) += partial[(c * l + a) * l + b];
    std::vector<double>().swap(partial);
    for (std::size_t a = 0; a < l; ++a)
        for (std::size_t b = 0; b < a; ++b)
            gram(static_cast<Eigen::Index>(a), static_cast<Eigen::Index>(b)) = gram(static_cast<Eigen::Index>(b), static_cast<Eigen::Index>(a));
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> eig(gram);
    const Eigen::VectorXd& lambda = eig.eigenvalues();  // ascending
    const Eigen::MatrixXd& vectors = eig.eigenvectors();
    double total = 0;
    for (float value : row_value_) total += static_cast<double>(value) * value;
    double kept = 0;
    std::vector<double> rotation(l * k);
    for (std::size_t j = 0; j < k; ++j) {
        const Eigen::Index src = static_cast<Eigen::Index>(l - 1 - j);
        const double s2 = std::max(0.0, lambda(src));
        kept += s2;
        out_.singular_values.push_back(std::sqrt(s2));
        for (std::size_t a = 0; a < l; ++a) rotation[a * k + j] = vectors(static_cast<Eigen::Index>(a), src);
    }
    out_.captured = total > 0 ? kept / total : 0.0;
    // The model for new documents: the basis rotated onto the singular directions (V x k).
    const std::size_t v = out_.terms.size();
    TextModel& model = out_.model;
    model.documents = n;
    model.terms = out_.terms;
    model.document_frequency = term_df_;
    model.dims = k;
    model.projection.assign(v * k, 0.0f);
    parallel_for(options_.n_threads, v, kChunk, [&](int, std::size_t begin, std::size_t end) {
        for (std::size_t t = begin; t < end; ++t)
            for (std::size_t j = 0; j < k; ++j) {
                double s = 0;
                for (std::size_t a = 0; a < l; ++a) s += basis_[t * l + a] * rotation[a * k + j];
                model.projection[t * k + j] = static_cast<float>(s);
            }
    });
    std::vector<double>().swap(basis_);
    out_.lsa = Matrix(n, k);
    parallel_for(options_.n_threads, n, kChunk, [&](int, std::size_t begin, std::size_t end) {
        for (std::size_t d = begin; d < end; ++d) {
            const float* row = w_.data() + d * l;
            for (std::size_t j = 0; j < k; ++j) {
                double s = 0;
                for (std::size_t a = 0; a < l; ++a) s += static_cast<double>(row[a]) * rotation[a * k + j];
                out_.lsa.at(d, j) = static_cast<float>(s);
            }
        }
    });
    std::vector<float>().swap(w_);
    // Signs: each component's largest coordinate (the first of equals) is positive, so the result does not depend on
    // the eigen-solver's sign choice.
    for (std::size_t j = 0; j < k; ++j) {
        float best = 0;
        for (std::size_t d = 0; d < n; ++d)
            if (std::fabs(out_.lsa.at(d, j)) > std::fabs(best)) best = out_.lsa.at(d, j);
        if (best < 0) {
            for (std::size_t d = 0; d < n; ++d) out_.lsa.at(d, j) = -out_.lsa.at(d, j);
            for (std::size_t t = 0; t < v; ++t) model.projection[t * k + j] = -model.projection[t * k + j];
        }
    }
    for (std::size_t d = 0; d < n; ++d) {
        double norm = 0;
        for (std::size_t j = 0; j < k; ++j) norm += static_cast<double>(out_.lsa.at(d, j)) * out_.lsa.at(d, j);
        if (norm > 0) {
            const float inv = static_cast<float>(1.0 / std::sqrt(norm));
            for (std::size_t j = 0; j < k; ++j) out_.lsa.at(d, j) *= inv;
        }
    }
}

Matrix embed_texts(const TextModel& model, const std::vector<std::string>& texts) {
    const std::size_t k = model.dims, v = model.terms.size();
    Matrix out(texts.size(), k);
    if (k == 0 || v == 0) return out;
    std::unordered_map<std::string_view, std::uint32_t> index;
    index.reserve(v);
    for (std::uint32_t t = 0; t < v; ++t) index.emplace(model.terms[t], t);
    const double docs = static_cast<double>(model.documents);
    std::vector<std::uint32_t> ids;
    std::vector<double> acc(k);
    for (std::size_t d = 0; d < texts.size(); ++d) {
        ids.clear();
        for (const auto& token : tokenize_text(texts[d])) {
            auto it = index.find(token);
            if (it != index.end()) ids.push_back(it->second);
        }
        std::sort(ids.begin(), ids.end());
        // The document's TF-IDF row as the data's were made (sublinear tf, the data's idf, L2 norm), times the
        // projection.
        std::fill(acc.begin(), acc.end(), 0.0);
        double norm = 0;
        for (std::size_t a = 0; a < ids.size();) {
            std::size_t b = a;
            while (b < ids.size() && ids[b] == ids[a]) ++b;
            const double idf = std::log((1.0 + docs) / (1.0 + model.document_frequency[ids[a]])) + 1.0;
            const double w = (1.0 + std::log(static_cast<double>(b - a))) * idf;
            norm += w * w;
            const float* p = model.projection.data() + static_cast<std::size_t>(ids[a]) * k;
            for (std::size_t j = 0; j < k; ++j) acc[j] += w * p[j];
            a = b;
        }
        if (norm == 0) continue;
        double len = 0;
        for (double x : acc) len += x * x;
        if (len == 0) continue;
        const double inv = 1.0 / std::sqrt(len);
        for (std::size_t j = 0; j < k; ++j) out.at(d, j) = static_cast<float>(acc[j] * inv);
    }
    return out;
}

TextFeatures text_features(const std::vector<std::string>& texts, TextFeatureOptions options) {
    TextFeatureJob job(texts, options);
    while (job.step(std::numeric_limits<std::size_t>::max() / 2)) {
    }
    return std::move(job.result());
}

}  // namespace recluster
