"""The lessons' exercises: `check("02.params", answer)` -> Result in the student's language.

Each exercise computes its expected answer from the lesson's own code (never a number typed
here twice) and hands it to a generic checker in lessonlib.checks. Exercise ids are
"<lesson>.<name>"; every lesson adds its own section below.
"""
from __future__ import annotations

from typing import Callable

from .checks import Result, _invalid, safely

EXERCISES: dict[str, Callable[[object], Result]] = {}


def exercise(exercise_id: str):
    """Register a checker function under `exercise_id`."""
    def register(fn):
        if exercise_id in EXERCISES:
            raise ValueError(f"duplicate exercise id {exercise_id!r}")
        EXERCISES[exercise_id] = fn
        return fn
    return register


def check(exercise_id: str, answer) -> Result:
    """Check the answer to one exercise; any answer at all gets a message, never a traceback."""
    fn = EXERCISES.get(exercise_id)
    if fn is None:
        return _invalid("check.unknown_exercise", got=exercise_id, expected=sorted(EXERCISES))
    return safely(fn, answer)


# ---- 00_start_here ---------------------------------------------------------------------------

# ---- 01_data_and_tensors ---------------------------------------------------------------------

# ---- 02_forward --------------------------------------------------------------------------------

# ---- 03_loss -------------------------------------------------------------------------------------

# ---- 04_zero_grad -------------------------------------------------------------------------------

# ---- 05_backward --------------------------------------------------------------------------------

# ---- 06_step --------------------------------------------------------------------------------------

# ---- 07_full_training_loop ----------------------------------------------------------------------

# ---- 08_break_it ---------------------------------------------------------------------------------
