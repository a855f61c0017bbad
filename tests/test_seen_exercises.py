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
