#!/usr/bin/python3
"""Writes the first N images of Fashion-MNIST (Debian package dataset-fashion-mnist) as a CSV: columns p1..p784
(pixel values 0-255) and `label` (class name). Used by tests and benchmarks; not committed.
  scripts/make_fashion_fixture.py N OUT.csv [--source test|train|all]
test = the 10k test set (default), train = the 60k training set, all = training then test set (70k). With --source all
and N above 70,000, the images follow again shifted by one pixel (right, down, left, up in turn): 200,000 rows of
real images with their labels, for the wide-table benchmarks."""
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
if a.source == "all" and a.n > len(images):
    base_images, base_labels = images, labels
    parts_i, parts_l, shift = [images], [labels], 0
    while sum(len(p) for p in parts_i) < a.n:
        dy, dx = [(0, 1), (1, 0), (0, -1), (-1, 0)][shift % 4]
        shifted = np.roll(base_images.reshape(-1, 28, 28), (dy, dx), axis=(1, 2))
        # Rolled-in pixels are the opposite edge's; blank them as a shifted photograph would be.
        if dy: shifted[:, 0 if dy > 0 else -1, :] = 0
        if dx: shifted[:, :, 0 if dx > 0 else -1] = 0
        parts_i.append(shifted.reshape(-1, 784))
        parts_l.append(base_labels)
        shift += 1
    images, labels = np.concatenate(parts_i), np.concatenate(parts_l)
n = min(a.n, len(images))
os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
tmp = a.out + ".tmp"
with open(tmp, "w") as f:
    f.write(",".join(f"p{j + 1}" for j in range(784)) + ",label\n")
    for row, lab in zip(images[:n], labels[:n]):
        f.write(",".join(map(str, row.tolist())) + "," + NAMES[lab] + "\n")
os.replace(tmp, a.out)
