#!/usr/bin/python3
"""The 2017 note's TensorFlow program, in PyTorch: the peer for
`lenet-tui train --arch seed-code`.

SAME 5x5 convs 6 -> 16 -> 120 with 2x2 max pooling after the first two, a
dense 5880 -> 80 layer, a 10-way softmax; every weight and bias drawn from a
normal with sigma 1 truncated at 2 sigma; plain gradient descent, lr 0.001, on
the summed loss; batch 200; input pixels in [0, 1]. Prints one JSON line.

  OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/seed_code.py --activation relu --loss naive --seed 1
"""
import argparse, gzip, json, os, struct, subprocess, sys, time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def idx(path):
    with gzip.open(path) as f:
        magic, = struct.unpack(">I", f.read(4))
        dims = struct.unpack(">" + "I" * (magic & 0xFF), f.read(4 * (magic & 0xFF)))
        return np.frombuffer(f.read(), dtype=np.uint8).reshape(dims)


def mnist():
    cache = subprocess.run(["go", "env", "GOMODCACHE"], capture_output=True, text=True).stdout.strip()
    d = os.path.join(cache, "github.com/petar/!go!m!n!i!s!t@v0.0.0-20150320212226-2fbe10d0fa63/data")
    load = lambda n: idx(os.path.join(d, n))
    x = lambda a: torch.from_numpy(a.astype(np.float32) / 255).unsqueeze(1)
    y = lambda a: torch.from_numpy(a.astype(np.int64))
    return (x(load("train-images-idx3-ubyte.gz")), y(load("train-labels-idx1-ubyte.gz")),
            x(load("t10k-images-idx3-ubyte.gz")), y(load("t10k-labels-idx1-ubyte.gz")))


class SeedCode(nn.Module):
    def __init__(self, act, init):
        super().__init__()
        self.act = {"sigmoid": torch.sigmoid, "relu": F.relu}[act]
        self.c1 = nn.Conv2d(1, 6, 5, padding=2)
        self.c2 = nn.Conv2d(6, 16, 5, padding=2)
        self.c3 = nn.Conv2d(16, 120, 5, padding=2)
        self.f1 = nn.Linear(7 * 7 * 120, 80)
        self.f2 = nn.Linear(80, 10)
        for m in [self.c1, self.c2, self.c3, self.f1, self.f2]:
            if init == "truncated-normal":
                nn.init.trunc_normal_(m.weight, std=1, a=-2, b=2)
                nn.init.trunc_normal_(m.bias, std=1, a=-2, b=2)
            else:  # he
                nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
                nn.init.zeros_(m.bias)

    def forward(self, x):
        x = F.max_pool2d(self.act(self.c1(x)), 2)
        x = F.max_pool2d(self.act(self.c2(x)), 2)
        x = self.act(self.c3(x))
        x = self.act(self.f1(x.flatten(1)))
        return self.f2(x)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--activation", default="sigmoid", choices=["sigmoid", "relu"])
    p.add_argument("--loss", default="naive", choices=["naive", "stable"])
    p.add_argument("--init", default="truncated-normal", choices=["truncated-normal", "he"])
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()
    torch.manual_seed(a.seed)
    torch.set_num_threads(2)
    xtr, ytr, xte, yte = mnist()
    net = SeedCode(a.activation, a.init)
    opt = torch.optim.SGD(net.parameters(), lr=0.001)
    start, nan_at = time.time(), None
    perm = torch.randperm(len(xtr))
    for step, i in enumerate(range(0, len(xtr), 200)):
        b = perm[i:i + 200]
        z = net(xtr[b])
        if a.loss == "naive":  # -sum(y * log(softmax(z))), as the note wrote it
            loss = -(F.one_hot(ytr[b], 10) * torch.log(F.softmax(z, 1))).sum()
        else:
            loss = F.cross_entropy(z, ytr[b], reduction="sum")
        if not torch.isfinite(loss):
            nan_at = step + 1
            break
        opt.zero_grad()
        loss.backward()
        opt.step()
    with torch.no_grad():
        acc = (net(xte).argmax(1) == yte).float().mean().item()
    print(json.dumps({"impl": "pytorch", "arch": "seed-code", **vars(a), "nan_at_step": nan_at,
                      "test_acc": None if nan_at else acc, "seconds": time.time() - start}))


if __name__ == "__main__":
    main()
