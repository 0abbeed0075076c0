#!/usr/bin/env python3
"""Keras-parity fixtures for the Dot layer and for the merging layers on masked values.

Same file layout, Keras runs and seed checks as make_sequence_fixtures.py (whose machinery this
reuses): one training-mode forward and backward pass of the real Keras 3 model (JAX backend),
jax.value_and_grad of loss_obj(y, model.stateless_call(...)) in float32 and in true float64,
written to compiler/src/test/resources/parity/{dot,merge}_<case>/. A seed is kept only when the
float64 gradients agree with central finite differences (1e-6) and float32 with float64 (1e-4).

`dot_*`: Dot over the last, first and middle axes of vectors, sequences and rank-4 values,
axes as an integer, a pair and negative, with and without normalize=True, and Dot of two masked
sequences (Keras's Dot drops the masks).
`merge_*`: two Embedding(mask_zero=True) branches merged by every merging layer (Keras 3's
keras/src/layers/merging/: Add/Subtract/Average OR the masks if every input has one, Multiply
counts masked entries as 1 and zeroes the product outside the OR, Maximum/Minimum take the other
operand where one is masked, Concatenate joins the masks along its axis), some mixed with an
unmasked branch, reaching GlobalAveragePooling1D, recurrent layers and (through
TimeDistributed) a per-step loss, whose mask rides on the output as in Keras's trainer.

Besides the checks above, each masked case must depend on its masks: the same model built with
mask_zero=False must give a float64 loss more than 1e-3 away (else the case is rejected); and
merge_masked_every_layer's output must equal a numpy float64 forward pass that writes out the
mask rules above (1e-12 against Keras f64, 1e-5 against f32).

Run:  KERAS_BACKEND=jax python make_merge_fixtures.py [--out DIR] [--only CASE ...]
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_fixtures as mf  # noqa: E402
import make_sequence_fixtures as ms  # noqa: E402

import jax  # noqa: E402
import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras import layers as L  # noqa: E402

ms.CASES.clear()
floats, tokens = ms.floats, ms.tokens
CASES = ms.CASES


def case(name, src, build, inputs, masked=False, per_step=False, batch=5):
    """build(mask_zero) makes the Keras model; masked: the loss must change without the masks;
    per_step: the target has the output's shape (a loss per time step) rather than (batch, units)."""
    ms.case(name, src, lambda: build(True), inputs, loss="mse", batch=batch)
    CASES[-1].update(build_with=build, masked=masked, per_step=per_step)


def names(cls, n):
    """Keras's automatic names of n layers of one class: dense, dense_1, ..."""
    base = {"Dense": "dense", "Embedding": "embedding", "Flatten": "flatten", "Dot": "dot", "Reshape": "reshape",
            "GlobalAveragePooling1D": "global_average_pooling1d", "Concatenate": "concatenate"}[cls]
    return [base if i == 0 else f"{base}_{i}" for i in range(n)]


# ------------------------------------------------------------------ Dot

def _dot_vectors(normalize, axes):
    def build(_):
        x = floats("x", 4)
        a = L.Dense(5, activation="tanh", name="dense")(x)
        b = L.Dense(5, activation="sigmoid", name="dense_1")(x)
        d = L.Dot(axes=axes, normalize=normalize, name="dot")([a, b])
        return keras.Model(x, L.Dense(2, name="dense_2")(L.Concatenate(name="concatenate")([d, a])))
    return build


case("dot_vectors", """
    input x: float[4]
    a = Dense(5, activation=tanh)(x)
    b = Dense(5, activation=sigmoid)(x)
    d = Dot(axes=1)([a, b])
    output Dense(2)(Concatenate()([d, a]))
""", _dot_vectors(False, 1), {"x": ("float", (4,))})

case("dot_vectors_normalize", """
    input x: float[4]
    a = Dense(5, activation=tanh)(x)
    b = Dense(5, activation=sigmoid)(x)
    d = Dot(axes=-1, normalize=true)([a, b])
    output Dense(2)(Concatenate()([d, a]))
""", _dot_vectors(True, -1), {"x": ("float", (4,))})


def _dot_sequences(_):
    x = floats("x", 4, 3)
    d = names("Dense", 5)
    a = L.Dense(5, activation="tanh", name=d[0])(x)
    b = L.Dense(5, activation="sigmoid", name=d[1])(x)
    c = L.Dense(2, activation="tanh", name=d[2])(x)
    v = L.Dense(5, activation="tanh", name=d[3])(L.Flatten(name="flatten")(x))
    s = L.Dot(axes=2, name="dot")([a, b])
    t = L.Dot(axes=1, normalize=True, name="dot_1")([a, c])
    u = L.Dot(axes=(1, 2), name="dot_2")([v, a])
    w = L.Dot(axes=(1, -2), name="dot_3")([c, b])
    h = L.Concatenate(name="concatenate")([L.Flatten(name="flatten_1")(s), L.Flatten(name="flatten_2")(t), u,
                                           L.Flatten(name="flatten_3")(w)])
    return keras.Model(x, L.Dense(2, name=d[4])(h))


case("dot_sequences", """
    input x: float[4, 3]
    a = Dense(5, activation=tanh)(x)
    b = Dense(5, activation=sigmoid)(x)
    c = Dense(2, activation=tanh)(x)
    v = Dense(5, activation=tanh)(Flatten()(x))
    s = Dot(axes=2)([a, b])
    t = Dot(axes=1, normalize=true)([a, c])
    u = Dot(axes=(1, 2))([v, a])
    w = Dot(axes=(1, -2))([c, b])
    output Dense(2)(Concatenate()([Flatten()(s), Flatten()(t), u, Flatten()(w)]))
""", _dot_sequences, {"x": ("float", (4, 3))})


def _dot_rank4(_):
    x = floats("x", 6)
    d = names("Dense", 4)
    r = L.Reshape((2, 3, 4), name="reshape")(L.Dense(24, activation="tanh", name=d[0])(x))
    q = L.Reshape((4, 3, 2), name="reshape_1")(L.Dense(24, name=d[1])(x))
    u = L.Dot(axes=(2, 2), normalize=True, name="dot")([r, q])
    w = L.Dot(axes=(-2, 1), name="dot_1")([r, L.Reshape((3, 2), name="reshape_2")(L.Dense(6, activation="tanh", name=d[2])(x))])
    h = L.Concatenate(name="concatenate")([L.Flatten(name="flatten")(u), L.Flatten(name="flatten_1")(w)])
    return keras.Model(x, L.Dense(2, name=d[3])(h))


case("dot_rank4_middle_axes", """
    input x: float[6]
    r = Reshape((2, 3, 4))(Dense(24, activation=tanh)(x))
    q = Reshape((4, 3, 2))(Dense(24)(x))
    u = Dot(axes=(2, 2), normalize=true)([r, q])
    w = Dot(axes=(-2, 1))([r, Reshape((3, 2))(Dense(6, activation=tanh)(x))])
    output Dense(2)(Concatenate()([Flatten()(u), Flatten()(w)]))
""", _dot_rank4, {"x": ("float", (6,))})


def _dot_masked(mask_zero):
    a, b = tokens("a", 6), tokens("b", 6)
    ea = L.Embedding(11, 4, mask_zero=mask_zero, name="embedding")(a)
    eb = L.Embedding(11, 4, mask_zero=mask_zero, name="embedding_1")(b)
    d = L.Dot(axes=2, name="dot")([ea, eb])
    return keras.Model([a, b], L.Dense(2, name="dense")(L.GlobalAveragePooling1D(name="global_average_pooling1d")(d)))


case("dot_masked_sequences", """
    input a: int[6]
    input b: int[6]
    ea = Embedding(11, 4, mask_zero=true)(a)
    eb = Embedding(11, 4, mask_zero=true)(b)
    output Dense(2)(GlobalAveragePooling1D()(Dot(axes=2)([ea, eb])))
""", _dot_masked, {"a": ("int", 11, 6), "b": ("int", 11, 6)})


# ------------------------------------------------------------------ masked merges

def _add_mean(mask_zero):
    a, b = tokens("a", 6), tokens("b", 6)
    ea = L.Embedding(11, 4, mask_zero=mask_zero, name="embedding")(a)
    eb = L.Embedding(11, 4, mask_zero=mask_zero, name="embedding_1")(b)
    h = L.GlobalAveragePooling1D(name="global_average_pooling1d")(L.Add(name="add")([ea, eb]))
    return keras.Model([a, b], L.Dense(2, name="dense")(h))


case("merge_masked_add_mean", """
    input a: int[6]
    input b: int[6]
    ea = Embedding(11, 4, mask_zero=true)(a)
    eb = Embedding(11, 4, mask_zero=true)(b)
    h = GlobalAveragePooling1D()(Add()([ea, eb]))
    output Dense(2)(h)
""", _add_mean, {"a": ("int", 11, 6), "b": ("int", 11, 6)}, masked=True)


def _zoo(mask_zero):
    a, b = tokens("a", 6), tokens("b", 6)
    ea = L.Embedding(11, 3, mask_zero=mask_zero, name="embedding")(a)
    eb = L.Embedding(11, 3, mask_zero=mask_zero, name="embedding_1")(b)
    ec = L.Dense(3, activation="tanh", name="dense")(L.Embedding(11, 3, name="embedding_2")(a))
    merged = [L.Add(name="add")([ea, eb]), L.Subtract(name="subtract")([ea, eb]), L.Multiply(name="multiply")([ea, eb, ea]),
              L.Multiply(name="multiply_1")([ec, ea]), L.Average(name="average")([ea, eb]), L.Maximum(name="maximum")([ea, eb]),
              L.Minimum(name="minimum")([ea, ec, eb]), L.Maximum(name="maximum_1")([ec, eb]),
              L.Concatenate(name="cat_features")([ea, eb]), L.Concatenate(axis=1, name="cat_steps")([ea, ec])]
    pools = names("GlobalAveragePooling1D", len(merged))
    # (not "concatenate": the masks' ops.concatenate in Concatenate.compute_mask takes that name; weightless, so any name)
    h = L.Concatenate(name="pooled")([L.GlobalAveragePooling1D(name=p)(m) for p, m in zip(pools, merged)])
    return keras.Model([a, b], L.Dense(2, name="dense_1")(h))


case("merge_masked_every_layer", """
    input a: int[6]
    input b: int[6]
    ea = Embedding(11, 3, mask_zero=true)(a)
    eb = Embedding(11, 3, mask_zero=true)(b)
    ec = Dense(3, activation=tanh)(Embedding(11, 3)(a))
    h = Concatenate()([
        GlobalAveragePooling1D()(Add()([ea, eb])),
        GlobalAveragePooling1D()(Subtract()([ea, eb])),
        GlobalAveragePooling1D()(Multiply()([ea, eb, ea])),
        GlobalAveragePooling1D()(Multiply()([ec, ea])),
        GlobalAveragePooling1D()(Average()([ea, eb])),
        GlobalAveragePooling1D()(Maximum()([ea, eb])),
        GlobalAveragePooling1D()(Minimum()([ea, ec, eb])),
        GlobalAveragePooling1D()(Maximum()([ec, eb])),
        GlobalAveragePooling1D()(Concatenate()([ea, eb])),
        GlobalAveragePooling1D()(Concatenate(axis=1)([ea, ec]))])
    output Dense(2)(h)
""", _zoo, {"a": ("int", 11, 6), "b": ("int", 11, 6)}, masked=True)


def _recurrent(mask_zero):
    a, b = tokens("a", 6), tokens("b", 6)
    ea = L.Embedding(11, 3, mask_zero=mask_zero, name="embedding")(a)
    eb = L.Embedding(11, 3, mask_zero=mask_zero, name="embedding_1")(b)
    ec = L.Embedding(11, 3, name="embedding_2")(b)
    g = L.GRU(3, name="gru")(L.Average(name="average")([ea, eb]))
    r = L.SimpleRNN(3, name="simple_rnn")(L.Concatenate(axis=1, name="steps")([ec, ea]))
    return keras.Model([a, b], L.Dense(2, name="dense")(L.Concatenate(name="states")([g, r])))


case("merge_masked_recurrent", """
    input a: int[6]
    input b: int[6]
    ea = Embedding(11, 3, mask_zero=true)(a)
    eb = Embedding(11, 3, mask_zero=true)(b)
    ec = Embedding(11, 3)(b)
    g = GRU(3)(Average()([ea, eb]))
    r = SimpleRNN(3)(Concatenate(axis=1)([ec, ea]))
    output Dense(2)(Concatenate()([g, r]))
""", _recurrent, {"a": ("int", 11, 6), "b": ("int", 11, 6)}, masked=True)


def _per_step(mask_zero):
    a, b = tokens("a", 6), tokens("b", 6)
    ea = L.Embedding(11, 3, mask_zero=mask_zero, name="embedding")(a)
    eb = L.Embedding(11, 3, mask_zero=mask_zero, name="embedding_1")(b)
    h = L.LSTM(3, return_sequences=True, name="lstm")(L.Multiply(name="multiply")([ea, eb]))
    return keras.Model([a, b], L.TimeDistributed(L.Dense(2, name="dense"), name="time_distributed")(h))


case("merge_masked_per_step_loss", """
    input a: int[6]
    input b: int[6]
    ea = Embedding(11, 3, mask_zero=true)(a)
    eb = Embedding(11, 3, mask_zero=true)(b)
    h = LSTM(3, return_sequences=true)(Multiply()([ea, eb]))
    output TimeDistributed(Dense(2))(h)
""", _per_step, {"a": ("int", 11, 6), "b": ("int", 11, 6)}, masked=True, per_step=True)


# ------------------------------------------------------------------ numpy reference of the mask rules

def _merge(kind, vals):
    """Keras 3's merge of [(value, mask or None)] -> (value, mask or None), written out from keras/src/layers/merging/."""
    masks = [m for _, m in vals]
    every = all(m is not None for m in masks)
    if kind in ("add", "sub", "avg"):
        out = vals[0][0]
        for v, _ in vals[1:]:
            out = out - v if kind == "sub" else out + v
        return (out / len(vals) if kind == "avg" else out), (np.logical_or.reduce(masks) if every else None)
    if kind == "mul":
        out, om = None, None
        for v, m in vals:
            if m is not None:
                v = np.where(m[..., None], v, 1.0)
                om = m if om is None else om | m
            out = v if out is None else out * v
        return (np.where(om[..., None], out, 0.0), om) if every else (out, None)
    if kind in ("max", "min"):
        f = np.maximum if kind == "max" else np.minimum
        out, om = vals[0]
        for v, m in vals[1:]:
            if m is not None:
                v = np.where(m[..., None], v, out)
            if om is not None:
                out = np.where(om[..., None], out, v)
            om = om | m if m is not None and om is not None else None
            out = f(out, v)
        return out, om
    ones = [m if m is not None else np.ones(v.shape[:-1], bool) for v, m in vals]
    if kind == "cat":
        return np.concatenate([v for v, _ in vals], -1), np.logical_or.reduce(ones)
    return np.concatenate([v for v, _ in vals], 1), np.concatenate(ones, 1)  # "cat_steps"


def numpy_every_layer(weights, xs):
    """merge_masked_every_layer's output in float64."""
    a, b = xs["a"], xs["b"]
    ea, eb = (weights["embedding.embeddings"][a], a != 0), (weights["embedding_1.embeddings"][b], b != 0)
    ec = (np.tanh(weights["embedding_2.embeddings"][a] @ weights["dense.kernel"] + weights["dense.bias"]), None)
    merged = [_merge("add", [ea, eb]), _merge("sub", [ea, eb]), _merge("mul", [ea, eb, ea]), _merge("mul", [ec, ea]),
              _merge("avg", [ea, eb]), _merge("max", [ea, eb]), _merge("min", [ea, ec, eb]), _merge("max", [ec, eb]),
              _merge("cat", [ea, eb]), _merge("cat_steps", [ea, ec])]
    pooled = [v.mean(1) if m is None else (v * m[..., None]).sum(1) / m.sum(1)[:, None] for v, m in merged]
    return np.concatenate(pooled, -1) @ weights["dense_1.kernel"] + weights["dense_1.bias"]


NUMPY = {"merge_masked_every_layer": numpy_every_layer}


# ------------------------------------------------------------------ data and runs

def draw(c, seed):
    """make_sequence_fixtures' weights and inputs; per-step targets shaped like the output."""
    weights, xs, y = ms.draw(c, seed)
    if c["per_step"]:
        rng = np.random.default_rng(seed ^ 0x5EED)
        shape = tuple(c["build"]().outputs[0].shape[1:])
        y = rng.normal(0.0, 1.0, size=(c["batch"],) + shape).astype(np.float32).astype(np.float64)
    return weights, xs, y


def mask_gap(c, seed):
    """|loss with the masks − loss without them| in float64 (mask_zero=False everywhere)."""
    weights, xs, y = draw(c, seed)
    with mf.true_float64():
        with_masks = float(ms.keras_grad(c, weights, xs, y, "f64")[0])
        without = float(ms.keras_grad(dict(c, build=lambda: c["build_with"](False)), weights, xs, y, "f64")[0])
    return abs(with_masks - without)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=mf.DEFAULT_OUT)
    ap.add_argument("--only", nargs="*")
    args = ap.parse_args()
    meta = {"generator": "tools/keras_parity/make_merge_fixtures.py", "keras": keras.__version__, "jax": jax.__version__,
            "backend": "jax"}
    os.makedirs(args.out, exist_ok=True)
    for c in CASES:
        if args.only and c["name"] not in args.only:
            continue
        seed, l32, l64, checks, d = ms.make_case(c, args.out, meta, draw)
        if c["name"] in NUMPY:
            weights, xs, _ = draw(c, seed)
            for sfx, tol in (("_f64", 1e-12), ("", 1e-5)):
                out = mf.load_file(os.path.join(d, f"expected{sfx}.safetensors"))["output"]
                checks["numpy" + sfx] = mf.max_rel(out, NUMPY[c["name"]](weights, xs))
                if checks["numpy" + sfx] > tol:
                    raise RuntimeError(f"{c['name']}: Keras differs from the numpy reference of the mask rules: {checks}")
        if c["masked"]:
            checks["mask_gap"] = mask_gap(c, seed)
            if checks["mask_gap"] < 1e-3:
                raise RuntimeError(f"{c['name']}: the masks barely change the loss ({checks['mask_gap']:.1e})")
        print(f"{c['name']:28s} seed={seed:<11d} batch={c['batch']} loss32={l32:.7g} loss64={l64:.12g} "
              + " ".join(f"{k}={v:.1e}" for k, v in checks.items()))
        for f in ("weights", "batch", "expected"):
            print(f"    {f}: {mf.describe(os.path.join(d, f + '.safetensors'))}")


if __name__ == "__main__":
    main()
