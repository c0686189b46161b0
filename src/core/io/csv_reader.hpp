// CSV reader: RFC 4180 quoting, sniffed delimiter (comma, semicolon, tab, pipe), decimal separator and header row,
// UTF-8 with or without BOM, LF / CRLF / CR line ends, missing markers, rows of the wrong length stopped or skipped.
// Resumable: step(rows) parses a bounded number of records so a UI can show progress and cancel. The text is either
// given whole or streamed in chunks (feed()), so a file larger than memory allows is never held at once. Numbers
// are stored as floats and strings as text while reading; a column that turns out to be text after its first rows
// has those rows read again (a second, partial pass: from memory, or streamed again from data_start()).
// Optional row sampling keeps a deterministic share of the rows. Cost O(bytes); memory: one float per numeric
// cell and the strings of text columns (plus the unparsed window of a stream).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
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
    // Keep about this many rows (0 = all): each data row is kept with probability sample_rows / estimated rows,
    // decided by a hash of (sample_seed, row number), so the same file gives the same sample.
    std::size_t sample_rows = 0;
    std::uint64_t sample_seed = 42;
    // Hand the rows out in batches of this many (0 = keep them all): step() pauses when a batch is full
    // (batch_ready()) and take_batch() moves it out, so a file of any size can be processed block by block
    // (assigning every row of a huge file to clusters). A column must keep its type: one that turns to text after
    // numbers is an error in this mode (its earlier rows are gone), unless it is named in text_columns.
    std::size_t batch_rows = 0;
    // Columns read as text from their first row, whatever their cells look like (by name).
    std::vector<std::string> text_columns;
    // Compute the file's SHA-256 fingerprint (Dataset::fingerprint; "" without). Readers that only pass rows on
    // (assigning them to clusters) skip it.
    bool fingerprint = true;
};

// What the first bytes say about the whole file (for a memory estimate before it is read).
struct CsvEstimate {
    double rows = 0;                 // data rows, extrapolated from the first rows' bytes
    std::size_t numeric_columns = 0; // columns whose first values are numbers
    std::size_t text_columns = 0;
    double text_bytes_per_row = 0;   // bytes of the text columns' cells per row
    double keep_share = 1;           // share of rows the sample keeps
};

// A plain decimal number ([+-]digits[.digits][e[+-]digits], as the reader accepts in cells); false for anything
// else (hex, inf, words, spaces). Correctly rounded to double.
bool parse_decimal(std::string_view text, double& out);

// Picks the delimiter (',', ';', tab, '|') whose count per line is non-zero and most consistent over the first lines.
// With decimal_comma the comma is not a candidate.
char sniff_delimiter(const std::string& text, bool decimal_comma = false);

class CsvReadJob {
public:
    // The whole text at once.
    CsvReadJob(std::string text, std::string name, CsvOptions options = {});
    // A stream of total_bytes bytes, given by feed() in order from wanted_offset().
    CsvReadJob(std::string name, std::uint64_t total_bytes, CsvOptions options = {});

    // Streams: the next bytes, which must start at wanted_offset() (other bytes are ignored: stale chunks of a
    // previous pass). wanted_offset() goes back to data_start() when a second pass is needed; it equals
    // total_bytes() when the current pass has everything.
    void feed(const char* data, std::size_t size, std::uint64_t offset);
    std::uint64_t wanted_offset() const { return fed_; }
    std::uint64_t total_bytes() const { return total_; }
    bool streaming() const { return streaming_; }
    // step() cannot go on before more bytes arrive.
    bool waiting() const { return waiting_; }

    // Parses up to max_records more records. Returns false when finished (done or failed).
    bool step(std::size_t max_records);
    // Batch mode (CsvOptions::batch_rows): a full batch waits, or the last one after done(). take_batch() moves the
    // rows parsed since the previous take out as a dataset (the file's columns and types, statistics of the batch);
    // its `rows` is 0 when there is none. The last batch is taken after step() returns false and before finish(),
    // which then only says whether the file was read. first_row_of_batch() is the next batch's first row number.
    bool batch_ready() const { return options_.batch_rows > 0 && kept_ - taken_ >= options_.batch_rows; }
    Dataset take_batch();
    std::size_t first_row_of_batch() const { return taken_; }
    // Once the header is read (header_read()): what the first rows say about the file.
    bool header_read() const { return stage_ != Stage::Header; }
    const CsvEstimate& estimate() const { return estimate_; }
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
    enum class Stage { Header, Rows, Reread };
    bool fail(std::string message);
    bool header_ready() const;
    void parse_header();
    void estimate_from_window();
    bool keep_row(std::size_t record) const;
    void store_row();
    void reread_row(std::size_t kept);
    bool end_of_rows();  // true when a reread pass starts
    void finalize();
    void compact();
    void hash_through(std::uint64_t end);  // the fingerprint covers the file up to offset `end`
    std::string text_cell(const std::string& field) const;  // "" for a missing marker, else the field
    // Bytes a stream gathers before its header is read: enough to sniff the delimiter, the decimal separator and the
    // header, and to estimate the file's rows.
    static constexpr std::size_t kHeaderWindow = std::size_t{1} << 18;
    // Rows read before the numeric columns are reserved at the estimated size (after a caller's memory check).
    static constexpr std::size_t kReserveAfterRows = 4096;

    std::string text_;             // the unparsed bytes of a stream (its window), or the whole text
    bool streaming_ = false;
    std::uint64_t total_ = 0;      // bytes in the file
    std::uint64_t base_ = 0;       // file offset of text_[0]
    std::uint64_t fed_ = 0;        // file offset after the last byte received
    bool waiting_ = false;
    bool nul_seen_ = false;
    CsvOptions options_;
    Dataset dataset_;
    State state_ = State::Parsing;
    Stage stage_ = Stage::Header;
    std::string error_;
    std::size_t pos_ = 0;          // in text_
    std::size_t line_ = 1;         // physical line (1-based) where the next record starts
    std::uint64_t data_start_ = 0; // file offset of the first data record, and its line
    std::size_t data_start_line_ = 1;
    std::size_t records_ = 0;      // data records seen in this pass (before sampling)
    std::size_t kept_ = 0;         // rows kept in this pass
    std::size_t taken_ = 0;        // rows handed out by take_batch()
    double keep_share_ = 1;
    CsvEstimate estimate_;
    std::vector<bool> text_column_;              // per column: a text cell has been seen
    std::vector<std::size_t> flip_row_;          // per column: the kept row where it became text
    std::size_t reread_until_ = 0;               // the reread pass stops after this many kept rows
    std::vector<std::string> fields_;            // scratch
    std::vector<std::size_t> skipped_lines_;     // rows skipped for their field count (skip_bad_rows)
    std::string number_scratch_;                 // a cell with its decimal comma made a point
    bool bad_row_failure_ = false;
    Sha256 fingerprint_;                         // of the bytes parsed so far (first pass)
    std::uint64_t hashed_ = 0;                   // file offset hashed up to
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
