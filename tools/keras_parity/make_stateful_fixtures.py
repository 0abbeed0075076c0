#!/usr/bin/env python3
"""Keras-parity fixtures for stateful recurrent layers (stateful=True), over consecutive batches.

For each case, under compiler/src/test/resources/stateful_parity/<case>/:

  model.model                          the modelc source (input ..., batch_size=B)
  weights[_f64].safetensors            every weight as `<layer>.<weight>` (Keras layout)
  batch_<k>[_f64].safetensors          batch k (k = 0, 1, 2): the input(s) and `target`
  expected_<k>[_f64].safetensors       for batch k, starting from the states batch k-1 left:
                                         `loss`, `output`, `grad.<key>` (one training-mode forward
                                         and backward pass, no update), and `state.<layer>.states.<i>`
                                         (`state.bidirectional.forward.states.<i>`): the layer's
                                         states after the batch, Keras's layer.states

How the values are made (Keras 3, JAX backend): the model is built on
keras.Input(batch_shape=(B, ...)) with stateful=True layers. For each batch, first
jax.value_and_grad over model.stateless_call(..., training=True) with the Keras loss: the
stateless call reads the layers' state variables as they are (the previous batch's final
states) and discards its assignments, so this is the batch's loss and gradients from the
carried states. Then the eager call model(x) runs the batch for real, which assigns the
final states to layer.states; its output must equal the stateless one.

Keras 3.15 on JAX does *not* carry the states through fit/evaluate/predict/train_on_batch: the
state variables are created untracked (`no_automatic_dependency_tracking`), so the jitted
steps never write them back and every batch starts from zeros. Only eager calls carry them,
which is what these fixtures use: they pin down the documented semantics (and those of the
TensorFlow backend and Keras 2), not that JAX-backend quirk.

float64: floatx float64 with jax_enable_x64 and make_fixtures.true_float64 (Keras's JAX backend
otherwise runs tanh and the loss in float32), the traced computation checked to hold no
float32; the same weights and inputs widened.

Run:  KERAS_BACKEND=jax python make_stateful_fixtures.py [--out DIR]
"""
import argparse
import os
import sys
import zlib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_fixtures as mf  # noqa: E402

import jax  # noqa: E402
import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras import layers as L  # noqa: E402

DEFAULT_OUT = os.path.join(mf.REPO, "compiler", "src", "test", "resources", "stateful_parity")
BATCHES = 3
CASES = []


def case(name, src, layers, inp, batch, target):
    CASES.append(dict(name=name, src=src, layers=layers, inp=inp, batch=batch, target=target))


# A GRU (reset_after) ending in its last state; mse on 2 outputs.
case("stateful_gru", "GRU(4, stateful=true)\n    Dense(2)",
     lambda: [L.GRU(4, stateful=True, name="gru"), L.Dense(2, name="dense")],
     ("float", (5, 2)), 3, (2,))
# An LSTM going backwards, every step returned; a per-step Dense.
case("stateful_lstm_backwards_sequences", "LSTM(3, stateful=true, go_backwards=true, return_sequences=true)\n    Dense(2)",
     lambda: [L.LSTM(3, stateful=True, go_backwards=True, return_sequences=True, name="lstm"), L.Dense(2, name="dense")],
     ("float", (4, 2)), 4, (4, 2))
# Bidirectional GRU: each direction keeps its own states (forward_layer.states, backward_layer.states).
case("stateful_bidirectional_gru", "Bidirectional(GRU(3, stateful=true))\n    Dense(1)",
     lambda: [L.Bidirectional(L.GRU(3, stateful=True), name="bidirectional"), L.Dense(1, name="dense")],
     ("float", (4, 3)), 3, (1,))
# SimpleRNN with sum-merged directions.
case("stateful_bidirectional_simple_rnn_sum", "Bidirectional(SimpleRNN(3, stateful=true), merge_mode=sum)\n    Dense(1)",
     lambda: [L.Bidirectional(L.SimpleRNN(3, stateful=True), merge_mode="sum", name="bidirectional"), L.Dense(1, name="dense")],
     ("float", (4, 3)), 3, (1,))
# Masked steps keep the state, across batches too: row 1 of batch 1 is all padding.
case("stateful_masked_gru", "Embedding(8, 3, mask_zero=true)\n    GRU(4, stateful=true, reset_after=false)\n    Dense(1)",
     lambda: [L.Embedding(8, 3, mask_zero=True, name="embedding"), L.GRU(4, stateful=True, reset_after=False, name="gru"),
              L.Dense(1, name="dense")],
     ("int", (5,)), 3, (1,))


def build(c, dtype):
    mf.set_floatx(dtype)
    kind, shape = c["inp"]
    inp = keras.Input(batch_shape=(c["batch"],) + shape, dtype="int32" if kind == "int" else None, name="x")
    h = inp
    layers = c["layers"]()
    for layer in layers:
        h = layer(h)
    return keras.Model(inp, h), layers


def keyed(layers):
    """modelc key -> Keras variable, for every weight."""
    out = {}
    for layer in layers:
        if isinstance(layer, L.Bidirectional):
            for d, sub in (("forward", layer.forward_layer), ("backward", layer.backward_layer)):
                for w in sub.weights:
                    out[f"{layer.name}.{d}.{w.name}"] = w
        else:
            for w in layer.weights:
                out[f"{layer.name}.{w.name}"] = w
    return out


def states(layers):
    out = {}
    for layer in layers:
        if isinstance(layer, L.Bidirectional):
            for d, sub in (("forward", layer.forward_layer), ("backward", layer.backward_layer)):
                for i, v in enumerate(sub.states):
                    out[f"state.{layer.name}.{d}.states.{i}"] = np.array(v.value)
        elif getattr(layer, "stateful", False):
            for i, v in enumerate(layer.states):
                out[f"state.{layer.name}.states.{i}"] = np.array(v.value)
    return out


def draw(c, rng):
    kind, shape = c["inp"]
    b = c["batch"]
    xs, ys = [], []
    for k in range(BATCHES):
        if kind == "int":
            x = rng.integers(1, 8, size=(b,) + shape).astype(np.int32)
            for r in range(b):  # padding in front, of varying length
                x[r, : rng.integers(0, shape[0] // 2 + 1)] = 0
            if k == 1:
                x[1, :] = 0  # a row with no step at all keeps its states through the batch
        else:
            x = rng.normal(size=(b,) + shape).astype(np.float32)
        xs.append(x)
        ys.append(rng.normal(size=(b,) + c["target"]).astype(np.float32))
    return xs, ys


def run(c, weights, xs, ys, dtype):
    model, layers = build(c, dtype)
    vars_ = keyed(layers)
    assert set(vars_) == set(weights), (sorted(vars_), sorted(weights))
    for k, v in vars_.items():
        v.assign(weights[k].astype(dtype == "f64" and np.float64 or np.float32))
    loss_obj = keras.losses.MeanSquaredError()
    tv = model.trainable_variables
    names = {id(v): k for k, v in vars_.items()}
    results = []
    for x, y in zip(xs, ys):
        xin = x if x.dtype == np.int32 else x.astype(np.float64 if dtype == "f64" else np.float32)
        yin = y.astype(np.float64 if dtype == "f64" else np.float32)
        ntv = [v.value for v in model.non_trainable_variables]

        def loss_fn(tvals):
            out, _ = model.stateless_call(tvals, ntv, xin, training=True)
            return loss_obj(yin, out), out

        vg = jax.value_and_grad(loss_fn, has_aux=True)
        mf.check_jaxpr(vg, [v.value for v in tv], dtype)  # no float32 in a float64 run (see mf.true_float64)
        (loss, out), grads = vg([v.value for v in tv])
        eager = np.array(model(xin))
        assert np.allclose(eager, np.array(out), rtol=1e-5 if dtype == "f32" else 1e-12, atol=1e-6 if dtype == "f32" else 1e-13)
        r = {"loss": np.array(loss), "output": np.array(out)}
        for v, g in zip(tv, grads):
            r["grad." + names[id(v)]] = np.array(g)
        r.update(states(layers))
        results.append(r)
    return results


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=DEFAULT_OUT)
    args = ap.parse_args()
    meta = {"backend": "jax", "generator": "tools/keras_parity/make_stateful_fixtures.py", "jax": jax.__version__,
            "keras": keras.__version__}
    os.makedirs(args.out, exist_ok=True)
    for c in CASES:
        rng = np.random.default_rng(zlib.crc32(c["name"].encode()))
        model, layers = build(c, "f32")
        weights = {k: (rng.normal(size=v.shape) * 0.5).astype(np.float32) for k, v in sorted(keyed(layers).items())}
        xs, ys = draw(c, rng)
        f32 = run(c, weights, xs, ys, "f32")
        with mf.true_float64():
            f64 = run(c, {k: v.astype(np.float64) for k, v in weights.items()}, xs, ys, "f64")
        for a, b in zip(f32, f64):
            for k in a:
                scale = max(1e-6, float(np.max(np.abs(b[k]))))
                assert np.max(np.abs(a[k] - b[k])) / scale < 1e-4, (c["name"], k)
        # The states must move: each batch ends elsewhere than zero and than the batch before.
        keys = [k for k in f64[0] if k.startswith("state.")]
        assert keys and all(np.abs(f64[0][k]).max() > 0.05 for k in keys)
        d = os.path.join(args.out, c["name"])
        os.makedirs(d, exist_ok=True)
        kind, shape = c["inp"]
        with open(os.path.join(d, "model.model"), "w") as fh:
            fh.write(f"sequential {mf.camel(c['name'])} {{\n    input x: {kind}[{', '.join(map(str, shape))}], batch_size={c['batch']}\n"
                     f"    {c['src']}\n    compile(loss=mean_squared_error, optimizer=sgd)\n}}\n")
        mf.save_file(weights, os.path.join(d, "weights.safetensors"))
        mf.save_file({k: v.astype(np.float64) for k, v in weights.items()}, os.path.join(d, "weights_f64.safetensors"))
        for k in range(BATCHES):
            x = xs[k]
            mf.save_file({"x": x, "target": ys[k]}, os.path.join(d, f"batch_{k}.safetensors"))
            mf.save_file({"x": x if x.dtype == np.int32 else x.astype(np.float64), "target": ys[k].astype(np.float64)},
                         os.path.join(d, f"batch_{k}_f64.safetensors"))
            mf.save_file({n: v.astype(np.float32) for n, v in f32[k].items()}, os.path.join(d, f"expected_{k}.safetensors"), meta)
            mf.save_file({n: v.astype(np.float64) for n, v in f64[k].items()}, os.path.join(d, f"expected_{k}_f64.safetensors"), meta)
        print(c["name"], "ok:", ", ".join(f"batch {k} loss {float(f64[k]['loss']):.6f}" for k in range(BATCHES)))
    with open(os.path.join(args.out, "cases.txt"), "w") as fh:
        fh.write("".join(c["name"] + "\n" for c in CASES))


if __name__ == "__main__":
    main()
