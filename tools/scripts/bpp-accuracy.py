#!/usr/bin/env python3
"""How far `--bpp` lands from its target: per target, over the images where the target is
reachable (eval status ok), the mean and worst signed deviation (bpp - target) / target, and how
many land within 5%. Usage: tools/scripts/bpp-accuracy.py results/rate/points.csv [codec]"""
import collections, csv, sys

path = sys.argv[1]
codec = sys.argv[2] if len(sys.argv) > 2 else "vqcodec"
by = collections.defaultdict(list)
for r in csv.DictReader(open(path)):
    if r["codec"] == codec:
        t = float(r["target_bpp"])
        by[t].append((r["status"], float(r["bpp"]), (float(r["bpp"]) - t) / t * 100))
print("| target bpp | images reaching it | mean bpp (all) | mean deviation | worst deviation | within 5% |")
print("|---:|---:|---:|---:|---:|---:|")
for t in sorted(by):
    ok = [d for s, _, d in by[t] if s == "ok"]
    allbpp = sum(b for _, b, _ in by[t]) / len(by[t])
    worst = max(ok, key=abs) if ok else float("nan")
    mean = sum(ok) / len(ok) if ok else float("nan")
    print(f"| {t:g} | {len(ok)}/{len(by[t])} | {allbpp:.4f} | {mean:+.2f}% | {worst:+.2f}% | "
          f"{sum(1 for d in ok if abs(d) <= 5)}/{len(ok)} |")
