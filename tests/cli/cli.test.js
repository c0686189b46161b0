// CLI tests: scripts/recluster run writes embedding.csv and summary.json; bad input gives a one-line error
// and a non-zero exit code.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');

const ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(ROOT, 'scripts', 'recluster');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'recluster-cli-test-'));
test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));

function run(...args) {
  return spawnSync(CLI, args, { encoding: 'utf8' });
}

test('run writes embedding.csv and summary.json', () => {
  const out = path.join(tmp, 'wine');
  const r = run('run', path.join(ROOT, 'tests', 'data', 'wine.csv'), '--out', out, '--scale', 'minmax', '--n-epochs', '100');
  assert.equal(r.status, 0, r.stderr);
  const lines = fs.readFileSync(path.join(out, 'embedding.csv'), 'utf8').trim().split('\n');
  assert.equal(lines[0], 'row,x,y');
  assert.equal(lines.length, 179);
  assert.match(lines[5], /^4,-?[0-9.e-]+,-?[0-9.e-]+$/);
  const summary = JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8'));
  assert.equal(summary.rows, 178);
  // The data's fingerprint (share links check it): SHA-256 of the file's bytes.
  assert.equal(summary.fingerprint, require('node:crypto').createHash('sha256').update(fs.readFileSync(path.join(ROOT, 'tests', 'data', 'wine.csv'))).digest('hex'));
  assert.equal(summary.columns_used.length, 13);
  assert.equal(summary.recipe.scale, 'minmax');
  for (const k of ['load', 'scale', 'knn', 'umap']) assert.equal(typeof summary.timings_ms[k], 'number', k);
  assert.equal(summary.recipe.embedding, 'umap');
  assert.equal(summary.recipe.n_epochs, 100);
  assert.equal(summary.umap.neighbor_method, 'exact');
  assert.equal(summary.umap.n_epochs, 100);
});

test('HDBSCAN flags reach the recipe; labels.csv and metrics.json describe the clusters', () => {
  const out = path.join(tmp, 'hdbscan');
  const r = run('run', path.join(ROOT, 'tests', 'data', 'wine.csv'), '--out', out, '--cluster', 'hdbscan',
    '--min-cluster-size', '12', '--min-samples', '4', '--cluster-selection', 'leaf', '--hdbscan-rules', 'r-dbscan',
    '--truth-column', 'class');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /178 rows x 13 features -> \d+ clusters, \d+ noise rows/);
  const lines = fs.readFileSync(path.join(out, 'labels.csv'), 'utf8').trim().split('\n');
  assert.equal(lines[0], 'row,cluster,probability,outlier_score,x,y');
  assert.equal(lines.length, 179);
  const emb = fs.readFileSync(path.join(out, 'embedding.csv'), 'utf8').trim().split('\n');
  const metrics = JSON.parse(fs.readFileSync(path.join(out, 'metrics.json'), 'utf8'));
  assert.equal(metrics.method, 'hdbscan');
  assert.equal(metrics.min_cluster_size, 12);
  assert.equal(metrics.min_samples, 4);
  assert.equal(metrics.rules, 'r-dbscan');
  assert.ok(metrics.clusters >= 2, JSON.stringify(metrics));
  const counts = new Array(metrics.clusters).fill(0);
  let noise = 0;
  for (let i = 1; i < lines.length; i++) {
    const [row, cluster, prob, score, x, y] = lines[i].split(',');
    assert.equal(Number(row), i - 1);
    const c = Number(cluster);
    if (c < 0) { noise++; assert.equal(Number(prob), 0); } else { counts[c]++; assert.ok(Number(prob) > 0 && Number(prob) <= 1); }
    assert.ok(Number(score) >= 0 && Number(score) <= 1);
    assert.equal(`${x},${y}`, emb[i].split(',').slice(1).join(','));  // same coordinates as embedding.csv
  }
  assert.deepEqual(counts, metrics.sizes);
  assert.equal(noise, metrics.noise);
  for (let c = 1; c < counts.length; c++) assert.ok(counts[c - 1] >= counts[c], 'largest cluster first');
  // Validity indices on the map and agreement with the class column (ARI recomputed here independently).
  const v = metrics.validity;
  assert.ok(v.silhouette.value > -1 && v.silhouette.value <= 1);
  assert.equal(v.silhouette.rows, 178 - noise);
  assert.equal(v.silhouette.method, 'exact');
  assert.ok(v.davies_bouldin > 0 && v.calinski_harabasz > 0);
  assert.ok(v.dbcv.value >= -1 && v.dbcv.value <= 1, 'DBCV for a density clustering');
  assert.equal(v.dbcv.sampled, false);
  const classes = fs.readFileSync(path.join(ROOT, 'tests', 'data', 'wine.csv'), 'utf8').trim().split(/\r?\n/).slice(1)
    .map((l) => l.split(',').pop());
  const ours = lines.slice(1).map((l) => Number(l.split(',')[1]));
  const pairs = (x) => x * (x - 1) / 2;
  const count = (keys) => { const m = new Map(); for (const k of keys) m.set(k, (m.get(k) || 0) + 1); return [...m.values()]; };
  const index = count(ours.map((o, i) => o + '|' + classes[i])).reduce((a, x) => a + pairs(x), 0);
  const sa = count(ours).reduce((a, x) => a + pairs(x), 0), sb = count(classes).reduce((a, x) => a + pairs(x), 0);
  const expected = sa * sb / pairs(178);
  const ari = (index - expected) / ((sa + sb) / 2 - expected);
  assert.equal(metrics.agreement.column, 'class');
  assert.ok(Math.abs(metrics.agreement.ari - ari) < 1e-9, `${metrics.agreement.ari} vs ${ari}`);
  assert.ok(metrics.agreement.nmi > 0 && metrics.agreement.nmi <= 1);
  const noCol = run('run', path.join(ROOT, 'tests', 'data', 'wine.csv'), '--out', path.join(tmp, 'nocol'), '--truth-column', 'nope');
  assert.equal(noCol.status, 1);
  assert.equal(noCol.stderr.trim(), "recluster: error: --truth-column: column 'nope' does not exist");
  // The condensed tree: every row leaves exactly once; child clusters have larger ids than their parents.
  const ct = fs.readFileSync(path.join(out, 'condensed_tree.csv'), 'utf8').trim().split('\n');
  assert.equal(ct[0], 'parent,child,child_is_cluster,lambda,child_size');
  const leaving = new Set();
  let childClusters = 0;
  for (const line of ct.slice(1)) {
    const [parent, child, isCluster, lambda, size] = line.split(',').map(Number);
    assert.ok(lambda >= 0);
    if (isCluster) { assert.ok(child > parent); childClusters++; } else { assert.equal(size, 1); leaving.add(child); }
  }
  assert.equal(leaving.size, 178);
  assert.equal(metrics.condensed_tree.clusters, childClusters + 1, 'root + child clusters');
  const summary = JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8'));
  assert.equal(summary.recipe.cluster_selection, 'leaf');
  assert.equal(typeof summary.timings_ms.cluster, 'number');
  assert.deepEqual(summary.clustering, metrics);
  const db = run('run', path.join(ROOT, 'tests', 'data', 'iris.csv'), '--out', path.join(tmp, 'db'), '--cluster', 'dbscan', '--eps', '0.6');
  assert.equal(db.status, 0, db.stderr);
  const dbm = JSON.parse(fs.readFileSync(path.join(tmp, 'db', 'metrics.json'), 'utf8'));
  assert.equal(dbm.method, 'dbscan');
  assert.equal(dbm.eps, 0.6);
  assert.equal(dbm.min_samples, 5);
  assert.equal(dbm.sizes.reduce((a, b) => a + b, 0) + dbm.noise, 150);
  const kd = fs.readFileSync(path.join(tmp, 'db', 'k_distance.csv'), 'utf8').trim().split('\n');
  assert.equal(kd[0], 'rank,distance');
  assert.equal(kd.length, 151);
  const dist = kd.slice(1).map((l) => Number(l.split(',')[1]));
  for (let i = 1; i < dist.length; i++) assert.ok(dist[i] >= dist[i - 1], 'sorted');
  assert.equal(dbm.k_distance.k, 4);
  assert.ok(dist.includes(dbm.k_distance.knee) || dist.some((d) => Math.abs(d - dbm.k_distance.knee) < 1e-5));
  const noEps = run('run', path.join(ROOT, 'tests', 'data', 'iris.csv'), '--out', path.join(tmp, 'db2'), '--cluster', 'dbscan');
  assert.equal(noEps.status, 1);
  assert.equal(noEps.stderr.trim(), 'recluster: error: recipe.dbscan_eps must be > 0 with cluster "dbscan" (the neighbourhood radius in map units).');
  const none = run('run', path.join(ROOT, 'tests', 'data', 'iris.csv'), '--out', path.join(tmp, 'none'), '--cluster', 'none');
  assert.equal(none.status, 0, none.stderr);
  assert.equal(JSON.parse(fs.readFileSync(path.join(tmp, 'none', 'metrics.json'), 'utf8')).clusters, 1);
  const bad = run('run', path.join(ROOT, 'tests', 'data', 'iris.csv'), '--out', path.join(tmp, 'bad'), '--min-cluster-size', '1');
  assert.equal(bad.status, 1);
  assert.equal(bad.stderr.trim(), 'recluster: error: recipe.min_cluster_size must be 0 (automatic) or an integer >= 2.');
  const badSel = run('run', path.join(ROOT, 'tests', 'data', 'iris.csv'), '--out', path.join(tmp, 'bad'), '--cluster-selection', 'best');
  assert.equal(badSel.stderr.trim(), 'recluster: error: recipe.cluster_selection must be "eom" or "leaf".');
});

test('k-means, Gaussian mixture, clustering spaces and the k sweep from the CLI', () => {
  const wine = path.join(ROOT, 'tests', 'data', 'wine.csv');
  const km = run('run', wine, '--out', path.join(tmp, 'km'), '--embed', 'pca', '--cluster', 'kmeans', '--k', '3',
    '--cluster-space', 'features', '--sweep', '2:6', '--truth-column', 'class');
  assert.equal(km.status, 0, km.stderr);
  const m = JSON.parse(fs.readFileSync(path.join(tmp, 'km', 'metrics.json'), 'utf8'));
  assert.equal(m.method, 'kmeans');
  assert.equal(m.k, 3);
  assert.equal(m.clusters, 3);
  assert.equal(m.space, 'features');
  assert.equal(m.space_dims, 13);
  assert.equal(m.noise, 0);
  assert.equal(m.validity.dbcv, undefined, 'DBCV only for density clusterings');
  assert.ok(m.agreement.ari > 0.8, `k-means on the 13 z-scored wine features finds the cultivars (ARI ${m.agreement.ari})`);
  const sweep = fs.readFileSync(path.join(tmp, 'km', 'sweep.csv'), 'utf8').trim().split('\n');
  assert.equal(sweep[0], 'k,inertia,silhouette,bic,log_likelihood');
  assert.equal(sweep.length, 6);
  const inertia = sweep.slice(1).map((l) => Number(l.split(',')[1]));
  for (let i = 1; i < inertia.length; i++) assert.ok(inertia[i] < inertia[i - 1], 'inertia falls with k');
  const k3 = sweep.find((l) => l.startsWith('3,')).split(',');
  assert.ok(Math.abs(Number(k3[1]) - m.inertia) / m.inertia < 1e-6, 'the sweep at k=3 is the run itself');
  assert.equal(m.sweep.best_k, 3);
  const g = run('run', wine, '--out', path.join(tmp, 'gmm'), '--embed', 'pca', '--cluster', 'gmm', '--k', '3',
    '--cluster-space', 'pca', '--cluster-pca-dims', '4', '--covariance', 'diag', '--sweep', '1:4');
  assert.equal(g.status, 0, g.stderr);
  const gm = JSON.parse(fs.readFileSync(path.join(tmp, 'gmm', 'metrics.json'), 'utf8'));
  assert.equal(gm.method, 'gmm');
  assert.equal(gm.space, 'pca');
  assert.equal(gm.space_dims, 4);
  assert.ok(gm.bic > 0 && gm.log_likelihood < 0);
  const rows = fs.readFileSync(path.join(tmp, 'gmm', 'labels.csv'), 'utf8').trim().split('\n').slice(1);
  for (const r of rows) {
    const p = Number(r.split(',')[2]);
    assert.ok(p >= 1 / 3 - 1e-6 && p <= 1, 'probability = the responsibility of the chosen component');
  }
  assert.equal(gm.recipe, undefined);
  const gs = JSON.parse(fs.readFileSync(path.join(tmp, 'gmm', 'summary.json'), 'utf8'));
  assert.equal(gs.recipe.gmm_covariance, 'diag');
  assert.equal(gs.recipe.cluster_pca_dims, 4);
  assert.equal(typeof gs.timings_ms.cluster_pca, 'number', 'the PCA space was computed (PCA embedding has 2 components)');
  const errors = [
    [['--cluster', 'kmeans', '--k', '500'], 'recluster: error: k = 500 clusters is more than the 178 rows.'],
    [['--cluster', 'gmm', '--covariance', 'spherical'], 'recluster: error: recipe.gmm_covariance must be "full" or "diag".'],
    [['--cluster-space', 'raw'], 'recluster: error: recipe.cluster_space must be "embedding", "pca" or "features".'],
  ];
  for (const [args, message] of errors) {
    const r = run('run', wine, '--out', path.join(tmp, 'bad'), '--embed', 'pca', ...args);
    assert.equal(r.status, 1, args.join(' '));
    assert.equal(r.stderr.trim(), message);
  }
  const badSweep = run('run', wine, '--out', path.join(tmp, 'bad'), '--sweep', '5');
  assert.equal(badSweep.status, 2);
  assert.match(badSweep.stderr, /--sweep needs A:B/);
});

test('--depth builds the hierarchy: labels.csv path, hierarchy.json, one map per node', () => {
  const out = path.join(tmp, 'depth');
  const r = run('run', path.join(ROOT, 'tests', 'data', 'wine.csv'), '--out', out, '--depth', '2', '--min-fraction', '0.05',
    '--n-epochs', '100', '--stability', '1');
  assert.equal(r.status, 0, r.stderr);
  const lines = fs.readFileSync(path.join(out, 'labels.csv'), 'utf8').trim().split('\n');
  assert.equal(lines[0], 'row,cluster,probability,outlier_score,x,y,path');
  const rows = lines.slice(1).map((l) => l.split(','));
  for (const [, cluster, , , , , p] of rows) {
    // Every path starts with the row's top-level cluster (or is top-level noise).
    assert.ok(Number(cluster) < 0 ? p === 'noise' : p === cluster || p.startsWith(cluster + '.'), `${cluster} ${p}`);
  }
  const h = JSON.parse(fs.readFileSync(path.join(out, 'hierarchy.json'), 'utf8'));
  assert.equal(h.rows, 178);
  assert.ok(h.children.length >= 2, 'drilled into the top-level clusters');
  const walk = (n, f) => { f(n); for (const c of n.children) walk(c, f); };
  let nodes = 0;
  walk(h, (n) => {
    nodes++;
    assert.ok(n.depth <= 2);
    if (n.depth > 0) {
      assert.ok(n.rows >= 0.05 * 178, `${n.path}: ${n.rows} rows`);
      // The node's file holds exactly the rows whose path lies below it.
      const file = fs.readFileSync(path.join(out, 'nodes', n.path + '.csv'), 'utf8').trim().split('\n');
      assert.equal(file[0], 'row,x,y,cluster');
      const inFile = file.slice(1).map((l) => Number(l.split(',')[0]));
      const below = rows.filter((x) => x[6].startsWith(n.path + '.')).map((x) => Number(x[0]));
      assert.deepEqual(inFile, below);
      assert.equal(inFile.length, n.rows);
    }
  });
  const summary = JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8'));
  assert.equal(summary.hierarchy.nodes, nodes);
  // --stability: 1 seed + 1 permutation + 1 subsample per view, per-cluster Jaccard and rating.
  const m = JSON.parse(fs.readFileSync(path.join(out, 'metrics.json'), 'utf8'));
  assert.deepEqual(m.stability.runs.map((x) => x.kind), ['seed', 'permutation', 'bootstrap']);
  assert.equal(m.stability.clusters.length, m.clusters);
  for (const c of m.stability.clusters) {
    assert.ok(c.jaccard >= 0 && c.jaccard <= 1);
    assert.equal(c.rating, c.jaccard >= 0.85 ? 'stable' : c.jaccard >= 0.6 ? 'fair' : 'unstable');
  }
  assert.deepEqual(h.stability, m.stability);
  walk(h, (n) => { if (n.computed && n.path !== '') assert.ok(n.stability, `stability of ${n.path}`); });
  const bad = run('run', path.join(ROOT, 'tests', 'data', 'wine.csv'), '--out', out, '--depth', '-1');
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--depth must be from 0 to 10/);
});

test('UMAP and PCA flags reach the recipe; bad values are rejected with the recipe message', () => {
  const out = path.join(tmp, 'pca');
  const r = run('run', path.join(ROOT, 'tests', 'data', 'iris.csv'), '--out', out, '--embedding', 'pca');
  assert.equal(r.status, 0, r.stderr);
  const summary = JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8'));
  assert.equal(summary.recipe.embedding, 'pca');
  assert.equal(typeof summary.timings_ms.pca, 'number');
  const u = run('run', path.join(ROOT, 'tests', 'data', 'iris.csv'), '--out', path.join(tmp, 'u2'),
    '--neighbors', '5', '--embed', 'umap', '--min-dist', '0.5', '--metric', 'cosine', '--n-epochs', '20', '--seed', '3');
  assert.equal(u.status, 0, u.stderr);
  const s2 = JSON.parse(fs.readFileSync(path.join(tmp, 'u2', 'summary.json'), 'utf8'));
  assert.equal(s2.recipe.n_neighbors, 5);
  assert.equal(s2.recipe.metric, 'cosine');
  assert.equal(s2.recipe.seed, 3);
  const bad = run('run', path.join(ROOT, 'tests', 'data', 'iris.csv'), '--out', path.join(tmp, 'b'), '--n-neighbors', '1');
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /recipe\.n_neighbors must be an integer from 2 to 200/);
  const junk = run('run', path.join(ROOT, 'tests', 'data', 'iris.csv'), '--out', path.join(tmp, 'j'), '--neighbors', 'ten');
  assert.equal(junk.status, 1);
  assert.match(junk.stderr, /--neighbors needs a number, got 'ten'/);
});

test('thread count does not change the output', () => {
  const a = path.join(tmp, 't1'), b = path.join(tmp, 't3');
  assert.equal(run('run', path.join(ROOT, 'tests', 'data', 'iris.csv'), '--out', a, '--threads', '1').status, 0);
  assert.equal(run('run', path.join(ROOT, 'tests', 'data', 'iris.csv'), '--out', b, '--threads', '3').status, 0);
  assert.equal(fs.readFileSync(path.join(a, 'embedding.csv'), 'utf8'), fs.readFileSync(path.join(b, 'embedding.csv'), 'utf8'));
});

test('bad input: one-line message, exit code 1', () => {
  const cases = [
    ['', /The file is empty/],
    ['a,b\n1,2\n3,4,5\n', /line 3 has 3 fields but the header has 2\./],
    ['name,city\nx,y\n', /No numeric column/],
  ];
  for (const [text, re] of cases) {
    const f = path.join(tmp, 'bad.csv');
    fs.writeFileSync(f, text);
    const r = run('run', f, '--out', path.join(tmp, 'bad'));
    assert.equal(r.status, 1);
    assert.match(r.stderr, re);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  }
  const missing = run('run', path.join(tmp, 'nope.csv'), '--out', path.join(tmp, 'x'));
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /Cannot open/);
  const cols = run('run', path.join(ROOT, 'tests', 'data', 'wine.csv'), '--out', path.join(tmp, 'c'), '--columns', 'class');
  assert.equal(cols.status, 1);
  assert.match(cols.stderr, /not numeric/);
});

test('usage errors exit 2 and print help', () => {
  const r = run('run', '--out', path.join(tmp, 'u'));
  assert.equal(r.status, 2);
  assert.match(r.stderr, /missing input CSV/);
  assert.match(r.stderr, /usage: recluster run/);
  assert.equal(run('frobnicate').status, 2);
  const help = run('--help');
  assert.equal(help.status, 0);
  assert.match(help.stdout, /--scale METHOD/);
});

test('--explain writes one XGBoost JSON model per cluster (and sub-cluster) and the SHAP summary', () => {
  // Blobs inside blobs: three groups 100 apart, the first made of three blobs 12 apart (4 columns).
  let seed = 7;
  const uniform = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) + 0.5) / 2147483648;
  const gauss = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  const lines = ['a,b,c,d'];
  for (const [cx, inner, n] of [[0, [[0, 0], [12, 0], [0, 12]], 120], [100, [[0, 0]], 200], [200, [[0, 0]], 200]])
    for (const [ix, iy] of inner)
      for (let i = 0; i < n; i++) lines.push([cx + ix + gauss(), iy + gauss(), gauss(), gauss()].map((v) => v.toFixed(3)).join(','));
  const csv = path.join(tmp, 'nested.csv');
  fs.writeFileSync(csv, lines.join('\n') + '\n');
  const out = path.join(tmp, 'explain');
  const r = run('run', csv, '--out', out, '--n-epochs', '100', '--min-cluster-size', '60', '--depth', '1',
    '--min-fraction', '0.2', '--explain');
  assert.equal(r.status, 0, r.stderr);
  const index = JSON.parse(fs.readFileSync(path.join(out, 'models', 'index.json'), 'utf8'));
  assert.deepEqual(index.features, ['a', 'b', 'c', 'd']);
  const top = index.models.filter((m) => m.parent === '');
  const metrics = JSON.parse(fs.readFileSync(path.join(out, 'metrics.json'), 'utf8'));
  assert.equal(top.length, metrics.clusters);
  assert.ok(index.models.some((m) => m.parent !== ''), 'sub-cluster models of the drilled views');
  for (const m of index.models) {
    const model = JSON.parse(fs.readFileSync(path.join(out, m.file), 'utf8'));
    assert.equal(model.learner.objective.name, 'binary:logistic');
    assert.deepEqual(model.learner.feature_names, index.features);
    assert.ok(model.learner.gradient_booster.model.trees.length >= 1);
  }
  const summary = JSON.parse(fs.readFileSync(path.join(out, 'shap_summary.json'), 'utf8'));
  assert.equal(summary.length, index.models.length);
  for (const s of summary) {
    if (s.auc !== null) assert.ok(s.auc >= 0 && s.auc <= 1);
    for (let i = 1; i < s.features.length; i++) assert.ok(s.features[i - 1].mean_abs_shap >= s.features[i].mean_abs_shap);
    assert.ok(s.representatives.length > 0);
  }
  // The groups are well separated: the top-level models predict them.
  for (const s of summary.filter((x) => x.parent === '')) assert.ok(s.auc > 0.9, `cluster ${s.path}: AUC ${s.auc}`);
  const run_summary = JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8'));
  assert.equal(typeof run_summary.timings_ms.explain, 'number');
  // predict: the models assign the rows to the paths the run gave them (top-down through the drilled views).
  const preds = path.join(tmp, 'preds.csv');
  const p = run('predict', out, csv, '--out', preds);
  assert.equal(p.status, 0, p.stderr);
  const predicted = fs.readFileSync(preds, 'utf8').trim().split('\n');
  assert.equal(predicted[0], 'row,path,confidence,probability');
  const labelLines = fs.readFileSync(path.join(out, 'labels.csv'), 'utf8').trim().split('\n');
  const pathCol = labelLines[0].split(',').indexOf('path');
  let agree = 0;
  for (let i = 1; i < labelLines.length; i++) {
    const [, pth, conf] = predicted[i].split(',');
    assert.ok(+conf >= 0 && +conf <= 1);
    agree += pth === labelLines[i].split(',')[pathCol];
  }
  assert.ok(agree >= 0.95 * (labelLines.length - 1), `${agree} of ${labelLines.length - 1} rows on their own path`);
  assert.ok(predicted.some((l) => /^\d+,0\.\d+,/.test(l)), 'some rows reach a sub-cluster');
  const narrow = path.join(tmp, 'narrow.csv');
  fs.writeFileSync(narrow, 'a,b,c\n1,2,3\n');
  const missing = run('predict', out, narrow, '--out', preds);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /have no numeric column 'd' \(the models need it\)/);
  const nomodels = run('predict', tmp, narrow, '--out', preds);
  assert.match(nomodels.stderr, /models\/index.json not found/);
  // --export: the labels export with the original columns (what the app's Export labels saves).
  const exported = path.join(tmp, 'export.csv');
  const e = run('run', csv, '--out', path.join(tmp, 'explain2'), '--n-epochs', '100', '--min-cluster-size', '60', '--depth', '1',
    '--min-fraction', '0.2', '--export', exported);
  assert.equal(e.status, 0, e.stderr);
  const ex = fs.readFileSync(exported, 'utf8').trim().split('\n');
  assert.equal(ex[0], 'a,b,c,d,path,probability,outlier_score,map_x,map_y,stability,view');
  assert.equal(ex.length, 761);
  assert.equal(ex[1].split(',')[0], lines[1].split(',')[0], 'original values first');
  const bad = run('run', path.join(ROOT, 'tests', 'data', 'wine.csv'), '--out', out, '--explain-depth', '40');
  assert.notEqual(bad.status, 0);
  assert.match(bad.stderr, /--explain-depth must be from 1 to 12/);
});

test('train: one boosted model for a label column, written for XGBoost, scored on --test', () => {
  const wine = path.join(ROOT, 'tests', 'data', 'wine.csv');
  const model = path.join(tmp, 'wine_model.json');
  const r = run('train', wine, '--target', 'class', '--positive', 'class_0', '--out', model, '--test', wine,
    '--rounds', '20', '--depth', '3', '--threads', '1');
  assert.equal(r.status, 0, r.stderr);
  const s = JSON.parse(r.stdout);
  assert.equal(s.rows, 178);
  assert.equal(s.features, 13);
  assert.equal(s.positives, 59);
  assert.equal(s.rounds, 20);
  assert.ok(s.test_auc > 0.99, String(s.test_auc));
  const m = JSON.parse(fs.readFileSync(model, 'utf8'));
  assert.equal(m.learner.gradient_booster.model.trees.length, 20);
  assert.equal(m.learner.feature_names.length, 13);
  const none = run('train', wine, '--target', 'class', '--positive', 'nope', '--out', model);
  assert.equal(none.status, 1);
  assert.match(none.stderr, /is never true/);
  const usage = run('train', wine, '--target', 'class');
  assert.equal(usage.status, 2);
  assert.match(usage.stderr, /train needs DATA.csv, --target, --positive and --out/);
  const bad = run('train', wine, '--target', 'class', '--positive', 'class_0', '--out', model, '--eta', '0');
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /eta must be in \(0, 1\]/);
});

test('sessions and share states: --save-session reopens without recomputing; --open-state replays bit for bit', () => {
  const wine = path.join(ROOT, 'tests', 'data', 'wine.csv');
  const a = path.join(tmp, 'session_a');
  const file = path.join(tmp, 'wine.recluster');
  const state = path.join(tmp, 'wine_state.json');
  const r = run('run', wine, '--out', a, '--n-epochs', '100', '--depth', '1', '--min-fraction', '0.2', '--explain',
    '--explain-rounds', '10', '--save-session', file, '--share-state', state, '--threads', '2');
  assert.equal(r.status, 0, r.stderr);
  assert.equal(fs.readFileSync(file).subarray(0, 8).toString('latin1'), 'RCLSESS\n');
  const st = JSON.parse(fs.readFileSync(state, 'utf8'));
  assert.equal(st.fp, JSON.parse(fs.readFileSync(path.join(a, 'summary.json'), 'utf8')).fingerprint);
  assert.ok(st.views.length >= 2, 'the top view and at least one zoomed-in view');
  const labels = fs.readFileSync(path.join(a, 'labels.csv'), 'utf8');
  assert.match(labels.split('\n')[0], /,path$/);
  // The session file: the same labels and explanations, and no embedding, clustering or explaining time.
  const b = path.join(tmp, 'session_b');
  const s = run('run', file, '--out', b, '--explain');
  assert.equal(s.status, 0, s.stderr);
  assert.equal(fs.readFileSync(path.join(b, 'labels.csv'), 'utf8'), labels);
  assert.equal(fs.readFileSync(path.join(b, 'shap_summary.json'), 'utf8'), fs.readFileSync(path.join(a, 'shap_summary.json'), 'utf8'));
  assert.equal(JSON.parse(fs.readFileSync(path.join(b, 'summary.json'), 'utf8')).timings_ms.explain, 0);
  // The share state on the same CSV: every view recomputed to the same labels, with one thread.
  const c = path.join(tmp, 'session_c');
  const o = run('run', wine, '--out', c, '--open-state', state, '--threads', '1');
  assert.equal(o.status, 0, o.stderr);
  assert.equal(fs.readFileSync(path.join(c, 'labels.csv'), 'utf8'), labels);
  // Other data, a damaged session file, a damaged state: one line and exit code 1.
  const other = run('run', path.join(ROOT, 'tests', 'data', 'iris.csv'), '--out', c, '--open-state', state);
  assert.equal(other.status, 1);
  assert.match(other.stderr, /not the file the link was made with/);
  const bytes = fs.readFileSync(file);
  bytes[bytes.length >> 1] ^= 1;
  fs.writeFileSync(path.join(tmp, 'bad.recluster'), bytes);
  const damaged = run('run', path.join(tmp, 'bad.recluster'), '--out', c);
  assert.equal(damaged.status, 1);
  assert.match(damaged.stderr, /damaged/);
  fs.writeFileSync(path.join(tmp, 'bad_state.json'), '{"v":1,');
  const badState = run('run', wine, '--out', c, '--open-state', path.join(tmp, 'bad_state.json'));
  assert.equal(badState.status, 1);
  assert.match(badState.stderr, /--open-state: The link is damaged/);
});

test('--report writes a self-contained HTML report; --png the map at the chosen size', () => {
  const out = path.join(tmp, 'report');
  const report = path.join(tmp, 'wine_report.html');
  const png = path.join(tmp, 'wine_map.png');
  const r = run('run', path.join(ROOT, 'tests', 'data', 'wine.csv'), '--out', out, '--n-epochs', '100', '--explain',
    '--explain-rounds', '10', '--report', report, '--png', png, '--png-size', '640x400');
  assert.equal(r.status, 0, r.stderr);
  const html = fs.readFileSync(report, 'utf8');
  assert.match(html, /^<!doctype html>/);
  assert.match(html, /<h1>recluster report: wine\.csv<\/h1>/);
  assert.ok(!/https?:\/\//.test(html) && !/<script/.test(html), 'no external reference, no script');
  const clusters = JSON.parse(fs.readFileSync(path.join(out, 'metrics.json'), 'utf8')).clusters;
  assert.equal((html.match(/<section class="cluster">/g) || []).length, clusters);
  assert.equal((html.match(/<svg class="shap"/g) || []).length, clusters);
  // The PNG: signature, IHDR 640 x 400 RGB, and IDAT that inflates to 400 rows of 1 + 640 x 3 bytes.
  const b = fs.readFileSync(png);
  assert.equal(b.subarray(0, 8).toString('latin1'), '\x89PNG\r\n\x1a\n');
  assert.equal(b.readUInt32BE(16), 640);
  assert.equal(b.readUInt32BE(20), 400);
  const idat = [];
  for (let p = 8; p < b.length;) {
    const len = b.readUInt32BE(p);
    if (b.subarray(p + 4, p + 8).toString('latin1') === 'IDAT') idat.push(b.subarray(p + 8, p + 8 + len));
    p += 12 + len;
  }
  const raw = require('node:zlib').inflateSync(Buffer.concat(idat));
  assert.equal(raw.length, 400 * (1 + 640 * 3));
  const bad = run('run', path.join(ROOT, 'tests', 'data', 'wine.csv'), '--out', out, '--png', png, '--png-size', '10x10');
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /--png-size must be WIDTHxHEIGHT/);
});

test('ingest options: bad rows stop with the line (or are skipped), decimal comma and header-less files', () => {
  const out = path.join(tmp, 'ingest');
  const ragged = path.join(tmp, 'ragged.csv');
  fs.writeFileSync(ragged, 'a,b\n1,2\n3\n4,5\n6,7\n8,9\n');
  const stop = run('run', ragged, '--out', out, '--embed', 'pca');
  assert.equal(stop.status, 1);
  assert.equal(stop.stderr.trim().split('\n').length, 1, 'one line');
  assert.match(stop.stderr, /line 3 has 1 field but the header has 2\. \(--skip-bad-rows loads the other rows\)/);
  const skip = run('run', ragged, '--out', out, '--embed', 'pca', '--skip-bad-rows');
  assert.equal(skip.status, 0, skip.stderr);
  assert.match(skip.stderr, /warning: 1 row with the wrong number of fields skipped \(line 3\)/);
  assert.equal(JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8')).rows, 4);
  const comma = path.join(tmp, 'comma.csv');
  fs.writeFileSync(comma, 'x;y\n1,5;2\n2,5;3\n3,5;1\n4,5;0\n');
  const c = run('run', comma, '--out', out, '--embed', 'pca');
  assert.equal(c.status, 0, c.stderr);
  assert.match(c.stderr, /decimal comma/);
  assert.equal(JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8')).columns_used.length, 2);
  const forced = run('run', comma, '--out', out, '--embed', 'pca', '--decimal', 'point');
  assert.equal(forced.status, 0, forced.stderr);
  assert.deepEqual(JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8')).columns_used, ['y']);
  const bare = path.join(tmp, 'bare.csv');
  fs.writeFileSync(bare, '1,2\n3,4\n5,7\n8,1\n');
  const b = run('run', bare, '--out', out, '--embed', 'pca');
  assert.equal(b.status, 0, b.stderr);
  assert.deepEqual(JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8')).columns_used, ['col1', 'col2']);
  assert.equal(run('run', bare, '--out', out, '--decimal', 'x').status, 2);
});

test('column roles: detected keys, labels and vectors; --role category / text; top_terms.json; bad roles', () => {
  const out = path.join(tmp, 'roles');
  // 90 rows: an id, a vector column holding three well separated groups, a label, a free-text column.
  const words = [['battery', 'screen', 'charger', 'phone'], ['pasta', 'garlic', 'cheese', 'dinner'], ['goal', 'match', 'coach', 'league']];
  let csv = 'id,emb,kind,review\n';
  for (let i = 0; i < 90; i++) {
    const g = i % 3;
    const w = words[g];
    csv += `${i + 1},"[${g * 10 + (i % 7) * 0.1}, ${-g * 5 + (i % 5) * 0.1}, ${(i % 3) * 0.05}]",${['tech', 'food', 'sport'][g]},` +
      `${w[i % 4]} and ${w[(i + 1) % 4]} with ${w[(i + 2) % 4]} today; review ${i}\n`;
  }
  const f = path.join(tmp, 'roles.csv');
  fs.writeFileSync(f, csv);
  const r = run('run', f, '--out', out, '--embed', 'pca', '--truth-column', 'kind');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /column 'id': identifier/);
  assert.match(r.stderr, /column 'emb': vector \(vectors: 3 columns\)/);
  assert.match(r.stderr, /column 'review': identifier \(free text.*'text'/);
  let summary = JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8'));
  assert.deepEqual(summary.columns_used, ['emb[0]', 'emb[1]', 'emb[2]']);
  assert.deepEqual(summary.column_roles, { id: 'identifier', emb: 'vector', kind: 'label', review: 'identifier' });
  assert.equal(JSON.parse(fs.readFileSync(path.join(out, 'metrics.json'), 'utf8')).agreement.ari, 1);
  assert.ok(!fs.existsSync(path.join(out, 'top_terms.json')));

  // The text alone: TF-IDF + LSA features, and each cluster's words.
  const t = run('run', f, '--out', out, '--embed', 'pca', '--role', 'emb=ignore', '--role', 'review=text',
    '--truth-column', 'kind', '--export', path.join(out, 'export.csv'));
  assert.equal(t.status, 0, t.stderr);
  summary = JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8'));
  assert.ok(summary.columns_used.length >= 2 && summary.columns_used.every((c) => /^review:lsa\d+$/.test(c)), summary.columns_used.join());
  assert.deepEqual(summary.data_setup, { roles: { emb: 'ignore', review: 'text' } });
  const terms = JSON.parse(fs.readFileSync(path.join(out, 'top_terms.json'), 'utf8'));
  assert.equal(terms[0].path, '');
  assert.equal(terms[0].columns[0].column, 'review');
  const firstWords = terms[0].columns[0].clusters.map((c) => c.terms[0] && c.terms[0].term);
  const groupOf = (w) => words.findIndex((g) => g.includes(w));
  assert.ok(firstWords.length >= 3 && firstWords.every((w) => groupOf(w) >= 0), firstWords.join());
  assert.equal(new Set(firstWords.map(groupOf)).size, 3, 'each topic leads one cluster');
  // Models on text features read new rows through the run's TF-IDF + LSA (models/text_1.json): 300 reviews of three
  // topics come back to their own clusters, and fresh reviews (no id column) go to their topic's cluster.
  const topicWords = [['battery', 'screen', 'charger', 'phone', 'signal', 'camera'], ['pasta', 'garlic', 'cheese', 'dinner', 'sauce', 'oven'],
    ['goal', 'match', 'coach', 'league', 'striker', 'season']];
  let seed = 1;
  const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const review = (g) => Array.from({ length: 5 }, () => topicWords[g][Math.floor(rnd() * 6)]).join(' ') + ' today';
  let reviews = 'id,review\n', fresh = 'review\n';
  for (let i = 0; i < 300; i++) reviews += `${i + 1},${review(i % 3)}\n`;
  for (let i = 0; i < 30; i++) fresh += `${review(i % 3)} again\n`;
  const rf = path.join(tmp, 'reviews.csv'), ff = path.join(tmp, 'reviews_fresh.csv');
  fs.writeFileSync(rf, reviews);
  fs.writeFileSync(ff, fresh);
  const textDir = path.join(out, 'text');
  const tx = run('run', rf, '--out', textDir, '--embed', 'pca', '--role', 'review=text', '--min-cluster-size', '40',
    '--explain', '--explain-rounds', '20');
  assert.equal(tx.status, 0, tx.stderr);
  const index = JSON.parse(fs.readFileSync(path.join(textDir, 'models', 'index.json'), 'utf8'));
  assert.deepEqual(index.text_models, { review: 'models/text_1.json' });
  assert.deepEqual(index.text_columns, ['review']);
  const pathsIn = (file) => fs.readFileSync(file, 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[1]);
  const runLabels = pathsIn(path.join(textDir, 'labels.csv'));
  assert.equal(new Set(runLabels).size, 3, runLabels.join(' '));
  const again = run('predict', textDir, rf, '--out', path.join(tmp, 'reviews_preds.csv'));
  assert.equal(again.status, 0, again.stderr);
  const predicted = pathsIn(path.join(tmp, 'reviews_preds.csv'));
  assert.equal(predicted.length, 300);
  assert.ok(predicted.filter((p, i) => p === runLabels[i]).length >= 295, predicted.join(' '));
  const fr = run('predict', textDir, ff, '--out', path.join(tmp, 'reviews_fresh_preds.csv'));
  assert.equal(fr.status, 0, fr.stderr);
  const freshPaths = pathsIn(path.join(tmp, 'reviews_fresh_preds.csv'));
  assert.deepEqual(freshPaths, freshPaths.map((_, i) => runLabels[i % 3]));
  // A damaged text model is refused with the file's name, one line.
  fs.writeFileSync(path.join(textDir, 'models', 'text_1.json'), '{"format": "recluster-text-model", "version": 1}');
  const damaged = run('predict', textDir, ff, '--out', path.join(tmp, 'reviews_fresh_preds.csv'));
  assert.equal(damaged.status, 1);
  assert.match(damaged.stderr, /text_1\.json: the text model's fields are missing or of the wrong type\n$/);
  // The labels export holds the file's columns, not the derived ones.
  const header = fs.readFileSync(path.join(out, 'export.csv'), 'utf8').split('\n')[0];
  assert.match(header, /^id,emb,kind,review,path,/);

  // One-hot categories, and the share state carries the setup to --open-state.
  const c = run('run', f, '--out', out, '--embed', 'pca', '--role', 'kind=category', '--role', 'emb=ignore',
    '--share-state', path.join(out, 'state.json'), '--explain', '--explain-rounds', '10');
  assert.equal(c.status, 0, c.stderr);
  // predict reads new rows with the run's roles: the categories expand again (a level the rows lack is zeros).
  const fewer = path.join(tmp, 'roles_food.csv');
  fs.writeFileSync(fewer, csv.split('\n').filter((l, i) => i === 0 || l.includes(',food,')).join('\n') + '\n');
  const pr = run('predict', out, fewer, '--out', path.join(tmp, 'roles_preds.csv'));
  assert.equal(pr.status, 0, pr.stderr);
  assert.equal(fs.readFileSync(path.join(tmp, 'roles_preds.csv'), 'utf8').trim().split('\n').length, 31);
  assert.deepEqual(JSON.parse(fs.readFileSync(path.join(out, 'summary.json'), 'utf8')).columns_used, ['kind=food', 'kind=sport', 'kind=tech']);
  const labels = fs.readFileSync(path.join(out, 'labels.csv'), 'utf8');
  const replay = run('run', f, '--out', path.join(out, 'replay'), '--open-state', path.join(out, 'state.json'));
  assert.equal(replay.status, 0, replay.stderr);
  assert.equal(fs.readFileSync(path.join(out, 'replay', 'labels.csv'), 'utf8'), labels);
  const clash = run('run', f, '--out', path.join(out, 'replay'), '--open-state', path.join(out, 'state.json'), '--role', 'kind=label');
  assert.equal(clash.status, 1);
  assert.match(clash.stderr, /carries its own reader options and column roles/);

  // Roles that cannot apply: one line, exit 1; malformed flags: exit 2.
  const bad = [
    [['--role', 'nope=feature'], /there is no column 'nope'/],
    [['--role', 'kind=feature'], /Column 'kind' holds text: it cannot have the role 'feature'/],
    [['--role', 'id=vector'], /Column 'id' holds numbers: it cannot have the role 'vector'/],
  ];
  for (const [flags, re] of bad) {
    const b = run('run', f, '--out', out, ...flags);
    assert.equal(b.status, 1, flags.join(' '));
    assert.match(b.stderr, re);
    assert.equal(b.stderr.trim().split('\n').length, 1, b.stderr);
  }
  assert.equal(run('run', f, '--out', out, '--role', 'kind=colour').status, 2);
  assert.equal(run('run', f, '--out', out, '--role', 'kind').status, 2);
  assert.equal(run('run', f, '--out', out, '--max-categories', '1').status, 2);
});
