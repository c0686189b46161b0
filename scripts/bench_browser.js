// Browser side of scripts/bench.sh: loads a CSV in each WASM build (headless Chromium) and prints JSON with
// the JS API's load and run timings and the app's CPU frame time with every point on screen.
//   node scripts/bench_browser.js data.csv
'use strict';
const fs = require('node:fs');
const { startServer, launchBrowser, openApp } = require('../tests/e2e/helpers');

(async () => {
  const text = fs.readFileSync(process.argv[2], 'utf8');
  const server = await startServer();
  const browser = await launchBrowser();
  const out = {};
  try {
    for (const build of ['mt', 'st']) {
      const { page } = await openApp(browser.context, `${server.url}/?build=${build}`);
      const r = await page.evaluate(async (text) => {
        const t0 = performance.now();
        const info = await window.recluster.loadCsvText(text, 'bench.csv');
        const t1 = performance.now();
        const run = await window.recluster.run();
        return { rows: info.rows, load_and_first_map_ms: t1 - t0, run_timings_ms: run.timings_ms };
      }, text);
      await page.waitForFunction((n) => window.recluster.state().view.points_drawn === n, r.rows, { timeout: 120000 });
      for (let i = 0; i < 30; i++) { await page.mouse.move(500 + 10 * i, 300 + 5 * i); await page.waitForTimeout(30); }
      r.cpu_frame_ms = await page.evaluate(() => window.recluster.state().view.cpu_frame_ms);
      out[build] = r;
      await page.close();
    }
  } finally {
    await browser.close();
    server.stop();
  }
  console.log(JSON.stringify(out));
})().catch((e) => { console.error(e); process.exit(1); });
