"""What every StepRecord says, on the paths a class meets by accident: steps out of order and
inf/NaN. Each record names the step that made it, and its message is the catalog's sentence
with the numbers counted here, in the test, from the tensors themselves."""
import pytest
import torch

from lessonlib import STEPS, Stepper, make_line_data, make_model
from lessonlib.stepper import StepRecord
from lessonlib.text import t

METHOD = {"forward": "forward", "loss": "compute_loss", "zero_grad": "zero_grad",
          "backward": "backward", "step": "step"}


def stepper(xb=None, yb=None, lr=0.1):
    model = make_model(0)
    x, y, _, _ = make_line_data(0).tensors()
    return Stepper(model, torch.optim.SGD(model.parameters(), lr=lr),
                   x[:32] if xb is None else xb, y[:32] if yb is None else yb)


def do(s, name) -> StepRecord:
    return getattr(s, METHOD[name])()


def non_finite(x) -> int:
    return sum(1 for v in x.detach().flatten().tolist() if v != v or v in (float("inf"), float("-inf")))


# Every order a student can click, as far as three steps deep: the record names its own step.
ORDERS = [[a, b, c] for a in STEPS for b in STEPS for c in STEPS]


@pytest.mark.parametrize("order", ORDERS, ids=["-".join(o) for o in ORDERS])
def test_every_record_names_the_step_that_made_it(order):
    s = stepper()
    for name in order:
        rec = do(s, name)
        assert rec.step == name, (order, rec.step, rec.message)
        assert rec.message and "[missing text" not in rec.message


def test_a_prediction_that_overflows_is_counted():
    s = stepper()
    with torch.no_grad():
        s.model[0].weight.mul_(1e30)
        s.model[2].weight.mul_(1e30)                       # finite weights, inf prediction
    rec = s.forward()
    n = non_finite(s.y_hat)
    assert 0 < n <= 32 and rec.step == "forward" and rec.problem == "nonfinite_prediction"
    assert rec.message == t("stepper.did.forward", n=32) + " " + t("stepper.nonfinite.prediction", count=n)


def test_inf_weights_after_a_step_are_counted_and_named():
    """A huge learning rate: the step writes inf into every weight it moves; the message counts
    them (here, from the tensors) and names each parameter, comma-separated."""
    s = stepper(lr=1e38)
    for name in ("forward", "loss", "zero_grad", "backward"):
        do(s, name)
    rec = s.step()
    bad = {n: non_finite(p) for n, p in s.model.named_parameters() if non_finite(p)}
    assert len(bad) >= 2, bad                       # the names are a list: more than one is needed
    assert rec.step == "step" and rec.problem == "nonfinite_weights"
    assert rec.message.endswith(t("stepper.nonfinite.weights_after_step", count=sum(bad.values()),
                                  names=", ".join(bad)))
    assert ", ".join(bad) in rec.message


def test_non_finite_gradients_are_named_with_grad():
    x, y, _, _ = make_line_data(0).tensors()
    yb = y[:32].clone()
    yb[0, 0] = float("inf")
    s = stepper(yb=yb)
    for name in ("forward", "loss", "zero_grad"):
        do(s, name)
    rec = s.backward()
    bad = [n + ".grad" for n, p in s.model.named_parameters() if non_finite(p.grad)]
    assert rec.step == "backward" and rec.problem == "nonfinite_grad" and bad
    assert rec.message.endswith(t("stepper.nonfinite.grad", count=sum(non_finite(p.grad) for p in s.model.parameters()),
                                  names=", ".join(bad)))


def test_a_weight_that_becomes_nan_is_a_change_and_nan_staying_nan_is_not():
    s = stepper()
    with torch.no_grad():
        s.model[4].bias[0] = float("nan")             # the output is NaN: every gradient is NaN
    for name in ("forward", "loss", "zero_grad", "backward"):
        do(s, name)
    rec = s.step()
    # finite -> NaN is a change of every weight that had a NaN gradient ...
    assert sorted(rec.params_changed) == sorted(n for n, _ in s.model.named_parameters() if n != "4.bias")
    # ... and the bias that was NaN before and after did not change
    assert "4.bias" not in rec.params_changed


def test_a_clean_input_counts_no_bad_values():
    s = stepper()
    rec = s.forward()
    assert rec.problem is None and rec.message == t("stepper.did.forward", n=32)


def test_set_batch_clears_the_prediction_and_loss_and_the_next_loss_says_so():
    s = stepper()
    s.forward()
    s.compute_loss()
    x, y, _, _ = make_line_data(0).tensors()
    s.set_batch(x[32:64], y[32:64])
    assert s.y_hat is None and s.loss is None
    rec = s.compute_loss()
    assert rec.step == "loss" and rec.problem == "loss_before_forward"
    assert rec.message == t("stepper.problem.loss_before_forward")


def test_a_smaller_last_batch_is_a_new_prediction():
    """The epoch's last batch may be smaller: a prediction of another shape is a change."""
    s = stepper()
    s.forward()
    x, y, _, _ = make_line_data(0).tensors()
    s.set_batch(x[:16], y[:16])
    rec = s.forward()
    assert "y_hat" in rec.changed and tuple(rec.changed["y_hat"].after.shape) == (16, 1)


def test_frozen_layers_have_no_gradient_and_are_not_counted():
    """A student may freeze a layer (requires_grad_(False)): its .grad stays None, and the
    inf/NaN count and names cover only the layers that got a gradient."""
    x, y, _, _ = make_line_data(0).tensors()
    yb = y[:32].clone()
    yb[0, 0] = float("inf")
    s = stepper(yb=yb)
    s.model[0].requires_grad_(False)
    for name in ("forward", "loss", "zero_grad"):
        do(s, name)
    rec = s.backward()
    assert s.model[0].weight.grad is None
    named = [(n, p) for n, p in s.model.named_parameters() if p.grad is not None]
    bad = [n + ".grad" for n, p in named if non_finite(p.grad)]
    assert rec.problem == "nonfinite_grad" and "0.weight" not in rec.message
    assert rec.message.endswith(t("stepper.nonfinite.grad", count=sum(non_finite(p.grad) for _, p in named),
                                  names=", ".join(bad)))


def test_a_record_draws_its_own_message():
    import html
    rec = stepper().forward()
    assert html.escape(rec.message, quote=False) in rec._repr_html_()
