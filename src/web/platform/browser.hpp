// The few browser services the app needs, behind one header so app code stays platform-neutral.
#pragma once
#include <string>

namespace recluster::web::platform {

// Opens the browser's file dialog; the chosen CSV is loaded as the dataset (Load), its rows are placed on the map
// as predictions (Predict), or every row is assigned to a cluster path and the paths downloaded as CSV (Assign,
// any size: the file is streamed) (web/loader.js).
enum class Picker { Load = 0, Predict = 1, Assign = 2 };
void open_file_picker(Picker mode = Picker::Load);
// Assigns every row of the file the data was loaded from (kept by the page: the whole file when only a sample was
// loaded) and downloads the paths; loaded_file_held() says whether the page has that file.
void assign_loaded_file();
bool loaded_file_held();
// Loads the suggested sample of a file refused for its size (window.recluster.loadSample, which keeps the file for
// assign_loaded_file()).
void load_sample();
// Saves text as a file through the browser's download (a Blob URL; nothing leaves the machine).
void download_text(const std::string& file_name, const std::string& text, const std::string& mime = "text/csv");
// Loads a CSV from a URL through the page (window.recluster.loadUrl: fetch with CORS); failures show in the app's
// error banner.
void load_url(const std::string& url);
// Saves bytes as a file through the browser's download.
void download_bytes(const std::string& file_name, const std::string& bytes, const std::string& mime = "application/octet-stream");
// Asks the page for a share link to the current view (window.recluster.shareUrl, compressed in JS) and to copy it
// to the clipboard; the answer arrives later in share_link().
void request_share_link(bool embed_data);
struct ShareLinkAnswer {
    unsigned serial = 0;  // bumped by every answer
    std::string link;     // the link, or "" when it failed
    std::string error;
    bool copied = false;  // the clipboard took it
};
const ShareLinkAnswer& share_link();
// Keeps the canvas backing store (and the GLFW window) at the canvas' CSS size on every page resize.
// (Emscripten's glfwSetWindowSize requests fullscreen when the size equals the screen's, so we bypass it.)
void install_canvas_autosize();
// Reads a whole file from the in-memory file system (where GLFW puts dropped files). False if unreadable.
bool read_file(const std::string& path, std::string& out);
// True when WebGL is drawn by a software rasteriser (SwiftShader, llvmpipe: no GPU, or a GPU the browser
// blocks): then every frame is drawn by the same CPU cores that run the computation.
bool software_renderer();

}  // namespace recluster::web::platform
