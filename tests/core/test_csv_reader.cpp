#include <catch2/catch.hpp>
#include <cmath>

#include "io/csv_reader.hpp"
#include "common/sha256.hpp"

using namespace recluster;

TEST_CASE("csv: comma file with header, numeric and text columns") {
    auto r = read_csv("a,b,name\n1,2.5,x\n3,-4e2,y\n", "t.csv");
    REQUIRE(r.ok());
    const Dataset& d = *r;
    CHECK(d.rows == 2);
    REQUIRE(d.columns.size() == 3);
    CHECK(d.delimiter == ',');
    CHECK(d.columns[0].type == ColumnType::Numeric);
    CHECK(d.columns[1].numbers[1] == Approx(-400.0f));
    CHECK(d.columns[2].type == ColumnType::Text);
    CHECK(d.columns[2].text[1] == "y");
    CHECK(d.columns[0].stats.mean == Approx(2.0));
    CHECK(d.columns[1].stats.min == Approx(-400.0));
    CHECK(d.columns[1].stats.max == Approx(2.5));
}

TEST_CASE("csv: delimiter sniffing") {
    CHECK(sniff_delimiter("a;b;c\n1;2;3\n") == ';');
    CHECK(sniff_delimiter("a\tb\n1\t2\n") == '\t');
    CHECK(sniff_delimiter("a,b\n1,2\n") == ',');
    // A comma inside quotes must not win over the real delimiter.
    CHECK(sniff_delimiter("\"x,y\";b\n\"1,5\";2\n") == ';');
    CHECK(sniff_delimiter("a|b|c\n1|2|3\n") == '|');
    CHECK(sniff_delimiter("1,5;2\n2,5;3\n") == ';');        // a tie: the semicolon wins
    CHECK(sniff_delimiter("1,5,2\n2,5,3\n", true) == ',');  // nothing else: the default
    // With a semicolon delimiter, 1,5 is a number with a decimal comma...
    auto r = read_csv("x;y\n1,5;2\n", "decimal-comma.csv", CsvOptions{});
    REQUIRE(r.ok());
    CHECK(r->delimiter == ';');
    CHECK(r->decimal == ',');
    CHECK(r->columns[0].type == ColumnType::Numeric);
    CHECK(r->columns[0].numbers[0] == 1.5f);
    // ... unless numbers with a decimal point appear too, or the caller says otherwise.
    auto mixed = read_csv("x;y\n1,5;2.5\n", "mixed.csv", CsvOptions{});
    REQUIRE(mixed.ok());
    CHECK(mixed->decimal == '.');
    CHECK(mixed->columns[0].type == ColumnType::Text);
    CsvOptions point;
    point.decimal = '.';
    auto forced = read_csv("x;y\n1,5;2\n", "forced.csv", point);
    REQUIRE(forced.ok());
    CHECK(forced->columns[0].type == ColumnType::Text);
}

TEST_CASE("csv: quoted fields with delimiters, doubled quotes and newlines") {
    auto r = read_csv("id,comment,v\n1,\"hello, world\",3\n2,\"she said \"\"hi\"\"\",4\n3,\"two\nlines\",5\n", "q.csv");
    REQUIRE(r.ok());
    CHECK(r->rows == 3);
    CHECK(r->columns[1].text[0] == "hello, world");
    CHECK(r->columns[1].text[1] == "she said \"hi\"");
    CHECK(r->columns[1].text[2] == "two\nlines");
    CHECK(r->columns[2].numbers[2] == 5.0f);
}

TEST_CASE("csv: missing markers become NaN and are counted") {
    auto r = read_csv("a,b\n1,NA\n,2\nNaN,3\n4,\n", "m.csv");
    REQUIRE(r.ok());
    CHECK(r->columns[0].type == ColumnType::Numeric);
    CHECK(r->columns[0].stats.missing == 2);
    CHECK(r->columns[1].stats.missing == 2);
    CHECK(std::isnan(r->columns[1].numbers[0]));
    CHECK(r->columns[0].stats.mean == Approx(2.5));
}

TEST_CASE("csv: infinity is missing with a warning") {
    auto r = read_csv("a,b\n1,inf\n2,3\n", "inf.csv");
    REQUIRE(r.ok());
    CHECK(r->columns[1].type == ColumnType::Numeric);
    CHECK(r->columns[1].stats.missing == 1);
    REQUIRE(r->warnings.size() == 1);
    CHECK(r->warnings[0].find("infinite") != std::string::npos);
}

TEST_CASE("csv: CRLF, BOM, trailing blank lines") {
    auto r = read_csv("\xEF\xBB\xBFx,y\r\n1,2\r\n3,4\r\n\r\n\r\n", "crlf.csv");
    REQUIRE(r.ok());
    CHECK(r->columns[0].name == "x");
    CHECK(r->rows == 2);
    CHECK(r->columns[1].numbers[1] == 4.0f);
}

TEST_CASE("csv: duplicate and empty header names are made unique") {
    auto r = read_csv("a,a,\n1,2,3\n", "h.csv");
    REQUIRE(r.ok());
    CHECK(r->columns[0].name == "a");
    CHECK(r->columns[1].name == "a_2");
    CHECK(r->columns[2].name == "column_3");
}

TEST_CASE("csv: errors are readable values") {
    SECTION("empty file") {
        auto r = read_csv("", "e.csv");
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().find("empty") != std::string::npos);
        CHECK_FALSE(read_csv("  \n\r\n", "e.csv").ok());
    }
    SECTION("header only") {
        auto r = read_csv("a,b\n", "h.csv");
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().find("no data rows") != std::string::npos);
    }
    SECTION("ragged row names its line") {
        auto r = read_csv("a,b\n1,2\n3,4\n5,6,7\n", "rag.csv");
        REQUIRE_FALSE(r.ok());
        CHECK(r.error() == "line 4 has 3 fields but the header has 2.");
    }
    SECTION("ragged row after a multi-line quoted field counts physical lines") {
        auto r = read_csv("a,b\n\"x\ny\",2\n3\n", "rag2.csv");
        REQUIRE_FALSE(r.ok());
        CHECK(r.error() == "line 4 has 1 field but the header has 2.");
    }
    SECTION("unterminated quote") {
        auto r = read_csv("a,b\n1,\"oops\n", "q.csv");
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().find("line 2") != std::string::npos);
        CHECK(r.error().find("never closed") != std::string::npos);
    }
    SECTION("no numeric column") {
        auto r = read_csv("a,b\nx,y\nz,w\n", "t.csv");
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().find("No numeric column") != std::string::npos);
        CHECK(r.error().find("a, b") != std::string::npos);
    }
    SECTION("binary garbage does not crash") {
        std::string junk;
        for (int i = 0; i < 5000; ++i) junk.push_back(static_cast<char>((i * 7919) % 256));
        auto r = read_csv(junk, "junk.bin");
        CHECK_FALSE(r.ok());
    }
}

TEST_CASE("csv: resumable parsing equals one-shot parsing") {
    std::string text = "a,b,c\n";
    for (int i = 0; i < 1000; ++i)
        text += std::to_string(i) + "," + std::to_string(i * 0.5) + ",\"t" + std::to_string(i % 7) + "\"\n";
    auto whole = read_csv(text, "x");
    CsvReadJob job(text, "x");
    double last = 0;
    while (job.step(37)) {
        CHECK(job.progress() >= last);
        last = job.progress();
    }
    auto sliced = job.finish();
    REQUIRE(whole.ok());
    REQUIRE(sliced.ok());
    CHECK(sliced->rows == 1000);
    CHECK(sliced->columns[1].numbers == whole->columns[1].numbers);
    CHECK(sliced->columns[2].text == whole->columns[2].text);
}

TEST_CASE("csv: real fixture (wine)") {
    auto r = read_csv_file(RECLUSTER_TEST_DIR "/data/wine.csv");
    REQUIRE(r.ok());
    CHECK(r->rows == 178);
    CHECK(r->numeric_columns().size() == 13);
    CHECK(r->columns.back().name == "class");
    CHECK(r->columns.back().stats.distinct == 3);
    CHECK_FALSE(read_csv_file("/nonexistent/file.csv").ok());
}

TEST_CASE("csv: number parsing agrees with strtod (fast path oracle)") {
    std::vector<std::string> samples = {"0",        "-0",          "+1.5",     "3.14159265358979323846", "1e10",
                                        "1E-5",     "-2.5e+3",     ".5",       "5.",                     "007",
                                        "123456789012345678901234", "0.000000000000000000000001234",
                                        "1.7976931348623157e308",   "4.9e-324", "9007199254740993",      "0.1"};
    unsigned s = 12345;
    for (int i = 0; i < 2000; ++i) {
        s = s * 1103515245u + 12345u;
        double mant = static_cast<double>(s % 100000000) / (1 + (s >> 27));
        int e = static_cast<int>((s >> 8) % 40) - 20;
        char buf[64];
        std::snprintf(buf, sizeof buf, (i % 3 == 0) ? "%.9g" : (i % 3 == 1) ? "%.17ge%d" : "%.6fe%d", mant * ((i & 1) ? -1 : 1), e);
        samples.push_back(buf);
    }
    std::string text = "v\n";
    for (const auto& x : samples) text += x + "\n";
    auto r = read_csv(text, "numbers.csv");
    REQUIRE(r.ok());
    REQUIRE(r->columns[0].type == ColumnType::Numeric);
    for (std::size_t i = 0; i < samples.size(); ++i) {
        double d = std::strtod(samples[i].c_str(), nullptr);
        if (std::fabs(d) > 3.4e38) {
            CHECK(std::isnan(r->columns[0].numbers[i]));  // beyond float range: treated as infinite -> missing
            continue;
        }
        INFO(samples[i]);
        CHECK(r->columns[0].numbers[i] == static_cast<float>(d));
    }
    // Things strtod accepts but a CSV number is not.
    for (const char* bad : {"0x1A", "1e", "e5", "--1", "1.2.3", "1,5", "nan(1)"}) {
        auto t = read_csv(std::string("v,w\n") + "\"" + bad + "\",1\n", "bad.csv");
        REQUIRE(t.ok());
        INFO(bad);
        CHECK(t->columns[0].type == ColumnType::Text);
    }
}

TEST_CASE("csv: the dataset's fingerprint is the SHA-256 of the file's bytes, however the parse is stepped") {
    const std::string text = "\xEF\xBB\xBF" "a,b\r\n1,2\r\n\r\n3,4\r\n";
    auto whole = read_csv(text, "t.csv");
    REQUIRE(whole.ok());
    CHECK(whole->fingerprint == sha256_hex(text));
    CsvReadJob job(text, "t.csv");
    while (job.step(1)) {
    }
    auto stepped = job.finish();
    REQUIRE(stepped.ok());
    CHECK(stepped->fingerprint == whole->fingerprint);
    auto other = read_csv("a,b\n1,2\n3,5\n", "t.csv");
    REQUIRE(other.ok());
    CHECK(other->fingerprint != whole->fingerprint);
}

TEST_CASE("csv: keep_text hands the parsed bytes back (their SHA-256 is the fingerprint)") {
    const std::string text = "\xEF\xBB\xBFx,y\n1,2\n3,4\n";
    CsvOptions keep;
    keep.keep_text = true;
    CsvReadJob job(text, "k.csv", keep);
    while (job.step(1)) {
    }
    auto d = job.finish();
    REQUIRE(d.ok());
    CHECK(job.take_text() == text);
    CHECK(d->fingerprint == sha256_hex(text));
    CsvReadJob plain(text, "k.csv");
    while (plain.step(1)) {
    }
    CHECK(plain.take_text().empty());  // freed after parsing by default
}

TEST_CASE("csv: header detection can be forced either way") {
    CsvOptions with;
    with.header = 1;
    auto h = read_csv("1,2\n3,4\n", "h.csv", with);
    REQUIRE(h.ok());
    CHECK(h->rows == 1);
    CHECK(h->columns[0].name == "1");
    CsvOptions without;
    without.header = 0;
    auto n = read_csv("a,1\n3,4\n", "n.csv", without);
    REQUIRE(n.ok());
    CHECK(n->rows == 2);
    CHECK(n->columns[0].name == "col1");
    CHECK(n->columns[0].type == ColumnType::Text);  // "a" is data now
    CHECK_FALSE(n->header_row);
}
