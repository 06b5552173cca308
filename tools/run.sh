#!/usr/bin/env bash
# Runs one offline tool (a main class of the tools module) with the module's class path, building
# it first when its sources changed. Training, prior fitting, release, reports, sweeps:
#   tools/run.sh io.vqcodec.tools.train.TrainTokenizer --data ../shared/data/train ...
#   tools/run.sh io.vqcodec.tools.train.ReleaseModel tokenizer --ckpt ... (models/README.md)
# Java options (heap, PyTorch threads) go in JAVA_OPTS; extra Maven flags (e.g. -o) in MVN_FLAGS.
# RUN_SNAPSHOT=DIR runs from a copy of the project's classes in DIR (long runs: builds cannot
# change the code under them).
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$root"
if [ $# -lt 1 ]; then sed -n '2,6p' "$0" >&2; exit 2; fi
main=$1
shift
cp=tools/target/classpath.txt
if [ ! -f "$cp" ] || [ ! -d tools/target/classes ] || [ tools/pom.xml -nt "$cp" ] \
    || [ -n "$(find */src/main -newer "$cp" -print -quit)" ]; then
  mvn -q -B ${MVN_FLAGS:-} -pl tools -am install -DskipTests >&2
  mvn -q -B ${MVN_FLAGS:-} -pl tools dependency:build-classpath -Dmdep.outputFile=target/classpath.txt >&2
fi
. bin/malloc-tunables.sh # glibc malloc settings for PyTorch (see there)
classes="tools/target/classes:$(cat "$cp")"
if [ -n "${RUN_SNAPSHOT:-}" ]; then
  # A long run (training) takes its own copy of this project's classes and jars, so that later
  # builds, which rewrite tools/target/classes and ~/.m2's vqcodec jars, cannot change the code
  # under it. Third-party jars in ~/.m2 never change and are used in place.
  rm -rf "$RUN_SNAPSHOT" && mkdir -p "$RUN_SNAPSHOT/lib"
  cp -r tools/target/classes "$RUN_SNAPSHOT/classes"
  classes="$RUN_SNAPSHOT/classes"
  IFS=: read -r -a jars < "$cp" || true # the file has no final newline
  for j in "${jars[@]}"; do
    case "$j" in
      */io/vqcodec/*) cp "$j" "$RUN_SNAPSHOT/lib/" && j="$RUN_SNAPSHOT/lib/$(basename "$j")" ;;
    esac
    classes="$classes:$j"
  done
fi
exec java ${JAVA_OPTS:-} -Djava.awt.headless=true -Dvqcodec.root="$root" \
  -cp "$classes" "$main" "$@"
