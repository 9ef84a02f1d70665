#!/usr/bin/python3
"""Trains the small clip-art dual encoder and writes it as a corpusforge model bundle.

Input: the folder written by ExportClipartPairs.java (pixels.u8 + pairs.jsonl, 64x64 RGB images
already decoded and centre-cropped by the project's own code). Output: BUNDLE_DIR with
image.onnx, text.onnx, tokenizer.json (a Hugging Face WordLevel tokenizer), bundle.json and
training.json (data, steps, loss curve, held-out results).

The model is FILIP-shaped so both scores make sense: the image encoder returns a [CLS] token and
8x8 patch tokens, the text encoder one token per word; both are projected into one 128-d space.
Training minimises CLIP's contrastive loss on the pooled embeddings plus FILIP's contrastive loss
on token-wise late interaction (image [CLS] dropped, padding masked out of every max).

Needs Debian's python3-torch, python3-onnx and python3-numpy. Deterministic on one machine:
fixed seeds, fixed thread count.

Usage: train_clipart_dual_encoder.py DATA_DIR BUNDLE_DIR [--epochs N]
"""
import argparse
import collections
import json
import math
import os
import string
import unicodedata

import numpy as np
import onnx
import torch
import torch.nn as nn
import torch.nn.functional as F

SIZE = 64
DIM = 128
MAX_LEN = 32
VOCAB_MAX = 6000
PAD, UNK = 0, 1
MEAN = [0.5, 0.5, 0.5]
STD = [0.25, 0.25, 0.25]


# ---------- tokenizer: the same steps as the tokenizer.json written below ----------

def normalise(text):
    text = unicodedata.normalize("NFD", text).lower()
    return "".join(c for c in text if unicodedata.category(c) != "Mn")


def is_punct(c):
    return c in string.punctuation or unicodedata.category(c).startswith("P")


def words(text):
    """Hugging Face BertPreTokenizer: split on whitespace, every punctuation mark its own token."""
    out, cur = [], []
    for c in normalise(text):
        if c.isspace() or is_punct(c):
            if cur:
                out.append("".join(cur))
                cur = []
            if is_punct(c):
                out.append(c)
        else:
            cur.append(c)
    if cur:
        out.append("".join(cur))
    return out


def tokenizer_json(vocab):
    special = lambda i, t: {"id": i, "content": t, "single_word": False, "lstrip": False, "rstrip": False, "normalized": False, "special": True}
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [special(PAD, "[PAD]"), special(UNK, "[UNK]")],
        "normalizer": {"type": "Sequence", "normalizers": [{"type": "NFD"}, {"type": "Lowercase"}, {"type": "StripAccents"}]},
        "pre_tokenizer": {"type": "BertPreTokenizer"},
        "post_processor": None,
        "decoder": None,
        "model": {"type": "WordLevel", "vocab": vocab, "unk_token": "[UNK]"},
    }


def encode(text, vocab):
    ids = [vocab.get(w, UNK) for w in words(text)][:MAX_LEN]
    return ids if ids else [UNK]


def caption(pair):
    """The caption the image-text sample uses: "Title. Description" (title alone when they agree)."""
    title, desc = pair["title"], pair["description"]
    return title if not desc or desc.lower() == title.lower() else title + ". " + desc


def variants(pair):
    title, desc, kw = pair["title"], pair["description"], pair["keywords"]
    out = [title, caption(pair)]
    if kw:
        out += [title + " " + kw, caption(pair) + " " + kw]
    return out


# ---------- model ----------

class Block(nn.Module):
    """Pre-norm transformer block written with plain ops so it exports to ONNX as is."""

    def __init__(self, dim, heads=4, mlp=2):
        super().__init__()
        self.heads = heads
        self.ln1 = nn.LayerNorm(dim)
        self.qkv = nn.Linear(dim, 3 * dim)
        self.out = nn.Linear(dim, dim)
        self.ln2 = nn.LayerNorm(dim)
        self.mlp = nn.Sequential(nn.Linear(dim, mlp * dim), nn.GELU(), nn.Linear(mlp * dim, dim))

    def forward(self, x, bias):
        b, n, d = x.shape
        h = self.heads
        q, k, v = self.qkv(self.ln1(x)).reshape(b, n, 3, h, d // h).permute(2, 0, 3, 1, 4)
        att = (q @ k.transpose(-1, -2)) / math.sqrt(d // h) + bias
        y = (att.softmax(-1) @ v).transpose(1, 2).reshape(b, n, d)
        x = x + self.out(y)
        return x + self.mlp(self.ln2(x))


class ImageEncoder(nn.Module):
    def __init__(self):
        super().__init__()
        # 8x8-pixel patches in two steps (4x4, then 2x2 of those): cheap on a CPU, a little
        # more than a linear patch embedding
        self.stem = nn.Sequential(nn.Conv2d(3, 32, 4, 4), nn.GELU(), nn.Conv2d(32, DIM, 2, 2))
        self.cls = nn.Parameter(torch.zeros(1, 1, DIM))
        self.pos = nn.Parameter(torch.randn(1, 1 + (SIZE // 8) ** 2, DIM) * 0.02)
        self.blocks = nn.ModuleList([Block(DIM) for _ in range(2)])
        self.ln = nn.LayerNorm(DIM)
        self.proj_tokens = nn.Linear(DIM, DIM, bias=False)
        self.proj_pooled = nn.Linear(DIM, DIM, bias=False)

    def forward(self, pixel_values):
        x = self.stem(pixel_values).flatten(2).transpose(1, 2)
        x = torch.cat([self.cls.expand(x.shape[0], -1, -1), x], 1) + self.pos
        for blk in self.blocks:
            x = blk(x, 0.0)
        x = self.ln(x)
        return self.proj_pooled(x[:, 0]), self.proj_tokens(x)


class TextEncoder(nn.Module):
    def __init__(self, vocab_size):
        super().__init__()
        self.emb = nn.Embedding(vocab_size, DIM)
        self.pos = nn.Parameter(torch.randn(1, MAX_LEN, DIM) * 0.02)
        self.blocks = nn.ModuleList([Block(DIM) for _ in range(2)])
        self.ln = nn.LayerNorm(DIM)
        self.proj_tokens = nn.Linear(DIM, DIM, bias=False)
        self.proj_pooled = nn.Linear(DIM, DIM, bias=False)

    def forward(self, input_ids, attention_mask):
        n = input_ids.shape[1]
        x = self.emb(input_ids) + self.pos[:, :n]
        m = attention_mask.to(x.dtype)
        bias = (1.0 - m)[:, None, None, :] * -1e4
        for blk in self.blocks:
            x = blk(x, bias)
        x = self.ln(x)
        mean = (x * m[:, :, None]).sum(1) / m.sum(1, keepdim=True).clamp(min=1.0)
        return self.proj_pooled(mean), self.proj_tokens(x)


# ---------- scores (CORPORA.md section 1), batched over all image x text pairs ----------

def filip_matrices(img_tokens, txt_tokens, mask):
    """s_I[i, j] and s_T[i, j] for every image i and text j; image [CLS] already dropped."""
    v = F.normalize(img_tokens, dim=-1)
    t = F.normalize(txt_tokens, dim=-1)
    sim = torch.einsum("ipd,jld->ijpl", v, t)
    pad = (mask == 0)[None, :, None, :]
    s_i = sim.masked_fill(pad, -1e4).max(-1).values.mean(-1)
    real = mask.to(sim.dtype)
    s_t = (sim.max(-2).values * real[None]).sum(-1) / real.sum(-1).clamp(min=1.0)[None]
    return s_i, s_t


def pad_batch(seqs):
    n = max(len(s) for s in seqs)
    ids = torch.zeros(len(seqs), n, dtype=torch.long)
    mask = torch.zeros(len(seqs), n, dtype=torch.long)
    for i, s in enumerate(seqs):
        ids[i, :len(s)] = torch.tensor(s)
        mask[i, :len(s)] = 1
    return ids, mask


def auc(pos, neg):
    """Probability that a matched pair outscores a shuffled one (ties count half)."""
    pos, neg = np.asarray(pos), np.asarray(neg)
    allv = np.concatenate([pos, neg])
    order = allv.argsort(kind="mergesort")
    ranks = np.empty(len(allv))
    sorted_v = allv[order]
    i = 0
    while i < len(allv):
        j = i
        while j + 1 < len(allv) and sorted_v[j + 1] == sorted_v[i]:
            j += 1
        ranks[order[i:j + 1]] = (i + j) / 2 + 1
        i = j + 1
    return float((ranks[:len(pos)].sum() - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg)))


def normalise_pixels(u8):
    x = torch.from_numpy(u8).float().div(255.0).permute(0, 3, 1, 2)
    return (x - torch.tensor(MEAN)[None, :, None, None]) / torch.tensor(STD)[None, :, None, None]


def augment(x, gen):
    """Random horizontal flip and a shift of up to 4 pixels (white border), per image."""
    b = x.shape[0]
    flip = torch.rand(b, generator=gen) < 0.5
    x = torch.where(flip[:, None, None, None], x.flip(-1), x)
    white = (1.0 - torch.tensor(MEAN)) / torch.tensor(STD)
    padded = white[None, :, None, None].expand(b, 3, SIZE + 8, SIZE + 8).clone()
    padded[:, :, 4:4 + SIZE, 4:4 + SIZE] = x
    dx = torch.randint(0, 9, (b,), generator=gen)
    dy = torch.randint(0, 9, (b,), generator=gen)
    return torch.stack([padded[i, :, dy[i]:dy[i] + SIZE, dx[i]:dx[i] + SIZE] for i in range(b)])


@torch.no_grad()
def heldout_auc(img_enc, txt_enc, pixels, pairs, vocab, seed=7):
    img_enc.eval(); txt_enc.eval()
    x = normalise_pixels(pixels)
    ids, mask = pad_batch([encode(caption(p), vocab) for p in pairs])
    ip, it = img_enc(x)
    tp, tt = txt_enc(ids, mask)
    clip = F.normalize(ip, dim=-1) @ F.normalize(tp, dim=-1).T
    s_i, s_t = filip_matrices(it[:, 1:], tt, mask)
    filip = (s_i + s_t) / 2
    n = len(pairs)
    shuffle = np.random.RandomState(seed).permutation(n)
    # a shuffled caption must come from another image: shift the fixed points by one
    shuffle = np.where(shuffle == np.arange(n), (shuffle + 1) % n, shuffle)
    idx = np.arange(n)
    img_enc.train(); txt_enc.train()
    return {
        "clip_auc": auc(clip[idx, idx].numpy(), clip[idx, shuffle].numpy()),
        "filip_auc": auc(filip[idx, idx].numpy(), filip[idx, shuffle].numpy()),
        "clip_recall_at_1": float((clip.argmax(1).numpy() == idx).mean()),
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("data")
    ap.add_argument("bundle")
    ap.add_argument("--epochs", type=int, default=40)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--lr", type=float, default=2e-3)
    args = ap.parse_args()
    torch.manual_seed(0)
    torch.set_num_threads(2)
    gen = torch.Generator().manual_seed(0)
    rng = np.random.RandomState(0)

    pairs = [json.loads(line) for line in open(os.path.join(args.data, "pairs.jsonl"), encoding="utf-8")]
    pixels = np.fromfile(os.path.join(args.data, "pixels.u8"), dtype=np.uint8).reshape(len(pairs), SIZE, SIZE, 3)
    train = [i for i, p in enumerate(pairs) if p["split"] == "train"]
    held = [i for i, p in enumerate(pairs) if p["split"] == "heldout"]

    counts = collections.Counter()
    for i in train:
        for w in set(words(" ".join([pairs[i]["title"], pairs[i]["description"], pairs[i]["keywords"]]))):
            counts[w] += 1
    kept = [w for w, c in sorted(counts.items(), key=lambda wc: (-wc[1], wc[0])) if c >= 2][:VOCAB_MAX - 2]
    vocab = {"[PAD]": PAD, "[UNK]": UNK}
    for w in kept:
        vocab[w] = len(vocab)

    img_enc, txt_enc = ImageEncoder(), TextEncoder(len(vocab))
    scales = nn.Parameter(torch.full((2,), math.log(1 / 0.07)))
    params = list(img_enc.parameters()) + list(txt_enc.parameters()) + [scales]
    opt = torch.optim.AdamW(params, lr=args.lr, weight_decay=0.05)
    steps_per_epoch = len(train) // args.batch
    total = steps_per_epoch * args.epochs
    warmup = steps_per_epoch
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min(1.0, (s + 1) / warmup) * 0.5 * (1 + math.cos(math.pi * min(1.0, s / total))))

    record = {"data": {"source": "Debian openclipart-png + openclipart-svg (Dublin Core title, description, subject keywords)",
                       "pairs": len(pairs), "train_pairs": len(train), "heldout_pairs": len(held),
                       "heldout_rule": "sha256(md5 of the PNG bytes)[0] % 10 == 0; exact duplicate images exported once",
                       "image_size": SIZE, "vocab_size": len(vocab), "max_length": MAX_LEN},
              "training": {"epochs": args.epochs, "batch": args.batch, "steps": total, "lr": args.lr, "weight_decay": 0.05,
                           "loss": "CLIP contrastive on pooled embeddings + FILIP contrastive on token-wise late interaction",
                           "augmentation": "horizontal flip, shift up to 4 px; caption drawn from title / title. description / + keywords"},
              "epochs": []}
    held_pixels = pixels[held]
    held_pairs = [pairs[i] for i in held]
    step = 0
    for epoch in range(args.epochs):
        order = rng.permutation(train)
        losses = []
        for b in range(steps_per_epoch):
            idx = order[b * args.batch:(b + 1) * args.batch]
            x = augment(normalise_pixels(pixels[idx]), gen)
            texts = [variants(pairs[i])[rng.randint(len(variants(pairs[i])))] for i in idx]
            ids, mask = pad_batch([encode(t, vocab) for t in texts])
            ip, it = img_enc(x)
            tp, tt = txt_enc(ids, mask)
            target = torch.arange(len(idx))
            clip = scales[0].clamp(max=math.log(100)).exp() * F.normalize(ip, dim=-1) @ F.normalize(tp, dim=-1).T
            s_i, s_t = filip_matrices(it[:, 1:], tt, mask)
            fs = scales[1].clamp(max=math.log(100)).exp()
            loss = (F.cross_entropy(clip, target) + F.cross_entropy(clip.T, target)) / 2 \
                + (F.cross_entropy(fs * s_i, target) + F.cross_entropy(fs * s_t.T, target)) / 2
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            step += 1
            losses.append(loss.item())
        entry = {"epoch": epoch + 1, "step": step, "loss": round(float(np.mean(losses)), 4)}
        if (epoch + 1) % 5 == 0 or epoch + 1 == args.epochs:
            entry.update({k: round(v, 4) for k, v in heldout_auc(img_enc, txt_enc, held_pixels, held_pairs, vocab).items()})
        record["epochs"].append(entry)
        print(json.dumps(entry), flush=True)

    os.makedirs(args.bundle, exist_ok=True)
    img_enc.eval(); txt_enc.eval()
    torch.onnx.export(img_enc, (torch.zeros(1, 3, SIZE, SIZE),), os.path.join(args.bundle, "image.onnx"),
                      input_names=["pixel_values"], output_names=["image_embeds", "patch_embeds"],
                      dynamic_axes={"pixel_values": {0: "batch"}, "image_embeds": {0: "batch"}, "patch_embeds": {0: "batch"}}, opset_version=14)
    torch.onnx.export(txt_enc, (torch.ones(1, 5, dtype=torch.long), torch.ones(1, 5, dtype=torch.long)), os.path.join(args.bundle, "text.onnx"),
                      input_names=["input_ids", "attention_mask"], output_names=["text_embeds", "token_embeds"],
                      dynamic_axes={"input_ids": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"},
                                    "text_embeds": {0: "batch"}, "token_embeds": {0: "batch", 1: "tokens"}}, opset_version=14)
    for f in ("image.onnx", "text.onnx"):
        onnx.checker.check_model(onnx.load(os.path.join(args.bundle, f)))
    with open(os.path.join(args.bundle, "tokenizer.json"), "w", encoding="utf-8") as f:
        json.dump(tokenizer_json(vocab), f, ensure_ascii=False)
    bundle = {
        "name": "clipart-dual-encoder",
        "embedding_dim": DIM,
        "text": {"onnx": "text.onnx", "tokenizer": "tokenizer.json", "max_length": MAX_LEN,
                 "inputs": {"input_ids": "input_ids", "attention_mask": "attention_mask"},
                 "tokens_output": "token_embeds", "pooled_output": "text_embeds", "pooling": None, "pad_id": PAD},
        "image": {"onnx": "image.onnx", "input": "pixel_values", "size": SIZE, "mean": MEAN, "std": STD,
                  "tokens_output": "patch_embeds", "pooled_output": "image_embeds", "has_cls": True},
    }
    with open(os.path.join(args.bundle, "bundle.json"), "w", encoding="utf-8") as f:
        json.dump(bundle, f, indent=2)
        f.write("\n")
    # examples the Java side checks: the bundle's tokenizer must give these ids
    record["tokenizer_examples"] = [{"text": caption(p), "ids": encode(caption(p), vocab)} for p in held_pairs[:20]]
    record["heldout"] = record["epochs"][-1]
    record["parameters"] = sum(p.numel() for p in img_enc.parameters()) + sum(p.numel() for p in txt_enc.parameters())
    with open(os.path.join(args.bundle, "training.json"), "w", encoding="utf-8") as f:
        json.dump(record, f, indent=1, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    main()
