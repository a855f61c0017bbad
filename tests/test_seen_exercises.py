"""What a student reads after answering 05.hidden_grads (the chain rule in matrix form), and after
reveal() with answers off: the whole message, against the catalog sentence filled here with
literal values (the mask 1[z2 > 0], the batch of 32, the parts already right).

The answers are computed in the test the way a student would, in float64 NumPy from the lesson's
weights (tests/oracles.py), each with one slip: a mask left out, a batch's gradient, a wrong
shape (an entrywise product that keeps the 16 paths apart, a row for a column).
"""
from __future__ import annotations

import numpy as np
import pytest

import lessonlib
from lessonlib.exercises import REVEAL_AFTER, check, reset_tries, reveal
from lessonlib.text import t
from tests.oracles import forward64, lesson_net, line_xy, weights64

ID = "05.hidden_grads"
BATCH = 32              # the lesson's batch, in the exercise's text


def _sample0():
    """Lesson 05's first training point through the untrained net: the pieces of the chain rule."""
    x_train, y_train = line_xy(0)[:2]
    x, y = x_train[:1].astype(np.float64), y_train[:1].astype(np.float64)
    w = weights64(lesson_net(0)[0])
    c = forward64(w, x)
    col = {k: c[k].reshape(-1, 1) for k in ("x", "a1", "z1", "z2")}
    m1, m2 = (col["z1"] > 0) * 1.0, (col["z2"] > 0) * 1.0
    d3 = 2 * (c["y_hat"] - y)                                     # (1, 1)
    return w, col, m1, m2, d3


def _right() -> dict:
    w, col, m1, m2, d3 = _sample0()
    d2 = (w[4].T @ d3) * m2
    return {"delta2": d2, "W2": d2 @ col["a1"].T, "W1": ((w[2].T @ d2) * m1) @ col["x"].T}


def _batch_grads(mean: bool) -> dict:
    """dL/dW2, dL/dW1 and delta2 (rows = samples) for the first 32 training points."""
    x_train, y_train = line_xy(0)[:2]
    xb, yb = x_train[:BATCH].astype(np.float64), y_train[:BATCH].astype(np.float64)
    w = weights64(lesson_net(0)[0])
    c = forward64(w, xb)
    e3 = 2 * (c["y_hat"] - yb) / (BATCH if mean else 1)
    e2 = (e3 @ w[4]) * (c["z2"] > 0)                              # (32, 16)
    e1 = (e2 @ w[2]) * (c["z1"] > 0)
    return {"delta2": e2, "W2": e2.T @ c["a1"], "W1": e1.T @ xb}


def _slip(kind: str) -> dict:
    w, col, m1, m2, d3 = _sample0()
    answer = _right()
    d2 = answer["delta2"]
    if kind == "no_mask_delta2":
        answer["delta2"] = w[4].T @ d3
    elif kind == "no_mask_W2":
        answer["W2"] = (w[4].T @ d3) @ col["a1"].T
    elif kind == "no_mask_W1":
        answer["W1"] = (w[2].T @ d2) @ col["x"].T
    elif kind.startswith("batch_"):                               # batch_sum_W2, batch_mean_W1, ...
        _, how, part = kind.split("_")
        answer[part] = _batch_grads(mean=how == "mean")[part]
    elif kind == "divided":
        answer = {k: v / BATCH for k, v in answer.items()}
    elif kind.startswith("entrywise"):                            # [k, j]: path k -> j, not summed over j
        paths = (w[2].T * d2.T) * m1 * col["x"][0, 0]
        answer["W1"] = paths.T if kind.endswith("_T") else paths
        if kind.startswith("entrywise_off"):
            answer["W1"] = paths + 1e-3                           # its sums miss dL/dW1 by 0.016
        if kind.endswith("_f32"):                                 # worked out in torch's float32: its sums
            answer["W1"] = paths.astype(np.float32)               # miss by 1.2e-6, inside 1e-6 * max |dL/dW1|
    elif kind == "w1_row":
        answer["W1"] = answer["W1"].T
    elif kind.startswith("delta_batch"):
        e2 = _batch_grads(mean=True)["delta2"]
        answer["delta2"] = e2 if kind.endswith("rows") else e2.T
    return answer


def _right_so_far(*parts) -> str:
    return t("ex.05.hidden_grads.right", parts=", ".join(parts)) if parts else ""


NO_MASK = "ex.05.hidden_grads.no_mask"
CASES = [   # (slip, part said to be off, its diagnosis as (key, values), parts said to be right)
    ("no_mask_delta2", "delta2", (NO_MASK, {"mask": "1[z2 > 0]"}), ()),
    ("no_mask_W2", "W2", (NO_MASK, {"mask": "1[z2 > 0]"}), ("delta2",)),
    ("no_mask_W1", "W1", (NO_MASK, {"mask": "1[z1 > 0]"}), ("delta2", "W2")),
    ("batch_sum_W2", "W2", ("ex.05.hidden_grads.batch_sum", {"batch": 32}), ("delta2",)),
    ("batch_mean_W2", "W2", ("ex.05.hidden_grads.batch_mean", {"batch": 32}), ("delta2",)),
    ("batch_sum_W1", "W1", ("ex.05.hidden_grads.batch_sum", {"batch": 32}), ("delta2", "W2")),
    ("batch_mean_W1", "W1", ("ex.05.hidden_grads.batch_mean", {"batch": 32}), ("delta2", "W2")),
    ("divided", "delta2", ("ex.05.hidden_grads.divided", {"batch": 32}), ()),
    ("entrywise", "W1", ("ex.05.hidden_grads.no_sum", {}), ("delta2", "W2")),
    ("entrywise_T", "W1", ("ex.05.hidden_grads.no_sum", {}), ("delta2", "W2")),
    ("entrywise_f32", "W1", ("ex.05.hidden_grads.no_sum", {}), ("delta2", "W2")),
    ("w1_row", "W1", ("ex.05.hidden_grads.outer_order", {}), ("delta2", "W2")),
    ("delta_batch_rows", "delta2", ("ex.05.hidden_grads.batch_shape", {"batch": 32}), ()),
    ("delta_batch_columns", "delta2", ("ex.05.hidden_grads.batch_shape", {"batch": 32}), ()),
]


@pytest.mark.parametrize("slip,part,diagnosis,right", CASES, ids=[c[0] for c in CASES])
def test_hidden_grads_names_the_part_the_slip_and_what_is_right(slip, part, diagnosis, right):
    reset_tries(ID)
    res = check(ID, _slip(slip))
    key, values = diagnosis
    shown = t("ex.05.hidden_grads.part_wrong", part=part, diagnosis=t(key, **values), right=_right_so_far(*right))
    assert (res.status, res.mistake) == ("wrong", key)
    assert res.message == shown + " " + t("check.try_again", tries=1, limit=REVEAL_AFTER, id=ID)


def test_a_matrix_that_does_not_add_up_to_dW1_is_not_called_a_missing_sum():
    reset_tries(ID)
    res = check(ID, _slip("entrywise_off"))
    assert res.status in ("wrong", "invalid") and res.mistake != "ex.05.hidden_grads.no_sum", res


def test_a_zero_dW1_is_not_called_one_neurons_path():
    """The "only neuron j's path" diagnosis (no_sum) is for a dL/dW1 that kept one path back: a neuron whose
    delta2 is 0 (a ReLU that is off) has no path, so an all-zero dL/dW1 is not matched to it."""
    w, col, m1, m2, d3 = _sample0()
    assert (m2 == 0).any(), "lesson 05's sample has a layer-2 ReLU that is off: the case this test is about"
    answer = _right()
    answer["W1"] = np.zeros_like(answer["W1"])
    reset_tries(ID)
    res = check(ID, answer)
    assert res.status == "wrong" and res.mistake != "ex.05.hidden_grads.no_sum", res


def test_a_batch_shaped_delta2_that_is_not_finite_is_not_called_a_batch():
    answer = _right()
    answer["delta2"] = np.full((16, BATCH), np.nan)
    reset_tries(ID)
    res = check(ID, answer)
    assert res.status in ("wrong", "invalid") and res.mistake != "ex.05.hidden_grads.batch_shape", res


def test_a_part_that_is_not_numbers_is_explained():
    answer = {**_right(), "W2": "W2 @ a1"}
    res = check(ID, answer)
    assert res.status == "invalid" and res.message.startswith("In the part 'W2' of the dict: "), res


@pytest.mark.parametrize("blank,right", [(("W2", "W1"), ("delta2",)), (("delta2", "W2", "W1"), ()),
                                         (("W1",), ("delta2", "W2"))])
def test_hidden_grads_partly_answered_says_what_is_left(blank, right):
    answer = {k: (... if k in blank else v) for k, v in _right().items()}
    res = check(ID, answer)
    assert res.status == "unanswered"
    assert res.message == t("ex.05.hidden_grads.partial", right=_right_so_far(*right), blank=", ".join(blank))


def test_reveal_with_answers_off_says_so_and_carries_no_answer():
    lessonlib.setup(lang="he", answers=False)
    try:
        res = reveal("02.params8")
    finally:
        lessonlib.setup(lang="en")
    assert (res.ok, res.status, res.answer, res.expected) == (False, "unanswered", "", None)
    assert res.message == t("check.answers_off", lang="he", id="02.params8")


# ---- 08.capstone: a loop that raises gets its error's first line and the student's own line --------------------

def _said(fn, key, **values):
    return t("capstone.wrong", name=f"{fn.__name__}()", diagnosis=t(key, **values))


def _raised(fn, error: str, line: str = "") -> str:
    where = t("capstone.raised_line", line=line) if line else ""
    return _said(fn, "capstone.raised", error=error, where=where)


def _capstone(fn):
    from lessonlib.capstone import check_capstone
    return check_capstone(fn)


def long_message(model, optimizer, loss_fn, loader, epochs):
    raise ValueError("x" * 161 + "\nsecond line")


def at_the_limit(model, optimizer, loss_fn, loader, epochs):
    raise ValueError("y" * 160)


def no_message(model, optimizer, loss_fn, loader, epochs):
    raise KeyError


def wrong_call_inside_torch(model, optimizer, loss_fn, loader, epochs):
    for xb, yb in loader:
        loss = loss_fn(model(xb))
        loss.backward()


def another_runtime_error(model, optimizer, loss_fn, loader, epochs):
    for i, (xb, yb) in enumerate(loader):
        optimizer.zero_grad()
        loss = loss_fn(model(xb), yb)
        if i == 1:
            raise RuntimeError("the batch is not ready")
        loss.backward()
        optimizer.step()


def raises_after_its_step(model, optimizer, loss_fn, loader, epochs):
    for xb, yb in loader:
        optimizer.zero_grad()
        loss = loss_fn(model(xb), yb)
        loss.backward()
        optimizer.step()
        raise ValueError("done early")


def own_inplace_change(model, optimizer, loss_fn, loader, epochs):
    for i, (xb, yb) in enumerate(loader):
        y_hat = model(xb)                   # right after the last batch's step(): no zero_grad() between
        loss = loss_fn(y_hat, yb)
        if i == 1:
            y_hat.mul_(2)                   # the student's own in-place change, not step()
        loss.backward()
        optimizer.step()


def inplace_before_any_forward(model, optimizer, loss_fn, loader, epochs):
    raise RuntimeError("one of the variables needed was modified by an inplace operation")


def step_right_after_forward(model, optimizer, loss_fn, loader, epochs):
    for i, (xb, yb) in enumerate(loader):
        y_hat = model(xb)
        if i > 0:
            optimizer.step()                # the last batch's gradients move the weights the graph saved
        loss = loss_fn(y_hat, yb)
        loss.backward()
        if i == 0:
            optimizer.step()


def backward_again_after_step(model, optimizer, loss_fn, loader, epochs):
    for xb, yb in loader:
        optimizer.zero_grad()
        loss = loss_fn(model(xb), yb)
        loss.backward(retain_graph=True)
        optimizer.step()
        loss.backward()


def test_a_long_error_is_cut_to_its_first_160_characters():
    assert _capstone(long_message).message == _raised(long_message, "ValueError: " + "x" * 157 + "...",
                                                      'raise ValueError("x" * 161 + "\\nsecond line")')
    assert _capstone(at_the_limit).message == _raised(at_the_limit, "ValueError: " + "y" * 160,
                                                      'raise ValueError("y" * 160)')


def test_an_error_without_a_message_shows_its_type():
    assert _capstone(no_message).message == _raised(no_message, "KeyError: ", "raise KeyError")


def test_an_error_raised_inside_torch_is_placed_at_the_students_line():
    res = _capstone(wrong_call_inside_torch)
    assert res.status == "wrong" and res.message.endswith(
        t("capstone.raised_line", line="loss = loss_fn(model(xb))") + ". Fix it and run the cell again."), res


def test_a_loop_defined_without_source_is_named_without_a_line():
    scope = {}
    exec("def nosource(model, optimizer, loss_fn, loader, epochs):\n    raise ValueError('bad')\n", scope)
    res = _capstone(scope["nosource"])
    assert res.message == _raised(scope["nosource"], "ValueError: bad"), res


def test_a_callable_object_that_raises_is_named_without_a_line():
    class Trainer:
        __name__ = "trainer"

        def __call__(self, model, optimizer, loss_fn, loader, epochs):
            raise ValueError("bad")

    res = _capstone(Trainer())
    assert res.status == "wrong" and "ValueError: bad" in res.message and t("capstone.raised_line", line="") \
        .split(":")[0] not in res.message, res


@pytest.mark.parametrize("fn,error,line", [
    (another_runtime_error, "RuntimeError: the batch is not ready", 'raise RuntimeError("the batch is not ready")'),
    (raises_after_its_step, "ValueError: done early", 'raise ValueError("done early")'),
    (inplace_before_any_forward, "RuntimeError: one of the variables needed was modified by an inplace operation",
     'raise RuntimeError("one of the variables needed was modified by an inplace operation")'),
])
def test_other_errors_are_not_called_a_step_inside_the_graph(fn, error, line):
    assert _capstone(fn).message == _raised(fn, error, line)


def test_an_inplace_change_of_the_students_own_is_not_blamed_on_step():
    res = _capstone(own_inplace_change)
    assert res.status == "wrong" and res.mistake != "capstone.step_inside_graph"
    assert "RuntimeError: " in res.message and t("capstone.raised_line", line="loss.backward()") in res.message


@pytest.mark.parametrize("fn,order", [
    (step_right_after_forward, "model(xb) → step() → loss_fn → backward()"),
    # the first batch, whose zero_grad() is the loop's first call: the batch is shown from it
    (backward_again_after_step, "zero_grad() → model(xb) → loss_fn → backward() → step() → backward()"),
])
def test_step_between_the_forward_pass_and_backward_shows_the_batch(fn, order):
    assert _capstone(fn).message == _said(fn, "capstone.step_inside_graph", order=order)


# ---- the registry: a new id is registered, a taken one refused by name ----------------------------------------

def test_exercise_registers_a_new_id_and_refuses_a_taken_one():
    from lessonlib.exercises import EXERCISES, exercise

    def checker(answer):
        return None

    try:
        assert exercise("99.registry_test")(checker) is checker
        assert EXERCISES["99.registry_test"] is checker
        with pytest.raises(ValueError, match=r"^duplicate exercise id '99\.registry_test'$"):
            exercise("99.registry_test")(lambda answer: None)
        assert EXERCISES["99.registry_test"] is checker
    finally:
        EXERCISES.pop("99.registry_test", None)


# ---- wrong tries: the same answer again is not a new try; a different one is ---------------------------------

def _tries_said(exercise_id: str, answer) -> int:
    """The count of wrong tries the message's tail gives (its sentence, filled with each count in turn)."""
    message = check(exercise_id, answer).message
    for n in range(1, 10):
        for key in ("check.try_again", "check.revealed_after"):
            if key == "check.try_again" and message.endswith(t(key, tries=n, limit=REVEAL_AFTER, id=exercise_id)):
                return n
            if key == "check.revealed_after" and f"{n}" in message and message.find(t(key, tries=n, answer="")[:20]) >= 0:
                return n
    raise AssertionError(message)


def test_a_dict_answer_in_another_key_order_is_the_same_try():
    reset_tries(ID)
    answer = _slip("no_mask_W2")
    assert _tries_said(ID, answer) == 1
    assert _tries_said(ID, {k: answer[k] for k in ("W1", "W2", "delta2")}) == 1       # the same, keys reordered
    assert _tries_said(ID, _slip("batch_sum_W2")) == 2                                # another part's value


@pytest.mark.parametrize("first,second,tries", [
    (0.1, 0.4, 2),                      # different numbers (not merged by rounding)
    (7, 7.0, 1),                        # the same number
    (0.1, 0.1 + 3e-10, 1),              # equal to 9 decimals: the same answer, typed again
    ([7], np.array([7.0]), 1),
])
def test_numbers_count_as_tries_by_value(first, second, tries):
    reset_tries("02.params8")
    _tries_said("02.params8", first)
    assert _tries_said("02.params8", second) == tries


def test_different_choices_are_different_tries():
    reset_tries("05.predict_sign")
    wrong = [o for o in ("positive", "negative", "zero") if check("05.predict_sign", o).status == "wrong"]
    reset_tries("05.predict_sign")
    assert [_tries_said("05.predict_sign", o) for o in wrong] == [1, 2]


def _loop(source_lr: str):
    scope = {}
    exec("def train(model, optimizer, loss_fn, loader, epochs):\n"
         "    for epoch in range(epochs):\n"
         "        for xb, yb in loader:\n"
         f"            raise ValueError({source_lr})\n", scope)
    return scope["train"]


def test_a_loop_defined_again_is_the_same_try_and_another_loop_is_not():
    reset_tries("08.capstone")
    assert check("08.capstone", _loop("1.0")).status == "wrong"
    assert _tries_said("08.capstone", _loop("1.0")) == 1           # the cell run again: a new function, same code
    assert _tries_said("08.capstone", _loop("2.0")) == 2           # another constant in the code
    assert _tries_said("08.capstone", _loop("2.0")) == 2


# ---- counts and MSEs: the sentence a right or wrong number gets ----------------------------------------------

def _tail(exercise_id: str, tries: int = 1) -> str:
    return " " + t("check.try_again", tries=tries, limit=REVEAL_AFTER, id=exercise_id)


def test_a_count_right_and_wrong_as_the_student_reads_it():
    from lessonlib.checks import narrowing_key

    reset_tries("02.params8")
    # 1*8+8 + 8*8+8 + 8*1+1: the three Linear layers of the hidden=8 net
    assert check("02.params8", 97).message == t("check.correct", detail=t("ex.02.params8.ok", total=97,
                                                                         counts="16 + 72 + 9"))
    # a wrong count that is no typical slip: which way it is off, and nothing after it (no hint)
    assert check("02.params8", 1000).message == (t("check.wrong_number", got="1000", narrow=t(narrowing_key(1000, 97)))
                                                 + _tail("02.params8"))


@pytest.mark.parametrize("exercise_id,answer,n", [
    ("03.predict_toy", (4 - 2) ** 2 + (0 - 2) ** 2, 2),                      # the toy's two points, summed
    ("03.mse_by_hand", (3 - 1) ** 2 + 0 + (5 - 4) ** 2, 3),
])
def test_the_sum_instead_of_the_mean_names_the_number_of_samples(exercise_id, answer, n):
    reset_tries(exercise_id)
    res = check(exercise_id, answer)
    assert res.mistake == "ex.03.mse.sum"
    assert res.message == t("check.mistake", got=f"{answer:g}", diagnosis=t("ex.03.mse.sum", n=n)) + _tail(exercise_id)


# ---- 06.predict_normalized: the ceiling before and after normalizing, and where 1.5 diverges --------------------

def _ceiling(x) -> float:
    """Lesson 03's 2 / lambda_max for MSE(w, b) of y_hat = w x + b on these x (float64, by hand)."""
    x = np.asarray(x, dtype=np.float64).ravel()
    return 2 / np.linalg.eigvalsh(2 * np.array([[np.mean(x * x), np.mean(x)], [np.mean(x), 1.0]]))[-1]


def _line_diverges_at(lr: float) -> int | None:
    """The first epoch (from 1) where y_hat = w x + b from w = 0, b = -3, on normalized x, diverges."""
    import torch
    from torch import nn

    from tests.oracles import diverged, reference_fit, untrained_mse

    x_train, y_train, x_val, y_val = line_xy(0)
    mu, sd = x_train.mean(), x_train.std()
    xy = ((x_train - mu) / sd, y_train, (x_val - mu) / sd, y_val)
    line = nn.Sequential(nn.Linear(1, 1))
    with torch.no_grad():
        line[0].weight.fill_(0.0)
        line[0].bias.fill_(-3.0)
    ref = untrained_mse(line, xy)
    run = reference_fit(line, torch.optim.SGD(line.parameters(), lr=lr), xy, lesson_net(0)[1], epochs=100)
    return next((e + 1 for e, (a, b) in enumerate(zip(run.train, run.val, strict=True))
                 if diverged(a, ref) or diverged(b, ref)), None)


def test_predict_normalized_says_the_ceilings_and_where_a_larger_lr_diverged():
    x = line_xy(0)[0]
    raw, new = _ceiling(x), _ceiling((x - x.mean()) / x.std())
    reset_tries("06.predict_normalized")
    res = check("06.predict_normalized", "0.9")
    assert res.message == t("check.correct", detail=t("ex.06.predict_normalized.ok", lr="0.9", raw=raw, new=new,
                                                      factor=new / raw))
    epoch = _line_diverges_at(1.5)
    assert epoch is not None
    res = check("06.predict_normalized", "1.5")
    outcome = t("ex.06.predict_normalized.diverged", epoch=epoch)
    assert t("ex.06.predict_normalized.no_two", lr="1.5", outcome=outcome) in res.message, res.message


def test_reveal_is_falsy_and_explains_an_id_that_is_not_text():
    res = reveal("02.params8")
    assert res.ok is False and not res and res.status == "revealed"
    res = reveal(["02.params8"])
    assert res.status == "invalid" and not res
    assert res.message.endswith(" " + t("check.did_you_mean", suggestion="02.params8"))


def test_largest_lr_says_how_many_units_died_at_the_stuck_rate():
    """0.015 does not diverge but stalls: the message counts the layer-2 ReLUs that output 0 for every x."""
    import torch

    from tests.oracles import reference_fit

    net, state = lesson_net(0)
    xy = line_xy(0)
    run = reference_fit(net, torch.optim.SGD(net.parameters(), lr=0.015), xy, state, epochs=100)
    with torch.no_grad():
        a2 = net[:4](torch.from_numpy(np.ascontiguousarray(xy[0])))
    dead = int((a2 == 0).all(dim=0).sum())
    assert dead > 0
    reset_tries("06.largest_lr")
    res = check("06.largest_lr", "0.015")
    assert t("ex.06.largest_lr.was_stuck", lr="0.015", loss=run.val[-1], dead=dead, below=1.0) in res.message, res
