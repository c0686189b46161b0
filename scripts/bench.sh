#!/usr/bin/env bash
# Benchmarks, measured in one run on this machine against reference tools, printed as a table with ratios.
#   scripts/bench.sh [load] [ROWS] [COLS]   CSV load + z-score + PCA-2: recluster native CLI, recluster WASM
#                                           (node, both builds), the app in headless Chromium, vs numpy+sklearn
#   scripts/bench.sh umap [ROWS]             UMAP on Fashion-MNIST (Debian dataset-fashion-mnist; > 10k rows
#                                           use train + test): recluster native vs umap-learn (time, ratio,
#                                           trustworthiness, 10-NN accuracy) and the threaded WASM build in
#                                           headless Chromium vs native
#   scripts/bench.sh cluster                 HDBSCAN: default pipeline ARI on Fashion-MNIST 10k / 70k (and on
#                                           umap-learn's map), HDBSCAN time alone, vs R dbscan::hdbscan at 10k,
#                                           1M synthetic 2-D points (time, peak memory)
#   scripts/bench.sh drill                   drill-down: zoom into a ~7k-row cluster of Fashion-MNIST 70k in headless
#                                           Chromium (threaded build; target <= 2 s), and the quality of the
#                                           drill default (UMAP 200 vs 500 epochs on a 6,525-row subset)
#   scripts/bench.sh explain                 boosting: recluster train vs python3-xgboost hist at equal settings on
#                                           Fashion-MNIST one-vs-rest targets (time, ratio, held-out AUC); all
#                                           clusters' models + SHAP for Fashion-MNIST 70k in headless Chromium
#                                           (threaded; target <= 30 s) and one cluster on demand (<= 3 s)
#   scripts/bench.sh ingest [MB]             a CSV of MB megabytes (default 1024) opened in headless Chromium like a
#                                           dropped file: the memory estimate's refusal, then the streamed parse of
#                                           the whole file keeping the suggested sample (time, MB/s, the longest gap
#                                           between animation frames), vs numpy.loadtxt on the same file
#   scripts/bench.sh assign [MB]             the same CSV explored from a 20,000-row sample in headless Chromium, then
#                                           every row assigned to a cluster path by streaming the file again through
#                                           the cluster models (time, rows/s, the longest frame gap); native
#                                           recluster predict (2 threads and 1) and numpy.loadtxt + python3-xgboost
#                                           on the same models, with agreement
#   scripts/bench.sh memory [RxC ...]        the threaded WASM build's heap after a load + default run per table size,
#                                           against the memory estimate's model (its calibration)
#   scripts/bench.sh million [ROWS]          a synthetic ROWS x 32 table (default 1,000,000; 12 blobs) dropped into the app
#                                           in headless Chromium (threaded): time to clusters, stages, peak WASM heap,
#                                           ARI; CPU frame and pick times on the map at that size; 1 -> 2 thread scaling
#                                           (200,000 rows); the native CLI on the same file
#   scripts/bench.sh wide                    200,000 x 784: Fashion-MNIST's 70,000 images and shifted copies
#                                           (scripts/make_fashion_fixture.py) dropped into the app in headless Chromium
#                                           (threaded): PCA pre-reduction, UMAP, HDBSCAN; time, stages, peak WASM heap,
#                                           ARI / NMI against the classes, the map's frame costs; the native CLI alike
#   scripts/bench.sh all                     one table against every peer, in one run: recluster native and WASM
#                                           (headless Chromium), umap-learn + scikit-learn, R uwot + dbscan, python3-
#                                           xgboost: per-stage time, peak memory, trustworthiness, 10-NN accuracy,
#                                           ARI / NMI on digits, Fashion-MNIST 10k and 70k and the synthetic 1M
#                                           (scripts/bench_all.py; peers stopped after PEER_TIMEOUT s on the 1M set)
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-load}
rows=${2:-100000}
cols=${3:-32}
export NODE_PATH=/usr/share/nodejs

# The native CLI's default run on FILE (into OUT): wall time, peak RSS, stages, clusters and ARI / NMI against `label`.
native_run() {
  echo "== native CLI, same file"
  /usr/bin/time -f "native: %e s wall, peak RSS %M KB" build/native/recluster run "$1" --out "$2" --truth-column label >/dev/null
  /usr/bin/python3 -c "import json, sys; s = json.load(open(sys.argv[1] + '/summary.json')); t = s['timings_ms']; \
a = s['clustering']['agreement']; print('native stages: ' + ', '.join(f'{k} {v / 1000:.1f} s' for k, v in t.items()) + \
f\"; UMAP {s['umap']['timings_ms']}; {len(s['clustering']['sizes'])} clusters, ARI {a['ari']:.4f}, NMI {a['nmi']:.4f}\")" "$2"
}

case "$what" in
  load)
    scripts/setup.sh >/dev/null
    scripts/build.sh all >/dev/null 2>&1 || scripts/build.sh all
    data=build/bench/synthetic_${rows}x${cols}.csv
    mkdir -p build/bench
    [ -f "$data" ] || /usr/bin/python3 scripts/make_synthetic.py "$rows" "$cols" "$data"
    echo "dataset: $data ($(du -h "$data" | cut -f1)), $(nproc) cores, $(date -u +%F)"
    # native: best of 3
    best=""
    for i in 1 2 3; do
      build/native/recluster run "$data" --out build/bench/native >/dev/null
      t=$(/usr/bin/python3 -c "import json;t=json.load(open('build/bench/native/summary.json'))['timings_ms'];print(t['load']+t['scale']+t['pca'])")
      best=$(/usr/bin/python3 -c "print(min(float('$t'), float('${best:-1e30}')))")
    done
    native_json=$(cat build/bench/native/summary.json)
    ref_json=$(/usr/bin/python3 scripts/bench_load_pca.py "$data")
    wasm_json=$(node --no-experimental-fetch -e '
      const { makeApi } = require("./web/recluster-api.js");
      const text = require("fs").readFileSync(process.argv[1], "utf8");
      (async () => { const out = {};
        for (const v of ["mt", "st"]) {
          const mp = require(`./build/wasm-${v}/recluster_node.js`)({});
          const api = makeApi(mp, { drive: true }); await api.ready;
          const t0 = Date.now(); await api.loadCsvText(text, "b.csv"); const load = Date.now() - t0;
          const r = await api.run(); out[v] = { load_and_first_map: load, run: r.timings_ms };
          const m = await mp; if (m.PThread) m.PThread.terminateAllThreads();
        }
        console.log(JSON.stringify(out)); })();' "$data")
    browser_json=$(node scripts/bench_browser.js "$data")
    /usr/bin/python3 - "$native_json" "$ref_json" "$wasm_json" "$browser_json" "$best" <<'PY'
import json, sys
native, ref, wasm, browser, best = (json.loads(sys.argv[1]), json.loads(sys.argv[2]), json.loads(sys.argv[3]),
                                    json.loads(sys.argv[4]), float(sys.argv[5]))
t = native["timings_ms"]
ref_total = ref["load"] + ref["scale"] + ref["pca"]
print(f"\n{'pipeline: CSV load + z-score + PCA-2':<54}{'load ms':>10}{'scale+pca':>11}{'total ms':>10}{'vs ref':>8}")
def row(name, load, rest):
    total = load + rest
    print(f"{name:<54}{load:>10.1f}{rest:>11.1f}{total:>10.1f}{ref_total / total:>7.1f}x")
row("recluster native CLI (best of 3)", t["load"], best - t["load"])
for v, label in (("mt", "threaded"), ("st", "single-threaded")):
    w = wasm[v]
    rest = w["run"]["scale"] + w["run"]["pca"]
    row(f"recluster WASM {label} (node; load incl. 1st map)", w["load_and_first_map"], rest)
row(ref["tool"] + " (reference)", ref["load"], ref["scale"] + ref["pca"])
print("\napp in headless Chromium (software WebGL; frame time is CPU only)")
for v in ("mt", "st"):
    b = browser[v]
    print(f"  {v}: {b['rows']} rows, load + first map {b['load_and_first_map_ms']:.0f} ms (includes software-GL frames),"
          f" CPU frame {b['cpu_frame_ms']:.2f} ms")
PY
    ;;
  umap)
    n=${2:-10000}
    scripts/setup.sh >/dev/null
    dpkg -s umap-learn >/dev/null 2>&1 || { echo "installing umap-learn (reference)"; apt-get install -y -q umap-learn >/dev/null; }
    scripts/build.sh native >/dev/null
    data=build/bench/fashion_${n}.csv
    mkdir -p build/bench
    source=test; [ "$n" -gt 10000 ] && source=all
    [ -f "$data" ] || /usr/bin/python3 scripts/make_fashion_fixture.py "$n" "$data" --source $source
    scripts/build.sh wasm >/dev/null
    echo "$(nproc) cores, $(date -u +%F), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
    node scripts/bench_browser_umap.js "$data" '{"scale":"none"}' > build/bench/browser_umap.json
    /usr/bin/python3 scripts/bench_umap.py "$data" build/native/recluster build/bench/browser_umap.json
    ;;
  cluster)
    scripts/setup.sh >/dev/null
    dpkg -s umap-learn >/dev/null 2>&1 || { echo "installing umap-learn (reference)"; apt-get install -y -q umap-learn >/dev/null; }
    dpkg -s r-cran-dbscan >/dev/null 2>&1 || { echo "installing r-cran-dbscan (reference)"; apt-get install -y -q r-cran-dbscan >/dev/null; }
    scripts/build.sh native >/dev/null
    mkdir -p build/bench
    [ -f build/bench/fashion_10000.csv ] || /usr/bin/python3 scripts/make_fashion_fixture.py 10000 build/bench/fashion_10000.csv --source test
    [ -f build/bench/fashion_70000.csv ] || /usr/bin/python3 scripts/make_fashion_fixture.py 70000 build/bench/fashion_70000.csv --source all
    echo "$(date -u +%F), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
    /usr/bin/python3 scripts/bench_cluster.py build/bench/fashion_10000.csv build/bench/fashion_70000.csv build/native/recluster
    ;;
  explain)
    scripts/setup.sh >/dev/null
    scripts/build.sh all >/dev/null 2>&1 || scripts/build.sh all
    mkdir -p build/bench
    [ -f build/bench/fashion_70000.csv ] || /usr/bin/python3 scripts/make_fashion_fixture.py 70000 build/bench/fashion_70000.csv --source all
    echo "$(nproc) cores, $(date -u +%F), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
    /usr/bin/python3 scripts/bench_explain.py build/bench/fashion_70000.csv build/native/recluster
    build/native/recluster run build/bench/fashion_70000.csv --out build/bench/explain70k --explain >/dev/null
    /usr/bin/python3 -c "import json; t = json.load(open('build/bench/explain70k/summary.json'))['timings_ms']; print(f'native CLI --explain on Fashion-MNIST 70k: {t[\"explain\"] / 1000:.1f} s for all top-level clusters')"
    node scripts/bench_explain.js build/bench/fashion_70000.csv
    ;;
  drill)
    scripts/setup.sh >/dev/null
    scripts/build.sh all >/dev/null 2>&1 || scripts/build.sh all
    mkdir -p build/bench
    [ -f build/bench/fashion_70000.csv ] || /usr/bin/python3 scripts/make_fashion_fixture.py 70000 build/bench/fashion_70000.csv --source all
    echo "$(nproc) cores, $(date -u +%F), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
    node scripts/bench_drill.js build/bench/fashion_70000.csv
    [ -f build/bench/fashion_10000.csv ] || /usr/bin/python3 scripts/make_fashion_fixture.py 10000 build/bench/fashion_10000.csv --source test
    /usr/bin/python3 scripts/bench_drill_quality.py build/bench/fashion_10000.csv build/native/recluster 6525 build/bench/fashion_70000.csv
    ;;
  ingest)
    scripts/setup.sh >/dev/null
    scripts/build.sh all >/dev/null 2>&1 || scripts/build.sh all
    echo "$(nproc) cores, $(date -u +%F), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
    node scripts/bench_ingest.js "${2:-1024}"
    ;;
  assign)
    scripts/setup.sh >/dev/null
    scripts/build.sh all >/dev/null 2>&1 || scripts/build.sh all
    echo "$(nproc) cores, $(date -u +%F), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
    node scripts/bench_assign.js "${2:-1024}"
    ;;
  memory)
    scripts/setup.sh >/dev/null
    scripts/build.sh all >/dev/null 2>&1 || scripts/build.sh all
    echo "$(nproc) cores, $(date -u +%F), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
    shift
    node --no-experimental-fetch scripts/bench_memory.js "$@"
    ;;
  million)
    # ROWS (default 1,000,000) x 32 in 12 blobs: the browser from drop to clusters, the map's frame and pick costs,
    # 1 -> 2 thread scaling on 200,000 rows, and the native CLI on the same file.
    rows=${2:-1000000}
    scripts/setup.sh >/dev/null
    scripts/build.sh all >/dev/null 2>&1 || scripts/build.sh all
    mkdir -p build/bench
    big=build/bench/synthetic_${rows}x32.csv small=build/bench/synthetic_200000x32.csv
    [ -f "$big" ] || /usr/bin/python3 scripts/make_synthetic.py "$rows" 32 "$big" --clusters 12
    [ -f "$small" ] || /usr/bin/python3 scripts/make_synthetic.py 200000 32 "$small" --clusters 12
    echo "$(nproc) cores, $(date -u +%F), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
    echo "== headless Chromium, threaded build"
    node scripts/bench_million.js "$big" "$small"
    native_run "$big" build/bench/million
    ;;
  wide)
    scripts/setup.sh >/dev/null
    scripts/build.sh all >/dev/null 2>&1 || scripts/build.sh all
    mkdir -p build/bench
    wide=build/bench/fashion_200000.csv
    [ -f "$wide" ] || /usr/bin/python3 scripts/make_fashion_fixture.py 200000 "$wide" --source all
    echo "$(nproc) cores, $(date -u +%F), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
    echo "== headless Chromium, threaded build"
    node scripts/bench_million.js "$wide"
    native_run "$wide" build/bench/wide
    ;;
  all)
    scripts/setup.sh >/dev/null
    # The peers get a tuned BLAS (numpy and R use Debian's reference libblas3 otherwise).
    for p in umap-learn r-cran-uwot r-cran-dbscan libopenblas0-pthread; do
      dpkg -s $p >/dev/null 2>&1 || { echo "installing $p (reference)"; apt-get install -y -q --no-install-recommends $p >/dev/null; }
    done
    scripts/build.sh all >/dev/null 2>&1 || scripts/build.sh all
    mkdir -p build/bench
    digits=build/bench/digits.csv f10=build/bench/fashion_10000.csv f70=build/bench/fashion_70000.csv
    big=build/bench/synthetic_1000000x32.csv
    [ -f "$digits" ] || /usr/bin/python3 -c "
from sklearn.datasets import load_digits
d = load_digits()
with open('$digits', 'w') as f:
    f.write(','.join(f'p{j + 1}' for j in range(64)) + ',label\n')
    for x, y in zip(d.data.astype(int), d.target): f.write(','.join(map(str, x)) + f',d{y}\n')"
    [ -f "$f10" ] || /usr/bin/python3 scripts/make_fashion_fixture.py 10000 "$f10" --source test
    [ -f "$f70" ] || /usr/bin/python3 scripts/make_fashion_fixture.py 70000 "$f70" --source all
    [ -f "$big" ] || /usr/bin/python3 scripts/make_synthetic.py 1000000 32 "$big" --clusters 12
    echo "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/ {print $2}') GB RAM"
    /usr/bin/python3 scripts/bench_all.py build/native/recluster "$digits" "$f10" "$f70" "$big"
    ;;
  *)
    echo "usage: scripts/bench.sh [load [ROWS] [COLS] | umap [ROWS] | cluster | drill | explain | ingest [MB] | assign [MB] | memory [RxC ...] | million [ROWS] | wide | all]" >&2; exit 2 ;;
esac
