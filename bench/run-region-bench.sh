#!/usr/bin/env bash
# region-entity throughput: each annotator alone on one core (RegionBench.java), then the whole
# pipeline on embedded Flink with every core, its peak resident memory from /usr/bin/time.
# Builds 100 scenes per object count with samples/scripts/make-region-scenes.sh unless SCENES is
# given. Writes its figures to stdout; bench/RESULTS.md records a run.
# Usage: bench/run-region-bench.sh [ANNOTATOR_ROWS=60] [SCENES_DIR]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
ROWS=${1:-60}
SCENES=${2:-${BENCH_DIR:-$ROOT/bench/.work}/region-scenes}
BUNDLE=$ROOT/samples/models/clipart-dual-encoder
(cd "$ROOT" && mvn -B -q -DskipTests install)
[ -f "$SCENES/rows.jsonl" ] || "$ROOT/samples/scripts/make-region-scenes.sh" "$SCENES" 100 1
CP="$ROOT/pipelines/target/corpusforge-pipelines.jar:$(cat "$ROOT/pipelines/target/classpath.txt")"
java -Xmx2g -Djava.awt.headless=true -Dai.djl.offline=true -cp "$CP" "$ROOT/bench/RegionBench.java" "$SCENES" "$BUNDLE" "$ROWS" 2>&1 | grep -v ' WARN '
OUT=${BENCH_DIR:-$ROOT/bench/.work}/region-out
start=$(date +%s.%N)
JAVA_OPTS=-Xmx2g /usr/bin/time -v "$ROOT/bin/forge" run region-entity --input "$SCENES/rows.jsonl" --kb "$SCENES/kb.jsonl" --model "$BUNDLE" \
  --ground-truth "$SCENES/ground_truth.json" --output "$OUT" --overwrite --progress-seconds 0 > "$OUT.log" 2>&1
end=$(date +%s.%N)
rows=$(wc -l < "$SCENES/rows.jsonl")
cores=$(nproc)
peak=$(grep "Maximum resident" "$OUT.log" | awk '{print $6}')
awk -v r="$rows" -v s="$start" -v e="$end" -v c="$cores" -v p="$peak" 'BEGIN { t = e - s; printf "pipeline  %d rows on %d cores in %.1f s: %.2f images/s, %.2f per core; peak resident %.0f MB (-Xmx2g)\n", r, c, t, r / t, r / t / c, p / 1024 }'
