#!/usr/bin/python3
"""One table against every peer (scripts/bench.sh all), measured in one run on this machine. Every tool gets the same
input and the same method: the numeric columns z-scored, PCA to 50 dimensions above 100 features, UMAP with 15
neighbours and min_dist 0.1 (200 epochs above 10,000 rows, else 500), HDBSCAN, and per-cluster boosted trees with
SHAP values ("explain"):
  recluster native    the CLI (`recluster run --truth-column label --explain`)
  recluster WASM      the app in headless Chromium, threaded build (scripts/bench_all_browser.js): drop -> clusters
  umap-learn          numpy.loadtxt + scikit-learn (StandardScaler, PCA) + umap-learn
  R uwot + dbscan     read.csv + scale() + uwot::umap(pca = 50 above 100 features) + dbscan::hdbscan (minPts = our
                      min cluster size; R's HDBSCAN needs O(n^2) memory: up to 20,000 rows)
  python3-xgboost     the explain stage of a notebook: for each of recluster's clusters a one-vs-rest xgboost `hist`
                      model with our explainer's settings (depth 4, eta 0.3, 64 bins, up to 60 rounds with early
                      stopping on a 20% split, at most 20,000 training rows) and exact TreeSHAP (pred_contribs) for 300
                      of the cluster's rows
Each tool runs as its own process: its peak memory is that process's peak RSS (the WASM heap for the browser). Quality
is measured here on every map alike: trustworthiness (k = 15, scikit-learn, 5,000 sampled rows, against the input
the neighbour search saw), 10-NN accuracy of the classes from map positions (5-fold), ARI / NMI of the clusters
against the classes (noise is one more label). Peers are stopped after PEER_TIMEOUT seconds on the largest data.
  scripts/bench_all.py RECLUSTER_CLI DATA.csv [DATA.csv ...]"""
import json, os, signal, subprocess, sys, tempfile, time
import numpy as np

CLI = sys.argv[1]
DATASETS = sys.argv[2:]
TMP = tempfile.mkdtemp(prefix="bench_all_")
PEER_TIMEOUT = int(os.environ.get("PEER_TIMEOUT", "900"))
R_HDBSCAN_MAX_ROWS = 20000


def timed(cmd, timeout=None):
    """Runs cmd under /usr/bin/time: (wall seconds, peak RSS MB, stdout) or None on timeout / failure."""
    t0 = time.perf_counter()
    # Its own process group, so a timeout stops the tool itself, not only /usr/bin/time (the tool would go on using
    # the CPU while the next one is timed).
    p = subprocess.Popen(["/usr/bin/time", "-f", "RSS_KB %M", *cmd], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True, start_new_session=True)
    try:
        out, err = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        p.communicate()
        return None
    wall = time.perf_counter() - t0
    if p.returncode != 0:
        sys.stderr.write(err[-2000:])
        return None
    rss = [l for l in err.splitlines() if l.startswith("RSS_KB ")]
    return wall, (int(rss[-1].split()[1]) / 1024 if rss else float("nan")), out


def read_data(path):
    with open(path) as f:
        header = f.readline().strip().split(",")
    lc = header.index("label")
    cols = [i for i in range(len(header)) if i != lc]
    X = np.loadtxt(path, delimiter=",", skiprows=1, usecols=cols, dtype=np.float32)
    y = np.loadtxt(path, delimiter=",", skiprows=1, usecols=[lc], dtype=str)
    return X, y


def neighbour_input(X):
    from sklearn.decomposition import PCA
    from sklearn.preprocessing import StandardScaler
    Z = StandardScaler().fit_transform(X)
    return PCA(50, random_state=0).fit_transform(Z) if X.shape[1] > 100 else Z


def quality(space, xy, truth, labels):
    from sklearn.manifold import trustworthiness
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score
    from sklearn.model_selection import cross_val_score
    from sklearn.neighbors import KNeighborsClassifier
    n = len(xy)
    idx = np.random.RandomState(0).choice(n, min(n, 5000), replace=False)
    q = {"trust": trustworthiness(space[idx], xy[idx], n_neighbors=15),
         "knn_acc": cross_val_score(KNeighborsClassifier(10), xy, truth, cv=5).mean()}
    if labels is not None:
        q["ari"] = adjusted_rand_score(truth, labels)
        q["nmi"] = normalized_mutual_info_score(truth, labels)
    return q


UMAP_LEARN = r'''
import json, sys, time
import numpy as np
t = {}
t0 = time.perf_counter()
path, out = sys.argv[1], sys.argv[2]
with open(path) as f:
    header = f.readline().strip().split(",")
cols = [i for i, h in enumerate(header) if h != "label"]
X = np.loadtxt(path, delimiter=",", skiprows=1, usecols=cols, dtype=np.float32)
t["load"] = time.perf_counter() - t0
t0 = time.perf_counter()
from sklearn.decomposition import PCA
from sklearn.preprocessing import StandardScaler
Z = StandardScaler().fit_transform(X).astype(np.float32)
if Z.shape[1] > 100:
    Z = PCA(50, random_state=0).fit_transform(Z)
t["pca"] = time.perf_counter() - t0
import umap
umap.UMAP(n_neighbors=15, min_dist=0.1).fit_transform(np.random.RandomState(0).rand(300, 10))  # numba warm-up
t0 = time.perf_counter()
xy = umap.UMAP(n_neighbors=15, min_dist=0.1, random_state=42).fit_transform(Z)
t["umap"] = time.perf_counter() - t0
np.save(out, xy.astype(np.float32))
print(json.dumps({"timings_s": t, "version": umap.__version__}))
'''

UWOT = r'''
args <- commandArgs(trailingOnly = TRUE)
t <- list()
t0 <- Sys.time()
d <- read.csv(args[1])
X <- as.matrix(d[, names(d) != "label"])
t$load <- as.numeric(Sys.time() - t0, units = "secs")
t0 <- Sys.time()
X <- scale(X)
X[is.nan(X)] <- 0
t$scale <- as.numeric(Sys.time() - t0, units = "secs")
suppressMessages(library(uwot))
t0 <- Sys.time()
set.seed(42)
xy <- uwot::umap(X, n_neighbors = 15, min_dist = 0.1, pca = if (ncol(X) > 100) 50 else NULL, n_threads = 2,
                 n_sgd_threads = 2, init = "spectral")
t$umap <- as.numeric(Sys.time() - t0, units = "secs")
labels <- rep(NA, nrow(xy))
if (nrow(xy) <= as.integer(args[4])) {
  suppressMessages(library(dbscan))
  t0 <- Sys.time()
  h <- dbscan::hdbscan(xy, minPts = as.integer(args[3]))
  t$hdbscan <- as.numeric(Sys.time() - t0, units = "secs")
  labels <- h$cluster
}
write.table(cbind(xy, labels), args[2], sep = ",", row.names = FALSE, col.names = FALSE)
cat(sprintf('{"load": %f, "scale": %f, "umap": %f, "hdbscan": %s, "uwot": "%s", "dbscan": "%s"}\n', t$load, t$scale, t$umap,
            if (is.null(t$hdbscan)) "null" else sprintf("%f", t$hdbscan), packageVersion("uwot"),
            tryCatch(as.character(packageVersion("dbscan")), error = function(e) "")))
'''

XGB = r'''
import json, sys, time
import numpy as np
import xgboost as xgb
path, labels_csv = sys.argv[1], sys.argv[2]
with open(path) as f:
    header = f.readline().strip().split(",")
cols = [i for i, h in enumerate(header) if h != "label"]
X = np.loadtxt(path, delimiter=",", skiprows=1, usecols=cols, dtype=np.float32)
lab = np.loadtxt(labels_csv, delimiter=",", skiprows=1, usecols=[1], dtype=int)
rng = np.random.RandomState(42)
t0 = time.perf_counter()
params = {"objective": "binary:logistic", "tree_method": "hist", "max_depth": 4, "eta": 0.3, "max_bin": 64,
          "nthread": 2, "base_score": 0.5}
for c in sorted(set(lab.tolist()) - {-1}):
    pos, neg = np.flatnonzero(lab == c), np.flatnonzero(lab != c)
    if len(lab) > 20000:  # all positives up to half the budget, sampled negatives for the rest
        pos = rng.choice(pos, min(len(pos), 10000), replace=False)
        neg = rng.choice(neg, min(len(neg), 20000 - len(pos)), replace=False)
    rows = rng.permutation(np.concatenate([pos, neg]))
    cut = int(0.8 * len(rows))
    y = (lab[rows] == c).astype(np.float32)
    dtr = xgb.DMatrix(X[rows[:cut]], label=y[:cut], nthread=2)
    dva = xgb.DMatrix(X[rows[cut:]], label=y[cut:], nthread=2)
    b = xgb.train(params, dtr, 60, evals=[(dva, "v")], early_stopping_rounds=5, verbose_eval=False)
    shap_rows = rng.choice(np.flatnonzero(lab == c), min(300, int((lab == c).sum())), replace=False)
    b.predict(xgb.DMatrix(X[shap_rows], nthread=2), pred_contribs=True, iteration_range=(0, b.best_iteration + 1))
print(json.dumps({"explain": time.perf_counter() - t0, "version": xgb.__version__}))
'''


def write(name, text):
    p = os.path.join(TMP, name)
    with open(p, "w") as f:
        f.write(text)
    return p


umap_py, uwot_r, xgb_py = write("umap_learn.py", UMAP_LEARN), write("uwot.R", UWOT), write("xgb.py", XGB)
rows_out = []


def row(data, tool, stages, total, peak_mb, q, note=""):
    rows_out.append({"data": data, "tool": tool, "stages": stages, "total": total, "peak_mb": peak_mb, "quality": q, "note": note})
    fmt = lambda v, f=None: "—" if v is None else (f or ("{:.2f}" if v < 10 else "{:.1f}")).format(v)
    s = stages
    qq = q or {}
    print(f"| {data} | {tool} | {fmt(s.get('load'))} | {fmt(s.get('pca'))} | {fmt(s.get('knn'))} | {fmt(s.get('umap'))} | "
          f"{fmt(s.get('cluster'), '{:.2f}')} | {fmt(total)} | {fmt(s.get('explain'))} | {fmt(peak_mb, '{:,.0f}')} | "
          f"{fmt(qq.get('trust'), '{:.4f}')} | {fmt(qq.get('knn_acc'), '{:.4f}')} | {fmt(qq.get('ari'), '{:.3f}')} / "
          f"{fmt(qq.get('nmi'), '{:.3f}')} | {note} |", flush=True)


print(f"{os.cpu_count()} cores, {time.strftime('%Y-%m-%d')}; times in seconds")
print("\n| data | tool | load | scale + PCA | kNN | UMAP | HDBSCAN | total | explain | peak MB | trust@15 | 10-NN acc | "
      "ARI / NMI | note |")
print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |", flush=True)
for path in DATASETS:
    X, truth = read_data(path)
    n, d = X.shape
    data = f"{os.path.basename(path).rsplit('.', 1)[0]} ({n:,} x {d})"
    space = neighbour_input(X)
    del X
    biggest = n >= 500000
    timeout = PEER_TIMEOUT if biggest else None
    min_cluster_size = max(5, round(0.005 * n))

    # recluster native CLI (explain timed separately in the same run).
    out = os.path.join(TMP, "native")
    r = timed([CLI, "run", path, "--out", out, "--truth-column", "label", "--explain"])
    s = json.load(open(os.path.join(out, "summary.json")))
    t = {k: v / 1000 for k, v in s["timings_ms"].items()}
    xy = np.loadtxt(os.path.join(out, "embedding.csv"), delimiter=",", skiprows=1)[:, 1:]
    lab = np.loadtxt(os.path.join(out, "labels.csv"), delimiter=",", skiprows=1, usecols=[1], dtype=int)
    pipeline = sum(v for k, v in t.items() if k != "explain")
    row(data, "recluster native CLI", {"load": t["load"], "pca": t.get("scale", 0) + t.get("pca", 0), "knn": t["knn"],
        "umap": t["umap"], "cluster": t["cluster"], "explain": t.get("explain")}, pipeline, r[1], quality(space, xy, truth, lab),
        f"{s['clustering']['clusters']} clusters")
    native_labels = os.path.join(out, "labels.csv")

    # recluster WASM in headless Chromium.
    bj, bb = os.path.join(TMP, "browser.json"), os.path.join(TMP, "browser.bin")
    subprocess.run(["node", os.path.join(os.path.dirname(__file__), "bench_all_browser.js"), path, bj, bb], check=True)
    b = json.load(open(bj))
    if b.get("error"):
        row(data, "recluster WASM, Chromium", {}, None, None, None, "failed: " + b["error"])
    else:
        raw = np.fromfile(bb, dtype=np.float32, count=2 * n).reshape(n, 2)
        blab = np.fromfile(bb, dtype=np.int32, offset=8 * n)
        bt = {k: v / 1000 for k, v in b["timings_ms"].items()}
        row(data, "recluster WASM, Chromium", {"pca": bt.get("scale", 0) + bt.get("pca", 0), "knn": bt["knn"], "umap": bt["umap"],
            "cluster": bt["cluster"], "explain": b["explain_ms"] / 1000}, b["wall_ms"] / 1000,
            b["memory"]["wasm_heap_bytes"] / 2**20, quality(space, raw, truth, blab),
            f"total = drop -> clusters (load included); {b['clusters']} clusters")

    # umap-learn (+ scikit-learn for scaling and PCA).
    npy = os.path.join(TMP, "umap_learn.npy")
    r = timed(["/usr/bin/python3", umap_py, path, npy], timeout)
    if r is None:
        row(data, "umap-learn + scikit-learn", {}, None, None, None, f"stopped after {PEER_TIMEOUT} s" if timeout else "failed")
    else:
        u = json.loads(r[2].strip().splitlines()[-1])
        ut = u["timings_s"]
        row(data, f"umap-learn {u['version']} + scikit-learn", {"load": ut["load"], "pca": ut["pca"], "umap": ut["umap"]},
            sum(ut.values()), r[1], quality(space, np.load(npy), truth, None), "UMAP includes its kNN; no HDBSCAN in Debian's Python")

    # R: uwot, then dbscan::hdbscan where its O(n^2) memory fits.
    csv = os.path.join(TMP, "uwot.csv")
    r = timed(["Rscript", uwot_r, path, csv, str(min_cluster_size), str(R_HDBSCAN_MAX_ROWS)], timeout)
    if r is None:
        row(data, "R uwot + dbscan", {}, None, None, None, f"stopped after {PEER_TIMEOUT} s" if timeout else "failed")
    else:
        u = json.loads(r[2].strip().splitlines()[-1])
        m = np.loadtxt(csv, delimiter=",", dtype=str)
        xy = m[:, :2].astype(float)
        lab = None if u["hdbscan"] is None else np.where(m[:, 2] == "0", -1, m[:, 2].astype(float).astype(int))
        row(data, f"R uwot {u['uwot']} + dbscan {u['dbscan']}", {"load": u["load"], "pca": u["scale"], "umap": u["umap"],
            "cluster": u["hdbscan"]}, u["load"] + u["scale"] + u["umap"] + (u["hdbscan"] or 0), r[1],
            quality(space, xy, truth, lab),
            "UMAP includes its kNN (and PCA above 100 features)" +
            ("" if lab is not None else f"; no HDBSCAN above {R_HDBSCAN_MAX_ROWS:,} rows (O(n^2) memory)") +
            (f"; minPts {min_cluster_size}" if lab is not None else ""))

    # python3-xgboost: the explain stage on recluster's clusters.
    r = timed(["/usr/bin/python3", xgb_py, path, native_labels], timeout)
    if r is None:
        row(data, "python3-xgboost", {}, None, None, None, "failed")
    else:
        u = json.loads(r[2].strip().splitlines()[-1])
        row(data, f"python3-xgboost {u['version']}", {"explain": u["explain"]}, None, r[1], None,
            "explain only: one-vs-rest models + TreeSHAP on recluster's clusters (load excluded; peak includes it)")

print("\n" + json.dumps(rows_out))
