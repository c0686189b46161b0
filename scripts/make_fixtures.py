#!/usr/bin/python3
"""Makes test fixtures and golden data from Debian-packaged datasets (no downloads).

  tests/data/wine.csv, tests/data/iris.csv   scikit-learn's bundled sets with named columns and a text label
  tests/golden/wine_pca_zscore.csv            numpy PCA of wine (z-score, ddof=0) -> first two scores
  tests/golden/wine_pca_zscore.meta.json      generator, versions, conventions

Run with Debian's python: /usr/bin/python3 scripts/make_fixtures.py
"""
import csv, json, os, sys
import numpy as np
import sklearn
from sklearn import datasets

root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
data_dir = os.path.join(root, "tests", "data")
golden_dir = os.path.join(root, "tests", "golden")
os.makedirs(data_dir, exist_ok=True)
os.makedirs(golden_dir, exist_ok=True)


def write_table(path, names, X, labels, label_name):
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(list(names) + [label_name])
        for row, lab in zip(X, labels):
            w.writerow([repr(float(v)) if not float(v).is_integer() else str(int(v)) for v in row] + [lab])


wine = datasets.load_wine()
write_table(os.path.join(data_dir, "wine.csv"), wine.feature_names, wine.data,
            [wine.target_names[t] for t in wine.target], "class")
iris = datasets.load_iris()
write_table(os.path.join(data_dir, "iris.csv"), [n.replace(" (cm)", "").replace(" ", "_") for n in iris.feature_names],
            iris.data, [iris.target_names[t] for t in iris.target], "species")

# Golden PCA: values as read back from the CSV rounded to float32 (as recluster stores them), then float64 maths.
X = wine.data.astype(np.float32).astype(np.float64)
Z = (X - X.mean(axis=0)) / X.std(axis=0)  # ddof=0 like StandardScaler
Zc = Z - Z.mean(axis=0)
U, S, Vt = np.linalg.svd(Zc, full_matrices=False)
scores = Zc @ Vt[:2].T
var = S ** 2 / (len(X) - 1)
with open(os.path.join(golden_dir, "wine_pca_zscore.csv"), "w") as f:
    f.write("pc1,pc2\n")
    for a, b in scores:
        f.write(f"{a!r},{b!r}\n")
with open(os.path.join(golden_dir, "wine_pca_zscore.meta.json"), "w") as f:
    json.dump({
        "generator": "scripts/make_fixtures.py",
        "python": sys.version.split()[0], "numpy": np.__version__, "sklearn": sklearn.__version__,
        "input": "tests/data/wine.csv (13 numeric columns)",
        "method": "z-score (ddof=0), centre, numpy.linalg.svd; scores = Zc @ Vt[:2].T; sign is arbitrary",
        "explained_variance_ratio": list(var[:2] / var.sum()),
    }, f, indent=2)
print("fixtures written")
