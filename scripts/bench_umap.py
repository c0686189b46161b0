#!/usr/bin/python3
"""UMAP benchmark: recluster (native CLI) vs umap-learn on the same CSV, same parameters, same machine.
Prints time, ratio, trustworthiness (k=15, sklearn) and 10-NN classification accuracy (5-fold) of each 2-D
embedding against the `label` column, and (given the JSON of scripts/bench_browser_umap.js) the same pipeline's
time in headless Chromium (threaded WASM build) against native.
  scripts/bench_umap.py DATA.csv RECLUSTER_CLI [BROWSER_JSON_FILE]"""
import json, os, subprocess, sys, tempfile, time
import numpy as np
import umap
from sklearn.manifold import trustworthiness
from sklearn.model_selection import cross_val_score
from sklearn.neighbors import KNeighborsClassifier
from sklearn.decomposition import PCA

path, cli = sys.argv[1], sys.argv[2]
browser = json.load(open(sys.argv[3])) if len(sys.argv) > 3 else None
with open(path) as f:
    header = f.readline().strip().split(",")
label_col = header.index("label")
cols = [i for i in range(len(header)) if i != label_col]
X = np.loadtxt(path, delimiter=",", skiprows=1, usecols=cols, dtype=np.float32)
labels = np.loadtxt(path, delimiter=",", skiprows=1, usecols=[label_col], dtype=str)
n = len(X)


def quality(emb):
    # Trustworthiness against the input the neighbour search saw (PCA-50 for wide data), on a sample for speed.
    idx = np.random.RandomState(0).choice(n, min(n, 5000), replace=False)
    t = trustworthiness(Xq[idx], emb[idx], n_neighbors=15)
    acc = cross_val_score(KNeighborsClassifier(10), emb, labels, cv=5).mean()
    return t, acc


Xq = PCA(50, random_state=0).fit_transform(X) if X.shape[1] > 100 else X

# recluster: raw pixel values (no scaling), PCA-50 pre-reduction, UMAP defaults.
out = tempfile.mkdtemp()
t0 = time.perf_counter()
subprocess.run([cli, "run", path, "--out", out, "--scale", "none", "--columns", ",".join(header[i] for i in cols)],
               check=True, stdout=subprocess.DEVNULL)
ours_s = time.perf_counter() - t0
ours = np.loadtxt(os.path.join(out, "embedding.csv"), delimiter=",", skiprows=1)[:, 1:]
summary = json.load(open(os.path.join(out, "summary.json")))

# umap-learn, after a numba warm-up run; same PCA-50 input so both search neighbours in the same space.
umap.UMAP(n_neighbors=15, min_dist=0.1, random_state=0).fit_transform(np.random.RandomState(0).rand(300, 10))
t0 = time.perf_counter()
ref = umap.UMAP(n_neighbors=15, min_dist=0.1, random_state=42).fit_transform(Xq)
ref_s = time.perf_counter() - t0

to, ao = quality(ours)
tr, ar = quality(ref)
stages = summary["timings_ms"]
umap_only_s = (stages["knn"] + stages["umap"]) / 1000
print(f"UMAP on {os.path.basename(path)}: {n} rows x {X.shape[1]} features, n_neighbors 15, min_dist 0.1")
print(f"{'tool':<58}{'time s':>8}{'speed-up':>10}{'trust@15':>10}{'10-NN acc':>11}")
print(f"{'recluster native, whole CLI run (load, PCA-50, UMAP)':<58}{ours_s:>8.2f}{ref_s / ours_s:>9.1f}x{to:>10.4f}{ao:>11.4f}")
print(f"{'recluster native, UMAP stages only (kNN + graph + layout)':<58}{umap_only_s:>8.2f}{ref_s / umap_only_s:>9.1f}x{'':>10}{'':>11}")
print(f"{'umap-learn ' + umap.__version__ + ' (PCA-50 input, UMAP only)':<58}{ref_s:>8.2f}{1:>9.1f}x{tr:>10.4f}{ar:>11.4f}")
print(f"quality difference (ours - umap-learn): trust {to - tr:+.4f}, 10-NN accuracy {ao - ar:+.4f}")
print(f"recluster stages (ms): {json.dumps({k: round(v) for k, v in stages.items()})}; "
      f"init {summary['umap']['init']}, neighbours {summary['umap']['neighbor_method']}, PCA {summary.get('pca_solver')}")
if browser:
    b = browser["timings_ms"]
    keys = ["scale", "pca", "knn", "umap"]
    native_pipe = sum(stages[k] for k in keys) / 1000
    browser_pipe = sum(b[k] for k in keys) / 1000
    print(f"headless Chromium, {browser['build']} WASM build ({browser['threads']} threads): pipeline (scale, PCA, UMAP) "
          f"{browser_pipe:.2f} s vs native {native_pipe:.2f} s = {browser_pipe / native_pipe:.2f}x native; "
          f"stages (ms): {json.dumps({k: round(b[k]) for k in keys})}")
