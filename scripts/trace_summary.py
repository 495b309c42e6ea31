#!/usr/bin/env python3
"""Where a training step's time goes, operator by operator, from a PyTorch profiler trace (chrome JSON):
KeypointJ's (io.github.keypointj.bench.StepProfile -Dtrace=FILE) or PyTorch's own
(scripts/torch_step_profile.py MODEL BATCH STEPS FILE). Prints each operator's time per step, its own
(self, without the operators it calls) and in all, and with --shapes each input shape's median call.

Usage: python3 scripts/trace_summary.py TRACE STEPS [--top N] [--shapes OP[,OP...]] [--positions]
--positions: for those operators, the median call by its place within a step instead (call 1, 2, ... of the
step): layer by layer where the trace has no shapes (Debian's PyTorch 1.13); a backward pass runs the
layers last to first.
"""
import argparse
import collections
import json

parser = argparse.ArgumentParser()
parser.add_argument("trace")
parser.add_argument("steps", type=int)
parser.add_argument("--top", type=int, default=30)
parser.add_argument("--shapes", default="")
parser.add_argument("--positions", action="store_true")
args = parser.parse_args()

with open(args.trace) as f:
    loaded = json.load(f)
events = loaded["traceEvents"] if isinstance(loaded, dict) else loaded
calls = [e for e in events if e.get("ph") == "X" and e.get("cat", "cpu_op") in ("cpu_op", "user_annotation", "")]

# Self time: an event's duration less that of the events it encloses on its thread.
own = collections.Counter()
total = collections.Counter()
count = collections.Counter()
by_thread = collections.defaultdict(list)
for e in calls:
    by_thread[e.get("tid")].append(e)
for thread_calls in by_thread.values():
    thread_calls.sort(key=lambda e: (e["ts"], -e["dur"]))
    open_calls = []
    for e in thread_calls:
        while open_calls and open_calls[-1]["ts"] + open_calls[-1]["dur"] <= e["ts"]:
            open_calls.pop()
        e["self"] = e["dur"]
        if open_calls:
            open_calls[-1]["self"] -= e["dur"]
        open_calls.append(e)
for e in calls:
    own[e["name"]] += e["self"]
    total[e["name"]] += e["dur"]
    count[e["name"]] += 1

per_step = lambda microseconds: microseconds / args.steps / 1000
print(f"{'self ms':>8} {'all ms':>8} {'calls':>6}  operator (per step, {args.steps} steps)")
for name, microseconds in own.most_common(args.top):
    print(f"{per_step(microseconds):8.3f} {per_step(total[name]):8.3f} {count[name] / args.steps:6.1f}  {name}")
print(f"{per_step(sum(own.values())):8.3f}                  in all")

wanted = [name for name in args.shapes.split(",") if name]
if wanted:
    print("\nmedian call by " + ("place in the step" if args.positions else "input shape") + ", ms")
    durations = collections.defaultdict(list)
    for e in calls:
        if e["name"] in wanted:
            # PyTorch 2.x's traces give each call's input shapes; Debian's PyTorch 1.13 writes none.
            shape = e.get("shape") or e.get("args", {}).get("Input Dims")
            durations[(e["name"], str(shape))].append(e["dur"])
    if args.positions:
        durations.clear()
        for name in wanted:
            in_order = sorted((e for e in calls if e["name"] == name), key=lambda e: e["ts"])
            per_step_calls = max(1, round(len(in_order) / args.steps))
            for i, e in enumerate(in_order):
                durations[(name, f"call {i % per_step_calls + 1} of {per_step_calls}")].append(e["dur"])
    for (name, shape), values in sorted(durations.items()):
        values.sort()
        print(f"{values[len(values) // 2] / 1000:8.3f} {len(values) / args.steps:5.1f}/step  {name} {shape}")
