#!/usr/bin/python3
"""Quality of the drill default (scripts/bench.sh drill): zoomed-in views run UMAP for 200 epochs instead of the
automatic 500. On the first ROWS rows of Fashion-MNIST's 10k test set (about the size of the benchmark's zoomed
cluster), natively: layout time, trustworthiness@15 and 10-NN accuracy (5-fold) of both maps.
  scripts/bench_drill_quality.py FASHION_10K.csv RECLUSTER_CLI [ROWS]"""
import json, os, subprocess, sys, tempfile
import numpy as np
from sklearn.manifold import trustworthiness
from sklearn.model_selection import cross_val_score
from sklearn.neighbors import KNeighborsClassifier

src, cli = sys.argv[1], sys.argv[2]
rows = int(sys.argv[3]) if len(sys.argv) > 3 else 6525
tmp = tempfile.mkdtemp()
path = os.path.join(tmp, "subset.csv")
with open(src) as f, open(path, "w") as out:
    for i, line in enumerate(f):
        if i > rows:
            break
        out.write(line)
with open(path) as f:
    header = f.readline().strip().split(",")
lc = header.index("label")
cols = [i for i in range(len(header)) if i != lc]
X = np.loadtxt(path, delimiter=",", skiprows=1, usecols=cols)
y = np.loadtxt(path, delimiter=",", skiprows=1, usecols=[lc], dtype=str)
print(f"UMAP epochs on the first {rows} rows of {os.path.basename(src)} (native, 2 threads):")
for epochs in (500, 200):
    d = os.path.join(tmp, f"e{epochs}")
    subprocess.run([cli, "run", path, "--out", d, "--threads", "2", "--n-epochs", str(epochs)], check=True,
                   stdout=subprocess.DEVNULL)
    s = json.load(open(os.path.join(d, "summary.json")))
    E = np.loadtxt(os.path.join(d, "embedding.csv"), delimiter=",", skiprows=1)[:, 1:]
    acc = cross_val_score(KNeighborsClassifier(10), E, y, cv=5).mean()
    print(f"  {epochs} epochs: layout {s['umap']['timings_ms']['layout']:.0f} ms, trustworthiness@15 "
          f"{trustworthiness(X, E, n_neighbors=15):.4f}, 10-NN accuracy {acc:.4f}, {s['clustering']['clusters']} clusters")
