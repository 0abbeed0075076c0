#!/usr/bin/env python3
"""Generate Keras-parity fixtures for `modelc grad`.

For every case this writes, under compiler/src/test/resources/parity/<case>/:

  model.model               the modelc source of the model
  weights.safetensors       F32, one tensor per weight, key `<layer>.<weight>` (Keras layout)
  batch.safetensors         F32 inputs keyed by input name, plus `target`
                            (sparse targets I32)
  expected.safetensors      F32 `loss` (scalar), `output`, `grad.<layer>.<weight>`
  weights_f64.safetensors   the same weight values widened to F64
  batch_f64.safetensors     the same inputs widened to F64 (sparse targets I64)
  expected_f64.safetensors  Keras run with floatx=float64 (jax_enable_x64; see true_float64)
and parity/cases.txt (the case names, one a line).

The expected values are one training-mode forward/backward pass of the real Keras 3
(JAX backend) model: jax.value_and_grad over model.stateless_call(..., training=True)
followed by the Keras loss object (default reduction "sum_over_batch_size").
The float32 run is stock Keras (jax_enable_x64 off); the traced jaxpr of each run is
checked to hold floats of its own precision only. Before anything is written the values
are checked against independent methods:
  * one step of keras.optimizers.SGD(learning_rate=1) via model.compile/train_on_batch
    (so the compiled-loss path agrees): grad == w_before - w_after, f32 and f64;
  * central finite differences of the float64 loss, every parameter;
  * a plain numpy float64 forward pass + loss written from the Keras formulas;
  * float32 against float64.
Everything is seeded (numpy default_rng, seed from crc32 of the case name, advanced until
no pre-activation sits within 1e-2 of an activation's kink, every piece of a piecewise
activation is hit, and softmax/sigmoid outputs stay clear of Keras's 1e-7 clipping), and
the output files are byte-for-byte reproducible.

Run:  KERAS_BACKEND=jax python make_fixtures.py [--out DIR] [--only CASE ...]
"""
import argparse
import json
import re
import struct
import os
import sys
import zlib

os.environ.setdefault("KERAS_BACKEND", "jax")

import jax  # noqa: E402

jax.config.update("jax_enable_x64", True)  # float64 must really be float64 (see set_floatx)

import jax.numpy as jnp  # noqa: E402
import keras  # noqa: E402
import numpy as np  # noqa: E402
import scipy.special  # noqa: E402  (ships with keras's dependencies)
from safetensors.numpy import load_file  # noqa: E402  (reads back what save_file wrote)

if keras.backend.backend() != "jax":
    sys.exit("set KERAS_BACKEND=jax")

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DEFAULT_OUT = os.path.join(REPO, "compiler", "src", "test", "resources", "parity")


# ------------------------------------------------------------------ safetensors writer
#
# Written here rather than with safetensors.numpy.save_file, whose __metadata__ key order
# changes from run to run: this one is byte-for-byte reproducible (tensors and metadata in
# key order, header padded with spaces to a multiple of 8). Read back with the package.

ST_DTYPES = {np.dtype(np.float32): "F32", np.dtype(np.float64): "F64",
             np.dtype(np.int32): "I32", np.dtype(np.int64): "I64"}


def save_file(tensors, path, metadata=None):
    header, blobs, offset = {}, [], 0
    if metadata:
        header["__metadata__"] = {k: metadata[k] for k in sorted(metadata)}
    for key in sorted(tensors):
        a = np.asarray(tensors[key])
        raw = a.astype(a.dtype.newbyteorder("<"), copy=False).tobytes(order="C")
        header[key] = {"dtype": ST_DTYPES[a.dtype], "shape": list(a.shape),
                       "data_offsets": [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * (-len(h) % 8)
    with open(path, "wb") as fh:
        fh.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))


# ------------------------------------------------------------------ case table
#
# layers: list of ("flatten",) or ("dense", units, keras_activation, modelc_activation)
#   keras_activation is a string or a callable; modelc_activation is the text after
#   `activation=` in the .model file (None: no activation argument, i.e. linear).
# target: "sparse" (int class ids), "binary" (0/1 floats), "onehot", "real".
# kinks: pre-activation points where the activation (or its derivative) is not smooth;
#   seeds are advanced until every pre-activation is at least KINK_MARGIN away from them,
#   so float32 rounding in another implementation cannot flip a branch.

def _gelu_tanh(x):
    return keras.activations.gelu(x, approximate=True)


ACTS = {
    # name: (keras activation, modelc text, kinks)
    "relu": ("relu", "relu", [0.0]),
    "relu6": ("relu6", "relu6", [0.0, 6.0]),
    "leaky_relu": ("leaky_relu", "leaky_relu", [0.0]),
    "hard_sigmoid": ("hard_sigmoid", "hard_sigmoid", [-3.0, 3.0]),
    "softsign": ("softsign", "softsign", [0.0]),
    "mish": ("mish", "mish", []),
    "selu": ("selu", "selu", [0.0]),
    "gelu": ("gelu", "gelu", []),
    "gelu_approx": (_gelu_tanh, "gelu(approximate=true)", []),
    "sigmoid": ("sigmoid", "sigmoid", []),
    "tanh": ("tanh", "tanh", []),
    "softplus": ("softplus", "softplus", []),
    "elu": ("elu", "elu", [0.0]),
    "exponential": ("exponential", "exponential", []),
    "silu": ("silu", "silu", []),
    "swish": ("swish", "swish", []),
    "softmax": ("softmax", "softmax", []),
    "linear": (None, None, []),
}


def dense(units, act):
    k, m, kinks = ACTS[act]
    return ("dense", units, k, m, kinks)


def camel(name):
    return "".join(p[:1].upper() + p[1:] for p in name.split("_"))


CASES = [
    dict(name="mlp_sparse", input_shape=(4, 3),
         layers=[("flatten",), dense(8, "relu"), dense(6, "tanh"), dense(5, "softmax")],
         loss=lambda: keras.losses.SparseCategoricalCrossentropy(),
         loss_src="sparse_categorical_crossentropy", metrics="[accuracy]",
         batch=7, target="sparse"),
    dict(name="mlp_binary", input_shape=(6,),
         layers=[dense(5, "elu"), dense(1, "sigmoid")],
         loss=lambda: keras.losses.BinaryCrossentropy(),
         loss_src="binary_crossentropy", metrics="[accuracy]",
         batch=5, target="binary"),
    dict(name="mlp_categorical", input_shape=(5,),
         layers=[dense(7, "gelu"), dense(4, "softmax")],
         loss=lambda: keras.losses.CategoricalCrossentropy(),
         loss_src="categorical_crossentropy", metrics="[accuracy]",
         batch=5, target="onehot"),
    dict(name="mlp_mse", input_shape=(3,),
         layers=[dense(4, "swish"), dense(2, "linear")],
         loss=lambda: keras.losses.MeanSquaredError(),
         loss_src="mean_squared_error", metrics=None,
         batch=7, target="real"),
    dict(name="mlp_mae", input_shape=(3,),
         layers=[dense(4, "softplus"), dense(3, "selu")],
         loss=lambda: keras.losses.MeanAbsoluteError(),
         loss_src="mean_absolute_error", metrics=None,
         batch=5, target="real"),
    dict(name="logits", input_shape=(4,),
         layers=[dense(3, "linear")],
         loss=lambda: keras.losses.SparseCategoricalCrossentropy(from_logits=True),
         loss_src="SparseCategoricalCrossentropy(from_logits=true)", metrics=None,
         batch=5, target="sparse"),
]

ACT_CASES = ["relu6", "leaky_relu", "hard_sigmoid", "softsign", "mish", "selu", "gelu",
             "gelu_approx", "sigmoid", "tanh", "softplus", "elu", "exponential", "silu"]
for _a in ACT_CASES:
    CASES.append(dict(name="act_" + _a, input_shape=(4,),
                      layers=[dense(5, _a), dense(1, "linear")],
                      loss=lambda: keras.losses.MeanSquaredError(),
                      loss_src="mean_squared_error", metrics=None,
                      batch=5, target="real",
                      # spread the inputs so the piecewise activations see every piece
                      input_scale={"relu6": 4.0, "hard_sigmoid": 2.5}.get(_a, 1.0)))

INPUT_NAME = "x"
KINK_MARGIN = 1e-2
PROB_MARGIN = 1e-3  # probabilities must stay away from Keras's epsilon clipping


# ------------------------------------------------------------------ model

def layer_names(case):
    """Keras auto-names: flatten, flatten_1, ...; dense, dense_1, ..."""
    counts, names = {}, []
    for spec in case["layers"]:
        kind = spec[0]
        n = counts.get(kind, 0)
        counts[kind] = n + 1
        names.append(kind if n == 0 else f"{kind}_{n}")
    return names


def build_model(case):
    inp = keras.Input(shape=case["input_shape"], name=INPUT_NAME)
    h = inp
    for spec, lname in zip(case["layers"], layer_names(case)):
        if spec[0] == "flatten":
            h = keras.layers.Flatten(name=lname)(h)
        else:
            _, units, kact, _, _ = spec
            h = keras.layers.Dense(units, activation=kact, name=lname)(h)
    return keras.Model(inp, h, name=camel(case["name"]))


def model_source(case):
    lines = [f"sequential {camel(case['name'])} {{",
             f"    input {INPUT_NAME}: float[{', '.join(map(str, case['input_shape']))}]"]
    for spec in case["layers"]:
        if spec[0] == "flatten":
            lines.append("    Flatten()")
        else:
            _, units, _, mact, _ = spec
            lines.append(f"    Dense({units}" + (f", activation={mact}" if mact else "") + ")")
    comp = f"loss={case['loss_src']}, optimizer=adam"
    if case["metrics"]:
        comp += f", metrics={case['metrics']}"
    lines.append(f"    compile({comp})")
    lines.append("}")
    return "\n".join(lines) + "\n"


def param_keys(model):
    """[(key, variable)] for trainable weights, key `<layer>.<weight>`."""
    out = []
    for layer in model.layers:
        for w in layer.trainable_weights:
            out.append((f"{layer.name}.{w.name}", w))
    return out


# ------------------------------------------------------------------ data

def draw(case, seed):
    """Weights (dict key -> float64 array rounded to float32), input and target."""
    rng = np.random.default_rng(seed)
    model = build_model(case)  # only for shapes / keys
    weights = {}
    for key, v in param_keys(model):
        shape = tuple(v.shape)
        if key.endswith(".kernel"):
            fan_in = shape[0]
            a = rng.uniform(-1.0, 1.0, size=shape) * min(1.0, 1.6 / np.sqrt(fan_in))
            a = np.where(np.abs(a) < 0.05, np.sign(a + 1e-12) * 0.05, a)
        else:  # bias: non-zero, O(0.1)
            a = rng.uniform(0.05, 0.5, size=shape) * rng.choice([-1.0, 1.0], size=shape)
        weights[key] = a.astype(np.float32).astype(np.float64)
    b = case["batch"]
    x = rng.normal(0.0, case.get("input_scale", 1.0), size=(b,) + case["input_shape"])
    x = x.astype(np.float32).astype(np.float64)
    out_units = case["layers"][-1][1]
    t = case["target"]
    if t == "sparse":
        y = rng.integers(0, out_units, size=(b,))
        y[:min(b, out_units)] = np.arange(min(b, out_units))  # every class at least once
        rng.shuffle(y)
    elif t == "binary":
        y = np.zeros((b, out_units))
        y[: (b + 1) // 2] = 1.0
        rng.shuffle(y)
    elif t == "onehot":
        ids = rng.integers(0, out_units, size=(b,))
        y = np.eye(out_units)[ids]
    else:
        y = rng.normal(0.0, 1.0, size=(b, out_units)).astype(np.float32).astype(np.float64)
    return weights, x, y


def preactivations(case, weights, x):
    """Pre-activation values of every dense layer (float64 numpy forward pass)."""
    h, pres = x.reshape(x.shape[0], -1) if case["layers"][0][0] == "flatten" else x, []
    model = build_model(case)
    acts = {l.name: l for l in model.layers}
    for spec, lname in zip(case["layers"], layer_names(case)):
        if spec[0] == "flatten":
            continue
        z = h @ weights[lname + ".kernel"] + weights[lname + ".bias"]
        pres.append((spec, z))
        h = np.asarray(acts[lname].activation(jnp.asarray(z)))
    return pres, h


def acceptable(case, weights, x, y):
    pres, out = preactivations(case, weights, x)
    for spec, z in pres:
        kinks = sorted(spec[4])
        for k in kinks:
            if np.min(np.abs(z - k)) < KINK_MARGIN:
                return False
        # every piece of a piecewise activation is exercised at least once
        edges = [-np.inf] + kinks + [np.inf]
        if any(not np.any((z > lo) & (z < hi)) for lo, hi in zip(edges[:-1], edges[1:])):
            return False
    act = case["layers"][-1][2]
    if act in ("softmax", "sigmoid"):
        if np.min(out) < PROB_MARGIN or np.max(out) > 1 - PROB_MARGIN:
            return False
    if case["loss_src"] == "mean_absolute_error" and np.min(np.abs(out - y)) < KINK_MARGIN:
        return False  # |output - target| has a kink at 0
    return True


# ------------------------------------------------------------------ Keras runs

class true_float64:
    """Keras 3's JAX backend maps every float64 result type to float32
    (keras/src/backend/common/dtypes.py, BIT64_TO_BIT32_DTYPE, "to be aligned with JAX's
    default behavior"), even with jax_enable_x64 on and floatx float64, so ops such as
    tanh silently run in float32. During the float64 runs that mapping is lifted; the
    traced computation is then checked to hold no float32 at all (see check_jaxpr)."""

    def __enter__(self):
        from keras.src.backend.common import dtypes as kd
        self.kd, self.saved = kd, kd.BIT64_TO_BIT32_DTYPE.get("float64")
        kd.BIT64_TO_BIT32_DTYPE["float64"] = "float64"
        kd._resolve_weak_type.cache_clear()

    def __exit__(self, *exc):
        self.kd.BIT64_TO_BIT32_DTYPE["float64"] = self.saved
        return False


def check_jaxpr(fun, args, dtype):
    """The whole traced computation (forward, loss, backward) uses only `dtype` floats."""
    text = str(jax.make_jaxpr(fun)(args))
    other = "f32" if dtype == "f64" else "f64"
    if re.search(r"\b" + other + r"\b", text) or re.search(r"\b(bf16|f16)\b", text):
        raise AssertionError(f"{other} found in the {dtype} computation:\n{text}")


def set_floatx(dtype):
    # Both: layers take their dtype from the global dtype policy, which is fixed from
    # floatx the first time it is read, so set_floatx alone does not reach new layers.
    name = "float64" if dtype == "f64" else "float32"
    # float32 runs as stock Keras runs: without x64 (with it, e.g. the sparse crossentropy's
    # one_hot would silently be float64).
    jax.config.update("jax_enable_x64", dtype == "f64")
    keras.config.set_floatx(name)
    keras.config.set_dtype_policy(name)


def keras_grad(case, weights, x, y, dtype):
    """loss, output, {key: grad} from jax.value_and_grad over stateless_call."""
    set_floatx(dtype)
    npdt = np.float64 if dtype == "f64" else np.float32
    model = build_model(case)
    keys = [k for k, _ in param_keys(model)]
    var_index = {id(v): i for i, v in enumerate(model.trainable_variables)}
    tv = [None] * len(keys)
    for k, v in param_keys(model):
        tv[var_index[id(v)]] = jnp.asarray(weights[k].astype(npdt))
    ntv = [v.value for v in model.non_trainable_variables]
    loss_obj = case["loss"]()
    xj = jnp.asarray(x.astype(npdt))
    yj = jnp.asarray(y.astype(np.int64 if dtype == "f64" else np.int32)) \
        if case["target"] == "sparse" else jnp.asarray(y.astype(npdt))

    def f(tv):
        out, _ = model.stateless_call(tv, ntv, xj, training=True)
        return loss_obj(yj, out), out

    vg = jax.value_and_grad(f, has_aux=True)
    check_jaxpr(vg, tv, dtype)
    (loss, out), grads = vg(tv)
    g = {k: np.asarray(grads[var_index[id(v)]]) for k, v in param_keys(model)}
    assert all(l.compute_dtype == np.dtype(npdt).name for l in model.layers)
    assert all(v.dtype == np.dtype(npdt).name for v in model.trainable_variables)
    for k, arr in g.items():
        assert arr.dtype == npdt, (k, arr.dtype)
    assert np.asarray(loss).dtype == npdt and np.asarray(out).dtype == npdt, (np.asarray(loss).dtype, np.asarray(out).dtype)
    return np.asarray(loss), np.asarray(out), g, loss_obj


def keras_sgd_step(case, weights, x, y, dtype):
    """Second method: compiled model, one SGD(lr=1) step, grad = before - after."""
    set_floatx(dtype)
    npdt = np.float64 if dtype == "f64" else np.float32
    model = build_model(case)
    for k, v in param_keys(model):
        v.assign(weights[k].astype(npdt))
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=1.0), loss=case["loss"]())
    yy = y.astype(np.int64) if case["target"] == "sparse" else y.astype(npdt)
    loss = model.train_on_batch(x.astype(npdt), yy)
    return float(loss), {k: weights[k].astype(npdt) - np.asarray(v.value)
                         for k, v in param_keys(model)}


def finite_diff(case, weights, x, y, h=1e-6):
    """Third method: central differences of the float64 Keras loss, every parameter."""
    set_floatx("f64")
    model = build_model(case)
    var_index = {id(v): i for i, v in enumerate(model.trainable_variables)}
    keys = [(k, var_index[id(v)]) for k, v in param_keys(model)]
    ntv = [v.value for v in model.non_trainable_variables]
    loss_obj = case["loss"]()
    xj = jnp.asarray(x)
    yj = jnp.asarray(y.astype(np.int64)) if case["target"] == "sparse" else jnp.asarray(y)
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


# ------------------------------------------------------------------ numpy reference
#
# Plain float64 numpy formulas of the forward pass and loss, written from the Keras 3
# definitions, as an independent check that the fixtures mean what the README says.

SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


def _sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def _softplus(z):
    return np.logaddexp(0.0, z)


def _softmax(z):
    e = np.exp(z - z.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


NP_ACTS = {
    "relu": lambda z: np.maximum(z, 0.0),
    "relu6": lambda z: np.clip(z, 0.0, 6.0),
    "leaky_relu": lambda z: np.where(z > 0, z, 0.2 * z),
    "hard_sigmoid": lambda z: np.clip(z / 6.0 + 0.5, 0.0, 1.0),
    "softsign": lambda z: z / (1.0 + np.abs(z)),
    "mish": lambda z: z * np.tanh(_softplus(z)),
    "selu": lambda z: SELU_SCALE * np.where(z > 0, z, SELU_ALPHA * np.expm1(z)),
    "gelu": lambda z: 0.5 * z * (1.0 + scipy.special.erf(z / np.sqrt(2.0))),
    "gelu_approx": lambda z: 0.5 * z * (1.0 + np.tanh(np.sqrt(2.0 / np.pi) * (z + 0.044715 * z ** 3))),
    "sigmoid": _sigmoid,
    "tanh": np.tanh,
    "softplus": _softplus,
    "elu": lambda z: np.where(z > 0, z, np.expm1(z)),
    "exponential": np.exp,
    "silu": lambda z: z * _sigmoid(z),
    "swish": lambda z: z * _sigmoid(z),
    "softmax": _softmax,
    "linear": lambda z: z,
}
NP_ACT_OF = {}  # modelc activation text -> NP_ACTS name
for _n, (_k, _m, _) in ACTS.items():
    NP_ACT_OF[_m] = _n


def numpy_forward(case, weights, x, y):
    h = x.reshape(x.shape[0], -1)
    for spec, lname in zip(case["layers"], layer_names(case)):
        if spec[0] == "flatten":
            continue
        z = h @ weights[lname + ".kernel"] + weights[lname + ".bias"]
        h = NP_ACTS[NP_ACT_OF[spec[3]]](z)
    n, src = len(x), case["loss_src"]
    if src == "sparse_categorical_crossentropy":
        loss = -np.mean(np.log(h[np.arange(n), y]))
    elif src.startswith("SparseCategoricalCrossentropy(from_logits=true)"):
        loss = -np.mean((h - np.log(np.exp(h).sum(-1, keepdims=True)))[np.arange(n), y])
    elif src == "binary_crossentropy":
        loss = -np.mean(y * np.log(h) + (1 - y) * np.log(1 - h))
    elif src == "categorical_crossentropy":
        loss = -np.mean(np.sum(y * np.log(h), -1))
    elif src == "mean_squared_error":
        loss = np.mean((h - y) ** 2)
    elif src == "mean_absolute_error":
        loss = np.mean(np.abs(h - y))
    else:
        raise ValueError(src)
    return loss, h


# ------------------------------------------------------------------ checks / output

def max_rel(a, b):
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    return float(np.max(np.abs(a - b)) / max(1e-8, float(np.max(np.abs(b)))))


def make_case(case, outdir, meta):
    base_seed = zlib.crc32(case["name"].encode()) & 0x7FFFFFFF
    for attempt in range(200):
        seed = base_seed + attempt
        weights, x, y = draw(case, seed)
        if acceptable(case, weights, x, y):
            break
    else:
        raise RuntimeError(f"{case['name']}: no acceptable seed")

    res = {}
    res["f32"] = keras_grad(case, weights, x, y, "f32")[:3]
    with true_float64():
        res["f64"] = keras_grad(case, weights, x, y, "f64")[:3]

    # --- cross-checks
    l32, o32, g32 = res["f32"]
    l64, o64, g64 = res["f64"]
    checks = {}
    nl, no = numpy_forward(case, weights, x, y)
    checks["numpy_f64"] = max(abs(float(l64) - nl) / max(1.0, abs(nl)), max_rel(o64, no))
    checks["numpy_f32"] = max(abs(float(l32) - nl) / max(1.0, abs(nl)), max_rel(o32, no))
    assert checks["numpy_f64"] < 1e-13, (case["name"], checks)
    assert checks["numpy_f32"] < 1e-5, (case["name"], checks)
    checks["f32_vs_f64"] = max(max_rel(g32[k], g64[k]) for k in g64)
    assert checks["f32_vs_f64"] < 1e-4, checks
    assert abs(float(l32) - float(l64)) <= 1e-5 * max(1.0, abs(float(l64)))
    for dtype, tol in (("f32", 1e-5), ("f64", 1e-12)):
        if dtype == "f64":
            with true_float64():
                sl, sg = keras_sgd_step(case, weights, x, y, dtype)
        else:
            sl, sg = keras_sgd_step(case, weights, x, y, dtype)
        l, _, g = res[dtype]
        e = max(max_rel(sg[k], g[k]) for k in g)
        checks[f"sgd_{dtype}"] = e
        assert e < tol, (case["name"], dtype, e)
        assert abs(sl - float(l)) <= tol * max(1.0, abs(float(l))), (sl, float(l))
    with true_float64():
        fd = finite_diff(case, weights, x, y)
    checks["finite_diff_f64"] = max(max_rel(fd[k], g64[k]) for k in g64)
    assert checks["finite_diff_f64"] < 1e-6, (case["name"], checks)

    # --- write
    d = os.path.join(outdir, case["name"])
    os.makedirs(d, exist_ok=True)
    for f in os.listdir(d):
        os.remove(os.path.join(d, f))
    with open(os.path.join(d, "model.model"), "w") as fh:
        fh.write(model_source(case))
    sparse = case["target"] == "sparse"
    for dtype, npdt, intdt, sfx in (("f32", np.float32, np.int32, ""),
                                   ("f64", np.float64, np.int64, "_f64")):
        loss, out, g = res[dtype]
        save_file({k: np.ascontiguousarray(v.astype(npdt)) for k, v in weights.items()},
                  os.path.join(d, f"weights{sfx}.safetensors"))
        save_file({INPUT_NAME: np.ascontiguousarray(x.astype(npdt)),
                   "target": np.ascontiguousarray(y.astype(intdt if sparse else npdt))},
                  os.path.join(d, f"batch{sfx}.safetensors"))
        exp = {"loss": np.asarray(loss, npdt).reshape(()),
               "output": np.ascontiguousarray(out.astype(npdt))}
        for k, v in g.items():
            exp["grad." + k] = np.ascontiguousarray(v.astype(npdt))
        save_file(exp, os.path.join(d, f"expected{sfx}.safetensors"), metadata=meta)

    # --- read back with the safetensors package
    sfx_dtype = {"": "f32", "_f64": "f64"}
    for sfx, npdt in (("", np.float32), ("_f64", np.float64)):
        w = load_file(os.path.join(d, f"weights{sfx}.safetensors"))
        b = load_file(os.path.join(d, f"batch{sfx}.safetensors"))
        e = load_file(os.path.join(d, f"expected{sfx}.safetensors"))
        assert set(w) == set(weights)
        assert set(e) == {"loss", "output"} | {"grad." + k for k in weights}
        assert e["loss"].shape == () and e["loss"].dtype == npdt
        assert b[INPUT_NAME].dtype == npdt
        tdt = (np.int32 if sfx == "" else np.int64) if sparse else npdt
        assert b["target"].dtype == tdt, (b["target"].dtype, tdt)
        for k in weights:
            assert e["grad." + k].shape == w[k].shape and w[k].dtype == npdt
            assert np.array_equal(w[k], weights[k].astype(npdt))
            assert np.array_equal(e["grad." + k], res[sfx_dtype[sfx]][2][k].astype(npdt))
        assert np.array_equal(b[INPUT_NAME], x.astype(npdt))
        assert np.array_equal(b["target"], y.astype(tdt))
        assert np.array_equal(e["output"], res[sfx_dtype[sfx]][1].astype(npdt))
        assert e["loss"] == np.asarray(res[sfx_dtype[sfx]][0], npdt)
    return dict(seed=seed, loss32=float(l32), loss64=float(l64), checks=checks,
                weights=weights, x=x, y=y, d=d)


def describe(path):
    t = load_file(path)
    return ", ".join(f"{k} {t[k].dtype.name}{list(t[k].shape)}" for k in sorted(t))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=DEFAULT_OUT)
    ap.add_argument("--only", nargs="*", help="case names to (re)generate")
    args = ap.parse_args()
    meta = {"generator": "tools/keras_parity/make_fixtures.py",
            "keras": keras.__version__, "jax": jax.__version__, "backend": "jax"}
    os.makedirs(args.out, exist_ok=True)
    print(f"keras {keras.__version__}  jax {jax.__version__}  numpy {np.__version__}  "
          f"backend {keras.backend.backend()}")
    names = []
    for case in CASES:
        if args.only and case["name"] not in args.only:
            continue
        r = make_case(case, args.out, meta)
        names.append(case["name"])
        c = r["checks"]
        print(f"{case['name']:18s} seed={r['seed']:<11d} batch={case['batch']} "
              f"loss32={r['loss32']:.7g} loss64={r['loss64']:.12g}  "
              f"sgd32={c['sgd_f32']:.1e} sgd64={c['sgd_f64']:.1e} "
              f"fd64={c['finite_diff_f64']:.1e} f32/f64={c['f32_vs_f64']:.1e} "
              f"np64={c['numpy_f64']:.1e} np32={c['numpy_f32']:.1e}")
        for f in ("weights", "batch", "expected"):
            print(f"    {f}: {describe(os.path.join(r['d'], f + '.safetensors'))}")
    if not args.only:
        with open(os.path.join(args.out, "cases.txt"), "w") as fh:
            fh.write("\n".join(c["name"] for c in CASES) + "\n")
    print(f"{len(names)} cases written to {args.out}")


if __name__ == "__main__":
    main()
