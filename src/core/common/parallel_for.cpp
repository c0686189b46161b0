#include "common/parallel_for.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <exception>
#include <functional>
#include <memory>
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

#ifndef RECLUSTER_NO_THREADS
namespace {

// Persistent workers: creating threads per call is slow everywhere and, in the browser, every creation is a
// round trip through the main thread's event loop (which may be busy drawing). Workers sleep on a condition
// variable between calls. One call at a time; a concurrent caller runs its chunks inline instead of waiting
// (results do not depend on the number of threads, so this changes only speed).
class WorkerPool {
public:
    ~WorkerPool() {
        {
            std::lock_guard<std::mutex> lock(mutex_);
            stopping_ = true;
        }
        wake_.notify_all();
        for (auto& t : threads_) t.join();
    }

    void ensure_workers(int n) {
        std::lock_guard<std::mutex> lock(mutex_);
        while (static_cast<int>(threads_.size()) < n) {
            int index = static_cast<int>(threads_.size()) + 1;  // worker 0 is the caller
            threads_.emplace_back([this, index] { worker_loop(index); });
        }
    }

    // Runs task(worker) on the caller (worker 0) and on workers 1..n-1; returns when all have finished.
    // Returns false (running nothing) if another call is in progress.
    bool run(int n, const std::function<void(int)>& task) {
        std::unique_lock<std::mutex> busy(call_mutex_, std::try_to_lock);
        if (!busy.owns_lock()) return false;
        ensure_workers(n - 1);
        {
            std::lock_guard<std::mutex> lock(mutex_);
            task_ = &task;
            active_ = n - 1;
            pending_ = n - 1;
            ++generation_;
        }
        wake_.notify_all();
        task(0);
        std::unique_lock<std::mutex> lock(mutex_);
        done_.wait(lock, [this] { return pending_ == 0; });
        task_ = nullptr;
        return true;
    }

private:
    void worker_loop(int index) {
        unsigned long seen = 0;
        for (;;) {
            const std::function<void(int)>* task = nullptr;
            {
                std::unique_lock<std::mutex> lock(mutex_);
                wake_.wait(lock, [&] { return stopping_ || (generation_ != seen && index <= active_); });
                if (stopping_) return;
                seen = generation_;
                task = task_;
            }
            (*task)(index);
            {
                std::lock_guard<std::mutex> lock(mutex_);
                if (--pending_ == 0) done_.notify_one();
            }
        }
    }

    std::mutex call_mutex_;
    std::mutex mutex_;
    std::condition_variable wake_, done_;
    std::vector<std::thread> threads_;
    const std::function<void(int)>* task_ = nullptr;
    unsigned long generation_ = 0;
    int active_ = 0, pending_ = 0;
    bool stopping_ = false;
};

WorkerPool& pool() {
    static WorkerPool instance;
    return instance;
}

}  // namespace
#endif

void prepare_threads(int n_threads) {
#ifndef RECLUSTER_NO_THREADS
    if (n_threads > 1) pool().ensure_workers(n_threads - 1);
#else
    (void)n_threads;
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
    bool ran = false;
#ifndef RECLUSTER_NO_THREADS
    if (workers > 1) ran = pool().run(workers, work);
#else
    (void)workers;
#endif
    if (!ran) work(0);
    if (failure) std::rethrow_exception(failure);
}

}  // namespace recluster
