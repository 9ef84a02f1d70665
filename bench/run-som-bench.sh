#!/usr/bin/env bash
# som throughput: the per-image steps on one thread (SomBench.java), then the whole pipeline on
# embedded Flink at parallelism 1 and at every core, with peak resident memory from /usr/bin/time.
# Builds 100 scenes per object count with samples/scripts/make-region-scenes.sh unless SCENES is
# given. Writes its figures to stdout; bench/RESULTS.md records a run.
# Usage: bench/run-som-bench.sh [IMAGES=100] [SCENES_DIR]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
IMAGES=${1:-100}
SCENES=${2:-${BENCH_DIR:-$ROOT/bench/.work}/region-scenes}
(cd "$ROOT" && mvn -B -q -DskipTests install)
[ -f "$SCENES/ground_truth.json" ] || "$ROOT/samples/scripts/make-region-scenes.sh" "$SCENES" 100 1
CP="$ROOT/pipelines/target/corpusforge-pipelines.jar:$(cat "$ROOT/pipelines/target/classpath.txt")"
java -Djava.awt.headless=true -cp "$CP" "$ROOT/bench/SomBench.java" "$SCENES" "$IMAGES" 2>&1 | grep -v ' WARN '
images=$(grep -c '"file_name"' "$SCENES/ground_truth.json")
for p in 1 0; do
  OUT=${BENCH_DIR:-$ROOT/bench/.work}/som-out-p$p
  mkdir -p "$(dirname "$OUT")"
  start=$(date +%s.%N)
  /usr/bin/time -v "$ROOT/bin/forge" run som --coco "$SCENES/ground_truth.json" --output "$OUT" --overwrite --parallelism $p --progress-seconds 0 > "$OUT.log" 2>&1
  end=$(date +%s.%N)
  peak=$(grep "Maximum resident" "$OUT.log" | awk '{print $6}')
  awk -v n="$images" -v s="$start" -v e="$end" -v p="$peak" -v par="$p" 'BEGIN { t = e - s; printf "pipeline  parallelism %s: %d images in %.1f s (JVM start included): %.1f images/s; peak resident %.0f MB\n", (par == 0 ? "every core" : par), n, t, n / t, p / 1024 }'
done
