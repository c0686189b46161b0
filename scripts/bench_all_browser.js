// The recluster row of scripts/bench.sh all in the browser: DATA.csv (with a `label` column) opened in the app in
// headless Chromium (threaded build) like a dropped file, streamed; the default recipe runs (z-score, PCA-50 above
// 100 features, UMAP, HDBSCAN), then "Explain all clusters". Writes OUT.json with the drop -> clusters time, the
// stages, the WASM heap, ARI / NMI against `label` and the explain time, and OUT.bin with the map (float32 x, y per
// row) and the labels (int32 per row) for scripts/bench_all.py's quality measures.
//   node scripts/bench_all_browser.js DATA.csv OUT.json OUT.bin
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { startServer, launchBrowser, openApp, linkIntoSite } = require('../tests/e2e/helpers');

(async () => {
  const [data, outJson, outBin] = process.argv.slice(2).map((p) => path.resolve(p));
  const site = linkIntoSite(data);
  const server = await startServer();
  const browser = await launchBrowser();
  try {
    const { page, log } = await openApp(browser.context, `${server.url}/?build=mt`);
    const r = await page.evaluate(async (url) => {
      const blob = await (await fetch(url)).blob();
      const file = new File([blob], url.split('/').pop());
      const t0 = performance.now();
      await window.recluster.loadFile(file, { stream: true, roles: { label: 'label' } });
      const wall = performance.now() - t0;
      const st = window.recluster.state();
      if (!st.has_embedding) return { error: st.error || 'no map' };
      const res = window.recluster.result();
      const m = await window.recluster.metrics({ truth_column: 'label' });
      const t1 = performance.now();
      await window.recluster.explain();
      const explain = performance.now() - t1;
      const xy = window.recluster.embedding(), labels = window.recluster.labels();
      return { wall_ms: wall, threads: st.threads, rows: st.dataset.rows, timings_ms: res.timings_ms, umap: res.umap,
        memory: res.memory, clusters: res.clusters, agreement: m.agreement || null, explain_ms: explain,
        xy: Array.from(xy), labels: Array.from(labels) };
    }, site.url);
    if (log.errors.length) r.page_errors = log.errors;
    if (!r.error) {
      const n = r.rows;
      const buf = Buffer.alloc(n * 12);
      for (let i = 0; i < 2 * n; i++) buf.writeFloatLE(r.xy[i], i * 4);
      for (let i = 0; i < n; i++) buf.writeInt32LE(r.labels[i], 8 * n + i * 4);
      fs.writeFileSync(outBin, buf);
      delete r.xy;
      delete r.labels;
    }
    fs.writeFileSync(outJson, JSON.stringify(r));
    await page.close();
  } finally {
    await browser.close();
    server.stop();
    site.remove();
  }
})().catch((e) => { console.error(e); process.exit(1); });
