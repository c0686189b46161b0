// WASM contract tests under node: the headless module of each build (threaded and single-threaded) exposes the
// same Embind API as the app; the Promise API (web/recluster-api.js) runs on it unchanged. Checks the API's
// shapes, error messages, and that both builds and the native CLI agree bit for bit on the embedding.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const os = require('node:os');
const { execFileSync } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..', '..');
const { makeApi } = require(path.join(ROOT, 'web', 'recluster-api.js'));
const wine = fs.readFileSync(path.join(ROOT, 'tests', 'data', 'wine.csv'), 'utf8');

// 400 rows x 128 features in 4 groups (deterministic), wide enough for the randomized PCA pre-reduction.
function wideCsv() {
  const cols = Array.from({ length: 128 }, (_, j) => `f${j}`);
  const lines = [cols.join(',')];
  let s = 7;
  const next = () => { s = (s * 1103515245 + 12345) % 2147483648; return s / 2147483648; };
  for (let i = 0; i < 400; i++) {
    const g = i % 4;
    lines.push(cols.map((_, j) => ((j % 4 === g ? 3 : 0) + next()).toFixed(4)).join(','));
  }
  return lines.join('\n') + '\n';
}

function loadBuild(variant) {
  const factory = require(path.join(ROOT, 'build', `wasm-${variant}`, 'recluster_node.js'));
  const modulePromise = factory({ print: () => {}, printErr: () => {} });
  const api = makeApi(modulePromise, { drive: true });
  // The threaded build's worker pool keeps node alive: stop it when the test is over.
  api.shutdown = () => modulePromise.then((m) => { if (m.PThread) m.PThread.terminateAllThreads(); });
  return api;
}

const results = {};

for (const variant of ['mt', 'st']) {
  test(`contract (${variant})`, { timeout: 180000 }, async (t) => {
    const api = loadBuild(variant);
    t.after(() => api.shutdown());
    await api.ready;

    await t.test('names exist', () => {
      for (const name of ['ready', 'loadCsvText', 'loadUrl', 'run', 'relabel', 'metrics', 'sweep', 'kDistance', 'drill', 'drillSelection', 'up', 'goTo', 'breadcrumbs', 'hierarchy', 'buildHierarchy', 'stability', 'explain', 'explainRow', 'predictCsvText', 'exportLabelsCsv', 'shareState', 'openShareState', 'shareUrl', 'openShareLink', 'saveSession', 'loadSession', 'exportReportHtml', 'skipBadRows', 'setColumnRoles', 'openWithoutFeatures', 'topTerms', 'loadFile', 'setMemoryLimit', 'loadSample', 'setThreads', 'result', 'setMapOptions', 'embedding', 'labels', 'state'])
        assert.ok(name in api, name);
    });

    await t.test('state before any data', () => {
      const s = api.state();
      assert.equal(s.dataset, null);
      assert.equal(s.build, variant === 'mt' ? 'threaded' : 'single-threaded');
      assert.equal(api.embedding().length, 0);
      assert.equal(api.result(), null);
    });

    await t.test('run without data rejects readably', async () => {
      await assert.rejects(api.run(), { message: 'No data loaded: load a CSV file first.' });
    });

    await t.test('loadCsvText resolves {rows, columns} and computes the default map', async () => {
      const r = await api.loadCsvText(wine, 'wine.csv');
      assert.equal(r.rows, 178);
      assert.equal(r.columns, 14);
      const emb = api.embedding();
      assert.ok(emb instanceof Float32Array);
      assert.equal(emb.length, 356);
      const labels = api.labels();
      assert.ok(labels instanceof Int32Array);
      assert.equal(labels.length, 178);
    });

    await t.test('run(recipe) resolves {rows, clusters, timings_ms}', async () => {
      const u = await api.run({ n_epochs: 100 });
      for (const k of ['scale', 'knn', 'umap', 'total']) assert.equal(typeof u.timings_ms[k], 'number', k);
      results['umap_' + variant] = Array.from(api.embedding());
      assert.ok(results['umap_' + variant].every(Number.isFinite));
      // HDBSCAN of the map: labels() agrees with the reported cluster sizes and noise.
      assert.equal(typeof u.timings_ms.cluster, 'number');
      assert.equal(u.clustering.method, 'hdbscan');
      assert.equal(u.clusters, u.clustering.clusters);
      assert.ok(u.clusters >= 2, JSON.stringify(u.clustering));
      const labels = Array.from(api.labels());
      const sizes = new Array(u.clusters).fill(0);
      for (const l of labels) if (l >= 0) sizes[l]++;
      assert.deepEqual(sizes, u.clustering.sizes);
      assert.equal(labels.filter((l) => l < 0).length, u.clustering.noise);
      results['labels_' + variant] = labels;
      const r = await api.run({ scale: 'zscore', embedding: 'pca' });
      assert.equal(r.rows, 178);
      assert.equal(typeof r.clusters, 'number');
      for (const k of ['scale', 'pca', 'total']) assert.equal(typeof r.timings_ms[k], 'number', k);
      results[variant] = Array.from(api.embedding());
      const s = api.state();
      assert.equal(s.recipe.scale, 'zscore');
      assert.equal(s.dataset.columns[13].type, 'text');
      assert.equal(s.dataset.columns[0].name, 'alcohol');
    });

    await t.test('setThreads: the same map and labels for 1, 2 and 3 threads (NN-descent with its forest); result()', async () => {
      // 6,000 rows: above the exact-neighbour limit (4,096) and the forest's (2,000).
      let s = 11;
      const next = () => { s = (s * 1103515245 + 12345) % 2147483648; return s / 2147483648; };
      let csv = 'a,b,c,d\n';
      for (let i = 0; i < 6000; i++) csv += [0, 1, 2, 3].map((j) => (next() + (i % 5 === j ? 4 : 0) + (i % 5 === 4 && j === 0 ? -4 : 0)).toFixed(4)).join(',') + '\n';
      const runs = [];
      for (const threads of [1, 2, 3]) {
        assert.equal(await api.setThreads(threads), variant === 'mt' ? threads : 1);
        await api.loadCsvText(csv, 'threads.csv');
        const r = api.result();
        assert.equal(r.umap.neighbor_method, 'nn-descent');
        assert.equal(r.rows, 6000);
        for (const k of ['scale', 'knn', 'umap', 'cluster']) assert.equal(typeof r.timings_ms[k], 'number', k);
        if (variant === 'mt') assert.ok(r.memory.wasm_heap_bytes > 0);
        runs.push({ emb: Array.from(api.embedding()), labels: Array.from(api.labels()), clusters: r.clusters });
      }
      assert.ok(runs[0].clusters >= 2);
      for (const other of runs.slice(1)) {
        assert.deepEqual(other.emb, runs[0].emb);
        assert.deepEqual(other.labels, runs[0].labels);
      }
      results['threads_' + variant] = runs[0].emb;
      await assert.rejects(api.setThreads(-1), /setThreads\(n\): n must be a whole number/);
      await assert.rejects(api.setThreads(5), /from 0 to 4/);
      assert.ok(await api.setThreads(0) >= 1);
      await assert.rejects(api.setMapOptions({ levelOfDetail: false }), /There is no map here/);
      await api.loadCsvText(wine, 'wine.csv');
      await api.run({ scale: 'zscore', embedding: 'pca' });
    });

    await t.test('errors reject with readable messages and keep the data', async () => {
      await assert.rejects(api.run({ scale: 'log' }), /recipe\.scale must be/);
      await assert.rejects(api.run({ columns: ['nope'] }), { message: "Column 'nope' does not exist." });
      await assert.rejects(api.loadCsvText('a,b\n1,2\n3,4,5\n', 'bad.csv'), { message: 'line 3 has 3 fields but the header has 2.' });
      await assert.rejects(api.loadCsvText('', 'e.csv'), /empty/);
      await assert.rejects(api.loadCsvText('x\nfoo\n', 't.csv'), /t\.csv has no column to use as a feature \(x: label\)/);
      await assert.rejects(api.loadCsvText(42), /text must be a string/);
      assert.equal(api.state().dataset.name, 'wine.csv');
      assert.deepEqual(Array.from(api.embedding()), results[variant]);
    });

    await t.test('relabel() re-labels from the kept HDBSCAN tree exactly as a full run would', async () => {
      const u = await api.run({ n_epochs: 60, min_cluster_size: 8 });
      const emb = Array.from(api.embedding());
      const c = await api.relabel({ cluster_selection: 'leaf', min_cluster_size: 5 });
      assert.deepEqual(Array.from(api.embedding()), emb, 'no new map');
      const labels = Array.from(api.labels());
      const sizes = new Array(c.clusters).fill(0);
      for (const l of labels) if (l >= 0) sizes[l]++;
      assert.deepEqual(sizes, c.sizes);
      assert.equal(api.state().recipe.cluster_selection, 'leaf');
      const tree = api.condensedTree();
      const chosen = tree.clusters.filter((k) => k.selected_as >= 0);
      assert.equal(chosen.length, c.clusters);
      for (const k of chosen) assert.ok(k.size >= c.sizes[k.selected_as], 'a cluster holds its members at birth');
      assert.equal(tree.n_points, 178);
      assert.equal(tree.clusters[0].parent, -1);
      const full = await api.run({ n_epochs: 60, min_cluster_size: 5, min_samples: u.clustering.min_samples,
        cluster_selection: 'leaf' });
      assert.deepEqual(Array.from(api.labels()), labels);
      assert.deepEqual(full.clustering.sizes, c.sizes);
      const db = await api.run({ n_epochs: 60, cluster: 'dbscan', dbscan_eps: 0.5 });
      assert.equal(db.clustering.method, 'dbscan');
      assert.equal(db.clustering.eps, 0.5);
      const dbl = Array.from(api.labels());
      assert.equal(dbl.filter((l) => l < 0).length, db.clustering.noise);
      await assert.rejects(api.relabel({ min_cluster_size: 5 }), /no HDBSCAN result/);
      await assert.rejects(api.run({ cluster: 'dbscan' }), /recipe\.dbscan_eps must be > 0/);
      await api.run({ n_epochs: 60 });
      await assert.rejects(api.relabel({ n_neighbors: 5 }), { message: "'n_neighbors' changes more than the cluster selection; use run() for it." });
      await assert.rejects(api.relabel({ min_cluster_size: 1 }), /recipe\.min_cluster_size must be/);
    });

    await t.test('drill-down: drill, breadcrumbs, up, cached re-drill, selection, hierarchy', async () => {
      const top = await api.run({ n_epochs: 100 });
      const topLabels = Array.from(api.labels());
      const size0 = topLabels.filter((l) => l === 0).length;
      const d = await api.drill(0, { n_epochs: 100 });
      assert.equal(d.label, '0');
      assert.equal(d.rows, size0);
      assert.equal(api.embedding().length, 2 * size0, 'the map shows the cluster\'s rows only');
      assert.equal(api.labels().length, size0);
      assert.equal(api.state().dataset.rows, size0);
      assert.deepEqual(api.breadcrumbs().map((b) => b.label), ['All', '0']);
      const inner = Array.from(api.embedding());
      results['drill_' + variant] = Array.from(api.labels());
      const crumbs = await api.up();
      assert.deepEqual(crumbs.map((b) => b.label), ['All']);
      assert.deepEqual(Array.from(api.labels()), topLabels, 'back up: the top-level result, instantly');
      const again = await api.drill(0);
      assert.equal(again.node, d.node, 'the same node');
      assert.deepEqual(Array.from(api.embedding()), inner, 'cached');
      await api.goTo(0);
      await assert.rejects(api.up(), /Already at the top/);
      await assert.rejects(api.drill(99), /There is no cluster 99 here/);
      await assert.rejects(api.drillSelection([1, 2]), /Select at least 3 rows/);
      const sel = await api.drillSelection([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], { embedding: 'pca' });
      assert.equal(sel.rows, 10);
      assert.match(sel.label, /^selection 1 \(10 rows\)$/);
      await api.goTo(0);
      const h = await api.buildHierarchy({ depth: 1, minFraction: 0.2 });
      assert.equal(h.rows, 178);
      const kids = h.children.filter((c) => c.path !== '');
      assert.ok(kids.length >= 2, JSON.stringify(h.children.map((c) => c.label)));
      for (const c of kids) assert.ok(c.computed && c.rows >= 0.2 * 178);
      assert.deepEqual(api.hierarchy(), h);
      assert.equal(top.clusters, h.clusters);
      // Stability of the top view: 1 seed + permutation + 1 subsample, recorded in the hierarchy.
      const st = await api.stability({ seeds: 1, bootstraps: 1 });
      assert.deepEqual(st.runs.map((r) => r.kind), ['seed', 'permutation', 'bootstrap']);
      assert.equal(st.clusters.length, top.clusters);
      for (const c of st.clusters) assert.ok(c.jaccard >= 0 && c.jaccard <= 1 && ['stable', 'fair', 'unstable'].includes(c.rating));
      assert.deepEqual(api.hierarchy().stability, st);
      assert.deepEqual(api.state().analyses.stability, st);
      results['stability_' + variant] = st;
      await assert.rejects(api.stability({ seeds: 0, bootstraps: 0 }), /not both 0/);
    });

    await t.test('explain: per-cluster models, SHAP ranking, row contributions', async () => {
      const top = await api.run({ seed: 42, n_epochs: 100, min_cluster_size: 15 });
      assert.ok(top.clusters >= 2);
      assert.equal(api.explainRow(0), null, 'nothing explained yet');
      await assert.rejects(api.predictCsvText('a,b\n1,2\n'), /explain every cluster of the top view first/);
      const one = await api.explain(0);
      assert.equal(one.cluster, 0);
      assert.ok(one.auc > 0.9, String(one.auc));
      assert.equal(one.features.length, 10);
      for (let i = 1; i < one.features.length; i++) assert.ok(one.features[i - 1].mean_abs_shap >= one.features[i].mean_abs_shap);
      assert.ok(one.profile.length > 0 && one.representatives.length > 0);
      const all = await api.explain();
      assert.equal(all.length, top.clusters);
      assert.deepEqual(all[0], one, 'cluster 0 kept from the on-demand run');
      const again = await api.explain(1);
      assert.deepEqual(again, all[1], 'answered from the cache');
      const labels = Array.from(api.labels());
      const row = labels.indexOf(1);
      const w = api.explainRow(row, 5);
      assert.equal(w.cluster, 1);
      assert.equal(w.contributions.length, 5);
      assert.ok(w.probability > 0.5, 'a row of cluster 1 is predicted in it');
      const full = api.explainRow(row, 1000);
      assert.equal(full.contributions.length, 13);
      const sum = full.bias + full.contributions.reduce((a, c) => a + c.shap, 0);
      assert.ok(Math.abs(sum - full.margin) < 1e-5, `SHAP values add up to the margin: ${sum} vs ${full.margin}`);
      results['explain_' + variant] = all;
      // New rows (here the same file) get cluster paths from the models, and map positions.
      const pred = await api.predictCsvText(wine);
      assert.equal(pred.rows, 178);
      let same = 0, clustered = 0;
      for (let i = 0; i < 178; i++) {
        assert.ok(Number.isFinite(pred.x[i]) && Number.isFinite(pred.y[i]) && pred.confidence[i] >= 0 && pred.confidence[i] <= 1);
        if (labels[i] >= 0) { clustered++; same += pred.path[i] === String(labels[i]); }
      }
      assert.ok(same >= 0.9 * clustered, `${same} of ${clustered} clustered rows predicted in their own cluster`);
      assert.equal(api.state().predicted, 178);
      await assert.rejects(api.predictCsvText('alcohol\n13\n'), /no numeric column 'malic_acid'/);
      // The labels export: every original row, its columns, then the exploration's.
      assert.equal(api.state().dataset.fingerprint, require('node:crypto').createHash('sha256').update(wine).digest('hex'));
      const csv = api.exportLabelsCsv().trim().split('\n');
      assert.equal(csv.length, 179);
      assert.match(csv[0], /^alcohol,.*,class,path,probability,outlier_score,map_x,map_y,stability,view$/);
      const pathAt = csv[0].split(',').indexOf('path');
      for (let i = 1; i < 179; i++) assert.equal(csv[i].split(',')[pathAt], labels[i - 1] < 0 ? 'noise' : String(labels[i - 1]));
      await assert.rejects(api.explain(99), /there is no cluster 99/);
      await assert.rejects(api.explain(0, { depth: 40 }), /depth from 1 to 12/);
    });

    await t.test('share state: reopening recomputes the same views bit for bit; damaged states reject', async () => {
      await api.goTo(0);
      const top = await api.run({ seed: 42, n_epochs: 100, min_cluster_size: 15 });
      assert.ok(top.clusters >= 2);
      const inner = await api.drill(0, { min_cluster_size: 10 });
      const saved = { top: null, inner: Array.from(api.labels()), map: Array.from(api.embedding()) };
      const st = api.shareState();
      assert.equal(st.v, 1);
      assert.equal(st.fp, api.state().dataset.fingerprint);
      assert.deepEqual(st.views.map((v) => v.p), ['', '0']);
      assert.equal(st.at, '0');
      assert.equal(st.views[1].r.min_cluster_size, 10);
      // Change the exploration, then open the state: the same view comes back.
      await api.goTo(0);
      await api.run({ embedding: 'pca' });
      const r = await api.openShareState(st);
      assert.equal(r.rows, inner.rows);
      assert.deepEqual(api.breadcrumbs().map((b) => b.label), ['All', '0']);
      assert.deepEqual(Array.from(api.labels()), saved.inner);
      assert.deepEqual(Array.from(api.embedding()), saved.map);
      results['share_' + variant] = saved.map;
      await assert.rejects(api.openShareState('{"v":1}'), /lacks 'fp'/);
      await assert.rejects(api.openShareState(JSON.stringify({ ...st, fp: '0'.repeat(64) })), /not the file the link was made with/);
      await assert.rejects(api.openShareState(st.views ? JSON.stringify({ ...st, views: [st.views[0], { p: '77', r: {} }], at: '77' }) : ''), /view 77 does not exist here/);
      assert.deepEqual(Array.from(api.labels()), saved.inner, 'a failed open keeps the exploration');
      await api.goTo(0);
    });

    await t.test('session files: saveSession / loadSession reopen everything without recomputing; damaged files reject', async () => {
      await api.goTo(0);
      await api.run({ seed: 42, n_epochs: 100, min_cluster_size: 15 });
      await api.explain();
      await api.drill(0, { min_cluster_size: 10 });
      await api.up();
      await api.drillSelection([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19], { n_neighbors: 5, min_cluster_size: 5 });
      await api.goTo(0);
      const before = { crumbs: api.breadcrumbs(), labels: Array.from(api.labels()), map: Array.from(api.embedding()),
        hierarchy: api.hierarchy(), explained: api.state().explained, recipe: api.state().recipe };
      assert.ok(before.explained.length >= 1);
      const bytes = await api.saveSession();
      assert.ok(bytes instanceof Uint8Array);
      assert.equal(Buffer.from(bytes.slice(0, 8)).toString('latin1'), 'RCLSESS\n');
      // Change the exploration, then reopen the file: every view is back, the selection and explanations too.
      await api.goTo(0);
      await api.run({ embedding: 'pca' });
      const r = await api.loadSession(bytes);
      assert.equal(r.node, before.crumbs[before.crumbs.length - 1].id);
      assert.deepEqual(api.breadcrumbs(), before.crumbs);
      assert.deepEqual(Array.from(api.labels()), before.labels);
      assert.deepEqual(Array.from(api.embedding()), before.map);
      // The same tree of views (node ids are renumbered: views detached by re-runs are not saved).
      const noIds = (h) => JSON.stringify(h, (k, v) => (k === 'id' ? undefined : v));
      assert.equal(noIds(api.hierarchy()), noIds(before.hierarchy));
      assert.deepEqual(api.state().explained, before.explained);
      assert.deepEqual(api.state().recipe, before.recipe);
      assert.equal(api.state().busy, false);
      // The selection view (which links cannot carry) comes back from the file.
      assert.ok(JSON.stringify(api.hierarchy()).includes('selection 1 (20 rows)'));
      const bad = bytes.slice();
      bad[bad.length >> 1] ^= 1;
      await assert.rejects(api.loadSession(bad), /damaged/);
      await assert.rejects(api.loadSession(bytes.slice(0, 1000)), /damaged|cut short/);
      await assert.rejects(api.loadSession(new Uint8Array([1, 2, 3])), /not a recluster session file/);
      await assert.rejects(api.loadSession('text'), /must be a Uint8Array/);
      assert.deepEqual(Array.from(api.labels()), before.labels, 'a failed load keeps the exploration');
      // The HTML report of the restored exploration: self-contained, a section per view.
      const html = await api.exportReportHtml({ title: 'Wine & co' });
      assert.match(html, /^<!doctype html>/);
      assert.match(html, /<h1>Wine &amp; co<\/h1>/);
      assert.ok(!/https?:\/\//.test(html) && !/<script/.test(html));
      assert.equal((html.match(/<section class="view">/g) || []).length, 3, 'top, zoomed-in and selection views');
      await assert.rejects(api.exportReportHtml({ imageWidth: -1 }), /whole number from 0 to 4096/);
      await api.goTo(0);
    });

    await t.test('k-means, Gaussian mixture, metrics, k sweep and k-distance', async () => {
      const km = await api.run({ embedding: 'pca', cluster: 'kmeans', n_clusters: 3, cluster_space: 'features' });
      assert.equal(km.clustering.method, 'kmeans');
      assert.equal(km.clustering.space_dims, 13);
      assert.equal(km.clusters, 3);
      assert.equal(api.condensedTree(), null, 'no condensed tree without HDBSCAN');
      results['kmeans_' + variant] = Array.from(api.labels());
      const m = await api.metrics({ truth_column: 'class' });
      assert.equal(m.silhouette.method, 'exact');
      assert.ok(m.silhouette.value > 0 && m.silhouette.value < 1);
      assert.ok(m.davies_bouldin > 0 && m.calinski_harabasz > 0);
      assert.equal(m.dbcv, undefined);
      assert.ok(m.agreement.ari > 0.8, String(m.agreement.ari));
      assert.equal(m.space_dims, 13);
      await assert.rejects(api.metrics({ truth_column: 'nope' }), { message: "metrics: column 'nope' does not exist." });
      const sw = await api.sweep({ k_min: 2, k_max: 6 });
      assert.equal(sw.method, 'kmeans');
      assert.deepEqual(sw.points.map((p) => p.k), [2, 3, 4, 5, 6]);
      assert.ok(Math.abs(sw.points[1].inertia - km.clustering.inertia) < 1e-9 * km.clustering.inertia);
      assert.equal(sw.best_k, 3);
      await assert.rejects(api.sweep({ k_min: 5, k_max: 2 }), /k_min <= k_max/);
      const g = await api.run({ embedding: 'pca', cluster: 'gmm', n_clusters: 3, cluster_space: 'pca', cluster_pca_dims: 4 });
      assert.equal(g.clustering.method, 'gmm');
      assert.ok(g.clustering.bic > 0);
      const gs = await api.sweep({ k_min: 1, k_max: 4 });
      assert.equal(gs.method, 'gmm');
      assert.ok(gs.points.every((p) => typeof p.bic === 'number' && p.inertia === null));
      const db = await api.run({ embedding: 'pca', cluster: 'dbscan', dbscan_eps: 0.6 });
      const kd = await api.kDistance(4);
      assert.equal(kd.k, 4);
      assert.equal(kd.rows, 178);
      for (let i = 1; i < kd.curve.length; i++) assert.ok(kd.curve[i][1] >= kd.curve[i - 1][1]);
      assert.ok(kd.knee > 0);
      const dm = await api.metrics();
      assert.equal(typeof dm.dbcv.value, 'number', 'DBCV for DBSCAN');
      assert.equal(dm.noise_rows, db.clustering.noise);
      assert.equal(api.state().analysis, undefined, 'no analysis left running');
      await assert.rejects(api.kDistance(0), /k must be from 1/);
    });

    await t.test('column roles: text embedded by TF-IDF + LSA, categories, links and sessions keep the setup', async () => {
      const topics = [['battery', 'screen', 'charger', 'phone', 'signal'], ['pasta', 'garlic', 'cheese', 'dinner', 'oven'],
        ['goal', 'match', 'coach', 'league', 'season']];
      let csv = 'review,plan,score\n';
      for (let i = 0; i < 150; i++) {
        const w = topics[i % 3];
        csv += `"${w[i % 5]} ${w[(i + 2) % 5]}, really ${w[(i + 3) % 5]} number ${i}",${['free', 'pro'][i % 2]},${i % 10}\n`;
      }
      // Free text beside a numeric column stays an identifier until the user gives it the role 'text'.
      await api.loadCsvText(csv, 'reviews.csv');
      let st = api.state();
      const role = (name) => st.dataset.columns.find((c) => c.name === name).role;
      assert.equal(role('review'), 'identifier');
      assert.equal(role('plan'), 'label');
      assert.deepEqual(st.feature_columns, ['score']);
      assert.deepEqual(st.data_setup, {});
      assert.throws(() => api.topTerms(), /No column has the role 'text'/);
      const ds = await api.setColumnRoles({ review: 'text', score: 'ignore', plan: 'category' }, { textDims: 8 });
      st = api.state();
      assert.equal(ds.columns.find((c) => c.name === 'review').role, 'text');
      assert.deepEqual(st.data_setup, { roles: { plan: 'category', review: 'text', score: 'ignore' }, text_dims: 8 });
      assert.deepEqual(st.feature_columns.slice(8), ['plan=free', 'plan=pro']);
      assert.deepEqual(st.feature_columns.slice(0, 8), [1, 2, 3, 4, 5, 6, 7, 8].map((j) => 'review:lsa' + j));
      const derived = st.dataset.columns.find((c) => c.name === 'review:lsa1');
      assert.equal(derived.derived_from, 'review');
      const r = await api.run({ embedding: 'pca', cluster: 'kmeans', n_clusters: 3, seed: 5, columns: st.feature_columns.slice(0, 8) });
      assert.equal(r.clusters, 3);
      const words = api.topTerms('review', 3);
      assert.equal(words.column, 'review');
      const lead = words.clusters.map((c) => topics.findIndex((t) => t.includes(c.terms[0].term)));
      assert.deepEqual([...lead].sort(), [0, 1, 2], 'each cluster leads with its own topic: ' + JSON.stringify(words));
      results['text_' + variant] = Array.from(api.labels());
      // New rows go through the data's TF-IDF + LSA: a fresh review of each topic lands in that topic's cluster.
      await api.explain();
      const textLabels = Array.from(api.labels());
      const fresh = await api.predictCsvText('review,plan\n' + topics.map((w) => `"${w[0]} ${w[2]}, so ${w[3]} today",pro\n`).join(''));
      assert.deepEqual(fresh.path, [0, 1, 2].map((g) => String(textLabels[g])));
      // The setup travels in share states and session files.
      const state = api.shareState();
      assert.deepEqual(state.setup, st.data_setup);
      const bytes = await api.saveSession();
      await api.loadCsvText(wine, 'wine.csv');
      await api.loadSession(bytes);
      assert.deepEqual(api.state().data_setup, st.data_setup);
      assert.deepEqual(Array.from(api.labels()), results['text_' + variant]);
      await api.setColumnRoles({ plan: null, score: null, review: null }, { textDims: 100 });
      assert.deepEqual(api.state().data_setup, {});
      await api.openShareState(state);
      assert.deepEqual(api.state().data_setup, st.data_setup, 'the link re-reads the data with its roles');
      assert.deepEqual(Array.from(api.labels()), results['text_' + variant]);
      // One-hot features predict new rows (a level they lack is zeros).
      await api.setColumnRoles({ plan: 'category', review: null, score: null });
      await api.run({ embedding: 'pca', cluster: 'kmeans', n_clusters: 2, seed: 1, columns: ['score', 'plan=free', 'plan=pro'] });
      await api.explain();
      const pred = await api.predictCsvText('review,plan,score\nx,free,3\ny,free,9\n');
      assert.equal(pred.rows, 2);
      assert.ok(pred.path.every((p) => /^\d/.test(p)), JSON.stringify(pred));
      await api.setColumnRoles({ plan: 'category', review: 'text', score: 'ignore' });
      // Bad roles reject with the reason and keep the data.
      await assert.rejects(api.setColumnRoles({ plan: 'feature' }), /Column 'plan' holds text: it cannot have the role 'feature'/);
      await assert.rejects(api.setColumnRoles({ nope: 'label' }), /there is no column 'nope'/);
      await assert.rejects(api.loadCsvText(csv, 'x.csv', { roles: { review: 'colour' } }), /unknown role "colour"/);
      assert.deepEqual(api.state().data_setup, st.data_setup);
      // A file with no feature is refused (the exploration stays) until opened to choose roles.
      await assert.rejects(api.loadCsvText('name,city\nann,paris\nbob,rome\n', 'people.csv'), /people.csv has no column to use as a feature/);
      assert.equal(api.state().dataset.name, 'reviews.csv');
      assert.equal(api.state().can_open_without_features, true);
      const opened = await api.openWithoutFeatures();
      assert.equal(opened.name, 'people.csv');
      assert.equal(api.state().has_embedding, false);
    });

    await t.test('streamed files read exactly like text; a file over the memory limit is refused with a sample that fits', async () => {
      let csv = 'id,x,y,code\n';
      let s = 11;
      const next = () => { s = (s * 1103515245 + 12345) % 2147483648; return s / 2147483648; };
      for (let i = 0; i < 60000; i++) csv += `${i},${(next() * 10 + (i % 3) * 20).toFixed(4)},${(next() * 10).toFixed(4)},${i < 50000 ? i % 9 : 'c' + (i % 9)}\n`;
      assert.ok(csv.length > 1.2e6, String(csv.length));  // several 4 MB slices are not needed: the reader waits for 256 KB
      await api.loadCsvText(csv, 'stream.csv', {});
      await api.run({ embedding: 'pca', cluster: 'kmeans', n_clusters: 3, seed: 2 });
      const textState = api.state();
      const textEmbedding = Array.from(api.embedding());
      await api.loadCsvText(wine, 'wine.csv');
      await api.loadFile(new Blob([csv]), { stream: true, name: 'stream.csv' });
      await api.run({ embedding: 'pca', cluster: 'kmeans', n_clusters: 3, seed: 2 });
      const st = api.state();
      assert.equal(st.dataset.fingerprint, textState.dataset.fingerprint);
      assert.equal(st.dataset.rows, 60000);
      assert.deepEqual(st.dataset.columns, textState.dataset.columns, 'the late text column is read again from the stream');
      assert.deepEqual(Array.from(api.embedding()), textEmbedding);
      assert.equal(st.data_kept, false, 'a stream is not kept');
      // A stream can be cancelled while it reads: the exploration on screen stays.
      const big = new Blob(Array.from({ length: 40 }, () => csv));
      await api.setMemoryLimit(1e12);  // not refused: read, then cancelled
      const cancelled = api.loadFile(big, { stream: true, name: 'cancelled.csv' }).then(() => 'resolved', (e) => e.message);
      await new Promise((resolve) => setTimeout(resolve, 30));
      api.cancel();
      assert.equal(await cancelled, 'Cancelled.');
      assert.equal(api.state().dataset.name, 'stream.csv');
      // Over the memory limit: refused before reading, the exploration stays, a sample loads.
      await api.setMemoryLimit(20e6);
      await assert.rejects(api.loadFile(new Blob([csv]), { stream: true, name: 'big.csv' }),
        /big\.csv needs about \d+ MB of memory \(about [\d,]+ rows x 4 columns\), more than the 20 MB this browser tab can still use: load a sample of [\d,]+ rows/);
      const refused = api.state();
      assert.equal(refused.dataset.name, 'stream.csv');
      assert.ok(refused.suggested_sample > 1000 && refused.suggested_sample < 60000, String(refused.suggested_sample));
      const sample = await api.loadSample();
      assert.ok(Math.abs(sample.rows - refused.suggested_sample) < refused.suggested_sample * 0.1, `${sample.rows} rows`);
      assert.equal(api.state().data_setup.sample_rows, refused.suggested_sample);
      assert.ok(api.state().dataset.warnings.some((w) => /^a sample of [\d]+ rows/.test(w)));
      results['sample_' + variant] = Array.from(api.state().dataset.columns.map((c) => c.mean));
      await api.setMemoryLimit(0);

      // Every row of the sampled file gets its cluster path: streamed from the file the sample came from, in the same
      // order and with the same paths as predicting the whole text at once.
      await api.run({ embedding: 'pca', cluster: 'kmeans', n_clusters: 3, seed: 2 });
      assert.equal(api.state().can_assign, false);
      await assert.rejects(api.assignFile(), /explain every cluster of the top view first/);
      await api.explain(undefined, { rounds: 20 });
      assert.equal(api.state().can_assign, true);
      const assigned = await api.assignFile();
      assert.equal(assigned.name, 'big.csv');
      assert.equal(assigned.rows, 60000);
      const lines = (await assigned.csv.text()).trim().split('\n');
      assert.equal(lines[0], 'row,path,confidence,probability');
      assert.equal(lines.length, 60001);
      const paths = lines.slice(1).map((l) => l.split(','));
      assert.ok(paths.every((p, i) => Number(p[0]) === i), 'every row once, in order');
      const whole = await api.predictCsvText(csv);
      assert.deepEqual(paths.map((p) => p[1]), whole.path);
      assert.equal(assigned.paths.reduce((a, p) => a + p.rows, 0), 60000);
      assert.deepEqual(api.state().assignment.rows, 60000);
      results['assign_' + variant] = paths.map((p) => p[1] + ':' + p[2]).join(' ');
      // A file the models cannot read: a readable refusal, the exploration stays.
      await assert.rejects(api.assignFile(new Blob(['id,x\n1,2\n']), { name: 'other.csv' }),
        /^Error: Assigning the rows of other\.csv: the new rows have no numeric column 'y' \(the models need it\)$/);
      assert.equal(api.state().dataset.name, 'big.csv');
      assert.match(api.state().error, /Assigning the rows of other\.csv/);
      // A long assignment can be cancelled.
      const body = csv.slice(csv.indexOf('\n') + 1);
      const long = api.assignFile(new Blob([csv, ...Array.from({ length: 40 }, () => body)]), { name: 'long.csv' })
        .then(() => 'resolved', (e) => e.message);
      await new Promise((resolve) => setTimeout(resolve, 30));
      api.cancel();
      assert.equal(await long, 'Cancelled.');
      assert.equal(api.state().has_embedding, true);
    });

    await t.test('wide data: randomized PCA pre-reduction, correlation metric, report fields', async () => {
      await api.loadCsvText(wideCsv(), 'wide.csv');
      const r = await api.run({ pca_dims: 20, pca_solver: 'randomized', metric: 'correlation', n_epochs: 60, seed: 3 });
      assert.equal(r.pca_solver, 'randomized');
      assert.equal(r.explained_variance_ratio.length, 20);
      assert.equal(r.umap.init, 'spectral');
      assert.equal(r.umap.neighbor_method, 'exact');
      assert.equal(r.recipe.metric, 'correlation');
      assert.equal(r.recipe.seed, 3);
      for (const k of ['scale', 'pca', 'knn', 'umap', 'total']) assert.equal(typeof r.timings_ms[k], 'number', k);
      // Memory: the heap (its peak so far) holds at least what is allocated, which holds at least the 400 x 128 data.
      assert.ok(r.memory.wasm_heap_bytes >= r.memory.allocated_bytes && r.memory.allocated_bytes > 400 * 128 * 4, JSON.stringify(r.memory));
      results['wide_' + variant] = Array.from(api.embedding());
      assert.equal(results['wide_' + variant].length, 800);
    });
  });
}

test('threaded, single-threaded and native builds give bit-identical embeddings', () => {
  assert.ok(results.mt && results.st, 'both builds ran');
  assert.deepEqual(results.mt, results.st);
  // UMAP: identical in both WASM builds (native libm may round pow() differently, so only PCA is compared there).
  assert.deepEqual(results.umap_mt, results.umap_st);
  assert.deepEqual(results.threads_mt, results.threads_st, 'NN-descent with its forest: the same map in both builds');
  assert.deepEqual(results.labels_mt, results.labels_st);
  assert.deepEqual(results.wide_mt, results.wide_st);
  assert.deepEqual(results.kmeans_mt, results.kmeans_st);
  assert.deepEqual(results.drill_mt, results.drill_st, 'the same drill in both builds');
  assert.deepEqual(results.stability_mt, results.stability_st, 'the same stability report in both builds');
  assert.deepEqual(results.explain_mt, results.explain_st, 'the same explanations in both builds');
  assert.deepEqual(results.share_mt, results.share_st, 'a reopened share state gives the same map in both builds');
  assert.deepEqual(results.text_mt, results.text_st, 'the same text features and clusters in both builds');
  assert.deepEqual(results.sample_mt, results.sample_st, 'the same row sample in both builds');
  assert.ok(results.assign_mt && results.assign_mt === results.assign_st, 'the same assigned paths in both builds');
  const cli = path.join(ROOT, 'build', 'native', 'recluster');
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'recluster-cli-'));
  execFileSync(cli, ['run', path.join(ROOT, 'tests', 'data', 'wine.csv'), '--out', out, '--threads', '3', '--embedding', 'pca']);
  const rows = fs.readFileSync(path.join(out, 'embedding.csv'), 'utf8').trim().split('\n').slice(1);
  const native = [];
  for (const line of rows) { const [, x, y] = line.split(','); native.push(Math.fround(+x), Math.fround(+y)); }
  assert.deepEqual(native, results.mt);
  // k-means of the scaled features: the same labels natively.
  execFileSync(cli, ['run', path.join(ROOT, 'tests', 'data', 'wine.csv'), '--out', out, '--threads', '2', '--embedding', 'pca',
    '--cluster', 'kmeans', '--k', '3', '--cluster-space', 'features']);
  const nativeLabels = fs.readFileSync(path.join(out, 'labels.csv'), 'utf8').trim().split('\n').slice(1).map((l) => Number(l.split(',')[1]));
  assert.deepEqual(nativeLabels, results.kmeans_mt);
  fs.rmSync(out, { recursive: true, force: true });
});
