#!/usr/bin/env bash
# Image throughput of the image-text image stage against a bare decode loop and vipsthumbnail,
# on the same ≥ 2,000 real openclipart PNGs. Writes its figures to stdout; bench/RESULTS.md
# records a run. Needs apt-get (downloads openclipart-png and libvips-tools) and a built project.
# Usage: bench/run-image-bench.sh [COUNT]
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
COUNT=${1:-2400}
WORK=${BENCH_DIR:-$ROOT/bench/.work}
mkdir -p "$WORK"
command -v vipsthumbnail >/dev/null || apt-get install -y -qq libvips-tools >/dev/null
if [ ! -d "$WORK/oc/x/usr/share/openclipart/png" ]; then
  mkdir -p "$WORK/oc" && (cd "$WORK/oc" && apt-get download openclipart-png openclipart-svg >/dev/null)
  for deb in "$WORK"/oc/openclipart-*.deb; do dpkg -x "$deb" "$WORK/oc/x"; done
fi
# the images every path decodes: shorter side >= 200, long/short <= 3, under 400 KB (no pixel-cap rejects)
SET=$WORK/images
rm -rf "$SET" && mkdir -p "$SET"
java "$ROOT/samples/scripts/MakeImageTextSample.java" "$WORK/oc/x" "$WORK/all" --large 100000 >/dev/null
python3 "$ROOT/bench/pick-images.py" "$WORK/all" "$SET" "$COUNT"
(cd "$ROOT" && mvn -B -q -DskipTests install)
CP="$ROOT/pipelines/target/corpusforge-pipelines.jar:$(cat "$ROOT/pipelines/target/classpath.txt")"
echo "== one thread, same files: bare ImageIO decode vs the image stage"
java -Djava.awt.headless=true -cp "$CP" "$ROOT/bench/ImageBench.java" "$SET" 3
echo "== vipsthumbnail --size 256 (decode + shrink + JPEG encode + write), 2 processes"
rm -rf "$WORK/vips" && mkdir -p "$WORK/vips"
/usr/bin/time -f "vips cpu-s %U user + %S sys, wall %e s" bash -c "ls '$SET'/*.png | xargs -P 2 -n 50 vipsthumbnail --size 256 -o '$WORK/vips/%s.jpg'"
echo "images: $(ls "$SET"/*.png | wc -l)"
echo "== the whole image-text pipeline (embedded Flink, parallelism 2, --output-format original)"
/usr/bin/time -f "pipeline cpu-s %U user + %S sys, wall %e s" "$ROOT/bin/forge" run image-text --parallelism 2 \
  --input "$SET" --output "$WORK/out" --overwrite --output-format original --progress-seconds 30
