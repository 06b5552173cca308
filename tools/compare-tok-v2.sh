#!/usr/bin/env bash
# tok-v2 design comparison (results/tok-v2-design/val-design.md): equal short runs warm-started
# from tok-v1's step-21,054 checkpoint, one at a time, 1 PyTorch thread:
#   tools/compare-tok-v2.sh [DESIGN ...]     (default: rvq3 base rvq3n; also rvq2; outputs in runs/cmp-DESIGN)
# Each run: a 600-step cosine cycle (200-step warm-up to 1.5e-4, down to 7.5e-6), 128x128 crops,
# batch 16; validation (256x256 centre crops of ../shared/data/val) before the first and after the
# last step, with the nested levels and every residual stage.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
export OMP_NUM_THREADS=1 MVN_FLAGS="-o -Dmaven.repo.local=/tmp/m2-C"
export JAVA_OPTS="-Xmx6g -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1"
STEPS=${STEPS:-600}
for d in "${@:-rvq3 base rvq3n}"; do
  for design in $d; do
    case $design in
      base) extra=() ;;
      rvq2) extra=(--stages 2 --stage-codebook 4096) ;;
      rvq3) extra=(--stages 3 --stage-codebook 4096) ;;
      rvq3n) extra=(--stages 3 --stage-codebook 4096 --nested 0.3) ;;
      *) echo "unknown design $design" >&2; exit 2 ;;
    esac
    out=runs/cmp-$design
    mkdir -p "$out"
    [ -n "$(ls "$out"/ckpt-*.vqt 2>/dev/null)" ] || cp models/checkpoints/tok-v1/ckpt-21054.vqt "$out"/
    echo "== $design $(date -u +%FT%TZ)" >>"$out"/time.txt
    { time nice -n 5 tools/run.sh io.vqcodec.tools.train.TrainTokenizer --data ../shared/data/train \
        --val ../shared/data/val --out "$out" --arch 16,64,192,192,1,2,1,1,4,2 --codebook 4096 \
        --steps 16000 --small-steps 4000 --vq-start 200 --warmup 200 --lr 5e-4 --ssim-weight 0.2 \
        --val-every 100000 --ckpt-minutes 100 --restart-at 21054 --restart-steps "$STEPS" \
        --restart-lr 1.5e-4 --max-steps $((21054 + STEPS)) --val-levels --val-at-start "${extra[@]}" \
        >"$out"/out.log 2>&1 ; } 2>>"$out"/time.txt
  done
done
