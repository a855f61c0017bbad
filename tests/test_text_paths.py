"""The text path's less travelled branches, each against a literal expectation: show() inside a
real IPython shell (in this process, so a mutation test sees it), the setup cell's output in
each language, an empty History's line, the matplotlib version parser, and bidi.runs on the
separators a Hebrew sentence puts between values."""
import math

import pytest

from lessonlib import bidi, display, text
from lessonlib.bidi import LRI, PDI
from lessonlib.text import RTL_CSS, setup, t


@pytest.fixture
def ipython_shell():
    """A real IPython InteractiveShell for this test only (get_ipython() is None again after)."""
    from IPython.core.interactiveshell import InteractiveShell
    shell = InteractiveShell.instance()
    yield shell
    InteractiveShell.clear_instance()


def test_show_in_ipython_displays_one_html_block_with_its_plain_text(ipython_shell, language, capsys):
    from IPython.utils.capture import capture_output
    language("he")
    with capture_output() as cap:
        assert display.show("שורה עם (1, 16)", "שנייה") is None
    assert cap.stdout == "" and capsys.readouterr().out == ""
    (out,) = cap.outputs
    assert out.data == {
        "text/plain": "שורה עם (1, 16)\nשנייה",
        "text/html": display.html_block("שורה עם (1, 16)", "שנייה"),
    }
    assert out.data["text/html"].count("<div style=") == 2


def test_outside_ipython_show_prints(capsys):
    display.show("a line", "another")
    assert capsys.readouterr().out == "a line\nanother\n"


@pytest.mark.parametrize("lang,direction", [("en", "ltr"), ("he", "rtl")])
def test_html_block_says_its_language_and_direction(language, lang, direction):
    language("en")
    block = display.html_block("x", lang=lang)       # the lang argument, not the current language
    assert block.startswith(f'<div class="lessonlib-show" dir="{direction}" lang="{lang}" ')
    assert display.html_block("a", "b").count("</div><div style=") == 1


def test_an_empty_history_shows_nan_losses(language):
    from lessonlib.train import History
    h = History(optimizer="sgd", lr=0.1, epochs=5)   # nothing recorded yet
    line = display.lines(h)[0]
    assert line == t("display.history", optimizer="sgd", lr=0.1, epochs=0, train=math.nan, val=math.nan)
    assert line.count("nan") == 2


@pytest.mark.parametrize("lang", ["en", "he"])
def test_setup_shows_the_language_line_and_css_only_for_hebrew(language, lang):
    out = setup(lang)
    try:
        sentence = t("setup.language_set", lang=lang)
        direction = "rtl" if lang == "he" else "ltr"
        line = f'<div dir="{direction}" style="direction: {direction}; text-align: {"right" if lang == "he" else "left"};">'
        assert out._repr_html_() == (RTL_CSS if lang == "he" else "") + line + text.escape(sentence) + "</div>"
        assert repr(out) == sentence
    finally:
        language("en")


def test_html_object_without_plain_text_has_an_empty_repr():
    assert repr(text._HTML("<b>x</b>")) == ""


def test_t_formats_only_with_values():
    # a template with braces shown as they are when no value is given (the catalog's own text)
    key = next(k for k, v in text.MESSAGES.items() if "{" in v["en"])
    assert t(key, lang="en") == text.MESSAGES[key]["en"]


@pytest.mark.parametrize("version,expected", [
    ("3.10.0", (3, 10)), ("3.11", (3, 11)), ("3", (3, 0)), ("3.9.2rc1", (3, 9)), ("unknown", (0, 0)),
])
def test_matplotlib_version_parser(version, expected):
    assert bidi._version(version) == expected


def test_needs_reorder_reads_the_installed_matplotlib():
    import matplotlib
    assert bidi.needs_reorder() == bidi.needs_reorder(matplotlib.__version__)
    assert bidi.needs_reorder("3.10.0") and not bidi.needs_reorder("3.11.0")


def test_embedding_marks_are_removed_before_the_legacy_algorithm():
    assert bidi.for_matplotlib("\u202aשלום\u202c", "3.10.0") == bidi.for_matplotlib("שלום", "3.10.0")


# bidi.runs on separators, written out: (is_ltr, piece) in order.
RUNS = {
    # a dash with spaces is the sentence's, between two runs
    "ראו x — y כאן": [(False, "ראו "), (True, "x"), (False, " — "), (True, "y"), (False, " כאן")],
    "ראו x – y כאן": [(False, "ראו "), (True, "x"), (False, " – "), (True, "y"), (False, " כאן")],
    # inside brackets a dash is the expression's
    "ראו (x — y) כאן": [(False, "ראו "), (True, "(x — y)"), (False, " כאן")],
    # ", " splits two values; ",1" inside a value does not
    "ערכים 3, 4 כאן": [(False, "ערכים "), (True, "3"), (False, ", "), (True, "4"), (False, " כאן")],
    "ערכים 3,4 כאן": [(False, "ערכים "), (True, "3,4"), (False, " כאן")],
    "בסוף 3,": [(False, "בסוף "), (True, "3"), (False, ",")],
    # a quote without its partner belongs to the sentence
    "המילה 'x כאן": [(False, "המילה '"), (True, "x"), (False, " כאן")],
    "המילה 'x' כאן": [(False, "המילה "), (True, "'x'"), (False, " כאן")],
    "קוד `x` כאן": [(False, "קוד "), (True, "`x`"), (False, " כאן")],
    "סוגר (x כאן": [(False, "סוגר ("), (True, "x"), (False, " כאן")],
    # separators inside brackets, nested or not, and inside quotes, belong to the value
    "ערך f(a, (b, c)), d כאן": [(False, "ערך "), (True, "f(a, (b, c))"), (False, ", "), (True, "d"), (False, " כאן")],
    "ערך [x, [y, z]] כאן": [(False, "ערך "), (True, "[x, [y, z]]"), (False, " כאן")],
    "ערך {'a': (1, 2)} כאן": [(False, "ערך "), (True, "{'a': (1, 2)}"), (False, " כאן")],
    "ערך (a; b) כאן": [(False, "ערך "), (True, "(a; b)"), (False, " כאן")],
    "הפלט 'a, b' כאן": [(False, "הפלט "), (True, "'a, b'"), (False, " כאן")],
    "ערך (x)) כאן": [(False, "ערך "), (True, "(x)"), (False, ") כאן")],
    "ערך a,b, c כאן": [(False, "ערך "), (True, "a,b"), (False, ", "), (True, "c"), (False, " כאן")],
    # a run's edges: prose punctuation, a lone operator or ±, an icon stay with the sentence
    "רשימה 1, 2... כאן": [(False, "רשימה "), (True, "1"), (False, ", "), (True, "2"), (False, "... כאן")],
    "טווח ±15 כאן": [(False, "טווח "), (True, "±15"), (False, " כאן")],
    "ערך 3 ± כאן": [(False, "ערך "), (True, "3"), (False, " ± כאן")],
    "ערך x = כאן": [(False, "ערך "), (True, "x"), (False, " = כאן")],
    "ערך = 3 כאן": [(False, "ערך = "), (True, "3"), (False, " כאן")],
    "ערך a - כאן": [(False, "ערך "), (True, "a"), (False, " - כאן")],
    "ערך - a כאן": [(False, "ערך - "), (True, "a"), (False, " כאן")],
    "ערך ✅ 3 כאן": [(False, "ערך ✅ "), (True, "3"), (False, " כאן")],
    "ערך 3 ⚠️ כאן": [(False, "ערך "), (True, "3"), (False, " ⚠️ כאן")],
    "ראו .grad כאן": [(False, "ראו "), (True, ".grad"), (False, " כאן")],
    "ראו x. כאן": [(False, "ראו "), (True, "x"), (False, ". כאן")],
    "ראו ! w כאן": [(False, "ראו ! "), (True, "w"), (False, " כאן")],
}


@pytest.mark.parametrize("source", list(RUNS))
def test_runs_on_separators(source):
    assert bidi.runs(source) == RUNS[source]
    assert "".join(p for _, p in bidi.runs(source)) == source


def test_plain_isolates_exactly_the_runs():
    assert bidi.plain("ראו x — y כאן") == f"ראו {LRI}x{PDI} — {LRI}y{PDI} כאן"


def test_nowrap_up_to_its_limit():
    at_limit = "a " * (bidi.NOWRAP_MAX // 2)
    at_limit = at_limit[:bidi.NOWRAP_MAX - 1] + "b"
    assert len(at_limit) == bidi.NOWRAP_MAX
    assert "white-space: nowrap" in bidi.html(f"שלום {at_limit} שלום")
    assert "white-space: nowrap" not in bidi.html(f"שלום {at_limit}c שלום")


@pytest.mark.parametrize("lang", ["en", "he"])
def test_an_unknown_language_is_refused_in_both_languages(language, lang):
    language(lang)
    with pytest.raises(ValueError) as err:
        text.set_language("fr")
    message = str(err.value)
    assert message == (t("text.unknown_language", lang="en", got="fr", expected=["en", "he"]) + " / "
                       + t("text.unknown_language", lang="he", got="fr", expected=["en", "he"]))
    assert "'fr'" in message and "['en', 'he']" in message
