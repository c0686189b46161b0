// libFuzzer harness: any bytes given to the CSV reader (with options picked by the first byte) give a dataset
// whose columns all have `rows` entries and whose fingerprint is the bytes' SHA-256, or a readable error; never a
// crash, a hang or undefined behaviour (ASan + UBSan).
#include <cstdint>
#include <cstdlib>
#include <string>

#include "common/sha256.hpp"
#include "io/csv_reader.hpp"

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
    return 0;
}
