#!/usr/bin/env python3
"""Keras-parity fixtures for the sequence layers (Embedding, Conv1D, pooling, merging, ...).

Same file layout and the same Keras runs as make_fixtures.py (whose helpers this imports):
one training-mode forward and backward pass of the real Keras 3 model (JAX backend),
jax.value_and_grad over model.stateless_call, in float32 and in true float64, written to
compiler/src/test/resources/parity/seq_<case>/. Token inputs are stored as I32.

Each case is a modelc source and the same model built with keras layers under the names
modelc gives them. Activations are smooth (tanh, sigmoid) where a kink could be hit; a
seed is accepted only when the float64 gradients agree with central finite differences of
the float64 Keras loss (1e-6) and float32 agrees with float64 (1e-4), which also rejects
near-ties in max pooling and Maximum. Writes parity/sequence_cases.txt.

Run:  KERAS_BACKEND=jax python make_sequence_fixtures.py [--out DIR] [--only CASE ...]
"""
import argparse
import os
import sys
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_fixtures as mf  # noqa: E402  (sets up jax/keras exactly as for the dense fixtures)

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras import layers as L  # noqa: E402

COMPILE = {"mse": ("mean_squared_error", lambda: keras.losses.MeanSquaredError(), "real"),
           "bce": ("binary_crossentropy", lambda: keras.losses.BinaryCrossentropy(), "binary")}


def tokens(name, n):
    return keras.Input(shape=(n,), dtype="int32", name=name)


def floats(name, *shape):
    return keras.Input(shape=shape, name=name)


# Each case: name, modelc body lines (functional form), keras builder, inputs {name: ("int", vocab, steps) |
# ("float", shape)}, loss key, batch.
CASES = []


def case(name, src, build, inputs, loss="mse", batch=5, min_token=0):
    CASES.append(dict(name=name, src=src, build=build, inputs=inputs, loss=loss, batch=batch, min_token=min_token))


case("seq_embedding_flatten", """
    input tokens: int[6]
    x = Embedding(11, 4)(tokens)
    output Dense(1, activation=sigmoid)(Flatten()(x))
""", lambda: (lambda t: keras.Model(t, L.Dense(1, activation="sigmoid", name="dense")(
    L.Flatten(name="flatten")(L.Embedding(11, 4, name="embedding")(t)))))(tokens("tokens", 6)),
     {"tokens": ("int", 11, 6)}, loss="bce")

case("seq_embedding_masked_mean", """
    input tokens: int[6]
    x = Embedding(11, 4, mask_zero=true)(tokens)
    h = GlobalAveragePooling1D()(Dense(3, activation=tanh)(x))
    output Dense(2)(h)
""", lambda: (lambda t: keras.Model(t, L.Dense(2, name="dense_1")(L.GlobalAveragePooling1D(name="global_average_pooling1d")(
    L.Dense(3, activation="tanh", name="dense")(L.Embedding(11, 4, mask_zero=True, name="embedding")(t))))))(tokens("tokens", 6)),
     {"tokens": ("int", 11, 6)}, min_token=0)


def conv_case(name, steps, channels, conv_src, conv):
    case(name, f"""
    input x: float[{steps}, {channels}]
    h = {conv_src}(x)
    output Dense(2)(Flatten()(h))
""", lambda: (lambda x: keras.Model(x, L.Dense(2, name="dense")(L.Flatten(name="flatten")(conv()(x)))))(floats("x", steps, channels)),
         {"x": ("float", (steps, channels))})


conv_case("seq_conv_valid_strides", 9, 3, "Conv1D(4, 3, strides=2, activation=tanh)",
          lambda: L.Conv1D(4, 3, strides=2, activation="tanh", name="conv1d"))
conv_case("seq_conv_same_even_kernel", 7, 3, "Conv1D(4, 4, padding=same, activation=tanh)",
          lambda: L.Conv1D(4, 4, padding="same", activation="tanh", name="conv1d"))
conv_case("seq_conv_same_strides", 8, 3, "Conv1D(4, 3, padding=same, strides=2, activation=tanh)",
          lambda: L.Conv1D(4, 3, padding="same", strides=2, activation="tanh", name="conv1d"))
conv_case("seq_conv_causal_dilated", 7, 3, "Conv1D(4, 3, padding=causal, dilation_rate=2, activation=tanh)",
          lambda: L.Conv1D(4, 3, padding="causal", dilation_rate=2, activation="tanh", name="conv1d"))
conv_case("seq_conv_groups", 6, 4, "Conv1D(6, 3, padding=same, groups=2, activation=tanh)",
          lambda: L.Conv1D(6, 3, padding="same", groups=2, activation="tanh", name="conv1d"))


def pool_case(name, steps, pool_src, pool):
    case(name, f"""
    input x: float[{steps}, 3]
    h = {pool_src}(Dense(3, activation=tanh)(x))
    output Dense(2)(Flatten()(h))
""", lambda: (lambda x: keras.Model(x, L.Dense(2, name="dense_1")(L.Flatten(name="flatten")(
        pool()(L.Dense(3, activation="tanh", name="dense")(x))))))(floats("x", steps, 3)),
         {"x": ("float", (steps, 3))})


pool_case("seq_max_pool_same", 7, "MaxPooling1D(3, strides=2, padding=same)",
          lambda: L.MaxPooling1D(3, strides=2, padding="same", name="max_pooling1d"))
pool_case("seq_max_pool_valid", 7, "MaxPooling1D()", lambda: L.MaxPooling1D(name="max_pooling1d"))
pool_case("seq_avg_pool_same", 7, "AveragePooling1D(2, padding=same)",
          lambda: L.AveragePooling1D(2, padding="same", name="average_pooling1d"))
pool_case("seq_avg_pool_same_overlap", 7, "AveragePooling1D(4, strides=1, padding=same)",
          lambda: L.AveragePooling1D(4, strides=1, padding="same", name="average_pooling1d"))
pool_case("seq_avg_pool_valid", 8, "AveragePooling1D(3, strides=2)",
          lambda: L.AveragePooling1D(3, strides=2, name="average_pooling1d"))


def _inception(t):
    x = L.Embedding(20, 6, name="embedding")(t)
    branches = []
    for i, k in enumerate((3, 5, 7)):
        conv = L.Conv1D(5, k, activation="tanh", padding="same", name="conv1d" + ("" if i == 0 else f"_{i}"))
        gap = L.GlobalAveragePooling1D(name="global_average_pooling1d" + ("" if i == 0 else f"_{i}"))
        branches.append(gap(conv(x)))
    h = L.Concatenate(name="concatenate")(branches)
    h = L.Dense(4, activation="tanh", name="dense")(h)
    return keras.Model(t, L.Dense(1, activation="sigmoid", name="dense_1")(h))


case("seq_text_inception", """
    input tokens: int[12]
    x  = Embedding(20, 6)(tokens)
    b3 = GlobalAveragePooling1D()(Conv1D(5, 3, activation=tanh, padding=same)(x))
    b5 = GlobalAveragePooling1D()(Conv1D(5, 5, activation=tanh, padding=same)(x))
    b7 = GlobalAveragePooling1D()(Conv1D(5, 7, activation=tanh, padding=same)(x))
    h  = Concatenate()([b3, b5, b7])
    h  = Dense(4, activation=tanh)(h)
    output Dense(1, activation=sigmoid)(h)
""", lambda: _inception(tokens("tokens", 12)), {"tokens": ("int", 20, 12)}, loss="bce", batch=6)


def _global(x):
    c = L.Conv1D(4, 2, activation="tanh", name="conv1d")(x)
    a = L.GlobalMaxPooling1D(name="global_max_pooling1d")(c)
    b = L.GlobalAveragePooling1D(name="global_average_pooling1d")(c)
    return keras.Model(x, L.Dense(2, name="dense")(L.Concatenate(name="concatenate")([a, b])))


case("seq_global_pools", """
    input x: float[6, 3]
    c = Conv1D(4, 2, activation=tanh)(x)
    h = Concatenate()([GlobalMaxPooling1D()(c), GlobalAveragePooling1D()(c)])
    output Dense(2)(h)
""", lambda: _global(floats("x", 6, 3)), {"x": ("float", (6, 3))})


def _merges(x):
    a = L.Dense(3, activation="tanh", name="dense")(x)
    b = L.Dense(3, activation="sigmoid", name="dense_1")(x)
    c = L.Dense(3, name="dense_2")(x)
    h = L.Concatenate(name="concatenate")([L.Add(name="add")([a, b, c]), L.Subtract(name="subtract")([a, b]),
                                           L.Multiply(name="multiply")([a, c]), L.Average(name="average")([a, b, c]),
                                           L.Maximum(name="maximum")([a, b]), L.Minimum(name="minimum")([b, c])])
    return keras.Model(x, L.Dense(2, name="dense_3")(h))


case("seq_merges", """
    input x: float[4]
    a = Dense(3, activation=tanh)(x)
    b = Dense(3, activation=sigmoid)(x)
    c = Dense(3)(x)
    h = Concatenate()([Add()([a, b, c]), Subtract()([a, b]), Multiply()([a, c]), Average()([a, b, c]), Maximum()([a, b]), Minimum()([b, c])])
    output Dense(2)(h)
""", lambda: _merges(floats("x", 4)), {"x": ("float", (4,))})


def _reshaping(x):
    h = L.Dense(3, activation="tanh", name="dense")(x)
    h = L.Permute((2, 1), name="permute")(L.RepeatVector(5, name="repeat_vector")(h))
    h = L.Dense(2, activation="tanh", name="dense_1")(h)
    k = L.Concatenate(axis=1, name="concatenate")([h, L.Conv1D(2, 2, activation="tanh", name="conv1d")(h)])
    return keras.Model(x, L.Dense(2, name="dense_2")(L.Flatten(name="flatten")(k)))


case("seq_repeat_permute_concat", """
    input x: float[4]
    h = Dense(3, activation=tanh)(x)
    h = Permute((2, 1))(RepeatVector(5)(h))
    h = Dense(2, activation=tanh)(h)
    k = Concatenate(axis=1)([h, Conv1D(2, 2, activation=tanh)(h)])
    output Dense(2)(Flatten()(k))
""", lambda: _reshaping(floats("x", 4)), {"x": ("float", (4,))})


# ------------------------------------------------------------------ data and runs

def model_source(c):
    metrics = ", metrics=[accuracy]" if c["loss"] == "bce" else ""
    name = mf.camel(c["name"])
    return (f"model {name} {{" + c["src"].rstrip() + "\n"
            + f"    compile(loss={COMPILE[c['loss']][0]}, optimizer=adam{metrics})\n}}\n")


def draw(c, seed):
    rng = np.random.default_rng(seed)
    model = c["build"]()
    weights = {}
    for key, v in mf.param_keys(model):
        shape = tuple(v.shape)
        if key.endswith(".embeddings"):
            a = rng.uniform(-1.0, 1.0, size=shape)
        elif key.endswith(".kernel"):
            fan_in = int(np.prod(shape[:-1]))
            a = rng.uniform(-1.0, 1.0, size=shape) * min(1.0, 1.6 / np.sqrt(fan_in))
            a = np.where(np.abs(a) < 0.05, np.sign(a + 1e-12) * 0.05, a)
        else:
            a = rng.uniform(0.05, 0.5, size=shape) * rng.choice([-1.0, 1.0], size=shape)
        weights[key] = a.astype(np.float32).astype(np.float64)
    b = c["batch"]
    xs = {}
    for name, spec in c["inputs"].items():
        if spec[0] == "int":
            t = rng.integers(c["min_token"], spec[1], size=(b, spec[2]))
            t[:, 0] = rng.integers(1, spec[1], size=b)  # every row has a real token (masked means stay defined)
            if c["min_token"] == 0:
                t[:, -2:] = 0  # padding at the end, as pad_sequences(padding="post") makes
            xs[name] = t.astype(np.int32)
        else:
            xs[name] = rng.normal(0.0, 1.0, size=(b,) + spec[1]).astype(np.float32).astype(np.float64)
    out_units = model.outputs[0].shape[-1]
    if COMPILE[c["loss"]][2] == "binary":
        y = np.zeros((b, out_units))
        y[: (b + 1) // 2] = 1.0
        rng.shuffle(y)
    else:
        y = rng.normal(0.0, 1.0, size=(b, out_units)).astype(np.float32).astype(np.float64)
    return weights, xs, y


def cast_inputs(xs, npdt):
    """The inputs in the model's order (a single tensor for one input), int tokens kept as int32."""
    arrs = [jnp.asarray(v if v.dtype == np.int32 else v.astype(npdt)) for v in xs.values()]
    return arrs[0] if len(arrs) == 1 else arrs


def keras_grad(c, weights, xs, y, dtype):
    mf.set_floatx(dtype)
    npdt = np.float64 if dtype == "f64" else np.float32
    model = c["build"]()
    var_index = {id(v): i for i, v in enumerate(model.trainable_variables)}
    tv = [None] * len(var_index)
    for k, v in mf.param_keys(model):
        tv[var_index[id(v)]] = jnp.asarray(weights[k].astype(npdt))
    ntv = [v.value for v in model.non_trainable_variables]
    if c.get("drawn_state"):
        # Non-trainable weights that the training-mode output depends on (BatchNormalization's renorm
        # statistics): the drawn values, as modelc reads them from the weights file.
        keyed = {id(w): f"{layer.name}.{w.name}" for layer in model.layers for w in layer.non_trainable_weights}
        ntv = [jnp.asarray(weights[keyed[id(v)]].astype(npdt)) for v in model.non_trainable_variables]
    loss_obj = COMPILE[c["loss"]][1]()
    xj = cast_inputs(xs, npdt)
    yj = jnp.asarray(y.astype(npdt))

    def f(tv):
        out, _ = model.stateless_call(tv, ntv, xj, training=True)
        return loss_obj(yj, out), out

    vg = jax.value_and_grad(f, has_aux=True)
    mf.check_jaxpr(vg, tv, dtype)
    (loss, out), grads = vg(tv)
    g = {k: np.asarray(grads[var_index[id(v)]]) for k, v in mf.param_keys(model)}
    for k, arr in g.items():
        assert arr.dtype == npdt, (k, arr.dtype)
    return np.asarray(loss), np.asarray(out), g, (model, var_index, ntv, loss_obj, xj, yj)


def finite_diff(ctx, weights, h=1e-6):
    model, var_index, ntv, loss_obj, xj, yj = ctx
    keys = [(k, var_index[id(v)]) for k, v in mf.param_keys(model)]
    base = [None] * len(keys)
    for k, i in keys:
        base[i] = weights[k].copy()

    @jax.jit
    def lossf(tv):
        out, _ = model.stateless_call(tv, ntv, xj, training=True)
        return loss_obj(yj, out)

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


def make_case(c, outdir, meta, draw_case=None, extra=None):
    """Finds an acceptable seed and writes the case. `draw_case` replaces `draw`; `extra(c, weights,
    xs, dtype)` returns more entries for that dtype's `expected` file (make_image_fixtures.py)."""
    draw_case = draw_case or draw
    base_seed = zlib.crc32(c["name"].encode()) & 0x7FFFFFFF
    for attempt in range(50):
        seed = base_seed + attempt
        weights, xs, y = draw_case(c, seed)
        l32, o32, g32, _ = keras_grad(c, weights, xs, y, "f32")
        with mf.true_float64():
            l64, o64, g64, ctx = keras_grad(c, weights, xs, y, "f64")
            # A case whose Keras gradient stops on purpose (renorm's stop_gradient of r and d, which
            # depend on weights before the layer) differs from finite differences of its loss: not checked.
            fd = finite_diff(ctx, weights) if c.get("fd", True) else g64
        checks = {"f32_vs_f64": max(mf.max_rel(g32[k], g64[k]) for k in g64),
                  "finite_diff_f64": max(mf.max_rel(fd[k], g64[k]) for k in g64)}
        if checks["f32_vs_f64"] < 1e-4 and checks["finite_diff_f64"] < 1e-6:
            break
        print(f"  {c['name']}: seed {seed} rejected {checks}")
    else:
        raise RuntimeError(f"{c['name']}: no acceptable seed")
    res = {"f32": (l32, o32, g32), "f64": (l64, o64, g64)}
    d = os.path.join(outdir, c["name"])
    os.makedirs(d, exist_ok=True)
    for f in os.listdir(d):
        os.remove(os.path.join(d, f))
    with open(os.path.join(d, "model.model"), "w") as fh:
        fh.write(model_source(c))
    for dtype, npdt, sfx in (("f32", np.float32, ""), ("f64", np.float64, "_f64")):
        loss, out, g = res[dtype]
        mf.save_file({k: np.ascontiguousarray(v.astype(npdt)) for k, v in weights.items()},
                     os.path.join(d, f"weights{sfx}.safetensors"))
        batch = {k: np.ascontiguousarray(v if v.dtype == np.int32 else v.astype(npdt)) for k, v in xs.items()}
        batch["target"] = np.ascontiguousarray(y.astype(npdt))
        mf.save_file(batch, os.path.join(d, f"batch{sfx}.safetensors"))
        exp = {"loss": np.asarray(loss, npdt).reshape(()), "output": np.ascontiguousarray(out.astype(npdt))}
        for k, v in g.items():
            exp["grad." + k] = np.ascontiguousarray(v.astype(npdt))
        if extra:
            if dtype == "f64":
                with mf.true_float64():
                    more = extra(c, weights, xs, dtype)
            else:
                more = extra(c, weights, xs, dtype)
            exp.update({k: np.ascontiguousarray(np.asarray(v).astype(npdt)) for k, v in more.items()})
        mf.save_file(exp, os.path.join(d, f"expected{sfx}.safetensors"), metadata=meta)
    return seed, float(l32), float(l64), checks, d


def main(cases=None, generator="tools/keras_parity/make_sequence_fixtures.py", cases_file="sequence_cases.txt",
         draw_case=None, extra=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=mf.DEFAULT_OUT)
    ap.add_argument("--only", nargs="*")
    args = ap.parse_args()
    cases = CASES if cases is None else cases
    meta = {"generator": generator, "keras": keras.__version__, "jax": jax.__version__, "backend": "jax"}
    os.makedirs(args.out, exist_ok=True)
    for c in cases:
        if args.only and c["name"] not in args.only:
            continue
        seed, l32, l64, checks, d = make_case(c, args.out, meta, draw_case, extra)
        print(f"{c['name']:28s} seed={seed:<11d} batch={c['batch']} loss32={l32:.7g} loss64={l64:.12g} "
              f"fd64={checks['finite_diff_f64']:.1e} f32/f64={checks['f32_vs_f64']:.1e}")
        for f in ("weights", "batch", "expected"):
            print(f"    {f}: {mf.describe(os.path.join(d, f + '.safetensors'))}")
    if not args.only and cases_file:
        with open(os.path.join(args.out, cases_file), "w") as fh:
            fh.write("\n".join(c["name"] for c in cases) + "\n")


if __name__ == "__main__":
    main()
