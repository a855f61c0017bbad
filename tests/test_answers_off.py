"""Answers off (`lessonlib.setup(lang, answers=False)`, the student edition's setup cell).

check() keeps its diagnosis and its "try again" tail but never shows the expected answer, however
many different wrong answers come in; reveal() says that answers are off; no Result carries the
answer in its fields either. The teaching edition's default (answers on) is unchanged, and a later
setup(lang) without `answers` turns them back on.
"""
from __future__ import annotations

import pytest

import lessonlib
from lessonlib import text
from lessonlib.exercises import EXERCISES, REVEAL_AFTER, check, reveal
from lessonlib.text import LANGUAGES, answers_shown, t

# Many different wrong answers to exercises of every kind of checker: a count, a number, an array,
# a shape, a choice. Each list is longer than REVEAL_AFTER.
WRONG = {
    "02.params8": [1, 2, 3, 4, 5, 6, 7],
    "06.sgd_update": [0.1, 0.2, 0.3, 0.4, 0.5, 0.9],
    "02.predict_batch_shape": [(1,), (2, 2), (3, 3), (4, 4), (5, 5)],
    "08.missing_line": ["B", "C", "D", "b", " c "],
    "03.argmin": [[9.0, 9.0], [8.0, 8.0], [7.0, 7.0], [6.0, 6.0]],
}


@pytest.fixture
def answers_off():
    """setup(lang, answers=False) inside a test; always back to English with answers on."""
    assert text.get_language() == "en" and answers_shown()

    def switch(lang: str):
        lessonlib.setup(lang=lang, answers=False)
    yield switch
    lessonlib.setup(lang="en")
    assert answers_shown()


def blank_answer(exercise_id: str) -> str:
    """What the teaching edition would reveal (the checker's own answer to the blank)."""
    return EXERCISES[exercise_id](Ellipsis).answer


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("exercise_id", sorted(WRONG))
def test_check_never_shows_the_answer_however_many_wrong_tries(answers_off, lang, exercise_id):
    answers_off(lang)
    answer = blank_answer(exercise_id)
    assert answer
    for n, wrong in enumerate(WRONG[exercise_id], start=1):
        res = check(exercise_id, wrong)
        assert res.status == "wrong" and not res.ok, (exercise_id, wrong, res)
        tail = " " + t("check.try_again_answers_off", lang=lang, tries=n)
        assert res.message.endswith(tail), res.message
        diagnosis = res.message[: -len(tail)]
        assert diagnosis.strip(), "the diagnosis stays"
        assert answer not in res.message
        assert "reveal(" not in res.message
        assert res.answer == "" and res.expected is None, "the answer must not travel in the Result either"
    assert len(WRONG[exercise_id]) > REVEAL_AFTER


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_diagnosis_is_the_same_as_with_answers_on(lang):
    """Answers off changes the tail only: the teaching edition's diagnosis of a typical mistake stays."""
    lessonlib.setup(lang=lang)
    try:
        on = check("00.predict_backward", 6)
        from lessonlib.exercises import reset_tries
        reset_tries()
        lessonlib.setup(lang=lang, answers=False)
        off = check("00.predict_backward", 6)
    finally:
        lessonlib.setup(lang="en")
    on_tail = " " + t("check.try_again", lang=lang, tries=1, limit=REVEAL_AFTER, id="00.predict_backward")
    off_tail = " " + t("check.try_again_answers_off", lang=lang, tries=1)
    assert on.message.endswith(on_tail) and off.message.endswith(off_tail)
    assert on.message[: -len(on_tail)] == off.message[: -len(off_tail)]
    assert on.mistake == off.mistake != ""


@pytest.mark.parametrize("lang", LANGUAGES)
def test_blank_and_correct_results_carry_no_answer(answers_off, lang):
    answers_off(lang)
    blank = check("06.sgd_update", ...)
    assert blank.status == "unanswered" and blank.answer == "" and blank.expected is None
    right = check("06.sgd_update", 0.5 - 0.1 * -2.0)
    assert right.ok and right.status == "correct" and right.answer == "" and right.expected is None


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("exercise_id", sorted(EXERCISES))
def test_reveal_says_answers_are_off(answers_off, lang, exercise_id):
    answers_off(lang)
    answer = blank_answer(exercise_id)
    res = reveal(exercise_id)
    assert res.message == t("check.answers_off", lang=lang, id=exercise_id)
    assert res.status == "unanswered" and not res.ok and res.icon == "✏️"
    assert res.answer == "" and res.expected is None
    if len(answer) > 3:                       # "'A'", "4": too short to search a sentence for
        assert answer not in res.message
    assert repr(res) == f"✏️ {res.message}"
    assert "lessonlib-show" in res._repr_html_()       # shown by the one display path like any Result


def test_the_answers_off_texts_differ_by_language():
    assert t("check.answers_off", lang="en", id="x") != t("check.answers_off", lang="he", id="x")
    assert t("check.try_again_answers_off", lang="en", tries=1) != t("check.try_again_answers_off", lang="he", tries=1)


def test_reveal_of_an_unknown_exercise_is_still_explained(answers_off):
    answers_off("en")
    res = reveal("02.parms8")
    assert res.status == "invalid" and "02.params8" in res.message


def test_the_teaching_default_is_unchanged():
    """Without answers=..., the answer comes out on the REVEAL_AFTER-th wrong try and with reveal()."""
    lessonlib.setup(lang="en")
    assert answers_shown()
    answer = blank_answer("02.params8")
    messages = [check("02.params8", wrong).message for wrong in WRONG["02.params8"][:REVEAL_AFTER]]
    assert messages[-1].endswith(t("check.revealed_after", tries=REVEAL_AFTER, answer=answer))
    assert all(answer not in m for m in messages[:-1])
    assert reveal("02.params8").status == "revealed"
    assert check("02.params8", 1).answer == answer


@pytest.mark.parametrize("lang", LANGUAGES)
def test_setup_with_the_language_alone_turns_answers_back_on(lang):
    """A student who re-runs a setup cell without answers=... gets the default, answers on."""
    try:
        lessonlib.setup(lang=lang, answers=False)
        assert not answers_shown() and reveal("02.params8").status == "unanswered"
        lessonlib.setup(lang=lang)
        assert answers_shown() and reveal("02.params8").status == "revealed"
        lessonlib.setup(lang, False)                # positional works too
        assert not answers_shown()
    finally:
        lessonlib.setup(lang="en")
    assert answers_shown()


def test_set_language_alone_keeps_the_answers_setting():
    """set_language is the language only: it does not touch the answers switch."""
    try:
        lessonlib.setup(lang="en", answers=False)
        lessonlib.set_language("he")
        assert not answers_shown()
    finally:
        lessonlib.setup(lang="en")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_setup_output_is_the_same_with_answers_off(lang):
    """The student copies keep the setup cell's committed output: it must not change."""
    try:
        on, off = lessonlib.setup(lang=lang), lessonlib.setup(lang=lang, answers=False)
    finally:
        lessonlib.setup(lang="en")
    assert off._repr_html_() == on._repr_html_() and repr(off) == repr(on)


@pytest.mark.parametrize("bad", ["no", 0, 1, None, "False"])
def test_a_bad_answers_flag_is_a_clear_message_in_both_languages(bad):
    with pytest.raises(ValueError) as err:
        lessonlib.setup(lang="he", answers=bad)
    message = str(err.value)
    assert t("text.bad_answers", lang="en", got=bad) in message
    assert t("text.bad_answers", lang="he", got=bad) in message
    assert text.get_language() == "en" and answers_shown(), "a refused call changes nothing"


def test_importing_lessonlib_sets_answers_on():
    """No global side effect on import: a fresh interpreter starts with answers on."""
    import subprocess
    import sys
    code = "import lessonlib; from lessonlib.text import answers_shown; print(answers_shown())"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "True"
