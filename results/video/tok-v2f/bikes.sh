#!/usr/bin/env bash
# Whole-process video speed, bikes 640x272 -q 7: main (video default tok-v2f, model 10) against
# wt-base (commit 1d5e244, tok-v2, model 7), interleaved, 2 rounds; per-frame time from 120 - 30.
set -u
clip=/work/shared/data/video/bikes.mp4
out=/tmp/speed
for round in 1 2; do
  for b in main base; do
    bin=/work/main/bin/vqcodec; [ $b = base ] && bin=/work/wt-base/bin/vqcodec
    for n in 30 120; do
      /usr/bin/time -f "$round,$b,encode,$n,%e,%M" $bin encode --force --frames $n $clip $out/$b-$n.vqc >/dev/null 2>>$out/times.csv
      /usr/bin/time -f "$round,$b,decode,$n,%e,%M" $bin decode --force $out/$b-$n.vqc $out/$b-$n.y4m >/dev/null 2>>$out/times.csv
    done
  done
done
for b in main base; do
  ls -l $out/$b-120.vqc
  ffmpeg -v error -i $out/$b-120.y4m -i $clip -frames:v 120 -lavfi "[0:v]format=rgb24[a];[1:v]format=rgb24[b];[a][b]psnr" -f null - 2>&1 | tail -1
  ffmpeg -i $out/$b-120.y4m -i $clip -frames:v 120 -lavfi "[0:v]format=rgb24[a];[1:v]format=rgb24[b];[a][b]psnr" -f null - 2>&1 | grep -i "psnr" | tail -1
done
