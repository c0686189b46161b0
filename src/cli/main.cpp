// recluster command-line front end: batch runs of the same pipeline the web app uses (and `train`, one boosted
// model for a label column: train_command.cpp).
//   recluster run data.csv --out DIR [--scale zscore|minmax|none] [--columns a,b,c] [--threads N] [--recipe JSON]
// Writes DIR/embedding.csv (row,x,y), DIR/labels.csv (row,cluster,probability,outlier_score,x,y),
// DIR/metrics.json (clusters, validity, agreement) and DIR/summary.json. Embedding: UMAP (default) or PCA;
// clustering: HDBSCAN (default), DBSCAN, k-means, Gaussian mixture or none, of the map or of the PCA / feature space. Errors: one line on stderr, exit code 1 (2 = usage).
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/parallel_for.hpp"
#include "cluster/dbscan.hpp"
#include "io/csv_reader.hpp"
#include "cluster/sweep.hpp"
#include "metrics/report.hpp"
#include "pipeline/export_labels.hpp"
#include "pipeline/data_setup.hpp"
#include "prep/text_model_json.hpp"
#include "explain/top_terms.hpp"
#include "pipeline/hierarchy.hpp"
#include "pipeline/pipeline_job.hpp"
#include "pipeline/session.hpp"
#include "pipeline/session_file.hpp"
#include "image/map_image.hpp"
#include "image/png_writer.hpp"
#include "report/html_report.hpp"
#include "pipeline/share_replay.hpp"
#include "pipeline/share_state.hpp"
#include "explain/xgboost_json.hpp"
#include "pipeline/stability.hpp"
#include "pipeline/recipe.hpp"
#include "predict_command.hpp"
#include "train_command.hpp"
#include "common/json_text.hpp"

using namespace recluster;

namespace {

const char* kUsage =
    "usage: recluster run DATA.csv --out DIR [options]\n"
    "       recluster run SESSION.recluster --out DIR [options]  (a saved exploration: nothing is recomputed)\n"
    "       recluster train DATA.csv --target COLUMN --positive VALUE --out MODEL.json [options]  (train --help)\n"
    "       recluster predict DIR NEW.csv --out PREDS.csv  (cluster paths from the models of run --explain)\n"
    "\n"
    "Embeds and clusters the numeric columns of a CSV file; writes DIR/embedding.csv (row,x,y),\n"
    "DIR/labels.csv (row,cluster,probability,outlier_score,x,y; cluster -1 = noise), DIR/metrics.json\n"
    "(clusters, sizes, noise, stability) and DIR/summary.json (recipe, timings, details).\n"
    "\n"
    "options:\n"
    "  --out DIR            output folder (created if missing)\n"
    "  --scale METHOD       zscore (default), minmax or none\n"
    "  --embed E            umap (default) or pca  (also --embedding)\n"
    "  --neighbors N        UMAP neighbourhood size (default 15)  (also --n-neighbors)\n"
    "  --min-dist D         UMAP minimum distance in the layout (default 0.1)\n"
    "  --metric M           euclidean (default), cosine or correlation\n"
    "  --n-epochs N         UMAP epochs (default: 500 up to 10,000 rows, else 200)\n"
    "  --spread S           UMAP scale of embedded points (default 1.0)\n"
    "  --learning-rate R    UMAP initial learning rate (default 1.0)\n"
    "  --negative-sample-rate R  UMAP negative samples per positive edge (default 5)\n"
    "  --pca-dims N         PCA pre-reduction before UMAP (default: 50 when > 100 features; 0 = off)\n"
    "  --pca-solver S       auto (default: randomized for wide data), exact or randomized\n"
    "  --cluster C          hdbscan (default), dbscan, kmeans, gmm (Gaussian mixture) or none\n"
    "  --cluster-space S    embedding (default: the 2-D map), pca or features (the scaled feature columns)\n"
    "  --cluster-pca-dims N principal components of the pca space (default 10)\n"
    "  --k N                clusters for kmeans / gmm (default 8)  (also --n-clusters)\n"
    "  --covariance C       gmm covariance: full (default) or diag\n"
    "  --sweep A:B          also fit kmeans / gmm for every k from A to B: DIR/sweep.csv (k, inertia,\n"
    "                       silhouette, bic, log_likelihood) and the best k in metrics.json\n"
    "  --eps E              DBSCAN radius in map units (required with --cluster dbscan)\n"
    "  --min-cluster-size N HDBSCAN smallest cluster (default: --min-cluster-fraction of the rows, at least 5)\n"
    "  --min-cluster-fraction F  the automatic min cluster size as a share of the rows (default 0.005 at the\n"
    "                       top, 0.02 in zoomed-in views)\n"
    "  --min-samples N      HDBSCAN core-distance neighbours, the row included (default: min(min cluster size, 10))\n"
    "  --cluster-selection S  eom (default, excess of mass) or leaf\n"
    "  --cluster-selection-epsilon E  merge clusters born below this distance (default 0 = off)\n"
    "  --allow-single-cluster  let all rows form one cluster\n"
    "  --max-cluster-size N never select clusters larger than N (default 0 = no limit)\n"
    "  --hdbscan-rules R    campello (default: HDBSCAN* as published) or r-dbscan (R dbscan 1.1's results)\n"
    "  --truth-column NAME  also score the clusters against this column (ARI, NMI in metrics.json; noise = a label)\n"
    "  --depth D            drill into clusters D levels deep (default 0): labels.csv gains `path` (3, 3.1, ...),\n"
    "                       DIR/hierarchy.json holds the node tree, DIR/nodes/<path>.csv each node's rows and map\n"
    "  --min-fraction F     only drill into clusters with at least this share of all rows (default 0.01)\n"
    "  --stability K        re-run each view with K other seeds, a shuffled row order and K 80% subsamples:\n"
    "                       per-cluster Jaccard and rating, ARI per rerun (metrics.json, hierarchy.json)\n"
    "  --explain            one-vs-rest boosted trees per cluster (of every view with --depth) on the original\n"
    "                       features: DIR/models/<path>.json (XGBoost JSON model format; models/index.json lists\n"
    "                       them), DIR/shap_summary.json (held-out AUC and accuracy, features by mean |SHAP|,\n"
    "                       profile, representative and outlier rows per cluster)\n"
    "  --explain-rounds N   boosting rounds at most (default 60, early stopping on a held-out 20%)\n"
    "  --explain-depth D    tree depth (default 4)\n"
    "  --export FILE        every row with its original columns, path, probability, outlier_score, map_x, map_y,\n"
    "                       stability and view (the app's Export labels)\n"
    "  --report FILE.html   a self-contained HTML report (map and cluster table per view, a section per cluster\n"
    "                       with its SHAP chart, profile, representative rows and average image; add --explain)\n"
    "  --png FILE.png       the top view's map coloured by cluster, with a legend (--png-size WxH, default 1600x1000)\n"
    "  --save-session FILE  the whole exploration (data, every view, results, explanations) as a session file\n"
    "                       the web app opens at once (Share and export > Open session file)\n"
    "  --share-state FILE   the exploration's share-link state (JSON: data fingerprint, views, recipes)\n"
    "  --open-state FILE    recompute the views of a share-link state on DATA.csv (the same file, checked by\n"
    "                       its fingerprint) instead of the default run: the same labels, bit for bit\n"
    "  --delimiter C        , ; | or tab (default: sniffed from the first lines)\n"
    "  --decimal D          point or comma (default: a comma when numbers look like 1,5 and none like 1.5)\n"
    "  --header yes|no      whether the first row names the columns (default: no header when it is all numbers)\n"
    "  --skip-bad-rows      skip rows with the wrong number of fields (with a warning) instead of stopping\n"
    "  --role NAME=ROLE     what a column is used for (repeatable): feature, pixels, category (one-hot), vector\n"
    "                       (\"[0.1, 0.2]\" or space-separated numbers), text (TF-IDF + LSA; DIR/top_terms.json\n"
    "                       lists each cluster's words), label, identifier or ignore. Default: detected (numbers\n"
    "                       are features except keys like 'id'; few distinct strings make a label; vectors\n"
    "                       expand; free text is embedded when no other column is a feature)\n"
    "  --max-categories N   one-hot encode categories of at most N values (default 50)\n"
    "  --sample-rows N      keep about N rows of the file (a deterministic sample; the others can be assigned\n"
    "                       afterwards with predict)\n"
    "  --text-dims N        LSA dimensions per text column (default 100)\n"
    "  --seed S             random seed (default 42)\n"
    "  --columns a,b,c      feature columns (default: every column whose role is feature or pixels)\n"
    "  --recipe JSON        full recipe as JSON, e.g. '{\"scale\":\"minmax\"}' (flags given after it override)\n"
    "  --threads N          worker threads (default: all cores; results do not depend on it)\n"
    "  -h, --help           this text\n";

int usage_error(const std::string& message) {
    std::cerr << "recluster: " << message << "\n" << kUsage;
    return 2;
}

int fail(const std::string& message) {
    std::cerr << "recluster: error: " << message << "\n";
    return 1;
}

std::vector<std::string> split_commas(const std::string& s) {
    std::vector<std::string> out;
    std::string cur;
    for (char c : s) {
        if (c == ',') {
            out.push_back(cur);
            cur.clear();
        } else {
            cur.push_back(c);
        }
    }
    out.push_back(cur);
    return out;
}

int run(int argc, char** argv) {
    std::string input, out_dir, recipe_json;
    std::string scale_flag, columns_flag, truth_column;
    int sweep_min = 0, sweep_max = 0;
    int depth = 0;               // hierarchy depth below the top level (0 = none)
    double min_fraction = 0.01;  // smallest cluster (share of all rows) the hierarchy drills into
    int stability = 0;           // reruns per kind (seeds, subsamples) for the stability report (0 = none)
    bool explain = false;        // per-cluster boosted models + SHAP (DIR/models/, DIR/shap_summary.json)
    std::string export_path;
    std::string session_path, share_path, open_state_path, report_path, png_path;
    DataSetup setup_flags;  // the reader's choices and the column roles
    bool setup_given = false;
    std::size_t png_w = 1600, png_h = 1000;     // the labels export (original columns + path, probability, ...), as the app saves it
    int explain_rounds = 0, explain_depth = 0;  // 0 = the explain defaults
    // Recipe keys given as flags, applied on top of --recipe (values are checked by the recipe parser).
    nlohmann::json overrides = nlohmann::json::object();
    int threads = available_threads();
    for (int i = 2; i < argc; ++i) {
        std::string a = argv[i];
        auto value = [&](const char* flag) -> std::string {
            if (i + 1 >= argc) throw std::invalid_argument(std::string(flag) + " needs a value");
            return argv[++i];
        };
        // Numbers: the whole argument must parse, else a message naming the flag.
        auto number = [&](const char* flag) -> double {
            std::string v = value(flag);
            char* end = nullptr;
            double x = std::strtod(v.c_str(), &end);
            if (v.empty() || *end != '\0') throw std::invalid_argument(std::string(flag) + " needs a number, got '" + v + "'");
            return x;
        };
        auto integer = [&](const char* flag) -> long long {
            double x = number(flag);
            if (x != static_cast<double>(static_cast<long long>(x))) throw std::invalid_argument(std::string(flag) + " needs an integer");
            return static_cast<long long>(x);
        };
        if (a == "--out") out_dir = value("--out");
        else if (a == "--scale") scale_flag = value("--scale");
        else if (a == "--columns") columns_flag = value("--columns");
        else if (a == "--truth-column") truth_column = value("--truth-column");
        else if (a == "--recipe") recipe_json = value("--recipe");
        else if (a == "--threads") threads = static_cast<int>(integer("--threads"));
        else if (a == "--embedding" || a == "--embed") overrides["embedding"] = value(a.c_str());
        else if (a == "--metric") overrides["metric"] = value("--metric");
        else if (a == "--n-neighbors" || a == "--neighbors") overrides["n_neighbors"] = integer(a.c_str());
        else if (a == "--n-epochs") overrides["n_epochs"] = integer("--n-epochs");
        else if (a == "--pca-dims") overrides["pca_dims"] = integer("--pca-dims");
        else if (a == "--pca-solver") overrides["pca_solver"] = value("--pca-solver");
        else if (a == "--spread") overrides["spread"] = number("--spread");
        else if (a == "--learning-rate") overrides["learning_rate"] = number("--learning-rate");
        else if (a == "--negative-sample-rate") overrides["negative_sample_rate"] = number("--negative-sample-rate");
        else if (a == "--seed") overrides["seed"] = integer("--seed");
        else if (a == "--min-dist") overrides["min_dist"] = number("--min-dist");
        else if (a == "--cluster") overrides["cluster"] = value("--cluster");
        else if (a == "--eps") overrides["dbscan_eps"] = number("--eps");
        else if (a == "--cluster-space") overrides["cluster_space"] = value("--cluster-space");
        else if (a == "--depth") depth = static_cast<int>(integer("--depth"));
        else if (a == "--min-fraction") min_fraction = number("--min-fraction");
        else if (a == "--stability") stability = static_cast<int>(integer("--stability"));
        else if (a == "--explain") explain = true;
        else if (a == "--export") export_path = value("--export");
        else if (a == "--save-session") session_path = value("--save-session");
        else if (a == "--skip-bad-rows") setup_flags.skip_bad_rows = setup_given = true;
        else if (a == "--role") {
            const std::string v = value("--role");
            const std::size_t eq = v.rfind('=');
            ColumnRole role;
            if (eq == std::string::npos || eq == 0 || !column_role_from_name(v.substr(eq + 1), role))
                return usage_error("--role needs NAME=ROLE with ROLE one of feature, pixels, category, vector, text, label, "
                                   "identifier, ignore (got '" + v + "')");
            setup_flags.typing.roles[v.substr(0, eq)] = role;
            setup_given = true;
        } else if (a == "--sample-rows") {
            const long long v = integer("--sample-rows");
            if (v < 100) return usage_error("--sample-rows must be at least 100");
            setup_flags.sample_rows = static_cast<std::size_t>(v);
            setup_given = true;
        } else if (a == "--max-categories" || a == "--text-dims") {
            const bool cats = a == "--max-categories";
            const long long v = integer(cats ? "--max-categories" : "--text-dims");
            if (v < 2 || v > (cats ? 1000 : 300))
                return usage_error(std::string(cats ? "--max-categories must be from 2 to 1000" : "--text-dims must be from 2 to 300"));
            (cats ? setup_flags.typing.max_categories : setup_flags.typing.text_dims) = static_cast<int>(v);
            setup_given = true;
        }
        else if (a == "--delimiter") {
            const std::string v = value("--delimiter");
            setup_given = true;
            if (v == "tab" || v == "\\t") setup_flags.delimiter = '\t';
            else if (v.size() == 1 && (v == "," || v == ";" || v == "|" || v == "\t")) setup_flags.delimiter = v[0];
            else return usage_error("--delimiter must be , ; | or tab");
        } else if (a == "--decimal") {
            const std::string v = value("--decimal");
            setup_given = true;
            if (v == "point" || v == ".") setup_flags.decimal = '.';
            else if (v == "comma" || v == ",") setup_flags.decimal = ',';
            else return usage_error("--decimal must be point or comma");
        } else if (a == "--header") {
            const std::string v = value("--header");
            setup_given = true;
            if (v == "yes") setup_flags.header = 1;
            else if (v == "no") setup_flags.header = 0;
            else return usage_error("--header must be yes or no");
        }
        else if (a == "--report") report_path = value("--report");
        else if (a == "--png") png_path = value("--png");
        else if (a == "--png-size") {
            const std::string v = value("--png-size");
            unsigned long w = 0, h = 0;
            char rest = 0;
            if (std::sscanf(v.c_str(), "%lux%lu%c", &w, &h, &rest) != 2 || w < 64 || h < 64 || w > 8192 || h > 8192)
                return usage_error("--png-size must be WIDTHxHEIGHT, each from 64 to 8192");
            png_w = w, png_h = h;
        }
        else if (a == "--share-state") share_path = value("--share-state");
        else if (a == "--open-state") open_state_path = value("--open-state");
        else if (a == "--explain-rounds") explain_rounds = static_cast<int>(integer("--explain-rounds"));
        else if (a == "--explain-depth") explain_depth = static_cast<int>(integer("--explain-depth"));
        else if (a == "--cluster-pca-dims") overrides["cluster_pca_dims"] = integer("--cluster-pca-dims");
        else if (a == "--k" || a == "--n-clusters") overrides["n_clusters"] = integer(a.c_str());
        else if (a == "--covariance") overrides["gmm_covariance"] = value("--covariance");
        else if (a == "--sweep") {
            const std::string v = value("--sweep");
            const auto colon = v.find(':');
            char* end1 = nullptr;
            char* end2 = nullptr;
            if (colon != std::string::npos) {
                sweep_min = static_cast<int>(std::strtol(v.substr(0, colon).c_str(), &end1, 10));
                sweep_max = static_cast<int>(std::strtol(v.c_str() + colon + 1, &end2, 10));
            }
            if (colon == std::string::npos || *end1 != '\0' || *end2 != '\0' || colon == 0 || colon + 1 == v.size())
                return usage_error("--sweep needs A:B, e.g. 2:12");
        }
        else if (a == "--min-cluster-size") overrides["min_cluster_size"] = integer("--min-cluster-size");
        else if (a == "--min-cluster-fraction") overrides["min_cluster_fraction"] = number("--min-cluster-fraction");
        else if (a == "--min-samples") overrides["min_samples"] = integer("--min-samples");
        else if (a == "--cluster-selection") overrides["cluster_selection"] = value("--cluster-selection");
        else if (a == "--cluster-selection-epsilon") overrides["cluster_selection_epsilon"] = number("--cluster-selection-epsilon");
        else if (a == "--allow-single-cluster") overrides["allow_single_cluster"] = true;
        else if (a == "--max-cluster-size") overrides["max_cluster_size"] = integer("--max-cluster-size");
        else if (a == "--hdbscan-rules") overrides["hdbscan_rules"] = value("--hdbscan-rules");
        else if (a == "-h" || a == "--help") {
            std::cout << kUsage;
            return 0;
        } else if (!a.empty() && a[0] == '-') return usage_error("unknown option " + a);
        else if (input.empty()) input = a;
        else return usage_error("unexpected argument " + a);
    }
    if (input.empty()) return usage_error("missing input CSV");
    if (out_dir.empty()) return usage_error("missing --out DIR");
    if (threads < 1) return usage_error("--threads must be >= 1");
    if (depth < 0 || depth > 10) return usage_error("--depth must be from 0 to 10");
    if (!(min_fraction >= 0 && min_fraction < 1)) return usage_error("--min-fraction must be in [0, 1)");
    if (stability < 0 || stability > 20) return usage_error("--stability must be from 0 to 20");
    if (explain_rounds < 0 || explain_rounds > 1000) return usage_error("--explain-rounds must be from 1 to 1000");
    if (explain_depth < 0 || explain_depth > 12) return usage_error("--explain-depth must be from 1 to 12");

    nlohmann::json merged = recipe_json.empty() ? nlohmann::json::object()
                                                 : nlohmann::json::parse(recipe_json, nullptr, false);
    if (merged.is_discarded() || !merged.is_object()) return fail("--recipe is not a JSON object");
    merged.update(overrides);
    auto recipe = recipe_from_json(json_text(merged));
    if (!recipe) return fail(recipe.error());
    if (!scale_flag.empty() && !parse_scale_method(scale_flag, recipe->scale))
        return fail("--scale must be zscore, minmax or none");
    if (!columns_flag.empty()) recipe->columns = split_commas(columns_flag);

    auto t0 = std::chrono::steady_clock::now();
    auto read = read_text_file(input);
    if (!read) return fail(read.error());
    std::string text = std::move(*read);
    // A session file instead of a CSV: the saved exploration is restored, nothing is recomputed.
    std::unique_ptr<SessionFile> saved;
    if (is_session_file(text)) {
        auto f = decode_session_file(text);
        if (!f) return fail(input + ": " + f.error());
        saved = std::make_unique<SessionFile>(std::move(*f));
        text = std::move(saved->data_text);
    }
    const std::string name = saved ? saved->data_name : file_name_of(input);
    // The data setup: the flags, or the one a session file or a share state was made with.
    std::unique_ptr<ShareState> state;
    if (!open_state_path.empty() && !saved) {
        auto state_text = read_text_file(open_state_path);
        if (!state_text) return fail("--open-state: " + state_text.error());
        auto parsed = parse_share_state(*state_text);
        if (!parsed) return fail("--open-state: " + parsed.error());
        state = std::make_unique<ShareState>(std::move(*parsed));
    }
    DataSetup setup = setup_flags;
    if (saved || state) {
        Result<DataSetup> carried = saved ? parse_data_setup(saved->data_setup) : Result<DataSetup>(state->setup);
        if (!carried) return fail(input + ": " + carried.error());
        if (setup_given && !(*carried == setup))
            return fail(std::string(saved ? "the session file" : "the share state") +
                        " carries its own reader options and column roles; leave out --delimiter, --decimal, --header, "
                        "--skip-bad-rows, --role, --max-categories and --text-dims");
        setup = *carried;
    }
    auto loaded = load_dataset(session_path.empty() ? std::move(text) : text, name, setup, threads);
    double load_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    if (!loaded) {
        const bool bad_row = loaded.error().find(" but the header has ") != std::string::npos ||
                             loaded.error().find(" but the first row has ") != std::string::npos;
        return fail(input + ": " + loaded.error() + (bad_row ? " (--skip-bad-rows loads the other rows)" : ""));
    }
    for (const auto& w : loaded->warnings) std::cerr << "recluster: warning: " << w << "\n";
    const auto data = std::make_shared<const Dataset>(std::move(*loaded));

    // The top level, then (with --depth) the hierarchy below it; or the views of a session file or a share state.
    std::unique_ptr<Session> session_ptr;
    if (saved) {
        auto restored = restore_session(data, *saved);
        if (!restored) return fail(input + ": " + restored.error());
        session_ptr = std::move(*restored);
        *recipe = session_ptr->node(session_ptr->root()).recipe;
    } else if (state) {
        session_ptr = std::make_unique<Session>(data);
        ShareReplayJob job(*session_ptr, std::move(*state), threads);
        while (job.step(1 << 20)) {
        }
        if (job.failed()) return fail("--open-state: " + job.error());
        *recipe = session_ptr->node(session_ptr->root()).recipe;
    } else {
        session_ptr = std::make_unique<Session>(data);
        if (auto done = compute_node(*session_ptr, session_ptr->root(), *recipe, threads); !done) return fail(done.error());
    }
    Session& session = *session_ptr;
    const std::shared_ptr<const PipelineOutput> out = session.node(session.root()).output;
    if (depth > 0) {
        HierarchyOptions ho;
        ho.max_depth = depth;
        ho.min_fraction = min_fraction;
        ho.n_threads = threads;
        HierarchyJob job(session, session.root(), ho);
        while (job.step(1 << 20)) {
        }
        if (job.failed()) return fail(job.error());
    }
    if (stability > 0)
        for (std::size_t id = 0; id < session.size(); ++id) {
            const SessionNode& n = session.node(static_cast<int>(id));
            if (!n.output || (id > 0 && n.path.empty()) || !n.stability.is_null()) continue;
            StabilityOptions so;
            so.seeds = stability;
            so.bootstraps = stability;
            so.n_threads = threads;
            StabilityJob job(n.data, n.recipe, n.output->labels, so);
            while (job.step()) {
            }
            if (job.failed()) return fail(job.error());
            session.set_stability(static_cast<int>(id), job.result_json());
        }

    double explain_ms = 0;
    if (explain)
        for (std::size_t id = 0; id < session.size(); ++id) {
            const SessionNode& n = session.node(static_cast<int>(id));
            if (!n.output || (id > 0 && n.path.empty()) || n.output->clustering.sizes.empty() || n.explanations) continue;
            ExplainOptions eo;
            if (explain_rounds > 0) eo.booster.n_rounds = explain_rounds;
            if (explain_depth > 0) eo.booster.max_depth = explain_depth;
            eo.seed = n.recipe.seed;
            eo.n_threads = threads;
            const auto te = std::chrono::steady_clock::now();
            ExplainJob job(session.explain_input(static_cast<int>(id)), eo);
            while (job.step()) {
            }
            explain_ms += std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - te).count();
            session.add_explanations(static_cast<int>(id), job.explanations());
        }

    std::error_code ec;
    std::filesystem::create_directories(out_dir, ec);
    if (ec) return fail("cannot create " + out_dir + ": " + ec.message());
    if (explain) {
        // DIR/models/<path>.json: the model of hierarchical cluster <path> in XGBoost's JSON format;
        // DIR/models/index.json lists them with the feature order; DIR/shap_summary.json the explanations.
        std::filesystem::create_directories(out_dir + "/models", ec);
        if (ec) return fail("cannot create " + out_dir + "/models: " + ec.message());
        nlohmann::json index, models = nlohmann::json::array(), summary_list = nlohmann::json::array();
        nlohmann::json views = nlohmann::json::array();  // every computed view (a view without clusters: all noise)
        index["features"] = out->feature_columns;
        // How new rows are read and typed to give these features (recluster predict).
        const NewRowTyping typing = new_row_typing(*data, setup.typing);
        nlohmann::json roles = nlohmann::json::object(), text_models = nlohmann::json::object();
        for (const auto& [name, role] : typing.roles) roles[name] = column_role_name(role);
        index["column_roles"] = roles;
        index["text_columns"] = typing.text_columns;
        index["data_setup"] = nlohmann::json::parse(data_setup_json(setup));
        // A text column's words become features through its fitted TF-IDF + LSA: models/text_<k>.json.
        for (const auto& [name, model] : typing.text_models) {
            const std::string file = "models/text_" + std::to_string(text_models.size() + 1) + ".json";
            std::ofstream f(out_dir + "/" + file);
            if (!f) return fail("cannot write " + out_dir + "/" + file);
            f << text_model_json(*model) << "\n";
            text_models[name] = file;
        }
        index["text_models"] = text_models;
        for (std::size_t id = 0; id < session.size(); ++id) {
            const SessionNode& n = session.node(static_cast<int>(id));
            if (n.output && (id == 0 || !n.path.empty())) views.push_back({{"path", n.path}, {"clusters", n.output->clustering.sizes.size()}});
            if (!n.explanations) continue;
            for (const auto& e : *n.explanations) {
                std::string path = n.path.empty() ? std::to_string(e.cluster) : n.path;
                if (!n.path.empty()) {
                    path += ".";
                    path += std::to_string(e.cluster);
                }
                const std::string file = "models/" + path + ".json";
                std::ofstream f(out_dir + "/" + file);
                if (!f) return fail("cannot write " + out_dir + "/" + file);
                f << to_xgboost_json(e.model, n.output->feature_columns) << "\n";
                nlohmann::json item = nlohmann::json::parse(explanation_json(e, n.output->feature_columns, 20));
                item["path"] = path;
                item["parent"] = n.path;
                item["file"] = file;
                summary_list.push_back(item);
                models.push_back({{"path", path}, {"parent", n.path}, {"cluster", e.cluster}, {"file", file},
                                  {"auc", item["auc"]}, {"size", e.size}});
            }
        }
        index["models"] = models;
        index["views"] = views;
        std::ofstream(out_dir + "/models/index.json") << json_text(index, 2) << "\n";
        std::ofstream(out_dir + "/shap_summary.json") << json_text(summary_list, 2) << "\n";
    }
    // Hierarchical paths when the exploration goes below the top view.
    bool with_paths = depth > 0;
    for (std::size_t id = 1; id < session.size(); ++id) with_paths |= session.node(static_cast<int>(id)).output && !session.node(static_cast<int>(id)).path.empty();
    {
        std::ofstream f(out_dir + "/embedding.csv");
        if (!f) return fail("cannot write " + out_dir + "/embedding.csv");
        f << "row,x,y\n";
        char buf[96];
        for (std::size_t r = 0; r < out->embedding.rows; ++r) {
            // %.9g round-trips float32 exactly.
            std::snprintf(buf, sizeof buf, "%zu,%.9g,%.9g\n", r, static_cast<double>(out->embedding.at(r, 0)),
                          static_cast<double>(out->embedding.at(r, 1)));
            f << buf;
        }
    }
    {
        std::ofstream f(out_dir + "/labels.csv");
        if (!f) return fail("cannot write " + out_dir + "/labels.csv");
        // With a hierarchy, `path`: the row's hierarchical label (3, 3.1, 3.1.noise, noise).
        const std::vector<std::string> paths = with_paths ? session.row_paths() : std::vector<std::string>();
        f << "row,cluster,probability,outlier_score,x,y" << (with_paths ? ",path" : "") << "\n";
        char buf[160];
        const auto& c = out->clustering;
        for (std::size_t r = 0; r < out->embedding.rows; ++r) {
            std::snprintf(buf, sizeof buf, "%zu,%d,%.6g,%.6g,%.9g,%.9g", r, out->labels[r],
                          static_cast<double>(c.probabilities[r]), static_cast<double>(c.outlier_scores[r]),
                          static_cast<double>(out->embedding.at(r, 0)), static_cast<double>(out->embedding.at(r, 1)));
            f << buf;
            if (with_paths) f << ',' << paths[r];
            f << '\n';
        }
    }
    nlohmann::json clustering = nlohmann::json::parse(clustering_info_json(out->clustering));
    // Space that was clustered, shared with the metrics and the sweep.
    auto space = out->cluster_input ? out->cluster_input : std::make_shared<const Matrix>(out->embedding);
    {
        MetricsInput mi;
        mi.space = space;
        mi.labels = out->labels;
        mi.density = out->clustering.method == "hdbscan" || out->clustering.method == "dbscan";
        mi.seed = recipe->seed;
        mi.n_threads = threads;
        if (!truth_column.empty()) {
            const std::size_t col = data->column_index(truth_column);
            if (col == data->columns.size()) return fail("--truth-column: column '" + truth_column + "' does not exist");
            mi.truth_column = truth_column;
            mi.truth = label_codes(*data, col);
        }
        MetricsJob job(std::move(mi));
        while (job.step()) {
        }
        nlohmann::json report = nlohmann::json::parse(job.result_json());
        if (report.contains("agreement")) clustering["agreement"] = report["agreement"];
        report.erase("agreement");
        clustering["validity"] = report;
    }
    if (recipe->cluster == "dbscan") {
        // The k-distance curve (k = min_samples - 1 other rows) to pick eps, and its knee as a suggestion.
        const int k = std::max(1, out->clustering.min_samples - 1);
        const std::vector<float> kd = k_distances(*space, k, threads);
        std::ofstream f(out_dir + "/k_distance.csv");
        if (!f) return fail("cannot write " + out_dir + "/k_distance.csv");
        f << "rank,distance\n";
        char buf[64];
        for (std::size_t i = 0; i < kd.size(); ++i) {
            std::snprintf(buf, sizeof buf, "%zu,%.9g\n", i, static_cast<double>(kd[i]));
            f << buf;
        }
        clustering["k_distance"] = {{"k", k}, {"knee", k_distance_knee(kd)}, {"file", "k_distance.csv"}};
    }
    if (const auto& ct = out->clustering.condensed) {
        // The condensed tree row by row (hdbscan's condensed_tree_ layout): each row or child cluster leaving a
        // cluster at lambda = 1 / distance; child_is_cluster tells which kind `child` is.
        std::ofstream f(out_dir + "/condensed_tree.csv");
        if (!f) return fail("cannot write " + out_dir + "/condensed_tree.csv");
        f << "parent,child,child_is_cluster,lambda,child_size\n";
        char buf[128];
        for (std::size_t i = 0; i < ct->parent.size(); ++i) {
            const bool is_cluster = ct->child[i] >= static_cast<int>(ct->n_points);
            const int child = is_cluster ? ct->child[i] - static_cast<int>(ct->n_points) : ct->child[i];
            std::snprintf(buf, sizeof buf, "%d,%d,%d,%.9g,%d\n", ct->parent[i], child, is_cluster ? 1 : 0, ct->lambda[i],
                          ct->child_size[i]);
            f << buf;
        }
        auto tree = nlohmann::json::parse(condensed_tree_json(out->clustering));
        clustering["condensed_tree"] = {{"file", "condensed_tree.csv"}, {"clusters", tree["clusters"].size()}};
    }
    if (sweep_max > 0) {
        SweepOptions so;
        so.method = recipe->cluster == "gmm" ? "gmm" : "kmeans";
        so.k_min = sweep_min;
        so.k_max = sweep_max;
        so.covariance = recipe->gmm_covariance == "diag" ? Covariance::Diagonal : Covariance::Full;
        so.seed = recipe->seed;
        so.n_threads = threads;
        ClusterSweep sweep(space, so);
        while (sweep.step()) {
        }
        std::ofstream f(out_dir + "/sweep.csv");
        if (!f) return fail("cannot write " + out_dir + "/sweep.csv");
        f << "k,inertia,silhouette,bic,log_likelihood\n";
        char buf[160];
        for (const auto& p : sweep.points()) {
            std::snprintf(buf, sizeof buf, "%d,%.9g,%.9g,%.9g,%.9g\n", p.k, p.inertia, p.silhouette, p.bic, p.log_likelihood);
            f << buf;
        }
        nlohmann::json sj = nlohmann::json::parse(sweep.result_json());
        sj.erase("points");
        sj["file"] = "sweep.csv";
        clustering["sweep"] = sj;
    }
    if (stability > 0) clustering["stability"] = session.node(session.root()).stability;
    std::ofstream(out_dir + "/metrics.json") << json_text(clustering, 2) << "\n";
    if (with_paths) {
        // hierarchy.json and, per drilled node, DIR/nodes/<path>.csv: its rows (original indices), map, clusters.
        std::ofstream(out_dir + "/hierarchy.json") << json_text(nlohmann::json::parse(session.hierarchy_json()), 2) << "\n";
        std::filesystem::create_directories(out_dir + "/nodes", ec);
        if (ec) return fail("cannot create " + out_dir + "/nodes: " + ec.message());
        for (std::size_t id = 1; id < session.size(); ++id) {
            const SessionNode& n = session.node(static_cast<int>(id));
            if (!n.output || n.path.empty()) continue;
            std::ofstream f(out_dir + "/nodes/" + n.path + ".csv");
            if (!f) return fail("cannot write " + out_dir + "/nodes/" + n.path + ".csv");
            f << "row,x,y,cluster\n";
            char buf[96];
            for (std::size_t i = 0; i < n.rows.size(); ++i) {
                std::snprintf(buf, sizeof buf, "%zu,%.9g,%.9g,%d\n", n.rows[i], static_cast<double>(n.output->embedding.at(i, 0)),
                              static_cast<double>(n.output->embedding.at(i, 1)), n.output->labels[i]);
                f << buf;
            }
        }
    }
    // Text columns: each computed view's clusters by their most distinctive words.
    nlohmann::json term_views = nlohmann::json::array();
    for (std::size_t id = 0; id < session.size(); ++id) {
        const SessionNode& n = session.node(static_cast<int>(id));
        if (!n.output || (id > 0 && n.path.empty())) continue;
        nlohmann::json columns = nlohmann::json::array();
        for (std::size_t c = 0; c < n.data->original_columns(); ++c)
            if (n.data->columns[c].role == ColumnRole::Text)
                columns.push_back(nlohmann::json::parse(top_terms_json(top_terms(n.data->columns[c].text, n.output->labels),
                                                                       n.data->columns[c].name)));
        if (!columns.empty()) term_views.push_back({{"path", n.path}, {"columns", columns}});
    }
    if (!term_views.empty()) std::ofstream(out_dir + "/top_terms.json") << json_text(term_views, 2) << "\n";
    nlohmann::json summary;
    summary["input"] = input;
    summary["fingerprint"] = data->fingerprint;  // SHA-256 of the input file
    summary["clustering"] = clustering;
    summary["rows"] = data->rows;
    if (depth > 0)
        summary["hierarchy"] = {{"depth", depth}, {"min_fraction", min_fraction}, {"nodes", session.size()}, {"file", "hierarchy.json"}};
    summary["columns_used"] = out->feature_columns;
    nlohmann::json roles = nlohmann::json::object();
    for (std::size_t c = 0; c < data->original_columns(); ++c) roles[data->columns[c].name] = column_role_name(data->columns[c].role);
    summary["column_roles"] = roles;
    if (!setup.is_default()) summary["data_setup"] = nlohmann::json::parse(data_setup_json(setup));
    summary["recipe"] = nlohmann::json::parse(recipe->to_json());
    summary["explained_variance_ratio"] = out->explained_variance_ratio;
    if (!out->pca_solver.empty()) summary["pca_solver"] = out->pca_solver;
    if (recipe->embedding == "umap")
        summary["umap"] = nlohmann::json::parse(umap_info_json(out->umap));
    nlohmann::json timings;
    timings["load"] = load_ms;
    for (const auto& t : out->timings) timings[t.stage] = t.ms;
    if (explain) timings["explain"] = explain_ms;
    summary["timings_ms"] = timings;
    summary["threads"] = threads;
    summary["warnings"] = data->warnings;
    std::ofstream(out_dir + "/summary.json") << json_text(summary, 2) << "\n";
    if (!export_path.empty()) {
        std::ofstream f(export_path);
        if (!f) return fail("cannot write " + export_path);
        f << export_labels_csv(session);
    }
    if (!report_path.empty()) {
        std::ofstream f(report_path, std::ios::binary);
        if (!f) return fail("cannot write " + report_path);
        f << html_report(session);
    }
    if (!png_path.empty()) {
        MapImageSpec spec;
        spec.width = png_w, spec.height = png_h;
        spec.header = {data->name + ": all rows", std::to_string(data->rows) + " rows, " + out->clustering.method};
        const RgbImage img = cluster_map_image(*out, spec);
        std::ofstream f(png_path, std::ios::binary);
        if (!f) return fail("cannot write " + png_path);
        f << encode_png_rgb(img.pixels, img.width, img.height);
    }
    if (!share_path.empty()) {
        std::ofstream f(share_path);
        if (!f) return fail("cannot write " + share_path);
        ShareState st = share_state_of(session);
        st.setup = setup;
        f << share_state_json(st) << "\n";
    }
    if (!session_path.empty()) {
        auto bytes = encode_session_file(session, text, "", data_setup_json(setup));
        if (!bytes) return fail("--save-session: " + bytes.error());
        std::ofstream f(session_path, std::ios::binary);
        if (!f) return fail("cannot write " + session_path);
        f << *bytes;
    }
    // What the columns are used for, where it is not plain "feature" (pixel columns said once).
    bool pixels_said = false;
    for (std::size_t c = 0; c < data->original_columns(); ++c) {
        const Column& col = data->columns[c];
        if (col.role == ColumnRole::Feature || (col.role == ColumnRole::Pixels && pixels_said)) continue;
        pixels_said = pixels_said || col.role == ColumnRole::Pixels;
        std::cerr << "recluster: column '" << col.name << "': " << column_role_name(col.role)
                  << (col.note.empty() ? "" : " (" + col.note + ")") << "\n";
    }
    std::cout << "recluster: " << data->rows << " rows x " << out->feature_columns.size() << " features -> "
              << out->clustering.sizes.size() << " clusters";
    if (out->clustering.method == "hdbscan" || out->clustering.method == "dbscan")
        std::cout << ", " << out->clustering.n_noise << " noise rows";
    std::cout << " -> " << out_dir << "/labels.csv\n";
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) return usage_error("missing command");
    std::string cmd = argv[1];
    if (cmd == "-h" || cmd == "--help" || cmd == "help") {
        std::cout << kUsage;
        return 0;
    }
    try {
        if (cmd == "run") return run(argc, argv);
        if (cmd == "train") return train_command(argc, argv);
        if (cmd == "predict") return predict_command(argc, argv);
        return usage_error("unknown command '" + cmd + "'");
    } catch (const std::exception& e) {
        return fail(e.what());
    }
}
