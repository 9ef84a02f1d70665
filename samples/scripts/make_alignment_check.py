#!/usr/bin/python3
"""Builds an image-text input with known mismatches, to measure what an alignment filter keeps.

From the held-out openclipart pairs (those the clip-art dual encoder never saw in training, as
listed by ExportClipartPairs.java in pairs.jsonl), writes OUT/input/<folder>/<name>.png with a
.txt caption ("Title. Description", as samples/image-text has them). Half of the pairs, chosen
with a fixed seed, get the caption of another held-out image instead of their own. OUT/truth.tsv
lists every image with 1 (its own caption) or 0 (another's).

Usage: make_alignment_check.py PAIRS_JSONL OPENCLIPART_ROOT OUT_DIR [--split heldout]
where OPENCLIPART_ROOT holds usr/share/openclipart/png.
"""
import json
import os
import random
import shutil
import sys


def caption(p):
    title, desc = p["title"], p["description"]
    return title if not desc or desc.lower() == title.lower() else title + ". " + desc


def main():
    pairs_file, root, out = sys.argv[1], sys.argv[2], sys.argv[3]
    split = sys.argv[5] if len(sys.argv) > 5 and sys.argv[4] == "--split" else "heldout"
    pairs = [json.loads(l) for l in open(pairs_file, encoding="utf-8")]
    pairs = sorted((p for p in pairs if p["split"] == split), key=lambda p: p["rel"])
    rng = random.Random(20261128)
    swapped = sorted(rng.sample(range(len(pairs)), len(pairs) // 2))
    # each swapped pair takes the caption of the swapped pair half the list away (a derangement)
    donor = {swapped[i]: swapped[(i + len(swapped) // 2) % len(swapped)] for i in range(len(swapped))}
    if os.path.exists(out):
        shutil.rmtree(out)
    os.makedirs(out)
    with open(os.path.join(out, "truth.tsv"), "w", encoding="utf-8") as truth:
        truth.write("path\tmatched\tcaption\n")
        for i, p in enumerate(pairs):
            target = os.path.join(out, "input", p["rel"])
            os.makedirs(os.path.dirname(target), exist_ok=True)
            shutil.copy(os.path.join(root, "usr/share/openclipart/png", p["rel"]), target)
            text = caption(pairs[donor[i]]) if i in donor else caption(p)
            with open(target[:-4] + ".txt", "w", encoding="utf-8") as f:
                f.write(text + "\n")
            truth.write("%s\t%d\t%s\n" % (os.path.abspath(target), 0 if i in donor else 1, text.replace("\t", " ")))
    print("%d pairs (%d with another image's caption) in %s" % (len(pairs), len(swapped), out))


if __name__ == "__main__":
    main()
