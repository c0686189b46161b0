// A million rows in the browser (scripts/bench.sh million): the synthetic table of scripts/make_synthetic.py (ROWS x
// 32 numbers in 12 Gaussian blobs and their `label`) opened in the app in headless Chromium (threaded build) like a
// dropped file, streamed; the default recipe (z-score, UMAP, HDBSCAN) runs. Prints the time from the drop to the
// clusters on screen, each stage's time, the WASM heap (its size only grows: the peak), ARI / NMI against the blobs,
// then the map's interaction costs at that size: CPU time of each frame drawn while the map is panned and zoomed (the
// whole frame and its parts), hover pick times and how many points each frame drew (level of detail).
// With a second CSV, also the 1 -> 2 thread scaling of the same pipeline on it (setThreads()).
//   node scripts/bench_million.js BIG.csv [SMALL.csv]
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { startServer, launchBrowser, openApp, linkIntoSite } = require('../tests/e2e/helpers');

// Loads `url` as a dropped File (streamed) with `threads` threads; the default run follows the load.
async function pipelineInPage(page, url, threads) {
  return page.evaluate(async ({ url, threads }) => {
    const blob = await (await fetch(url)).blob();
    const file = new File([blob], url.split('/').pop());
    await window.recluster.setThreads(threads);
    const t0 = performance.now();
    await window.recluster.loadFile(file, { stream: true });
    const wall = performance.now() - t0;
    const st = window.recluster.state();
    const r = window.recluster.result();
    let agreement = null;
    if (st.has_embedding) {
      const m = await window.recluster.metrics({ truth_column: 'label' });
      agreement = m.agreement || null;
    }
    return { wall_ms: wall, threads: st.threads, rows: st.dataset ? st.dataset.rows : 0, error: st.error || '',
      timings_ms: r && r.timings_ms, umap: r && r.umap, clusters: r && r.clusters, memory: r && r.memory, agreement };
  }, { url, threads });
}

// Pans and zooms the map with the mouse for a few seconds and hovers points; per drawn frame the app's CPU time.
async function interact(page) {
  const box = await page.evaluate(() => { const c = document.querySelector('canvas'); const r = c.getBoundingClientRect(); return { x: r.x, y: r.y, w: r.width, h: r.height }; });
  const cx = box.x + box.w * 0.55, cy = box.y + box.h * 0.5;
  await page.evaluate(() => {
    window.__frames = [];
    let seen = -1;
    const watch = () => {
      const v = window.recluster.state().view || {};
      if (v.frames_drawn !== seen) { seen = v.frames_drawn; window.__frames.push({ cpu: v.cpu_frame_ms_last, parts: v.cpu_frame_parts_ms || {}, points: v.points_drawn, pick: v.pick_ms }); }
      if (window.__watching) requestAnimationFrame(watch);
    };
    window.__watching = true;
    requestAnimationFrame(watch);
  });
  await page.mouse.move(cx, cy);
  for (let i = 0; i < 6; i++) { await page.mouse.wheel(0, -240); await page.waitForTimeout(250); }  // zoom in
  await page.mouse.down();
  for (let i = 0; i < 12; i++) { await page.mouse.move(cx - i * 15, cy - i * 8); await page.waitForTimeout(120); }  // pan
  await page.mouse.up();
  for (let i = 0; i < 8; i++) { await page.mouse.wheel(0, 240); await page.waitForTimeout(250); }  // zoom out
  for (let i = 0; i < 10; i++) { await page.mouse.move(cx + i * 9, cy + i * 5); await page.waitForTimeout(150); }  // hover
  return page.evaluate(() => { window.__watching = false; return window.__frames; });
}

function summary(values) {
  const v = values.filter((x) => typeof x === 'number' && isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return { n: 0 };
  const at = (q) => v[Math.min(v.length - 1, Math.floor(q * v.length))];
  return { n: v.length, median: at(0.5), p95: at(0.95), max: v[v.length - 1] };
}

(async () => {
  const big = path.resolve(process.argv[2]);
  const small = process.argv[3] ? path.resolve(process.argv[3]) : null;
  const sites = [linkIntoSite(big)].concat(small ? [linkIntoSite(small)] : []);
  const server = await startServer();
  const browser = await launchBrowser();
  const out = {};
  try {
    {
      const { page, log } = await openApp(browser.context, `${server.url}/?build=mt`);
      out.big = await pipelineInPage(page, sites[0].url, 0);
      if (!out.big.error) {
        const frames = await interact(page);
        out.frames = { cpu_ms: summary(frames.map((f) => f.cpu)), pick_ms: summary(frames.map((f) => f.pick)),
          points_drawn: summary(frames.map((f) => f.points)), parts_ms: {} };
        for (const part of ['ui', 'map', 'panels_gl']) out.frames.parts_ms[part] = summary(frames.map((f) => f.parts[part]));
      }
      out.page_errors = log.errors;
      await page.close();
    }
    if (small) {
      out.scaling = {};
      for (const threads of [1, 2]) {
        const { page } = await openApp(browser.context, `${server.url}/?build=mt`);
        out.scaling[threads] = await pipelineInPage(page, sites[1].url, threads);
        await page.close();
      }
    }
  } finally {
    await browser.close();
    server.stop();
    for (const s of sites) s.remove();
  }
  const b = out.big;
  const mb = fs.statSync(big).size / 1e6;
  console.log(`file: ${path.basename(big)} (${mb.toFixed(0)} MB), ${b.rows.toLocaleString('en')} rows, ${b.threads} threads`);
  if (b.error) console.log(`failed: ${b.error}`);
  else {
    const t = b.timings_ms || {};
    const stages = Object.keys(t).map((k) => `${k} ${(t[k] / 1000).toFixed(1)} s`).join(', ');
    console.log(`drop -> clusters on screen: ${(b.wall_ms / 1000).toFixed(1)} s (${stages})`);
    if (b.umap && b.umap.timings_ms) console.log(`  UMAP: ${Object.entries(b.umap.timings_ms).map(([k, v]) => `${k} ${(v / 1000).toFixed(1)} s`).join(', ')}, ${b.umap.n_epochs} epochs, ${b.umap.graph_edges} edges`);
    console.log(`  WASM heap ${(b.memory.wasm_heap_bytes / 1e6).toFixed(0)} MB (peak), allocated after the run ${(b.memory.allocated_bytes / 1e6).toFixed(0)} MB`);
    if (b.agreement) console.log(`  ${b.clusters} clusters; against the label column ARI ${b.agreement.ari.toFixed(4)}, NMI ${b.agreement.nmi.toFixed(4)}`);
    const f = out.frames;
    console.log(`map at ${b.rows.toLocaleString('en')} points: ${f.cpu_ms.n} frames while panning / zooming / hovering; CPU ms per frame median ${f.cpu_ms.median.toFixed(2)}, p95 ${f.cpu_ms.p95.toFixed(2)}, max ${f.cpu_ms.max.toFixed(2)}`);
    const part = (k) => `${k} median ${f.parts_ms[k].median.toFixed(2)} / p95 ${f.parts_ms[k].p95.toFixed(2)}`;
    console.log(`  of which: ${part('ui')} (panels built), ${part('map')} (map drawn), ${part('panels_gl')} (panels submitted to WebGL)`);
    console.log(`  hover pick ms median ${(f.pick_ms.median || 0).toFixed(3)}, max ${(f.pick_ms.max || 0).toFixed(3)}; points drawn per frame median ${f.points_drawn.median}, max ${f.points_drawn.max}`);
  }
  if (out.scaling) {
    const s1 = out.scaling[1], s2 = out.scaling[2];
    console.log(`thread scaling on ${path.basename(small)} (${s1.rows.toLocaleString('en')} rows): 1 thread ${(s1.wall_ms / 1000).toFixed(1)} s, ` +
                `2 threads ${(s2.wall_ms / 1000).toFixed(1)} s, speed-up ${(s1.wall_ms / s2.wall_ms).toFixed(2)}x; same labels: ` +
                `${JSON.stringify(s1.agreement) === JSON.stringify(s2.agreement)}`);
  }
  if (out.page_errors && out.page_errors.length) console.log(`page errors: ${out.page_errors.join(' | ')}`);
  console.log(JSON.stringify(out));
})().catch((e) => { console.error(e); process.exit(1); });
