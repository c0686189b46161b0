#!/usr/bin/python3
"""Quality of the drill defaults (scripts/bench.sh drill): zoomed-in views run UMAP for 200 epochs instead of the
automatic 500, and HDBSCAN with min cluster size 2% of the view's rows instead of 0.5%. On the first ROWS rows of
Fashion-MNIST's 10k test set (about the size of the benchmark's zoomed cluster), natively: layout time,
trustworthiness@15 and 10-NN accuracy (5-fold) of both maps; clusters, noise and ARI against the classes.
  scripts/bench_drill_quality.py FASHION_10K.csv RECLUSTER_CLI [ROWS [FASHION_70K.csv]]"""
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
from sklearn.metrics import adjusted_rand_score
for epochs, fraction in ((500, 0.005), (200, 0.005), (200, 0.02)):
    d = os.path.join(tmp, f"e{epochs}_{fraction}")
    subprocess.run([cli, "run", path, "--out", d, "--threads", "2", "--n-epochs", str(epochs),
                    "--min-cluster-fraction", str(fraction)], check=True, stdout=subprocess.DEVNULL)
    s = json.load(open(os.path.join(d, "summary.json")))
    E = np.loadtxt(os.path.join(d, "embedding.csv"), delimiter=",", skiprows=1)[:, 1:]
    acc = cross_val_score(KNeighborsClassifier(10), E, y, cv=5).mean()
    lab = np.loadtxt(os.path.join(d, "labels.csv"), delimiter=",", skiprows=1, usecols=[1], dtype=int)
    c = s["clustering"]
    print(f"  {epochs} epochs: layout {s['umap']['timings_ms']['layout']:.0f} ms, trustworthiness@15 "
          f"{trustworthiness(X, E, n_neighbors=15):.4f}, 10-NN accuracy {acc:.4f}; min cluster size "
          f"{fraction:.1%} ({c['min_cluster_size']}): {c['clusters']} clusters, {c['noise'] / rows:.1%} noise, "
          f"ARI vs classes {adjusted_rand_score(y, lab):.3f}")

# Part 2 (when FASHION_70K.csv is given): zoom natively into the largest top-level clusters of the 70k default map,
# as the app does (the cluster's original rows, 200 epochs), with min cluster size 0.5% and 2% of the view's rows.
if len(sys.argv) > 4:
    big = sys.argv[4]
    top = os.path.join(tmp, "top")
    subprocess.run([cli, "run", big, "--out", top, "--threads", "2"], check=True, stdout=subprocess.DEVNULL)
    lab = np.loadtxt(os.path.join(top, "labels.csv"), delimiter=",", skiprows=1, usecols=[1], dtype=int)
    with open(big) as f:
        lines = f.read().split("\n")
    print(f"Zooming into the largest clusters of the 70k map (native, 200 epochs): sub-clusters, noise, ARI vs classes")
    for c in range(5):
        members = np.where(lab == c)[0]
        sub = os.path.join(tmp, f"cluster{c}.csv")
        with open(sub, "w") as out:
            out.write(lines[0] + "\n" + "\n".join(lines[i + 1] for i in members) + "\n")
        truth = np.loadtxt(sub, delimiter=",", skiprows=1, usecols=[lc], dtype=str)
        parts = []
        for fraction in (0.005, 0.02):
            d = os.path.join(tmp, f"c{c}_{fraction}")
            subprocess.run([cli, "run", sub, "--out", d, "--threads", "2", "--n-epochs", "200", "--min-cluster-fraction",
                            str(fraction)], check=True, stdout=subprocess.DEVNULL)
            s = json.load(open(os.path.join(d, "summary.json")))["clustering"]
            sl = np.loadtxt(os.path.join(d, "labels.csv"), delimiter=",", skiprows=1, usecols=[1], dtype=int)
            parts.append(f"{fraction:.1%}: {s['clusters']} clusters, {s['noise'] / len(members):.1%} noise, "
                         f"ARI {adjusted_rand_score(truth, sl):.3f}")
        classes = ", ".join(f"{k} {v}" for k, v in zip(*np.unique(truth, return_counts=True)) if v >= 0.1 * len(members))
        print(f"  cluster {c} ({len(members)} rows; {classes}): " + "; ".join(parts))
