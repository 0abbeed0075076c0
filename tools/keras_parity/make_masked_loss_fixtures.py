#!/usr/bin/env python3
"""Keras-parity fixtures for masked per-step losses (mask_zero through return_sequences, ignore_class).

Same file layout as make_fixtures.py / make_recurrent_fixtures.py (whose helpers this imports):
one training-mode forward and backward pass of the real Keras 3 model (JAX backend), in float32
and in true float64, written to compiler/src/test/resources/parity/masked_<case>/. Token inputs
are stored as I32; per-step sparse targets [batch, steps] as I32 (f32 files) / I64 (f64 files),
with -1 for ignore_class.

The loss must be Keras's *masked* loss, so the expected values come from the trainer's own path:
the model is compiled (`model.compile(loss=<keras loss object>, optimizer=SGD(1))`) and
`jax.value_and_grad` is taken of `model.compute_loss_and_updates(...)`, the function the JAX
trainer's train_step differentiates. There the mask Embedding(mask_zero=True) puts on the
sequence travels with y_pred (GRU/LSTM/Bidirectional with return_sequences and TimeDistributed
pass it on) and `Loss.__call__` reads it (`backend.get_keras_mask(y_pred)`, keras/src/losses/
loss.py), and SparseCategoricalCrossentropy(ignore_class=...) attaches its own mask to the
per-step losses; with reduction sum_over_batch_size the result is sum(loss * present) /
sum(present) over the whole batch (apply_mask: weight total/valid on present steps, divide_no_nan).

Before anything is written (a failed check aborts):
  * the same loss, output and gradients from loss_obj(y, stateless_call(...)) (the other scripts'
    path), f32 1e-6 / f64 1e-13;
  * model.train_on_batch with SGD(learning_rate=1): loss and w_before - w_after, f32 1e-5 / f64 1e-12;
  * central finite differences of the float64 loss (1e-6) and float32 vs float64 (1e-4);
  * a numpy float64 forward (make_recurrent_fixtures.numpy_forward: a masked step keeps the states
    and repeats the previous output, Bidirectional(return_sequences) outputs zeros there) and the
    masked loss written out by hand, 1e-13 against f64 and 1e-5 against f32;
  * the mask / ignore_class really matters: the loss over all steps (and, with both, the loss with
    only one of them) differs from Keras's by more than 1e-3.

Run:  KERAS_BACKEND=jax python make_masked_loss_fixtures.py [--out DIR] [--only CASE ...]
"""
import argparse
import os
import sys
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_fixtures as mf  # noqa: E402  (sets up jax/keras exactly as for the dense fixtures)
import make_recurrent_fixtures as mr  # noqa: E402

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras import layers as L  # noqa: E402
from safetensors.numpy import load_file  # noqa: E402

IGNORE = -1

# loss key -> (modelc text, keras loss object, target kind, metrics text)
LOSSES = {"sparse": ("sparse_categorical_crossentropy", lambda: keras.losses.SparseCategoricalCrossentropy(),
                     "sparse", "[accuracy]"),
          "ignore": (f"SparseCategoricalCrossentropy(ignore_class={IGNORE})",
                     lambda: keras.losses.SparseCategoricalCrossentropy(ignore_class=IGNORE), "sparse", "[accuracy]"),
          "mse": ("mean_squared_error", lambda: keras.losses.MeanSquaredError(), "real", None)}

CASES = []


def case(name, src, layers, inp, loss, batch=6, ignored=(0, 0)):
    """ignored: (at unmasked steps, at masked steps) how many targets are set to IGNORE."""
    CASES.append(dict(name=name, src=src, layers=layers, inp=inp, loss=loss, batch=batch, ignored=ignored))


TOKENS = ("tokens", ("int", 10, 7))

# (i) per-step tagging over a masked GRU sequence; padded steps carry ordinary class targets.
case("masked_gru_sparse", """
    Embedding(10, 4, mask_zero=true)
    GRU(3, return_sequences=true)
    TimeDistributed(Dense(3, activation=softmax))
""", lambda: [L.Embedding(10, 4, mask_zero=True, name="embedding"),
              L.GRU(3, return_sequences=True, name="gru"),
              L.TimeDistributed(L.Dense(3, activation="softmax", name="dense"), name="time_distributed")],
     inp=TOKENS, loss="sparse")

# (ii) the same with ignore_class=-1: -1 targets at unmasked steps and at some padded ones.
case("masked_gru_ignore_class", """
    Embedding(10, 4, mask_zero=true)
    GRU(3, return_sequences=true)
    TimeDistributed(Dense(3, activation=softmax))
""", lambda: [L.Embedding(10, 4, mask_zero=True, name="embedding"),
              L.GRU(3, return_sequences=True, name="gru"),
              L.TimeDistributed(L.Dense(3, activation="softmax", name="dense"), name="time_distributed")],
     inp=TOKENS, loss="ignore", ignored=(6, 3))

# (iii) Bidirectional(return_sequences) under a mask: Keras forces zero_output_for_mask on both
# halves, so a masked step's output is Dense(0) = the bias; the loss skips those steps.
case("masked_bidirectional_lstm_mse", """
    Embedding(10, 4, mask_zero=true)
    Bidirectional(LSTM(3, return_sequences=true))
    TimeDistributed(Dense(2))
""", lambda: [L.Embedding(10, 4, mask_zero=True, name="embedding"),
              L.Bidirectional(L.LSTM(3, return_sequences=True, name="lstm"), name="bidirectional"),
              L.TimeDistributed(L.Dense(2, name="dense"), name="time_distributed")],
     inp=TOKENS, loss="mse")

# (iv) no mask at all: only ignore_class removes steps.
case("masked_simple_rnn_ignore_class", """
    SimpleRNN(4, return_sequences=true)
    TimeDistributed(Dense(3, activation=softmax))
""", lambda: [L.SimpleRNN(4, return_sequences=True, name="simple_rnn"),
              L.TimeDistributed(L.Dense(3, activation="softmax", name="dense"), name="time_distributed")],
     inp=("x", ("float", (7, 3))), loss="ignore", ignored=(9, 0))


# ------------------------------------------------------------------ source and data

def model_source(c):
    name, spec = c["inp"]
    decl = f"int[{spec[2]}]" if spec[0] == "int" else f"float[{', '.join(map(str, spec[1]))}]"
    loss_src, _, _, metrics = LOSSES[c["loss"]]
    comp = f"loss={loss_src}, optimizer=adam" + (f", metrics={metrics}" if metrics else "")
    return (f"sequential {mf.camel(c['name'])} {{\n    input {name}: {decl}" + c["src"].rstrip() + "\n"
            + f"    compile({comp})\n}}\n")


def step_mask(c, x):
    """[batch, steps] bool: the mask Embedding(mask_zero=True) puts on the sequence (all true without one)."""
    if c["inp"][1][0] == "int":
        return x != 0
    return np.ones(x.shape[:2], bool)


def draw(c, seed):
    """Weights as make_recurrent_fixtures draws them; per-step targets [batch, steps(, units)]."""
    weights, x, _ = mr.draw(dict(c, loss="mse"), seed)
    rng = np.random.default_rng(seed ^ 0x5EED)
    model = mr.build_model(c)
    out_shape = tuple(model.outputs[0].shape[1:])
    b, steps = x.shape[0], x.shape[1]
    mask = step_mask(c, x)
    if LOSSES[c["loss"]][2] == "sparse":
        n = out_shape[-1]
        y = rng.integers(0, n, size=(b, steps))
        present = np.argwhere(mask)
        for k in range(n):  # every class at some unmasked step
            r, t = present[rng.integers(len(present))]
            y[r, t] = k
        at_present, at_masked = c["ignored"]
        if at_present:
            idx = rng.choice(len(present), size=at_present, replace=False)
            for r, t in present[idx]:
                y[r, t] = IGNORE
        if at_masked:
            absent = np.argwhere(~mask)
            for r, t in absent[rng.choice(len(absent), size=at_masked, replace=False)]:
                y[r, t] = IGNORE
    else:
        y = rng.normal(0.0, 1.0, size=(b,) + out_shape).astype(np.float32).astype(np.float64)
    return weights, x, y


def target_array(c, y, dtype):
    if LOSSES[c["loss"]][2] == "sparse":
        return y.astype(np.int64 if dtype == "f64" else np.int32)
    return y.astype(np.float64 if dtype == "f64" else np.float32)


# ------------------------------------------------------------------ numpy reference

def per_step_losses(c, h, y):
    """[batch, steps] loss of every step, Keras's formulas (probabilities renormalised; MSE over units)."""
    if LOSSES[c["loss"]][2] == "sparse":
        p = h / h.sum(-1, keepdims=True)
        t = np.where(y == IGNORE, 0, y)
        return -np.log(np.take_along_axis(p, t[..., None], -1)[..., 0])
    return np.mean((h - y) ** 2, axis=-1)


def numpy_reference(c, weights, x, y):
    """loss, output, and the losses with the mask / ignore_class left out (to show they matter)."""
    _, h = mr.numpy_forward(dict(c, loss="mse"), weights, x, np.zeros(1))
    l = per_step_losses(c, h, y)
    mask = step_mask(c, x)
    valid = (y != IGNORE) if c["loss"] == "ignore" else np.ones(mask.shape, bool)

    def mean_over(present):
        return float((l * present).sum() / present.sum()) if present.any() else 0.0

    loss = mean_over(mask & valid)
    others = {"all_steps": float(l.mean())}
    if c["inp"][1][0] == "int" and c["loss"] == "ignore":
        others["ignore_class_only"] = mean_over(valid)
        others["mask_only"] = mean_over(mask)
    return loss, h, others


# ------------------------------------------------------------------ Keras runs

def _vars(model, weights, npdt):
    var_index = {id(v): i for i, v in enumerate(model.trainable_variables)}
    tv = [None] * len(var_index)
    for k, v in mr.param_keys(model):
        tv[var_index[id(v)]] = jnp.asarray(weights[k].astype(npdt))
    return var_index, tv


def keras_grad(c, weights, x, y, dtype):
    """loss, output, {key: grad}: jax.value_and_grad of the compiled model's compute_loss_and_updates."""
    mf.set_floatx(dtype)
    npdt = np.float64 if dtype == "f64" else np.float32
    model = mr.build_model(c)
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=1.0), loss=LOSSES[c["loss"]][1]())
    var_index, tv = _vars(model, weights, npdt)
    ntv = [v.value for v in model.non_trainable_variables]
    mv = [v.value for v in model.metrics_variables]
    ov = [v.value for v in model.optimizer.variables]
    xj = jnp.asarray(x if x.dtype == np.int32 else x.astype(npdt))
    yj = jnp.asarray(target_array(c, y, dtype))

    def f(tv):
        loss, (unscaled, y_pred, _, _) = model.compute_loss_and_updates(
            tv, ntv, mv, xj, yj, None, training=True, optimizer_variables=ov)
        return loss, (unscaled, y_pred)

    vg = jax.value_and_grad(f, has_aux=True)
    mf.check_jaxpr(vg, tv, dtype)
    (loss, (unscaled, out)), grads = vg(tv)
    assert float(loss) == float(unscaled)  # SGD does no loss scaling
    g = {k: np.asarray(grads[var_index[id(v)]]) for k, v in mr.param_keys(model)}
    for k, arr in g.items():
        assert arr.dtype == npdt and np.all(np.isfinite(arr)), (k, arr.dtype)
    assert all(v.dtype == np.dtype(npdt).name for v in model.trainable_variables)
    assert np.asarray(loss).dtype == npdt and np.asarray(out).dtype == npdt

    @jax.jit
    def lossf(tv):
        return model.compute_loss_and_updates(tv, ntv, mv, xj, yj, None, training=True, optimizer_variables=ov)[0]

    return np.asarray(loss), np.asarray(out), g, (lossf, var_index, model)


def keras_loss_object(c, weights, x, y, dtype):
    """The other scripts' path: loss_obj(y, stateless_call(...)), the mask riding on the output."""
    mf.set_floatx(dtype)
    npdt = np.float64 if dtype == "f64" else np.float32
    model = mr.build_model(c)
    var_index, tv = _vars(model, weights, npdt)
    ntv = [v.value for v in model.non_trainable_variables]
    loss_obj = LOSSES[c["loss"]][1]()
    xj = jnp.asarray(x if x.dtype == np.int32 else x.astype(npdt))
    yj = jnp.asarray(target_array(c, y, dtype))

    def f(tv):
        out, _ = model.stateless_call(tv, ntv, xj, training=True)
        return loss_obj(yj, out), out

    (loss, out), grads = jax.value_and_grad(f, has_aux=True)(tv)
    return np.asarray(loss), np.asarray(out), {k: np.asarray(grads[var_index[id(v)]]) for k, v in mr.param_keys(model)}


def keras_sgd_step(c, weights, x, y, dtype):
    """model.train_on_batch with SGD(learning_rate=1): loss and grad = before - after."""
    mf.set_floatx(dtype)
    npdt = np.float64 if dtype == "f64" else np.float32
    model = mr.build_model(c)
    for k, v in mr.param_keys(model):
        v.assign(weights[k].astype(npdt))
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=1.0), loss=LOSSES[c["loss"]][1]())
    loss = model.train_on_batch(x if x.dtype == np.int32 else x.astype(npdt), target_array(c, y, dtype))
    return float(loss), {k: weights[k].astype(npdt) - np.asarray(v.value) for k, v in mr.param_keys(model)}


def finite_diff(ctx, weights, h=1e-6):
    lossf, var_index, model = ctx
    keys = [(k, var_index[id(v)]) for k, v in mr.param_keys(model)]
    base = [None] * len(keys)
    for k, i in keys:
        base[i] = weights[k].copy()
    g = {}
    for k, i in keys:
        arr = np.zeros_like(base[i])
        for idx in np.ndindex(base[i].shape):
            p = [b.copy() for b in base]
            p[i][idx] += h
            lp = float(lossf([jnp.asarray(a) for a in p]))
            p[i][idx] -= 2 * h
            lm = float(lossf([jnp.asarray(a) for a in p]))
            arr[idx] = (lp - lm) / (2 * h)
        g[k] = arr
    return g


def make_case(c, outdir, meta):
    base_seed = zlib.crc32(c["name"].encode()) & 0x7FFFFFFF
    sparse = LOSSES[c["loss"]][2] == "sparse"
    for attempt in range(50):
        seed = base_seed + attempt
        weights, x, y = draw(c, seed)
        nl, no, others = numpy_reference(c, weights, x, y)
        if sparse and (no.min() < mf.PROB_MARGIN or no.max() > 1 - mf.PROB_MARGIN):
            print(f"  {c['name']}: seed {seed} rejected (probability near the clipping)")
            continue
        if min(abs(v - nl) for v in others.values()) < 1e-3:
            print(f"  {c['name']}: seed {seed} rejected (mask barely changes the loss: {others} vs {nl})")
            continue
        l32, o32, g32, _ = keras_grad(c, weights, x, y, "f32")
        with mf.true_float64():
            l64, o64, g64, ctx = keras_grad(c, weights, x, y, "f64")
            fd = finite_diff(ctx, weights)
        checks = {"numpy_f64": max(abs(float(l64) - nl) / max(1.0, abs(nl)), mf.max_rel(o64, no)),
                  "numpy_f32": max(abs(float(l32) - nl) / max(1.0, abs(nl)), mf.max_rel(o32, no)),
                  "f32_vs_f64": max(mf.max_rel(g32[k], g64[k]) for k in g64),
                  "finite_diff_f64": max(mf.max_rel(fd[k], g64[k]) for k in g64)}
        assert checks["numpy_f64"] < 1e-13 and checks["numpy_f32"] < 1e-5, (c["name"], checks)
        if checks["f32_vs_f64"] < 1e-4 and checks["finite_diff_f64"] < 1e-6:
            break
        print(f"  {c['name']}: seed {seed} rejected {checks}")
    else:
        raise RuntimeError(f"{c['name']}: no acceptable seed")
    res = {"f32": (l32, o32, g32), "f64": (l64, o64, g64)}
    # the same numbers by the loss object on the stateless output, and by train_on_batch
    for dtype, tol_obj, tol_sgd in (("f32", 1e-6, 1e-5), ("f64", 1e-13, 1e-12)):
        if dtype == "f64":
            with mf.true_float64():
                ol, oo, og = keras_loss_object(c, weights, x, y, dtype)
                sl, sg = keras_sgd_step(c, weights, x, y, dtype)
        else:
            ol, oo, og = keras_loss_object(c, weights, x, y, dtype)
            sl, sg = keras_sgd_step(c, weights, x, y, dtype)
        l, o, g = res[dtype]
        checks[f"loss_object_{dtype}"] = max(abs(float(ol) - float(l)) / max(1.0, abs(float(l))), mf.max_rel(oo, o),
                                             max(mf.max_rel(og[k], g[k]) for k in g))
        checks[f"sgd_{dtype}"] = max(abs(sl - float(l)) / max(1.0, abs(float(l))), max(mf.max_rel(sg[k], g[k]) for k in g))
        assert checks[f"loss_object_{dtype}"] < tol_obj and checks[f"sgd_{dtype}"] < tol_sgd, (c["name"], checks)
    checks["unmasked_gap"] = min(abs(v - nl) for v in others.values())

    d = os.path.join(outdir, c["name"])
    os.makedirs(d, exist_ok=True)
    for f in os.listdir(d):
        os.remove(os.path.join(d, f))
    with open(os.path.join(d, "model.model"), "w") as fh:
        fh.write(model_source(c))
    xname = c["inp"][0]
    for dtype, npdt, sfx in (("f32", np.float32, ""), ("f64", np.float64, "_f64")):
        loss, out, g = res[dtype]
        mf.save_file({k: np.ascontiguousarray(v.astype(npdt)) for k, v in weights.items()},
                     os.path.join(d, f"weights{sfx}.safetensors"))
        batch = {xname: np.ascontiguousarray(x if x.dtype == np.int32 else x.astype(npdt)),
                 "target": np.ascontiguousarray(target_array(c, y, dtype))}
        mf.save_file(batch, os.path.join(d, f"batch{sfx}.safetensors"))
        exp = {"loss": np.asarray(loss, npdt).reshape(()), "output": np.ascontiguousarray(out.astype(npdt))}
        for k, v in g.items():
            exp["grad." + k] = np.ascontiguousarray(v.astype(npdt))
        mf.save_file(exp, os.path.join(d, f"expected{sfx}.safetensors"), metadata=meta)
    for dtype, npdt, sfx in (("f32", np.float32, ""), ("f64", np.float64, "_f64")):
        w = load_file(os.path.join(d, f"weights{sfx}.safetensors"))
        bt = load_file(os.path.join(d, f"batch{sfx}.safetensors"))
        e = load_file(os.path.join(d, f"expected{sfx}.safetensors"))
        assert set(w) == set(weights) and set(e) == {"loss", "output"} | {"grad." + k for k in weights}
        for k in weights:
            assert np.array_equal(w[k], weights[k].astype(npdt)) and w[k].dtype == npdt
            assert e["grad." + k].shape == w[k].shape and np.array_equal(e["grad." + k], res[dtype][2][k].astype(npdt))
        assert np.array_equal(bt[xname], x if x.dtype == np.int32 else x.astype(npdt))
        assert np.array_equal(bt["target"], target_array(c, y, dtype))
        assert e["loss"].shape == () and e["loss"] == np.asarray(res[dtype][0], npdt)
        assert np.array_equal(e["output"], res[dtype][1].astype(npdt))
    return seed, float(l32), float(l64), checks, others, d


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=mf.DEFAULT_OUT)
    ap.add_argument("--only", nargs="*")
    args = ap.parse_args()
    meta = {"generator": "tools/keras_parity/make_masked_loss_fixtures.py",
            "keras": keras.__version__, "jax": jax.__version__, "backend": "jax"}
    os.makedirs(args.out, exist_ok=True)
    for c in CASES:
        if args.only and c["name"] not in args.only:
            continue
        seed, l32, l64, checks, others, d = make_case(c, args.out, meta)
        print(f"{c['name']:34s} seed={seed:<11d} batch={c['batch']} loss32={l32:.7g} loss64={l64:.12g} "
              + " ".join(f"{k}={v:.1e}" for k, v in checks.items()))
        print("    without the mask / ignore_class: " + ", ".join(f"{k}={v:.6g}" for k, v in others.items()))
        for f in ("weights", "batch", "expected"):
            print(f"    {f}: {mf.describe(os.path.join(d, f + '.safetensors'))}")


if __name__ == "__main__":
    main()
