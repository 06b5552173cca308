#!/usr/bin/env bash
# tok-v2 training run (models/tok-v2-MODEL_CARD.md, models/README.md). Start and resume are the
# same command, from the repository root:
#   tools/train-tok-v2.sh
# It runs in the background (nohup, nice 5, 1 PyTorch thread), output in runs/tok-v2 (git-ignored):
# out.log, pid, train-log.csv, val-log.csv, ckpt-<step>.vqt every 10 minutes and on SIGTERM (nohup,
# nice and run.sh exec, so the pid is the java process: `kill -TERM $(cat runs/tok-v2/pid)` stops it
# after writing a checkpoint).
# With no checkpoint in runs/tok-v2 it seeds the run with the committed one: the newest
# models/checkpoints/tok-v2/ckpt-*.vqt, else tok-v1's models/checkpoints/tok-v1/ckpt-21054.vqt
# (the warm start; the stage codebooks are then initialised by k-means of residuals).
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
out=runs/tok-v2
mkdir -p "$out"
if [ -f "$out/pid" ] && kill -0 "$(cat "$out/pid")" 2>/dev/null; then
  echo "already running: pid $(cat "$out/pid")" >&2
  exit 1
fi
if [ -z "$(ls "$out"/ckpt-*.vqt 2>/dev/null)" ]; then
  seed=$(ls models/checkpoints/tok-v2/ckpt-*.vqt 2>/dev/null | sort -t- -k2 -n | tail -1 || true)
  cp "${seed:-models/checkpoints/tok-v1/ckpt-21054.vqt}" "$out"/
fi
export OMP_NUM_THREADS=1 MVN_FLAGS="${MVN_FLAGS:-}"
export JAVA_OPTS="-Xmx6g -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1"
# setsid: the run outlives the shell and process group that started it.
setsid nohup nice -n 5 tools/run.sh io.vqcodec.tools.train.TrainTokenizer \
  --data ../shared/data/train --val ../shared/data/val --out "$out" \
  --arch 16,64,192,192,1,2,1,1,4,2 --codebook 4096 --steps 16000 --small-steps 4000 \
  --vq-start 200 --warmup 200 --lr 5e-4 --ssim-weight 0.2 --val-every 500 --ckpt-minutes 10 \
  --restart-at 21054 --restart-steps 16000 --restart-lr 1.5e-4 --max-steps 37054 \
  --val-levels --stages 3 --stage-codebook 4096 >>"$out/out.log" 2>&1 &
echo $! >"$out/pid"
echo "started pid $! (log $out/out.log)"
