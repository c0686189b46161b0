// Assigning every row of a CSV file to the exploration's cluster paths without re-running UMAP or HDBSCAN, and
// without holding the file or the result: the rows are read in batches (io/csv_reader batch mode), given the data's
// features (prep/column_types features_of_new_rows: same reader options, roles, one-hot levels, vector dimensions and
// text model) and sent down the explained views' models (explain/path_predictor). The result is CSV text
// (row,path,confidence,probability) handed out in pieces. This is how the rows a sample left out are assigned.
// Cost O(bytes + rows x trees along the path); memory O(batch x columns + output not yet taken).
#pragma once
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "explain/path_predictor.hpp"
#include "io/csv_reader.hpp"
#include "prep/column_types.hpp"

namespace recluster {

class Session;

// Whether every cluster of the session's top view has its model (what predicting new rows needs).
bool top_view_explained(const Session& session);

// The explained views of a session as one predictor: every view computed on the top view's features whose clusters
// all have models (a view without clusters sends its rows to "<view>.noise"). Fails when the top view is not
// explained. `features` receives the features the models read.
Result<PathPredictor> session_path_predictor(const Session& session, std::vector<std::string>& features);

// How new rows are read and made into features: the data's reader options (without its sample) and column typing.
struct RowAssignmentSetup {
    CsvOptions read;
    NewRowTyping typing;
    std::vector<std::string> features;
    int n_threads = 1;  // rows of a batch go through the models in parallel (the output does not depend on it)
};

// How new rows are read: the data's reader options without its sample, the data's text columns read as text, no
// numeric column required (a file of texts), no fingerprint (nothing is identified by it).
CsvOptions new_rows_read_options(const CsvOptions& data_read, const NewRowTyping& typing);

class RowAssignmentJob {
public:
    static constexpr std::size_t kBatchRows = 8192;
    // The whole text, or a stream of total_bytes given by feed() in order from wanted_offset().
    RowAssignmentJob(std::string text, std::string name, RowAssignmentSetup setup, PathPredictor predictor);
    RowAssignmentJob(std::string name, std::uint64_t total_bytes, RowAssignmentSetup setup, PathPredictor predictor);

    void feed(const char* data, std::size_t size, std::uint64_t offset) { reader_->feed(data, size, offset); }
    std::uint64_t wanted_offset() const { return reader_->wanted_offset(); }
    // The reader has parsed every byte it was given: feed more now (feeding earlier only grows its window).
    bool waiting() const { return !done_ && reader_->waiting(); }
    // kOutputCap bytes of output wait: step() does nothing until take_output().
    bool output_full() const { return output_.size() >= kOutputCap; }

    bool step();  // false when finished (done or failed)
    bool done() const { return done_; }
    const std::string& error() const { return error_; }
    double progress() const;
    // The CSV text produced since the last call (the header first).
    std::string take_output();
    std::size_t rows() const { return rows_; }
    // Rows per path, and the summary as JSON {"rows": N, "paths": [{"path", "rows"}...] by descending rows}.
    const std::map<std::string, std::size_t>& counts() const { return counts_; }
    std::string summary_json() const;

private:
    static constexpr std::size_t kOutputCap = std::size_t{8} << 20;
    void assign(Dataset batch);
    bool fail(std::string message);

    RowAssignmentSetup setup_;
    PathPredictor predictor_;
    std::unique_ptr<CsvReadJob> reader_;
    std::string output_;
    std::size_t rows_ = 0;
    std::map<std::string, std::size_t> counts_;
    std::string error_;
    bool done_ = false;
};

}  // namespace recluster
