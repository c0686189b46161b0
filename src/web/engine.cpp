#include "engine.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <nlohmann/json.hpp>
#include <mutex>
#include <thread>
#ifdef __EMSCRIPTEN__
#include <malloc.h>
#include <emscripten/heap.h>
#endif

#include "cluster/dbscan.hpp"
#include "cluster/sweep.hpp"
#include "common/parallel_for.hpp"
#include "io/csv_reader.hpp"
#include "metrics/report.hpp"
#include "pipeline/hierarchy.hpp"
#include "explain/path_predictor.hpp"
#include "explain/top_terms.hpp"
#include "pipeline/export_labels.hpp"
#include "pipeline/session_file.hpp"
#include "report/html_report.hpp"
#include "pipeline/share_replay.hpp"
#include "pipeline/row_assignment.hpp"
#include "pipeline/stability.hpp"
#include "common/json_text.hpp"

#if defined(__EMSCRIPTEN__) && !defined(__EMSCRIPTEN_PTHREADS__)
#define RECLUSTER_SLICED 1  // single-threaded build: jobs advance in tick()
#endif

namespace recluster::web {

using Clock = std::chrono::steady_clock;

// Assign: the CSV text produced and not yet taken by the page (shared with the engine, which keeps it after the job).
struct Engine::AssignOutput {
    std::mutex mutex;
    std::string text;
};

// One background job: either a CSV parse or a pipeline run. step() is called from exactly one thread
// (the worker, or the main thread in the sliced build); `finished` publishes completion to the main thread.
struct Engine::Job {
    int id = 0;
    JobKind kind = JobKind::Load;
    bool auto_run = true;
    std::atomic<bool> finished{false};
    std::atomic<bool> cancelled{false};
    std::atomic<double> progress{0.0};
    std::string error;
    Clock::time_point started = Clock::now();
    double elapsed_ms = 0;

    std::unique_ptr<DataLoadJob> loader;   // Load / SessionLoad: parse + column roles
    std::shared_ptr<Dataset> loaded;  // Load result
    std::shared_ptr<const Dataset> input;  // Run input
    Recipe recipe;
    std::unique_ptr<PipelineJob> pipeline;
    std::unique_ptr<ResumableJob> analysis;  // Analysis jobs
    int node = 0;                            // Run: the session node it computes
    unsigned session_serial = 0;
    std::unique_ptr<Session> session_copy;   // Hierarchy: grows on a copy, swapped in on commit
    std::unique_ptr<HierarchyJob> hierarchy;
    std::unique_ptr<ShareReplayJob> replay;  // Replay: grows session_copy
    ShareState view;                         // Replay: the link's look, applied when it succeeds
    std::string session_bytes;               // SessionLoad: the file, until decoded
    std::unique_ptr<SessionFile> session_file;
    std::shared_ptr<const std::string> text; // Load / SessionLoad: the parsed bytes, when small enough to keep
    DataSetup setup;                         // Load / SessionLoad: how the data is read, and the file's name
    std::string name;
    bool require_features = true;            // Load: fail when no column can be a feature
    int threads = 1;                         // Load / SessionLoad: for the column roles' LSA
    // Load refused in a way the user can retry: stopped at a row of the wrong length, no feature column, or over the
    // memory estimate (with the sample of rows that fits); the text is kept for the retry (a stream is read again).
    bool retryable = false;
    bool failed_on_features = false;
    std::size_t suggested_sample = 0;
    std::shared_ptr<std::string> failed_text;
    std::unique_ptr<RowAssignmentJob> assigner;          // Assign: the file's rows through the models
    std::shared_ptr<Engine::AssignOutput> assign_out;   // Assign: CSV text waiting for the page
    // Load of a stream: slices handed over by the page (stream_feed) wait in `inbox` until the worker feeds them.
    bool stream = false;
    std::uint64_t total = 0;
    std::mutex stream_mutex;
    std::string inbox;
    std::uint64_t inbox_start = 0, next_offset = 0;
    std::atomic<bool> idle{false};             // waiting for bytes: nothing to do until the page sends some
    std::string analysis_kind;
    std::string result;                      // Analysis result JSON
    unsigned generation = 0;                 // engine generation the analysis describes
    std::thread thread;
    // Live layout while UMAP runs: copied by the stepping thread at most every 40 ms, read by the main thread.
    std::mutex preview_mutex;
    std::vector<float> preview;
    std::atomic<unsigned> preview_version{0};
    Clock::time_point last_preview{};

    void publish_preview() {
        const Matrix* live = pipeline->live_embedding();
        if (!live) return;
        auto now = Clock::now();
        if (preview_version.load() && std::chrono::duration<double, std::milli>(now - last_preview).count() < 40) return;
        last_preview = now;
        std::lock_guard<std::mutex> lock(preview_mutex);
        preview = live->data;
        preview_version.fetch_add(1);
    }

    // A stream's bytes from the page go to its reader only when the reader has parsed what it had (the inbox is the
    // one buffer that may fill; the reader's window stays small). A reader going back for a new pass starts the
    // inbox again from where it wants.
    template <class Reader>
    void drain_inbox(Reader& reader) {
        std::lock_guard<std::mutex> lock(stream_mutex);
        const std::uint64_t want = reader.wanted_offset();
        if (want != inbox_start) {
            inbox.clear();
            inbox_start = next_offset = want;
        }
        if (!inbox.empty() && reader.waiting()) {
            reader.feed(inbox.data(), inbox.size(), inbox_start);
            inbox_start += inbox.size();
            inbox.clear();
        }
    }

    // Assign: bytes from the page in, one batch of rows through the models, its CSV text out (the job idles while 16 MB of text wait for
    // the page).
    bool step_assign() {
        drain_inbox(*assigner);
        {
            std::lock_guard<std::mutex> lock(assign_out->mutex);
            if (assign_out->text.size() >= (std::size_t{16} << 20)) {
                idle.store(true);
                return true;
            }
        }
        const bool more = assigner->step();
        std::string piece = assigner->take_output();
        if (!piece.empty()) {
            std::lock_guard<std::mutex> lock(assign_out->mutex);
            assign_out->text += piece;
        }
        idle.store(more && (assigner->waiting() || assigner->output_full()));
        progress.store(assigner->progress());
        if (!more) {
            if (!assigner->error().empty()) error = "Assigning the rows of " + name + ": " + assigner->error();
            else result = assigner->summary_json();
        }
        return more;
    }

    // One bounded unit of work; false when nothing is left.
    bool step() {
        if (cancelled.load()) {
            error = "Cancelled.";
            return false;
        }
        try {
            if (kind == JobKind::Analysis) {
                const bool more = analysis->step();
                progress.store(analysis->progress());
                if (!more) {
                    error = analysis->error();
                    if (error.empty()) result = analysis->result_json();
                }
                return more;
            }
            if (kind == JobKind::Assign) return step_assign();
            if (kind == JobKind::Replay) {
                const bool more = replay->step(4096);
                progress.store(replay->progress());
                if (!more && replay->failed()) error = replay->error();
                return more;
            }
            if (kind == JobKind::Hierarchy) {
                const bool more = hierarchy->step(4096);
                progress.store(hierarchy->progress());
                if (!more && hierarchy->failed()) error = hierarchy->error();
                return more;
            }
            if (kind == JobKind::SessionLoad && !session_file) {
                auto f = decode_session_file(session_bytes);
                std::string().swap(session_bytes);
                if (!f) {
                    error = f.error();
                    return false;
                }
                session_file = std::make_unique<SessionFile>(std::move(*f));
                auto saved_setup = parse_data_setup(session_file->data_setup);
                if (!saved_setup) {
                    error = "The session file's data setup is bad: " + saved_setup.error();
                    return false;
                }
                setup = *saved_setup;
                loader = std::make_unique<DataLoadJob>(std::move(session_file->data_text), session_file->data_name, setup, threads,
                                                       session_file->data_text.size() <= Engine::kKeepTextBytes);
                return true;
            }
            if (kind == JobKind::Load || kind == JobKind::SessionLoad) {
                if (stream) drain_inbox(*loader);
                bool more = loader->step();
                idle.store(more && loader->waiting());
                progress.store(loader->progress());
                if (!more) {
                    auto r = loader->finish();
                    if (r.ok() && kind == JobKind::Load && require_features && r->feature_columns().empty()) {
                        std::string cols;
                        for (std::size_t c = 0; c < r->original_columns() && c < 6; ++c)
                            (((cols += cols.empty() ? "" : ", ") += r->columns[c].name) += ": ") += column_role_name(r->columns[c].role);
                        if (r->original_columns() > 6) cols += ", ...";
                        error = name + " has no column to use as a feature (" + cols +
                                "). Open it anyway to choose what its columns are (a text column can be embedded by its "
                                "words, a category one-hot encoded).";
                        failed_on_features = true;
                    } else if (r.ok()) {
                        loaded = std::make_shared<Dataset>(std::move(*r));
                    } else {
                        error = kind == JobKind::Load ? r.error() : std::string("The session's data could not be read: ") += r.error();
                    }
                    suggested_sample = loader->suggested_sample();
                    std::string bytes = loader->take_text();
                    if (error.empty() && !stream && bytes.size() <= Engine::kKeepTextBytes) text = std::make_shared<const std::string>(std::move(bytes));
                    retryable = kind == JobKind::Load && (failed_on_features || suggested_sample > 0 || (!r.ok() && loader->failed_on_bad_row()));
                    if (retryable && !stream) failed_text = std::make_shared<std::string>(std::move(bytes));
                    loader.reset();
                    if (error.empty() && kind == JobKind::SessionLoad) {
                        auto s = restore_session(loaded, *session_file);
                        if (s.ok()) session_copy = std::move(*s);
                        else error = s.error();
                        session_file->nodes.clear();
                    }
                }
                return more;
            }
            bool more = pipeline->step(4096);
            progress.store(pipeline->progress());
            if (more) publish_preview();
            if (!more && pipeline->failed()) error = pipeline->error();
            return more;
        } catch (const std::bad_alloc&) {
            error = "Out of memory: the data is too large for this browser tab.";
        } catch (const std::exception& e) {
            error = std::string("Internal error: ") + e.what();
        } catch (...) {
            // The threaded WASM build reaches here for every C++ exception (typed catch does not work there).
            error = "The computation failed: most likely this browser tab ran out of memory.";
        }
        return false;
    }
};

namespace {

// An analysis done in one step (the k-distance curve).
class OneShotJob : public ResumableJob {
public:
    OneShotJob(const char* name, std::function<std::string()> fn) : name_(name), fn_(std::move(fn)) {}
    bool step() override {
        result_ = fn_();
        done_ = true;
        return false;
    }
    double progress() const override { return done_ ? 1.0 : 0.0; }
    const char* stage_name() const override { return name_; }
    std::string result_json() const override { return result_; }

private:
    const char* name_;
    std::function<std::string()> fn_;
    std::string result_;
    bool done_ = false;
};

// The sorted k-distance curve as at most ~400 (rank, distance) points for plotting, the knee, and k.
std::string k_distance_json(const Matrix& space, int k, int threads) {
    const std::vector<float> kd = k_distances(space, k, threads);
    nlohmann::json curve = nlohmann::json::array();
    const std::size_t n = kd.size(), stride = std::max<std::size_t>(1, n / 400);
    for (std::size_t i = 0; i < n; i += stride) curve.push_back({i, kd[i]});
    if (n && (n - 1) % stride) curve.push_back({n - 1, kd[n - 1]});
    return json_text(nlohmann::json{{"k", k}, {"knee", k_distance_knee(kd)}, {"rows", n}, {"curve", curve}});
}

}  // namespace

Engine::Engine() { set_threads(0); }

bool Engine::threaded_build() {
#ifdef RECLUSTER_SLICED
    return false;
#else
    return true;
#endif
}

void Engine::set_threads(int n) {
#ifdef RECLUSTER_SLICED
    (void)n;
    threads_ = 1;  // the single-threaded build has no workers
#else
    threads_ = std::clamp(n > 0 ? n : available_threads(), 1, 4);
#endif
    prepare_threads(threads_);
}

std::string Engine::current_result_json() const {
    if (!session_ || !session_->node(session_->current()).output) return "null";
    return node_result_json(session_->current(), 0);
}

Engine::~Engine() {
    cancel();
    for (auto& j : retiring_)
        if (j->thread.joinable()) j->thread.join();
}

Engine& engine() {
    static Engine instance;
    return instance;
}

int Engine::start(std::unique_ptr<Job> job, std::unique_ptr<Job>& slot) {
    job->id = next_id_++;
    int id = job->id;
    reports_[id] = JobReport{};
    slot = std::move(job);
#ifndef RECLUSTER_SLICED
    Job* raw = slot.get();
    raw->thread = std::thread([raw] {
        while (raw->step())
            if (raw->idle.load()) std::this_thread::sleep_for(std::chrono::milliseconds(2));  // a stream waits for bytes
        raw->finished.store(true);
    });
#endif
    return id;
}

std::unique_ptr<Engine::Job> Engine::new_load_job(const std::string& name, bool auto_run, DataSetup& setup) {
    // A link waiting for its data reads it the way the link's author did.
    if (pending_share_ && setup.is_default()) setup = pending_share_->setup;
    auto job = std::make_unique<Job>();
    job->kind = JobKind::Load;
    job->auto_run = auto_run;
    job->require_features = auto_run;
    job->setup = setup;
    job->name = name;
    job->threads = threads_;
    retry_text_.reset();
    retry_stream_ = false;
    return job;
}

int Engine::load_csv_text(std::string text, std::string name, bool auto_run, DataSetup setup) {
    auto job = new_load_job(name, auto_run, setup);
    // Share links with data and session files need the bytes.
    const bool keep = text.size() <= kKeepTextBytes;
    job->loader = std::make_unique<DataLoadJob>(std::move(text), std::move(name), std::move(setup), threads_, keep);
    job->loader->set_memory_limit(memory_limit());
    cancel();
    return start(std::move(job), job_);
}

int Engine::load_stream(std::string name, double total_bytes, DataSetup setup, bool auto_run) {
    if (!(total_bytes > 0) || total_bytes > 1e15) return failed_job("The file is empty: a CSV needs a header row and at least one data row.");
    auto job = new_load_job(name, auto_run, setup);
    job->stream = true;
    job->total = static_cast<std::uint64_t>(total_bytes);
    job->loader = std::make_unique<DataLoadJob>(std::move(name), job->total, std::move(setup), threads_);
    job->loader->set_memory_limit(memory_limit());
    cancel();
    return start(std::move(job), job_);
}

Engine::Job* Engine::streaming_job() const {
    if (job_ && job_->kind == JobKind::Load && job_->stream) return job_.get();
    if (analysis_ && analysis_->kind == JobKind::Assign) return analysis_.get();
    return nullptr;
}

double Engine::stream_wanted() {
    Job* job = streaming_job();
    if (!job || job->finished.load() || job->cancelled.load()) return -1;
    std::lock_guard<std::mutex> lock(job->stream_mutex);
    if (job->inbox.size() >= (std::size_t{16} << 20) || job->next_offset >= job->total) return -2;
    return static_cast<double>(job->next_offset);
}

void Engine::stream_feed(const std::string& bytes, double offset) {
    Job* job = streaming_job();
    if (!job) return;
    std::lock_guard<std::mutex> lock(job->stream_mutex);
    if (static_cast<std::uint64_t>(offset) != job->next_offset) return;  // a slice of a pass that has ended
    job->inbox += bytes;
    job->next_offset += bytes.size();
}

double Engine::memory_limit() const {
    if (memory_limit_ > 0) return memory_limit_;
#ifdef __EMSCRIPTEN__
    // The tab's 2 GB (the build's maximum) less what is in use: the exploration on screen stays while a file loads.
    const struct mallinfo info = mallinfo();
    return std::max(64e6, 2147483648.0 - static_cast<double>(info.uordblks));
#else
    return 0;
#endif
}

int Engine::retry_load(DataSetup setup, bool auto_run) {
    if (retry_stream_) {
        retry_stream_ = false;
        return load_stream(retry_name_, retry_total_, std::move(setup), auto_run);
    }
    std::string text = std::move(*retry_text_);
    return load_csv_text(std::move(text), retry_name_, auto_run, std::move(setup));
}

int Engine::load_sample() {
    if (!can_load_sample()) return failed_job("There is no refused file to sample.");
    DataSetup setup = retry_setup_;
    setup.sample_rows = retry_sample_;
    return retry_load(std::move(setup), true);
}

int Engine::set_data_setup(const std::string& setup_json) {
    if (busy()) return failed_job("A job is running; change the columns when it has finished.");
    auto setup = parse_data_setup(setup_json);
    if (!setup) return failed_job(setup.error());
    if (!session_) return failed_job("No data loaded: load a CSV file first.");
    if (!data_text_) return failed_job("This file is too large to be read again (over 256 MB): load it again with the new settings.");
    return load_csv_text(*data_text_, session_->dataset()->name, true, std::move(*setup));
}

int Engine::run(const std::string& recipe_json) {
    auto recipe = recipe_from_json(recipe_json);
    if (!recipe) return failed_job(recipe.error());
    if (!session_) return failed_job("No data loaded: load a CSV file first.");
    return start_node_run(session_->current(), session_->view_defaults(session_->current(), *recipe));
}

int Engine::start_node_run(int node, const Recipe& recipe) {
    const SessionNode& n = session_->node(node);
    auto cols = resolve_feature_columns(*n.data, recipe);
    if (!cols) return failed_job(cols.error());
    auto job = std::make_unique<Job>();
    job->kind = JobKind::Run;
    job->input = n.data;
    job->recipe = recipe;
    job->node = node;
    job->session_serial = session_serial_;
    // A change of clustering only re-clusters the node's map instead of recomputing it.
    if (n.output && can_reuse_embedding(n.recipe, *n.output, recipe))
        job->pipeline = std::make_unique<PipelineJob>(*n.data, recipe, *n.output, threads_);
    else
        job->pipeline = std::make_unique<PipelineJob>(*n.data, recipe, threads_);
    cancel();
    return start(std::move(job), job_);
}

int Engine::drill(int cluster, const std::string& recipe_json) {
    if (busy()) return failed_job("A job is running; zoom in when it has finished.");
    if (!session_) return failed_job("No data loaded: load a CSV file first.");
    auto child = session_->child_for_cluster(session_->current(), cluster);
    if (!child) return failed_job(child.error());
    if (session_->node(*child).output && recipe_json.empty()) {  // cached: instant
        session_->go_to(*child);
        sync_current();
        const int id = next_id_++;
        finish_report(id, JobReport{JobReport::State::Done, "", node_result_json(*child, 0)});
        return id;
    }
    return start_child_run(*child, recipe_json);
}

int Engine::drill_selection(const std::string& rows_json, const std::string& recipe_json) {
    if (busy()) return failed_job("A job is running; zoom in when it has finished.");
    if (!session_ || !output_) return failed_job("Nothing to select from yet: load data and run first.");
    auto rows = nlohmann::json::parse(rows_json, nullptr, false);
    if (rows.is_discarded() || !rows.is_array()) return failed_job("drillSelection: rows must be an array of row indices.");
    std::vector<std::size_t> picked;
    for (const auto& r : rows) {
        if (!r.is_number_integer() || r.get<long long>() < 0) return failed_job("drillSelection: rows must be non-negative integers.");
        picked.push_back(r.get<std::size_t>());
    }
    auto child = session_->child_for_selection(session_->current(), picked);
    if (!child) return failed_job(child.error());
    return start_child_run(*child, recipe_json);
}

int Engine::start_child_run(int child, const std::string& recipe_json) {
    // The child starts from its parent's recipe; keys in recipe_json override it.
    nlohmann::json merged = nlohmann::json::parse(session_->default_recipe(child).to_json());
    if (!recipe_json.empty()) {
        auto extra = nlohmann::json::parse(recipe_json, nullptr, false);
        if (extra.is_discarded() || !extra.is_object()) return failed_job("The recipe must be a JSON object.");
        merged.update(extra);
    }
    auto recipe = recipe_from_json(json_text(merged));
    if (!recipe) return failed_job(recipe.error());
    return start_node_run(child, *recipe);
}

bool Engine::go_to(int node) {
    if (busy() || !session_ || !session_->go_to(node)) return false;
    sync_current();
    return true;
}

bool Engine::up() { return session_ && go_to(session_->node(session_->current()).parent); }

std::string Engine::breadcrumbs_json() const {
    nlohmann::json out = nlohmann::json::array();
    if (session_)
        for (int id : session_->breadcrumbs()) {
            const SessionNode& n = session_->node(id);
            out.push_back({{"id", id}, {"label", n.label}, {"rows", n.rows.size()}});
        }
    return json_text(out);
}

std::string Engine::hierarchy_json() const { return session_ ? session_->hierarchy_json() : "null"; }

int Engine::build_hierarchy(const std::string& options_json) {
    if (busy()) return failed_job("A job is running; build the hierarchy when it has finished.");
    if (!session_ || !output_) return failed_job("Nothing to build from yet: load data and run first.");
    auto o = options_json.empty() ? nlohmann::json::object() : nlohmann::json::parse(options_json, nullptr, false);
    if (o.is_null()) o = nlohmann::json::object();
    if (o.is_discarded() || !o.is_object()) return failed_job("buildHierarchy: options must be a JSON object.");
    HierarchyOptions ho;
    ho.n_threads = threads_;
    if (o.contains("depth")) {
        if (!o["depth"].is_number_integer() || o["depth"].get<int>() < 1 || o["depth"].get<int>() > 10)
            return failed_job("buildHierarchy: depth must be an integer from 1 to 10.");
        ho.max_depth = session_->node(session_->current()).depth + o["depth"].get<int>();
    } else {
        ho.max_depth = session_->node(session_->current()).depth + 2;
    }
    if (o.contains("min_fraction")) {
        if (!o["min_fraction"].is_number() || !(o["min_fraction"].get<double>() >= 0 && o["min_fraction"].get<double>() < 1))
            return failed_job("buildHierarchy: min_fraction must be a number in [0, 1).");
        ho.min_fraction = o["min_fraction"].get<double>();
    }
    auto job = std::make_unique<Job>();
    job->kind = JobKind::Hierarchy;
    job->session_serial = session_serial_;
    job->session_copy = std::make_unique<Session>(*session_);  // the worker grows its own copy
    job->hierarchy = std::make_unique<HierarchyJob>(*job->session_copy, session_->current(), ho);
    if (job->hierarchy->failed()) return failed_job(job->hierarchy->error());
    cancel();
    return start(std::move(job), job_);
}

std::string Engine::report_html(const std::string& options_json) const {
    if (!session_ || !session_->node(session_->root()).output) return "";
    const nlohmann::json o = options_json.empty() ? nlohmann::json::object() : nlohmann::json::parse(options_json, nullptr, false);
    if (o.is_discarded() || !o.is_object()) return "error: report options must be a JSON object.";
    ReportOptions ro;
    for (const auto& [key, out] : {std::pair{"title", &ro.title}, std::pair{"note", &ro.note}})
        if (o.contains(key)) {
            if (!o[key].is_string()) return std::string("error: report option '") + key + "' must be a text.";
            *out = o[key].get<std::string>();
        }
    for (const auto& [key, out] : {std::pair{"image_width", &ro.image_width}, std::pair{"image_height", &ro.image_height}})
        if (o.contains(key)) {
            if (!o[key].is_number_integer() || o[key].get<long long>() < 0 || o[key].get<long long>() > 4096)
                return std::string("error: report option '") + key + "' must be a whole number from 0 to 4096.";
            *out = static_cast<int>(o[key].get<long long>());
        }
    return html_report(*session_, ro);
}

std::string Engine::share_state_json() const {
    if (!session_ || !session_->node(session_->root()).output) return "";
    ShareState s = share_state_of(*session_);
    s.setup = setup_;
    if (share_view_) share_view_(s);
    return recluster::share_state_json(s);
}

int Engine::open_share_state(const std::string& state_json) {
    if (busy()) return failed_job("A job is running; open the link when it has finished.");
    if (!session_) return failed_job("Load the link's data first.");
    auto state = parse_share_state(state_json);
    if (!state) return failed_job(state.error());
    if (!(state->setup == setup_)) {
        // The link reads the data another way: read it again with the link's setup, then replay (pending link).
        if (!data_text_) return failed_job("This link reads the data with other settings, and the file is too large to be read again.");
        if (state->fingerprint != session_->dataset()->fingerprint)
            return failed_job("This link was made with another file" + (state->data_name.empty() ? std::string() : " (" + state->data_name + ")") + ".");
        pending_share_ = std::make_unique<ShareState>(std::move(*state));
        return load_csv_text(*data_text_, session_->dataset()->name, false, pending_share_->setup);
    }
    return start_replay(std::move(*state));
}

int Engine::start_replay(ShareState state) {
    auto job = std::make_unique<Job>();
    job->kind = JobKind::Replay;
    job->session_serial = session_serial_;
    job->view = state;
    job->view.views.clear();
    job->session_copy = std::make_unique<Session>(session_->dataset());  // a fresh exploration of the same data
    job->replay = std::make_unique<ShareReplayJob>(*job->session_copy, std::move(state), threads_);
    if (job->replay->failed()) return failed_job(job->replay->error());
    cancel();
    return start(std::move(job), job_);
}

int Engine::retry_skipping_bad_rows() {
    if (!can_skip_bad_rows()) return failed_job("There is no stopped load to retry.");
    DataSetup setup = retry_setup_;
    setup.skip_bad_rows = true;
    return retry_load(std::move(setup), true);
}

int Engine::open_without_features() {
    if (!can_open_without_features()) return failed_job("There is no refused file to open.");
    return retry_load(retry_setup_, false);
}

std::string Engine::set_pending_share(const std::string& state_json) {
    auto state = parse_share_state(state_json);
    if (!state) return state.error();
    pending_share_ = std::make_unique<ShareState>(std::move(*state));
    return "";
}

void Engine::request_view(const ShareState& state) {
    view_request_ = state;
    view_request_.views.clear();
    ++view_request_serial_;
}

Result<std::string> Engine::save_session() const {
    using R = Result<std::string>;
    if (!session_ || !session_->node(session_->root()).output) return R::failure("Nothing to save yet: load data and let the first map finish.");
    if (!data_text_) return R::failure("This data file is too large to be kept for a session file (over 256 MB).");
    ShareState view = share_state_of(*session_);
    if (share_view_) share_view_(view);
    return encode_session_file(*session_, *data_text_, recluster::share_state_json(view), data_setup_json(setup_));
}

int Engine::load_session(std::string bytes) {
    auto job = std::make_unique<Job>();
    job->kind = JobKind::SessionLoad;
    job->session_bytes = std::move(bytes);
    job->threads = threads_;
    cancel();
    return start(std::move(job), job_);
}

void Engine::sync_current() {
    if (!session_) {
        dataset_.reset();
        output_.reset();
        recipe_ = Recipe{};
    } else {
        const SessionNode& n = session_->node(session_->current());
        dataset_ = n.data;
        output_ = n.output;
        recipe_ = n.output ? n.recipe : session_->default_recipe(n.id);
    }
    ++generation_;
}

std::string Engine::node_result_json(int node, double elapsed_ms) const {
    const SessionNode& n = session_->node(node);
    nlohmann::json result;
    result["node"] = node;
    result["label"] = n.label;
    result["rows"] = n.rows.size();
    if (!n.output) return json_text(result);
    const PipelineOutput& out = *n.output;
    result["clusters"] = out.clustering.sizes.size();
    result["reused_embedding"] = out.reused_embedding;
    nlohmann::json timings;
    for (const auto& t : out.timings) timings[t.stage] = t.ms;
    if (elapsed_ms > 0) timings["total"] = elapsed_ms;  // 0: a view computed earlier
    result["timings_ms"] = timings;
    result["recipe"] = nlohmann::json::parse(n.recipe.to_json());
    if (!out.pca_solver.empty()) result["pca_solver"] = out.pca_solver;
    result["explained_variance_ratio"] = out.explained_variance_ratio;
    if (!out.umap.neighbor_method.empty()) result["umap"] = nlohmann::json::parse(umap_info_json(out.umap));
    result["clustering"] = nlohmann::json::parse(clustering_info_json(out.clustering));
#ifdef __EMSCRIPTEN__
    // Memory: the WASM heap's size (it only grows, so this is the peak so far) and what is allocated now.
    const struct mallinfo info = mallinfo();
    result["memory"] = {{"wasm_heap_bytes", static_cast<double>(emscripten_get_heap_size())},
                        {"allocated_bytes", static_cast<double>(info.uordblks)}};
#endif
    return json_text(result);
}

void Engine::cancel_slot(std::unique_ptr<Job>& slot) {
    if (!slot) return;
    slot->cancelled.store(true);
    if (slot->pipeline) slot->pipeline->cancel();
    if (slot->hierarchy) slot->hierarchy->cancel();
    finish_report(slot->id, JobReport{JobReport::State::Failed, "Cancelled.", ""});
    // Never block the browser's main thread on a join: the thread stops at its next step and is reaped in tick().
    if (slot->thread.joinable()) retiring_.push_back(std::move(slot));
    slot.reset();
}

void Engine::cancel() {
    cancel_slot(job_);
    cancel_slot(analysis_);
}

int Engine::failed_job(const std::string& message) {
    int id = next_id_++;
    finish_report(id, JobReport{JobReport::State::Failed, message, ""});
    return id;
}

int Engine::analyze(const std::string& kind, const std::string& options_json) {
    // Options are checked here, without exceptions: the threaded WASM build cannot catch typed exceptions
    // (Emscripten 3.1.6 with -pthread -fwasm-exceptions; see docs/toolchain-notes.md).
    if (busy()) return failed_job("A run is in progress; analyse its result when it has finished.");
    if (!output_ || !dataset_) return failed_job("Nothing to analyse yet: load data and run first.");
    nlohmann::json o = options_json.empty() ? nlohmann::json::object() : nlohmann::json::parse(options_json, nullptr, false);
    if (o.is_null()) o = nlohmann::json::object();
    if (o.is_discarded() || !o.is_object()) return failed_job(kind + ": options must be a JSON object.");
    auto int_option = [&](const char* key, int fallback, int& out) {
        if (!o.contains(key)) {
            out = fallback;
            return true;
        }
        if (!o[key].is_number_integer()) return false;
        out = o[key].get<int>();
        return true;
    };
    auto string_option = [&](const char* key, const std::string& fallback, std::string& out) {
        if (!o.contains(key)) {
            out = fallback;
            return true;
        }
        if (!o[key].is_string()) return false;
        out = o[key].get<std::string>();
        return true;
    };
    // The analysis owns copies of what it reads, so a later run cannot pull data from under it.
    auto space = output_->cluster_input ? output_->cluster_input : std::make_shared<const Matrix>(output_->embedding);
    const std::size_t n = space->rows;
    auto job = std::make_unique<Job>();
    job->kind = JobKind::Analysis;
    job->analysis_kind = kind;
    job->generation = generation_;
    job->session_serial = session_serial_;
    if (kind == "metrics") {
        MetricsInput in;
        in.space = space;
        in.labels = output_->labels;
        in.density = output_->clustering.method == "hdbscan" || output_->clustering.method == "dbscan";
        in.seed = recipe_.seed;
        in.n_threads = threads_;
        if (o.contains("truth_column") && !o["truth_column"].is_null()) {
            if (!o["truth_column"].is_string()) return failed_job("metrics: truth_column must be a column name.");
            const std::string name = o["truth_column"].get<std::string>();
            const std::size_t col = dataset_->column_index(name);
            if (col == dataset_->columns.size()) return failed_job("metrics: column '" + name + "' does not exist.");
            in.truth_column = name;
            in.truth = label_codes(*dataset_, col);
        }
        job->analysis = std::make_unique<MetricsJob>(std::move(in));
    } else if (kind == "sweep") {
        SweepOptions so;
        std::string cov;
        if (!string_option("method", recipe_.cluster == "gmm" ? "gmm" : "kmeans", so.method) ||
            !int_option("k_min", 2, so.k_min) || !int_option("k_max", std::min<int>(12, static_cast<int>(n)), so.k_max) ||
            !string_option("covariance", recipe_.gmm_covariance, cov))
            return failed_job("sweep: method and covariance are strings, k_min and k_max integers.");
        if (cov != "full" && cov != "diag") return failed_job("sweep: covariance must be \"full\" or \"diag\".");
        so.covariance = cov == "diag" ? Covariance::Diagonal : Covariance::Full;
        so.seed = recipe_.seed;
        so.n_threads = threads_;
        const std::string problem = so.check(space->rows, space->cols);
        if (!problem.empty()) return failed_job(problem);
        job->analysis = std::make_unique<ClusterSweep>(space, so);
    } else if (kind == "k_distance") {
        int k = 0;
        if (!int_option("k", std::max(1, (recipe_.min_samples > 0 ? recipe_.min_samples : 5) - 1), k))
            return failed_job("k_distance: k must be an integer.");
        if (k < 1 || static_cast<std::size_t>(k) >= n) return failed_job("k_distance: k must be from 1 to rows - 1.");
        if (space->cols > 4 && static_cast<double>(n) * static_cast<double>(n) * static_cast<double>(space->cols) > 4e10)
            return failed_job("k_distance: the clustered space is too large for exact neighbours; use the map.");
        const int threads = threads_;
        job->analysis = std::make_unique<OneShotJob>("k-distance", [space, k, threads] { return k_distance_json(*space, k, threads); });
    } else if (kind == "stability") {
        StabilityOptions so;
        if (!int_option("seeds", 3, so.seeds) || !int_option("bootstraps", 3, so.bootstraps) || so.seeds < 0 ||
            so.bootstraps < 0 || so.seeds > 20 || so.bootstraps > 20 || so.seeds + so.bootstraps == 0)
            return failed_job("stability: seeds and bootstraps are integers from 0 to 20, not both 0.");
        so.n_threads = threads_;
        job->analysis = std::make_unique<StabilityJob>(dataset_, recipe_, output_->labels, so);
        job->node = session_->current();
    } else if (kind == "explain") {
        // One-vs-rest boosted models of the current view's clusters ({"cluster": C} for one, else all), kept in
        // the session node; clusters explained before are answered at once.
        int cluster = -1, rounds = 0, depth = 0;
        if (!int_option("cluster", -1, cluster) || !int_option("rounds", 0, rounds) || !int_option("depth", 0, depth))
            return failed_job("explain: cluster, rounds and depth must be integers.");
        const auto& labels = output_->labels;
        int k = -1;
        for (int l : labels) k = std::max(k, l);
        if (k < 0) return failed_job("explain: this view has no clusters to explain.");
        if (cluster < -1 || cluster > k)
            return failed_job("explain: there is no cluster " + std::to_string(cluster) + " (clusters 0 to " + std::to_string(k) + ").");
        if (rounds < 0 || rounds > 1000 || depth < 0 || depth > 12)
            return failed_job("explain: rounds must be from 1 to 1000 and depth from 1 to 12.");
        const SessionNode& node = session_->node(session_->current());
        const bool cached = cluster >= 0 ? node.explanation(cluster) != nullptr
                                         : node.explanations && static_cast<int>(node.explanations->size()) == k + 1;
        if (cached && rounds == 0 && depth == 0) {
            const int id = next_id_++;
            finish_report(id, JobReport{JobReport::State::Done, "", explanations_json(cluster)});
            return id;
        }
        ExplainOptions eo;
        eo.only_cluster = cluster;
        if (rounds > 0) eo.booster.n_rounds = rounds;
        if (depth > 0) eo.booster.max_depth = depth;
        eo.seed = recipe_.seed;
        eo.n_threads = threads_;
        job->analysis = std::make_unique<ExplainJob>(session_->explain_input(session_->current()), eo);
        job->node = session_->current();
    } else {
        return failed_job("Unknown analysis '" + kind + "' (metrics, sweep, k_distance, stability or explain).");
    }
    cancel_slot(analysis_);
    return start(std::move(job), analysis_);
}

std::string Engine::explanations_json(int cluster) const {
    nlohmann::json out = nlohmann::json::array();
    const SessionNode* node = session_ ? &session_->node(session_->current()) : nullptr;
    if (node && node->explanations && node->output)
        for (const auto& e : *node->explanations)
            if (cluster < 0 || e.cluster == cluster)
                out.push_back(nlohmann::json::parse(explanation_json(e, node->output->feature_columns, 10)));
    return json_text(out);
}

std::string Engine::row_explanation_json(std::size_t row, int top) const {
    if (!session_ || !output_ || row >= output_->labels.size()) return "null";
    const SessionNode& node = session_->node(session_->current());
    const int cluster = output_->labels[row];
    const ClusterExplanation* e = cluster >= 0 ? node.explanation(cluster) : nullptr;
    if (!e) return "null";
    const ExplainInput in = session_->explain_input(session_->current());
    std::vector<float> x(in.features.features());
    in.features.gather(row, x.data());
    return row_contributions_json(*e, in.feature_names, x.data(), top);
}

std::string Engine::export_labels_csv() const {
    return session_ && session_->node(session_->root()).output ? recluster::export_labels_csv(*session_) : "";
}

const std::vector<Engine::PredictedPoint>& Engine::predicted_points() const {
    static const std::vector<PredictedPoint> none;
    return predicted_generation_ == generation_ ? predicted_ : none;
}

bool Engine::assigning() const { return analysis_ && analysis_->kind == JobKind::Assign; }

bool Engine::can_assign() const { return session_ && top_view_explained(*session_); }

int Engine::assign_stream(std::string name, double total_bytes) {
    // Refusals show in the app's banner too (the request came from a button or the page).
    const auto refuse = [this](const std::string& message) {
        last_error_ = message;
        return failed_job(message);
    };
    if (busy()) return refuse("A job is running; assign rows when it has finished.");
    if (!session_ || !output_) return refuse("Nothing to assign rows to yet: load data and run first.");
    if (!(total_bytes > 0) || total_bytes > 1e15) return refuse(name + " is empty: a CSV needs a header row and at least one data row.");
    RowAssignmentSetup setup;
    auto predictor = session_path_predictor(*session_, setup.features);
    if (!predictor) return refuse("Assigning rows: " + predictor.error());
    setup.typing = new_row_typing(*session_->dataset(), setup_.typing);
    setup.read = setup_.csv_options();
    setup.n_threads = threads_;
    auto job = std::make_unique<Job>();
    job->kind = JobKind::Assign;
    job->name = name;
    job->stream = true;
    job->total = static_cast<std::uint64_t>(total_bytes);
    job->assigner = std::make_unique<RowAssignmentJob>(std::move(name), job->total, std::move(setup), std::move(*predictor));
    assign_output_ = std::make_shared<AssignOutput>();
    job->assign_out = assign_output_;
    cancel_slot(analysis_);
    return start(std::move(job), analysis_);
}

std::string Engine::assign_take() {
    if (!assign_output_) return "";
    std::string out;
    std::lock_guard<std::mutex> lock(assign_output_->mutex);
    out.swap(assign_output_->text);
    return out;
}

std::string Engine::predict_csv(const std::string& text) {
    std::string out = predict_csv_unchecked(text);
    if (out.rfind("error: ", 0) == 0) last_error_ = "Predict: " + out.substr(7);
    return out;
}

std::string Engine::predict_csv_unchecked(const std::string& text) {
    if (!session_ || !output_) return "error: load data and run first.";
    std::vector<std::string> features;
    auto predictor = session_path_predictor(*session_, features);
    if (!predictor) return "error: " + predictor.error();
    // The new rows are read like the data and given its columns' roles (prep/column_types).
    const NewRowTyping typing = new_row_typing(*session_->dataset(), setup_.typing);
    auto parsed = read_csv(text, "predict.csv", new_rows_read_options(setup_.csv_options(), typing));
    if (!parsed) return "error: " + parsed.error();
    const std::size_t rows = parsed->rows;
    auto values = features_of_new_rows(std::move(*parsed), typing, features);
    if (!values) return "error: " + values.error();
    std::vector<const std::vector<float>*> cols;
    for (const auto& v : *values) cols.push_back(&v);
    // Neighbours on the current view: z-scored features of a stride sample of its rows.
    const ExplainInput view = session_->explain_input(session_->current());
    const std::size_t d = features.size(), n = view.features.rows;
    std::vector<std::size_t> view_cols;
    for (const auto& name : features) {
        std::size_t j = 0;
        while (j < view.feature_names.size() && view.feature_names[j] != name) ++j;
        view_cols.push_back(j);
    }
    if (view.feature_names.size() != d) return "error: the current view uses other feature columns than the top view.";
    const std::size_t step = std::max<std::size_t>(1, n / 5000);
    std::vector<std::size_t> sample;
    for (std::size_t r = 0; r < n; r += step) sample.push_back(r);
    std::vector<double> mean(d, 0), sd(d, 0), cnt(d, 0);
    for (std::size_t f = 0; f < d; ++f) {
        for (std::size_t r : sample) {
            const float v = view.features.at(r, view_cols[f]);
            if (std::isfinite(v)) { mean[f] += v; cnt[f] += 1; }
        }
        mean[f] = cnt[f] > 0 ? mean[f] / cnt[f] : 0;
        for (std::size_t r : sample) {
            const float v = view.features.at(r, view_cols[f]);
            if (std::isfinite(v)) sd[f] += (v - mean[f]) * (v - mean[f]);
        }
        sd[f] = cnt[f] > 1 && sd[f] > 0 ? std::sqrt(sd[f] / (cnt[f] - 1)) : 1.0;
    }
    std::vector<float> z(sample.size() * d);
    for (std::size_t i = 0; i < sample.size(); ++i)
        for (std::size_t f = 0; f < d; ++f) {
            const float v = view.features.at(sample[i], view_cols[f]);
            z[i * d + f] = std::isfinite(v) ? static_cast<float>((v - mean[f]) / sd[f]) : 0.0f;
        }
    std::vector<PredictedPoint> points(rows);
    std::vector<float> row(d), zr(d);
    const Matrix& map = *view.embedding;
    for (std::size_t r = 0; r < rows; ++r) {
        for (std::size_t f = 0; f < d; ++f) {
            row[f] = (*cols[f])[r];
            zr[f] = std::isfinite(row[f]) ? static_cast<float>((row[f] - mean[f]) / sd[f]) : 0.0f;
        }
        const PathPrediction p = predictor->predict(row.data());
        std::vector<std::pair<float, std::size_t>> near;
        for (std::size_t i = 0; i < sample.size(); ++i) {
            float dist = 0;
            for (std::size_t f = 0; f < d; ++f) {
                const float t = zr[f] - z[i * d + f];
                dist += t * t;
            }
            near.emplace_back(dist, sample[i]);
        }
        const std::size_t k = std::min<std::size_t>(10, near.size());
        std::partial_sort(near.begin(), near.begin() + static_cast<std::ptrdiff_t>(k), near.end());
        double x = 0, y = 0;
        for (std::size_t i = 0; i < k; ++i) {
            x += map.at(near[i].second, 0);
            y += map.at(near[i].second, 1);
        }
        points[r] = PredictedPoint{static_cast<float>(x / std::max<std::size_t>(1, k)), static_cast<float>(y / std::max<std::size_t>(1, k)), p.path, p.confidence};
    }
    nlohmann::json j, paths = nlohmann::json::array(), conf = nlohmann::json::array(), xs = nlohmann::json::array(), ys = nlohmann::json::array();
    for (const auto& p : points) {
        paths.push_back(p.path);
        conf.push_back(p.confidence);
        xs.push_back(p.x);
        ys.push_back(p.y);
    }
    j["rows"] = rows;
    j["path"] = paths;
    j["confidence"] = conf;
    j["x"] = xs;
    j["y"] = ys;
    predicted_ = std::move(points);
    predicted_generation_ = generation_;
    return json_text(j);
}

std::string Engine::analysis_stage() const {
    if (assigning()) return "assigning rows";
    return analysis_ && analysis_->analysis ? analysis_->analysis->stage_name() : "";
}

double Engine::analysis_progress() const { return analysis_ ? analysis_->progress.load() : 0.0; }

const nlohmann::json* Engine::analysis_result(const std::string& kind) const {
    if (analysis_generation_ != generation_) return nullptr;
    auto it = analysis_results_.find(kind);
    return it == analysis_results_.end() ? nullptr : &it->second;
}

void Engine::finish_report(int id, JobReport report) {
    reports_[id] = std::move(report);
    // Keep the map small: reports older than the last 64 jobs are dropped.
    while (reports_.size() > 64) reports_.erase(reports_.begin());
}

JobReport Engine::report(int job_id) const {
    auto it = reports_.find(job_id);
    if (it == reports_.end()) return JobReport{JobReport::State::Failed, "Unknown job.", ""};
    return it->second;
}

bool Engine::take_preview(std::vector<float>& out, unsigned& seen_version) const {
    if (!job_ || job_->kind != JobKind::Run) return false;
    unsigned v = job_->preview_version.load();
    if (v == 0 || v == seen_version) return false;
    std::lock_guard<std::mutex> lock(job_->preview_mutex);
    out = job_->preview;
    seen_version = v;
    return true;
}

double Engine::progress() const { return job_ ? job_->progress.load() : 0.0; }

std::string Engine::stage() const {
    if (!job_) return "";
    if (job_->kind == JobKind::Load) return "reading CSV";
    if (job_->kind == JobKind::SessionLoad) return job_->session_file ? "reading the session's data" : "checking the session file";
    if (job_->hierarchy) return "building the hierarchy";
    if (job_->replay) return job_->replay->stage_name();
    return job_->pipeline ? job_->pipeline->stage_name() : "";
}

const char* Engine::busy_label() const {
    if (!job_) return "";
    return job_->kind == JobKind::Load || job_->kind == JobKind::SessionLoad ? "Loading" : job_->kind == JobKind::Replay ? "Opening the link" : "Computing";
}

void Engine::tick(double budget_ms) {
    for (auto it = retiring_.begin(); it != retiring_.end();) {
        if ((*it)->finished.load()) {
            (*it)->thread.join();
            it = retiring_.erase(it);
        } else {
            ++it;
        }
    }
    advance(job_, budget_ms);
    advance(analysis_, budget_ms);
}

void Engine::advance(std::unique_ptr<Job>& slot, double budget_ms) {
    if (!slot) return;
#ifdef RECLUSTER_SLICED
    if (budget_ms > 0) {
        auto t0 = Clock::now();
        bool more = true;
        do {
            more = slot->step();
        } while (more && !slot->idle.load() && std::chrono::duration<double, std::milli>(Clock::now() - t0).count() < budget_ms);
        if (!more) slot->finished.store(true);
    }
#else
    (void)budget_ms;
#endif
    if (!slot->finished.load()) return;
    if (slot->thread.joinable()) slot->thread.join();
    std::unique_ptr<Job> done = std::move(slot);
    done->elapsed_ms = std::chrono::duration<double, std::milli>(Clock::now() - done->started).count();
    commit(*done);
}

void Engine::commit(Job& job) {
    if (!job.error.empty()) {
        last_error_ = job.error;
        if (job.retryable) {
            retry_text_ = std::move(job.failed_text);
            retry_stream_ = job.stream;
            retry_total_ = static_cast<double>(job.total);
            retry_name_ = job.name;
            retry_setup_ = job.setup;
            retry_sample_ = job.suggested_sample;
            retry_kind_ = job.suggested_sample > 0 ? RetryKind::Sample : job.failed_on_features ? RetryKind::NoFeatures : RetryKind::BadRows;
        }
        finish_report(job.id, JobReport{JobReport::State::Failed, job.error, ""});
        return;
    }
    if (job.kind == JobKind::Assign) {
        nlohmann::json r = nlohmann::json::parse(job.result);
        r["name"] = job.name;
        r["elapsed_ms"] = job.elapsed_ms;
        last_assignment_ = r;
        finish_report(job.id, JobReport{JobReport::State::Done, "", json_text(r)});
        return;
    }
    if (job.kind == JobKind::Analysis) {
        if (job.generation != generation_) {
            finish_report(job.id, JobReport{JobReport::State::Failed, "Cancelled: the clustering changed.", ""});
            return;
        }
        if (analysis_generation_ != generation_) analysis_results_.clear();
        analysis_generation_ = generation_;
        analysis_results_[job.analysis_kind] = nlohmann::json::parse(job.result);
        if (job.analysis_kind == "stability" && session_ && job.session_serial == session_serial_) session_->set_stability(job.node, job.result);
        if (job.analysis_kind == "explain" && session_ && job.session_serial == session_serial_)
            if (auto* ex = dynamic_cast<ExplainJob*>(job.analysis.get()))
                session_->add_explanations(job.node, ex->explanations(), ex->prepared());
        finish_report(job.id, JobReport{JobReport::State::Done, "", job.result});
        return;
    }
    if (job.kind == JobKind::SessionLoad) {
        session_ = std::move(job.session_copy);
        ++session_serial_;
        data_text_ = job.text;
        setup_ = job.setup;
        predicted_.clear();
        last_assignment_ = nullptr;
        pending_share_.reset();
        sync_current();
        last_error_.clear();
        if (auto view = parse_share_state(job.session_file->view_json); view.ok()) request_view(*view);
        finish_report(job.id, JobReport{JobReport::State::Done, "", node_result_json(session_->current(), job.elapsed_ms)});
        return;
    }
    if (job.kind == JobKind::Load) {
        session_ = std::make_unique<Session>(job.loaded);
        ++session_serial_;
        data_text_ = job.text;
        setup_ = job.setup;
        last_assignment_ = nullptr;
        sync_current();
        nlohmann::json result;
        result["rows"] = dataset_->rows;
        result["columns"] = dataset_->columns.size();
        result["warnings"] = dataset_->warnings;
        result["load_ms"] = job.elapsed_ms;
        last_error_.clear();
        // A link waiting for its data: the same file reopens the link's exploration, another one is only shown.
        std::unique_ptr<ShareState> link = std::move(pending_share_);
        const bool matches = link && link->fingerprint == dataset_->fingerprint;
        if (link) result["link"] = matches ? "opening" : "other data";
        finish_report(job.id, JobReport{JobReport::State::Done, "", json_text(result)});
        if (matches) {
            start_replay(std::move(*link));
            return;
        }
        if (link)
            last_error_ = "This file is not the one the link was made with" +
                          (link->data_name.empty() ? std::string() : " (" + link->data_name + ")") +
                          ": it is shown without the link's exploration.";
        if (job.auto_run) run("");
        return;
    }
    if (!session_ || job.session_serial != session_serial_) {  // data changed under it: nothing on screen to update
        finish_report(job.id, JobReport{JobReport::State::Failed, "Cancelled: the dataset changed.", ""});
        return;
    }
    if (job.kind == JobKind::Replay) {
        session_ = std::move(job.session_copy);
        sync_current();
        last_error_.clear();
        request_view(job.view);
        finish_report(job.id, JobReport{JobReport::State::Done, "", node_result_json(session_->current(), job.elapsed_ms)});
        return;
    }
    if (job.kind == JobKind::Hierarchy) {
        session_ = std::move(job.session_copy);
        sync_current();
        last_error_.clear();
        finish_report(job.id, JobReport{JobReport::State::Done, "", session_->hierarchy_json()});
        return;
    }
    session_->set_result(job.node, job.recipe, std::move(job.pipeline->output()));
    session_->go_to(job.node);
    sync_current();
    last_error_.clear();
    finish_report(job.id, JobReport{JobReport::State::Done, "", node_result_json(job.node, job.elapsed_ms)});
}

std::string Engine::relabel(const std::string& changes_json) {
    if (busy()) return "error: a job is running; re-label when it has finished.";
    cancel_slot(analysis_);  // it describes the labels about to change
    if (!output_ || !output_->clustering.tree) return "error: there is no HDBSCAN result to re-label; run first.";
    nlohmann::json changes = nlohmann::json::parse(changes_json, nullptr, false);
    if (changes.is_discarded() || !changes.is_object()) return "error: relabel needs a JSON object of recipe keys.";
    for (auto it = changes.begin(); it != changes.end(); ++it)
        if (!is_relabel_key(it.key()))
            return "error: '" + it.key() + "' changes more than the cluster selection; use run() for it.";
    nlohmann::json merged = nlohmann::json::parse(recipe_.to_json());
    merged.update(changes);
    // min_samples shaped the tree: an automatic one (which follows min_cluster_size) is pinned to its value.
    merged["min_samples"] = output_->clustering.min_samples;
    auto recipe = recipe_from_json(json_text(merged));
    if (!recipe) return "error: " + recipe.error();
    PipelineOutput relabelled = *output_;  // shares the tree, the map and the space; copies labels
    recluster::relabel(relabelled, *recipe);
    session_->set_result(session_->current(), *recipe, std::move(relabelled));
    sync_current();
    return clustering_info_json(output_->clustering);
}

std::string Engine::top_terms_json(const std::string& column, int top) const {
    const auto error = [](const std::string& m) { return json_text(nlohmann::json{{"error", m}}); };
    if (!dataset_ || !output_) return error("There are no clusters yet.");
    std::size_t c = dataset_->columns.size();
    if (column.empty()) {
        for (std::size_t i = 0; i < dataset_->original_columns() && c == dataset_->columns.size(); ++i)
            if (dataset_->columns[i].role == ColumnRole::Text) c = i;
        if (c == dataset_->columns.size()) return error("No column has the role 'text'.");
    } else {
        c = dataset_->column_index(column);
        if (c == dataset_->columns.size()) return error("There is no column '" + column + "'.");
        if (dataset_->columns[c].type != ColumnType::Text) return error("Column '" + column + "' holds numbers, not words.");
    }
    const auto terms = top_terms(dataset_->columns[c].text, output_->labels, static_cast<std::size_t>(std::clamp(top, 1, 100)));
    return recluster::top_terms_json(terms, dataset_->columns[c].name);
}

std::string Engine::state_json() const {
    nlohmann::json s;
#ifdef RECLUSTER_SLICED
    s["build"] = "single-threaded";
#else
    s["build"] = "threaded";
#endif
    s["threads"] = threads_;
    if (dataset_) {
        nlohmann::json d;
        d["name"] = dataset_->name;
        d["fingerprint"] = session_ ? session_->dataset()->fingerprint : dataset_->fingerprint;
        d["rows"] = dataset_->rows;
        nlohmann::json cols = nlohmann::json::array();
        for (const auto& c : dataset_->columns) {
            nlohmann::json cj;
            cj["name"] = c.name;
            cj["type"] = column_type_name(c.type);
            cj["role"] = column_role_name(c.role);
            if (!c.note.empty()) cj["note"] = c.note;
            if (c.derived()) cj["derived_from"] = dataset_->columns[c.derived_from].name;
            cj["missing"] = c.stats.missing;
            if (c.type == ColumnType::Numeric) {
                cj["min"] = c.stats.min;
                cj["max"] = c.stats.max;
                cj["mean"] = c.stats.mean;
            } else {
                cj["distinct"] = c.stats.distinct;
            }
            cols.push_back(cj);
        }
        d["columns"] = cols;
        d["warnings"] = dataset_->warnings;
        s["dataset"] = d;
    } else {
        s["dataset"] = nullptr;
    }
    s["recipe"] = nlohmann::json::parse(recipe_.to_json());
    s["has_embedding"] = output_ != nullptr;
    if (session_) {
        s["node"] = session_->current();
        s["breadcrumbs"] = nlohmann::json::parse(breadcrumbs_json());
        // The current view's explained clusters (explain()).
        nlohmann::json explained = nlohmann::json::array();
        if (const auto& ex = session_->node(session_->current()).explanations)
            for (const auto& e : *ex) explained.push_back(e.cluster);
        s["explained"] = explained;
        s["predicted"] = predicted_points().size();
        s["can_assign"] = can_assign();
        if (!last_assignment_.is_null()) s["assignment"] = last_assignment_;
    }
    if (output_) s["feature_columns"] = output_->feature_columns;
    s["busy"] = busy();
    if (busy()) {
        s["job"] = {{"stage", stage()}, {"progress", progress()}};
    }
    nlohmann::json analyses = nlohmann::json::object();
    for (const char* kind : {"metrics", "sweep", "k_distance", "stability"})
        if (const nlohmann::json* r = analysis_result(kind)) analyses[kind] = *r;
    s["analyses"] = analyses;
    if (analysing())
        s["analysis"] = {{"kind", assigning() ? std::string("assign") : analysis_->analysis_kind}, {"stage", analysis_stage()}, {"progress", analysis_progress()}};
    s["error"] = last_error_;
    if (pending_share_)
        s["pending_link"] = {{"name", pending_share_->data_name}, {"rows", pending_share_->data_rows},
                             {"fingerprint", pending_share_->fingerprint}};
    s["data_kept"] = data_text_ != nullptr;
    s["can_skip_bad_rows"] = can_skip_bad_rows();
    s["can_open_without_features"] = can_open_without_features();
    if (can_load_sample()) s["suggested_sample"] = retry_sample_;
    s["data_setup"] = nlohmann::json::parse(data_setup_json(setup_));
    if (view_state_) {
        auto v = nlohmann::json::parse(view_state_(), nullptr, false);
        if (!v.is_discarded()) s["view"] = v;
    }
    return json_text(s);
}

}  // namespace recluster::web
