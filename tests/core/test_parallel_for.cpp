#include <catch2/catch.hpp>
#include <atomic>
#include <stdexcept>

#include "common/parallel_for.hpp"

using namespace recluster;

TEST_CASE("parallel_for: covers every task once with fixed chunk boundaries") {
    for (int threads : {1, 2, 3, 8}) {
        std::vector<int> hits(1003, 0);
        std::vector<std::pair<std::size_t, std::size_t>> chunks(chunk_count(1003, 100));
        parallel_for(threads, 1003, 100, [&](int, std::size_t b, std::size_t e) {
            chunks[b / 100] = {b, e};
            for (std::size_t i = b; i < e; ++i) hits[i]++;
        });
        CHECK(std::all_of(hits.begin(), hits.end(), [](int h) { return h == 1; }));
        CHECK(chunks.front() == std::pair<std::size_t, std::size_t>{0, 100});
        CHECK(chunks.back() == std::pair<std::size_t, std::size_t>{1000, 1003});
    }
}

TEST_CASE("parallel_for: exceptions reach the caller, empty ranges do nothing") {
    CHECK_THROWS_AS(parallel_for(3, 100, 10,
                                 [](int, std::size_t b, std::size_t) {
                                     if (b == 50) throw std::runtime_error("boom");
                                 }),
                    std::runtime_error);
    std::atomic<int> calls{0};
    parallel_for(4, 0, 10, [&](int, std::size_t, std::size_t) { ++calls; });
    CHECK(calls == 0);
    CHECK(available_threads() >= 1);
}
