#!/usr/bin/env python3
"""Keras-parity fixtures for TimeDistributed of layers that act across a step's own axes
(convolutions, pooling, Flatten, recurrent layers, BatchNormalization).

Same layout, Keras runs and seed checks as make_sequence_fixtures.py and make_image_fixtures.py
(whose machinery this reuses, moving statistics and inference output included): one
training-mode forward and backward pass of the real Keras 3 model (JAX backend), in float32 and
in true float64, written to compiler/src/test/resources/parity/td_<case>/.

Keras 3's TimeDistributed calls the wrapped layer once per time step (a Python loop over the
steps, then a stack); modelc folds the steps into the batch. The cases pin down what must agree:
the weights keyed under the wrapper (`time_distributed.kernel`; under Bidirectional
`time_distributed.forward.kernel`), the output, the gradients, and for BatchNormalization the
statistics per step and the moving statistics moved once per step. Token grids (sentences of
words) are drawn here; inputs named `words` hold I32 ids of shape (batch, sentences, words).

Masks (the masked cases): Embedding(mask_zero=True) of a (sentences, words) grid gives a mask of
the words; TimeDistributed hands each step's row of it to the wrapped LSTM or
GlobalAveragePooling1D and passes the whole mask on unchanged, and Keras's recurrent layer (JAX
backend) then counts a sentence as present if any of its words is. One sentence in the LSTM case
is all padding.

Run:  KERAS_BACKEND=jax python make_time_distributed_fixtures.py [--out DIR] [--only CASE ...]
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_fixtures as mf  # noqa: E402
import make_sequence_fixtures as ms  # noqa: E402
import make_image_fixtures as mi  # noqa: E402  (registers its cases in ms.CASES: cleared below)

import jax.numpy as jnp  # noqa: E402
import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras import layers as L  # noqa: E402

ms.CASES.clear()
floats = ms.floats


def _param_keys(model):
    """[(key, variable)]: `<layer>.<weight>`; a wrapper keys what it wraps under its own name, and
    Bidirectional's two layers as `<name>.forward.<weight>` / `<name>.backward.<weight>`."""
    out = []

    def walk(layer, prefix):
        if isinstance(layer, L.Bidirectional):
            for part, sub in (("forward", layer.forward_layer), ("backward", layer.backward_layer)):
                for w in sub.trainable_weights:
                    out.append((f"{prefix}.{part}.{w.name}", w))
        elif isinstance(layer, L.TimeDistributed):
            walk(layer.layer, prefix)
        else:
            for w in layer.trainable_weights:
                out.append((f"{prefix}.{w.name}", w))

    for layer in model.layers:
        walk(layer, layer.name)
    keys = [k for k, _ in out]
    assert len(set(keys)) == len(keys), keys
    return out


mf.param_keys = _param_keys  # used by make_sequence_fixtures' draw, keras_grad and finite_diff


def words(name, sentences, n):
    return keras.Input(shape=(sentences, n), dtype="int32", name=name)


def case(name, src, build, inputs, grid=None, loss="mse", batch=4):
    """`grid`: (vocab, padding) for an input `words` of token ids; padding "none", "some" (every
    sentence keeps a word) or "all" (also a sentence of padding only)."""
    ms.case(name, src, build, inputs, loss=loss, batch=batch)
    ms.CASES[-1]["grid"] = grid


def _seq(x, layers):
    for layer in layers:
        x = layer(x)
    return x


# 1. Video frames: TimeDistributed(Conv2D), (MaxPooling2D), (Flatten) into an LSTM.
case("td_conv2d_pool_flatten_lstm", """
    input x: float[3, 6, 5, 2]
    h = TimeDistributed(Conv2D(3, 2, activation=tanh))(x)
    h = TimeDistributed(MaxPooling2D())(h)
    h = TimeDistributed(Flatten())(h)
    output Dense(2)(LSTM(4)(h))
""", lambda: (lambda x: keras.Model(x, _seq(x, [
    L.TimeDistributed(L.Conv2D(3, 2, activation="tanh", name="conv2d"), name="time_distributed"),
    L.TimeDistributed(L.MaxPooling2D(name="max_pooling2d"), name="time_distributed_1"),
    L.TimeDistributed(L.Flatten(name="flatten"), name="time_distributed_2"),
    L.LSTM(4, name="lstm"), L.Dense(2, name="dense")])))(floats("x", 3, 6, 5, 2)),
     {"x": ("float", (3, 6, 5, 2))})

# 2. Sentences of words: TimeDistributed(Conv1D), (GlobalMaxPooling1D) into a GRU.
case("td_conv1d_global_max_gru", """
    input words: int[3, 7]
    e = Embedding(11, 4)(words)
    c = TimeDistributed(Conv1D(4, 3, padding=same, activation=tanh))(e)
    p = TimeDistributed(GlobalMaxPooling1D())(c)
    output Dense(2)(GRU(3)(p))
""", lambda: (lambda w: keras.Model(w, _seq(w, [
    L.Embedding(11, 4, name="embedding"),
    L.TimeDistributed(L.Conv1D(4, 3, padding="same", activation="tanh", name="conv1d"), name="time_distributed"),
    L.TimeDistributed(L.GlobalMaxPooling1D(name="global_max_pooling1d"), name="time_distributed_1"),
    L.GRU(3, name="gru"), L.Dense(2, name="dense")])))(words("words", 3, 7)),
     {"words": ("float", (3, 7))}, grid=(11, "none"))

# 3. Hierarchical text with masks: an LSTM over each sentence's words, an LSTM over the sentences.
case("td_masked_lstm_hierarchical", """
    input words: int[4, 6]
    e = Embedding(11, 4, mask_zero=true)(words)
    s = TimeDistributed(LSTM(3))(e)
    output Dense(2)(LSTM(3)(s))
""", lambda: (lambda w: keras.Model(w, _seq(w, [
    L.Embedding(11, 4, mask_zero=True, name="embedding"),
    L.TimeDistributed(L.LSTM(3, name="lstm"), name="time_distributed"),
    L.LSTM(3, name="lstm_1"), L.Dense(2, name="dense")])))(words("words", 4, 6)),
     {"words": ("float", (4, 6))}, grid=(11, "all"))

# 4. The mean of each sentence's unmasked words.
case("td_masked_global_average", """
    input words: int[3, 6]
    e = Embedding(11, 4, mask_zero=true)(words)
    h = TimeDistributed(Dense(3, activation=tanh))(e)
    p = TimeDistributed(GlobalAveragePooling1D())(h)
    output Dense(2)(Flatten()(p))
""", lambda: (lambda w: keras.Model(w, _seq(w, [
    L.Embedding(11, 4, mask_zero=True, name="embedding"),
    L.TimeDistributed(L.Dense(3, activation="tanh", name="dense"), name="time_distributed"),
    L.TimeDistributed(L.GlobalAveragePooling1D(name="global_average_pooling1d"), name="time_distributed_1"),
    L.Flatten(name="flatten"), L.Dense(2, name="dense_1")])))(words("words", 3, 6)),
     {"words": ("float", (3, 6))}, grid=(11, "some"))

# 5. BatchNormalization per frame (statistics over the batch, rows and columns of each step).
case("td_batch_norm_frames", """
    input x: float[3, 4, 3, 2]
    h = TimeDistributed(Conv2D(3, 2, padding=same, use_bias=false))(x)
    h = TimeDistributed(BatchNormalization(momentum=0.8))(h)
    h = TimeDistributed(Flatten())(Activation(tanh)(h))
    output Dense(2)(SimpleRNN(3)(h))
""", lambda: (lambda x: keras.Model(x, _seq(x, [
    L.TimeDistributed(L.Conv2D(3, 2, padding="same", use_bias=False, name="conv2d"), name="time_distributed"),
    L.TimeDistributed(L.BatchNormalization(momentum=0.8, name="batch_normalization"), name="time_distributed_1"),
    L.Activation("tanh", name="activation"),
    L.TimeDistributed(L.Flatten(name="flatten"), name="time_distributed_2"),
    L.SimpleRNN(3, name="simple_rnn"), L.Dense(2, name="dense")])))(floats("x", 3, 4, 3, 2)),
     {"x": ("float", (3, 4, 3, 2))}, batch=5)

# 6. BatchNormalization of each step's features (no spatial axes), and a Bidirectional GRU per step.
case("td_batch_norm_bidirectional_gru", """
    input x: float[3, 5, 2]
    h = TimeDistributed(Bidirectional(GRU(3, return_sequences=true)))(x)
    h = TimeDistributed(TimeDistributed(Dense(2, use_bias=false)))(h)
    h = TimeDistributed(BatchNormalization(center=false, epsilon=0.01))(TimeDistributed(Flatten())(h))
    output Dense(2)(Flatten()(Activation(tanh)(h)))
""", lambda: (lambda x: keras.Model(x, _seq(x, [
    L.TimeDistributed(L.Bidirectional(L.GRU(3, return_sequences=True, name="gru"), name="bidirectional"), name="time_distributed"),
    L.TimeDistributed(L.TimeDistributed(L.Dense(2, use_bias=False, name="dense"), name="time_distributed_1"), name="time_distributed_2"),
    L.TimeDistributed(L.Flatten(name="flatten"), name="time_distributed_4"),
    L.TimeDistributed(L.BatchNormalization(center=False, epsilon=0.01, name="batch_normalization"), name="time_distributed_3"),
    L.Activation("tanh", name="activation"),
    L.Flatten(name="flatten_1"), L.Dense(2, name="dense_1")])))(floats("x", 3, 5, 2)),
     {"x": ("float", (3, 5, 2))}, batch=5)


def tokens(rng, batch, sentences, n, vocab, padding):
    """Ids in [1, vocab) with 0 as padding: per sentence none, right or left padding; with "all"
    the second sentence of the first row is padding only."""
    t = rng.integers(1, vocab, size=(batch, sentences, n))
    if padding != "none":
        pads = [(0, 0), (0, 2), (3, 0), (0, 4), (1, 1), (0, n - 1)]  # (left, right), each keeps a word
        k = 0
        for r in range(batch):
            for s in range(sentences):
                left, right = pads[k % len(pads)]
                k += 1
                t[r, s, :left] = 0
                if right:
                    t[r, s, n - right:] = 0
        if padding == "all":
            t[0, 1, :] = 0
    return t.astype(np.int32)


def draw(c, seed):
    weights, xs, y = mi.draw(c, seed)
    if c.get("grid"):
        vocab, padding = c["grid"]
        shape = c["inputs"]["words"][1]
        xs["words"] = tokens(np.random.default_rng(seed + 11), c["batch"], shape[0], shape[1], vocab, padding)
    return weights, xs, y


def extra(c, weights, xs, dtype):
    """As make_image_fixtures.extra (the inference output and the moving statistics after one
    training-mode call, for models with BatchNormalization), where the recurrent layers' seed
    generators are non-trainable variables too: they keep their own values."""
    mf.set_floatx(dtype)
    npdt = np.float64 if dtype == "f64" else np.float32
    model = c["build"]()
    moving = {id(w): k for k, w in mi.moving_keys(model) if k.endswith(("moving_mean", "moving_variance"))}
    if not moving:
        return {}
    trainable = {id(v): k for k, v in mf.param_keys(model)}
    tv = [jnp.asarray(weights[trainable[id(v)]].astype(npdt)) for v in model.trainable_variables]
    ntv = [jnp.asarray(weights[moving[id(v)]].astype(npdt)) if id(v) in moving else v.value for v in model.non_trainable_variables]
    xj = ms.cast_inputs(xs, npdt)
    _, updated = model.stateless_call(tv, ntv, xj, training=True)
    inference, _ = model.stateless_call(tv, ntv, xj, training=False)
    out = {"inference_output": np.asarray(inference)}
    for v, u in zip(model.non_trainable_variables, updated):
        if id(v) in moving:
            out["moving." + moving[id(v)]] = np.asarray(u)
    return out


if __name__ == "__main__":
    ms.main(ms.CASES, "tools/keras_parity/make_time_distributed_fixtures.py", None, draw, extra)
