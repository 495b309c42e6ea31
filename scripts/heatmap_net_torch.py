#!/usr/bin/env python3
"""HeatmapNet and HeatmapNet-fine in PyTorch eager: the same networks as KeypointJ's
(io.github.keypointj.nets.Networks.heatmapNet and fineHeatmapNet, layer for layer and parameter for parameter)
and their loss (train.HeatmapLoss), for scripts/benchmark.

Usage: /usr/bin/python3 scripts/heatmap_net_torch.py bench KEYPOINTS BATCHES [SECONDS [NETWORK [DEVICE [SIDE]]]]
         training at each batch (random 3xSIDExSIDE inputs, 128 by default, and targets, Adam 1e-3, the heatmap
         loss); prints RESULT lines as ../shared/bench/bench_torch.py (inference: scripts/torch_inference.py).
         NETWORK: heatmap (default) or heatmap-fine; DEVICE: cpu (default, 2 threads) or cuda
       /usr/bin/python3 scripts/heatmap_net_torch.py check FILE [NETWORK]
         loads the parameters and an input that KeypointJ wrote (bench.TorchHeatmapCheck), runs the input
         and prints how far the outputs are from KeypointJ's: the proof that both sides run one network.
"""
import resource
import struct
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

DECODER_CHANNELS = 128
FINE_DECODER_CHANNELS = 64
SIGMA_CELLS = 1.0
SIDE = 128


def conv(inputs, filters, kernel, stride=1, padding=0, bias=False):
    return nn.Conv2d(inputs, filters, kernel, stride, padding, bias=bias)


class BasicBlock(nn.Module):
    """torchvision's basic block; residual before shortcut, as KeypointJ's ParallelBlock holds them."""

    def __init__(self, inputs, channels, stride, project):
        super().__init__()
        self.conv1 = conv(inputs, channels, 3, stride, 1)
        self.bn1 = nn.BatchNorm2d(channels)
        self.conv2 = conv(channels, channels, 3, 1, 1)
        self.bn2 = nn.BatchNorm2d(channels)
        self.shortcut = nn.Sequential(conv(inputs, channels, 1, stride), nn.BatchNorm2d(channels)) if project else None

    def forward(self, x):
        out = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
        out += x if self.shortcut is None else self.shortcut(x)
        return F.relu(out)


class TopDownMerge(nn.Module):
    """deeper(x) resized to x's size (bilinear), plus x through a 1x1 convolution, then a 3x3 one."""

    def __init__(self, deeper, inputs, channels):
        super().__init__()
        self.deeper = deeper
        self.lateral = nn.Sequential(conv(inputs, channels, 1), nn.BatchNorm2d(channels))
        self.mix = nn.Sequential(conv(channels, channels, 3, 1, 1), nn.BatchNorm2d(channels))

    def forward(self, x):
        fine = self.lateral(x)
        coarse = F.interpolate(self.deeper(x), size=fine.shape[2:], mode="bilinear", align_corners=False)
        return F.relu(self.mix(coarse + fine))


def top_down_path(channels):
    """ResNet-18's last three stages, each merged with everything deeper, from a 64-channel input at 1/4."""
    widths = [64, 128, 256, 512]
    stages = [nn.Sequential(BasicBlock(widths[i], widths[i + 1], 2, True),
                            BasicBlock(widths[i + 1], widths[i + 1], 1, False)) for i in range(3)]
    deeper = nn.Sequential(stages[2], conv(512, channels, 1), nn.BatchNorm2d(channels), nn.ReLU())
    for i in (1, 0):
        deeper = nn.Sequential(stages[i], TopDownMerge(deeper, widths[i + 1], channels))
    return TopDownMerge(deeper, 64, channels)


def torchvision_init(model):
    """torchvision's ResNet initialisation, as KeypointJ's TorchInitialization.torchvisionResNet."""
    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            nn.init.kaiming_normal_(m.weight, mode="fan_out", nonlinearity="relu")


class HeatmapNet(nn.Module):
    """ResNet-18's stem and stages, a feature-pyramid top-down path to 1/4 of the input, one map per keypoint."""

    def __init__(self, keypoints):
        super().__init__()
        self.stem = nn.Sequential(
            conv(3, 64, 7, 2, 3), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(3, 2, 1),
            BasicBlock(64, 64, 1, False), BasicBlock(64, 64, 1, False))
        self.decoder = top_down_path(DECODER_CHANNELS)
        self.head = conv(DECODER_CHANNELS, keypoints, 1, bias=True)
        torchvision_init(self)

    def forward(self, x):
        return soft_argmax(self.head(self.decoder(self.stem(x))))


class FineHeatmapNet(nn.Module):
    """HeatmapNet with one more top-down level: its 1/4 output merged with the stem's convolution at 1/2."""

    def __init__(self, keypoints):
        super().__init__()
        self.stem = nn.Sequential(conv(3, 64, 7, 2, 3), nn.BatchNorm2d(64), nn.ReLU())
        quarter = nn.Sequential(
            nn.MaxPool2d(3, 2, 1), BasicBlock(64, 64, 1, False), BasicBlock(64, 64, 1, False),
            top_down_path(DECODER_CHANNELS), conv(DECODER_CHANNELS, FINE_DECODER_CHANNELS, 1),
            nn.BatchNorm2d(FINE_DECODER_CHANNELS))
        self.decoder = TopDownMerge(quarter, 64, FINE_DECODER_CHANNELS)
        self.head = conv(FINE_DECODER_CHANNELS, keypoints, 1, bias=True)
        torchvision_init(self)

    def forward(self, x):
        return soft_argmax(self.head(self.decoder(self.stem(x))))


NETWORKS = {"heatmap": HeatmapNet, "heatmap-fine": FineHeatmapNet}


def soft_argmax(logits):
    """Coordinates (N, 2K) as fractions of the input (cell centres at (j + 0.5) / w), and log-probabilities."""
    n, k, h, w = logits.shape
    log_p = F.log_softmax(logits.reshape(n, k, h * w), dim=2).reshape(n, k, h, w)
    p = log_p.exp()
    x = (p.sum(2) * ((torch.arange(w, dtype=p.dtype, device=p.device) + 0.5) / w)).sum(2)
    y = (p.sum(3) * ((torch.arange(h, dtype=p.dtype, device=p.device) + 0.5) / h)).sum(2)
    return torch.stack((x, y), 2).reshape(n, 2 * k), log_p


def heatmap_loss(coordinates, log_p, targets):
    """L1 in cells plus the cross-entropy against a Gaussian of one cell around each target (train.HeatmapLoss)."""
    n, k, h, w = log_p.shape
    t = targets.reshape(n, k, 2)
    cells = torch.tensor([w, h], dtype=t.dtype, device=t.device)
    l1 = ((coordinates.reshape(n, k, 2) - t).abs() * cells).mean()

    def gaussian(target, count):
        distance = ((torch.arange(count, dtype=t.dtype, device=t.device) + 0.5) / count - target) * count
        return torch.exp(-distance.square() / (2 * SIGMA_CELLS ** 2))

    g = gaussian(t[:, :, 1:2], h).unsqueeze(3) * gaussian(t[:, :, 0:1], w).unsqueeze(2) / (2 * np.pi * SIGMA_CELLS ** 2)
    return l1 + (-(g * log_p).sum((2, 3))).mean()


def ordered_tensors(model):
    """Parameters and BatchNorm statistics in KeypointJ's order (DJL: weight, bias; gamma, beta, mean, var)."""
    tensors = []
    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            tensors += [m.weight] + ([m.bias] if m.bias is not None else [])
        elif isinstance(m, nn.BatchNorm2d):
            tensors += [m.weight, m.bias, m.running_mean, m.running_var]
    return tensors


def trainable(model):
    return sum(p.numel() for p in model.parameters())


def check(path, network):
    """KeypointJ's file (big-endian): keypoints, input, tensor count, tensors, outputs; each array as rank, dims, values."""
    with open(path, "rb") as f:
        data = f.read()
    at = 0

    def ints(count):
        nonlocal at
        values = struct.unpack_from(">%di" % count, data, at)
        at += 4 * count
        return values

    def shape():
        rank, = ints(1)
        return ints(rank)

    def floats(shape):
        nonlocal at
        count = int(np.prod(shape))
        values = np.frombuffer(data, ">f4", count, at).astype(np.float32).reshape(shape)
        at += 4 * count
        return torch.from_numpy(values.copy())

    keypoints, = ints(1)
    x = floats(shape())
    model = NETWORKS[network](keypoints)
    tensors = ordered_tensors(model)
    count, = ints(1)
    if count != len(tensors):
        raise SystemExit(f"KeypointJ wrote {count} tensors, the PyTorch {network} has {len(tensors)}")
    with torch.no_grad():
        for i, t in enumerate(tensors):
            dims = shape()
            if tuple(dims) != tuple(t.shape):
                raise SystemExit(f"tensor {i}: KeypointJ {tuple(dims)}, PyTorch {tuple(t.shape)}")
            t.copy_(floats(dims))
    expected_coordinates = floats(shape())
    expected_log_p = floats(shape())
    model.eval()
    with torch.no_grad():
        coordinates, log_p = model(x)
    print(f"RESULT torch check params={trainable(model)} tensors={len(tensors)}"
          f" max_coordinate_difference={(coordinates - expected_coordinates).abs().max().item():.3g}"
          f" max_log_probability_difference={(log_p - expected_log_p).abs().max().item():.3g}")


def bench(keypoints, batches, seconds, network, device, side):
    torch.set_num_threads(2)
    torch.manual_seed(0)
    model = NETWORKS[network](keypoints).to(device)
    print(f"torch={torch.__version__} threads={torch.get_num_threads()} device={device}"
          f"{' ' + torch.cuda.get_device_name() if device == 'cuda' else ''} model={network} keypoints={keypoints}"
          f" params={trainable(model)} side={side}")
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    rng = np.random.default_rng(42)
    model.train()
    for b in batches:
        x = torch.from_numpy(rng.random((b, 3, side, side), dtype=np.float32)).to(device)
        y = torch.from_numpy(rng.uniform(0.2, 0.8, (b, 2 * keypoints)).astype(np.float32)).to(device)

        def step():
            opt.zero_grad()
            loss = heatmap_loss(*model(x), y)
            loss.backward()
            opt.step()
            return loss.item()  # waits for the GPU too

        t = time.perf_counter()
        step()
        first = time.perf_counter() - t
        step()
        st, t0 = [], time.perf_counter()
        while True:
            a = time.perf_counter()
            loss = step()
            st.append(time.perf_counter() - a)
            el = time.perf_counter() - t0
            if el >= seconds and len(st) >= 3:
                break
        st.sort()
        med = st[len(st) // 2]
        print(f"RESULT torch train model={network} batch={b} steps={len(st)} img_per_s={b / med:.2f}"
              f" med_ms_per_step={1000 * med:.2f} first_step_s={first:.3f} loss={loss:.4f}"
              f" peak_rss_mb={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}")


def main():
    if len(sys.argv) >= 3 and sys.argv[1] == "check":
        check(sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else "heatmap")
    elif len(sys.argv) >= 4 and sys.argv[1] == "bench":
        bench(int(sys.argv[2]), [int(b) for b in sys.argv[3].split(",") if b],
              float(sys.argv[4]) if len(sys.argv) > 4 else 12.0, sys.argv[5] if len(sys.argv) > 5 else "heatmap",
              sys.argv[6] if len(sys.argv) > 6 else "cpu", int(sys.argv[7]) if len(sys.argv) > 7 else SIDE)
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main()
