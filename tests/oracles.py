"""Independent oracles (issue 16): the lesson's definitions written out again in plain PyTorch and NumPy.

Nothing here imports lessonlib. The tests compare lessonlib (fit, make_model, make_line_data, the
exercises' expected values) with these, so a change that breaks the lesson's definition in lessonlib
cannot also change the expectation it is held to.

The definitions, as the original RB109-02 script (tests/reference/rb109_02_original.py) states them:
* data: 200 points of np.linspace(-10, 10) as float32, y = 2x + 1; np.random.seed(seed) then
  np.random.shuffle of the indices; the first 80% train, the rest validate;
* net: torch.manual_seed(seed), then nn.Sequential(Linear(1, 16), ReLU, Linear(16, 16), ReLU, Linear(16, 1));
* batches: DataLoader(batch_size=32, shuffle=True) drawing from the global generator as it stands
  after the net was built. Per epoch, torch's DataLoader draws one int64 (its iterator's base
  seed), then RandomSampler draws one more int64 and seeds a fresh torch.Generator with it for
  torch.randperm. `epoch_orders` makes the same draws from a private torch.Generator holding that
  state; tests/test_train.py checks it against a real DataLoader, so the oracle rests on torch,
  not on lessonlib's copy of the same idea (_fast_batches);
* training: per batch forward, MSE, zero_grad, backward, step; the epoch's training loss is the
  batch losses weighted by each batch's real size, over the number of training points; the
  validation loss is the MSE over the whole validation set, without gradients.
"""
from __future__ import annotations

import functools
from contextlib import contextmanager
from dataclasses import dataclass, field

import numpy as np
import torch
from torch import nn

BATCH = 32


def line_xy(seed: int = 0, n: int = 200, target=None):
    """(x_train, y_train, x_val, y_val) as float32 NumPy arrays of shape (k, 1), the script's section 2."""
    x = np.linspace(-10.0, 10.0, n, dtype=np.float32).reshape(-1, 1)
    y = (2.0 * x + 1.0 if target is None else target(x)).astype(np.float32)
    idx = np.arange(n)
    np.random.RandomState(seed).shuffle(idx)          # the same permutation as np.random.seed(seed); shuffle
    k = int(0.8 * n)
    return x[idx[:k]], y[idx[:k]], x[idx[k:]], y[idx[k:]]


def lesson_net(seed: int = 0, hidden: int = 16, relu: bool = True):
    """torch.manual_seed(seed), then the script's net: (net, the global generator's state right after).

    The global generator is left as it was.
    """
    act = nn.ReLU if relu else nn.Identity
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        net = nn.Sequential(nn.Linear(1, hidden), act(), nn.Linear(hidden, hidden), act(), nn.Linear(hidden, 1))
        state = torch.get_rng_state()
    return net, state


def epoch_orders(rng_state: torch.Tensor, n: int):
    """The order DataLoader(shuffle=True) deals n points in, epoch after epoch, from `rng_state`."""
    g = torch.Generator()
    g.set_state(rng_state)
    while True:
        torch.empty((), dtype=torch.int64).random_(generator=g)            # the loader iterator's base seed
        seed = int(torch.empty((), dtype=torch.int64).random_(generator=g).item())   # RandomSampler's seed
        yield torch.randperm(n, generator=torch.Generator().manual_seed(seed))


@contextmanager
def one_thread():
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(before)


@dataclass
class Losses:
    train: list = field(default_factory=list)
    val: list = field(default_factory=list)


def reference_fit(net, opt, xy, rng_state, epochs: int, batch: int = BATCH) -> Losses:
    """The script's training loop, written out: no DataLoader, no lessonlib. Trains `net` in place."""
    x_train, y_train, x_val, y_val = (torch.from_numpy(np.ascontiguousarray(a)) for a in xy)
    n = len(x_train)
    out = Losses()
    orders = epoch_orders(rng_state, n)
    with one_thread():
        for _ in range(epochs):
            perm = next(orders)
            total = 0.0
            for start in range(0, n, batch):
                i = perm[start:start + batch]
                xb, yb = x_train[i], y_train[i]
                loss = nn.functional.mse_loss(net(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
                total += loss.item() * len(i)          # this batch's real size (the last one may be short)
            out.train.append(total / n)
            with torch.no_grad():
                out.val.append(nn.functional.mse_loss(net(x_val), y_val).item())
    return out


def untrained_mse(net, xy) -> float:
    """The net's MSE on the training set, before training (the divergence reference)."""
    x, y = (torch.from_numpy(np.ascontiguousarray(a)) for a in xy[:2])
    with torch.no_grad():
        return nn.functional.mse_loss(net(x), y).item()


@functools.lru_cache(maxsize=None)
def trained_lesson_net():
    """The lesson's net after the script's training (Adam, lr 0.01, 300 epochs); shared, do not train it further."""
    net, state = lesson_net(0)
    reference_fit(net, torch.optim.Adam(net.parameters(), lr=0.01), line_xy(0), state, epochs=300)
    return net


def predict(net, x: float) -> float:
    with torch.no_grad():
        return net(torch.tensor([[float(x)]])).item()


def weights64(net) -> list[np.ndarray]:
    """[W1, b1, W2, b2, W3, b3] of the lesson's net as float64 NumPy arrays (W: (out, in))."""
    return [p.detach().double().numpy().copy() for p in net.parameters()]


def forward64(weights, x: np.ndarray) -> dict:
    """The forward pass by hand in float64, with samples in rows: x (B, 1) -> z1, a1, z2, a2, y_hat."""
    W1, b1, W2, b2, W3, b3 = weights
    z1 = x @ W1.T + b1
    a1 = np.maximum(z1, 0.0)
    z2 = a1 @ W2.T + b2
    a2 = np.maximum(z2, 0.0)
    return {"x": x, "z1": z1, "a1": a1, "z2": z2, "a2": a2, "y_hat": a2 @ W3.T + b3}


def diverged(loss: float, reference: float, factor: float = 1000.0) -> bool:
    """The series' rule, as lesson 06 states it: not a finite number, or above 1000 x the untrained loss."""
    return not np.isfinite(loss) or loss > factor * reference
