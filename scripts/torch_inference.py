#!/usr/bin/env python3
"""PyTorch eager's side of the benchmark's inference rows: one network's forward pass, gradients off,
median time over SECONDS after two seconds of warm-up, at each batch size. The report's networks come
from ../shared/bench/bench_torch.py, HeatmapNet (heatmap) and HeatmapNet-fine (heatmap-fine) from
scripts/heatmap_net_torch.py (68 keypoints).

Usage: /usr/bin/python3 scripts/torch_inference.py BENCH_TORCH MODEL BATCHES [SECONDS]
  e.g. /usr/bin/python3 scripts/torch_inference.py ../shared/bench/bench_torch.py face 1 5
Prints: RESULT torch infer model=MODEL batch=B n=... median_ms=... min_ms=...
"""
import importlib.util
import os
import sys
import time

import numpy as np
import torch


def load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main():
    if len(sys.argv) < 4:
        raise SystemExit(__doc__)
    bench_torch, name = sys.argv[1], sys.argv[2]
    batches = [int(b) for b in sys.argv[3].split(",")]
    seconds = float(sys.argv[4]) if len(sys.argv) > 4 else 5.0
    torch.set_num_threads(2)
    torch.manual_seed(0)
    if name.startswith("heatmap"):
        heatmap = load("heatmap_net_torch", os.path.join(os.path.dirname(os.path.abspath(__file__)), "heatmap_net_torch.py"))
        model, shape = heatmap.NETWORKS[name](68), (3, heatmap.SIDE, heatmap.SIDE)
    else:
        build, shape, _ = load("bench_torch", bench_torch).MODELS[name]
        model = build()
    model.eval()
    rng = np.random.default_rng(42)
    for b in batches:
        x = torch.from_numpy(rng.random((b, *shape), dtype=np.float32))

        def forward():
            out = model(x)
            (out[0] if isinstance(out, tuple) else out).numpy()

        with torch.no_grad():
            warm = time.perf_counter() + 2
            while time.perf_counter() < warm:
                forward()
            lat, start = [], time.perf_counter()
            while time.perf_counter() - start < seconds or len(lat) < 10:
                a = time.perf_counter()
                forward()
                lat.append((time.perf_counter() - a) * 1000)
        lat.sort()
        print(f"RESULT torch infer model={name} batch={b} n={len(lat)} median_ms={lat[len(lat) // 2]:.3f}"
              f" min_ms={lat[0]:.3f}")


if __name__ == "__main__":
    main()
