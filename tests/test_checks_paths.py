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


# ---- check_shape: every outcome, its status, its sentence, the answer kept for reveal -------------

KIND2 = t("check.expect.shape", example="(N, M)")


@pytest.mark.parametrize("answer", [(32, 1), [32, 1], torch.Size([32, 1]), (np.int64(32), 1)],
                         ids=["tuple", "list", "torch.Size", "numpy int"])
def test_a_right_shape_in_any_sequence_form(answer):
    r = check_shape(answer, (32, 1))
    assert (r.ok, r.status, r.answer, r.expected) == (True, "correct", "(32, 1)", (32, 1))
    assert r.message == t("check.correct", detail="(32, 1)")
    assert check_shape(answer, (32, 1), what="the batch's prediction").message == \
        t("check.correct", detail="the batch's prediction")


@pytest.mark.parametrize("answer,element,problem", [
    ((True, 1), "True", t("check.shape.is_bool")),
    ((32.0, 1), "32.0", t("check.shape.not_whole", type="float")),
    ((-32, 1), "-32", t("check.shape.negative")),
])
def test_a_shape_with_a_bad_element_names_it(answer, element, problem):
    r = check_shape(answer, (32, 1))
    assert r.status == "invalid" and r.answer == "" and r.expected is None
    assert r.message == t("check.shape.bad_element", got=repr(answer), element=element, problem=problem,
                          expected=KIND2)


def test_not_a_shape_at_all_says_its_type():
    r = check_shape("32, 1", (32, 1))
    assert r.status == "invalid"
    assert r.message == t("check.bad_type", got="'32, 1'", type="str", expected=KIND2)


def test_a_shape_too_large_for_a_float_says_so():
    r = check_shape(10 ** 400, (32, 1))
    assert r.status == "invalid"
    shown = "1" + "0" * 56 + "..."          # the checker shows at most 60 characters of an answer
    assert r.message == t("check.too_large_number", got=shown, digits=401, expected=KIND2)


@pytest.mark.parametrize("answer,key,values", [
    ((32,), "check.shape.count", {"n": 1, "k": 2}),
    ((1, 32), "check.shape.transposed", {}),
    ((16, 2), "check.shape.same_total", {}),
    ((32, 2), "check.shape.wrong_axes", {"axes": "1"}),
    ((31, 2), "check.shape.wrong_axes", {"axes": "0, 1"}),
])
def test_a_wrong_shape_is_narrowed_without_the_answer(answer, key, values):
    r = check_shape(answer, (32, 1))
    assert (r.status, r.mistake, r.answer, r.expected) == ("wrong", key, "(32, 1)", (32, 1))
    assert r.message == t(key, got=repr(answer), **values)
    assert "(32, 1)" not in r.message


def test_a_shape_mistake_equal_to_the_answer_is_never_a_diagnosis():
    m = Mistake((32, 1), "ex.02.predict_batch_shape.transposed")    # a mistake table's slip
    assert check_shape((32, 1), (32, 1), mistakes=[m]).status == "correct"


# ---- check_choice ----------------------------------------------------------------------------------

from lessonlib.checks import check_choice  # noqa: E402


def test_a_choice_right_in_any_case_and_spacing():
    r = check_choice("  b ", "B", "ABC")
    assert (r.ok, r.status, r.answer, r.expected) == (True, "correct", "'B'", "B")
    assert r.message == t("check.correct", detail="B")
    assert check_choice("b", "B", "ABC", what="option B").message == t("check.correct", detail="option B")


def test_a_blank_choice_keeps_its_answer_for_reveal():
    r = check_choice(..., "B", "ABC")
    assert (r.status, r.answer, r.expected) == ("unanswered", "'B'", "B")


def test_a_choice_that_is_not_text_or_not_an_option():
    kind = t("check.expect.text", options=["A", "B", "C"])
    r = check_choice(2, "B", "ABC")
    assert r.status == "invalid" and r.message == t("check.bad_type", got="2", type="int", expected=kind)
    r = check_choice("D", "B", "ABC")
    assert r.status == "invalid" and r.message == t("check.bad_choice", got="'D'", options=["A", "B", "C"])


def test_a_wrong_choice_gets_its_own_reason_or_the_hint():
    why = {"A": Mistake("A", "ex.02.predict_batch_shape.hidden"), "c": "C is the third option"}
    r = check_choice("a", "B", "ABC", hint="think again", why_not=why)
    assert (r.status, r.mistake, r.answer, r.expected) == ("wrong", why["A"].key, "'B'", "B")
    assert r.message == t("check.wrong_choice", got="'a'", hint=why["A"].message)
    r = check_choice("C", "B", "ABC", hint="think again", why_not=why)
    assert r.message == t("check.wrong_choice", got="'C'", hint="C is the third option")
    assert r.mistake == "check.wrong_choice"
    r = check_choice("C", "B", "ABC", hint="think again")
    assert r.message == t("check.wrong_choice", got="'C'", hint="think again")
    assert check_choice("C", "B", "ABC").message == t("check.wrong_choice", got="'C'", hint="")


# ---- check_number ------------------------------------------------------------------------------

from lessonlib.checks import check_array, narrowing_key  # noqa: E402

def number_kind():
    return expected_kind(check_number, 4.0, 1e-6)


def test_a_blank_number_keeps_its_answer_for_reveal():
    r = check_number(..., 4.0, 1e-6)
    assert (r.status, r.answer, r.expected) == ("unanswered", "4", 4.0)
    assert r.message == t("check.unanswered")


@pytest.mark.parametrize("answer", [4.0, np.array([4.0]), np.array([[4.0]]), torch.tensor([[4.0]])],
                         ids=["float", "1-array", "1x1-array", "1x1-tensor"])
def test_a_right_number_in_any_one_value_form(answer):
    r = check_number(answer, 4.0, 1e-6)
    assert (r.status, r.answer, r.expected) == ("correct", "4", 4.0)
    assert r.message == t("check.correct", detail="4")
    assert check_number(answer, 4.0, 1e-6, what="the MSE").message == t("check.correct", detail="the MSE")


def test_two_numbers_for_one_or_a_nan():
    r = check_number(np.array([4.0, 5.0]), 4.0, 1e-6)
    assert r.status == "invalid" and r.message == t("check.bad_shape", got=(2,), expected="()")
    r = check_number(float("nan"), 4.0, 1e-6)
    assert r.status == "invalid" and r.message == t("check.not_finite", got="nan", expected=number_kind())


def test_a_wrong_number_is_narrowed_and_the_hint_follows():
    r = check_number(40.0, 4.0, 1e-6, hint="Square first.")
    assert (r.status, r.mistake, r.answer, r.expected) == ("wrong", "check.narrow.big_over_10", "4", 4.0)
    assert r.message == t("check.wrong_number", got="40", narrow=t("check.narrow.big_over_10")) + " Square first."
    assert check_number(40.0, 4.0, 1e-6).message == t("check.wrong_number", got="40",
                                                        narrow=t("check.narrow.big_over_10"))


def test_a_wrong_number_that_would_print_like_the_answer_shows_more_digits():
    r = check_number(4.00001, 4.0, 1e-6)
    assert r.message.startswith(t("check.wrong_number", got="4.00001", narrow=t(r.mistake))[:20])
    assert "4.00001" in r.message


def test_a_number_mistake_within_the_tolerance_of_the_answer_is_never_a_diagnosis():
    m = Mistake(4.0000001, "ex.02.predict_batch_shape.hidden")
    assert check_number(4.0000001, 4.0, 1e-3, mistakes=[m]).status == "correct"
    m = Mistake(8.0, "ex.02.predict_batch_shape.hidden")
    r = check_number(8.0, 4.0, 1e-3, mistakes=[m])
    assert r.mistake == m.key and r.message == t("check.mistake", got="8", diagnosis=m.message)
    assert r.expected == 4.0 and r.answer == "4"


@pytest.mark.parametrize("value,expected,key", [
    (-1.0, 0.5, "check.narrow.sign"), (1.0, -0.5, "check.narrow.sign"),
    (-1.0, 0.0, "check.narrow.too_small_2x"),
])
def test_narrowing_at_the_sign_boundary(value, expected, key):
    got = narrowing_key(value, expected)
    assert (got == "check.narrow.sign") == (key == "check.narrow.sign"), (value, expected, got)


# ---- check_array -------------------------------------------------------------------------------

def test_a_blank_array_keeps_its_answer_as_float64_for_reveal():
    r = check_array(..., [[1, 2]], 1e-6)
    assert (r.status, r.answer) == ("unanswered", "[[1, 2]]")
    assert r.expected.dtype == np.float64 and r.expected.tolist() == [[1.0, 2.0]]


def test_the_answer_text_of_an_array_rounds_floats_and_summarizes_long_ones():
    assert check_array(..., [0.123456, 2.0], 1e-6).answer == "[0.1235, 2]"
    long = check_array(..., np.arange(100.0), 1e-6).answer
    assert long.startswith("[0, 1, 2, ") and ", ..., " in long and long.endswith("97, 98, 99]")
    assert check_array(..., np.arange(64.0), 1e-6).answer.count(",") == 63      # 64 values: all shown


def test_a_right_array_says_what_it_is():
    r = check_array(np.array([[1.0, 2.0]]), [[1, 2]], 1e-6, what="W1")
    assert (r.status, r.answer) == ("correct", "[[1, 2]]") and r.expected.tolist() == [[1.0, 2.0]]
    assert r.message == t("check.correct", detail="W1")


def test_a_number_or_a_nan_for_an_array():
    kind = t("check.expect.array", shape=(1, 2))
    r = check_array(3.0, [[1, 2]], 1e-6)
    assert r.status == "invalid" and r.message == t("check.bad_type", got="3.0", type="float", expected=kind)
    r = check_array(np.array([[1.0, float("nan")]]), [[1, 2]], 1e-6)
    assert r.status == "invalid" and r.message == t("check.not_finite", got="array([[ 1., nan]])", expected=kind)


def test_an_array_mistake_given_flat_is_matched_in_the_expected_shape():
    m = Mistake([2.0, 4.0], "ex.02.predict_batch_shape.hidden")
    answer = np.array([[2.0, 4.0]])
    r = check_array(answer, [[1, 2]], 1e-6, mistakes=[m])
    assert (r.status, r.mistake, r.answer) == ("wrong", m.key, "[[1, 2]]")
    assert r.message == t("check.mistake", got="array([[2., 4.]])", diagnosis=m.message)
    assert r.expected.tolist() == [[1.0, 2.0]]


def test_an_array_off_somewhere_says_where_first_and_which_way():
    r = check_array(np.array([[1.0, 2.5]]), [[1, 2]], 1e-6)
    assert (r.status, r.mistake, r.answer) == ("wrong", "check.array_mismatch", "[[1, 2]]")
    assert r.message == t("check.array_mismatch", count=1, total=2, tol="1e-06", where=(0, 1),
                          narrow=t(narrowing_key(2.5, 2.0)))
