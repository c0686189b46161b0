// Drill-down benchmark (scripts/bench.sh drill): Fashion-MNIST 70k in headless Chromium (threaded build):
// load + default map, then zoom into the top-level cluster closest to 7,000 rows (its original rows are
// re-scaled, reduced, embedded and clustered afresh), timed in the page, and going back up; then the session file
// of that exploration: saving it and reopening it (no recomputation) against computing it.
// Prints two readable lines and the raw JSON.
//   node scripts/bench_drill.js FASHION_70K.csv
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { startServer, launchBrowser, openApp, linkIntoSite } = require('../tests/e2e/helpers');

(async () => {
  const csv = path.resolve(process.argv[2]);
  const site = linkIntoSite(csv);
  const server = await startServer();
  const browser = await launchBrowser();
  try {
    const { page } = await openApp(browser.context, `${server.url}/?build=mt`);
    const t0 = Date.now();
    await page.evaluate((url) => window.recluster.loadUrl(url), site.url);
    const loadMs = Date.now() - t0;
    const out = await page.evaluate(async () => {
      const labels = Array.from(window.recluster.labels());
      const sizes = new Map();
      for (const l of labels) if (l >= 0) sizes.set(l, (sizes.get(l) || 0) + 1);
      let best = -1;
      for (const [c, n] of sizes) if (best < 0 || Math.abs(n - 7000) < Math.abs(sizes.get(best) - 7000)) best = c;
      const t = performance.now();
      const r = await window.recluster.drill(best);
      const ms = performance.now() - t;
      const t2 = performance.now();
      await window.recluster.up();
      const upMs = performance.now() - t2;
      // The session file: save, then reopen it in place (the file is checked, the CSV parsed, every view restored).
      const t3 = performance.now();
      const bytes = await window.recluster.saveSession();
      const saveMs = performance.now() - t3;
      const labelsBefore = Array.from(window.recluster.labels());
      const t4 = performance.now();
      await window.recluster.loadSession(bytes);
      const reopenMs = performance.now() - t4;
      const same = JSON.stringify(Array.from(window.recluster.labels())) === JSON.stringify(labelsBefore);
      return { cluster: best, rows: r.rows, drill_ms: ms, stages_ms: r.timings_ms, sub_clusters: r.clusters, up_ms: upMs,
        session: { bytes: bytes.length, save_ms: saveMs, reopen_ms: reopenMs, same_labels: same } };
    });
    out.load_and_first_map_ms = loadMs;
    const stages = Object.entries(out.stages_ms).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(', ');
    console.log(`Fashion-MNIST 70k in headless Chromium (threaded): load + first map ${(loadMs / 1000).toFixed(1)} s`);
    console.log(`zoom into cluster ${out.cluster} (${out.rows} rows): ${(out.drill_ms / 1000).toFixed(2)} s (target <= 2 s; ` +
      `stages ms: ${stages}); ${out.sub_clusters} sub-clusters; back up ${out.up_ms.toFixed(0)} ms`);
    const sess = out.session;
    console.log(`session file: ${(sess.bytes / 1e6).toFixed(1)} MB, saved in ${(sess.save_ms / 1000).toFixed(2)} s, reopened in ` +
      `${(sess.reopen_ms / 1000).toFixed(2)} s (computing the same two views took ${((loadMs + out.drill_ms) / 1000).toFixed(1)} s; ` +
      `labels ${sess.same_labels ? 'identical' : 'DIFFER'})`);
    console.log(JSON.stringify(out));
  } finally {
    await browser.close();
    server.stop();
    site.remove();
  }
})().catch((e) => { console.error(e); process.exit(1); });
