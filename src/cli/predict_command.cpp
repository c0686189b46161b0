// recluster predict: hierarchical cluster paths for new rows from the models `recluster run --explain` wrote.
//   recluster predict DIR NEW.csv --out PREDS.csv
// Reads DIR/models/index.json and the models it lists (XGBoost JSON), applies them top-down (explain/path_predictor)
// and writes PREDS.csv: row,path,confidence,probability.
#include "predict_command.hpp"

#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "explain/path_predictor.hpp"
#include "explain/xgboost_json.hpp"
#include "io/csv_reader.hpp"

namespace recluster {

namespace {
const char* kPredictUsage =
    "usage: recluster predict DIR NEW.csv --out PREDS.csv\n"
    "\n"
    "Assigns every row of NEW.csv to a cluster path (3, 3.1, noise, ...) with the per-cluster models of an earlier\n"
    "`recluster run ... --explain --out DIR` (applied top-down through the zoomed-in views), without re-running UMAP\n"
    "or HDBSCAN. NEW.csv needs the feature columns the models were trained on (by name).\n"
    "Writes PREDS.csv: row,path,confidence (product of the probabilities along the path),probability (last level).\n";

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
    for (int i = 2; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--out" && i + 1 < argc) out_path = argv[++i];
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

    auto data = read_csv_file(input);
    if (!data) return predict_fail(input + ": " + data.error());
    std::vector<const std::vector<float>*> columns;
    for (const auto& name : features) {
        const std::size_t c = data->column_index(name);
        if (c == data->columns.size()) return predict_fail(input + " has no column '" + name + "' (the models need it)");
        if (data->columns[c].type != ColumnType::Numeric) return predict_fail(input + ": column '" + name + "' is not numeric");
        columns.push_back(&data->columns[c].numbers);
    }
    std::ofstream out(out_path);
    if (!out) return predict_fail("cannot write " + out_path);
    out << "row,path,confidence,probability\n";
    std::vector<float> row(features.size());
    std::map<std::string, std::size_t> counts;
    char buf[64];
    for (std::size_t r = 0; r < data->rows; ++r) {
        for (std::size_t f = 0; f < columns.size(); ++f) row[f] = (*columns[f])[r];
        const PathPrediction p = predictor.predict(row.data());
        std::snprintf(buf, sizeof buf, ",%.6g,%.6g\n", p.confidence, p.probability);
        out << r << "," << p.path << buf;
        ++counts[p.path];
    }
    std::cout << "recluster: " << data->rows << " rows -> " << counts.size() << " paths -> " << out_path << "\n";
    return 0;
}

}  // namespace recluster
