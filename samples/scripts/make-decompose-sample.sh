#!/usr/bin/env bash
# Rebuilds samples/decompose from Debian's linux-doc-6.1: plain-text (reStructuredText) kernel
# documents of very different lengths, every n-th of the sorted sources, about 1 MB in all.
# Usage: samples/scripts/make-decompose-sample.sh [OUT_DIR]
# Needs apt-get (any Debian machine); downloads one .deb (~37 MB) to a temp folder.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/../decompose}
work=${LINUX_DOC_DIR:-$(mktemp -d)}
src="$work/x/usr/share/doc/linux-doc-6.1/html/_sources"
if [ ! -d "$src" ]; then
  (cd "$work" && apt-get download linux-doc-6.1 >/dev/null)
  dpkg -x "$work"/linux-doc-6.1_*.deb "$work/x"
fi
rm -rf "$out"
mkdir -p "$out"
python3 - "$src" "$out" <<'PY'
import os, shutil, sys
src, out = sys.argv[1], sys.argv[2]
files = sorted(os.path.join(r, f) for r, _, fs in os.walk(src) for f in fs if f.endswith(".txt"))
# every n-th document, skipping those over 200 KB, until about 1 MB
picked, total = [], 0
for path in files[::25]:
    size = os.path.getsize(path)
    if size > 200_000 or total + size > 1_000_000:
        continue
    picked.append(path)
    total += size
for path in picked:
    rel = os.path.relpath(path, src)
    target = os.path.join(out, "docs", rel)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    shutil.copy(path, target)
print(len(picked), "documents,", total, "bytes in", out)
PY
