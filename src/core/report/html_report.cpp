#include "report/html_report.hpp"

#include "common/base64.hpp"
#include "explain/top_terms.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "common/format.hpp"
#include "image/map_image.hpp"
#include "image/png_writer.hpp"

namespace recluster {

namespace {

std::string esc(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == '&') out += "&amp;";
        else if (c == '<') out += "&lt;";
        else if (c == '>') out += "&gt;";
        else if (c == '"') out += "&quot;";
        else out.push_back(c);
    }
    return out;
}

std::string num(double v, const char* format = "%.4g") {
    if (!std::isfinite(v)) return "&ndash;";
    char buf[48];
    std::snprintf(buf, sizeof buf, format, v);
    return buf;
}

std::string png_data_url(const RgbImage& img) { return "data:image/png;base64," + base64_encode(encode_png_rgb(img.pixels, img.width, img.height)); }

bool shown(const SessionNode& n) { return n.output && n.parent != -2; }

std::string view_name(const SessionNode& n) { return n.parent < 0 ? "All rows" : n.cluster >= 0 ? "Cluster " + n.path : n.label; }

std::string cluster_path(const SessionNode& n, int c) { return n.path.empty() ? std::to_string(c) : n.path + "." + std::to_string(c); }

// Horizontal bars of mean |SHAP| (red: pushes rows into the cluster on average, blue: away).
std::string shap_svg(const ClusterExplanation& e, const std::vector<std::string>& names, int top) {
    const std::size_t k = std::min<std::size_t>(static_cast<std::size_t>(std::max(1, top)), e.features.size());
    double reach = 1e-12;
    for (std::size_t i = 0; i < k; ++i) reach = std::max(reach, e.features[i].mean_abs_shap);
    const int label_w = 250, bar_w = 330, row_h = 22, height = static_cast<int>(k) * row_h + 8;
    std::string s = "<svg class=\"shap\" width=\"" + std::to_string(label_w + bar_w + 70) +
                    "\" height=\"" + std::to_string(height) + "\" role=\"img\" aria-label=\"mean absolute SHAP value per feature\">";
    for (std::size_t i = 0; i < k; ++i) {
        const auto& f = e.features[i];
        const std::string name = static_cast<std::size_t>(f.feature) < names.size() ? names[static_cast<std::size_t>(f.feature)] : "?";
        const int y = static_cast<int>(i) * row_h + 4;
        const int w = std::max(1, static_cast<int>(std::lround(bar_w * f.mean_abs_shap / reach)));
        s += "<text x=\"" + std::to_string(label_w - 6) + "\" y=\"" + std::to_string(y + 15) + "\" text-anchor=\"end\">" +
             esc(name.size() > 34 ? name.substr(0, 33) + "~" : name) + "</text>";
        s += "<rect x=\"" + std::to_string(label_w) + "\" y=\"" + std::to_string(y + 3) + "\" width=\"" + std::to_string(w) +
             "\" height=\"15\" fill=\"" + (f.mean_shap >= 0 ? "#d6604d" : "#4393c3") + "\"/>";
        s += "<text x=\"" + std::to_string(label_w + w + 5) + "\" y=\"" + std::to_string(y + 15) + "\">" + num(f.mean_abs_shap, "%.3g") + "</text>";
    }
    return s + "</svg>";
}

// The cluster's average row as a grey image, enlarged to about 168 pixels.
std::string average_image(const std::vector<double>& values, int w, int h) {
    double lo = 1e300, hi = -1e300;
    for (double v : values)
        if (std::isfinite(v)) lo = std::min(lo, v), hi = std::max(hi, v);
    if (lo > hi) lo = hi = 0;
    const int zoom = std::max(1, 168 / std::max(w, h));
    RgbImage img(static_cast<std::size_t>(w * zoom), static_cast<std::size_t>(h * zoom), Rgb{0, 0, 0});
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            const double v = values[static_cast<std::size_t>(y * w + x)];
            const auto g = static_cast<std::uint8_t>(std::isfinite(v) && hi > lo ? std::lround(255.0 * (v - lo) / (hi - lo)) : 0);
            img.fill_rect(x * zoom, y * zoom, (x + 1) * zoom, (y + 1) * zoom, Rgb{g, g, g});
        }
    return "<img class=\"avg\" alt=\"average image\" width=\"" + std::to_string(w * zoom) + "\" height=\"" + std::to_string(h * zoom) +
           "\" src=\"" + png_data_url(img) + "\">";
}

const char* kStyle = R"CSS(
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1d2330; margin: 24px auto; max-width: 1160px; padding: 0 16px; }
h1 { font-size: 24px; margin: 0 0 4px; } h2 { font-size: 20px; margin: 28px 0 8px; border-bottom: 2px solid #dde2ea; }
h3 { font-size: 17px; margin: 22px 0 6px; } .muted { color: #667085; } .map { max-width: 100%; height: auto; border-radius: 4px; }
table { border-collapse: collapse; margin: 6px 0 12px; font-size: 13px; } th, td { padding: 3px 9px; border-bottom: 1px solid #e4e7ec; text-align: right; }
th:first-child, td:first-child, td.text { text-align: left; } th { background: #f2f4f7; }
.shap text { font: 12px system-ui, sans-serif; fill: #1d2330; } .row { display: flex; gap: 28px; flex-wrap: wrap; align-items: flex-start; }
.cluster { border-top: 1px solid #e4e7ec; padding-top: 4px; } .avg { image-rendering: pixelated; border: 1px solid #ccd; }
.swatch { display: inline-block; width: 11px; height: 11px; border-radius: 2px; margin-right: 6px; vertical-align: -1px; }
@page { margin: 14mm; } @media print { body { margin: 0; max-width: none; } .cluster { break-before: page; } h2 { break-after: avoid; } }
)CSS";

}  // namespace

std::string html_report(const Session& session, const ReportOptions& o) {
    const Dataset& data = *session.dataset();
    const std::size_t total = std::max<std::size_t>(1, data.rows);
    const std::string title = o.title.empty() ? "recluster report: " + data.name : o.title;
    std::string h = "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + esc(title) +
                    "</title>\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<style>" + kStyle + "</style></head><body>\n";
    h += "<h1>" + esc(title) + "</h1>\n<p class=\"muted\">" + esc(data.name) + ": " + format_count(data.rows) + " rows, " +
         format_count(data.columns.size()) + " columns; SHA-256 " + esc(data.fingerprint.substr(0, 16)) + "&hellip;" +
         (o.note.empty() ? "" : "<br>" + esc(o.note)) + "</p>\n";

    // Views in path order: the top first, then each zoomed-in view after its parent.
    std::vector<int> views;
    for (std::size_t id = 0; id < session.size(); ++id)
        if (shown(session.node(static_cast<int>(id)))) views.push_back(static_cast<int>(id));
    const auto key = [&](int id) {
        std::vector<long> k;
        for (int n = id; n >= 0; n = session.node(n).parent) k.insert(k.begin(), session.node(n).cluster >= 0 ? session.node(n).cluster : 100000 + n);
        return k;
    };
    std::sort(views.begin(), views.end(), [&](int a, int b) { return key(a) < key(b); });

    for (int id : views) {
        const SessionNode& n = session.node(id);
        const PipelineOutput& out = *n.output;
        const auto& names = out.feature_columns;
        const std::size_t rows = n.rows.size();
        h += "<section class=\"view\"><h2>" + esc(view_name(n)) + " <span class=\"muted\">" + format_count(rows) + " rows (" +
             num(100.0 * static_cast<double>(rows) / static_cast<double>(total), "%.1f") + "% of all), " +
             format_count(out.clustering.sizes.size()) + " clusters, " + format_count(out.clustering.n_noise) + " noise rows</span></h2>\n";
        MapImageSpec spec;
        spec.width = o.map_width, spec.height = o.map_height;
        spec.header = {data.name + ": " + view_name(n), format_count(rows) + " rows, " + out.clustering.method};
        h += "<img class=\"map\" alt=\"map of " + esc(view_name(n)) + "\" width=\"" + std::to_string(o.map_width) + "\" height=\"" +
             std::to_string(o.map_height) + "\" src=\"" + png_data_url(cluster_map_image(out, spec)) + "\">\n";
        const nlohmann::json recipe = nlohmann::json::parse(n.recipe.to_json());
        h += "<p class=\"muted\">Recipe: embedding " + esc(recipe.value("embedding", std::string())) + ", clustering " +
             esc(out.clustering.method) + " (min cluster size " + std::to_string(out.clustering.min_cluster_size) + ", min samples " +
             std::to_string(out.clustering.min_samples) + "), seed " + std::to_string(n.recipe.seed) + ".</p>\n";
        // The cluster table.
        const bool has_jaccard = n.stability.is_object() && n.stability.contains("clusters");
        h += "<table><tr><th>Cluster</th><th>Rows</th><th>% of view</th><th>% of all</th><th>" +
             std::string(has_jaccard ? "Stability (Jaccard)" : "HDBSCAN stability") + "</th><th>Model AUC</th><th>Top features</th></tr>\n";
        for (std::size_t c = 0; c < out.clustering.sizes.size(); ++c) {
            const int size = out.clustering.sizes[c];
            const ClusterExplanation* e = n.explanation(static_cast<int>(c));
            std::string stability = "&ndash;";
            if (has_jaccard) {
                for (const auto& s : n.stability["clusters"])
                    if (s.value("cluster", -1) == static_cast<int>(c)) stability = num(s.value("jaccard", NAN), "%.2f") + " " + esc(s.value("rating", std::string()));
            } else if (c < out.clustering.stability.size()) {
                stability = num(out.clustering.stability[c], "%.3g");
            }
            std::string top;
            if (e)
                for (std::size_t f = 0; f < std::min<std::size_t>(3, e->features.size()); ++f)
                    top += (f ? ", " : "") + esc(names[static_cast<std::size_t>(e->features[f].feature)]);
            const Rgb col = cluster_color(static_cast<int>(c));
            char sw[96];
            std::snprintf(sw, sizeof sw, "<span class=\"swatch\" style=\"background:#%02x%02x%02x\"></span>", col.r, col.g, col.b);
            h += "<tr><td>" + std::string(sw) + esc(cluster_path(n, static_cast<int>(c))) + "</td><td>" + format_count(static_cast<std::size_t>(size)) + "</td><td>" +
                 num(100.0 * size / std::max<double>(1, static_cast<double>(rows)), "%.1f") + "</td><td>" +
                 num(100.0 * size / static_cast<double>(total), "%.2f") + "</td><td>" + stability + "</td><td>" +
                 (e ? num(e->auc, "%.3f") : std::string("not explained")) + "</td><td class=\"text\">" + (e ? top : "") + "</td></tr>\n";
        }
        h += "</table>\n";
        // A section per cluster. Images from the pixel columns (role), else from every feature.
        const std::vector<std::size_t> pixels = n.data->image_features(names);
        int img_w = o.image_width, img_h = o.image_height;
        if (img_w <= 0 || img_h <= 0 || static_cast<std::size_t>(img_w * img_h) != pixels.size()) {
            img_w = img_h = static_cast<int>(std::lround(std::sqrt(static_cast<double>(pixels.size()))));
            if (pixels.size() < 16 || static_cast<std::size_t>(img_w * img_h) != pixels.size()) img_w = img_h = 0;
        }
        // Text columns: each cluster's distinctive words.
        std::vector<std::pair<std::string, std::vector<ClusterTerms>>> words;
        for (std::size_t col = 0; col < n.data->original_columns(); ++col)
            if (n.data->columns[col].role == ColumnRole::Text)
                words.emplace_back(n.data->columns[col].name, top_terms(n.data->columns[col].text, out.labels, 12));
        for (std::size_t c = 0; c < out.clustering.sizes.size(); ++c) {
            const ClusterExplanation* e = n.explanation(static_cast<int>(c));
            const int size = out.clustering.sizes[c];
            h += "<section class=\"cluster\"><h3>Cluster " + esc(cluster_path(n, static_cast<int>(c))) + " <span class=\"muted\">" +
                 format_count(static_cast<std::size_t>(size)) + " rows, " + num(100.0 * size / std::max<double>(1, static_cast<double>(rows)), "%.1f") +
                 "% of the view, " + num(100.0 * size / static_cast<double>(total), "%.2f") + "% of all</span></h3>\n";
            for (const auto& [column, per_cluster] : words) {
                if (c >= per_cluster.size() || per_cluster[c].terms.empty()) continue;
                h += "<p><b>Words</b> (" + esc(column) + "; share of the cluster's rows containing each, and of the others'): ";
                for (std::size_t t = 0; t < per_cluster[c].terms.size(); ++t) {
                    const TopTerm& term = per_cluster[c].terms[t];
                    h += std::string(t ? ", " : "") + esc(term.term) + " <span class=\"muted\">" + num(100.0 * term.share_in, "%.0f") + "% / " +
                         num(100.0 * term.share_out, "%.0f") + "%</span>";
                }
                h += "</p>\n";
            }
            if (!e) {
                h += "<p class=\"muted\">Not explained: run Explain on this view (or the CLI's --explain) to add its model, SHAP chart and profile.</p></section>\n";
                continue;
            }
            h += "<p>One-vs-rest boosted trees tell this cluster from the rest of the view with held-out AUC <b>" + num(e->auc, "%.3f") +
                 "</b>" + (e->auc < 0.7 ? " (weak: the cluster is hard to describe by these features)" : "") + ".</p>\n<div class=\"row\"><div>" +
                 "<b>What sets it apart</b> (mean |SHAP|; red: pushes towards the cluster)<br>" + shap_svg(*e, names, o.top_features) + "</div>";
            if (img_w > 0 && e->mean_values.size() == names.size()) {
                std::vector<double> mean_pixels;
                for (std::size_t f : pixels) mean_pixels.push_back(e->mean_values[f]);
                h += "<div><b>Average image</b><br>" + average_image(mean_pixels, img_w, img_h) + "</div>";
            }
            h += "</div>\n<table><tr><th>Feature</th><th>Cluster mean</th><th>Rest mean</th><th>Difference (sd)</th></tr>\n";
            for (std::size_t i = 0; i < std::min<std::size_t>(static_cast<std::size_t>(std::max(0, o.profile_rows)), e->profile.size()); ++i) {
                const auto& p = e->profile[i];
                h += "<tr><td>" + esc(names[static_cast<std::size_t>(p.feature)]) + "</td><td>" + num(p.cluster_mean) + "</td><td>" + num(p.rest_mean) +
                     "</td><td>" + num(p.std_diff, "%+.2f") + "</td></tr>\n";
            }
            h += "</table>\n";
            if (!e->representatives.empty()) {
                std::vector<std::size_t> cols;  // the dataset's columns of the top features
                for (std::size_t f = 0; f < e->features.size() && cols.size() < static_cast<std::size_t>(std::max(1, o.row_columns)); ++f) {
                    const std::size_t col = n.data->column_index(names[static_cast<std::size_t>(e->features[f].feature)]);
                    if (col < n.data->columns.size()) cols.push_back(col);
                }
                h += "<b>Representative rows</b> (nearest the cluster's centre on the map)<table><tr><th>Row</th>";
                for (std::size_t col : cols) h += "<th>" + esc(n.data->columns[col].name) + "</th>";
                h += "</tr>\n";
                for (std::size_t r = 0; r < std::min<std::size_t>(static_cast<std::size_t>(std::max(0, o.representative_rows)), e->representatives.size()); ++r) {
                    const std::size_t row = e->representatives[r];
                    h += "<tr><td>" + format_count(n.rows[row] + 1) + "</td>";
                    for (std::size_t col : cols) h += "<td>" + esc(n.data->cell_text(row, col)) + "</td>";
                    h += "</tr>\n";
                }
                h += "</table>\n";
            }
            h += "</section>\n";
        }
        h += "</section>\n";
    }
    h += "<p class=\"muted\">Made by recluster in the browser or its CLI; rows are numbered from 1 as in the file.</p>\n</body></html>\n";
    return h;
}

}  // namespace recluster
