#!/usr/bin/python3
"""Reference timing for the foundation pipeline with numpy + scikit-learn on the same CSV:
parse (numpy.loadtxt), z-score (StandardScaler), PCA to 2-D (sklearn PCA, full SVD). Prints JSON."""
import json, sys, time
import numpy as np
import sklearn
from sklearn.decomposition import PCA
from sklearn.preprocessing import StandardScaler

path = sys.argv[1]
t0 = time.perf_counter()
with open(path) as f:
    header = f.readline().strip().split(",")
numeric = [i for i, h in enumerate(header) if h != "label"]
X = np.loadtxt(path, delimiter=",", skiprows=1, usecols=numeric, dtype=np.float64)
t1 = time.perf_counter()
Z = StandardScaler().fit_transform(X)
t2 = time.perf_counter()
Y = PCA(n_components=2, svd_solver="full").fit_transform(Z)
t3 = time.perf_counter()
print(json.dumps({"tool": f"numpy {np.__version__} + scikit-learn {sklearn.__version__}",
                  "load": (t1 - t0) * 1e3, "scale": (t2 - t1) * 1e3, "pca": (t3 - t2) * 1e3}))
