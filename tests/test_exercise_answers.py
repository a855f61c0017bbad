"""Every exercise's expected answer, computed here from the lesson's definition (issue 16).

The checkers in lessonlib.exercises compute their expected values from lessonlib's own code
(make_model, manual.forward, fit, ...). A bug there would move the expected value and the
checker together, and the notebooks' solutions (which call the same code) would still pass. So
this table computes each right answer independently: by arithmetic from the exercise's text
(1*8+8 + 8*8+8 + 8*1+1 parameters), with NumPy by hand (the forward and backward pass in
float64), or with the script's loop written out in plain PyTorch (tests/oracles.py, held equal
to fit in tests/test_train.py). Nothing here imports lessonlib except to call check and reveal.

For every exercise:
* the independent right answer gets status "correct";
* reveal(id).expected equals it (exactly, or within a tolerance whose reason is written beside it);
* at least two typical wrong answers get status "wrong" and the diagnosis (Result.mistake) named here.
An exercise registered without an entry here fails test_every_exercise_has_an_independent_answer.
"""
from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
import pytest
import torch
from torch import nn

from lessonlib.exercises import EXERCISES, check, reveal
from tests import test_capstone as capstone_loops
from tests.oracles_classification import bce as cls_bce, sigmoid as cls_sigmoid
from tests.oracles_cnn import ANSWERS_10
from tests.oracles import (diverged, forward64, lesson_net, line_xy, predict, reference_fit, trained_lesson_net,
                           untrained_mse, weights64)

STEPS = ("forward", "loss", "zero_grad", "backward", "step")   # the five steps of lessons 00 and 08


@dataclass
class Entry:
    right: object                       # the right answer (a zero-argument function for the costly ones)
    wrong: list                         # [(a typical wrong answer, the Result.mistake it must get), ...]
    tol: float = 0.0                    # |reveal(id).expected - right| allowed (0: exactly equal)
    why_tol: str = ""                   # the reason for a tolerance > 0

    def value(self):
        return self.right() if callable(self.right) and not _is_loop(self.right) else self.right


def _is_loop(fn) -> bool:
    return getattr(fn, "__code__", None) is not None and fn.__code__.co_argcount == 5


def _choices(right: str, options, key) -> Entry:
    """A choice exercise: every other option must get its own diagnosis, key(option)."""
    return Entry(right, [(o, key(o)) for o in options if o != right])


# ---- the lesson's sample computations, by hand ---------------------------------------------------

@functools.lru_cache(maxsize=None)
def _sample(i: int):
    """Lesson 05's training point i through the untrained net, in float64 NumPy: (cache, y, weights)."""
    net, _ = lesson_net(0)
    w = weights64(net)
    x_train, y_train = line_xy(0)[:2]
    x, y = x_train[i:i + 1].astype(np.float64), y_train[i:i + 1].astype(np.float64)
    return forward64(w, x), y, w


def _d_y_hat(i: int) -> float:
    """dL/dy_hat for a batch of one, L = (y_hat - y)**2."""
    cache, y, _ = _sample(i)
    return float(2 * (cache["y_hat"][0, 0] - y[0, 0]))


def _hidden_grads(slip: str = "") -> dict:
    """05.hidden_grads by the chain rule with column vectors; `slip` makes a typical mistake."""
    cache, y, (W1, b1, W2, b2, W3, b3) = _sample(0)
    x, a1 = cache["x"].T, cache["a1"].T                       # (1, 1), (16, 1)
    z1, z2 = cache["z1"].T, cache["z2"].T
    d3 = 2 * (cache["y_hat"] - y)                             # (1, 1)
    d2 = (W3.T @ d3) * (z2 > 0)                               # (16, 1)
    dW2 = d2 @ a1.T                                           # (16, 16)
    dW1 = ((W2.T @ d2) * (z1 > 0)) @ x.T                      # (16, 1)
    if slip == "no_two":
        return {"delta2": d2 / 2, "W2": dW2 / 2, "W1": dW1 / 2}
    if slip == "outer_w2":
        return {"delta2": d2, "W2": a1 @ d2.T, "W1": dW1}
    return {"delta2": d2, "W2": dW2, "W1": dW1}


def _a1(x: float) -> np.ndarray:
    """Layer 1 after ReLU at x, from W1 and b1 (float64): (1, 16)."""
    W1, b1 = weights64(lesson_net(0)[0])[:2]
    return np.maximum(x * W1[:, 0] + b1, 0).reshape(1, -1)


# ---- the trained ones, with the script's loop written out -------------------------------------

def _learns(lr, optimizer=torch.optim.SGD, **kwargs):
    """Lesson 06's verdict for the lesson's net: no epoch diverged, final validation loss below 1."""
    net, state = lesson_net(0)
    xy = line_xy(0)
    ref_loss = untrained_mse(net, xy)
    run = reference_fit(net, optimizer(net.parameters(), lr=lr, **kwargs), xy, state, epochs=100)
    blew_up = any(diverged(a, ref_loss) or diverged(b, ref_loss) for a, b in zip(run.train, run.val, strict=True))
    return (not blew_up and run.val[-1] < 1.0), run


@functools.lru_cache(maxsize=None)
def _largest_lr() -> str:
    """0.006 learns; 0.015 and 0.04 do not (0.002, smaller, does not matter for "the largest")."""
    verdict = {lr: _learns(float(lr))[0] for lr in ("0.006", "0.015", "0.04")}
    return max((lr for lr, ok in verdict.items() if ok), key=float)


@functools.lru_cache(maxsize=None)
def _best_optimizer() -> str:
    """The lowest final validation loss after 100 epochs at lr 0.001 (lesson 06's four optimizers)."""
    kinds = {"sgd": (torch.optim.SGD, {}), "momentum": (torch.optim.SGD, {"momentum": 0.9}),
             "rmsprop": (torch.optim.RMSprop, {}), "adam": (torch.optim.Adam, {})}
    finals = {name: _learns(0.001, cls, **kw)[1].val[-1] for name, (cls, kw) in kinds.items()}
    return min(finals, key=finals.get)


@functools.lru_cache(maxsize=None)
def _normalized_lr() -> str:
    """The largest SGD lr that trains y_hat = w x + b (from w = 0, b = -3) on normalized x in 100 epochs.

    The full-batch bowl on normalized x is 2 * identity (mean x^2 = 1, mean x = 0), so the ceiling
    2 / lambda_max is 1: 0.9 is below it and 1.5 above. The mini-batches of 32 are trained here too,
    since a batch's own curvature can be larger.
    """
    x_train, y_train, x_val, y_val = line_xy(0)
    mu, sd = x_train.mean(), x_train.std()
    xy = ((x_train - mu) / sd, y_train, (x_val - mu) / sd, y_val)
    bowl = 2 * np.array([[np.mean(xy[0].astype(np.float64) ** 2), np.mean(xy[0])], [np.mean(xy[0]), 1.0]])
    assert abs(2 / np.linalg.eigvalsh(bowl)[-1] - 1.0) < 1e-3
    _, state = lesson_net(0)
    ok = []
    for lr in ("0.02", "0.1", "0.5", "0.9", "1.5"):
        line = nn.Sequential(nn.Linear(1, 1))
        with torch.no_grad():
            line[0].weight.fill_(0.0)
            line[0].bias.fill_(-3.0)
        ref_loss = untrained_mse(line, xy)
        run = reference_fit(line, torch.optim.SGD(line.parameters(), lr=float(lr)), xy, state, epochs=100)
        if not any(diverged(a, ref_loss) or diverged(b, ref_loss) for a, b in zip(run.train, run.val, strict=True)) \
                and run.val[-1] < 1.0:
            ok.append(lr)
    return max(ok, key=float)


@functools.lru_cache(maxsize=None)
def _no_relu() -> str:
    """Which targets the net without ReLUs fits (final validation loss < 1 after 100 epochs, Adam 0.01).

    y = |x|: never. Without ReLUs the net is one linear map of x, and no line comes within an MSE
    of 1 of |x| on the validation points (the least-squares line's MSE is the bound, about 8).
    y = 2x + 1: trained with the script's loop.
    """
    x_train, y_train, x_val, y_val = line_xy(0, target=np.abs)
    xv = x_val.astype(np.float64).ravel()
    A = np.stack([xv, np.ones_like(xv)], axis=1)
    best = np.mean((A @ np.linalg.lstsq(A, np.abs(xv), rcond=None)[0] - np.abs(xv)) ** 2)
    abs_fits = best < 1.0
    net, state = lesson_net(0, relu=False)
    run = reference_fit(net, torch.optim.Adam(net.parameters(), lr=0.01), line_xy(0), state, epochs=100)
    line_fits = run.val[-1] < 1.0
    return {(True, True): "A", (True, False): "B", (False, True): "C", (False, False): "D"}[(line_fits, abs_fits)]


def _pct(y_hat: float, y: float) -> float:
    """The script's % error."""
    return abs(y_hat - y) / abs(y) * 100.0


def _x12() -> str:
    net = trained_lesson_net()
    ratio = _pct(predict(net, 12.0), 25.0) / _pct(predict(net, 2.0), 5.0)
    return "A" if ratio < 10 else "B" if ratio <= 100 else "C"


def _order_letter() -> str:
    """zero_grad, step, backward: every step() finds .grad just set to None and skips the weights."""
    net, _ = lesson_net(0)
    opt = torch.optim.Adam(net.parameters(), lr=0.01)
    x, y = (torch.from_numpy(a) for a in line_xy(0)[:2])
    before = [p.detach().clone() for p in net.parameters()]
    for start in range(0, 160, 32):
        loss = nn.functional.mse_loss(net(x[start:start + 32]), y[start:start + 32])
        opt.zero_grad()
        opt.step()
        loss.backward()
    moved = any(not torch.equal(p, b) for p, b in zip(net.parameters(), before, strict=True))
    return "B" if moved else "C"          # nothing moves: the validation loss is the same every epoch


def _diverged_epoch() -> int:
    """SGD at lr 0.3 from the lesson's start: the first epoch over 1000 x the untrained training loss."""
    net, state = lesson_net(0)
    xy = line_xy(0)
    ref_loss = untrained_mse(net, xy)
    run = reference_fit(net, torch.optim.SGD(net.parameters(), lr=0.3), xy, state, epochs=2)
    return next(e for e, (a, b) in enumerate(zip(run.train, run.val, strict=True), start=1)
                if diverged(a, ref_loss) or diverged(b, ref_loss))


# ---- 08.capstone: the student's loop: the loops written out in tests/test_capstone.py ----------

# ---- the table -----------------------------------------------------------------------------------
# float32 vs float64: a value computed here in float64 from the float32 weights differs from the
# checker's float32 (or float64-from-float32) value by rounding only: about 1e-7 relative.
F32 = "the checker runs the float32 net; this is float64 NumPy on the same weights (float32 rounding)"
F64 = "both float64, the same products summed in another order (rounding of a few ulp)"

ANSWERS: dict[str, Entry] = {
    # 00: backward() writes .grad and never the parameters: 0 of the 3 layers x (weight, bias) = 6 tensors
    "00.predict_backward": Entry(0, [(6, "ex.00.predict_backward.counted_grads"),
                                     (12, "ex.00.predict_backward.counted_both")]),
    # 160 points in batches of 48: 48, 48, 48, 16 -> 4 steps per epoch, 300 epochs
    "00.updates": Entry(math.ceil(160 / 48) * 300, [(160 // 48 * 300, "ex.00.updates.floor"),
                                                    (160 * 300, "ex.00.updates.samples"),
                                                    (300, "ex.00.updates.epochs_only")]),
    # torch.from_numpy shares the array's memory: a[0] = 7 shows in the tensor
    "01.from_numpy": Entry(7.0, [(0.0, "ex.01.from_numpy.copied"), (3.5, "check.narrow.close_small")]),
    # float32 weights times a float64 input: torch refuses (no type promotion in matmul)
    "01.predict_float64": _choices("error", ("float32", "float64", "error"), {
        "float32": "ex.01.predict_float64.converted", "float64": "ex.01.predict_float64.follows_input"}.get),
    # N = 300: int(0.8 * 300) = 240 training points = 7 x 32 + 16
    "01.batches": Entry([math.ceil(240 / 32), 240 - 32 * (math.ceil(240 / 32) - 1)],
                        [([240 // 32, 16], "ex.01.batches.floor"), ([8, 32], "ex.01.batches.last_full"),
                         ([math.ceil(300 / 32), 300 % 32], "ex.01.batches.all_points")]),
    "02.predict_batch_shape": Entry((32, 1), [((32,), "ex.02.predict_batch_shape.no_column"),
                                              ((32, 16), "ex.02.predict_batch_shape.hidden"),
                                              ((1, 32), "ex.02.predict_batch_shape.transposed")]),
    "02.params8": Entry((1 * 8 + 8) + (8 * 8 + 8) + (8 * 1 + 1),
                        [(1 * 8 + 8 * 8 + 8 * 1, "ex.02.params8.no_biases"),
                         ((1 * 16 + 16) + (16 * 16 + 16) + (16 * 1 + 1), "ex.02.params8.sixteen")]),
    "02.a1": Entry(lambda: _a1(-3.0), [(lambda: _a1(3.0), "ex.02.a1.wrong_x"),
                                       (lambda: -3.0 * weights64(lesson_net(0)[0])[0].T
                                        + weights64(lesson_net(0)[0])[1], "ex.02.a1.no_relu")],
                   tol=1e-6, why_tol=F32),
    # errors 2 and -2: (4 + 4) / 2
    "03.predict_toy": Entry(((4 - 2) ** 2 + (0 - 2) ** 2) / 2,
                            [(8.0, "ex.03.mse.sum"), (0.0, "ex.03.mse.not_squared")]),
    # errors 2, 0, 1: (4 + 0 + 1) / 3
    "03.mse_by_hand": Entry(5 / 3, [(5.0, "ex.03.mse.sum"), (math.sqrt(5 / 3), "ex.03.mse.root")],
                            tol=1e-6, why_tol="the checker's MSE of float64 arrays: 5/3 to rounding"),
    # 2x misses 2x + 1 by exactly 1 at every point
    "03.line_w2_b0": Entry(1.0, [(-1.0, "ex.03.mse.not_squared"), (160.0, "ex.03.mse.sum")],
                           tol=1e-6, why_tol="y = 2x + 1 is rounded to float32, so each error is 1 to ~1e-7"),
    # the new data lie exactly on y = 0.5 x - 2: the bottom of the bowl is that line
    "03.argmin": Entry([0.5, -2.0], [([-2.0, 0.5], "ex.03.argmin.swapped"), ([2.0, 1.0], "ex.03.argmin.old_data")],
                       tol=1e-6, why_tol="least squares in float64 on float32 x: the exact line to rounding"),
    # backward() adds to .grad: three calls hold three times one call's gradient
    "04.three_backwards": Entry(3.0, [(1.0, "ex.04.three_backwards.overwrites"),
                                      (2.0, "ex.04.three_backwards.extra_calls")],
                                tol=1e-6, why_tol="a ratio of float32 gradients: 3 to float32 rounding"),
    # zero_grad() sets .grad to None and step() skips such weights; zeros still feed Adam's running average
    "04.predict_extra_step": _choices("B", "ABCD", lambda o: {"A": "ex.04.predict_extra_step.none_moves",
                                                              "C": "ex.04.predict_extra_step.reversed",
                                                              "D": "ex.04.predict_extra_step.zeros_move"}[o]),
    # each micro-batch loss is a mean over 8; four of them summed are 4x the mean over 32
    "04.micro_scale": Entry(1 / 4, [(4.0, "ex.04.micro_scale.inverse"), (1.0, "ex.04.micro_scale.unscaled"),
                                    (1 / 8, "ex.04.micro_scale.per_sample")],
                            tol=1e-6, why_tol="a ratio of float32 gradients: 1/4 to float32 rounding"),
    # dL/db3 = 2 (y_hat - y) for the first training point
    # PyTorch's ReLU has derivative 0 at z = 0
    "05.relu_mask": Entry([1.0, 0.0, 0.0, 1.0, 0.0], [([1, 0, 1, 1, 0], "ex.05.relu_mask.at_zero"),
                                                      ([1.5, 0, 0, 2, 0], "ex.05.relu_mask.values"),
                                                      ([0, 1, 1, 0, 1], "ex.05.relu_mask.flipped")]),
    "05.d_y_hat": Entry(lambda: _d_y_hat(2), [(lambda: _d_y_hat(2) / 2, "ex.05.d_y_hat.no_two"),
                                              (lambda: -_d_y_hat(2), "ex.05.d_y_hat.sign")],
                        tol=1e-9, why_tol=F64),
    # first order: dL = dL/db3 * 0.01
    "05.nudge": Entry(lambda: _d_y_hat(0) * 0.01, [(lambda: -_d_y_hat(0) * 0.01, "ex.05.nudge.sign"),
                                                   (lambda: _d_y_hat(0), "ex.05.nudge.no_nudge")],
                      tol=1e-9, why_tol=F64),
    "05.hidden_grads": Entry(_hidden_grads, [(lambda: _hidden_grads("no_two"), "ex.05.hidden_grads.no_two"),
                                             (lambda: _hidden_grads("outer_w2"), "ex.05.hidden_grads.outer_order")],
                             tol=1e-12, why_tol="autograd in float64 vs the chain rule here in float64: "
                                                "a few ulp of values below 100"),
    # all weights equal: every hidden unit computes the same value and gets the same gradient, forever
    "05.predict_symmetry": Entry(0, [(16 * 16 - 1, "ex.05.predict_symmetry.all_differ"),
                                     (16 * 16 - 16, "ex.05.predict_symmetry.per_neuron")]),
    # w - lr * grad = 0.5 - 0.1 * (-2)
    "06.sgd_update": Entry(0.5 - 0.1 * -2.0, [(0.5 + 0.1 * -2.0, "ex.06.sgd_update.sign"),
                                               (0.1 * 2.0, "ex.06.sgd_update.change_only")],
                           tol=1e-6, why_tol="the checker's SGD steps a float32 tensor: 0.7 to float32 rounding"),
    # Adam's first step: m_hat = g, v_hat = g^2, so w moves by lr * g / (|g| + eps) = lr against the gradient
    "06.predict_adam_step": Entry(0.5 + 0.1 * 2.0 / (2.0 + 1e-8), [(0.7, "ex.06.predict_adam_step.sgd"),
                                                                    (0.5, "ex.06.predict_adam_step.no_move")],
                                  tol=1e-6, why_tol="the checker's Adam steps a float32 tensor"),
    # (5 * 32 * 0.5 + 8 * 2.0) / 168: each batch's mean loss weighted by its size
    "07.epoch_loss": Entry((5 * 32 * 0.5 + 8 * 2.0) / (5 * 32 + 8),
                           [((5 * 0.5 + 2.0) / 6, "ex.07.epoch_loss.batch_mean"),
                            (5 * 32 * 0.5 + 8 * 2.0, "ex.07.epoch_loss.not_divided")],
                           ),
    "07.pct20": Entry(lambda: _pct(predict(trained_lesson_net(), 20.0), 41.0),
                      [(lambda: _pct(predict(trained_lesson_net(), 20.0), 41.0) / 100, "ex.07.pct.no_hundred"),
                       (lambda: abs(predict(trained_lesson_net(), 20.0) - 41.0), "ex.07.pct.absolute")],
                      tol=1e-9, why_tol="the same float32 net (tests/test_train.py: the oracle loop equals fit "
                                        "exactly), the same float32 forward pass; only float64 % arithmetic"),
    "08.missing_line": _choices("A", "ABCD", lambda o: f"ex.08.missing_line.not_{o}"),
    # the trusting reader divides by y(2) = 5, not by y(12) = 25
    "08.print_bug": Entry(lambda: _pct(predict(trained_lesson_net(), 12.0), 5.0),
                          [(lambda: _pct(predict(trained_lesson_net(), 12.0), 25.0), "ex.08.print_bug.real_error"),
                           (lambda: _pct(predict(trained_lesson_net(), 12.0), 5.0) / 100, "ex.07.pct.no_hundred")],
                          tol=1e-9, why_tol="the same float32 net and forward pass (see 07.pct20)"),
    # .grad grows batch after batch: nothing clears it
    "08.symptom": _choices("zero_grad", STEPS, lambda o: f"ex.08.symptom.not_{o}"),
    "08.diverged_epoch": Entry(_diverged_epoch, [(5, "ex.08.diverged.too_late"), (0.5, "ex.08.diverged.not_epoch")]),
    "08.capstone": Entry(capstone_loops.correct, [(capstone_loops.no_zero_grad, "capstone.no_zero_grad"),
                                                 (capstone_loops.no_step, "capstone.no_step")]),
}


# The choices below are decided by a computation (training, or the sign of a gradient): their wrong
# options, and the diagnosis each must get, follow from the letter computed here.
class _Lazy(Entry):
    """A choice whose right letter is computed (by training) only when a test needs it."""

    def __init__(self, letter_fn, options, key):
        super().__init__(letter_fn, [])
        self.options, self.key = options, key

    @property
    def wrong_answers(self):
        right = self.value()
        return [(o, self.key(o)) for o in self.options if o != right]


ANSWERS["05.predict_no_relu"] = _Lazy(_no_relu, "ABCD", lambda o: {
    "A": "ex.05.predict_no_relu.if_both", "B": "ex.05.predict_no_relu.if_line_only",
    "C": "ex.05.predict_no_relu.if_abs_only", "D": "ex.05.predict_no_relu.if_neither"}[o])
ANSWERS["05.predict_sign"] = _Lazy(                                  # dL/db3 = 2 (y_hat - y), first training point
    lambda: "positive" if _d_y_hat(0) > 0 else "negative" if _d_y_hat(0) < 0 else "zero",
    ("positive", "negative", "zero"), {"positive": "ex.05.predict_sign.if_above",
                                       "negative": "ex.05.predict_sign.if_below",
                                       "zero": "ex.05.predict_sign.if_zero"}.get)
ANSWERS["06.largest_lr"] = _Lazy(_largest_lr, ("0.002", "0.006", "0.015", "0.04"), lambda o: {
    "0.002": "ex.06.largest_lr.was_smaller", "0.015": "ex.06.largest_lr.was_stuck",
    "0.04": "ex.06.largest_lr.was_diverged"}[o])
ANSWERS["06.best_optimizer"] = _Lazy(_best_optimizer, ("sgd", "momentum", "rmsprop", "adam"),
                                     lambda o: "ex.06.best_optimizer.not_lowest")
ANSWERS["06.predict_normalized"] = _Lazy(_normalized_lr, ("0.02", "0.1", "0.5", "0.9", "1.5"), lambda o: {
    "0.02": "ex.06.predict_normalized.unchanged", "0.1": "ex.06.predict_normalized.smaller",
    "0.5": "ex.06.predict_normalized.one_over", "1.5": "ex.06.predict_normalized.no_two"}[o])
ANSWERS["07.predict_x12"] = _Lazy(_x12, "ABC", lambda o: f"ex.07.predict_x12.not_{o}")
ANSWERS["08.predict_order"] = _Lazy(_order_letter, "ABCD", lambda o: f"ex.08.predict_order.not_{o}")


# ---- 09_classification: the formulas in float64 NumPy (tests/oracles_classification.py) -------------
def _d_logit(z, y) -> np.ndarray:
    """dL/dz of the mean BCE over a batch: (sigmoid(z) - y) / N."""
    return (cls_sigmoid(z) - np.asarray(y)) / len(z)


def _dz_at(z: float) -> tuple[float, float]:
    """|dL/dz| for a point of class 1: BCE (sigma - 1) and MSE on sigma (2 (sigma - 1) sigma (1 - sigma))."""
    s = float(cls_sigmoid(z))
    return abs(s - 1), abs(2 * (s - 1) * s * (1 - s))


_Z09, _Y09 = [2.0, -1.0, 0.5], [1.0, 0.0, 0.0]
_ACC_Z09 = np.array([2.1, 0.3, 0.2, -1.5, -0.4, 0.9, -0.7, -2.0])
_ACC_Y09 = np.array([1.0, 1.0, 1.0, 0.0, 1.0, 0.0, 0.0, 0.0])
_GZ09, _GY09 = np.array([1.0, -2.0, 0.5, 3.0]), np.array([1.0, 0.0, 0.0, 1.0])
ANSWERS.update({
    # 1 / (1 + e^-z) for z = -2, 0, 3
    "09.sigmoid": Entry([1 / (1 + math.exp(2.0)), 0.5, 1 / (1 + math.exp(-3.0))],
                        [([1 / (1 + math.exp(-2.0)), 0.5, 1 / (1 + math.exp(3.0))], "ex.09.sigmoid.flipped"),
                         ([-2.0, 0.0, 3.0], "ex.09.sigmoid.logit")],
                        tol=1e-12, why_tol="the checker's torch.sigmoid in float64 vs math.exp: a few ulp"),
    # -(log s(2) + log(1 - s(-1)) + log(1 - s(0.5))) / 3
    "09.bce_by_hand": Entry(cls_bce(_Z09, _Y09), [(3 * cls_bce(_Z09, _Y09), "ex.09.bce_by_hand.sum"),
                                                  (-cls_bce(_Z09, _Y09), "ex.09.bce_by_hand.no_minus")],
                            tol=1e-12, why_tol=F64),
    # z > 0: 1 1 1 0 0 1 0 0 against 1 1 1 0 1 0 0 0: 6 of 8
    "09.accuracy": Entry(6 / 8, [(4 / 8, "ex.09.accuracy.threshold_half"), (2 / 8, "ex.09.accuracy.error_rate"),
                                 (75.0, "ex.09.accuracy.percent"), (6, "ex.09.accuracy.count")]),
    "09.d_logit": Entry(_d_logit(_GZ09, _GY09), [(_d_logit(_GZ09, _GY09) * 4, "ex.09.d_logit.no_mean"),
                                                 (-_d_logit(_GZ09, _GY09), "ex.09.d_logit.sign")],
                        tol=1e-12, why_tol=F64),
    # softmax sums to 1, one-hot sums to 1
    "09.predict_grad_sum": Entry(0.0, [(1.0, "ex.09.predict_grad_sum.softmax_only"),
                                       (-1.0, "ex.09.predict_grad_sum.one_hot_only")]),
})
ANSWERS["09.predict_mse_grad"] = _Lazy(                               # |dL/dz| at z = -6: BCE ~1, MSE ~0.005
    lambda: "A" if _dz_at(-6.0)[0] > 10 * _dz_at(-6.0)[1] else "C" if _dz_at(-6.0)[1] > 10 * _dz_at(-6.0)[0] else "B",
    "ABC", lambda o: f"ex.09.predict_mse_grad.not_{o}")
ANSWERS.update({i: Entry(*row) for i, row in ANSWERS_10.items()})   # lesson 10: tests/oracles_cnn.py


def _wrong_answers(entry: Entry) -> list:
    pairs = entry.wrong_answers if isinstance(entry, _Lazy) else entry.wrong
    return [(a() if callable(a) and not _is_loop(a) else a, key) for a, key in pairs]


IDS = sorted(ANSWERS)


def test_every_exercise_has_an_independent_answer():
    """A new exercise must come with its independently computed answer in ANSWERS."""
    missing = sorted(set(EXERCISES) - set(ANSWERS))
    assert not missing, f"exercises without an independent answer in tests/test_exercise_answers.py: {missing}"
    assert not set(ANSWERS) - set(EXERCISES), sorted(set(ANSWERS) - set(EXERCISES))
    assert all(isinstance(ANSWERS[i], Entry) and ANSWERS[i].right is not None for i in IDS)


@pytest.mark.parametrize("exercise_id", IDS)
def test_the_independent_answer_is_right(exercise_id):
    res = check(exercise_id, ANSWERS[exercise_id].value())
    assert res.status == "correct" and res.ok, f"{exercise_id}: {res}"


def _same(expected, mine, tol: float) -> bool:
    if isinstance(mine, dict):
        return isinstance(expected, dict) and set(expected) == set(mine) and all(
            _same(expected[k], mine[k], tol * max(1.0, float(np.abs(mine[k]).max()))) for k in mine)
    if isinstance(mine, (str, tuple)):
        return type(expected) is type(mine) and expected == mine
    if isinstance(mine, int) and tol == 0:
        return expected == mine and float(expected).is_integer()
    exp, got = np.asarray(expected, dtype=np.float64), np.asarray(mine, dtype=np.float64)
    return exp.shape == got.shape and bool(np.all(np.abs(exp - got) <= tol))


@pytest.mark.parametrize("exercise_id", IDS)
def test_reveal_shows_the_independent_answer(exercise_id):
    entry = ANSWERS[exercise_id]
    res = reveal(exercise_id)
    assert res.status == "revealed", res
    assert (entry.tol == 0) == (entry.why_tol == ""), f"{exercise_id}: a tolerance needs its reason, and only then"
    if exercise_id == "08.capstone":
        # a loop has no single value: reveal shows the five steps of one batch, in their order
        shown = res.answer
        where = [shown.find(s) for s in ("model(xb)", "loss_fn(", "zero_grad()", "backward()", "step()")]
        assert -1 not in where and where == sorted(where), shown
        return
    mine = entry.value()
    assert _same(res.expected, mine, entry.tol), f"{exercise_id}: reveal says {res.expected!r}, independently {mine!r}"


@pytest.mark.parametrize("exercise_id", IDS)
def test_typical_wrong_answers_get_their_diagnosis(exercise_id):
    wrong = _wrong_answers(ANSWERS[exercise_id])
    assert len(wrong) >= 2, f"{exercise_id}: give at least two typical wrong answers"
    for answer, key in wrong:
        res = check(exercise_id, answer)
        assert res.status == "wrong" and not res.ok, f"{exercise_id} {answer!r}: {res}"
        assert res.mistake, f"{exercise_id} {answer!r}: no diagnosis: {res.message}"
        if key is not None:
            assert res.mistake == key, f"{exercise_id} {answer!r}: diagnosed {res.mistake!r}, expected {key!r}"


def test_every_cache_behind_an_expected_value_is_cleared_by_clear_cache():
    """A cache clear_cache() cannot reach would keep the first value it computed for the whole session:
    a test (or mutmut's forked runs) would then never see a change in the function behind it."""
    import lessonlib.capstone as capstone
    import lessonlib.exercises as ex

    caches = [obj for module in (ex, capstone) for obj in vars(module).values()
              if callable(getattr(obj, "cache_clear", None)) and getattr(obj, "__module__", "") == module.__name__]
    assert caches, "no cached expected values found: the check below would prove nothing"
    known = [*ex._CACHED, *ex._CACHED_RUNS]
    assert all(any(c is k for k in known) for c in caches), [c.__name__ for c in caches if not any(c is k for k in known)]
    ex._whatif05_symmetry()
    assert ex._whatif05_symmetry.cache_info().currsize == 1
    ex.clear_cache()
    assert ex._whatif05_symmetry.cache_info().currsize == 0
