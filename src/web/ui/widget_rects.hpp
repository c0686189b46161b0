// Screen rectangles of named widgets, published in window.recluster.state().view.widgets so browser tests
// (and scripts) can find controls by name instead of by hard-coded pixel positions.
#pragma once
#include <string>

#include <nlohmann/json.hpp>

namespace recluster::web::ui {

// Records the rectangle of the last ImGui item under `name` for this frame.
void NoteItem(const std::string& name);
// {name: [x, y, w, h]} for the items drawn in the latest frames.
nlohmann::json WidgetRectsJson();

}  // namespace recluster::web::ui
