#!/usr/bin/env bash
# Installs what is missing, builds native + both WASM builds, and runs every test:
#   native unit tests (Catch2/ctest), the same under ASan+UBSan, CLI tests, WASM contract tests under node,
#   and browser end-to-end tests for both builds (headless Chromium via playwright-core).
# Set SKIP_SANITIZERS=1 / SKIP_FUZZ=1 to skip the sanitizer build / the fuzzing during quick local iterations.
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

if [ "${SKIP_FUZZ:-0}" != 1 ]; then
  # libFuzzer harnesses (tests/fuzz: CSV reader, share-link state, session files) under ASan + UBSan, each for
  # FUZZ_SECONDS (default 30) from the committed seeds; a crash prints its input's path and fails the run.
  secs=${FUZZ_SECONDS:-30}
  step "fuzzing: 3 harnesses x ${secs} s (libFuzzer + ASan + UBSan)"
  CXX=clang++-14 cmake -S . -B build/fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DRECLUSTER_FUZZ=ON >/dev/null
  cmake --build build/fuzz -j "$(nproc)" --target fuzz_csv_reader fuzz_share_state fuzz_session_file
  mkdir -p build/fuzz/artifacts
  for h in csv_reader:csv share_state:share_state session_file:session_file; do
    name=${h%%:*}; seeds=${h##*:}
    work=$(mktemp -d)
    if ! build/fuzz/fuzz_$name -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        -artifact_prefix=build/fuzz/artifacts/ "$work" "tests/fuzz/seeds/$seeds" > "build/fuzz/$name.log" 2>&1; then
      tail -40 "build/fuzz/$name.log"
      echo "fuzz_$name found a failure (input in build/fuzz/artifacts/)"
      exit 1
    fi
    echo "fuzz_$name: $(grep -o 'stat::number_of_executed_units: [0-9]*' "build/fuzz/$name.log" | grep -o '[0-9]*$') inputs, no failure"
    rm -rf "$work"
  done
fi

step "CLI tests"
node --test tests/cli/

step "WASM contract tests (node)"
node --no-experimental-fetch --test tests/wasm/

step "browser end-to-end tests (both builds)"
node --test tests/e2e/

step "all tests passed"
