// Dataset: a parsed table held column by column. Numeric columns are float32 (NaN = missing) because they
// feed the pipeline; text columns keep their strings for tooltips, colouring and exports.
#pragma once
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace recluster {

enum class ColumnType { Numeric, Text };
struct TextModel;  // prep/text_features.hpp

const char* column_type_name(ColumnType t);

// What a column is used for (prep/column_types decides, the user can override): numeric features (pixels are
// features that also draw as an image), columns expanded into numeric features of their own (a category one-hot,
// a vector's dimensions, a text's LSA components), a label (colouring, agreement with clusters), or kept only to be
// shown (identifier, ignored). A dataset nobody typed uses every numeric column as a feature.
enum class ColumnRole { Feature, Pixels, Category, Vector, Text, Label, Identifier, Ignore };
inline constexpr std::size_t kNotDerived = static_cast<std::size_t>(-1);

struct ColumnStats {
    std::size_t missing = 0;      // empty / NA / NaN cells (and ±Inf for numeric columns)
    std::size_t non_finite = 0;   // ±Inf cells, counted inside `missing`
    double min = 0, max = 0, mean = 0;  // over present values (numeric columns only)
    std::size_t distinct = 0;     // distinct values, capped at kDistinctCap (text columns only)
    static constexpr std::size_t kDistinctCap = 1000;
};

struct Column {
    std::string name;
    ColumnType type = ColumnType::Numeric;
    std::vector<float> numbers;       // size rows when Numeric, NaN = missing
    std::vector<std::string> text;    // size rows when Text, "" = missing
    ColumnStats stats;
    ColumnRole role = ColumnRole::Feature;
    std::size_t derived_from = kNotDerived;  // index of the column it was computed from (one-hot, vector, LSA)
    std::string note;                        // why the role was chosen or what it made ("one-hot: 5 columns")
    std::shared_ptr<const TextModel> text_model;  // a text column embedded by its words: how to embed new rows
    bool derived() const { return derived_from != kNotDerived; }
};

struct Dataset {
    std::string name;                 // file name or label given by the caller
    std::string fingerprint;          // SHA-256 of the file's bytes (hex; "" when not read from a file)
    std::size_t rows = 0;
    std::vector<Column> columns;
    char delimiter = ',';
    char decimal = '.';               // the decimal separator numbers were read with
    bool header_row = true;           // false: the file had no header (columns col1..colN)
    std::size_t skipped_rows = 0;     // rows skipped for their field count (CsvOptions::skip_bad_rows)
    std::vector<std::string> warnings;  // non-fatal notes for the user ("column x: 3 infinite values treated as missing")

    std::vector<std::size_t> numeric_columns() const;
    // The pipeline's default features: numeric columns whose role is Feature or Pixels (derived ones included).
    std::vector<std::size_t> feature_columns() const;
    // Which of `features` (column names) draw as an image: the indices of those whose role is Pixels, or of all of
    // them when none is (pixel data whose columns are not named like pixels).
    std::vector<std::size_t> image_features(const std::vector<std::string>& features) const;
    // The last column with role Label (a table's target usually comes last), or columns.size() if none.
    std::size_t label_column() const;
    // Columns read from the file (not derived), in file order: columns [0, original_columns()).
    std::size_t original_columns() const;
    // Index of the column named `name` (the last one if the header repeats it), or columns.size() if none.
    std::size_t column_index(const std::string& name) const;
    // Cell as display text ("" for missing).
    std::string cell_text(std::size_t row, std::size_t col) const;
};

// Fills column.stats from its values.
void compute_stats(Column& column);

// The given rows (indices into `data`, any order, no repeats needed) as a dataset of their own: same columns,
// statistics recomputed on these rows only. Used to drill into a cluster.
Dataset subset_rows(const Dataset& data, const std::vector<std::size_t>& rows, std::string name);

}  // namespace recluster
