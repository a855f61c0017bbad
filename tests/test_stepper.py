"""lessonlib.stepper: each of the five steps changes exactly what the lesson says, and misuse is explained."""
from fractions import Fraction

import numpy as np
import pytest
import torch

from lessonlib import STEPS, Change, Stepper, StepRecord, make_line_data, make_model
from lessonlib.text import t

PARAMS = ["0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias"]
GRADS = [p + ".grad" for p in PARAMS]
HEBREW = set(chr(c) for c in range(0x05D0, 0x05EB))


def batch(k=0, size=32):
    x_train_t, y_train_t, _, _ = make_line_data(0).tensors()
    return x_train_t[k * size:(k + 1) * size], y_train_t[k * size:(k + 1) * size]


def make_stepper(optimizer="sgd", lr=0.1, seed=0):
    model = make_model(seed)
    if optimizer == "sgd":
        opt = torch.optim.SGD(model.parameters(), lr=lr)
    else:
        opt = torch.optim.Adam(model.parameters(), lr=lr)
    xb, yb = batch()
    return Stepper(model, opt, xb, yb)


def params(model):
    return {k: v.detach().clone() for k, v in model.named_parameters()}


def grads(model):
    return {k: (None if v.grad is None else v.grad.clone()) for k, v in model.named_parameters()}


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
def test_only_step_changes_parameters(optimizer):
    s = make_stepper(optimizer)
    for k in range(3):
        s.set_batch(*batch(k))
        records = s.run_batch()
        assert [r.step for r in records] == list(STEPS)
        for rec in records:
            assert isinstance(rec, StepRecord)
            assert rec.ok, f"{rec.step}: unexpected problem {rec.problem}"
            if rec.step == "step":
                assert sorted(rec.params_changed) == sorted(PARAMS), f"step() changed {rec.params_changed}"
                for name in PARAMS:
                    assert rec.changed[name].kind == "values"
            else:
                assert rec.params_changed == [], f"{rec.step} changed parameters {rec.params_changed}"


def test_the_model_moves_only_at_step():
    s = make_stepper()
    w0 = params(s.model)
    for name in STEPS[:-1]:
        s.run(name)
        now = params(s.model)
        assert all(torch.equal(w0[k], now[k]) for k in w0), f"{name} changed a weight"
    s.run("step")
    now = params(s.model)
    assert all(not torch.equal(w0[k], now[k]) for k in w0)


def test_records_of_each_step():
    s = make_stepper()
    rec = s.forward()
    assert set(rec.changed) == {"y_hat"}
    assert rec.changed["y_hat"].kind == "None->tensor"
    assert rec.changed["y_hat"].after.shape == (32, 1)
    assert torch.equal(rec.y_hat, s.model(s.xb).detach())
    assert rec.loss is None
    assert rec.message == t("stepper.did.forward", n=32)

    rec = s.compute_loss()
    assert set(rec.changed) == {"loss"}
    assert rec.changed["loss"].kind == "None->tensor"
    expected = torch.nn.functional.mse_loss(s.y_hat.detach(), s.yb).item()
    assert rec.loss == expected
    assert rec.message == t("stepper.did.loss", loss=expected)

    rec = s.zero_grad()
    assert rec.changed == {}                   # grads were already None
    assert all(p.grad is None for p in s.model.parameters())

    rec = s.backward()
    assert sorted(rec.changed) == sorted(GRADS)
    assert rec.grads_changed and sorted(rec.grads_changed) == sorted(GRADS)
    for name in GRADS:
        change = rec.changed[name]
        assert isinstance(change, Change)
        assert change.kind == "None->tensor" and change.before is None and change.delta is None
    assert rec.changed["2.weight.grad"].after.shape == (16, 16)
    assert rec.message == t("stepper.did.backward", n=6)

    rec = s.step()
    assert sorted(rec.changed) == sorted(PARAMS)
    assert rec.grads_changed == []
    assert rec.lr == 0.1
    assert rec.message == t("stepper.did.step", n=6)
    for name in PARAMS:
        assert torch.equal(rec.changed[name].delta, rec.changed[name].after - rec.changed[name].before)

    # second round: zero_grad takes the tensors away again, and forward replaces values
    rec = s.zero_grad()
    assert sorted(rec.changed) == sorted(GRADS)
    assert all(rec.changed[g].kind == "tensor->None" for g in GRADS)
    rec = s.forward()
    assert rec.changed["y_hat"].kind == "values"
    assert rec.params_changed == [] and rec.grads_changed == []
    assert len(s.history) == 7


def test_zero_grad_sets_none_or_zeros():
    assert int(torch.__version__.split(".")[0]) >= 2
    s = make_stepper()
    s.forward(); s.compute_loss(); s.backward()
    assert all(p.grad is not None and p.grad.abs().sum() > 0 for p in s.model.parameters())
    rec = s.zero_grad()
    assert all(p.grad is None for p in s.model.parameters())
    assert rec.message == t("stepper.did.zero_grad_none")

    s.forward(); s.compute_loss(); s.backward()
    rec = s.zero_grad(set_to_none=False)
    for name, p in s.model.named_parameters():
        assert p.grad is not None, f"{name}.grad is None after zero_grad(set_to_none=False)"
        assert torch.equal(p.grad, torch.zeros_like(p)), f"{name}.grad is not all zeros"
    assert sorted(rec.grads_changed) == sorted(GRADS)
    assert all(rec.changed[g].kind == "values" for g in GRADS)
    assert rec.params_changed == []
    assert rec.message == t("stepper.did.zero_grad_zeros")


def _sgd_step_record(lr):
    s = make_stepper("sgd", lr=lr)
    s.forward(); s.compute_loss(); s.zero_grad(); s.backward()
    before, g = params(s.model), grads(s.model)
    rec = s.step()
    return s, before, g, rec


def test_one_sgd_step_is_w_minus_lr_grad_exactly():
    # lr = 1/8: lr * grad is exact in float32, so W - lr * grad has a single rounding, as torch's update does.
    lr = 0.125
    s, before, g, rec = _sgd_step_record(lr)
    for name, p in s.model.named_parameters():
        expected = before[name] - lr * g[name]
        assert torch.equal(p.detach(), expected), (
            f"{name}: got {p.detach().flatten()[:3].tolist()}, expected {expected.flatten()[:3].tolist()}")
        assert torch.equal(rec.changed[name].after, expected)
        assert torch.equal(rec.changed[name].delta, p.detach() - before[name])


def _round_to_float32(value: Fraction) -> np.float32:
    """The float32 nearest to an exact rational (ties to even): one correct rounding."""
    c = np.float32(float(value))
    candidates = (np.nextafter(c, np.float32(-np.inf)), c, np.nextafter(c, np.float32(np.inf)))
    return min(candidates, key=lambda v: (abs(Fraction(float(v)) - value), int(v.view(np.int32)) & 1))


def test_one_sgd_step_with_lr_0_1_is_the_exact_update_rounded():
    """lr = 0.1 is not exact in binary: torch's update p.add_(grad, alpha=-lr) computes
    W + float32(-lr) * grad and rounds once (a fused multiply-add). We compute that value with exact
    rational arithmetic; a CPU without FMA would round lr * grad first, which we accept as well,
    element by element; nothing else is accepted."""
    lr = 0.1
    s, before, g, rec = _sgd_step_record(lr)
    alpha = Fraction(float(np.float32(-lr)))
    for name, p in s.model.named_parameters():
        w, gr = before[name].flatten().numpy(), g[name].flatten().numpy()
        fused = np.array([_round_to_float32(Fraction(float(a)) + alpha * Fraction(float(b)))
                          for a, b in zip(w, gr, strict=True)], dtype=np.float32)
        unfused = (before[name] - lr * g[name]).flatten().numpy()
        got = p.detach().flatten().numpy()
        ok = (got == fused) | (got == unfused)
        bad = np.flatnonzero(~ok)
        assert bad.size == 0, (f"{name}[{bad[0]}]: got {got[bad[0]]!r}, expected {fused[bad[0]]!r} "
                               f"(W - lr * grad rounded once)")
        assert (got == fused).all() or (got == unfused).all()


def test_step_without_gradients():
    for optimizer in ("sgd", "adam"):
        s = make_stepper(optimizer)
        w0 = params(s.model)
        rec = s.step()
        assert rec.problem == "step_without_grad" and not rec.ok
        assert rec.params_changed == [] and rec.changed == {}
        assert all(torch.equal(w0[k], v) for k, v in params(s.model).items())
        assert rec.message == t("stepper.problem.step_without_grad")
        assert "backward()" in rec.message and "None" in rec.message


def test_step_with_zero_gradients():
    s = make_stepper("sgd")
    s.forward(); s.compute_loss(); s.backward()
    s.zero_grad(set_to_none=False)
    w0 = params(s.model)
    rec = s.step()
    assert rec.problem == "step_zero_grad"
    assert rec.params_changed == []
    assert all(torch.equal(w0[k], v) for k, v in params(s.model).items())
    assert rec.message == t("stepper.problem.step_zero_grad", optimizer="SGD")


def test_backward_before_loss():
    s = make_stepper()
    rec = s.backward()
    assert rec.problem == "backward_before_loss"
    assert rec.changed == {}
    assert all(p.grad is None for p in s.model.parameters())
    assert rec.message == t("stepper.problem.backward_before_loss")
    s.forward()
    rec = s.backward()                # a prediction but still no loss
    assert rec.problem == "backward_before_loss" and rec.grads_changed == []


def test_loss_before_forward():
    s = make_stepper()
    rec = s.compute_loss()
    assert rec.problem == "loss_before_forward"
    assert rec.changed == {} and rec.loss is None and s.loss is None
    assert rec.message == t("stepper.problem.loss_before_forward")
    assert "forward()" in rec.message


def test_backward_twice_accumulates_exactly():
    s = make_stepper()
    s.forward(); s.compute_loss(); s.zero_grad()
    first = s.backward()
    assert first.ok
    g1 = grads(s.model)
    rec = s.backward()
    assert rec.problem == "backward_accumulated"
    assert rec.params_changed == []
    assert sorted(rec.grads_changed) == sorted(GRADS)
    for name, p in s.model.named_parameters():
        assert torch.equal(p.grad, 2 * g1[name]), f"{name}.grad is not exactly twice the first gradient"
        assert rec.changed[name + ".grad"].kind == "values"
    assert rec.message == t("stepper.did.backward_accumulated", count=2)
    rec = s.backward()
    assert rec.problem == "backward_accumulated" and "3" in rec.message
    for name, p in s.model.named_parameters():
        assert torch.equal(p.grad, 3 * g1[name])
    # zero_grad resets the count
    s.zero_grad()
    assert s.backward().ok


def test_backward_after_step_is_stale():
    s = make_stepper()
    s.run_batch()
    g = grads(s.model)
    rec = s.backward()
    assert rec.problem == "backward_stale"
    assert rec.changed == {}
    assert all(torch.equal(g[k], v) for k, v in grads(s.model).items())
    assert rec.message == t("stepper.problem.backward_stale")
    # a fresh forward and loss make it fine again
    s.forward(); s.compute_loss(); s.zero_grad()
    assert s.backward().ok


def test_step_twice():
    s = make_stepper()
    s.run_batch()
    w1 = params(s.model)
    rec = s.step()
    assert rec.problem == "step_twice"
    assert sorted(rec.params_changed) == sorted(PARAMS)   # it did move the weights again
    assert any(not torch.equal(w1[k], v) for k, v in params(s.model).items())
    assert rec.message == t("stepper.problem.step_twice")


def test_run_unknown_name():
    s = make_stepper()
    with pytest.raises(KeyError):
        s.run("jump")


@pytest.mark.parametrize("problem,actions,key,values", [
    ("step_without_grad", ["step"], "stepper.problem.step_without_grad", {}),
    ("backward_before_loss", ["backward"], "stepper.problem.backward_before_loss", {}),
    ("loss_before_forward", ["loss"], "stepper.problem.loss_before_forward", {}),
    ("backward_accumulated", ["forward", "loss", "backward", "backward"], "stepper.did.backward_accumulated", {"count": 2}),
    ("backward_stale", ["forward", "loss", "zero_grad", "backward", "step", "backward"], "stepper.problem.backward_stale", {}),
    ("step_twice", ["forward", "loss", "zero_grad", "backward", "step", "step"], "stepper.problem.step_twice", {}),
    ("loss_stale", ["forward", "loss", "zero_grad", "backward", "step", "loss"], "stepper.problem.loss_stale", {}),
])
def test_misuse_messages_in_hebrew(language, problem, actions, key, values):
    language("he")
    s = make_stepper()
    for name in actions:
        rec = s.run(name)
    assert rec.problem == problem
    assert HEBREW & set(rec.message), f"expected a Hebrew message, got {rec.message!r}"
    assert rec.message == t(key, lang="he", **values)
    assert rec.message != t(key, lang="en", **values)


def test_happy_path_messages_in_hebrew(language):
    language("he")
    s = make_stepper()
    records = s.run_batch()
    for rec in records:
        assert HEBREW & set(rec.message) or rec.step == "zero_grad", f"{rec.step}: {rec.message!r}"
    assert records[0].message == t("stepper.did.forward", lang="he", n=32)
    assert "אף פרמטר לא השתנה" in records[3].message


# ---- issue 8: misuse and inf/NaN never raise, and every record tells the truth ---------------------

def make_with(opt_factory, seed=0):
    model = make_model(seed)
    return Stepper(model, opt_factory(model.parameters()), *batch())


OPTIMIZERS = {
    "sgd": lambda ps: torch.optim.SGD(ps, lr=0.1),
    "momentum": lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.9),
    "adam": lambda ps: torch.optim.Adam(ps, lr=0.01),
    "weight_decay": lambda ps: torch.optim.SGD(ps, lr=0.1, weight_decay=0.1),
}


@pytest.mark.parametrize("optimizer", sorted(OPTIMIZERS))
def test_backward_after_a_zero_gradient_step_is_stale_not_an_error(optimizer):
    """zero_grad(set_to_none=False), step(), backward(): step() wrote the weights in place (even if by
    zero), so PyTorch's backward() would raise; the record says backward_stale instead."""
    s = make_with(OPTIMIZERS[optimizer])
    s.forward(); s.compute_loss(); s.backward()
    s.zero_grad(set_to_none=False)
    s.step()
    g = grads(s.model)
    rec = s.backward()                                  # used to raise RuntimeError (in-place modification)
    assert rec.problem == "backward_stale" and rec.changed == {}
    assert rec.message == t("stepper.problem.backward_stale")
    assert all(torch.equal(g[k], v) for k, v in grads(s.model).items())
    s.forward(); s.compute_loss()
    assert s.backward().step == "backward" and s.history[-1].problem in (None, "backward_accumulated")


def test_weights_changed_by_hand_after_forward_make_backward_stale():
    s = make_stepper()
    s.forward(); s.compute_loss()
    with torch.no_grad():
        s.model[4].bias += 0.0                        # an in-place write that changes no value
    rec = s.backward()
    assert rec.problem == "backward_stale"
    assert all(p.grad is None for p in s.model.parameters())


def test_loss_after_step_without_forward_is_stale():
    s = make_stepper()
    s.forward(); pre = s.compute_loss().loss; s.zero_grad(); s.backward(); s.step()
    rec = s.compute_loss()                            # the prediction is from the old weights
    assert rec.problem == "loss_stale" and not rec.ok
    assert rec.loss is None and s.loss is None, f"a pre-step loss {pre} reported as current"
    assert rec.message == t("stepper.problem.loss_stale")
    assert rec.changed["loss"].kind == "tensor->None" and rec.params_changed == []
    assert s.backward().problem == "backward_before_loss"
    s.forward()
    rec = s.compute_loss()
    assert rec.ok and rec.loss != pre


@pytest.mark.parametrize("optimizer,reason,name", [("momentum", "stepper.why.momentum", "SGD(momentum=0.9)"),
                                                   ("adam", "stepper.why.running_averages", "Adam"),
                                                   ("weight_decay", "stepper.why.weight_decay", "SGD(weight_decay=0.1)")])
def test_zero_gradient_step_that_still_moves_says_why(language, optimizer, reason, name):
    for lang in ("en", "he"):
        language(lang)
        s = make_with(OPTIMIZERS[optimizer])
        s.run_batch()                                  # the optimizer now has a stored state
        s.forward(); s.compute_loss(); s.backward()
        s.zero_grad(set_to_none=False)
        w0 = params(s.model)
        rec = s.step()
        moved = [k for k, v in params(s.model).items() if not torch.equal(w0[k], v)]
        assert sorted(moved) == sorted(PARAMS) and sorted(rec.params_changed) == sorted(PARAMS)
        assert rec.problem == "step_zero_grad"
        assert rec.message == t("stepper.problem.step_zero_grad_moved", optimizer=name, n=6, reason=t(reason))
        assert "Plain SGD" not in rec.message and "moves nothing" not in rec.message
        assert name in rec.message


def test_zero_gradient_step_that_moves_nothing_names_the_optimizer():
    s = make_with(OPTIMIZERS["adam"])                 # no stored state yet: Adam's update is 0
    s.forward(); s.compute_loss(); s.backward(); s.zero_grad(set_to_none=False)
    rec = s.step()
    assert rec.problem == "step_zero_grad" and rec.params_changed == []
    assert rec.message == t("stepper.problem.step_zero_grad", optimizer="Adam")


@pytest.mark.parametrize("bad", [float("nan"), float("inf")])
def test_a_non_finite_input_batch_is_flagged_at_every_step_it_reaches(bad):
    s = make_stepper()
    xb, yb = batch()
    xb = xb.clone(); xb[3, 0] = bad
    s.set_batch(xb, yb)
    recs = s.run_batch()                              # must not raise
    assert [r.problem for r in recs] == ["nonfinite_input", "nonfinite_loss", None, "nonfinite_grad",
                                         "nonfinite_weights"]
    assert recs[0].message == t("stepper.did.forward", n=32) + " " + t("stepper.nonfinite.input_x", count=1)
    assert "xb" in recs[0].message and "NaN" in recs[0].message
    assert recs[1].message.endswith(t("stepper.nonfinite.loss", loss=recs[1].loss))
    assert "inf or NaN" in recs[3].message and "0.weight.grad" in recs[3].message
    assert "inf or NaN" in recs[4].message
    assert s.forward().problem == "nonfinite_input"


def test_a_non_finite_target_is_flagged_at_the_loss():
    s = make_stepper()
    xb, yb = batch()
    yb = yb.clone(); yb[0, 0] = float("nan")
    s.set_batch(xb, yb)
    recs = s.run_batch()
    assert [r.problem for r in recs][:2] == [None, "nonfinite_input"]
    assert recs[1].message.endswith(t("stepper.nonfinite.input_y", count=1))
    assert recs[3].problem == "nonfinite_grad" and recs[4].problem == "nonfinite_weights"


def test_forward_flags_non_finite_weights_and_overflowing_predictions(language):
    s = make_stepper()
    with torch.no_grad():
        s.model[2].weight[0, 0] = float("inf")
    rec = s.forward()
    assert rec.problem == "nonfinite_weights"
    assert rec.message.endswith(t("stepper.nonfinite.weights", count=1, names="2.weight"))
    assert rec.params_changed == []
    s = make_stepper()
    with torch.no_grad():
        s.model[0].weight.mul_(1e30); s.model[2].weight.mul_(1e30)   # finite weights, overflowing prediction
    rec = s.forward()
    assert rec.problem == "nonfinite_prediction", rec.message
    language("he")
    with torch.no_grad():
        s.model[2].bias[:] = float("nan")
    rec = s.forward()
    assert rec.problem == "nonfinite_weights" and HEBREW & set(rec.message)
    assert rec.message.endswith(t("stepper.nonfinite.weights", lang="he", count=16, names="2.bias"))


def test_nan_staying_nan_is_no_change():
    s = make_stepper()
    with torch.no_grad():
        s.model[0].bias[:] = float("nan")
    s.forward()
    rec = s.forward()
    assert rec.changed == {} and rec.problem == "nonfinite_weights"


def test_the_step_debugger_shows_the_warning_of_a_forward_with_inf_weights():
    pytest.importorskip("ipywidgets")
    from lessonlib import widgets
    _, dbg = widgets.step_debugger()
    with torch.no_grad():
        dbg.model[0].weight[0, 0] = float("inf")
    (rec,) = dbg.click("forward")
    assert rec.problem == "nonfinite_weights"
    assert 'data-problem="nonfinite_weights"' in dbg.message_html.value
    assert "⚠️" in dbg.message_html.value and "0.weight" in dbg.message_html.value


def test_the_step_debugger_counts_updates_that_leave_nan_weights():
    """An epoch on NaN weights still runs its batches one after another (an update that writes NaN is an update)."""
    pytest.importorskip("ipywidgets")
    from lessonlib import widgets
    _, dbg = widgets.step_debugger()
    with torch.no_grad():
        dbg.model[0].bias[:] = float("nan")
    recs = dbg.click("epoch")
    assert dbg.updates == dbg.n_batches and dbg.epoch == 1
    assert {r.problem for r in recs if r.step == "step"} == {"nonfinite_weights"}
    dbg.click("epoch")
    assert dbg.epoch == 2


# ---- the step message names the rule that moved the weights (issue 16) -------------------------------

_ONLY = "This is the only step that changes weights and biases."


@pytest.mark.parametrize("optimizer,expected", [
    ("sgd", f"W <- W - lr * dL/dW changed 6 parameter tensors. {_ONLY}"),
    ("momentum", "SGD(momentum=0.9) changed 6 parameter tensors using the gradients dL/dW "
                 f"(its own rule, not plain W - lr * dL/dW). {_ONLY}"),
    ("weight_decay", "SGD(weight_decay=0.1) changed 6 parameter tensors using the gradients dL/dW "
                     f"(its own rule, not plain W - lr * dL/dW). {_ONLY}"),
    ("adam", f"Adam changed 6 parameter tensors using the gradients dL/dW (its own rule, not plain W - lr * dL/dW). {_ONLY}"),
])
def test_step_message_names_the_rule_that_moved_the_weights(language, optimizer, expected):
    """Written out: SGD with momentum is not "SGD" (that read "SGD ... its own rule, not plain W - lr * dL/dW")."""
    language("en")
    s = make_with(OPTIMIZERS[optimizer])
    recs = s.run_batch()
    assert recs[-1].ok and recs[-1].message == expected


def test_step_message_of_momentum_in_hebrew(language):
    from lessonlib.text import prose_html
    language("he")
    s = make_with(OPTIMIZERS["momentum"])
    rec = s.run_batch()[-1]
    assert rec.message == ("האופטימייזר SGD(momentum=0.9) שינה 6 טנזורי פרמטרים בעזרת הגרדיאנטים dL/dW, לפי כלל "
                           "עדכון משלו (לא W - lr * dL/dW הפשוט). זה הצעד היחיד שמשנה משקולות והטיות.")
    shown = prose_html(rec.message)
    assert "<bdi dir='ltr'>SGD(momentum=0.9)</bdi>" in shown      # the name reads as one left-to-right run
