#!/usr/bin/env python3
"""Compares one codec's rows in two `vqcodec eval` points.csv files (an old and a new run), per
target: mean bpp, PSNR and MS-SSIM of each over the images both have, the mean PSNR difference and
its worst image. Markdown on stdout.

    tools/compare-points.py results/rate/points.csv results/rate-model/points.csv vqcodec
"""
import csv
import statistics
import sys


def rows(path, codec):
    out = {}
    with open(path, newline="") as f:
        for r in csv.DictReader(f):
            if r["codec"] == codec and r["status"] == "ok":
                out[(r["image"], r["target_bpp"])] = r
    return out


def main(old_path, new_path, codec):
    old, new = rows(old_path, codec), rows(new_path, codec)
    keys = sorted(set(old) & set(new), key=lambda k: (float(k[1]), k[0]))
    targets = sorted({k[1] for k in keys}, key=float)
    print(f"| target bpp | images | bpp old | bpp new | PSNR old | PSNR new | new - old dB | worst image dB | MS-SSIM old | MS-SSIM new |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    all_d = []
    for t in targets:
        ks = [k for k in keys if k[1] == t]
        m = lambda rs, c: statistics.mean(float(r[c]) for r in rs)
        o = [old[k] for k in ks]
        n = [new[k] for k in ks]
        d = [float(new[k]["psnr"]) - float(old[k]["psnr"]) for k in ks]
        all_d += d
        worst = min(range(len(ks)), key=lambda i: d[i])
        print(
            f"| {t} | {len(ks)} | {m(o, 'bpp'):.4f} | {m(n, 'bpp'):.4f} | {m(o, 'psnr'):.2f} | "
            f"{m(n, 'psnr'):.2f} | {statistics.mean(d):+.3f} | {d[worst]:+.2f} ({ks[worst][0]}) | "
            f"{m(o, 'msssim'):.4f} | {m(n, 'msssim'):.4f} |"
        )
    if all_d:
        print(f"\nOver all {len(all_d)} image-target pairs: mean PSNR difference {statistics.mean(all_d):+.3f} dB.")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
