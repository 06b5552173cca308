#!/usr/bin/env bash
# tok-v3 candidate run (issue 17): product stages (three latent groups of 16 per fine position,
# stage s codes group s), warm-started from the 600-step design run pq3b of
# results/tok-v3-design/val-design.md (itself from tok-v2's released checkpoint). Start and resume
# are the same command, from the repository root:
#   tools/train-tok-v3-candidate.sh
# Background (nohup, nice 5, 1 PyTorch thread); output in runs/tok-v3-long (git-ignored): out.log,
# pid, train-log.csv, val-log.csv (every 500 steps, with the unquantized ceiling), ckpt-<step>.vqt
# every 10 minutes and on SIGTERM (`kill -TERM $(cat runs/tok-v3-long/pid)`).
# With no checkpoint in runs/tok-v3-long it starts from the design run's end,
# runs/tok-v3-design/pq3b/ckpt-37654.vqt (its command: results/tok-v3-design/val-design.md).
# Stopped at step 39,802 on 2026-12-06: the extra groups made validation pictures worse
# (results/tok-v3-design/val-design.md); kept to reproduce that, not as the next release.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
out=runs/tok-v3-long
mkdir -p "$out"
if [ -f "$out/pid" ] && kill -0 "$(cat "$out/pid")" 2>/dev/null; then
  echo "already running: pid $(cat "$out/pid")" >&2
  exit 1
fi
if [ -z "$(ls "$out"/ckpt-*.vqt 2>/dev/null)" ]; then
  seed=runs/tok-v3-design/pq3b/ckpt-37654.vqt
  [ -f "$seed" ] || { echo "no $seed: run the pq3b design run first" >&2; exit 1; }
  cp "$seed" "$out"/
fi
export OMP_NUM_THREADS=1 MVN_FLAGS="${MVN_FLAGS:-}"
export JAVA_OPTS="-Xmx6g -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1"
setsid nohup nice -n 5 tools/run.sh io.vqcodec.tools.train.TrainTokenizer \
  --data ../shared/data/train --val ../shared/data/val --out "$out" \
  --arch 16,64,192,192,1,2,1,1,4,2,3 --codebook 4096 --steps 16000 --small-steps 4000 \
  --vq-start 200 --warmup 200 --lr 5e-4 --ssim-weight 0.2 --val-every 500 --ckpt-minutes 10 \
  --restart-at 37654 --restart-steps 8000 --restart-lr 3e-4 --max-steps 45654 \
  --stages 3 --stage-codebook 4096 --group-commit 0.05 --val-unquantized >>"$out/out.log" 2>&1 &
echo $! >"$out/pid"
echo "started pid $! (log $out/out.log)"
