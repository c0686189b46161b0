// libFuzzer harness: any text given to the share-link state parser is refused with a message or parsed into a state
// that writes back to JSON which parses to the same JSON again; never a crash or undefined behaviour.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "pipeline/share_state.hpp"

using namespace recluster;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    auto state = parse_share_state(text);
    if (!state.ok()) {
        if (state.error().empty()) std::abort();
        return 0;
    }
    const std::string json = share_state_json(*state);
    auto again = parse_share_state(json);
    if (!again.ok() || share_state_json(*again) != json) std::abort();
    return 0;
}
