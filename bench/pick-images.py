#!/usr/bin/env python3
"""Copies every n-th PNG of SRC (sorted by path) that every image path decodes -- shorter side
>= 200, long/short <= 3, at most 40 megapixels -- to DST as 00000.png, ..., with its .txt caption.
Usage: bench/pick-images.py SRC DST COUNT"""
import os, shutil, struct, sys

src, dst, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
os.makedirs(dst, exist_ok=True)
picked = []
for root, _, files in sorted(os.walk(src)):
    for f in sorted(files):
        if not f.endswith('.png'):
            continue
        p = os.path.join(root, f)
        with open(p, 'rb') as fh:
            w, h = struct.unpack('>II', fh.read(24)[16:24])
        if min(w, h) >= 200 and max(w, h) / min(w, h) <= 3 and w * h <= 40_000_000:
            picked.append(p)
step = max(1, len(picked) // count)
for i, p in enumerate(picked[::step][:count]):
    shutil.copy(p, os.path.join(dst, f"{i:05d}.png"))
    if os.path.exists(p[:-4] + '.txt'):
        shutil.copy(p[:-4] + '.txt', os.path.join(dst, f"{i:05d}.txt"))
print(len([f for f in os.listdir(dst) if f.endswith('.png')]), "images in", dst)
