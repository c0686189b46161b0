// CSV reader v1: header row, sniffed delimiter (comma, semicolon, tab), RFC 4180 quoting, missing markers.
// Resumable: step(rows) parses a bounded number of records so a UI can show progress and cancel.
// Cost O(bytes); memory: one float per numeric cell, plus row offsets; text columns are re-read at the end.
#pragma once
#include <cstddef>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "common/sha256.hpp"
#include "io/dataset.hpp"

namespace recluster {

struct CsvOptions {
    // Field delimiter; 0 = sniff among ',', ';' and '\t' from the first lines.
    char delimiter = 0;
    // Cells equal to one of these (after trimming spaces) are missing. Comparison is exact.
    std::vector<std::string> missing_markers = {"", "NA", "N/A", "NaN", "nan", "null", "NULL"};
    // Require at least one numeric column (the pipeline needs features).
    bool require_numeric = true;
    // Keep the input text after parsing (take_text() hands it back) instead of freeing it.
    bool keep_text = false;
};

// Picks the delimiter whose count per line is non-zero and most consistent over the first lines.
char sniff_delimiter(const std::string& text);

class CsvReadJob {
public:
    CsvReadJob(std::string text, std::string name, CsvOptions options = {});

    // Parses up to max_records more records. Returns false when finished (done or failed).
    bool step(std::size_t max_records);
    bool done() const { return state_ != State::Parsing; }
    // Fraction of the input consumed, in [0, 1].
    double progress() const;
    // The dataset, or the first error with its line number. Valid once done().
    Result<Dataset> finish();
    // The input text once parsing has finished, with options.keep_text (callers that save it with the results).
    std::string take_text() { return done() ? std::move(text_) : std::string(); }

private:
    enum class State { Parsing, Finished, Failed };
    bool fail(std::string message);
    void parse_header();
    void finalize();

    std::string text_;
    CsvOptions options_;
    Dataset dataset_;
    State state_ = State::Parsing;
    std::string error_;
    std::size_t pos_ = 0;
    std::size_t line_ = 1;  // physical line (1-based) where the next record starts
    std::vector<std::size_t> row_offsets_;       // byte offset of each data record
    std::vector<bool> numeric_so_far_;           // per column: every present value parsed as a number
    std::vector<std::string> fields_;            // scratch
    Sha256 fingerprint_;                         // of the bytes parsed so far
    std::size_t hashed_ = 0;
};

// Convenience: parse a whole text at once.
Result<Dataset> read_csv(std::string text, std::string name, CsvOptions options = {});
// Convenience: read a file from disk (error if unreadable).
Result<Dataset> read_csv_file(const std::string& path, CsvOptions options = {});

}  // namespace recluster
