// Engine: owns the loaded dataset, the current pipeline output and the one background job. The web app and
// the Embind API both drive it. Jobs run on a worker std::thread in the threaded build and in time slices of
// tick() in the single-threaded build; results are committed on the main thread inside tick(), so UI code
// only ever sees complete, consistent state. A failed job leaves the previous dataset and map untouched.
#pragma once
#include <atomic>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "io/csv_reader.hpp"
#include "io/dataset.hpp"
#include "pipeline/data_setup.hpp"
#include "pipeline/pipeline_job.hpp"
#include "pipeline/recipe.hpp"
#include "pipeline/session.hpp"
#include "pipeline/share_state.hpp"

namespace recluster::web {

enum class JobKind { Load, Run, Analysis, Hierarchy, Replay, SessionLoad, Assign };

struct JobReport {
    enum class State { Running, Done, Failed } state = State::Running;
    std::string error;        // readable message when Failed
    std::string result_json;  // when Done: {rows, columns} for Load; {rows, clusters, timings_ms} for Run
};

class Engine {
public:
    Engine();
    ~Engine();

    // Starts parsing CSV text; on success the dataset replaces the current one and a default run follows
    // (unless `auto_run` is false). Any job in flight is cancelled. Returns the job id.
    // `setup` chooses the reader's options and the column roles (defaults: sniffed and detected; a link waiting
    // for its data brings its own). A file with no column usable as a feature fails like a bad file (the exploration
    // on screen stays) unless auto_run is false.
    int load_csv_text(std::string text, std::string name, bool auto_run = true, DataSetup setup = {});
    // A load that stopped at a row with the wrong number of fields can be retried skipping such rows, and a file
    // without a feature can be opened anyway to choose column roles (the text is kept until the next load).
    // Streams a file too large to pass as one string (the page reads it in slices): load_stream() starts the job,
    // then the page asks stream_wanted() for the offset of the next slice (-2: not now, the buffer is full or a
    // pass is settling; -1: no more, the job is done, failed or cancelled) and hands it to stream_feed().
    int load_stream(std::string name, double total_bytes, DataSetup setup = {}, bool auto_run = true);
    double stream_wanted();
    void stream_feed(const std::string& bytes, double offset);
    // Loads are refused when their memory estimate (pipeline/memory_estimate) exceeds this; 0 = the browser's
    // limit less what is in use (the default), a value for tests.
    void set_memory_limit(double bytes) { memory_limit_ = bytes; }
    double memory_limit() const;
    // A load refused by the memory limit can be retried with the suggested sample of rows.
    bool can_load_sample() const { return retry_kind_ == RetryKind::Sample && retry_sample_ > 0 && (retry_text_ || retry_stream_); }
    std::size_t suggested_sample() const { return retry_sample_; }
    int load_sample();
    bool can_skip_bad_rows() const { return (retry_text_ || retry_stream_) && retry_kind_ == RetryKind::BadRows; }
    bool can_open_without_features() const { return (retry_text_ || retry_stream_) && retry_kind_ == RetryKind::NoFeatures; }
    int retry_skipping_bad_rows();
    int open_without_features();
    // Reads the current file again with another setup (JSON as pipeline/data_setup: reader options and column
    // roles); a job like a load: the exploration restarts on the new columns when it succeeds, and stays when it
    // fails. The setup the current data was read with:
    int set_data_setup(const std::string& setup_json);
    // A job that has already failed with `message` (for glue that refuses a request before it starts).
    int rejected_job(const std::string& message) { return failed_job(message); }
    const DataSetup& data_setup() const { return setup_; }
    // Starts the pipeline with a recipe given as JSON ("" = defaults). Returns the job id; a bad recipe or
    // missing dataset makes a job that has already failed, with the reason.
    int run(const std::string& recipe_json);
    void cancel();
    // Re-labels the current result from its kept HDBSCAN tree with recipe keys merged into the current recipe
    // (JSON object: min_cluster_size, cluster_selection, cluster_selection_epsilon, allow_single_cluster,
    // max_cluster_size): instant, no new embedding or tree. Returns the clustering as JSON, or
    // an error message (prefixed "error: ") when a key needs a full run or nothing can be re-labelled.
    std::string relabel(const std::string& changes_json);

    // Drill-down (a Session of nodes; dataset(), output() and recipe() are the current node's). drill() zooms
    // into a cluster of the current view: instant when that node was computed before, else a run of the
    // pipeline on the cluster's original rows with the current recipe (recipe_json keys override it).
    // drill_selection() does the same for rows of the current view given as a JSON array of indices into it.
    // Both return a job id like run(). up() / go_to() switch to a computed node at once (false if impossible).
    int drill(int cluster, const std::string& recipe_json);
    int drill_selection(const std::string& rows_json, const std::string& recipe_json);
    bool up();
    bool go_to(int node);
    const Session* session() const { return session_.get(); }
    // [{id, label, rows}] from the root to the current node; the node tree (Session::hierarchy_json).
    std::string breadcrumbs_json() const;
    std::string hierarchy_json() const;
    // Share links (pipeline/share_state): the exploration's state as JSON ("" before the top view is computed),
    // and opening a state on the loaded data: a job that recomputes every view it lists on a fresh session (the
    // current exploration stays until it succeeds) and shows the link's view; it fails readably for other data,
    // a damaged state or a view that does not exist.
    std::string share_state_json() const;
    int open_share_state(const std::string& state_json);
    // A link whose data is not loaded yet: its state waits (pending_share()) for the next file loaded. When that
    // file's fingerprint matches, the link's exploration is recomputed instead of the default run; otherwise the
    // file is shown with the message that it is not the link's data. Returns "" or why the state is refused.
    std::string set_pending_share(const std::string& state_json);
    const ShareState* pending_share() const { return pending_share_ ? pending_share_.get() : nullptr; }
    void clear_pending_share() { pending_share_.reset(); }
    // The app's look (camera, colouring, highlight) written into share states and session files.
    void set_share_view_provider(std::function<void(ShareState&)> fn) { share_view_ = std::move(fn); }
    // The look the app should take after a link or a session file opened (camera, colouring, highlighted cluster);
    // the serial changes with every request.
    const ShareState& view_request() const { return view_request_; }
    unsigned view_request_serial() const { return view_request_serial_; }
    // Session files (pipeline/session_file.hpp): the whole exploration with its results and its data's bytes, and
    // opening one: a job that checks the file, parses its CSV and restores every view without recomputing (the
    // exploration on screen stays when it fails).
    Result<std::string> save_session() const;
    int load_session(std::string bytes);
    // The bytes the loaded data was parsed from (null for files above kKeepTextBytes): session files and links
    // with the data inside need them.
    const std::shared_ptr<const std::string>& data_text() const { return data_text_; }
    static constexpr std::size_t kKeepTextBytes = std::size_t{256} << 20;
    // "Build hierarchy" below the current node ({"depth": D, "min_fraction": F}); a job like run().
    int build_hierarchy(const std::string& options_json);

    // Analyses of the current result, run as a second, lighter job slot beside load/run (a new load or run
    // cancels them; their results are kept only if the clustering they describe is still current):
    //   metrics({"truth_column": NAME?})  validity in the clustered space, agreement with a column
    //   sweep({"method": "kmeans"|"gmm", "k_min", "k_max", "covariance"})  k-means / mixture for each k
    //   k_distance({"k": K})  sorted distance to the K-th neighbour in the clustered space (DBSCAN's eps plot)
    // Each returns a job id (already failed, with the reason, when it cannot start).
    //   stability({"seeds", "bootstraps"})  reruns of the view's pipeline, per-cluster Jaccard
    //   explain({"cluster": C?, "rounds"?, "depth"?})  one-vs-rest boosted models + TreeSHAP per cluster (all
    //       clusters without "cluster"); kept in the view's session node; answers at once when done before
    int analyze(const std::string& kind, const std::string& options_json);
    // The current view's cluster explanations as JSON (all, or one cluster), and the SHAP contributions of one
    // row for its cluster's model ("null" when that cluster is not explained yet).
    std::string explanations_json(int cluster = -1) const;
    std::string row_explanation_json(std::size_t row, int top = 12) const;
    // Assigns the rows of a CSV text (the same feature columns) to cluster paths with the explained views' models,
    // top-down from the top view, and places each on the current view's map at the mean position of its 10 nearest
    // rows (z-scored features, among up to 5,000 rows of the view). Returns {rows, path: [...], confidence: [...],
    // x: [...], y: [...]} or "error: ..." (nothing explained, a missing column, bad CSV). The points are kept for
    // drawing (predicted_points()) until the view or its result changes.
    std::string predict_csv(const std::string& text);
    // Assigns every row of a file of any size to cluster paths (pipeline/row_assignment): a job in the analysis slot
    // (the map stays usable) that streams the file like load_stream (stream_wanted / stream_feed) and produces CSV
    // text row,path,confidence,probability, taken in pieces by assign_take() (the page collects them into a download;
    // the rest after the job is done). The job's result is {name, rows, paths: [{path, rows}], elapsed_ms}. Fails
    // at once when the top view is not explained. can_assign(): every cluster of the top view has its model.
    int assign_stream(std::string name, double total_bytes);
    std::string assign_take();
    bool can_assign() const;
    bool assigning() const;
    void cancel_analysis() { cancel_slot(analysis_); }
    // The last finished assignment's result (null when none).
    const nlohmann::json& last_assignment() const { return last_assignment_; }
    // Whether the data on screen is a sample of its file (the sample's size), so the other rows need assigning.
    std::size_t sampled_rows() const { return setup_.sample_rows; }
    // Every original row with its columns, hierarchical path and the deepest view's probability, outlier score,
    // map position and cluster stability (pipeline/export_labels.hpp); "" without data.
    std::string export_labels_csv() const;
    // Each cluster of the current view with the most distinctive words of a text column (explain/top_terms; the
    // first column with the role 'text' when `column` is empty). {"error": ...} when there is no such column or
    // no clustering.
    std::string top_terms_json(const std::string& column, int top = 10) const;
    // The HTML report of the exploration (report/html_report.hpp); options JSON {title, note, image_width,
    // image_height}; "" without a computed view, "error: ..." for bad options.
    std::string report_html(const std::string& options_json) const;
    struct PredictedPoint {
        float x = 0, y = 0;
        std::string path;
        double confidence = 0;
    };
    const std::vector<PredictedPoint>& predicted_points() const;
    void clear_predictions() { predicted_.clear(); }
    bool analysing() const { return analysis_ != nullptr; }
    std::string analysis_stage() const;
    double analysis_progress() const;
    // Latest finished result of an analysis kind for the current clustering, parsed once when it arrived
    // (nullptr when none or stale).
    const nlohmann::json* analysis_result(const std::string& kind) const;

    // Advances work: steps the job for about budget_ms (single-threaded build; 0 = no work) and commits
    // finished jobs.
    void tick(double budget_ms);

    // Job status for the JS API; unknown ids report Failed.
    JobReport report(int job_id) const;
    bool busy() const { return job_ != nullptr; }
    double progress() const;
    std::string stage() const;  // "reading CSV", "PCA", ...
    const char* busy_label() const;

    // While a run's UMAP layout evolves: copies the newest layout (x0,y0,x1,y1,...) into `out` if it is newer
    // than `seen_version` (updated). For live animation of the map.
    bool take_preview(std::vector<float>& out, unsigned& seen_version) const;

    const std::shared_ptr<const Dataset>& dataset() const { return dataset_; }
    const PipelineOutput* output() const { return output_ ? output_.get() : nullptr; }
    const Recipe& recipe() const { return recipe_; }
    // The automatic values a run of the current view fills in (zoomed-in views differ from the top).
    Recipe view_defaults() const { return session_ ? session_->view_defaults(session_->current(), Recipe{}) : Recipe{}; }
    // Bumped whenever dataset or output changes, so views know when to re-upload buffers.
    unsigned generation() const { return generation_; }
    // Last failure message (for the UI's error banner); cleared by clear_error().
    const std::string& last_error() const { return last_error_; }
    void clear_error() { last_error_.clear(); }
    void report_error(std::string message) { last_error_ = std::move(message); }
    int threads() const { return threads_; }
    // False in the single-threaded build (pages served without cross-origin isolation): always 1 thread.
    static bool threaded_build();
    // Threads for the jobs started from now on: 0 = the browser's (navigator.hardwareConcurrency), else 1 to 4.
    // Results do not depend on it (every stage is bit-identical for any thread count); only speed does.
    void set_threads(int n);
    // The view on screen as run() reports it (timings of its stages, memory), "null" before any.
    std::string current_result_json() const;

    // The app registers a provider of its view state (camera, colouring) so state() can include it.
    void set_view_state_provider(std::function<std::string()> fn) { view_state_ = std::move(fn); }
    // ... and a handler of map options from JS (setMapOptions): JSON in, an error message or "" out.
    void set_map_options_handler(std::function<std::string(const std::string&)> fn) { map_options_ = std::move(fn); }
    std::string set_map_options(const std::string& json) {
        return map_options_ ? map_options_(json) : std::string("There is no map here (the app's page draws it).");
    }
    std::string state_json() const;

private:
    struct Job;
    int start(std::unique_ptr<Job> job, std::unique_ptr<Job>& slot);
    void advance(std::unique_ptr<Job>& slot, double budget_ms);
    void cancel_slot(std::unique_ptr<Job>& slot);
    int failed_job(const std::string& message);
    void commit(Job& job);
    void finish_report(int id, JobReport report);
    // Points dataset_ / output_ / recipe_ at the session's current node.
    void sync_current();
    int start_node_run(int node, const Recipe& recipe);
    int retry_load(DataSetup setup, bool auto_run);
    // A load job with the engine's setup rules applied (a pending link's setup; the last refusal forgotten).
    std::unique_ptr<Job> new_load_job(const std::string& name, bool auto_run, DataSetup& setup);
    int start_child_run(int child, const std::string& recipe_json);
    int start_replay(ShareState state);
    void request_view(const ShareState& state);
    std::string node_result_json(int node, double elapsed_ms) const;

    std::unique_ptr<Session> session_;
    unsigned session_serial_ = 0;  // bumped by every load: jobs of an older session are void
    std::shared_ptr<const Dataset> dataset_;       // the current node's rows
    std::shared_ptr<const PipelineOutput> output_; // the current node's result
    Recipe recipe_;
    std::unique_ptr<Job> job_;
    std::unique_ptr<Job> analysis_;
    std::map<std::string, nlohmann::json> analysis_results_;  // kind -> result, for analysis_generation_
    unsigned analysis_generation_ = 0;
    std::vector<std::unique_ptr<Job>> retiring_;  // cancelled jobs whose threads have not stopped yet
    std::map<int, JobReport> reports_;
    int next_id_ = 1;
    unsigned generation_ = 0;
    std::string last_error_;
    int threads_ = 1;
    std::function<std::string()> view_state_;
    std::function<std::string(const std::string&)> map_options_;
    std::function<void(ShareState&)> share_view_;
    std::unique_ptr<ShareState> pending_share_;
    ShareState view_request_;
    unsigned view_request_serial_ = 0;
    std::shared_ptr<const std::string> data_text_;
    enum class RetryKind { BadRows, NoFeatures, Sample };
    std::size_t retry_sample_ = 0;
    bool retry_stream_ = false;        // the refused load was a stream: the page streams the file again
    double retry_total_ = 0;
    double memory_limit_ = 0;
    std::shared_ptr<std::string> retry_text_;  // the last load's text when it stopped at a bad row / had no feature
    std::string retry_name_;
    DataSetup retry_setup_;
    RetryKind retry_kind_ = RetryKind::BadRows;
    DataSetup setup_;  // the current data's
    std::string predict_csv_unchecked(const std::string& text);
    struct AssignOutput;
    std::shared_ptr<AssignOutput> assign_output_;
    nlohmann::json last_assignment_;
    Job* streaming_job() const;
    std::vector<PredictedPoint> predicted_;
    unsigned predicted_generation_ = ~0u;
};

// The process-wide engine used by the Embind API and the app.
Engine& engine();

}  // namespace recluster::web
