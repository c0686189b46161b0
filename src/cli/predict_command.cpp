// recluster predict: hierarchical cluster paths for new rows from the models `recluster run --explain` wrote.
//   recluster predict DIR NEW.csv --out PREDS.csv
// Reads DIR/models/index.json and the models it lists (XGBoost JSON), applies them top-down (explain/path_predictor)
// and writes PREDS.csv: row,path,confidence,probability.
#include "predict_command.hpp"

#include <cmath>
#include <cstdlib>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/parallel_for.hpp"
#include "explain/path_predictor.hpp"
#include "explain/xgboost_json.hpp"
#include "io/csv_reader.hpp"
#include "pipeline/data_setup.hpp"
#include "pipeline/row_assignment.hpp"
#include "prep/text_model_json.hpp"

namespace recluster {

namespace {
const char* kPredictUsage =
    "usage: recluster predict DIR NEW.csv --out PREDS.csv [--threads N]\n"
    "\n"
    "Assigns every row of NEW.csv to a cluster path (3, 3.1, noise, ...) with the per-cluster models of an earlier\n"
    "`recluster run ... --explain --out DIR` (applied top-down through the zoomed-in views), without re-running UMAP\n"
    "or HDBSCAN. NEW.csv needs the columns the models' features came from (by name); it is read and its columns\n"
    "typed as the data was (categories one-hot encoded, vectors expanded, text embedded with the data's TF-IDF + LSA).\n"
    "NEW.csv is streamed: a file of any size.\n"
    "Writes PREDS.csv: row,path,confidence (product of the probabilities along the path),probability (last level).\n"
    "The rows go through the models on --threads threads (default: all cores); the output does not depend on it.\n";

int predict_fail(const std::string& message) {
    std::cerr << "recluster: error: " << message << "\n";
    return 1;
}

bool read_text(const std::string& path, std::string& out) {
    auto text = read_text_file(path);
    if (text) out = std::move(*text);
    return text.ok();
}
}  // namespace

int predict_command(int argc, char** argv) {
    std::string dir, input, out_path;
    int threads = available_threads();
    for (int i = 2; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--out" && i + 1 < argc) out_path = argv[++i];
        else if (a == "--threads" && i + 1 < argc) {
            threads = std::atoi(argv[++i]);
            if (threads < 1 || threads > 64) {
                std::cerr << "recluster: --threads must be from 1 to 64\n" << kPredictUsage;
                return 2;
            }
        }
        else if (a == "-h" || a == "--help") {
            std::cout << kPredictUsage;
            return 0;
        } else if (!a.empty() && a[0] == '-') {
            std::cerr << "recluster: unknown option " << a << "\n" << kPredictUsage;
            return 2;
        } else if (dir.empty()) dir = a;
        else if (input.empty()) input = a;
        else {
            std::cerr << "recluster: unexpected argument " << a << "\n" << kPredictUsage;
            return 2;
        }
    }
    if (dir.empty() || input.empty() || out_path.empty()) {
        std::cerr << "recluster: predict needs DIR, NEW.csv and --out\n" << kPredictUsage;
        return 2;
    }
    std::string text;
    if (!read_text(dir + "/models/index.json", text))
        return predict_fail(dir + "/models/index.json not found: run `recluster run DATA.csv --explain --out " + dir + "` first");
    const nlohmann::json index = nlohmann::json::parse(text, nullptr, false);
    if (index.is_discarded() || !index.contains("features") || !index.contains("models") || !index["models"].is_array())
        return predict_fail(dir + "/models/index.json is not a model index");
    std::vector<std::string> features;
    for (const auto& f : index["features"]) features.push_back(f.get<std::string>());
    // The models of each view, by the view's path ("" = the top).
    std::map<std::string, std::pair<std::vector<int>, std::vector<BoosterModel>>> views;
    for (const auto& m : index["models"]) {
        const std::string file = m.value("file", "");
        if (!read_text(dir + "/" + file, text)) return predict_fail("cannot read " + dir + "/" + file);
        auto model = from_xgboost_json(text);
        if (!model) return predict_fail(dir + "/" + file + ": " + model.error());
        if (model->n_features != features.size()) return predict_fail(dir + "/" + file + " reads a different number of features");
        auto& v = views[m.value("parent", "")];
        v.first.push_back(m.value("cluster", -1));
        v.second.push_back(std::move(*model));
    }
    // Views computed without clusters (all noise) send their rows to "<view>.noise".
    if (index.contains("views") && index["views"].is_array())
        for (const auto& v : index["views"]) views[v.value("path", "")];
    if (!views.count("")) return predict_fail(dir + "/models/index.json has no top-level models");
    PathPredictor predictor;
    for (auto& [path, v] : views) predictor.add_view(path, std::move(v.first), std::move(v.second));

    // New rows are read like the data (its reader options) and their columns take the data's roles.
    auto setup = parse_data_setup(index.contains("data_setup") ? index["data_setup"].dump() : std::string());
    if (!setup) return predict_fail(dir + "/models/index.json: " + setup.error());
    RowAssignmentSetup assignment;
    assignment.features = features;
    assignment.n_threads = threads;
    assignment.read = setup->csv_options();
    assignment.typing.typing = setup->typing;
    if (index.contains("column_roles") && index["column_roles"].is_object())
        for (const auto& [name, role] : index["column_roles"].items()) {
            ColumnRole r;
            if (!role.is_string() || !column_role_from_name(role.get<std::string>(), r))
                return predict_fail(dir + "/models/index.json: column '" + name + "' has an unknown role");
            assignment.typing.roles[name] = r;
        }
    if (index.contains("text_columns") && index["text_columns"].is_array())
        for (const auto& name : index["text_columns"])
            if (name.is_string()) assignment.typing.text_columns.push_back(name.get<std::string>());
    if (index.contains("text_models") && index["text_models"].is_object())
        for (const auto& [name, file] : index["text_models"].items()) {
            const std::string path = dir + "/" + (file.is_string() ? file.get<std::string>() : std::string());
            if (!read_text(path, text)) return predict_fail("cannot read " + path);
            auto model = parse_text_model_json(text);
            if (!model) return predict_fail(path + ": " + model.error());
            assignment.typing.text_models[name] = std::make_shared<const TextModel>(std::move(*model));
        }
    // NEW.csv is streamed in 4 MB slices and the paths written as they come: a file of any size.
    std::ifstream in(input, std::ios::binary);
    if (!in) return predict_fail("cannot read " + input);
    in.seekg(0, std::ios::end);
    const auto size = static_cast<std::uint64_t>(std::max<std::streamoff>(0, in.tellg()));
    if (size == 0) return predict_fail(input + ": The file is empty: a CSV needs a header row and at least one data row.");
    std::ofstream out(out_path, std::ios::binary);
    if (!out) return predict_fail("cannot write " + out_path);
    RowAssignmentJob job(input, size, std::move(assignment), std::move(predictor));
    std::string chunk;
    while (job.step()) {
        if (job.waiting() && job.wanted_offset() < size) {
            chunk.resize(static_cast<std::size_t>(std::min<std::uint64_t>(std::uint64_t{4} << 20, size - job.wanted_offset())));
            in.seekg(static_cast<std::streamoff>(job.wanted_offset()));
            in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
            if (!in) return predict_fail("cannot read " + input);
            job.feed(chunk.data(), chunk.size(), job.wanted_offset());
        }
        out << job.take_output();
    }
    if (!job.error().empty()) {
        out.close();
        std::remove(out_path.c_str());
        return predict_fail(input + ": " + job.error());
    }
    out << job.take_output();
    const std::size_t n_rows = job.rows();
    const auto& counts = job.counts();
    std::cout << "recluster: " << n_rows << " rows -> " << counts.size() << " paths -> " << out_path << "\n";
    return 0;
}

}  // namespace recluster
