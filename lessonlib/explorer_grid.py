"""fit()'s own histories for every setting the optimizer explorer offers (a generated data file).

Why a file: fit() takes 0.6-2.5 s for 300 epochs here, too slow for a slider (the explorer must
re-train and redraw within 0.5 s), and no NumPy engine reproduces PyTorch float32 bit for bit
(different summation order inside matmuls, fused multiply-adds). Measured on the whole grid, a
float32 NumPy replay in torch's op order drifts from fit() by more than 1% (+ 1e-3) at 41 of
184 settings: SGD near its ceiling, RMSprop and Adam are chaotic there (a 1e-7 rounding difference
grows until the runs differ, e.g. SGD at lr 0.0126 ends at 27.7 in fit() and at 136 in the replay).
So the explorer's losses and its divergence verdict come from this file, i.e. from fit() itself;
the NumPy replay only supplies the fitted curve, and the explorer says when the replay has
drifted from fit() (see widgets.OptimizerExplorer).

The grid is the explorer's sliders: lr = 10**(k/10) for k = -40 .. 5 (FloatLogSlider min -4,
max 0.5, step 0.1), the four optimizers, seed 0 and the lesson's data, 300 epochs; a run of E
epochs is the first E epochs of the 300-epoch run (same batches, same arithmetic), stopped at
its divergence epoch. Regenerate after changing fit(), the model, the data or the divergence
rule:

    PYTHONPATH=. OMP_NUM_THREADS=1 python -m tools.make_explorer_grid

tests/test_explorer_truth.py recomputes a sample with fit(); `python -m tools.bench --grid-every 1` the whole grid.
The file is fit() on the machine kind that wrote it: on a CPU whose float32 arithmetic differs in its
last bits (tools/arithmetic.py; an Intel Xeon against the course's AMD EPYC), fit() agrees with it in the
first epoch to about 1e-6 and can part later in chaotic runs, as two runs of fit() on those two machines do.
"""
from __future__ import annotations

import functools
import math
import pathlib

import numpy as np

PATH = pathlib.Path(__file__).with_name("explorer_grid.npz")
EXPONENTS = tuple(k / 10 for k in range(-40, 6))    # log10(lr): the lr slider's values
EPOCHS = 300
SEED = 0
BATCH_SIZE = 32


def grid_lr(k: int) -> float:
    """The k-th learning rate of the grid, as the generator passed it to fit()."""
    return 10 ** EXPONENTS[k]


def grid_index(lr: float) -> int | None:
    """The grid position of `lr` (a slider value), or None when it is not on the grid."""
    if not (isinstance(lr, (int, float)) and math.isfinite(lr) and lr > 0):
        return None
    k = round(math.log10(lr) * 10) + 40
    if 0 <= k < len(EXPONENTS) and abs(math.log10(lr) - EXPONENTS[k]) < 1e-9:
        return k
    return None


def generate(path: pathlib.Path = PATH, progress=None) -> dict:
    """Run fit() for every grid setting (about 3 minutes on one core) and save the file."""
    import torch

    from .data import make_line_data
    from .model import make_model
    from .train import DIVERGENCE_FACTOR, OPTIMIZERS, fit

    data = make_line_data(SEED)
    shape = (len(OPTIMIZERS), len(EXPONENTS), EPOCHS)
    train, val = np.full(shape, np.nan), np.full(shape, np.nan)
    length = np.zeros(shape[:2], dtype=np.int16)
    diverged_at = np.zeros(shape[:2], dtype=np.int16)        # 0: did not diverge
    reference = math.nan
    for i, opt in enumerate(OPTIMIZERS):
        for k in range(len(EXPONENTS)):
            hist = fit(make_model(SEED), data, optimizer=opt, lr=grid_lr(k), epochs=EPOCHS,
                       batch_size=BATCH_SIZE, seed=SEED, fast=True, progress=False, threads=1)
            n = len(hist.train_loss)
            train[i, k, :n], val[i, k, :n] = hist.train_loss, hist.val_loss
            length[i, k], diverged_at[i, k] = n, hist.diverged_at or 0
            reference = hist.reference_loss
        if progress:
            progress(f"{opt}: done")
    out = dict(optimizers=np.array(OPTIMIZERS), exponents=np.array(EXPONENTS), train=train, val=val,
               length=length, diverged_at=diverged_at, reference_loss=np.float64(reference),
               divergence_factor=np.float64(DIVERGENCE_FACTOR), epochs=np.int16(EPOCHS),
               seed=np.int16(SEED), batch_size=np.int16(BATCH_SIZE), torch_version=np.array(torch.__version__))
    np.savez_compressed(path, **out)
    load.cache_clear()
    return out


@functools.lru_cache(maxsize=1)
def load() -> dict | None:
    """The file's arrays (cached), or None when the file is missing."""
    if not PATH.exists():
        return None
    with np.load(PATH) as f:
        return {k: f[k] for k in f.files}


def lookup(optimizer: str, lr: float, epochs: int, seed: int = 0, batch_size: int = 32):
    """fit()'s History for this explorer setting (train/val per epoch, divergence), or None off the grid.

    The result equals fit(make_model(seed), make_line_data(seed), optimizer=optimizer, lr=lr,
    epochs=epochs) except for `seconds` (0: nothing was timed).
    """
    from .train import DIVERGENCE_FACTOR, History

    grid = load()
    k = grid_index(lr)
    if (grid is None or k is None or seed != int(grid["seed"]) or batch_size != int(grid["batch_size"])
            or not 1 <= int(epochs) <= int(grid["epochs"]) or optimizer not in list(grid["optimizers"])
            or float(grid["divergence_factor"]) != DIVERGENCE_FACTOR):
        return None
    i = list(grid["optimizers"]).index(optimizer)
    n = min(int(epochs), int(grid["length"][i, k]))
    dv = int(grid["diverged_at"][i, k])
    return History(optimizer=optimizer, lr=grid_lr(k), epochs=int(epochs),
                   train_loss=[float(v) for v in grid["train"][i, k, :n]],
                   val_loss=[float(v) for v in grid["val"][i, k, :n]],
                   diverged_at=dv if 0 < dv <= n else None, seconds=0.0,
                   reference_loss=float(grid["reference_loss"]))
