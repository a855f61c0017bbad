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
