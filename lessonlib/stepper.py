"""The five steps of one training batch, one call each, each returning what it changed (lessons 04-06).

    stepper = Stepper(model, optimizer, xb, yb)
    stepper.forward()       # 1. y_hat = model(xb)        no weight changes
    stepper.compute_loss()  # 2. loss = MSE(y_hat, yb)     no weight changes
    stepper.zero_grad()     # 3. optimizer.zero_grad()     .grad -> None
    stepper.backward()      # 4. loss.backward()           .grad -> dL/dW, dL/db
    stepper.step()          # 5. optimizer.step()          W <- W - lr * dL/dW

Each call returns a StepRecord: `rec.changed["0.weight.grad"]` is a Change(before, after).
Calls out of order are allowed (they teach); the record's `problem` names what went wrong
and `message` explains it in the lesson's language. Nothing is printed, nothing raises.
A step that meets inf or NaN (in the batch, the weights, the prediction, the loss or the
gradients) says so in its record, at the step where it first shows up.

Problems: loss_before_forward, loss_stale, backward_before_loss, backward_stale,
backward_accumulated, step_without_grad, step_zero_grad, step_twice, and for inf/NaN
nonfinite_input, nonfinite_weights, nonfinite_prediction, nonfinite_loss, nonfinite_grad.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import torch
from torch import nn

from .text import t

STEPS = ("forward", "loss", "zero_grad", "backward", "step")


@dataclass(frozen=True)
class Change:
    """One tensor before and after a step; None means "no tensor" (e.g. .grad before backward)."""
    before: torch.Tensor | None
    after: torch.Tensor | None

    @property
    def kind(self) -> str:
        """"None->tensor", "tensor->None" or "values"."""
        if self.before is None:
            return "None->tensor"
        if self.after is None:
            return "tensor->None"
        return "values"

    @property
    def delta(self) -> torch.Tensor | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


@dataclass(frozen=True)
class StepRecord:
    step: str                              # one of STEPS
    changed: dict[str, Change]             # "0.weight", "0.weight.grad", "y_hat", "loss", ...
    loss: float | None                     # the current loss after this step (None if none yet)
    y_hat: torch.Tensor | None             # the current prediction after this step
    message: str                           # what happened, in the current language
    problem: str | None = None             # what went wrong: a step out of order, or inf/NaN met
    lr: float | None = None                # optimizer's lr (param group 0) at this step

    @property
    def ok(self) -> bool:
        return self.problem is None

    @property
    def params_changed(self) -> list[str]:
        return [k for k in self.changed if k not in ("y_hat", "loss") and not k.endswith(".grad")]

    @property
    def grads_changed(self) -> list[str]:
        return [k for k in self.changed if k.endswith(".grad")]

    def _repr_html_(self) -> str:
        """The record's message, as lessonlib.show(rec) draws it (right to left in Hebrew)."""
        from .display import html_block
        return html_block(self)


def _clone(x: torch.Tensor | None) -> torch.Tensor | None:
    return None if x is None else x.detach().clone()


def _same(a: torch.Tensor | None, b: torch.Tensor | None) -> bool:
    """Equal values; NaN staying NaN is no change."""
    if a is None or b is None:
        return a is None and b is None
    if a.shape != b.shape:
        return False
    if torch.equal(a, b):
        return True
    return a.is_floating_point() and bool(((a == b) | (a.isnan() & b.isnan())).all())


def _n_bad(x: torch.Tensor | None) -> int:
    """How many values are inf or NaN (0 for None)."""
    return 0 if x is None else int((~torch.isfinite(x.detach())).sum())


# optimizers whose stored running averages of past gradients move the weights even on a zero gradient
_AVERAGING = tuple(getattr(torch.optim, n) for n in ("Adam", "AdamW", "Adamax", "NAdam", "RAdam") if hasattr(torch.optim, n))


@dataclass
class Stepper:
    """Runs the five steps on one batch (xb, yb), recording what each one changes."""
    model: nn.Module
    optimizer: torch.optim.Optimizer
    xb: torch.Tensor
    yb: torch.Tensor
    loss_fn: nn.Module = field(default_factory=nn.MSELoss)
    y_hat: torch.Tensor | None = field(default=None, init=False)
    loss: torch.Tensor | None = field(default=None, init=False)
    history: list[StepRecord] = field(default_factory=list, init=False)
    _backwards_since_zero: int = field(default=0, init=False)
    _steps_since_backward: int = field(default=0, init=False)
    # the parameters' version counters at the last forward(): any in-place write since (step(),
    # or by hand under no_grad) makes the prediction, the loss and their graph out of date
    _forward_versions: tuple[int, ...] | None = field(default=None, init=False)

    # ---- snapshots ---------------------------------------------------------------------
    def snapshot(self) -> dict[str, torch.Tensor | None]:
        """Every parameter, every .grad, the prediction and the loss, copied."""
        snap: dict[str, torch.Tensor | None] = {}
        for name, p in self.model.named_parameters():
            snap[name] = _clone(p)
            snap[name + ".grad"] = _clone(p.grad)
        snap["y_hat"] = _clone(self.y_hat)
        snap["loss"] = _clone(self.loss)
        return snap

    def _record(self, step: str, before: dict, message: str, problem: str | None = None) -> StepRecord:
        after = self.snapshot()
        changed = {k: Change(before[k], after[k]) for k in after if not _same(before[k], after[k])}
        rec = StepRecord(
            step=step, changed=changed, message=message, problem=problem,
            loss=None if self.loss is None else float(self.loss.detach()),
            y_hat=_clone(self.y_hat), lr=self.optimizer.param_groups[0].get("lr"),
        )
        self.history.append(rec)
        return rec

    def set_batch(self, xb: torch.Tensor, yb: torch.Tensor) -> None:
        """A new batch: the old prediction and loss no longer apply."""
        self.xb, self.yb = xb, yb
        self.y_hat = self.loss = None

    # ---- the five steps ------------------------------------------------------------------
    def forward(self) -> StepRecord:
        before = self.snapshot()
        self.model.train()
        self.y_hat = self.model(self.xb)          # (batch, 1)
        self.loss = None                          # a new prediction needs a new loss
        self._forward_versions = self._versions()
        message = t("stepper.did.forward", n=len(self.xb))
        bad_w = self._bad_weights()
        if _n_bad(self.xb):
            return self._record("forward", before, self._warn(message, "stepper.nonfinite.input_x",
                                                               count=_n_bad(self.xb)), "nonfinite_input")
        if bad_w:
            return self._record("forward", before, self._warn(message, "stepper.nonfinite.weights", **bad_w),
                                "nonfinite_weights")
        if _n_bad(self.y_hat):
            return self._record("forward", before, self._warn(message, "stepper.nonfinite.prediction",
                                                               count=_n_bad(self.y_hat)), "nonfinite_prediction")
        return self._record("forward", before, message)

    def compute_loss(self) -> StepRecord:
        before = self.snapshot()
        if self.y_hat is None:
            return self._record("loss", before, t("stepper.problem.loss_before_forward"), "loss_before_forward")
        if self._weights_written_since_forward():
            self.loss = None          # a loss of the old prediction would be the loss before step()
            return self._record("loss", before, t("stepper.problem.loss_stale"), "loss_stale")
        self.loss = self.loss_fn(self.y_hat, self.yb)   # scalar
        loss = float(self.loss.detach())
        message = t("stepper.did.loss", loss=loss)
        if _n_bad(self.yb):
            return self._record("loss", before, self._warn(message, "stepper.nonfinite.input_y",
                                                            count=_n_bad(self.yb)), "nonfinite_input")
        if not torch.isfinite(self.loss.detach()):
            return self._record("loss", before, self._warn(message, "stepper.nonfinite.loss", loss=loss),
                                "nonfinite_loss")
        return self._record("loss", before, message)

    def zero_grad(self, set_to_none: bool = True) -> StepRecord:
        before = self.snapshot()
        self.optimizer.zero_grad(set_to_none=set_to_none)
        self._backwards_since_zero = 0
        key = "stepper.did.zero_grad_none" if set_to_none else "stepper.did.zero_grad_zeros"
        return self._record("zero_grad", before, t(key))

    def backward(self) -> StepRecord:
        before = self.snapshot()
        if self.loss is None:
            return self._record("backward", before, t("stepper.problem.backward_before_loss"), "backward_before_loss")
        if self._weights_written_since_forward():
            # checked by version, not by value: even a step() that moved nothing wrote the weights in
            # place, and PyTorch's backward() would raise on the saved tensors
            return self._record("backward", before, t("stepper.problem.backward_stale"), "backward_stale")
        # retain_graph: a second backward() on the same loss is allowed, to show accumulation.
        self.loss.backward(retain_graph=True)
        self._backwards_since_zero += 1
        self._steps_since_backward = 0
        n_params = sum(1 for _ in self.model.parameters())
        problem = None
        if self._backwards_since_zero > 1:
            message = t("stepper.did.backward_accumulated", count=self._backwards_since_zero)
            problem = "backward_accumulated"
        else:
            message = t("stepper.did.backward", n=n_params)
        bad = self._bad(".grad", [p.grad for p in self.model.parameters()])
        if bad:
            return self._record("backward", before, self._warn(message, "stepper.nonfinite.grad", **bad),
                                "nonfinite_grad")
        return self._record("backward", before, message, problem)

    def step(self) -> StepRecord:
        before = self.snapshot()
        grads = [p.grad for p in self.model.parameters()]
        no_grad = all(g is None for g in grads)
        zero_grad = not no_grad and all(not g.any() for g in grads if g is not None)
        self.optimizer.step()
        names = dict(self.model.named_parameters())
        moved = sum(1 for n, p in names.items() if not _same(before[n], p.detach()))
        if moved:
            self._steps_since_backward += 1    # the gradients have been "used"
        if no_grad:
            return self._record("step", before, t("stepper.problem.step_without_grad"), "step_without_grad")
        optimizer = self._optimizer_name()
        if zero_grad and moved:
            message = t("stepper.problem.step_zero_grad_moved", optimizer=optimizer, n=moved,
                        reason=t(self._zero_grad_reason()))
            problem = "step_zero_grad"
        elif zero_grad:
            message, problem = t("stepper.problem.step_zero_grad", optimizer=optimizer), "step_zero_grad"
        elif self._steps_since_backward > 1:
            message, problem = t("stepper.problem.step_twice"), "step_twice"
        else:
            message, problem = self._step_message(moved), None
        bad_w = self._bad_weights()
        if bad_w:
            return self._record("step", before, self._warn(message, "stepper.nonfinite.weights_after_step", **bad_w),
                                "nonfinite_weights")
        return self._record("step", before, message, problem)

    # ---- helpers -------------------------------------------------------------------------
    def _versions(self) -> tuple[int, ...]:
        return tuple(p._version for p in self.model.parameters())

    def _weights_written_since_forward(self) -> bool:
        return self._forward_versions is not None and self._versions() != self._forward_versions

    def _bad(self, suffix: str, tensors) -> dict:
        """{"count": n, "names": "0.weight, 2.bias"} for the tensors holding inf/NaN; {} if none."""
        names = [n for (n, _), x in zip(self.model.named_parameters(), tensors, strict=True) if _n_bad(x)]
        if not names:
            return {}
        return {"count": sum(_n_bad(x) for x in tensors), "names": ", ".join(n + suffix for n in names)}

    def _bad_weights(self) -> dict:
        return self._bad("", [p for p in self.model.parameters()])

    @staticmethod
    def _warn(message: str, key: str, **values) -> str:
        """What the step did, then what is wrong with the numbers it met."""
        return message + " " + t(key, **values)

    def _zero_grad_reason(self) -> str:
        """Why this optimizer moved the weights although every gradient was zero."""
        group = self.optimizer.param_groups[0]
        if isinstance(self.optimizer, _AVERAGING):
            return "stepper.why.running_averages"
        if group.get("momentum"):
            return "stepper.why.momentum"
        if group.get("weight_decay"):
            return "stepper.why.weight_decay"
        return "stepper.why.state"

    def _step_message(self, n: int) -> str:
        """Plain SGD follows W <- W - lr * dL/dW exactly; other optimizers have their own rule."""
        group = self.optimizer.param_groups[0]
        plain_sgd = type(self.optimizer) is torch.optim.SGD and not group.get("momentum") and not group.get("weight_decay")
        if plain_sgd:
            return t("stepper.did.step", n=n)
        return t("stepper.did.step_other", n=n, optimizer=self._optimizer_name())

    def _optimizer_name(self) -> str:
        """The optimizer as the code makes it: "Adam", or "SGD(momentum=0.9)" for an SGD that is not the
        plain rule (the bare class name read "SGD changed ... its own rule, not plain W - lr * dL/dW")."""
        name = type(self.optimizer).__name__
        if isinstance(self.optimizer, torch.optim.SGD):
            group = self.optimizer.param_groups[0]
            options = [f"{k}={group[k]:g}" for k in ("momentum", "weight_decay") if group.get(k)]
            options += ["nesterov=True"] if group.get("nesterov") else []
            if options:
                name += "(" + ", ".join(options) + ")"
        return name

    def run(self, name: str) -> StepRecord:
        """Run a step by name ("forward", "loss", "zero_grad", "backward", "step")."""
        return {"forward": self.forward, "loss": self.compute_loss, "zero_grad": self.zero_grad,
                "backward": self.backward, "step": self.step}[name]()

    def run_batch(self) -> list[StepRecord]:
        """All five steps in the lesson's order."""
        return [self.run(name) for name in STEPS]
