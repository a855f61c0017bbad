"""Exercise checkers: `Result(ok, message)` in the student's language, never a traceback.

Every checker first turns the answer into something comparable and, if it cannot, says what
it got and what kind of answer it expects. `...` (Ellipsis, the blank in a fresh exercise)
means "not answered yet". The lessons' exercises (lessonlib.exercises) are built on these four
(check_number, check_array, check_shape, check_choice). Each checker also announces the kind
of answer it expects, so that safely() can name it if something breaks.

A wrong answer never hears the expected value (STYLE.md, habit 7). It hears a diagnosis when
it equals a typical mistake the exercise lists (`Mistake`: a missing factor 2, a flipped sign,
a sum instead of a mean, ...), and otherwise a hint that narrows the answer down (the sign,
too big or too small, the order of magnitude). The expected value travels in
`Result.answer`, which only lessonlib.exercises.reveal() and the third wrong try show.
"""
from __future__ import annotations

import math
import numbers
import sys
import warnings
from contextvars import ContextVar
from dataclasses import dataclass, field

import numpy as np

from .text import t

MAX_SHOWN = 60   # characters of a bad answer quoted back to the student

# safely() puts a one-item list here; every checker writes into it the kind of answer it expects
_EXPECTING: ContextVar[list | None] = ContextVar("lessonlib_checks_expecting", default=None)


@dataclass(frozen=True)
class Result:
    ok: bool
    message: str
    status: str = "wrong"      # "correct", "wrong", "unanswered", "invalid", "revealed"
    answer: str = field(default="", repr=False)     # the expected answer as text: never part of a wrong answer's message
    expected: object = field(default=None, repr=False, compare=False)   # the same, as a value (for tests and reveal)
    mistake: str = ""          # the catalog key of the diagnosis a wrong answer got ("" if none)

    def __bool__(self) -> bool:
        return self.ok

    @property
    def icon(self) -> str:
        return {"correct": "✅", "unanswered": "✏️", "revealed": "💡"}.get(self.status, "❌")

    def __repr__(self) -> str:
        return f"{self.icon} {self.message}"

    def _repr_html_(self) -> str:
        from .display import html_block     # the one display path (lessonlib.show)
        return html_block(self)


def _shown(value) -> str:
    try:
        text = repr(value)
    except Exception:   # noqa: BLE001 - a broken __repr__ must not break the checker
        text = f"<{type(value).__name__} object>"
    return text if len(text) <= MAX_SHOWN else text[:MAX_SHOWN - 3] + "..."


def _type_name(value) -> str:
    """The type, with the dtype for arrays and tensors: "ndarray (complex128)", "Tensor (torch.bool)"."""
    dtype = getattr(value, "dtype", None)
    return type(value).__name__ if dtype is None else f"{type(value).__name__} ({dtype})"


class Mistake:
    """A typical wrong answer and what it says about the student's work.

    `value` is what the mistaken answer equals (a number, an array, a shape or an option);
    `key` names the catalog sentence that explains it, formatted with `values`.
    """

    def __init__(self, value, key: str, **values):
        self.value, self.key, self.values = value, key, values

    @property
    def message(self) -> str:
        return t(self.key, **self.values)

    def __repr__(self) -> str:
        return f"Mistake({self.value!r}, {self.key!r})"


def _unanswered(answer: str = "", expected=None) -> Result:
    return Result(False, t("check.unanswered"), "unanswered", answer=answer, expected=expected)


def _number_text(x: float) -> str:
    """4 significant digits; a whole number in full (48000, not 4.8e+04)."""
    if float(x).is_integer() and abs(x) < 1e12:
        return str(int(x))
    return f"{x:.4g}"


def _wrong(message: str, mistake: str, answer: str, expected) -> Result:
    return Result(False, message, "wrong", answer=answer, expected=expected, mistake=mistake)


def _diagnosed(got: str, m: Mistake, answer: str, expected) -> Result:
    return _wrong(t("check.mistake", got=got, diagnosis=m.message), m.key, answer, expected)


def narrowing_key(value: float, expected: float) -> str:
    """Which way a wrong number is off, without saying by how much exactly.

    The sign first; then, for the right sign, within a factor of 2 ("right order of
    magnitude"), between 2 and 10 times, or more than 10 times too big or too small.
    """
    if expected == 0 or value == 0:
        return "check.narrow.too_big" if value > expected else "check.narrow.too_small"
    if (value > 0) != (expected > 0):
        return "check.narrow.sign"
    ratio = abs(value) / abs(expected)
    side = "big" if value > expected else "small"
    if 0.5 <= ratio <= 2:
        return f"check.narrow.close_{side}"
    if 0.1 < ratio < 10:
        return f"check.narrow.{side}_2_10"
    return f"check.narrow.{side}_over_10"


def _invalid(key: str, **values) -> Result:
    return Result(False, t(key, **values), "invalid")


def _expecting(text: str) -> str:
    """Announce the kind of answer the running checker expects (read by safely()); returns it."""
    holder = _EXPECTING.get()
    if holder is not None:
        holder[0] = text
    return text


def _huge_int_digits(answer) -> int | None:
    """Digits of the largest whole number in a number or list that no float can hold; None if none.

    10**400 is a number, just too large: it deserves to hear that, not "of type int".
    """
    if isinstance(answer, (bool, np.bool_)):
        return None
    if isinstance(answer, numbers.Integral):
        items = [answer]
    elif isinstance(answer, (list, tuple)):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                items = np.asarray(answer, dtype=object).ravel().tolist()
        except Exception:   # noqa: BLE001 - ragged lists etc.: not this case
            return None
    else:
        return None
    huge = [abs(int(v)) for v in items
            if isinstance(v, numbers.Integral) and not isinstance(v, (bool, np.bool_)) and abs(int(v)) > sys.float_info.max]
    return int(math.log10(max(huge))) + 1 if huge else None


def _not_readable(answer, expect: str) -> Result:
    """The answer is not numbers this checker can read: a huge int is told so, anything else its type."""
    digits = _huge_int_digits(answer)
    if digits is not None:
        key = "check.too_large_number" if isinstance(answer, numbers.Integral) else "check.too_large_in_array"
        return _invalid(key, got=_shown(answer), digits=digits, expected=expect)
    return _invalid("check.bad_type", got=_shown(answer), type=_type_name(answer), expected=expect)


def _to_array(answer):
    """NumPy float64 array from a number, list, array or tensor (detached); None if impossible.

    Booleans, complex numbers and text are not numbers here: True must not count as 1.0, and a
    complex answer must not pass as its real part.
    """
    if isinstance(answer, (str, bytes, dict, set, frozenset, bool, complex, np.bool_, np.complexfloating)) \
            or answer is None:
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")           # e.g. ComplexWarning: treat as "not a number"
            if hasattr(answer, "detach") and hasattr(answer, "cpu"):
                answer = answer.detach().cpu()
                answer = (answer.double() if answer.is_floating_point() else answer).numpy()   # also bfloat16
            raw = np.asarray(answer)
            if raw.dtype.kind not in "iuf" and raw.dtype != object:   # bool, complex, text, bytes, ...
                return None
            arr = raw.astype(np.float64)
    except Exception:   # noqa: BLE001 - whatever cannot be read as numbers is "not a number"
        return None
    return arr


def check_number(answer, expected: float, tol: float, what: str = "", mistakes=(), hint: str = "") -> Result:
    """A single number within `tol` of `expected` (a 1-element array or tensor also counts).

    A wrong number is matched against `mistakes` (each within `tol`); if none fits, the message
    narrows it down (narrowing_key) and adds `hint`, a sentence that points without telling.
    """
    expect = _expecting(t("check.expect.number"))
    shown_answer = _number_text(expected)
    if answer is Ellipsis:
        return _unanswered(shown_answer, expected)
    arr = _to_array(answer)
    if arr is None:
        return _not_readable(answer, expect)
    if arr.size != 1:
        return _invalid("check.bad_shape", got=tuple(arr.shape), expected="()")
    value = float(arr.reshape(-1)[0])
    if not math.isfinite(value):
        return _invalid("check.not_finite", got=_shown(answer), expected=expect)
    if abs(value - expected) <= tol:
        return Result(True, t("check.correct", detail=what or f"{value:.4g}"), "correct", answer=shown_answer,
                      expected=expected)
    got = f"{value:.6g}" if _number_text(value) == shown_answer else _number_text(value)   # never prints as the answer
    for m in mistakes:
        if abs(float(m.value) - expected) > tol and abs(value - float(m.value)) <= max(tol, 1e-9 * abs(float(m.value))):
            return _diagnosed(got, m, shown_answer, expected)
    key = narrowing_key(value, expected)
    message = t("check.wrong_number", got=got, narrow=t(key)) + (" " + hint if hint else "")
    return _wrong(message, key, shown_answer, expected)


def _array_text(expected: np.ndarray) -> str:
    return np.array2string(expected, separator=", ", threshold=64, max_line_width=100,
                           formatter={"float_kind": lambda v: f"{v:.4g}"})


def check_array(answer, expected, tol: float, what: str = "", also_shapes=(), mistakes=()) -> Result:
    """An array/tensor of exactly `expected`'s shape, every value within `tol`.

    `also_shapes` lists other shapes that hold the same values in the same order (e.g. (16,)
    for (1, 16)); such answers are compared as if reshaped, and quoted as given. A wrong array
    is matched against `mistakes` (arrays of the expected shape, each within `tol`); otherwise
    the message says how many values are off and where the largest difference is.
    """
    expected = np.asarray(expected, dtype=np.float64)
    expect = _expecting(t("check.expect.array", shape=tuple(expected.shape)))
    shown_answer = _array_text(expected)
    if answer is Ellipsis:
        return _unanswered(shown_answer, expected)
    if isinstance(answer, (bool, np.bool_, numbers.Number)):
        return _not_readable(answer, expect)
    arr = _to_array(answer)
    if arr is None:
        return _not_readable(answer, expect)
    if arr.shape in {tuple(sh) for sh in also_shapes}:
        arr = arr.reshape(expected.shape)
    if arr.shape != expected.shape:
        return _invalid("check.bad_shape", got=tuple(arr.shape), expected=tuple(expected.shape))
    if not np.all(np.isfinite(arr)):
        return _invalid("check.not_finite", got=_shown(answer), expected=expect)
    diff = np.abs(arr - expected)
    bad = diff > tol
    if not bad.any():
        return Result(True, t("check.correct", detail=what), "correct", answer=shown_answer, expected=expected)
    for m in mistakes:
        value = np.asarray(m.value, dtype=np.float64).reshape(expected.shape)
        if np.abs(value - expected).max() > tol and np.abs(arr - value).max() <= tol:
            return _diagnosed(_shown(answer), m, shown_answer, expected)
    first = np.unravel_index(int(np.argmax(bad)), bad.shape)       # the first value that is off, in order
    key = narrowing_key(float(arr[first]), float(expected[first]))
    return _wrong(t("check.array_mismatch", count=int(bad.sum()), total=int(bad.size), tol=f"{tol:g}",
                    where=tuple(int(i) for i in first), narrow=t(key)),
                  "check.array_mismatch", shown_answer, expected)


def check_choice(answer, expected: str, options, hint: str = "", what: str = "", why_not=None) -> Result:
    """One of a few named options (case and surrounding spaces ignored).

    `why_not` maps a wrong option to the sentence that says what is wrong with it; an option
    without one gets `hint`.
    """
    options = [str(o) for o in options]
    expect = _expecting(t("check.expect.text", options=options))
    shown_answer = repr(str(expected))
    if answer is Ellipsis:
        return _unanswered(shown_answer, expected)
    if not isinstance(answer, str):
        return _invalid("check.bad_type", got=_shown(answer), type=_type_name(answer), expected=expect)
    got = answer.strip().lower()
    normalized = {o.lower(): o for o in options}
    if got not in normalized:
        return _invalid("check.bad_choice", got=_shown(answer), options=options)
    if got == expected.lower():
        return Result(True, t("check.correct", detail=what or normalized[got]), "correct", answer=shown_answer,
                      expected=expected)
    reasons = {str(k).lower(): v for k, v in (why_not or {}).items()}
    reason = reasons.get(got)
    if isinstance(reason, Mistake):
        return _wrong(t("check.wrong_choice", got=_shown(answer), hint=reason.message), reason.key, shown_answer,
                      expected)
    return _wrong(t("check.wrong_choice", got=_shown(answer), hint=reason or hint), "check.wrong_choice",
                  shown_answer, expected)


def _shape_example(ndim: int) -> str:
    """A shape written with letters, never the answer: (N,), (N, M), (N, M, K)."""
    letters = ["N", "M", "K", "L"][:ndim] + [f"D{i}" for i in range(4, ndim)]
    return "(" + ", ".join(letters) + ("," if ndim == 1 else "") + ")"


def check_shape(answer, expected, what: str = "", mistakes=()) -> Result:
    """A shape: a tuple (or list, or torch.Size) of whole numbers equal to `expected`.

    A wrong shape is matched against `mistakes` (shapes), else diagnosed (wrong count, right
    sizes in the wrong order, right total, which axes differ) without printing the expected
    shape: that is the answer.
    """
    expected = tuple(int(n) for n in expected)
    expect = _expecting(t("check.expect.shape", example=_shape_example(len(expected))))
    shown_answer = str(expected)
    if answer is Ellipsis:
        return _unanswered(shown_answer, expected)
    if not isinstance(answer, (tuple, list)):
        if isinstance(answer, np.ndarray) or (hasattr(answer, "detach") and hasattr(answer, "shape")):
            return _invalid("check.shape.array_itself", type=_type_name(answer), expected=expect)   # its shape is the answer
        return _not_readable(answer, expect)
    for value in answer:
        if isinstance(value, (bool, np.bool_)):
            problem = t("check.shape.is_bool")
        elif not isinstance(value, numbers.Integral):
            problem = t("check.shape.not_whole", type=_type_name(value))
        elif value < 0:
            problem = t("check.shape.negative")
        else:
            continue
        return _invalid("check.shape.bad_element", got=_shown(answer), element=_shown(value), problem=problem,
                        expected=expect)
    got = tuple(int(v) for v in answer)
    if got == expected:
        return Result(True, t("check.correct", detail=what or _shown(got)), "correct", answer=shown_answer,
                      expected=expected)
    shown = _shown(got)
    for m in mistakes:
        if tuple(m.value) == got and tuple(m.value) != expected:
            return _diagnosed(shown, m, shown_answer, expected)
    if len(got) != len(expected):
        key, values = "check.shape.count", {"n": len(got), "k": len(expected)}
    elif sorted(got) == sorted(expected):
        key, values = "check.shape.transposed", {}
    elif math.prod(got) == math.prod(expected):
        key, values = "check.shape.same_total", {}
    else:
        wrong = [i for i, (g, e) in enumerate(zip(got, expected, strict=True)) if g != e]
        key, values = "check.shape.wrong_axes", {"axes": ", ".join(str(i) for i in wrong)}
    return _wrong(t(key, got=shown, **values), key, shown_answer, expected)


def expected_kind(checker, *args, **kwargs) -> str | None:
    """The kind of answer `checker` (a checker or an exercise) expects, as its own checker words it.

    Runs it on the blank answer (...), where every checker announces its kind and returns
    "not answered yet"; None if it announces nothing.
    """
    holder = [None]
    token = _EXPECTING.set(holder)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            checker(Ellipsis, *args, **kwargs)
    except Exception:   # noqa: BLE001 - a broken checker: whatever it announced before breaking
        pass
    finally:
        _EXPECTING.reset(token)
    return holder[0]


def safely(checker, answer, *args, expected_text: str = "", **kwargs) -> Result:
    """Run a checker; an unexpected failure becomes a message, never a traceback.

    The message names the kind of answer this checker expects: `expected_text` if given, else
    what its checker announced before failing, else what it announces on the blank answer.
    """
    holder = [None]
    token = _EXPECTING.set(holder)
    try:
        return checker(answer, *args, **kwargs)
    except Exception as err:   # noqa: BLE001 - the student must never see a traceback from a checker
        expected = (expected_text or holder[0] or expected_kind(checker, *args, **kwargs)
                    or t("check.expect.unknown"))
        return _invalid("check.internal_error", error=f"{type(err).__name__}: {err}"[:MAX_SHOWN], expected=expected)
    finally:
        _EXPECTING.reset(token)
