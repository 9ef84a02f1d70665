#!/usr/bin/env bash
# graph-summary throughput on Debian's package graph (apt-cache dumpavail): bare sampling loop vs
# the pipeline, and the openai path against a local server with a fixed latency vs the ideal.
# Writes its figures to stdout; bench/RESULTS.md records a run. Needs apt-cache and a built project.
# Usage: bench/run-graph-summary-bench.sh [LLM_SEEDS] [LATENCY_MS] [CONCURRENCY]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SEEDS=${1:-4000}
LATENCY=${2:-200}
CONCURRENCY=${3:-8}
WORK=${BENCH_DIR:-$ROOT/bench/.work}/graph-summary
mkdir -p "$WORK"
(cd "$ROOT" && mvn -B -q -DskipTests install)
CP="$ROOT/pipelines/target/corpusforge-pipelines.jar:$(cat "$ROOT/pipelines/target/classpath.txt")"
if [ ! -f "$WORK/graph/nodes.jsonl" ]; then
  apt-cache dumpavail | java -cp "$CP" "$ROOT/samples/scripts/DebianPackageGraph.java" "$WORK/graph"
fi
java -Xmx6g -Djava.awt.headless=true -Dai.djl.offline=true -cp "$CP" "$ROOT/bench/GraphSummaryBench.java" "$WORK/graph" "$WORK" "$SEEDS" "$LATENCY" "$CONCURRENCY" 2>&1 | grep -v ' WARN '
