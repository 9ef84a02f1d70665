#!/usr/bin/env bash
# Rebuilds samples/image-text from Debian's openclipart-png and openclipart-svg packages.
# Usage: samples/scripts/make-image-text-sample.sh [OUT_DIR] [--large COUNT]
# Needs apt-get (any Debian machine) and Java 17; downloads the two .deb files (~150 MB) to a temp folder.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/../image-text}
shift || true
work=${OPENCLIPART_DIR:-$(mktemp -d)}
if [ ! -d "$work/x/usr/share/openclipart/png" ]; then
  (cd "$work" && apt-get download openclipart-png openclipart-svg >/dev/null)
  for deb in "$work"/openclipart-*.deb; do dpkg -x "$deb" "$work/x"; done
fi
rm -rf "$out"
mkdir -p "$out"
java "$here/MakeImageTextSample.java" "$work/x" "$out" "$@"
