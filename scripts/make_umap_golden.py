#!/usr/bin/python3
"""Golden data for the UMAP stages from umap-learn (Debian package umap-learn) and scipy:
  tests/golden/find_ab.csv            spread, min_dist -> a, b  (umap.umap_.find_ab_params, scipy curve_fit)
  tests/golden/iris_fuzzy_graph.csv   i, j, weight of umap.umap_.fuzzy_simplicial_set on tests/data/iris.csv
                                      (raw features, n_neighbors 15, euclidean, exact kNN)
  tests/golden/umap_golden.meta.json  versions and parameters
Run: /usr/bin/python3 scripts/make_umap_golden.py"""
import csv, json, os, sys
import numpy as np
import scipy
import umap
from umap.umap_ import find_ab_params, fuzzy_simplicial_set, nearest_neighbors

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
golden = os.path.join(root, "tests", "golden")

with open(os.path.join(golden, "find_ab.csv"), "w") as f:
    f.write("spread,min_dist,a,b\n")
    for spread, min_dist in [(1.0, 0.1), (1.0, 0.0), (1.0, 0.5), (1.0, 0.25), (2.0, 0.1), (0.5, 0.05), (1.0, 0.99)]:
        a, b = find_ab_params(spread, min_dist)
        f.write(f"{spread!r},{min_dist!r},{float(a)!r},{float(b)!r}\n")

with open(os.path.join(root, "tests", "data", "iris.csv")) as f:
    rows = list(csv.reader(f))[1:]
X = np.array([[float(v) for v in r[:4]] for r in rows], dtype=np.float32)
knn_i, knn_d, _ = nearest_neighbors(X, 15, "euclidean", {}, False, np.random.RandomState(0))
G, _, _ = fuzzy_simplicial_set(X, 15, np.random.RandomState(0), "euclidean",
                               knn_indices=knn_i, knn_dists=knn_d)
G = G.tocoo()
with open(os.path.join(golden, "iris_fuzzy_graph.csv"), "w") as f:
    f.write("i,j,weight\n")
    for i, j, w in sorted(zip(G.row.tolist(), G.col.tolist(), G.data.tolist())):
        if w > 0:
            f.write(f"{i},{j},{w!r}\n")
with open(os.path.join(golden, "umap_golden.meta.json"), "w") as f:
    json.dump({"generator": "scripts/make_umap_golden.py", "python": sys.version.split()[0],
               "umap-learn": umap.__version__, "numpy": np.__version__, "scipy": scipy.__version__,
               "fuzzy_graph": "iris raw features as float32, n_neighbors=15, euclidean, exact kNN (n < 4096)"},
              f, indent=2)
print("umap golden written")
