"""One bilingual catalog for everything lessonlib says to a person, and the RTL helpers.

The language is lessonlib's own setting (default English); nothing outside lessonlib changes.
Notebooks call `setup(lang=...)` once in their first code cell.
"""
from __future__ import annotations

import html
import os
import string

from .catalog import MESSAGES

LANGUAGES = ("en", "he")
# The session's settings, both chosen by setup(): the language, and whether the checkers may show
# an exercise's expected answer (False in the student edition: lessonlib.exercises reads it).
_state = {"lang": "en", "answers": True}
# Set (to anything) by the tests: t() of a key the catalog lacks raises instead of showing
# "[missing text: key]", so a wrong key anywhere fails the test that reaches it.
STRICT_ENV = "LESSONLIB_STRICT_TEXT"

# JupyterLab 4 / Notebook 7 force `p { text-align: left }`; a dir="rtl" block alone is not
# enough (measured, see DESIGN.md). Scoped to [dir=rtl] so English and code are untouched.
# Inline code inside Hebrew never wraps mid-expression ("(1, 16)" split over two lines).
RTL_CSS = """<style>
.jp-RenderedMarkdown [dir="rtl"], .jp-RenderedMarkdown [dir="rtl"] p,
.jp-RenderedMarkdown [dir="rtl"] li, .jp-RenderedMarkdown [dir="rtl"] td,
.jp-RenderedMarkdown [dir="rtl"] th, .jp-RenderedHTMLCommon [dir="rtl"] p,
.rendered_html [dir="rtl"] p, .rendered_html [dir="rtl"] li {
  direction: rtl; text-align: right;
}
.jp-RenderedMarkdown [dir="rtl"] pre, .jp-RenderedMarkdown [dir="rtl"] code {
  direction: ltr; unicode-bidi: isolate;
}
.jp-RenderedMarkdown [dir="rtl"] :not(pre) > code { white-space: nowrap; }
</style>"""


def set_language(lang: str) -> None:
    """Choose the language of every message, label and checker answer ("he" or "en")."""
    if lang not in LANGUAGES:
        raise ValueError(
            f"{t('text.unknown_language', lang='en', got=lang, expected=list(LANGUAGES))} / "
            f"{t('text.unknown_language', lang='he', got=lang, expected=list(LANGUAGES))}"
        )
    _state["lang"] = lang


def get_language() -> str:
    return _state["lang"]


def answers_shown() -> bool:
    """May check() and reveal() show an exercise's expected answer? (setup(..., answers=...))"""
    return _state["answers"]


def t(key: str, /, lang: str | None = None, **values) -> str:
    """The catalog text for `key` in `lang` (default: the current language), formatted.

    `key` is positional-only, so a template may itself use {key} (as "text.missing_key" does).
    """
    lang = lang or _state["lang"]
    entry = MESSAGES.get(key)
    if entry is None:
        # A lesson must not crash on a missing text; the test suite wants to hear about it.
        if os.environ.get(STRICT_ENV):
            raise KeyError(f"no catalog text {key!r} (lessonlib/catalog.py)")
        return MESSAGES["text.missing_key"][lang].format(key=key)
    return entry[lang].format(**values) if values else entry[lang]


def placeholders(template: str) -> set[str]:
    """Names used as {placeholders} in a catalog template (for the catalog's own test)."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def is_rtl(lang: str | None = None) -> bool:
    return (lang or _state["lang"]) == "he"


def rtl_div(inner_html: str, lang: str | None = None) -> str:
    """Wrap HTML so it reads in the language's direction (Hebrew: right to left)."""
    if is_rtl(lang):
        return f'<div dir="rtl" style="direction: rtl; text-align: right;">{inner_html}</div>'
    return f'<div dir="ltr" style="direction: ltr; text-align: left;">{inner_html}</div>'


def escape(text: str) -> str:
    return html.escape(str(text))


# ---- Hebrew prose with code and numbers in it ----------------------------------------------------

def prose_html(text: str) -> str:
    """Escaped text for HTML; in Hebrew, every code/number run is isolated left to right.

    The one bidi rule lives in lessonlib.bidi (see `bidi.html`); this name stays for callers.
    """
    from . import bidi
    if not is_rtl():
        return escape(text)
    return bidi.html(text)


class _HTML:
    """Minimal object with an HTML repr, so text.py needs no IPython import."""

    def __init__(self, html_text: str, plain: str = ""):
        self.html, self.plain = html_text, plain

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return self.plain


def setup(lang: str = "en", answers: bool = True) -> _HTML:
    """First code cell of every lesson: pick the language; for Hebrew, right-align prose.

    `answers=False` (the student edition's setup cell) switches the checkers to never show an
    expected answer: check() still diagnoses and says "try again", reveal() says answers are off.
    Every call sets both settings, so `setup(lang)` alone turns answers back on. The output is the
    same either way (the student copies keep the teaching edition's committed output).

    Returns an object that Jupyter shows (the CSS for RTL, and one line saying the language).
    """
    if not isinstance(answers, bool):
        raise ValueError(
            f"{t('text.bad_answers', lang='en', got=answers)} / {t('text.bad_answers', lang='he', got=answers)}"
        )
    set_language(lang)
    _state["answers"] = answers
    line = rtl_div(escape(t("setup.language_set")), lang)
    css = RTL_CSS if is_rtl(lang) else ""
    return _HTML(css + line, plain=t("setup.language_set"))
