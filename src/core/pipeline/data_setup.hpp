// Data setup: how a file becomes the table the pipeline sees: the reader's choices (delimiter, decimal separator,
// header row, rows of the wrong length) and the column roles (prep/column_types). Share links and session files
// carry it, so the same bytes give the same features anywhere. DataLoadJob parses and types in bounded steps.
// Cost: the reader's O(bytes) plus the typing's (an LSA for text columns).
#pragma once
#include <memory>
#include <string>

#include "common/result.hpp"
#include "io/csv_reader.hpp"
#include "prep/column_types.hpp"

namespace recluster {

struct DataSetup {
    char delimiter = 0;         // 0 = sniffed
    char decimal = 0;           // 0 = sniffed
    int header = -1;            // -1 = detected, 0 = none, 1 = the first row
    bool skip_bad_rows = false;
    ColumnTyping typing;
    bool is_default() const { return delimiter == 0 && decimal == 0 && header == -1 && !skip_bad_rows && typing.is_default(); }
    bool operator==(const DataSetup& o) const {
        return delimiter == o.delimiter && decimal == o.decimal && header == o.header && skip_bad_rows == o.skip_bad_rows &&
               typing == o.typing;
    }
    CsvOptions csv_options() const;
};

// {"delimiter": ";", "decimal": ",", "header": false, "skip_bad_rows": true, "roles": {...}, "max_categories": N,
// "text_dims": N}: only the keys that differ from the defaults ("{}").
std::string data_setup_json(const DataSetup& setup);
// Strict: unknown keys and bad values are errors naming them.
Result<DataSetup> parse_data_setup(const std::string& json);

// Parse, then type: one job for the app's worker.
class DataLoadJob {
public:
    DataLoadJob(std::string text, std::string name, DataSetup setup, int n_threads = 1, bool keep_text = false);
    bool step();  // false when finished
    bool done() const { return done_; }
    double progress() const;
    const char* stage_name() const;
    // The parse stopped at a row with the wrong number of fields (skip_bad_rows would load the others).
    bool failed_on_bad_row() const { return reader_ && reader_->failed_on_bad_row(); }
    Result<Dataset> finish();
    // The input's bytes once parsed, with keep_text.
    std::string take_text() { return std::move(text_); }

private:
    DataSetup setup_;
    int n_threads_;
    std::unique_ptr<CsvReadJob> reader_;
    std::unique_ptr<ColumnTypingJob> typing_;
    std::string error_;
    std::string text_;
    bool done_ = false;
    Result<Dataset> result_ = Result<Dataset>::failure("Not loaded yet.");
};

// Convenience: the whole load at once.
Result<Dataset> load_dataset(std::string text, std::string name, const DataSetup& setup, int n_threads = 1);

}  // namespace recluster
