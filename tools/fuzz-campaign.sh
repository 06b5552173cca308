#!/usr/bin/env bash
# Runs the Jazzer campaigns of tools/FUZZING.md one target after another, each for a wall-clock
# duration, at the lowest CPU priority (nice 19: the campaign takes only CPU nothing else wants), and
# logs per target the executions, the CPU seconds it used and whether it found anything.
#   tools/fuzz-campaign.sh [--duration 1h] [TARGET...]
# TARGET is module:TestClass; default: all six targets. Needs a build (mvn -q -B install -DskipTests).
# Output: runs/fuzz/<TestClass>.log (Jazzer's own output) and one line per target appended to
# runs/fuzz/campaigns.tsv: date, target, wall duration, CPU seconds (user+sys, GNU time), executions,
# result. The corpora grow in <module>/.cifuzz-corpus/ and carry over to the next campaign; a finding
# is written to the target's inputs folder under src/test/resources and makes the run fail.
# Extra Maven flags (an offline or separate local repository): MVN_FLAGS="-o ...".
set -euo pipefail
cd "$(dirname "$(readlink -f "$0")")/.."
duration=1h
targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration=$2; shift 2 ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) targets+=("$1"); shift ;;
  esac
done
if [ ${#targets[@]} -eq 0 ]; then
  targets=(tokens:TokenDecoderFuzzTest container:ContainerFuzzTest entropy:EntropyFuzzTest
    cli:ImageInputFuzzTest tokens:VideoTokenDecoderFuzzTest decoder:ImageDecoderFuzzTest)
fi
command -v /usr/bin/time > /dev/null || { echo "fuzz-campaign.sh: GNU time missing (tools/install-baselines.sh)" >&2; exit 2; }
mkdir -p runs/fuzz
. bin/malloc-tunables.sh # ImageDecoderFuzzTest runs the network (bin/malloc-tunables.sh)
for t in "${targets[@]}"; do
  module=${t%%:*} class=${t#*:}
  log=runs/fuzz/$class.log
  start=$(date -u +%Y-%m-%dT%H:%MZ)
  result=ok
  # The image input target fuzzes the TwelveMonkeys readers too: Jazzer instruments only the
  # project's classes unless told (FUZZING.md).
  extra=()
  [ "$class" = ImageInputFuzzTest ] && extra=(-Djazzer.instrumentation_includes='com.twelvemonkeys.**:io.vqcodec.**')
  # shellcheck disable=SC2086
  JAZZER_FUZZ=1 /usr/bin/time -f "%U %S" -o "runs/fuzz/$class.time" nice -n 19 \
    mvn -B ${MVN_FLAGS:-} test -pl "$module" -Dtest="$class" -Dsurefire.failIfNoSpecifiedTests=false \
    -Djazzer.max_duration="$duration" "${extra[@]}" > "$log" 2>&1 || result=FAILED
  cpu=$(awk '{printf "%.0f", $1 + $2}' "runs/fuzz/$class.time")
  # libFuzzer's last status line: "#N DONE ..." or the last "#N pulse/NEW/REDUCE ..."
  execs=$(grep -aoE '^#[0-9]+' "$log" | tail -1 | tr -d '#')
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$start" "$t" "$duration" "$cpu" "${execs:-?}" "$result" \
    | tee -a runs/fuzz/campaigns.tsv
done
