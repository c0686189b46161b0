// Memory calibration (scripts/bench.sh memory): the threaded WASM build's heap after loading a synthetic table and
// its default run (UMAP + HDBSCAN), for several row and column counts, against pipeline/memory_estimate's model.
// The heap only grows, so its size after the run bounds the run's peak from above (growth is geometric: up to ~20%
// more than the peak). Prints one line per size and the raw JSON.
//   node --no-experimental-fetch scripts/bench_memory.js [ROWSxCOLS ...]   (default 50000x16 100000x16 300000x16 100000x64)
'use strict';
const path = require('node:path');
const { execFileSync } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..');
const sizes = process.argv.length > 2 ? process.argv.slice(2) : ['50000x16', '100000x16', '300000x16', '100000x64'];

// One size per node process: a fresh heap each time.
if (process.env.RECLUSTER_BENCH_CHILD) {
  const { makeApi } = require(path.join(ROOT, 'web', 'recluster-api.js'));
  const [n, d] = process.env.RECLUSTER_BENCH_CHILD.split('x').map(Number);
  const factory = require(path.join(ROOT, 'build', 'wasm-mt', 'recluster_node.js'));
  let M = null;
  const api = makeApi(factory({ print: () => {}, printErr: () => {} }).then((m) => (M = m)), { drive: true });
  (async () => {
    await api.ready;
    let s = 5;
    const next = () => { s = (s * 1103515245 + 12345) % 2147483648; return s / 2147483648; };
    const lines = [Array.from({ length: d }, (_, j) => 'f' + j).join(',')];
    for (let i = 0; i < n; i++) lines.push(Array.from({ length: d }, (_, j) => (next() * 2 + (j % 4 === i % 4 ? 6 : 0)).toFixed(3)).join(','));
    const text = lines.join('\n') + '\n';
    await api.loadCsvText(text, 'synthetic.csv');
    const st = api.state();
    // The model of pipeline/memory_estimate, plus the file's bytes twice (read whole: the page's copy and the kept text).
    const model_mb = (M.memoryEstimate(n, d, 0, 0) + 2 * text.length) / 1e6;
    console.log(JSON.stringify({ rows: n, cols: d, file_mb: text.length / 1e6, heap_mb: M.HEAP8.length / 1e6, model_mb, ok: st.has_embedding, error: st.error }));
    if (M.PThread) M.PThread.terminateAllThreads();
    process.exit(0);
  })().catch((e) => { console.error(e); process.exit(1); });
} else {
  const results = [];
  for (const size of sizes) {
    const out = execFileSync(process.execPath, ['--no-experimental-fetch', __filename], {
      env: { ...process.env, RECLUSTER_BENCH_CHILD: size }, encoding: 'utf8', maxBuffer: 1 << 20,
    });
    const r = JSON.parse(out.trim().split('\n').pop());
    results.push(r);
    console.log(`${r.rows.toLocaleString('en')} x ${r.cols}: heap after load + default run ${r.heap_mb.toFixed(0)} MB ` +
                `(${(r.heap_mb * 1e6 / r.rows / 1000).toFixed(1)} KB per row), model ${r.model_mb.toFixed(0)} MB` +
                (r.ok ? '' : ` — failed: ${r.error}`));
  }
  console.log(JSON.stringify(results));
}
