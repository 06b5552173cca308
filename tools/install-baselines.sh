#!/usr/bin/env bash
# Installs the reference codecs and metric tools used by the evaluation harness (tools/EVAL.md) and
# the speed benchmark (tools/speed.sh): JPEG, WebP, AVIF and JPEG XL encoders and decoders,
# libjxl-devtools (butteraugli_main, ssimulacra_main), GNU time for peak memory, and FFmpeg (x264,
# x265, libaom, SVT-AV1; psnr and ssim filters) for the video evaluation (bin/vqcodec eval --video),
# and TCMalloc, which bin/vqcodec preloads when present (bin/malloc-tunables.sh): the speed table
# measures the codec as installed that way.
# Debian/Ubuntu, run as root.
set -euo pipefail
if [ "$(id -u)" -ne 0 ]; then echo "run as root (or with sudo)" >&2; exit 1; fi
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends libjpeg-turbo-progs webp libavif-bin libjxl-tools \
  libjxl-devtools time ffmpeg libtcmalloc-minimal4
for b in cjpeg djpeg cwebp dwebp avifenc avifdec cjxl djxl butteraugli_main ssimulacra_main \
    ffmpeg ffprobe; do
  printf '%-8s %s\n' "$b" "$(command -v "$b" || echo MISSING)"
done
