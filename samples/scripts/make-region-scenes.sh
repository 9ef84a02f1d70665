#!/usr/bin/env bash
# Builds region-entity scenes with exact ground-truth masks from Debian's openclipart-png /
# openclipart-svg (held-out clip art: alpha = mask, SVG title = entity name, category folder =
# parent class) pasted onto crops of gnome-backgrounds' wallpapers.
# Usage: samples/scripts/make-region-scenes.sh OUT_DIR [SCENES_PER_OBJECT_COUNT=100] [SEED=1] [MIN_OBJECTS=1 MAX_OBJECTS=3]
# Needs apt-get and a built project (mvn -DskipTests install); downloads ~180 MB of .deb files
# to a temp folder (or $OPENCLIPART_DIR, reused when it already holds them).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=$1
per=${2:-100}
seed=${3:-1}
objects=("${@:4}")
work=${OPENCLIPART_DIR:-$(mktemp -d)}
if [ ! -d "$work/x/usr/share/openclipart/png" ]; then
  (cd "$work" && apt-get download openclipart-png openclipart-svg >/dev/null)
  for deb in "$work"/openclipart-*.deb; do dpkg -x "$deb" "$work/x"; done
fi
if [ ! -d "$work/x/usr/share/backgrounds/gnome" ]; then
  (cd "$work" && apt-get download gnome-backgrounds >/dev/null)
  dpkg -x "$work"/gnome-backgrounds_*.deb "$work/x"
fi
CP="$root/pipelines/target/corpusforge-pipelines.jar:$(cat "$root/pipelines/target/classpath.txt")"
if [ ! -f "$work/pairs/pairs.jsonl" ]; then
  java -cp "$CP" "$here/ExportClipartPairs.java" "$work/x" "$work/pairs" 8 >/dev/null
fi
rm -rf "$out"
java -Djava.awt.headless=true -cp "$CP" "$here/RegionScenes.java" "$work/x" "$work/pairs/pairs.jsonl" "$work/x/usr/share/backgrounds/gnome" "$out" "$per" "$seed" "${objects[@]}"
