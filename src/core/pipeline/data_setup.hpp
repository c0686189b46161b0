// Data setup: how a file becomes the table the pipeline sees: the reader's choices (delimiter, decimal separator,
// header row, rows of the wrong length) and the column roles (prep/column_types). Share links and session files
// carry it, so the same bytes give the same features anywhere. DataLoadJob parses and types in bounded steps.
// Cost: the reader's O(bytes) plus the typing's (an LSA for text columns).
#pragma once
#include <cstdint>
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
    std::size_t sample_rows = 0;  // keep about this many rows (0 = all; see CsvOptions::sample_rows)
    ColumnTyping typing;
    bool is_default() const {
        return delimiter == 0 && decimal == 0 && header == -1 && !skip_bad_rows && sample_rows == 0 && typing.is_default();
    }
    bool operator==(const DataSetup& o) const {
        return delimiter == o.delimiter && decimal == o.decimal && header == o.header && skip_bad_rows == o.skip_bad_rows &&
               sample_rows == o.sample_rows && typing == o.typing;
    }
    CsvOptions csv_options() const;
};

// {"delimiter": ";", "decimal": ",", "header": false, "skip_bad_rows": true, "sample_rows": N, "roles": {...},
// "max_categories": N, "text_dims": N}: only the keys that differ from the defaults ("{}").
std::string data_setup_json(const DataSetup& setup);
// Strict: unknown keys and bad values are errors naming them.
Result<DataSetup> parse_data_setup(const std::string& json);

// Parse, then type: one job for the app's worker. With a memory limit, a file whose estimate (pipeline/
// memory_estimate, from its first rows) exceeds it is refused before it is read, naming a sample size that fits.
class DataLoadJob {
public:
    DataLoadJob(std::string text, std::string name, DataSetup setup, int n_threads = 1, bool keep_text = false);
    // A stream of total_bytes bytes, fed in order (see CsvReadJob's streaming constructor).
    DataLoadJob(std::string name, std::uint64_t total_bytes, DataSetup setup, int n_threads = 1);
    void set_memory_limit(double bytes) { memory_limit_ = bytes; }
    bool step();  // false when finished
    bool done() const { return done_; }
    // Streams: where the next bytes must start, and whether the reader waits for them.
    void feed(const char* data, std::size_t size, std::uint64_t offset) {
        if (reader_) reader_->feed(data, size, offset);
    }
    std::uint64_t wanted_offset() const { return reader_ ? reader_->wanted_offset() : 0; }
    bool waiting() const { return reader_ && !typing_ && reader_->waiting(); }
    // Refused by the memory limit: the sample size suggested (0 otherwise).
    std::size_t suggested_sample() const { return suggested_sample_; }
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
    std::string name_;
    double memory_limit_ = 0;
    bool estimated_ = false;
    std::size_t suggested_sample_ = 0;
    bool done_ = false;
    Result<Dataset> result_ = Result<Dataset>::failure("Not loaded yet.");
};

// Convenience: the whole load at once.
Result<Dataset> load_dataset(std::string text, std::string name, const DataSetup& setup, int n_threads = 1);

}  // namespace recluster
