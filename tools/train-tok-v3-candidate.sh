#!/usr/bin/env bash
# tok-v3 candidate run (issue 17): tok-v2 with a deeper decoder at 1/4 resolution (four residual
# blocks instead of two, arch 16,64,192,192,1,2,1,1,4,4), on a new cosine cycle from tok-v2's
# released checkpoint. At 600 steps it matched tok-v2 (results/tok-v3-design/val-design.md); this
# run asks whether it pulls ahead over a full cycle. It is adopted only if its validation passes
# tok-v2's: 27.41 dB with three stages, 27.52 dB unquantized (psnr_fine_s3, psnr_fine_unquantized).
# Stopped on 2026-12-07 at step 45,670: 0.03 dB ahead of tok-v2, for a decoder network 14-24% slower
# (results/tok-v3-design/val-design.md, "Stopped at step 45,670"). Kept to finish the cycle if wanted.
# Start and resume are the same command, from the repository root:
#   tools/train-tok-v3-candidate.sh
# Background (nohup, nice 5, 1 PyTorch thread); output in runs/tok-v3-deeper (git-ignored):
# out.log, pid, train-log.csv, val-log.csv (every 500 steps), ckpt-<step>.vqt every 10 minutes and
# on SIGTERM (`kill -TERM $(cat runs/tok-v3-deeper/pid)`). With no checkpoint there it starts from
# the newest models/checkpoints/tok-v3-deeper/ckpt-*.vqt (Adam moments stripped) and its logs in
# results/tok-v3-design/*-deeper.*, else from tok-v2's models/checkpoints/tok-v2/ckpt-37054.vqt
# (the two new blocks then start near the identity). To commit progress: stop it, then
#   tools/run.sh io.vqcodec.tools.train.StripCheckpoint runs/tok-v3-deeper/ckpt-N.vqt \
#     models/checkpoints/tok-v3-deeper/ckpt-N.vqt
# (remove the older one), and copy train-log.csv, val-log.csv and elapsed.txt of runs/tok-v3-deeper
# to results/tok-v3-design/train-log-deeper.csv, val-log-deeper.csv and elapsed-deeper.txt.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
out=runs/tok-v3-deeper
mkdir -p "$out"
if [ -f "$out/pid" ] && kill -0 "$(cat "$out/pid")" 2>/dev/null; then
  echo "already running: pid $(cat "$out/pid")" >&2
  exit 1
fi
if [ -z "$(ls "$out"/ckpt-*.vqt 2>/dev/null)" ]; then
  seed=$(ls models/checkpoints/tok-v3-deeper/ckpt-*.vqt 2>/dev/null | sort -t- -k2 -n | tail -1 || true)
  if [ -n "$seed" ]; then
    # The committed checkpoint comes with the logs and time up to it (results/tok-v3-design).
    cp "$seed" "$out"/
    cp results/tok-v3-design/train-log-deeper.csv "$out"/train-log.csv
    cp results/tok-v3-design/val-log-deeper.csv "$out"/val-log.csv
    cp results/tok-v3-design/elapsed-deeper.txt "$out"/elapsed.txt
  else
    cp models/checkpoints/tok-v2/ckpt-37054.vqt "$out"/
  fi
fi
export OMP_NUM_THREADS=1 MVN_FLAGS="${MVN_FLAGS:-}"
# The run keeps its own copy of the project's classes (tools/run.sh): a first launch beside a full
# build diverged at step 37,150, and a relaunch from the same checkpoint did not.
export RUN_SNAPSHOT="$out/code"
export JAVA_OPTS="-Xmx6g -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1"
setsid nohup nice -n 5 tools/run.sh io.vqcodec.tools.train.TrainTokenizer \
  --data ../shared/data/train --val ../shared/data/val --out "$out" \
  --arch 16,64,192,192,1,2,1,1,4,4 --codebook 4096 --steps 16000 --small-steps 4000 \
  --vq-start 200 --warmup 200 --lr 5e-4 --ssim-weight 0.2 --val-every 500 --ckpt-minutes 10 \
  --restart-at 37054 --restart-steps 16000 --restart-lr 1.5e-4 --max-steps 53054 \
  --stages 3 --stage-codebook 4096 --val-unquantized >>"$out/out.log" 2>&1 &
echo $! >"$out/pid"
echo "started pid $! (log $out/out.log)"
