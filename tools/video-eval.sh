#!/usr/bin/env bash
# The video evaluation is `bin/vqcodec eval --video` (rate-distortion curves, BD-rates against x264,
# x265, libaom-av1 and SVT-AV1 low delay, key/predicted bytes, fps; tools/EVAL.md, section "Video";
# results/video/rd). This script is kept only to reproduce results/video/video.md:
# one operating point per clip, vqcodec beside x264, x265 and AV1 (libaom) on the same frames at
# about the same bitrate, quality by FFmpeg's psnr and ssim filters on RGB (gbrp), wall time per codec.
#   tools/video-eval.sh [--frames N] [--quality Q] [--keyint K] [--out DIR] [CLIP...]
# Default clips: ../shared/data/video/{carphone_pristine,bikes}.mp4, first 60 frames, quality 7,
# keyint 60. The reference is the first N frames converted once to lossless RGB (FFV1 in .mkv), and
# every codec codes that reference; vqcodec decodes to lossless RGB too. The baselines aim at
# vqcodec's measured bitrate (one-pass ABR: x264 and x265 medium, libaom cpu-used 6).
# Needs `sudo tools/install-baselines.sh` (FFmpeg) and a build. Writes DIR/video.csv and
# DIR/video.md (default DIR: results/video).
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$root"
frames=60 quality=7 keyint=60 out=results/video clips=()
while [ $# -gt 0 ]; do
  case "$1" in
    --frames) frames=$2; shift 2 ;;
    --quality) quality=$2; shift 2 ;;
    --keyint) keyint=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) clips+=("$1"); shift ;;
  esac
done
command -v ffmpeg > /dev/null || { echo "video-eval.sh: ffmpeg missing: run sudo tools/install-baselines.sh" >&2; exit 2; }
[ ${#clips[@]} -gt 0 ] || clips=(../shared/data/video/carphone_pristine.mp4 ../shared/data/video/bikes.mp4)
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
csv="$out/video.csv"
echo "clip,frames,codec,kbps,psnr_rgb,ssim_rgb,encode_s,decode_s" > "$csv"

# metrics REF DIST: "psnr ssim" over all frames, RGB planes
metrics() {
  local p s
  p=$(ffmpeg -hide_banner -nostats -i "$1" -i "$2" -lavfi "[0:v]format=gbrp[a];[1:v]format=gbrp[b];[a][b]psnr" -f null - 2>&1 \
    | sed -n 's/.*PSNR.* average:\([0-9.inf]*\).*/\1/p' | tail -1)
  s=$(ffmpeg -hide_banner -nostats -i "$1" -i "$2" -lavfi "[0:v]format=gbrp[a];[1:v]format=gbrp[b];[a][b]ssim" -f null - 2>&1 \
    | sed -n 's/.*SSIM.* All:\([0-9.]*\).*/\1/p' | tail -1)
  echo "$p $s"
}
seconds() { local t0=$1; echo "$(date +%s.%N) - $t0" | bc; }

for clip in "${clips[@]}"; do
  name=$(basename "$clip" | sed 's/\.[^.]*$//')
  ref="$work/$name-ref.mkv"
  ffmpeg -hide_banner -loglevel error -y -i "$clip" -frames:v "$frames" -an -c:v ffv1 -pix_fmt bgr0 "$ref"
  fps=$(ffprobe -v error -select_streams v:0 -show_entries stream=r_frame_rate -of csv=p=0 "$ref")
  dur=$(echo "$frames / ($fps)" | bc -l)
  # vqcodec
  t0=$(date +%s.%N)
  bin/vqcodec encode --force --quality "$quality" --keyint "$keyint" "$ref" "$work/v.vqc" > /dev/null
  te=$(seconds "$t0")
  t0=$(date +%s.%N)
  bin/vqcodec decode --force "$work/v.vqc" "$work/v.mkv"
  td=$(seconds "$t0")
  kbps=$(echo "8 * $(stat -c %s "$work/v.vqc") / $dur / 1000" | bc -l)
  read -r p s <<< "$(metrics "$ref" "$work/v.mkv")"
  printf '%s,%d,vqcodec q%s,%.1f,%s,%s,%.2f,%.2f\n' "$name" "$frames" "$quality" "$kbps" "$p" "$s" "$te" "$td" >> "$csv"
  target=$(printf '%.0f' "$kbps")
  for codec in libx264 libx265 libaom-av1; do
    case $codec in
      libx264) ext=mp4 opts=(-preset medium -g "$keyint") ;;
      libx265) ext=mp4 opts=(-preset medium -x265-params "keyint=$keyint:log-level=error") ;;
      libaom-av1) ext=mkv opts=(-cpu-used 6 -row-mt 1 -g "$keyint") ;;
    esac
    t0=$(date +%s.%N)
    ffmpeg -hide_banner -loglevel error -y -i "$ref" -c:v $codec -b:v "${target}k" -pix_fmt yuv420p "${opts[@]}" "$work/b.$ext"
    te=$(seconds "$t0")
    t0=$(date +%s.%N)
    ffmpeg -hide_banner -loglevel error -y -i "$work/b.$ext" -f null -
    td=$(seconds "$t0")
    k=$(echo "8 * $(stat -c %s "$work/b.$ext") / $dur / 1000" | bc -l)
    read -r p s <<< "$(metrics "$ref" "$work/b.$ext")"
    printf '%s,%d,%s,%.1f,%s,%s,%.2f,%.2f\n' "$name" "$frames" "$codec" "$k" "$p" "$s" "$te" "$td" >> "$csv"
  done
done
{
  echo "# Video: vqcodec beside x264, x265 and AV1 (tools/video-eval.sh)"
  echo
  echo "Measured $(date -u +%Y-%m-%d) on $(nproc) cores; load when done: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo "Reproduce: \`tools/video-eval.sh --frames $frames --quality $quality --keyint $keyint\`. PSNR and SSIM on RGB"
  echo "(FFmpeg filters, gbrp), averaged over the frames; baselines aim at vqcodec's bitrate (one-pass ABR)."
  echo "Container overhead is included in every bitrate (mp4/mkv for the baselines, .vqc for vqcodec)."
  echo
  echo "| clip | frames | codec | kbit/s | PSNR RGB dB | SSIM RGB | encode s | decode s |"
  echo "|---|---:|---|---:|---:|---:|---:|---:|"
  tail -n +2 "$csv" | awk -F, '{printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n", $1,$2,$3,$4,$5,$6,$7,$8}'
} > "$out/video.md"
cat "$out/video.md"
