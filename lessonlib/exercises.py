"""The lessons' exercises: `check("02.params8", answer)` -> Result in the student's language.

Each exercise computes its expected answer from the lesson's own code (never a number typed
here twice) and hands it to a generic checker in lessonlib.checks, with the typical mistakes
it can diagnose (`Mistake`). Exercise ids are "<lesson>.<name>"; every lesson adds its own
section below.

A wrong answer never shows the expected value. `check` counts the different wrong answers to
each exercise; from the REVEAL_AFTER-th on, the message ends with the expected answer, and
`reveal(id)` shows it whenever the student asks. With answers off (`setup(lang, answers=False)`,
the student edition) neither ever does: `check` keeps its diagnosis and "try again", `reveal`
says answers are off, and no Result they return carries the answer (`.answer`, `.expected`).
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
from dataclasses import replace as _replace

from .checks import Mistake, Result, _invalid, safely
from .data import make_line_data as _make_line_data, true_fn as _true_fn
from .model import count_parameters as _count_parameters, make_model as _make_model
from .stepper import STEPS as _STEPS
from .text import answers_shown as _answers_shown, t as _t
from .train import DIVERGENCE_FACTOR as _DIVERGENCE_FACTOR, OPTIMIZERS as _OPTIMIZERS, fit as _fit, predict as _predict

EXERCISES: dict[str, Callable[[object], Result]] = {}
REVEAL_AFTER = 3     # the third different wrong answer to an exercise shows the expected one

# exercise id -> the different wrong answers given so far in this session (see check)
_wrong_tries: dict[str, list[str]] = {}


def exercise(exercise_id: str):
    """Register a checker function under `exercise_id`."""
    def register(fn):
        if exercise_id in EXERCISES:
            raise ValueError(f"duplicate exercise id {exercise_id!r}")
        EXERCISES[exercise_id] = fn
        return fn
    return register


def check(exercise_id: str, answer) -> Result:
    """Check the answer to one exercise; any answer at all gets a message, never a traceback.

    A wrong answer is counted (the same wrong answer twice counts once); the count decides
    whether the message ends with "try again" or, from REVEAL_AFTER on, with the answer.
    """
    fn = EXERCISES.get(exercise_id) if isinstance(exercise_id, str) else None
    if fn is None:
        return _unknown_exercise(exercise_id)
    res = safely(fn, answer)
    shown = _answers_shown()
    if not shown:                                 # answers off: not even in the Result's fields
        res = _replace(res, answer="", expected=None)
    if res.status != "wrong":
        return res
    tries = _wrong_tries.setdefault(exercise_id, [])
    key = _answer_key(answer)
    if key not in tries:
        tries.append(key)
    if not shown:
        tail = _t("check.try_again_answers_off", tries=len(tries))
    elif len(tries) >= REVEAL_AFTER and res.answer:
        tail = _t("check.revealed_after", tries=len(tries), answer=res.answer)
    else:
        tail = _t("check.try_again", tries=len(tries), limit=REVEAL_AFTER, id=exercise_id)
    return _replace(res, message=f"{res.message} {tail}")


def reveal(exercise_id: str) -> Result:
    """The expected answer to an exercise, on the student's explicit request.

    With answers off (setup(..., answers=False)) it says so instead ("unanswered": the exercise
    still waits for the student's own answer), and the Result carries no answer.
    """
    fn = EXERCISES.get(exercise_id) if isinstance(exercise_id, str) else None
    if fn is None:
        return _unknown_exercise(exercise_id)
    if not _answers_shown():
        return Result(False, _t("check.answers_off", id=exercise_id), "unanswered")
    blank = safely(fn, Ellipsis)                 # every checker knows its answer even for the blank
    if not blank.answer:
        return blank
    return Result(False, _t("check.reveal", id=exercise_id, answer=blank.answer), "revealed",
                  answer=blank.answer, expected=blank.expected)


_CACHED: list = []        # the _computed_once functions, for clear_cache()
_CACHED_RUNS: list = []   # the _cached_run functions, for clear_cache()


def _computed_once(fn):
    """Cache a seeded, deterministic computation behind an expected answer (a model trained, a gradient
    measured): the same every call, so a checker called many times (a student's tries, the fuzz tests)
    computes it once per session. Cached values are plain numbers, shapes or booleans, never a model or a
    tensor a caller could change. clear_cache() forgets them all."""
    cached = _functools.cache(fn)
    _CACHED.append(cached)
    return cached


def _cached_run(fn):
    """Cache a seeded training run behind expected values (a History, a trained model, losses by setting):
    only the checkers read it, and nothing of it reaches a student (they get numbers computed from it).
    clear_cache() forgets these too: a cache the tests cannot clear keeps its first value for a whole
    session and would hide a change in the function behind it (tests/test_exercise_answers.py checks
    that every cache in this module is one of the two kinds)."""
    cached = _functools.cache(fn)
    _CACHED_RUNS.append(cached)
    return cached


def clear_cache() -> None:
    """Forget every cached expected value (the tests do this around each test, so each test computes them)."""
    for fn in (*_CACHED, *_CACHED_RUNS):
        fn.cache_clear()


def reset_tries(exercise_id: str | None = None) -> None:
    """Forget the wrong answers counted so far (for one exercise, or all)."""
    if exercise_id is None:
        _wrong_tries.clear()
    else:
        _wrong_tries.pop(exercise_id, None)


def _answer_key(answer) -> str:
    """Two answers are the same try when they say the same thing (1 and 1.0, a list and an array)."""
    if isinstance(answer, dict):                  # 05.hidden_grads: several parts, each compared by content
        items = sorted(answer.items(), key=lambda kv: repr(kv[0]))
        return "dict:" + ";".join(f"{k!r}={_answer_key(v)}" for k, v in items)
    code = getattr(answer, "__code__", None)
    if code is not None:                          # a function (08.capstone): its code is the answer
        return f"code:{hash((code.co_code, repr(code.co_consts)))}"
    arr = _checks._to_array(answer)
    if arr is not None:
        return f"num:{arr.shape}:{_np.round(arr, 9).tobytes().hex()}"
    return f"{type(answer).__name__}:{_checks._shown(answer)}"


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
            if isinstance(exercise_id, (list, tuple)) else []    # check(["02.params8"], 5)
    for text in candidates:
        close = _difflib.get_close_matches(text, ids, n=1, cutoff=0.6)
        if close:
            return Result(False, res.message + " " + _t("check.did_you_mean", suggestion=close[0]), "invalid")
    return res


# ---- 00_start_here ---------------------------------------------------------------------------

def _exact_count(answer, expected: int, what: str = "", mistakes=(), hint: str = "") -> Result:
    """A whole number that must be exactly right (a count: no tolerance talk)."""
    return _checks.check_number(answer, expected, 0, what, mistakes=mistakes, hint=hint)


def _fit_default(name: str):
    """A training setting as the lesson's loop (lessonlib.fit) uses it: batch_size 32, epochs 300."""
    return _inspect.signature(_fit).parameters[name].default


EX00_BATCH = 48      # 00.updates: a batch size that does not divide the 160 training points


@exercise("00.predict_backward")
def _ex00_predict_backward(answer):
    """How many parameter tensors differ after forward, loss, zero_grad and backward: measured."""
    changed, n = _ex00_changed()
    return _exact_count(answer, changed, what=_t("ex.00.predict_backward.ok", n=n), mistakes=[
        Mistake(n, "ex.00.predict_backward.counted_grads"),
        Mistake(2 * n, "ex.00.predict_backward.counted_both")])


@_computed_once
def _ex00_changed() -> tuple[int, int]:
    """(parameter tensors changed by forward, loss, zero_grad and backward; parameter tensors in all)."""
    data = _make_line_data(seed=0)
    model = _make_model(seed=0)
    x, y = data.tensors()[:2]
    before = [p.detach().clone() for p in model.parameters()]
    optimizer = _torch.optim.Adam(model.parameters(), lr=0.01)
    loss = _torch.nn.functional.mse_loss(model(x[:32]), y[:32])
    optimizer.zero_grad()
    loss.backward()
    changed = sum(not _torch.equal(p, b) for p, b in zip(model.parameters(), before, strict=True))
    return changed, len(before)


@exercise("00.updates")
def _ex00_updates(answer):
    train, epochs = _make_line_data().train_size, _fit_default("epochs")
    batches = _math.ceil(train / EX00_BATCH)
    last = train - (batches - 1) * EX00_BATCH
    total = batches * epochs
    return _exact_count(answer, total, what=_t("ex.00.updates.ok", train=train, batch=EX00_BATCH, batches=batches,
                                               last=last, epochs=epochs, total=total), mistakes=[
        Mistake((train // EX00_BATCH) * epochs, "ex.00.updates.floor", last=last),
        Mistake(train / EX00_BATCH * epochs, "ex.00.updates.fraction"),
        Mistake(epochs, "ex.00.updates.epochs_only"),
        Mistake(train * epochs, "ex.00.updates.samples")])


# ---- 01_data_and_tensors ---------------------------------------------------------------------
EX01_N = 300         # 01.batches: a data set whose training part does not divide into batches of 32


@exercise("01.from_numpy")
def _ex01_from_numpy(answer):
    a = _np.zeros(3, dtype=_np.float32)
    a_t = _torch.from_numpy(a)
    a[0] = 7.0                                   # the lesson's cell, run here: the tensor shares a's memory
    value = float(a_t[0])
    return _checks.check_number(answer, value, 1e-6, what=_t("ex.01.from_numpy.ok"), mistakes=[
        Mistake(0.0, "ex.01.from_numpy.copied")])


@exercise("01.predict_float64")
def _ex01_predict_float64(answer):
    model = _make_model(seed=0)
    try:
        out = model(_torch.zeros(2, 1, dtype=_torch.float64))
        expected = str(out.dtype).removeprefix("torch.")
    except RuntimeError:
        expected = "error"
    return _checks.check_choice(answer, expected, ("float32", "float64", "error"), what=_t("ex.01.predict_float64.ok"),
                                why_not={"float32": Mistake("float32", "ex.01.predict_float64.converted"),
                                         "float64": Mistake("float64", "ex.01.predict_float64.follows_input")})


@exercise("01.batches")
def _ex01_batches(answer):
    batch = _fit_default("batch_size")
    train = int(0.8 * EX01_N)                    # the lesson's split rule, for N = EX01_N
    val = EX01_N - train

    def dealt(n):
        """[batches, points in the last batch] when DataLoader deals n points in order."""
        sizes = [len(b) for b in _torch.arange(n).split(batch)]
        return [len(sizes), sizes[-1]]
    expected = dealt(train)
    return _checks.check_array(answer, expected, 0, what=_t("ex.01.batches.ok", n=EX01_N, train=train, batch=batch,
                                                             batches=expected[0], last=expected[1]), mistakes=[
        Mistake([train // batch, expected[1]], "ex.01.batches.floor"),
        Mistake([train // batch, batch], "ex.01.batches.floor"),
        Mistake([expected[0], batch], "ex.01.batches.last_full"),
        Mistake(dealt(EX01_N), "ex.01.batches.all_points", n=EX01_N),
        Mistake(dealt(val), "ex.01.batches.validation")])


# ---- 02_forward --------------------------------------------------------------------------------
EX02_A1_X = -3.0     # the input of exercise 02.a1 (the notebook's x_ex)


@_computed_once
def _ex02_batch_shapes() -> tuple[tuple, tuple]:
    """(the model's output shape, the second hidden layer's) on a batch of 32, measured."""
    xb = _make_line_data(seed=0).tensors()[0][:32]
    model = _make_model(seed=0)
    with _torch.no_grad():
        return tuple(model(xb).shape), tuple(model[:4](xb).shape)


@exercise("02.predict_batch_shape")
def _ex02_predict_batch_shape(answer):
    shape, hidden = _ex02_batch_shapes()
    return _checks.check_shape(answer, shape, what=_t("ex.02.predict_batch_shape.ok", shape=shape), mistakes=[
        Mistake((shape[0],), "ex.02.predict_batch_shape.no_column"),
        Mistake((1, 1), "ex.02.predict_batch_shape.one_prediction"),
        Mistake(hidden, "ex.02.predict_batch_shape.hidden"),
        Mistake(tuple(reversed(shape)), "ex.02.predict_batch_shape.transposed")])


@exercise("02.params8")
def _ex02_params8(answer):
    model = _make_model(hidden=8)
    layers = [layer for layer in model if any(True for _ in layer.parameters())]
    counts = [sum(p.numel() for p in layer.parameters()) for layer in layers]
    total = _count_parameters(model)
    weights = sum(layer.weight.numel() for layer in layers)
    one_hidden = sum(p.numel() for p in _torch.nn.Sequential(_torch.nn.Linear(1, 8), _torch.nn.Linear(8, 1)).parameters())
    return _exact_count(answer, total, what=_t("ex.02.params8.ok", total=total,
                                               counts=" + ".join(str(c) for c in counts)), mistakes=[
        Mistake(weights, "ex.02.params8.no_biases"),
        Mistake(one_hidden, "ex.02.params8.one_hidden"),
        Mistake(_count_parameters(_make_model()), "ex.02.params8.sixteen")])


@exercise("02.a1")
def _ex02_a1(answer):
    model = _make_model()
    with _torch.no_grad():
        z1 = model[0](_torch.tensor([[EX02_A1_X]]))
        a1 = model[1](z1).numpy()                                            # (1, 16)
        z1_pos = _torch.relu(model[0](_torch.tensor([[-EX02_A1_X]]))).numpy()
        no_bias = _torch.relu(_torch.tensor([[EX02_A1_X]]) @ model[0].weight.T).numpy()
    return _checks.check_array(answer, a1, 1e-4, what=_t("ex.02.a1.ok", active=int((a1 > 0).sum())),
                               also_shapes=[(a1.size,), (a1.size, 1)],       # (16,) or (16, 1) also count
                               mistakes=[Mistake(z1.numpy(), "ex.02.a1.no_relu"),
                                         Mistake(z1_pos, "ex.02.a1.wrong_x", x=EX02_A1_X),
                                         Mistake(no_bias, "ex.02.a1.no_bias")])


# ---- 03_loss -------------------------------------------------------------------------------------

EX03_TOY_Y_HAT, EX03_TOY_Y = [4.0, 0.0], [2.0, 2.0]     # 03.predict_toy: the lesson's toy (cell after it)
EX03_Y_HAT, EX03_Y = [3.0, 0.0, 5.0], [1.0, 0.0, 4.0]   # the table in exercise 03.mse_by_hand
EX03_NEW_LINE = (0.5, -2.0)                             # exercise 03.argmin: y = 0.5 x - 2


def _mse_mistakes(y_hat, y, prefix: str) -> list[Mistake]:
    """The usual wrong MSEs: the sum instead of the mean, the errors not squared, the square root."""
    err = _np.asarray(y_hat, dtype=_np.float64) - _np.asarray(y, dtype=_np.float64)
    return [Mistake(float((err ** 2).sum()), f"{prefix}.sum", n=err.size),
            Mistake(float(err.mean()), f"{prefix}.not_squared"),
            Mistake(float(_np.abs(err).mean()), f"{prefix}.absolute"),
            Mistake(float(_np.sqrt((err ** 2).mean())), f"{prefix}.root")]


@exercise("03.predict_toy")
def _ex03_predict_toy(answer):
    expected = _manual.mse(_np.array(EX03_TOY_Y_HAT), _np.array(EX03_TOY_Y))
    return _checks.check_number(answer, expected, 1e-6, what=_t("ex.03.predict_toy.ok", value=f"{expected:g}"),
                                mistakes=_mse_mistakes(EX03_TOY_Y_HAT, EX03_TOY_Y, "ex.03.mse"))


@exercise("03.mse_by_hand")
def _ex03_mse_by_hand(answer):
    expected = _manual.mse(_np.array(EX03_Y_HAT), _np.array(EX03_Y))
    return _checks.check_number(answer, expected, 1e-3, what=_t("ex.03.mse_by_hand.ok", value=f"{expected:.4f}"),
                                mistakes=_mse_mistakes(EX03_Y_HAT, EX03_Y, "ex.03.mse"))


@exercise("03.line_w2_b0")
def _ex03_line_w2_b0(answer):
    data = _make_line_data(seed=0)
    y_hat, y = 2.0 * data.x_train + 0.0, data.y_train
    expected = _manual.mse(y_hat, y)
    return _checks.check_number(answer, expected, 1e-4, what=_t("ex.03.line_w2_b0.ok"),
                                mistakes=_mse_mistakes(y_hat, y, "ex.03.mse"))


@exercise("03.argmin")
def _ex03_argmin(answer):
    x = _make_line_data(seed=0).x_train.astype(_np.float64).ravel()
    w, b = _np.polyfit(x, EX03_NEW_LINE[0] * x + EX03_NEW_LINE[1], 1)   # least squares: the exact minimum
    w0, b0 = _np.polyfit(x, _true_fn(x), 1)                            # the lesson's own line
    return _checks.check_array(answer, [w, b], 0.05, what=_t("ex.03.argmin.ok", w=f"{w:.4g}", b=f"{b:.4g}"),
                               mistakes=[Mistake([b, w], "ex.03.argmin.swapped"),
                                         Mistake([w0, b0], "ex.03.argmin.old_data")])


# ---- 04_zero_grad -------------------------------------------------------------------------------
EX04_MICRO = 8    # exercise 04.micro_scale: micro-batches of 8 from the lesson's batch of 32


def _ex04_batch():
    """Lesson 04's model, loss function and batch (the first 32 training points)."""
    x, y = _make_line_data(seed=0).tensors()[:2]
    return _make_model(seed=0), _torch.nn.MSELoss(), x[:32], y[:32]


@_computed_once
def _ex04_three_backwards_ratio() -> float:
    """The first layer's bias gradient after three backward() calls, over the gradient after one."""
    model, loss_fn, xb, yb = _ex04_batch()
    loss = loss_fn(model(xb), yb)
    loss.backward(retain_graph=True)
    once = model[0].bias.grad.clone()
    loss.backward(retain_graph=True)
    loss.backward()
    used = once != 0
    return float((model[0].bias.grad[used] / once[used]).mean())


@exercise("04.three_backwards")
def _ex04_three_backwards(answer):
    ratio = _ex04_three_backwards_ratio()
    return _checks.check_number(answer, ratio, 0.01, what=_t("ex.04.three_backwards.ok", ratio=f"{ratio:.4g}"),
                                mistakes=[Mistake(1.0, "ex.04.three_backwards.overwrites"),
                                          Mistake(ratio - 1, "ex.04.three_backwards.extra_calls"),
                                          Mistake(2.0 ** ratio, "ex.04.three_backwards.doubles")])


@_computed_once
def _ex04_extra_step_moves(set_to_none: bool) -> bool:
    """Lesson 04: one real Adam step, zero_grad(set_to_none=...), and a step() with no backward()."""
    model, loss_fn, xb, yb = _ex04_batch()
    opt = _torch.optim.Adam(model.parameters(), lr=0.01)
    loss_fn(model(xb), yb).backward()
    opt.step()
    opt.zero_grad(set_to_none=set_to_none)
    before = [p.detach().clone() for p in model.parameters()]
    opt.step()
    return any(not _torch.equal(p, b) for p, b in zip(model.parameters(), before, strict=True))


@exercise("04.predict_extra_step")
def _ex04_predict_extra_step(answer):
    moves = {"none": _ex04_extra_step_moves(True), "zeros": _ex04_extra_step_moves(False)}
    options = {("yes", "yes"): "A", ("no", "yes"): "B", ("yes", "no"): "C", ("no", "no"): "D"}
    expected = options[tuple("yes" if moves[k] else "no" for k in ("none", "zeros"))]
    why_not = {"A": Mistake("A", "ex.04.predict_extra_step.none_moves"),
               "B": Mistake("B", "ex.04.predict_extra_step.zeros_move"),
               "C": Mistake("C", "ex.04.predict_extra_step.reversed"),
               "D": Mistake("D", "ex.04.predict_extra_step.zeros_move")}
    why_not.pop(expected)
    return _checks.check_choice(answer, expected, ("A", "B", "C", "D"), what=_t("ex.04.predict_extra_step.ok"),
                                why_not=why_not)


@_computed_once
def _ex04_micro_scale_value() -> tuple[float, int]:
    """(the factor that makes accumulated, unscaled micro-batch gradients equal the full batch's; batch size)."""
    model, loss_fn, xb, yb = _ex04_batch()
    loss_fn(model(xb), yb).backward()
    full = model[0].bias.grad.clone()
    model.zero_grad()
    for start in range(0, len(xb), EX04_MICRO):          # unscaled micro-batch losses, accumulated
        loss_fn(model(xb[start:start + EX04_MICRO]), yb[start:start + EX04_MICRO]).backward()
    used = full != 0
    return float((full[used] / model[0].bias.grad[used]).mean()), len(xb)


@exercise("04.micro_scale")
def _ex04_micro_scale(answer):
    scale, batch = _ex04_micro_scale_value()
    parts = batch // EX04_MICRO
    return _checks.check_number(answer, scale, 1e-3, what=_t(
        "ex.04.micro_scale.ok", parts=parts, micro=EX04_MICRO, full=batch, scale=f"{scale:.4g}"), mistakes=[
        Mistake(1 / scale, "ex.04.micro_scale.inverse"),
        Mistake(1.0, "ex.04.micro_scale.unscaled", parts=parts),
        Mistake(1 / EX04_MICRO, "ex.04.micro_scale.per_sample", micro=EX04_MICRO),
        Mistake(1 / batch, "ex.04.micro_scale.per_sample", micro=EX04_MICRO)])


# ---- 05_backward --------------------------------------------------------------------------------
EX05_RELU_Z = [1.5, -0.3, 0.0, 2.0, -4.0]   # exercise 05.relu_mask
EX05_NUDGE = 0.01                           # exercise 05.nudge: b3 += 0.01 for training sample 0


def _ex05_sample(i: int):
    """Lesson 05's one-sample backward pass (float64) for training point i: (cache, grads, y)."""
    data = _make_line_data(seed=0)
    params = _manual.params_from_model(_make_model(seed=0))
    x, y = data.x_train[i:i + 1].astype(_np.float64), data.y_train[i:i + 1].astype(_np.float64)
    cache = _manual.forward(params, x)
    return cache, _manual.backward(params, cache, y), y


def _sign_word(value: float) -> str:
    return "positive" if value > 0 else "negative" if value < 0 else "zero"


@exercise("05.predict_sign")
def _ex05_predict_sign(answer):
    cache, grads, y = _ex05_sample(0)
    expected = _sign_word(float(grads["b3"][0]))
    options = ("positive", "negative", "zero")
    reasons = {"positive": "ex.05.predict_sign.if_above", "negative": "ex.05.predict_sign.if_below",
               "zero": "ex.05.predict_sign.if_zero"}
    why_not = {o: Mistake(o, reasons[o]) for o in options if o != expected}
    return _checks.check_choice(answer, expected, options, why_not=why_not, what=_t(
        "ex.05.predict_sign.ok", y_hat=f"{cache['y_hat'][0, 0]:.4f}", y=f"{y[0, 0]:.4f}",
        grad=f"{grads['b3'][0]:.4f}"))


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
    zs = _np.array(EX05_RELU_Z)
    mask = z.grad.numpy()
    return _checks.check_array(answer, mask, 0.01, what=_t("ex.05.relu_mask.ok"), mistakes=[
        Mistake((zs >= 0).astype(float), "ex.05.relu_mask.at_zero"),
        Mistake(_np.maximum(zs, 0), "ex.05.relu_mask.values"),
        Mistake(1 - mask, "ex.05.relu_mask.flipped")])


@exercise("05.d_y_hat")
def _ex05_d_y_hat(answer):
    cache, grads, y = _ex05_sample(2)
    expected = float(grads["d_y_hat"][0, 0])
    err = float(cache["y_hat"][0, 0] - y[0, 0])
    return _checks.check_number(answer, expected, 1e-3, what=_t(
        "ex.05.d_y_hat.ok", y_hat=f"{cache['y_hat'][0, 0]:.4f}", y=f"{y[0, 0]:.4f}", value=f"{expected:.4f}"),
        mistakes=[Mistake(err, "ex.05.d_y_hat.no_two"),
                  Mistake(-expected, "ex.05.d_y_hat.sign"),
                  Mistake(-err, "ex.05.d_y_hat.sign"),
                  Mistake(err ** 2, "ex.05.d_y_hat.loss")])


@exercise("05.nudge")
def _ex05_nudge(answer):
    _, grads, _ = _ex05_sample(0)
    grad = float(grads["b3"][0])
    expected = grad * EX05_NUDGE
    # 1e-3 accepts the first-order prediction and the exact change (they differ by 1e-4 here)
    return _checks.check_number(answer, expected, 1e-3, what=_t("ex.05.nudge.ok", grad=f"{grad:.4f}",
                                                                 value=f"{expected:.4f}"), mistakes=[
        Mistake(-expected, "ex.05.nudge.sign"),
        Mistake(grad, "ex.05.nudge.no_nudge", nudge=EX05_NUDGE)])


# -- 05.hidden_grads: the chain rule by hand, in matrix form (cell "The whole backward pass in matrix form")
EX05_PARTS = ("delta2", "W2", "W1")          # the answer: {"delta2": (16, 1), "W2": (16, 16), "W1": (16, 1)}
EX05_BATCH = 32                              # the lesson's batch (cell "A batch: the mean brings 1/B")
EX05_FORMULAS = ("delta2 = (W3.T @ delta3) * 1[z2 > 0];  dL/dW2 = delta2 @ a1.T;  "
                 "dL/dW1 = ((W2.T @ delta2) * 1[z1 > 0]) @ x.T")


def _ex05_autograd_hidden(x, y) -> dict:
    """dL/dz2 (a column per sample), dL/dW2 and dL/dW1 by autograd, on a float64 copy of the lesson's net."""
    net = _make_model(seed=0).double()
    z2 = net[2](net[1](net[0](_torch.from_numpy(x))))
    z2.retain_grad()                                   # keep dL/dz2, which autograd normally drops
    _torch.nn.functional.mse_loss(net[4](net[3](z2)), _torch.from_numpy(y)).backward()
    return {"delta2": z2.grad.numpy().T.copy(), "W2": net[2].weight.grad.numpy().copy(),
            "W1": net[0].weight.grad.numpy().copy()}


def _ex05_hidden_mistakes(expected: dict) -> dict:
    """Each part's typical wrong answers: the matrix form with one factor off (NumPy, lesson 05's sample)."""
    cache, _, y = _ex05_sample(0)
    params = _manual.params_from_model(_make_model(seed=0))
    W2, W3 = params["W2"], params["W3"]
    x, a1 = cache["x"].T, cache["a1"].T                                      # columns, (1, 1) and (16, 1)
    m1, m2 = (cache["z1"].T > 0).astype(float), (cache["z2"].T > 0).astype(float)
    d3 = 2 * (cache["y_hat"] - y)                                             # (1, 1)
    d2 = (W3.T @ d3) * m2
    d2_no_mask = W3.T @ d3
    data = _make_line_data(seed=0)
    xb, yb = data.x_train[:EX05_BATCH].astype(_np.float64), data.y_train[:EX05_BATCH].astype(_np.float64)
    batch = _manual.backward(params, _manual.forward(params, xb), yb)         # the batch mean's gradient
    B = EX05_BATCH
    common = {part: [Mistake(expected[part] / 2, "ex.05.hidden_grads.no_two"),
                     Mistake(-expected[part], "ex.05.hidden_grads.sign"),
                     Mistake(expected[part] / B, "ex.05.hidden_grads.divided", batch=B)] for part in EX05_PARTS}
    one_path = [Mistake(((W2[j:j + 1].T * d2[j, 0]) * m1) @ x.T, "ex.05.hidden_grads.no_sum")
                for j in range(len(d2)) if d2[j, 0] != 0]                      # only neuron j's path back
    return {
        "delta2": [Mistake(d2_no_mask, "ex.05.hidden_grads.no_mask", mask="1[z2 > 0]")] + common["delta2"],
        "W2": [Mistake(d2_no_mask @ a1.T, "ex.05.hidden_grads.no_mask", mask="1[z2 > 0]"),
               Mistake(expected["W2"].T, "ex.05.hidden_grads.outer_order"),
               Mistake(batch["W2"] * B, "ex.05.hidden_grads.batch_sum", batch=B),
               Mistake(batch["W2"], "ex.05.hidden_grads.batch_mean", batch=B)] + common["W2"],
        "W1": [Mistake((W2.T @ d2) @ x.T, "ex.05.hidden_grads.no_mask", mask="1[z1 > 0]"),
               Mistake(((W2 @ d2) * m1) @ x.T, "ex.05.hidden_grads.not_transposed"),
               Mistake(batch["W1"] * B, "ex.05.hidden_grads.batch_sum", batch=B),
               Mistake(batch["W1"], "ex.05.hidden_grads.batch_mean", batch=B)] + one_path + common["W1"],
    }


def _ex05_shape_mistake(part: str, arr, expected: _np.ndarray, batch_shapes: dict):
    """A wrong shape that says which factor is off (a Mistake), or None.

    dL/dW1 as (1, 16) is the outer product in the wrong order; as (16, 16), summed over one axis
    it would be right: the 16 paths were kept apart (an entrywise product where a matrix product
    belongs). delta2 with one column or row per sample of the batch was computed for the batch.
    """
    if arr is None or arr.ndim != 2 or not _np.all(_np.isfinite(arr)):
        return None
    shape = tuple(arr.shape)
    if part == "W1" and shape == expected.T.shape:
        return batch_shapes["outer_order"]
    if part == "W1" and shape == (expected.shape[0], expected.shape[0]):
        tol = 1e-6 * max(1.0, float(_np.abs(expected).max()))
        for axis in (0, 1):
            if _np.abs(arr.sum(axis=axis).reshape(expected.shape) - expected).max() <= tol:
                return batch_shapes["no_sum"]
    if part == "delta2" and shape in {(expected.shape[0], EX05_BATCH), (EX05_BATCH, expected.shape[0])}:
        return batch_shapes["batch_shape"]
    return None


@exercise("05.hidden_grads")
def _ex05_hidden_grads(answer):
    """delta2, dL/dW2 and dL/dW1 for lesson 05's sample, compared with autograd; names the part that is off."""
    expect = _checks._expecting(_t("ex.05.hidden_grads.expect"))
    cache, _, y = _ex05_sample(0)
    expected = _ex05_autograd_hidden(cache["x"], y)
    mistakes = _ex05_hidden_mistakes(expected)
    by_shape = {"outer_order": Mistake(None, "ex.05.hidden_grads.outer_order"),
                "no_sum": Mistake(None, "ex.05.hidden_grads.no_sum"),
                "batch_shape": Mistake(None, "ex.05.hidden_grads.batch_shape", batch=EX05_BATCH)}
    if answer is Ellipsis:
        return _checks._unanswered(EX05_FORMULAS, expected)
    if not isinstance(answer, dict):
        return _invalid("ex.05.hidden_grads.bad_format", got=_checks._shown(answer), type=_checks._type_name(answer),
                        expected=expect)
    if set(answer) != set(EX05_PARTS):
        keys = sorted(map(repr, answer))
        return _invalid("ex.05.hidden_grads.bad_keys", got=_checks._shown(answer), keys=", ".join(keys) or "-",
                        expected=", ".join(map(repr, EX05_PARTS)))
    right, blank = [], []
    for part in EX05_PARTS:
        value = answer[part]
        if value is Ellipsis:
            blank.append(part)
            continue
        exp = expected[part]
        tol = 1e-6 * max(1.0, float(_np.abs(exp).max()))
        shaped = _ex05_shape_mistake(part, _checks._to_array(value), exp, by_shape)
        if shaped is not None:
            return _checks._wrong(_t("ex.05.hidden_grads.part_wrong", part=part, diagnosis=shaped.message,
                                     right=_ex05_right(right)), shaped.key, EX05_FORMULAS, expected)
        also = [(exp.size,), (1, exp.size)] if part == "delta2" else [(exp.size,)] if part == "W1" else []
        res = _checks.check_array(value, exp, tol, also_shapes=also, mistakes=mistakes[part])
        if res.status == "correct":
            right.append(part)
            continue
        if res.status == "invalid":
            return _invalid("ex.05.hidden_grads.bad_part", part=part, problem=res.message)
        if res.mistake.startswith("ex.05."):
            diagnosis = next(m for m in mistakes[part] if m.key == res.mistake).message
        else:
            diagnosis = _t("ex.05.hidden_grads.values_off", part=part)
        return _checks._wrong(_t("ex.05.hidden_grads.part_wrong", part=part, diagnosis=diagnosis,
                                 right=_ex05_right(right)), res.mistake, EX05_FORMULAS, expected)
    if blank:
        return Result(False, _t("ex.05.hidden_grads.partial", right=_ex05_right(right), blank=", ".join(blank)),
                      "unanswered", answer=EX05_FORMULAS, expected=expected)
    return Result(True, _t("check.correct", detail=_t("ex.05.hidden_grads.ok")), "correct",
                  answer=EX05_FORMULAS, expected=expected)


def _ex05_right(parts: list) -> str:
    return _t("ex.05.hidden_grads.right", parts=", ".join(parts)) if parts else ""


# -- "what if" experiments of lesson 05 (each predicted, then run in the next cell)
EX05_WHATIF_EPOCHS = 100      # Adam, lr 0.01 (fit's defaults), fast=True
EX05_FITS_BELOW = 1.0         # "fits": final validation loss below this (lesson 06's "learns")
EX05_SYM_VALUE = 0.1          # 05.predict_symmetry: every weight and bias starts at this value


@_cached_run
def _whatif05_no_relu() -> dict:
    """Final validation loss of (target, relu) after the lesson's training: the ReLU net and the net without ReLUs."""
    out = {}
    for name, target in (("line", None), ("abs", _np.abs)):
        data = _make_line_data(seed=0, target=target)
        for relu in (True, False):
            hist = _fit(_make_model(seed=0, relu=relu), data, epochs=EX05_WHATIF_EPOCHS, fast=True, progress=False)
            out[(name, relu)] = hist.final_val_loss
    return out


@exercise("05.predict_no_relu")
def _ex05_predict_no_relu(answer):
    loss = _whatif05_no_relu()
    fits = {name: loss[(name, False)] < EX05_FITS_BELOW for name in ("line", "abs")}
    expected = {(True, True): "A", (True, False): "B", (False, True): "C", (False, False): "D"}[
        (fits["line"], fits["abs"])]
    reasons = {"A": "ex.05.predict_no_relu.if_both", "B": "ex.05.predict_no_relu.if_line_only",
               "C": "ex.05.predict_no_relu.if_abs_only", "D": "ex.05.predict_no_relu.if_neither"}
    why_not = {o: Mistake(o, key) for o, key in reasons.items() if o != expected}
    return _checks.check_choice(answer, expected, tuple(reasons), why_not=why_not, what=_t(
        "ex.05.predict_no_relu.ok", line=loss[("line", False)], abs=loss[("abs", False)],
        relu_abs=loss[("abs", True)], epochs=EX05_WHATIF_EPOCHS))


def _symmetric_model05(value: float = EX05_SYM_VALUE):
    """The lesson's net with every weight and bias set to `value` (lesson 05: symmetry)."""
    model = _make_model(seed=0)
    with _torch.no_grad():
        for layer in (model[0], model[2], model[4]):
            layer.weight.fill_(value)
            layer.bias.fill_(value)
    return model


@_computed_once
def _whatif05_symmetry() -> int:
    """How many of W2's weights differ from W2[0, 0] after the lesson's training from the constant start."""
    model = _symmetric_model05()
    _fit(model, _make_line_data(seed=0), epochs=EX05_WHATIF_EPOCHS, fast=True, progress=False)
    W2 = model[2].weight.detach()
    return int((W2 != W2[0, 0]).sum())


@exercise("05.predict_symmetry")
def _ex05_predict_symmetry(answer):
    differ = _whatif05_symmetry()
    rows, cols = _make_model(seed=0)[2].weight.shape
    return _exact_count(answer, differ, what=_t("ex.05.predict_symmetry.ok", n=rows * cols, epochs=EX05_WHATIF_EPOCHS),
                        mistakes=[Mistake(rows * cols - 1, "ex.05.predict_symmetry.all_differ"),
                                  Mistake(rows * cols - cols, "ex.05.predict_symmetry.per_neuron"),
                                  Mistake(1, "ex.05.predict_symmetry.counted_values")])


# ---- 06_step --------------------------------------------------------------------------------------

EX06_W, EX06_GRAD, EX06_LR = 0.5, -2.0, 0.1       # 06.sgd_update / 06.predict_adam_step: w_ex, grad_ex, lr_ex
EX06_LR_OPTIONS = ("0.002", "0.006", "0.015", "0.04")   # 06.largest_lr: SGD learning rates to try
EX06_LEARNS_BELOW = 1.0                            # 06.largest_lr: "learns" = no divergence, final val loss below this
EX06_BEST_LR = 0.001                               # 06.best_optimizer (the lesson itself compares at 0.01)
EX06_EPOCHS = 100                                  # both comparisons train this many epochs


@_cached_run
def _history06(optimizer: str, lr: float, epochs: int):
    """One short fit of a fresh lesson net (cached: checkers may be called many times)."""
    return _fit(_make_model(), _make_line_data(), optimizer=optimizer, lr=lr, epochs=epochs,
                fast=True, progress=False)


def _one_step06(optimizer_class) -> float:
    """w after one step of `optimizer_class` from the exercise's w, gradient and learning rate."""
    w = _torch.tensor([EX06_W], requires_grad=True)
    w.grad = _torch.tensor([EX06_GRAD])
    optimizer_class([w], lr=EX06_LR).step()       # the optimizer computes the expected value
    return w.item()


@exercise("06.sgd_update")
def _ex06_sgd_update(answer):
    new = _one_step06(_torch.optim.SGD)
    return _checks.check_number(answer, new, 1e-6, what=_t("ex.06.sgd_update.ok", w=EX06_W, lr=EX06_LR,
                                                             grad=EX06_GRAD, new=new), mistakes=[
        Mistake(EX06_W + EX06_LR * EX06_GRAD, "ex.06.sgd_update.sign"),
        Mistake(EX06_W - EX06_GRAD, "ex.06.sgd_update.no_lr"),
        Mistake(EX06_W + EX06_GRAD, "ex.06.sgd_update.no_lr"),
        Mistake(-EX06_LR * EX06_GRAD, "ex.06.sgd_update.change_only")])


@exercise("06.predict_adam_step")
def _ex06_predict_adam_step(answer):
    new = _one_step06(_torch.optim.Adam)
    return _checks.check_number(answer, new, 1e-4, what=_t("ex.06.predict_adam_step.ok", lr=EX06_LR, new=new),
                                mistakes=[Mistake(_one_step06(_torch.optim.SGD), "ex.06.predict_adam_step.sgd"),
                                          Mistake(2 * EX06_W - new, "ex.06.predict_adam_step.sign"),
                                          Mistake(EX06_W, "ex.06.predict_adam_step.no_move")])


def _dead_relus(model, x) -> int:
    """Layer-2 ReLUs that output 0 for every x (lesson 06): dead units pass no gradient back."""
    with _torch.no_grad():
        a2 = model[:4](x)                                  # output of the second ReLU, (N, 16)
    return int((a2 == 0).all(dim=0).sum())


@_cached_run
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
    why_not = {}                                          # what each other option did, not which one is right
    for option, (hist, dead) in runs.items():
        if option == expected:
            continue
        if hist.diverged:
            why_not[option] = Mistake(option, "ex.06.largest_lr.was_diverged", lr=option, epoch=hist.diverged_at)
        elif not _learns06(hist):
            why_not[option] = Mistake(option, "ex.06.largest_lr.was_stuck", lr=option, loss=hist.final_val_loss,
                                      dead=dead, below=EX06_LEARNS_BELOW)
        else:
            why_not[option] = Mistake(option, "ex.06.largest_lr.was_smaller", lr=option, loss=hist.final_val_loss)
    hist, dead = runs[expected]
    return _checks.check_choice(answer, expected, EX06_LR_OPTIONS, why_not=why_not,
                                hint=_t("ex.06.largest_lr.hint", below=EX06_LEARNS_BELOW, epochs=EX06_EPOCHS),
                                what=_t("ex.06.largest_lr.ok", lr=expected, loss=hist.final_val_loss,
                                        epochs=EX06_EPOCHS, below=EX06_LEARNS_BELOW))


@exercise("06.best_optimizer")
def _ex06_best_optimizer(answer):
    losses = {name: _history06(name, EX06_BEST_LR, EX06_EPOCHS).final_val_loss for name in _OPTIMIZERS}
    best = min(losses, key=losses.get)
    why_not = {name: Mistake(name, "ex.06.best_optimizer.not_lowest", name=name, loss=loss, lr=EX06_BEST_LR)
               for name, loss in losses.items() if name != best}
    return _checks.check_choice(answer, best, _OPTIMIZERS, why_not=why_not,
                                what=_t("ex.06.best_optimizer.ok", name=best, loss=losses[best], lr=EX06_BEST_LR))


# -- 06.predict_normalized: lesson 03's bowl after normalizing x (the "what if" next to exercise 2)
EX06_NORM_OPTIONS = ("0.02", "0.1", "0.5", "0.9", "1.5")    # SGD learning rates for y_hat = w x + b, normalized x


def _lr_ceiling03(x) -> float:
    """Lesson 03's learning-rate ceiling 2 / lambda_max of MSE(w, b) for y_hat = w x + b on these x."""
    x = _np.asarray(x, dtype=_np.float64).ravel()
    hessian = 2 * _np.array([[_np.mean(x ** 2), _np.mean(x)], [_np.mean(x), 1.0]])
    return float(2 / _np.linalg.eigvalsh(hessian)[-1])


def _normalized06():
    """Lesson 06's data with x normalized by the training mean and standard deviation (same points, same split)."""
    data = _make_line_data(seed=0)
    mu, sd = data.x_train.mean(), data.x_train.std()
    return _replace(data, x=(data.x - mu) / sd)


def _line_model06():
    """Lesson 03's y_hat = w x + b as a model, from the landscape tool's start w = 0, b = -3."""
    model = _torch.nn.Sequential(_torch.nn.Linear(1, 1))
    with _torch.no_grad():
        model[0].weight.fill_(0.0)
        model[0].bias.fill_(-3.0)
    return model


@_cached_run
def _line_run06(lr: float):
    return _fit(_line_model06(), _normalized06(), optimizer="sgd", lr=lr, epochs=EX06_EPOCHS, fast=True, progress=False)


@exercise("06.predict_normalized")
def _ex06_predict_normalized(answer):
    runs = {o: _line_run06(float(o)) for o in EX06_NORM_OPTIONS}
    expected = max((o for o in EX06_NORM_OPTIONS if _learns06(runs[o])), key=float)
    if isinstance(answer, (int, float)) and not isinstance(answer, bool):
        answer = f"{answer:g}"                             # 0.9 counts as "0.9"
    reasons = dict(zip(EX06_NORM_OPTIONS, ("unchanged", "smaller", "one_over", "larger", "no_two"), strict=True))
    why_not = {}
    for option, hist in runs.items():
        if option == expected:
            continue
        outcome = (_t("ex.06.predict_normalized.diverged", epoch=hist.diverged_at) if hist.diverged
                   else _t("ex.06.predict_normalized.learned"))
        why_not[option] = Mistake(option, f"ex.06.predict_normalized.{reasons[option]}", lr=option, outcome=outcome)
    x = _make_line_data(seed=0).x_train
    raw, new = _lr_ceiling03(x), _lr_ceiling03(_normalized06().x_train)
    return _checks.check_choice(answer, expected, EX06_NORM_OPTIONS, why_not=why_not, what=_t(
        "ex.06.predict_normalized.ok", lr=expected, raw=raw, new=new, factor=new / raw))


# ---- 07_full_training_loop ----------------------------------------------------------------------
EX07_BATCHES = [(32, 0.5)] * 5 + [(8, 2.0)]   # 07.epoch_loss: (size, mean loss) of each batch of a 168-point epoch
EX07_X_FAR = 12.0      # 07.predict_x12: outside the training range
EX07_X_NEAR = 2.0      # ... compared with the lesson's x = 2
EX07_X_PCT = 20.0      # 07.pct20: a point further outside the training range


@_cached_run
def _trained07():
    """The lesson's network after the script's training (Adam, lr 0.01, 300 epochs): lesson 07's model."""
    model = _make_model()
    _fit(model, _make_line_data(), fast=True, progress=False)
    return model


@exercise("07.epoch_loss")
def _ex07_epoch_loss(answer):
    running = sum(loss * size for size, loss in EX07_BATCHES)          # the script's loop: loss.item() * xb.size(0)
    points = sum(size for size, _ in EX07_BATCHES)
    expected = running / points                                         # ... / len(train_loader.dataset)
    losses = [loss for _, loss in EX07_BATCHES]
    return _checks.check_number(answer, expected, 1e-3, what=_t("ex.07.epoch_loss.ok", points=points,
                                                                 value=expected), mistakes=[
        Mistake(sum(losses) / len(losses), "ex.07.epoch_loss.batch_mean"),
        Mistake(sum(losses), "ex.07.epoch_loss.batch_sum"),
        Mistake(running, "ex.07.epoch_loss.not_divided"),
        Mistake(running / len(EX07_BATCHES), "ex.07.epoch_loss.per_batch")])


def _pct(y_hat: float, y: float) -> float:
    """The script's % error: |y_hat - y| / |y| * 100."""
    return abs(y_hat - y) / abs(y) * 100.0


def _pct_error(model, x: float) -> float:
    return _pct(_predict(model, x), float(_true_fn(x)))


def _pct_mistakes(y_hat: float, y: float) -> list[Mistake]:
    """The usual slips in a % error: no x 100, divided by the prediction, not divided, the sign kept."""
    return [Mistake(_pct(y_hat, y) / 100, "ex.07.pct.no_hundred"),
            Mistake(abs(y_hat - y) / abs(y_hat) * 100.0, "ex.07.pct.by_prediction"),
            Mistake(abs(y_hat - y), "ex.07.pct.absolute"),
            Mistake((y_hat - y) / abs(y) * 100.0, "ex.07.pct.signed")]


@exercise("07.predict_x12")
def _ex07_predict_x12(answer):
    ratio = _pct_error(_trained07(), EX07_X_FAR) / _pct_error(_trained07(), EX07_X_NEAR)
    expected = "A" if ratio < 10 else "B" if ratio <= 100 else "C"
    why_not = {o: Mistake(o, "ex.07.predict_x12.not_" + o) for o in ("A", "B", "C") if o != expected}
    return _checks.check_choice(answer, expected, ("A", "B", "C"), why_not=why_not,
                                what=_t("ex.07.predict_x12.ok", far=EX07_X_FAR, ratio=ratio))


@exercise("07.pct20")
def _ex07_pct20(answer):
    y_hat, y = _predict(_trained07(), EX07_X_PCT), float(_true_fn(EX07_X_PCT))
    pct = _pct(y_hat, y)
    return _checks.check_number(answer, pct, 1e-3, what=_t("ex.07.pct20.ok", x=EX07_X_PCT, pct=pct),
                                mistakes=_pct_mistakes(y_hat, y))


# ---- 08_break_it ---------------------------------------------------------------------------------
EX08_MISSING_LINE = "A"      # 08.missing_line: option A of the notebook's list is the fix
EX08_X_TEST = 12.0           # 08.print_bug: the original's x_test = torch.tensor([[12.0]])
EX08_X_PRINTED = 2.0         # ... and the x its print claims
EX08_DIVERGE_LR = 0.3        # 08.diverged_epoch


@exercise("08.missing_line")
def _ex08_missing_line(answer):
    return _checks.check_choice(answer, EX08_MISSING_LINE, ("A", "B", "C", "D"), what=_t("ex.08.missing_line.ok"),
                                why_not={o: Mistake(o, f"ex.08.missing_line.not_{o}") for o in ("B", "C", "D")})


@exercise("08.print_bug")
def _ex08_print_bug(answer):
    y_pred = _predict(_trained07(), EX08_X_TEST)           # lesson 08 trains the script's network the same way
    believed = float(_true_fn(EX08_X_PRINTED))
    expected = _pct(y_pred, believed)
    real = _pct(y_pred, float(_true_fn(EX08_X_TEST)))
    return _checks.check_number(answer, expected, 1e-2, what=_t("ex.08.print_bug.ok", pct=expected, real=real),
                                mistakes=[Mistake(real, "ex.08.print_bug.real_error")] + _pct_mistakes(y_pred, believed))


@exercise("08.symptom")
def _ex08_symptom(answer):
    return _checks.check_choice(answer, "zero_grad", _STEPS, what=_t("ex.08.symptom.ok"), hint=_t("ex.08.symptom.hint"),
                                why_not={s: Mistake(s, f"ex.08.symptom.not_{s}") for s in _STEPS if s != "zero_grad"})


@_cached_run
def _order_run08() -> list[float]:
    """Lesson 08's broken order (zero_grad, step, backward) for 5 epochs: validation loss per epoch."""
    from torch.utils.data import DataLoader, TensorDataset
    data = _make_line_data()
    x_train, y_train, x_val, y_val = data.tensors()
    model = _make_model()
    optimizer = _torch.optim.Adam(model.parameters(), lr=0.01)
    loss_fn = _torch.nn.MSELoss()
    loader = DataLoader(TensorDataset(x_train, y_train), batch_size=32, shuffle=True,
                        generator=_torch.Generator().manual_seed(0))
    losses = []
    for _ in range(5):
        for xb, yb in loader:
            loss = loss_fn(model(xb), yb)
            optimizer.zero_grad()
            optimizer.step()
            loss.backward()
        with _torch.no_grad():
            losses.append(loss_fn(model(x_val), y_val).item())
    return losses


@exercise("08.predict_order")
def _ex08_predict_order(answer):
    losses = _order_run08()
    if not all(_math.isfinite(v) for v in losses):
        expected = "D"
    elif len(set(losses)) == 1:
        expected = "C"
    else:
        expected = "B"
    why_not = {o: Mistake(o, f"ex.08.predict_order.not_{o}") for o in ("A", "B", "C", "D") if o != expected}
    return _checks.check_choice(answer, expected, ("A", "B", "C", "D"), why_not=why_not,
                                what=_t("ex.08.predict_order.ok", loss=losses[-1]))


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
        key, values = "ex.08.diverged.not_epoch", {}
    elif got > expected:
        key, values = "ex.08.diverged.too_late", {"factor": _DIVERGENCE_FACTOR}
    else:
        early = hist.train_loss[int(got) - 1]
        key, values = "ex.08.diverged.too_early", {"loss": early, "ratio": hist.ratio(early),
                                                   "factor": _DIVERGENCE_FACTOR}
    return _replace(res, message=_t(key, got=f"{got:g}", **values), mistake=key)


from . import capstone  # noqa: E402,F401


# ---- 09_classification -----------------------------------------------------------------------------
EX09_Z = [-2.0, 0.0, 3.0]                         # 09.sigmoid: the logits z_ex
EX09_BCE_Z, EX09_BCE_Y = [2.0, -1.0, 0.5], [1.0, 0.0, 0.0]            # 09.bce_by_hand
EX09_ACC_Z = [2.1, 0.3, 0.2, -1.5, -0.4, 0.9, -0.7, -2.0]            # 09.accuracy: logits ...
EX09_ACC_Y = [1.0, 1.0, 1.0, 0.0, 1.0, 0.0, 0.0, 0.0]                # ... and labels
EX09_GRAD_Z, EX09_GRAD_Y = [1.0, -2.0, 0.5, 3.0], [1.0, 0.0, 0.0, 1.0]   # 09.d_logit: a batch of 4
EX09_SURE_Z = -6.0                                # 09.predict_mse_grad: a class-1 point the net is sure is class 0
EX09_CE_Z, EX09_CE_Y = [[2.0, -1.0, 0.5]], [1]    # 09.predict_grad_sum: one point, three logits, class 1


def _t64(values) -> _torch.Tensor:
    return _torch.tensor(values, dtype=_torch.float64)


@exercise("09.sigmoid")
def _ex09_sigmoid(answer):
    z = _t64(EX09_Z)
    p = _torch.sigmoid(z).numpy()                                # PyTorch's own sigmoid is the reference
    return _checks.check_array(answer, p, 1e-4, what=_t("ex.09.sigmoid.ok"), mistakes=[
        Mistake(1 - p, "ex.09.sigmoid.flipped"),
        Mistake(z.numpy(), "ex.09.sigmoid.logit"),
        Mistake(_np.exp(z.numpy()), "ex.09.sigmoid.no_one")])


@exercise("09.bce_by_hand")
def _ex09_bce_by_hand(answer):
    z, y = _t64(EX09_BCE_Z), _t64(EX09_BCE_Y)
    expected = _torch.nn.functional.binary_cross_entropy_with_logits(z, y).item()
    p = _torch.sigmoid(z)
    per_point = -(y * _torch.log(p) + (1 - y) * _torch.log(1 - p))
    swapped = -((1 - y) * _torch.log(p) + y * _torch.log(1 - p))
    return _checks.check_number(answer, expected, 1e-3, what=_t("ex.09.bce_by_hand.ok", value=expected), mistakes=[
        Mistake(per_point.sum().item(), "ex.09.bce_by_hand.sum", n=len(EX09_BCE_Z)),
        Mistake(-expected, "ex.09.bce_by_hand.no_minus"),
        Mistake(swapped.mean().item(), "ex.09.bce_by_hand.swapped"),
        Mistake(((p - y) ** 2).mean().item(), "ex.09.bce_by_hand.mse"),
        Mistake(expected / _math.log(10), "ex.09.bce_by_hand.log10")])


@exercise("09.accuracy")
def _ex09_accuracy(answer):
    from .classify import accuracy
    z, y = _torch.tensor(EX09_ACC_Z).reshape(-1, 1), _torch.tensor(EX09_ACC_Y).reshape(-1, 1)
    acc = accuracy(z, y)
    n = len(EX09_ACC_Y)
    at_half = ((z > 0.5).float() == y).float().mean().item()
    return _checks.check_number(answer, acc, 1e-3, what=_t("ex.09.accuracy.ok", right=round(acc * n), n=n), mistakes=[
        Mistake(at_half, "ex.09.accuracy.threshold_half"),
        Mistake(1 - acc, "ex.09.accuracy.error_rate"),
        Mistake(100 * acc, "ex.09.accuracy.percent"),
        Mistake(round(acc * n), "ex.09.accuracy.count", n=n)])


@exercise("09.d_logit")
def _ex09_d_logit(answer):
    z = _t64(EX09_GRAD_Z).reshape(-1, 1).requires_grad_(True)
    y = _t64(EX09_GRAD_Y).reshape(-1, 1)
    _torch.nn.functional.binary_cross_entropy_with_logits(z, y).backward()   # autograd is the reference
    grad = z.grad.numpy().reshape(-1)
    n = len(EX09_GRAD_Z)
    p = _torch.sigmoid(z.detach()).numpy().reshape(-1)
    yv = y.numpy().reshape(-1)
    return _checks.check_array(answer, grad, 1e-4, what=_t("ex.09.d_logit.ok", n=n),
                               also_shapes=[(n, 1), (1, n)], mistakes=[
        Mistake(p - yv, "ex.09.d_logit.no_mean", n=n),
        Mistake(-grad, "ex.09.d_logit.sign"),
        Mistake(2 * (p - yv) * p * (1 - p) / n, "ex.09.d_logit.mse"),
        Mistake((_np.array(EX09_GRAD_Z) - yv) / n, "ex.09.d_logit.no_sigmoid")])


def _ex09_dz(loss: str) -> float:
    """|dL/dz| at EX09_SURE_Z for a point of class 1, by autograd: BCE with logits, or MSE on sigmoid(z)."""
    z = _torch.tensor([EX09_SURE_Z], dtype=_torch.float64, requires_grad=True)
    y = _torch.ones(1, dtype=_torch.float64)
    if loss == "bce":
        _torch.nn.functional.binary_cross_entropy_with_logits(z, y).backward()
    else:
        ((_torch.sigmoid(z) - y) ** 2).mean().backward()
    return abs(z.grad.item())


@exercise("09.predict_mse_grad")
def _ex09_predict_mse_grad(answer):
    ratio = _ex09_dz("bce") / _ex09_dz("mse")
    expected = "A" if ratio > 10 else "C" if ratio < 0.1 else "B"
    why_not = {o: Mistake(o, f"ex.09.predict_mse_grad.not_{o}") for o in ("A", "B", "C") if o != expected}
    return _checks.check_choice(answer, expected, ("A", "B", "C"), why_not=why_not,
                                what=_t("ex.09.predict_mse_grad.ok", z=EX09_SURE_Z, bce=_ex09_dz("bce"),
                                        mse=_ex09_dz("mse"), ratio=ratio))


@exercise("09.predict_grad_sum")
def _ex09_predict_grad_sum(answer):
    z = _t64(EX09_CE_Z).requires_grad_(True)
    _torch.nn.functional.cross_entropy(z, _torch.tensor(EX09_CE_Y)).backward()
    total = round(z.grad.sum().item(), 9) + 0.0       # 0 up to rounding; + 0.0: no -0.0
    k = z.shape[1]
    return _checks.check_number(answer, total, 1e-6, what=_t("ex.09.predict_grad_sum.ok", k=k), mistakes=[
        Mistake(1.0, "ex.09.predict_grad_sum.softmax_only"),
        Mistake(-1.0, "ex.09.predict_grad_sum.one_hot_only"),
        Mistake(float(k), "ex.09.predict_grad_sum.count")])


# ---- 10_first_cnn ----------------------------------------------------------------------------------
EX10_IMAGE, EX10_FILTER, EX10_POS = 1, 2, (3, 5)   # 10.patch: x_train[1], filter 2, output row 3, column 5
EX10_CONV = dict(in_channels=1, out_channels=6, kernel_size=3, stride=2, padding=1)   # 10.out_shape
EX10_BATCH = (32, 1, 8, 8)                          # 10.out_shape: the input's shape


def _ex10_patch_parts():
    """(image (8, 8), filter (3, 3), bias, conv layer) of exercise 10.patch, in float64 NumPy."""
    from .data import make_bar_images
    from .model import make_cnn
    conv = make_cnn(seed=0)[0]
    img = make_bar_images(seed=0).x_train[EX10_IMAGE, 0].astype(_np.float64)
    K = conv.weight[EX10_FILTER, 0].detach().double().numpy()
    return img, K, conv.bias[EX10_FILTER].item(), conv


@exercise("10.patch")
def _ex10_patch(answer):
    r, c = EX10_POS
    expected, no_bias, no_padding, flipped, transposed = _ex10_patch_values()
    return _checks.check_number(answer, expected, 1e-3, what=_t("ex.10.patch.ok", r=r, c=c, value=expected), mistakes=[
        Mistake(no_bias, "ex.10.patch.no_bias"),
        Mistake(no_padding, "ex.10.patch.no_padding"),
        Mistake(flipped, "ex.10.patch.flipped"),
        Mistake(transposed, "ex.10.patch.transposed")])


@_computed_once
def _ex10_patch_values() -> tuple[float, float, float, float, float]:
    """10.patch's output value (from nn.Conv2d itself) and the typical wrong ones, computed by hand."""
    img, K, b, conv = _ex10_patch_parts()
    r, c = EX10_POS
    with _torch.no_grad():
        expected = float(conv(_torch.from_numpy(img[None, None]).float())[0, EX10_FILTER, r, c])
    patch = _np.pad(img, 1)[r:r + 3, c:c + 3]           # the window centred on img[r, c]
    unpadded = img[r:r + 3, c:c + 3]                    # the window whose corner is img[r, c]
    return (expected, float((patch * K).sum()), float((unpadded * K).sum() + b),
            float((patch * K[::-1, ::-1]).sum() + b), float((patch * K.T).sum() + b))


@_computed_once
def _ex10_shape(**changes) -> tuple:
    """The output shape of EX10_CONV (with `changes`) on a batch of EX10_BATCH, measured by running it."""
    conv = _torch.nn.Conv2d(**{**EX10_CONV, **changes})
    with _torch.no_grad():
        return tuple(conv(_torch.zeros(EX10_BATCH)).shape)


@exercise("10.out_shape")
def _ex10_out_shape(answer):
    shape = _ex10_shape()
    channels_kept = (shape[0], EX10_BATCH[1]) + shape[2:]
    return _checks.check_shape(answer, shape, what=_t(
        "ex.10.out_shape.ok", shape=shape, n=EX10_BATCH[-1], p=EX10_CONV["padding"], k=EX10_CONV["kernel_size"],
        s=EX10_CONV["stride"], side=shape[-1]), mistakes=[
        Mistake(_ex10_shape(padding=0), "ex.10.out_shape.no_padding"),
        Mistake(_ex10_shape(stride=1), "ex.10.out_shape.no_stride"),
        Mistake(_ex10_shape(stride=1, padding=0), "ex.10.out_shape.neither"),
        Mistake(channels_kept, "ex.10.out_shape.channels")])


def _ex10_layers(model) -> list:
    return [layer for layer in model if any(True for _ in layer.parameters())]


@exercise("10.params")
def _ex10_params(answer):
    from .model import make_cnn
    model = make_cnn(seed=0)
    conv, linear = _ex10_layers(model)
    total = _count_parameters(model)
    weights = conv.weight.numel() + linear.weight.numel()
    one_filter = conv.weight[0].numel() + 1 + sum(p.numel() for p in linear.parameters())
    unpooled = sum(p.numel() for p in conv.parameters()) + (linear.in_features * 4 + 1) * linear.out_features
    return _exact_count(answer, total, what=_t("ex.10.params.ok", total=total, conv=sum(p.numel() for p in conv.parameters()),
                                               linear=sum(p.numel() for p in linear.parameters())), mistakes=[
        Mistake(weights, "ex.10.params.no_biases"),
        Mistake(one_filter, "ex.10.params.one_filter", n=conv.out_channels),
        Mistake(unpooled, "ex.10.params.no_pool")])


def _ex10_param_counts() -> tuple[int, int]:
    """(the CNN's parameters, the fully connected comparison net's): lesson 10's two nets."""
    from .model import make_cnn, make_fc_image_net
    return _count_parameters(make_cnn(seed=0)), _count_parameters(make_fc_image_net(seed=0))


@exercise("10.predict_params")
def _ex10_predict_params(answer):
    cnn, fc = _ex10_param_counts()
    ratio = fc / cnn
    expected = "A" if ratio < 1 else "B" if ratio <= 3 else "C"
    why_not = {o: Mistake(o, "ex.10.predict_params.not_" + o) for o in ("A", "B", "C") if o != expected}
    return _checks.check_choice(answer, expected, ("A", "B", "C"), why_not=why_not,
                                what=_t("ex.10.predict_params.ok", cnn=cnn, fc=fc, ratio=ratio))
