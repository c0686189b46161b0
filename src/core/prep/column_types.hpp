// Column typing: what each column of a parsed table is used for, detected and overridable by the user, and the
// numeric columns it derives: a category one-hot encoded (up to a cardinality cap), a vector column ("[0.1, 0.2]" or
// "0.1 0.2 ...", how embedding CSVs are exported) expanded to one column per dimension, a free-text column embedded
// by TF-IDF + LSA (prep/text_features). Derived columns are appended after the file's columns and flagged, so a
// typed dataset can be re-typed and exports show only what the file held. Cost O(cells), plus the LSA's.
#pragma once
#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "io/dataset.hpp"
#include "prep/text_features.hpp"

namespace recluster {

// "feature", "pixels", "category", "vector", "text", "label", "identifier", "ignore".
const char* column_role_name(ColumnRole role);
bool column_role_from_name(std::string_view name, ColumnRole& role);
// Whether a role suits a column of this type (features and pixels are numbers, vectors and texts are strings).
bool role_fits(ColumnRole role, ColumnType type);

struct ColumnTyping {
    std::map<std::string, ColumnRole> roles;  // by column name; columns not named here get the detected role
    int max_categories = 50;                  // a category with more distinct values is not one-hot encoded (noted)
    int text_dims = 100;                      // LSA components per text column
    bool is_default() const { return roles.empty() && max_categories == 50 && text_dims == 100; }
    bool operator==(const ColumnTyping& o) const {
        return roles == o.roles && max_categories == o.max_categories && text_dims == o.text_dims;
    }
};

// {"roles": {name: role}, "max_categories": N, "text_dims": N} with the keys that differ from the defaults ("{}").
std::string column_typing_json(const ColumnTyping& typing);
// Strict: unknown keys, unknown roles and out-of-range numbers are errors naming them.
Result<ColumnTyping> parse_column_typing(const std::string& json);

// A vector cell: numbers separated by commas, semicolons or spaces, optionally inside [ ] or ( ). False (out
// unspecified) when a part is not a finite number or the cell holds none.
bool parse_vector_cell(std::string_view cell, std::vector<float>& out);

// The role a column gets without an override, and why (`note`). Numbers are features, except a row number or an
// "id" column of distinct integers (identifier) and pixel columns (p1..pN, pixel0.., a square count of at least
// 16); strings that all parse as vectors of one length are vectors; few distinct values make a label; long
// multi-word strings are text (embedded only when no other column is a feature); other strings are identifiers.
ColumnRole detect_column_role(const Dataset& data, std::size_t column, const ColumnTyping& typing, std::string& note);

// Resumable typing of a dataset (the LSA of a long text column takes a while).
class ColumnTypingJob {
public:
    ColumnTypingJob(Dataset data, ColumnTyping typing, int n_threads = 1);
    ~ColumnTypingJob();
    bool step();  // false when finished (done or failed)
    bool done() const { return stage_ >= Stage::Done; }
    double progress() const;
    const char* stage_name() const;
    // The typed dataset, or why the roles cannot apply ("column 'emb' row 12: '[1, x]' is not a vector of numbers").
    Result<Dataset> finish();

private:
    enum class Stage { Roles, Derive, Done, Failed };
    void fail(std::string message);
    void derive_category(std::size_t c);
    bool derive_vector(std::size_t c);
    void append(Column column, std::size_t source);

    Dataset data_;
    ColumnTyping typing_;
    int n_threads_;
    Stage stage_ = Stage::Roles;
    std::string error_;
    std::size_t original_ = 0;
    std::size_t column_ = 0;  // Derive: the column being derived
    std::unique_ptr<TextFeatureJob> text_job_;
};

// Convenience: the whole job at once.
Result<Dataset> apply_column_types(Dataset data, const ColumnTyping& typing, int n_threads = 1);

// How rows of another file like the data's become its features: the roles of the typed dataset's file columns (by
// name), its typing options, the file columns that were text (read as text again, so a category of codes keeps its
// strings) and the models of the columns embedded by their words.
struct NewRowTyping {
    std::map<std::string, ColumnRole> roles;
    ColumnTyping typing;
    std::vector<std::string> text_columns;
    std::map<std::string, std::shared_ptr<const TextModel>> text_models;
};
NewRowTyping new_row_typing(const Dataset& typed, const ColumnTyping& typing);

// The values of `features` (columns of the typed dataset `typing` describes) for new rows read from a file like the
// data's: a feature by its name, a one-hot level by comparing the category's cells (a level the new rows lack is all
// zeros), a vector's dimensions by parsing its cells, a text's LSA components by the data's text model. In
// `features` order, each `rows.rows` long. Errors name the column that is missing or unreadable.
Result<std::vector<std::vector<float>>> features_of_new_rows(Dataset rows, const NewRowTyping& typing,
                                                             const std::vector<std::string>& features);

}  // namespace recluster
