"""Classification (lesson 09): accuracy, the lesson's loop with its history and snapshots, the boundary grid.

The loop is the one lesson 09 types out first: the same five steps as lessons 00-08, with
BCEWithLogitsLoss (two classes, one logit) or CrossEntropyLoss (three classes, three logits)
instead of MSE. After every epoch it records the loss and the accuracy on the training and the
validation set, and a copy of the weights, so the boundary widget can step through the epochs.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass, field

import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from .data import ClassData
from .train import intra_op_threads, make_optimizer

EPOCHS = 60          # lesson 09's training: Adam, lr 0.01, batches of 32 (the series' settings)
LR = 0.01
BATCH_SIZE = 32


def loss_function(data: ClassData) -> nn.Module:
    """BCEWithLogitsLoss for two classes (one logit per point), CrossEntropyLoss for more."""
    return nn.BCEWithLogitsLoss() if data.classes == 2 else nn.CrossEntropyLoss()


def predicted_class(logits: torch.Tensor) -> torch.Tensor:
    """One logit: class 1 where z > 0, i.e. sigmoid(z) > 0.5. Several logits: the largest one."""
    if logits.shape[-1] == 1:
        return (logits > 0).to(torch.float32)
    return logits.argmax(dim=-1)


def accuracy(logits: torch.Tensor, y: torch.Tensor) -> float:
    """The fraction of points whose predicted class is the label (0.0 .. 1.0)."""
    return (predicted_class(logits) == y).to(torch.float32).mean().item()


@dataclass
class ClassifierRun:
    """What fit_classifier recorded: per epoch (index 0 = before training) the losses, accuracies, weights."""
    train_loss: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    train_acc: list[float] = field(default_factory=list)
    val_acc: list[float] = field(default_factory=list)
    states: list[dict] = field(default_factory=list)     # state_dict copies, one per recorded epoch

    @property
    def epochs(self) -> int:
        return len(self.train_loss) - 1


def evaluate(model: nn.Module, data: ClassData, loss_fn: nn.Module | None = None) -> tuple[float, float, float, float]:
    """(train loss, val loss, train accuracy, val accuracy) of the model as it is now, without gradients."""
    loss_fn = loss_fn or loss_function(data)
    x_train, y_train, x_val, y_val = data.tensors()
    was_training = model.training
    model.eval()
    with torch.no_grad():
        z_train, z_val = model(x_train), model(x_val)
        out = (loss_fn(z_train, y_train).item(), loss_fn(z_val, y_val).item(),
               accuracy(z_train, y_train), accuracy(z_val, y_val))
    model.train(was_training)
    return out


def _record(run: ClassifierRun, model: nn.Module, data: ClassData, loss_fn: nn.Module) -> None:
    train_loss, val_loss, train_acc, val_acc = evaluate(model, data, loss_fn)
    run.train_loss.append(train_loss)
    run.val_loss.append(val_loss)
    run.train_acc.append(train_acc)
    run.val_acc.append(val_acc)
    run.states.append(copy.deepcopy(model.state_dict()))


def fit_classifier(model: nn.Module, data: ClassData, *, epochs: int = EPOCHS, lr: float = LR, optimizer: str = "adam",
                   batch_size: int = BATCH_SIZE, seed: int = 0, loss_fn=None, threads: int | None = 1) -> ClassifierRun:
    """Train `model` in place with lesson 09's loop (the five steps per batch; Adam unless `optimizer` says) and return its run.

    The batches come from DataLoader(shuffle=True) with its own generator seeded `seed`, so the
    notebook's loop written out with the same generator gives the same numbers. After every
    epoch (and once before the first) the losses and accuracies over the whole training and
    validation sets are recorded, with a copy of the weights. `loss_fn` (a function of logits and
    labels) replaces the lesson's loss, e.g. MSE on sigmoid(z) to compare (the accuracies are comparable).
    """
    loss_fn = loss_fn or loss_function(data)
    opt = make_optimizer(optimizer, model.parameters(), lr)
    x_train, y_train = data.tensors()[:2]
    loader = DataLoader(TensorDataset(x_train, y_train), batch_size=batch_size, shuffle=True,
                        generator=torch.Generator().manual_seed(seed))
    run = ClassifierRun()
    with intra_op_threads(threads):
        _record(run, model, data, loss_fn)
        for _ in range(epochs):
            model.train()
            for xb, yb in loader:
                logits = model(xb)              # 1. forward pass: one logit per point (or one per class)
                loss = loss_fn(logits, yb)      # 2. loss: BCEWithLogitsLoss / CrossEntropyLoss
                opt.zero_grad()                 # 3. clear old gradients
                loss.backward()                 # 4. backpropagation
                opt.step()                      # 5. parameter update
            _record(run, model, data, loss_fn)
    return run


def grid_probabilities(model: nn.Module, xlim, ylim, n: int = 101) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(X, Y, P) on an n x n grid: P is sigmoid(logit), the probability of class 1 (one logit),
    or the predicted class index (several logits). The decision boundary is where P crosses 0.5."""
    xs, ys = np.linspace(*xlim, n), np.linspace(*ylim, n)
    X, Y = np.meshgrid(xs, ys)
    pts = torch.from_numpy(np.stack([X.ravel(), Y.ravel()], axis=1).astype(np.float32))
    was_training = model.training
    model.eval()
    with torch.no_grad():
        z = model(pts)
    model.train(was_training)
    P = torch.sigmoid(z[:, 0]) if z.shape[1] == 1 else z.argmax(dim=1).to(torch.float32)
    return X, Y, P.numpy().astype(np.float64).reshape(X.shape)


def plot_limits(data: ClassData, margin: float = 0.5) -> tuple[tuple[float, float], tuple[float, float]]:
    """x and y limits around all the points, with a margin (the same for every epoch of a run)."""
    lo, hi = data.x.min(axis=0) - margin, data.x.max(axis=0) + margin
    return (float(lo[0]), float(hi[0])), (float(lo[1]), float(hi[1]))
