"""lessonlib.checks and every registered exercise: any answer at all gets a Result, never a traceback,
and a bad answer is told what it got and what was expected, in English and in Hebrew."""
import contextlib
import decimal
import fractions
import functools
import math
import numbers
import re
import warnings

import numpy as np
import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from lessonlib import Result, check
from lessonlib.checks import (MAX_SHOWN, check_array, check_choice, check_number, check_shape, expected_kind,
                              safely)
from lessonlib.exercises import EXERCISES
from lessonlib.stepper import STEPS
from lessonlib.text import get_language, set_language, t

HEBREW = re.compile(r"[\u05D0-\u05EA]")
STATUSES = {"correct", "wrong", "unanswered", "invalid"}
EXPECTED_WORD = {"en": "expected", "he": "ציפיתי"}
GOT_WORD = {"en": "got", "he": "קיבלתי"}
N_EXAMPLES = 250
FUZZ = settings(max_examples=N_EXAMPLES, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@contextlib.contextmanager
def lang_ctx(lang):
    """The language for a block; English again afterwards (hypothesis tests cannot use fixtures)."""
    assert get_language() == "en"
    set_language(lang)
    try:
        yield
    finally:
        set_language("en")


# ---- bad answers -----------------------------------------------------------------------------

class Weird:
    """An object no checker knows."""

    def __repr__(self):
        return "<Weird answer>"


def _tensor_from(arr, requires_grad):
    t_ = torch.from_numpy(np.ascontiguousarray(arr))
    if requires_grad and t_.is_floating_point():
        t_ = t_.clone().requires_grad_(True)
    return t_


scalars = st.one_of(
    st.none(), st.booleans(), st.integers(),
    st.integers(min_value=10**18, max_value=10**400), st.integers(min_value=-10**400, max_value=-10**18),
    st.floats(),                                          # includes nan, inf, -inf, -0.0, subnormals
    st.sampled_from([math.nan, math.inf, -math.inf, 1e308 * 10, 2.0, 2.04, 1.0, 0.0]),
    st.complex_numbers(), st.text(max_size=20), st.binary(max_size=20),
    st.sampled_from(["2", " step ", "STEP", "forward", "", "…", "שלב", "nan", "1e400"]),
    st.just(Ellipsis),
)
nested = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.tuples(children, children),
        st.dictionaries(st.text(max_size=3), children, max_size=3),
        st.frozensets(st.integers(), max_size=3),
    ),
    max_leaves=12,
)
DTYPES = [np.float64, np.float32, np.float16, np.int64, np.int8, np.uint8, np.bool_,
          np.complex128, np.complex64]
arrays = st.one_of(
    hnp.arrays(st.sampled_from(DTYPES), hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=5)),
    hnp.arrays(object, hnp.array_shapes(min_dims=0, max_dims=2, max_side=3),
               elements=st.one_of(st.none(), st.floats(), st.text(max_size=3), st.integers(-5, 5))),
)
tensors = st.builds(
    _tensor_from,
    hnp.arrays(st.sampled_from([np.float32, np.float64, np.int64, np.bool_, np.complex64]),
               hnp.array_shapes(min_dims=0, max_dims=3, min_side=0, max_side=4)),
    st.booleans(),
)
odd = st.sampled_from([
    Weird(), object(), set(), range(3), slice(1, 2), print, int, Ellipsis, NotImplemented,
    fractions.Fraction(1, 3), decimal.Decimal("2.0"), decimal.Decimal("NaN"), decimal.Decimal("sNaN"),
    decimal.Decimal("1e999999"), np.float32("nan"), np.float16(2.0), np.bool_(True), np.int64(2), np.complex64(2 + 1j),
    torch.Size([160, 1]), torch.tensor(2.0, requires_grad=True), torch.tensor([2.0], requires_grad=True),
    torch.tensor(float("inf")), torch.tensor([[2.0, 1.0]]), iter([1, 2]), (x for x in [2.0]),
    np.zeros((0,)), np.zeros((2, 2, 2)), np.array("2"), np.array([1, "a"], dtype=object),
    [[1.0, 2.0], [3.0]], [[1.0, 2.0], [3.0, 4.0]], [[True, False]], [None], [[[[2.0]]]],
    {"answer": 2.0}, b"\x00\xff",
])
big = st.one_of(    # built on demand, so the strategy's own repr stays short
    st.builds(lambda: "x" * 500), st.builds(lambda: list(range(1000))),
    st.builds(lambda: np.arange(10**5, dtype=np.float64)), st.builds(lambda: torch.zeros(300, 300)),
    st.builds(lambda: torch.ones(2, 2, dtype=torch.bfloat16)), st.builds(lambda: torch.ones(2, 2, dtype=torch.float16)),
    st.builds(lambda: torch.tensor([[1.0, 2.0], [3.0, 4.0]]) + 0j),
)
bad_answers = st.one_of(scalars, nested, arrays, tensors, odd, big)


def _shape_of(answer):
    if isinstance(answer, torch.Tensor):
        return tuple(answer.shape)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return tuple(np.shape(answer))
    except Exception:   # noqa: BLE001 - ragged lists etc. have no shape
        return None


def _describes(message, answer):
    """Does the message say what it got: its type, its shape, or (the start of) its repr?"""
    candidates = {type(answer).__name__}
    shape = _shape_of(answer)
    if shape is not None:
        candidates.add(str(shape))
    text = repr(answer)
    candidates.add(text[:min(len(text), 12, MAX_SHOWN - 3)])
    if isinstance(answer, numbers.Real) and not isinstance(answer, (bool, np.bool_)):
        with contextlib.suppress(OverflowError, ValueError):   # a number may be quoted formatted
            value = float(answer)
            candidates |= {f"{value:g}", f"{value:.4g}", repr(value)}
    return any(c and c in message for c in candidates)


def assert_good_result(res, answer, lang, where):
    assert isinstance(res, Result), f"{where}: got {type(res).__name__}, expected a Result"
    assert res.status in STATUSES, f"{where}: got status {res.status!r}, expected one of {sorted(STATUSES)}"
    assert res.ok == (res.status == "correct") and bool(res) == res.ok
    assert isinstance(res.message, str) and res.message.strip(), f"{where}: empty message for {answer!r}"
    assert repr(res) and res._repr_html_()
    if lang == "he":
        assert HEBREW.search(res.message), f"{where}: got {res.message!r}, expected a Hebrew message"
    if answer is Ellipsis:
        assert res.status == "unanswered" and res.message == t("check.unanswered", lang=lang)
        return
    assert res.status != "unanswered", f"{where}: {answer!r} is an answer, not a blank"
    if res.status == "invalid":
        assert EXPECTED_WORD[lang] in res.message.lower(), (
            f"{where}: for {answer!r} the message does not say what was expected: {res.message!r}")
        assert _describes(res.message, answer), (
            f"{where}: for {answer!r} the message does not say what it got: {res.message!r}")


def run_everywhere(checker, answer, where):
    """Run a checker in both languages with warnings as errors (a warning would reach the notebook)."""
    results = {}
    for lang in ("en", "he"):
        with lang_ctx(lang), warnings.catch_warnings():
            warnings.simplefilter("error")
            res = checker(answer)
        assert_good_result(res, answer, lang, f"{where} [{lang}]")
        results[lang] = res
    assert results["en"].status == results["he"].status
    return results


EXPECTED_ARRAY = [[1.0, 2.0], [3.0, 4.0]]


@FUZZ
@given(answer=bad_answers)
def test_check_number_never_raises(answer):
    res = run_everywhere(lambda a: check_number(a, 2.0, 0.05), answer, "check_number")["en"]
    if isinstance(answer, (bool, np.bool_, str, bytes, dict, complex, np.complexfloating)) or answer is None:
        assert res.status == "invalid", f"{answer!r} accepted as a number: {res}"


@FUZZ
@given(answer=bad_answers)
def test_check_array_never_raises(answer):
    res = run_everywhere(lambda a: check_array(a, EXPECTED_ARRAY, 1e-3), answer, "check_array")["en"]
    if isinstance(answer, (bool, np.bool_, str, bytes, dict, complex, int, float)) or answer is None:
        assert res.status == "invalid", f"{answer!r} accepted as an array: {res}"
    if res.ok:
        assert _shape_of(answer) == (2, 2)


@FUZZ
@given(answer=bad_answers)
def test_check_choice_never_raises(answer):
    res = run_everywhere(lambda a: check_choice(a, "step", STEPS, hint="h"), answer, "check_choice")["en"]
    if not isinstance(answer, str) and answer is not Ellipsis:
        assert res.status == "invalid"


@FUZZ
@given(answer=bad_answers)
def test_every_exercise_never_raises(answer):
    """Every exercise gets every one of the N_EXAMPLES bad answers drawn. Each answer is drawn once and
    given to all the exercises (EXERCISES read when the test runs, so exercises added later are covered
    too): drawing one per exercise cost twice as much as the checking (46 x 250 draws)."""
    for exercise_id in sorted(EXERCISES):
        run_everywhere(functools.partial(check, exercise_id), answer, f"check({exercise_id!r})")


def test_there_are_exercises_to_fuzz():
    assert EXERCISES, "no exercise registered"
    assert all(re.fullmatch(r"\d\d\.\w+", k) for k in EXERCISES), sorted(EXERCISES)


@pytest.mark.parametrize("exercise_id", sorted(EXERCISES))
def test_every_exercise_blank_is_unanswered(language, exercise_id):
    for lang in ("en", "he"):
        language(lang)
        res = check(exercise_id, ...)
        assert res.status == "unanswered" and not res.ok
        assert res.message == t("check.unanswered", lang=lang)


def test_unknown_exercise(language):
    res = check("99.nope", 1)
    assert res.status == "invalid" and not res.ok
    assert "'99.nope'" in res.message and "expected" in res.message
    for known in EXERCISES:
        assert known in res.message
    language("he")
    assert "תרגיל לא מוכר" in check("99.nope", 1).message


# ---- right and wrong answers, in both languages ----------------------------------------------

def test_check_number_correct_and_wrong(language):
    for answer in (2.0, 2, 2.04, 1.96, np.float32(2.01), np.array(2.0), np.array([2.0]), [2.0],
                   torch.tensor(2.0), torch.tensor([[2.0]])):
        res = check_number(answer, 2.0, 0.05)
        assert res.ok and res.status == "correct", f"{answer!r}: {res}"
    res = check_number(2.3, 2.0, 0.05)
    assert not res.ok and res.status == "wrong"
    assert res.message == "Not yet: got 2.3: the right order of magnitude, but a little too big."
    assert res.answer == "2" and res.expected == 2.0 and "2" not in res.message.replace("2.3", "")
    language("he")
    res = check_number(2.3, 2.0, 0.05)
    assert "קיבלתי 2.3" in res.message and "סדר הגודל נכון" in res.message and "ציפיתי" not in res.message
    assert check_number(2.0, 2.0, 0.05, what="יפה").message == t("check.correct", detail="יפה")


def test_check_number_tolerance_edge():
    assert check_number(2.05, 2.0, 0.05).ok is (abs(2.05 - 2.0) <= 0.05)
    assert not check_number(2.0501, 2.0, 0.05).ok
    assert check_number(-3, -3.0, 0).ok


def test_check_array_correct_and_wrong(language):
    exp = np.array(EXPECTED_ARRAY)
    for answer in (exp, exp.tolist(), exp.astype(np.float32), torch.tensor(EXPECTED_ARRAY),
                   exp + 5e-4, [[1, 2], [3, 4]]):
        assert check_array(answer, EXPECTED_ARRAY, 1e-3).ok, answer
    res = check_array([[1.0, 2.0], [3.0, 4.5]], EXPECTED_ARRAY, 1e-3)
    assert res.status == "wrong"
    assert res.message == t("check.array_mismatch", count=1, total=4, tol="0.001", where=(1, 1),
                            narrow=t("check.narrow.close_big"))
    assert "4.5" not in res.message.replace("[[1.0, 2.0], [3.0, 4.5]]", "") and "0.5" not in res.message
    assert "1 of 4" in res.message and "(1, 1)" in res.message and "off by more than" in res.message
    res = check_array([1.0, 2.0, 3.0, 4.0], EXPECTED_ARRAY, 1e-3)
    assert res.status == "invalid" and "(4,)" in res.message and "(2, 2)" in res.message
    language("he")
    res = check_array([1.0, 2.0], EXPECTED_ARRAY, 1e-3)
    assert "קיבלתי מערך בצורה (2,)" in res.message and "ציפיתי לצורה (2, 2)" in res.message


def test_check_choice_correct_and_wrong(language):
    for answer in ("step", " STEP ", "Step"):
        assert check_choice(answer, "step", STEPS).ok
    res = check_choice("backward", "step", STEPS, hint="Which one moves W?")
    assert res.status == "wrong" and "'backward'" in res.message and "Which one moves W?" in res.message
    res = check_choice("jump", "step", STEPS)
    assert res.status == "invalid" and "'jump'" in res.message
    assert all(s in res.message for s in STEPS)
    language("he")
    res = check_choice(5, "step", STEPS)
    assert "קיבלתי 5" in res.message and "int" in res.message and "ציפיתי" in res.message


def test_tensor_requiring_grad_is_accepted():
    w = torch.tensor(2.0, requires_grad=True)
    assert check_number(w * 1.0, 2.0, 0.05).ok          # a result with a graph attached
    a = torch.tensor(EXPECTED_ARRAY, requires_grad=True)
    assert check_array(a, EXPECTED_ARRAY, 1e-6).ok
    assert check_array(a * 1.0, EXPECTED_ARRAY, 1e-6).ok
    assert a.grad is None and a.requires_grad         # untouched


@pytest.mark.parametrize("checker", [
    lambda a: check_number(a, 2.0, 0.05),
    lambda a: check_array(a, EXPECTED_ARRAY, 1e-3),
    lambda a: check_choice(a, "step", STEPS),
])
def test_ellipsis_is_unanswered(language, checker):
    res = checker(...)
    assert res.status == "unanswered" and not res.ok and res.message == t("check.unanswered", lang="en")
    assert res.icon == "✏️"
    language("he")
    res = checker(...)
    assert res.message == "עדיין לא נענה: החליפו את ה־... בתשובה שלכם והריצו שוב את התא."


def test_invalid_inputs_are_named(language):
    assert check_number("2.0", 2.0, 0.05).message == "Got '2.0' of type str; expected a number."
    assert check_number(True, 2.0, 0.05).status == "invalid"
    assert "NaN or inf" in check_number(float("nan"), 2.0, 0.05).message
    assert "NaN or inf" in check_array([[1.0, 2.0], [3.0, math.inf]], EXPECTED_ARRAY, 1e-3).message
    res = check_number(10**400, 2.0, 0.05)
    assert res.status == "invalid" and "401 digits" in res.message and "far too large" in res.message, res.message
    res = check_number(2 + 1j, 2.0, 0.05)
    assert res.status == "invalid" and "complex" in res.message, res.message
    res = check_array(np.array(EXPECTED_ARRAY) + 1j, EXPECTED_ARRAY, 1e-3)
    assert res.status == "invalid", f"a complex array must not pass as its real part: {res}"
    long = "x" * 500
    assert len(check_number(long, 2.0, 0.05).message) < 200     # a huge answer is quoted short


def test_result_repr_and_html(language):
    ok = Result(True, "fine", "correct")
    assert repr(ok) == "✅ fine" and ok.icon == "✅"
    bad = Result(False, "<b>no</b>")
    assert "&lt;b&gt;" in bad._repr_html_() and 'dir="ltr"' in bad._repr_html_()
    language("he")
    assert 'dir="rtl"' in bad._repr_html_()


def test_safely_turns_errors_into_messages():
    def broken(answer):
        raise ZeroDivisionError("boom")
    res = safely(broken, 1, expected_text="a number")
    assert res.status == "invalid" and "ZeroDivisionError: boom" in res.message and "a number" in res.message


def test_check_array_also_shapes_accepts_the_same_values_in_another_listed_shape_only():
    expected = np.arange(16.0).reshape(1, 16)
    assert check_array(np.arange(16.0), expected, 1e-9, also_shapes=[(16,), (16, 1)]).ok
    assert check_array(torch.arange(16.0).reshape(16, 1), expected, 1e-9, also_shapes=[(16,), (16, 1)]).ok
    res = check_array(np.arange(16.0).reshape(4, 4), expected, 1e-9, also_shapes=[(16,), (16, 1)])
    assert res.status == "invalid" and "(4, 4)" in res.message and "(1, 16)" in res.message
    res = check_array(np.full(16, np.inf), expected, 1e-9, also_shapes=[(16,)])
    assert res.status == "invalid" and "inf" in res.message


# ---- issue 8: checkers say what they got and what kind of answer they expect -------------------

def test_a_non_string_exercise_id_is_explained(language):
    res = check(["02.params8"], 5)                          # used to raise TypeError (unhashable list)
    assert isinstance(res, Result) and res.status == "invalid"
    assert "['02.params8']" in res.message and "list" in res.message and "expected" in res.message.lower()
    assert all(known in res.message for known in EXERCISES)
    assert res.message.endswith(t("check.did_you_mean", suggestion="02.params8"))
    assert "did you mean '02.params8'" in check("02.Params8 ", 5).message.lower()
    language("he")
    res = check(["02.params8"], 5)
    assert HEBREW.search(res.message) and "['02.params8']" in res.message and "ציפיתי" in res.message


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(exercise_id=bad_answers)
def test_any_exercise_id_gets_a_message(exercise_id):
    for lang in ("en", "he"):
        with lang_ctx(lang), warnings.catch_warnings():
            warnings.simplefilter("error")
            res = check(exercise_id, 1)
        assert isinstance(res, Result) and res.status == "invalid", res
        assert EXPECTED_WORD[lang] in res.message.lower() and _describes(res.message, exercise_id), res.message
        assert "00.updates" in res.message and "08.diverged_epoch" in res.message
        if lang == "he":
            assert HEBREW.search(res.message)


@pytest.mark.parametrize("answer,element", [((160, True), "True"), ((True, 1), "True"), ([160, np.bool_(False)], repr(np.bool_(False)))])
def test_booleans_are_not_sizes_in_a_shape(language, answer, element):
    for lang in ("en", "he"):
        language(lang)
        for res in (check("02.predict_batch_shape", answer), check_shape(answer, (160, 1))):
            assert res.status == "invalid" and not res.ok, f"{answer!r} accepted as a shape"
            assert res.message == t("check.shape.bad_element", lang=lang, got=repr(answer), element=element,
                                    problem=t("check.shape.is_bool", lang=lang),
                                    expected=t("check.expect.shape", lang=lang, example="(N, M)"))


def test_a_huge_int_is_a_number_too_large(language):
    res = check_number(10**400, 2.0, 0.05)
    assert res.status == "invalid"
    assert "of type int" not in res.message and "401 digits" in res.message and "a number" in res.message
    assert res.message == t("check.too_large_number", got=repr(10**400)[:MAX_SHOWN - 3] + "...", digits=401,
                            expected=t("check.expect.number"))
    res = check("02.params8", -10**400)
    assert res.status == "invalid" and "far too large" in res.message
    res = check_array([[1.0, 2.0], [3.0, 10**400]], EXPECTED_ARRAY, 1e-3)
    assert res.status == "invalid" and "401 digits" in res.message and "(2, 2)" in res.message
    assert check_number(10**300, 10.0**300, 1e290).ok             # a big int a float can hold is still a number
    language("he")
    assert "401 ספרות" in check_number(10**400, 2.0, 0.05).message


def _kind(exercise_id):
    return expected_kind(EXERCISES[exercise_id])


@pytest.mark.parametrize("exercise_id", sorted(EXERCISES))
def test_every_exercise_announces_the_kind_of_answer_it_expects(exercise_id):
    kinds = {t("check.expect.number"), t("check.expect.shape", example="(N, M)"),
             t("check.expect.shape", example="(N, M, K, L)"),   # 10.out_shape: a conv layer's output
             t("ex.05.hidden_grads.expect"),                # three named arrays
             t("capstone.expect")}                          # the student's train() function
    kind = _kind(exercise_id)
    assert kind, f"{exercise_id}: no checker announced what it expects"
    assert kind in kinds or kind.startswith(("an array or tensor of shape", "one of [")), kind


def test_internal_fallbacks_name_the_kind_of_the_exercise(language):
    """An exercise that breaks (a bug in lessonlib, not the student's fault) still says what it expects."""
    def after_checker(answer):                         # breaks after its checker has run
        check_choice(answer, "step", STEPS)
        raise RuntimeError("bug after the checker")

    def before_checker(answer):                        # breaks before it reaches its checker
        if answer is not Ellipsis:
            raise RuntimeError("bug before the checker")
        return check_shape(answer, (160, 1))

    def always(answer):
        raise RuntimeError("bug everywhere")

    cases = {"99.after": (after_checker, "bug after the checker", lambda: t("check.expect.text", options=list(STEPS))),
             "99.before": (before_checker, "bug before the checker", lambda: t("check.expect.shape", example="(N, M)")),
             "99.always": (always, "bug everywhere", lambda: t("check.expect.unknown"))}
    try:
        for exercise_id, (fn, _, _) in cases.items():
            EXERCISES[exercise_id] = fn
        for lang in ("en", "he"):
            language(lang)
            for exercise_id, (_, error, kind) in cases.items():
                res = check(exercise_id, "step")
                assert res.status == "invalid"
                assert res.message == t("check.internal_error", error="RuntimeError: " + error, expected=kind())
                assert res.message != t("check.internal_error", error="RuntimeError: " + error,
                                        expected=t("check.expect.number"))
    finally:
        for exercise_id in cases:
            EXERCISES.pop(exercise_id, None)
    res = safely(lambda a: check_array(a, np.zeros((2, 3)), 0.1) and 1 / 0, [[0.0] * 3] * 2)
    assert t("check.expect.array", shape=(2, 3)) in res.message and "ZeroDivisionError" in res.message


@pytest.mark.parametrize("answer,key", [
    ((1, 160), "check.shape.transposed"),
    ((80, 2), "check.shape.same_total"),
    ((160, 2), "check.shape.wrong_axes"),
    ((3, 1), "check.shape.wrong_axes"),
    ((160,), "check.shape.count"),
    ((160, 1, 1), "check.shape.count"),
])
def test_a_wrong_shape_is_diagnosed_without_giving_the_answer_away(language, answer, key):
    expected = (160, 1)
    for lang in ("en", "he"):
        language(lang)
        res = check_shape(answer, expected)
        assert res.status == "wrong" and not res.ok and res.mistake == key
        assert res.message.startswith(t(key, lang=lang, got=str(answer), n=len(answer), k=2, axes="0")[:25])
        assert str(expected) not in res.message, f"the expected shape leaked: {res.message}"
        assert "of shape (2,)" not in res.message and "(2,)" not in res.message.replace(str(answer), "")


@pytest.mark.parametrize("answer", [5, "32, 1", None, 32.0, np.zeros((32, 1)), torch.zeros(32, 1),
                                    (32.0, 1.0), {"rows": 32}])
def test_a_shape_exercise_asks_for_a_shape(language, answer):
    for lang in ("en", "he"):
        language(lang)
        res = check("02.predict_batch_shape", answer)
        assert res.status == "invalid"
        assert t("check.expect.shape", lang=lang, example="(N, M)") in res.message
        assert "(2,)" not in res.message and "(32, 1)" not in res.message
    assert check("02.predict_batch_shape", (32, 1)).ok and check("02.predict_batch_shape", [32, 1]).ok
    assert check("02.predict_batch_shape", torch.Size([32, 1])).ok
    assert check("02.predict_batch_shape", (np.int64(32), 1)).ok
