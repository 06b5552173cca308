#!/usr/bin/env bash
# tok-v3 candidate runs (issue 17): a full cosine cycle (16,000 steps, as tok-v2's second) from
# tok-v2's released checkpoint (step 37,054), with validation every 500 steps. A candidate is
# adopted only if its validation passes tok-v2's, 27.41 dB with three stages and 27.52 dB
# unquantized (psnr_fine_s3, psnr_fine_unquantized), without slowing the decoder network
# (NetworkBenchmark; issue 17 asks for decode speed no worse than tok-v1's).
#
#   tools/train-tok-v3-candidate.sh wide     # the current candidate
#   tools/train-tok-v3-candidate.sh deeper   # stopped, kept to finish its cycle if wanted
#   tools/train-tok-v3-candidate.sh fast     # a faster decoder for tok-v2's tokens
#   tools/train-tok-v3-candidate.sh wideq    # wide, its groups quantized (the second run)
#   tools/train-tok-v3-candidate.sh fastb    # fast's decoder, a second cycle
#   tools/train-tok-v3-candidate.sh wrvq6    # wide's latent as one 48-value vector, 6 residual stages
#
# wide: product stages, three latent groups of 16 values per 8x8 block (arch
#   16,64,192,192,1,2,1,1,4,2,3), trained first as an autoencoder: the extra groups reach the
#   decoder unquantized at every position (--groups-continuous) while they commit to their own
#   codebooks. The decoder network costs what tok-v2's does up to its wider first convolution. A
#   1,500-step design run (results/tok-v3-design/val-design.md, "Product stages as an autoencoder
#   first") did not yet pass tok-v2's ceiling; this run asks whether a full cycle does. The groups
#   are quantized in a second run (without the flag) only if it does.
# deeper: tok-v2 with four residual blocks at 1/4 resolution in the decoder (arch
#   16,64,192,192,1,2,1,1,4,4); stopped on 2026-12-07 at step 45,670, 0.03 dB ahead of tok-v2 for
#   a decoder network 14-24% slower (val-design.md, "Stopped at step 45,670").
# fast: a decoder with two residual blocks at 1/8 resolution instead of four (arch
#   16,64,192,192,1,2,1,1,2,2; NetworkBenchmark: 36-39% less time) trained alone
#   (--decoder-only) for tok-v2's encoder and codebooks, which stay exactly tok-v2's: it reads
#   tok-v2's tokens, so tok-v2's token models apply unchanged. A 1,500-step design run ended 0.34 dB
#   below tok-v2 with three stages (val-design.md, "A faster decoder for tok-v2's tokens"); this
#   run asks how much of that a full cycle wins back. Not a tok-v3 candidate for quality: it is the
#   speed issues' (15, 16) option.
# wideq: the second run of `wide`, from the end of its cycle (step 53,054): the same network with
#   its extra groups quantized by their codebooks, as the stream will carry them, and each group
#   present or absent per cell at random (the decoder's presence planes), so that the decoder learns
#   what the quantized groups carry and how to do without them. A shorter cycle of 8,000 steps from
#   a lower peak (1e-4): the network already works; it adapts to its quantizer.
# fastb: tok-v2f's decoder (the end of `fast`) trained for a second, shorter cycle as wideq's. tok-v2f
#   decodes tok-v2's tokens 0.04-0.11 dB below tok-v2's own decoder on the validation crops and was
#   still gaining at the end of its cycle (+0.08 dB over its last 5,000 steps); pictures keep tok-v2
#   for that gap (issue 15 asks for unchanged RD). If this run closes it, pictures get the decoder
#   that costs 36-39% less, a new release with model ids of its own. Stopped on 2026-12-07 at step
#   59,018, level with tok-v2f's release and 0.02-0.12 dB below tok-v2 (val-design.md): not released.
# wrvq6: wide's autoencoder (its 48 latent values per 8x8 block, the widest ceiling measured, 29.03
#   dB unquantized) quantized as one 48-value vector by residual stages instead of three product
#   groups: arch 48,64,192,192,1,2,1,1,4,2 (one group of 48; the coarse tokens share the codebook
#   and so are 48 values too), 6 stages of 4096 codes (today's syntax carries 3, Spec §A.3; the
#   other 3 measure what a syntax with more would buy). A 1,500-step design run from wide's end
#   (val-design.md, "Wide latent, residual stages") tied tok-v2's three stages after 1,250 quantized
#   steps; this cycle, from the design run's end (step 54,554), asks how far it goes. Stopped on
#   2026-12-08 at step 57,747, level below tok-v2 once the pixel residual (Spec §6.9) took over the
#   top of the range (val-design.md): not released.
#
# Start and resume are the same command, from the repository root. Background (nohup, nice 5, 1
# PyTorch thread); output in runs/tok-v3-NAME (git-ignored): out.log, pid, train-log.csv,
# val-log.csv, ckpt-<step>.vqt every 10 minutes and on SIGTERM (`kill -TERM $(cat
# runs/tok-v3-NAME/pid)`). With no checkpoint there it starts from the newest
# models/checkpoints/tok-v3-NAME/ckpt-*.vqt (Adam moments stripped) and its logs in
# results/tok-v3-design/*-NAME.*, else (a second run) from its first run's newest checkpoint, else
# from tok-v2's models/checkpoints/tok-v2/ckpt-37054.vqt (new
# blocks then start near the identity, new latent groups fresh). To commit progress: stop it, then
#   tools/run.sh io.vqcodec.tools.train.StripCheckpoint runs/tok-v3-NAME/ckpt-N.vqt \
#     models/checkpoints/tok-v3-NAME/ckpt-N.vqt
# (remove the older one), and copy train-log.csv, val-log.csv and elapsed.txt of runs/tok-v3-NAME
# to results/tok-v3-design/train-log-NAME.csv, val-log-NAME.csv and elapsed-NAME.txt.
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
name=${1:-}
case "$name" in
  wide) arch=16,64,192,192,1,2,1,1,4,2,3 extra=(--groups-continuous) ;;
  wideq) arch=16,64,192,192,1,2,1,1,4,2,3 extra=() from=wide ;;
  fastb) arch=16,64,192,192,1,2,1,1,2,2 extra=(--decoder-only) from=fast ;;
  wrvq6)
    arch=48,64,192,192,1,2,1,1,4,2 extra=() stages=6
    cycle=(--restart-at 54554 --restart-steps 16000 --restart-lr 1.5e-4 --max-steps 70554)
    ;;
  deeper) arch=16,64,192,192,1,2,1,1,4,4 extra=() ;;
  fast) arch=16,64,192,192,1,2,1,1,2,2 extra=(--decoder-only) ;;
  *)
    echo "usage: tools/train-tok-v3-candidate.sh wide|deeper|fast|wideq|fastb|wrvq6" >&2
    exit 2
    ;;
esac
out=runs/tok-v3-$name
mkdir -p "$out"
if [ -f "$out/pid" ] && kill -0 "$(cat "$out/pid")" 2>/dev/null; then
  echo "already running: pid $(cat "$out/pid")" >&2
  exit 1
fi
# The newest committed checkpoint of run $1, by step (sort -V: ckpt-9999 before ckpt-10000).
newest() { ls models/checkpoints/tok-v3-"$1"/ckpt-*.vqt 2>/dev/null | sort -V | tail -1 || true; }
if [ -z "$(ls "$out"/ckpt-*.vqt 2>/dev/null)" ]; then
  seed=$(newest "$name")
  if [ -n "$seed" ]; then
    # The committed checkpoint comes with the logs and time up to it (results/tok-v3-design).
    cp "$seed" "$out"/
    cp results/tok-v3-design/train-log-$name.csv "$out"/train-log.csv
    cp results/tok-v3-design/val-log-$name.csv "$out"/val-log.csv
    cp results/tok-v3-design/elapsed-$name.txt "$out"/elapsed.txt
  elif [ -n "${from:-}" ]; then
    # A second run starts from the newest committed checkpoint of its first run, with fresh logs.
    cp "$(newest "$from")" "$out"/
  else
    cp models/checkpoints/tok-v2/ckpt-37054.vqt "$out"/
  fi
fi
# One cosine cycle: from tok-v2's step 37,054 for first runs, from the end of the first run for
# second runs, or the run's own.
if [ -n "${cycle:-}" ]; then
  :
elif [ -n "${from:-}" ]; then
  cycle=(--restart-at 53054 --restart-steps 8000 --restart-lr 1e-4 --max-steps 61054)
else
  cycle=(--restart-at 37054 --restart-steps 16000 --restart-lr 1.5e-4 --max-steps 53054)
fi
export OMP_NUM_THREADS=1 MVN_FLAGS="${MVN_FLAGS:-}"
# The run keeps its own copy of the project's classes (tools/run.sh): a first launch beside a full
# build diverged at step 37,150, and a relaunch from the same checkpoint did not.
export RUN_SNAPSHOT="$out/code"
export JAVA_OPTS="-Xmx6g -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1"
setsid nohup nice -n 5 tools/run.sh io.vqcodec.tools.train.TrainTokenizer \
  --data ../shared/data/train --val ../shared/data/val --out "$out" \
  --arch "$arch" --codebook 4096 --steps 16000 --small-steps 4000 \
  --vq-start 200 --warmup 200 --lr 5e-4 --ssim-weight 0.2 --val-every 500 --ckpt-minutes 10 \
  "${cycle[@]}" \
  --stages "${stages:-3}" --stage-codebook 4096 --val-unquantized "${extra[@]}" >>"$out/out.log" 2>&1 &
echo $! >"$out/pid"
echo "started pid $! (log $out/out.log)"
