#!/usr/bin/env bash
# Rebuilds samples/graph-summary: 300 Debian packages reached from a few roots over Depends /
# Pre-Depends edges (apt-cache dumpavail of the machine's apt lists), as nodes.jsonl and
# edges.jsonl. Needs a built project (mvn -DskipTests install) and apt-cache.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
OUT="$ROOT/samples/graph-summary"
CP="$(cat "$ROOT/pipelines/target/classpath.txt")"
mkdir -p "$OUT"
apt-cache dumpavail | java -cp "$CP" "$ROOT/samples/scripts/DebianPackageGraph.java" "$OUT" gimp,inkscape,python3-numpy,postgresql,vim 300
