// Memory estimate: how many bytes a table and one run of the pipeline on it need, from the row count and the
// columns (known from the first rows of a file, before it is read), so a file too large for a browser tab is refused
// with a clear message and a sample size that fits, instead of running out of memory halfway. The model is simple
// and calibrated on the threaded WASM build's heap after a default run (scripts/bench.sh memory, heap including the
// file read whole; 2026-11-23: 16 features 0.9 KB per row at 100k rows and 1.0 KB at 300k, 32 features 1.2 KB at
// 300k, 64 features 1.9 KB at 100k; 2026-11-24: 784 features 11.3 KB per row at 20k and 50k, model 14.8): per row,
// the table (4 bytes per number, the text's bytes plus 32 per string), and for the run 12 bytes per feature and
// 1,200 for the neighbour graph, UMAP, HDBSCAN and the labels. Above 100 features the run sees the PCA
// pre-reduction's 50 components (PCA reads the columns scaled on the fly, no second copy of the table) plus 500 for
// the reduction itself. A file read whole adds its bytes twice (the page's copy and the kept text; the caller adds
// them).
#pragma once
#include <cstddef>
#include <string>

namespace recluster {

struct MemoryEstimate {
    double data_bytes = 0;      // the parsed table
    double pipeline_bytes = 0;  // one run of the default pipeline on it
    double total() const { return data_bytes + pipeline_bytes; }
};

MemoryEstimate estimate_memory(double rows, std::size_t numeric_columns, std::size_t text_columns, double text_bytes_per_row);

// The largest row count, rounded down to two significant digits, whose estimate stays within `limit` bytes (0 when
// not even 100 rows fit).
std::size_t rows_within(double limit, std::size_t numeric_columns, std::size_t text_columns, double text_bytes_per_row);

// "3.1 GB", "740 MB", "12 KB".
std::string format_bytes(double bytes);

}  // namespace recluster
