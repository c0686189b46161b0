// Browser side of `scripts/bench.sh umap`: runs the UMAP pipeline on a CSV in the app's threaded WASM build in
// headless Chromium and prints the run's per-stage timings as JSON.
//   node scripts/bench_browser_umap.js data.csv '{"scale":"none"}'
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { ROOT, startServer, launchBrowser, openApp } = require('../tests/e2e/helpers');

(async () => {
  const csv = path.resolve(process.argv[2]);
  const recipe = JSON.parse(process.argv[3] || '{}');
  // Serve the file from dist/ so the page fetches it like a user-given URL (no giant string through the driver).
  const linkDir = path.join(ROOT, 'dist', 'bench');
  fs.mkdirSync(linkDir, { recursive: true });
  const link = path.join(linkDir, path.basename(csv));
  fs.rmSync(link, { force: true });
  fs.symlinkSync(csv, link);
  const server = await startServer();
  const browser = await launchBrowser();
  try {
    const { page } = await openApp(browser.context, `${server.url}/?build=mt`);
    const r = await page.evaluate(async ({ name, recipe }) => {
      const info = await window.recluster.loadUrl('bench/' + name);  // also runs the default recipe once
      const run = await window.recluster.run(recipe);
      return { rows: info.rows, build: window.recluster.state().build, threads: window.recluster.state().threads,
        timings_ms: run.timings_ms, umap: run.umap };
    }, { name: path.basename(csv), recipe });
    console.log(JSON.stringify(r));
  } finally {
    await browser.close();
    server.stop();
    fs.rmSync(link, { force: true });
  }
})().catch((e) => { console.error(e); process.exit(1); });
