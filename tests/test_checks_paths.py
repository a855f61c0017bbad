"""The shape checker and the diagnosis path, each message against the catalog's sentence with the
values written out here."""
import numpy as np
import pytest
import torch

from lessonlib.checks import Mistake, check_number, check_shape, expected_kind
from lessonlib.text import t


@pytest.mark.parametrize("expected,example", [
    ((32,), "(N,)"), ((32, 1), "(N, M)"), ((2, 3, 4), "(N, M, K)"), ((1, 2, 3, 4), "(N, M, K, L)"),
    ((1, 2, 3, 4, 5, 6), "(N, M, K, L, D4, D5)"),
])
def test_a_shape_is_asked_for_with_letters_never_the_answer(expected, example):
    assert expected_kind(check_shape, expected) == t("check.expect.shape", example=example)


@pytest.mark.parametrize("array", [np.zeros((32, 1)), torch.zeros(32, 1)], ids=["numpy", "torch"])
def test_the_array_itself_instead_of_its_shape(array):
    r = check_shape(array, (32, 1))
    kind = t("check.expect.shape", example="(N, M)")
    type_name = f"{type(array).__name__} ({array.dtype})"
    assert r.status == "invalid"
    assert r.message == t("check.shape.array_itself", type=type_name, expected=kind)


def test_an_unanswered_shape_still_knows_its_answer():
    r = check_shape(..., (32, 1))
    assert r.status == "unanswered" and r.answer == "(32, 1)" and r.expected == (32, 1)


def test_a_shape_mistake_is_diagnosed_with_the_students_shape_and_its_own_words():
    m = Mistake((1, 32), "ex.02.predict_batch_shape.transposed")
    r = check_shape((1, 32), (32, 1), mistakes=[m])
    assert r.status == "wrong" and r.mistake == m.key and r.expected == (32, 1)
    assert r.message == t("check.mistake", got="(1, 32)", diagnosis=m.message)


def test_a_number_mistake_is_diagnosed_with_the_students_number_and_its_own_words():
    m = Mistake(5.0, "ex.02.predict_batch_shape.hidden")     # any catalog diagnosis: the words are its own
    r = check_number(5.0, 4.0, 1e-6, mistakes=[m])
    assert r.status == "wrong" and r.mistake == m.key and r.expected == 4.0
    assert r.message == t("check.mistake", got="5", diagnosis=m.message)


def test_expected_kind_passes_the_checkers_arguments_on():
    def checker(answer, expected, *, what=""):
        return check_shape(answer, expected, what=what)
    assert expected_kind(checker, (3,), what="x") == t("check.expect.shape", example="(N,)")
