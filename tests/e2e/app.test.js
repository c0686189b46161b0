// Browser end-to-end tests of the web app, for both WASM builds (threaded and single-threaded), in Debian's
// headless Chromium. Run: node --test tests/e2e/ (after scripts/build.sh).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { ROOT, startServer, launchBrowser, openApp, distinctColors, pngColors, clickWidget, pickFromPopup, typeIntoSlider, linkIntoSite } = require('./helpers');

const wine = fs.readFileSync(path.join(ROOT, 'tests', 'data', 'wine.csv'), 'utf8');
const irisPath = path.join(ROOT, 'tests', 'data', 'iris.csv');

// E2E_BUILDS=mt (or st) runs one build while iterating; the suite runs both.
for (const build of (process.env.E2E_BUILDS || 'mt,st').split(',')) {
  const expected = build === 'mt' ? 'threaded' : 'single-threaded';
  test(`app (${expected} build)`, { timeout: 300000 }, async (t) => {
    const server = await startServer();
    const browser = await launchBrowser();
    t.after(async () => { await browser.close(); server.stop(); });
    const { page, log } = await openApp(browser.context, `${server.url}/?build=${build}`);
    // Opens the Share window (if closed) and waits until it is drawn, so its buttons take clicks.
    const openShare = async () => {
      if (!(await page.evaluate(() => window.recluster.state().view.share.open))) await clickWidget(page, 'Share');
      await page.waitForFunction(() => window.recluster.state().view.share.open === true);
      await page.waitForTimeout(300);
    };
    // Waits until the map of page p shows its current view (a view change is committed before the next frame
    // draws it, and a link's camera is applied in that frame).
    const settled = (p = page) => p.waitForFunction(() => {
      const s = window.recluster.state();
      return !s.busy && s.view.points_drawn === window.recluster.labels().length && s.view.frames_drawn > 0;
    }, null, { timeout: 30000 }).then(() => p.waitForTimeout(700));

    await t.test('loads the requested build and shows the start screen', async () => {
      const state = await page.evaluate(() => window.recluster.state());
      assert.equal(state.build, expected);
      assert.equal(state.dataset, null);
      assert.ok(await distinctColors(page) > 3, 'start screen is not blank');
    });

    await t.test('start screen: a demo explores in one click, with a suggested first zoom; Help; a URL in the box', async () => {
      // On a page of its own (the main page's exploration starts from an empty app).
      const demo = await openApp(browser.context, `${server.url}/?build=${build}`);
      const page = demo.page;  // eslint-disable-line no-shadow
      for (const demo of ['Handwritten digits', 'Fashion-MNIST sample', 'Shop users'])
        await page.waitForFunction((n) => !!window.recluster.state().view.widgets['Demo/' + n], demo);
      await clickWidget(page, 'Demo/Handwritten digits');
      await page.waitForFunction(() => { const s = window.recluster.state(); return s.dataset && s.dataset.name === 'digits.csv' && !s.busy && s.has_embedding; }, null, { timeout: 60000 });
      const digits = await page.evaluate(() => window.recluster.state());
      assert.equal(digits.dataset.rows, 1797);
      assert.equal(digits.feature_columns.length, 64, 'the digit names are a text column, not a feature');
      // The suggested first step zooms into the largest cluster.
      await clickWidget(page, 'Suggested zoom');
      await page.waitForFunction(() => { const s = window.recluster.state(); return !s.busy && s.breadcrumbs.length === 2; }, null, { timeout: 60000 });
      assert.equal((await page.evaluate(() => window.recluster.breadcrumbs()))[1].label, '0');
      // Help opens with H and lists the shortcuts; H closes it.
      await page.keyboard.press('KeyH');
      await page.waitForFunction(() => window.recluster.state().view.help_open === true && !!window.recluster.state().view.widgets['Help/keys']);
      await page.keyboard.press('KeyH');
      await page.waitForFunction(() => window.recluster.state().view.help_open === false);
      assert.deepEqual(demo.log.errors, []);
      await demo.page.close();
      // A fresh page: a URL typed into the start screen's box loads.
      const fresh = await openApp(browser.context, `${server.url}/?build=${build}`);
      await clickWidget(fresh.page, 'Start/URL');
      await fresh.page.keyboard.type('demo/users.csv');
      await fresh.page.keyboard.press('Enter');
      await fresh.page.waitForFunction(() => { const s = window.recluster.state(); return s.dataset && s.dataset.name === 'users.csv' && !s.busy; }, null, { timeout: 60000 });
      assert.equal(await fresh.page.evaluate(() => window.recluster.state().dataset.rows), 4000);
      assert.deepEqual(fresh.log.errors, []);
      await fresh.page.close();
    });

    await t.test('a CSV loads through the JS API and the map shows every point', async () => {
      const info = await page.evaluate((text) => window.recluster.loadCsvText(text, 'wine.csv'), wine);
      assert.equal(info.rows, 178);
      assert.equal(info.columns, 14);
      const emb = await page.evaluate(() => Array.from(window.recluster.embedding()));
      assert.equal(emb.length, 2 * 178);
      assert.ok(emb.every(Number.isFinite));
      const labels = await page.evaluate(() => Array.from(window.recluster.labels()));
      assert.equal(labels.length, 178);
      await page.waitForFunction(() => window.recluster.state().view.points_drawn === 178);
      const state = await page.evaluate(() => window.recluster.state());
      assert.equal(state.dataset.columns.length, 14);
      assert.equal(state.dataset.columns[0].type, 'numeric');
      assert.equal(state.view.color_by, 'class');
      assert.ok(await distinctColors(page) > 20, 'map screenshot is not blank');
    });

    await t.test('colour by a numeric column through the UI', async () => {
      await clickWidget(page, 'Colour by');
      await clickWidget(page, 'Colour by/alcohol');
      await page.waitForFunction(() => window.recluster.state().view.color_by === 'alcohol', null, { timeout: 10000 });
      assert.ok(await distinctColors(page) > 20);
    });

    await t.test('colour by cluster through the UI: one legend entry per HDBSCAN cluster, noise in grey', async () => {
      await clickWidget(page, 'Colour by');
      await clickWidget(page, 'Colour by/(cluster)');
      await page.waitForFunction(() => window.recluster.state().view.color_by === '(cluster)', null, { timeout: 10000 });
      const { legend, labels } = await page.evaluate(() => ({
        legend: window.recluster.state().view.legend, labels: Array.from(window.recluster.labels()) }));
      const clusters = Math.max(...labels) + 1;
      assert.ok(clusters >= 2);
      const noise = labels.filter((l) => l < 0).length;
      assert.equal(legend.length, clusters + (noise ? 1 : 0));
      for (let c = 0; c < clusters; c++) {
        assert.equal(legend[c].label, `cluster ${c}`);
        assert.equal(legend[c].count, labels.filter((l) => l === c).length);
      }
      if (noise) assert.deepEqual(legend[clusters], { label: 'noise', count: noise });
      assert.ok(await distinctColors(page) > 20);
    });

    await t.test('legend: untick a cluster to hide it (and its id label), click its name to highlight it', async () => {
      const view = () => page.evaluate(() => window.recluster.state().view);
      const clusters = (await view()).legend.filter((e) => e.label.startsWith('cluster ')).length;
      assert.equal((await view()).cluster_marks, clusters, 'one id label per cluster');
      const before = await distinctColors(page);
      await clickWidget(page, 'Legend/cluster 0/show');
      await page.waitForFunction(() => window.recluster.state().view.hidden_clusters.includes(0));
      assert.equal((await view()).cluster_marks, clusters - 1);
      await clickWidget(page, 'Legend/cluster 0/show');
      await page.waitForFunction(() => window.recluster.state().view.hidden_clusters.length === 0);
      assert.equal((await view()).cluster_marks, clusters);
      assert.ok(await distinctColors(page) >= before - 5);
      // Noise toggles like a cluster. Leaf selection leaves many of wine's rows as noise (the default EOM map may
      // have none); the default selection comes back afterwards.
      const leaf = await page.evaluate(() => window.recluster.relabel({ cluster_selection: 'leaf' }));
      assert.ok(leaf.noise > 0, 'leaf selection leaves noise');
      await page.waitForFunction(() => window.recluster.state().view.legend.some((e) => e.label === 'noise'));
      await clickWidget(page, 'Legend/noise/show');
      await page.waitForFunction(() => window.recluster.state().view.hidden_clusters.includes(-1));
      await clickWidget(page, 'Legend/noise/show');
      await page.waitForFunction(() => !window.recluster.state().view.hidden_clusters.includes(-1));
      await page.evaluate(() => window.recluster.relabel({ cluster_selection: 'eom' }));
      await page.waitForFunction(() => !window.recluster.state().busy);
      await clickWidget(page, 'Legend/cluster 1');
      await page.waitForFunction(() => window.recluster.state().view.highlighted_cluster === 1);
      assert.equal((await view()).hidden_clusters.length, 0, 'highlighting hides nothing');
      await clickWidget(page, 'Legend/cluster 1');
      await page.waitForFunction(() => window.recluster.state().view.highlighted_cluster === null);
    });

    await t.test('cluster quality: metrics follow the clustering; a labels column adds ARI and NMI', async () => {
      await page.waitForFunction(() => window.recluster.state().analyses.metrics, null, { timeout: 30000 });
      const m = await page.evaluate(() => window.recluster.state().analyses.metrics);
      assert.equal(m.silhouette.method, 'exact');
      assert.ok(m.silhouette.value > 0 && m.silhouette.value <= 1);
      assert.ok(typeof m.dbcv.value === 'number', 'DBCV for HDBSCAN');
      await clickWidget(page, 'Labels column');
      await clickWidget(page, 'Labels column/class');
      await page.waitForFunction(() => { const a = window.recluster.state().analyses.metrics; return a && a.agreement; },
        null, { timeout: 30000 });
      const { agreement } = await page.evaluate(() => window.recluster.state().analyses.metrics);
      // ARI recomputed here from labels() and the class column.
      const labels = await page.evaluate(() => Array.from(window.recluster.labels()));
      const classes = wine.trim().split(/\r?\n/).slice(1).map((l) => l.split(',').pop());
      const pairs = (x) => x * (x - 1) / 2;
      const count = (keys) => { const mm = new Map(); for (const k of keys) mm.set(k, (mm.get(k) || 0) + 1); return [...mm.values()]; };
      const index = count(labels.map((o, i) => o + '|' + classes[i])).reduce((a, x) => a + pairs(x), 0);
      const sa = count(labels).reduce((a, x) => a + pairs(x), 0), sb = count(classes).reduce((a, x) => a + pairs(x), 0);
      const expect = sa * sb / pairs(labels.length);
      assert.equal(agreement.column, 'class');
      assert.ok(Math.abs(agreement.ari - (index - expect) / ((sa + sb) / 2 - expect)) < 1e-9);
      // The condensed tree opens under its header.
      await clickWidget(page, 'Condensed tree header');
      await page.waitForFunction(() => window.recluster.state().view.widgets['Condensed tree'], null, { timeout: 10000 });
    });

    await t.test('k-means in the panel: Sweep k charts inertia and silhouette; clicking a k re-clusters the same map', async () => {
      const before = await page.evaluate(() => Array.from(window.recluster.embedding()));
      await clickWidget(page, 'Clusters');
      await clickWidget(page, 'Clusters/k-means');
      await clickWidget(page, 'Sweep k');
      await page.waitForFunction(() => window.recluster.state().analyses.sweep, null, { timeout: 60000 });
      const sweep = await page.evaluate(() => window.recluster.state().analyses.sweep);
      assert.equal(sweep.method, 'kmeans');
      assert.deepEqual(sweep.points.map((p) => p.k), [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);
      for (let i = 1; i < sweep.points.length; i++) assert.ok(sweep.points[i].inertia <= sweep.points[i - 1].inertia * 1.0001);
      // Click the chart where k = 3 is: its plot spans the widget minus 52 px axes on both sides.
      const [x, y, w, h] = await page.evaluate(() => window.recluster.state().view.widgets['Sweep chart']);
      const px = x + 52 + (w - 104) * (3 - 2) / (15 - 2);
      await page.mouse.click(px, y + h / 2);
      await page.waitForFunction(() => {
        const s = window.recluster.state();
        return !s.busy && s.recipe.cluster === 'kmeans' && s.recipe.n_clusters === 3;
      }, null, { timeout: 60000 });
      const after = await page.evaluate(() => ({ emb: Array.from(window.recluster.embedding()), labels: Array.from(window.recluster.labels()) }));
      assert.deepEqual(after.emb, before, 'the map is kept: only the clustering ran');
      assert.equal(Math.max(...after.labels), 2);
      assert.ok(after.labels.every((l) => l >= 0), 'k-means leaves no noise');
      await page.waitForFunction(() => window.recluster.state().view.legend.length === 3);
    });

    await t.test('DBSCAN: the k-distance plot suggests eps (its knee), which a Run then uses', async () => {
      await clickWidget(page, 'Clusters');
      await clickWidget(page, 'Clusters/DBSCAN');
      await clickWidget(page, 'k-distance plot');
      await page.waitForFunction(() => window.recluster.state().analyses.k_distance, null, { timeout: 30000 });
      const kd = await page.evaluate(() => window.recluster.state().analyses.k_distance);
      assert.equal(kd.k, 4);
      assert.equal(kd.rows, 178);
      await clickWidget(page, 'Use knee');
      await clickWidget(page, 'Run');
      await page.waitForFunction(() => { const s = window.recluster.state(); return !s.busy && s.recipe.cluster === 'dbscan'; },
        null, { timeout: 60000 });
      const s = await page.evaluate(() => window.recluster.state());
      assert.ok(Math.abs(s.recipe.dbscan_eps - kd.knee) < 1e-5, `${s.recipe.dbscan_eps} vs ${kd.knee}`);
      await clickWidget(page, 'Clusters');
      await clickWidget(page, 'Clusters/HDBSCAN');
      await clickWidget(page, 'Run');
      await page.waitForFunction(() => { const s = window.recluster.state(); return !s.busy && s.recipe.cluster === 'hdbscan'; },
        null, { timeout: 60000 });
    });

    await t.test('min cluster size typed in the panel re-labels the map at once (same map, new legend)', async () => {
      const before = await page.evaluate(() => Array.from(window.recluster.embedding()));
      await typeIntoSlider(page, 'Min cluster size', '40');
      await page.waitForFunction(() => window.recluster.state().recipe.min_cluster_size === 40, null, { timeout: 10000 });
      const { legend, labels, emb, busy } = await page.evaluate(() => ({
        legend: window.recluster.state().view.legend, labels: Array.from(window.recluster.labels()),
        emb: Array.from(window.recluster.embedding()), busy: window.recluster.state().busy }));
      assert.deepEqual(emb, before, 'no new map');
      assert.ok(!busy);
      const counts = new Map();
      for (const l of labels) if (l >= 0) counts.set(l, (counts.get(l) || 0) + 1);
      for (const c of counts.values()) assert.ok(c >= 40, 'every cluster has at least 40 rows');
      assert.equal(legend.filter((e) => e.label.startsWith('cluster ')).length, counts.size);
      // Max cluster size in the panel: no selected cluster is larger (their sub-clusters are chosen instead).
      await typeIntoSlider(page, 'Max cluster size', '60');
      await page.waitForFunction(() => window.recluster.state().recipe.max_cluster_size === 60, null, { timeout: 10000 });
      const capped = await page.evaluate(() => Array.from(window.recluster.labels()));
      const sizes = new Map();
      for (const l of capped) if (l >= 0) sizes.set(l, (sizes.get(l) || 0) + 1);
      for (const c of sizes.values()) assert.ok(c <= 60, 'no cluster above 60 rows');
      await typeIntoSlider(page, 'Max cluster size', '0');
      await page.waitForFunction(() => window.recluster.state().recipe.max_cluster_size === 0, null, { timeout: 10000 });
    });

    await t.test('DBSCAN chosen in the panel, eps typed, Run: the map is clustered by DBSCAN', async () => {
      await clickWidget(page, 'Clusters');
      await clickWidget(page, 'Clusters/DBSCAN');
      await typeIntoSlider(page, 'Eps', '0.8');
      await clickWidget(page, 'Run');
      await page.waitForFunction(() => {
        const s = window.recluster.state();
        return s.recipe.cluster === 'dbscan' && !s.busy;
      }, null, { timeout: 60000 });
      const s = await page.evaluate(() => window.recluster.state());
      assert.ok(Math.abs(s.recipe.dbscan_eps - 0.8) < 1e-6, String(s.recipe.dbscan_eps));
      const labels = await page.evaluate(() => Array.from(window.recluster.labels()));
      assert.equal(labels.length, 178);
      assert.ok(Math.max(...labels) >= 0, 'at least one DBSCAN cluster');
      // Back to HDBSCAN for the tests that follow.
      await clickWidget(page, 'Clusters');
      await clickWidget(page, 'Clusters/HDBSCAN');
    });

    await t.test('drill-down: double-click a cluster zooms into its rows; breadcrumbs, Backspace and the hierarchy go back', async () => {
      const st = () => page.evaluate(() => window.recluster.state());
      await page.waitForFunction(() => !window.recluster.state().busy);
      const top = await page.evaluate(() => ({ labels: Array.from(window.recluster.labels()), emb: Array.from(window.recluster.embedding()) }));
      const transitionsBefore = (await st()).view.transitions;
      const cam = (await st()).view.camera;
      const toScreen = (x, y) => [(x - cam.cx) * cam.zoom + 640, 400 - (y - cam.cy) * cam.zoom];
      let target = -1;
      for (let i = 0; i < top.labels.length && target < 0; i++) {
        const [sx, sy] = toScreen(top.emb[2 * i], top.emb[2 * i + 1]);
        if (top.labels[i] >= 0 && sx > 430 && sx < 790 && sy > 160 && sy < 700) target = i;
      }
      assert.ok(target >= 0, 'a clustered point away from the panels');
      const cluster = top.labels[target];
      const size = top.labels.filter((l) => l === cluster).length;
      const [px, py] = toScreen(top.emb[2 * target], top.emb[2 * target + 1]);
      await page.mouse.move(px, py);
      await page.waitForFunction(() => window.recluster.state().view.hovered_row >= 0);
      await page.mouse.dblclick(px, py);
      await page.waitForFunction(() => { const s = window.recluster.state(); return !s.busy && s.breadcrumbs.length === 2; },
        null, { timeout: 60000 });
      let s = await st();
      assert.deepEqual(s.breadcrumbs.map((b) => b.label), ['All', String(cluster)]);
      assert.ok(s.view.transitions > transitionsBefore, 'the points glide from the previous map into the new one');
      assert.equal(s.dataset.rows, size);
      await page.waitForFunction((n) => window.recluster.state().view.points_drawn === n, size);
      assert.equal((await page.evaluate(() => window.recluster.labels().length)), size);
      // Breadcrumb click: back to the top, instantly and unchanged.
      await clickWidget(page, 'Crumb/All');
      await page.waitForFunction(() => window.recluster.state().breadcrumbs.length === 1);
      assert.deepEqual(await page.evaluate(() => Array.from(window.recluster.labels())), top.labels);
      // JS API drill, then Backspace goes up one level.
      await page.evaluate((c) => window.recluster.drill(c), cluster);
      assert.equal((await st()).breadcrumbs.length, 2);
      await page.mouse.move(600, 300);
      await page.keyboard.press('Backspace');
      await page.waitForFunction(() => window.recluster.state().breadcrumbs.length === 1);
      // Build hierarchy from the panel; the tree lists the views; clicking one shows it.
      await clickWidget(page, 'Hierarchy');
      await clickWidget(page, 'Build hierarchy');
      await page.waitForFunction(() => {
        const h = window.recluster.hierarchy();
        return !window.recluster.state().busy && h.children.filter((c) => c.computed).length >= 2;
      }, null, { timeout: 90000 });
      const h = await page.evaluate(() => window.recluster.hierarchy());
      const first = h.children.find((c) => c.computed && c.path !== '');
      await clickWidget(page, 'Node/' + first.label);
      await page.waitForFunction((id) => window.recluster.state().node === id, first.id);
      await clickWidget(page, 'Crumb/All');
      await page.waitForFunction(() => window.recluster.state().node === 0);
      await clickWidget(page, 'Hierarchy');  // fold it away again
      // Colour by the hierarchy: rows of drilled clusters carry their deeper labels.
      await clickWidget(page, 'Colour by');
      await clickWidget(page, 'Colour by/(hierarchy)');
      await page.waitForFunction(() => window.recluster.state().view.color_by === '(hierarchy)');
      const hl = (await st()).view.legend.map((e) => e.label);
      assert.ok(hl.some((l) => l.includes('.')), hl.join(' '));
      await clickWidget(page, 'Colour by');
      await clickWidget(page, 'Colour by/(cluster)');
      // Shift + drag selects a box of points; zoom into the selection, then back.
      await page.mouse.move(px - 40, py - 40);
      await page.keyboard.down('Shift');
      await page.mouse.down();
      await page.mouse.move(px, py, { steps: 3 });
      await page.mouse.move(px + 40, py + 40, { steps: 3 });
      await page.mouse.up();
      await page.keyboard.up('Shift');
      await page.waitForFunction(() => window.recluster.state().view.selected_rows > 0);
      const picked = (await st()).view.selected_rows;
      await clickWidget(page, 'Zoom into selection');
      await page.waitForFunction(() => { const s = window.recluster.state(); return !s.busy && s.breadcrumbs.length === 2; },
        null, { timeout: 60000 });
      s = await st();
      assert.equal(s.breadcrumbs[1].label, `selection 1 (${picked} rows)`);
      assert.equal(s.dataset.rows, picked);
      await clickWidget(page, 'Crumb/All');
      await page.waitForFunction(() => window.recluster.state().node === 0);
      // Check stability from the Cluster quality window: Jaccard badges appear in the legend.
      await clickWidget(page, 'Stability header');
      await typeIntoSlider(page, 'Seeds', '1');
      await typeIntoSlider(page, 'Subsamples', '1');
      await clickWidget(page, 'Check stability');
      await page.waitForFunction(() => window.recluster.state().analyses.stability, null, { timeout: 90000 });
      const stab = await page.evaluate(() => window.recluster.state().analyses.stability);
      assert.equal(stab.runs.length, 3);
      await page.waitForFunction(() => window.recluster.state().view.widgets['Legend/cluster 0/stability'], null, { timeout: 30000 });
      await clickWidget(page, 'Stability header');  // fold it away again
    });

    await t.test('advanced UMAP parameters typed in the panel reach the recipe of a run', async () => {
      await clickWidget(page, 'Advanced UMAP');
      await typeIntoSlider(page, 'Epochs', '120');
      await clickWidget(page, 'Run');
      await page.waitForFunction(() => {
        const s = window.recluster.state();
        return !s.busy && s.recipe && s.recipe.n_epochs === 120;
      }, null, { timeout: 30000 });
      const s = await page.evaluate(() => window.recluster.state());
      assert.equal(s.recipe.embedding, 'umap');
      assert.equal(s.recipe.seed, 42);
      await clickWidget(page, 'Advanced UMAP');  // fold it again
      // The Threads slider: the threaded build takes 1 to 4 and the same run gives the same map; the single-threaded
      // build keeps 1 (the slider is disabled there).
      const runSeed = (seed) => page.evaluate((sd) => window.recluster.run({ ...window.recluster.state().recipe, seed: sd })
        .then(() => Array.from(window.recluster.embedding())), seed);
      const before = await runSeed(7);
      const threadsBefore = s.threads;
      if (expected === 'threaded') {
        await typeIntoSlider(page, 'Threads', threadsBefore === 1 ? '2' : '1');
        assert.equal((await page.evaluate(() => window.recluster.state())).threads, threadsBefore === 1 ? 2 : 1);
      } else {
        assert.ok((await page.evaluate(() => window.recluster.state().view.widgets)).Threads, 'the Threads slider shows');
        assert.equal(await page.evaluate(() => window.recluster.setThreads(2)), 1);
      }
      const other = await runSeed(8);  // a different map in between, so the next run computes its own
      assert.notDeepEqual(other, before);
      assert.deepEqual(await runSeed(7), before);
      await page.evaluate((n) => window.recluster.setThreads(n), threadsBefore);
      await runSeed(42);  // the view the following tests expect
    });

    await t.test('run(recipe) recomputes and reports timings, bad recipes reject readably', async () => {
      const r = await page.evaluate(() => window.recluster.run({ scale: 'minmax', embedding: 'pca' }));
      assert.equal(r.rows, 178);
      assert.ok(typeof r.timings_ms.pca === 'number');
      const u = await page.evaluate(() => window.recluster.run({ scale: 'minmax', n_epochs: 100 }));
      assert.ok(typeof u.timings_ms.umap === 'number');
      const state = await page.evaluate(() => window.recluster.state());
      assert.equal(state.recipe.scale, 'minmax');
      const err = await page.evaluate(() => window.recluster.run({ scale: 'bogus' }).then(() => 'resolved', (e) => e.message));
      assert.match(err, /recipe\.scale must be/);
    });

    await t.test('loadUrl fetches a CSV from the site, and a missing URL rejects readably', async () => {
      const r = await page.evaluate(() => window.recluster.loadUrl('demo/iris.csv'));
      assert.equal(r.rows, 150);
      assert.equal(r.columns, 5);
      const msg = await page.evaluate(() => window.recluster.loadUrl('demo/missing.csv').then(() => 'resolved', (e) => e.message));
      assert.match(msg, /Could not fetch demo\/missing\.csv: HTTP 404/);
      assert.equal((await page.evaluate(() => window.recluster.state())).dataset.name, 'iris.csv');
    });

    await t.test('a file dropped on the canvas loads', async () => {
      const text = fs.readFileSync(irisPath, 'utf8');
      await page.evaluate((text) => {
        const dt = new DataTransfer();
        dt.items.add(new File([text], 'iris.csv', { type: 'text/csv' }));
        const canvas = document.getElementById('canvas');
        canvas.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
        canvas.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
      }, text);
      await page.waitForFunction(() => {
        const s = window.recluster.state();
        return s.dataset && s.dataset.name === 'iris.csv' && !s.busy && s.has_embedding && s.view.points_drawn === 150;
      }, null, { timeout: 30000 });
    });

    await t.test('the file picker loads a file', async () => {
      await page.setInputFiles('#file-input', path.join(ROOT, 'tests', 'data', 'wine.csv'));
      await page.waitForFunction(() => {
        const s = window.recluster.state();
        return s.dataset && s.dataset.name === 'wine.csv' && !s.busy && s.has_embedding && s.view.points_drawn === 178;
      }, null, { timeout: 30000 });
    });

    await t.test('hover shows a row, drag pans, wheel zooms at the cursor, F fits', async () => {
      const view = () => page.evaluate(() => window.recluster.state().view);
      const fitted = (await view()).camera;
      // Pick a point away from the panels (left column, views bar, explain, legend, cluster quality, status bar).
      const emb = await page.evaluate(() => Array.from(window.recluster.embedding()));
      const toScreen = (c, x, y) => [(x - c.cx) * c.zoom + 640, 400 - (y - c.cy) * c.zoom];
      let target = -1;
      for (let i = 0; i < emb.length / 2 && target < 0; i++) {
        const [sx, sy] = toScreen(fitted, emb[2 * i], emb[2 * i + 1]);
        if (sx > 420 && sx < 800 && sy > 200 && sy < 740) target = i;
      }
      assert.ok(target >= 0, 'a point outside the panels: camera ' + JSON.stringify(fitted) + ' first ' + emb.slice(0, 6));
      const [px, py] = toScreen(fitted, emb[2 * target], emb[2 * target + 1]);
      await page.mouse.move(px, py);
      await page.waitForFunction(() => window.recluster.state().view.hovered_row >= 0);
      const hovered = (await view()).hovered_row;
      const [hx, hy] = toScreen(fitted, emb[2 * hovered], emb[2 * hovered + 1]);
      assert.ok(Math.hypot(hx - px, hy - py) <= 8, 'hovered point is under the cursor');
      const pickMs = (await view()).pick_ms;
      assert.ok(pickMs >= 0 && pickMs < 1000, 'the pick time is reported: ' + pickMs);

      // Drag by (+120, +60) pixels: the view centre moves the opposite way in data units.
      await page.mouse.move(480, 250);
      await page.mouse.down();
      await page.mouse.move(540, 280, { steps: 4 });
      await page.mouse.move(600, 310, { steps: 4 });
      await page.waitForTimeout(100);
      await page.mouse.up();
      await page.waitForTimeout(100);
      const panned = (await view()).camera;
      assert.ok(Math.abs((fitted.cx - panned.cx) * fitted.zoom - 120) < 1.5, `pan x ${fitted.cx} -> ${panned.cx}`);
      assert.ok(Math.abs((panned.cy - fitted.cy) * fitted.zoom - 60) < 1.5, `pan y ${fitted.cy} -> ${panned.cy}`);

      // Wheel up at (700, 300): zoom grows and the data point under the cursor stays put.
      const toData = (c, sx, sy) => [(sx - 640) / c.zoom + c.cx, (400 - sy) / c.zoom + c.cy];
      await page.mouse.move(700, 300);
      const before = toData(panned, 700, 300);
      await page.mouse.wheel(0, -100);
      await page.waitForFunction((z) => window.recluster.state().view.camera.zoom > z * 1.05, panned.zoom);
      const zoomed = (await view()).camera;
      const after = toData(zoomed, 700, 300);
      assert.ok(Math.abs(after[0] - before[0]) * zoomed.zoom < 0.5 && Math.abs(after[1] - before[1]) * zoomed.zoom < 0.5);

      await page.keyboard.press('f');
      await page.waitForFunction((z) => Math.abs(window.recluster.state().view.camera.zoom - z) < 1e-3 * z, fitted.zoom);
    });

    await t.test('level of detail: over the point budget an even sample is drawn, zooming in draws more, hover picks only drawn points', async () => {
      const view = () => page.evaluate(() => window.recluster.state().view);
      const n = (await page.evaluate(() => window.recluster.embedding())).length / 2;
      assert.equal((await view()).points_drawn, n);
      assert.equal((await view()).level_of_detail.enabled, true);
      await assert.rejects(page.evaluate(() => window.recluster.setMapOptions({ pointBudget: -1 })), /pointBudget must be a whole number/);
      await page.evaluate(() => window.recluster.setMapOptions({ pointBudget: 50 }));
      await page.keyboard.press('f');
      // Fitted: every point is in view, so a sample of the budget's size is drawn.
      await page.waitForFunction(() => window.recluster.state().view.points_drawn === 50);
      let v = await view();
      assert.equal(v.level_of_detail.sampled, true);
      assert.ok(v.level_of_detail.points_in_view >= n, JSON.stringify(v.level_of_detail));
      // Zoomed in on the middle of the map: fewer points in view, so a larger share of them is drawn.
      await page.mouse.move(640, 400);
      for (let i = 0; i < 8; i++) await page.mouse.wheel(0, -100);
      await page.waitForFunction((z) => window.recluster.state().view.camera.zoom > z * 2.5, v.camera.zoom);
      await page.waitForFunction(() => window.recluster.state().view.points_drawn > 50);
      v = await view();
      assert.ok(v.level_of_detail.points_in_view < n, JSON.stringify(v.level_of_detail));
      // Hover the same spots with every point drawn, then with a budget of one point: first many rows are found,
      // then at most the one drawn point.
      await page.evaluate(() => window.recluster.setMapOptions({ levelOfDetail: false }));
      await page.keyboard.press('f');
      await page.waitForFunction((z) => window.recluster.state().view.camera.zoom < z / 2, v.camera.zoom);
      await page.waitForFunction((n) => window.recluster.state().view.points_drawn === n, n);
      const fitted = (await view()).camera;
      const emb = await page.evaluate(() => Array.from(window.recluster.embedding()));
      const spots = [];
      for (let i = 0; i < n && spots.length < 25; i += 3) {
        const sx = (emb[2 * i] - fitted.cx) * fitted.zoom + 640, sy = 400 - (emb[2 * i + 1] - fitted.cy) * fitted.zoom;
        if (sx > 420 && sx < 800 && sy > 200 && sy < 740) spots.push([sx, sy]);
      }
      assert.ok(spots.length >= 10, `${spots.length} points to hover`);
      const hoverAll = async () => {
        const found = new Set();
        for (const [sx, sy] of spots) {
          await page.mouse.move(sx, sy);
          await page.waitForTimeout(40);
          const h = (await view()).hovered_row;
          if (h >= 0) found.add(h);
        }
        return found;
      };
      const allDrawn = await hoverAll();
      assert.ok(allDrawn.size >= 5, 'every point drawn: hovering finds many rows ' + [...allDrawn]);
      await page.evaluate(() => window.recluster.setMapOptions({ levelOfDetail: true, pointBudget: 1 }));
      await page.waitForFunction(() => window.recluster.state().view.points_drawn === 1);
      assert.deepEqual((await view()).camera, fitted);
      const oneDrawn = await hoverAll();
      assert.ok(oneDrawn.size <= 1, 'only the drawn point can be picked: ' + [...oneDrawn]);
      // Off: every point again; back to the automatic budget (far above this map's size).
      await page.evaluate(() => window.recluster.setMapOptions({ levelOfDetail: false }));
      await page.waitForFunction((n) => window.recluster.state().view.points_drawn === n, n);
      await page.evaluate(() => window.recluster.setMapOptions({ levelOfDetail: true, pointBudget: 0 }));
      await page.waitForFunction((n) => window.recluster.state().view.points_drawn === n, n);
      assert.ok((await view()).level_of_detail.budget >= 40000);
      await page.keyboard.press('f');
    });

    await t.test('an unchanged page stops redrawing; input and new results draw again', async () => {
      const frames = () => page.evaluate(() => window.recluster.state().view.frames_drawn);
      await page.mouse.move(5, 795);  // off the map and the panels
      await page.waitForTimeout(1600);  // past the after-input drawing window
      const idle = await frames();
      await page.waitForTimeout(700);
      assert.equal(await frames(), idle, 'no frames drawn while nothing changes');
      await page.mouse.move(700, 400);
      await page.waitForFunction((f) => window.recluster.state().view.frames_drawn > f, idle);
      await page.waitForTimeout(1600);
      const before = await frames();
      await page.evaluate(() => window.recluster.run());
      await page.waitForFunction((f) => window.recluster.state().view.frames_drawn > f, before, { timeout: 5000 });
      // The test browser runs with --disable-gpu (SwiftShader): the page detects the software renderer and
      // draws a running layout at most every 250 ms (more apart for more points), leaving the cores to the
      // computation.
      const view = await page.evaluate(() => window.recluster.state().view);
      assert.equal(view.software_renderer, true);
      assert.ok(view.busy_frame_ms >= 250 && view.busy_frame_ms <= 1000, String(view.busy_frame_ms));
    });

    await t.test('frames make no WebGL queries (each waits for the GPU process) and draw the panels', async () => {
      await page.waitForFunction(() => !window.recluster.state().busy, null, { timeout: 60000 });
      // Count every WebGL call that reads state or results back from the GPU process.
      await page.evaluate(() => {
        window.__glQueries = {};
        const proto = WebGL2RenderingContext.prototype;
        for (const name of ['getParameter', 'isEnabled', 'getError', 'getVertexAttrib', 'getBufferParameter',
          'getProgramParameter', 'getShaderParameter', 'getUniformLocation', 'getUniform', 'readPixels',
          'checkFramebufferStatus', 'getTexParameter', 'getIndexedParameter', 'isVertexArray', 'isProgram']) {
          const original = proto[name];
          proto[name] = function (...args) { window.__glQueries[name] = (window.__glQueries[name] || 0) + 1; return original.apply(this, args); };
          window.__glRestore = (window.__glRestore || []).concat([() => { proto[name] = original; }]);
        }
      });
      const before = await page.evaluate(() => window.recluster.state().view.frames_drawn);
      await page.mouse.move(700, 400);
      await page.mouse.wheel(0, -240);
      await page.mouse.down();
      await page.mouse.move(740, 420, { steps: 5 });
      await page.mouse.up();
      await page.mouse.wheel(0, 240);
      await page.waitForTimeout(300);
      const after = await page.evaluate(() => window.recluster.state().view);
      const queries = await page.evaluate(() => { for (const f of window.__glRestore) f(); return window.__glQueries; });
      assert.ok(after.frames_drawn - before >= 5, `frames drawn: ${after.frames_drawn - before}`);
      assert.deepEqual(queries, {});
      // The frame's CPU time is reported in parts that add up to at most the whole.
      const p = after.cpu_frame_parts_ms;
      assert.ok(p.ui >= 0 && p.map >= 0 && p.panels_gl >= 0, JSON.stringify(p));
      assert.ok(p.ui + p.map + p.panels_gl <= after.cpu_frame_ms_last + 1e-6, JSON.stringify(after));
      // The panels are drawn: the Pipeline window (left) shows text and widgets in many shades.
      const [x, y, w, h] = after.widgets['Colour by'];
      const shot = await page.screenshot({ clip: { x: 10, y: Math.max(0, y - 200), width: x + w - 10, height: 220 } });
      assert.ok((await pngColors(page, shot, 1)).colors > 20, 'panel pixels');
    });

    await t.test('Export labels downloads the rows with their cluster paths (no network request)', async () => {
      const [download] = await Promise.all([page.waitForEvent('download'), clickWidget(page, 'Export labels')]);
      assert.equal(download.suggestedFilename(), 'wine_labels.csv');
      const text = fs.readFileSync(await download.path(), 'utf8').trim().split('\n');
      assert.equal(text.length, 179);
      assert.match(text[0], /,class,path,probability,outlier_score,map_x,map_y,stability,view$/);
    });

    await t.test('a malformed file shows an error and keeps the current exploration', async () => {
      const before = await page.evaluate(() => Array.from(window.recluster.embedding()));
      const msg = await page.evaluate(() =>
        window.recluster.loadCsvText('a,b\n1,2\n3\n', 'bad.csv').then(() => 'resolved', (e) => e.message));
      assert.equal(msg, 'line 3 has 1 field but the header has 2.');
      const state = await page.evaluate(() => window.recluster.state());
      assert.equal(state.dataset.name, 'wine.csv');
      assert.equal(state.error, msg);
      assert.deepEqual(await page.evaluate(() => Array.from(window.recluster.embedding())), before);
      const empty = await page.evaluate(() =>
        window.recluster.loadCsvText('', 'empty.csv').then(() => 'resolved', (e) => e.message));
      assert.match(empty, /empty/);
      const noNumeric = await page.evaluate(() =>
        window.recluster.loadCsvText('a,b\nx,y\n', 't.csv').then(() => 'resolved', (e) => e.message));
      assert.match(noNumeric, /t\.csv has no column to use as a feature/);
    });

    await t.test('a file dropped with a bad row: the error offers to skip such rows, and that loads the rest', async () => {
      const rows = ['x,y'];
      for (let i = 0; i < 40; i++) rows.push(i === 7 ? `${i}` : `${i},${(i * 7) % 13}`);
      const text = rows.join('\n') + '\n';
      await page.setInputFiles('#file-input', { name: 'ragged.csv', mimeType: 'text/csv', buffer: Buffer.from(text) });
      await page.waitForFunction(() => window.recluster.state().can_skip_bad_rows === true, null, { timeout: 30000 });
      const st = await page.evaluate(() => window.recluster.state());
      assert.equal(st.error, 'line 9 has 1 field but the header has 2.');
      assert.equal(st.dataset.name, 'wine.csv', 'the exploration stays');
      await clickWidget(page, 'Skip bad rows');
      await page.waitForFunction(() => { const s = window.recluster.state(); return s.dataset.name === 'ragged.csv' && !s.busy && s.has_embedding; }, null, { timeout: 60000 });
      const after = await page.evaluate(() => window.recluster.state());
      assert.equal(after.dataset.rows, 39);
      assert.ok(after.dataset.warnings.some((w) => /1 row with the wrong number of fields skipped \(line 9\)/.test(w)), JSON.stringify(after.dataset.warnings));
      assert.equal(after.can_skip_bad_rows, false);
      // Options through the API: a decimal comma and a header-less file.
      const r = await page.evaluate(() => window.recluster.loadCsvText('1,5;2\n2,5;3\n3,5;1\n4,5;4\n', 'bare.csv', { header: false, decimal: 'comma' }));
      assert.equal(r.rows, 4);
      assert.deepEqual(await page.evaluate(() => window.recluster.state().dataset.columns.map((c) => [c.name, c.type])), [['col1', 'numeric'], ['col2', 'numeric']]);
      await page.evaluate((t) => window.recluster.loadCsvText(t, 'wine.csv'), wine);
    });

    await t.test('column roles in the Data panel: a refused file opened anyway, category and text roles applied, words explained', async () => {
      const ready = (name) => page.waitForFunction((n) => { const s = window.recluster.state(); return s.dataset && s.dataset.name === n && !s.busy && s.has_embedding; }, name, { timeout: 60000 });
      const pickRole = (column, role) => pickFromPopup(page, 'Role/' + column, `Role/${column}/${role}`);
      // Names and cities only: refused (the exploration stays), then opened to choose roles.
      const people = ['name,city'];
      for (let i = 0; i < 60; i++) people.push(`person${i},${['Paris', 'Lyon', 'Nice'][i % 3]}`);
      await page.setInputFiles('#file-input', { name: 'people.csv', mimeType: 'text/csv', buffer: Buffer.from(people.join('\n') + '\n') });
      await page.waitForFunction(() => window.recluster.state().can_open_without_features === true, null, { timeout: 30000 });
      let st = await page.evaluate(() => window.recluster.state());
      assert.match(st.error, /people\.csv has no column to use as a feature \(name: identifier, city: label\)/);
      assert.equal(st.dataset.name, 'wine.csv');
      await clickWidget(page, 'Open without features');
      await page.waitForFunction(() => { const s = window.recluster.state(); return s.dataset && s.dataset.name === 'people.csv' && !s.busy; }, null, { timeout: 30000 });
      assert.equal(await page.evaluate(() => window.recluster.state().has_embedding), false);
      assert.equal(await page.evaluate(() => window.recluster.state().view.data_expanded), true, 'the Data panel opens in full');
      await pickRole('city', 'category');
      await clickWidget(page, 'Data/Apply');
      await ready('people.csv');
      st = await page.evaluate(() => window.recluster.state());
      assert.deepEqual(st.data_setup, { roles: { city: 'category' } });
      assert.deepEqual(st.feature_columns, ['city=Lyon', 'city=Nice', 'city=Paris']);

      // Reviews with a star rating: the text is kept aside until given the role 'text' in the panel.
      const topics = [['battery', 'screen', 'charger', 'phone'], ['pasta', 'garlic', 'cheese', 'dinner'], ['goal', 'match', 'coach', 'league']];
      const reviews = ['stars,review'];
      for (let i = 0; i < 300; i++) {
        const w = topics[i % 3];
        reviews.push(`${1 + (i % 5)},"${w[i % 4]} and ${w[(i + 1) % 4]}, then ${w[(i + 2) % 4]} again (${i})"`);
      }
      await page.setInputFiles('#file-input', { name: 'reviews.csv', mimeType: 'text/csv', buffer: Buffer.from(reviews.join('\n') + '\n') });
      await ready('reviews.csv');
      st = await page.evaluate(() => window.recluster.state());
      assert.deepEqual(st.feature_columns, ['stars']);
      assert.equal(st.dataset.columns.find((c) => c.name === 'review').role, 'identifier');
      if (!(await page.evaluate(() => window.recluster.state().view.data_expanded))) await clickWidget(page, 'Data/Expand');
      await page.waitForFunction(() => window.recluster.state().view.data_expanded === true);
      await page.waitForTimeout(200);
      await pickRole('review', 'text');
      await pickRole('stars', 'ignore');
      await clickWidget(page, 'Data/Apply');
      await ready('reviews.csv');
      st = await page.evaluate(() => window.recluster.state());
      assert.deepEqual(st.data_setup, { roles: { review: 'text', stars: 'ignore' } });
      assert.ok(st.feature_columns.length >= 5 && st.feature_columns.every((c) => /^review:lsa\d+$/.test(c)), st.feature_columns.join());
      // The Explain window lists the highlighted cluster's words; every cluster leads with one topic's word.
      await page.waitForFunction(() => { const w = window.recluster.state().view; return w && w.widgets && w.widgets['Explain words']; }, null, { timeout: 30000 });
      const words = await page.evaluate(() => window.recluster.topTerms());
      assert.equal(words.column, 'review');
      for (const c of words.clusters) {
        if (c.size < 20) continue;
        assert.ok(topics.some((t) => t.includes(c.terms[0].term)), JSON.stringify(c));
      }
      // A reader option through the panel: no header row makes the first line data (col1, col2).
      if (!(await page.evaluate(() => window.recluster.state().view.data_expanded))) await clickWidget(page, 'Data/Expand');
      await page.waitForTimeout(200);
      await clickWidget(page, 'Data/Reading');
      await clickWidget(page, 'Data/Header');
      await clickWidget(page, 'Data/Header/none (col1..colN)');
      await pickRole('review', 'auto');
      await pickRole('stars', 'auto');
      await clickWidget(page, 'Data/Apply');
      await page.waitForFunction(() => { const s = window.recluster.state(); return !s.busy && (s.error || (s.data_setup && s.data_setup.header === false)); }, null, { timeout: 60000 });
      st = await page.evaluate(() => window.recluster.state());
      assert.equal(st.error, '', st.error);
      assert.equal(st.dataset.rows, 301);
      assert.deepEqual(st.dataset.columns.map((c) => c.name).slice(0, 2), ['col1', 'col2']);
      // D expands the Data panel, its '< Pipeline' button goes back.
      if (!(await page.evaluate(() => window.recluster.state().view.data_expanded))) await page.keyboard.press('KeyD');
      await page.waitForFunction(() => window.recluster.state().view.data_expanded === true);
      await page.waitForTimeout(200);
      await clickWidget(page, 'Data/Expand');
      await page.waitForFunction(() => window.recluster.state().view.data_expanded === false);
      await page.evaluate((t) => window.recluster.loadCsvText(t, 'wine.csv'), wine);
    });

    await t.test('large files: a streamed file equals the same text; over the memory limit the banner offers a sample', async () => {
      const ready = (name) => page.waitForFunction((n) => { const s = window.recluster.state(); return s.dataset && s.dataset.name === n && !s.busy && s.has_embedding; }, name, { timeout: 90000 });
      const result = await page.evaluate(async () => {
        let csv = 'a,b,c,kind\n';
        for (let i = 0; i < 8000; i++) csv += `${i % 101},${(i * 7) % 13}.5,${i % 3 ? 1 : 8},${['p', 'q'][i % 2]}\n`;
        await window.recluster.loadCsvText(csv, 'text.csv');
        const asText = window.recluster.state().dataset;
        await window.recluster.loadFile(new File([csv], 'streamed.csv'), { stream: true });
        const streamed = window.recluster.state().dataset;
        // The stream is refused over a small memory limit; the page keeps what it shows.
        await window.recluster.setMemoryLimit(5e6);
        const error = await window.recluster.loadFile(new File([csv], 'refused.csv'), { stream: true }).then(() => '', (e) => e.message);
        return { asText, streamed, error, size: csv.length };
      });
      assert.equal(result.streamed.fingerprint, result.asText.fingerprint);
      assert.deepEqual(result.streamed.columns, result.asText.columns);
      assert.match(result.error, /refused\.csv needs about \d+ MB of memory .* load a sample of [\d,]+ rows/);
      let st = await page.evaluate(() => window.recluster.state());
      assert.equal(st.dataset.name, 'streamed.csv');
      assert.ok(st.suggested_sample > 1000, String(st.suggested_sample));
      await clickWidget(page, 'Load sample');
      await ready('refused.csv');
      st = await page.evaluate(() => window.recluster.state());
      assert.equal(st.data_setup.sample_rows > 1000, true);
      assert.ok(st.dataset.rows < 8000 && Math.abs(st.dataset.rows - st.data_setup.sample_rows) < st.data_setup.sample_rows * 0.1, `${st.dataset.rows} rows`);
      // The page keeps the sample's file: once the clusters are explained (automatically at this size) every row of
      // it gets its cluster path, streamed again and downloaded.
      await page.waitForFunction(() => window.recluster.state().can_assign === true, null, { timeout: 60000 });
      // (The Explain window grows as the explanations arrive: a click on a button that just moved is tried again.)
      const downloaded = page.waitForEvent('download', { timeout: 60000 });
      const started = () => page.evaluate(() => { const s = window.recluster.state(); return !!(s.assignment || (s.analysis && s.analysis.kind === 'assign')); });
      for (let attempt = 0; attempt < 3 && !(await started()); attempt++) {
        await clickWidget(page, 'Assign loaded file');
        await page.waitForTimeout(500);
      }
      const download = await downloaded;
      assert.equal(download.suggestedFilename(), 'refused-paths.csv');
      const assigned = fs.readFileSync(await download.path(), 'utf8').trim().split('\n');
      assert.equal(assigned[0], 'row,path,confidence,probability');
      assert.equal(assigned.length, 8001);
      assert.ok(assigned.slice(1).every((l, i) => l.startsWith(i + ',')), 'every row once, in order');
      st = await page.evaluate(() => window.recluster.state());
      assert.equal(st.assignment.rows, 8000);
      assert.equal(st.assignment.name, 'refused.csv');
      assert.ok(st.view.widgets['Assignment summary'], 'the Explain window sums up the assignment');
      await page.evaluate(() => window.recluster.setMemoryLimit(0));
      await page.evaluate((t) => window.recluster.loadCsvText(t, 'wine.csv'), wine);
    });

    await t.test('explain: "Explain all clusters" trains per-cluster models; pixel data shows average images', async () => {
      // 8 x 8 "images": three kinds of bright square (top-left, bottom-right, centre) on a dark background.
      let seed = 3;
      const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
      const head = [];
      for (let i = 0; i < 64; i++) head.push('p' + i);
      const lines = [head.join(',')];
      for (let r = 0; r < 300; r++) {
        const kind = r % 3, px = [];
        for (let y = 0; y < 8; y++)
          for (let x = 0; x < 8; x++) {
            const on = kind === 0 ? x < 4 && y < 4 : kind === 1 ? x >= 4 && y >= 4 : x >= 2 && x < 6 && y >= 2 && y < 6;
            px.push(Math.round((on ? 200 : 20) + 30 * rnd()));
          }
        lines.push(px.join(','));
      }
      // Automatic explanations (on by default for views up to 20,000 rows) are switched off to test the button.
      await clickWidget(page, 'Explain automatically');
      await page.evaluate((text) => window.recluster.loadCsvText(text, 'squares.csv'), lines.join('\n') + '\n');
      const state = () => page.evaluate(() => window.recluster.state());
      const clusters = await page.evaluate(() => new Set(Array.from(window.recluster.labels()).filter((l) => l >= 0)).size);
      await clickWidget(page, 'Colour by');
      await clickWidget(page, 'Colour by/(cluster)');
      await page.waitForFunction(() => window.recluster.state().view.color_by === '(cluster)', null, { timeout: 10000 });
      assert.ok(clusters >= 3, `clusters: ${clusters}`);
      assert.deepEqual((await state()).explained, []);
      await clickWidget(page, 'Explain all clusters');
      await page.waitForFunction((k) => window.recluster.state().explained.length === k, clusters, { timeout: 60000 });
      const s = await state();
      assert.deepEqual(s.view.explain_image, [8, 8], 'a square number of features is shown as an image');
      assert.ok(s.view.widgets['Explain AUC'], 'the AUC line of the chosen cluster');
      // The panel follows the legend's highlighted cluster.
      await clickWidget(page, 'Legend/cluster 1');
      await page.waitForFunction(() => window.recluster.state().view.explain_cluster === 1);
      const ex = await page.evaluate(() => window.recluster.explain(1));
      assert.ok(ex.auc > 0.95, String(ex.auc));
      assert.match(ex.features[0].name, /^p\d+$/);
      await clickWidget(page, 'Legend/cluster 1');
      // New rows predicted with the models are drawn as rings on the map.
      const labels = await page.evaluate(() => Array.from(window.recluster.labels()));
      const pred = await page.evaluate((t) => window.recluster.predictCsvText(t), lines.slice(0, 31).join('\n') + '\n');
      assert.equal(pred.rows, 30);
      let same = 0;
      for (let i = 0; i < 30; i++) same += labels[i] < 0 || pred.path[i] === String(labels[i]);
      assert.ok(same >= 27, `${same} of 30 rows predicted in their own cluster`);
      await page.waitForFunction(() => window.recluster.state().predicted === 30, null, { timeout: 30000 });
      await clickWidget(page, 'Clear predictions');
      await page.waitForFunction(() => window.recluster.state().predicted === 0);
      // The same through the UI: "Show rows of a CSV file on the map..." opens the picker in predict mode.
      await clickWidget(page, 'Predict from CSV');
      await page.setInputFiles('#file-input', { name: 'more.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.slice(0, 11).join('\n') + '\n') });
      await page.waitForFunction(() => window.recluster.state().predicted === 10, null, { timeout: 30000 });
      assert.equal((await state()).dataset.name, 'squares.csv', 'the data stays');
      await clickWidget(page, 'Clear predictions');
      // "Assign every row of a CSV file..." streams a file through the same models and downloads the paths.
      const [pathsFile] = await Promise.all([page.waitForEvent('download', { timeout: 60000 }), (async () => {
        await clickWidget(page, 'Assign CSV');
        await page.setInputFiles('#file-input', { name: 'more.csv', mimeType: 'text/csv', buffer: Buffer.from(lines.slice(0, 31).join('\n') + '\n') });
      })()]);
      assert.equal(pathsFile.suggestedFilename(), 'more-paths.csv');
      const assignedRows = fs.readFileSync(await pathsFile.path(), 'utf8').trim().split('\n');
      assert.equal(assignedRows[0], 'row,path,confidence,probability');
      assert.deepEqual(assignedRows.slice(1).map((l) => l.split(',')[1]), pred.path);
      assert.equal((await state()).assignment.name, 'more.csv');
      // Back on: a new clustering (a re-label) is explained by itself.
      await clickWidget(page, 'Explain automatically');
      await page.evaluate(() => window.recluster.relabel({ min_cluster_size: 20 }));
      const k2 = await page.evaluate(() => new Set(Array.from(window.recluster.labels()).filter((l) => l >= 0)).size);
      await page.waitForFunction((k) => window.recluster.state().explained.length === k, k2, { timeout: 60000 });
    });

    await t.test('Copy link: the link (?data= and #s=) reopens the same view, labels, camera, colouring and highlight', async () => {
      const site = linkIntoSite(path.join(ROOT, 'tests', 'data', 'wine.csv'));
      t.after(() => site.remove());
      await page.evaluate(async (url) => {
        const r = window.recluster;
        await r.loadUrl(url);
        await r.drill(0);
      }, site.url);
      await clickWidget(page, 'Colour by');
      await clickWidget(page, 'Colour by/(cluster)');
      await clickWidget(page, 'Legend/cluster 0');
      await page.waitForFunction(() => window.recluster.state().view.highlighted_cluster === 0);
      const cam0 = (await page.evaluate(() => window.recluster.state().view.camera)).zoom;
      await page.mouse.move(760, 420);
      await page.mouse.wheel(0, -100);
      await page.waitForFunction((z) => window.recluster.state().view.camera.zoom > z * 1.05, cam0);
      await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(page.url()).origin });
      await openShare();
      await clickWidget(page, 'Share/Copy link');
      await page.waitForFunction(() => window.recluster.state().view.share.link !== '', null, { timeout: 30000 });
      const made = await page.evaluate(async () => ({ share: window.recluster.state().view.share, clip: await navigator.clipboard.readText(),
        labels: Array.from(window.recluster.labels()), crumbs: window.recluster.breadcrumbs().map((b) => b.label),
        view: window.recluster.state().view }));
      const link = made.share.link;
      assert.equal(made.share.copied, true);
      assert.equal(made.clip, link);
      assert.match(link, /\?data=bench%2Fwine\.csv#s=z[A-Za-z0-9_-]+$/);
      assert.ok(link.length < 2000, `link length ${link.length}`);
      // A fresh page (forcing this build): ready resolves after the view is recomputed.
      const opened = await openApp(browser.context, link.replace('#', `&build=${build}#`));
      await settled(opened.page);
      const got = await opened.page.evaluate(() => ({ labels: Array.from(window.recluster.labels()), view: window.recluster.state().view,
        crumbs: window.recluster.breadcrumbs().map((b) => b.label), error: window.recluster.linkError || null }));
      assert.equal(got.error, null);
      assert.deepEqual(got.crumbs, made.crumbs);
      assert.deepEqual(got.labels, made.labels);
      assert.deepEqual(got.view.camera, made.view.camera);
      assert.equal(got.view.color_by, '(cluster)');
      assert.equal(got.view.highlighted_cluster, 0);
      // A damaged link leaves a working page with the reason in the app's banner.
      const broken = await openApp(browser.context, link.replace('#', `&build=${build}#`).slice(0, -12));
      const err = await broken.page.evaluate(() => ({ link: window.recluster.linkError, shown: window.recluster.state().error }));
      assert.match(err.link, /damaged|cut short/);
      assert.equal(err.shown, err.link);
      assert.equal(await broken.page.evaluate(() => window.recluster.state().dataset.name), 'wine.csv', 'the data still loads');
      await opened.page.close();
      await broken.page.close();
      await clickWidget(page, 'Legend/cluster 0');
      await page.keyboard.press('KeyS');  // closes the Share window
      await page.evaluate(() => window.recluster.goTo(0));
    });

    await t.test('a link can carry small data; a link without data waits for the file and checks its fingerprint', async () => {
      const links = await page.evaluate(async () => {
        const r = window.recluster;
        await r.drill(0);
        const out = { embedded: await r.shareUrl({ embedData: true }), plain: await r.shareUrl(), labels: Array.from(r.labels()) };
        await r.goTo(0);
        return out;
      });
      assert.match(links.embedded, /#s=z[A-Za-z0-9_-]+&d=z[A-Za-z0-9_-]+&n=wine\.csv$/);
      assert.ok(!links.embedded.includes('?data='));
      const withData = await openApp(browser.context, links.embedded.replace('#', `?build=${build}#`));
      assert.deepEqual(await withData.page.evaluate(() => Array.from(window.recluster.labels())), links.labels);
      assert.equal(await withData.page.evaluate(() => window.recluster.state().dataset.fingerprint),
        await page.evaluate(() => window.recluster.state().dataset.fingerprint));
      await withData.page.close();
      // Without ?data=: the start screen asks for wine.csv; another file is refused with a message.
      const hashOnly = links.plain.replace(/\?data=[^#]*/, `?build=${build}`);
      const waiting = await openApp(browser.context, hashOnly);
      const st = await waiting.page.evaluate(() => ({ pending: window.recluster.linkPending, link: window.recluster.state().pending_link }));
      assert.equal(st.pending, true);
      assert.equal(st.link.name, 'wine.csv');
      assert.equal(st.link.rows, 178);
      await waiting.page.waitForFunction(() => !!window.recluster.state().view.widgets['Start/Open link data']);
      await waiting.page.setInputFiles('#file-input', irisPath);
      await waiting.page.waitForFunction(() => /not the one the link was made with \(wine\.csv\)/.test(window.recluster.state().error), null, { timeout: 30000 });
      assert.equal(await waiting.page.evaluate(() => window.recluster.state().pending_link), undefined);
      await waiting.page.close();
      const again = await openApp(browser.context, hashOnly);
      await again.page.setInputFiles('#file-input', path.join(ROOT, 'tests', 'data', 'wine.csv'));
      await again.page.waitForFunction(() => { const s = window.recluster.state(); return !s.busy && s.breadcrumbs && s.breadcrumbs.length === 2; }, null, { timeout: 60000 });
      assert.deepEqual(await again.page.evaluate(() => Array.from(window.recluster.labels())), links.labels);
      assert.equal(await again.page.evaluate(() => window.recluster.state().error), '');
      await again.page.close();
    });

    await t.test('session file: Save session file downloads it; opening it restores every view at once', async () => {
      await page.evaluate(async () => {
        const r = window.recluster;
        await r.drill(0);
        await r.explain();
      });
      await settled();
      const before = await page.evaluate(() => ({ labels: Array.from(window.recluster.labels()), hierarchy: window.recluster.hierarchy(),
        crumbs: window.recluster.breadcrumbs(), explained: window.recluster.state().explained, camera: window.recluster.state().view.camera }));
      await openShare();
      const [download] = await Promise.all([page.waitForEvent('download'), clickWidget(page, 'Share/Save session')]);
      assert.equal(download.suggestedFilename(), 'wine.recluster');
      const file = await download.path();
      assert.equal(fs.readFileSync(file).subarray(0, 8).toString('latin1'), 'RCLSESS\n');
      await page.keyboard.press('KeyS');
      const fresh = await openApp(browser.context, `${server.url}/?build=${build}`);
      await fresh.page.setInputFiles('#file-input', file);
      await fresh.page.waitForFunction(() => { const s = window.recluster.state(); return !s.busy && s.breadcrumbs && s.breadcrumbs.length === 2; }, null, { timeout: 60000 });
      await settled(fresh.page);
      const after = await fresh.page.evaluate(() => ({ labels: Array.from(window.recluster.labels()), hierarchy: window.recluster.hierarchy(),
        crumbs: window.recluster.breadcrumbs(), explained: window.recluster.state().explained, camera: window.recluster.state().view.camera }));
      assert.deepEqual(after, before);
      // A damaged session file is refused and the exploration stays.
      const bad = fs.readFileSync(file);
      bad[bad.length >> 1] ^= 1;
      const badPath = path.join(require('node:os').tmpdir(), `bad-${build}.recluster`);
      fs.writeFileSync(badPath, bad);
      t.after(() => fs.rmSync(badPath, { force: true }));
      await fresh.page.setInputFiles('#file-input', badPath);
      await fresh.page.waitForFunction(() => /damaged/.test(window.recluster.state().error), null, { timeout: 30000 });
      assert.deepEqual(await fresh.page.evaluate(() => Array.from(window.recluster.labels())), before.labels);
      await fresh.page.close();
      await page.evaluate(() => window.recluster.goTo(0));
    });

    await t.test('HTML report opens offline with no request; PNG export decodes at the chosen size and is not blank', async () => {
      await page.evaluate(async () => { await window.recluster.drill(0); await window.recluster.explain(); await window.recluster.goTo(0); });
      await settled();
      await openShare();
      const [report] = await Promise.all([page.waitForEvent('download'), clickWidget(page, 'Share/Report')]);
      assert.equal(report.suggestedFilename(), 'wine_report.html');
      const reportPath = path.join(require('node:os').tmpdir(), `wine_report_${build}.html`);  // the download has no extension
      fs.copyFileSync(await report.path(), reportPath);
      t.after(() => fs.rmSync(reportPath, { force: true }));
      const html = fs.readFileSync(reportPath, 'utf8');
      assert.equal(html, await page.evaluate(() => window.recluster.exportReportHtml()));
      // Opened on its own (file://): nothing but the file itself is requested; every image decodes.
      const viewer = await browser.context.newPage();
      const requests = [];
      viewer.on('request', (r) => requests.push(r.url()));
      const fileUrl = 'file://' + reportPath;
      await viewer.goto(fileUrl);
      const info = await viewer.evaluate(() => ({
        title: document.querySelector('h1').textContent, views: document.querySelectorAll('section.view').length,
        clusters: document.querySelectorAll('section.cluster').length, charts: document.querySelectorAll('svg.shap').length,
        images: Array.from(document.images).map((i) => i.complete && i.naturalWidth > 0) }));
      assert.deepEqual(requests.filter((u) => u !== fileUrl && !u.startsWith('data:')), []);
      assert.equal(info.title, 'recluster report: wine.csv');
      assert.ok(info.views >= 2, `views ${info.views}`);
      assert.ok(info.clusters >= 3 && info.charts >= 3, JSON.stringify(info));
      assert.ok(info.images.length >= 2 && info.images.every(Boolean));
      await viewer.close();
      // PNG: 2 x the screen by default; then 1920 x 1080 from the size menu (via the API for the exact size).
      const [png] = await Promise.all([page.waitForEvent('download'), clickWidget(page, 'Share/Export PNG')]);
      assert.equal(png.suggestedFilename(), 'wine_map.png');
      const bytes = fs.readFileSync(await png.path());
      assert.equal(bytes.subarray(1, 4).toString('latin1'), 'PNG');
      const decoded = await pngColors(page, bytes, 5);
      const screen = await page.evaluate(() => [window.innerWidth, window.innerHeight]);
      assert.deepEqual([decoded.w, decoded.h], [2 * screen[0], 2 * screen[1]]);
      assert.ok(decoded.colors > 10, `distinct colours ${decoded.colors}`);
      const small = await page.evaluate(async () => Array.from((await window.recluster.exportPng({ width: 800, height: 500 })).slice(16, 24)));
      assert.deepEqual(small, [0, 0, 3, 32, 0, 0, 1, 244], 'IHDR: 800 x 500');
      await page.keyboard.press('KeyS');
    });

    await t.test('no console errors and no request leaves the page origin', async () => {
      // The deliberate 404 of the loadUrl test is the only error the browser may log.
      assert.deepEqual(log.errors.filter((e) => !/404/.test(e)), []);
      const foreign = log.requests.filter((u) => !u.startsWith(server.url + '/') && !u.startsWith('data:') && !u.startsWith('blob:'));
      assert.deepEqual(foreign, []);
    });
  });
}

test('a static host without COOP/COEP gets isolation from the service worker and runs the threaded build', { timeout: 120000 }, async (t) => {
  const server = await startServer(['--no-isolation']);
  const browser = await launchBrowser();
  t.after(async () => { await browser.close(); server.stop(); });
  const page = await browser.context.newPage();
  await page.goto(server.url + '/');
  // First visit: not isolated; coi-serviceworker registers and reloads the page once.
  await page.waitForFunction(() => window.crossOriginIsolated === true && window.recluster, null, { timeout: 60000 });
  await page.evaluate(() => window.recluster.ready.then(() => true));
  const state = await page.evaluate(() => window.recluster.state());
  assert.equal(state.build, 'threaded');
  const info = await page.evaluate((text) => window.recluster.loadCsvText(text, 'wine.csv'), wine);
  assert.equal(info.rows, 178);
});

test('without isolation and without the service worker, the single-threaded build is chosen', { timeout: 120000 }, async (t) => {
  const server = await startServer(['--no-isolation']);
  const browser = await launchBrowser();
  t.after(async () => { await browser.close(); server.stop(); });
  const page = await browser.context.newPage();
  // A page that blocks service workers (as some hosts and browser settings do).
  await page.addInitScript(() => { Object.defineProperty(navigator, 'serviceWorker', { get: () => undefined }); });
  await page.goto(server.url + '/');
  await page.waitForFunction(() => window.recluster && window.recluster.ready, null, { timeout: 30000 });
  await page.evaluate(() => window.recluster.ready.then(() => true));
  assert.equal(await page.evaluate(() => window.crossOriginIsolated), false);
  assert.equal((await page.evaluate(() => window.recluster.state())).build, 'single-threaded');
});
