#!/usr/bin/env bash
# Installs what is missing, builds native + both WASM builds, and runs every test:
#   native unit tests (Catch2/ctest), the same under ASan+UBSan, CLI tests, WASM contract tests under node,
#   and browser end-to-end tests for both builds (headless Chromium via playwright-core).
# Set SKIP_SANITIZERS=1 to skip the sanitizer build during quick local iterations.
set -euo pipefail
cd "$(dirname "$0")/.."
export NODE_PATH=/usr/share/nodejs
step() { printf '\n=== %s ===\n' "$*"; }

step setup
scripts/setup.sh

step build
scripts/build.sh all

step "native unit tests"
(cd build/native && ctest --output-on-failure -j "$(nproc)")

if [ "${SKIP_SANITIZERS:-0}" != 1 ]; then
  step "native unit tests under ASan + UBSan"
  cmake -S . -B build/sanitize -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRECLUSTER_SANITIZE=ON >/dev/null
  cmake --build build/sanitize -j "$(nproc)" --target recluster_tests recluster
  (cd build/sanitize && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --output-on-failure -j "$(nproc)")
fi

step "CLI tests"
node --test tests/cli/

step "WASM contract tests (node)"
node --no-experimental-fetch --test tests/wasm/

step "browser end-to-end tests (both builds)"
node --test tests/e2e/

step "all tests passed"
