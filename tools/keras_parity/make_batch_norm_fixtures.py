#!/usr/bin/env python3
"""Keras-parity fixtures for BatchNormalization over an axis other than the last, and of masked
sequences.

Same layout, Keras runs and seed checks as make_sequence_fixtures.py, and the moving statistics
and inference output of make_image_fixtures.py (whose machinery this reuses): one training-mode
forward and backward pass of the real Keras 3 model (JAX backend), in float32 and in true
float64, written to compiler/src/test/resources/parity/bn_<case>/, with `inference_output` and
`moving.<key>` (the moving statistics after one training-mode call) in `expected`.

What Keras 3.15.1 does (keras/src/layers/normalization/batch_normalization.py):
  - `axis` is one integer; the weights have the shape (input_shape[axis],) and the moments are
    taken over every other axis.
  - With a mask (rank one less than the input's, else a ValueError), `_moments` broadcasts
    expand_dims(mask, -1) to the input's shape, whatever the axis, and returns
    mean = Σ mask·x / (Σ mask + 1e-7) and var = Σ mask·(x − mean)² / (Σ mask + 1e-7)
    (backend.epsilon() in both denominators); the moving statistics move towards these. A
    channel with no unmasked value gets mean 0 and variance 0. The layer passes the mask on
    (supports_masking), and inference ignores it.
  - Under TimeDistributed (keras/src/layers/rnn/time_distributed.py) the layer is called once per
    step on inputs[:, t] with mask[:, t] (shape (batch,)): per-step masked moments, the moving
    statistics moved once per step in step order.
  - renorm=True: r = clip(sqrt(var + eps) / s, rmin, rmax), d = clip((mean − renorm_mean) / s, ±dmax),
    s = max(renorm_stddev, sqrt(eps)), both stop_gradient; scale r·gamma, offset d·gamma + beta; a
    step moves renorm_mean/renorm_stddev by renorm_momentum, moving_mean/moving_stddev by momentum
    and sets moving_variance = relu(moving_stddev² − eps). The renorm cases use the drawn
    non-trainable weights in the training call (`drawn_state`), and skip the finite-difference
    check when weights precede the layer (`fd=False`: the stop_gradient makes Keras's gradient differ
    from the loss's derivative on purpose).

Run:  KERAS_BACKEND=jax python make_batch_norm_fixtures.py [--out DIR] [--only CASE ...]
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_sequence_fixtures as ms  # noqa: E402
import make_image_fixtures as mi  # noqa: E402  (registers its cases in ms.CASES: cleared below)

import keras  # noqa: E402
from keras import layers as L  # noqa: E402

ms.CASES.clear()
case = ms.case
floats = ms.floats
tokens = ms.tokens

# axis=1 of a sequence: one statistic per time step, over the batch and the features.
case("bn_axis_steps", """
    input x: float[5, 3]
    h = Dense(4, activation=tanh)(x)
    h = BatchNormalization(axis=1, momentum=0.8)(h)
    output Dense(2)(Flatten()(Activation(tanh)(h)))
""", lambda: (lambda x: keras.Model(x, L.Dense(2, name="dense_1")(L.Flatten(name="flatten")(L.Activation("tanh", name="activation")(
    L.BatchNormalization(axis=1, momentum=0.8, name="batch_normalization")(L.Dense(4, activation="tanh", name="dense")(x)))))))(
    floats("x", 5, 3)), {"x": ("float", (5, 3))}, batch=4)

# Images: per row (axis=-3), then per column (axis=2).
mi.stack("bn_axis_image", (4, 3, 2), ["Conv2D(3, 2, padding=same, use_bias=false)", "BatchNormalization(axis=-3)", "Activation(tanh)",
                                      "BatchNormalization(axis=2, center=false, epsilon=0.01)"],
         lambda: [L.Conv2D(3, 2, padding="same", use_bias=False, name="conv2d"), L.BatchNormalization(axis=-3, name="batch_normalization"),
                  L.Activation("tanh", name="activation"),
                  L.BatchNormalization(axis=2, center=False, epsilon=0.01, name="batch_normalization_1")])

# Under TimeDistributed, axis counts the wrapped layer's axes: axis=1 is a frame's rows, and each
# step (frame) has its own statistics, the moving ones moved once per step.
mi.stack("bn_axis_time_distributed", (3, 4, 3, 2), ["TimeDistributed(Conv2D(3, 2, padding=same, use_bias=false))",
                                                    "TimeDistributed(BatchNormalization(axis=1, momentum=0.5))", "Activation(tanh)"],
         lambda: [L.TimeDistributed(L.Conv2D(3, 2, padding="same", use_bias=False, name="conv2d"), name="time_distributed"),
                  L.TimeDistributed(L.BatchNormalization(axis=1, momentum=0.5, name="batch_normalization"), name="time_distributed_1"),
                  L.Activation("tanh", name="activation")])

# A masked sequence: the statistics of the unmasked steps only; the mask reaches the pooling.
case("bn_masked", """
    input tokens: int[6]
    h = Dense(3, use_bias=false)(Embedding(11, 4, mask_zero=true)(tokens))
    h = Activation(tanh)(BatchNormalization(momentum=0.9)(h))
    output Dense(2)(GlobalAveragePooling1D()(h))
""", lambda: (lambda t: keras.Model(t, L.Dense(2, name="dense_1")(L.GlobalAveragePooling1D(name="global_average_pooling1d")(
    L.Activation("tanh", name="activation")(L.BatchNormalization(momentum=0.9, name="batch_normalization")(
        L.Dense(3, use_bias=False, name="dense")(L.Embedding(11, 4, mask_zero=True, name="embedding")(t))))))))(tokens("tokens", 6)),
     {"tokens": ("int", 11, 6)})

# A mask and axis=1 (the steps): the mask broadcast over the features; the last two steps are
# padding in every row, so their channels have no unmasked value (mean 0, variance 0).
case("bn_masked_axis_steps", """
    input tokens: int[6]
    h = BatchNormalization(axis=1, scale=false)(Embedding(11, 3, mask_zero=true)(tokens))
    output Dense(2)(GlobalAveragePooling1D()(Activation(tanh)(h)))
""", lambda: (lambda t: keras.Model(t, L.Dense(2, name="dense")(L.GlobalAveragePooling1D(name="global_average_pooling1d")(
    L.Activation("tanh", name="activation")(L.BatchNormalization(axis=1, scale=False, name="batch_normalization")(
        L.Embedding(11, 3, mask_zero=True, name="embedding")(t)))))))(tokens("tokens", 6)),
     {"tokens": ("int", 11, 6)})

# A masked sequence under TimeDistributed: Keras 3.15.1's TimeDistributed calls the layer once per
# step with mask[:, t] of shape (batch,), so each step's statistics count that step's unmasked rows
# (the two padding steps none: mean 0, variance 0) and the moving statistics move once per step.
case("bn_masked_time_distributed", """
    input tokens: int[6]
    h = Dense(3, use_bias=false)(Embedding(11, 4, mask_zero=true)(tokens))
    h = Activation(tanh)(TimeDistributed(BatchNormalization(momentum=0.8))(h))
    output Dense(2)(GlobalAveragePooling1D()(h))
""", lambda: (lambda t: keras.Model(t, L.Dense(2, name="dense_1")(L.GlobalAveragePooling1D(name="global_average_pooling1d")(
    L.Activation("tanh", name="activation")(L.TimeDistributed(L.BatchNormalization(momentum=0.8, name="batch_normalization"),
                                                              name="time_distributed")(
        L.Dense(3, use_bias=False, name="dense")(L.Embedding(11, 4, mask_zero=True, name="embedding")(t))))))))(tokens("tokens", 6)),
     {"tokens": ("int", 11, 6)})


def renorm_case(name, src, build, inputs, fd=True, **kw):
    """A renorm case: the drawn renorm statistics are used in the training-mode call (r and d depend
    on them); `fd=False` when weights come before the layer (Keras's stop_gradient of r and d)."""
    case(name, src, build, inputs, **kw)
    ms.CASES[-1].update(drawn_state=True, fd=fd)


# Batch renormalization of the input: r and d depend on the input and the renorm statistics only, so
# finite differences of the loss still check Keras's gradients; the clipping cuts r and d in some
# channels. The moving statistics after a step: moving_mean, moving_stddev (momentum 0.8),
# renorm_mean, renorm_stddev (renorm_momentum 0.9), moving_variance = max(moving_stddev² − eps, 0).
renorm_case("bn_renorm", """
    input x: float[4]
    h = BatchNormalization(momentum=0.8, renorm=true, renorm_clipping={rmax: 1.2, rmin: 0.9, dmax: 0.3}, renorm_momentum=0.9)(x)
    h = Dense(3, activation=tanh)(h)
    output Dense(2)(h)
""", lambda: (lambda x: keras.Model(x, L.Dense(2, name="dense_1")(L.Dense(3, activation="tanh", name="dense")(
    L.BatchNormalization(momentum=0.8, renorm=True, renorm_clipping={"rmax": 1.2, "rmin": 0.9, "dmax": 0.3}, renorm_momentum=0.9,
                         name="batch_normalization")(x)))))(floats("x", 4)), {"x": ("float", (4,))}, batch=6)

# After a Dense (no bias: its gradient would be 0 but for rounding): r and d are Keras's stop_gradient
# (no gradient reaches the Dense through them), no
# clipping, center=False (d·gamma alone as the offset).
renorm_case("bn_renorm_stop_gradient", """
    input x: float[4]
    h = BatchNormalization(renorm=true, center=false, epsilon=0.01)(Dense(3, use_bias=false)(x))
    output Dense(2)(Activation(tanh)(h))
""", lambda: (lambda x: keras.Model(x, L.Dense(2, name="dense_1")(L.Activation("tanh", name="activation")(
    L.BatchNormalization(renorm=True, center=False, epsilon=0.01, name="batch_normalization")(L.Dense(3, use_bias=False, name="dense")(x))))))(
    floats("x", 4)), {"x": ("float", (4,))}, fd=False, batch=6)

# Under TimeDistributed of a masked sequence: Keras's per-step calls each read the renorm statistics
# the steps before moved (in the same call), with each step's masked moments.
renorm_case("bn_renorm_masked_time_distributed", """
    input tokens: int[6]
    h = TimeDistributed(BatchNormalization(momentum=0.8, renorm=true, renorm_momentum=0.5, renorm_clipping={rmax: 2, dmax: 1}))(
        Embedding(11, 3, mask_zero=true)(tokens))
    output Dense(2)(GlobalAveragePooling1D()(Activation(tanh)(h)))
""", lambda: (lambda t: keras.Model(t, L.Dense(2, name="dense")(L.GlobalAveragePooling1D(name="global_average_pooling1d")(
    L.Activation("tanh", name="activation")(L.TimeDistributed(L.BatchNormalization(
        momentum=0.8, renorm=True, renorm_momentum=0.5, renorm_clipping={"rmax": 2, "dmax": 1}, name="batch_normalization"),
        name="time_distributed")(L.Embedding(11, 3, mask_zero=True, name="embedding")(t)))))))(tokens("tokens", 6)),
     {"tokens": ("int", 11, 6)}, fd=False)


if __name__ == "__main__":
    ms.main(ms.CASES, "tools/keras_parity/make_batch_norm_fixtures.py", None, mi.draw, mi.extra)
