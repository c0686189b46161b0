// Streamed CSV reading: the same bytes fed in chunks of any size give the very dataset read_csv() gives (numbers,
// text, types, warnings, fingerprint, errors), including the second pass for columns that turn to text late and
// records split across chunks; row samples are deterministic.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>

#include "common/random.hpp"
#include "io/csv_reader.hpp"

using namespace recluster;

namespace {

std::string slurp(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// Feeds `text` in chunks of `chunk` bytes whenever the reader waits, like the app's file reader. Counts the bytes fed.
Result<Dataset> stream_read(const std::string& text, std::size_t chunk, CsvOptions options, std::size_t* fed = nullptr) {
    CsvReadJob job("t.csv", text.size(), options);
    std::size_t total = 0;
    while (job.step(97)) {
        if (!job.waiting()) continue;
        const std::uint64_t at = job.wanted_offset();
        REQUIRE(at < text.size());
        const std::size_t n = std::min<std::size_t>(chunk, text.size() - at);
        job.feed(text.data() + at, n, at);
        total += n;
    }
    if (fed) *fed = total;
    return job.finish();
}

bool same_floats(const std::vector<float>& a, const std::vector<float>& b) {
    return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0);
}

void require_same(const Result<Dataset>& a, const Result<Dataset>& b) {
    REQUIRE(a.ok() == b.ok());
    if (!a.ok()) {
        CHECK(a.error() == b.error());
        return;
    }
    CHECK(a->rows == b->rows);
    CHECK(a->fingerprint == b->fingerprint);
    CHECK(a->warnings == b->warnings);
    CHECK(a->delimiter == b->delimiter);
    CHECK(a->decimal == b->decimal);
    REQUIRE(a->columns.size() == b->columns.size());
    for (std::size_t c = 0; c < a->columns.size(); ++c) {
        INFO("column " << a->columns[c].name);
        CHECK(a->columns[c].name == b->columns[c].name);
        CHECK(a->columns[c].type == b->columns[c].type);
        CHECK(same_floats(a->columns[c].numbers, b->columns[c].numbers));
        CHECK(a->columns[c].text == b->columns[c].text);
    }
}

// About 1.2 MB: quoted fields with delimiters and newlines, CRLF line ends, a column that turns to text after
// 20,000 rows, one that holds only missing values and infinities, blank lines.
std::string big_csv() {
    std::string s = "id,value,code,note,empty\r\n";
    RandomStream rng(3, 1);
    for (int i = 0; i < 24000; ++i) {
        char buf[160];
        const char* code = i < 20000 ? "" : "x";
        std::snprintf(buf, sizeof buf, "%d,%.4f,%d%s,\"a, \"\"quoted\"\"\nnote %d\",%s\r\n", i, rng.uniform() * 100.0,
                      i % 97, code, i % 13, i % 500 == 7 ? "inf" : "NA");
        s += buf;
        if (i % 5000 == 17) s += "\r\n";
    }
    return s;
}

}  // namespace

TEST_CASE("csv stream: every corpus file reads the same streamed in small and large chunks") {
    const std::string dir = RECLUSTER_TEST_DIR "/data/ingest/";
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        if (entry.path().extension() != ".csv") continue;
        INFO(entry.path().filename().string());
        const std::string text = slurp(entry.path().string());
        CsvOptions o;
        o.require_numeric = false;
        const auto whole = read_csv(text, "t.csv", o);
        for (std::size_t chunk : {1, 7, 4096}) require_same(stream_read(text, chunk, o), whole);
        o.skip_bad_rows = true;
        require_same(stream_read(text, 5, o), read_csv(text, "t.csv", o));
    }
}

TEST_CASE("csv stream: a large file, chunks of any size, the late text column read again from the stream") {
    const std::string text = big_csv();
    REQUIRE(text.size() > (std::size_t{1} << 20));
    const auto whole = read_csv(text, "t.csv");
    REQUIRE(whole.ok());
    CHECK(whole->rows == 24000);
    CHECK(whole->columns[2].type == ColumnType::Text);
    CHECK(whole->columns[2].text[5] == "5");       // read again: the text as written
    CHECK(whole->columns[2].text[20000] == "18x");
    CHECK(whole->columns[3].text[0] == "a, \"quoted\"\nnote 0");
    CHECK(whole->columns[4].type == ColumnType::Text);
    CHECK(whole->columns[4].text[7] == "inf");
    CHECK(whole->columns[4].text[8] == "");
    for (std::size_t chunk : {1000, 65536, 300000}) {
        std::size_t fed = 0;
        require_same(stream_read(text, chunk, CsvOptions{}, &fed), whole);
        // The second pass stops at the last row it needs (row 24,000 of the infinities column here: all of it).
        CHECK(fed > text.size());
        CHECK(fed < 2 * text.size() + chunk);
    }
}

TEST_CASE("csv stream: a late text column only re-reads as far as it needs") {
    std::string text = "a,b\n";
    for (int i = 0; i < 40000; ++i) text += std::to_string(i) + "," + (i == 10 ? "word" : std::to_string(i % 7)) + "\n";
    std::size_t fed = 0;
    const auto streamed = stream_read(text, 8192, CsvOptions{}, &fed);
    require_same(streamed, read_csv(text, "t.csv"));
    CHECK(streamed->columns[1].text[3] == "3");
    CHECK(fed < text.size() + 300000);  // the first 10 rows again, in the first chunks after the header
}

TEST_CASE("csv stream: row samples are deterministic, the same streamed or not, and about the size asked") {
    const std::string text = big_csv();
    CsvOptions o;
    o.sample_rows = 6000;
    const auto whole = read_csv(text, "t.csv", o);
    REQUIRE(whole.ok());
    CHECK(whole->rows > 5000);
    CHECK(whole->rows < 7000);
    CHECK(whole->warnings.back().find("a sample of") == 0);
    require_same(stream_read(text, 50000, o), whole);
    require_same(read_csv(text, "t.csv", o), whole);
    o.sample_seed = 7;
    const auto other = read_csv(text, "t.csv", o);
    CHECK(other->columns[0].numbers != whole->columns[0].numbers);
    // Rows keep their file order; the estimate saw the file's size.
    const auto& ids = whole->columns[0].numbers;
    CHECK(std::is_sorted(ids.begin(), ids.end()));
    CsvReadJob probe(text, "t.csv", o);
    probe.step(1);
    REQUIRE(probe.header_read());
    CHECK(probe.estimate().rows == Approx(24000).epsilon(0.1));
    CHECK(probe.estimate().numeric_columns == 4);  // code turns to text only after row 20,000
    CHECK(probe.estimate().text_columns == 1);
}

TEST_CASE("csv stream: NUL bytes late in a stream and stale chunks") {
    std::string text = "a,b\n";
    for (int i = 0; i < 250000; ++i) text += "1,2\n";
    text[600000] = '\0';
    const auto r = stream_read(text, 4096, CsvOptions{});
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().find("NUL bytes") != std::string::npos);
    // Bytes that do not start where the reader wants them are ignored.
    CsvReadJob job("t.csv", 8, CsvOptions{});
    job.feed("xx", 2, 3);
    CHECK(job.wanted_offset() == 0);
    job.feed("a,b\n1,2\n", 8, 0);
    CHECK(job.wanted_offset() == 8);
    while (job.step(10)) {
    }
    REQUIRE(job.finish().ok());
}

TEST_CASE("csv stream: batches hand out every row once, in order, streamed or not, a late type change is an error") {
    const std::string text = big_csv();
    CsvOptions o;
    o.require_numeric = false;
    const auto whole = read_csv(text, "t.csv", o);
    REQUIRE(whole.ok());
    for (bool stream : {false, true}) {
        CsvOptions b;
        b.batch_rows = 5000;
        // The code column turns to text after 20,000 rows: an error in batch mode.
        std::unique_ptr<CsvReadJob> job = stream ? std::make_unique<CsvReadJob>("t.csv", text.size(), b)
                                                 : std::make_unique<CsvReadJob>(text, "t.csv", b);
        while (job->step(1000)) {
            if (job->waiting()) job->feed(text.data() + job->wanted_offset(), std::min<std::size_t>(65536, text.size() - job->wanted_offset()), job->wanted_offset());
            if (job->batch_ready()) job->take_batch();
        }
        auto r = job->finish();
        REQUIRE_FALSE(r.ok());
        CHECK(r.error() == "Column 'code' has text in data row 20001 after numbers in the rows above; read in batches, a column must keep its type.");
    }
    // Without that column: batches concatenate to the whole read.
    std::string plain;
    std::size_t line_start = 0;
    for (std::size_t i = 0; i <= text.size(); ++i) {  // drop the third field of each record (no quotes before it)
        if (i < text.size() && text[i] != '\n') continue;
        std::string line = text.substr(line_start, i - line_start);
        const std::size_t a = line.find(','), b2 = a == std::string::npos ? a : line.find(',', a + 1);
        const std::size_t c2 = b2 == std::string::npos ? b2 : line.find(',', b2 + 1);
        if (c2 != std::string::npos && line.find('"') > b2) line.erase(b2, c2 - b2);
        plain += line;
        if (i < text.size()) plain += '\n';
        line_start = i + 1;
    }
    const auto reference = read_csv(plain, "t.csv", o);
    REQUIRE(reference.ok());
    for (bool stream : {false, true}) {
        CsvOptions b;
        b.batch_rows = 7000;
        b.require_numeric = false;
        std::unique_ptr<CsvReadJob> job = stream ? std::make_unique<CsvReadJob>("t.csv", plain.size(), b)
                                                 : std::make_unique<CsvReadJob>(plain, "t.csv", b);
        std::vector<float> ids;
        std::vector<std::string> notes;
        std::size_t batches = 0, next_first = 0;
        const auto take = [&] {
            CHECK(job->first_row_of_batch() == next_first);
            Dataset part = job->take_batch();
            next_first += part.rows;
            if (part.rows == 0) return;
            ++batches;
            CHECK(part.rows <= 7000);
            ids.insert(ids.end(), part.columns[0].numbers.begin(), part.columns[0].numbers.end());
            notes.insert(notes.end(), part.columns[2].text.begin(), part.columns[2].text.end());
        };
        while (job->step(1000)) {
            if (job->waiting()) job->feed(plain.data() + job->wanted_offset(), std::min<std::size_t>(65536, plain.size() - job->wanted_offset()), job->wanted_offset());
            if (job->batch_ready()) take();
        }
        take();  // the last batch, before finish()
        REQUIRE(job->finish().ok());
        CHECK(batches == 4);  // 24,000 rows
        CHECK(ids == reference->columns[0].numbers);
        CHECK(notes == reference->columns[2].text);
    }
}

TEST_CASE("csv stream: text_columns read a column as text from its first row, so batches keep it") {
    const std::string text = big_csv();
    CsvOptions b;
    b.batch_rows = 5000;
    b.require_numeric = false;
    b.text_columns = {"code"};
    CsvReadJob job(text, "t.csv", b);
    std::vector<std::string> codes;
    while (job.step(1000))
        if (job.batch_ready()) {
            Dataset part = job.take_batch();
            REQUIRE(part.columns[2].type == ColumnType::Text);
            codes.insert(codes.end(), part.columns[2].text.begin(), part.columns[2].text.end());
        }
    Dataset last = job.take_batch();
    codes.insert(codes.end(), last.columns[2].text.begin(), last.columns[2].text.end());
    REQUIRE(job.finish().ok());
    REQUIRE(codes.size() == 24000);
    CHECK(codes[0] == "0");
    CHECK(codes[98] == "1");
    CHECK(codes[20000] == std::to_string(20000 % 97) + "x");
}

TEST_CASE("csv: numeric columns are sized from the file's estimated rows, not grown by doubling") {
    // 50,000 rows: doubling would leave 65,536 slots per column; the reservation from the first rows' bytes per row,
    // trimmed at the end when too generous, keeps within a few percent of the rows.
    std::string text = "a,b,label\n";
    for (int i = 0; i < 50000; ++i) text += std::to_string(i % 997) + "," + std::to_string(i * 0.25) + ",k" + std::to_string(i % 5) + "\n";
    for (std::size_t chunk : {std::size_t{0}, std::size_t{65536}}) {
        const auto d = chunk ? stream_read(text, chunk, CsvOptions{}, nullptr) : read_csv(text, "r.csv");
        REQUIRE(d.ok());
        REQUIRE(d->rows == 50000);
        for (const auto& col : d->columns)
            if (col.type == ColumnType::Numeric) {
                CHECK(col.numbers.size() == 50000);
                CHECK(col.numbers.capacity() <= 50000 + 50000 / 32 + 64);
            }
    }
}
