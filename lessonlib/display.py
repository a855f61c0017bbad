"""One display path for what a lesson says to the student: `show(*items)`.

Hebrew sentences must never reach a plain-text output (it is left-to-right and scrambles them).
`show` draws one block of HTML that reads right to left in Hebrew (left to right in English),
with every style inline (Colab draws each output in its own frame: CSS from the setup cell does
not reach it), code and numbers isolated by the one bidi rule (lessonlib.bidi), and a plain-text
fallback for nbval and terminals. Outside IPython it prints the plain text.

Items: a str (a sentence already in the lesson's language, e.g. t("key", ...)), a StepRecord (its
message), a History (its summary, or its divergence message), a checks.Result (icon + message),
or a list/tuple of these (one line each). StepRecord, History and Result use the same HTML for
their own `_repr_html_`.
"""
from __future__ import annotations

import sys

from . import bidi
from .text import is_rtl, t

__all__ = ["show", "html_block", "plain_block", "lines"]

_BLOCK_STYLE = {
    True: "direction: rtl; text-align: right; unicode-bidi: isolate;",
    False: "direction: ltr; text-align: left; unicode-bidi: isolate;",
}
_LINE_STYLE = {
    True: "direction: rtl; text-align: right; margin: 0.15em 0;",
    False: "direction: ltr; text-align: left; margin: 0.15em 0;",
}


def _history_line(h) -> str:
    if h.diverged:
        return h.divergence_message()
    nan = float("nan")
    return t("display.history", optimizer=h.optimizer, lr=h.lr, epochs=len(h.train_loss),
             train=h.train_loss[-1] if h.train_loss else nan, val=h.val_loss[-1] if h.val_loss else nan)


def _line(item) -> str:
    """One item as one line of plain text in the lesson's language."""
    from .checks import Result
    from .stepper import StepRecord
    from .train import History
    if isinstance(item, str):
        return item
    if isinstance(item, StepRecord):
        return item.message if item.ok else f"⚠️ {item.message}"
    if isinstance(item, History):
        return _history_line(item)
    if isinstance(item, Result):
        return f"{item.icon} {item.message}"
    return t("display.unknown_item", type=type(item).__name__)


def lines(*items) -> list[str]:
    """The plain lines `show` would draw: one per item, lists and tuples flattened."""
    out: list[str] = []
    for item in items:
        if isinstance(item, (list, tuple)):
            out += lines(*item)
        else:
            out.append(_line(item))
    return out


def plain_block(*items) -> str:
    """The text/plain fallback: the same lines, one per row."""
    return "\n".join(lines(*items))


def html_block(*items, lang: str | None = None) -> str:
    """One self-contained HTML block (inline styles only) in the lesson's direction."""
    rtl = is_rtl(lang)
    direction = "rtl" if rtl else "ltr"
    body = "".join(f'<div style="{_LINE_STYLE[rtl]}">{bidi.html(line)}</div>'
                   for line in lines(*items))
    return (f'<div class="lessonlib-show" dir="{direction}" lang="{"he" if rtl else "en"}" '
            f'style="{_BLOCK_STYLE[rtl]}">{body}</div>')


def show(*items) -> None:
    """Show messages, records, training summaries or checker results as right-to-left HTML in
    Hebrew (left-to-right in English), one line per item; outside IPython print the plain text.

    >>> show(t("l06.equal_count", equal=3, total=4))          # doctest: +SKIP
    >>> show(rec)            # a StepRecord shows its own message
    >>> show(records)        # one line per record
    """
    ipython = sys.modules.get("IPython")      # never import IPython: if it is not loaded, we are not in it
    shell = ipython.get_ipython() if ipython is not None and hasattr(ipython, "get_ipython") else None
    if shell is None:
        print(plain_block(*items))
        return None
    from IPython.display import display
    display({"text/html": html_block(*items), "text/plain": plain_block(*items)}, raw=True)
    return None

