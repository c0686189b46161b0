// Embind glue: converts types and forwards to the Engine; no algorithm logic here. The Promise-based
// window.recluster API is built on these in web/recluster-api.js.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <nlohmann/json.hpp>

#include "engine.hpp"
#include "common/json_text.hpp"
#include "pipeline/memory_estimate.hpp"

using namespace emscripten;
using recluster::web::engine;
using recluster::web::JobReport;

namespace {

int load_csv_text(std::string text, std::string name) { return engine().load_csv_text(std::move(text), std::move(name)); }

// The data setup as JSON (pipeline/data_setup: delimiter, decimal, header, skip_bad_rows, roles, max_categories,
// text_dims); a bad setup makes a job that has already failed, with the reason.
int load_csv_text_with(std::string text, std::string name, std::string setup_json) {
    auto setup = recluster::parse_data_setup(setup_json);
    if (!setup) return engine().rejected_job(setup.error());
    return engine().load_csv_text(std::move(text), std::move(name), true, std::move(*setup));
}
int set_data_setup(std::string setup_json) { return engine().set_data_setup(setup_json); }
int load_stream(std::string name, double total_bytes, std::string setup_json) {
    auto setup = recluster::parse_data_setup(setup_json);
    if (!setup) return engine().rejected_job(setup.error());
    return engine().load_stream(std::move(name), total_bytes, std::move(*setup));
}
double stream_wanted() { return engine().stream_wanted(); }
void stream_feed(std::string bytes, double offset) { engine().stream_feed(bytes, offset); }
void set_memory_limit(double bytes) { engine().set_memory_limit(bytes); }
// The memory model loads are checked against (bytes for the table and one default run; a file read whole adds its
// bytes twice on top), for benchmarks that calibrate it.
double memory_estimate(double rows, double numeric_columns, double text_columns, double text_bytes_per_row) {
    return recluster::estimate_memory(rows, static_cast<std::size_t>(numeric_columns), static_cast<std::size_t>(text_columns),
                                      text_bytes_per_row).total();
}
void set_threads(int n) { engine().set_threads(n); }
std::string current_result() { return engine().current_result_json(); }
std::string set_map_options(std::string json) { return engine().set_map_options(json); }
int load_sample() { return engine().load_sample(); }
int open_without_features() { return engine().open_without_features(); }
std::string top_terms(std::string column, int top) { return engine().top_terms_json(column, top); }
int retry_skipping_bad_rows() { return engine().retry_skipping_bad_rows(); }

int run_recipe(std::string recipe_json) { return engine().run(recipe_json); }

void cancel_job() { engine().cancel(); }

std::string relabel(std::string changes_json) { return engine().relabel(changes_json); }

int analyze(std::string kind, std::string options_json) { return engine().analyze(kind, options_json); }

void tick(double budget_ms) { engine().tick(budget_ms); }

std::string job_report(int id) {
    JobReport r = engine().report(id);
    nlohmann::json j;
    j["state"] = r.state == JobReport::State::Running ? "running" : r.state == JobReport::State::Done ? "done" : "failed";
    j["error"] = r.error;
    j["result"] = r.result_json.empty() ? nlohmann::json(nullptr) : nlohmann::json::parse(r.result_json);
    j["progress"] = engine().analysing() && !engine().busy() ? engine().analysis_progress() : engine().progress();
    return recluster::json_text(j);
}

// Views into WASM memory; the JS side copies them (slice) before anything can reallocate.
val embedding_view() {
    const auto* out = engine().output();
    if (!out) return val(typed_memory_view(std::size_t{0}, static_cast<const float*>(nullptr)));
    return val(typed_memory_view(out->embedding.data.size(), out->embedding.data.data()));
}

val labels_view() {
    const auto* out = engine().output();
    if (!out) return val(typed_memory_view(std::size_t{0}, static_cast<const int*>(nullptr)));
    return val(typed_memory_view(out->labels.size(), out->labels.data()));
}

std::string state_json() { return engine().state_json(); }

int drill(int cluster, std::string recipe_json) { return engine().drill(cluster, recipe_json); }
int drill_selection(std::string rows_json, std::string recipe_json) { return engine().drill_selection(rows_json, recipe_json); }
bool go_up() { return engine().up(); }
bool go_to(int node) { return engine().go_to(node); }
std::string breadcrumbs() { return engine().breadcrumbs_json(); }
std::string hierarchy() { return engine().hierarchy_json(); }
std::string explanations(int cluster) { return engine().explanations_json(cluster); }
std::string predict_csv_text(std::string text) { return engine().predict_csv(text); }
int assign_stream(std::string name, double total_bytes) { return engine().assign_stream(std::move(name), total_bytes); }
std::string assign_take() { return engine().assign_take(); }
std::string export_labels_csv() { return engine().export_labels_csv(); }
std::string share_state() { return engine().share_state_json(); }
int open_share_state(std::string json) { return engine().open_share_state(json); }
std::string set_pending_share(std::string json) { return engine().set_pending_share(json); }
void clear_pending_share() { engine().clear_pending_share(); }
// The bytes the data was parsed from ("" when not kept), for links that carry their data.
std::string data_text() {
    const auto& t = engine().data_text();
    return t ? *t : std::string();
}
// A session file as a Uint8Array (a copy out of WASM memory), or the reason as a string.
val save_session() {
    auto bytes = engine().save_session();
    if (!bytes) return val(bytes.error());
    return val::global("Uint8Array").new_(typed_memory_view(bytes->size(), reinterpret_cast<const unsigned char*>(bytes->data())));
}
std::string report_html(std::string options_json) { return engine().report_html(options_json); }
int load_session(std::string bytes) { return engine().load_session(std::move(bytes)); }
// A message from the page (e.g. a share link that cannot be opened) for the app's error banner.
void report_error(std::string message) { engine().report_error(message); }
std::string explain_row(int row, int top) {
    return row < 0 ? "null" : engine().row_explanation_json(static_cast<std::size_t>(row), top);
}
int build_hierarchy(std::string options_json) { return engine().build_hierarchy(options_json); }

std::string condensed_tree() {
    const auto* out = engine().output();
    return out ? recluster::condensed_tree_json(out->clustering) : std::string();
}

}  // namespace

EMSCRIPTEN_BINDINGS(recluster_api) {
    function("loadCsvText", &load_csv_text);
    function("loadCsvTextWith", &load_csv_text_with);
    function("setDataSetup", &set_data_setup);
    function("loadStream", &load_stream);
    function("streamWanted", &stream_wanted);
    function("streamFeed", &stream_feed);
    function("setMemoryLimit", &set_memory_limit);
    function("memoryEstimate", &memory_estimate);
    function("setThreads", &set_threads);
    function("currentResult", &current_result);
    function("setMapOptions", &set_map_options);
    function("loadSample", &load_sample);
    function("openWithoutFeatures", &open_without_features);
    function("topTerms", &top_terms);
    function("retrySkippingBadRows", &retry_skipping_bad_rows);
    function("runRecipe", &run_recipe);
    function("cancelJob", &cancel_job);
    function("relabel", &relabel);
    function("analyze", &analyze);
    function("tick", &tick);
    function("jobReport", &job_report);
    function("embeddingView", &embedding_view);
    function("labelsView", &labels_view);
    function("stateJson", &state_json);
    function("condensedTree", &condensed_tree);
    function("drill", &drill);
    function("drillSelection", &drill_selection);
    function("goUp", &go_up);
    function("goTo", &go_to);
    function("breadcrumbs", &breadcrumbs);
    function("hierarchy", &hierarchy);
    function("explanations", &explanations);
    function("explainRow", &explain_row);
    function("predictCsvText", &predict_csv_text);
    function("assignStream", &assign_stream);
    function("assignTake", &assign_take);
    function("exportLabelsCsv", &export_labels_csv);
    function("shareState", &share_state);
    function("openShareState", &open_share_state);
    function("setPendingShare", &set_pending_share);
    function("clearPendingShare", &clear_pending_share);
    function("dataText", &data_text);
    function("saveSession", &save_session);
    function("loadSession", &load_session);
    function("reportHtml", &report_html);
    function("reportError", &report_error);
    function("buildHierarchy", &build_hierarchy);
}
