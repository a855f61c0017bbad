"""Exercise checkers: `Result(ok, message)` in the student's language, never a traceback.

Every checker first turns the answer into something comparable and, if it cannot, says what
it got and what it expected. `...` (Ellipsis, the blank in a fresh exercise) means "not
answered yet". The lessons' exercises (lessonlib.exercises) are built on these three.
"""
from __future__ import annotations

import math
import numbers
import warnings
from dataclasses import dataclass

import numpy as np

from .text import t

MAX_SHOWN = 60   # characters of a bad answer quoted back to the student


@dataclass(frozen=True)
class Result:
    ok: bool
    message: str
    status: str = "wrong"      # "correct", "wrong", "unanswered", "invalid"

    def __bool__(self) -> bool:
        return self.ok

    @property
    def icon(self) -> str:
        return {"correct": "✅", "unanswered": "✏️"}.get(self.status, "❌")

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


def _unanswered() -> Result:
    return Result(False, t("check.unanswered"), "unanswered")


def _invalid(key: str, **values) -> Result:
    return Result(False, t(key, **values), "invalid")


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


def check_number(answer, expected: float, tol: float, what: str = "") -> Result:
    """A single number within `tol` of `expected` (a 1-element array or tensor also counts)."""
    if answer is Ellipsis:
        return _unanswered()
    expect = t("check.expect.number")
    arr = _to_array(answer)
    if arr is None:
        return _invalid("check.bad_type", got=_shown(answer), type=_type_name(answer), expected=expect)
    if arr.size != 1:
        return _invalid("check.bad_shape", got=tuple(arr.shape), expected="()")
    value = float(arr.reshape(-1)[0])
    if not math.isfinite(value):
        return _invalid("check.not_finite", got=_shown(answer), expected=expect)
    if abs(value - expected) <= tol:
        return Result(True, t("check.correct", detail=what or f"{value:.4g}"), "correct")
    return Result(False, t("check.got_expected_number", got=f"{value:.4g}", expected=f"{expected:.4g}", tol=f"{tol:g}"))


def check_array(answer, expected, tol: float, what: str = "", also_shapes=()) -> Result:
    """An array/tensor of exactly `expected`'s shape, every value within `tol`.

    `also_shapes` lists other shapes that hold the same values in the same order (e.g. (16,)
    for (1, 16)); such answers are compared as if reshaped, and quoted as given.
    """
    if answer is Ellipsis:
        return _unanswered()
    expected = np.asarray(expected, dtype=np.float64)
    expect = t("check.expect.array", shape=tuple(expected.shape))
    if isinstance(answer, (bool, np.bool_, numbers.Number)):
        return _invalid("check.bad_type", got=_shown(answer), type=_type_name(answer), expected=expect)
    arr = _to_array(answer)
    if arr is None:
        return _invalid("check.bad_type", got=_shown(answer), type=_type_name(answer), expected=expect)
    if arr.shape in {tuple(sh) for sh in also_shapes}:
        arr = arr.reshape(expected.shape)
    if arr.shape != expected.shape:
        return _invalid("check.bad_shape", got=tuple(arr.shape), expected=tuple(expected.shape))
    if not np.all(np.isfinite(arr)):
        return _invalid("check.not_finite", got=_shown(answer), expected=expect)
    diff = np.abs(arr - expected)
    bad = diff > tol
    if not bad.any():
        return Result(True, t("check.correct", detail=what), "correct")
    where = np.unravel_index(int(np.argmax(diff)), diff.shape)
    return Result(False, t("check.array_mismatch", count=int(bad.sum()), total=int(bad.size), tol=f"{tol:g}",
                           worst=f"{float(diff.max()):.4g}", where=tuple(int(i) for i in where)))


def check_choice(answer, expected: str, options, hint: str = "", what: str = "") -> Result:
    """One of a few named options (case and surrounding spaces ignored)."""
    if answer is Ellipsis:
        return _unanswered()
    options = [str(o) for o in options]
    if not isinstance(answer, str):
        return _invalid("check.bad_type", got=_shown(answer), type=_type_name(answer),
                        expected=t("check.expect.text", options=options))
    got = answer.strip().lower()
    normalized = {o.lower(): o for o in options}
    if got not in normalized:
        return _invalid("check.bad_choice", got=_shown(answer), options=options)
    if got == expected.lower():
        return Result(True, t("check.correct", detail=what or normalized[got]), "correct")
    return Result(False, t("check.wrong_choice", got=_shown(answer), hint=hint))


def safely(checker, answer, *args, expected_text: str = "", **kwargs) -> Result:
    """Run a checker; an unexpected failure becomes a message, never a traceback."""
    try:
        return checker(answer, *args, **kwargs)
    except Exception as err:   # noqa: BLE001 - the student must never see a traceback from a checker
        return _invalid("check.internal_error", error=f"{type(err).__name__}: {err}"[:MAX_SHOWN],
                        expected=expected_text or t("check.expect.number"))
