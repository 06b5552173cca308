#!/usr/bin/env bash
# Encodes and decodes every Kodak image through the vqcodec CLI at each --quality step and at
# several --bpp targets, and writes mean bpp (from the .vqc file sizes), RGB PSNR and MS-SSIM per
# setting to results/kodak-cli/cli-settings.csv (and .md).
# Needs a build (mvn -q -B install -DskipTests) and ../shared/data/kodak. Takes ~15 minutes on 2 cores.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
kodak="${KODAK:-$root/../shared/data/kodak}"
out="$root/results/kodak-cli"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"
cp_="$root/tools/target/vqcodec-tools-0.1.0-SNAPSHOT.jar:$root/tools/target/lib/*"
csv="$out/cli-settings.csv"
echo "setting,images,bpp,psnr,msssim" > "$csv"
run() { # label, encode options...
  local label="$1"; shift
  "$root/bin/vqcodec" encode --force "$@" "$kodak" "$work/$label-vqc"
  "$root/bin/vqcodec" decode --force "$work/$label-vqc" "$work/$label-png"
  java -Djava.awt.headless=true -cp "$cp_" io.vqcodec.tools.eval.FolderMetrics "$label" "$kodak" \
    "$work/$label-vqc" "$work/$label-png" | tee -a "$csv"
}
for q in $(seq 1 16); do run "quality-$q" --quality "$q"; done
for b in 0.01 0.02 0.05 0.1 0.15 0.25 0.5 1.0; do run "bpp-$b" --bpp "$b"; done
{
  echo "| setting | images | mean bpp | PSNR (dB) | MS-SSIM |"
  echo "|---|---:|---:|---:|---:|"
  tail -n +2 "$csv" | awk -F, '{printf "| %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5}'
} > "$out/cli-settings.md"
echo "wrote $csv and $out/cli-settings.md"
