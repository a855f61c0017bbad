r"""Interactive widgets for the lessons: the only lessonlib package that imports ipywidgets.

Widgets
-------
Each helper returns ``(ui, controller)``: ``ui`` is an ipywidgets box to display, the
controller a plain object holding the state. The logic is plain Python, so tests drive a
widget without a browser: ``button.click()`` and ``slider.value = ...`` fire the same handlers
a browser does.

    ui, dbg = step_debugger()        # lessons 04, 05, 06, 08: the five steps, one click each
    ui, ctl = optimizer_explorer()   # lessons 06, 07: learning rate and optimizer, re-trained live
    ui, ctl = landscape_explorer()   # lessons 03, 06: MSE(w, b) of y = wx + b, gradient, descent path
    ui, ctl = learned_explorer()     # lesson 07: the fitted curve, its ReLU kinks, x = 12 and 100
    ui, ctl = graph_stepper()        # lesson 05: the tiny net's computational graph, one node per click
    ui, ctl = boundary_explorer(run) # lesson 09: the decision boundary, epoch by epoch
    ui, ctl = conv_explorer(model)   # lesson 10: a 3x3 filter sliding over an image, each output computed

Modules: one per widget (debugger, optimizers, landscape, learned, graph, boundary); what they share (layout,
right-to-left, CSS, small controls, PNG plots) in _common; fit()'s batch order in _batch_order;
the debugger's parameter table in _param_table. A new widget is a module of its own that builds
on _common, and is re-exported here.

* Core widgets and APIs common to ipywidgets 7.7 (Colab) and 8 only.
* Every label and message comes from the catalog, in the language chosen when the widget was
  built; Hebrew prose is wrapped right-to-left, code and numbers inside it left-to-right.
* Plots are lessonlib.plots figures, drawn into an ``HTML`` widget as a PNG ``<img>``: one atomic
  value update that looks the same in ipywidgets 7 and 8 and needs no kernel-side output capture
  (an ``Output`` widget only captures inside a running kernel).
* CSS classes (``lessonlib-...``) name the parts a browser test looks for: every widget's outer box
  is ``lessonlib-widget`` (+ ``lessonlib-rtl`` in Hebrew, laid out right to left as one whole);
  a table wider than its box scrolls inside a ``lessonlib-table-scroll`` box (the debugger's
  parameter grid left to right, index and weights first; value tables in the lesson's direction);
  rows of controls are ``lessonlib-row``, side-by-side parts ``lessonlib-columns`` (they wrap).
* Plain strings that reach the browser (descriptions, options, tooltips) go through bidi.plain;
  every control has a tooltip; learning-rate readouts print the value as the texts do (.3g).
* The optimizer explorer shows fit()'s own losses and divergence verdict for every setting of
  its sliders (lessonlib.explorer_grid: fit() histories shipped as a generated file, because
  fit() itself takes 0.6-2.5 s); the fitted curve comes from a float32 NumPy re-run of the same
  loop (lessonlib.manual.train), and the explorer says when that re-run drifts from fit()
  (chaotic settings). Off the grid it says that it shows the NumPy re-run, not fit().
"""
from __future__ import annotations

from ..text import prose_html
from ._batch_order import epoch_orders
from ._common import DPI, LR_FORMAT
from ._param_table import MAX_COLS, MAX_ROWS
from .boundary import BoundaryExplorer, boundary_explorer
from .conv import HAND_FILTERS, ConvExplorer, conv_explorer, conv_map
from .debugger import LAYERS, StepDebugger, step_debugger
from .graph import GraphStepperWidget, graph_stepper
from .landscape import (B_RANGE, LANDSCAPE_MIN_REFERENCE, W_RANGE, LandscapeExplorer, landscape_explorer,
                        line_mse_and_grad)
from .learned import PROBE_X, LearnedExplorer, first_layer_kinks, learned_explorer, second_layer_kinks
from .optimizers import REPLAY_ATOL, REPLAY_RTOL, OptimizerExplorer, optimizer_explorer, replay_drift_epoch

__all__ = [
    # the widgets: factory functions (return (ui, controller)) and controller classes
    "step_debugger", "optimizer_explorer", "landscape_explorer", "learned_explorer", "graph_stepper",
    "StepDebugger", "OptimizerExplorer", "LandscapeExplorer", "LearnedExplorer", "GraphStepperWidget",
    "boundary_explorer", "BoundaryExplorer", "conv_explorer", "ConvExplorer",
    # helpers and constants the lessons, tests and tools use
    "epoch_orders", "replay_drift_epoch", "line_mse_and_grad", "first_layer_kinks", "second_layer_kinks",
    "prose_html", "DPI", "LR_FORMAT", "LAYERS", "MAX_ROWS", "MAX_COLS", "REPLAY_RTOL", "REPLAY_ATOL",
    "W_RANGE", "B_RANGE", "LANDSCAPE_MIN_REFERENCE", "PROBE_X", "conv_map", "HAND_FILTERS",
]
