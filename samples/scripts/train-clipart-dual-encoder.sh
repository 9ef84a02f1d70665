#!/usr/bin/env bash
# Trains the clip-art dual encoder and writes it as a bundle to samples/models/clipart-dual-encoder.
# Usage: samples/scripts/train-clipart-dual-encoder.sh [EPOCHS]
# Needs apt-get (Debian's openclipart-png/-svg, python3-torch, python3-onnx, python3-numpy and
# libopenblas0-pthread, which makes torch's matrix products ~10x faster than the reference BLAS),
# Java 17 and Maven. About 40 minutes on 2 cores for 15 epochs.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
epochs=${1:-15}
work=${TRAIN_DIR:-$(mktemp -d)}
oc=${OPENCLIPART_DIR:-$work/oc}
/usr/bin/python3 -c "import torch, onnx, numpy" 2>/dev/null || apt-get install -y -qq python3-torch python3-onnx python3-numpy libopenblas0-pthread >/dev/null
if [ ! -d "$oc/x/usr/share/openclipart/png" ]; then
  mkdir -p "$oc" && (cd "$oc" && apt-get download openclipart-png openclipart-svg >/dev/null)
  for deb in "$oc"/openclipart-*.deb; do dpkg -x "$deb" "$oc/x"; done
fi
(cd "$root" && mvn -B -q -DskipTests install)
cp_file="$root/pipelines/target/classpath.txt"
java -Djava.awt.headless=true -cp "$(cat "$cp_file")" "$here/ExportClipartPairs.java" "$oc/x" "$work/data" 64
/usr/bin/python3 "$here/train_clipart_dual_encoder.py" "$work/data" "$work/bundle" --epochs "$epochs"
# held-out check through the project's own scoring path (DJL + ONNX Runtime), added to the record
java -Djava.awt.headless=true -Dai.djl.offline=true -cp "$(cat "$cp_file")" "$here/EvalClipartEncoder.java" "$work/bundle" "$work/data" 64 \
  | grep '^{' > "$work/heldout-onnx.json"
/usr/bin/python3 - "$work/bundle/training.json" "$work/heldout-onnx.json" <<'PY'
import json, sys
record = json.load(open(sys.argv[1], encoding="utf-8"))
record["heldout_onnx_djl"] = json.load(open(sys.argv[2]))
json.dump(record, open(sys.argv[1], "w", encoding="utf-8"), indent=1, ensure_ascii=False)
PY
rm -rf "$root/samples/models/clipart-dual-encoder"
mkdir -p "$root/samples/models"
cp -r "$work/bundle" "$root/samples/models/clipart-dual-encoder"
cat "$work/heldout-onnx.json"
echo "bundle written to samples/models/clipart-dual-encoder (work files in $work)"
