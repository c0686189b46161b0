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

# k-means and Gaussian-mixture references for tests/core/test_kmeans.cpp and test_gmm.cpp: scikit-learn's best of
# many restarts (inertia; mean log-likelihood per row and BIC) and its labels, on the same two inputs.
from sklearn.cluster import KMeans
from sklearn.mixture import GaussianMixture
with open(os.path.join(golden, "partition_sklearn.csv"), "w") as f:
    f.write(f"# scikit-learn {sklearn.__version__}: KMeans(n_init=50); GaussianMixture(n_init=20) best, and from the k-means partition\n")
    f.write("name,method,k,inertia_or_loglik_per_row,bic\n")
    for name, x, k in [("blobs", X, 4), ("wine", W, 3)]:
        km = KMeans(n_clusters=k, n_init=50, random_state=0).fit(x)
        f.write(f"{name},kmeans,{k},{km.inertia_!r},0\n")
        np.savetxt(os.path.join(golden, f"kmeans_{name}_sklearn.csv"), km.labels_, fmt="%d", header=f"k_{k}", comments="")
        for cov in ["full", "diag"]:
            g = GaussianMixture(n_components=k, covariance_type=cov, n_init=20, random_state=0).fit(x)
            f.write(f"{name},gmm_{cov},{k},{g.score(x)!r},{g.bic(x)!r}\n")
            # EM from the k-means partition above (parameters of its hard assignment, as scikit-learn's
            # init_params="kmeans" makes them): a fixed start, so both implementations follow the same path.
            lab = km.labels_
            w0 = np.bincount(lab, minlength=k) / len(lab)
            m0 = np.array([x[lab == c].mean(axis=0) for c in range(k)])
            if cov == "full":
                c0 = [np.cov(x[lab == c].T, bias=True) + 1e-6 * np.eye(x.shape[1]) for c in range(k)]
                p0 = np.array([np.linalg.inv(c) for c in c0])
            else:
                p0 = np.array([1 / (x[lab == c].var(axis=0) + 1e-6) for c in range(k)])
            g = GaussianMixture(n_components=k, covariance_type=cov, weights_init=w0, means_init=m0, precisions_init=p0).fit(x)
            f.write(f"{name},gmm_{cov}_from_kmeans,{k},{g.score(x)!r},{g.bic(x)!r}\n")
            np.savetxt(os.path.join(golden, f"gmm_{cov}_{name}_sklearn.csv"), g.predict(x), fmt="%d", header=f"k_{k}", comments="")
print(open(os.path.join(golden, "partition_sklearn.csv")).read())
