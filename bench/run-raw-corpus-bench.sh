#!/usr/bin/env bash
# decompose from a raw corpus (the kernel docs as JSON lines, with 420 near duplicates planted by
# known edits): documents and tokens per second per core through decompression, quality rules,
# dedup and decompose, against bare loops on one thread; the dedup's recall and precision against
# the true Jaccard similarity of every pair; the same rows from .jsonl, .jsonl.gz and .jsonl.zst;
# peak memory of the LSH stage on 10x the kernel docs. Writes its figures to stdout; needs
# apt-get (downloads linux-doc-6.1), node (output-digest) and a built project.
# Usage: bench/run-raw-corpus-bench.sh [ROUNDS]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
ROUNDS=${1:-3}
WORK=${BENCH_DIR:-$ROOT/bench/.work}/raw-corpus
DIGEST=${OUTPUT_DIGEST:-$ROOT/../shared/tools/output-digest}
mkdir -p "$WORK"
SRC="$WORK/ld/x/usr/share/doc/linux-doc-6.1/html/_sources"
if [ ! -d "$SRC" ]; then
  mkdir -p "$WORK/ld" && (cd "$WORK/ld" && apt-get download linux-doc-6.1 >/dev/null)
  dpkg -x "$WORK"/ld/linux-doc-6.1_*.deb "$WORK/ld/x"
fi
(cd "$ROOT" && mvn -B -q -DskipTests install)
CP="$ROOT/pipelines/target/corpusforge-pipelines.jar:$(cat "$ROOT/pipelines/target/classpath.txt")"
bench() { java -Xmx6g -Djava.awt.headless=true -cp "$CP" "$ROOT/bench/RawCorpusBench.java" "$@" 2>&1 | grep -v ' WARN '; }
echo "== the corpus"
bench make "$SRC" "$WORK"
ls -l "$WORK"/corpus "$WORK"/x10 | grep corpus
echo "== bare loops"
bench bare "$WORK" "$ROUNDS"
CORES=$(nproc)
# one run of forge: wall, peak RSS, documents and tokens read (tokens_in + what was removed before
# tokenising) per second per core
run() {
  local name=$1 input=$2
  shift 2
  local out="$WORK/out-$name"
  /usr/bin/time -o "$WORK/time-$name" -f "%e %M" "$ROOT/bin/forge" run decompose --input "$input" --id-col id \
    --output "$out" --overwrite --progress-seconds 0 "$@" > "$WORK/log-$name" 2>&1
  python3 - "$out/manifest.json" "$WORK/time-$name" "$name" "$CORES" "$*" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
wall, rss = open(sys.argv[2]).read().split()[-2:]
wall, cores = float(wall), int(sys.argv[4])
t = m["tokens"]
read = m.get("removed", {}).get("tokens_read", t["tokens_in"])
docs = m["counts"]["inputs"]
job = m.get("duration_seconds", 0)
print(f"| {sys.argv[3]} | {sys.argv[5] or '-'} | {docs} | {m['counts']['kept']} | {read} | {wall:.1f} s ({job:.1f} s job) | "
      f"{docs / wall / cores:.0f} | {read / wall / cores / 1e6:.2f} | {int(rss) / 1024 / 1024:.2f} GB | {m['accounting']['balanced']} |")
PY
}
echo "== whole runs of forge run decompose ($CORES cores; rates per core over the whole wall, JVM start to exit)"
echo "| run | flags | documents | kept | tokens read | wall | docs/s/core | M tokens/s/core | peak RSS | balanced |"
echo "|---|---|---|---|---|---|---|---|---|---|"
run warm-up "$WORK/corpus/corpus.jsonl" > /dev/null
run plain "$WORK/corpus/corpus.jsonl"
run gzip "$WORK/corpus/corpus.jsonl.gz"
run zstd "$WORK/corpus/corpus.jsonl.zst"
run dedup "$WORK/corpus/corpus.jsonl.zst" --exact-dedup --minhash
run all-plain "$WORK/corpus/corpus.jsonl" --quality gopher,c4 --exact-dedup --minhash
run all "$WORK/corpus/corpus.jsonl.zst" --quality gopher,c4 --exact-dedup --minhash
run all-no-removed-tokens "$WORK/corpus/corpus.jsonl.zst" --quality gopher,c4 --exact-dedup --minhash --no-removed-tokens
echo "== the same rows compressed or not (output-digest: sample ids, values, reject reasons)"
# rejects name the file they were read from: the data rows and the manifests' counts must be the
# same, and the rejects the same but for the compression extension
for pair in "plain gzip" "plain zstd" "all-plain all"; do
  set -- $pair
  echo "-- $1 vs $2"
  "$DIGEST" "$WORK/out-$1" "$WORK/out-$2" | grep -v '^	changed' || true
  bench rejects "$WORK/out-$1" "$WORK/out-$2"
  python3 - "$WORK/out-$1/manifest.json" "$WORK/out-$2/manifest.json" <<'PY'
import json, sys
a, b = (json.load(open(f)) for f in sys.argv[1:3])
keys = ["counts", "tokens", "buckets", "attention_cost", "removed", "near_duplicates", "histograms"]
same = [k for k in keys if a.get(k) == b.get(k)]
print("manifests:", "the same " + ", ".join(same) if len(same) == len(keys) else "differ in " + str([k for k in keys if k not in same]))
PY
done
echo "== what the steps before tokenising removed (manifest 'removed' and 'near_duplicates' of the 'all' run)"
python3 - "$WORK/out-all/manifest.json" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
t = m["tokens"]
removed = m["removed"]
read = removed["tokens_read"]
print(f"tokens read {read}; tokenised {t['tokens_in']} ({100 * t['tokens_in'] / read:.1f} %), in chunks {t['tokens_out']} ({100 * t['tokens_out'] / read:.1f} %)")
for stage, s in removed.items():
    if not isinstance(s, dict):
        continue
    print(f"  {stage}: {s['documents']} documents, {s['tokens']} tokens ({100 * s['tokens'] / read:.1f} %)")
    for reason, r in sorted(s["by_reason"].items(), key=lambda e: -e[1]["tokens"]):
        docs = f"{r['documents_changed']} documents shortened" if "documents_changed" in r else f"{r['documents']} documents"
        print(f"    {reason}: {docs}, {r['tokens']} tokens")
for reason, n in t["tokens_dropped"].items():
    print(f"  split {reason}: {n} tokens ({100 * n / read:.1f} %)")
print("near-duplicate clusters:", json.dumps(m.get("near_duplicates")))
PY
echo "== dedup recall and precision (the dedup run: --exact-dedup --minhash, defaults)"
bench score "$WORK" "$WORK/out-dedup" 5 0.8
echo "== pairs of kernel docs (≥ 50 words) a lower threshold would also take for duplicates"
bench pairs "$WORK" 5 0.8 50 | head -3
bench pairs "$WORK" 2 0.45 50 | head -8
bench pairs "$WORK" 1 0.55 50 | head -8
echo "== peak memory of the LSH stage: 10x the kernel docs (each copy 2 % of its words changed)"
echo "| run | flags | documents | kept | tokens read | wall | docs/s/core | M tokens/s/core | peak RSS | balanced |"
echo "|---|---|---|---|---|---|---|---|---|---|"
run x10 "$WORK/x10/corpus.jsonl.zst"
run x10-minhash "$WORK/x10/corpus.jsonl.zst" --minhash
JAVA_OPTS=-Xmx1g run x10-minhash-1g "$WORK/x10/corpus.jsonl.zst" --minhash
python3 -c "import json; print('x10 near-duplicate clusters:', json.load(open('$WORK/out-x10-minhash/manifest.json')).get('near_duplicates'))"
