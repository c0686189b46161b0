#!/usr/bin/env bash
# Installs everything recluster needs, idempotently: Debian packages, npm packages (playwright-core,
# coi-serviceworker) and the Dear ImGui 1.90.1 sources from Debian's source package (pinned sha256).
# Safe to run repeatedly; each step is skipped when already satisfied.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

# --- Debian packages -------------------------------------------------------------------------------
# node/npm: the machine's own Node.js (with npm) is used when present; Debian's npm conflicts with it.
PKGS=(emscripten libeigen3-dev catch2 nlohmann-json3-dev cmake g++ ninja-build chromium python3 clang
      libclang-rt-14-dev python3-sklearn python3-numpy python3-xgboost dataset-fashion-mnist)
command -v npm >/dev/null 2>&1 || PKGS+=(nodejs npm)
missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q
  $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# --- npm packages (test driver, service worker for header-less hosts) ------------------------------
if [ ! -d node_modules/playwright-core ] || [ ! -f node_modules/coi-serviceworker/coi-serviceworker.js ]; then
  echo "setup: installing npm packages"
  npm ci --no-audit --no-fund --loglevel=error 2>/dev/null || npm install --no-audit --no-fund --loglevel=error
fi

# --- Dear ImGui 1.90.1 sources from Debian's source package ----------------------------------------
IMGUI_DIR=build/deps/imgui
IMGUI_SHA=ecce377df0f90b292f15dcbd83d438bddc162b2388c881132bde18c787572a1c
if [ ! -f "$IMGUI_DIR/imgui-1.90.1/imgui.cpp" ]; then
  echo "setup: fetching Dear ImGui 1.90.1 sources (Debian source package)"
  d=$IMGUI_DIR
  mkdir -p $d/lists/partial $d/cache/archives/partial $d/etc
  awk 'BEGIN{RS="";ORS="\n\n"} /debian-security/{next} {print}' /etc/apt/sources.list.d/debian.sources \
    | sed -e 's/^Types: deb$/Types: deb-src/' -e 's/^Suites: .*/Suites: trixie/' > $d/etc/src.sources
  A="-o Dir::Etc::SourceList=/dev/null -o Dir::Etc::SourceParts=$ROOT/$d/etc -o Dir::State::Lists=$ROOT/$d/lists -o Dir::Cache=$ROOT/$d/cache"
  # shellcheck disable=SC2086
  apt-get $A update -q >/dev/null
  # shellcheck disable=SC2086
  (cd $d && apt-get $A source --download-only imgui=1.90.1+ds-1 >/dev/null)
  echo "$IMGUI_SHA  $d/imgui_1.90.1+ds.orig.tar.xz" | sha256sum -c --quiet -
  tar -C $d -xf $d/imgui_1.90.1+ds.orig.tar.xz
fi
echo "setup: ok"
