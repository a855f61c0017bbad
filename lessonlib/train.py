"""fit(): the original script's training loop (lesson 07), with the missing optimizer made explicit.

The loop is the script's, line for line: DataLoader(batch_size=32, shuffle=True), the five
steps per batch, the epoch's train loss as the size-weighted mean of batch losses, the val
loss on the whole validation set. With the script's settings it gives the script's numbers
exactly (tests/test_train.py runs the script itself to compare).
"""
from __future__ import annotations

import math
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from .data import LineData
from .model import rng_state_after_init
from .text import t

OPTIMIZERS = ("sgd", "momentum", "rmsprop", "adam")


def make_optimizer(name: str, params, lr: float) -> torch.optim.Optimizer:
    """The optimizers the lessons compare; "momentum" is SGD with momentum 0.9."""
    key = str(name).lower()
    if key == "sgd":
        return torch.optim.SGD(params, lr=lr)
    if key == "momentum":
        return torch.optim.SGD(params, lr=lr, momentum=0.9)
    if key == "rmsprop":
        return torch.optim.RMSprop(params, lr=lr)
    if key == "adam":
        return torch.optim.Adam(params, lr=lr)
    raise ValueError(t("train.unknown_optimizer", got=name, expected=list(OPTIMIZERS)))


@dataclass
class History:
    """What fit() recorded: one train and one val loss per epoch."""
    optimizer: str
    lr: float
    epochs: int
    train_loss: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    diverged_at: int | None = None   # epoch whose loss became inf/NaN; training stopped there
    seconds: float = 0.0             # wall time (varies run to run: never print it in a lesson)

    @property
    def diverged(self) -> bool:
        return self.diverged_at is not None

    @property
    def final_train_loss(self) -> float:
        return self.train_loss[-1]

    @property
    def final_val_loss(self) -> float:
        return self.val_loss[-1]

    def divergence_message(self) -> str:
        if not self.diverged:
            return ""
        loss = self.train_loss[-1] if self.train_loss else float("nan")
        return t("train.diverged", epoch=self.diverged_at, loss=loss, lr=self.lr, optimizer=self.optimizer)

    def _repr_html_(self) -> str:
        """Its summary (or divergence message), as lessonlib.show(history) draws it."""
        from .display import html_block
        return html_block(self)


@contextmanager
def intra_op_threads(n: int | None):
    """Temporarily run torch on `n` threads (1 is 2-3x faster for this tiny net), then restore."""
    if n is None:
        yield
        return
    before = torch.get_num_threads()
    torch.set_num_threads(n)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def _progress_line(epoch: int, epochs: int, train: float, val: float, width: int = 20) -> str:
    done = round(width * epoch / epochs)
    return f"[{'#' * done}{'-' * (width - done)}] " + t("train.progress", epoch=epoch, epochs=epochs, train=train, val=val)


def _fast_batches(x: torch.Tensor, y: torch.Tensor, batch_size: int):
    """The batches DataLoader(shuffle=True) would give, drawn from the same global generator.

    DataLoader's iterator first draws a base seed, then RandomSampler draws the seed of a
    fresh generator for randperm; doing the same draws gives the same order, minus the overhead.
    """
    torch.empty((), dtype=torch.int64).random_()                 # the loader's base seed
    seed = int(torch.empty((), dtype=torch.int64).random_().item())
    perm = torch.randperm(len(x), generator=torch.Generator().manual_seed(seed))
    for start in range(0, len(x), batch_size):
        i = perm[start:start + batch_size]
        yield x[i], y[i]


def fit(model: nn.Module, data: LineData, *, optimizer: str | torch.optim.Optimizer = "adam",
        lr: float = 0.01, epochs: int = 300, batch_size: int = 32, seed: int = 0,
        device: str | torch.device = "cpu", loss_fn: nn.Module | None = None,
        progress: bool = True, fast: bool = False, threads: int | None = 1,
        out=None) -> History:
    """Train `model` in place as the original script does and return its History.

    `seed` fixes the batch order: the one the script gets after `torch.manual_seed(seed)` and
    building the net. `fast=True` skips the DataLoader but yields the same batches (same numbers).
    PyTorch's global generator and thread count are restored afterwards.
    """
    loss_fn = loss_fn or nn.MSELoss()
    if isinstance(optimizer, torch.optim.Optimizer):
        opt, opt_name = optimizer, type(optimizer).__name__
    else:
        opt, opt_name = make_optimizer(optimizer, model.parameters(), lr), str(optimizer)
    x_train_t, y_train_t, x_val_t, y_val_t = data.tensors(device)
    hist = History(optimizer=opt_name, lr=lr, epochs=epochs)
    out = out or sys.stdout
    report_every = max(1, epochs // 10)
    hidden = model[0].out_features if isinstance(model, nn.Sequential) and isinstance(model[0], nn.Linear) else 16
    start = time.perf_counter()
    with torch.random.fork_rng(devices=[]), intra_op_threads(threads):
        torch.set_rng_state(rng_state_after_init(seed, hidden))
        loader = None if fast else DataLoader(TensorDataset(x_train_t, y_train_t), batch_size=batch_size, shuffle=True)
        for epoch in range(1, epochs + 1):
            model.train()
            running = 0.0
            batches = _fast_batches(x_train_t, y_train_t, batch_size) if fast else loader
            for xb, yb in batches:
                y_hat = model(xb)             # 1. forward pass
                loss = loss_fn(y_hat, yb)     # 2. loss
                opt.zero_grad()               # 3. clear old gradients
                loss.backward()               # 4. dL/dW, dL/db by the chain rule
                opt.step()                    # 5. W <- W - lr * dL/dW (the only weight change)
                running += loss.item() * xb.size(0)
            train_loss = running / len(x_train_t)
            model.eval()
            with torch.no_grad():
                val_loss = loss_fn(model(x_val_t), y_val_t).item()
            hist.train_loss.append(train_loss)
            hist.val_loss.append(val_loss)
            if not (math.isfinite(train_loss) and math.isfinite(val_loss)):
                hist.diverged_at = epoch
                break
            if progress and (epoch % report_every == 0 or epoch == epochs):
                print(_progress_line(epoch, epochs, train_loss, val_loss), file=out)
    hist.seconds = time.perf_counter() - start
    return hist


def predict(model: nn.Module, x) -> float | torch.Tensor:
    """The model's prediction at x (a number gives a number), in eval mode without gradients."""
    scalar = isinstance(x, (int, float))
    xt = torch.as_tensor(x, dtype=torch.float32).reshape(-1, 1)
    was_training = model.training
    model.eval()
    with torch.no_grad():
        y_hat = model(xt)
    model.train(was_training)
    return y_hat.item() if scalar else y_hat
