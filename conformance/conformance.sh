#!/usr/bin/env bash
# Runs the conformance tools (conformance/README.md). Builds the module first if needed.
#   conformance/conformance.sh run      [--tokens-dir DIR] [--write-tokens DIR] [--no-model-check]
#   conformance/conformance.sh generate [--out DIR]
#   conformance/conformance.sh fuzz     [--iterations N] [--seed S] [--timeout-ms T] [--save DIR]
# Extra Maven flags (for example -o for offline) can be given in MVN_FLAGS.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$root"
case "${1:-}" in
  run) main=io.vqcodec.conformance.ConformanceRunner ;;
  generate) main=io.vqcodec.conformance.VectorGenerator ;;
  fuzz) main=io.vqcodec.conformance.MutationFuzzer ;;
  *) sed -n '2,6p' "$0" >&2; exit 2 ;;
esac
shift
cp=conformance/target/classpath.txt
if [ ! -f "$cp" ] || [ ! -d conformance/target/classes ] || [ conformance/pom.xml -nt "$cp" ] \
    || [ -n "$(find conformance/src/main -newer "$cp" -print -quit)" ]; then
  mvn -q -B ${MVN_FLAGS:-} -pl conformance compile dependency:build-classpath -Dmdep.outputFile=target/classpath.txt >&2
fi
exec java ${JAVA_OPTS:-} -Djava.awt.headless=true -Dvqcodec.root="$root" \
  -cp "conformance/target/classes:$(cat "$cp")" "$main" "$@"
