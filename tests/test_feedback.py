"""Feedback that diagnoses instead of telling (issue 9).

* every typical mistake an exercise knows is diagnosed, in both languages (the table below
  must name every Mistake key the exercises build: a new diagnosis without a test fails);
* no first wrong answer to any exercise shows the expected value: the table's answers and a
  spread of generated wrong answers, for every registered exercise;
* the expected answer comes out on the REVEAL_AFTER-th different wrong answer, or with reveal().
"""
from __future__ import annotations

import math
import re

import numpy as np
import pytest

from lessonlib import checks
from lessonlib.checks import Mistake, narrowing_key
from lessonlib.exercises import EXERCISES, REVEAL_AFTER, check, reset_tries, reveal
from lessonlib.text import t
from tests.leaks import leaks
from tests.oracles_cnn import TYPICAL_10
from tests.oracles import forward64, lesson_net, line_xy, predict, trained_lesson_net, weights64

# (exercise id, a typical wrong answer, the diagnosis it must get). Values are computed the
# way a student who made that mistake would compute them, not copied from the checker, and
# not with the code the checker uses (manual.forward/backward, make_model, fit): with the
# lesson's definitions written out in tests/oracles.py (the net from torch.manual_seed, the
# passes in float64 NumPy, the script's training loop), so a bug in that code cannot move the
# checker's mistakes and this table together.


def _lesson05_sample(i):
    """Lesson 05's training point i through the untrained net (float64 NumPy): (cache, dL/db3, y)."""
    x_train, y_train = line_xy(0)[:2]
    x, y = x_train[i:i + 1].astype(np.float64), y_train[i:i + 1].astype(np.float64)
    cache = forward64(weights64(lesson_net(0)[0]), x)
    return cache, float(2 * (cache["y_hat"][0, 0] - y[0, 0])), y


def _y_hat_minus_y(i):
    cache, _, y = _lesson05_sample(i)
    return float(cache["y_hat"][0, 0] - y[0, 0])


def _grad_b3():
    return _lesson05_sample(0)[1]


def _z1_at(x):
    W1, b1 = weights64(lesson_net(0)[0])[:2]
    return (x * W1[:, 0] + b1).reshape(1, -1)


def _relu_z1_at(x):
    return np.maximum(_z1_at(x), 0)


def _hidden_by_hand(kind: str = "right"):
    """05.hidden_grads answers written the way a student would, in NumPy (column vectors), with one slip.

    kind: "right", or the slip: "no_mask2", "outer_w2", "w2_not_t", "one_path", "entrywise",
    "w1_row", "no_two", "sign", "div32", "batch_mean", "batch_sum", "batch_delta".
    """
    cache, _, y = _lesson05_sample(0)
    w = weights64(lesson_net(0)[0])
    W2, W3 = w[2], w[4]
    x, a1 = cache["x"].reshape(-1, 1), cache["a1"].reshape(-1, 1)
    m1, m2 = (cache["z1"].reshape(-1, 1) > 0) * 1.0, (cache["z2"].reshape(-1, 1) > 0) * 1.0
    d3 = 2 * (cache["y_hat"] - y)
    if kind == "no_two":
        d3 = d3 / 2
    if kind == "sign":
        d3 = -d3
    d2 = W3.T @ d3 if kind == "no_mask2" else (W3.T @ d3) * m2
    dW2 = a1 @ d2.T if kind == "outer_w2" else d2 @ a1.T
    back = W2 @ d2 if kind == "w2_not_t" else W2.T @ d2
    if kind == "one_path":                                        # only neuron 1 of layer 2 (cell "one entry")
        back = W2[1].reshape(-1, 1) * d2[1, 0]
    d1 = back * m1
    dW1 = x @ d1.T if kind == "w1_row" else d1 @ x.T
    if kind == "entrywise":                                       # W2.T * delta2.T: one entry per path (k, j)
        dW1 = (W2.T * d2.T) * m1 * x[0, 0]
    answer = {"delta2": d2, "W2": dW2, "W1": dW1}
    if kind == "div32":
        answer = {k: v / 32 for k, v in answer.items()}
    if kind.startswith("batch"):                                  # the first 32 training points, rows = samples
        x_train, y_train = line_xy(0)[:2]
        xb, yb = x_train[:32].astype(np.float64), y_train[:32].astype(np.float64)
        c = forward64(w, xb)
        e3 = 2 * (c["y_hat"] - yb) / (32 if kind == "batch_mean" else 1)
        e2 = (e3 @ W3) * (c["z2"] > 0)
        if kind == "batch_delta":
            answer["delta2"] = e2.T                               # (16, 32)
        else:
            answer["W2"] = e2.T @ c["a1"]
    return answer


def _bowl03(normalized: bool):
    """Lesson 03's matrix of second derivatives of MSE(w, b), on the training x (normalized or raw)."""
    x = line_xy(0)[0].astype(np.float64).ravel()
    if normalized:
        x = (x - x.mean()) / x.std()
    return 2 * np.array([[np.mean(x * x), np.mean(x)], [np.mean(x), 1.0]])


def _relu_no_bias_at(x):
    w1 = weights64(lesson_net(0)[0])[0]                    # (16, 1)
    return np.maximum(np.array([[x]]) @ w1.T, 0)


def _trained_prediction(x):
    """The lesson's net after the script's 300 epochs of Adam (the loop written out, tests/oracles.py)."""
    return predict(trained_lesson_net(), x)


TYPICAL = [
    ("00.predict_backward", 6, "ex.00.predict_backward.counted_grads"),
    ("00.predict_backward", 12, "ex.00.predict_backward.counted_both"),
    ("00.updates", 3 * 300, "ex.00.updates.floor"),                  # 160 // 48 batches
    ("00.updates", 160 / 48 * 300, "ex.00.updates.fraction"),
    ("00.updates", 300, "ex.00.updates.epochs_only"),
    ("00.updates", 160 * 300, "ex.00.updates.samples"),
    ("01.from_numpy", 0.0, "ex.01.from_numpy.copied"),
    ("01.predict_float64", "float32", "ex.01.predict_float64.converted"),
    ("01.predict_float64", "float64", "ex.01.predict_float64.follows_input"),
    ("01.batches", [240 // 32, 240 % 32], "ex.01.batches.floor"),
    ("01.batches", [240 // 32, 32], "ex.01.batches.floor"),
    ("01.batches", [math.ceil(240 / 32), 32], "ex.01.batches.last_full"),
    ("01.batches", [math.ceil(300 / 32), 300 - 9 * 32], "ex.01.batches.all_points"),
    ("01.batches", [math.ceil(60 / 32), 60 - 32], "ex.01.batches.validation"),
    ("02.predict_batch_shape", (32,), "ex.02.predict_batch_shape.no_column"),
    ("02.predict_batch_shape", (1, 1), "ex.02.predict_batch_shape.one_prediction"),
    ("02.predict_batch_shape", (32, 16), "ex.02.predict_batch_shape.hidden"),
    ("02.predict_batch_shape", (1, 32), "ex.02.predict_batch_shape.transposed"),
    ("02.params8", 1 * 8 + 8 * 8 + 8 * 1, "ex.02.params8.no_biases"),
    ("02.params8", (1 * 8 + 8) + (8 * 1 + 1), "ex.02.params8.one_hidden"),
    ("02.params8", 321, "ex.02.params8.sixteen"),
    ("02.a1", lambda: _z1_at(-3.0), "ex.02.a1.no_relu"),
    ("02.a1", lambda: _relu_z1_at(3.0), "ex.02.a1.wrong_x"),
    ("02.a1", lambda: _relu_no_bias_at(-3.0), "ex.02.a1.no_bias"),
    ("03.predict_toy", 8.0, "ex.03.mse.sum"),                       # 2**2 + 2**2
    ("03.predict_toy", 0.0, "ex.03.mse.not_squared"),
    ("03.predict_toy", 2.0, "ex.03.mse.absolute"),
    ("03.mse_by_hand", 5.0, "ex.03.mse.sum"),
    ("03.mse_by_hand", 1.0, "ex.03.mse.not_squared"),
    ("03.mse_by_hand", math.sqrt(5 / 3), "ex.03.mse.root"),
    ("03.line_w2_b0", -1.0, "ex.03.mse.not_squared"),
    ("03.line_w2_b0", 160.0, "ex.03.mse.sum"),
    ("03.argmin", [-2.0, 0.5], "ex.03.argmin.swapped"),
    ("03.argmin", [2.0, 1.0], "ex.03.argmin.old_data"),
    ("04.three_backwards", 1.0, "ex.04.three_backwards.overwrites"),
    ("04.three_backwards", 2.0, "ex.04.three_backwards.extra_calls"),
    ("04.three_backwards", 8.0, "ex.04.three_backwards.doubles"),
    ("04.predict_extra_step", "A", "ex.04.predict_extra_step.none_moves"),
    ("04.predict_extra_step", "C", "ex.04.predict_extra_step.reversed"),
    ("04.predict_extra_step", "D", "ex.04.predict_extra_step.zeros_move"),
    ("04.micro_scale", 4.0, "ex.04.micro_scale.inverse"),
    ("04.micro_scale", 1.0, "ex.04.micro_scale.unscaled"),
    ("04.micro_scale", 1 / 8, "ex.04.micro_scale.per_sample"),
    ("04.micro_scale", 1 / 32, "ex.04.micro_scale.per_sample"),
    ("05.predict_sign", "negative", "ex.05.predict_sign.if_below"),
    ("05.predict_sign", "zero", "ex.05.predict_sign.if_zero"),
    ("05.relu_mask", [1, 0, 1, 1, 0], "ex.05.relu_mask.at_zero"),
    ("05.relu_mask", [1.5, 0, 0, 2, 0], "ex.05.relu_mask.values"),
    ("05.relu_mask", [0, 1, 1, 0, 1], "ex.05.relu_mask.flipped"),
    ("05.d_y_hat", lambda: _y_hat_minus_y(2), "ex.05.d_y_hat.no_two"),
    ("05.d_y_hat", lambda: -2 * _y_hat_minus_y(2), "ex.05.d_y_hat.sign"),
    ("05.d_y_hat", lambda: _y_hat_minus_y(2) ** 2, "ex.05.d_y_hat.loss"),
    ("05.nudge", lambda: -0.01 * _grad_b3(), "ex.05.nudge.sign"),
    ("05.nudge", _grad_b3, "ex.05.nudge.no_nudge"),
    ("05.hidden_grads", lambda: _hidden_by_hand("no_mask2"), "ex.05.hidden_grads.no_mask"),
    ("05.hidden_grads", lambda: _hidden_by_hand("outer_w2"), "ex.05.hidden_grads.outer_order"),
    ("05.hidden_grads", lambda: _hidden_by_hand("w2_not_t"), "ex.05.hidden_grads.not_transposed"),
    ("05.hidden_grads", lambda: _hidden_by_hand("one_path"), "ex.05.hidden_grads.no_sum"),
    ("05.hidden_grads", lambda: _hidden_by_hand("no_two"), "ex.05.hidden_grads.no_two"),
    ("05.hidden_grads", lambda: _hidden_by_hand("sign"), "ex.05.hidden_grads.sign"),
    ("05.hidden_grads", lambda: _hidden_by_hand("div32"), "ex.05.hidden_grads.divided"),
    ("05.hidden_grads", lambda: _hidden_by_hand("batch_mean"), "ex.05.hidden_grads.batch_mean"),
    ("05.hidden_grads", lambda: _hidden_by_hand("batch_sum"), "ex.05.hidden_grads.batch_sum"),
    ("05.hidden_grads", lambda: _hidden_by_hand("batch_delta"), "ex.05.hidden_grads.batch_shape"),
    ("05.predict_no_relu", "A", "ex.05.predict_no_relu.if_both"),
    ("05.predict_no_relu", "C", "ex.05.predict_no_relu.if_abs_only"),
    ("05.predict_no_relu", "D", "ex.05.predict_no_relu.if_neither"),
    ("05.predict_symmetry", 16 * 16 - 1, "ex.05.predict_symmetry.all_differ"),      # every weight but W2[0, 0]
    ("05.predict_symmetry", 16 * 16 - 16, "ex.05.predict_symmetry.per_neuron"),     # all but row 0
    ("05.predict_symmetry", 1, "ex.05.predict_symmetry.counted_values"),
    ("06.sgd_update", 0.5 + 0.1 * -2.0, "ex.06.sgd_update.sign"),
    ("06.sgd_update", 0.5 - -2.0, "ex.06.sgd_update.no_lr"),
    ("06.sgd_update", 0.1 * 2.0, "ex.06.sgd_update.change_only"),
    ("06.predict_adam_step", 0.7, "ex.06.predict_adam_step.sgd"),
    ("06.predict_adam_step", 0.4, "ex.06.predict_adam_step.sign"),
    ("06.predict_adam_step", 0.5, "ex.06.predict_adam_step.no_move"),
    ("06.largest_lr", "0.002", "ex.06.largest_lr.was_smaller"),
    ("06.largest_lr", "0.015", "ex.06.largest_lr.was_stuck"),
    ("06.largest_lr", "0.04", "ex.06.largest_lr.was_diverged"),
    ("06.best_optimizer", "adam", "ex.06.best_optimizer.not_lowest"),
    ("06.predict_normalized", "0.02", "ex.06.predict_normalized.unchanged"),      # below the raw-x ceiling
    ("06.predict_normalized", "0.1", "ex.06.predict_normalized.smaller"),
    ("06.predict_normalized", lambda: f"{1 / np.linalg.eigvalsh(_bowl03(True))[-1]:g}",   # 1 / lambda_max = 0.5
     "ex.06.predict_normalized.one_over"),
    ("06.predict_normalized", "1.5", "ex.06.predict_normalized.no_two"),          # below 2 / mean(x^2) = 2
    ("07.epoch_loss", (5 * 0.5 + 2.0) / 6, "ex.07.epoch_loss.batch_mean"),
    ("07.epoch_loss", 5 * 0.5 + 2.0, "ex.07.epoch_loss.batch_sum"),
    ("07.epoch_loss", 5 * 32 * 0.5 + 8 * 2.0, "ex.07.epoch_loss.not_divided"),
    ("07.epoch_loss", (5 * 32 * 0.5 + 8 * 2.0) / 6, "ex.07.epoch_loss.per_batch"),
    ("07.predict_x12", "A", "ex.07.predict_x12.not_A"),
    ("07.predict_x12", "B", "ex.07.predict_x12.not_B"),
    ("07.pct20", lambda: abs(_trained_prediction(20.0) - 41.0) / 41.0, "ex.07.pct.no_hundred"),
    ("07.pct20", lambda: abs(_trained_prediction(20.0) - 41.0) / abs(_trained_prediction(20.0)) * 100,
     "ex.07.pct.by_prediction"),
    ("07.pct20", lambda: abs(_trained_prediction(20.0) - 41.0), "ex.07.pct.absolute"),
    ("07.pct20", lambda: (_trained_prediction(20.0) - 41.0) / 41.0 * 100, "ex.07.pct.signed"),
    ("08.missing_line", "B", "ex.08.missing_line.not_B"),
    ("08.missing_line", "C", "ex.08.missing_line.not_C"),
    ("08.missing_line", "D", "ex.08.missing_line.not_D"),
    ("08.print_bug", lambda: abs(_trained_prediction(12.0) - 25.0) / 25.0 * 100, "ex.08.print_bug.real_error"),
    ("08.print_bug", lambda: abs(_trained_prediction(12.0) - 5.0) / 5.0, "ex.07.pct.no_hundred"),
    ("08.symptom", "forward", "ex.08.symptom.not_forward"),
    ("08.symptom", "loss", "ex.08.symptom.not_loss"),
    ("08.symptom", "backward", "ex.08.symptom.not_backward"),
    ("08.symptom", "step", "ex.08.symptom.not_step"),
    ("08.predict_order", "A", "ex.08.predict_order.not_A"),
    ("08.predict_order", "B", "ex.08.predict_order.not_B"),
    ("08.predict_order", "D", "ex.08.predict_order.not_D"),
    ("08.diverged_epoch", 0.5, "ex.08.diverged.not_epoch"),
    ("08.diverged_epoch", 5, "ex.08.diverged.too_late"),
]
# 08.diverged.too_early cannot happen (the run diverges in epoch 1) and is tested where it can.


# ---- 09_classification: each wrong answer computed the way the student would, in NumPy ----------------
def _sig(z):
    return 1 / (1 + np.exp(-np.asarray(z, dtype=np.float64)))


_BZ, _BY = np.array([2.0, -1.0, 0.5]), np.array([1.0, 0.0, 0.0])
_GZ, _GY = np.array([1.0, -2.0, 0.5, 3.0]), np.array([1.0, 0.0, 0.0, 1.0])
_AZ = np.array([2.1, 0.3, 0.2, -1.5, -0.4, 0.9, -0.7, -2.0])
_AY = np.array([1.0, 1.0, 1.0, 0.0, 1.0, 0.0, 0.0, 0.0])
_PER_POINT = -(_BY * np.log(_sig(_BZ)) + (1 - _BY) * np.log(1 - _sig(_BZ)))
TYPICAL += [
    ("09.sigmoid", 1 / (1 + np.exp(np.array([-2.0, 0.0, 3.0]))), "ex.09.sigmoid.flipped"),      # e^(+z)
    ("09.sigmoid", [-2.0, 0.0, 3.0], "ex.09.sigmoid.logit"),
    ("09.sigmoid", 1 / np.exp(-np.array([-2.0, 0.0, 3.0])), "ex.09.sigmoid.no_one"),
    ("09.bce_by_hand", _PER_POINT.sum(), "ex.09.bce_by_hand.sum"),
    ("09.bce_by_hand", -_PER_POINT.mean(), "ex.09.bce_by_hand.no_minus"),
    ("09.bce_by_hand", np.mean(-((1 - _BY) * np.log(_sig(_BZ)) + _BY * np.log(1 - _sig(_BZ)))), "ex.09.bce_by_hand.swapped"),
    ("09.bce_by_hand", np.mean((_sig(_BZ) - _BY) ** 2), "ex.09.bce_by_hand.mse"),
    ("09.bce_by_hand", np.mean(-(_BY * np.log10(_sig(_BZ)) + (1 - _BY) * np.log10(1 - _sig(_BZ)))),
     "ex.09.bce_by_hand.log10"),
    ("09.accuracy", np.mean((_AZ > 0.5) == (_AY == 1)), "ex.09.accuracy.threshold_half"),
    ("09.accuracy", np.mean((_AZ > 0) != (_AY == 1)), "ex.09.accuracy.error_rate"),
    ("09.accuracy", 100 * np.mean((_AZ > 0) == (_AY == 1)), "ex.09.accuracy.percent"),
    ("09.accuracy", int(np.sum((_AZ > 0) == (_AY == 1))), "ex.09.accuracy.count"),
    ("09.d_logit", _sig(_GZ) - _GY, "ex.09.d_logit.no_mean"),
    ("09.d_logit", (_GY - _sig(_GZ)) / 4, "ex.09.d_logit.sign"),
    ("09.d_logit", 2 * (_sig(_GZ) - _GY) * _sig(_GZ) * (1 - _sig(_GZ)) / 4, "ex.09.d_logit.mse"),
    ("09.d_logit", (_GZ - _GY) / 4, "ex.09.d_logit.no_sigmoid"),
    ("09.predict_mse_grad", "B", "ex.09.predict_mse_grad.not_B"),
    ("09.predict_mse_grad", "C", "ex.09.predict_mse_grad.not_C"),
    ("09.predict_grad_sum", 1.0, "ex.09.predict_grad_sum.softmax_only"),
    ("09.predict_grad_sum", -1.0, "ex.09.predict_grad_sum.one_hot_only"),
    ("09.predict_grad_sum", 3, "ex.09.predict_grad_sum.count"),
]
TYPICAL += TYPICAL_10   # lesson 10: tests/oracles_cnn.py


def _value(answer):
    return answer() if callable(answer) else answer


def _tail(exercise_id: str, tries: int, lang: str) -> str:
    return " " + t("check.try_again", lang=lang, tries=tries, limit=REVEAL_AFTER, id=exercise_id)


# Diagnoses written by hand in an exercise (not Mistake objects): tested in the table all the same.
HAND_MADE = {"ex.08.diverged.not_epoch", "ex.08.diverged.too_late", "ex.08.diverged.too_early"}


def _mistake_keys_built() -> set[str]:
    """Every Mistake key the registered exercises build (they build them all, even for the blank)."""
    seen = set()
    original = Mistake.__init__

    def record(self, value, key, **values):
        seen.add(key)
        original(self, value, key, **values)
    Mistake.__init__ = record
    try:
        for fn in EXERCISES.values():
            fn(Ellipsis)
    finally:
        Mistake.__init__ = original
    return seen


def test_every_diagnosis_has_a_typical_answer_in_the_table():
    built = _mistake_keys_built()
    tested = {key for _, _, key in TYPICAL}
    assert built - tested == set(), f"diagnoses without a test: {sorted(built - tested)}"
    assert tested - built <= HAND_MADE, f"the table names diagnoses no exercise builds: {sorted(tested - built - HAND_MADE)}"


@pytest.mark.parametrize("exercise_id,answer,key", TYPICAL, ids=[f"{i}-{k.rsplit('.', 1)[-1]}" for i, _, k in TYPICAL])
def test_a_typical_mistake_is_diagnosed_without_the_answer(language, exercise_id, answer, key):
    value = _value(answer)
    for lang in ("en", "he"):
        language(lang)
        reset_tries()
        res = check(exercise_id, value)
        assert res.status == "wrong" and not res.ok, f"{exercise_id} {value!r}: {res}"
        assert res.mistake == key, f"{exercise_id} {value!r}: diagnosed as {res.mistake!r}, not {key!r}: {res.message}"
        assert res.message.endswith(_tail(exercise_id, 1, lang)), res.message
        seen = res.message.removesuffix(_tail(exercise_id, 1, lang))
        assert (why := leaks(seen, res, value)) is None, f"{exercise_id} {value!r} ({lang}) leaks {why}: {seen}"


def _generated_wrong(res) -> list:
    """Wrong answers of the exercise's kind, spread around the expected one (choices: see the test)."""
    expected = res.expected
    if isinstance(expected, dict):                  # 05.hidden_grads: each part off in turn, and all of them
        parts = {k: np.asarray(v, dtype=np.float64) for k, v in expected.items()}
        return [{**parts, k: v + 1} for k, v in parts.items()] + [{k: -v - 1 for k, v in parts.items()}]
    if isinstance(expected, tuple):
        return [tuple(n + 1 for n in expected), tuple(reversed(expected)) + (1,), expected[:1]]
    arr = np.asarray(expected, dtype=np.float64)
    if arr.ndim == 0:
        v = float(arr)
        spread = [v * 1.5, -v, v + 1, v * 10, v / 10, v - 0.5, 0.0, 1e6]
        return [w for w in spread if abs(w - v) > 1e-2 * max(1.0, abs(v))]
    return [(arr + 1).tolist(), (-arr - 1).tolist(), (arr * 2 + 0.5).tolist()]


def _options(exercise_id: str) -> list[str]:
    res = check(exercise_id, "not an option")
    return re.findall(r"'([^']*)'", res.message[res.message.rindex("["):])


# Exercises whose answer is one value: all but the capstone, whose answer is a function (its broken
# loops are tested in test_capstone.py). Written out rather than found by computing every expected
# value at collection, which every pytest worker would pay (about 10 CPU-s); the test below checks it.
NO_SINGLE_VALUE = {"08.capstone"}
SINGLE_VALUE = sorted(set(EXERCISES) - NO_SINGLE_VALUE)


def test_only_the_capstone_has_no_single_expected_value():
    none = {i for i, fn in EXERCISES.items() if fn(Ellipsis).expected is None}
    assert none == NO_SINGLE_VALUE


@pytest.mark.parametrize("exercise_id", SINGLE_VALUE)
def test_no_first_wrong_answer_shows_the_expected_value(language, exercise_id):
    blank = EXERCISES[exercise_id](Ellipsis)
    assert blank.status == "unanswered" and blank.answer, f"{exercise_id}: the blank does not carry the answer"
    answers = [_value(a) for i, a, _ in TYPICAL if i == exercise_id]
    if isinstance(blank.expected, str):
        options = _options(exercise_id)
        assert blank.expected in options, (exercise_id, options)
        answers += [o for o in options if o != blank.expected]
    else:
        answers += _generated_wrong(blank)
    assert answers, f"{exercise_id}: no wrong answers to try"
    for lang in ("en", "he"):
        language(lang)
        for answer in answers:
            reset_tries()
            res = check(exercise_id, answer)
            assert res.status == "wrong", f"{exercise_id} {answer!r} ({lang}): {res}"
            seen = res.message.removesuffix(_tail(exercise_id, 1, lang))
            assert seen != res.message, f"{exercise_id}: the first wrong answer did not get 'try again'"
            assert (why := leaks(seen, res, answer)) is None, f"{exercise_id} {answer!r} ({lang}) leaks {why}: {seen}"


# ---- the answer comes out on request, or after a few different wrong answers ------------------

def test_the_answer_appears_only_on_the_third_different_wrong_answer(language):
    blank = EXERCISES["02.params8"](Ellipsis)
    assert blank.answer == str((1 * 8 + 8) + (8 * 8 + 8) + (8 * 1 + 1))      # 97, from the layer sizes
    wrong = [80, 80, 80.0, 25, 321]          # 80 three times is one try; 80.0 is the same answer
    messages = [check("02.params8", a).message for a in wrong]
    assert all(blank.answer not in m for m in messages[:4]), messages
    assert messages[0].endswith(_tail("02.params8", 1, "en")) and messages[2].endswith(_tail("02.params8", 1, "en"))
    assert messages[3].endswith(_tail("02.params8", 2, "en"))
    assert messages[4].endswith(t("check.revealed_after", tries=3, answer=blank.answer))
    assert check("02.params8", 97).ok                          # a right answer is still just right
    assert check("02.params8", "97").status == "invalid"       # and bad input is not a try
    language("he")
    reset_tries("02.params8")
    for a in (80, 25):
        assert blank.answer not in check("02.params8", a).message
    assert check("02.params8", 321).message.endswith(t("check.revealed_after", tries=3, answer=blank.answer))


def test_tries_are_counted_per_exercise():
    for a in (80, 25):
        check("02.params8", a)
    res = check("00.updates", 900)
    assert res.message.endswith(_tail("00.updates", 1, "en"))
    reset_tries("02.params8")
    assert check("02.params8", 321).message.endswith(_tail("02.params8", 1, "en"))


def test_invalid_answers_are_not_tries():
    for a in (None, "80", float("nan"), [1, 2], ...):
        check("02.params8", a)
    assert check("02.params8", 80).message.endswith(_tail("02.params8", 1, "en"))


@pytest.mark.parametrize("exercise_id", sorted(EXERCISES))
def test_reveal_shows_the_expected_answer(language, exercise_id):
    blank = EXERCISES[exercise_id](Ellipsis)
    for lang in ("en", "he"):
        language(lang)
        res = reveal(exercise_id)
        assert res.status == "revealed" and not res.ok and res.icon == "💡"
        assert res.message == t("check.reveal", id=exercise_id, answer=blank.answer)


def test_reveal_of_an_unknown_exercise_is_explained(language):
    for lang in ("en", "he"):
        language(lang)
        res = reveal("02.parms8")
        assert res.status == "invalid" and t("check.did_you_mean", suggestion="02.params8") in res.message
        assert reveal(None).status == "invalid"


def test_the_revealed_answer_is_the_one_the_checker_accepts():
    """reveal() must not drift from the checker: its answer, typed back in, is correct."""
    for exercise_id, fn in EXERCISES.items():
        expected = fn(Ellipsis).expected
        if expected is None:
            continue
        assert check(exercise_id, expected).ok, f"{exercise_id}: reveal says {expected!r}, the checker disagrees"


# ---- the generic narrowing -----------------------------------------------------------------------

@pytest.mark.parametrize("value,expected,key", [
    (-2.0, 2.0, "check.narrow.sign"), (2.0, -2.0, "check.narrow.sign"),
    (2.5, 2.0, "check.narrow.close_big"), (1.5, 2.0, "check.narrow.close_small"),
    (4.0, 2.0, "check.narrow.close_big"), (1.0, 2.0, "check.narrow.close_small"),
    (5.0, 2.0, "check.narrow.big_2_10"), (0.5, 2.0, "check.narrow.small_2_10"),
    (20.0, 2.0, "check.narrow.big_over_10"), (0.2, 2.0, "check.narrow.small_over_10"),
    (-5.0, -2.0, "check.narrow.small_2_10"), (-0.5, -2.0, "check.narrow.big_2_10"),
    (1.0, 0.0, "check.narrow.too_big"), (-1.0, 0.0, "check.narrow.too_small"),
    (0.0, 3.0, "check.narrow.too_small"), (0.0, -3.0, "check.narrow.too_big"),
])
def test_narrowing_says_which_way_not_how_far(value, expected, key):
    assert narrowing_key(value, expected) == key
    res = checks.check_number(value, expected, 1e-9)
    assert res.mistake == key and res.message == t("check.wrong_number", got=f"{value:.4g}", narrow=t(key))


def test_a_wrong_number_that_prints_like_the_answer_is_shown_with_more_digits():
    res = checks.check_number(2.00004, 2.0, 1e-5)             # wrong, but "2" at 4 significant digits
    assert res.status == "wrong" and "2.00004" in res.message and leaks(res.message, res, 2.00004) is None


def test_a_mistake_equal_to_the_answer_is_never_diagnosed():
    res = checks.check_number(3.0, 3.0, 0.01, mistakes=[Mistake(3.0, "ex.02.params8.no_biases")])
    assert res.ok


def test_the_leak_detector_catches_leaks():
    """The detector itself: it must fire on a message that states the answer."""
    res = checks.check_number(5.0, 4.0, 1e-6)
    assert leaks("Not yet: got 5, expected 4.", res, 5.0) == "the number 4 (expected 4)"
    assert leaks("Not yet: got 5: too big.", res, 5.0) is None
    res = checks.check_choice("B", "C", ["A", "B", "C"])
    assert leaks("Not yet: 'B' is wrong; C is right.", res, "B") is not None
    assert leaks("Not yet: 'B' is wrong. Compare the options.", res, "B") is None
    res = checks.check_array([1.0, 2.0], [3.0, 4.0], 1e-6)
    assert leaks("the values should be [3.0, 4.0]", res, [1.0, 2.0]) is not None
    res = checks.check_shape((1, 32), (32, 1))
    assert leaks("got (1, 32), expected (32, 1)", res, (1, 32)) is not None
    assert leaks("got (1, 32): the wrong order", res, (1, 32)) is None
