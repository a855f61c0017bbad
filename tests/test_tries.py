"""How check() counts a student's wrong tries: the same answer in another form is one try, a different
answer is another (lessonlib.exercises._answer_key). The count is what the student reads in the
message's tail ("Wrong tries so far: N"), and from REVEAL_AFTER on it shows the answer, so a miscount
either shows the answer too early or keeps a student waiting."""
from __future__ import annotations

import re

import numpy as np
import pytest

from lessonlib import check
from lessonlib.exercises import REVEAL_AFTER, reset_tries

TRIES = re.compile(r"Wrong tries so far: (\d+)\.")


@pytest.fixture(autouse=True)
def no_tries_yet():
    reset_tries()
    yield
    reset_tries()


def tries(res) -> int:
    assert res.status == "wrong", res
    m = TRIES.search(res.message)
    assert m, f"no try count in {res.message!r}"
    return int(m.group(1))


def test_reveal_comes_after_three_different_answers():
    assert REVEAL_AFTER == 3          # the counts below stay under it, so every tail carries the count


def test_one_number_in_other_forms_is_one_try():
    assert tries(check("02.params8", 100)) == 1
    assert tries(check("02.params8", 100.0)) == 1
    assert tries(check("02.params8", np.int64(100))) == 1
    # float noise far below what a student types (a cell re-run that computes it again) is the same try
    assert tries(check("02.params8", 100 + 3e-10)) == 1
    assert tries(check("02.params8", 100.4)) == 2          # a different number is a new try


def test_a_list_and_an_array_of_it_are_one_try():
    assert tries(check("02.params8", [101])) == 1
    assert tries(check("02.params8", np.array([101.0]))) == 1
    assert tries(check("02.params8", (101,))) == 1


def test_different_choices_are_different_tries():
    assert tries(check("01.predict_float64", "float32")) == 1
    assert tries(check("01.predict_float64", "float32")) == 1
    assert tries(check("01.predict_float64", "float64")) == 2


def _wrong_grads(scale: float) -> dict:
    """A well-formed but wrong answer to 05.hidden_grads: the expected parts, scaled."""
    expected = check("05.hidden_grads", ...).expected
    return {k: np.asarray(v, dtype=np.float64) * scale for k, v in expected.items()}


def test_a_several_part_answer_is_one_try_in_any_key_order_and_another_with_other_values():
    first = _wrong_grads(2.0)
    assert tries(check("05.hidden_grads", first)) == 1
    assert tries(check("05.hidden_grads", dict(reversed(list(first.items()))))) == 1
    assert tries(check("05.hidden_grads", _wrong_grads(3.0))) == 2


def _loop_without_zero_grad():
    """A new function object each call, with the same code: one wrong loop, typed twice."""
    def loop(model, optimizer, loss_fn, loader, epochs):
        for _ in range(epochs):
            for xb, yb in loader:
                loss = loss_fn(model(xb), yb)
                loss.backward()
                optimizer.step()
    return loop


def _loop_without_zero_grad_skipping_first_epoch(model, optimizer, loss_fn, loader, epochs):
    """The same bytecode as the loop above but one constant: a different loop, a different try."""
    for _ in range(1, epochs + 1):
        for xb, yb in loader:
            loss = loss_fn(model(xb), yb)
            loss.backward()
            optimizer.step()


@pytest.mark.slow
def test_a_function_answer_is_its_code():
    a, b = _loop_without_zero_grad(), _loop_without_zero_grad()
    assert a is not b and a.__code__ is b.__code__
    assert tries(check("08.capstone", a)) == 1
    assert tries(check("08.capstone", b)) == 1
    assert tries(check("08.capstone", _loop_without_zero_grad_skipping_first_epoch)) == 2
