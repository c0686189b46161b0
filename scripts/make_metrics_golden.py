#!/usr/bin/python3
"""Golden clustering metrics from scikit-learn (Debian python3-sklearn) for tests/core/test_metrics.cpp:
silhouette, Davies-Bouldin and Calinski-Harabasz of R's HDBSCAN labels (minPts 10) on tests/golden/hdbscan_blobs.csv
and of the cultivar classes on wine's 13 z-scored features (tests/golden/hdbscan_wine.csv), noise rows left out.
Writes tests/golden/metrics_sklearn.csv, and scikit-learn DBSCAN labels tests/golden/dbscan_{blobs,wine}_sklearn.csv. Run: /usr/bin/python3 scripts/make_metrics_golden.py"""
import os
import numpy as np
import sklearn
from sklearn.datasets import load_wine
from sklearn.metrics import calinski_harabasz_score, davies_bouldin_score, silhouette_score

golden = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "golden")
rows = []
X = np.loadtxt(os.path.join(golden, "hdbscan_blobs.csv"), delimiter=",", skiprows=1, dtype=np.float32).astype(np.float64)
lab = np.loadtxt(os.path.join(golden, "hdbscan_blobs_r.csv"), delimiter=",", skiprows=1, usecols=[1], dtype=int)
rows.append(("blobs", "hdbscan_blobs_r.csv:minPts_10", X[lab >= 0], lab[lab >= 0]))
W = np.loadtxt(os.path.join(golden, "hdbscan_wine.csv"), delimiter=",", skiprows=1, dtype=np.float32).astype(np.float64)
rows.append(("wine", "classes", W, load_wine().target))
with open(os.path.join(golden, "metrics_sklearn.csv"), "w") as f:
    f.write(f"# scikit-learn {sklearn.__version__}\nname,labels,silhouette,davies_bouldin,calinski_harabasz\n")
    for name, what, x, y in rows:
        f.write(f"{name},{what},{silhouette_score(x, y)!r},{davies_bouldin_score(x, y)!r},{calinski_harabasz_score(x, y)!r}\n")
print(open(os.path.join(golden, "metrics_sklearn.csv")).read())

# DBSCAN labels from scikit-learn for tests/core/test_dbscan.cpp (noise = -1).
from sklearn.cluster import DBSCAN
for name, x, eps, ms in [("blobs", X, 0.45, 10), ("wine", W, 2.1, 5)]:
    lab = DBSCAN(eps=eps, min_samples=ms).fit(x).labels_
    with open(os.path.join(golden, f"dbscan_{name}_sklearn.csv"), "w") as f:
        f.write(f"eps_{eps}_min_samples_{ms}\n")
        f.write("\n".join(str(int(v)) for v in lab) + "\n")
    print(name, "dbscan clusters", lab.max() + 1, "noise", int((lab < 0).sum()))
