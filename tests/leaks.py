"""Does a checker's message show the expected answer? (issue 9: no first wrong answer may.)

Used by tests/test_feedback.py and, inside the kernel, by tests/nbcheck_kernel.py (nbval's run of each lesson).
The student's own answer, quoted back ("got 80"), is not a leak and is taken out first.
"""
from __future__ import annotations

import re

import numpy as np

from lessonlib import checks

NUMBER = re.compile(r"(?<![\w.])-?\d+(?:\.\d+)?(?:e[-+]?\d+)?")


def _said_back(answer) -> list[str]:
    """The ways a checker quotes the student's own answer ("got ..."): not a leak of the expected one."""
    forms = [checks._shown(answer)]
    arr = checks._to_array(answer) if not isinstance(answer, str) else None
    if arr is not None and arr.size == 1:
        v = float(arr.reshape(-1)[0])
        forms += [f"{v:.4g}", f"{v:.6g}", f"{v:g}"]
    if isinstance(answer, (tuple, list)):
        forms.append(str(tuple(answer)))
    return sorted(set(forms), key=len, reverse=True)


def leaks(message: str, res, answer=None) -> str | None:
    """Where `message` shows `res`'s expected answer (not counting the student's answer quoted back)."""
    if answer is not None:
        for form in _said_back(answer):
            message = message.replace(form, " ")
    expected = res.expected
    if expected is None:                                            # no single value (08.capstone): its answer text
        return f"the answer text {res.answer!r}" if res.answer and res.answer in message else None
    if isinstance(expected, dict):                                  # several arrays (05.hidden_grads)
        forms = [res.answer]
        for part in expected.values():
            arr = np.asarray(part, dtype=np.float64)
            forms += [checks._array_text(arr), str(arr.tolist()), checks._shown(part)]
        found = [f for f in forms if f and f in message]
        return f"the printed answer {found[0]!r}" if found else None
    if isinstance(expected, str):                                   # a choice: the option as a word
        if re.search(rf"(?<![\w'\"]){re.escape(expected)}(?![\w'\"])", message) or repr(expected) in message:
            return f"the option {expected!r}"
        return None
    if isinstance(expected, tuple) or np.ndim(expected) > 0:          # a shape or an array: its printed forms
        arr = np.asarray(expected)
        forms = {res.answer, str(tuple(arr.tolist())) if isinstance(expected, tuple) else str(arr.tolist())}
        found = [f for f in forms if f and f in message]
        return f"the printed answer {found[0]!r}" if found else None
    v = float(expected)
    for token in NUMBER.findall(message):
        number = float(token)
        if (v == 0 and number == 0) or (v != 0 and abs(number - v) <= 1e-3 * abs(v)):
            return f"the number {token} (expected {v:g})"
    return None
