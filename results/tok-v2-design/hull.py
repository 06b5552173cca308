#!/usr/bin/env python3
"""Upper convex hull (flat bpp, PSNR) of every configuration a design's last validation row offers,
interpolated at fixed flat rates: python3 results/tok-v2-design/hull.py base rvq3 rvq3n rvq2
(the rvq3 row with stage-2 levels is runs/cmp-rvq3/val-log-s2levels.csv when present)."""
import csv, math, os, sys

NF, CELLS, PIX = 143, 256, 65536
LV = [1024, 256, 64, 16]


def last(design):
    f = f"runs/cmp-{design}/val-log-s2levels.csv"
    if not os.path.exists(f):
        f = f"runs/cmp-{design}/val-log.csv"
    with open(f) as h:
        return list(csv.DictReader(h))[-1]


def points(r):
    p = []
    def add(name, bpp, key):
        if r.get(key):
            p.append((bpp, float(r[key]), name))
    fine = lambda b, s=1: 1024 * b * s / PIX
    mix = lambda b, s=1: (NF * 4 * b * s + (CELLS - NF) * b) / PIX
    add("coarse K4096", 256 * 12 / PIX, "psnr_coarse")
    add("fine K4096", fine(12), "psnr_fine")
    add("50/50 K4096", mix(12), "psnr_mix")
    for s in (2, 3):
        add(f"fine s1..{s}", fine(12, s), f"psnr_fine_s{s}")
        add(f"50/50 s1..{s}", mix(12, s), f"psnr_mix_s{s}")
    for l in LV:
        b = math.log2(l)
        add(f"fine K{l}", fine(b), f"psnr_fine_k{l}")
        add(f"50/50 K{l}", mix(b), f"psnr_mix_k{l}")
        add(f"fine s1+s2@K{l}", fine(12) + fine(b), f"psnr_fine_s2k{l}")
    return sorted(p)


def hull(p):
    h = []
    for q in p:
        while len(h) >= 2 and (h[-1][1] - h[-2][1]) * (q[0] - h[-2][0]) <= (q[1] - h[-2][1]) * (h[-1][0] - h[-2][0]):
            h.pop()
        if not h or q[1] > h[-1][1]:
            h.append(q)
    return h


def at(h, x):
    if x < h[0][0] or x > h[-1][0]:
        return None
    for a, b in zip(h, h[1:]):
        if a[0] <= x <= b[0]:
            return a[1] + (b[1] - a[1]) * (x - a[0]) / (b[0] - a[0])
    return h[-1][1]


rates = [0.05, 0.075, 0.1, 0.125, 0.15, 0.1875, 0.25, 0.3, 0.375, 0.5]
print("| design | " + " | ".join(f"{x} bpp" for x in rates) + " | hull points |")
print("|---|" + "---|" * (len(rates) + 1))
for d in sys.argv[1:] or ["base", "rvq3", "rvq3n", "rvq2"]:
    try:
        h = hull(points(last(d)))
    except OSError:
        continue
    vals = [at(h, x) for x in rates]
    print(f"| {d} | " + " | ".join("-" if v is None else f"{v:.2f}" for v in vals) + " | "
          + ", ".join(n for _, _, n in h) + " |")
