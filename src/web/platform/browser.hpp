// The few browser services the app needs, behind one header so app code stays platform-neutral.
#pragma once
#include <string>

namespace recluster::web::platform {

// Opens the browser's file dialog; the chosen CSV is loaded as the dataset, or (for_prediction) its rows are
// assigned to clusters with the explained models (web/loader.js).
void open_file_picker(bool for_prediction = false);
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
