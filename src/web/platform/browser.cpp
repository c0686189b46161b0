#include "platform/browser.hpp"

#include <emscripten.h>
#include <emscripten/bind.h>

#include "io/csv_reader.hpp"

namespace recluster::web::platform {

EM_JS(void, js_open_file_picker, (int mode), {
    var input = document.getElementById('file-input');
    if (!input) return;
    input.dataset.mode = ['load', 'predict', 'assign'][mode];
    input.click();
});

void open_file_picker(Picker mode) { js_open_file_picker(static_cast<int>(mode)); }

EM_JS(void, js_assign_loaded_file, (), {
    if (window.reclusterAssign) window.reclusterAssign(null);
});

void assign_loaded_file() { js_assign_loaded_file(); }

EM_JS(int, js_loaded_file_held, (), {
    return window.recluster && window.recluster.loadedFileName && window.recluster.loadedFileName() ? 1 : 0;
});

bool loaded_file_held() { return js_loaded_file_held() != 0; }

EM_JS(void, js_load_sample, (), {
    if (window.recluster) window.recluster.loadSample().catch(function () { /* the banner shows it */ });
});

void load_sample() { js_load_sample(); }

EM_JS(void, js_download_bytes, (const char* name, const unsigned char* data, int size, const char* mime), {
    var blob = new Blob([HEAPU8.slice(data, data + size)], { type: UTF8ToString(mime) });
    var url = URL.createObjectURL(blob);
    var a = document.createElement('a');
    a.href = url;
    a.download = UTF8ToString(name);
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
});

void download_bytes(const std::string& file_name, const std::string& bytes, const std::string& mime) {
    js_download_bytes(file_name.c_str(), reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()), mime.c_str());
}

void download_text(const std::string& file_name, const std::string& text, const std::string& mime) {
    download_bytes(file_name, text, mime + ";charset=utf-8");  // the text is UTF-8 already
}

EM_JS(void, js_load_url, (const char* url), {
    var api = window.recluster;
    if (!api) return;
    api.loadUrl(UTF8ToString(url)).catch(function (e) { api.showError(e && e.message ? e.message : String(e)); });
});

void load_url(const std::string& url) { js_load_url(url.c_str()); }

EM_JS(void, js_request_share_link, (int embed), {
    var api = window.recluster;
    function answer(link, error, copied) {
        if (Module.shareLinkReady) Module.shareLinkReady(link, error, copied ? 1 : 0);
    }
    if (!api || !api.shareUrl) return answer("", 'The page is not ready to make links.', false);
    api.shareUrl({ embedData: !!embed }).then(function (url) {
        if (!navigator.clipboard || !navigator.clipboard.writeText) return answer(url, "", false);
        navigator.clipboard.writeText(url).then(function () { answer(url, "", true); }, function () { answer(url, "", false); });
    }, function (e) {
        answer("", e && e.message ? e.message : String(e), false);
    });
});

namespace {
ShareLinkAnswer g_share_link;
void share_link_ready(std::string link, std::string error, int copied) {
    g_share_link.link = std::move(link);
    g_share_link.error = std::move(error);
    g_share_link.copied = copied != 0;
    ++g_share_link.serial;
}
}  // namespace

void request_share_link(bool embed_data) { js_request_share_link(embed_data ? 1 : 0); }
const ShareLinkAnswer& share_link() { return g_share_link; }

EMSCRIPTEN_BINDINGS(recluster_app_page) { emscripten::function("shareLinkReady", &share_link_ready); }

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
    auto text = read_text_file(path);
    if (text) out = std::move(*text);
    return text.ok();
}

}  // namespace recluster::web::platform
