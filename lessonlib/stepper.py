"""The five steps of one training batch, one call each, each returning what it changed (lessons 04-06).

    stepper = Stepper(model, optimizer, xb, yb)
    stepper.forward()       # 1. y_hat = model(xb)        no weight changes
    stepper.compute_loss()  # 2. loss = MSE(y_hat, yb)     no weight changes
    stepper.zero_grad()     # 3. optimizer.zero_grad()     .grad -> None
    stepper.backward()      # 4. loss.backward()           .grad -> dL/dW, dL/db
    stepper.step()          # 5. optimizer.step()          W <- W - lr * dL/dW

Each call returns a StepRecord: `rec.changed["0.weight.grad"]` is a Change(before, after).
Calls out of order are allowed (they teach); the record's `problem` names what went wrong
and `message` explains it in the lesson's language. Nothing is printed.
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
    problem: str | None = None             # catalog key when the step was used out of order
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
    if a is None or b is None:
        return a is None and b is None
    return a.shape == b.shape and torch.equal(a, b)


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
    _steps_since_forward: int = field(default=0, init=False)
    _steps_since_backward: int = field(default=0, init=False)

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

    def _record(self, step: str, before: dict, message, problem: str | None = None) -> StepRecord:
        """`message` is text, or a function of the changes (for messages that count them)."""
        after = self.snapshot()
        changed = {k: Change(before[k], after[k]) for k in after if not _same(before[k], after[k])}
        if callable(message):
            message = message(changed)
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
        self._steps_since_forward = 0
        return self._record("forward", before, t("stepper.did.forward", n=len(self.xb)))

    def compute_loss(self) -> StepRecord:
        before = self.snapshot()
        if self.y_hat is None:
            return self._record("loss", before, t("stepper.problem.loss_before_forward"), "loss_before_forward")
        self.loss = self.loss_fn(self.y_hat, self.yb)   # scalar
        return self._record("loss", before, t("stepper.did.loss", loss=float(self.loss.detach())))

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
        if self._steps_since_forward:
            return self._record("backward", before, t("stepper.problem.backward_stale"), "backward_stale")
        # retain_graph: a second backward() on the same loss is allowed, to show accumulation.
        self.loss.backward(retain_graph=True)
        self._backwards_since_zero += 1
        self._steps_since_backward = 0
        n_params = sum(1 for _ in self.model.parameters())
        if self._backwards_since_zero > 1:
            return self._record("backward", before,
                                t("stepper.did.backward_accumulated", count=self._backwards_since_zero),
                                "backward_accumulated")
        return self._record("backward", before, t("stepper.did.backward", n=n_params))

    def step(self) -> StepRecord:
        before = self.snapshot()
        grads = [p.grad for p in self.model.parameters()]
        self.optimizer.step()
        names = dict(self.model.named_parameters())
        if any(not torch.equal(p.detach(), before[n]) for n, p in names.items()):
            # weights moved: the current loss's graph is now stale, and the gradients are "used"
            self._steps_since_forward += 1
            self._steps_since_backward += 1
        if all(g is None for g in grads):
            return self._record("step", before, t("stepper.problem.step_without_grad"), "step_without_grad")
        if all(not g.any() for g in grads if g is not None):
            return self._record("step", before, t("stepper.problem.step_zero_grad"), "step_zero_grad")
        if self._steps_since_backward > 1:
            return self._record("step", before, t("stepper.problem.step_twice"), "step_twice")
        return self._record("step", before, lambda changed: self._step_message(sum(1 for k in changed if k in names)))

    def _step_message(self, n: int) -> str:
        """Plain SGD follows W <- W - lr * dL/dW exactly; other optimizers have their own rule."""
        group = self.optimizer.param_groups[0]
        plain_sgd = type(self.optimizer) is torch.optim.SGD and not group.get("momentum") and not group.get("weight_decay")
        if plain_sgd:
            return t("stepper.did.step", n=n)
        return t("stepper.did.step_other", n=n, optimizer=type(self.optimizer).__name__)

    def run(self, name: str) -> StepRecord:
        """Run a step by name ("forward", "loss", "zero_grad", "backward", "step")."""
        return {"forward": self.forward, "loss": self.compute_loss, "zero_grad": self.zero_grad,
                "backward": self.backward, "step": self.step}[name]()

    def run_batch(self) -> list[StepRecord]:
        """All five steps in the lesson's order."""
        return [self.run(name) for name in STEPS]
