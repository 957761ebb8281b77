#!/usr/bin/python3
"""PyTorch reference implementation for benchmarking lenet-tui.

Two architectures, matching the ones lenet-tui trains:

  lenet5-modern  Conv(1,6,5,pad 2) ReLU MaxPool2 -> Conv(6,16,5) ReLU MaxPool2
                 -> Conv(16,120,5) ReLU -> Linear(120,84) ReLU -> Linear(84,10)
                 61,706 parameters.

  lenet5         The 1998 network (LeCun et al., "Gradient-based learning
                 applied to document recognition"), same geometry but:
                   * S2/S4 are trainable subsampling layers: the sum of each
                     2x2 window times a per-channel coefficient plus a
                     per-channel bias;
                   * C3 is partially connected following Table I of the paper
                     (implemented as a full Conv2d(6,16,5) whose weight is
                     multiplied by a fixed 0/1 mask);
                   * activation is ReLU by default (--activation tanh gives the
                     paper's scaled tanh 1.7159*tanh(2x/3));
                   * output layer is a plain Linear(84,10) (no RBF units).
                 60,850 effective parameters (C3 counted as 1,516).

Modes:

  throughput  Train (forward+backward+Adam step) and inference img/s on
              in-memory data; prints ONE JSON line:
              {"impl":"pytorch","arch":..,"batch":..,"train_img_s":..,"infer_img_s":..}

  accuracy    Train on real MNIST (IDX .gz files) for N epochs and print one
              JSON line per epoch with test accuracy and wall-clock seconds.

Run with the system interpreter and a single-threaded BLAS, e.g.

  OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/pytorch_ref.py throughput --arch lenet5 --batch 64
  OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/pytorch_ref.py accuracy --arch lenet5-modern --epochs 1
"""

import argparse
import gzip
import json
import os
import struct
import subprocess
import sys
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

# MNIST normalisation constants (mean / std of the training pixels in [0,1]).
MNIST_MEAN = 0.1307
MNIST_STD = 0.3081

# Location of the MNIST files shipped with the GoMNIST module, relative to
# `go env GOMODCACHE` (the '!' marks upper-case letters in module cache paths).
GOMNIST_SUBDIR = os.path.join(
    "github.com", "petar", "!go!m!n!i!s!t@v0.0.0-20150320212226-2fbe10d0fa63", "data")

# LeCun et al. 1998, Table I: the S2 feature maps (0..5) each C3 map (0..15)
# is connected to.
C3_TABLE = [
    (0, 1, 2), (1, 2, 3), (2, 3, 4), (3, 4, 5), (0, 4, 5), (0, 1, 5),
    (0, 1, 2, 3), (1, 2, 3, 4), (2, 3, 4, 5), (0, 3, 4, 5), (0, 1, 4, 5),
    (0, 1, 2, 5), (0, 1, 3, 4), (1, 2, 4, 5), (0, 2, 3, 5),
    (0, 1, 2, 3, 4, 5),
]

EXPECTED_PARAMS = {"lenet5-modern": 61_706, "lenet5": 60_850}


# --------------------------------------------------------------------------
# Model definitions
# --------------------------------------------------------------------------

class ScaledTanh(nn.Module):
    """LeCun's squashing function f(a) = 1.7159 * tanh(2a/3)."""

    def forward(self, x):
        return 1.7159 * torch.tanh(x * (2.0 / 3.0))


def make_activation(name):
    if name == "relu":
        return nn.ReLU()
    if name == "tanh":
        return ScaledTanh()
    raise ValueError(f"unknown activation {name!r}")


class LeNet5Modern(nn.Module):
    """LeNet-5 with max pooling, ReLU and fully connected C3."""

    def __init__(self, activation="relu"):
        super().__init__()
        self.c1 = nn.Conv2d(1, 6, 5, padding=2)   # 1x28x28 -> 6x28x28
        self.c3 = nn.Conv2d(6, 16, 5)             # 6x14x14 -> 16x10x10
        self.c5 = nn.Conv2d(16, 120, 5)           # 16x5x5  -> 120x1x1
        self.f6 = nn.Linear(120, 84)
        self.output = nn.Linear(84, 10)  # "output" as lenet-tui names the layer (OUTPUT), so checkpoints load by name
        self.act = make_activation(activation)

    def forward(self, x):
        x = F.max_pool2d(self.act(self.c1(x)), 2)
        x = F.max_pool2d(self.act(self.c3(x)), 2)
        x = self.act(self.c5(x)).flatten(1)
        x = self.act(self.f6(x))
        return self.output(x)


class Subsample(nn.Module):
    """1998 subsampling layer: sum of each 2x2 window * coef[c] + bias[c].

    Both coefficient and bias are trainable, one per channel (2 params/map).
    """

    def __init__(self, channels):
        super().__init__()
        # coef = 0.25 starts the layer off as a plain 2x2 average.
        self.coef = nn.Parameter(torch.full((channels,), 0.25))
        self.bias = nn.Parameter(torch.zeros(channels))

    def forward(self, x):
        window_sum = F.avg_pool2d(x, 2) * 4.0
        return window_sum * self.coef.view(1, -1, 1, 1) + self.bias.view(1, -1, 1, 1)


class MaskedConv2d(nn.Conv2d):
    """Conv2d whose weight is multiplied by a fixed 0/1 connection mask.

    mask[j][i] == 1 when output map j reads input map i. Masked-out weights
    are zeroed at construction and receive zero gradient, so they never
    move (also under Adam, whose update for an always-zero gradient is 0).
    """

    def __init__(self, in_ch, out_ch, k, table):
        super().__init__(in_ch, out_ch, k)
        mask = torch.zeros(out_ch, in_ch, 1, 1)
        for j, inputs in enumerate(table):
            for i in inputs:
                mask[j, i] = 1.0
        # Not persistent: the table is part of the architecture, not of
        # its state, so a state_dict (and a lenet-tui checkpoint, which has
        # no such tensor) holds the weights only and loads with strict=True.
        self.register_buffer("mask", mask, persistent=False)
        # Re-initialise the live weights with a fan-in computed from the
        # actual number of connections, then zero the dead ones.
        with torch.no_grad():
            for j, inputs in enumerate(table):
                fan_in = len(inputs) * k * k
                bound = 1.0 / fan_in ** 0.5
                self.weight[j].uniform_(-bound, bound)
                self.bias[j].uniform_(-bound, bound)
            self.weight.mul_(mask)

    def forward(self, x):
        return F.conv2d(x, self.weight * self.mask, self.bias)

    def effective_params(self):
        """Weights actually connected plus the biases (1,516 for Table I)."""
        k = self.weight.shape[2] * self.weight.shape[3]
        return int(self.mask.sum().item()) * k + self.bias.numel()


class LeNet5(nn.Module):
    """The 1998 LeNet-5: trainable subsampling and Table I partial C3."""

    def __init__(self, activation="relu"):
        super().__init__()
        self.c1 = nn.Conv2d(1, 6, 5, padding=2)      # 1x28x28 -> 6x28x28
        self.s2 = Subsample(6)                        # -> 6x14x14
        self.c3 = MaskedConv2d(6, 16, 5, C3_TABLE)    # -> 16x10x10
        self.s4 = Subsample(16)                       # -> 16x5x5
        self.c5 = nn.Conv2d(16, 120, 5)               # -> 120x1x1
        self.f6 = nn.Linear(120, 84)
        self.output = nn.Linear(84, 10)  # "output" as lenet-tui names the layer (OUTPUT), so checkpoints load by name
        self.act = make_activation(activation)

    def forward(self, x):
        # As in the paper, the squashing function follows both the
        # convolution and the subsampling layers.
        x = self.act(self.c1(x))
        x = self.act(self.s2(x))
        x = self.act(self.c3(x))
        x = self.act(self.s4(x))
        x = self.act(self.c5(x)).flatten(1)
        x = self.act(self.f6(x))
        return self.output(x)


def build_model(arch, activation):
    if arch == "lenet5-modern":
        model = LeNet5Modern(activation)
    elif arch == "lenet5":
        model = LeNet5(activation)
    else:
        raise ValueError(f"unknown arch {arch!r}")
    n = count_params(model)
    assert n == EXPECTED_PARAMS[arch], f"{arch}: {n} params, expected {EXPECTED_PARAMS[arch]}"
    return model


def count_params(model):
    """Trainable parameter count, counting masked convolutions effectively."""
    total = 0
    masked = set()
    for m in model.modules():
        if isinstance(m, MaskedConv2d):
            total += m.effective_params()
            masked.update({id(m.weight), id(m.bias)})
    total += sum(p.numel() for p in model.parameters() if id(p) not in masked)
    return total


# --------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------

def default_mnist_dir():
    """MNIST directory inside the Go module cache (GoMNIST)."""
    try:
        modcache = subprocess.run(["go", "env", "GOMODCACHE"], check=True,
                                  capture_output=True, text=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        modcache = os.path.join(os.path.expanduser("~"), "go", "pkg", "mod")
    return os.path.join(modcache, GOMNIST_SUBDIR)


def read_idx(path):
    """Read a gzipped IDX file (ubyte data only) into a numpy array."""
    with gzip.open(path, "rb") as f:
        data = f.read()
    zero, dtype, ndim = struct.unpack(">HBB", data[:4])
    if zero != 0 or dtype != 0x08:
        raise ValueError(f"{path}: not an unsigned-byte IDX file")
    dims = struct.unpack(">" + "I" * ndim, data[4:4 + 4 * ndim])
    arr = np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim)
    return arr.reshape(dims)


def load_mnist(data_dir, split):
    """Return (images float32 Nx1x28x28 standardised, labels int64 N)."""
    prefix = "train" if split == "train" else "t10k"
    images = read_idx(os.path.join(data_dir, f"{prefix}-images-idx3-ubyte.gz"))
    labels = read_idx(os.path.join(data_dir, f"{prefix}-labels-idx1-ubyte.gz"))
    x = torch.from_numpy(images.astype(np.float32) / 255.0)
    x = ((x - MNIST_MEAN) / MNIST_STD).unsqueeze(1).contiguous()
    y = torch.from_numpy(labels.astype(np.int64))
    return x, y


def random_data(n, seed):
    """Standard-normal random images with random labels (already in memory)."""
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(n, 1, 28, 28, generator=g)
    y = torch.randint(0, 10, (n,), generator=g)
    return x, y


# --------------------------------------------------------------------------
# Modes
# --------------------------------------------------------------------------

def batches(x, y, batch, start):
    """Endless iterator of contiguous (x, y) batch slices, wrapping around."""
    n = x.shape[0] - x.shape[0] % batch   # drop the ragged tail
    i = start % n
    while True:
        yield x[i:i + batch], y[i:i + batch]
        i = (i + batch) % n


def timed_loop(step, it, warmup_s, measure_s, batch):
    """Run step() for warmup_s, then for measure_s; return images/second."""
    t_end = time.perf_counter() + warmup_s
    while time.perf_counter() < t_end:
        step(*next(it))
    steps = 0
    t0 = time.perf_counter()
    while True:
        step(*next(it))
        steps += 1
        elapsed = time.perf_counter() - t0
        if elapsed >= measure_s:
            break
    return steps * batch / elapsed


def run_throughput(args):
    if args.data == "mnist":
        x, y = load_mnist(args.data_dir or default_mnist_dir(), "train")
    else:
        x, y = random_data(60_000, args.seed)
    if args.batch > x.shape[0]:
        sys.exit(f"batch {args.batch} larger than dataset")

    model = build_model(args.arch, args.activation)
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)

    def train_step(xb, yb):
        opt.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(xb), yb)
        loss.backward()
        opt.step()

    def infer_step(xb, _yb):
        model(xb).argmax(1)

    model.train()
    train_img_s = timed_loop(train_step, batches(x, y, args.batch, 0),
                             args.warmup, args.seconds, args.batch)
    model.eval()
    with torch.no_grad():
        infer_img_s = timed_loop(infer_step, batches(x, y, args.batch, 0),
                                 args.warmup, args.seconds, args.batch)

    print(json.dumps({
        "impl": "pytorch",
        "arch": args.arch,
        "batch": args.batch,
        "train_img_s": round(train_img_s, 1),
        "infer_img_s": round(infer_img_s, 1),
    }), flush=True)


def evaluate(model, x, y, batch=1000):
    model.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, x.shape[0], batch):
            correct += (model(x[i:i + batch]).argmax(1) == y[i:i + batch]).sum().item()
    return correct / x.shape[0]


def run_accuracy(args):
    data_dir = args.data_dir or default_mnist_dir()
    x_train, y_train = load_mnist(data_dir, "train")
    x_test, y_test = load_mnist(data_dir, "test")

    model = build_model(args.arch, args.activation)
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)
    g = torch.Generator().manual_seed(args.seed)
    n = x_train.shape[0]

    wall0 = time.perf_counter()
    for epoch in range(1, args.epochs + 1):
        t0 = time.perf_counter()
        model.train()
        perm = torch.randperm(n, generator=g)
        loss_sum, seen = 0.0, 0
        for i in range(0, n, args.batch):
            idx = perm[i:i + args.batch]
            xb, yb = x_train[idx], y_train[idx]
            opt.zero_grad(set_to_none=True)
            loss = F.cross_entropy(model(xb), yb)
            loss.backward()
            opt.step()
            loss_sum += loss.item() * yb.shape[0]
            seen += yb.shape[0]
        train_s = time.perf_counter() - t0
        acc = evaluate(model, x_test, y_test)
        print(json.dumps({
            "impl": "pytorch",
            "arch": args.arch,
            "batch": args.batch,
            "epoch": epoch,
            "train_loss": round(loss_sum / seen, 5),
            "test_acc": round(acc, 4),
            "epoch_train_s": round(train_s, 2),
            "epoch_s": round(time.perf_counter() - t0, 2),
            "wall_s": round(time.perf_counter() - wall0, 2),
        }), flush=True)


# --------------------------------------------------------------------------
# CLI
# --------------------------------------------------------------------------

def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = p.add_subparsers(dest="mode", required=True)

    def common(sp):
        sp.add_argument("--arch", choices=sorted(EXPECTED_PARAMS), default="lenet5-modern")
        sp.add_argument("--batch", type=int, default=64)
        sp.add_argument("--activation", choices=["relu", "tanh"], default="relu")
        sp.add_argument("--lr", type=float, default=1e-3, help="Adam learning rate")
        sp.add_argument("--threads", type=int, default=2, help="torch.set_num_threads")
        sp.add_argument("--seed", type=int, default=1)
        sp.add_argument("--data-dir", default=None,
                        help="directory with MNIST *-idx?-ubyte.gz (default: GoMNIST in GOMODCACHE)")

    tp = sub.add_parser("throughput", help="measure train / inference img/s")
    common(tp)
    tp.add_argument("--seconds", type=float, default=5.0, help="measurement time per phase")
    tp.add_argument("--warmup", type=float, default=1.0, help="warm-up time per phase")
    tp.add_argument("--data", choices=["random", "mnist"], default="random",
                    help="in-memory random standardised data or real MNIST")

    ap = sub.add_parser("accuracy", help="train on MNIST, report test accuracy per epoch")
    common(ap)
    ap.add_argument("--epochs", type=int, default=1)

    args = p.parse_args()
    if args.batch < 1:
        p.error("--batch must be positive")
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)

    if args.mode == "throughput":
        run_throughput(args)
    else:
        run_accuracy(args)


if __name__ == "__main__":
    main()
