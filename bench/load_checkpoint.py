#!/usr/bin/python3
"""Load a lenet-tui checkpoint into PyTorch and compare logits.

Reads a checkpoint written by `lenet-tui train --save FILE` (safetensors,
parsed here with the standard library and numpy, no `safetensors` package),
loads its tensors by name into the matching nn.Module of bench/pytorch_ref.py
(LeNet5 for --arch lenet5, LeNet5Modern for lenet5-modern) with
load_state_dict(strict=True): the file holds the model's tensors and nothing
else (the optimiser's state is in FILE's .optimizer.safetensors beside it,
which this script does not read), so any missing or unexpected key fails.
It runs the first 1,000 MNIST test digits through it, scaled
as the checkpoint's metadata says (input_mean, input_std), and compares the
logits with the ones lenet-tui wrote (`lenet-tui eval --load FILE --logits
LOGITS.json`). Prints one JSON line; exits 1 when a logit differs by more
than --tol (1e-4).

  lenet-tui train --epochs 1 --save net.safetensors
  lenet-tui eval --load net.safetensors --logits logits.json
  OPENBLAS_NUM_THREADS=1 /usr/bin/python3 bench/load_checkpoint.py net.safetensors logits.json
"""

import argparse
import json
import os
import struct
import sys

import numpy as np
import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pytorch_ref  # noqa: E402

def read_safetensors(path):
    """Return ({name: float32 array}, metadata) of a safetensors file."""
    with open(path, "rb") as f:
        data = f.read()
    (n,) = struct.unpack("<Q", data[:8])
    if 8 + n > len(data):
        raise ValueError(f"{path}: header length {n} runs past the end of the file")
    header = json.loads(data[8:8 + n])
    metadata = header.pop("__metadata__", {})
    body = data[8 + n:]
    tensors = {}
    for name, info in header.items():
        if info["dtype"] != "F32":
            raise ValueError(f"{path}: tensor {name} has dtype {info['dtype']}, want F32")
        begin, end = info["data_offsets"]
        arr = np.frombuffer(body[begin:end], dtype="<f4").reshape(info["shape"])
        tensors[name] = arr
    return tensors, metadata


def activation(name):
    """The hidden activation as pytorch_ref builds it, or plain torch."""
    return {
        "relu": nn.ReLU(),
        "sigmoid": nn.Sigmoid(),
        "tanh": nn.Tanh(),
        "scaled-tanh": pytorch_ref.ScaledTanh(),
    }[name]


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("checkpoint")
    p.add_argument("logits", help="lenet-tui eval --logits output (JSON)")
    p.add_argument("--tol", type=float, default=1e-4)
    p.add_argument("--data-dir", default=None,
                   help="directory with MNIST *-idx?-ubyte.gz (default: GoMNIST in GOMODCACHE)")
    args = p.parse_args()
    torch.set_num_threads(1)

    tensors, md = read_safetensors(args.checkpoint)
    arch = json.loads(md["arch"])["name"]
    settings = json.loads(md["settings"])
    # pytorch_ref's modules have one bias per map, the activations where the
    # layers put them and a dense output: other settings have no counterpart.
    for key, plain in (("bias", "per-map"), ("order", "as-written"), ("output", "softmax")):
        if settings.get(key, plain) != plain:
            sys.exit(f"{args.checkpoint}: {key} {settings[key]}: bench/pytorch_ref.py has only {key} {plain}")
    model = pytorch_ref.build_model(arch, "relu")
    model.act = activation(settings["activation"])

    # strict=True: every parameter of the module, and nothing else. The
    # masked C3's 0/1 table is a non-persistent buffer; lenet-tui's C3 holds
    # zeros where the table has none.
    model.load_state_dict({k: torch.from_numpy(v.copy()) for k, v in tensors.items()}, strict=True)

    with open(args.logits) as f:
        want = json.load(f)
    n = want["images"]
    images = pytorch_ref.read_idx(os.path.join(args.data_dir or pytorch_ref.default_mnist_dir(),
                                               "t10k-images-idx3-ubyte.gz"))[:n]
    labels = pytorch_ref.read_idx(os.path.join(args.data_dir or pytorch_ref.default_mnist_dir(),
                                               "t10k-labels-idx1-ubyte.gz"))[:n]
    if list(labels) != want["labels"]:
        sys.exit("the logits file's labels are not those of the first test images")
    # The same float32 arithmetic as lenet-tui's lookup table: (p/255 - mean)/std.
    mean, std = np.float32(md["input_mean"]), np.float32(md["input_std"])
    x = (images.astype(np.float32) / np.float32(255) - mean) / std
    x = torch.from_numpy(np.ascontiguousarray(x[:, None, :, :]))

    model.eval()
    with torch.no_grad():
        got = model(x).numpy()
    ref = np.array(want["logits"], dtype=np.float32)
    diff = float(np.abs(got - ref).max())
    agree = float((got.argmax(1) == ref.argmax(1)).mean())
    acc = float((got.argmax(1) == labels).mean())
    print(json.dumps({"checkpoint": args.checkpoint, "arch": arch, "activation": settings["activation"],
                      "images": n, "max_abs_diff": diff, "argmax_agree": agree, "pytorch_acc": acc,
                      "tol": args.tol}), flush=True)
    if not diff <= args.tol:
        sys.exit(f"logits differ by {diff:g} > {args.tol:g}")


if __name__ == "__main__":
    main()
