#!/usr/bin/env python3
"""Trains the recurrent benchmark models in PyTorch and in modelc, on synthetic data, and prints the
throughputs and their ratios from one run (the PyTorch and modelc measurements are interleaved).

    python3 bench/pytorch_rnn_compare.py [--models lstm,gru] [--threads 1,2] [--steps 200]
                                         [--seconds 5] [--rounds 1] [--no-vanishing]
                                         [--modelc bin/modelc] [--json out.json]

Needs PyTorch (CPU build is enough). The models are bench/models/lstm_text.model and
bench/models/gru_text.model: Embedding(10000, 64) -> LSTM(64) or GRU(64) over 200 tokens, the last
step's state -> Dense(1, sigmoid), binary cross-entropy, Adam, batch 32. PyTorch: nn.Embedding,
nn.LSTM / nn.GRU (batch_first; nn.GRU is Keras's reset_after=True GRU), nn.Linear(64, 1) on the
last step's output and BCEWithLogitsLoss (sigmoid + binary cross-entropy, the same maths), Adam with
lr 1e-3 and Keras's eps 1e-7. Inputs are random token ids in [1, 10000) and random 0/1 targets; one
fixed batch, as `modelc bench` uses. PyTorch's weights are initialised as Keras (and modelc) do by
default: Embedding uniform(-0.05, 0.05), kernels Glorot-uniform, recurrent kernels orthogonal,
biases zero but an LSTM's forget gate bias one (--init torch keeps PyTorch's own initialisation).

Every PyTorch figure is the training rate (forward, backward, Adam step) over --steps steps after
--warmup steps, with torch.set_num_threads(T), and with torch.set_flush_denormal(False) (PyTorch's
default: subnormal floats are computed exactly, slowly on some CPUs) and (True) (flush-to-zero and
denormals-are-zero). Each runs in a fresh process, with the mode set before any tensor work:
set_flush_denormal changes only the calling thread's MXCSR, and threads inherit it when created.
modelc's figure is train_samples_per_s of `bin/modelc bench MODEL --threads T --seconds S` (modelc
keeps a batch under 64 rows on one thread, so at batch 32 it reports "threads": 1 for T = 2 too).
Each measurement also records how many cores other processes kept busy meanwhile (from /proc/stat
less this script's children); the medians leave out those above --max-other.

The vanishing-gradient scenarios (skip with --no-vanishing): "vanishing" is the GRU text model with
every weight drawn from 0.05 * N(0, 1), so the update gate stays near sigmoid(0) = 1/2 and
backpropagation roughly halves the state's gradient at every step; over 200 steps it passes through
the float32 subnormal range (below 1.18e-38) in about 50 steps. "vanishing-slow" sets the update
gate's bias to 2.2 (gate ~0.9) and scales the output weight to 1e-34 * N(0, 1), so the gradient is
subnormal for most of the 200 steps. The weights are put back after every Adam step, so every timed
step sees them. The script checks that subnormal gradients do appear with flush_denormal False (and
none with True), before and after the timed steps, then times training both ways. `modelc bench`
has no option to load given weights, so this scenario is measured in PyTorch only; modelc's
generated backward loops flush subnormal values to zero themselves (modelc.runtime.kernels.Subnormals).
"""
import argparse
import json
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MODELS = {"lstm": "lstm_text.model", "gru": "gru_text.model"}
VOCAB, DIM, UNITS, STEPS_T, BATCH = 10000, 64, 64, 200, 32
FLT_MIN = 1.1754943508222875e-38  # smallest normal float32


# ---------------------------------------------------------------------------------------------
# PyTorch side (runs in a child process: python3 pytorch_rnn_compare.py --worker '{json}')
# ---------------------------------------------------------------------------------------------

def build(torch, cell, init, seed):
    nn = torch.nn

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.emb = nn.Embedding(VOCAB, DIM)
            self.rnn = (nn.LSTM if cell == "lstm" else nn.GRU)(DIM, UNITS, batch_first=True)
            self.out = nn.Linear(UNITS, 1)

        def forward(self, x, keep=None):
            e = self.emb(x)
            if keep is not None:
                e.retain_grad()
                keep.append(e)
            y, _ = self.rnn(e)
            return self.out(y[:, -1]).squeeze(1)

    torch.manual_seed(seed)
    net = Net()
    gates = 4 if cell == "lstm" else 3
    with torch.no_grad():
        if init == "keras":
            nn.init.uniform_(net.emb.weight, -0.05, 0.05)
            # Keras's kernel is one (DIM, gates*UNITS) Glorot-uniform matrix, its recurrent kernel one
            # (UNITS, gates*UNITS) orthogonal matrix; PyTorch stores their transposes.
            nn.init.xavier_uniform_(net.rnn.weight_ih_l0)  # fan_in + fan_out = DIM + gates*UNITS either way
            nn.init.orthogonal_(net.rnn.weight_hh_l0)
            net.rnn.bias_ih_l0.zero_()
            net.rnn.bias_hh_l0.zero_()
            if cell == "lstm":
                net.rnn.bias_ih_l0[UNITS:2 * UNITS] = 1.0  # unit_forget_bias (PyTorch order i, f, g, o)
            nn.init.xavier_uniform_(net.out.weight)
            net.out.bias.zero_()
        elif init in ("vanishing", "vanishing-slow"):
            for p in net.parameters():
                p.copy_(0.05 * torch.randn_like(p))
            if init == "vanishing-slow":
                # Update gate near sigmoid(2.2) = 0.9: the state's gradient shrinks by ~0.9 a step, so it
                # spends ~150 steps inside the subnormal range instead of ~25; a tiny (normal) output
                # weight makes the gradient start just above that range.
                net.rnn.bias_hh_l0[UNITS:2 * UNITS] = 2.2  # PyTorch GRU order r, z, n
                net.out.weight.mul_(1e-34 / 0.05)
        elif init != "torch":
            raise ValueError(init)
    return net


def subnormal_report(torch, net, loss_fn, x, y):
    """One extra forward/backward (not timed): counts subnormal values in the gradient reaching the
    embedding output (one row per time step: the state's gradient at step t times the input
    weights) and in the parameters' gradients, and the largest |gradient| at a few time steps."""
    net.zero_grad(set_to_none=True)
    keep = []
    loss_fn(net(x, keep), y).backward()
    g = keep[0].grad.detach().abs()  # (batch, time, dim)

    def sub(t):
        return int(((t != 0) & (t < FLT_MIN)).sum())

    per_t = g.amax(dim=(0, 2))
    nonzero_t = (per_t > 0).nonzero()
    rep = {
        "emb_out_grad_values": g.numel(),
        "emb_out_grad_subnormal": sub(g),
        "emb_out_grad_zero": int((g == 0).sum()),
        "steps_with_subnormal": int((((g != 0) & (g < FLT_MIN)).sum(dim=(0, 2)) > 0).sum()),
        "earliest_nonzero_step": int(nonzero_t.min()) if len(nonzero_t) else None,
        "max_abs_grad_at_step": {str(t): float(per_t[t]) for t in (199, 150, 120, 100, 80, 60, 40, 0)},
        "param_grad_subnormal": sum(sub(p.grad.detach().abs()) for p in net.parameters() if p.grad is not None),
    }
    net.zero_grad(set_to_none=True)
    return rep


def worker(cfg):
    import torch
    probe = torch.tensor([1e-39], dtype=torch.float32) * 1.0  # default mode: is a subnormal kept?
    default_ftz = bool(probe.item() == 0.0)
    torch.set_num_threads(cfg["threads"])
    if not torch.set_flush_denormal(cfg["ftz"]):
        raise SystemExit("this CPU does not support flush-denormal (DAZ)")
    mode_ftz = bool((torch.tensor([1e-39], dtype=torch.float32) * 1.0).item() == 0.0)
    net = build(torch, cfg["cell"], cfg["init"], cfg["seed"])
    g = torch.Generator().manual_seed(cfg["seed"] + 1)
    x = torch.randint(1, VOCAB, (BATCH, STEPS_T), generator=g)
    y = torch.randint(0, 2, (BATCH,), generator=g).float()
    opt = torch.optim.Adam(net.parameters(), lr=1e-3, eps=1e-7)
    loss_fn = torch.nn.BCEWithLogitsLoss()

    before = subnormal_report(torch, net, loss_fn, x, y) if cfg["check"] else None

    # The vanishing scenarios put the weights back after every Adam step (a 0.65M-float copy, timed
    # too, in both modes): otherwise Adam, fitting the one batch, leaves the vanishing regime within
    # a few dozen steps and the later steps see no subnormal value.
    restore = [(p, p.detach().clone()) for p in net.parameters()] if cfg["init"].startswith("vanishing") else []

    def step():
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(net(x), y)
        loss.backward()
        opt.step()
        if restore:
            with torch.no_grad():
                for p, saved in restore:
                    p.copy_(saved)
        return loss

    for _ in range(cfg["warmup"]):
        step()
    t0 = time.perf_counter()
    for _ in range(cfg["steps"]):
        loss = step()
    dt = time.perf_counter() - t0
    after = subnormal_report(torch, net, loss_fn, x, y) if cfg["check"] else None
    print(json.dumps({
        "samples_per_s": cfg["steps"] * BATCH / dt, "ms_per_step": dt * 1e3 / cfg["steps"],
        "final_loss": float(loss.detach()), "torch": torch.__version__, "threads": torch.get_num_threads(),
        "default_flush_denormal": default_ftz, "flush_denormal": mode_ftz,
        "subnormals_before": before, "subnormals_after": after}))


# ---------------------------------------------------------------------------------------------
# Driver
# ---------------------------------------------------------------------------------------------

def loadavg():
    with open("/proc/loadavg") as f:
        return f.read().split()[0]


def cpu_counters():
    """(busy CPU seconds of the whole machine, CPU seconds of this script's finished children, wall)."""
    import resource
    busy = None
    try:
        with open("/proc/stat") as f:
            v = [int(x) for x in f.readline().split()[1:9]]
        busy = (sum(v) - v[3] - v[4]) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError):
        pass
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return busy, r.ru_utime + r.ru_stime, time.perf_counter()


def other_cpu(before, after):
    """Average number of cores other processes kept busy in between (None without /proc/stat)."""
    if before[0] is None or after[0] is None:
        return None
    return max(0.0, (after[0] - before[0]) - (after[1] - before[1])) / (after[2] - before[2])


def run_torch(cell, threads, ftz, a, init=None, check=False):
    cfg = {"cell": cell, "threads": threads, "ftz": ftz, "steps": a.steps, "warmup": a.warmup,
           "init": init or a.init, "seed": a.seed, "check": check}
    out = subprocess.run([sys.executable, os.path.abspath(__file__), "--worker", json.dumps(cfg)],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def run_modelc(cell, threads, a):
    cmd = a.modelc.split() + ["bench", os.path.join(ROOT, "bench", "models", MODELS[cell]),
                              "--threads", str(threads), "--seconds", str(a.seconds)]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    return json.loads([l for l in out.splitlines() if l.startswith("{")][-1])


def median(v):
    v = sorted(v)
    if not v:
        return float("nan")
    return v[len(v) // 2] if len(v) % 2 else (v[len(v) // 2 - 1] + v[len(v) // 2]) / 2


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    ap.add_argument("--models", default="lstm,gru")
    ap.add_argument("--threads", default="1,2", help="comma-separated thread counts")
    ap.add_argument("--steps", type=int, default=200, help="timed PyTorch training steps")
    ap.add_argument("--warmup", type=int, default=20, help="untimed PyTorch steps first")
    ap.add_argument("--seconds", type=float, default=5, help="modelc bench --seconds")
    ap.add_argument("--rounds", type=int, default=1, help="repeat the interleaved measurements")
    ap.add_argument("--init", default="keras", choices=["keras", "torch"])
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--modelc", default=os.path.join(ROOT, "bin", "modelc"), help="modelc launcher")
    ap.add_argument("--no-vanishing", action="store_true", help="skip the vanishing-gradient GRU")
    ap.add_argument("--only-vanishing", action="store_true")
    ap.add_argument("--vanishing", default="vanishing,vanishing-slow",
                    help="vanishing scenarios: vanishing (gate ~1/2), vanishing-slow (gate ~0.9)")
    ap.add_argument("--reverse", type=int, default=0, choices=[0, 1], help="1: FTZ on first in round 0")
    ap.add_argument("--json", help="also write every measurement to this file")
    ap.add_argument("--max-other", type=float, default=0.1,
                    help="medians leave out measurements during which other processes kept more than this "
                         "many cores busy (on average), unless none is left")
    a = ap.parse_args()
    if a.worker:
        worker(json.loads(a.worker))
        return
    try:
        import torch  # noqa: F401
    except ImportError:
        sys.exit("PyTorch is not installed: pip install torch")
    cells = a.models.split(",")
    threads = [int(t) for t in a.threads.split(",")]
    log = []

    def measure(fn, *args, **kw):
        c0 = cpu_counters()
        res = fn(*args, **kw)
        res["other_cores_busy"] = other_cpu(c0, cpu_counters())
        return res

    def record(kind, cell, t, ftz, r, res):
        row = {**res, "kind": kind, "model": cell, "threads": t, "flush_denormal": ftz, "round": r,
               "loadavg_1m": loadavg()}
        if kind == "modelc":
            row["threads_used"] = res["threads"]  # modelc keeps a batch under 64 rows on one thread
        log.append(row)
        rate = res.get("samples_per_s", res.get("train_samples_per_s"))
        label = f"modelc ({res['threads']} thread(s) used)" if kind == "modelc" else f"PyTorch FTZ {'on ' if ftz else 'off'}"
        print(f"  [{kind:9s} {cell} T={t} round {r}] {label}: {rate:8.1f} samples/s  (load {row['loadavg_1m']}, other processes "
              f"{'?' if res['other_cores_busy'] is None else format(res['other_cores_busy'], '.2f')} cores)",
              file=sys.stderr, flush=True)
        return rate

    results = {}
    if not a.only_vanishing:
        for r in range(a.rounds):
            for cell in cells:
                for t in threads:
                    # Interleaved, alternating the order between rounds.
                    order = ["off", "modelc", "on"] if (r + a.reverse) % 2 == 0 else ["on", "modelc", "off"]
                    for what in order:
                        if what == "modelc":
                            v = record("modelc", cell, t, None, r, measure(run_modelc, cell, t, a))
                        else:
                            ftz = what == "on"
                            v = record("pytorch", cell, t, ftz, r, measure(run_torch, cell, t, ftz, a, check=(r == 0)))
                        results.setdefault((cell, t, what), []).append((v, log[-1]["other_cores_busy"]))

    vanish = {}
    if not a.no_vanishing:
        for r in range(max(a.rounds, 2)):
            for t in threads:
                for scen in a.vanishing.split(","):
                    for ftz in ([False, True] if (r + a.reverse) % 2 == 0 else [True, False]):
                        res = measure(run_torch, "gru", t, ftz, a, init=scen, check=True)
                        v = record(scen, "gru", t, ftz, r, res)
                        vanish.setdefault((scen, t, ftz), []).append((v, res))

    def clean(rows):
        """Rates measured while the machine was otherwise idle; all of them (marked) if none was."""
        ok = [v for v, other in rows if other is None or other <= a.max_other]
        return (ok, "") if ok else ([v for v, _ in rows], "*")

    version = next((row["torch"] for row in log if "torch" in row), "?")
    default = next((row["default_flush_denormal"] for row in log if "default_flush_denormal" in row), None)
    print(f"PyTorch {version}; its default flush_denormal: {default}; batch {BATCH}, "
          f"{a.steps} timed steps (+{a.warmup} warm-up); modelc bench --seconds {a.seconds}; "
          f"init {a.init}; medians of {a.rounds} round(s), leaving out measurements during which other "
          f"processes kept > {a.max_other} cores busy (* = none was left, all used)")
    if results:
        print(f"| model | threads | PyTorch FTZ off | PyTorch FTZ on | modelc | modelc / PyTorch off | modelc / PyTorch on |")
        print(f"| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
        for cell in cells:
            for t in threads:
                (off, m1), (on, m2), (mc, m3) = ((median(c[0]), c[1]) for c in
                                                 (clean(results[(cell, t, k)]) for k in ("off", "on", "modelc")))
                print(f"| {cell.upper()} | {t} | {off:,.0f}{m1} | {on:,.0f}{m2} | {mc:,.0f}{m3} | {mc / off:.2f}x | {mc / on:.2f}x |")
        for row in log:
            if row["kind"] == "pytorch" and row.get("subnormals_after"):
                b, s = row["subnormals_before"], row["subnormals_after"]
                print(f"  {row['model']} T={row['threads']} FTZ {row['flush_denormal']}: subnormal gradients at the "
                      f"initial weights: embedding-output {b['emb_out_grad_subnormal']} ({b['steps_with_subnormal']} "
                      f"time steps), params {b['param_grad_subnormal']}; after the timed steps: embedding-output "
                      f"{s['emb_out_grad_subnormal']}, params {s['param_grad_subnormal']}")
    if vanish:
        print("Vanishing-gradient GRU, PyTorch only (vanishing: weights 0.05 * N(0, 1), update gate ~1/2; "
              "vanishing-slow: update gate ~0.9, output weight 1e-34 * N(0, 1)):")
        print("| scenario | threads | FTZ off samples/s | FTZ on samples/s | on / off |")
        print("| --- | ---: | ---: | ---: | ---: |")
        for scen in a.vanishing.split(","):
            for t in threads:
                off, m1 = clean([(v, res["other_cores_busy"]) for v, res in vanish[(scen, t, False)]])
                on, m2 = clean([(v, res["other_cores_busy"]) for v, res in vanish[(scen, t, True)]])
                off, on = median(off), median(on)
                print(f"| {scen} | {t} | {off:,.1f}{m1} | {on:,.1f}{m2} | {on / off:.2f}x |")
        for (scen, t, ftz), runs in sorted(vanish.items()):
            for _, res in runs[:1]:
                for when in ("subnormals_before", "subnormals_after"):
                    s = res[when]
                    print(f"  {scen} T={t} FTZ {ftz} {when}: {s['emb_out_grad_subnormal']} of {s['emb_out_grad_values']} "
                          f"embedding-output gradients subnormal ({s['steps_with_subnormal']} time steps), "
                          f"{s['emb_out_grad_zero']} zero, {s['param_grad_subnormal']} subnormal in parameter grads; "
                          f"max |g| by step {s['max_abs_grad_at_step']}")
    if a.json:
        with open(a.json, "w") as f:
            json.dump(log, f, indent=1)


if __name__ == "__main__":
    main()
