#include "app/map_view.hpp"

#include <imgui.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <nlohmann/json.hpp>
#include <unordered_map>
#include "common/json_text.hpp"

namespace recluster::web {

namespace {
// Default colouring: the label column (its role; the last one), else a text column with a handful of values (a
// label such as "class" or "species").
int default_color_column(const Dataset& d) {
    const std::size_t label = d.label_column();
    if (label < d.columns.size() && d.columns[label].type == ColumnType::Text && d.columns[label].stats.distinct >= 2)
        return static_cast<int>(label);
    for (std::size_t c = 0; c < d.columns.size(); ++c) {
        const auto& col = d.columns[c];
        if (col.type == ColumnType::Text && col.stats.distinct >= 2 && col.stats.distinct <= 20)
            return static_cast<int>(c);
    }
    return -1;
}
}  // namespace

void MapView::sync(const Engine& engine, float w, float h) {
    engine_ = &engine;
    // Live UMAP layout of the running job, for the same dataset: animate the points in place.
    if (engine.busy() && engine.dataset() && engine.take_preview(xy_, preview_version_) &&
        xy_.size() == 2 * engine.dataset()->rows) {
        ++xy_version_;
        if (data_ != engine.dataset()) {  // first map of a new dataset or of a drilled-into view
            data_ = engine.dataset();
            if (root_changed(engine)) color_column_ = default_color_column(*data_);
            showing_preview_ = false;
        }
        renderer_.set_positions(xy_.data(), xy_.size() / 2);
        if (!showing_preview_) {
            recolor();
            showing_preview_ = true;
        }
        fit(w, h);
        return;
    }
    if (engine.generation() == generation_) {
        animate();
        return;
    }
    animating_ = false;
    showing_preview_ = false;
    preview_version_ = 0;
    generation_ = engine.generation();
    hidden_.clear();  // cluster ids belong to the previous result
    highlighted_ = LegendEntry::kNoCluster;
    selection_.clear();
    const PipelineOutput* out = engine.output();
    hovered_ = -1;
    if (!out || !engine.dataset()) {
        xy_.clear();
        ++xy_version_;
        renderer_.set_positions(nullptr, 0);
        // A new file waiting for its map: the colour column must index its columns, not the previous file's (the
        // panels read its name every frame).
        if (engine.dataset() && root_changed(engine)) {
            data_ = engine.dataset();
            color_column_ = default_color_column(*data_);
        }
        if (engine.dataset() && color_column_ >= static_cast<int>(engine.dataset()->columns.size())) color_column_ = -1;
        return;
    }
    // A new file gets the default colouring; views of the same file (drill-down) keep the colour column (their
    // datasets have the same columns).
    const bool new_data = root_changed(engine);
    data_ = engine.dataset();
    std::vector<float> previous_xy = std::move(xy_);
    xy_ = out->embedding.data;
    ++xy_version_;
    renderer_.set_positions(xy_.data(), xy_.size() / 2);
    // Moving to another view of the same file: points glide from where they were on the previous map.
    const Session* session = engine.session();
    const int node = session ? session->current() : -1;
    if (session && !new_data && node != node_ && previous_xy.size() == 2 * node_rows_.size())
        start_transition(previous_xy, session->node(node).rows);
    node_ = node;
    node_rows_ = session ? session->node(node).rows : std::vector<std::size_t>();
    if (new_data) color_column_ = default_color_column(*data_);
    if (color_column_ >= static_cast<int>(data_->columns.size())) color_column_ = -1;
    recolor();
    fit(w, h);
}

void MapView::start_transition(const std::vector<float>& previous_xy, const std::vector<std::size_t>& rows) {
    // Rows in both views (both row lists ascending); the previous positions of the shared rows are mapped by a
    // per-axis scale and shift onto the bounding box of their new positions, so the motion reads as a zoom.
    const std::size_t n = rows.size();
    std::vector<int> from(n, -1);
    for (std::size_t i = 0, j = 0; i < n && j < node_rows_.size();) {
        if (rows[i] == node_rows_[j]) from[i] = static_cast<int>(j++), ++i;
        else if (rows[i] < node_rows_[j]) ++i;
        else ++j;
    }
    float plo[2] = {1e30f, 1e30f}, phi[2] = {-1e30f, -1e30f}, qlo[2] = {1e30f, 1e30f}, qhi[2] = {-1e30f, -1e30f};
    std::size_t shared = 0;
    for (std::size_t i = 0; i < n; ++i) {
        if (from[i] < 0) continue;
        ++shared;
        for (int a = 0; a < 2; ++a) {
            plo[a] = std::min(plo[a], previous_xy[2 * static_cast<std::size_t>(from[i]) + static_cast<std::size_t>(a)]);
            phi[a] = std::max(phi[a], previous_xy[2 * static_cast<std::size_t>(from[i]) + static_cast<std::size_t>(a)]);
            qlo[a] = std::min(qlo[a], xy_[2 * i + static_cast<std::size_t>(a)]);
            qhi[a] = std::max(qhi[a], xy_[2 * i + static_cast<std::size_t>(a)]);
        }
    }
    if (shared < 2) return;
    anim_from_ = xy_;
    for (std::size_t i = 0; i < n; ++i) {
        if (from[i] < 0) continue;
        for (int a = 0; a < 2; ++a) {
            const float span = phi[a] - plo[a];
            const float t = span > 0 ? (previous_xy[2 * static_cast<std::size_t>(from[i]) + static_cast<std::size_t>(a)] - plo[a]) / span : 0.5f;
            anim_from_[2 * i + static_cast<std::size_t>(a)] = qlo[a] + t * (qhi[a] - qlo[a]);
        }
    }
    anim_start_ = ImGui::GetTime();
    animating_ = true;
    ++transitions_;
    renderer_.set_positions(anim_from_.data(), n);
}

void MapView::animate() {
    if (!animating_) return;
    const double t = (ImGui::GetTime() - anim_start_) / kTransitionSeconds;
    if (t >= 1.0 || anim_from_.size() != xy_.size()) {
        animating_ = false;
        renderer_.set_positions(xy_.data(), xy_.size() / 2);
        return;
    }
    const float e = static_cast<float>(t * t * (3 - 2 * t));  // smoothstep
    anim_now_.resize(xy_.size());
    for (std::size_t i = 0; i < xy_.size(); ++i) anim_now_[i] = anim_from_[i] + e * (xy_[i] - anim_from_[i]);
    renderer_.set_positions(anim_now_.data(), anim_now_.size() / 2);
}

bool MapView::root_changed(const Engine& engine) {
    const Dataset* root = engine.session() ? engine.session()->dataset().get() : nullptr;
    if (root == root_) return false;
    root_ = root;
    return true;
}

void MapView::toggle_hidden(int cluster) {
    auto it = std::lower_bound(hidden_.begin(), hidden_.end(), cluster);
    if (it != hidden_.end() && *it == cluster) hidden_.erase(it);
    else hidden_.insert(it, cluster);
    recolor();
}

void MapView::toggle_highlight(int cluster) {
    highlighted_ = highlighted_ == cluster ? LegendEntry::kNoCluster : cluster;
    recolor();
}

void MapView::set_color_column(int column) {
    color_column_ = column;
    recolor();
}

RgbImage MapView::render_image(std::size_t width, std::size_t height, float screen_w, const std::vector<std::string>& header) const {
    MapImageSpec spec;
    spec.width = width, spec.height = height;
    spec.header = header;
    spec.has_view = camera.zoom > 0 && screen_w > 0;
    spec.cx = camera.cx, spec.cy = camera.cy;
    spec.units_across = spec.has_view ? screen_w / camera.zoom : 1;
    spec.opacity = opacity;
    spec.point_radius = std::max(0.6f, point_px * 0.5f * static_cast<float>(width) / std::max(1.0f, screen_w));
    const Rgb bg = spec.background;
    const auto blend = [&](Rgba8 c) {  // dimmed points (highlight) are drawn faded into the background
        const float a = c.a / 255.0f;
        return Rgb{static_cast<std::uint8_t>(bg.r + (c.r - bg.r) * a), static_cast<std::uint8_t>(bg.g + (c.g - bg.g) * a),
                   static_cast<std::uint8_t>(bg.b + (c.b - bg.b) * a)};
    };
    const std::size_t n = std::min(xy_.size() / 2, colors_.size());
    std::size_t shown = 0;
    for (std::size_t i = 0; i < n; ++i) shown += colors_[i].a > 0;
    Matrix xy(shown, 2);
    std::vector<Rgb> colors;
    colors.reserve(shown);
    for (std::size_t i = 0, k = 0; i < n; ++i) {
        if (colors_[i].a == 0) continue;  // hidden clusters
        xy.at(k, 0) = xy_[2 * i], xy.at(k, 1) = xy_[2 * i + 1];
        colors.push_back(blend(colors_[i]));
        ++k;
    }
    if (continuous_) {
        spec.legend_title = color_name();
        for (int s = 4; s >= 0; --s) {
            const float t = static_cast<float>(s) / 4.0f;
            char buf[32];
            std::snprintf(buf, sizeof buf, "%.4g", static_cast<double>(vmin_ + t * (vmax_ - vmin_)));
            const Rgba8 c = ramp_color(t);
            spec.legend.push_back({buf, Rgb{c.r, c.g, c.b}});
        }
    } else if (!categories_.empty()) {
        spec.legend_title = color_column_ == kColorByCluster ? cluster_title_ : color_column_ == kColorByHierarchy ? "Hierarchy" : color_name();
        for (const auto& e : categories_)
            if (!e.hidden) spec.legend.push_back({e.label + "  " + std::to_string(e.count), Rgb{e.color.r, e.color.g, e.color.b}});
    }
    for (const auto& m : marks_) spec.marks.push_back({m.x, m.y, std::to_string(m.cluster)});
    return render_map_image(xy, colors, spec);
}

std::string MapView::color_name() const {
    if (color_column_ == kColorByCluster) return "(cluster)";
    if (color_column_ == kColorByHierarchy) return "(hierarchy)";
    if (data_ && color_column_ >= 0 && static_cast<std::size_t>(color_column_) < data_->columns.size())
        return data_->columns[static_cast<std::size_t>(color_column_)].name;
    return "";
}

bool MapView::set_color_name(const std::string& name) {
    if (name == "(cluster)") set_color_column(kColorByCluster);
    else if (name == "(hierarchy)") set_color_column(kColorByHierarchy);
    else if (name.empty()) set_color_column(-1);
    else if (!data_ || data_->column_index(name) >= data_->columns.size()) return false;
    else set_color_column(static_cast<int>(data_->column_index(name)));
    return true;
}

void MapView::recolor() {
    const std::size_t n = xy_.size() / 2;
    colors_.assign(n, default_point_color());
    categories_.clear();
    continuous_ = false;
    marks_.clear();
    if (color_column_ == kColorByCluster) {
        // Clusters of the finished result (a running job's preview keeps the neutral colour: its clusters do
        // not exist yet). Cluster c gets palette colour c (wrapping), noise the missing-value grey.
        const PipelineOutput* out = engine_ && !engine_->busy() ? engine_->output() : nullptr;
        if (out && out->labels.size() == n) {
            const auto& cl = out->clustering;
            cluster_title_ = cl.method == "hdbscan" ? "HDBSCAN clusters"
                             : cl.method == "dbscan" ? "DBSCAN clusters"
                             : cl.method == "kmeans" ? "k-means clusters, k = " + std::to_string(cl.k)
                             : cl.method == "gmm"    ? "Gaussian mixture, k = " + std::to_string(cl.k)
                                                     : "One group (no clustering)";
            if (cl.space == "pca") cluster_title_ += ", in " + std::to_string(cl.space_dims) + " PCA components";
            else if (cl.space == "features") cluster_title_ += ", in the " + std::to_string(cl.space_dims) + " features";
            const auto is_hidden = [&](int c) { return std::binary_search(hidden_.begin(), hidden_.end(), c); };
            const auto& sizes = out->clustering.sizes;
            for (std::size_t c = 0; c < sizes.size(); ++c) {
                const int id = static_cast<int>(c);
                categories_.push_back({"cluster " + std::to_string(c), category_color(id), static_cast<std::size_t>(sizes[c]),
                                       id, is_hidden(id)});
            }
            if (out->clustering.n_noise) categories_.push_back({"noise", missing_color(), out->clustering.n_noise, -1, is_hidden(-1)});
            std::vector<double> sx(sizes.size(), 0.0), sy(sizes.size(), 0.0);
            for (std::size_t i = 0; i < n; ++i) {
                const int l = out->labels[i];
                colors_[i] = l >= 0 ? category_color(l) : missing_color();
                if (is_hidden(l)) colors_[i].a = 0;  // not drawn, not picked
                else if (highlighted_ != LegendEntry::kNoCluster && l != highlighted_) colors_[i].a = 40;  // dimmed
                if (l >= 0) {
                    sx[static_cast<std::size_t>(l)] += xy_[2 * i];
                    sy[static_cast<std::size_t>(l)] += xy_[2 * i + 1];
                }
            }
            for (std::size_t c = 0; c < sizes.size(); ++c)
                if (sizes[c] > 0 && !is_hidden(static_cast<int>(c)))
                    marks_.push_back({static_cast<int>(c), static_cast<float>(sx[c] / sizes[c]), static_cast<float>(sy[c] / sizes[c])});
        }
        renderer_.set_colors(colors_);
        return;
    }
    if (color_column_ == kColorByHierarchy) {
        // Each row's deepest hierarchical label (3.1, 3.noise, ...) among this view's rows.
        const Session* session = engine_ && !engine_->busy() ? engine_->session() : nullptr;
        if (session) {
            const auto paths = session->row_paths();
            const auto& rows = session->node(session->current()).rows;
            if (rows.size() == n) {
                std::vector<std::string> mine(n);
                for (std::size_t i = 0; i < n; ++i) mine[i] = paths[rows[i]].empty() ? "(not clustered)" : paths[rows[i]];
                color_categories(mine);
            }
        }
        renderer_.set_colors(colors_);
        return;
    }
    if (data_ && color_column_ >= 0 && n == data_->rows) {
        const Column& col = data_->columns[color_column_];
        if (col.type == ColumnType::Numeric) {
            continuous_ = true;
            vmin_ = static_cast<float>(col.stats.min);
            vmax_ = static_cast<float>(col.stats.max);
            float span = vmax_ > vmin_ ? vmax_ - vmin_ : 1.0f;
            for (std::size_t i = 0; i < n; ++i) {
                float v = col.numbers[i];
                colors_[i] = std::isnan(v) ? missing_color() : ramp_color((v - vmin_) / span);
            }
        } else {
            color_categories(col.text);
        }
    }
    renderer_.set_colors(colors_);
}

void MapView::fit(float w, float h) {
    const std::size_t n = xy_.size() / 2;
    if (n == 0) return;
    float x0 = std::numeric_limits<float>::infinity(), y0 = x0, x1 = -x0, y1 = -x0;
    for (std::size_t i = 0; i < n; ++i) {
        x0 = std::min(x0, xy_[2 * i]);
        x1 = std::max(x1, xy_[2 * i]);
        y0 = std::min(y0, xy_[2 * i + 1]);
        y1 = std::max(y1, xy_[2 * i + 1]);
    }
    camera.fit(x0, y0, x1, y1, w, h, inset_left, inset_bottom);
}

void MapView::color_categories(const std::vector<std::string>& values) {
    // Categories by frequency; the most frequent get palette colours, the rest share "other".
    std::unordered_map<std::string, std::size_t> counts;
    for (const auto& v : values) ++counts[v];
    std::vector<std::pair<std::string, std::size_t>> order(counts.begin(), counts.end());
    std::sort(order.begin(), order.end(), [](const auto& a, const auto& b) {
        return a.second != b.second ? a.second > b.second : a.first < b.first;
    });
    const std::size_t shown = static_cast<std::size_t>(palette_size() - 1);
    std::unordered_map<std::string, Rgba8> color_of;
    std::size_t other = 0, missing = 0;
    int next = 0;
    for (const auto& [value, count] : order) {
        if (value.empty()) {
            missing = count;
            color_of[value] = missing_color();
        } else if (static_cast<std::size_t>(next) < shown) {
            Rgba8 c = category_color(next++);
            color_of[value] = c;
            categories_.push_back({value, c, count});
        } else {
            color_of[value] = category_color(palette_size() - 1);
            other += count;
        }
    }
    if (other) categories_.push_back({"(other values)", category_color(palette_size() - 1), other});
    if (missing) categories_.push_back({"(missing)", missing_color(), missing});
    for (std::size_t i = 0; i < values.size() && i < colors_.size(); ++i) colors_[i] = color_of[values[i]];
}

std::vector<std::size_t> MapView::rows_in_rect(float x0, float y0, float x1, float y1, float w, float h) const {
    std::vector<std::size_t> out;
    const float lx = std::min(x0, x1), hx = std::max(x0, x1), ly = std::min(y0, y1), hy = std::max(y0, y1);
    const std::size_t n = xy_.size() / 2;
    const bool check_hidden = colors_.size() == n;
    for (std::size_t i = 0; i < n; ++i) {
        if (check_hidden && colors_[i].a == 0) continue;
        float sx, sy;
        camera.to_screen(xy_[2 * i], xy_[2 * i + 1], w, h, sx, sy);
        if (sx >= lx && sx <= hx && sy >= ly && sy <= hy) out.push_back(i);
    }
    return out;
}

void MapView::ensure_grid() const {
    const auto now = std::chrono::steady_clock::now();
    if (grid_version_ != xy_version_ && (!showing_preview_ || grid_.size() != xy_.size() / 2 || now - grid_built_ > std::chrono::milliseconds(500))) {
        grid_.build(xy_.data(), xy_.size() / 2);
        grid_version_ = xy_version_;
        grid_built_ = now;
    }
}

int MapView::pick(float mx, float my, float w, float h) const {
    // The nearest drawn point within the point radius plus a small slack (screen pixels), through the grid: a hover
    // costs the points near the cursor, not all of them. Points left out by the level of detail are not picked.
    ensure_grid();
    const float radius = point_px * 0.5f + 3.0f;
    float x, y;
    camera.to_data(mx, my, w, h, x, y);
    const std::size_t n = xy_.size() / 2;
    const bool check_hidden = colors_.size() == n;
    const std::size_t drawn = points_drawn_ ? points_drawn_ : n;
    const long found = grid_.nearest(x, y, radius / camera.zoom, [&](std::size_t i) {
        return (!check_hidden || colors_[i].a != 0) && (drawn >= n || renderer_.rank(i) < drawn);
    });
    return static_cast<int>(found);
}

void MapView::handle_input(float w, float h) {
    ImGuiIO& io = ImGui::GetIO();
    if (io.WantCaptureMouse && !dragging_) {
        hovered_ = -1;
        return;
    }
    // Shift + drag: box selection (instead of panning).
    if (ImGui::IsMouseClicked(ImGuiMouseButton_Left) && io.KeyShift) {
        box_active_ = true;
        box_x0_ = box_x1_ = io.MousePos.x;
        box_y0_ = box_y1_ = io.MousePos.y;
    }
    if (box_active_) {
        box_x1_ = io.MousePos.x;
        box_y1_ = io.MousePos.y;
        if (!ImGui::IsMouseDown(ImGuiMouseButton_Left)) {
            box_active_ = false;
            selection_ = rows_in_rect(box_x0_, box_y0_, box_x1_, box_y1_, w, h);
        }
        hovered_ = -1;
        return;
    }
    if (ImGui::IsMouseClicked(ImGuiMouseButton_Left)) dragging_ = true;
    if (!ImGui::IsMouseDown(ImGuiMouseButton_Left)) dragging_ = false;
    if (dragging_ && (io.MouseDelta.x != 0 || io.MouseDelta.y != 0)) {
        camera.cx -= io.MouseDelta.x / camera.zoom;
        camera.cy += io.MouseDelta.y / camera.zoom;
    }
    if (io.MouseWheel != 0) camera.zoom_at(std::pow(1.15f, io.MouseWheel), io.MousePos.x, io.MousePos.y, w, h);
    if (ImGui::IsMousePosValid() && !dragging_) {
        const auto t0 = std::chrono::steady_clock::now();
        hovered_ = pick(io.MousePos.x, io.MousePos.y, w, h);
        pick_ms_ = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    } else {
        hovered_ = -1;
    }
}

void MapView::draw(float w, float h) {
    const std::size_t n = renderer_.count();
    std::size_t limit = n;
    points_in_view_ = n;
    if (level_of_detail && n > lod_budget() && xy_.size() == 2 * n && w > 0 && h > 0) {
        // Sample so that about lod_budget() points land in the viewport: n * budget / (points in view).
        ensure_grid();
        float x0, y0, x1, y1;
        camera.to_data(0, h, w, h, x0, y0);
        camera.to_data(w, 0, w, h, x1, y1);
        points_in_view_ = grid_.count_in_box(x0, y0, x1, y1);
        if (points_in_view_ > lod_budget())
            limit = static_cast<std::size_t>(std::ceil(static_cast<double>(n) * static_cast<double>(lod_budget()) / static_cast<double>(points_in_view_)));
    }
    points_drawn_ = renderer_.draw(camera, w, h, point_px, opacity, limit);
}

std::string MapView::state_json() const {
    nlohmann::json j;
    j["camera"] = {{"cx", camera.cx}, {"cy", camera.cy}, {"zoom", camera.zoom}};
    const std::string color = color_name();
    j["color_by"] = color.empty() ? nlohmann::json(nullptr) : nlohmann::json(color);
    j["point_size"] = point_px;
    j["opacity"] = opacity;
    j["points_drawn"] = points_drawn_;  // draw-order prefix: points of rank < points_drawn (some may be off screen)
    j["level_of_detail"] = {{"enabled", level_of_detail}, {"budget", lod_budget()}, {"points_in_view", points_in_view_},
                            {"sampled", points_drawn_ < renderer_.count()}};
    j["hovered_row"] = hovered_;
    j["pick_ms"] = pick_ms_;  // the last hover pick (grid query, and its rebuild after the map changed)
    nlohmann::json legend = nlohmann::json::array();
    for (const auto& e : categories_) legend.push_back({{"label", e.label}, {"count", e.count}});
    j["legend"] = legend;
    j["hidden_clusters"] = hidden_;
    j["highlighted_cluster"] = highlighted_ == LegendEntry::kNoCluster ? nlohmann::json(nullptr) : nlohmann::json(highlighted_);
    j["cluster_marks"] = marks_.size();
    j["transitions"] = transitions_;
    j["selected_rows"] = selection_.size();
    j["cpu_frame_ms"] = frame_ms_;  // smoothed
    j["cpu_frame_ms_last"] = last_frame_ms_;
    j["cpu_frame_parts_ms"] = {{"ui", last_parts_.ui_ms}, {"map", last_parts_.map_ms}, {"panels_gl", last_parts_.panels_gl_ms}};
    j["frames_drawn"] = frames_drawn_;
    j["software_renderer"] = software_renderer_;
    j["busy_frame_ms"] = busy_frame_ms_;
    return json_text(j);
}

}  // namespace recluster::web
