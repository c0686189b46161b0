#include "ui/widget_rects.hpp"

#include <imgui.h>

#include <array>
#include <map>

namespace recluster::web::ui {

namespace {
struct Noted {
    std::array<float, 4> rect;
    int frame;
};
std::map<std::string, Noted>& registry() {
    static std::map<std::string, Noted> r;
    return r;
}
}  // namespace

void NoteItem(const std::string& name) {
    const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
    registry()[name] = Noted{{a.x, a.y, b.x - a.x, b.y - a.y}, ImGui::GetFrameCount()};
}

nlohmann::json WidgetRectsJson() {
    nlohmann::json j = nlohmann::json::object();
    const int now = ImGui::GetFrameCount();
    for (const auto& [name, noted] : registry())
        if (now - noted.frame <= 1) j[name] = noted.rect;  // drawn in the current or the previous frame
    return j;
}

}  // namespace recluster::web::ui
