#!/usr/bin/python3
"""Static file server for dist/ with the headers that make the page cross-origin isolated
(COOP/COEP/CORP), so the threaded build can use SharedArrayBuffer.
  scripts/serve.py [--port 8080] [--dir dist] [--no-isolation]"""
import argparse, functools, http.server, os, sys

parser = argparse.ArgumentParser()
parser.add_argument("--port", type=int, default=8080)
parser.add_argument("--dir", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "dist"))
parser.add_argument("--no-isolation", action="store_true", help="omit COOP/COEP (tests the single-threaded path)")
parser.add_argument("--quiet", action="store_true")
args = parser.parse_args()


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".wasm": "application/wasm", ".js": "text/javascript", ".csv": "text/csv"}

    def end_headers(self):
        if not args.no_isolation:
            self.send_header("Cross-Origin-Opener-Policy", "same-origin")
            self.send_header("Cross-Origin-Embedder-Policy", "require-corp")
        self.send_header("Cross-Origin-Resource-Policy", "same-origin")
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def log_message(self, fmt, *a):
        if not args.quiet:
            super().log_message(fmt, *a)


http.server.ThreadingHTTPServer.allow_reuse_address = True
server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), functools.partial(Handler, directory=args.dir))
print(f"serving {os.path.abspath(args.dir)} on http://127.0.0.1:{args.port}/", flush=True)
try:
    server.serve_forever()
except KeyboardInterrupt:
    sys.exit(0)
