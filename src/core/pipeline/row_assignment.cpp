#include "pipeline/row_assignment.hpp"

#include <algorithm>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "common/json_text.hpp"
#include "common/parallel_for.hpp"
#include "pipeline/session.hpp"

namespace recluster {

bool top_view_explained(const Session& session) {
    const SessionNode& top = session.node(session.root());
    return top.output && top.explanations && top.explanations->size() == top.output->clustering.sizes.size();
}

Result<PathPredictor> session_path_predictor(const Session& session, std::vector<std::string>& features) {
    using R = Result<PathPredictor>;
    const SessionNode& top = session.node(session.root());
    if (!top.output) return R::failure("the top view has not been computed.");
    if (!top_view_explained(session))
        return R::failure("explain every cluster of the top view first (Explain all clusters, or explain()).");
    features = top.output->feature_columns;
    // Every cluster of a view must have its model (an argmax over some would be biased).
    PathPredictor predictor;
    for (std::size_t id = 0; id < session.size(); ++id) {
        const SessionNode& n = session.node(static_cast<int>(id));
        if (!n.output || n.parent == -2 || (id > 0 && n.path.empty()) || n.output->feature_columns != features) continue;
        const std::size_t k = n.output->clustering.sizes.size();
        if (k == 0) {
            predictor.add_view(n.path, {}, {});
            continue;
        }
        if (!n.explanations || n.explanations->size() != k) continue;
        std::vector<int> clusters;
        std::vector<BoosterModel> models;
        for (const auto& e : *n.explanations) {
            clusters.push_back(e.cluster);
            models.push_back(e.model);
        }
        predictor.add_view(n.path, std::move(clusters), std::move(models));
    }
    return predictor;
}

CsvOptions new_rows_read_options(const CsvOptions& data_read, const NewRowTyping& typing) {
    CsvOptions o = data_read;
    o.sample_rows = 0;
    o.keep_text = false;
    o.require_numeric = false;
    o.text_columns = typing.text_columns;
    o.fingerprint = false;
    return o;
}

namespace {
CsvOptions batch_options(const RowAssignmentSetup& setup) {
    CsvOptions o = new_rows_read_options(setup.read, setup.typing);
    o.batch_rows = RowAssignmentJob::kBatchRows;
    return o;
}
}  // namespace

RowAssignmentJob::RowAssignmentJob(std::string text, std::string name, RowAssignmentSetup setup, PathPredictor predictor)
    : setup_(std::move(setup)), predictor_(std::move(predictor)) {
    reader_ = std::make_unique<CsvReadJob>(std::move(text), std::move(name), batch_options(setup_));
    output_ = "row,path,confidence,probability\n";
}

RowAssignmentJob::RowAssignmentJob(std::string name, std::uint64_t total_bytes, RowAssignmentSetup setup, PathPredictor predictor)
    : setup_(std::move(setup)), predictor_(std::move(predictor)) {
    reader_ = std::make_unique<CsvReadJob>(std::move(name), total_bytes, batch_options(setup_));
    output_ = "row,path,confidence,probability\n";
}

bool RowAssignmentJob::fail(std::string message) {
    error_ = std::move(message);
    done_ = true;
    return false;
}

double RowAssignmentJob::progress() const { return done_ ? 1.0 : reader_->progress(); }

bool RowAssignmentJob::step() {
    if (done_) return false;
    if (output_full()) return true;  // until take_output()
    if (reader_->batch_ready()) {
        assign(reader_->take_batch());
        return !done_;
    }
    if (reader_->step(4096)) return true;
    // The file is read: its last batch, then whether it was read whole.
    Dataset last = reader_->take_batch();
    auto r = reader_->finish();
    if (!r) return fail(r.error());
    if (last.rows > 0) assign(std::move(last));
    if (!done_ && rows_ == 0) return fail("The file has a header row but no data rows.");
    done_ = true;
    return false;
}

void RowAssignmentJob::assign(Dataset batch) {
    const std::size_t first = rows_, n = batch.rows;
    if (n == 0) return;
    auto values = features_of_new_rows(std::move(batch), setup_.typing, setup_.features);
    if (!values) {
        fail(values.error());
        return;
    }
    const std::size_t d = values->size();
    std::vector<PathPrediction> predictions(n);
    parallel_for(setup_.n_threads, n, 256, [&](int, std::size_t begin, std::size_t end) {
        std::vector<float> row(d);
        for (std::size_t r = begin; r < end; ++r) {
            for (std::size_t f = 0; f < d; ++f) row[f] = (*values)[f][r];
            predictions[r] = predictor_.predict(row.data());
        }
    });
    char buf[96];
    for (std::size_t r = 0; r < n; ++r) {
        const PathPrediction& p = predictions[r];
        std::snprintf(buf, sizeof buf, "%zu,", first + r);
        output_ += buf;
        output_ += p.path;
        std::snprintf(buf, sizeof buf, ",%.6g,%.6g\n", p.confidence, p.probability);
        output_ += buf;
        ++counts_[p.path];
    }
    rows_ += n;
}

std::string RowAssignmentJob::take_output() {
    std::string out;
    out.swap(output_);
    return out;
}

std::string RowAssignmentJob::summary_json() const {
    std::vector<std::pair<std::string, std::size_t>> paths(counts_.begin(), counts_.end());
    std::stable_sort(paths.begin(), paths.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    nlohmann::json list = nlohmann::json::array();
    for (const auto& [path, rows] : paths) list.push_back({{"path", path}, {"rows", rows}});
    return json_text(nlohmann::json{{"rows", rows_}, {"paths", list}});
}

}  // namespace recluster
