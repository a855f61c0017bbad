"""Stepper paths the debugger shows by name: the record of a step that met inf/NaN or stale numbers
still names its step (the debugger's line title is the catalog's "step.<name>"), the reason an
optimizer without momentum moved the weights on zero gradients, and the optimizer as its code
reads (SGD with nesterov)."""
import pytest
import torch

from lessonlib import Stepper, make_line_data, make_model
from lessonlib.text import t


def stepper(optimizer=None, xb=None, yb=None):
    model = make_model(0)
    x, y, _, _ = make_line_data(0).tensors()
    opt = (optimizer or (lambda p: torch.optim.SGD(p, lr=0.1)))(model.parameters())
    return Stepper(model, opt, x[:32] if xb is None else xb, y[:32] if yb is None else yb)


def _run(s, names):
    return [s.run(n) for n in names][-1]


def _with(x, value):
    x = x.clone()
    x[3, 0] = value
    return x


Y = make_line_data(0).tensors()[1][:32]
X = make_line_data(0).tensors()[0][:32]


@pytest.mark.parametrize("kwargs,names,problem", [
    ({"xb": _with(X, float("nan"))}, ["forward"], "nonfinite_input"),
    ({"yb": _with(Y, float("inf"))}, ["forward", "loss"], "nonfinite_input"),
    ({"yb": _with(Y, 1e30)}, ["forward", "loss"], "nonfinite_loss"),
    ({}, ["forward", "loss", "backward", "step", "loss"], "loss_stale"),
    ({}, ["forward", "loss", "backward", "step", "backward"], "backward_stale"),
])
def test_a_record_on_a_problem_path_names_its_step(kwargs, names, problem):
    rec = _run(stepper(**kwargs), names)
    assert (rec.step, rec.problem) == (names[-1], problem), rec.message
    assert t("step." + rec.step)            # the debugger's title for the line


def test_an_optimizer_that_shrinks_the_weights_on_its_own_is_named_with_its_state():
    s = stepper(lambda p: torch.optim.ASGD(p, lr=0.1))     # ASGD multiplies the weights by 1 - lambd * eta
    _run(s, ["forward", "loss", "backward"])
    s.zero_grad(set_to_none=False)                            # every gradient 0, not None
    rec = s.step()
    assert rec.problem == "step_zero_grad"
    assert rec.message == t("stepper.problem.step_zero_grad_moved", optimizer="ASGD", n=6,
                            reason=t("stepper.why.state"))


@pytest.mark.parametrize("options,name", [
    ({"momentum": 0.9, "nesterov": True}, "SGD(momentum=0.9, nesterov=True)"),
    ({"momentum": 0.5, "weight_decay": 0.01, "nesterov": True}, "SGD(momentum=0.5, weight_decay=0.01, nesterov=True)"),
    ({"momentum": 0.9}, "SGD(momentum=0.9)"),
])
def test_sgd_with_options_is_named_as_its_code_reads(options, name):
    s = stepper(lambda p: torch.optim.SGD(p, lr=0.1, **options))
    rec = _run(s, ["forward", "loss", "backward", "step"])
    assert rec.message == t("stepper.did.step_other", n=6, optimizer=name)
