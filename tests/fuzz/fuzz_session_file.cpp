// libFuzzer harness: session files. The input gets a valid checksum appended (else nearly every mutation would stop
// at the checksum), so the structure checks themselves are exercised: a file is refused with a message, or its
// views are restored onto its data; never a crash or undefined behaviour.
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

#include "common/sha256.hpp"
#include "io/csv_reader.hpp"
#include "pipeline/session_file.hpp"

using namespace recluster;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string bytes(reinterpret_cast<const char*>(data), size);
    bytes += sha256_hex(bytes);
    auto file = decode_session_file(bytes);
    if (!file.ok()) {
        if (file.error().empty()) std::abort();
        return 0;
    }
    auto parsed = read_csv(file->data_text, file->data_name);
    if (!parsed.ok()) return 0;
    auto session = restore_session(std::make_shared<const Dataset>(std::move(*parsed)), *file);
    if (session.ok()) {
        (void)(*session)->hierarchy_json();
        (void)(*session)->row_paths();
    }
    return 0;
}
