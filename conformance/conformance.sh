#!/usr/bin/env bash
# Runs the conformance tools (conformance/README.md). Builds the module first if needed.
#   conformance/conformance.sh run      [--tokens-dir DIR] [--write-tokens DIR]
#   conformance/conformance.sh generate [--out DIR]
#   conformance/conformance.sh fuzz     [--iterations N] [--seed S] [--timeout-ms T] [--save DIR]
# Extra Maven flags (for example -o for offline) can be given in MVN_FLAGS.
set -euo pipefail
root="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$root"
# The runner needs only the normative core (conformance module); generating vectors (the encoder
# makes some) and fuzzing are offline tools (tools module).
case "${1:-}" in
  run) module=conformance main=io.vqcodec.conformance.ConformanceRunner ;;
  generate) module=tools main=io.vqcodec.tools.vectors.VectorGenerator ;;
  fuzz) module=tools main=io.vqcodec.tools.vectors.MutationFuzzer ;;
  *) sed -n '2,6p' "$0" >&2; exit 2 ;;
esac
shift
cp=$module/target/classpath.txt
# Rebuilt when any module's sources or POM changed since the class path was written: the runner
# runs the core modules' code too (a change there alone must not leave it on the old jars).
if [ ! -f "$cp" ] || [ ! -d $module/target/classes ] \
    || [ -n "$(find pom.xml ./*/pom.xml ./*/src/main -newer "$cp" -print -quit)" ]; then
  # -am builds the modules it depends on from this tree; install keeps the local repository in step.
  mvn -q -B ${MVN_FLAGS:-} -pl $module -am install -DskipTests >&2
  mvn -q -B ${MVN_FLAGS:-} -pl $module dependency:build-classpath -Dmdep.outputFile=target/classpath.txt >&2
fi
exec java ${JAVA_OPTS:-} -Djava.awt.headless=true -Dvqcodec.root="$root" \
  -cp "$module/target/classes:$(cat "$cp")" "$main" "$@"
