// Browser side of `scripts/bench.sh umap`: runs the UMAP pipeline on a CSV in the app's threaded WASM build in
// headless Chromium and prints the run's per-stage timings as JSON.
//   node scripts/bench_browser_umap.js data.csv '{"scale":"none"}'
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { startServer, launchBrowser, openApp, linkIntoSite } = require('../tests/e2e/helpers');

(async () => {
  const csv = path.resolve(process.argv[2]);
  const recipe = JSON.parse(process.argv[3] || '{}');
  const site = linkIntoSite(csv);
  const server = await startServer();
  const browser = await launchBrowser();
  try {
    const { page } = await openApp(browser.context, `${server.url}/?build=mt`);
    const r = await page.evaluate(async ({ name, recipe }) => {
      const info = await window.recluster.loadUrl(name);  // also runs the default recipe once
      const run = await window.recluster.run(recipe);
      return { rows: info.rows, build: window.recluster.state().build, threads: window.recluster.state().threads,
        timings_ms: run.timings_ms, umap: run.umap };
    }, { name: site.url, recipe });
    console.log(JSON.stringify(r));
  } finally {
    await browser.close();
    server.stop();
    site.remove();
  }
})().catch((e) => { console.error(e); process.exit(1); });
