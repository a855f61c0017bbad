"""One bidi rule for every mixed Hebrew/English string: HTML, plain browser strings and plots.

The rule, in plain words:

* A text with no Hebrew letter is left alone (one left-to-right piece).
* In a text with Hebrew, every stretch between Hebrew words that holds a Latin letter, a digit
  or "±" is left-to-right (LTR): code (`nn.Linear(1, 16)`, `.grad`, `-lr * grad`,
  `set_to_none=True`), a shape ("(16,)", "(1, 16)"), a number ("-3", "nan", "1e-05"), a formula
  ("W <- W - lr * dL/dW", "W3[0, 1]"), a Python list ("['step', 'backward']"), a range
  ("02–06", "[-10, 10]") or "±15". It must read in its own order, left to right.
* The sentence's punctuation stays with the Hebrew:
  - outside brackets, ", " / "; " / ": " / " · " between two values split them into two runs,
    and so does a space between a value and an opening bracket ("16 (x = 1)", not "0.1 * (-2)");
  - a full stop, comma, colon, "?" or "!" ending a run (or starting it, unless a name follows
    at once as in ".grad");
  - an icon ("⚠️", "✅") or a typographic quote („ ”) at a run's edge;
  - an operator or dash standing alone at a run's edge ("= 3" is "=" then "3"), a final "±"
    whose number is elsewhere, and a dash with spaces (" — ", " – ");
  - any bracket or quote without its partner in the stretch.
  Spaces at a run's edges stay outside it.
* Everything else (Hebrew words, spaces, prose punctuation) is the Hebrew side.

`runs(text)` gives the pieces; `html`, `plain` and `for_matplotlib` isolate the LTR runs the way
each output needs (see DESIGN.md, "Hebrew in outputs"):

* html: `<bdi dir='ltr'>` (dir="ltr", not "auto": a run without letters such as "(16,)" would
  take the Hebrew direction); a run that a browser could break (a space, "/", a "-" inside it)
  also gets `white-space: nowrap`, so "(1, 16)" never wraps mid-expression (up to NOWRAP_MAX
  characters: a longer formula may wrap rather than overflow a narrow box).
* plain: U+2066 (LEFT-TO-RIGHT ISOLATE) ... U+2069 (POP DIRECTIONAL ISOLATE), for strings a
  browser draws as text (widget descriptions, dropdown options).
* matplotlib: on >= 3.11 the raw text where matplotlib (which lays out Hebrew itself) draws it
  right, else the `plain` text ("(16, 1)" flips there too); on < 3.11 the visual order from
  python-bidi's legacy `bidi.algorithm.get_display`, with each LTR run held together by LRM marks
  (U+200E) and the Hebrew between by RLM marks (U+200F), removed again afterwards. Never an
  isolate there: the legacy algorithm asserts on U+2066. A line with Hebrew is right to left.
"""
from __future__ import annotations

import html as _html
import re
import unicodedata

__all__ = ["runs", "html", "plain", "for_matplotlib", "has_hebrew", "needs_reorder",
           "LRI", "PDI", "LRM", "RLM", "NOWRAP_MAX"]

LRI, PDI, LRM, RLM = "\u2066", "\u2069", "\u200e", "\u200f"

_HEBREW_CHAR = r"\u0590-\u05FF\uFB1D-\uFB4F"
_HEBREW = re.compile(f"[{_HEBREW_CHAR}]")
_STRETCH = re.compile(f"[^{_HEBREW_CHAR}]+")        # a stretch between Hebrew words
_LTR_WORTHY = re.compile(r"[^\W_]|±")     # a letter or digit (no Hebrew in a stretch), or ±
_OPEN, _CLOSE = "([{", ")]}"
_PARTNER = {")": "(", "]": "[", "}": "{"}
_SPLIT_AT = ",;:·"                # split before "<char> " or at the end, outside brackets
_TRAILING = ".,:;!?…"            # prose punctuation ending a run
_QUOTES = "„“”«»״"                # typographic quotes: always the sentence's, never code
_OPERATORS = "-–—=+*/×÷<>≈≤≥"     # standing alone at a run's edge (with a space): the sentence's
_EMBEDDINGS = re.compile("[\u202a-\u202e\u2066-\u2069]")
_BREAKABLE = re.compile(r"\s|/|(?<=.)[-–]")
NOWRAP_MAX = 40     # a longer run may wrap: better than overflowing a narrow widget


def has_hebrew(text: str) -> bool:
    return bool(_HEBREW.search(text))


def _partners(s: str) -> dict[int, int]:
    """Positions of brackets and quotes that have their partner in `s` (both directions)."""
    partner: dict[int, int] = {}
    stack: list[int] = []
    for i, ch in enumerate(s):
        if ch in _OPEN:
            stack.append(i)
        elif ch in _CLOSE:
            if stack and s[stack[-1]] == _PARTNER[ch]:
                j = stack.pop()
                partner[i], partner[j] = j, i
            else:
                stack.clear()
    for q in "'\"`":     # quotes pair up left to right, outside brackets' own pairing
        idx = [i for i, ch in enumerate(s) if ch == q]
        for a, b in zip(idx[0::2], idx[1::2], strict=False):
            partner[a], partner[b] = b, a
    return partner


def _split_stretch(s: str) -> list[tuple[bool, str]]:
    """Split one non-Hebrew stretch into (is_ltr, piece) by the rule in the module docstring."""
    partner = _partners(s)
    pieces: list[tuple[bool, str]] = []
    buf, depth, i, n = "", 0, 0, len(s)

    def flush():
        nonlocal buf
        if buf:
            pieces.append((True, buf))
        buf = ""

    while i < n:
        ch = s[i]
        nxt = s[i + 1] if i + 1 < n else ""
        if ch in _OPEN + _CLOSE + "'\"`" and i not in partner:          # unpaired: the sentence's
            flush()
            pieces.append((False, ch))
        elif depth == 0 and ch in _SPLIT_AT and (nxt == "" or nxt.isspace()):
            flush()
            pieces.append((False, ch))
        elif depth == 0 and s[i:i + 3] in (" — ", " – "):
            flush()
            pieces.append((False, s[i:i + 3]))
            i += 3
            continue
        elif depth == 0 and ch in _OPEN and buf[-1:].isspace() and re.search(r"[^\W_)\]}]$", buf.rstrip()):
            # "16 (x = 1)": a bracket after a value and a space opens a new piece; after an
            # operator ("0.1 * (-2)") it is part of the formula
            flush()
            buf, depth = ch, 1
        else:
            buf += ch
            if i in partner and ch not in "'\"`":
                depth += 1 if ch in _OPEN else -1
            elif i in partner:       # a quoted string counts as one bracket level
                depth += 1 if partner[i] > i else -1
        i += 1
    flush()

    out: list[tuple[bool, str]] = []
    for ltr, text in pieces:
        if not ltr:
            out.append((False, text))
            continue
        head, core, tail = _peel(text)
        out += [(False, head), (bool(_LTR_WORTHY.search(core)), core), (False, tail)]
    return [(ltr, x) for ltr, x in out if x]


def _is_icon(ch: str) -> bool:
    """An icon of the sentence ("⚠️", "✅"): a symbol, its variation selector or emoji joiner."""
    return unicodedata.category(ch) == "So" or ch in "\ufe0f\u200d"


def _peel(text: str) -> tuple[str, str, str]:
    """(head, core, tail): what stands at a run's edges but belongs to the sentence.

    Spaces, icons, typographic quotes („1. ...”), a dash or an operator standing alone with a
    space after it at the start ("= 3" in "x 3 אפוקים = 3 קריאות": "=" is read between the
    Hebrew words, then "3") or before it at the end, ending punctuation, and a final "±" whose
    number is not in the run ("טווח x ±").
    """
    core, head, tail = text, "", ""
    while core and (core[0].isspace() or _is_icon(core[0]) or core[0] in _QUOTES
                    or (core[0] in _OPERATORS and (len(core) == 1 or core[1].isspace()))
                    or (core[0] in _TRAILING and not re.match(r".[\w\u200e]", core))):   # "! w", not ".grad"
        head, core = head + core[0], core[1:]
    while core and (core[-1].isspace() or core[-1] in _TRAILING + _QUOTES + "±" or _is_icon(core[-1])
                    or (core[-1] in _OPERATORS and (len(core) == 1 or core[-2].isspace()))):
        if core.endswith("...") and core[:-3].rstrip().endswith(","):   # "1, 2, ..." is code
            break
        tail, core = core[-1] + tail, core[:-1]
    return head, core, tail


def _merge(pieces: list[tuple[bool, str]]) -> list[tuple[bool, str]]:
    out: list[tuple[bool, str]] = []
    for ltr, text in pieces:
        if out and not ltr and not out[-1][0]:
            out[-1] = (False, out[-1][1] + text)
        else:
            out.append((ltr, text))
    return out


def runs(text: str) -> list[tuple[bool, str]]:
    """Split `text` into (is_ltr, piece) pairs; the pieces concatenate back to `text`.

    Without Hebrew the whole text is one LTR piece (or nothing for ""). With Hebrew, the LTR
    pieces are exactly the runs that must be isolated left to right (see the module docstring).
    """
    text = str(text)
    if not text:
        return []
    if not has_hebrew(text):
        return [(True, text)]
    pieces: list[tuple[bool, str]] = []
    pos = 0
    for m in _STRETCH.finditer(text):
        if m.start() > pos:
            pieces.append((False, text[pos:m.start()]))
        pieces += _split_stretch(m.group())
        pos = m.end()
    if pos < len(text):
        pieces.append((False, text[pos:]))
    return _merge(pieces)


def _escape(text: str) -> str:
    return _html.escape(text)


def html(text: str) -> str:
    """Escaped HTML; in a text with Hebrew, every LTR run in `<bdi dir='ltr'>`."""
    text = str(text)
    if not has_hebrew(text):
        return _escape(text)
    out = []
    for ltr, piece in runs(text):
        if not ltr:
            out.append(_escape(piece))
        elif _BREAKABLE.search(piece) and len(piece) <= NOWRAP_MAX:
            out.append(f"<bdi dir='ltr' style='white-space: nowrap'>{_escape(piece)}</bdi>")
        else:
            out.append(f"<bdi dir='ltr'>{_escape(piece)}</bdi>")
    return "".join(out)


def plain(text: str) -> str:
    """A plain string for a browser (widget description, dropdown option): LTR runs in U+2066...U+2069."""
    text = str(text)
    if not has_hebrew(text):
        return text
    return "".join(f"{LRI}{piece}{PDI}" if ltr else piece for ltr, piece in runs(text))


def _version(v: str) -> tuple[int, int]:
    m = re.match(r"(\d+)(?:\.(\d+))?", v)
    return (int(m.group(1)), int(m.group(2) or 0)) if m else (0, 0)


def needs_reorder(mpl_version: str | None = None) -> bool:
    """True where matplotlib draws Hebrew in storage order (reversed), i.e. before 3.11."""
    if mpl_version is None:
        import matplotlib
        mpl_version = matplotlib.__version__
    return _version(mpl_version) < (3, 11)


def _uba_order(text: str) -> str:
    """The order a full bidi algorithm with isolates draws `text` in (python-bidi's Rust API),
    isolate characters removed: what matplotlib >= 3.11 (libraqm) shows, brackets aside."""
    from bidi import get_display   # the new API: full UBA with isolates (not the legacy one)
    return _EMBEDDINGS.sub("", get_display(text))


def for_matplotlib(text: str, mpl_version: str | None = None) -> str:
    """Text for a matplotlib label, in the order matplotlib must get it.

    On >= 3.11 matplotlib lays out right-to-left text itself (libraqm, a full bidi algorithm
    with isolates), but a letterless run still flips there ("(16, 1)" shows as "(1 ,16)"). So
    where the full algorithm orders the raw text differently from the `plain` text, the label is
    the `plain` text (its isolate characters draw nothing); elsewhere it is the raw text.
    On < 3.11 matplotlib draws characters as stored, so the result is the visual order.
    A line with Hebrew is a right-to-left line on both paths (with the runs isolated, libraqm's
    first strong letter is a Hebrew one), even when it starts with code: "lr = 0.01 (מתאים)".
    On < 3.11 each LTR run is marked with LRM on both sides and each Hebrew-side piece with RLM,
    so python-bidi's legacy algorithm keeps a run in order ("W3[0, 1]", "(16, 1)") and never
    merges two runs over the sentence's ", " between them; the marks are removed from the result
    (matplotlib would draw a missing glyph for them). Isolates never reach it: it asserts on them.
    """
    text = str(text)
    if not has_hebrew(text):
        return text
    if not needs_reorder(mpl_version):
        isolated = plain(text)
        return text if _uba_order(text) == _uba_order(isolated) else isolated
    from bidi.algorithm import get_display   # legacy API: the new bidi.get_display mis-mirrors brackets
    text = _EMBEDDINGS.sub("", text)      # the legacy algorithm asserts on isolates
    marked = "".join(f"{LRM}{piece}{LRM}" if ltr else f"{RLM}{piece}{RLM}" for ltr, piece in runs(text))
    return get_display(marked, base_dir="R").replace(LRM, "").replace(RLM, "")
