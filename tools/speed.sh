#!/usr/bin/env bash
# Times vqcodec as a user runs it (whole process, bin/vqcodec) beside avifenc/avifdec, cjxl/djxl and
# cwebp/dwebp on the same pictures: wall time and peak memory (GNU time), median of N runs. On
# pictures up to 2 Mpixels vqcodec also under --bpp 0.05, and in batch mode (8 copies of the picture
# in one run): a file after the first costs (batch - single) / 7. Decodes also with --fast (the
# faster network released for the stream's tokens, ImageDecoder.Synthesis.FAST).
#   tools/speed.sh [--runs N] [--out DIR] [PICTURE...]
# Default pictures: Kodak kodim23 (768x512) and a 4032x2688 (12 MP) crop of a training wallpaper,
# written to $OUT/pictures by io.vqcodec.tools.bench.SpeedPictures. Each baseline is set to about
# vqcodec's file size (avifenc and cjxl by bisection of their quality knob, cwebp by its -size
# target). Needs `sudo tools/install-baselines.sh` once (codecs and GNU time) and a build.
# Writes $OUT/speed.csv (every run) and $OUT/speed.md (medians). Default OUT: results/speed.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$root"
runs=5
out=results/speed
pictures=()
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) pictures+=("$1"); shift ;;
  esac
done
for b in /usr/bin/time avifenc avifdec cjxl djxl cwebp dwebp; do
  command -v "$b" > /dev/null || { echo "speed.sh: $b missing: run sudo tools/install-baselines.sh" >&2; exit 2; }
done
[ -x bin/vqcodec ] && [ -d cli/target/lib ] || { echo "speed.sh: build first: mvn -q -B install -DskipTests" >&2; exit 2; }
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ ${#pictures[@]} -eq 0 ]; then
  tools/run.sh io.vqcodec.tools.bench.SpeedPictures "$out/pictures" \
    ../shared/data/kodak/kodim23.png \
    ../shared/data/train/debian-wallpapers/lomiri-wallpapers/Kleiber_by_Lukas_Baubkus.jpg:4032x2688 >&2
  pictures=("$out/pictures/kodim23.png" "$out/pictures/Kleiber_by_Lukas_Baubkus-4032x2688.png")
fi
csv="$out/speed.csv"
echo "picture,pixels,codec,job,run,bytes,wall_s,peak_kb" > "$csv"

# measure PICTURE PIXELS CODEC JOB BYTES COMMAND...: N runs, one CSV row each (wall s, peak KB).
measure() {
  local pic=$1 px=$2 codec=$3 job=$4 bytes=$5; shift 5
  for r in $(seq 1 "$runs"); do
    /usr/bin/time -f "%e %M" -o "$work/t" "$@" > /dev/null 2> "$work/err" || { cat "$work/err" >&2; return 1; }
    read -r wall kb < "$work/t"
    echo "$pic,$px,$codec,$job,$r,$bytes,$wall,$kb" >> "$csv"
  done
}
size() { stat -c %s "$1"; }

for pic in "${pictures[@]}"; do
  name=$(basename "$pic" .png)
  px=$(tools/run.sh io.vqcodec.tools.bench.SpeedPictures --pixels "$pic")
  # vqcodec at its default quality: the size every baseline aims at
  bin/vqcodec encode --force "$pic" "$work/v.vqc" > /dev/null
  target=$(size "$work/v.vqc")
  measure "$name" "$px" vqcodec encode "$target" bin/vqcodec encode --force "$pic" "$work/v.vqc"
  measure "$name" "$px" vqcodec decode "$target" bin/vqcodec decode --force "$work/v.vqc" "$work/v.png"
  # the same stream's tokens through the faster network released for them (decode --fast)
  measure "$name" "$px" vqcodec "decode --fast" "$target" \
    bin/vqcodec decode --force --fast "$work/v.vqc" "$work/v.png"
  measure "$name" "$px" vqcodec info "$target" bin/vqcodec info "$work/v.vqc"
  # pictures up to 2 Mpixels: rate control at 0.05 bpp, and batch mode (one process, 8 copies of
  # the picture): what a file costs after the first is (batch - single) / 7
  if [ "$px" -le 2000000 ]; then
    measure "$name" "$px" vqcodec "encode --bpp 0.05" "$(( px * 5 / 800 ))" \
      bin/vqcodec encode --force --bpp 0.05 "$pic" "$work/b.vqc"
    rm -rf "$work/batch" "$work/batch-out" "$work/batch-vqc"; mkdir -p "$work/batch"
    for i in 1 2 3 4 5 6 7 8; do cp "$pic" "$work/batch/$name-$i.png"; done
    bin/vqcodec encode --force "$work/batch" "$work/batch-vqc" > /dev/null
    measure "$name" "$px" vqcodec "encode 8 files" "$target" \
      bin/vqcodec encode --force "$work/batch" "$work/batch-vqc"
    measure "$name" "$px" vqcodec "decode 8 files" "$target" \
      bin/vqcodec decode --force "$work/batch-vqc" "$work/batch-out"
    measure "$name" "$px" vqcodec "decode --fast 8 files" "$target" \
      bin/vqcodec decode --force --fast "$work/batch-vqc" "$work/batch-out"
  fi
  # AVIF (aom, speed 6, 2 threads): bisect the quantizer (0 best .. 63) to the largest file <= target
  lo=0; hi=63
  while [ $lo -lt $hi ]; do
    mid=$(( (lo + hi) / 2 ))
    avifenc -s 6 -j 2 --min "$mid" --max "$mid" "$pic" "$work/a.avif" > /dev/null
    if [ "$(size "$work/a.avif")" -le "$target" ]; then hi=$mid; else lo=$((mid + 1)); fi
  done
  avifenc -s 6 -j 2 --min "$lo" --max "$lo" "$pic" "$work/a.avif" > /dev/null
  measure "$name" "$px" "avif q$lo" encode "$(size "$work/a.avif")" avifenc -s 6 -j 2 --min "$lo" --max "$lo" "$pic" "$work/a.avif"
  measure "$name" "$px" "avif q$lo" decode "$(size "$work/a.avif")" avifdec -j 2 "$work/a.avif" "$work/a.png"
  # JPEG XL (effort 7): bisect the distance (0.5 .. 25) to the smallest distance with a file <= target
  jlo=50; jhi=2500
  while [ $((jhi - jlo)) -gt 10 ]; do
    mid=$(( (jlo + jhi) / 2 ))
    cjxl -e 7 -d "$(printf '%d.%02d' $((mid / 100)) $((mid % 100)))" "$pic" "$work/j.jxl" > /dev/null 2>&1
    if [ "$(size "$work/j.jxl")" -le "$target" ]; then jhi=$mid; else jlo=$mid; fi
  done
  d=$(printf '%d.%02d' $((jhi / 100)) $((jhi % 100)))
  cjxl -e 7 -d "$d" "$pic" "$work/j.jxl" > /dev/null 2>&1
  measure "$name" "$px" "jxl d$d" encode "$(size "$work/j.jxl")" cjxl -e 7 -d "$d" "$pic" "$work/j.jxl"
  measure "$name" "$px" "jxl d$d" decode "$(size "$work/j.jxl")" djxl "$work/j.jxl" "$work/j.png"
  # WebP (method 4): its own size target
  cwebp -quiet -m 4 -size "$target" "$pic" -o "$work/w.webp"
  measure "$name" "$px" webp encode "$(size "$work/w.webp")" cwebp -quiet -m 4 -size "$target" "$pic" -o "$work/w.webp"
  measure "$name" "$px" webp decode "$(size "$work/w.webp")" dwebp "$work/w.webp" -o "$work/w.png"
done

# medians per picture, codec and job
{
  echo "# Whole-process speed and peak memory (tools/speed.sh, median of $runs runs)"
  echo
  echo "Measured $(date -u +%Y-%m-%d) on $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'))."
  echo "Load average when the run ended: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo
  echo "| picture | codec | job | bytes | wall s | peak MB |"
  echo "|---|---|---|---:|---:|---:|"
  awk -F, 'NR > 1 { k = $1 "|" $3 "|" $4 "|" $6; w[k] = w[k] " " $7; m[k] = m[k] " " $8; if (!(k in seen)) { seen[k] = 1; order[++n] = k } }
    function median(s,   a, c, i, j, t) { c = split(s, a, " "); for (i = 1; i <= c; i++) for (j = i + 1; j <= c; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
      return c % 2 ? a[(c + 1) / 2] : (a[c / 2] + a[c / 2 + 1]) / 2 }
    END { for (i = 1; i <= n; i++) { split(order[i], f, "|"); printf "| %s | %s | %s | %d | %.2f | %.0f |\n", f[1], f[2], f[3], f[4], median(w[order[i]]), median(m[order[i]]) / 1024 } }' "$csv"
} > "$out/speed.md"
cat "$out/speed.md"
