#include "prep/column_types.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "common/format.hpp"
#include "common/text.hpp"
#include "io/csv_reader.hpp"
#include "common/json_text.hpp"

namespace recluster {

namespace {

constexpr const char* kRoleNames[] = {"feature", "pixels", "category", "vector", "text", "label", "identifier", "ignore"};

bool is_pixel_name(const std::string& name) {
    const std::string n = ascii_lower(trim_view(name));
    for (const char* prefix : {"pixel", "pix", "px", "p"}) {
        const std::string_view p(prefix);
        if (n.size() <= p.size() || n.compare(0, p.size(), p) != 0) continue;
        std::size_t i = p.size();
        if (n[i] == '_' || n[i] == ' ') ++i;
        if (i == n.size()) return false;
        for (; i < n.size(); ++i)
            if (n[i] < '0' || n[i] > '9') return false;
        return true;
    }
    return false;
}

bool is_identifier_name(const std::string& name) {
    const std::string n = ascii_lower(trim_view(name));
    for (const char* id : {"", "id", "index", "idx", "row", "rowid", "row_id", "unnamed: 0", "#"})
        if (n == id) return true;
    return n.size() > 3 && (n.compare(n.size() - 3, 3, "_id") == 0 || n.compare(n.size() - 3, 3, " id") == 0);
}

// Distinct integers, none missing: a row number or a key.
bool distinct_integers(const Column& col) {
    if (col.stats.missing) return false;
    std::vector<float> v = col.numbers;
    for (float x : v)
        if (x != std::floor(x)) return false;
    std::sort(v.begin(), v.end());
    return std::adjacent_find(v.begin(), v.end()) == v.end();
}

bool is_label_name(const std::string& name) {
    const std::string n = ascii_lower(trim_view(name));
    for (const char* id : {"label", "labels", "target", "class", "species", "category", "segment", "truth"})
        if (n == id) return true;
    return false;
}

// Distinct present values of an integer column (0 when a value is not an integer).
std::size_t integer_levels(const Column& col) {
    std::vector<float> v;
    for (float x : col.numbers) {
        if (std::isnan(x)) continue;
        if (x != std::floor(x)) return 0;
        v.push_back(x);
    }
    std::sort(v.begin(), v.end());
    return static_cast<std::size_t>(std::unique(v.begin(), v.end()) - v.begin());
}

std::string number_text(float v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.7g", static_cast<double>(v));
    return buf;
}

}  // namespace

const char* column_role_name(ColumnRole role) { return kRoleNames[static_cast<int>(role)]; }

bool column_role_from_name(std::string_view name, ColumnRole& role) {
    for (int r = 0; r < 8; ++r)
        if (name == kRoleNames[r]) {
            role = static_cast<ColumnRole>(r);
            return true;
        }
    return false;
}

bool role_fits(ColumnRole role, ColumnType type) {
    switch (role) {
        case ColumnRole::Feature:
        case ColumnRole::Pixels: return type == ColumnType::Numeric;
        case ColumnRole::Vector:
        case ColumnRole::Text: return type == ColumnType::Text;
        default: return true;
    }
}

std::string column_typing_json(const ColumnTyping& typing) {
    nlohmann::json j = nlohmann::json::object();
    if (!typing.roles.empty()) {
        nlohmann::json roles = nlohmann::json::object();
        for (const auto& [name, role] : typing.roles) roles[name] = column_role_name(role);
        j["roles"] = roles;
    }
    if (typing.max_categories != 50) j["max_categories"] = typing.max_categories;
    if (typing.text_dims != 100) j["text_dims"] = typing.text_dims;
    return json_text(j);
}

Result<ColumnTyping> parse_column_typing(const std::string& json) {
    using R = Result<ColumnTyping>;
    ColumnTyping typing;
    if (json.empty()) return typing;
    const nlohmann::json j = nlohmann::json::parse(json, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return R::failure("Column roles must be a JSON object.");
    for (const auto& [key, value] : j.items()) {
        if (key == "roles") {
            if (!value.is_object()) return R::failure("Column roles: \"roles\" must map column names to roles.");
            for (const auto& [name, role] : value.items()) {
                ColumnRole r;
                if (!role.is_string() || !column_role_from_name(role.get<std::string>(), r))
                    return R::failure("Column '" + name + "': unknown role " + json_text(role) +
                                      " (feature, pixels, category, vector, text, label, identifier or ignore).");
                typing.roles[name] = r;
            }
        } else if (key == "max_categories" || key == "text_dims") {
            const bool cats = key == "max_categories";
            const long long lo = 2, hi = cats ? 1000 : 300;
            if (!value.is_number_integer() || value.get<long long>() < lo || value.get<long long>() > hi)
                return R::failure("Column roles: \"" + key + "\" must be an integer from " + std::to_string(lo) + " to " +
                                  std::to_string(hi) + ".");
            (cats ? typing.max_categories : typing.text_dims) = static_cast<int>(value.get<long long>());
        } else {
            return R::failure("Column roles: unknown key \"" + key + "\".");
        }
    }
    return typing;
}

bool parse_vector_cell(std::string_view cell, std::vector<float>& out) {
    out.clear();
    std::string_view s = trim_view(cell);
    if (s.size() >= 2 && ((s.front() == '[' && s.back() == ']') || (s.front() == '(' && s.back() == ')'))) s = s.substr(1, s.size() - 2);
    const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
    // Numbers (as the CSV reader reads them) separated by blanks, or by one comma or semicolon each.
    bool need_number = false;  // after a separator
    for (std::size_t i = 0;;) {
        while (i < s.size() && blank(s[i])) ++i;
        if (i == s.size()) return !out.empty() && !need_number;
        if (s[i] == ',' || s[i] == ';') {
            if (out.empty() || need_number) return false;  // a leading or doubled separator
            need_number = true;
            ++i;
            continue;
        }
        std::size_t j = i;
        while (j < s.size() && !blank(s[j]) && s[j] != ',' && s[j] != ';') ++j;
        double v = 0;
        if (!parse_decimal(s.substr(i, j - i), v) || !(std::fabs(v) <= 3.4e38)) return false;
        out.push_back(static_cast<float>(v));
        need_number = false;
        i = j;
    }
}

ColumnRole detect_column_role(const Dataset& data, std::size_t c, const ColumnTyping& typing, std::string& note) {
    const Column& col = data.columns.at(c);
    note.clear();
    if (col.type == ColumnType::Numeric) {
        if (is_pixel_name(col.name)) {
            std::size_t pixels = 0;
            for (const Column& other : data.columns)
                if (!other.derived() && other.type == ColumnType::Numeric && is_pixel_name(other.name)) ++pixels;
            const auto side = static_cast<std::size_t>(std::lround(std::sqrt(static_cast<double>(pixels))));
            if (pixels >= 16 && side * side == pixels) {
                note = "one of " + std::to_string(pixels) + " pixel columns (" + std::to_string(side) + " x " +
                       std::to_string(side) + " image)";
                return ColumnRole::Pixels;
            }
        }
        if (is_identifier_name(col.name) && data.rows > 2 && distinct_integers(col)) {
            note = "distinct integers named like a key: not a feature";
            return ColumnRole::Identifier;
        }
        if (is_label_name(col.name)) {
            const std::size_t levels = integer_levels(col);
            if (levels >= 2 && levels <= static_cast<std::size_t>(typing.max_categories)) {
                note = std::to_string(levels) + " integer codes named like a label: not a feature";
                return ColumnRole::Label;
            }
        }
        return ColumnRole::Feature;
    }
    // Strings. Look at the first present values.
    std::vector<const std::string*> sample;
    for (const auto& v : col.text) {
        if (!v.empty()) sample.push_back(&v);
        if (sample.size() == 200) break;
    }
    if (sample.empty()) {
        note = "no values";
        return ColumnRole::Identifier;
    }
    std::vector<float> parsed;
    std::size_t dims = 0;
    bool vectors = true, bracketed = true;
    for (std::size_t i = 0; i < std::min<std::size_t>(sample.size(), 20) && vectors; ++i) {
        const std::string& s = *sample[i];
        vectors = parse_vector_cell(s, parsed) && parsed.size() >= 2 && (dims == 0 || parsed.size() == dims);
        dims = parsed.size();
        const std::string_view t = trim_view(s);
        bracketed = bracketed && !t.empty() && (t.front() == '[' || t.front() == '(');
    }
    if (vectors && (bracketed || dims >= 4)) {
        note = "vectors of " + std::to_string(dims) + " numbers";
        return ColumnRole::Vector;
    }
    const std::size_t present = data.rows - col.stats.missing;
    const std::size_t distinct = col.stats.distinct;
    double bytes = 0, spaces = 0;
    for (const std::string* s : sample) {
        bytes += static_cast<double>(s->size());
        spaces += static_cast<double>(std::count(s->begin(), s->end(), ' '));
    }
    bytes /= static_cast<double>(sample.size());
    spaces /= static_cast<double>(sample.size());
    if (distinct <= static_cast<std::size_t>(typing.max_categories) && distinct <= std::max<std::size_t>(2, present / 2) &&
        bytes < 40) {
        note = format_count(distinct) + (distinct == 1 ? " value" : " values");
        return ColumnRole::Label;
    }
    if (bytes >= 20 && spaces >= 2) {
        char buf[64];
        std::snprintf(buf, sizeof buf, "free text (%.0f characters on average)", bytes);
        note = buf;
        return ColumnRole::Text;
    }
    note = (distinct >= ColumnStats::kDistinctCap ? std::string("many") : format_count(distinct)) + " distinct values";
    return ColumnRole::Identifier;
}

ColumnTypingJob::ColumnTypingJob(Dataset data, ColumnTyping typing, int n_threads)
    : data_(std::move(data)), typing_(std::move(typing)), n_threads_(n_threads) {}

ColumnTypingJob::~ColumnTypingJob() = default;

void ColumnTypingJob::fail(std::string message) {
    stage_ = Stage::Failed;
    error_ = std::move(message);
    text_job_.reset();
}

double ColumnTypingJob::progress() const {
    if (stage_ == Stage::Roles) return 0.0;
    if (done()) return 1.0;
    const double per = 1.0 / static_cast<double>(std::max<std::size_t>(1, original_));
    return per * (static_cast<double>(column_) + (text_job_ ? text_job_->progress() : 0.0));
}

const char* ColumnTypingJob::stage_name() const { return text_job_ ? text_job_->stage_name() : "column roles"; }

bool ColumnTypingJob::step() {
    if (done()) return false;
    if (stage_ == Stage::Roles) {
        // A typed dataset is typed again from its file's columns.
        original_ = data_.original_columns();
        data_.columns.resize(original_);
        for (const auto& [name, role] : typing_.roles) {
            const std::size_t c = data_.column_index(name);
            if (c == data_.columns.size()) {
                fail("Column roles: there is no column '" + name + "'.");
                return false;
            }
            if (!role_fits(role, data_.columns[c].type)) {
                fail("Column '" + name + "' holds " + (data_.columns[c].type == ColumnType::Numeric ? "numbers" : "text") +
                     ": it cannot have the role '" + column_role_name(role) + "'.");
                return false;
            }
        }
        bool other_features = false;
        for (std::size_t c = 0; c < original_; ++c) {
            Column& col = data_.columns[c];
            auto it = typing_.roles.find(col.name);
            if (it != typing_.roles.end()) {
                col.role = it->second;
                col.note = "chosen";
            } else {
                col.role = detect_column_role(data_, c, typing_, col.note);
            }
            const bool explicit_text = col.role == ColumnRole::Text && it != typing_.roles.end();
            other_features = other_features || explicit_text ||
                             (col.role != ColumnRole::Text && col.role != ColumnRole::Label &&
                              col.role != ColumnRole::Identifier && col.role != ColumnRole::Ignore);
        }
        // Detected free text is embedded only when nothing else can be a feature (it is slow and rarely wanted
        // beside numbers); otherwise it is kept for tooltips, one click away in the data panel.
        if (other_features)
            for (Column& col : data_.columns)
                if (col.role == ColumnRole::Text && !typing_.roles.count(col.name)) {
                    col.role = ColumnRole::Identifier;
                    col.note += ": give it the role 'text' to cluster by its words";
                }
        stage_ = Stage::Derive;
        column_ = 0;
        return true;
    }
    // Derive: one column per step, or one slice of a text column's LSA.
    while (column_ < original_) {
        const std::size_t c = column_;
        const ColumnRole role = data_.columns[c].role;
        const bool chosen = typing_.roles.count(data_.columns[c].name) > 0;
        if (role == ColumnRole::Category) {
            derive_category(c);
            ++column_;
            return true;
        }
        if (role == ColumnRole::Vector) {
            if (!derive_vector(c)) {
                if (chosen) {
                    fail(error_);
                    return false;
                }
                data_.columns[c].role = ColumnRole::Identifier;
                data_.columns[c].note = error_ + "; kept as an identifier";
                error_.clear();
            }
            ++column_;
            return true;
        }
        if (role == ColumnRole::Text) {
            if (!text_job_) {
                TextFeatureOptions o;
                o.dims = typing_.text_dims;
                o.n_threads = n_threads_;
                text_job_ = std::make_unique<TextFeatureJob>(data_.columns[c].text, o);
            }
            if (text_job_->step(2000)) return true;
            TextFeatures& t = text_job_->result();
            Column& col = data_.columns[c];
            if (t.lsa.cols == 0) {
                const std::string why = "Column '" + col.name +
                                        "': too few words appear in two or more rows to embed it as text";
                if (chosen) {
                    fail(why + ".");
                    return false;
                }
                col.role = ColumnRole::Identifier;
                col.note = why + "; kept as an identifier";
            } else {
                char buf[160];
                std::snprintf(buf, sizeof buf, "TF-IDF of %s terms; LSA: %zu dimensions keeping %.0f%% of it",
                              format_count(t.terms.size()).c_str(), t.lsa.cols, 100.0 * t.captured);
                col.note = buf;
                col.text_model = std::make_shared<const TextModel>(std::move(t.model));
                const std::string base = col.name;
                for (std::size_t j = 0; j < t.lsa.cols; ++j) {
                    Column d;
                    d.name = base + ":lsa" + std::to_string(j + 1);
                    d.type = ColumnType::Numeric;
                    d.numbers.resize(data_.rows);
                    for (std::size_t r = 0; r < data_.rows; ++r) d.numbers[r] = t.lsa.at(r, j);
                    append(std::move(d), c);
                }
                if (t.empty_documents)
                    data_.warnings.push_back("Column '" + base + "': " + format_count(t.empty_documents) +
                                             " rows have none of the " + format_count(t.terms.size()) +
                                             " kept words (they sit at the origin of the text space).");
            }
            text_job_.reset();
            ++column_;
            return true;
        }
        ++column_;
    }
    stage_ = Stage::Done;
    return false;
}

void ColumnTypingJob::append(Column column, std::size_t source) {
    std::string name = column.name;
    for (int k = 2; data_.column_index(name) != data_.columns.size(); ++k) name = column.name + " (" + std::to_string(k) + ")";
    column.name = std::move(name);
    column.role = ColumnRole::Feature;
    column.derived_from = source;
    compute_stats(column);
    data_.columns.push_back(std::move(column));
}

void ColumnTypingJob::derive_category(std::size_t c) {
    const Column& col = data_.columns[c];
    std::vector<std::string> values(data_.rows);
    for (std::size_t r = 0; r < data_.rows; ++r)
        values[r] = col.type == ColumnType::Text ? col.text[r] : std::isnan(col.numbers[r]) ? "" : number_text(col.numbers[r]);
    std::unordered_map<std::string, std::size_t> count;
    for (const auto& v : values)
        if (!v.empty()) ++count[v];
    if (count.size() > static_cast<std::size_t>(typing_.max_categories)) {
        data_.columns[c].note = format_count(count.size()) + " values, more than the " + std::to_string(typing_.max_categories) +
                                " a category may have: not used";
        data_.warnings.push_back("Column '" + col.name + "': " + data_.columns[c].note + ".");
        return;
    }
    std::vector<std::pair<std::string, std::size_t>> levels(count.begin(), count.end());
    std::sort(levels.begin(), levels.end(), [](const auto& a, const auto& b) {
        return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
    data_.columns[c].note = "one-hot: " + std::to_string(levels.size()) + (levels.size() == 1 ? " column" : " columns");
    const std::string base = col.name;
    for (const auto& level : levels) {
        Column d;
        d.name = base + "=" + level.first;
        d.type = ColumnType::Numeric;
        d.numbers.resize(data_.rows);
        for (std::size_t r = 0; r < data_.rows; ++r) d.numbers[r] = values[r] == level.first ? 1.0f : 0.0f;
        append(std::move(d), c);
    }
}

bool ColumnTypingJob::derive_vector(std::size_t c) {
    const Column& col = data_.columns[c];
    std::vector<float> cell;
    std::vector<float> values;  // rows x dims
    std::size_t dims = 0;
    for (std::size_t r = 0; r < data_.rows; ++r) {
        if (col.text[r].empty()) continue;
        const std::string shown = col.text[r].size() > 40 ? col.text[r].substr(0, 37) + "..." : col.text[r];
        if (!parse_vector_cell(col.text[r], cell)) {
            error_ = "Column '" + col.name + "' row " + std::to_string(r + 1) + ": '" + shown + "' is not a vector of numbers";
            return false;
        }
        if (dims == 0) {
            dims = cell.size();
            values.assign(data_.rows * dims, std::numeric_limits<float>::quiet_NaN());
        } else if (cell.size() != dims) {
            error_ = "Column '" + col.name + "' row " + std::to_string(r + 1) + " has " + std::to_string(cell.size()) +
                     " numbers where the rows before have " + std::to_string(dims);
            return false;
        }
        std::copy(cell.begin(), cell.end(), values.begin() + static_cast<std::ptrdiff_t>(r * dims));
    }
    if (dims == 0) {
        error_ = "Column '" + col.name + "' has no vectors";
        return false;
    }
    data_.columns[c].note = "vectors: " + std::to_string(dims) + " columns";
    const std::string base = col.name;
    for (std::size_t j = 0; j < dims; ++j) {
        Column d;
        d.name = base + "[" + std::to_string(j) + "]";
        d.type = ColumnType::Numeric;
        d.numbers.resize(data_.rows);
        for (std::size_t r = 0; r < data_.rows; ++r) d.numbers[r] = values[r * dims + j];
        append(std::move(d), c);
    }
    return true;
}

Result<Dataset> ColumnTypingJob::finish() {
    if (stage_ == Stage::Failed) return Result<Dataset>::failure(error_);
    if (stage_ != Stage::Done) return Result<Dataset>::failure("Column typing has not finished.");
    return std::move(data_);
}

Result<Dataset> apply_column_types(Dataset data, const ColumnTyping& typing, int n_threads) {
    ColumnTypingJob job(std::move(data), typing, n_threads);
    while (job.step()) {
    }
    return job.finish();
}

NewRowTyping new_row_typing(const Dataset& typed, const ColumnTyping& typing) {
    NewRowTyping out;
    out.typing = typing;
    for (std::size_t c = 0; c < typed.original_columns(); ++c) {
        const Column& col = typed.columns[c];
        out.roles[col.name] = col.role;
        if (col.type == ColumnType::Text) out.text_columns.push_back(col.name);
        if (col.text_model) out.text_models[col.name] = col.text_model;
    }
    return out;
}

Result<std::vector<std::vector<float>>> features_of_new_rows(Dataset rows, const NewRowTyping& from,
                                                             const std::vector<std::string>& features) {
    using R = Result<std::vector<std::vector<float>>>;
    // The file column a derived feature came from ("city=Paris", "review:lsa2"), if it has that role; `rest` gets
    // what follows the joint ("Paris", "2").
    const auto source = [&](const std::string& feature, ColumnRole role, std::string_view joint, std::string& rest) -> const std::string* {
        for (const auto& [name, r] : from.roles)
            if (r == role && feature.size() > name.size() + joint.size() && feature.compare(0, name.size(), name) == 0 &&
                feature.compare(name.size(), joint.size(), joint) == 0) {
                rest = feature.substr(name.size() + joint.size());
                return &name;
            }
        return nullptr;
    };
    const auto missing = [](const std::string& column) {
        return R::failure("the new rows have no column '" + column + "' (the models need it)");
    };
    // Vector columns expand as the data's did; every other column stays as read.
    bool vectors = false;
    ColumnTyping typing = from.typing;
    typing.roles.clear();
    for (const Column& col : rows.columns) {
        auto it = from.roles.find(col.name);
        const bool vector = it != from.roles.end() && it->second == ColumnRole::Vector && col.type == ColumnType::Text;
        typing.roles[col.name] = vector ? ColumnRole::Vector : ColumnRole::Ignore;
        vectors = vectors || vector;
    }
    if (vectors) {
        auto typed = apply_column_types(std::move(rows), typing);
        if (!typed) return R::failure(typed.error());
        rows = std::move(*typed);
    }
    std::map<std::string, Matrix> embedded;  // text column -> its rows' LSA coordinates
    std::vector<std::vector<float>> out;
    for (const auto& f : features) {
        std::string rest;
        const std::size_t c = rows.column_index(f);
        if (c < rows.columns.size() && rows.columns[c].type == ColumnType::Numeric) {
            out.push_back(rows.columns[c].numbers);
        } else if (const std::string* category = source(f, ColumnRole::Category, "=", rest)) {
            const std::size_t s = rows.column_index(*category);
            if (s == rows.columns.size()) return missing(*category);
            std::vector<float> v(rows.rows);
            for (std::size_t r = 0; r < rows.rows; ++r) v[r] = rows.cell_text(r, s) == rest ? 1.0f : 0.0f;
            out.push_back(std::move(v));
        } else if (const std::string* text = source(f, ColumnRole::Text, ":lsa", rest)) {
            auto model = from.text_models.find(*text);
            if (model == from.text_models.end() || !model->second)
                return R::failure("the models use the words of column '" + *text + "', but its text model is not available.");
            const std::size_t s = rows.column_index(*text);
            if (s == rows.columns.size()) return missing(*text);
            auto it = embedded.find(*text);
            if (it == embedded.end()) {
                std::vector<std::string> texts(rows.rows);
                for (std::size_t r = 0; r < rows.rows; ++r) texts[r] = rows.cell_text(r, s);
                it = embedded.emplace(*text, embed_texts(*model->second, texts)).first;
            }
            const std::size_t j = std::strtoul(rest.c_str(), nullptr, 10);
            if (j < 1 || j > it->second.cols) return R::failure("the text model of column '" + *text + "' has no component " + rest);
            std::vector<float> v(rows.rows);
            for (std::size_t r = 0; r < rows.rows; ++r) v[r] = it->second.at(r, j - 1);
            out.push_back(std::move(v));
        } else {
            return R::failure("the new rows have no numeric column '" + f + "' (the models need it)");
        }
    }
    return out;
}

}  // namespace recluster
