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

DIVERGENCE_FACTOR = 1000.0
"""Training has diverged when an epoch's loss is above this multiple of the untrained net's loss.

The one definition of divergence, used by fit(), the widgets, the checkers and the lessons
(`diverged(loss, reference)`): a loss that is not a finite number, or a loss above
DIVERGENCE_FACTOR times the untrained model's loss on the training set (History.reference_loss;
130.66 for the lesson's net and data). Measured on the optimizer explorer's whole grid
(lr 10^-4 .. 10^0.5 in steps of 10^0.1, four optimizers, 300 epochs, fit() itself):
* a net that learned nothing (constant output, e.g. all ReLUs dead) sits at 1.04x, so every
  "bad but not exploding" run stays below 2x; the factor is far above that;
* SGD and momentum runs that blow up pass 1e7x to 1e31x one epoch before their loss turns
  inf/NaN (SGD at lr 0.3: train loss 5.3e28 = 4e26x at epoch 1, the old rule saw epoch 2); with 1000x every
  one of them is flagged at that first huge epoch;
* the largest first-epoch spike from which a run still went on to fit well is 997x (RMSprop at
  lr 0.126, ending at 0.04x); RMSprop at lr >= 0.16 spikes to 3.8e3x .. 5e7x in epoch 1 and
  never gets back below 0.07x (a poor fit), Adam at lr >= 1.6 and SGD at 0.04 spike past 1000x
  and end as dead nets (1.04x): all of these count as diverged.
The spikes grow smoothly with the learning rate, so any factor is a convention, not a gap in
the data: 1000 ("a thousand times worse than doing nothing") is round, easy to teach, and
agrees with a practitioner's verdict on every setting above.
"""


def diverged(loss: float, reference: float) -> bool:
    """The one definition: `loss` is inf/NaN, or above DIVERGENCE_FACTOR x `reference`.

    `reference` is the untrained model's loss on the training set (History.reference_loss).
    """
    loss = float(loss)
    return not math.isfinite(loss) or loss > DIVERGENCE_FACTOR * float(reference)


def untrained_loss(model: nn.Module, data: LineData, device: str | torch.device = "cpu",
                   loss_fn: nn.Module | None = None) -> float:
    """The model's loss on the training set as it is now (before training: the divergence reference)."""
    loss_fn = loss_fn or nn.MSELoss()
    x_train_t, y_train_t, _, _ = data.tensors(device)
    was_training = model.training
    model.eval()
    with torch.no_grad():
        value = loss_fn(model(x_train_t), y_train_t).item()
    model.train(was_training)
    return value


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
    diverged_at: int | None = None   # first epoch where diverged(loss, reference_loss); training stopped there
    seconds: float = 0.0             # wall time (varies run to run: never print it in a lesson)
    reference_loss: float = math.nan  # the untrained model's loss on the training set
    divergence_factor: float = DIVERGENCE_FACTOR

    @property
    def diverged(self) -> bool:
        return self.diverged_at is not None

    @property
    def final_train_loss(self) -> float:
        return self.train_loss[-1]

    @property
    def final_val_loss(self) -> float:
        return self.val_loss[-1]

    def ratio(self, loss: float | None = None) -> float:
        """`loss` (default: the last training loss) as a multiple of the untrained model's loss."""
        if loss is None:
            loss = self.train_loss[-1] if self.train_loss else math.nan
        return float(loss) / self.reference_loss

    def divergence_message(self) -> str:
        """Empty unless diverged; else the epoch, the loss, and the rule that called it divergence."""
        if not self.diverged:
            return ""
        i = self.diverged_at - 1
        train, val = self.train_loss[i], self.val_loss[i]
        loss = train if diverged(train, self.reference_loss) else val
        if math.isfinite(loss):
            return t("train.diverged", epoch=self.diverged_at, loss=loss, ratio=self.ratio(loss),
                     factor=self.divergence_factor, reference=self.reference_loss, lr=self.lr,
                     optimizer=self.optimizer)
        return t("train.diverged_nonfinite", epoch=self.diverged_at, loss=loss, lr=self.lr,
                 optimizer=self.optimizer)

    # (room for History._repr_html_, branch `bidi`)

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
        stop_on_divergence: bool = True, out=None) -> History:
    """Train `model` in place as the original script does and return its History.

    Training stops at the first epoch whose train or val loss diverged(): inf/NaN, or above
    DIVERGENCE_FACTOR times the untrained model's training loss (History.reference_loss).
    `stop_on_divergence=False` records that epoch in `diverged_at` but trains on, to show what
    happens after a blow-up (lesson 06: momentum explodes, then its ReLUs are dead).
    An optimizer object's own learning rate is the one recorded (`lr` applies to a name only).
    `seed` fixes the batch order: the one the script gets after `torch.manual_seed(seed)` and
    building the net. `fast=True` skips the DataLoader but yields the same batches (same numbers).
    PyTorch's global generator and thread count are restored afterwards.
    """
    loss_fn = loss_fn or nn.MSELoss()
    if isinstance(optimizer, torch.optim.Optimizer):
        # an optimizer object brings its own learning rate: History (and its divergence message)
        # must name the one that trains, not fit's default `lr` argument
        opt, opt_name, lr = optimizer, type(optimizer).__name__, float(optimizer.param_groups[0]["lr"])
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
        hist.reference_loss = untrained_loss(model, data, device, loss_fn)   # the divergence reference
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
            if hist.diverged_at is None and (diverged(train_loss, hist.reference_loss)
                                             or diverged(val_loss, hist.reference_loss)):
                hist.diverged_at = epoch
                if stop_on_divergence:
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
