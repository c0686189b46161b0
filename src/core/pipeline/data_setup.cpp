#include "pipeline/data_setup.hpp"

#include <nlohmann/json.hpp>

#include "common/format.hpp"
#include "pipeline/memory_estimate.hpp"
#include "common/json_text.hpp"

namespace recluster {

CsvOptions DataSetup::csv_options() const {
    CsvOptions o;
    o.delimiter = delimiter;
    o.decimal = decimal;
    o.header = header;
    o.skip_bad_rows = skip_bad_rows;
    o.sample_rows = sample_rows;
    // Text alone can be a table once typed (TF-IDF); whether features remain is the pipeline's question.
    o.require_numeric = false;
    return o;
}

std::string data_setup_json(const DataSetup& setup) {
    nlohmann::json j = nlohmann::json::parse(column_typing_json(setup.typing));
    if (setup.delimiter) j["delimiter"] = std::string(1, setup.delimiter);
    if (setup.decimal) j["decimal"] = std::string(1, setup.decimal);
    if (setup.header >= 0) j["header"] = setup.header == 1;
    if (setup.skip_bad_rows) j["skip_bad_rows"] = true;
    if (setup.sample_rows) j["sample_rows"] = setup.sample_rows;
    return json_text(j);
}

Result<DataSetup> parse_data_setup(const std::string& json) {
    using R = Result<DataSetup>;
    DataSetup setup;
    if (json.empty()) return setup;
    nlohmann::json j = nlohmann::json::parse(json, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return R::failure("The data setup must be a JSON object.");
    nlohmann::json typing = nlohmann::json::object();
    for (const auto& [key, value] : j.items()) {
        if (key == "delimiter") {
            const std::string v = value.is_string() ? value.get<std::string>() : "";
            if (v != "," && v != ";" && v != "\t" && v != "|")
                return R::failure("The delimiter must be one of , ; | or a tab.");
            setup.delimiter = v[0];
        } else if (key == "decimal") {
            const std::string v = value.is_string() ? value.get<std::string>() : "";
            if (v != "." && v != ",") return R::failure("The decimal separator must be . or ,");
            setup.decimal = v[0];
        } else if (key == "header") {
            if (!value.is_boolean()) return R::failure("\"header\" must be true or false.");
            setup.header = value.get<bool>() ? 1 : 0;
        } else if (key == "skip_bad_rows") {
            if (!value.is_boolean()) return R::failure("\"skip_bad_rows\" must be true or false.");
            setup.skip_bad_rows = value.get<bool>();
        } else if (key == "sample_rows") {
            if (!value.is_number_unsigned() || value.get<unsigned long long>() < 100 || value.get<unsigned long long>() > 1000000000ull)
                return R::failure("\"sample_rows\" must be a row count from 100 to 1,000,000,000.");
            setup.sample_rows = static_cast<std::size_t>(value.get<unsigned long long>());
        } else {
            typing[key] = value;  // the column typing's keys, checked there
        }
    }
    auto t = parse_column_typing(json_text(typing));
    if (!t) return R::failure(t.error());
    setup.typing = std::move(*t);
    return setup;
}

DataLoadJob::DataLoadJob(std::string text, std::string name, DataSetup setup, int n_threads, bool keep_text)
    : setup_(std::move(setup)), n_threads_(n_threads), name_(name) {
    CsvOptions o = setup_.csv_options();
    o.keep_text = keep_text;
    reader_ = std::make_unique<CsvReadJob>(std::move(text), std::move(name), std::move(o));
}

DataLoadJob::DataLoadJob(std::string name, std::uint64_t total_bytes, DataSetup setup, int n_threads)
    : setup_(std::move(setup)), n_threads_(n_threads), name_(name) {
    reader_ = std::make_unique<CsvReadJob>(std::move(name), total_bytes, setup_.csv_options());
}

double DataLoadJob::progress() const {
    if (done_) return 1.0;
    if (typing_) return 0.7 + 0.3 * typing_->progress();
    return 0.7 * reader_->progress();
}

const char* DataLoadJob::stage_name() const { return typing_ ? typing_->stage_name() : "reading CSV"; }

bool DataLoadJob::step() {
    if (done_) return false;
    if (!typing_) {
        const bool more = reader_->step(2000);
        if (more && !estimated_ && reader_->header_read()) {
            // Before reading the rest: does the table, and a run on it, fit?
            estimated_ = true;
            const CsvEstimate& e = reader_->estimate();
            // A text read whole is in memory twice per row (the page's copy, the kept bytes); a sample still holds it all.
            const double whole = reader_->streaming() ? 0.0 : static_cast<double>(reader_->total_bytes());
            const MemoryEstimate m = estimate_memory(e.rows * e.keep_share, e.numeric_columns, e.text_columns, e.text_bytes_per_row);
            if (memory_limit_ > 0 && m.total() + 2.0 * whole > memory_limit_) {
                suggested_sample_ = rows_within(0.8 * (memory_limit_ - 2.0 * whole), e.numeric_columns, e.text_columns, e.text_bytes_per_row);
                result_ = Result<Dataset>::failure(
                    name_ + " needs about " + format_bytes(m.total() + 2.0 * whole) + " of memory (about " +
                    format_count(static_cast<std::size_t>(e.rows * e.keep_share)) + " rows x " +
                    std::to_string(e.numeric_columns + e.text_columns) + " columns), more than the " + format_bytes(memory_limit_) +
                    " this browser tab can still use: " +
                    (suggested_sample_ ? "load a sample of " + format_count(suggested_sample_) + " rows, or" : std::string()) +
                    " use fewer columns.");
                done_ = true;
                return false;
            }
        }
        if (more) return true;
        text_ = reader_->take_text();
        auto parsed = reader_->finish();
        if (!parsed) {
            result_ = std::move(parsed);
            done_ = true;
            return false;
        }
        typing_ = std::make_unique<ColumnTypingJob>(std::move(*parsed), setup_.typing, n_threads_);
        return true;
    }
    if (typing_->step()) return true;
    result_ = typing_->finish();
    typing_.reset();
    done_ = true;
    return false;
}

Result<Dataset> DataLoadJob::finish() { return std::move(result_); }

Result<Dataset> load_dataset(std::string text, std::string name, const DataSetup& setup, int n_threads) {
    DataLoadJob job(std::move(text), std::move(name), setup, n_threads);
    while (job.step()) {
    }
    return job.finish();
}

}  // namespace recluster
