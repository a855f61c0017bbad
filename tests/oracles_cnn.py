"""Independent oracles for lesson 10 (a first CNN): its definitions written out again, without lessonlib.

* data: for each class 0 (horizontal), 1 (vertical), 2 (diagonal) in turn, 200 images from ONE
  np.random.default_rng(seed): a row / a column drawn with integers(8), or a diagonal offset drawn
  with integers(-5, 6) then a mirror flag with integers(2); then normal(0, 0.3) noise of shape
  (600, 1, 8, 8) as float32, a permutation, the first 80% for training;
* the CNN: torch.manual_seed(seed), then Conv2d(1, 6, 3, padding=1), ReLU, MaxPool2d(2), Flatten,
  Linear(96, 3); the fully connected net: torch.manual_seed(seed), then Flatten, Linear(64, 32),
  ReLU, Linear(32, 3);
* a convolution value by hand: the sum over the 3x3 window centred on (r, c), pixels outside the
  image counting as 0 (padding 1), of pixel * weight (no flip), plus the bias; in float64 loops.

Also the lesson's rows of the exercise tables (tests/test_exercise_answers.py, tests/test_feedback.py),
each right and wrong answer computed here from these definitions.
"""
from __future__ import annotations

import functools

import numpy as np
import torch
from torch import nn

SIZE, PER_CLASS, NOISE = 8, 200, 0.3


def bar(label: int, pos: int, flip: bool = False) -> np.ndarray:
    """One clean 8x8 image, pixel by pixel."""
    img = np.zeros((SIZE, SIZE), dtype=np.float32)
    for i in range(SIZE):
        for j in range(SIZE):
            if (label == 0 and i == pos) or (label == 1 and j == pos) or \
                    (label == 2 and (SIZE - 1 - j if flip else j) - i == pos):
                img[i, j] = 1.0
    return img


def bar_images(seed: int = 0):
    """(x_train, y_train, x_val, y_val) as lesson 10 defines them."""
    rng = np.random.default_rng(seed)
    clean, labels = [], []
    for label in (0, 1, 2):
        for _ in range(PER_CLASS):
            if label == 2:
                pos = int(rng.integers(-5, 6))
                clean.append(bar(2, pos, flip=bool(rng.integers(2))))
            else:
                clean.append(bar(label, int(rng.integers(SIZE))))
            labels.append(label)
    x = np.stack(clean)[:, None] + rng.normal(0.0, NOISE, (3 * PER_CLASS, 1, SIZE, SIZE)).astype(np.float32)
    y = np.array(labels, dtype=np.int64)
    idx = rng.permutation(3 * PER_CLASS)
    k = int(0.8 * 3 * PER_CLASS)
    return x[idx[:k]], y[idx[:k]], x[idx[k:]], y[idx[k:]]


def cnn(seed: int = 0) -> nn.Sequential:
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return nn.Sequential(nn.Conv2d(1, 6, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(96, 3))


def fc(seed: int = 0, hidden: int = 32) -> nn.Sequential:
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return nn.Sequential(nn.Flatten(), nn.Linear(64, hidden), nn.ReLU(), nn.Linear(hidden, 3))


def conv_value(img, kernel, bias: float, r: int, c: int, pad: bool = True, flip: bool = False) -> float:
    """One output value by hand; pad=False: the window whose top-left corner is (r, c) (the typical slip)."""
    img, kernel = np.asarray(img, dtype=np.float64), np.asarray(kernel, dtype=np.float64)
    total = 0.0
    for di in range(3):
        for dj in range(3):
            i, j = (r + di - 1, c + dj - 1) if pad else (r + di, c + dj)
            pixel = img[i, j] if 0 <= i < img.shape[0] and 0 <= j < img.shape[1] else 0.0
            total += pixel * kernel[2 - di, 2 - dj] if flip else pixel * kernel[di, dj]
    return total + bias


# ---- the exercises of lesson 10 ----------------------------------------------------------------------
IMAGE, FILTER, R, C = 1, 2, 3, 5          # 10.patch: x_train[1], filter 2, output row 3, column 5


@functools.lru_cache(maxsize=None)
def _patch_parts():
    net = cnn(0)
    img = bar_images(0)[0][IMAGE, 0]
    return img, net[0].weight[FILTER, 0].detach().double().numpy(), float(net[0].bias[FILTER].detach())


def patch(**slip) -> float:
    img, k, b = _patch_parts()
    bias = 0.0 if slip.pop("no_bias", False) else b
    kernel = k.T if slip.pop("transposed", False) else k
    return conv_value(img, kernel, bias, R, C, **slip)


CNN_PARAMS = (6 * 1 * 3 * 3 + 6) + (6 * 4 * 4 * 3 + 3)
FC_PARAMS = (64 * 32 + 32) + (32 * 3 + 3)
F32 = "the checker runs the float32 conv layer; this is float64 loops on the same weights (float32 rounding)"

# exercise id -> (right answer, [(typical wrong answer, its diagnosis)], tolerance, why)
ANSWERS_10 = {
    "10.patch": (patch, [(lambda: patch(no_bias=True), "ex.10.patch.no_bias"),
                         (lambda: patch(pad=False), "ex.10.patch.no_padding"),
                         (lambda: patch(flip=True), "ex.10.patch.flipped")], 1e-5, F32),
    # (8 + 2 * 1 - 3) // 2 + 1 = 4 per side, 6 filters
    "10.out_shape": ((32, 6, 4, 4), [((32, 6, 3, 3), "ex.10.out_shape.no_padding"),
                                     ((32, 6, 8, 8), "ex.10.out_shape.no_stride"),
                                     ((32, 1, 4, 4), "ex.10.out_shape.channels")], 0.0, ""),
    "10.params": (CNN_PARAMS, [(6 * 9 + 96 * 3, "ex.10.params.no_biases"),
                               ((9 + 1) + (96 * 3 + 3), "ex.10.params.one_filter"),
                               ((6 * 9 + 6) + (6 * 8 * 8 * 3 + 3), "ex.10.params.no_pool")], 0.0, ""),
    # 2179 / 351 = 6.2: more than 3 times
    "10.predict_params": ("C" if FC_PARAMS > 3 * CNN_PARAMS else "B" if FC_PARAMS > CNN_PARAMS else "A",
                          [("A", "ex.10.predict_params.not_A"), ("B", "ex.10.predict_params.not_B")], 0.0, ""),
}

# (exercise id, a typical wrong answer, the diagnosis it must get): every Mistake lesson 10 builds
TYPICAL_10 = [
    ("10.patch", lambda: patch(no_bias=True), "ex.10.patch.no_bias"),
    ("10.patch", lambda: patch(pad=False), "ex.10.patch.no_padding"),
    ("10.patch", lambda: patch(flip=True), "ex.10.patch.flipped"),
    ("10.patch", lambda: patch(transposed=True), "ex.10.patch.transposed"),
    ("10.out_shape", (32, 6, 3, 3), "ex.10.out_shape.no_padding"),
    ("10.out_shape", (32, 6, 8, 8), "ex.10.out_shape.no_stride"),
    ("10.out_shape", (32, 6, 6, 6), "ex.10.out_shape.neither"),
    ("10.out_shape", (32, 1, 4, 4), "ex.10.out_shape.channels"),
    ("10.params", 6 * 9 + 96 * 3, "ex.10.params.no_biases"),
    ("10.params", (9 + 1) + (96 * 3 + 3), "ex.10.params.one_filter"),
    ("10.params", (6 * 9 + 6) + (384 * 3 + 3), "ex.10.params.no_pool"),
    ("10.predict_params", "A", "ex.10.predict_params.not_A"),
    ("10.predict_params", "B", "ex.10.predict_params.not_B"),
]
