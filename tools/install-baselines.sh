#!/usr/bin/env bash
# Installs the reference codecs used by the evaluation harness (tools/EVAL.md).
# Debian/Ubuntu, run as root. ffmpeg is optional and not used by the harness.
set -euo pipefail
if [ "$(id -u)" -ne 0 ]; then echo "run as root (or with sudo)" >&2; exit 1; fi
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends libjpeg-turbo-progs webp libavif-bin libjxl-tools
for b in cjpeg djpeg cwebp dwebp avifenc avifdec cjxl djxl; do
  printf '%-8s %s\n' "$b" "$(command -v "$b" || echo MISSING)"
done
