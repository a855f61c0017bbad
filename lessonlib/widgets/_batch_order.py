"""fit()'s batch order, epoch by epoch: the step debugger and the optimizer explorer replay it."""
from __future__ import annotations

import functools

import numpy as np
import torch

from ..model import rng_state_after_init
from ..train import _fast_batches


class _BatchOrder:
    """The training-set permutation of each epoch that fit(seed=seed) uses, one epoch at a time.

    Drawn with lessonlib.train's own batch function from the generator state fit() starts from;
    PyTorch's global generator is left untouched.
    """

    def __init__(self, seed: int, n: int, hidden: int = 16):
        self.n = n
        self._state = rng_state_after_init(seed, hidden)

    def next(self) -> np.ndarray:
        with torch.random.fork_rng(devices=[]):
            torch.set_rng_state(self._state)
            idx = torch.arange(self.n)
            (perm, _), = _fast_batches(idx, idx, self.n)    # one batch of n: the permutation
            self._state = torch.get_rng_state()
        return perm.numpy()


@functools.lru_cache(maxsize=8)
def _orders_cached(seed: int, n: int, epochs: int, hidden: int) -> tuple[np.ndarray, ...]:
    order = _BatchOrder(seed, n, hidden)
    orders = tuple(order.next() for _ in range(epochs))
    for perm in orders:
        perm.setflags(write=False)       # shared by every caller of the cache
    return orders


def epoch_orders(seed: int = 0, n: int = 160, epochs: int = 300, hidden: int = 16) -> tuple[np.ndarray, ...]:
    """The permutation of every epoch that fit(seed=seed) uses (DataLoader's order), cached."""
    return _orders_cached(int(seed), int(n), int(epochs), int(hidden))
