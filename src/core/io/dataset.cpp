#include "io/dataset.hpp"

#include <cmath>
#include <cstdio>
#include <limits>
#include <unordered_set>

namespace recluster {

const char* column_type_name(ColumnType t) {
    switch (t) {
        case ColumnType::Numeric: return "numeric";
        case ColumnType::Text: return "text";
    }
    return "?";
}

std::vector<std::size_t> Dataset::numeric_columns() const {
    std::vector<std::size_t> out;
    for (std::size_t c = 0; c < columns.size(); ++c)
        if (columns[c].type == ColumnType::Numeric) out.push_back(c);
    return out;
}

std::vector<std::size_t> Dataset::feature_columns() const {
    std::vector<std::size_t> out;
    for (std::size_t c = 0; c < columns.size(); ++c)
        if (columns[c].type == ColumnType::Numeric &&
            (columns[c].role == ColumnRole::Feature || columns[c].role == ColumnRole::Pixels))
            out.push_back(c);
    return out;
}

std::vector<std::size_t> Dataset::image_features(const std::vector<std::string>& features) const {
    std::vector<std::size_t> out;
    for (std::size_t f = 0; f < features.size(); ++f) {
        const std::size_t c = column_index(features[f]);
        if (c < columns.size() && columns[c].role == ColumnRole::Pixels) out.push_back(f);
    }
    if (out.empty())
        for (std::size_t f = 0; f < features.size(); ++f) out.push_back(f);
    return out;
}

std::size_t Dataset::label_column() const {
    for (std::size_t c = columns.size(); c-- > 0;)
        if (columns[c].role == ColumnRole::Label) return c;
    return columns.size();
}

std::size_t Dataset::original_columns() const {
    std::size_t n = 0;
    while (n < columns.size() && !columns[n].derived()) ++n;
    return n;
}

std::size_t Dataset::column_index(const std::string& name) const {
    for (std::size_t c = columns.size(); c-- > 0;)
        if (columns[c].name == name) return c;
    return columns.size();
}

std::string Dataset::cell_text(std::size_t row, std::size_t col) const {
    const Column& c = columns.at(col);
    if (c.type == ColumnType::Text) return c.text.at(row);
    float v = c.numbers.at(row);
    if (std::isnan(v)) return "";
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.7g", static_cast<double>(v));
    return buf;
}

void compute_stats(Column& column) {
    ColumnStats s;
    s.non_finite = column.stats.non_finite;  // set by the reader, which alone saw the raw text
    if (column.type == ColumnType::Numeric) {
        double sum = 0, lo = std::numeric_limits<double>::infinity(), hi = -lo;
        std::size_t present = 0;
        for (float v : column.numbers) {
            if (std::isnan(v)) {
                ++s.missing;
                continue;
            }
            ++present;
            sum += v;
            lo = std::min(lo, static_cast<double>(v));
            hi = std::max(hi, static_cast<double>(v));
        }
        if (present > 0) {
            s.min = lo;
            s.max = hi;
            s.mean = sum / static_cast<double>(present);
        }
    } else {
        std::unordered_set<std::string> seen;
        for (const auto& v : column.text) {
            if (v.empty()) {
                ++s.missing;
                continue;
            }
            if (seen.size() < ColumnStats::kDistinctCap) seen.insert(v);
        }
        s.distinct = seen.size();
    }
    column.stats = s;
}

Dataset subset_rows(const Dataset& data, const std::vector<std::size_t>& rows, std::string name) {
    Dataset out;
    out.name = std::move(name);
    out.rows = rows.size();
    out.delimiter = data.delimiter;
    out.decimal = data.decimal;
    out.header_row = data.header_row;
    out.columns.reserve(data.columns.size());
    for (const Column& c : data.columns) {
        Column s;
        s.name = c.name;
        s.type = c.type;
        s.role = c.role;
        s.derived_from = c.derived_from;
        s.note = c.note;
        if (c.type == ColumnType::Numeric) {
            s.numbers.reserve(rows.size());
            for (std::size_t r : rows) s.numbers.push_back(c.numbers.at(r));
        } else {
            s.text.reserve(rows.size());
            for (std::size_t r : rows) s.text.push_back(c.text.at(r));
        }
        compute_stats(s);
        out.columns.push_back(std::move(s));
    }
    return out;
}

}  // namespace recluster
