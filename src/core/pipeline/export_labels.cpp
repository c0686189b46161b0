#include "pipeline/export_labels.hpp"

#include <cstdio>
#include <unordered_map>
#include <vector>

namespace recluster {

namespace {
// A field quoted when it holds the delimiter, a quote or a line break (quotes doubled).
void put_field(std::string& out, const std::string& v) {
    if (v.find_first_of(",\"\r\n") == std::string::npos) {
        out += v;
        return;
    }
    out += '"';
    for (char c : v) {
        if (c == '"') out += '"';
        out += c;
    }
    out += '"';
}

std::string number(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.7g", v);
    return buf;
}
}  // namespace

std::string export_labels_csv(const Session& session) {
    const SessionNode& root = session.node(session.root());
    const Dataset& data = *root.data;
    const std::size_t n = data.rows;
    // For each original row, the deepest computed cluster view holding it and the row's index there (parents come
    // before children, so later nodes overwrite).
    std::vector<int> view(n, -1);
    std::vector<std::size_t> at(n, 0);
    for (std::size_t id = 0; id < session.size(); ++id) {
        const SessionNode& v = session.node(static_cast<int>(id));
        if (!v.output || v.parent == -2 || (v.parent >= 0 && v.cluster < 0)) continue;  // selections are not paths
        for (std::size_t i = 0; i < v.rows.size(); ++i) {
            view[v.rows[i]] = static_cast<int>(id);
            at[v.rows[i]] = i;
        }
    }
    // Stability per (view, cluster).
    std::unordered_map<long long, double> jaccard;
    for (std::size_t id = 0; id < session.size(); ++id) {
        const auto& st = session.node(static_cast<int>(id)).stability;
        if (!st.is_object() || !st.contains("clusters")) continue;
        for (const auto& c : st["clusters"])
            if (c.contains("cluster") && c.contains("jaccard") && c["jaccard"].is_number())
                jaccard[static_cast<long long>(id) * 1000003LL + c["cluster"].get<int>()] = c["jaccard"].get<double>();
    }
    const std::vector<std::string> paths = session.row_paths();
    std::string out;
    const std::size_t file_columns = data.original_columns();  // derived columns (one-hot, LSA, ...) stay out
    for (std::size_t c = 0; c < file_columns; ++c) {
        put_field(out, data.columns[c].name);
        out += ',';
    }
    // The exploration's columns, renamed with a suffix where the data already has such a column.
    const char* const added[] = {"path", "probability", "outlier_score", "map_x", "map_y", "stability", "view"};
    for (std::size_t k = 0; k < 7; ++k) {
        std::string name = added[k];
        while (data.column_index(name) != data.columns.size()) name += "_recluster";
        put_field(out, name);
        out += k + 1 < 7 ? ',' : '\n';
    }
    for (std::size_t r = 0; r < n; ++r) {
        for (std::size_t c = 0; c < file_columns; ++c) {
            put_field(out, data.cell_text(r, c));
            out += ',';
        }
        put_field(out, paths[r]);
        if (view[r] < 0) {
            out += ",,,,,,\n";
            continue;
        }
        const SessionNode& v = session.node(view[r]);
        const PipelineOutput& o = *v.output;
        const std::size_t i = at[r];
        const auto& cl = o.clustering;
        out += ',';
        if (i < cl.probabilities.size()) out += number(cl.probabilities[i]);
        out += ',';
        if (i < cl.outlier_scores.size()) out += number(cl.outlier_scores[i]);
        out += ',' + number(o.embedding.at(i, 0)) + ',' + number(o.embedding.at(i, 1)) + ',';
        const int label = o.labels[i];
        if (label >= 0)
            if (auto it = jaccard.find(static_cast<long long>(view[r]) * 1000003LL + label); it != jaccard.end()) out += number(it->second);
        out += ',';
        put_field(out, v.path);
        out += '\n';
    }
    return out;
}

}  // namespace recluster
