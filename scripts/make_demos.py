#!/usr/bin/python3
"""Writes the app's built-in demo datasets into a folder (scripts/build.sh puts them in dist/demo/), from Debian
packages only, never downloaded:
  digits.csv   scikit-learn's handwritten digits (1,797 images of 8 x 8 pixels, p1..p64 and `digit`: zero..nine)
  fashion.csv  3,000 Fashion-MNIST test images (dataset-fashion-mnist; 300 per class, p1..p784 and `label`)
  users.csv    4,000 synthetic users of a shop (seeded): activity, spending and device habits in six segments,
               with a `plan` text column and the `segment` they were drawn from (to check the clusters against)
  scripts/make_demos.py OUTDIR"""
import gzip
import os
import sys

import numpy as np
from sklearn.datasets import load_digits

FASHION = "/usr/share/datasets/fashion-mnist"
NAMES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]


def write(path, header, rows):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write(",".join(header) + "\n")
        for r in rows:
            f.write(",".join(r) + "\n")
    os.replace(tmp, path)


def digits(out):
    d = load_digits()
    words = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]  # text: not a feature
    rows = ([str(int(v)) for v in img] + [words[t]] for img, t in zip(d.data, d.target))
    write(os.path.join(out, "digits.csv"), [f"p{j + 1}" for j in range(64)] + ["digit"], rows)


def fashion(out):
    with gzip.open(os.path.join(FASHION, "t10k-images-idx3-ubyte.gz")) as f:
        images = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 784)
    with gzip.open(os.path.join(FASHION, "t10k-labels-idx1-ubyte.gz")) as f:
        labels = np.frombuffer(f.read(), np.uint8, offset=8)
    keep = np.sort(np.concatenate([np.flatnonzero(labels == c)[:300] for c in range(10)]))
    rows = ([str(v) for v in images[i].tolist()] + [NAMES[labels[i]]] for i in keep)
    write(os.path.join(out, "fashion.csv"), [f"p{j + 1}" for j in range(784)] + ["label"], rows)


def users(out):
    rng = np.random.default_rng(20261123)
    # segment: share, sessions/week, minutes/session, pages/session, purchases (90 days), order value, discount share,
    # mobile share, night share, days since last visit, support tickets (90 days), plan weights (free, plus, pro)
    segments = [
        ("casual browsers", 0.30, 1.5, 4, 5, 0.3, 35, 0.2, 0.5, 0.15, 20, 0.1, (0.8, 0.15, 0.05)),
        ("bargain hunters", 0.20, 4.0, 9, 14, 3.0, 28, 0.8, 0.6, 0.2, 5, 0.3, (0.6, 0.35, 0.05)),
        ("loyal buyers", 0.18, 5.0, 12, 10, 6.0, 90, 0.1, 0.4, 0.1, 3, 0.2, (0.2, 0.5, 0.3)),
        ("mobile night owls", 0.14, 9.0, 6, 8, 1.5, 40, 0.3, 0.95, 0.75, 2, 0.1, (0.5, 0.4, 0.1)),
        ("churn risk", 0.12, 0.3, 3, 3, 0.1, 50, 0.3, 0.5, 0.2, 60, 1.8, (0.4, 0.4, 0.2)),
        ("business accounts", 0.06, 7.0, 25, 30, 12.0, 420, 0.05, 0.1, 0.05, 2, 0.6, (0.0, 0.1, 0.9)),
    ]
    n = 4000
    counts = [int(round(s[1] * n)) for s in segments]
    counts[0] += n - sum(counts)
    rows = []
    for (name, _, sess, mins, pages, buys, value, disc, mob, night, days, tickets, plan), k in zip(segments, counts):
        for _ in range(k):
            r = [
                rng.gamma(4.0, sess / 4.0),
                rng.lognormal(np.log(mins), 0.35),
                rng.lognormal(np.log(pages), 0.3),
                rng.poisson(buys),
                rng.lognormal(np.log(value), 0.3) if buys > 0.5 or rng.random() < 0.5 else 0.0,
                np.clip(rng.normal(disc, 0.1), 0, 1),
                np.clip(rng.normal(mob, 0.1), 0, 1),
                np.clip(rng.normal(night, 0.08), 0, 1),
                rng.exponential(days),
                rng.poisson(tickets),
            ]
            rows.append(([f"{r[0]:.2f}", f"{r[1]:.1f}", f"{r[2]:.1f}", str(r[3]), f"{r[4]:.2f}", f"{r[5]:.3f}", f"{r[6]:.3f}",
                          f"{r[7]:.3f}", f"{r[8]:.1f}", str(r[9]), str(rng.choice(["free", "plus", "pro"], p=plan)), name]))
    order = rng.permutation(len(rows))
    header = ["sessions_per_week", "minutes_per_session", "pages_per_session", "purchases_90d", "avg_order_value",
              "discount_share", "mobile_share", "night_share", "days_since_last_visit", "support_tickets_90d", "plan",
              "segment"]
    write(os.path.join(out, "users.csv"), header, (rows[i] for i in order))


if __name__ == "__main__":
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    digits(out)
    fashion(out)
    users(out)
