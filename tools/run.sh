#!/usr/bin/env bash
# Runs one offline tool (a main class of the tools module) with the module's class path, building
# it first when its sources changed. Training, prior fitting, release, reports, sweeps:
#   tools/run.sh io.vqcodec.tools.train.TrainTokenizer --data ../shared/data/train ...
#   tools/run.sh io.vqcodec.tools.train.ReleaseModel tokenizer --ckpt ... (models/README.md)
# Java options (heap, PyTorch threads) go in JAVA_OPTS; extra Maven flags (e.g. -o) in MVN_FLAGS.
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
exec java ${JAVA_OPTS:-} -Djava.awt.headless=true -Dvqcodec.root="$root" \
  -cp "tools/target/classes:$(cat "$cp")" "$main" "$@"
