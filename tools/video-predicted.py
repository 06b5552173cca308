#!/usr/bin/env python3
"""What predicted frames cost against intra coding, and how steady a static region stays.

Issue 16's targets: predicted frames cost at most 40% of the bits of intra coding at equal PSNR
(within 0.3 dB), averaged over the clips, and at most 15% on a static-camera scene; and no visible
flicker in static regions (the PSNR of a static region varies by less than 0.2 dB between predicted
frames).

For each clip, the first N frames are converted once to lossless RGB (FFV1, as tools/video-eval.sh
does) and coded twice at the same --quality: with the default key-frame interval (one key frame,
then predicted frames) and with --keyint 1 (every frame intra). Per frame: bytes from
`vqcodec info --json` (the whole frame, its header included, since 2026-12-07; slice payloads
only before), PSNR on RGB against the reference (numpy, from FFmpeg's rgb24 output).
The predicted frames' mean bytes are compared with the intra stream's mean bytes on the same
frames, and their PSNRs likewise.

The static region of a clip is found from the reference alone: the 64x64 block (on the 16-pixel
grid) whose pixels change least from frame to frame (mean absolute difference). Its PSNR is
reported per predicted frame; the spread (max - min) and the largest change between consecutive
predicted frames are the flicker figures.

With --intra-qualities, the intra stream is also coded at those quality steps, and the intra bytes
at the predicted frames' PSNR are interpolated (log-linear between the two points that bracket it):
the ratio at equal PSNR, which the target asks for.

    tools/video-predicted.py [--frames 30] [--quality 7] [--intra-qualities 5,6] [--out DIR] CLIP...

Needs ffmpeg (tools/install-baselines.sh), numpy and a build (bin/vqcodec). Writes OUT/predicted.csv
(one row per clip and frame) and OUT/predicted.md.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VQCODEC = os.path.join(ROOT, "bin", "vqcodec")
BLOCK = 64


def run(*cmd):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)


def frames_rgb(path, width, height):
    raw = subprocess.run(
        ["ffmpeg", "-hide_banner", "-loglevel", "error", "-i", path, "-vsync", "passthrough", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
        check=True, stdout=subprocess.PIPE).stdout
    return np.frombuffer(raw, np.uint8).reshape(-1, height, width, 3)


def psnr(a, b):
    mse = np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2)
    return 99.0 if mse == 0 else 10 * np.log10(255.0 ** 2 / mse)


def coded(ref, work, tag, quality, keyint):
    vqc = os.path.join(work, tag + ".vqc")
    run(VQCODEC, "encode", "--force", "--quality", str(quality), "--keyint", str(keyint), ref, vqc)
    info = json.loads(subprocess.run([VQCODEC, "info", "--json", vqc], check=True,
                                     stdout=subprocess.PIPE).stdout)
    mkv = os.path.join(work, tag + ".mkv")
    run(VQCODEC, "decode", "--force", vqc, mkv)
    return info, frames_rgb(mkv, info["width"], info["height"])


def static_block(ref):
    """Top-left corner of the 64x64 block on the 16-pixel grid that changes least over the clip."""
    diff = np.abs(np.diff(ref.astype(np.int16), axis=0)).mean(axis=(0, 3))
    best = None
    for y in range(0, ref.shape[1] - BLOCK + 1, 16):
        for x in range(0, ref.shape[2] - BLOCK + 1, 16):
            d = diff[y:y + BLOCK, x:x + BLOCK].mean()
            if best is None or d < best[0]:
                best = (d, y, x)
    return best


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--frames", type=int, default=30)
    ap.add_argument("--quality", type=int, default=7)
    ap.add_argument("--intra-qualities", default="")
    ap.add_argument("--out", default=os.path.join(ROOT, "results", "video", "predicted"))
    ap.add_argument("clips", nargs="+")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    rows, summary, sweeps = [], [], []
    for clip in a.clips:
        name = os.path.splitext(os.path.basename(clip))[0]
        with tempfile.TemporaryDirectory() as work:
            ref_mkv = os.path.join(work, "ref.mkv")
            run("ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-i", clip, "-frames:v", str(a.frames),
                "-an", "-c:v", "ffv1", "-pix_fmt", "bgr0", ref_mkv)
            p_info, p_dec = coded(ref_mkv, work, "p", a.quality, 60)
            i_info, i_dec = coded(ref_mkv, work, "i", a.quality, 1)
            ref = frames_rgb(ref_mkv, p_info["width"], p_info["height"])
            if not len(ref) == len(p_dec) == len(i_dec) == len(p_info["per_frame"]) == len(i_info["per_frame"]):
                sys.exit(f"{name}: frame counts differ: reference {len(ref)}, decoded {len(p_dec)} and "
                         f"{len(i_dec)}, streams {len(p_info['per_frame'])} and {len(i_info['per_frame'])}")
            pred = [f["frame"] for f in p_info["per_frame"] if f["type"] != "key"]
            sweep = []
            for q in [int(x) for x in a.intra_qualities.split(",") if x]:
                q_info, q_dec = coded(ref_mkv, work, "i%d" % q, q, 1)
                sweep.append((q, np.mean([psnr(q_dec[f], ref[f]) for f in pred]),
                              np.mean([q_info["per_frame"][f]["bytes"] for f in pred])))
        motion, by, bx = static_block(ref)
        for f in range(len(ref)):
            blk = (slice(by, by + BLOCK), slice(bx, bx + BLOCK))
            rows.append((name, f, p_info["per_frame"][f]["type"], p_info["per_frame"][f]["bytes"],
                         psnr(p_dec[f], ref[f]), psnr(p_dec[f][blk], ref[f][blk]),
                         i_info["per_frame"][f]["bytes"], psnr(i_dec[f], ref[f]), psnr(i_dec[f][blk], ref[f][blk])))
        mine = [r for r in rows if r[0] == name and r[1] in pred]
        pb = np.mean([r[3] for r in mine])
        ib = np.mean([r[6] for r in mine])
        pp = np.mean([r[4] for r in mine])
        ip = np.mean([r[7] for r in mine])
        sp = np.array([r[5] for r in mine])
        si = np.array([r[8] for r in mine])
        # What the source alone makes of the spread: the key frame's decoded block shown unchanged
        # over the predicted frames (a decoder that holds a still region perfectly); and how often
        # the decoded block actually changed from one frame to the next.
        blk = (slice(by, by + BLOCK), slice(bx, bx + BLOCK))
        held = np.array([psnr(p_dec[0][blk], ref[f][blk]) for f in pred])
        changed = sum(1 for f in pred if f > 0 and not np.array_equal(p_dec[f][blk], p_dec[f - 1][blk]))
        points = sorted(sweep + [(a.quality, ip, ib)], key=lambda t: t[1])
        equal = float("nan")
        for (q0, p0, b0), (q1, p1, b1) in zip(points, points[1:]):
            if p0 <= pp <= p1 and p1 > p0:
                equal = pb / np.exp(np.log(b0) + (pp - p0) / (p1 - p0) * (np.log(b1) - np.log(b0)))
        sweeps.append((name, points, equal))
        summary.append((name, len(ref), len(pred), pb, ib, pb / ib, pp, ip, pp - ip, by, bx, motion,
                        sp.max() - sp.min(), np.abs(np.diff(sp)).max(), si.max() - si.min(),
                        held.max() - held.min(), changed))
        print(f"{name}: predicted/intra bytes {pb / ib:.3f}, PSNR {pp:.2f} vs {ip:.2f} dB, "
              f"static block ({bx},{by}) spread {sp.max() - sp.min():.3f} dB", file=sys.stderr)
    with open(os.path.join(a.out, "predicted.csv"), "w") as f:
        f.write("clip,frame,type,bytes,psnr,static_psnr,intra_bytes,intra_psnr,intra_static_psnr\n")
        for r in rows:
            f.write("%s,%d,%s,%d,%.4f,%.4f,%d,%.4f,%.4f\n" % r)
    with open(os.path.join(a.out, "predicted.md"), "w") as f:
        f.write("# Predicted frames against intra coding (tools/video-predicted.py)\n\n")
        f.write(f"Each clip's first {a.frames} frames at `--quality {a.quality}`: the default stream (one key frame, "
                "then predicted frames) and `--keyint 1` (every frame intra). Bytes per frame from "
                "`vqcodec info --json` (whole frames, headers included); PSNR on RGB. Columns over the predicted frames of the default "
                "stream and the same frames of the intra stream. Static block: the 64x64 block whose "
                "source pixels change least (mean absolute difference per frame in the next column); "
                "spread = max - min of its PSNR over the predicted frames, step = the largest change "
                "between consecutive predicted frames. Held spread: the spread if the key frame's decoded "
                "block were shown unchanged over the predicted frames, which the source's own changes "
                "alone cause (the least a decoder that holds the block can show); changed: predicted "
                "frames whose decoded block differs from the frame before. Per-frame rows: `predicted.csv`.\n\n")
        f.write("| clip | frames | predicted | bytes/frame predicted | intra | predicted / intra | PSNR predicted | "
                "intra | difference | static block (x, y) | its source change | PSNR spread | largest step | "
                "spread, intra stream | held spread | changed |\n")
        f.write("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|\n")
        for s in summary:
            f.write("| %s | %d | %d | %.0f | %.0f | %.3f | %.2f | %.2f | %+.2f | (%d, %d) | %.2f | %.3f | %.3f | %.3f | %.3f | %d |\n"
                    % (s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7], s[8], s[10], s[9], s[11], s[12], s[13], s[14],
                       s[15], s[16]))
        ratios = [s[5] for s in summary]
        f.write(f"\nMean of predicted / intra over the clips: {np.mean(ratios):.3f}.\n")
        if any(len(p) > 1 for _, p, _ in sweeps):
            f.write("\nIntra streams at other quality steps (bytes per frame and PSNR over the same frames), "
                    "and the predicted frames' bytes over the intra bytes interpolated at their PSNR:\n\n")
            f.write("| clip | intra points (quality: PSNR dB, bytes/frame) | predicted / intra at equal PSNR |\n|---|---|---:|\n")
            for name, points, equal in sweeps:
                pts = "; ".join("q%d: %.2f, %.0f" % (q, p, b) for q, p, b in points)
                f.write("| %s | %s | %s |\n" % (name, pts, "outside the sweep" if np.isnan(equal) else "%.3f" % equal))


if __name__ == "__main__":
    main()
