#!/usr/bin/env python3
"""Markdown tables of the tok-v2 design comparison from runs/cmp-*/val-log.csv and time.txt.

  python3 results/tok-v2-design/table.py base rvq3 rvq3n   (from the repository root)

Flat bpp of a 256x256 crop: tokens x log2(K) / pixels; the fixed 50/50 mask (new Random(99)) has
143 fine cells of 256; a fine cell with s stages costs 4 x 12 x s bits.
"""
import csv, math, re, sys

NF, CELLS, PIX = 143, 256, 65536


def bpp_fine(bits, s=1): return 1024 * bits * s / PIX
def bpp_mix(bits, s=1): return (NF * 4 * bits * s + (CELLS - NF) * bits) / PIX


def rows(design):
    with open(f"runs/cmp-{design}/val-log.csv") as f:
        return list(csv.DictReader(f))


def cpu_minutes(design):
    try:
        t = open(f"runs/cmp-{design}/time.txt").read()
    except OSError:
        return None
    tot = 0.0
    for kind in ("user", "sys"):
        for m, s in re.findall(kind + r"\s+(\d+)m([\d.]+)s", t):
            tot += int(m) * 60 + float(s)
    return tot / 60


def fmt(r, k):
    return f"{float(r[k]):.2f}" if k in r and r[k] not in (None, "") else "-"


designs = sys.argv[1:] or ["base", "rvq3", "rvq3n"]
print("| design | step | CPU-min | fine s1 | fine s1+2 | fine s1+2+3 | 50/50 s1 | 50/50 s1+2 | 50/50 s1+2+3 | coarse | codes s1 / s2 / s3 |")
print("|---|---|---|---|---|---|---|---|---|---|---|")
print(f"| flat bpp | | | {bpp_fine(12):.3f} | {bpp_fine(12, 2):.3f} | {bpp_fine(12, 3):.3f} | {bpp_mix(12):.3f} | "
      f"{bpp_mix(12, 2):.3f} | {bpp_mix(12, 3):.3f} | {12 * CELLS / PIX:.3f} | |")
for d in designs:
    try:
        rs = rows(d)
    except OSError:
        continue
    cm = cpu_minutes(d)
    for i, r in enumerate(rs):
        steps = int(r["step"]) - 21054
        cpu = f"{cm:.0f}" if (cm is not None and i == len(rs) - 1 and steps > 0) else ""
        print(f"| {d} | +{steps} | {cpu} | {fmt(r, 'psnr_fine')} | {fmt(r, 'psnr_fine_s2')} | {fmt(r, 'psnr_fine_s3')} | "
              f"{fmt(r, 'psnr_mix')} | {fmt(r, 'psnr_mix_s2')} | {fmt(r, 'psnr_mix_s3')} | {fmt(r, 'psnr_coarse')} | "
              f"{r['used_fine']} / {r.get('used_s2') or '-'} / {r.get('used_s3') or '-'} |")
print()
levels = [1024, 256, 64, 16]
print("| design | step | " + " | ".join(f"fine K{l}" for l in levels) + " | " + " | ".join(f"50/50 K{l}" for l in levels) + " |")
print("|---|---|" + "---|" * (2 * len(levels)))
print("| flat bpp | | " + " | ".join(f"{bpp_fine(math.log2(l)):.3f}" for l in levels) + " | "
      + " | ".join(f"{bpp_mix(math.log2(l)):.3f}" for l in levels) + " |")
for d in designs:
    try:
        rs = rows(d)
    except OSError:
        continue
    for r in rs:
        print(f"| {d} | +{int(r['step']) - 21054} | " + " | ".join(fmt(r, f"psnr_fine_k{l}") for l in levels) + " | "
              + " | ".join(fmt(r, f"psnr_mix_k{l}") for l in levels) + " |")
