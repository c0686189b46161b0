#!/usr/bin/python3
"""Boosting benchmark (scripts/bench.sh explain), in one run on this machine: recluster's booster (`recluster train`,
native) vs python3-xgboost tree_method="hist" with the same settings (rounds, depth, eta, bins, lambda,
min_child_weight, base_score 0.5, threads) on Fashion-MNIST one-vs-rest targets: training time (binning included on
both sides), ratio, and AUC / accuracy on held-out rows.
  scripts/bench_explain.py FASHION_70K.csv RECLUSTER_CLI [TRAIN_ROWS] [TEST_ROWS]"""
import json, os, subprocess, sys, tempfile, time
import numpy as np
import xgboost as xgb
from sklearn.metrics import roc_auc_score

src, cli = sys.argv[1], sys.argv[2]
n_train = int(sys.argv[3]) if len(sys.argv) > 3 else 20000
n_test = int(sys.argv[4]) if len(sys.argv) > 4 else 10000
tmp = tempfile.mkdtemp()
with open(src) as f:
    lines = f.read().split("\n")
header = lines[0]
body = [l for l in lines[1:] if l]
train_csv, test_csv = os.path.join(tmp, "train.csv"), os.path.join(tmp, "test.csv")
with open(train_csv, "w") as f:
    f.write(header + "\n" + "\n".join(body[:n_train]) + "\n")
with open(test_csv, "w") as f:
    f.write(header + "\n" + "\n".join(body[n_train:n_train + n_test]) + "\n")
names = header.split(",")
lc = names.index("label")
cols = [i for i in range(len(names)) if i != lc]
Xtr = np.loadtxt(train_csv, delimiter=",", skiprows=1, usecols=cols, dtype=np.float32)
ytr = np.loadtxt(train_csv, delimiter=",", skiprows=1, usecols=[lc], dtype=str)
Xte = np.loadtxt(test_csv, delimiter=",", skiprows=1, usecols=cols, dtype=np.float32)
yte = np.loadtxt(test_csv, delimiter=",", skiprows=1, usecols=[lc], dtype=str)
threads = 2
print(f"one-vs-rest boosting on Fashion-MNIST: {n_train} training rows x {len(cols)} features, {n_test} test rows, "
      f"{threads} threads; xgboost {xgb.__version__} hist")
print(f"{'target':<10}{'rounds':>7}{'depth':>6}{'recluster s':>13}{'xgboost s':>11}{'ratio':>8}{'AUC ours':>10}{'AUC xgb':>9}"
      f"{'diff':>9}{'acc ours':>10}{'acc xgb':>9}")
for target, rounds, depth in (("Shirt", 100, 6), ("Trouser", 100, 6), ("Shirt", 50, 4)):
    out = os.path.join(tmp, "model.json")
    best = None
    for _ in range(2):  # best of two
        r = subprocess.run([cli, "train", train_csv, "--target", "label", "--positive", target, "--out", out, "--test",
                            test_csv, "--rounds", str(rounds), "--depth", str(depth), "--eta", "0.3", "--max-bin", "255",
                            "--threads", str(threads)], check=True, capture_output=True, text=True)
        s = json.loads(r.stdout)
        t = (s["bin_ms"] + s["train_ms"]) / 1000
        best = t if best is None else min(best, t)
    ours_auc, ours_acc = s["test_auc"], s["test_accuracy"]
    xbest = None
    for _ in range(2):
        t0 = time.perf_counter()
        d = xgb.DMatrix(Xtr, label=(ytr == target).astype(np.float32), nthread=threads)
        b = xgb.train({"objective": "binary:logistic", "tree_method": "hist", "max_depth": depth, "eta": 0.3,
                       "max_bin": 256, "lambda": 1, "min_child_weight": 1, "base_score": 0.5, "nthread": threads}, d, rounds)
        xt = time.perf_counter() - t0
        xbest = xt if xbest is None else min(xbest, xt)
    yt = (yte == target).astype(int)
    p = b.predict(xgb.DMatrix(Xte, nthread=threads))
    x_auc, x_acc = roc_auc_score(yt, p), float(((p > 0.5) == yt).mean())
    # The exported model loads in xgboost and predicts what we predict.
    mine = xgb.Booster(model_file=out).predict(xgb.DMatrix(Xte, nthread=threads, feature_names=[names[i] for i in cols]),
                                               output_margin=True)
    mine_auc = roc_auc_score(yt, mine)
    print(f"{target:<10}{rounds:>7}{depth:>6}{best:>13.2f}{xbest:>11.2f}{xbest / best:>7.2f}x{ours_auc:>10.4f}{x_auc:>9.4f}"
          f"{ours_auc - x_auc:>+9.4f}{ours_acc:>10.4f}{x_acc:>9.4f}   (our model loaded in xgboost: AUC {mine_auc:.4f})")
