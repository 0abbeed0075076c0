#!/usr/bin/env python3
"""Trains the same dense model in PyTorch and in modelc, on synthetic data, and prints both
throughputs and their ratio in one run, so anyone can compare on their own machine.

    python3 bench/pytorch_compare.py [--batch-size 32] [--threads 2] [--seconds 10]

Needs PyTorch (CPU build is enough). The model is examples/fashion_mlp.model:
Rescaling → Flatten → Dense(256, relu) → Dense(128, relu) → Dense(10, softmax), Adam, sparse
categorical cross-entropy (PyTorch: Linear layers and CrossEntropyLoss on logits, which is the
same maths).
"""
import argparse
import json
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def torch_samples_per_s(batch, threads, seconds):
    import torch
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    model = torch.nn.Sequential(
        torch.nn.Flatten(), torch.nn.Linear(784, 256), torch.nn.ReLU(),
        torch.nn.Linear(256, 128), torch.nn.ReLU(), torch.nn.Linear(128, 10))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
    loss_fn = torch.nn.CrossEntropyLoss()
    x = torch.rand(batch, 28, 28) * 255 / 255.0
    y = torch.randint(0, 10, (batch,))

    def step():
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()

    end = time.perf_counter() + seconds / 3
    while time.perf_counter() < end:
        step()
    steps, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        step()
        steps += 1
    return steps * batch / (time.perf_counter() - t0), torch.__version__


def modelc_samples_per_s(batch, threads, seconds):
    out = subprocess.run([os.path.join(ROOT, "bin", "modelc"), "bench", os.path.join(ROOT, "examples", "fashion_mlp.model"),
                          "--batch-size", str(batch), "--threads", str(threads), "--seconds", str(seconds)],
                         check=True, capture_output=True, text=True).stdout
    line = [l for l in out.splitlines() if l.startswith("{")][-1]
    return json.loads(line)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seconds", type=float, default=10)
    a = ap.parse_args()
    try:
        pt, version = torch_samples_per_s(a.batch_size, a.threads, a.seconds)
    except ImportError:
        sys.exit("PyTorch is not installed: pip install torch")
    mc = modelc_samples_per_s(a.batch_size, a.threads, a.seconds)
    ratio = mc["train_samples_per_s"] / pt
    print(f"fashion_mlp, batch {a.batch_size}, {a.threads} thread(s)")
    print(f"  PyTorch {version}: {pt:10.0f} samples/s")
    print(f"  modelc:          {mc['train_samples_per_s']:10.0f} samples/s  ({mc['threads']} thread(s) used)")
    print(f"  modelc / PyTorch: {ratio:.2f}x")


if __name__ == "__main__":
    main()
