"""The lessons' exercises: `check("02.params", answer)` -> Result in the student's language.

Each exercise computes its expected answer from the lesson's own code (never a number typed
here twice) and hands it to a generic checker in lessonlib.checks. Exercise ids are
"<lesson>.<name>"; every lesson adds its own section below.
"""
from __future__ import annotations

import difflib as _difflib
import functools as _functools
import inspect as _inspect
import math as _math
from typing import Callable

import numpy as _np
import torch as _torch

from . import checks as _checks
from . import manual as _manual
from .checks import Result, _invalid, safely
from .data import make_line_data as _make_line_data, true_fn as _true_fn
from .model import count_parameters as _count_parameters, make_model as _make_model
from .stepper import STEPS as _STEPS
from .text import t as _t
from .train import DIVERGENCE_FACTOR as _DIVERGENCE_FACTOR, OPTIMIZERS as _OPTIMIZERS, fit as _fit, predict as _predict

EXERCISES: dict[str, Callable[[object], Result]] = {}


def exercise(exercise_id: str):
    """Register a checker function under `exercise_id`."""
    def register(fn):
        if exercise_id in EXERCISES:
            raise ValueError(f"duplicate exercise id {exercise_id!r}")
        EXERCISES[exercise_id] = fn
        return fn
    return register


def check(exercise_id: str, answer) -> Result:
    """Check the answer to one exercise; any answer at all gets a message, never a traceback."""
    fn = EXERCISES.get(exercise_id) if isinstance(exercise_id, str) else None
    if fn is None:
        return _unknown_exercise(exercise_id)
    return safely(fn, answer)


def _unknown_exercise(exercise_id) -> Result:
    """Not an exercise id: say what was given, list the valid ids, and suggest the closest one."""
    ids = sorted(EXERCISES)
    if isinstance(exercise_id, str):
        res = _invalid("check.unknown_exercise", got=exercise_id[:_checks.MAX_SHOWN], expected=ids)
        candidates = [exercise_id.strip()]
    else:
        res = _invalid("check.exercise_id_type", example=ids[0] if ids else "00.name",
                       got=_checks._shown(exercise_id), type=_checks._type_name(exercise_id), expected=ids)
        candidates = [v.strip() for v in exercise_id if isinstance(v, str)] \
            if isinstance(exercise_id, (list, tuple)) else []    # check(["02.w2"], 5)
    for text in candidates:
        close = _difflib.get_close_matches(text, ids, n=1, cutoff=0.6)
        if close:
            return Result(False, res.message + " " + _t("check.did_you_mean", suggestion=close[0]), "invalid")
    return res


# ---- 00_start_here ---------------------------------------------------------------------------

def _exact_count(answer, expected: int, what: str = "") -> Result:
    """A whole number that must be exactly right ("got 4, expected 5", no tolerance talk)."""
    res = _checks.check_number(answer, expected, 0, what)
    if res.status == "wrong":
        got = float(_checks._to_array(answer).reshape(-1)[0])
        return Result(False, _t("check.got_expected_exact", got=f"{got:g}", expected=expected))
    return res


def _fit_default(name: str):
    """A training setting as the lesson's loop (lessonlib.fit) uses it: batch_size 32, epochs 300."""
    return _inspect.signature(_fit).parameters[name].default


@exercise("00.only_step")
def _ex00_only_step(answer):
    return _checks.check_choice(answer, "step", _STEPS, hint=_t("ex.00.only_step.hint"),
                                what=_t("ex.00.only_step.ok"))


@exercise("00.steps_per_batch")
def _ex00_steps_per_batch(answer):
    return _exact_count(answer, len(_STEPS), what=_t("ex.00.steps_per_batch.ok"))


@exercise("00.updates")
def _ex00_updates(answer):
    batches = _math.ceil(_make_line_data().train_size / _fit_default("batch_size"))
    epochs = _fit_default("epochs")
    total = batches * epochs
    return _exact_count(answer, total, what=_t("ex.00.updates.ok", batches=batches, epochs=epochs, total=total))


# ---- 01_data_and_tensors ---------------------------------------------------------------------
@exercise("01.train_size")
def _ex01_train_size(answer):
    data = _make_line_data()
    n, train = len(data.x), data.train_size
    return _exact_count(answer, train, what=_t("ex.01.train_size.ok", n=n, train=train, val=n - train))


@exercise("01.y_at")
def _ex01_y_at(answer):
    x = 2.5
    y = float(_true_fn(x))
    return _checks.check_number(answer, y, 1e-4, what=_t("ex.01.y_at.ok", x=x, y=f"{y:g}"))


@exercise("01.x_train_shape")
def _ex01_x_train_shape(answer):
    expected = tuple(_make_line_data().x_train.shape)
    return _checks.check_shape(answer, expected, what=_t("ex.01.shape.ok", shape=expected))


# ---- 02_forward --------------------------------------------------------------------------------
EX02_A1_X = -3.0     # the input of exercise 02.a1 (the notebook's x_ex)


@exercise("02.params8")
def _ex02_params8(answer):
    model = _make_model(hidden=8)
    counts = [sum(p.numel() for p in layer.parameters()) for layer in model if any(True for _ in layer.parameters())]
    total = _count_parameters(model)
    return _exact_count(answer, total, what=_t("ex.02.params8.ok", total=total,
                                                 counts=" + ".join(str(c) for c in counts)))


@exercise("02.w2")
def _ex02_w2(answer):
    w2 = _make_model()[2].weight
    return _exact_count(answer, w2.numel(), what=_t("ex.02.w2.ok", shape=tuple(w2.shape), n=w2.numel()))


@exercise("02.a1")
def _ex02_a1(answer):
    model = _make_model()
    with _torch.no_grad():
        a1 = model[1](model[0](_torch.tensor([[EX02_A1_X]]))).numpy()       # (1, 16)
    return _checks.check_array(answer, a1, 1e-4, what=_t("ex.02.a1.ok", active=int((a1 > 0).sum())),
                               also_shapes=[(a1.size,), (a1.size, 1)])      # (16,) or (16, 1) also count


# ---- 03_loss -------------------------------------------------------------------------------------

EX03_Y_HAT, EX03_Y = [3.0, 0.0, 5.0], [1.0, 0.0, 4.0]   # the table in exercise 03.mse_by_hand
EX03_NEW_LINE = (0.5, -2.0)                             # exercise 03.argmin: y = 0.5 x - 2


@exercise("03.mse_by_hand")
def _ex03_mse_by_hand(answer):
    expected = _manual.mse(_np.array(EX03_Y_HAT), _np.array(EX03_Y))
    return _checks.check_number(answer, expected, 1e-3, what=_t("ex.03.mse_by_hand.ok", value=f"{expected:.4f}"))


@exercise("03.line_w2_b0")
def _ex03_line_w2_b0(answer):
    data = _make_line_data(seed=0)
    expected = _manual.mse(2.0 * data.x_train + 0.0, data.y_train)
    return _checks.check_number(answer, expected, 1e-4, what=_t("ex.03.line_w2_b0.ok"))


@exercise("03.argmin")
def _ex03_argmin(answer):
    x = _make_line_data(seed=0).x_train.astype(_np.float64).ravel()
    w, b = _np.polyfit(x, EX03_NEW_LINE[0] * x + EX03_NEW_LINE[1], 1)   # least squares: the exact minimum
    return _checks.check_array(answer, [w, b], 0.05, what=_t("ex.03.argmin.ok", w=f"{w:.4g}", b=f"{b:.4g}"))


# ---- 04_zero_grad -------------------------------------------------------------------------------
EX04_MICRO = 8    # exercise 04.micro_scale: micro-batches of 8 from the lesson's batch of 32


def _ex04_batch():
    """Lesson 04's model, loss function and batch (the first 32 training points)."""
    x, y = _make_line_data(seed=0).tensors()[:2]
    return _make_model(seed=0), _torch.nn.MSELoss(), x[:32], y[:32]


@exercise("04.three_backwards")
def _ex04_three_backwards(answer):
    model, loss_fn, xb, yb = _ex04_batch()
    loss = loss_fn(model(xb), yb)
    loss.backward(retain_graph=True)
    once = model[0].bias.grad.clone()
    loss.backward(retain_graph=True)
    loss.backward()
    used = once != 0
    ratio = float((model[0].bias.grad[used] / once[used]).mean())
    return _checks.check_number(answer, ratio, 0.01, what=_t("ex.04.three_backwards.ok", ratio=f"{ratio:.4g}"))


@exercise("04.after_zero_grad")
def _ex04_after_zero_grad(answer):
    model, loss_fn, xb, yb = _ex04_batch()
    optimizer = _torch.optim.Adam(model.parameters(), lr=0.01)
    loss_fn(model(xb), yb).backward()
    optimizer.zero_grad()
    expected = "None" if model[0].weight.grad is None else "zeros"
    if answer is None:                 # the Python value None means the same as the string "None"
        answer = "None"
    return _checks.check_choice(answer, expected, ["None", "zeros"], hint=_t("ex.04.after_zero_grad.hint"),
                         what=_t("ex.04.after_zero_grad.ok"))


@exercise("04.micro_scale")
def _ex04_micro_scale(answer):
    model, loss_fn, xb, yb = _ex04_batch()
    loss_fn(model(xb), yb).backward()
    full = model[0].bias.grad.clone()
    model.zero_grad()
    for start in range(0, len(xb), EX04_MICRO):          # unscaled micro-batch losses, accumulated
        loss_fn(model(xb[start:start + EX04_MICRO]), yb[start:start + EX04_MICRO]).backward()
    used = full != 0
    scale = float((full[used] / model[0].bias.grad[used]).mean())   # the factor that makes them equal
    return _checks.check_number(answer, scale, 1e-3, what=_t(
        "ex.04.micro_scale.ok", parts=len(xb) // EX04_MICRO, micro=EX04_MICRO, full=len(xb), scale=f"{scale:.4g}"))


# ---- 05_backward --------------------------------------------------------------------------------
EX05_RELU_Z = [1.5, -0.3, 0.0, 2.0, -4.0]   # exercise 05.relu_mask
EX05_NUDGE = 0.01                           # exercise 05.nudge: b3 += 0.01 for training sample 0


def _ex05_sample(i: int):
    """Lesson 05's one-sample backward pass (float64) for training point i: (cache, grads)."""
    data = _make_line_data(seed=0)
    params = _manual.params_from_model(_make_model(seed=0))
    x, y = data.x_train[i:i + 1].astype(_np.float64), data.y_train[i:i + 1].astype(_np.float64)
    cache = _manual.forward(params, x)
    return cache, _manual.backward(params, cache, y), y


@exercise("05.relu_mask")
def _ex05_relu_mask(answer):
    z = _torch.tensor(EX05_RELU_Z, dtype=_torch.float64, requires_grad=True)
    _torch.relu(z).sum().backward()                  # PyTorch's own ReLU derivative is the reference
    try:                                            # a boolean mask such as (z > 0) is a fine answer
        raw = _np.asarray(answer.detach().cpu() if hasattr(answer, "detach") else answer)
        if raw.dtype == bool:
            answer = raw.astype(_np.float64)
    except Exception:   # noqa: BLE001 - anything else goes to check_array, which explains the problem
        pass
    return _checks.check_array(answer, z.grad.numpy(), 0.01, what=_t("ex.05.relu_mask.ok"))


@exercise("05.d_y_hat")
def _ex05_d_y_hat(answer):
    cache, grads, y = _ex05_sample(2)
    expected = float(grads["d_y_hat"][0, 0])
    return _checks.check_number(answer, expected, 1e-3, what=_t(
        "ex.05.d_y_hat.ok", y_hat=f"{cache['y_hat'][0, 0]:.4f}", y=f"{y[0, 0]:.4f}", value=f"{expected:.4f}"))


@exercise("05.nudge")
def _ex05_nudge(answer):
    _, grads, _ = _ex05_sample(0)
    grad = float(grads["b3"][0])
    expected = grad * EX05_NUDGE
    # 1e-3 accepts the first-order prediction and the exact change (they differ by 1e-4 here)
    return _checks.check_number(answer, expected, 1e-3, what=_t("ex.05.nudge.ok", grad=f"{grad:.4f}", value=f"{expected:.4f}"))


# ---- 06_step --------------------------------------------------------------------------------------

EX06_W, EX06_GRAD, EX06_LR = 0.5, -2.0, 0.1       # 06.sgd_update: the notebook's w_ex, grad_ex, lr_ex
EX06_LR_OPTIONS = ("0.002", "0.006", "0.015", "0.04")   # 06.largest_lr: SGD learning rates to try
EX06_LEARNS_BELOW = 1.0                            # 06.largest_lr: "learns" = no divergence, final val loss below this
EX06_BEST_LR = 0.001                               # 06.best_optimizer (the lesson itself compares at 0.01)
EX06_EPOCHS = 100                                  # both comparisons train this many epochs


@_functools.lru_cache(maxsize=None)
def _history06(optimizer: str, lr: float, epochs: int):
    """One short fit of a fresh lesson net (cached: checkers may be called many times)."""
    return _fit(_make_model(), _make_line_data(), optimizer=optimizer, lr=lr, epochs=epochs,
                fast=True, progress=False)


@exercise("06.sgd_update")
def _ex06_sgd_update(answer):
    w = _torch.tensor([EX06_W], requires_grad=True)
    w.grad = _torch.tensor([EX06_GRAD])
    _torch.optim.SGD([w], lr=EX06_LR).step()         # the optimizer computes the expected value
    new = w.item()
    return _checks.check_number(answer, new, 1e-6, what=_t("ex.06.sgd_update.ok", w=EX06_W, lr=EX06_LR,
                                                             grad=EX06_GRAD, new=new))


def _dead_relus(model, x) -> int:
    """Layer-2 ReLUs that output 0 for every x (lesson 06): dead units pass no gradient back."""
    with _torch.no_grad():
        a2 = model[:4](x)                                  # output of the second ReLU, (N, 16)
    return int((a2 == 0).all(dim=0).sum())


@_functools.lru_cache(maxsize=None)
def _sgd_run06(lr: float):
    """One SGD fit for 06.largest_lr: its History and how many layer-2 ReLUs ended dead."""
    model, data = _make_model(), _make_line_data()
    hist = _fit(model, data, optimizer="sgd", lr=lr, epochs=EX06_EPOCHS, fast=True, progress=False)
    return hist, _dead_relus(model, data.tensors()[0])


def _learns06(hist) -> bool:
    return not hist.diverged and _math.isfinite(hist.final_val_loss) and hist.final_val_loss < EX06_LEARNS_BELOW


@exercise("06.largest_lr")
def _ex06_largest_lr(answer):
    runs = {o: _sgd_run06(float(o)) for o in EX06_LR_OPTIONS}
    learning = [o for o in EX06_LR_OPTIONS if _learns06(runs[o][0])]
    expected = max(learning, key=float)
    if isinstance(answer, (int, float)) and not isinstance(answer, bool):
        answer = f"{answer:g}"                             # 0.006 counts as "0.006"
    hint = _t("ex.06.largest_lr.hint", below=EX06_LEARNS_BELOW, epochs=EX06_EPOCHS)
    got = answer.strip() if isinstance(answer, str) else None
    if got in runs and got != expected:                    # say what that learning rate did, not which one is right
        hist, dead = runs[got]
        if hist.diverged:
            hint = _t("ex.06.largest_lr.was_diverged", lr=got, epoch=hist.diverged_at)
        elif not _learns06(hist):
            hint = _t("ex.06.largest_lr.was_stuck", lr=got, loss=hist.final_val_loss, dead=dead,
                      below=EX06_LEARNS_BELOW)
        else:
            hint = _t("ex.06.largest_lr.was_smaller", lr=got, loss=hist.final_val_loss)
    hist, dead = runs[expected]
    return _checks.check_choice(answer, expected, EX06_LR_OPTIONS, hint=hint,
                                what=_t("ex.06.largest_lr.ok", lr=expected, loss=hist.final_val_loss,
                                        epochs=EX06_EPOCHS, below=EX06_LEARNS_BELOW))


@exercise("06.best_optimizer")
def _ex06_best_optimizer(answer):
    losses = {name: _history06(name, EX06_BEST_LR, EX06_EPOCHS).final_val_loss for name in _OPTIMIZERS}
    best = min(losses, key=losses.get)
    return _checks.check_choice(answer, best, _OPTIMIZERS, hint=_t("ex.06.best_optimizer.hint"),
                                what=_t("ex.06.best_optimizer.ok", name=best, loss=losses[best], lr=EX06_BEST_LR))


# ---- 07_full_training_loop ----------------------------------------------------------------------
EX07_X_TRUE = 12.0     # 07.true_y12: the x the original script predicts at
EX07_X_PCT = 20.0      # 07.pct20: a point further outside the training range


@_functools.lru_cache(maxsize=None)
def _trained07():
    """The lesson's network after the script's training (Adam, lr 0.01, 300 epochs): lesson 07's model."""
    model = _make_model()
    _fit(model, _make_line_data(), fast=True, progress=False)
    return model


@exercise("07.true_y12")
def _ex07_true_y12(answer):
    y = float(_true_fn(EX07_X_TRUE))
    return _checks.check_number(answer, y, 1e-6, what=_t("ex.07.true_y12.ok", y=y))


@exercise("07.steps")
def _ex07_steps(answer):
    train, batch, epochs = _make_line_data().train_size, _fit_default("batch_size"), _fit_default("epochs")
    batches = _math.ceil(train / batch)
    return _exact_count(answer, batches * epochs, what=_t("ex.07.steps.ok", train=train, batch=batch,
                                                           batches=batches, epochs=epochs, total=batches * epochs))


@exercise("07.pct20")
def _ex07_pct20(answer):
    y_hat, y = _predict(_trained07(), EX07_X_PCT), float(_true_fn(EX07_X_PCT))
    pct = abs(y_hat - y) / abs(y) * 100.0
    return _checks.check_number(answer, pct, 1e-3, what=_t("ex.07.pct20.ok", x=EX07_X_PCT, pct=pct))


# ---- 08_break_it ---------------------------------------------------------------------------------
EX08_MISSING_LINE = "A"      # 08.missing_line: option A of the notebook's list is the fix
EX08_X_TEST = 12.0           # 08.x_predicted / 08.comment: the original's x_test = _torch.tensor([[12.0]])
EX08_DIVERGE_LR = 0.3        # 08.diverged_epoch


@exercise("08.missing_line")
def _ex08_missing_line(answer):
    return _checks.check_choice(answer, EX08_MISSING_LINE, ("A", "B", "C", "D"),
                                hint=_t("ex.08.missing_line.hint"), what=_t("ex.08.missing_line.ok"))


@exercise("08.x_predicted")
def _ex08_x_predicted(answer):
    return _checks.check_number(answer, EX08_X_TEST, 1e-6, what=_t("ex.08.x_predicted.ok", x=EX08_X_TEST))


@exercise("08.comment")
def _ex08_comment(answer):
    y = float(_true_fn(EX08_X_TEST))
    return _checks.check_number(answer, y, 1e-6, what=_t("ex.08.comment.ok", y=y))


@exercise("08.symptom")
def _ex08_symptom(answer):
    return _checks.check_choice(answer, "zero_grad", _STEPS, hint=_t("ex.08.symptom.hint"),
                                what=_t("ex.08.symptom.ok"))


@exercise("08.diverged_epoch")
def _ex08_diverged_epoch(answer):
    """The epoch fit() stops at (the one definition: inf/NaN or > DIVERGENCE_FACTOR x the untrained loss).

    A wrong answer is told why it cannot be right, never the expected epoch.
    """
    hist = _history06("sgd", EX08_DIVERGE_LR, EX06_EPOCHS)
    expected = hist.diverged_at
    loss = hist.train_loss[expected - 1]
    res = _checks.check_number(answer, expected, 0, what=_t(
        "ex.08.diverged.ok", lr=EX08_DIVERGE_LR, loss=loss, ratio=hist.ratio(loss), factor=_DIVERGENCE_FACTOR,
        epoch=expected))
    if res.status != "wrong":
        return res
    got = float(_checks._to_array(answer).reshape(-1)[0])
    if got < 1 or got != int(got):
        return Result(False, _t("ex.08.diverged.not_epoch", got=f"{got:g}"))
    if got > expected:
        return Result(False, _t("ex.08.diverged.too_late", got=f"{got:g}", factor=_DIVERGENCE_FACTOR))
    early = hist.train_loss[int(got) - 1]
    return Result(False, _t("ex.08.diverged.too_early", got=f"{got:g}", loss=early, ratio=hist.ratio(early),
                            factor=_DIVERGENCE_FACTOR))


from . import capstone  # noqa: E402,F401
