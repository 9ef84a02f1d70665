#!/usr/bin/env bash
# Every end-to-end figure of bench/RESULTS.md's "Whole runs" table in one command: each pipeline's
# fixed cost (from a fresh JVM, and handed to a warm daemon), image-text's marginal rate against a bare decode loop, its memory and CPU per record
# at 1×, 2×, 4× and 8× the input, decompose and graph-summary against their bare loops, region-entity
# and som per core. Inputs come from Debian packages (apt-get download), as the other benches'.
# Prints the table and writes it into bench/RESULTS.md between the run-all markers.
#
# Usage: bench/run-all.sh [ROUNDS=2] [--long]
#   ROUNDS  runs of each measure; the best is reported
#   --long  also the graph-summary runs with MiniLM alignment over Debian's whole package graph,
#           full precision and int8 (half an hour or more on 2 cores)
# BENCH_DIR (default bench/.work) holds the inputs and outputs.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
ROUNDS=${1:-2}
LONG=
for a in "$@"; do [ "$a" = --long ] && LONG=1; done
WORK=${BENCH_DIR:-$ROOT/bench/.work}
mkdir -p "$WORK"
FORGE="$ROOT/bin/forge"
CORES=$(nproc)
(cd "$ROOT" && mvn -B -q -DskipTests install)
CP="$ROOT/pipelines/target/corpusforge-pipelines.jar:$(cat "$ROOT/pipelines/target/classpath.txt")"
# the first run after a build writes the class-data archive: not one of the measured runs
"$FORGE" run decompose --input "$ROOT/samples/decompose/docs" --output "$WORK/warm" --overwrite \
  --progress-seconds 0 >/dev/null 2>&1

# --- inputs -------------------------------------------------------------------------------
if [ ! -d "$WORK/oc/x/usr/share/openclipart/png" ]; then
  mkdir -p "$WORK/oc" && (cd "$WORK/oc" && apt-get download openclipart-png openclipart-svg >/dev/null)
  for deb in "$WORK"/oc/openclipart-*.deb; do dpkg -x "$deb" "$WORK/oc/x"; done
fi
[ -d "$WORK/all" ] || java "$ROOT/samples/scripts/MakeImageTextSample.java" "$WORK/oc/x" "$WORK/all" --large 100000 >/dev/null
# images every path decodes (shorter side >= 200, long/short <= 3), as run-image-bench.sh picks them;
# the 4k set, its first 101 pairs, and four distinct variants of the 4k set (bench/MakeVariants.java:
# re-encoded, mirrored, upside down, both, captions a few words longer) for 1×, 2× and 4× the input
# with no duplicates between them
if [ ! -d "$WORK/it-4k" ]; then
  python3 "$ROOT/bench/pick-images.py" "$WORK/all" "$WORK/it-4k" 6000 >/dev/null
fi
if [ ! -d "$WORK/itv/v4" ]; then
  rm -rf "$WORK/itv" && java -Xmx4g "$ROOT/bench/MakeVariants.java" "$WORK/it-4k" "$WORK/itv" 4 >/dev/null
fi
for n in 2 4; do
  d="$WORK/it-v$n"
  if [ ! -d "$d" ]; then
    mkdir -p "$d"
    for v in $(seq 1 $n); do cp -al "$WORK/itv/v$v" "$d/v$v"; done
  fi
done
# 8×: the 4× set twice, the second copy under other names (exact duplicates of the first, still
# read, decoded and hashed each), for the marginal rate past the JIT's warm-up
if [ ! -d "$WORK/it-v8" ]; then
  mkdir -p "$WORK/it-v8"
  for v in 1 2 3 4; do cp -al "$WORK/itv/v$v" "$WORK/it-v8/v$v"; cp -al "$WORK/itv/v$v" "$WORK/it-v8/w$v"; done
fi
if [ ! -d "$WORK/it-101" ]; then
  mkdir -p "$WORK/it-101"
  for f in $(ls "$WORK/itv/v1" | grep '\.png$' | sed -n '1,101p'); do
    cp "$WORK/itv/v1/$f" "$WORK/it-101/"; cp "$WORK/itv/v1/${f%.png}.txt" "$WORK/it-101/" 2>/dev/null || true
  done
fi
SRC="$WORK/decompose/ld/x/usr/share/doc/linux-doc-6.1/html/_sources"
if [ ! -d "$SRC" ]; then
  mkdir -p "$WORK/decompose/ld" && (cd "$WORK/decompose/ld" && apt-get download linux-doc-6.1 >/dev/null)
  dpkg -x "$WORK"/decompose/ld/linux-doc-6.1_*.deb "$WORK/decompose/ld/x"
fi
if [ ! -d "$WORK/decompose/x5" ]; then
  for i in 1 2 3 4 5; do mkdir -p "$WORK/decompose/x5" && cp -al "$SRC" "$WORK/decompose/x5/copy$i"; done
fi
if [ ! -d "$WORK/decompose/docs-100" ]; then
  mkdir -p "$WORK/decompose/docs-100"
  find "$SRC" -name '*.txt' | sort | sed -n '1,100p' | while read -r f; do cp "$f" "$WORK/decompose/docs-100/$(echo "$f" | md5sum | cut -c1-12).txt"; done
fi
GRAPH="$WORK/graph-summary/graph"
[ -f "$GRAPH/nodes.jsonl" ] || apt-cache dumpavail | java -cp "$CP" "$ROOT/samples/scripts/DebianPackageGraph.java" "$GRAPH"
SCENES="$WORK/region-scenes"
[ -f "$SCENES/rows.jsonl" ] || "$ROOT/samples/scripts/make-region-scenes.sh" "$SCENES" 100 1
[ -f "$SCENES/rows-100.jsonl" ] || head -100 "$SCENES/rows.jsonl" > "$SCENES/rows-100.jsonl"
if [ ! -f "$SCENES/gt-100.json" ]; then
  python3 - "$SCENES/ground_truth.json" "$SCENES/gt-100.json" 100 <<'PY'
import json, sys
gt = json.load(open(sys.argv[1])); n = int(sys.argv[3])
gt["images"] = sorted(gt["images"], key=lambda i: i["id"])[:n]
ids = {i["id"] for i in gt["images"]}
gt["annotations"] = [a for a in gt["annotations"] if a["image_id"] in ids]
json.dump(gt, open(sys.argv[2], "w"))
PY
fi
# som's scenes eight times over under other names (2,400 images): enough work beyond the fixed cost
# for the JIT's first compilations to be a small part of the difference
if [ ! -f "$SCENES/gt-x8.json" ]; then
  python3 - "$SCENES" <<'PY'
import json, os, sys
d = sys.argv[1]
gt = json.load(open(os.path.join(d, "ground_truth.json")))
images, annotations, next_ann = [], [], 1
for k in range(8):
    for im in gt["images"]:
        name = f"images/x{k}-" + os.path.basename(im["file_name"])
        if not os.path.exists(os.path.join(d, name)):
            os.link(os.path.join(d, im["file_name"]), os.path.join(d, name))
        images.append(dict(im, id=k * 100000 + im["id"], file_name=name))
    for a in gt["annotations"]:
        annotations.append(dict(a, id=next_ann, image_id=k * 100000 + a["image_id"]))
        next_ann += 1
json.dump(dict(gt, images=images, annotations=annotations), open(os.path.join(d, "gt-x8.json"), "w"))
PY
fi
BUNDLE=$ROOT/samples/models/clipart-dual-encoder

# --- measuring ----------------------------------------------------------------------------
# timed NAME CMD…: runs CMD under /usr/bin/time, appends "NAME wall cpu rss_kb" to $WORK/times
timed() {
  local name=$1; shift
  /usr/bin/time -f "$name %e %U %S %M" -o "$WORK/time.one" "$@" > "$WORK/$name.log" 2>&1 || {
    echo "run-all: $name failed, see $WORK/$name.log" >&2; tail -5 "$WORK/$name.log" >&2; exit 1; }
  awk '{ printf "%s %s %.2f %s\n", $1, $2, $3 + $4, $5 }' "$WORK/time.one" >> "$WORK/times"
}
best() { # best NAME FIELD(2 wall, 3 cpu, 4 rss): the lowest of the rounds
  awk -v n="$1" -v f="$2" '$1 == n { if (b == "" || $f + 0 < b + 0) b = $f } END { print b }' "$WORK/times"
}
rm -f "$WORK/times"
# the scaling runs print their JIT compilers' CPU as the JVM exits
JIT_ENV=(JAVA_OPTS="${JAVA_OPTS:-} -XX:+UnlockDiagnosticVMOptions -XX:+CITime")
IT_FLAGS=(--languages any --min-caption-words 1 --min-caption-chars 1 --no-filename-rule
  --output-format original --parallelism 2 --progress-seconds 0)
# fixed_args PIPELINE OUT: FIXED becomes the pipeline's ~100-record run (the fixed-cost input)
fixed_args() {
  case "$1" in
    image-text) FIXED=(run image-text --input "$WORK/it-101" --output "$2" --overwrite "${IT_FLAGS[@]}") ;;
    decompose) FIXED=(run decompose --input "$WORK/decompose/docs-100" --output "$2" --overwrite --progress-seconds 0) ;;
    graph-summary) FIXED=(run graph-summary --nodes "$ROOT/samples/graph-summary/nodes.jsonl"
      --edges "$ROOT/samples/graph-summary/edges.jsonl" --output "$2" --overwrite --progress-seconds 0) ;;
    region-entity) FIXED=(run region-entity --input "$SCENES/rows-100.jsonl" --kb "$SCENES/kb.jsonl"
      --model "$BUNDLE" --output "$2" --overwrite --progress-seconds 0) ;;
    som) FIXED=(run som --coco "$SCENES/gt-100.json" --output "$2" --overwrite --progress-seconds 0) ;;
  esac
}
# the daemons stay through every round (a round is longer than the default idle time) and stop
# when this script ends
DAEMON_ENV=(FORGE_DAEMON=on FORGE_DAEMON_IDLE=7200)
trap '"$FORGE" daemon stop >/dev/null 2>&1 || true' EXIT
for r in $(seq 1 "$ROUNDS"); do
  echo "== round $r of $ROUNDS" >&2
  for p in image-text decompose graph-summary region-entity som; do
    fixed_args "$p" "$WORK/o-fixed-$p"
    timed "fixed-$p" "$FORGE" "${FIXED[@]}"
  done
  # graph-summary's fixed-cost input without its model (MiniLM on 300 summaries and node texts)
  fixed_args graph-summary "$WORK/o-fixed-gs-noalign"
  timed fixed-gs-noalign "$FORGE" "${FIXED[@]}" --no-align
  # the same runs handed to a warm daemon (FORGE_DAEMON=on); each pipeline's first run in it, in
  # the first round, starts it or warms it to the pipeline and is not a measured one
  for p in image-text decompose graph-summary region-entity som; do
    fixed_args "$p" "$WORK/o-daemon-$p"
    [ "$r" = 1 ] && { env "${DAEMON_ENV[@]}" "$FORGE" "${FIXED[@]}" >/dev/null 2>&1 || true; }
    timed "daemon-$p" env "${DAEMON_ENV[@]}" "$FORGE" "${FIXED[@]}"
  done
  timed it-1x env "${JIT_ENV[@]}" "$FORGE" run image-text --input "$WORK/itv/v1" --output "$WORK/o-it-1x" --overwrite "${IT_FLAGS[@]}"
  timed it-2x env "${JIT_ENV[@]}" "$FORGE" run image-text --input "$WORK/it-v2" --output "$WORK/o-it-2x" --overwrite "${IT_FLAGS[@]}"
  timed it-4x env "${JIT_ENV[@]}" "$FORGE" run image-text --input "$WORK/it-v4" --output "$WORK/o-it-4x" --overwrite "${IT_FLAGS[@]}"
  timed it-8x env "${JIT_ENV[@]}" "$FORGE" run image-text --input "$WORK/it-v8" --output "$WORK/o-it-8x" --overwrite "${IT_FLAGS[@]}"
  timed region-entity "$FORGE" run region-entity --input "$SCENES/rows.jsonl" --kb "$SCENES/kb.jsonl" \
    --model "$BUNDLE" --output "$WORK/o-re" --overwrite --progress-seconds 0
  timed som "$FORGE" run som --coco "$SCENES/gt-x8.json" --output "$WORK/o-som" --overwrite --progress-seconds 0
done
echo "== bare loops" >&2
java -Xmx2g -XX:+UseParallelGC -Djava.awt.headless=true -cp "$CP" "$ROOT/bench/ImageBench.java" "$WORK/itv/v1" "$ROUNDS" > "$WORK/image-bench.log" 2>&1
java -Xmx6g -XX:+UseParallelGC -Djava.awt.headless=true -cp "$CP" "$ROOT/bench/DecomposeBench.java" "$WORK/decompose" "$ROUNDS" "$WORK/decompose/x5" \
  2>&1 | grep -v ' WARN ' > "$WORK/decompose-bench.log"
java -Xmx6g -XX:+UseParallelGC -Djava.awt.headless=true -Dai.djl.offline=true -cp "$CP" "$ROOT/bench/GraphSummaryBench.java" "$GRAPH" \
  "$WORK/graph-summary" 200 200 8 2>&1 | grep -v ' WARN ' > "$WORK/graph-bench.log"
java -Xmx2g -XX:+UseParallelGC -Djava.awt.headless=true -cp "$CP" "$ROOT/bench/SomBench.java" "$SCENES" 200 2>&1 | grep -v ' WARN ' > "$WORK/som-bench.log"
if [ -n "$LONG" ]; then
  timed graph-align "$FORGE" run graph-summary --nodes "$GRAPH/nodes.jsonl" --edges "$GRAPH/edges.jsonl" \
    --output "$WORK/o-gs-align" --overwrite --progress-seconds 0
  timed graph-align-q "$FORGE" run graph-summary --nodes "$GRAPH/nodes.jsonl" --edges "$GRAPH/edges.jsonl" \
    --output "$WORK/o-gs-align-q" --overwrite --progress-seconds 0 --align-model minilm-q
fi

# --- the table ----------------------------------------------------------------------------
inputs() { python3 -c "import json; print(json.load(open('$1/manifest.json'))['counts']['inputs'])"; }
n101=$(inputs "$WORK/o-fixed-image-text"); n1=$(inputs "$WORK/o-it-1x"); n2=$(inputs "$WORK/o-it-2x"); n4=$(inputs "$WORK/o-it-4x")
bare=$(sed -n 's/.*bare=\([0-9.]*\) img.*/\1/p' "$WORK/image-bench.log")
kernels=$(sed -n 's/.*kernels=\([0-9.]*\) img.*/\1/p' "$WORK/image-bench.log")
n8=$(inputs "$WORK/o-it-8x")
marginal=$(awk -v a="$(best it-4x 3)" -v b="$(best it-1x 3)" -v n1="$n4" -v n0="$n1" 'BEGIN { printf "%.1f", (n1 - n0) / (a - b) }')
marginal8=$(awk -v a="$(best it-8x 3)" -v b="$(best it-4x 3)" -v n1="$n8" -v n0="$n4" 'BEGIN { printf "%.1f", (n1 - n0) / (a - b) }')
# the JIT compilers' CPU in the last round's runs (-XX:+CITime, printed as the JVM exits)
jit() { awk '/C[12] Compile Time:/ { t += $4 } END { printf "%.1f", t }' "$WORK/$1.log"; }
# CPU per record, whole run and beyond the fixed cost (the CPU of the 101-input run)
per() { awk -v c="$(best "$1" 3)" -v n="$2" -v c0="$(best fixed-image-text 3)" -v n0="$n101" \
  'BEGIN { printf "%.1f (%.1f)", 1000 * c / n, 1000 * (c - c0) / (n - n0) }'; }
dec=$(sed -n 's/^best: .*pipeline \([0-9.]*\) M tokens\/s, ratio \([0-9.]*\);.*/\2 (\1 M tokens\/s)/p' "$WORK/decompose-bench.log" | tail -1)
dec_ceiling=$(sed -n 's/^ceiling: .* ratio \([0-9.]*\) (.*/\1/p' "$WORK/decompose-bench.log" | tail -1)
dec_ceiling_out=$(sed -n 's/^ceiling with the outputs: .* ratio \([0-9.]*\)$/\1/p' "$WORK/decompose-bench.log" | tail -1)
dec_threads=$(sed -n 's/^bare loop on .* (\([0-9.]*\) x one thread)$/\1/p' "$WORK/decompose-bench.log" | tail -1)
gs=$(sed -n 's/.*ratio to the bare loop \([0-9.]*\).*/\1/p' "$WORK/graph-bench.log")
gs_ceiling=$(sed -n 's/^fixed cost of a warm run .* ratio \([0-9.]*\) (.*/\1/p' "$WORK/graph-bench.log")
gs_threads=$(sed -n 's/^bare loop on .* (\([0-9.]*\) x one thread)$/\1/p' "$WORK/graph-bench.log")
som_bare=$(sed -n 's/^all .*→ \([0-9.]*\) images\/s.*/\1/p' "$WORK/som-bench.log")
nsom=$(inputs "$WORK/o-som"); nsom100=$(inputs "$WORK/o-fixed-som"); nre=$(inputs "$WORK/o-re")
# region-entity's images (its rows share them: 1–3 rows an image) in the 100-row and the whole run
images() { python3 -c "import json, sys; print(len({json.loads(l)['image'] for l in open(sys.argv[1])}))" "$1"; }
nre_img=$(images "$SCENES/rows.jsonl"); nre100_img=$(images "$SCENES/rows-100.jsonl")
# the fixed cost proper: the wall a run would take on no input, the line through the 100-row and the
# whole run's walls (per image) taken back to zero images
re_zero=$(awk -v t="$(best region-entity 2)" -v t0="$(best fixed-region-entity 2)" -v n="$nre_img" -v n0="$nre100_img" \
  'BEGIN { printf "%.1f", t0 - (t - t0) / (n - n0) * n0 }')
TABLE=$(
  echo "| pipeline | measure | figure | target |"
  echo "|---|---|---|---|"
  for p in image-text decompose graph-summary region-entity som; do
    extra=
    [ "$p" = graph-summary ] && extra=" ($(best fixed-gs-noalign 2) s with \`--no-align\`: the rest is MiniLM on its 300 summaries and node texts)"
    [ "$p" = region-entity ] && extra=" ($nre100_img images; $re_zero s at zero images on the line through this run and the $nre_img-image one: the rest is annotation)"
    echo "| $p | fixed cost: wall of \`forge run\` on its ~100-record input (JVM start to exit) | $(best fixed-$p 2) s$extra | ≤ 10 s |"
  done
  echo "| image-text / decompose / graph-summary / region-entity / som | fixed cost with \`FORGE_DAEMON=on\`: the same runs handed to a warm daemon (each pipeline's first run in it, which starts it, not counted) | $(best daemon-image-text 2) / $(best daemon-decompose 2) / $(best daemon-graph-summary 2) / $(best daemon-region-entity 2) / $(best daemon-som 2) s | ≤ 10 s |"
  echo "| image-text | marginal images per CPU-second ($n1 → $n4 distinct inputs) ÷ bare decode loop on the same files ($bare) | $marginal → $(awk -v m="$marginal" -v b="$bare" 'BEGIN { printf "%.2f", m / b }') | ≥ 0.6 |"
  echo "| image-text | the same from $n4 to $n8 inputs (the second half exact duplicates of the first, each still decoded and hashed): past the JIT's warm-up | $marginal8 → $(awk -v m="$marginal8" -v b="$bare" 'BEGIN { printf "%.2f", m / b }') | ≥ 0.6 |"
  echo "| image-text | CPU-s of the JIT compilers (C1 + C2) in the 1× / 4× / 8× runs | $(jit it-1x) / $(jit it-4x) / $(jit it-8x) | — |"
  echo "| image-text | the same ÷ the two kernels every record needs, one after the other: bare decode and Lingua on its caption ($kernels) | $(awk -v m="$marginal" -v k="$kernels" 'BEGIN { printf "%.2f", m / k }') (ceiling $(awk -v k="$kernels" -v b="$bare" 'BEGIN { printf "%.2f", k / b }') of bare decode) | — |"
  echo "| image-text | peak RSS at $n1 / $n2 / $n4 / $n8 inputs | $(best it-1x 4 | awk '{ printf "%.2f", $1 / 1048576 }') / $(best it-2x 4 | awk '{ printf "%.2f", $1 / 1048576 }') / $(best it-4x 4 | awk '{ printf "%.2f", $1 / 1048576 }') / $(best it-8x 4 | awk '{ printf "%.2f", $1 / 1048576 }') GiB | ≤ 2.5 GB, flat |"
  echo "| image-text | CPU ms per record at 1× / 2× / 4× / 8× (beyond the fixed cost's CPU) | $(per it-1x "$n1") / $(per it-2x "$n2") / $(per it-4x "$n4") / $(per it-8x "$n8") | within 10 % |"
  echo "| decompose | whole run ÷ bare tokenizer loop, 31 M tokens | $dec; ceiling $dec_ceiling (a warm run's fixed cost + the bare loop on $CORES threads at once, measured at ${dec_threads}× one thread); $dec_ceiling_out with the same loop also writing each token as the rows and the \`D_k\` text hold it | ≥ 0.8 |"
  echo "| graph-summary | whole run without alignment ÷ bare loop, Debian's package graph | $gs; ceiling $gs_ceiling (a warm run's fixed cost + the bare loop on $CORES threads at once, measured at ${gs_threads}× one thread) | ≥ 0.7 |"
  if [ -n "$LONG" ]; then
    echo "| graph-summary | the same graph with MiniLM alignment, wall: \`minilm\` (full precision, the default) / \`minilm-q\` (int8 weights) | $(best graph-align 2) / $(best graph-align-q 2) s | ≤ 600 s |"
  fi
  echo "| region-entity | rows per second per core, two default annotators ($nre rows, 1–3 per image) | $(awk -v n="$nre" -v t="$(best region-entity 2)" -v c="$CORES" 'BEGIN { printf "%.2f", n / t / c }') | ≥ 0.8 |"
  echo "| som | images per second per core beyond the fixed cost ($nsom100 → $nsom images) ÷ the bare tagging loop ($som_bare on one thread) | $(awk -v n="$nsom" -v n0="$nsom100" -v t="$(best som 2)" -v t0="$(best fixed-som 2)" -v c="$CORES" -v b="$som_bare" 'BEGIN { printf "%.2f", (n - n0) / (t - t0) / c / b }') | ≥ 0.85 |"
)
echo "$TABLE"
STAMP="$(date -u +%Y-%m-%d), $(git -C "$ROOT" rev-parse --short HEAD), $CORES cores, best of $ROUNDS"
python3 - "$ROOT/bench/RESULTS.md" "$STAMP" "$TABLE" <<'PY'
import sys
path, stamp, table = sys.argv[1], sys.argv[2], sys.argv[3]
begin, end = "<!-- run-all:begin -->", "<!-- run-all:end -->"
text = open(path).read()
block = f"{begin}\n`bench/run-all.sh` ({stamp}):\n\n{table}\n{end}"
if begin in text:
    text = text[: text.index(begin)] + block + text[text.index(end) + len(end):]
else:
    text = text.replace("\n", f"\n\n## Whole runs\n\n{block}\n", 1)
open(path, "w").write(text)
PY
