// The quality report of one clustering, as a resumable job (one metric per step): internal validity in the space
// that was clustered (silhouette, Davies-Bouldin, Calinski-Harabasz; DBCV for density clusterings) and agreement
// with a labels column (ARI, NMI). Quadratic metrics are sampled so a report stays within about 2e9 distance
// terms (a second or two); the JSON says how each value was taken.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/matrix.hpp"
#include "common/resumable.hpp"
#include "io/dataset.hpp"

namespace recluster {

struct MetricsInput {
    std::shared_ptr<const Matrix> space;  // rows x d: the clustered space
    std::vector<int> labels;              // per row, -1 = noise
    bool density = false;                 // HDBSCAN / DBSCAN: also DBCV
    std::string truth_column;             // empty = no agreement
    std::vector<int> truth;               // per row when truth_column is set
    std::uint64_t seed = 42;
    int n_threads = 1;
    double budget = 2e9;                  // distance terms (pairs x columns) a quadratic metric may use
};

class MetricsJob : public ResumableJob {
public:
    explicit MetricsJob(MetricsInput input);
    bool step() override;
    double progress() const override;
    const char* stage_name() const override;
    std::string result_json() const override;

private:
    void start_silhouette();

    MetricsInput in_;
    int next_ = 0;
    std::string json_;  // built up step by step (a serialised nlohmann::json object)
    // The silhouette runs in slices of rows (a step stays short in the single-threaded build).
    bool sil_started_ = false;
    std::shared_ptr<const Matrix> sil_space_;  // the space, or the subsample
    std::vector<int> sil_labels_;
    std::vector<std::size_t> sil_rows_;
    std::size_t sil_done_ = 0;
    double sil_sum_ = 0;
    bool sil_undefined_ = false;
    std::string sil_method_;
};

// One integer code per distinct cell text of a column (missing cells share one code): a labels column for ARI/NMI.
std::vector<int> label_codes(const Dataset& data, std::size_t column);

}  // namespace recluster
