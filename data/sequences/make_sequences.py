"""Makes the per-step sequence task of examples/course_rnn.model (numpy only, deterministic).

Each sequence has 50 steps of 3 features drawn from N(0, 1). The target at step t is one-hot over
2 classes: class 1 if x[t-2, 0] + x[t-1, 1] > 0, else class 0. It needs memory of the two steps
before, so a per-step classifier without recurrence cannot do better than chance. Targets that are
not defined (the first two steps) or were "not recorded" (10% of the others, at random) are rows of
-1, as in the course's mini-batch example.
"""
import numpy as np

STEPS, FEATURES = 50, 3


def make(n, rng):
    x = rng.standard_normal((n, STEPS, FEATURES)).astype(np.float32)
    y = np.full((n, STEPS, 2), -1.0, dtype=np.float32)
    s = x[:, :-2, 0] + x[:, 1:-1, 1]  # the signal for steps 2..49
    cls = (s > 0).astype(np.int64)
    y[:, 2:, :] = np.eye(2, dtype=np.float32)[cls]
    missing = rng.random((n, STEPS)) < 0.1
    y[missing] = -1.0
    return x, y


rng = np.random.default_rng(20261126)
for split, n in (("train", 1000), ("test", 300)):
    x, y = make(n, rng)
    import os
    os.makedirs(split, exist_ok=True)
    np.save(f"{split}/x.npy", x)
    np.save(f"{split}/target.npy", y)
