#!/usr/bin/python3
"""Writes a synthetic CSV with known cluster structure (Gaussian blobs) for benchmarks.
  scripts/make_synthetic.py ROWS COLS OUT.csv [--clusters K] [--seed S]
Columns f1..fCOLS are numbers with 4 decimals; the last column `label` is the true blob."""
import argparse
import numpy as np

p = argparse.ArgumentParser()
p.add_argument("rows", type=int)
p.add_argument("cols", type=int)
p.add_argument("out")
p.add_argument("--clusters", type=int, default=8)
p.add_argument("--seed", type=int, default=7)
a = p.parse_args()
rng = np.random.default_rng(a.seed)
centres = rng.normal(0, 6, size=(a.clusters, a.cols))
labels = rng.integers(0, a.clusters, size=a.rows)
X = centres[labels] + rng.normal(0, 1, size=(a.rows, a.cols))
with open(a.out, "w") as f:
    f.write(",".join(f"f{j + 1}" for j in range(a.cols)) + ",label\n")
    for start in range(0, a.rows, 10000):
        block = X[start:start + 10000]
        lab = labels[start:start + 10000]
        f.write("\n".join(",".join(f"{v:.4f}" for v in row) + f",c{l}" for row, l in zip(block, lab)) + "\n")
