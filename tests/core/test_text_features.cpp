#include <catch2/catch.hpp>

#include <Eigen/Dense>

#include <cmath>
#include <map>
#include <set>

#include "common/random.hpp"
#include "prep/text_features.hpp"
#include "prep/text_model_json.hpp"

using namespace recluster;

namespace {

// Documents drawn from three topics with their own words, plus shared filler words.
std::vector<std::string> topic_corpus(std::size_t per_topic, std::vector<int>& topic) {
    const std::vector<std::vector<std::string>> words = {
        {"battery", "charger", "screen", "phone", "signal", "camera", "apps", "android"},
        {"pasta", "sauce", "garlic", "oven", "recipe", "cheese", "basil", "dinner"},
        {"goal", "match", "striker", "league", "coach", "referee", "season", "stadium"}};
    const std::vector<std::string> filler = {"really", "good", "bad", "thing", "great", "week", "bought", "people"};
    std::vector<std::string> docs;
    RandomStream rng(7, 1);
    for (std::size_t i = 0; i < per_topic * 3; ++i) {
        const int t = static_cast<int>(i % 3);
        std::string doc = "The";
        for (int w = 0; w < 12; ++w) {
            const auto& pool = rng.uniform() < 0.7f ? words[static_cast<std::size_t>(t)] : filler;
            doc += " " + pool[rng.below(static_cast<std::uint32_t>(pool.size()))];
            if (w == 5) doc += ", and it is";
        }
        docs.push_back(doc + ".");
        topic.push_back(t);
    }
    return docs;
}

}  // namespace

TEST_CASE("text features: tokens are lower-cased words without stop words and numbers") {
    const auto t = tokenize_text("The Phone's BATTERY died after 2 days -- 10/10 wouldn't buy; café_au_lait x");
    // "The", "after", "wouldn" (stop words), "2", "10" (numbers), "s", "t", "x" (one byte) are dropped.
    const std::vector<std::string> expect = {"phone", "battery", "died", "days", "buy", "café_au_lait"};
    CHECK(t == expect);
    CHECK(tokenize_text("").empty());
    CHECK(tokenize_text("  , ; 42 ").empty());
}

TEST_CASE("text features: LSA separates topics, rows are unit length") {
    std::vector<int> topic;
    const auto docs = topic_corpus(40, topic);
    TextFeatureOptions o;
    o.dims = 5;
    const TextFeatures f = text_features(docs, o);
    REQUIRE(f.lsa.rows == docs.size());
    REQUIRE(f.lsa.cols == 5);
    CHECK(f.terms.size() >= 16);
    CHECK(f.empty_documents == 0);
    for (std::size_t j = 1; j < f.singular_values.size(); ++j) CHECK(f.singular_values[j] <= f.singular_values[j - 1]);
    CHECK(f.captured > 0.0);
    CHECK(f.captured < 1.0);
    std::size_t same = 0;
    for (std::size_t i = 0; i < docs.size(); ++i) {
        double norm = 0;
        for (std::size_t j = 0; j < 5; ++j) norm += f.lsa.at(i, j) * f.lsa.at(i, j);
        CHECK(norm == Approx(1.0).epsilon(1e-5));
        double best = 1e300;
        std::size_t nn = 0;
        for (std::size_t k = 0; k < docs.size(); ++k) {
            if (k == i) continue;
            double d = 0;
            for (std::size_t j = 0; j < 5; ++j) d += (f.lsa.at(i, j) - f.lsa.at(k, j)) * (f.lsa.at(i, j) - f.lsa.at(k, j));
            if (d < best) best = d, nn = k;
        }
        same += topic[i] == topic[nn];
    }
    CHECK(same >= docs.size() * 95 / 100);
}

TEST_CASE("text features: singular values match a dense SVD of the same TF-IDF (naive oracle)") {
    std::vector<int> topic;
    const auto docs = topic_corpus(20, topic);
    TextFeatureOptions o;
    o.dims = 6;
    o.n_iter = 12;
    const TextFeatures f = text_features(docs, o);
    // The TF-IDF written out densely from the definition.
    std::map<std::string, std::size_t> index;
    for (std::size_t t = 0; t < f.terms.size(); ++t) index[f.terms[t]] = t;
    const std::size_t n = docs.size(), v = f.terms.size();
    std::vector<double> df(v, 0);
    std::vector<std::map<std::size_t, int>> tf(n);
    for (std::size_t d = 0; d < n; ++d) {
        for (const auto& w : tokenize_text(docs[d]))
            if (index.count(w)) ++tf[d][index[w]];
        for (const auto& [t, c] : tf[d]) df[t] += 1;
    }
    Eigen::MatrixXd a = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(v));
    for (std::size_t d = 0; d < n; ++d) {
        for (const auto& [t, c] : tf[d])
            a(static_cast<Eigen::Index>(d), static_cast<Eigen::Index>(t)) =
                (1 + std::log(c)) * (std::log((1.0 + n) / (1.0 + df[t])) + 1);
        a.row(static_cast<Eigen::Index>(d)).normalize();
    }
    Eigen::JacobiSVD<Eigen::MatrixXd> svd(a);
    for (std::size_t j = 0; j < 6; ++j) CHECK(f.singular_values[j] == Approx(svd.singularValues()(static_cast<Eigen::Index>(j))).epsilon(1e-4));
    CHECK(f.captured == Approx(svd.singularValues().head(6).squaredNorm() / a.squaredNorm()).epsilon(1e-4));
}

TEST_CASE("text features: bit-identical for 1, 2 and 3 threads and any step size") {
    std::vector<int> topic;
    const auto docs = topic_corpus(700, topic);  // 2,100 documents: several chunks
    TextFeatureOptions o;
    o.dims = 8;
    o.n_threads = 1;
    const TextFeatures one = text_features(docs, o);
    for (int threads : {2, 3}) {
        o.n_threads = threads;
        const TextFeatures other = text_features(docs, o);
        CHECK(other.lsa.data == one.lsa.data);
        CHECK(other.model.projection == one.model.projection);
    }
    o.n_threads = 2;
    TextFeatureJob job(docs, o);
    while (job.step(37)) CHECK(job.progress() <= 1.0);
    CHECK(job.result().lsa.data == one.lsa.data);
    CHECK(job.result().terms == one.terms);
}

TEST_CASE("text features: edge cases give zero dimensions or zero rows, never a crash") {
    CHECK(text_features({}).lsa.cols == 0);
    CHECK(text_features({"", "", ""}).lsa.cols == 0);
    CHECK(text_features({"apple", "apple", "apple"}).lsa.cols == 0);  // one term: nothing to decompose
    const TextFeatures two = text_features({"apple pear", "apple plum", "", "pear plum"});
    CHECK(two.lsa.rows == 4);
    CHECK(two.lsa.cols >= 1);
    CHECK(two.empty_documents == 1);
    for (std::size_t j = 0; j < two.lsa.cols; ++j) CHECK(two.lsa.at(2, j) == 0.0f);
}

TEST_CASE("text model: the data's documents embed to their own LSA rows, new documents land by their topic") {
    std::vector<int> topic;
    const auto docs = topic_corpus(60, topic);
    TextFeatureOptions o;
    o.dims = 6;
    o.n_threads = 2;
    const TextFeatures f = text_features(docs, o);
    const TextModel& m = f.model;
    REQUIRE(m.dims == f.lsa.cols);
    REQUIRE(m.terms == f.terms);
    REQUIRE(m.projection.size() == m.terms.size() * m.dims);
    CHECK(m.documents == docs.size());
    const Matrix again = embed_texts(m, docs);
    REQUIRE(again.rows == docs.size());
    double worst = 0;
    for (std::size_t d = 0; d < docs.size(); ++d)
        for (std::size_t j = 0; j < m.dims; ++j) worst = std::max(worst, static_cast<double>(std::fabs(again.at(d, j) - f.lsa.at(d, j))));
    CHECK(worst < 1e-4);
    // New documents (another draw of the topics): their nearest data document by cosine is of their topic.
    std::vector<int> new_topic;
    std::vector<std::string> fresh;
    {
        const auto more = topic_corpus(90, new_topic);  // the first 180 repeat `docs`; the last 90 are new
        fresh.assign(more.begin() + 180, more.end());
        new_topic.erase(new_topic.begin(), new_topic.begin() + 180);
    }
    fresh.push_back("");                           // no words: the origin
    fresh.push_back("zebra quantum xylophone");    // no known word: the origin
    const Matrix e = embed_texts(m, fresh);
    std::size_t right = 0;
    for (std::size_t i = 0; i < new_topic.size(); ++i) {
        double best = -2;
        int best_topic = -1;
        for (std::size_t d = 0; d < docs.size(); ++d) {
            double dot = 0;
            for (std::size_t j = 0; j < m.dims; ++j) dot += static_cast<double>(e.at(i, j)) * f.lsa.at(d, j);
            if (dot > best) {
                best = dot;
                best_topic = topic[d];
            }
        }
        right += best_topic == new_topic[i];
    }
    CHECK(right >= new_topic.size() * 95 / 100);
    for (std::size_t i = new_topic.size(); i < fresh.size(); ++i)
        for (std::size_t j = 0; j < m.dims; ++j) CHECK(e.at(i, j) == 0.0f);
}

TEST_CASE("text model: JSON round trip is exact, damaged files are refused with a reason") {
    std::vector<int> topic;
    const auto docs = topic_corpus(30, topic);
    TextFeatureOptions o;
    o.dims = 4;
    const TextModel m = text_features(docs, o).model;
    const std::string json = text_model_json(m);
    auto back = parse_text_model_json(json);
    REQUIRE(back.ok());
    CHECK(back->terms == m.terms);
    CHECK(back->document_frequency == m.document_frequency);
    CHECK(back->projection == m.projection);
    CHECK(back->documents == m.documents);
    CHECK(back->dims == m.dims);
    CHECK(embed_texts(*back, docs).data == embed_texts(m, docs).data);
    const auto damaged = [&](const std::string& from, const std::string& to) {
        std::string t = json;
        const auto at = t.find(from);
        REQUIRE(at != std::string::npos);
        t.replace(at, from.size(), to);
        auto r = parse_text_model_json(t);
        REQUIRE_FALSE(r.ok());
        return r.error();
    };
    CHECK(damaged("\"dims\":4", "\"dims\":5") == "the text model's projection does not have terms x dims numbers");
    CHECK(damaged("\"projection\":\"", "\"projection\":\"!") == "the text model's projection is not base64");
    CHECK(damaged("\"version\":1", "\"version\":2") == "text model version 2 is not supported");
    CHECK(damaged("recluster-text-model", "xgboost") == "not a recluster text model");
    CHECK_FALSE(parse_text_model_json("{").ok());
}
