// Base64 per RFC 4648 (its test vectors), decoding round trips and malformed input refused.
#include <catch2/catch.hpp>

#include <string>

#include "common/base64.hpp"

using namespace recluster;

TEST_CASE("base64: RFC 4648 test vectors both ways") {
    const std::pair<std::string, std::string> vectors[] = {{"", ""},         {"f", "Zg=="},         {"fo", "Zm8="},
                                                           {"foo", "Zm9v"}, {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="},
                                                           {"foobar", "Zm9vYmFy"}};
    for (const auto& [plain, encoded] : vectors) {
        CHECK(base64_encode(plain) == encoded);
        std::string back;
        REQUIRE(base64_decode(encoded, back));
        CHECK(back == plain);
    }
    CHECK(base64_encode(std::string("\xff\xfe\x00", 3)) == "//4A");
    std::string all;
    for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
    std::string back;
    REQUIRE(base64_decode(base64_encode(all), back));
    CHECK(back == all);
}

TEST_CASE("base64: malformed text is refused") {
    std::string out;
    for (const char* bad : {"Zg=", "Zg", "Z===", "Zm9v!A==", "=Zm9", "Zg==Zg==", "Zm=v"}) {
        INFO(bad);
        CHECK_FALSE(base64_decode(bad, out));
    }
}
