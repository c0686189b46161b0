// recluster web app entry: GLFW window on the page's canvas, Dear ImGui, and the per-frame loop that ticks the
// engine, draws the map with our point renderer and the panels with ImGui.
#include <GLES3/gl3.h>
#include <GLFW/glfw3.h>
#include <emscripten.h>
#include <emscripten/html5.h>
#include <imgui.h>
#include <imgui_impl_glfw.h>

#include <algorithm>
#include <cstdio>

#include "app/app.hpp"
#include "platform/browser.hpp"
#include "render/panel_renderer.hpp"

namespace {
GLFWwindow* g_window = nullptr;
recluster::web::App* g_app = nullptr;
recluster::web::PanelRenderer g_panels;  // draws ImGui's output (see panel_renderer.hpp for why not ImGui's backend)

// Frame pacing: the page redraws only when something can have changed. Drawing (software WebGL on machines
// without a GPU) competes with the compute threads for the same cores, so an unchanged map is not redrawn,
// and while a job runs the live layout is drawn at most busy_frame_ms() apart: 10 frames/s with a GPU; with a
// software renderer (SwiftShader draws 70k points in ~110 ms of CPU) the interval grows with the number of
// points so drawing keeps to about a tenth of one core.
constexpr double kGpuBusyFrameMs = 100.0;
bool g_software_renderer = false;
double busy_frame_ms() {
    if (!g_software_renderer) return kGpuBusyFrameMs;
    const double points = g_app ? static_cast<double>(g_app->points_drawn()) : 0.0;
    return std::clamp(250.0 + points * 0.01, 250.0, 1000.0);
}
constexpr double kAfterInputMs = 1000.0;  // keep drawing after input: hover states, tooltips, animations
double g_active_until = 0;                // draw every frame until this time
double g_last_draw = -1e9;
unsigned g_seen_generation = ~0u;
bool g_was_busy = false;
int g_last_fw = -1, g_last_fh = -1;

void mark_active() { g_active_until = emscripten_get_now() + kAfterInputMs; }
void on_cursor_pos(GLFWwindow*, double, double) { mark_active(); }
void on_mouse_button(GLFWwindow*, int, int, int) { mark_active(); }
void on_scroll(GLFWwindow*, double, double) { mark_active(); }
void on_key(GLFWwindow*, int, int, int, int) { mark_active(); }
void on_char(GLFWwindow*, unsigned int) { mark_active(); }
void on_cursor_enter(GLFWwindow*, int) { mark_active(); }

bool should_draw(double now, int fw, int fh) {
    const auto& engine = recluster::web::engine();
    const bool busy = engine.busy();
    if (engine.generation() != g_seen_generation || busy != g_was_busy || fw != g_last_fw || fh != g_last_fh) {
        g_seen_generation = engine.generation();
        g_was_busy = busy;
        g_last_fw = fw;
        g_last_fh = fh;
        mark_active();
    }
    if (ImGui::GetIO().WantTextInput) mark_active();  // the text cursor blinks
    if (g_app && g_app->take_redraw_request()) mark_active();
    if (busy) return now - g_last_draw >= busy_frame_ms();
    return now < g_active_until;
}

void frame() {
    const double t0 = emscripten_get_now();
    glfwPollEvents();
    // Single-threaded build: advance the background job for a slice of the frame; threaded: harvest results.
    const double tick_start = emscripten_get_now();
    recluster::web::engine().tick(16.0);
    const double tick_ms = emscripten_get_now() - tick_start;
    int fw = 0, fh = 0;
    glfwGetFramebufferSize(g_window, &fw, &fh);
    if (!should_draw(t0, fw, fh)) return;  // the canvas keeps showing the last frame
    g_last_draw = t0;
    g_app->set_frame_pacing(g_software_renderer, busy_frame_ms());

    ImGui_ImplGlfw_NewFrame();
    ImGuiIO& io = ImGui::GetIO();
    if (!(io.DeltaTime > 0)) io.DeltaTime = 1.0f / 60.0f;  // headless frames can have zero delta
    ImGui::NewFrame();
    g_app->frame(static_cast<float>(fw), static_cast<float>(fh));
    ImGui::Render();
    const double t_ui = emscripten_get_now();

    glViewport(0, 0, fw, fh);
    glClearColor(0.08f, 0.09f, 0.11f, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    g_app->render_map(static_cast<float>(fw), static_cast<float>(fh));
    const double t_map = emscripten_get_now();
    g_panels.render(ImGui::GetDrawData());
    const double t_end = emscripten_get_now();
    // CPU cost of this frame excluding the background job's time slice (measured separately by the engine).
    g_app->record_frame_ms(t_end - t0 - tick_ms, {t_ui - tick_start - tick_ms, t_map - t_ui, t_end - t_map});
}

// Mouse wheel on the canvas (ImGui's backend listens on the document, where Chromium makes wheel listeners
// passive and logs an error each time the event is cancelled). Pixel deltas of 100 = one wheel notch.
EM_BOOL on_wheel(int, const EmscriptenWheelEvent* ev, void*) {
    float scale = ev->deltaMode == DOM_DELTA_PIXEL ? 0.01f : ev->deltaMode == DOM_DELTA_LINE ? 1.0f / 3.0f : 1.0f;
    ImGui::GetIO().AddMouseWheelEvent(static_cast<float>(-ev->deltaX) * scale, static_cast<float>(-ev->deltaY) * scale);
    mark_active();
    return EM_TRUE;  // keep the page from scrolling
}

void on_drop(GLFWwindow*, int count, const char** paths) {
    mark_active();
    if (count > 0) g_app->on_file_dropped(paths[0]);
}
}  // namespace

int main() {
    if (!glfwInit()) {
        std::fprintf(stderr, "recluster: glfwInit failed\n");
        return 1;
    }
    glfwWindowHint(GLFW_CLIENT_API, GLFW_OPENGL_ES_API);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
    glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 0);
    g_window = glfwCreateWindow(1280, 800, "recluster", nullptr, nullptr);
    if (!g_window) {
        std::fprintf(stderr, "recluster: WebGL2 is not available in this browser\n");
        EM_ASM({ if (Module.onWebGLUnavailable) Module.onWebGLUnavailable(); });
        return 1;
    }
    glfwMakeContextCurrent(g_window);
    g_software_renderer = recluster::web::platform::software_renderer();

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    // Emscripten's GLFW maps a hidden cursor to a pointer-lock request, which browsers refuse without a gesture.
    io.ConfigFlags |= ImGuiConfigFlags_NoMouseCursorChange;  // no persistence between sessions (and no storage access)
    ImGui::StyleColorsDark();
    ImGui::GetStyle().WindowRounding = 4.0f;
    // Our input callbacks first: ImGui's backend installs its own and chains to these.
    glfwSetCursorPosCallback(g_window, on_cursor_pos);
    glfwSetMouseButtonCallback(g_window, on_mouse_button);
    glfwSetScrollCallback(g_window, on_scroll);
    glfwSetKeyCallback(g_window, on_key);
    glfwSetCharCallback(g_window, on_char);
    glfwSetCursorEnterCallback(g_window, on_cursor_enter);
    ImGui_ImplGlfw_InitForOpenGL(g_window, true);
    if (!g_panels.init()) {
        std::fprintf(stderr, "recluster: %s\n", g_panels.error().c_str());
        return 1;
    }
    emscripten_set_wheel_callback(EMSCRIPTEN_EVENT_TARGET_DOCUMENT, nullptr, false, nullptr);
    emscripten_set_wheel_callback("#canvas", nullptr, false, on_wheel);

    static recluster::web::App app;
    g_app = &app;
    if (!app.init()) {
        std::fprintf(stderr, "recluster: renderer initialisation failed\n");
        return 1;
    }
    glfwSetDropCallback(g_window, on_drop);
    recluster::web::platform::install_canvas_autosize();
    emscripten_set_main_loop(frame, 0, false);
    return 0;
}
