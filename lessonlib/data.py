"""The lesson's data, exactly as the original RB109-02 script makes it (lesson 01).

200 points on [-10, 10], y = 2x + 1, float32, shuffled 80/20 split. The script seeds NumPy's
global generator (`np.random.seed(0); np.random.shuffle(idx)`); a private RandomState with the
same seed gives the same permutation without touching global state.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch


def true_fn(x):
    """The rule the network must discover: y = 2x + 1."""
    return 2.0 * x + 1.0


@dataclass(frozen=True)
class LineData:
    x: np.ndarray          # (N, 1) float32, all points in order
    y: np.ndarray          # (N, 1) float32
    idx: np.ndarray        # (N,) the shuffled indices
    train_idx: np.ndarray  # (train_size,)
    val_idx: np.ndarray    # (N - train_size,)

    @property
    def x_train(self) -> np.ndarray:
        return self.x[self.train_idx]

    @property
    def y_train(self) -> np.ndarray:
        return self.y[self.train_idx]

    @property
    def x_val(self) -> np.ndarray:
        return self.x[self.val_idx]

    @property
    def y_val(self) -> np.ndarray:
        return self.y[self.val_idx]

    @property
    def train_size(self) -> int:
        return len(self.train_idx)

    def tensors(self, device: str | torch.device = "cpu"):
        """(x_train_t, y_train_t, x_val_t, y_val_t) as the script makes them, on `device`."""
        return tuple(
            torch.from_numpy(a).to(device)
            for a in (self.x_train, self.y_train, self.x_val, self.y_val)
        )


def make_line_data(seed: int = 0, *, n: int = 200, low: float = -10.0, high: float = 10.0,
                   train_frac: float = 0.8, target=None) -> LineData:
    """The script's section 2: linspace, y = 2x + 1, seeded shuffle, 80/20 split.

    `seed` comes first, as in make_model(seed): make_line_data(0) is the lesson's data.
    `target` (a NumPy function of x, default true_fn) makes the same x and the same split with
    another rule, e.g. `make_line_data(target=np.abs)` for lesson 05's "remove the ReLUs" experiment.
    """
    x = np.linspace(low, high, n, dtype=np.float32).reshape(-1, 1)
    y = np.asarray((true_fn if target is None else target)(x), dtype=np.float32).reshape(x.shape)
    idx = np.arange(n)
    np.random.RandomState(seed).shuffle(idx)   # == np.random.seed(seed); np.random.shuffle(idx)
    train_size = int(train_frac * n)
    return LineData(x=x, y=y, idx=idx, train_idx=idx[:train_size], val_idx=idx[train_size:])


@dataclass(frozen=True)
class ClassData(LineData):
    """Points in the plane with a class label each (lesson 09); the same fields and split as LineData.

    x is (N, 2) float32. y is (N, 1) float32 of 0.0 / 1.0 for two classes (what BCEWithLogitsLoss
    takes, the same shape as the logit), or (N,) int64 class indices for more (CrossEntropyLoss).
    """
    classes: int = 2


def _split(x: np.ndarray, y: np.ndarray, rng: np.random.RandomState, train_frac: float, classes: int) -> ClassData:
    """Shuffle the indices with `rng` and cut them train_frac / rest, as make_line_data does."""
    idx = np.arange(len(x))
    rng.shuffle(idx)
    train_size = int(train_frac * len(x))
    return ClassData(x=x, y=y, idx=idx, train_idx=idx[:train_size], val_idx=idx[train_size:], classes=classes)


def make_moons_data(seed: int = 0, *, n: int = 200, noise: float = 0.2, train_frac: float = 0.8) -> ClassData:
    """Two interleaved half circles ("moons") with Gaussian noise: lesson 09's two-class problem.

    Class 0 lies on the upper arc (cos t, sin t), class 1 on the lower arc (1 - cos t, 0.5 - sin t),
    t in [0, pi], n // 2 points each. No straight line separates them: the boundary must bend.
    One private RandomState(seed) draws the noise, then shuffles the 80/20 split.
    """
    rng = np.random.RandomState(seed)
    n0 = n // 2
    t0, t1 = np.linspace(0.0, np.pi, n0), np.linspace(0.0, np.pi, n - n0)
    x = np.concatenate([np.stack([np.cos(t0), np.sin(t0)], axis=1),
                        np.stack([1.0 - np.cos(t1), 0.5 - np.sin(t1)], axis=1)])
    x = (x + rng.normal(0.0, noise, size=x.shape)).astype(np.float32)
    y = np.concatenate([np.zeros(n0), np.ones(n - n0)]).astype(np.float32).reshape(-1, 1)
    return _split(x, y, rng, train_frac, classes=2)


def make_blobs_data(seed: int = 0, *, n: int = 240, classes: int = 3, spread: float = 1.0,
                    train_frac: float = 0.8) -> ClassData:
    """`classes` round clouds of points around a circle of radius 2 (lesson 09's three-class extension).

    Class k is centred at angle 90 + k * 360 / classes degrees, n // classes points each (the first
    classes get one more when n does not divide); y holds the class index k as int64, shape (N,).
    """
    rng = np.random.RandomState(seed)
    counts = [n // classes + (k < n % classes) for k in range(classes)]
    angles = np.deg2rad(90.0 + 360.0 * np.arange(classes) / classes)
    centres = 2.0 * np.stack([np.cos(angles), np.sin(angles)], axis=1)
    x = np.concatenate([centres[k] + rng.normal(0.0, spread, size=(c, 2)) for k, c in enumerate(counts)])
    y = np.concatenate([np.full(c, k) for k, c in enumerate(counts)]).astype(np.int64)
    return _split(x.astype(np.float32), y, rng, train_frac, classes=classes)


# ---- lesson 10: 8x8 images of bars (a first convolutional net) -----------------------------------

BAR_CLASSES = ("horizontal", "vertical", "diagonal")   # label 0, 1, 2


@dataclass(frozen=True)
class ImageData:
    """Lesson 10's images: (N, 1, size, size) float32 (one channel), labels (N,) int64 in 0..2."""
    x_train: np.ndarray
    y_train: np.ndarray
    x_val: np.ndarray
    y_val: np.ndarray

    def tensors(self, device: str | torch.device = "cpu"):
        """(x_train_t, y_train_t, x_val_t, y_val_t) on `device`; labels stay int64 (CrossEntropyLoss wants them)."""
        return tuple(torch.from_numpy(a).to(device) for a in (self.x_train, self.y_train, self.x_val, self.y_val))


def bar_image(label: int, position: int, size: int = 8, flip: bool = False) -> np.ndarray:
    """One clean (size, size) image of a bar of ones on zeros.

    label 0: row `position`; label 1: column `position`; label 2: the diagonal whose offset from
    the main one is `position` (np.eye(size, k=position)), mirrored left-right when `flip`.
    """
    img = np.zeros((size, size), dtype=np.float32)
    if label == 0:
        img[position, :] = 1.0
    elif label == 1:
        img[:, position] = 1.0
    elif label == 2:
        img[:] = np.eye(size, k=position, dtype=np.float32)
        if flip:
            img = img[:, ::-1].copy()
    else:
        raise ValueError(f"label must be 0, 1 or 2, got {label!r}")
    return img


def make_bar_images(seed: int = 0, *, n_per_class: int = 200, size: int = 8, noise: float = 0.3,
                    train_frac: float = 0.8) -> ImageData:
    """Lesson 10's data, made in code (nothing downloaded): noisy images of one bar each.

    For each class in turn, `n_per_class` images from one private generator (np.random.default_rng(seed)):
    a horizontal bar in a random row, a vertical bar in a random column, or a diagonal bar ("\\" or "/")
    at least 3 pixels long. Then Gaussian noise of std `noise` on every pixel, a shuffle, and the
    first `train_frac` of the images for training, the rest for validation.
    """
    rng = np.random.default_rng(seed)
    images, labels = [], []
    for label in range(len(BAR_CLASSES)):
        for _ in range(n_per_class):
            if label == 2:
                offset = int(rng.integers(-(size - 3), size - 2))       # the bar keeps >= 3 pixels
                images.append(bar_image(2, offset, size, flip=bool(rng.integers(2))))
            else:
                images.append(bar_image(label, int(rng.integers(size)), size))
            labels.append(label)
    x = np.stack(images)[:, None] + rng.normal(0.0, noise, (len(images), 1, size, size)).astype(np.float32)
    y = np.array(labels, dtype=np.int64)
    idx = rng.permutation(len(y))
    k = int(train_frac * len(y))
    return ImageData(x_train=x[idx[:k]], y_train=y[idx[:k]], x_val=x[idx[k:]], y_val=y[idx[k:]])
