// recluster train: one binary boosted model for a label column, the booster the explanations use, with every
// setting exposed (for comparisons with XGBoost at equal settings, and for users who want a classifier).
//   recluster train DATA.csv --target COLUMN --positive VALUE --out MODEL.json [--test TEST.csv] [options]
// Writes MODEL.json in XGBoost's JSON model format and prints a JSON summary (timings, held-out AUC) on stdout.
#include "train_command.hpp"

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/parallel_for.hpp"
#include "explain/booster.hpp"
#include "explain/xgboost_json.hpp"
#include "io/csv_reader.hpp"
#include "common/json_text.hpp"

namespace recluster {

namespace {
const char* kTrainUsage =
    "usage: recluster train DATA.csv --target COLUMN --positive VALUE --out MODEL.json [options]\n"
    "\n"
    "Trains one gradient-boosted tree model (binary logistic loss, histogram method) predicting whether COLUMN\n"
    "equals VALUE from the other numeric columns; writes it in XGBoost's JSON model format and prints a JSON\n"
    "summary (rows, timings, AUC and accuracy on --test).\n"
    "\n"
    "options:\n"
    "  --test TEST.csv      score the model on these rows (same columns)\n"
    "  --rounds N           boosting rounds (default 100)\n"
    "  --depth D            tree depth (default 6)\n"
    "  --eta E              learning rate (default 0.3)\n"
    "  --max-bin B          histogram bins per feature, 2 to 255 (default 255)\n"
    "  --min-child-weight W hessian a child must keep (default 1)\n"
    "  --lambda L           L2 penalty on leaf weights (default 1)\n"
    "  --subsample S        share of rows per tree (default 1)\n"
    "  --colsample S        share of features per tree (default 1)\n"
    "  --early-stopping N   stop after N rounds without a better held-out loss (needs --validation; default off)\n"
    "  --validation F       hold out this share of DATA for early stopping (default 0)\n"
    "  --seed S             random seed (default 42)\n"
    "  --threads N          worker threads (default: all cores; results do not depend on it)\n";

int train_fail(const std::string& message) {
    std::cerr << "recluster: error: " << message << "\n";
    return 1;
}

// The numeric columns other than the target, and the 0 / 1 labels.
struct Table {
    Matrix x;
    std::vector<std::uint8_t> y;
    std::vector<std::string> names;
};

std::string read_table(const std::string& path, const std::string& target, const std::string& positive,
                       const std::vector<std::string>& want_names, Table& out) {
    auto loaded = read_csv_file(path);
    if (!loaded) return path + ": " + loaded.error();
    const Dataset& d = *loaded;
    const std::size_t t = d.column_index(target);
    if (t == d.columns.size()) return path + ": there is no column '" + target + "'";
    std::vector<std::size_t> cols;
    if (want_names.empty()) {
        for (std::size_t c : d.numeric_columns())
            if (c != t) cols.push_back(c);
    } else {
        for (const auto& name : want_names) {
            const std::size_t c = d.column_index(name);
            if (c == d.columns.size() || d.columns[c].type != ColumnType::Numeric)
                return path + ": column '" + name + "' is missing or not numeric";
            cols.push_back(c);
        }
    }
    if (cols.empty()) return path + ": no numeric feature column besides the target";
    out.x = Matrix(d.rows, cols.size());
    out.y.resize(d.rows);
    for (std::size_t r = 0; r < d.rows; ++r) {
        for (std::size_t k = 0; k < cols.size(); ++k) out.x.at(r, k) = d.columns[cols[k]].numbers[r];
        out.y[r] = d.cell_text(r, t) == positive ? 1 : 0;
    }
    for (std::size_t c : cols) out.names.push_back(d.columns[c].name);
    return "";
}
}  // namespace

int train_command(int argc, char** argv) {
    std::string input, target, positive, out_path, test_path;
    bool have_positive = false;
    BoosterOptions o;
    o.early_stopping_rounds = 0;
    o.validation_fraction = 0;
    int max_bin = 255;
    int threads = available_threads();
    for (int i = 2; i < argc; ++i) {
        const std::string a = argv[i];
        const auto value = [&](const char* flag) -> std::string {
            if (i + 1 >= argc) throw std::invalid_argument(std::string(flag) + " needs a value");
            return argv[++i];
        };
        const auto number = [&](const char* flag) {
            const std::string v = value(flag);
            char* end = nullptr;
            const double d = std::strtod(v.c_str(), &end);
            if (v.empty() || *end != '\0') throw std::invalid_argument(std::string(flag) + " needs a number");
            return d;
        };
        if (a == "--target") target = value("--target");
        else if (a == "--positive") { positive = value("--positive"); have_positive = true; }
        else if (a == "--out") out_path = value("--out");
        else if (a == "--test") test_path = value("--test");
        else if (a == "--rounds") o.n_rounds = static_cast<int>(number("--rounds"));
        else if (a == "--depth") o.max_depth = static_cast<int>(number("--depth"));
        else if (a == "--eta") o.eta = number("--eta");
        else if (a == "--max-bin") max_bin = static_cast<int>(number("--max-bin"));
        else if (a == "--min-child-weight") o.min_child_weight = number("--min-child-weight");
        else if (a == "--lambda") o.lambda = number("--lambda");
        else if (a == "--subsample") o.subsample = number("--subsample");
        else if (a == "--colsample") o.colsample_bytree = number("--colsample");
        else if (a == "--early-stopping") o.early_stopping_rounds = static_cast<int>(number("--early-stopping"));
        else if (a == "--validation") o.validation_fraction = number("--validation");
        else if (a == "--seed") o.seed = static_cast<std::uint64_t>(number("--seed"));
        else if (a == "--threads") threads = static_cast<int>(number("--threads"));
        else if (a == "-h" || a == "--help") {
            std::cout << kTrainUsage;
            return 0;
        } else if (!a.empty() && a[0] == '-') {
            std::cerr << "recluster: unknown option " << a << "\n" << kTrainUsage;
            return 2;
        } else if (input.empty()) {
            input = a;
        } else {
            std::cerr << "recluster: unexpected argument " << a << "\n" << kTrainUsage;
            return 2;
        }
    }
    if (input.empty() || target.empty() || !have_positive || out_path.empty()) {
        std::cerr << "recluster: train needs DATA.csv, --target, --positive and --out\n" << kTrainUsage;
        return 2;
    }
    if (threads < 1) return train_fail("--threads must be >= 1");
    o.n_threads = threads;
    if (max_bin < 2 || max_bin > 255) return train_fail("--max-bin must be from 2 to 255");
    try {
        o.validate();
    } catch (const std::exception& e) {
        return train_fail(e.what());
    }
    Table train;
    if (auto err = read_table(input, target, positive, {}, train); !err.empty()) return train_fail(err);
    std::size_t positives = 0;
    for (auto v : train.y) positives += v;
    if (positives == 0 || positives == train.y.size())
        return train_fail("every row of " + input + " is in one class ('" + target + "' == '" + positive + "' is " +
                          (positives ? "always" : "never") + " true)");
    const auto t0 = std::chrono::steady_clock::now();
    FeatureBinOptions bo;
    bo.max_bin = max_bin;
    bo.n_threads = threads;
    const FeatureBins bins = make_feature_bins(train.x, bo);
    const BinnedMatrix binned = bin_matrix(train.x, bins, threads);
    const auto t1 = std::chrono::steady_clock::now();
    BoosterJob job(bins, binned, train.y, o);
    while (job.step()) {
    }
    const auto t2 = std::chrono::steady_clock::now();
    std::ofstream(out_path) << to_xgboost_json(job.model(), train.names) << "\n";
    nlohmann::json s;
    s["rows"] = train.x.rows;
    s["features"] = train.x.cols;
    s["positives"] = positives;
    s["rounds"] = job.report().rounds;
    s["bin_ms"] = std::chrono::duration<double, std::milli>(t1 - t0).count();
    s["train_ms"] = std::chrono::duration<double, std::milli>(t2 - t1).count();
    s["threads"] = threads;
    if (!test_path.empty()) {
        Table test;
        if (auto err = read_table(test_path, target, positive, train.names, test); !err.empty()) return train_fail(err);
        std::vector<double> scores(test.x.rows);
        std::size_t correct = 0;
        for (std::size_t r = 0; r < test.x.rows; ++r) {
            scores[r] = job.model().margin(test.x.row(r));
            correct += (scores[r] > 0) == (test.y[r] == 1);
        }
        const double auc = roc_auc(scores, test.y);
        s["test_rows"] = test.x.rows;
        s["test_auc"] = std::isfinite(auc) ? nlohmann::json(auc) : nlohmann::json(nullptr);
        s["test_accuracy"] = static_cast<double>(correct) / static_cast<double>(std::max<std::size_t>(1, test.x.rows));
    }
    std::cout << json_text(s) << "\n";
    return 0;
}

}  // namespace recluster
