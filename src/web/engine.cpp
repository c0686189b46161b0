#include "engine.hpp"

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>
#include <mutex>

#include "common/parallel_for.hpp"
#include "io/csv_reader.hpp"

#if defined(__EMSCRIPTEN__) && !defined(__EMSCRIPTEN_PTHREADS__)
#define RECLUSTER_SLICED 1  // single-threaded build: jobs advance in tick()
#endif

namespace recluster::web {

using Clock = std::chrono::steady_clock;

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

    std::unique_ptr<CsvReadJob> reader;
    std::shared_ptr<Dataset> loaded;  // Load result
    std::shared_ptr<const Dataset> input;  // Run input
    Recipe recipe;
    std::unique_ptr<PipelineJob> pipeline;
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

    // One bounded unit of work; false when nothing is left.
    bool step() {
        if (cancelled.load()) {
            error = "Cancelled.";
            return false;
        }
        try {
            if (kind == JobKind::Load) {
                bool more = reader->step(2000);
                progress.store(reader->progress());
                if (!more) {
                    auto r = reader->finish();
                    if (r.ok()) loaded = std::make_shared<Dataset>(std::move(*r));
                    else error = r.error();
                    reader.reset();
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
        }
        return false;
    }
};

Engine::Engine() {
    threads_ = std::clamp(available_threads(), 1, 4);
    prepare_threads(threads_);
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

int Engine::start(std::unique_ptr<Job> job) {
    cancel();
    job->id = next_id_++;
    int id = job->id;
    reports_[id] = JobReport{};
    job_ = std::move(job);
#ifndef RECLUSTER_SLICED
    Job* raw = job_.get();
    raw->thread = std::thread([raw] {
        while (raw->step()) {
        }
        raw->finished.store(true);
    });
#endif
    return id;
}

int Engine::load_csv_text(std::string text, std::string name, bool auto_run) {
    auto job = std::make_unique<Job>();
    job->kind = JobKind::Load;
    job->auto_run = auto_run;
    job->reader = std::make_unique<CsvReadJob>(std::move(text), std::move(name));
    return start(std::move(job));
}

int Engine::run(const std::string& recipe_json) {
    auto fail_now = [&](std::string message) {
        int id = next_id_++;
        finish_report(id, JobReport{JobReport::State::Failed, message, ""});
        return id;
    };
    auto recipe = recipe_from_json(recipe_json);
    if (!recipe) return fail_now(recipe.error());
    if (!dataset_) return fail_now("No data loaded: load a CSV file first.");
    auto cols = resolve_feature_columns(*dataset_, *recipe);
    if (!cols) return fail_now(cols.error());
    auto job = std::make_unique<Job>();
    job->kind = JobKind::Run;
    job->input = dataset_;
    job->recipe = *recipe;
    job->pipeline = std::make_unique<PipelineJob>(*dataset_, *recipe, threads_);
    return start(std::move(job));
}

void Engine::cancel() {
    if (!job_) return;
    job_->cancelled.store(true);
    if (job_->pipeline) job_->pipeline->cancel();
    finish_report(job_->id, JobReport{JobReport::State::Failed, "Cancelled.", ""});
    // Never block the browser's main thread on a join: the thread stops at its next step and is reaped in tick().
    if (job_->thread.joinable()) retiring_.push_back(std::move(job_));
    job_.reset();
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
    return job_->pipeline ? job_->pipeline->stage_name() : "";
}

const char* Engine::busy_label() const {
    if (!job_) return "";
    return job_->kind == JobKind::Load ? "Loading" : "Computing";
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
    if (!job_) return;
#ifdef RECLUSTER_SLICED
    if (budget_ms > 0) {
        auto t0 = Clock::now();
        bool more = true;
        do {
            more = job_->step();
        } while (more && std::chrono::duration<double, std::milli>(Clock::now() - t0).count() < budget_ms);
        if (!more) job_->finished.store(true);
    }
#else
    (void)budget_ms;
#endif
    if (!job_->finished.load()) return;
    if (job_->thread.joinable()) job_->thread.join();
    std::unique_ptr<Job> done = std::move(job_);
    done->elapsed_ms = std::chrono::duration<double, std::milli>(Clock::now() - done->started).count();
    commit(*done);
}

void Engine::commit(Job& job) {
    if (!job.error.empty()) {
        last_error_ = job.error;
        finish_report(job.id, JobReport{JobReport::State::Failed, job.error, ""});
        return;
    }
    nlohmann::json result;
    if (job.kind == JobKind::Load) {
        dataset_ = job.loaded;
        output_.reset();
        ++generation_;
        result["rows"] = dataset_->rows;
        result["columns"] = dataset_->columns.size();
        result["warnings"] = dataset_->warnings;
        result["load_ms"] = job.elapsed_ms;
        last_error_.clear();
        finish_report(job.id, JobReport{JobReport::State::Done, "", result.dump()});
        if (job.auto_run) run("");
        return;
    }
    if (job.input != dataset_) {  // data changed under it: the result belongs to nothing on screen
        finish_report(job.id, JobReport{JobReport::State::Failed, "Cancelled: the dataset changed.", ""});
        return;
    }
    output_ = std::make_unique<PipelineOutput>(std::move(job.pipeline->output()));
    recipe_ = job.recipe;
    ++generation_;
    result["rows"] = dataset_->rows;
    result["clusters"] = output_->clustering.sizes.size();
    nlohmann::json timings;
    for (const auto& t : output_->timings) timings[t.stage] = t.ms;
    timings["total"] = job.elapsed_ms;
    result["timings_ms"] = timings;
    result["recipe"] = nlohmann::json::parse(recipe_.to_json());
    if (!output_->pca_solver.empty()) result["pca_solver"] = output_->pca_solver;
    result["explained_variance_ratio"] = output_->explained_variance_ratio;
    if (!output_->umap.neighbor_method.empty())
        result["umap"] = nlohmann::json::parse(umap_info_json(output_->umap));
    result["clustering"] = nlohmann::json::parse(clustering_info_json(output_->clustering));
    last_error_.clear();
    finish_report(job.id, JobReport{JobReport::State::Done, "", result.dump()});
}

std::string Engine::relabel(const std::string& changes_json) {
    if (busy()) return "error: a job is running; re-label when it has finished.";
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
    auto recipe = recipe_from_json(merged.dump());
    if (!recipe) return "error: " + recipe.error();
    recluster::relabel(*output_, *recipe);
    recipe_ = *recipe;
    ++generation_;
    return clustering_info_json(output_->clustering);
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
        d["rows"] = dataset_->rows;
        nlohmann::json cols = nlohmann::json::array();
        for (const auto& c : dataset_->columns) {
            nlohmann::json cj;
            cj["name"] = c.name;
            cj["type"] = column_type_name(c.type);
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
    if (output_) s["feature_columns"] = output_->feature_columns;
    s["busy"] = busy();
    if (busy()) {
        s["job"] = {{"stage", stage()}, {"progress", progress()}};
    }
    s["error"] = last_error_;
    if (view_state_) {
        auto v = nlohmann::json::parse(view_state_(), nullptr, false);
        if (!v.is_discarded()) s["view"] = v;
    }
    return s.dump();
}

}  // namespace recluster::web
