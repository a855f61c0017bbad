"""Independent oracles for lesson 09 (classification), written out again without lessonlib.

The definitions, as lesson 09 states them:
* moons: one np.random.RandomState(seed); n // 2 points of class 0 at t = linspace(0, pi) on the upper
  arc (cos t, sin t), the other points of class 1 on the lower arc (1 - cos t, 0.5 - sin t); Gaussian
  noise of std `noise` drawn for all points at once (class 0 first), then the indices shuffled with
  the same generator and cut 80/20; x float32 (N, 2), y float32 (N, 1) of 0/1;
* blobs: one RandomState(seed); class k centred at radius 2, angle 90 + k * 360 / classes degrees,
  its points drawn class after class; y int64 class indices (N,); the same shuffle and cut;
* net: torch.manual_seed(seed), then Linear(2, 16), ReLU, Linear(16, 16), ReLU, Linear(16, outputs);
* training: Adam(lr), DataLoader(batch 32, shuffle, its own generator seeded `seed`), per batch forward,
  loss, zero_grad, backward, step; after every epoch the loss and accuracy over the whole sets.
"""
from __future__ import annotations

import math

import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset


def _cut(x, y, rng, n):
    idx = np.arange(n)
    rng.shuffle(idx)
    k = int(0.8 * n)
    return x[idx[:k]], y[idx[:k]], x[idx[k:]], y[idx[k:]]


def moons_xy(seed: int = 0, n: int = 200, noise: float = 0.2):
    """(x_train, y_train, x_val, y_val) of lesson 09's two moons."""
    rng = np.random.RandomState(seed)
    half = n // 2
    pts = []
    for i in range(half):
        t = math.pi * i / (half - 1)
        pts.append((math.cos(t), math.sin(t)))
    rest = n - half
    for i in range(rest):
        t = math.pi * i / (rest - 1)
        pts.append((1 - math.cos(t), 0.5 - math.sin(t)))
    x = (np.array(pts) + rng.normal(0.0, noise, size=(n, 2))).astype(np.float32)
    y = np.array([0.0] * half + [1.0] * rest, dtype=np.float32).reshape(n, 1)
    return _cut(x, y, rng, n)


def blobs_xy(seed: int = 0, n: int = 240, classes: int = 3, spread: float = 1.0):
    """(x_train, y_train, x_val, y_val) of lesson 09's three clouds of points."""
    rng = np.random.RandomState(seed)
    xs, ys = [], []
    for k in range(classes):
        count = n // classes + (1 if k < n % classes else 0)
        angle = math.radians(90.0 + 360.0 * k / classes)
        centre = np.array([2 * math.cos(angle), 2 * math.sin(angle)])
        xs.append(centre + rng.normal(0.0, spread, size=(count, 2)))
        ys += [k] * count
    x = np.concatenate(xs).astype(np.float32)
    return _cut(x, np.array(ys, dtype=np.int64), rng, n)


def classifier_net(seed: int = 0, outputs: int = 1, hidden: int = 16) -> nn.Sequential:
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return nn.Sequential(nn.Linear(2, hidden), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU(),
                             nn.Linear(hidden, outputs))


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=np.float64)))


def bce(z, y) -> float:
    """Mean binary cross-entropy of logits z against 0/1 labels y, in float64 NumPy."""
    p, y = sigmoid(z), np.asarray(y, dtype=np.float64)
    return float(np.mean(-(y * np.log(p) + (1 - y) * np.log(1 - p))))


def accuracy_np(z, y) -> float:
    """One logit per point: class 1 where z > 0. Several: the index of the largest logit."""
    z, y = np.asarray(z, dtype=np.float64), np.asarray(y)
    picked = (z > 0).astype(np.float64) if z.shape[-1] == 1 else z.argmax(axis=-1)
    return float(np.mean(picked == y))


def reference_classifier_fit(net, xy, epochs: int, lr: float = 0.01, seed: int = 0):
    """Lesson 09's loop written out; trains `net` in place. Returns per-epoch (train loss, train accuracy)."""
    x_train, y_train = (torch.from_numpy(np.ascontiguousarray(a)) for a in xy[:2])
    loss_fn = nn.BCEWithLogitsLoss() if y_train.dtype == torch.float32 else nn.CrossEntropyLoss()
    opt = torch.optim.Adam(net.parameters(), lr=lr)
    loader = DataLoader(TensorDataset(x_train, y_train), batch_size=32, shuffle=True,
                        generator=torch.Generator().manual_seed(seed))
    losses, accs = [], []
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        for _ in range(epochs):
            for xb, yb in loader:
                loss = loss_fn(net(xb), yb)
                opt.zero_grad()
                loss.backward()
                opt.step()
            with torch.no_grad():
                z = net(x_train)
                losses.append(loss_fn(z, y_train).item())
                accs.append(accuracy_np(z.numpy(), y_train.numpy()))
    finally:
        torch.set_num_threads(before)
    return losses, accs
