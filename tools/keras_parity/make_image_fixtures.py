#!/usr/bin/env python3
"""Keras-parity fixtures for the image layers (Conv2D, depthwise, separable and transposed
convolutions, 2-D pooling, padding, BatchNormalization).

Same layout, Keras runs and seed checks as make_sequence_fixtures.py (whose machinery this
reuses): one training-mode forward and backward pass of the real Keras 3 model (JAX backend), in
float32 and in true float64, written to compiler/src/test/resources/parity/img_<case>/.

BatchNormalization adds two things the other fixtures do not have. The weights file also holds
the non-trainable moving statistics (drawn at random, variance positive), and `expected` holds
  - `inference_output`: the model's output with training=False (the moving statistics used), and
  - `moving.<key>`: each non-trainable weight after the training-mode call (Keras's
    moving ← moving·momentum + batch·(1 − momentum), biased variance),
which KerasParityTest checks against modelc's evalStep and trainStep.

Run:  KERAS_BACKEND=jax python make_image_fixtures.py [--out DIR] [--only CASE ...]
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_fixtures as mf  # noqa: E402
import make_sequence_fixtures as ms  # noqa: E402

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras import layers as L  # noqa: E402

ms.CASES.clear()
case = ms.case
floats = ms.floats


def stack(name, shape, src, layers):
    """A sequential stack on one float input, then Flatten and Dense(2), as modelc source and as Keras."""
    body = "\n".join(f"    h = {line}(h)" for line in src)
    case(name, f"""
    input x: float[{", ".join(map(str, shape))}]
    h = x
{body}
    output Dense(2)(Flatten()(h))
""", lambda: (lambda x: keras.Model(x, L.Dense(2, name="dense")(L.Flatten(name="flatten")(_apply(layers(), x)))))(
        floats("x", *shape)), {"x": ("float", shape)}, batch=4)


def _apply(layers, x):
    for layer in layers:
        x = layer(x)
    return x


stack("img_conv_valid_strides", (7, 6, 2), ["Conv2D(3, (3, 2), strides=(2, 1), activation=tanh)"],
      lambda: [L.Conv2D(3, (3, 2), strides=(2, 1), activation="tanh", name="conv2d")])
stack("img_conv_same_even", (6, 5, 2), ["Conv2D(3, (2, 4), padding=same, activation=tanh)"],
      lambda: [L.Conv2D(3, (2, 4), padding="same", activation="tanh", name="conv2d")])
stack("img_conv_same_strides", (7, 6, 3), ["Conv2D(4, 3, strides=2, padding=same, activation=tanh)"],
      lambda: [L.Conv2D(4, 3, strides=2, padding="same", activation="tanh", name="conv2d")])
stack("img_conv_dilated_groups", (7, 7, 4), ["Conv2D(4, 2, dilation_rate=(2, 3), padding=same, groups=2, activation=tanh)"],
      lambda: [L.Conv2D(4, 2, dilation_rate=(2, 3), padding="same", groups=2, activation="tanh", name="conv2d")])
stack("img_pools", (8, 7, 2), ["Conv2D(3, 2, padding=same, activation=tanh)", "MaxPooling2D((3, 2), strides=(2, 1), padding=same)",
                               "AveragePooling2D(2, padding=same)"],
      lambda: [L.Conv2D(3, 2, padding="same", activation="tanh", name="conv2d"),
               L.MaxPooling2D((3, 2), strides=(2, 1), padding="same", name="max_pooling2d"),
               L.AveragePooling2D(2, padding="same", name="average_pooling2d")])
stack("img_pad_crop_upsample", (5, 4, 2), ["ZeroPadding2D(((1, 2), (0, 1)))", "Conv2D(3, 3, activation=tanh)", "UpSampling2D((1, 2))",
                                           "Cropping2D(((0, 1), (1, 0)))", "MaxPooling2D()"],
      lambda: [L.ZeroPadding2D(((1, 2), (0, 1)), name="zero_padding2d"), L.Conv2D(3, 3, activation="tanh", name="conv2d"),
               L.UpSampling2D((1, 2), name="up_sampling2d"), L.Cropping2D(((0, 1), (1, 0)), name="cropping2d"),
               L.MaxPooling2D(name="max_pooling2d")])
# A bias right before a batch normalisation gets no gradient (the mean takes it away): none here.
stack("img_batch_norm", (5, 4, 2), ["Conv2D(3, 2, padding=same, use_bias=false)", "BatchNormalization()", "Activation(tanh)",
                                    "Conv2D(2, 2, activation=tanh)", "BatchNormalization(center=false, momentum=0.9, epsilon=0.01)"],
      lambda: [L.Conv2D(3, 2, padding="same", use_bias=False, name="conv2d"), L.BatchNormalization(name="batch_normalization"),
               L.Activation("tanh", name="activation"), L.Conv2D(2, 2, activation="tanh", name="conv2d_1"),
               L.BatchNormalization(center=False, momentum=0.9, epsilon=0.01, name="batch_normalization_1")])
case("img_global_pools_residual", """
    input x: float[5, 5, 3]
    h = Conv2D(3, 3, padding=same, activation=tanh)(x)
    r = Add()([x, h])
    a = GlobalAveragePooling2D()(r)
    m = GlobalMaxPooling2D()(r)
    output Dense(2)(Concatenate()([a, m]))
""", lambda: (lambda x: (lambda r: keras.Model(x, L.Dense(2, name="dense")(L.Concatenate(name="concatenate")(
    [L.GlobalAveragePooling2D(name="global_average_pooling2d")(r), L.GlobalMaxPooling2D(name="global_max_pooling2d")(r)]))))(
    L.Add(name="add")([x, L.Conv2D(3, 3, padding="same", activation="tanh", name="conv2d")(x)])))(floats("x", 5, 5, 3)),
     {"x": ("float", (5, 5, 3))}, batch=4)


# Depthwise, separable and transposed convolutions. Ten channels: vector lanes and a scalar tail.
stack("img_depthwise_multiplier", (7, 6, 3), ["DepthwiseConv2D((3, 2), strides=(2, 1), padding=same, depth_multiplier=2, activation=tanh)"],
      lambda: [L.DepthwiseConv2D((3, 2), strides=(2, 1), padding="same", depth_multiplier=2, activation="tanh", name="depthwise_conv2d")])
stack("img_depthwise_dilated_strided", (8, 7, 10), ["DepthwiseConv2D(3, dilation_rate=(2, 1), activation=tanh)",
                                                    "DepthwiseConv2D(2, strides=2, dilation_rate=2, padding=same, use_bias=false, activation=tanh)"],
      lambda: [L.DepthwiseConv2D(3, dilation_rate=(2, 1), activation="tanh", name="depthwise_conv2d"),
               L.DepthwiseConv2D(2, strides=2, dilation_rate=2, padding="same", use_bias=False, activation="tanh", name="depthwise_conv2d_1")])
stack("img_separable", (6, 5, 3), ["SeparableConv2D(4, 3, padding=same, depth_multiplier=2, activation=tanh)",
                                   "SeparableConv2D(3, (2, 3), strides=(2, 1), use_bias=false, activation=tanh)"],
      lambda: [L.SeparableConv2D(4, 3, padding="same", depth_multiplier=2, activation="tanh", name="separable_conv2d"),
               L.SeparableConv2D(3, (2, 3), strides=(2, 1), use_bias=False, activation="tanh", name="separable_conv2d_1")])
stack("img_mobilenet_block", (6, 6, 10), ["DepthwiseConv2D(3, padding=same, use_bias=false)", "BatchNormalization()", "Activation(tanh)",
                                          "Conv2D(12, 1, activation=tanh)"],
      lambda: [L.DepthwiseConv2D(3, padding="same", use_bias=False, name="depthwise_conv2d"), L.BatchNormalization(name="batch_normalization"),
               L.Activation("tanh", name="activation"), L.Conv2D(12, 1, activation="tanh", name="conv2d")])
stack("img_conv_transpose_same", (4, 3, 3), ["Conv2DTranspose(4, 3, strides=2, padding=same, activation=tanh)",
                                             "Conv2DTranspose(2, 3, dilation_rate=2, padding=same, activation=tanh)"],
      lambda: [L.Conv2DTranspose(4, 3, strides=2, padding="same", activation="tanh", name="conv2d_transpose"),
               L.Conv2DTranspose(2, 3, dilation_rate=2, padding="same", activation="tanh", name="conv2d_transpose_1")])
stack("img_conv_transpose_output_padding", (3, 4, 2), ["Conv2DTranspose(3, (3, 2), strides=(2, 3), output_padding=(1, 2), activation=tanh)",
                                                       "Conv2DTranspose(2, (2, 4), strides=(3, 2), padding=same, output_padding=(2, 1), activation=tanh)"],
      lambda: [L.Conv2DTranspose(3, (3, 2), strides=(2, 3), output_padding=(1, 2), activation="tanh", name="conv2d_transpose"),
               L.Conv2DTranspose(2, (2, 4), strides=(3, 2), padding="same", output_padding=(2, 1), activation="tanh", name="conv2d_transpose_1")])
stack("img_conv1d_depthwise_separable_transpose", (9, 3), ["DepthwiseConv1D(3, depth_multiplier=2, activation=tanh)",
                                                           "SeparableConv1D(4, 2, padding=same, strides=2, activation=tanh)",
                                                           "Conv1DTranspose(3, 3, strides=2, activation=tanh)"],
      lambda: [L.DepthwiseConv1D(3, depth_multiplier=2, activation="tanh", name="depthwise_conv1d"),
               L.SeparableConv1D(4, 2, padding="same", strides=2, activation="tanh", name="separable_conv1d"),
               L.Conv1DTranspose(3, 3, strides=2, activation="tanh", name="conv1d_transpose")])


def moving_keys(model):
    """[(key, variable)] for the non-trainable weights, key `<layer>.<weight>`."""
    return [(f"{layer.name}.{w.name}", w) for layer in model.layers for w in layer.non_trainable_weights]


def draw(c, seed):
    weights, xs, y = ms.draw(c, seed)
    rng = np.random.default_rng(seed + 7)
    for key in sorted(weights):
        if key.endswith(("depthwise_kernel", "pointwise_kernel")):  # drawn as kernels, not as biases
            shape = weights[key].shape
            a = rng.uniform(-1.0, 1.0, size=shape) * min(1.0, 1.6 / np.sqrt(np.prod(shape[:-1])))
            weights[key] = np.where(np.abs(a) < 0.05, np.sign(a + 1e-12) * 0.05, a).astype(np.float32).astype(np.float64)
    for key, v in moving_keys(c["build"]()):
        shape = tuple(v.shape)
        a = rng.uniform(0.5, 1.5, size=shape) if key.endswith(("variance", "stddev")) else rng.normal(0.0, 0.3, size=shape)
        weights[key] = a.astype(np.float32).astype(np.float64)
    return weights, xs, y


def moving_and_inference(c, weights, xs, dtype):
    """The non-trainable weights after one training-mode call, and the inference-mode output."""
    mf.set_floatx(dtype)
    npdt = np.float64 if dtype == "f64" else np.float32
    model = c["build"]()
    tv = [jnp.asarray(weights[k].astype(npdt)) for k, _ in sorted(mf.param_keys(model), key=lambda kv: _index(model.trainable_variables, kv[1]))]
    ntv_keys = sorted(moving_keys(model), key=lambda kv: _index(model.non_trainable_variables, kv[1]))
    ntv = [jnp.asarray(weights[k].astype(npdt)) for k, _ in ntv_keys]
    xj = ms.cast_inputs(xs, npdt)
    _, updated = model.stateless_call(tv, ntv, xj, training=True)
    inference, _ = model.stateless_call(tv, ntv, xj, training=False)
    return {k: np.asarray(u) for (k, _), u in zip(ntv_keys, updated)}, np.asarray(inference)


def _index(variables, v):
    return next(i for i, w in enumerate(variables) if w is v)


def extra(c, weights, xs, dtype):
    """For models with batch statistics: the inference-mode output and the moved statistics."""
    moving, inference = moving_and_inference(c, weights, xs, dtype)
    if not moving:
        return {}
    out = {"inference_output": inference}
    out.update({"moving." + k: v for k, v in moving.items()})
    return out


if __name__ == "__main__":
    ms.main(ms.CASES, "tools/keras_parity/make_image_fixtures.py", None, draw, extra)
