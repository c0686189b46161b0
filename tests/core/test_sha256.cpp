// SHA-256 against the FIPS 180-4 / NIST example digests, incremental updates in odd pieces, and the padding edge
// around 55 / 56 / 64 bytes (compared with the one-shot digest of the same bytes).
#include <catch2/catch.hpp>

#include <string>

#include "common/sha256.hpp"

using namespace recluster;

TEST_CASE("sha256: NIST examples") {
    CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    Sha256 million;
    const std::string a(1000, 'a');
    for (int i = 0; i < 1000; ++i) million.update(a);
    CHECK(million.hex() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("sha256: pieces and padding edges") {
    for (std::size_t n : {55u, 56u, 57u, 63u, 64u, 65u, 119u, 120u, 200u}) {
        std::string s;
        for (std::size_t i = 0; i < n; ++i) s += static_cast<char>('a' + i % 26);
        Sha256 h;
        for (std::size_t i = 0; i < n; i += 7) h.update(s.substr(i, 7));
        INFO("n = " << n);
        CHECK(h.hex() == sha256_hex(s));
        CHECK(sha256_hex(s) != sha256_hex(s + "x"));
    }
    Sha256 done;
    done.hex();
    CHECK_THROWS(done.update("more"));
}
