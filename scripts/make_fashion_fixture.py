#!/usr/bin/python3
"""Writes the first N images of Fashion-MNIST (Debian package dataset-fashion-mnist) as a CSV: columns p1..p784
(pixel values 0-255) and `label` (class name). Used by tests and benchmarks; not committed.
  scripts/make_fashion_fixture.py N OUT.csv [--source test|train|all]
test = the 10k test set (default), train = the 60k training set, all = training then test set (70k)."""
import argparse, gzip, os
import numpy as np

NAMES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
SRC = "/usr/share/datasets/fashion-mnist"

p = argparse.ArgumentParser()
p.add_argument("n", type=int)
p.add_argument("out")
p.add_argument("--source", choices=["test", "train", "all"], default="test")
a = p.parse_args()


def read(prefix):
    with gzip.open(os.path.join(SRC, f"{prefix}-images-idx3-ubyte.gz")) as f:
        images = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 784)
    with gzip.open(os.path.join(SRC, f"{prefix}-labels-idx1-ubyte.gz")) as f:
        labels = np.frombuffer(f.read(), np.uint8, offset=8)
    return images, labels


parts = {"test": ["t10k"], "train": ["train"], "all": ["train", "t10k"]}[a.source]
loaded = [read(prefix) for prefix in parts]
images = np.concatenate([im for im, _ in loaded])
labels = np.concatenate([lab for _, lab in loaded])
n = min(a.n, len(images))
os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
tmp = a.out + ".tmp"
with open(tmp, "w") as f:
    f.write(",".join(f"p{j + 1}" for j in range(784)) + ",label\n")
    for row, lab in zip(images[:n], labels[:n]):
        f.write(",".join(map(str, row.tolist())) + "," + NAMES[lab] + "\n")
os.replace(tmp, a.out)
