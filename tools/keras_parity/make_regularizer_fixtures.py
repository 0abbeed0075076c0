#!/usr/bin/env python3
"""Keras-parity fixtures for weight regularizers and class weights (issue 6).

Same file layout as make_fixtures.py / make_recurrent_fixtures.py (whose helpers this imports):
one training-mode forward and backward pass of the real Keras 3 model (JAX backend), in float32
and in true float64, written to compiler/src/test/resources/parity/<case>/ (reg_* and cw_*).
Token inputs are stored as I32; sparse targets as I32 (f32 files) / I64 (f64 files).

The loss must be Keras's *training* loss: the compiled loss, weighed by the class weights, plus
the layers' regularization losses. So the expected values come from the trainer's own path: the
model is compiled (`model.compile(loss=..., optimizer=SGD(1))`) and `jax.value_and_grad` is taken
of `model.compute_loss_and_updates(...)`, the function the JAX trainer's train_step
differentiates; it adds `model.losses` (the regularizers, from `stateless_call(...,
return_losses=True)`) to the compiled loss. The sample weights are what `fit(class_weight=...)`
turns the targets into, by Keras's own `class_weight_to_sample_weights` (keras/src/trainers/
data_adapters/data_adapter_utils.py: the target's index, the argmax of a row, or a single unit
rounded).

Before anything is written (a failed check aborts):
  * model.train_on_batch(x, y, class_weight=...) with SGD(learning_rate=1): loss and
    w_before - w_after, f32 1e-5 / f64 1e-12;
  * central finite differences of the float64 loss (1e-6) and float32 vs float64 (1e-4);
  * a numpy float64 forward (make_recurrent_fixtures.numpy_forward) with the loss written out by
    hand: sum over samples of class weight * loss, divided by the batch size, plus
    l1*sum|w| + l2*sum w^2 over the regularized weights (no factor 1/2), 1e-13 against f64 and
    1e-5 against f32;
  * each weight's Keras regularizer (variable.regularizer.get_config()) has the l1 and l2 the
    case lists (which the numpy reference uses);
  * the penalties / class weights really matter: leaving them out changes the loss by > 1e-3.

Activity regularizers (reg_activity_*): Keras's Layer.__call__ adds regularizer(output) divided by
the batch size (output.shape[0], also for a sequence) to model.losses; the numpy reference adds
l1*sum|y| + l2*sum y^2 over each regularized layer's output (a numpy forward of the layers up to
it), divided by the batch size.

Run:  KERAS_BACKEND=jax python make_regularizer_fixtures.py [--out DIR] [--only CASE ...]
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
from keras import regularizers as R  # noqa: E402
from keras.src.trainers.data_adapters.data_adapter_utils import class_weight_to_sample_weights  # noqa: E402
from safetensors.numpy import load_file  # noqa: E402

# loss key -> (modelc text, keras loss object, target kind)
LOSSES = {"sparse": ("sparse_categorical_crossentropy", lambda: keras.losses.SparseCategoricalCrossentropy(), "sparse"),
          "cce": ("categorical_crossentropy", lambda: keras.losses.CategoricalCrossentropy(), "onehot"),
          "bce": ("binary_crossentropy", lambda: keras.losses.BinaryCrossentropy(), "binary"),
          "mse": ("mean_squared_error", lambda: keras.losses.MeanSquaredError(), "real")}

CASES = []


def case(name, src, layers, inp, loss, penalties=None, class_weight=None, batch=6, activity=None):
    """penalties: {weight key: (l1, l2)} as the source writes them; class_weight: {class: weight} for fit;
    activity: {index of the layer in layers(): (l1, l2)} of its activity_regularizer."""
    CASES.append(dict(name=name, src=src, layers=layers, inp=inp, loss=loss, penalties=penalties or {},
                      class_weight=class_weight, batch=batch, activity=activity or {}))


# (i) Dense kernel and bias regularizers in several spellings: l1_l2, l2, L1, the string "l2" (0.01).
case("reg_dense_l1_l2", """
    Dense(4, activation=tanh, kernel_regularizer=l1_l2(l1=0.01, l2=0.02), bias_regularizer=l2(0.05))
    Dense(3, activation=softmax, kernel_regularizer=L1(0.03), bias_regularizer="l2")
""", lambda: [L.Dense(4, activation="tanh", kernel_regularizer=R.l1_l2(l1=0.01, l2=0.02), bias_regularizer=R.l2(0.05), name="dense"),
              L.Dense(3, activation="softmax", kernel_regularizer=R.L1(0.03), bias_regularizer="l2", name="dense_1")],
     inp=("x", ("float", (5,))), loss="sparse",
     penalties={"dense.kernel": (0.01, 0.02), "dense.bias": (0.0, 0.05), "dense_1.kernel": (0.03, 0.0), "dense_1.bias": (0.0, 0.01)})

# (ii) Embedding and LSTM: embeddings_, kernel_, recurrent_ and bias_regularizer.
case("reg_embedding_lstm", """
    Embedding(10, 4, embeddings_regularizer=l2(0.02))
    LSTM(3, kernel_regularizer=l1(0.01), recurrent_regularizer=L2(l2=0.03), bias_regularizer=L1L2(l1=0.01, l2=0.01))
    Dense(1, activation=sigmoid)
""", lambda: [L.Embedding(10, 4, embeddings_regularizer=R.l2(0.02), name="embedding"),
              L.LSTM(3, kernel_regularizer=R.l1(0.01), recurrent_regularizer=R.L2(l2=0.03),
                     bias_regularizer=R.L1L2(l1=0.01, l2=0.01), name="lstm"),
              L.Dense(1, activation="sigmoid", name="dense")],
     inp=("tokens", ("int", 10, 7)), loss="bce",
     penalties={"embedding.embeddings": (0.0, 0.02), "lstm.kernel": (0.01, 0.0), "lstm.recurrent_kernel": (0.0, 0.03),
                "lstm.bias": (0.01, 0.01)})

# (iii) wrappers: both directions of Bidirectional(GRU) and TimeDistributed(Dense) carry the regularizers.
case("reg_bidirectional_gru_time_distributed", """
    Bidirectional(GRU(3, return_sequences=true, kernel_regularizer=l2(0.02), recurrent_regularizer=l1(0.01)))
    TimeDistributed(Dense(2, kernel_regularizer=l1_l2(l1=0.01, l2=0.01)))
""", lambda: [L.Bidirectional(L.GRU(3, return_sequences=True, kernel_regularizer=R.l2(0.02), recurrent_regularizer=R.l1(0.01),
                                    name="gru"), name="bidirectional"),
              L.TimeDistributed(L.Dense(2, kernel_regularizer=R.l1_l2(l1=0.01, l2=0.01), name="dense"), name="time_distributed")],
     inp=("x", ("float", (5, 3))), loss="mse", batch=4,
     penalties={"bidirectional.forward.kernel": (0.0, 0.02), "bidirectional.forward.recurrent_kernel": (0.01, 0.0),
                "bidirectional.backward.kernel": (0.0, 0.02), "bidirectional.backward.recurrent_kernel": (0.01, 0.0),
                "time_distributed.kernel": (0.01, 0.01)})

# (iv) class weights on sparse targets; class 1 is not named (weight 1).
case("cw_sparse", """
    Dense(4, activation=tanh)
    Dense(3, activation=softmax)
""", lambda: [L.Dense(4, activation="tanh", name="dense"), L.Dense(3, activation="softmax", name="dense_1")],
     inp=("x", ("float", (5,))), loss="sparse", class_weight={0: 0.5, 2: 3.0}, batch=8)

# (v) class weights on one-hot targets: the class is the argmax of the row.
case("cw_categorical", """
    Dense(4, activation=softmax)
""", lambda: [L.Dense(4, activation="softmax", name="dense")],
     inp=("x", ("float", (5,))), loss="cce", class_weight={1: 2.5, 3: 0.2}, batch=8)

# (vi) class weights on a single sigmoid unit (the class is the 0/1 target), with a kernel regularizer.
case("cw_binary_regularized", """
    Dense(3, activation=tanh, kernel_regularizer=l2(0.01))
    Dense(1, activation=sigmoid)
""", lambda: [L.Dense(3, activation="tanh", kernel_regularizer=R.l2(0.01), name="dense"),
              L.Dense(1, activation="sigmoid", name="dense_1")],
     inp=("x", ("float", (4,))), loss="bce", class_weight={0: 1.0, 1: 4.0},
     penalties={"dense.kernel": (0.0, 0.01)}, batch=8)

# (vii) activity regularizers (Layer.__call__: regularizer(output) / batch size, added to the loss) on a
# recurrent layer's sequence output (rank 3: still divided by the batch only) and on a Dense output.
case("reg_activity_lstm_dense", """
    LSTM(4, return_sequences=true, activity_regularizer=l1_l2(l1=0.01, l2=0.02))
    GRU(3)
    Dense(2, activation=tanh, activity_regularizer=l1(0.05))
""", lambda: [L.LSTM(4, return_sequences=True, activity_regularizer=R.l1_l2(l1=0.01, l2=0.02), name="lstm"),
              L.GRU(3, name="gru"),
              L.Dense(2, activation="tanh", activity_regularizer=R.l1(0.05), name="dense")],
     inp=("x", ("float", (5, 3))), loss="mse", batch=4, activity={0: (0.01, 0.02), 2: (0.05, 0.0)})

# (viii) activity regularizers with a weight regularizer, and the string "l2" (0.01) on a softmax output.
case("reg_activity_dense", """
    Dense(4, activation=tanh, kernel_regularizer=l2(0.01), activity_regularizer=L2(0.03))
    Dense(3, activation=softmax, activity_regularizer="l2")
""", lambda: [L.Dense(4, activation="tanh", kernel_regularizer=R.l2(0.01), activity_regularizer=R.L2(0.03), name="dense"),
              L.Dense(3, activation="softmax", activity_regularizer="l2", name="dense_1")],
     inp=("x", ("float", (5,))), loss="sparse", penalties={"dense.kernel": (0.0, 0.01)},
     activity={0: (0.0, 0.03), 1: (0.0, 0.01)})

# (ix) activity_regularizer on the layer of a Bidirectional(merge_mode="sum"): each direction's output, before the merge.
case("reg_activity_bidirectional_sum", """
    Bidirectional(GRU(3, return_sequences=true, activity_regularizer=l1_l2(l1=0.02, l2=0.05)), merge_mode="sum")
    Dense(2, activation=tanh)
""", lambda: [L.Bidirectional(L.GRU(3, return_sequences=True, activity_regularizer=R.l1_l2(l1=0.02, l2=0.05), name="gru"),
                              merge_mode="sum", name="bidirectional"),
              L.Dense(2, activation="tanh", name="dense")],
     inp=("x", ("float", (5, 3))), loss="mse", batch=4, activity={0: (0.02, 0.05)})


# ------------------------------------------------------------------ source and data

def model_source(c):
    name, spec = c["inp"]
    decl = f"int[{spec[2]}]" if spec[0] == "int" else f"float[{', '.join(map(str, spec[1]))}]"
    text = (f"sequential {mf.camel(c['name'])} {{\n    input {name}: {decl}" + c["src"].rstrip() + "\n"
            + f"    compile(loss={LOSSES[c['loss']][0]}, optimizer=adam)\n")
    if c["class_weight"]:
        cw = ", ".join(f"{k}: {v}" for k, v in sorted(c["class_weight"].items()))
        text += f"    fit(class_weight={{{cw}}})\n"
    return text + "}\n"


def draw(c, seed):
    """Weights and inputs as make_recurrent_fixtures draws them; targets of the loss's kind."""
    weights, x, _ = mr.draw(dict(c, loss="mse"), seed)
    rng = np.random.default_rng(seed ^ 0xC1A55)
    model = mr.build_model(c)
    out_shape = tuple(model.outputs[0].shape[1:])
    b, kind = x.shape[0], LOSSES[c["loss"]][2]
    if kind in ("sparse", "onehot"):
        n = out_shape[-1]
        cls = rng.integers(0, n, size=(b,))
        cls[:min(b, n)] = np.arange(min(b, n))  # every class at least once
        rng.shuffle(cls)
        y = cls if kind == "sparse" else np.eye(n)[cls]
    elif kind == "binary":
        y = np.zeros((b,) + out_shape)
        y[: (b + 1) // 2] = 1.0
        rng.shuffle(y)
    else:
        y = rng.normal(0.0, 1.0, size=(b,) + out_shape).astype(np.float32).astype(np.float64)
    return weights, x, y


def target_array(c, y, dtype):
    if LOSSES[c["loss"]][2] == "sparse":
        return y.astype(np.int64 if dtype == "f64" else np.int32)
    return y.astype(np.float64 if dtype == "f64" else np.float32)


def sample_weights(c, y, dtype):
    """What fit(class_weight=...) makes of the targets: Keras's own function; None without class weights."""
    if not c["class_weight"]:
        return None
    sw = class_weight_to_sample_weights(target_array(c, y, dtype), c["class_weight"])
    return np.asarray(sw, np.float64 if dtype == "f64" else np.float32)


# ------------------------------------------------------------------ numpy reference

def numpy_reference(c, weights, x, y):
    """loss, output, and the loss without the penalties / without the class weights (to show they matter)."""
    _, h = mr.numpy_forward(dict(c, loss="mse"), weights, x, np.zeros(1))
    kind = LOSSES[c["loss"]][2]
    if kind == "sparse":
        p = h / h.sum(-1, keepdims=True)
        per = -np.log(p[np.arange(len(y)), y])
        cls = y
    elif kind == "onehot":
        p = h / h.sum(-1, keepdims=True)
        per = -np.sum(y * np.log(p), axis=-1)
        cls = np.argmax(y, axis=-1)
    elif kind == "binary":
        per = -np.mean(y * np.log(h) + (1 - y) * np.log(1 - h), axis=-1)
        cls = np.round(y[:, 0]).astype(int)
    else:
        per = np.mean((h - y) ** 2, axis=tuple(range(1, h.ndim)))
        cls = None
    cw = np.ones(len(per)) if not c["class_weight"] else np.array([c["class_weight"].get(int(k), 1.0) for k in cls])
    data = float(np.sum(cw * per) / len(per))  # divided by the batch size, not by the sum of the weights
    penalty = sum(l1 * np.sum(np.abs(weights[k])) + l2 * np.sum(weights[k] ** 2) for k, (l1, l2) in c["penalties"].items())
    for i, (l1, l2) in c["activity"].items():
        layer = c["layers"]()[i]
        if isinstance(layer, L.Bidirectional):
            # Keras penalises each direction's copy of the layer on its own output, before the merge (unmasked input here).
            inp = x if i == 0 else mr.numpy_forward(dict(c, loss="mse", layers=lambda i=i: c["layers"]()[:i]), weights, x, np.zeros(1))[1]
            inner = layer.forward_layer
            outs = [mr.np_rnn(inner.get_config(), type(inner).__name__,
                              {k: weights[f"{layer.name}.{part}.{k}"] for k in ("kernel", "recurrent_kernel", "bias")}, inp, None, back, False)
                    for part, back in (("forward", False), ("backward", True))]
        else:
            # The output of layer i: the numpy forward of the layers up to it.
            outs = [mr.numpy_forward(dict(c, loss="mse", layers=lambda i=i: c["layers"]()[:i + 1]), weights, x, np.zeros(1))[1]]
        for hi in outs:
            penalty += (l1 * np.sum(np.abs(hi)) + l2 * np.sum(hi ** 2)) / hi.shape[0]
    others = {}
    if c["penalties"] or c["activity"]:
        others["without_penalties"] = data
    if c["class_weight"]:
        others["without_class_weights"] = float(np.mean(per)) + penalty
    return data + penalty, h, others


# ------------------------------------------------------------------ Keras runs

def _vars(model, weights, npdt):
    var_index = {id(v): i for i, v in enumerate(model.trainable_variables)}
    tv = [None] * len(var_index)
    for k, v in mr.param_keys(model):
        tv[var_index[id(v)]] = jnp.asarray(weights[k].astype(npdt))
    return var_index, tv


def check_regularizers(c, model):
    """Each weight's Keras regularizer is the one the case lists (and none elsewhere)."""
    for k, v in mr.param_keys(model):
        reg = getattr(v, "regularizer", None)
        got = (0.0, 0.0) if reg is None else (float(reg.get_config().get("l1", 0.0)), float(reg.get_config().get("l2", 0.0)))
        want = c["penalties"].get(k, (0.0, 0.0))
        assert np.allclose(got, want, rtol=1e-7, atol=0), (c["name"], k, got, want)


def keras_grad(c, weights, x, y, dtype):
    """loss, output, {key: grad}: jax.value_and_grad of the compiled model's compute_loss_and_updates."""
    mf.set_floatx(dtype)
    npdt = np.float64 if dtype == "f64" else np.float32
    model = mr.build_model(c)
    check_regularizers(c, model)
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=1.0), loss=LOSSES[c["loss"]][1]())
    var_index, tv = _vars(model, weights, npdt)
    ntv = [v.value for v in model.non_trainable_variables]
    mv = [v.value for v in model.metrics_variables]
    ov = [v.value for v in model.optimizer.variables]
    xj = jnp.asarray(x if x.dtype == np.int32 else x.astype(npdt))
    yj = jnp.asarray(target_array(c, y, dtype))
    sw = sample_weights(c, y, dtype)
    swj = None if sw is None else jnp.asarray(sw)

    def f(tv):
        loss, (unscaled, y_pred, _, _) = model.compute_loss_and_updates(
            tv, ntv, mv, xj, yj, swj, training=True, optimizer_variables=ov)
        return loss, (unscaled, y_pred)

    vg = jax.value_and_grad(f, has_aux=True)
    mf.check_jaxpr(vg, tv, dtype)
    (loss, (unscaled, out)), grads = vg(tv)
    assert float(loss) == float(unscaled)  # SGD does no loss scaling
    g = {k: np.asarray(grads[var_index[id(v)]]) for k, v in mr.param_keys(model)}
    for k, arr in g.items():
        assert arr.dtype == npdt and np.all(np.isfinite(arr)), (k, arr.dtype)
    assert np.asarray(loss).dtype == npdt and np.asarray(out).dtype == npdt

    @jax.jit
    def lossf(tv):
        return model.compute_loss_and_updates(tv, ntv, mv, xj, yj, swj, training=True, optimizer_variables=ov)[0]

    return np.asarray(loss), np.asarray(out), g, (lossf, var_index, model)


def keras_sgd_step(c, weights, x, y, dtype):
    """model.train_on_batch(x, y, class_weight=...) with SGD(learning_rate=1): loss and grad = before - after."""
    mf.set_floatx(dtype)
    npdt = np.float64 if dtype == "f64" else np.float32
    model = mr.build_model(c)
    for k, v in mr.param_keys(model):
        v.assign(weights[k].astype(npdt))
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=1.0), loss=LOSSES[c["loss"]][1]())
    loss = model.train_on_batch(x if x.dtype == np.int32 else x.astype(npdt), target_array(c, y, dtype),
                                class_weight=c["class_weight"])
    return float(loss), {k: weights[k].astype(npdt) - np.asarray(v.value) for k, v in mr.param_keys(model)}


def make_case(c, outdir, meta):
    base_seed = zlib.crc32(c["name"].encode()) & 0x7FFFFFFF
    kind = LOSSES[c["loss"]][2]
    for attempt in range(50):
        seed = base_seed + attempt
        weights, x, y = draw(c, seed)
        nl, no, others = numpy_reference(c, weights, x, y)
        if kind != "real" and (no.min() < mf.PROB_MARGIN or no.max() > 1 - mf.PROB_MARGIN):
            print(f"  {c['name']}: seed {seed} rejected (probability near the clipping)")
            continue
        if min(abs(v - nl) for v in others.values()) < 1e-3:
            print(f"  {c['name']}: seed {seed} rejected (penalties / class weights barely change the loss: {others} vs {nl})")
            continue
        l32, o32, g32, _ = keras_grad(c, weights, x, y, "f32")
        with mf.true_float64():
            l64, o64, g64, ctx = keras_grad(c, weights, x, y, "f64")
            fd = mr_finite_diff(ctx, weights)
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
    for dtype, tol_sgd in (("f32", 1e-5), ("f64", 1e-12)):
        if dtype == "f64":
            with mf.true_float64():
                sl, sg = keras_sgd_step(c, weights, x, y, dtype)
        else:
            sl, sg = keras_sgd_step(c, weights, x, y, dtype)
        l, o, g = res[dtype]
        checks[f"sgd_{dtype}"] = max(abs(sl - float(l)) / max(1.0, abs(float(l))), max(mf.max_rel(sg[k], g[k]) for k in g))
        assert checks[f"sgd_{dtype}"] < tol_sgd, (c["name"], checks)
    checks["effect"] = min(abs(v - nl) for v in others.values())
    src = model_source(c)

    d = os.path.join(outdir, c["name"])
    os.makedirs(d, exist_ok=True)
    for f in os.listdir(d):
        os.remove(os.path.join(d, f))
    with open(os.path.join(d, "model.model"), "w") as fh:
        fh.write(src)
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
    return seed, float(l32), float(l64), checks, others, nl, d


def mr_finite_diff(ctx, weights, h=1e-6):
    """Central differences of the f64 training loss, every weight entry."""
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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=mf.DEFAULT_OUT)
    ap.add_argument("--only", nargs="*")
    args = ap.parse_args()
    meta = {"generator": "tools/keras_parity/make_regularizer_fixtures.py",
            "keras": keras.__version__, "jax": jax.__version__, "backend": "jax"}
    os.makedirs(args.out, exist_ok=True)
    for c in CASES:
        if args.only and c["name"] not in args.only:
            continue
        seed, l32, l64, checks, others, nl, d = make_case(c, args.out, meta)
        print(f"{c['name']:40s} seed={seed:<11d} batch={c['batch']} loss32={l32:.7g} loss64={l64:.12g} "
              + " ".join(f"{k}={v:.1e}" for k, v in checks.items()))
        print("    loss " + f"{nl:.6g}; " + ", ".join(f"{k}={v:.6g}" for k, v in others.items()))
        for f in ("weights", "batch", "expected"):
            print(f"    {f}: {mf.describe(os.path.join(d, f + '.safetensors'))}")


if __name__ == "__main__":
    main()
