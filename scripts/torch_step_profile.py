#!/usr/bin/env python3
"""PyTorch's side of io.github.keypointj.bench.StepProfile: median forward, loss + backward and Adam
update times per step, for the nets of ../shared/bench/bench_torch.py.

Usage: /usr/bin/python3 scripts/torch_step_profile.py MODEL BATCH [STEPS [TRACE]]   (MODEL: nose face resnet18)
TRACE: write PyTorch's profiler trace of the measured steps there (read it with scripts/trace_summary.py;
StepProfile -Dtrace=FILE writes KeypointJ's).
"""
import importlib.util
import os
import sys
import time

import torch
import torch.nn as nn

here = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location(
    "bench_torch", os.path.join(here, "..", "..", "shared", "bench", "bench_torch.py"))
bench = importlib.util.module_from_spec(spec)
spec.loader.exec_module(bench)

name, batch = sys.argv[1], int(sys.argv[2])
steps = int(sys.argv[3]) if len(sys.argv) > 3 else 200
trace = sys.argv[4] if len(sys.argv) > 4 else None
torch.set_num_threads(2)
torch.manual_seed(0)
build, in_shape, out = bench.MODELS[name]
model = build()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
x = torch.rand((batch, *in_shape))
y = torch.rand((batch, out))
times = [[], [], [], []]
profiler = None
for s in range(-min(10, steps), steps):
    if s == 0 and trace:
        profiler = torch.profiler.profile(activities=[torch.profiler.ProfilerActivity.CPU], record_shapes=True)
        profiler.__enter__()
    t0 = time.perf_counter()
    opt.zero_grad()
    p = model(x)
    t1 = time.perf_counter()
    loss = nn.functional.mse_loss(p, y)
    loss.backward()
    loss.item()
    t2 = time.perf_counter()
    opt.step()
    t3 = time.perf_counter()
    if s >= 0:
        for i, d in enumerate((t1 - t0, t2 - t1, t3 - t2, t3 - t0)):
            times[i].append(d * 1000)
if profiler:
    profiler.__exit__(None, None, None)
    profiler.export_chrome_trace(trace)
med = [sorted(t)[len(t) // 2] for t in times]
print(f"torch {name} batch {batch}: forward {med[0]:.2f} ms, loss+backward {med[1]:.2f} ms, "
      f"update {med[2]:.2f} ms, step {med[3]:.2f} ms ({batch * 1000 / med[3]:.1f} img/s)")
