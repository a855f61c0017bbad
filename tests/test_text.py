"""lessonlib.text and the catalog: two languages in lockstep, and the RTL setup for Hebrew."""
import re
import string

import pytest

from lessonlib import text
from lessonlib.catalog import MESSAGES
from lessonlib.text import LANGUAGES, RTL_CSS, get_language, placeholders, set_language, setup, t

HEBREW = re.compile(r"[\u05D0-\u05EA]")


def test_languages():
    assert LANGUAGES == ("en", "he")


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_every_entry_has_both_languages_and_same_placeholders(key):
    entry = MESSAGES[key]
    assert set(entry) == set(LANGUAGES), f"{key}: got languages {sorted(entry)}, expected {list(LANGUAGES)}"
    for lang in LANGUAGES:
        assert isinstance(entry[lang], str) and entry[lang].strip(), f"{key}[{lang}] is empty"
    assert placeholders(entry["en"]) == placeholders(entry["he"]), (
        f"{key}: got placeholders {sorted(placeholders(entry['he']))} in Hebrew, "
        f"expected {sorted(placeholders(entry['en']))} as in English")


def test_catalog_source_has_no_duplicate_keys():
    """A key written twice in catalog.py keeps only its last entry, silently, so the pair tests above
    would never see the first one (several branches add sections to the catalog at once)."""
    import ast
    from collections import Counter
    from pathlib import Path

    from lessonlib import catalog
    tree = ast.parse(Path(catalog.__file__).read_text(encoding="utf-8"))
    literal = next(node.value for node in ast.walk(tree)
                   if isinstance(node, ast.AnnAssign | ast.Assign) and isinstance(node.value, ast.Dict)
                   and "MESSAGES" in ast.unparse(node.target if isinstance(node, ast.AnnAssign) else node.targets[0]))
    keys = [k.value for k in literal.keys if isinstance(k, ast.Constant)]
    assert len(keys) == len(literal.keys), "every catalog key is a literal string"
    twice = sorted(k for k, n in Counter(keys).items() if n > 1)
    assert not twice, f"catalog keys written more than once (only the last one counts): {twice}"
    assert set(keys) == set(MESSAGES), "MESSAGES is exactly the literal in catalog.py"


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_hebrew_entries_are_hebrew(key):
    """Every Hebrew entry has Hebrew letters, unless it is only notation ("x", "y = 2 * {x} + 1")
    or one name that stays in English by the glossary ("SGD", "Adam"): never an English phrase."""
    he, en = MESSAGES[key]["he"], MESSAGES[key]["en"]
    if he == en:
        words = re.findall(r"[A-Za-z]{2,}", re.sub(r"\{[^}]*\}", "", en))
        assert len(words) <= 1, f"{key}: the Hebrew text is the English one: {he!r}"
    else:
        assert HEBREW.search(he), f"{key}: got {he!r}, expected Hebrew text"
        assert not HEBREW.search(en), f"{key}: got Hebrew in the English text {en!r}"


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_same_format_specs_in_both_languages(key):
    """Same names with the same conversion and format spec, so numbers print alike in both editions."""
    def fields(template):
        return sorted((name, conv or "", spec or "") for _, name, spec, conv in string.Formatter().parse(template) if name)
    assert fields(MESSAGES[key]["en"]) == fields(MESSAGES[key]["he"]), key


@pytest.mark.parametrize("key", sorted(MESSAGES))
def test_every_entry_formats_in_both_languages(key):
    for lang in LANGUAGES:
        template = MESSAGES[key][lang]
        names = placeholders(template)
        out = t(key, lang=lang, **{name: 1.5 for name in names})
        if names:
            assert "1.5" in out and out != template, f"{key}[{lang}]: got {out!r}"
        else:
            assert out == template


def test_placeholders_helper():
    assert placeholders("got {got!r}, expected {expected:.4f} {{literal}}") == {"got", "expected"}
    assert placeholders("no placeholders") == set()


def test_t_formats(language):
    assert t("train.progress", epoch=3, epochs=10, train=0.123456, val=2.0) == \
        "epoch 3/10  train loss 0.1235  val loss 2.0000"
    assert t("check.wrong_number", got=320, narrow="too small.") == "Not yet: got 320: too small."
    assert t("check.wrong_number", lang="he", got=320, narrow="קטן מדי.") == "עוד לא: קיבלתי 320: קטן מדי."
    assert t("step.forward") == "1. forward pass"
    language("he")
    assert t("step.forward") == "1. מעבר קדימה"
    assert t("step.forward", lang="en") == "1. forward pass"
    assert t("train.progress", epoch=3, epochs=10, train=0.5, val=0.25).startswith("אפוק 3/10")


def test_t_missing_key_says_so(language, monkeypatch):
    monkeypatch.delenv(text.STRICT_ENV)       # as in a lesson (the tests set it: conftest.py)
    assert t("no.such.key") == "[missing text: no.such.key]"
    language("he")
    assert t("no.such.key") == "[טקסט חסר: no.such.key]"


def test_set_language_rejects_unknown(language):
    for bad in ("fr", "HE", "", None, "english"):
        with pytest.raises(ValueError) as err:
            set_language(bad)
        msg = str(err.value)
        assert repr(bad) in msg, f"the message should quote what it got: {msg}"
        assert "Unknown language" in msg, f"English part missing: {msg}"
        assert "שפה לא מוכרת" in msg, f"Hebrew part missing: {msg}"
        assert "'en'" in msg and "'he'" in msg
        assert get_language() == "en", "a rejected language must not change the current one"
    language("he")
    with pytest.raises(ValueError):
        set_language("ar")
    assert get_language() == "he"


def test_set_and_get_language(language):
    assert get_language() == "en"
    language("he")
    assert get_language() == "he"
    language("en")
    assert get_language() == "en"


def test_setup_hebrew(language):
    out = setup("he")
    assert get_language() == "he"
    html = out._repr_html_()
    # the message itself, after the style sheet, reads right to left (the CSS alone also contains dir="rtl")
    message = html.split("</style>", 1)[1]
    assert message.startswith('<div dir="rtl"') and t("setup.language_set", lang="he") in message
    assert RTL_CSS in html
    assert "<style>" in html and "text-align: right" in html
    assert ':not(pre) > code { white-space: nowrap; }' in html     # inline code in Hebrew never wraps
    assert t("setup.language_set", lang="he") in html
    assert repr(out) == t("setup.language_set", lang="he")


def test_setup_english(language):
    language("he")
    out = setup("en")
    assert get_language() == "en"
    html = out._repr_html_()
    assert RTL_CSS not in html and "<style>" not in html
    assert 'dir="rtl"' not in html
    assert 'dir="ltr"' in html
    assert t("setup.language_set", lang="en") in html
    assert setup()._repr_html_() == html      # English is the default


def test_setup_rejects_unknown(language):
    with pytest.raises(ValueError):
        setup("de")
    assert get_language() == "en"


def test_setup_answers_flag_is_set_by_every_call(language):
    """setup(..., answers=False) is the student edition's setup line; setup(lang) alone turns answers back on."""
    try:
        assert text.answers_shown() is True
        shown = setup("he")._repr_html_()
        off = setup("he", answers=False)
        assert text.answers_shown() is False and get_language() == "he"
        assert off._repr_html_() == shown          # the same output either way (the student copy keeps it)
        setup("en", answers=False)
        assert text.answers_shown() is False
        setup("he")
        assert text.answers_shown() is True
    finally:
        setup("en")


@pytest.mark.parametrize("current", ["en", "he"])
@pytest.mark.parametrize("bad", ["no", None, 1, 0.0])
def test_setup_rejects_answers_that_are_not_true_or_false(language, bad, current):
    """Both languages' message (English first, whatever the current language), with what was given;
    nothing changed by the failed call."""
    language(current)
    with pytest.raises(ValueError) as err:
        setup("he", answers=bad)
    assert str(err.value) == (f"setup(answers=...) takes True or False; got {bad!r}. / "
                              f"הפרמטר answers של setup() מקבל True או False; קיבלתי {bad!r}.")
    assert get_language() == current and text.answers_shown() is True


def test_rtl_helpers():
    assert text.is_rtl("he") and not text.is_rtl("en")
    assert text.rtl_div("x", "he").startswith('<div dir="rtl" style="direction: rtl; text-align: right;">')
    assert text.rtl_div("x", "en").startswith('<div dir="ltr"')
    assert text.escape("<b>&") == "&lt;b&gt;&amp;"


@pytest.mark.parametrize("step", ["forward", "loss", "zero_grad", "backward", "step"])
def test_step_names_exist(step):
    assert f"step.{step}" in MESSAGES


def test_glossary_terms_in_hebrew():
    """A few glossary terms used exactly (GLOSSARY.md: one Hebrew term per concept)."""
    he = {k: v["he"] for k, v in MESSAGES.items()}
    assert "מעבר קדימה" in he["step.forward"]
    assert "איפוס הגרדיאנטים" in he["step.zero_grad"]
    assert "התפשטות לאחור" in he["step.backward"]
    assert "עדכון הפרמטרים" in he["step.step"]
    assert "עדיין לא נענה" in he["check.unanswered"]
    assert he["plot.epoch"] == "אפוק"
    assert "סט ולידציה" in he["plot.val_points"]


def test_prose_html_keeps_a_minus_sign_and_bare_numbers_left_to_right(language):
    from lessonlib.text import prose_html
    language("he")
    assert prose_html("קיבלתי -3, ציפיתי ל־97.") == "קיבלתי <bdi dir='ltr'>-3</bdi>, ציפיתי ל־<bdi dir='ltr'>97</bdi>."
    assert prose_html("הטיה בצורה (16,) בלבד") == "הטיה בצורה <bdi dir='ltr'>(16,)</bdi> בלבד"
    language("en")
    assert prose_html("got -3 & more") == "got -3 &amp; more"


def test_a_missing_key_raises_in_the_tests():
    with pytest.raises(KeyError, match="no.such.key"):
        t("no.such.key")
