#!/usr/bin/env bash
# decompose throughput against a bare tokenizer loop (same files, same tokenizer, one JVM), and
# peak memory of a run on one 100 MB document against one on a 1 MB document. Writes its figures
# to stdout; bench/RESULTS.md records a run. Needs apt-get (downloads linux-doc-6.1) and a built project.
# Usage: bench/run-decompose-bench.sh [ROUNDS]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
ROUNDS=${1:-3}
WORK=${BENCH_DIR:-$ROOT/bench/.work}/decompose
mkdir -p "$WORK"
SRC="$WORK/ld/x/usr/share/doc/linux-doc-6.1/html/_sources"
if [ ! -d "$SRC" ]; then
  mkdir -p "$WORK/ld" && (cd "$WORK/ld" && apt-get download linux-doc-6.1 >/dev/null)
  dpkg -x "$WORK"/ld/linux-doc-6.1_*.deb "$WORK/ld/x"
fi
(cd "$ROOT" && mvn -B -q -DskipTests install)
CP="$ROOT/pipelines/target/corpusforge-pipelines.jar:$(cat "$ROOT/pipelines/target/classpath.txt")"
# the sources once, and five times (hard links in copy1..copy5)
if [ ! -d "$WORK/x5" ]; then
  for i in 1 2 3 4 5; do mkdir -p "$WORK/x5" && cp -al "$SRC" "$WORK/x5/copy$i"; done
fi
echo "== tokens per second: the decompose pipeline vs a bare tokenizer loop (linux-doc-6.1 sources, once and five times)"
java -Xmx6g -Djava.awt.headless=true -cp "$CP" "$ROOT/bench/DecomposeBench.java" "$WORK" "$ROUNDS" "$SRC" "$WORK/x5" 2>&1 | grep -v ' WARN '
echo "== peak memory: one 1 MB document vs one 100 MB document (forge run decompose, JAVA_OPTS=-Xmx1g)"
for size in 1 100; do
  dir="$WORK/one-$size"
  rm -rf "$dir" && mkdir -p "$dir"
  find "$SRC" -name '*.txt' | sort | xargs cat > "$WORK/all.txt"
  python3 - "$WORK/all.txt" "$dir/doc.txt" "$size" <<'PY'
import sys
src, dst, mb = sys.argv[1], sys.argv[2], int(sys.argv[3])
data = open(src, "rb").read()
with open(dst, "wb") as f:
    written = 0
    while written < mb * 1_000_000:
        part = data[: mb * 1_000_000 - written]
        f.write(part)
        written += len(part)
PY
  JAVA_OPTS=-Xmx1g /usr/bin/time -f "$size MB document: max RSS %M KB, wall %e s" "$ROOT/bin/forge" run decompose --input "$dir" \
    --output "$WORK/out-$size" --overwrite --parallelism 1 --progress-seconds 0 2>&1 | grep -E "MB document|tokens|kept"
  python3 -c "import json,sys; t=json.load(open('$WORK/out-$size/manifest.json'))['tokens']; print('  tokens_in', t['tokens_in'], 'balanced', t['balanced'])"
done
