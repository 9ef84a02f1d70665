#!/usr/bin/env bash
# Rebuilds samples/som: clip-art scenes with 4, 5 and 6 objects each (three scenes per count),
# held-out openclipart PNGs on Debian's GNOME wallpapers, with exact masks in a COCO file
# (compressed RLE; categories are the clip arts' titles) — the input of `forge run som --coco`.
# Usage: samples/scripts/make-som-sample.sh [OUT_DIR=samples/som]
# Needs apt-get and a built project, like make-region-scenes.sh (set OPENCLIPART_DIR to reuse its downloads).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${1:-$root/samples/som}
scenes=$(mktemp -d)
"$here/make-region-scenes.sh" "$scenes/s" 3 7 4 6
rm -rf "$out"
mkdir -p "$out"
cp -r "$scenes/s/images" "$out/images"
cp "$scenes/s/ground_truth.json" "$out/annotations.json"
rm -rf "$scenes"
echo "$(ls "$out/images" | wc -l) scenes → $out"
