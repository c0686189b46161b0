#include "platform/browser.hpp"

#include <emscripten.h>

#include <fstream>
#include <sstream>

namespace recluster::web::platform {

EM_JS(void, js_open_file_picker, (int for_prediction), {
    var input = document.getElementById('file-input');
    if (!input) return;
    input.dataset.mode = for_prediction ? 'predict' : 'load';
    input.click();
});

void open_file_picker(bool for_prediction) { js_open_file_picker(for_prediction ? 1 : 0); }

EM_JS(void, js_download_text, (const char* name, const char* text, const char* mime), {
    var blob = new Blob([UTF8ToString(text)], { type: UTF8ToString(mime) });
    var url = URL.createObjectURL(blob);
    var a = document.createElement('a');
    a.href = url;
    a.download = UTF8ToString(name);
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
});

void download_text(const std::string& file_name, const std::string& text, const std::string& mime) {
    js_download_text(file_name.c_str(), text.c_str(), mime.c_str());
}

EM_JS(void, js_install_canvas_autosize, (), {
    function fit() {
        var canvas = Module['canvas'];
        var r = canvas.getBoundingClientRect();
        var w = Math.max(1, Math.round(r.width)), h = Math.max(1, Math.round(r.height));
        if (canvas.width !== w || canvas.height !== h) Browser.setCanvasSize(w, h);
    }
    window.addEventListener('resize', fit);
    fit();
});

void install_canvas_autosize() { js_install_canvas_autosize(); }

EM_JS(int, js_software_renderer, (), {
    var gl = Module['ctx'];
    if (!gl) return 0;
    var name = "";
    try {
        var info = gl.getExtension('WEBGL_debug_renderer_info');
        name = String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER) || "");
    } catch (e) {
        return 0;
    }
    return /swiftshader|llvmpipe|softpipe|software/i.test(name) ? 1 : 0;
});

bool software_renderer() { return js_software_renderer() != 0; }

bool read_file(const std::string& path, std::string& out) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return false;
    std::ostringstream ss;
    ss << in.rdbuf();
    out = ss.str();
    return true;
}

}  // namespace recluster::web::platform
