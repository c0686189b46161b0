// Assigning every row of a large file (scripts/bench.sh assign [MB]): the ingest benchmark's CSV (default 1024 MB,
// 16 numeric columns and a label, four groups) is explored from a sample of 20,000 rows in headless Chromium
// (threaded build): streamed load of the sample, default run, every cluster explained; then assignFile() streams the
// whole file again through the cluster models and collects the paths CSV. Measured: time, rows/s, MB/s, the longest
// gap between animation frames meanwhile. The same models and file natively: `recluster run --sample-rows 20000
// --explain` then `recluster predict` (2 threads and 1), and the peer: numpy.loadtxt + python3-xgboost predicting the
// same XGBoost-JSON models (top-level argmax), with agreement between all three.
//   node scripts/bench_assign.js [MB]
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { ROOT, startServer, launchBrowser, openApp, linkIntoSite } = require('../tests/e2e/helpers');
const { ensureIngestCsv } = require('./bench_ingest_data');

const SAMPLE = 20000;

function seconds(fn) {
  const t = process.hrtime.bigint();
  const out = fn();
  return [Number(process.hrtime.bigint() - t) / 1e9, out];
}

(async () => {
  const megabytes = Number(process.argv[2] || 1024);
  const file = ensureIngestCsv(megabytes);
  const size = fs.statSync(file).size;
  const mb = size / 1e6;
  const site = linkIntoSite(file);
  const server = await startServer();
  const browser = await launchBrowser();
  const downloads = fs.mkdtempSync(path.join(os.tmpdir(), 'recluster-assign-'));
  let web;
  try {
    const { page } = await openApp(browser.context, `${server.url}/?build=mt`);
    web = await page.evaluate(async ({ url, sample }) => {
      const blob = await (await fetch(url)).blob();
      const file = new File([blob], 'big.csv');
      const t0 = performance.now();
      await window.recluster.loadFile(file, { stream: true, sampleRows: sample });  // resolves after the default run
      const exploreMs = performance.now() - t0;
      const t1 = performance.now();
      await window.recluster.explain();
      const explainMs = performance.now() - t1;
      const st = window.recluster.state();
      let last = performance.now(), maxGap = 0, frames = 0, watching = true;
      const tick = (t) => { maxGap = Math.max(maxGap, t - last); last = t; frames++; if (watching) requestAnimationFrame(tick); };
      requestAnimationFrame(tick);
      const t2 = performance.now();
      const r = await window.recluster.assignFile();
      const assignMs = performance.now() - t2;
      watching = false;
      // The paths only (the CSV would be a 260 MB string): the path column, streamed out of the Blob.
      const reader = r.csv.stream().pipeThrough(new TextDecoderStream()).getReader();
      const paths = [];
      let rest = '', header = true;
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        const lines = (rest + value).split('\n');
        rest = lines.pop();
        for (const line of lines) {
          if (header) { header = false; continue; }
          const a = line.indexOf(','), b = line.indexOf(',', a + 1);
          paths.push(line.slice(a + 1, b));
        }
      }
      return { sampleRows: st.dataset.rows, clusters: st.explained.length, exploreMs, explainMs, assignMs, rows: r.rows,
               paths: r.paths, csvBytes: r.csv.size, maxGapMs: maxGap, frames, pathList: paths.join(' ') };
    }, { url: site.url, sample: SAMPLE });
  } finally {
    await browser.close();
    server.stop();
    site.remove();
  }
  const webPaths = web.pathList.split(' ');
  delete web.pathList;

  // Native: the same sample, models and file.
  const cli = path.join(ROOT, 'build', 'native', 'recluster');
  const dir = path.join(downloads, 'native');
  const [runS] = seconds(() => execFileSync(cli, ['run', file, '--sample-rows', String(SAMPLE), '--explain', '--out', dir], { stdio: 'pipe' }));
  const preds = path.join(dir, 'preds.csv');
  const native = {};
  for (const threads of [2, 1]) {
    const [s] = seconds(() => execFileSync(cli, ['predict', dir, file, '--out', preds, '--threads', String(threads)], { stdio: 'pipe' }));
    native['predict_' + threads + 't_s'] = s;
  }
  const nativePaths = [];
  {
    const text = fs.readFileSync(preds, 'utf8');
    let at = text.indexOf('\n') + 1;
    while (at < text.length) {
      const end = text.indexOf('\n', at);
      const a = text.indexOf(',', at), b = text.indexOf(',', a + 1);
      nativePaths.push(text.slice(a + 1, b));
      at = end < 0 ? text.length : end + 1;
    }
  }
  // The peer: numpy.loadtxt + xgboost on the native run's top-level models (XGBoost JSON), argmax with recluster's
  // noise rule (no probability reaches 0.5).
  const py = `import json, sys, time, numpy as np, xgboost as xgb
d = sys.argv[1]; index = json.load(open(d + '/models/index.json'))
top = [m for m in index['models'] if m['parent'] == '']
feats = index['features']
t = time.time()
header = open(sys.argv[2]).readline().strip().split(',')
x = np.loadtxt(sys.argv[2], delimiter=',', skiprows=1, usecols=[header.index(f) for f in feats], dtype=np.float32)
load = time.time() - t
t = time.time()
dm = xgb.DMatrix(x, nthread=2, feature_names=feats)
probs = np.stack([xgb.Booster(model_file=d + '/' + m['file']).predict(dm) for m in top], axis=1)
best = probs.argmax(axis=1)
labels = np.array([str(m['cluster']) for m in top] + ['noise'])
out = np.where(probs.max(axis=1) >= 0.5, best, len(top))
predict = time.time() - t
open(sys.argv[3], 'w').write(' '.join(labels[out]))
print(json.dumps({'load_s': load, 'predict_s': predict, 'rows': int(x.shape[0])}))`;
  let peer;
  const peerFile = path.join(downloads, 'peer.txt');
  try {
    peer = JSON.parse(execFileSync('/usr/bin/python3', ['-c', py, dir, file, peerFile], { encoding: 'utf8', maxBuffer: 1 << 20 }).trim());
  } catch (e) {
    peer = { error: String(e.message).split('\n')[0] };
  }
  const agree = (a, b) => { let same = 0; for (let i = 0; i < a.length; i++) same += a[i] === b[i]; return a.length === b.length ? same / a.length : NaN; };
  const peerPaths = peer.error ? [] : fs.readFileSync(peerFile, 'utf8').split(' ');
  fs.rmSync(downloads, { recursive: true, force: true });

  const rate = (rows, s) => `${(rows / s / 1e6).toFixed(2)} M rows/s, ${(mb / s).toFixed(0)} MB/s`;
  console.log(`file: ${mb.toFixed(0)} MB, ${web.rows.toLocaleString('en')} rows; explored from a sample of ${web.sampleRows.toLocaleString('en')} rows ` +
              `(${(web.exploreMs / 1000).toFixed(1)} s to the map, ${web.clusters} clusters explained in ${(web.explainMs / 1000).toFixed(1)} s)`);
  console.log(`browser (threaded, headless Chromium): every row assigned in ${(web.assignMs / 1000).toFixed(1)} s (${rate(web.rows, web.assignMs / 1000)}), ` +
              `paths CSV ${(web.csvBytes / 1e6).toFixed(0)} MB, longest frame gap ${web.maxGapMs.toFixed(0)} ms over ${web.frames} frames`);
  console.log(`native recluster predict: ${native.predict_2t_s.toFixed(1)} s on 2 threads (${rate(web.rows, native.predict_2t_s)}), ` +
              `${native.predict_1t_s.toFixed(1)} s on 1 (run --sample-rows --explain: ${runS.toFixed(1)} s)`);
  if (!peer.error) {
    const total = peer.load_s + peer.predict_s;
    console.log(`numpy.loadtxt + xgboost predict (top-level models): ${total.toFixed(1)} s (load ${peer.load_s.toFixed(1)} s, predict ${peer.predict_s.toFixed(1)} s); ` +
                `browser / peer time ratio ${((web.assignMs / 1000) / total).toFixed(2)}, native / peer ${(native.predict_2t_s / total).toFixed(2)}`);
  } else console.log(`peer: ${peer.error}`);
  const topLevel = (p) => p.split('.')[0];
  console.log(`agreement: browser vs native paths ${(100 * agree(webPaths, nativePaths)).toFixed(3)}%` +
              (peer.error ? '' : `, native top level vs xgboost ${(100 * agree(nativePaths.map(topLevel), peerPaths)).toFixed(3)}%`));
  console.log(JSON.stringify({ bytes: size, web, native: { run_s: runS, ...native }, peer }));
})().catch((e) => { console.error(e); process.exit(1); });
