// CSV reader: RFC 4180 quoting, sniffed delimiter (comma, semicolon, tab, pipe), decimal separator and header row,
// UTF-8 with or without BOM, LF / CRLF / CR line ends, missing markers, rows of the wrong length stopped or skipped.
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
    // Field delimiter; 0 = sniff among ',', ';', tab and '|' from the first lines.
    char delimiter = 0;
    // Decimal separator: '.', ',' or 0 = sniff (a decimal comma when the delimiter is not a comma and numbers
    // like 1,5 appear in the first rows while none like 1.5 do).
    char decimal = 0;
    // Header row: 1 = the first row names the columns, 0 = there is none (columns col1..colN), -1 = detect (no
    // header when every field of the first row is a number).
    int header = -1;
    // Rows with the wrong number of fields: stop with an error naming the line (default), or skip them and warn.
    bool skip_bad_rows = false;
    // Cells equal to one of these (after trimming spaces) are missing. Comparison is exact.
    std::vector<std::string> missing_markers = {"", "NA", "N/A", "n/a", "NaN", "nan", "null", "NULL", "None", "#N/A", "?", "-"};
    // Require at least one numeric column (the pipeline needs features).
    bool require_numeric = true;
    // Keep the input text after parsing (take_text() hands it back) instead of freeing it.
    bool keep_text = false;
};

// Picks the delimiter (',', ';', tab, '|') whose count per line is non-zero and most consistent over the first lines.
// With decimal_comma the comma is not a candidate.
char sniff_delimiter(const std::string& text, bool decimal_comma = false);

class CsvReadJob {
public:
    CsvReadJob(std::string text, std::string name, CsvOptions options = {});

    // Parses up to max_records more records. Returns false when finished (done or failed).
    bool step(std::size_t max_records);
    bool done() const { return state_ != State::Parsing; }
    // The failure was a row with the wrong number of fields (CsvOptions::skip_bad_rows would load the others).
    bool failed_on_bad_row() const { return bad_row_failure_; }
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
    std::vector<std::size_t> skipped_lines_;     // rows skipped for their field count (skip_bad_rows)
    std::string number_scratch_;                 // a cell with its decimal comma made a point
    bool bad_row_failure_ = false;
    Sha256 fingerprint_;                         // of the bytes parsed so far
    std::size_t hashed_ = 0;
};

// Convenience: parse a whole text at once.
Result<Dataset> read_csv(std::string text, std::string name, CsvOptions options = {});
// Convenience: read a file from disk (error if unreadable).
Result<Dataset> read_csv_file(const std::string& path, CsvOptions options = {});
// A whole file's bytes ("Cannot open '<path>'." when unreadable).
Result<std::string> read_text_file(const std::string& path);
// The file name of a path (after the last / or \).
std::string file_name_of(const std::string& path);

}  // namespace recluster
