#!/usr/bin/env bash
# Builds everything: native core + CLI + tests (build/native), the two WASM builds (build/wasm-mt threaded,
# build/wasm-st single-threaded) and assembles the static site in dist/.
#   scripts/build.sh            all
#   scripts/build.sh native     native only
#   scripts/build.sh wasm       WASM builds + dist/ only
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-all}
JOBS=${JOBS:-$(nproc)}
export NODE_PATH=/usr/share/nodejs   # emscripten's JS optimizer needs Debian's acorn

if [ "$what" = all ] || [ "$what" = native ]; then
  cmake -S . -B build/native -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build build/native -j "$JOBS"
fi

if [ "$what" = all ] || [ "$what" = wasm ]; then
  for variant in mt st; do
    threads=ON; [ $variant = st ] && threads=OFF
    emcmake cmake -S . -B build/wasm-$variant -G Ninja -DCMAKE_BUILD_TYPE=Release -DRECLUSTER_THREADS=$threads \
      "-DCMAKE_CROSSCOMPILING_EMULATOR=/usr/bin/node;--no-experimental-fetch" >/dev/null
    cmake --build build/wasm-$variant -j "$JOBS"
  done

  # Static site: works from any static host. The loader picks the threaded build when the page is
  # cross-origin isolated, else the single-threaded one.
  rm -rf dist.tmp && mkdir -p dist.tmp/mt dist.tmp/st
  cp web/index.html web/loader.js web/recluster-api.js dist.tmp/
  cp node_modules/coi-serviceworker/coi-serviceworker.min.js dist.tmp/coi-serviceworker.js
  cp build/wasm-mt/recluster_app.js build/wasm-mt/recluster_app.wasm dist.tmp/mt/
  if [ -f build/wasm-mt/recluster_app.worker.js ]; then cp build/wasm-mt/recluster_app.worker.js dist.tmp/mt/; fi
  cp build/wasm-st/recluster_app.js build/wasm-st/recluster_app.wasm dist.tmp/st/
  # Built-in demos (the start screen's buttons), made from Debian packages by scripts/make_demos.py, and the small
  # test datasets (scripts/make_fixtures.py), served with the app.
  mkdir -p dist.tmp/demo && cp tests/data/wine.csv tests/data/iris.csv dist.tmp/demo/
  /usr/bin/python3 scripts/make_demos.py dist.tmp/demo
  rm -rf dist && mv dist.tmp dist
  echo "build: dist/ ready ($(du -sh dist | cut -f1))"
fi
