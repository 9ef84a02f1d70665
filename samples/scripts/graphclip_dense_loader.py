#!/usr/bin/python3
"""Loads a graph-summary `exports/graphclip-dense/` folder as GraphCLIP's loader reads its data.

GraphCLIP's utils/process.py takes `summary-<name>.json` and a PyG `Data` object holding the node
features `x` and labels `y` of the whole graph. For entry i of the JSON it asserts `id == i`,
takes the nodes of the sample's edges (`torch.unique`), renumbers them in that order, and builds
`Data(edge_index, x=data.x[node_idx], y=data.y[id], root_n_index=node_idx_map[id], summary)`.

With torch and torch-geometric installed, this script builds `data` from x.npy and labels.json
and the per-sample `Data` objects exactly so (the AddRandomWalkPE transform left out), ready for
GraphCLIP's training loop. Without them, it replays the same steps with numpy and checks what the
loader relies on: ids in order, every edge end a node of x, the root among the sample's nodes, a
label row for the root. Either way it prints one JSON line of counts and exits non-zero on the
first entry the loader could not read.

Usage: graphclip_dense_loader.py EXPORT_DIR
"""
import json
import os
import sys

import numpy as np


def load(export_dir):
    with open(os.path.join(export_dir, "summary.json"), encoding="utf-8") as f:
        entries = json.load(f)
    x = np.load(os.path.join(export_dir, "x.npy"))
    with open(os.path.join(export_dir, "labels.json"), encoding="utf-8") as f:
        labels = json.load(f)
    y = np.asarray(labels["y"], dtype=np.int64)
    if x.shape[0] != y.shape[0]:
        raise SystemExit(f"x.npy has {x.shape[0]} rows, labels.json {y.shape[0]}")
    return entries, x, y, labels["classes"]


def replay_numpy(entries, x, y):
    """process.py's steps with numpy in place of torch."""
    edges_total = 0
    labelled_roots = 0
    for i, jd in enumerate(entries):
        assert i == jd["id"], f"entry {i} has id {jd['id']}"
        edges = np.asarray(jd["graph"], dtype=np.int64)
        assert edges.ndim == 2 and edges.shape[0] == 2 and edges.shape[1] > 0, f"entry {i}: graph"
        node_idx = np.unique(edges)
        assert node_idx.min() >= 0 and node_idx.max() < x.shape[0], f"entry {i}: node out of x"
        node_idx_map = {j: k for k, j in enumerate(node_idx.tolist())}
        sources = [node_idx_map.get(v) for v in edges[0].tolist()]
        targets = [node_idx_map.get(v) for v in edges[1].tolist()]
        assert None not in sources and None not in targets, f"entry {i}: unmapped edge end"
        features = x[node_idx]
        assert features.shape == (len(node_idx), x.shape[1])
        assert jd["id"] in node_idx_map, f"entry {i}: its root is not among its edges' nodes"
        root = node_idx_map[jd["id"]]
        assert 0 <= root < len(node_idx)
        label = y[jd["id"]]
        labelled_roots += int(label >= 0)
        assert isinstance(jd["summary"], str)
        edges_total += edges.shape[1]
    return edges_total, labelled_roots


def build_pyg(entries, x, y):
    """The whole graph's `data` and the samples, as GraphCLIP's parse_source_data builds them."""
    import torch
    from torch_geometric.data import Data

    data = Data(x=torch.from_numpy(x), y=torch.from_numpy(y))
    graphs = []
    for i, jd in enumerate(entries):
        assert i == jd["id"]
        edges = torch.tensor(jd["graph"])
        node_idx = torch.unique(edges)
        node_idx_map = {j: k for k, j in enumerate(node_idx.numpy().tolist())}
        sources_idx = list(map(node_idx_map.get, edges[0].numpy().tolist()))
        target_idx = list(map(node_idx_map.get, edges[1].numpy().tolist()))
        edge_index = torch.IntTensor([sources_idx, target_idx]).long()
        graphs.append(
            Data(
                edge_index=edge_index,
                x=data.x[node_idx],
                y=data.y[jd["id"]],
                root_n_index=node_idx_map[jd["id"]],
                summary=jd["summary"],
            )
        )
    return data, graphs


def main():
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    entries, x, y, classes = load(sys.argv[1])
    edges, labelled = replay_numpy(entries, x, y)
    mode = "numpy"
    try:
        import torch_geometric  # noqa: F401
    except ImportError:
        pass
    else:
        _, graphs = build_pyg(entries, x, y)
        assert len(graphs) == len(entries)
        mode = "torch_geometric"
    print(
        json.dumps(
            {
                "mode": mode,
                "samples": len(entries),
                "nodes": int(x.shape[0]),
                "dimensions": int(x.shape[1]) if x.ndim == 2 else 0,
                "classes": len(classes),
                "edges": edges,
                "labelled_roots": labelled,
            }
        )
    )


if __name__ == "__main__":
    main()
