#include "io/csv_reader.hpp"

#include <algorithm>
#include <cstdint>
#include <string_view>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <limits>
#include <sstream>
#include <unordered_map>

#include "common/random.hpp"
#include "common/text.hpp"

namespace recluster {

// Plain decimal numbers ([+-]digits[.digits][e[+-]digits]); false for anything else (hex, inf, words).
// Values with at most 19 significant digits and a small exponent are computed exactly in double (the
// classic fast path: both factors exact, one rounding); others go through strtod. Same result either way.
bool parse_decimal(std::string_view t, double& out) {
    static const double kPow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    std::size_t i = 0, n = t.size();
    bool negative = false;
    if (i < n && (t[i] == '+' || t[i] == '-')) negative = t[i++] == '-';
    std::uint64_t mantissa = 0;
    int digits = 0, frac_digits = 0, any_digit = 0;
    bool exact = true;
    while (i < n && t[i] >= '0' && t[i] <= '9') {
        if (digits < 19) mantissa = mantissa * 10 + static_cast<unsigned>(t[i] - '0');
        else exact = false;
        if (mantissa) ++digits;
        ++any_digit;
        ++i;
    }
    if (i < n && t[i] == '.') {
        ++i;
        while (i < n && t[i] >= '0' && t[i] <= '9') {
            if (digits < 19) {
                mantissa = mantissa * 10 + static_cast<unsigned>(t[i] - '0');
                ++frac_digits;
                if (mantissa) ++digits;
            } else if (t[i] != '0') {
                exact = false;
            }
            ++any_digit;
            ++i;
        }
    }
    if (!any_digit) return false;
    int exponent = 0;
    if (i < n && (t[i] == 'e' || t[i] == 'E')) {
        ++i;
        bool exp_negative = false;
        if (i < n && (t[i] == '+' || t[i] == '-')) exp_negative = t[i++] == '-';
        if (i >= n || t[i] < '0' || t[i] > '9') return false;
        while (i < n && t[i] >= '0' && t[i] <= '9') {
            if (exponent < 100000) exponent = exponent * 10 + (t[i] - '0');
            ++i;
        }
        if (exp_negative) exponent = -exponent;
    }
    if (i != n) return false;
    const int scale = exponent - frac_digits;
    if (exact && mantissa < (std::uint64_t{1} << 53) && scale >= -22 && scale <= 22) {
        double v = static_cast<double>(mantissa);
        v = scale < 0 ? v / kPow10[-scale] : v * kPow10[scale];
        out = negative ? -v : v;
        return true;
    }
    std::string copy(t);
    out = std::strtod(copy.c_str(), nullptr);
    return true;
}

namespace {

// Reads one record starting at pos into fields (unquoted, unescaped). Advances pos past the record's line
// end and line past every newline consumed. Returns false if a quoted field is never closed.
// The strings in `fields` are reused between calls (assign keeps their capacity): no allocation per cell.
bool parse_record(const std::string& s, std::size_t& pos, std::size_t& line, char delim,
                  std::vector<std::string>& fields) {
    std::size_t count = 0;
    const std::size_t n = s.size();
    const char* data = s.data();
    auto is_end = [&](char c) { return c == delim || c == '\n' || c == '\r'; };
    for (;;) {
        if (count == fields.size()) fields.emplace_back();
        std::string& field = fields[count++];
        // Leading spaces before an opening quote are allowed and dropped.
        std::size_t p = pos;
        while (p < n && data[p] == ' ') ++p;
        if (p < n && data[p] == '"') {
            field.clear();
            pos = p + 1;
            for (;;) {
                // Copy the run up to the next quote or line break in one go.
                std::size_t q = pos;
                while (q < n && data[q] != '"' && data[q] != '\n' && data[q] != '\r') ++q;
                field.append(data + pos, q - pos);
                pos = q;
                if (pos >= n) return false;
                char c = data[pos];
                if (c == '"') {
                    if (pos + 1 < n && data[pos + 1] == '"') {
                        field.push_back('"');
                        pos += 2;
                        continue;
                    }
                    ++pos;
                    break;
                }
                if (c == '\n') ++line;
                if (c == '\r' && !(pos + 1 < n && data[pos + 1] == '\n')) ++line;
                field.push_back(c);
                ++pos;
            }
            // Anything between the closing quote and the delimiter is kept verbatim (lenient).
            std::size_t q = pos;
            while (q < n && !is_end(data[q])) ++q;
            field.append(data + pos, q - pos);
            pos = q;
        } else {
            std::size_t q = pos;
            while (q < n && !is_end(data[q])) ++q;
            field.assign(data + pos, q - pos);
            pos = q;
        }
        if (pos < n && data[pos] == delim) {
            ++pos;
            continue;
        }
        // End of record: consume one line end (LF, CRLF or CR).
        if (pos < n && data[pos] == '\r') ++pos;
        if (pos < n && data[pos] == '\n') ++pos;
        ++line;
        fields.resize(count);
        return true;
    }
}

std::string trim(const std::string& s) { return std::string(trim_view(s)); }

bool is_missing(std::string_view t, const std::vector<std::string>& markers) {
    for (const auto& m : markers)
        if (t == m) return true;
    return false;
}

enum class CellKind { Missing, Number, Infinite, Text };

bool is_infinity_word(std::string_view t) {
    if (!t.empty() && (t[0] == '+' || t[0] == '-')) t.remove_prefix(1);
    if (t.size() != 3 && t.size() != 8) return false;
    const std::string lower = ascii_lower(t);
    return lower == "inf" || lower == "infinity";
}

CellKind classify(const std::string& raw, const std::vector<std::string>& markers, bool decimal_comma, std::string& scratch,
                  float& value) {
    std::string_view t = trim_view(raw);
    if (is_missing(t, markers)) return CellKind::Missing;
    if (decimal_comma && t.find(',') != std::string_view::npos) {  // 1,5 -> 1.5
        scratch.assign(t);
        std::replace(scratch.begin(), scratch.end(), ',', '.');
        t = scratch;
    }
    double d = 0;
    if (!parse_decimal(t, d)) return is_infinity_word(t) ? CellKind::Infinite : CellKind::Text;
    if (!std::isfinite(d) || std::fabs(d) > std::numeric_limits<float>::max()) return CellKind::Infinite;
    value = static_cast<float>(d);
    return CellKind::Number;
}

std::string line_text(std::size_t line) { return "line " + std::to_string(line); }

}  // namespace

char sniff_delimiter(const std::string& text, bool decimal_comma) {
    // On a tie the later candidates lose: "1,5;2" is a semicolon file with decimal commas, not the reverse.
    const char candidates[] = {';', '\t', '|', ','};
    constexpr int kCandidates = 4;
    // Count delimiters outside quotes on each of the first lines.
    std::vector<std::vector<int>> counts(kCandidates);
    std::size_t pos = 0, lines = 0;
    while (pos < text.size() && lines < 20 && pos < (1u << 16)) {
        int c3[kCandidates] = {0, 0, 0, 0};
        bool in_quotes = false;
        while (pos < text.size()) {
            char c = text[pos++];
            if (c == '"') in_quotes = !in_quotes;
            if (!in_quotes && (c == '\n' || c == '\r')) {
                if (c == '\r' && pos < text.size() && text[pos] == '\n') ++pos;
                break;
            }
            if (!in_quotes)
                for (int k = 0; k < kCandidates; ++k)
                    if (c == candidates[k]) ++c3[k];
        }
        for (int k = 0; k < kCandidates; ++k) counts[k].push_back(c3[k]);
        ++lines;
    }
    int best = -1;
    double best_score = 0;
    for (int k = 0; k < kCandidates; ++k) {
        if (counts[k].empty() || counts[k][0] == 0 || (decimal_comma && candidates[k] == ',')) continue;
        int header = counts[k][0];
        int consistent = 0;
        for (int v : counts[k]) consistent += (v == header);
        // Consistency first, then more fields.
        double score = static_cast<double>(consistent) / counts[k].size() * 1000.0 + header;
        if (score > best_score) {
            best_score = score;
            best = k;
        }
    }
    return best < 0 ? ',' : candidates[best];
}

CsvReadJob::CsvReadJob(std::string text, std::string name, CsvOptions options)
    : text_(std::move(text)), options_(std::move(options)) {
    dataset_.name = std::move(name);
    total_ = fed_ = text_.size();
    nul_seen_ = text_.find('\0') != std::string::npos;
}

CsvReadJob::CsvReadJob(std::string name, std::uint64_t total_bytes, CsvOptions options)
    : streaming_(true), total_(total_bytes), options_(std::move(options)) {
    dataset_.name = std::move(name);
    options_.keep_text = false;  // a stream is never held whole
}

void CsvReadJob::feed(const char* data, std::size_t size, std::uint64_t offset) {
    if (!streaming_ || offset != fed_ || state_ != State::Parsing) return;
    size = static_cast<std::size_t>(std::min<std::uint64_t>(size, total_ - fed_));
    if (std::memchr(data, '\0', size)) nul_seen_ = true;
    text_.append(data, size);
    fed_ += size;
}

bool CsvReadJob::fail(std::string message) {
    state_ = State::Failed;
    error_ = std::move(message);
    return false;
}

void CsvReadJob::hash_through(std::uint64_t end) {
    // Only the first pass hashes (afterwards hashed_ == total_), and only bytes still held.
    if (end <= hashed_) return;
    if (options_.fingerprint) fingerprint_.update(text_.data() + (hashed_ - base_), static_cast<std::size_t>(end - hashed_));
    hashed_ = end;
}

void CsvReadJob::compact() {
    // Keep only the unparsed window of a stream; what it drops is hashed first.
    if (!streaming_ || pos_ < (std::size_t{1} << 20)) return;
    hash_through(base_ + pos_);
    text_.erase(0, pos_);
    base_ += pos_;
    pos_ = 0;
}

bool CsvReadJob::header_ready() const {
    if (!streaming_ || fed_ == total_) return true;
    // Enough of the file to sniff the delimiter, the decimal separator and the header, and to estimate its size.
    return text_.size() >= kHeaderWindow;
}

void CsvReadJob::parse_header() {
    // Encodings and binary files first: their bytes would otherwise read as one strange column.
    if (text_.size() >= 2 && ((static_cast<unsigned char>(text_[0]) == 0xFF && static_cast<unsigned char>(text_[1]) == 0xFE) ||
                              (static_cast<unsigned char>(text_[0]) == 0xFE && static_cast<unsigned char>(text_[1]) == 0xFF))) {
        fail("The file is UTF-16 encoded: save it as UTF-8 (\"CSV UTF-8\") and open it again.");
        return;
    }
    if (nul_seen_) {
        fail("The file contains NUL bytes: it looks like a binary file, not CSV text.");
        return;
    }
    // A UTF-8 byte-order mark is not part of the first column's name.
    if (text_.size() >= 3 && static_cast<unsigned char>(text_[0]) == 0xEF && static_cast<unsigned char>(text_[1]) == 0xBB &&
        static_cast<unsigned char>(text_[2]) == 0xBF)
        pos_ = 3;
    // Skip blank lines before the header.
    while (pos_ < text_.size() && (text_[pos_] == '\n' || text_[pos_] == '\r')) {
        if (text_[pos_] == '\n' || (text_[pos_] == '\r' && (pos_ + 1 >= text_.size() || text_[pos_ + 1] != '\n'))) ++line_;
        ++pos_;
    }
    bool blank = std::all_of(text_.begin() + static_cast<std::ptrdiff_t>(pos_), text_.end(),
                             [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; });
    if (blank) {
        fail(fed_ == total_ ? "The file is empty: a CSV needs a header row and at least one data row."
                            : "The file starts with more than 256 KB of blank lines.");
        return;
    }
    dataset_.delimiter = options_.delimiter ? options_.delimiter : sniff_delimiter(text_.substr(pos_, 1 << 16), options_.decimal == ',');
    const std::size_t header_pos = pos_, header_line = line_;
    if (!parse_record(text_, pos_, line_, dataset_.delimiter, fields_)) {
        fail(line_text(header_line) + ": a quoted field is never closed.");
        return;
    }
    // The decimal separator: a comma when the first rows hold numbers like 1,5 and none like 1.5 (only possible
    // when the comma does not separate fields).
    bool decimal_comma = options_.decimal == ',';
    if (options_.decimal == 0 && dataset_.delimiter != ',') {
        std::size_t p = pos_, l = line_, with_comma = 0, with_point = 0;
        std::vector<std::string> sample;
        for (int r = 0; r < 50 && p < text_.size(); ++r) {
            if (!parse_record(text_, p, l, dataset_.delimiter, sample)) break;
            for (const auto& f : sample) {
                const std::string_view t = trim_view(f);
                const std::size_t comma = t.find(','), point = t.find('.');
                double v = 0;
                if (comma != std::string_view::npos && point == std::string_view::npos && t.find(',', comma + 1) == std::string_view::npos) {
                    std::string swapped(t);
                    swapped[comma] = '.';
                    if (comma > 0 && comma + 1 < t.size() && parse_decimal(swapped, v)) ++with_comma;
                } else if (point != std::string_view::npos && parse_decimal(t, v)) {
                    ++with_point;
                }
            }
        }
        decimal_comma = with_comma > 0 && with_point == 0;
    }
    dataset_.decimal = decimal_comma ? ',' : '.';
    if (decimal_comma && options_.decimal == 0)
        dataset_.warnings.push_back("numbers are read with a decimal comma (1,5 = 1.5)");
    // No header when every field of the first row is a number (or the caller says so): the row is data.
    bool header = options_.header != 0;
    if (options_.header < 0) {
        bool all_numbers = !fields_.empty();
        for (const auto& f : fields_) {
            float v = 0;
            all_numbers = all_numbers && classify(f, {}, decimal_comma, number_scratch_, v) == CellKind::Number;
        }
        header = !all_numbers;
    }
    dataset_.header_row = header;
    if (!header) {
        std::string note = "no header row: the first row is data and the columns are named col1..col";
        note += std::to_string(fields_.size());
        dataset_.warnings.push_back(std::move(note));
        pos_ = header_pos;
        line_ = header_line;
    }
    std::unordered_map<std::string, int> used;
    for (std::size_t c = 0; c < fields_.size(); ++c) {
        Column col;
        col.name = header ? trim(fields_[c]) : std::string("col") += std::to_string(c + 1);
        if (col.name.empty()) col.name = "column_" + std::to_string(c + 1);
        std::string base = col.name;
        for (int k = 2; used.count(col.name); ++k) col.name = base + "_" + std::to_string(k);
        used[col.name] = 1;
        dataset_.columns.push_back(std::move(col));
    }
    text_column_.assign(dataset_.columns.size(), false);
    flip_row_.assign(dataset_.columns.size(), 0);
    for (std::size_t c = 0; c < dataset_.columns.size(); ++c)
        for (const auto& name : options_.text_columns) text_column_[c] = text_column_[c] || dataset_.columns[c].name == name;
    data_start_ = base_ + pos_;
    data_start_line_ = line_;
    estimate_from_window();
}

void CsvReadJob::estimate_from_window() {
    // The records in the first window (up to kHeaderWindow bytes after the header) give bytes per row and the columns' kinds.
    const std::size_t n_cols = dataset_.columns.size();
    std::size_t p = pos_, l = line_, records = 0;
    std::vector<std::size_t> texts(n_cols, 0), text_bytes(n_cols, 0);
    std::vector<std::string> sample;
    const std::size_t window = std::min<std::size_t>(text_.size(), pos_ + kHeaderWindow);
    while (p < window && records < 5000) {
        const std::size_t before = p;
        if (!parse_record(text_, p, l, dataset_.delimiter, sample) || (p >= text_.size() && fed_ < total_)) {
            p = before;
            break;
        }
        if (sample.size() != n_cols) continue;
        ++records;
        for (std::size_t c = 0; c < n_cols; ++c) {
            float v = 0;
            if (classify(sample[c], options_.missing_markers, dataset_.decimal == ',', number_scratch_, v) == CellKind::Text) ++texts[c];
            text_bytes[c] += sample[c].size();
        }
    }
    const double bytes = static_cast<double>(p - pos_);
    estimate_.rows = records == 0 ? 0.0 : static_cast<double>(total_ - data_start_) * static_cast<double>(records) / std::max(1.0, bytes);
    for (std::size_t c = 0; c < n_cols; ++c) {
        if (texts[c]) {
            ++estimate_.text_columns;
            estimate_.text_bytes_per_row += records ? static_cast<double>(text_bytes[c]) / static_cast<double>(records) : 0.0;
        } else {
            ++estimate_.numeric_columns;
        }
    }
    if (options_.sample_rows > 0 && estimate_.rows > static_cast<double>(options_.sample_rows))
        keep_share_ = static_cast<double>(options_.sample_rows) / estimate_.rows;
    estimate_.keep_share = keep_share_;
}

bool CsvReadJob::keep_row(std::size_t record) const {
    if (keep_share_ >= 1.0) return true;
    return static_cast<double>(hash64(options_.sample_seed, record) >> 11) < keep_share_ * 9007199254740992.0;
}

double CsvReadJob::progress() const {
    if (done() || total_ == 0) return 1.0;
    // The second pass is short: it stops at the last row a column needs.
    return stage_ == Stage::Reread ? 1.0 : static_cast<double>(base_ + pos_) / static_cast<double>(total_);
}

void CsvReadJob::store_row() {
    const std::size_t k = kept_;
    if (k == kReserveAfterRows && options_.batch_rows == 0 && estimate_.rows > 0) {
        // Past the first rows (and the caller's memory check): give the numeric columns the estimated size at once,
        // instead of growing each by doubling (up to twice the table, and a copy per growth). end_of_rows() trims.
        // An estimate that makes no sense (or memory that is not there) leaves the columns to grow as they go.
        const double expected = estimate_.rows * keep_share_ * 1.02 + 64.0;
        if (std::isfinite(expected) && expected < 4e9) {
            try {
                for (std::size_t c = 0; c < dataset_.columns.size(); ++c)
                    if (!text_column_[c]) dataset_.columns[c].numbers.reserve(static_cast<std::size_t>(expected));
            } catch (...) {
            }
        }
    }
    for (std::size_t c = 0; c < dataset_.columns.size(); ++c) {
        Column& col = dataset_.columns[c];
        if (text_column_[c]) {
            col.text.push_back(text_cell(fields_[c]));
            continue;
        }
        float v = 0;
        switch (classify(fields_[c], options_.missing_markers, dataset_.decimal == ',', number_scratch_, v)) {
            case CellKind::Missing: col.numbers.push_back(std::numeric_limits<float>::quiet_NaN()); break;
            case CellKind::Infinite:
                col.numbers.push_back(std::numeric_limits<float>::quiet_NaN());
                ++col.stats.non_finite;
                break;
            case CellKind::Number: col.numbers.push_back(v); break;
            case CellKind::Text:
                if (options_.batch_rows > 0 && k > 0) {
                    fail("Column '" + col.name + "' has text in data row " + std::to_string(records_) +
                         " after numbers in the rows above; read in batches, a column must keep its type.");
                    return;
                }
                // The rows before this one were numbers: their text is read again at the end.
                text_column_[c] = true;
                flip_row_[c] = k;
                std::vector<float>().swap(col.numbers);
                col.stats.non_finite = 0;
                col.text.resize(k);
                col.text.push_back(text_cell(fields_[c]));
                break;
        }
    }
    ++kept_;
}

std::string CsvReadJob::text_cell(const std::string& field) const {
    return is_missing(trim_view(field), options_.missing_markers) ? std::string() : field;
}

void CsvReadJob::reread_row(std::size_t kept) {
    for (std::size_t c = 0; c < dataset_.columns.size(); ++c) {
        if (!text_column_[c] || kept >= flip_row_[c]) continue;
        dataset_.columns[c].text[kept] = text_cell(fields_[c]);
    }
}

Dataset CsvReadJob::take_batch() {
    Dataset out;
    out.name = dataset_.name;
    out.delimiter = dataset_.delimiter;
    out.decimal = dataset_.decimal;
    out.header_row = dataset_.header_row;
    out.rows = kept_ - taken_;
    for (std::size_t c = 0; c < dataset_.columns.size(); ++c) {
        Column& from = dataset_.columns[c];
        Column col;
        col.name = from.name;
        col.type = text_column_[c] ? ColumnType::Text : ColumnType::Numeric;
        if (col.type == ColumnType::Text) col.text.swap(from.text);
        else col.numbers.swap(from.numbers);
        col.stats.non_finite = from.stats.non_finite;
        from.stats.non_finite = 0;
        compute_stats(col);
        out.columns.push_back(std::move(col));
    }
    taken_ = kept_;
    return out;
}

bool CsvReadJob::end_of_rows() {
    if (stage_ == Stage::Reread) return false;
    // First pass done: the whole file is hashed.
    hash_through(base_ + text_.size());
    dataset_.fingerprint = fingerprint_.hex();
    dataset_.rows = kept_;
    if (options_.batch_rows > 0) {  // batches keep their types: nothing is read again
        if (kept_ == 0) fail("The file has a header row but no data rows.");
        return false;
    }
    if (dataset_.rows == 0) {
        fail(keep_share_ < 1.0 ? "The sample kept no row: ask for more rows." : "The file has a header row but no data rows.");
        return false;
    }
    // A numeric column without a single value carries nothing as a number: it is (empty) text; if it held
    // infinities, their text is read again.
    for (std::size_t c = 0; c < dataset_.columns.size(); ++c) {
        Column& col = dataset_.columns[c];
        if (text_column_[c] || !std::all_of(col.numbers.begin(), col.numbers.end(), [](float v) { return std::isnan(v); })) continue;
        text_column_[c] = true;
        flip_row_[c] = col.stats.non_finite > 0 ? kept_ : 0;
        col.stats.non_finite = 0;
        std::vector<float>().swap(col.numbers);
        col.text.assign(kept_, std::string());
    }
    // A reservation from an estimate that was too high is given back (one column copied at a time).
    for (auto& col : dataset_.columns)
        if (col.numbers.capacity() > col.numbers.size() + col.numbers.size() / 32 + 64) col.numbers.shrink_to_fit();
    reread_until_ = 0;
    for (std::size_t c = 0; c < dataset_.columns.size(); ++c)
        if (text_column_[c]) reread_until_ = std::max(reread_until_, flip_row_[c]);
    if (reread_until_ == 0) return false;
    // Second pass from the first data record, as far as the last row a column needs.
    stage_ = Stage::Reread;
    records_ = kept_ = 0;
    line_ = data_start_line_;
    if (streaming_) {
        text_.clear();
        base_ = fed_ = data_start_;
        pos_ = 0;
    } else {
        pos_ = static_cast<std::size_t>(data_start_);
    }
    return true;
}

bool CsvReadJob::step(std::size_t max_records) {
    if (state_ != State::Parsing) return false;
    waiting_ = false;
    if (nul_seen_ && stage_ != Stage::Header)  // the header's checks name UTF-16 first
        return fail("The file contains NUL bytes: it looks like a binary file, not CSV text.");
    if (stage_ == Stage::Header) {
        if (!header_ready()) {
            waiting_ = true;
            return true;
        }
        parse_header();
        if (state_ != State::Parsing) return false;
        stage_ = Stage::Rows;
    }
    hash_through(base_ + pos_);  // the data's fingerprint follows the parse
    if (batch_ready()) return true;  // until take_batch()
    const std::size_t n_cols = dataset_.columns.size();
    const bool all_fed = fed_ == total_;
    for (std::size_t r = 0; r < max_records; ++r) {
        // Skip blank lines between records (common at the end of files).
        while (pos_ < text_.size() && (text_[pos_] == '\n' || text_[pos_] == '\r')) {
            if (text_[pos_] == '\n' || pos_ + 1 >= text_.size() || text_[pos_ + 1] != '\n') {
                if (pos_ + 1 >= text_.size() && text_[pos_] == '\r' && !all_fed) break;  // CR LF split between chunks
                ++line_;
            }
            ++pos_;
        }
        if (pos_ >= text_.size() || (!all_fed && pos_ + 1 >= text_.size())) {
            if (!all_fed) {
                waiting_ = true;
                compact();
                return true;
            }
            if (end_of_rows()) return state_ == State::Parsing;
            if (state_ != State::Parsing) return false;
            finalize();
            return false;
        }
        const std::size_t start = pos_, record_line = line_;
        const bool closed = parse_record(text_, pos_, line_, dataset_.delimiter, fields_);
        // A record that reaches the end of the bytes received may go on in the next chunk.
        if (!all_fed && pos_ >= text_.size()) {
            pos_ = start;
            line_ = record_line;
            waiting_ = true;
            compact();
            return true;
        }
        if (!closed) return fail(line_text(record_line) + ": a quoted field is never closed.");
        // One empty field too many is a trailing delimiter (some exporters end every row with one).
        if (fields_.size() == n_cols + 1 && trim_view(fields_.back()).empty()) fields_.pop_back();
        if (fields_.size() != n_cols) {
            // A record of only spaces is treated as blank.
            if (fields_.size() == 1 && trim(fields_[0]).empty()) continue;
            if (options_.skip_bad_rows) {
                if (stage_ == Stage::Rows) skipped_lines_.push_back(record_line);
                continue;
            }
            bad_row_failure_ = true;
            return fail(line_text(record_line) + " has " + std::to_string(fields_.size()) +
                        (fields_.size() == 1 ? " field" : " fields") + " but the " +
                        (dataset_.header_row ? "header has " : "first row has ") + std::to_string(n_cols) + ".");
        }
        if (!keep_row(records_++)) continue;
        if (stage_ == Stage::Rows) {
            store_row();
            if (state_ != State::Parsing) return false;
            if (batch_ready()) {
                compact();
                return true;
            }
        } else {
            reread_row(kept_++);
            if (kept_ >= reread_until_) {
                finalize();
                return false;
            }
        }
    }
    compact();
    return true;
}

void CsvReadJob::finalize() {
    const std::size_t n_cols = dataset_.columns.size();
    for (std::size_t c = 0; c < n_cols; ++c)
        if (text_column_[c]) dataset_.columns[c].type = ColumnType::Text;
    if (!skipped_lines_.empty()) {
        dataset_.skipped_rows = skipped_lines_.size();
        std::string lines;
        for (std::size_t i = 0; i < std::min<std::size_t>(skipped_lines_.size(), 10); ++i) {
            lines += i ? ", " : "";
            lines += std::to_string(skipped_lines_[i]);
        }
        if (skipped_lines_.size() > 10) lines += ", ...";
        dataset_.warnings.push_back(std::to_string(skipped_lines_.size()) + (skipped_lines_.size() == 1 ? " row" : " rows") +
                                    " with the wrong number of fields skipped (line" + (skipped_lines_.size() == 1 ? " " : "s ") + lines + ")");
    }
    if (keep_share_ < 1.0)
        dataset_.warnings.push_back("a sample of " + std::to_string(dataset_.rows) + " rows (" +
                                    std::to_string(static_cast<int>(std::lround(100.0 * keep_share_))) + "% of the file)");
    for (auto& col : dataset_.columns) {
        compute_stats(col);
        if (col.stats.non_finite > 0)
            dataset_.warnings.push_back("column '" + col.name + "': " + std::to_string(col.stats.non_finite) +
                                        " infinite value(s) treated as missing");
    }
    if (options_.require_numeric && dataset_.numeric_columns().empty()) {
        std::string names;
        for (std::size_t c = 0; c < std::min<std::size_t>(n_cols, 8); ++c)
            names += (c ? ", " : "") + dataset_.columns[c].name;
        if (n_cols > 8) names += ", ...";
        fail("No numeric column found: recluster needs at least one column of numbers to map (columns: " + names +
             ").");
        return;
    }
    if (!options_.keep_text || streaming_) std::string().swap(text_);
    state_ = State::Finished;
}

Result<Dataset> CsvReadJob::finish() {
    if (state_ == State::Parsing) return Result<Dataset>::failure("The file is still being read.");
    if (state_ == State::Failed) return Result<Dataset>::failure(error_);
    return Result<Dataset>(std::move(dataset_));
}

Result<Dataset> read_csv(std::string text, std::string name, CsvOptions options) {
    CsvReadJob job(std::move(text), std::move(name), std::move(options));
    while (job.step(std::numeric_limits<std::size_t>::max())) {
    }
    return job.finish();
}

Result<std::string> read_text_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return Result<std::string>::failure("Cannot open '" + path + "'.");
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

std::string file_name_of(const std::string& path) {
    const std::size_t slash = path.find_last_of("/\\");
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

Result<Dataset> read_csv_file(const std::string& path, CsvOptions options) {
    auto text = read_text_file(path);
    if (!text) return Result<Dataset>::failure(text.error());
    return read_csv(std::move(*text), file_name_of(path), std::move(options));
}

}  // namespace recluster
