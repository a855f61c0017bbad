"""lessonlib: helpers for the RB109-02 lesson series (how a neural network is trained).

Importing it sets nothing global: no seeds, no rcParams, no torch threads, and it does not
import ipywidgets or matplotlib. `plots` and `widgets` load on first use
(`from lessonlib import plots`).
"""
from __future__ import annotations

import importlib

from .checks import Result
from .data import LineData, make_line_data, true_fn
from .display import show
from .exercises import check, reveal
from .model import count_parameters, make_model
from .stepper import STEPS, Change, Stepper, StepRecord
from .text import get_language, set_language, setup, t
from .train import History, fit, make_optimizer, predict

__all__ = [
    "LineData", "make_line_data", "true_fn",
    "make_model", "count_parameters",
    "Stepper", "StepRecord", "Change", "STEPS",
    "fit", "History", "make_optimizer", "predict",
    "setup", "set_language", "get_language", "t", "show",
    "check", "reveal", "Result",
    "manual", "checks", "plots", "widgets", "exercises", "text", "envcheck", "bidi", "display", "graph", "graph_plot",
]

_LAZY = {"graph", "graph_plot", "bidi", "display", "envcheck", "manual", "checks", "plots", "widgets", "exercises", "text", "data", "model", "stepper", "train"}


def __getattr__(name: str):
    if name in _LAZY:
        return importlib.import_module(f".{name}", __name__)
    raise AttributeError(f"module 'lessonlib' has no attribute {name!r}")
