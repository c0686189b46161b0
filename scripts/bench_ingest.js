// Large-file ingest benchmark (scripts/bench.sh ingest [MB]): a CSV of SIZE MB (default 1024; 16 numeric columns and a
// label) is opened in the app in headless Chromium (threaded build) the way a dropped file is: streamed in slices.
// Measures how long the memory estimate takes to refuse it (before reading it), then the streamed parse of the whole
// file keeping the suggested sample, and the longest gap between two animation frames meanwhile (the UI must not
// freeze). numpy.loadtxt reads the same file for comparison (a C parser, everything in memory).
//   node scripts/bench_ingest.js [MB]
'use strict';
const fs = require('node:fs');
const { execFileSync } = require('node:child_process');
const { startServer, launchBrowser, openApp, linkIntoSite } = require('../tests/e2e/helpers');
const { ensureIngestCsv } = require('./bench_ingest_data');

(async () => {
  const megabytes = Number(process.argv[2] || 1024);
  const file = ensureIngestCsv(megabytes);
  const size = fs.statSync(file).size;
  const site = linkIntoSite(file);
  const server = await startServer();
  const browser = await launchBrowser();
  let result;
  try {
    const { page } = await openApp(browser.context, `${server.url}/?build=mt`);
    result = await page.evaluate(async (url) => {
      const blob = await (await fetch(url)).blob();
      const file = new File([blob], 'big.csv');
      // The longest gap between animation frames while the file is read.
      let last = performance.now(), maxGap = 0, frames = 0, watching = true;
      const tick = (t) => { maxGap = Math.max(maxGap, t - last); last = t; frames++; if (watching) requestAnimationFrame(tick); };
      requestAnimationFrame(tick);
      const t0 = performance.now();
      const refusal = await window.recluster.loadFile(file, { stream: true }).then(() => '', (e) => e.message);
      const refuseMs = performance.now() - t0;
      const suggested = window.recluster.state().suggested_sample || 0;
      maxGap = 0; frames = 0; last = performance.now();
      const t1 = performance.now();
      let rows = 0, sampleMs = 0;
      if (suggested > 0) {
        // The sample's load ends when its dataset is committed (the default run that follows is cancelled).
        const started = window.recluster.loadSample();
        await new Promise((resolve) => {
          const poll = () => {
            const st = window.recluster.state();
            if (st.dataset && st.dataset.name === 'big.csv') return resolve();
            if (!st.busy && st.error && st.error !== refusal) return resolve();
            setTimeout(poll, 20);
          };
          poll();
        });
        sampleMs = performance.now() - t1;
        rows = window.recluster.state().dataset ? window.recluster.state().dataset.rows : 0;
        await window.recluster.cancel();
        await started.catch(() => {});
      }
      watching = false;
      return { refusal, refuseMs, suggested, rows, sampleMs, maxGapMs: maxGap, frames, error: window.recluster.state().error };
    }, site.url);
  } finally {
    await browser.close();
    server.stop();
    site.remove();
  }
  const py = `import numpy as np, time, sys
t = time.time(); x = np.loadtxt(sys.argv[1], delimiter=',', skiprows=1, usecols=range(16), dtype=np.float32)
print(x.shape[0], time.time() - t)`;
  let numpy = null;
  try {
    const [n, s] = execFileSync('/usr/bin/python3', ['-c', py, file], { encoding: 'utf8', maxBuffer: 1 << 20 }).trim().split(' ');
    numpy = { rows: Number(n), seconds: Number(s) };
  } catch (e) {
    numpy = { error: String(e.message).split('\n')[0] };
  }
  const mb = size / 1e6;
  console.log(`file: ${mb.toFixed(0)} MB, ${numpy.rows ? numpy.rows.toLocaleString('en') + ' rows' : ''}`);
  console.log(`refused by the memory estimate in ${(result.refuseMs / 1000).toFixed(2)} s: ${result.refusal}`);
  console.log(`streamed parse keeping ${result.rows.toLocaleString('en')} rows: ${(result.sampleMs / 1000).toFixed(1)} s ` +
              `(${(mb / (result.sampleMs / 1000)).toFixed(0)} MB/s), longest frame gap ${result.maxGapMs.toFixed(0)} ms over ${result.frames} frames`);
  if (numpy.seconds)
    console.log(`numpy.loadtxt (all rows in memory): ${numpy.seconds.toFixed(1)} s (${(mb / numpy.seconds).toFixed(0)} MB/s); ` +
                `recluster / numpy time ratio ${((result.sampleMs / 1000) / numpy.seconds).toFixed(2)}`);
  else console.log(`numpy.loadtxt: ${numpy.error}`);
  console.log(JSON.stringify({ bytes: size, ...result, numpy }));
})().catch((e) => { console.error(e); process.exit(1); });
