// parallel_for: the one parallel hook of the core. Work is cut into chunks whose boundaries depend only on
// n_tasks and chunk size (never on the thread count), so per-chunk results reduced in chunk order are
// bit-identical for any number of threads and in single- or multi-threaded builds.
#pragma once
#include <cstddef>
#include <functional>

namespace recluster {

// Worker function: fn(worker_index, begin, end) handles tasks [begin, end).
using ChunkFn = std::function<void(int worker, std::size_t begin, std::size_t end)>;

// Number of chunks of `chunk` tasks needed to cover n_tasks (at least 1 when n_tasks > 0).
inline std::size_t chunk_count(std::size_t n_tasks, std::size_t chunk) {
    return chunk == 0 ? 0 : (n_tasks + chunk - 1) / chunk;
}

// Runs fn over [0, n_tasks) cut into consecutive chunks of size `chunk` (last one shorter), using up to
// n_threads threads (1 = inline in the caller; workers come from a persistent pool). Chunks are handed out in order; which worker runs which
// chunk may vary, so fn must write only to chunk-indexed or task-indexed outputs. Exceptions thrown by fn
// are rethrown in the caller after all workers stop.
void parallel_for(int n_threads, std::size_t n_tasks, std::size_t chunk, const ChunkFn& fn);

// Starts the persistent worker threads for up to n_threads-way calls now (optional; otherwise on first use).
// The web app calls it on the browser's main thread, where creating threads is immediate.
void prepare_threads(int n_threads);

// Threads the platform offers (hardware_concurrency, at least 1); 1 in builds without threads.
int available_threads();

}  // namespace recluster
