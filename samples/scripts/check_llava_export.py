#!/usr/bin/env python3
"""Checks an exports/llava folder the way LLaVA's training loader reads it.

LLaVA's llava/train/train.py (LazySupervisedDataset): json.load() of the data file gives a list;
`lengths` sums len(conv['value'].split()) over sample['conversations'] and tests 'image' in
sample; __getitem__ opens os.path.join(image_folder, sample['image']) and hands
[e["conversations"] for e in sources] to preprocess_multimodal, which looks for "<image>" in each
sentence['value']; preprocess reads sentence["from"] (human / gpt) and sentence["value"].
Conversations alternate human and gpt turns (one exchange in som_listing.json, several in som_qa.json),
with "<image>" only at the start of the first.
Usage: check_llava_export.py EXPORT_DIR [DATA_FILE=som_listing.json]; exits 1 on the first problem.
"""
import json
import os
import sys

folder = sys.argv[1]
data = json.load(open(os.path.join(folder, sys.argv[2] if len(sys.argv) > 2 else "som_listing.json"), "r"))
assert isinstance(data, list), "the data file is not a JSON list"
ids = set()
words = 0
for i, sample in enumerate(data):
    assert set(sample) >= {"id", "image", "conversations"}, f"record {i} lacks id, image or conversations"
    assert sample["id"] not in ids, f"id {sample['id']} twice"
    ids.add(sample["id"])
    path = os.path.join(folder, sample["image"])
    with open(path, "rb") as f:
        assert f.read(3) == b"\xff\xd8\xff", f"{path} is not a JPEG"
    convs = sample["conversations"]
    turns = [c["from"] for c in convs]
    assert len(turns) >= 2 and turns == ["human", "gpt"] * (len(turns) // 2), f"record {i}: turns {turns}"
    assert convs[0]["value"].startswith("<image>\n"), f"record {i}: the first human turn does not start with <image>"
    assert all("<image>" not in c["value"] for c in convs[1:]), f"record {i}: <image> after the first turn"
    words += sum(len(c["value"].split()) for c in convs)
print(f"{len(data)} records, {len(ids)} ids, every image opens, {words} words in the conversations")
