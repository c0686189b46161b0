#!/usr/bin/python3
"""Golden labels for HDBSCAN from R's dbscan::hdbscan (Debian r-cran-dbscan; installed here if missing).
Inputs (written to tests/golden, float32 values printed exactly, so R and our tests read the same numbers):
  hdbscan_digits_umap.csv  a real 2-D embedding: recluster's UMAP of scikit-learn's digits (1797 x 64)
  hdbscan_blobs.csv        2-D blobs of different densities plus uniform background noise, rounded (ties)
  hdbscan_wine.csv         wine's 13 features z-scored (higher-dimensional: our Prim path)
Outputs: hdbscan_<name>_r.csv with one column of R cluster labels per minPts (0 = noise in R; written as -1)
and R's GLOSH outlier scores for the first minPts; hdbscan_<name>_r_heights.csv with R's sorted single-linkage
merge heights (= the mutual-reachability MST's edge lengths) per minPts; hdbscan_golden.meta.json.
R's minPts is both the core-distance neighbourhood (the row itself counted) and the smallest cluster size, so
the tests run ours with min_samples = min_cluster_size = minPts and excess-of-mass selection.
Run: /usr/bin/python3 scripts/make_hdbscan_golden.py  (needs build/native/recluster: scripts/build.sh native)"""
import json, os, subprocess, sys, tempfile
import numpy as np
from sklearn.datasets import load_digits, load_wine

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
golden = os.path.join(root, "tests", "golden")
cli = os.path.join(root, "build", "native", "recluster")

if subprocess.run(["dpkg", "-s", "r-cran-dbscan"], capture_output=True).returncode != 0:
    subprocess.run(["apt-get", "install", "-y", "-q", "r-cran-dbscan"], check=True)


def write_matrix(path, X):
    X = np.asarray(X, dtype=np.float32)
    with open(path, "w") as f:
        f.write(",".join(f"f{j}" for j in range(X.shape[1])) + "\n")
        for row in X:
            f.write(",".join("%.9g" % v for v in row) + "\n")


inputs = {}
with tempfile.TemporaryDirectory() as tmp:
    digits = load_digits()
    src = os.path.join(tmp, "digits.csv")
    np.savetxt(src, digits.data, delimiter=",", fmt="%g", header=",".join(f"p{j}" for j in range(64)), comments="")
    subprocess.run([cli, "run", src, "--out", tmp, "--cluster", "none", "--seed", "42", "--threads", "2"], check=True,
                   stdout=subprocess.DEVNULL)
    emb = np.loadtxt(os.path.join(tmp, "embedding.csv"), delimiter=",", skiprows=1)[:, 1:]
    inputs["digits_umap"] = (emb, [5, 15, 40])

rng = np.random.RandomState(7)
blobs = np.vstack([rng.normal((0, 0), 0.6, (400, 2)), rng.normal((6, 1), 1.2, (300, 2)),
                   rng.normal((2, 7), 0.3, (150, 2)), rng.normal((9, 8), 2.0, (250, 2)),
                   rng.uniform(-4, 14, (150, 2))])
inputs["blobs"] = (np.round(blobs, 2), [5, 10, 25])
wine = load_wine().data
inputs["wine"] = ((wine - wine.mean(0)) / wine.std(0), [5, 10])

meta = {"generator": "scripts/make_hdbscan_golden.py", "inputs": {}}
for name, (X, min_pts) in inputs.items():
    path = os.path.join(golden, f"hdbscan_{name}.csv")
    write_matrix(path, X)
    out = os.path.join(golden, f"hdbscan_{name}_r.csv")
    heights = os.path.join(golden, f"hdbscan_{name}_r_heights.csv")
    script = f"""
suppressMessages(library(dbscan))
x <- as.matrix(read.csv("{path}"))
res <- list()
for (m in c({",".join(map(str, min_pts))})) {{
  h <- hdbscan(x, minPts = m)
  res[[paste0("minPts_", m)]] <- ifelse(h$cluster == 0, -1L, h$cluster)
  if (m == {min_pts[0]}) glosh <- h$outlier_scores
}}
res[["glosh_minPts_{min_pts[0]}"]] <- sprintf("%.9g", glosh)
write.csv(as.data.frame(res), "{out}", row.names = FALSE, quote = FALSE)
heights <- list()
for (m in c({",".join(map(str, min_pts))})) heights[[paste0("minPts_", m)]] <- sprintf("%.12g", sort(hdbscan(x, minPts = m)$hc$height))
write.csv(as.data.frame(heights), "{heights}", row.names = FALSE, quote = FALSE)
cat(as.character(packageVersion("dbscan")))
"""
    version = subprocess.run(["Rscript", "-e", script], check=True, capture_output=True, text=True).stdout.strip()
    meta["r-cran-dbscan"] = version
    meta["inputs"][name] = {"rows": int(X.shape[0]), "cols": int(X.shape[1]), "minPts": min_pts}
    print(name, X.shape, "minPts", min_pts)
with open(os.path.join(golden, "hdbscan_golden.meta.json"), "w") as f:
    json.dump(meta, f, indent=2)
    f.write("\n")
