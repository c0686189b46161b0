// Renders the app with a fixture loaded and saves a screenshot (used for the README): the map coloured by
// cluster, the Cluster quality window with a labels column (one named label or class, if any) and the
// condensed tree open, and the Explain window (average image and mean SHAP for pixel data).
//   node scripts/screenshot.js [csv] [out.png] [build: mt|st]
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { ROOT, startServer, launchBrowser, openApp, clickWidget } = require('../tests/e2e/helpers');

(async () => {
  const csv = process.argv[2] || path.join(ROOT, 'tests', 'data', 'wine.csv');
  const out = process.argv[3] || path.join(ROOT, 'docs', 'screenshot.png');
  const build = process.argv[4] || 'mt';
  const server = await startServer();
  const browser = await launchBrowser();
  try {
    const { page } = await openApp(browser.context, `${server.url}/?build=${build}`);
    const n = await page.evaluate((t) => window.recluster.loadCsvText(t.text, t.name).then((r) => r.rows),
      { text: fs.readFileSync(csv, 'utf8'), name: path.basename(csv) });
    await page.waitForFunction((n) => window.recluster.state().view.points_drawn === n, n);
    const columns = await page.evaluate(() => window.recluster.state().dataset.columns.map((c) => c.name));
    const labels = columns.find((c) => /^(label|class)$/i.test(c));
    // The Explain window: every cluster explained (automatic up to 20,000 rows); pixel data shows the average image.
    await page.waitForFunction(() => { const s = window.recluster.state(); return !s.busy && s.has_embedding; });
    const clusters = await page.evaluate(() => new Set(Array.from(window.recluster.labels()).filter((l) => l >= 0)).size);
    await page.waitForFunction((k) => window.recluster.state().explained.length === k, clusters, { timeout: 120000 });
    // The quality window grows when the metrics arrive: wait for them before clicking in it.
    await page.waitForFunction(() => window.recluster.state().analyses.metrics, null, { timeout: 60000 });
    await page.waitForTimeout(300);
    // A label column (its role) scores the clusters from the start; otherwise pick one named like a label.
    const scored = await page.evaluate(() => !!window.recluster.state().analyses.metrics.agreement);
    if (!scored && labels && columns.length <= 50) {  // (the combo lists every column; a far one would need scrolling)
      await clickWidget(page, 'Labels column');
      await clickWidget(page, 'Labels column/' + labels);
      await page.waitForFunction(() => { const m = window.recluster.state().analyses.metrics; return m && m.agreement; },
        null, { timeout: 60000 });
    }
    await page.waitForTimeout(300);
    await clickWidget(page, 'Condensed tree header');
    await clickWidget(page, 'Colour by');
    await clickWidget(page, 'Colour by/(cluster)');
    await page.mouse.move(640, 400);
    await page.waitForTimeout(1500);
    await page.waitForTimeout(500);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    await page.screenshot({ path: out });
    console.log('screenshot: ' + out);
  } finally {
    await browser.close();
    server.stop();
  }
})().catch((e) => { console.error(e); process.exit(1); });
