// libFuzzer harness: any bytes given to the CSV reader (with options picked by the first byte) give a dataset
// whose columns all have `rows` entries and whose fingerprint is the bytes' SHA-256, or a readable error; never a
// crash, a hang or undefined behaviour (ASan + UBSan). The same bytes streamed in small chunks give the very same
// dataset or error (differential check), and the app's next step, column typing, takes any dataset.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "common/sha256.hpp"
#include "io/csv_reader.hpp"
#include "prep/column_types.hpp"

using namespace recluster;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    CsvOptions options;
    const std::uint8_t mode = data[0];
    const char delimiters[] = {0, ',', ';', '\t'};
    options.delimiter = delimiters[mode & 3];
    options.require_numeric = (mode & 4) == 0;
    options.keep_text = (mode & 8) != 0;
    const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
    CsvReadJob job(text, "fuzz.csv", options);
    std::size_t steps = 0;
    while (job.step(1 + (mode >> 4))) {
        if (++steps > 10 * size + 100) std::abort();  // every step consumes input: no endless loop
    }
    auto result = job.finish();
    // Streamed in chunks of 1..16 bytes: the same outcome.
    {
        CsvOptions so = options;
        so.keep_text = false;
        CsvReadJob stream("fuzz.csv", text.size(), so);
        const std::size_t chunk = 1 + (mode >> 4);
        std::size_t idle = 0;
        while (stream.step(3)) {
            if (!stream.waiting()) {
                if (++idle > 10 * size + 100) std::abort();
                continue;
            }
            idle = 0;
            const std::size_t at = static_cast<std::size_t>(stream.wanted_offset());
            if (at >= text.size()) std::abort();  // waiting for bytes past the end
            stream.feed(text.data() + at, std::min(chunk, text.size() - at), at);
        }
        auto streamed = stream.finish();
        if (streamed.ok() != result.ok()) std::abort();
        if (!result.ok() && streamed.error() != result.error()) std::abort();
        if (result.ok()) {
            if (streamed->rows != result->rows || streamed->warnings != result->warnings ||
                streamed->columns.size() != result->columns.size() || streamed->fingerprint != result->fingerprint)
                std::abort();
            for (std::size_t c = 0; c < result->columns.size(); ++c) {
                const Column &a = result->columns[c], &b = streamed->columns[c];
                if (a.name != b.name || a.type != b.type || a.text != b.text || a.numbers.size() != b.numbers.size()) std::abort();
                for (std::size_t r = 0; r < a.numbers.size(); ++r)
                    if (!(a.numbers[r] == b.numbers[r] || (a.numbers[r] != a.numbers[r] && b.numbers[r] != b.numbers[r]))) std::abort();
            }
        }
    }
    if (!result.ok()) {
        if (result.error().empty()) std::abort();
        return 0;
    }
    const Dataset& d = *result;
    if (d.rows == 0 || d.columns.empty() || d.fingerprint != sha256_hex(text)) std::abort();
    for (const auto& c : d.columns) {
        const std::size_t n = c.type == ColumnType::Numeric ? c.numbers.size() : c.text.size();
        if (n != d.rows || c.name.empty()) std::abort();
    }
    if (options.keep_text && job.take_text() != text) std::abort();
    // Column roles: detected, or the first column as a category.
    ColumnTyping typing;
    if (mode & 64) typing.roles[d.columns[0].name] = ColumnRole::Category;
    auto typed = apply_column_types(*result, typing);
    if (!typed.ok() && typed.error().empty()) std::abort();
    if (typed.ok())
        for (const auto& c : typed->columns)
            if ((c.type == ColumnType::Numeric ? c.numbers.size() : c.text.size()) != d.rows) std::abort();
    return 0;
}
