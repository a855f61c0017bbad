"""One bilingual catalog for everything lessonlib says to a person, and the RTL helpers.

The language is lessonlib's own setting (default English); nothing outside lessonlib changes.
Notebooks call `setup(lang=...)` once in their first code cell.
"""
from __future__ import annotations

import html
import re
import string

from .catalog import MESSAGES

LANGUAGES = ("en", "he")
_state = {"lang": "en"}

# JupyterLab 4 / Notebook 7 force `p { text-align: left }`; a dir="rtl" block alone is not
# enough (measured, see DESIGN.md). Scoped to [dir=rtl] so English and code are untouched.
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


def t(key: str, /, lang: str | None = None, **values) -> str:
    """The catalog text for `key` in `lang` (default: the current language), formatted.

    `key` is positional-only, so a template may itself use {key} (as "text.missing_key" does).
    """
    lang = lang or _state["lang"]
    entry = MESSAGES.get(key)
    if entry is None:
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

_HEBREW = re.compile(r"[\u0590-\u05FF]")
# a left-to-right run inside Hebrew prose: code, names, numbers (with their minus sign)
_LTR_RUN = re.compile(r"[(\[]*(?:-(?=[0-9.]))?[A-Za-z0-9_.](?:[^\u0590-\u05FF]*[A-Za-z0-9_)\]])?")


def _ltr_pieces(run: str) -> list[tuple[bool, str]]:
    """Split a non-Hebrew run into (is_code, text) pieces at prose punctuation.

    Brackets without a partner inside the run belong to the Hebrew sentence, and so does
    ", " / ": " / "; " / " · " outside brackets: "5 (32" or "0.01, 300" are two values, not one;
    so is "16 (x = 1)" (a bracket after a space starts a new piece).
    """
    partner = {}
    stack = []
    for i, ch in enumerate(run):
        if ch in "([":
            stack.append(i)
        elif ch in ")]":
            if stack and run[stack[-1]] == {")": "(", "]": "["}[ch]:
                j = stack.pop()
                partner[i], partner[j] = j, i
            else:
                stack.clear()
    pieces, buf, depth, i = [], "", 0, 0
    while i < len(run):
        ch = run[i]
        split = (ch in "()[]" and i not in partner) or \
            (depth == 0 and ch in ",;:·" and (i + 1 == len(run) or run[i + 1] == " "))
        if split:
            pieces += [(True, buf), (False, ch)]
            buf = ""
        elif ch in "([" and depth == 0 and buf[-1:] == " " and buf.strip():   # "16 (x = ...)": two pieces
            pieces.append((True, buf))
            buf, depth = ch, 1
        else:
            buf += ch
            if i in partner:
                depth += 1 if ch in "([" else -1
        i += 1
    pieces.append((True, buf))
    out = []
    for code, text in pieces:     # whitespace at the edges of a code piece stays outside it
        if code and text.strip():
            core = text.strip()
            lead = text[:len(text) - len(text.lstrip())]
            trail = text[len(text.rstrip()):]
            out += [(False, lead), (bool(re.search(r"[A-Za-z0-9]", core)), core), (False, trail)]
        elif text:
            out.append((False, text))
    return [(c, x) for c, x in out if x]


def prose_html(text: str) -> str:
    """Escaped text for HTML; in Hebrew, every code/number run is isolated with <bdi> so it reads LTR."""
    if not is_rtl() or not _HEBREW.search(text):
        return escape(text)
    out, pos = [], 0
    for m in _LTR_RUN.finditer(text):
        out.append(escape(text[pos:m.start()]))
        for code, piece in _ltr_pieces(m.group()):
            # dir="ltr", not the default "auto": a run with no letter ("(16,)", "[-10, 10]") would
            # otherwise take the Hebrew direction and come out as "(,16)"
            out.append(f"<bdi dir='ltr'>{escape(piece)}</bdi>" if code else escape(piece))
        pos = m.end()
    out.append(escape(text[pos:]))
    return "".join(out)


class _HTML:
    """Minimal object with an HTML repr, so text.py needs no IPython import."""

    def __init__(self, html_text: str, plain: str = ""):
        self.html, self.plain = html_text, plain

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        return self.plain


def setup(lang: str = "en") -> _HTML:
    """First code cell of every lesson: pick the language; for Hebrew, right-align prose.

    Returns an object that Jupyter shows (the CSS for RTL, and one line saying the language).
    """
    set_language(lang)
    line = rtl_div(escape(t("setup.language_set")), lang)
    css = RTL_CSS if is_rtl(lang) else ""
    return _HTML(css + line, plain=t("setup.language_set"))
