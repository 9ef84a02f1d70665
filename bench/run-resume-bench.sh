#!/usr/bin/env bash
# A URL run killed at about half its fetches and resumed, against the same run uninterrupted, then
# its timeouts retried and merged (bench/ResumeBench.java); the outputs compared by a reader other
# than the pipeline's when ../shared/tools/output-digest is there. Needs the openclipart images
# that bench/run-image-bench.sh extracts ($BENCH_DIR/all) and a built project.
# Usage: bench/run-resume-bench.sh [COUNT]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
COUNT=${1:-2000}
BENCH=${BENCH_DIR:-$ROOT/bench/.work}
WORK=$BENCH/resume
if [ ! -d "$BENCH/all" ]; then
  echo "no $BENCH/all: run bench/run-image-bench.sh first (it extracts the openclipart images)" >&2
  exit 2
fi
CP="$(cat "$ROOT/pipelines/target/classpath.txt"):$ROOT/pipelines/target/classes"
java -Djava.awt.headless=true -cp "$CP" "$ROOT/bench/ResumeBench.java" "$BENCH/all" "$COUNT" "$WORK"
DIGEST="$ROOT/../shared/tools/output-digest"
if [ -x "$DIGEST" ]; then
  echo "== resumed against uninterrupted"
  "$DIGEST" "$WORK/whole" "$WORK/out" && echo "same rows and rejects"
fi
