#!/usr/bin/env bash
# What compact frame headers (Spec §9.6.3, version_minor 5) save: each clip's first N frames coded at
# several quality steps by this tree's CLI and by a build of the commit before them (original frame
# headers), same tokens. Per point: file bytes, the frames' header bytes (`vqcodec info --json`),
# and whether the two streams decode to the same pixels. Writes DIR/compact-headers.csv.
#
#   tools/compact-headers.sh --old DIR_OF_OLD_BUILD [--frames 20] [--qualities 1,3,5,7] --out DIR CLIP...
#
# The old build: `git worktree add /tmp/old a46530b && (cd /tmp/old && mvn -q -o -B package
# -DskipTests)`; its bin/vqcodec runs from its own cli/target/lib.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
old="" frames=20 qualities=1,3,5,7 out=""
while [ $# -gt 0 ]; do
  case "$1" in
    --old) old=$2; shift 2 ;;
    --frames) frames=$2; shift 2 ;;
    --qualities) qualities=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --) shift; break ;;
    -*) echo "unknown option $1" >&2; exit 2 ;;
    *) break ;;
  esac
done
if [ -z "$old" ] || [ -z "$out" ] || [ $# -eq 0 ]; then
  sed -n 2,10p "$0" >&2
  exit 2
fi
mkdir -p "$out"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
csv="$out/compact-headers.csv"
echo "clip,frames,quality,bytes_original,bytes_compact,frame_header_bytes_original,frame_header_bytes_compact,same_pixels" > "$csv"
headers() { # total frame header bytes of a stream
  bin/vqcodec info --json "$1" | python3 -c 'import json,sys; print(sum(f["header_bytes"] for f in json.load(sys.stdin)["per_frame"]))'
}
IFS=, read -ra qs <<< "$qualities"
for clip in "$@"; do
  name=$(basename "${clip%.*}")
  for q in "${qs[@]}"; do
    "$old/bin/vqcodec" encode --force --frames "$frames" -q "$q" "$clip" "$work/o.vqc" > /dev/null
    bin/vqcodec encode --force --frames "$frames" -q "$q" "$clip" "$work/c.vqc" > /dev/null
    "$old/bin/vqcodec" decode --force "$work/o.vqc" "$work/o.y4m" > /dev/null
    bin/vqcodec decode --force "$work/c.vqc" "$work/c.y4m" > /dev/null
    same=no
    cmp -s "$work/o.y4m" "$work/c.y4m" && same=yes
    echo "$name,$frames,$q,$(stat -c %s "$work/o.vqc"),$(stat -c %s "$work/c.vqc"),$(headers "$work/o.vqc"),$(headers "$work/c.vqc"),$same" | tee -a "$csv"
  done
done
