#!/usr/bin/python3
"""HDBSCAN benchmark (scripts/bench.sh cluster), everything in one run on this machine:
  1. the default pipeline (PCA-50 -> UMAP -> HDBSCAN, the app's defaults) on Fashion-MNIST: clusters, noise and
     ARI of the labels against the true classes; the same HDBSCAN parameters on umap-learn's embedding of the
     same PCA-50 input (Debian has no Python hdbscan, so both maps are clustered by recluster's HDBSCAN);
  2. HDBSCAN alone on recluster's 2-D map: native time (best of 3);
  3. R dbscan::hdbscan (Debian r-cran-dbscan) on the 10k map vs ours with the same minPts: time and ratio of our
     default, label agreement of our r-dbscan rules (R needs O(n^2) memory, so only 10k);
  4. 1,000,000 synthetic 2-D points: HDBSCAN time and the CLI's peak memory;
  5. k-means and Gaussian mixture (k = 10) on the 70k map and in its 784 features' PCA-10 space: ours vs
     scikit-learn (KMeans n_init=3, GaussianMixture full) in the same run: time, ratio, inertia / log-likelihood,
     and k-means inertia over five seeds on the map for both (which local optima three restarts reach).
  scripts/bench_cluster.py FASHION_10K.csv FASHION_70K.csv RECLUSTER_CLI"""
import json, os, subprocess, sys, tempfile, time
import numpy as np
from sklearn.decomposition import PCA
from sklearn.metrics import adjusted_rand_score

f10, f70, cli = sys.argv[1], sys.argv[2], sys.argv[3]
tmp = tempfile.mkdtemp()


def run_cli(path, out, *flags):
    subprocess.run([cli, "run", path, "--out", out, *flags], check=True, stdout=subprocess.DEVNULL)
    s = json.load(open(os.path.join(out, "summary.json")))
    lab = np.loadtxt(os.path.join(out, "labels.csv"), delimiter=",", skiprows=1, usecols=[1], dtype=int)
    return s, lab


def write_xy(path, xy):
    np.savetxt(path, xy, delimiter=",", fmt="%.9g", header="x,y", comments="")


def read_fashion(path):
    with open(path) as f:
        header = f.readline().strip().split(",")
    lc = header.index("label")
    cols = [i for i in range(len(header)) if i != lc]
    return header, cols, np.loadtxt(path, delimiter=",", skiprows=1, usecols=[lc], dtype=str)


print(f"{os.cpu_count()} cores")
maps = {}
print("\n1. default pipeline on Fashion-MNIST (raw pixels, PCA-50, UMAP 15 / 0.1, HDBSCAN defaults)")
print(f"{'data':<10}{'map':<34}{'clusters':>9}{'noise %':>9}{'ARI vs classes':>16}{'HDBSCAN ms':>12}")
for path in (f10, f70):
    header, cols, truth = read_fashion(path)
    n = len(truth)
    out = os.path.join(tmp, f"pipe{n}")
    s, lab = run_cli(path, out, "--scale", "none", "--columns", ",".join(header[i] for i in cols))
    c = s["clustering"]
    xy = np.loadtxt(os.path.join(out, "embedding.csv"), delimiter=",", skiprows=1)[:, 1:]
    maps[n] = xy
    print(f"{n:<10}{'recluster UMAP':<34}{c['clusters']:>9}{100 * c['noise'] / n:>9.1f}"
          f"{adjusted_rand_score(truth, lab):>16.4f}{s['timings_ms']['cluster']:>12.0f}")
    try:
        import umap
        X = np.loadtxt(path, delimiter=",", skiprows=1, usecols=cols, dtype=np.float32)
        ref = umap.UMAP(n_neighbors=15, min_dist=0.1, random_state=42).fit_transform(PCA(50, random_state=0).fit_transform(X))
        del X
        p = os.path.join(tmp, f"umaplearn{n}.csv")
        write_xy(p, ref)
        s2, lab2 = run_cli(p, os.path.join(tmp, f"ul{n}"), "--scale", "none", "--embed", "pca",
                           "--min-cluster-size", str(c["min_cluster_size"]), "--min-samples", str(c["min_samples"]))
        c2 = s2["clustering"]
        print(f"{n:<10}{'umap-learn ' + umap.__version__ + ' (same HDBSCAN)':<34}{c2['clusters']:>9}"
              f"{100 * c2['noise'] / n:>9.1f}{adjusted_rand_score(truth, lab2):>16.4f}{s2['timings_ms']['cluster']:>12.0f}")
    except ImportError:
        print("  (umap-learn not installed: no reference row)")

print("\n2. HDBSCAN alone on recluster's 2-D map (native, 2 threads, best of 3; the map is given as a CSV and")
print("   passed through PCA-2, a rotation, so only the cluster stage is timed)")
for n, xy in maps.items():
    p = os.path.join(tmp, f"map{n}.csv")
    write_xy(p, xy)
    for ms, mcs in ((10, 0), (5, 50), (25, 25)):
        best = 1e30
        for _ in range(3):
            s, _ = run_cli(p, os.path.join(tmp, "alone"), "--scale", "none", "--embed", "pca", "--min-samples", str(ms),
                           "--min-cluster-size", str(mcs))
            best = min(best, s["timings_ms"]["cluster"])
        c = s["clustering"]
        print(f"  {n} rows, min_samples {ms}, min_cluster_size {c['min_cluster_size']}: {best:.0f} ms "
              f"({c['clusters']} clusters, MST {c['mst_method']})")

print("\n3. R dbscan::hdbscan vs recluster, 10,000-row map, same minPts: speed of our default (fast tree, HDBSCAN*\n"
      "   rules) and label agreement of our r-dbscan rules (R's own double-precision tree, O(n^2) like R)")
p = os.path.join(tmp, "map10000.csv")
for m in (10, 25):
    script = f"""suppressMessages(library(dbscan)); x <- as.matrix(read.csv("{p}"))
t <- system.time(h <- hdbscan(x, minPts = {m}))[["elapsed"]]
write(h$cluster, "{tmp}/r{m}.txt", ncolumns = 1); cat(t)"""
    r_s = float(subprocess.run(["Rscript", "-e", script], check=True, capture_output=True, text=True).stdout.split()[-1])
    r_lab = np.loadtxt(f"{tmp}/r{m}.txt", dtype=int)
    best = 1e30
    for _ in range(3):
        s, fast_lab = run_cli(p, os.path.join(tmp, "vsr"), "--scale", "none", "--embed", "pca", "--min-samples", str(m),
                              "--min-cluster-size", str(m))
        best = min(best, s["timings_ms"]["cluster"])
    s, lab = run_cli(p, os.path.join(tmp, "vsr"), "--scale", "none", "--embed", "pca", "--min-samples", str(m),
                     "--min-cluster-size", str(m), "--hdbscan-rules", "r-dbscan")
    r_mode_ms = s["timings_ms"]["cluster"]
    same_noise = int(np.sum((lab < 0) == (r_lab == 0)))
    print(f"  minPts {m}: R {r_s:.2f} s, recluster {best / 1000:.3f} s = {r_s * 1000 / best:.0f}x faster "
          f"(ARI to R {adjusted_rand_score(r_lab, fast_lab):.4f}); r-dbscan rules {r_mode_ms / 1000:.2f} s: "
          f"ARI to R {adjusted_rand_score(r_lab, lab):.4f}, same noise flag on {same_noise}/{len(lab)} rows")

print("\n4. 1,000,000 synthetic 2-D points (8 Gaussian blobs + 5% uniform noise)")
rng = np.random.RandomState(3)
centres = rng.uniform(-50, 50, (8, 2))
pts = np.vstack([rng.normal(centres[i], rng.uniform(1, 4), (118750, 2)) for i in range(8)]
                + [rng.uniform(-60, 60, (50000, 2))])
p = os.path.join(tmp, "million.csv")
write_xy(p, pts)
t = subprocess.run(["/usr/bin/time", "-f", "%M", cli, "run", p, "--out", os.path.join(tmp, "m"), "--scale", "none",
                    "--embed", "pca", "--min-samples", "10", "--min-cluster-size", "1000"],
                   check=True, capture_output=True, text=True)
peak_mb = int(t.stderr.strip().split()[-1]) / 1024
s = json.load(open(os.path.join(tmp, "m", "summary.json")))
c = s["clustering"]
print(f"  HDBSCAN {s['timings_ms']['cluster'] / 1000:.2f} s (min_samples 10, min_cluster_size 1000): {c['clusters']} "
      f"clusters, {100 * c['noise'] / len(pts):.1f}% noise; CLI peak memory {peak_mb:.0f} MB for the whole run "
      f"({peak_mb * 1e6 / len(pts) / 1024:.2f} KB per row, CSV text included)")

print("\n5. k-means and Gaussian mixture, k = 10, 70,000 rows: recluster (native, 2 threads, best of 3) vs scikit-learn")
from sklearn.cluster import KMeans
from sklearn.mixture import GaussianMixture
header, cols, truth = read_fashion(f70)
for space in ("map", "pca10"):
    if space == "map":
        p = os.path.join(tmp, "map70000.csv")
        flags = ["--scale", "none", "--embed", "pca"]
    else:
        p = f70
        flags = ["--scale", "none", "--columns", ",".join(header[i] for i in cols), "--embed", "pca",
                 "--cluster-space", "pca", "--cluster-pca-dims", "10"]
    for method in ("kmeans", "gmm"):
        best, s = 1e30, None
        for _ in range(3):
            s, lab = run_cli(p, os.path.join(tmp, "km"), *flags, "--cluster", method, "--k", "10")
            best = min(best, s["timings_ms"]["cluster"])
        # The very space we clustered: the map after PCA-2 is embedding.csv; PCA-10 is recomputed by scikit-learn.
        if space == "map":
            X = np.loadtxt(os.path.join(tmp, "km", "embedding.csv"), delimiter=",", skiprows=1)[:, 1:]
        else:
            X = PCA(10, random_state=0).fit_transform(np.loadtxt(f70, delimiter=",", skiprows=1, usecols=cols, dtype=np.float32))
        t = time.perf_counter()
        if method == "kmeans":
            ref = KMeans(n_clusters=10, n_init=3, random_state=0).fit(X)
            theirs = f"inertia {ref.inertia_:.6g}"
        else:
            ref = GaussianMixture(n_components=10, covariance_type="full", random_state=0).fit(X)
            theirs = f"log-lik/row {ref.score(X):.4f}"
        sk_s = time.perf_counter() - t
        c = s["clustering"]
        ours = f"inertia {c['inertia']:.6g}" if method == "kmeans" else f"log-lik/row {c['log_likelihood'] / len(truth):.4f}"
        print(f"  {space:<6}{method:<7} recluster {best / 1000:.3f} s ({ours}, ARI vs classes "
              f"{adjusted_rand_score(truth, lab):.3f}); scikit-learn {sk_s:.3f} s ({theirs}, ARI "
              f"{adjusted_rand_score(truth, ref.predict(X)):.3f}) = {sk_s * 1000 / best:.1f}x")

print("\n   k-means k = 10 on the 70k map, seeds 1-5 (3 restarts each): inertia")
p = os.path.join(tmp, "map70000.csv")
ours = []
for seed in range(1, 6):
    s, _ = run_cli(p, os.path.join(tmp, "kms"), "--scale", "none", "--embed", "pca", "--cluster", "kmeans", "--k", "10",
                   "--seed", str(seed))
    ours.append(s["clustering"]["inertia"])
X = np.loadtxt(os.path.join(tmp, "kms", "embedding.csv"), delimiter=",", skiprows=1)[:, 1:]
theirs = [KMeans(n_clusters=10, n_init=3, random_state=seed).fit(X).inertia_ for seed in range(1, 6)]
print(f"  recluster    {', '.join(f'{v:,.0f}' for v in ours)} (best {min(ours):,.0f})")
print(f"  scikit-learn {', '.join(f'{v:,.0f}' for v in theirs)} (best {min(theirs):,.0f})")
