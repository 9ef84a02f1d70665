#!/usr/bin/env bash
# Pairs per second through the Beam scoring transform vs a bare ONNX Runtime loop, same bundle,
# pairs, batch size and threads, in one JVM. Writes its figures to stdout; bench/RESULTS.md
# records a run. Needs a built project (built here if needed).
# Usage: bench/run-score-bench.sh [PAIRS] [BATCH] [ROUNDS] [BUNDLE] [IMAGE_DIR]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
PAIRS=${1:-4000}
BATCH=${2:-32}
ROUNDS=${3:-3}
BUNDLE=${4:-$ROOT/samples/models/clipart-dual-encoder}
IMAGES=${5:-$ROOT/samples/image-text}
JAR="$ROOT/pipelines/target/corpusforge-pipelines.jar"
[ -f "$JAR" ] || (cd "$ROOT" && mvn -B -q -DskipTests install)
CP="$JAR:$(cat "$ROOT/pipelines/target/classpath.txt")"
java -Xmx4g -Djava.awt.headless=true -Dai.djl.offline=true -cp "$CP" "$ROOT/bench/ScoreBench.java" "$BUNDLE" "$IMAGES" "$PAIRS" "$BATCH" "$ROUNDS" 2>&1 | grep -v ' WARN '
