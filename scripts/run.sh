#!/usr/bin/env bash
# Installs what is missing, builds the web app and serves dist/ on http://127.0.0.1:8080 with the
# cross-origin-isolation headers (so the threaded build is used). PORT=... to change the port.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh wasm
exec scripts/serve.py --port "${PORT:-8080}"
