"""The capstone of lesson 08: the student's whole training loop, run on a new target and diagnosed.

`check("08.capstone", train)` calls the student's `train(model, optimizer, loss_fn, loader,
epochs)` once, on y = x**2 over [-3, 3] (not the lessons' line), with a fresh lesson net, Adam
and MSELoss. No mock of torch: the real model, optimizer and DataLoader are watched through
hooks and wrappers on these instances only, which log every step of the loop in order:
"forward" (a forward hook on the model), "loss" (loss_fn, wrapped), "backward" (a hook on the
loss tensor loss_fn returned: it fires when backward passes through it), "zero_grad"
(optimizer.zero_grad and model.zero_grad, wrapped) and "step" (optimizer.step, wrapped). The
trained net is then judged on held-out points, and the log says what went wrong, in this order:
the answer itself; no learning; no zero_grad; the wrong order; divergence (the series' one
definition, lessonlib.train.diverged); not learned enough, or not the loop it should be.
"""
from __future__ import annotations

import functools
import inspect
import math
import time
import traceback
from dataclasses import dataclass, field, replace as _dc_replace

import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from . import checks as _checks
from .checks import Result
from .exercises import exercise
from .model import make_model
from .text import t
from .train import DIVERGENCE_FACTOR, diverged, intra_op_threads

__all__ = ["make_capstone_data", "run_capstone", "check_capstone", "target_fn", "PARAMETERS",
           "EPOCHS", "LEARNED_BELOW", "ANSWER"]

LOW, HIGH = -3.0, 3.0     # the target's range
N_POINTS = 200            # made with NumPy from DATA_SEED; the first 80% train, the rest are held out
TRAIN_FRAC = 0.8
DATA_SEED = 8             # lesson 08
MODEL_SEED = 0            # make_model(seed=0): the lessons' 1 -> 16 -> 16 -> 1 net
LOADER_SEED = 0           # the DataLoader's own shuffling generator
BATCH_SIZE = 32           # 160 training points: 5 batches per epoch
LR = 0.01                 # Adam, the series' optimizer
EPOCHS = 100              # 500 steps: a correct loop runs in about 0.3 s on one thread (measured)
THREADS = 1               # torch threads while the student's loop runs (restored afterwards)
PARAMETERS = ("model", "optimizer", "loss_fn", "loader", "epochs")
LEARNED_BELOW = 0.1
"""A held-out MSE below this means the loop learned y = x**2 (measured; tests/test_capstone.py).

Measured with torch 2.13 (CPU): the untrained net's held-out MSE is 18.9 (it predicts about 0
where y averages 3). A correct loop ends at 0.0012 (zero_grad() at the top of the batch, before
backward(), or model.zero_grad(): the same numbers); with model seeds 1, 2, 3 instead of 0 it
ends at 0.0035, 0.0024, 0.0057, so 0.1 leaves a margin of 17x or more for a correct loop (and
for another PyTorch's rounding). Broken loops: no zero_grad 7.0, step() before backward() 18.9
(nothing moves), one epoch instead of 100: 14.2, 99 epochs: 0.0015 and only the first batch
of every epoch: 0.076 (both learn, so the counts of passes, batches and steps catch them),
gradient ascent ((-loss).backward()) diverges in epoch 14. 0.1 is also what "learned the
parabola" looks like: an RMS error of 0.3 where y goes from 0 to 9.
"""
ANSWER = ("y_hat = model(xb) → loss = loss_fn(y_hat, yb) → optimizer.zero_grad() → loss.backward()"
          " → optimizer.step()")
"""Result.answer, what reveal() and the third wrong try show: a loop has no single value, so the five
steps of one batch in order. Code, not a sentence: the same in both languages (the reveal message
around it is the catalog's, and points to the folded solution)."""
RUNAWAY = 20              # stop a loop that runs this many times more forward passes or steps than it should


def target_fn(x):
    """The capstone's rule: y = x**2."""
    return x ** 2


@dataclass(frozen=True)
class CapstoneData:
    x_train: torch.Tensor   # (160, 1) float32
    y_train: torch.Tensor
    x_val: torch.Tensor     # (40, 1) float32: the held-out points that judge the trained net
    y_val: torch.Tensor


def make_capstone_data(seed: int = DATA_SEED, n: int = N_POINTS) -> CapstoneData:
    """y = x**2 at n points drawn uniformly from [-3, 3] by a seeded NumPy generator; 80/20 split.

    The points are drawn at random, so the first 80% are as good a training set as any.
    """
    x = np.random.default_rng(seed).uniform(LOW, HIGH, size=(n, 1)).astype(np.float32)
    y = target_fn(x).astype(np.float32)
    k = int(TRAIN_FRAC * n)
    return CapstoneData(*(torch.from_numpy(a.copy()) for a in (x[:k], y[:k], x[k:], y[k:])))


def _mse(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> float:
    """The model's MSE on (x, y) as it is now: eval mode, no gradients (lessonlib.train.untrained_loss)."""
    was_training = model.training
    model.eval()
    with torch.no_grad():
        value = nn.functional.mse_loss(model(x), y).item()
    model.train(was_training)
    return value


# ---- the log of one run ----------------------------------------------------------------------

class _Stop(BaseException):
    """Ends the student's loop early (diverged, or running away); BaseException: `except Exception` lets it pass."""

    def __init__(self, why: str):
        super().__init__(why)
        self.why = why


@dataclass
class Run:
    """What the student's train() did, in order, and how the trained net did."""
    events: list[str] = field(default_factory=list)      # "forward", "loss", "zero_grad", "backward", "step"
    counts: dict[str, int] = field(default_factory=dict)   # events of each kind
    passes: int = 0                                      # times the loop started going over the loader
    batches: int = 0                                     # batches the loader handed out, in all
    loader_len: int = 0                                  # batches in one pass (len(loader))
    epochs: int = EPOCHS
    losses: list[tuple[int, float, int]] = field(default_factory=list)   # (pass, loss value, batch size)
    stale_backwards: int = 0     # backward() passes that found gradients left over from an earlier one
    error: BaseException | None = None
    error_line: str = ""         # the student's line that raised, if found
    stopped: str = ""            # "diverged" or "runaway" when the checker ended the loop early
    reference: float = math.nan  # the untrained net's MSE on the training set (the divergence reference)
    before: float = math.nan     # held-out MSE before training
    after: float = math.nan      # held-out MSE after training
    train_after: float = math.nan
    moved: bool = False          # did any parameter change?
    seconds: float = 0.0

    def log(self, name: str) -> int:
        """Record one event; returns how many of its kind have run so far."""
        self.events.append(name)
        self.counts[name] = self.counts.get(name, 0) + 1
        return self.counts[name]

    def count(self, name: str) -> int:
        return self.counts.get(name, 0)

    def epoch_losses(self) -> list[float]:
        """Per pass over the loader: the batch losses' mean weighted by batch size (as fit() reports it)."""
        sums: dict[int, list[float]] = {}
        for p, value, n in self.losses:
            s = sums.setdefault(p, [0.0, 0])
            s[0] += value * n
            s[1] += n
        return [sums[p][0] / sums[p][1] for p in sorted(sums) if sums[p][1]]

    def diverged_epoch(self) -> tuple[int, float] | None:
        """(epoch, loss) of the first pass whose loss diverged by the one definition; None if none did."""
        for epoch, loss in enumerate(self.epoch_losses(), start=1):
            if diverged(loss, self.reference):
                return epoch, loss
        return None


class _RecordingLoader(DataLoader):
    """A real DataLoader that also logs every pass over it and every batch it hands out."""

    def __init__(self, *args, run: Run, **kwargs):
        super().__init__(*args, **kwargs)
        self._run = run

    def __iter__(self):
        run = self._run
        if run.passes:                                     # a pass ended: has training diverged?
            done = run.diverged_epoch()
            if done is not None:
                raise _Stop("diverged")
        run.passes += 1
        for batch in super().__iter__():
            run.batches += 1
            yield batch


def _logged(run: Run, name: str, fn, limit: int):
    """fn, logging `name` each call; stops the loop once it ran `limit` times (a runaway loop)."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        if run.log(name) > limit:
            raise _Stop("runaway")
        return fn(*args, **kwargs)
    return wrapper


def _student_line(err: BaseException, fn) -> str:
    """The line of the student's function where `err` was raised (the innermost one), or ""."""
    code = getattr(fn, "__code__", None)
    frames = traceback.extract_tb(err.__traceback__)
    mine = [f for f in frames if code is not None and f.filename == code.co_filename]
    return (mine[-1].line or "").strip() if mine else ""


def run_capstone(fn, *, keywords: bool = False, epochs: int = EPOCHS, model_seed: int = MODEL_SEED) -> Run:
    """Call fn(model, optimizer, loss_fn, loader, epochs) on the capstone task with everything logged.

    Seeds are explicit; PyTorch's global generator and thread count are restored afterwards.
    `keywords=True` passes the five arguments by name (the student named them all, in another order).
    """
    data = make_capstone_data()
    run = Run(epochs=epochs)
    model = make_model(seed=model_seed)
    optimizer = torch.optim.Adam(model.parameters(), lr=LR)
    mse = nn.MSELoss()
    loader = _RecordingLoader(TensorDataset(data.x_train, data.y_train), batch_size=BATCH_SIZE, shuffle=True,
                              generator=torch.Generator().manual_seed(LOADER_SEED), run=run)
    run.loader_len = len(loader)
    limit = RUNAWAY * epochs * run.loader_len
    params = list(model.parameters())
    start = [p.detach().clone() for p in params]
    run.reference = _mse(model, data.x_train, data.y_train)
    run.before = _mse(model, data.x_val, data.y_val)

    def on_backward(grad):
        run.log("backward")
        if any(p.grad is not None and bool(p.grad.any()) for p in params):   # before this pass adds to them
            run.stale_backwards += 1
        return grad

    def loss_fn(*args, **kwargs):
        run.log("loss")
        out = mse(*args, **kwargs)
        value = float(out.detach()) if isinstance(out, torch.Tensor) and out.numel() == 1 else math.nan
        target = args[1] if len(args) > 1 else kwargs.get("target")
        run.losses.append((run.passes, value, int(target.shape[0]) if getattr(target, "ndim", 0) else 1))
        if isinstance(out, torch.Tensor) and out.requires_grad:
            out.register_hook(on_backward)
        return out

    def on_forward(module, inputs, output):
        if run.log("forward") > limit:
            raise _Stop("runaway")

    handle = model.register_forward_hook(on_forward)
    optimizer.zero_grad = _logged(run, "zero_grad", optimizer.zero_grad, limit)   # on these instances only
    model.zero_grad = _logged(run, "zero_grad", model.zero_grad, limit)
    optimizer.step = _logged(run, "step", optimizer.step, limit)
    args = (model, optimizer, loss_fn, loader, epochs)
    clock = time.perf_counter()
    try:
        with torch.random.fork_rng(devices=[]), intra_op_threads(THREADS):
            torch.manual_seed(model_seed)       # whatever random numbers the loop draws: the same every run
            try:
                if keywords:
                    fn(**dict(zip(PARAMETERS, args, strict=True)))
                else:
                    fn(*args)
            except _Stop as stop:
                run.stopped = stop.why
            except Exception as err:   # noqa: BLE001 - the student's error becomes a message
                run.error, run.error_line = err, _student_line(err, fn)
    finally:
        run.seconds = time.perf_counter() - clock
        handle.remove()
        for obj, name in ((optimizer, "zero_grad"), (model, "zero_grad"), (optimizer, "step")):
            obj.__dict__.pop(name, None)
    run.moved = any(not torch.equal(p.detach(), s) for p, s in zip(params, start, strict=True))
    run.after = _mse(model, data.x_val, data.y_val)
    run.train_after = _mse(model, data.x_train, data.y_train)
    return run


# ---- the diagnosis -------------------------------------------------------------------------------

ARROW = " → "


def _blind_step(events: list[str]) -> tuple[int, list[str]] | None:
    """The first step() with no backward() since the last zero_grad(): (its index, what ran in between)."""
    since: list[str] = []
    for i, name in enumerate(events):
        if name == "zero_grad":
            since = []
        elif name == "step":
            if "backward" not in since:
                return i, since
        else:
            since.append(name)
    return None


def _batch_order(events: list[str], at: int) -> str:
    """The events of the batch around events[at]: from the forward before it to the next forward."""
    first = max((i for i in range(at) if events[i] == "forward"), default=0)
    while first > 0 and events[first - 1] == "zero_grad":   # zero_grad at the top of the batch belongs to it
        first -= 1
    nxt = next((i for i in range(at + 1, len(events)) if events[i] in ("forward", "zero_grad")
                and "forward" in events[at + 1:i + 1]), len(events))
    return ARROW.join(_shown_name(e) for e in events[first:nxt])


def _shown_name(event: str) -> str:
    return {"forward": "model(xb)", "loss": "loss_fn", "zero_grad": "zero_grad()", "backward": "backward()",
            "step": "step()"}[event]


def _counts_problem(run: Run) -> str:
    """Why the counts are not those of the loop: `epochs` passes, every batch, one step per batch; "" if they are."""
    per_pass = run.loader_len
    if run.passes != run.epochs:
        return t("capstone.counts.passes", passes=run.passes, epochs=run.epochs)
    if run.batches != run.passes * per_pass:
        return t("capstone.counts.batches", batches=run.batches, passes=run.passes, per_pass=per_pass,
                 expected=run.passes * per_pass)
    steps = run.count("step")
    if steps != run.batches:
        return t("capstone.counts.steps", steps=steps, batches=run.batches)
    return ""


def _wrong(key: str, **values) -> Result:
    """One diagnosis: the catalog sentence `key` (check_capstone puts "got the function ..." in front)."""
    return Result(False, t(key, **values), "wrong", mistake=key)


def _diagnose(run: Run) -> Result:
    """What went wrong, in the order of the checks (module docstring); a correct loop passes."""
    steps, zero_grads, backwards = run.count("step"), run.count("zero_grad"), run.count("backward")
    blind = _blind_step(run.events)
    # 2. no learning
    if run.passes == 0 and not run.events:
        return _wrong("capstone.nothing_ran")
    if steps == 0:
        if run.moved:
            return _wrong("capstone.no_step_moved")
        return _wrong("capstone.no_step", forward=run.count("forward"), loss=run.count("loss"),
                      zero_grad=zero_grads, backward=backwards)
    if run.count("loss") == 0:
        return _wrong("capstone.no_loss_fn")
    if not run.moved:
        if backwards == 0:
            return _wrong("capstone.no_backward", steps=steps)
        if blind is None:
            return _wrong("capstone.not_moved", steps=steps)
    # 3. the gradients accumulate
    if run.stale_backwards:
        if zero_grads == 0:
            return _wrong("capstone.no_zero_grad", backward=backwards)
        if zero_grads < steps:
            return _wrong("capstone.few_zero_grad", zero_grad=zero_grads, steps=steps, stale=run.stale_backwards)
        return _wrong("capstone.zero_grad_misplaced", stale=run.stale_backwards, backward=backwards)
    # 4. the wrong order
    if blind is not None:
        at, between = blind
        return _wrong("capstone.wrong_order" if run.moved else "capstone.wrong_order_unmoved",
                      between=ARROW.join(_shown_name(e) for e in between) or t("capstone.nothing"),
                      order=_batch_order(run.events, at),
                      before=t("capstone.after_zero_grad") if "zero_grad" in run.events[:at]
                      else t("capstone.from_start"))
    # 5. divergence, by the one definition
    extra = (t("capstone.steps_per_batch", per_batch=steps / run.batches) if run.batches and steps > run.batches
             else t("capstone.diverged_hint"))
    blown = run.diverged_epoch()
    if blown is not None:
        epoch, loss = blown
        if math.isfinite(loss):
            return _wrong("capstone.diverged", epoch=epoch, loss=loss, ratio=loss / run.reference,
                          reference=run.reference, factor=DIVERGENCE_FACTOR, extra=extra)
        return _wrong("capstone.diverged_nonfinite", epoch=epoch, loss=loss, extra=extra)
    if diverged(run.train_after, run.reference) or not math.isfinite(run.after):
        return _wrong("capstone.diverged_end", loss=run.train_after, reference=run.reference,
                      factor=DIVERGENCE_FACTOR, extra=extra)
    # 6. did it learn, and is it the loop it should be?
    if run.stopped == "runaway":
        return _wrong("capstone.runaway", factor=RUNAWAY, expected=run.epochs * run.loader_len,
                      forward=run.count("forward"), steps=steps, batches=run.batches)
    problem = _counts_problem(run)
    if not run.after < LEARNED_BELOW:
        return _wrong("capstone.not_learned", after=run.after, before=run.before, limit=LEARNED_BELOW,
                      problem=problem or t("capstone.counts.ok", epochs=run.epochs, batches=run.batches))
    if problem:
        return _wrong("capstone.learned_but", after=run.after, problem=problem)
    return Result(True, t("check.correct", detail=t("capstone.ok", before=run.before, after=run.after,
                                                    epochs=run.epochs, steps=steps)), "correct")


def _first_line(err: BaseException, limit: int = 160) -> str:
    text = str(err).strip().splitlines()
    line = text[0] if text else ""
    return line if len(line) <= limit else line[:limit - 3] + "..."


def _diagnose_error(run: Run) -> Result:
    """The student's train() raised: the exception's type and first line, and its line of code.

    One error is the wrong order in disguise: step() between the forward pass and backward()
    changes the weights that the loss's graph saved, and backward() refuses to run.
    """
    err, events = run.error, run.events
    last_forward = max((i for i, e in enumerate(events) if e == "forward"), default=-1)
    if (isinstance(err, RuntimeError) and "modified by an inplace operation" in str(err)
            and "step" in events[last_forward + 1:]):
        at = last_forward + 1 + events[last_forward + 1:].index("step")
        return _wrong("capstone.step_inside_graph", order=_batch_order(events, at))
    where = t("capstone.raised_line", line=run.error_line) if run.error_line else ""
    return _wrong("capstone.raised", error=f"{type(err).__name__}: {_first_line(err)}", where=where)


def _call_style(fn) -> bool | Result:
    """False: call fn positionally; True: by keyword; or a Result saying why it cannot take the five arguments."""
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        return False                          # no signature to read (a builtin): just try it
    names = [p.name for p in sig.parameters.values()
             if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]
    if sorted(names) == sorted(PARAMETERS) and names != list(PARAMETERS):
        return True                           # all five names, in another order: pass them by name
    try:
        sig.bind(*PARAMETERS)
    except TypeError as err:
        shown = f"{getattr(fn, '__name__', type(fn).__name__)}{sig}"
        return _checks._invalid("capstone.signature", got=shown[:_checks.MAX_SHOWN], problem=_first_line(err),
                                expected=t("capstone.expect"))
    return False


def _name(fn) -> str:
    """How the messages name the student's function: "train()", or "lambda"."""
    name = getattr(fn, "__name__", "")
    return f"{name}()" if name.isidentifier() else "lambda"


@exercise("08.capstone")
def check_capstone(answer) -> Result:
    """The capstone: `answer` is the student's train(model, optimizer, loss_fn, loader, epochs).

    Every Result carries `answer` (what reveal() shows): ANSWER, the five steps of one batch in order.
    """
    expect = _checks._expecting(t("capstone.expect"))
    return _dc_replace(_check(answer, expect), answer=ANSWER)


def _check(answer, expect: str) -> Result:
    if answer is Ellipsis:
        return _checks._unanswered()
    if answer is None:
        return _checks._invalid("capstone.none", expected=expect)
    if not callable(answer) or isinstance(answer, type):
        return _checks._invalid("check.bad_type", got=_checks._shown(answer), type=_checks._type_name(answer),
                                expected=expect)
    style = _call_style(answer)
    if isinstance(style, Result):
        return style
    run = run_capstone(answer, keywords=style)
    res = _diagnose_error(run) if run.error is not None else _diagnose(run)
    if res.status == "wrong":
        res = _dc_replace(res, message=t("capstone.wrong", name=_name(answer), diagnosis=res.message))
    return res
