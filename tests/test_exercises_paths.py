"""The exercise registry's own paths, each message against the catalog sentence written out here:
an id that does not exist (as text, as another type, inside a list), with the closest id suggested."""
import pytest

from lessonlib.exercises import EXERCISES, check
from lessonlib.text import t

IDS = sorted(EXERCISES)


def test_an_unknown_id_lists_the_ids_and_suggests_the_closest():
    r = check("02.param8", 97)
    assert r.status == "invalid"
    assert r.message == (t("check.unknown_exercise", got="02.param8", expected=IDS) + " "
                         + t("check.did_you_mean", suggestion="02.params8"))


def test_an_unknown_id_with_nothing_close_gets_no_suggestion():
    r = check("zz", 1)
    assert r.status == "invalid" and r.message == t("check.unknown_exercise", got="zz", expected=IDS)


def test_a_long_unknown_id_is_quoted_short():
    r = check("x" * 200, 1)
    assert r.message == t("check.unknown_exercise", got="x" * 60, expected=IDS)


@pytest.mark.parametrize("given,shown,type_name,suggestion", [
    (5, "5", "int", None),
    (["02.params8"], "['02.params8']", "list", "02.params8"),
    ((" 03.argmin ",), "(' 03.argmin ',)", "tuple", "03.argmin"),
])
def test_an_id_that_is_not_text(given, shown, type_name, suggestion):
    r = check(given, 1)
    message = t("check.exercise_id_type", example=IDS[0], got=shown, type=type_name, expected=IDS)
    if suggestion:
        message += " " + t("check.did_you_mean", suggestion=suggestion)
    assert r.status == "invalid" and r.message == message
