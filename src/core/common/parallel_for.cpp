#include "common/parallel_for.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

// WASM builds without -pthread must not create std::thread (it aborts); native and pthread builds may.
#if defined(__EMSCRIPTEN__) && !defined(__EMSCRIPTEN_PTHREADS__)
#define RECLUSTER_NO_THREADS 1
#endif

namespace recluster {

int available_threads() {
#ifdef RECLUSTER_NO_THREADS
    return 1;
#else
    unsigned n = std::thread::hardware_concurrency();
    return n == 0 ? 1 : static_cast<int>(n);
#endif
}

void parallel_for(int n_threads, std::size_t n_tasks, std::size_t chunk, const ChunkFn& fn) {
    if (n_tasks == 0) return;
    if (chunk == 0) chunk = n_tasks;
    const std::size_t n_chunks = chunk_count(n_tasks, chunk);
#ifdef RECLUSTER_NO_THREADS
    n_threads = 1;
#endif
    const int workers = static_cast<int>(std::min<std::size_t>(std::max(1, n_threads), n_chunks));
    std::atomic<std::size_t> next{0};
    std::exception_ptr failure;
    std::mutex failure_mutex;
    auto work = [&](int worker) {
        for (;;) {
            std::size_t c = next.fetch_add(1);
            if (c >= n_chunks) return;
            std::size_t begin = c * chunk;
            std::size_t end = std::min(n_tasks, begin + chunk);
            try {
                fn(worker, begin, end);
            } catch (...) {
                std::lock_guard<std::mutex> lock(failure_mutex);
                if (!failure) failure = std::current_exception();
                next.store(n_chunks);  // stop handing out chunks
                return;
            }
        }
    };
    if (workers <= 1) {
        work(0);
    } else {
#ifndef RECLUSTER_NO_THREADS
        std::vector<std::thread> pool;
        pool.reserve(workers - 1);
        for (int w = 1; w < workers; ++w) pool.emplace_back(work, w);
        work(0);
        for (auto& t : pool) t.join();
#endif
    }
    if (failure) std::rethrow_exception(failure);
}

}  // namespace recluster
