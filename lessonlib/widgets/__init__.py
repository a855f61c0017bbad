r"""Interactive widgets for the lessons: the only lessonlib module that imports ipywidgets.

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

import base64
import functools
import html
import io
import math
import time

import ipywidgets as w
import numpy as np
import torch
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.layout_engine import PlaceHolderLayoutEngine

from .. import bidi, explorer_grid, manual, plots
from ..data import LineData, make_line_data, true_fn
from ..model import make_model, rng_state_after_init
from ..stepper import STEPS, Stepper, StepRecord
from ..text import escape, is_rtl, prose_html, rtl_div, t
from ..train import (DIVERGENCE_FACTOR, OPTIMIZERS, History, _fast_batches, diverged, fit, intra_op_threads,
                    make_optimizer, untrained_loss)

__all__ = ["step_debugger", "optimizer_explorer", "landscape_explorer", "learned_explorer",
           "StepDebugger", "OptimizerExplorer", "LandscapeExplorer", "LearnedExplorer", "epoch_orders",
           "prose_html"]

DPI = 80   # PNG resolution of widget plots: sharp enough, and small and fast to encode


# ---- small shared helpers ------------------------------------------------------------------------

def _fmt(v: float) -> str:
    """A table value: 4 decimals for everyday sizes, scientific notation for tiny/huge ones."""
    if not math.isfinite(v):
        return str(v)
    a = abs(v)
    return f"{v:.4f}" if a == 0 or 1e-3 <= a < 1e5 else f"{v:.3e}"


def _png_img(fig, css_class: str, alt: str = "") -> str:
    """The figure as an inline PNG <img> (works the same in ipywidgets 7 and 8).

    Rendered by the Agg canvas directly: savefig() would draw the figure twice while a layout
    engine is set. The first call lays the figure out (constrained layout); later calls keep
    that layout, which makes a redraw about twice as fast.
    """
    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    if fig.dpi != DPI:
        fig.set_dpi(DPI)
    buf = io.BytesIO()
    canvas.print_png(buf)
    if not isinstance(fig.get_layout_engine(), (type(None), PlaceHolderLayoutEngine)):
        fig.set_layout_engine("none")     # keeps the axes where constrained layout put them
    b64 = base64.b64encode(buf.getvalue()).decode("ascii")
    width = round(fig.get_figwidth() * DPI)
    # shown one PNG pixel per CSS pixel (its text sizes hold: tests/test_widgets.py), smaller
    # only where the box is narrower than the figure
    return (f'<img class="{css_class}" alt="{html.escape(alt, quote=True)}" width="{width}" '
            f'style="max-width: 100%; height: auto;" src="data:image/png;base64,{b64}">')


def _html(css_class: str, value: str = "") -> w.HTML:
    widget = w.HTML(value=value)
    widget.add_class(css_class)
    return widget


def _plain(text: str) -> str:
    """A plain string that reaches the browser (description, option, tooltip): its code, shapes and
    numbers isolated left to right in Hebrew (bidi.plain), e.g. "שכבה 2: nn.Linear(16, 16)"."""
    return bidi.plain(text)


def _button(description: str, css_class: str, tooltip: str = "") -> w.Button:
    button = w.Button(description=_plain(description), tooltip=_plain(tooltip or description),
                      layout=w.Layout(width="auto"))
    button.add_class(css_class)
    return button


def _toggle(description: str, tooltip: str, css_class: str) -> w.ToggleButton:
    """A switch; its tooltip is always set (without one, ipywidgets renders title="null")."""
    toggle = w.ToggleButton(value=False, description=_plain(description), tooltip=_plain(tooltip),
                            layout=w.Layout(width="auto"))
    toggle.add_class(css_class)
    return toggle


_STYLE = {"description_width": "initial"}

LR_FORMAT = ".3g"     # how every text prints a learning rate ({lr:.3g} in the catalog); the readouts too


def _lr_slider(value: float, min_exp: float, max_exp: float, css_class: str) -> tuple[w.FloatLogSlider, w.Label, w.HBox]:
    """A log-scale learning-rate slider whose readout prints the value as the texts do.

    The slider's own readout is formatted in the browser (d3-format keeps trailing zeros and
    rounds differently: 0.040 where the text says 0.0398), so it is hidden and a Label next to
    the track shows format(lr, LR_FORMAT), set from Python.
    """
    slider = w.FloatLogSlider(value=value, base=10, min=min_exp, max=max_exp, step=0.1, readout=False,
                              description=_plain(t("widgets.opt.lr")), continuous_update=False, style=_STYLE)
    slider.add_class(css_class)
    readout = w.Label(value=format(slider.value, LR_FORMAT))
    readout.add_class("lessonlib-lr-readout")

    def show(_change=None):
        readout.value = format(slider.value, LR_FORMAT)

    slider.observe(show, names="value")
    box = w.HBox([slider, readout])
    box.add_class("lessonlib-lr-box")
    return slider, readout, box


def _finite_or_nan(values) -> np.ndarray:
    a = np.asarray(values, dtype=np.float64)
    return np.where(np.isfinite(a), a, np.nan)


class _BatchOrder:
    """The training-set permutation of each epoch that fit(seed=seed) uses, one epoch at a time.

    Drawn with lessonlib.train's own batch function from the generator state fit() starts from;
    PyTorch's global generator is left untouched.
    """

    def __init__(self, seed: int, n: int, hidden: int = 16):
        self.n = n
        self._state = rng_state_after_init(seed, hidden)

    def next(self) -> np.ndarray:
        with torch.random.fork_rng(devices=[]):
            torch.set_rng_state(self._state)
            idx = torch.arange(self.n)
            (perm, _), = _fast_batches(idx, idx, self.n)    # one batch of n: the permutation
            self._state = torch.get_rng_state()
        return perm.numpy()


@functools.lru_cache(maxsize=8)
def _orders_cached(seed: int, n: int, epochs: int, hidden: int) -> tuple[np.ndarray, ...]:
    order = _BatchOrder(seed, n, hidden)
    orders = tuple(order.next() for _ in range(epochs))
    for perm in orders:
        perm.setflags(write=False)       # shared by every caller of the cache
    return orders


def epoch_orders(seed: int = 0, n: int = 160, epochs: int = 300, hidden: int = 16) -> tuple[np.ndarray, ...]:
    """The permutation of every epoch that fit(seed=seed) uses (DataLoader's order), cached."""
    return _orders_cached(int(seed), int(n), int(epochs), int(hidden))


# ---- 1. the training-step debugger ---------------------------------------------------------------

LAYERS = ("0", "2", "4")      # the Linear layers of the lesson's nn.Sequential
MAX_ROWS, MAX_COLS = 16, 4    # the parameter table shows at most this many rows and weight columns

_TABLE_CSS = """<style>
.lessonlib-param-table table { border-collapse: collapse; font-family: monospace; font-size: 12px; }
.lessonlib-param-table th, .lessonlib-param-table td { border: 1px solid #ccc; padding: 1px 6px; text-align: right;
  white-space: nowrap; }
.lessonlib-param-table th { background: #f2f2f2; }
.lessonlib-param-table td.changed { background: #ffe680; font-weight: bold; }
.lessonlib-param-table td.grad { color: #4a4a8a; }
.lessonlib-param-table td small { color: #a05000; font-weight: normal; display: block; }
</style>"""

# Every widget, both languages: an HTML part holding a table may be narrower than the table (it
# then scrolls inside its .lessonlib-table-scroll box instead of pushing the widget wider).
_WIDGET_CSS = """<style>
.lessonlib-widget .lessonlib-table-html, .lessonlib-widget .lessonlib-table-html > .widget-html-content,
.lessonlib-widget .lessonlib-table-column { min-width: 0; max-width: 100%; }
.lessonlib-widget .lessonlib-table-scroll { overflow-x: auto; max-width: 100%; }
</style>"""

# Hebrew: the whole widget reads right to left: rows of controls, buttons, labels, dropdowns,
# texts, tables and plots start on the right. A slider's track stays left to right (small values
# on the left, as on the plots' axes). ipywidgets puts the gap between a description and its
# control on the description's right (margin-right): in right-to-left rows it goes on its left.
_RTL_WIDGET_CSS = """<style>
.lessonlib-rtl, .lessonlib-rtl .widget-button, .lessonlib-rtl .widget-toggle-button, .lessonlib-rtl .widget-label,
.lessonlib-rtl select, .lessonlib-rtl .widget-hbox, .lessonlib-rtl .widget-vbox, .lessonlib-rtl .widget-slider,
.lessonlib-rtl .widget-dropdown, .lessonlib-rtl .widget-html, .lessonlib-rtl .widget-html-content { direction: rtl; }
.lessonlib-rtl .slider-container, .lessonlib-rtl .noUi-target, .lessonlib-rtl .ui-slider,
.lessonlib-rtl .widget-readout, .lessonlib-rtl .lessonlib-lr-readout { direction: ltr; }
.lessonlib-rtl .widget-inline-hbox .widget-label { margin-right: 0; margin-left: 8px; }
.lessonlib-rtl .widget-inline-hbox .widget-readout { margin-left: 0; margin-right: 8px; }
.lessonlib-rtl .widget-html-content { text-align: right; }
</style>"""

_GAP = "8px"     # between neighbouring controls, and between the columns of a widget


def _frame(children: list, css_class: str) -> w.VBox:
    """A widget's outer box: its class and CSS, and in Hebrew the right-to-left layout (class + CSS)."""
    css = _html("lessonlib-css", _WIDGET_CSS + (_RTL_WIDGET_CSS if is_rtl() else ""))
    if is_rtl():
        css.add_class("lessonlib-rtl-css")
    box = w.VBox([css] + list(children))
    _set_tooltips(box)
    box.add_class("lessonlib-widget")
    box.add_class(css_class)
    if is_rtl():
        box.add_class("lessonlib-rtl")
    return box


def _set_tooltips(widget) -> None:
    """Every control with a description gets a tooltip (its description, unless it has its own), and
    every other part an empty one: with None, ipywidgets renders title="null". ipywidgets 8 calls it
    `tooltip`; 7 calls it `tooltip` on buttons and `description_tooltip` elsewhere."""
    for child in getattr(widget, "children", ()):
        _set_tooltips(child)
    description = getattr(widget, "description", "")
    for name in ("tooltip", "description_tooltip"):     # 7's buttons have both
        if widget.has_trait(name) and not getattr(widget, name):
            setattr(widget, name, getattr(widget, "tooltip", None) or description or "")   # "", not None ("null")


def _row(children: list, css_class: str = "lessonlib-row") -> w.HBox:
    """A row of controls that wraps on a narrow page, with a gap between the controls."""
    row = w.HBox(children, layout=w.Layout(flex_flow="row wrap", grid_gap=_GAP))
    row.add_class(css_class)
    return row


def _scroll_table(table: str, ltr_grid: bool = False) -> str:
    """A table in a box that scrolls sideways when the table is wider than the widget.

    `ltr_grid`: a matrix-like table (indices, weights) read left to right in both languages:
    its box is left to right, so scrolling starts at the index column; in Hebrew the table sits
    on the right when it fits. Otherwise the table follows the language (Hebrew: columns start on
    the right, and so does the scroll).
    """
    rtl = is_rtl()
    if ltr_grid:
        align = "margin-left: auto; margin-right: 0;" if rtl else ""
        return (f'<div class="lessonlib-table-scroll" dir="ltr" style="overflow-x: auto; max-width: 100%;">'
                + table.replace("<table", f'<table style="{align}"', 1) + "</div>")
    return (f'<div class="lessonlib-table-scroll" dir="{"rtl" if rtl else "ltr"}" '
            f'style="overflow-x: auto; max-width: 100%;">{table}</div>')


_CELL = "padding: 2px 10px; white-space: nowrap;"     # value tables: room between the columns


def _num(text: str) -> str:
    """A number in a table cell: left to right even inside a Hebrew table (-0.5, not 0.5-)."""
    return f'<bdi dir="ltr">{text}</bdi>'


def _value(tensor: torch.Tensor | None, index: tuple) -> float | None:
    return None if tensor is None else float(tensor[index])


def _differs(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return (a is None) != (b is None)
    if math.isnan(a) and math.isnan(b):
        return False
    return a != b


class StepDebugger:
    """State and logic of step_debugger(): a lessonlib.Stepper on the lesson's batches, plus what to show.

    Every click runs Stepper steps (so out-of-order clicks get the Stepper's own explanations),
    then redraws the loss, the chosen layer's table (cells changed by the click highlighted),
    the explanation, and the fit (only when a parameter changed).
    """

    def __init__(self, seed: int = 0, lr: float = 0.005, optimizer: str = "sgd", layer: str = "0",
                 batch_size: int = 32, hidden: int = 16, data: LineData | None = None):
        if str(layer) not in LAYERS:
            raise ValueError(t("widgets.dbg.unknown_layer", got=layer, expected=list(LAYERS)))
        make_optimizer(optimizer, [torch.zeros(1, requires_grad=True)], lr)   # unknown names fail here, in words
        self.seed, self.lr, self.optimizer_name = seed, lr, optimizer
        self.batch_size, self.hidden = batch_size, hidden
        self.data = data if data is not None else make_line_data(seed=seed)
        self._x_train, self._y_train = (torch.from_numpy(a) for a in (self.data.x_train, self.data.y_train))
        self._xs = torch.linspace(-10, 10, 201).reshape(-1, 1)
        self.n_batches = math.ceil(self.data.train_size / batch_size)
        self.redraws = 0                   # how many times the plot was drawn (tests: only when params moved)
        self.last_records: list[StepRecord] = []
        self._build_ui(str(layer))
        self.reset()

    # ---- state -------------------------------------------------------------------------------
    def reset(self) -> None:
        """A fresh net and optimizer, epoch 1 batch 1, nothing computed yet."""
        self.model = make_model(self.seed, hidden=self.hidden)
        self.optimizer = make_optimizer(self.optimizer_name, self.model.parameters(), self.current_lr)
        self._order = _BatchOrder(self.seed, self.data.train_size, self.hidden)
        self.epoch, self.batch_index = 1, 0
        self._perm = self._order.next()
        self.stepper = Stepper(self.model, self.optimizer, *self._batch(0))
        self.reference_loss = untrained_loss(self.model, self.data)   # the divergence rule's reference
        self.records: list[StepRecord] = []
        self.updates = 0                   # step() calls that moved the parameters
        self._batch_done = False           # step() has updated with this batch: the next forward takes a new one
        self._next = 0                     # index in STEPS of the "next step"
        self._before = self.stepper.snapshot()
        self.last_records = []

    @property
    def current_lr(self) -> float:
        return self.lr * (100.0 if self.lr_x100.value else 1.0)

    def divergence_text(self) -> str:
        """The warning shown once a loss has diverged (the rule, with this net's numbers)."""
        return t("widgets.dbg.not_finite", factor=f"{DIVERGENCE_FACTOR:g}", reference=self.reference_loss)

    @property
    def skip_zero_grad(self) -> bool:
        return bool(self.skip_toggle.value)

    @property
    def next_step(self) -> str:
        """The step "next step" runs: the one after the last step clicked, in the lesson's order."""
        name = STEPS[self._next]
        if name == "zero_grad" and self.skip_zero_grad:
            name = "backward"
        return name

    def _batch(self, i: int):
        idx = torch.from_numpy(self._perm[i * self.batch_size:(i + 1) * self.batch_size].copy())
        return self._x_train[idx], self._y_train[idx]

    def _advance_batch(self) -> None:
        self.batch_index += 1
        if self.batch_index == self.n_batches:
            self.epoch, self.batch_index = self.epoch + 1, 0
            self._perm = self._order.next()
        self.stepper.set_batch(*self._batch(self.batch_index))
        self._batch_done = False

    def _run(self, name: str) -> tuple[StepRecord, bool]:
        """One Stepper step; a forward after a finished batch first takes the next batch."""
        new_batch = name == "forward" and self._batch_done
        if new_batch:
            self._advance_batch()
        rec = self.stepper.run(name)
        if name == "step" and (rec.params_changed or rec.problem == "nonfinite_weights") \
                and rec.problem in (None, "step_twice", "nonfinite_weights"):    # inf/NaN weights: still an update
            self._batch_done = True
            self.updates += 1
        self._next = (STEPS.index(name) + 1) % len(STEPS)
        self.records.append(rec)
        return rec, new_batch

    def _batch_steps(self) -> list[str]:
        return [s for s in STEPS if not (s == "zero_grad" and self.skip_zero_grad)]

    # ---- clicks ------------------------------------------------------------------------------
    def click(self, name: str) -> list[StepRecord]:
        """Click a button by name (one of STEPS, "next", "batch", "epoch", "reset"); returns its records."""
        self.buttons[name].click()
        return self.last_records

    def _on_click(self, name: str) -> None:
        before = self.stepper.snapshot()
        try:
            with intra_op_threads(1):
                if name == "reset":
                    self.reset()
                    message = self._msg_html([t("widgets.dbg.reset_done", seed=self.seed)])
                elif name in STEPS or name == "next":
                    step = self.next_step if name == "next" else name
                    rec, new_batch = self._run(step)
                    self.last_records = [rec]
                    message = self._single_message(rec, new_batch)
                elif name == "batch":
                    message = self._run_batch_message()
                elif name == "epoch":
                    message = self._run_epoch_message()
                else:
                    raise ValueError(name)
        except Exception as err:   # noqa: BLE001 - show it in the widget, then let Jupyter log it
            self.message_html.value = self._msg_html([t("widgets.error", error=f"{type(err).__name__}: {err}")])
            raise
        if name != "reset":
            self._before = before
        self._refresh(message, redraw=name == "reset" or self._params_moved(before))

    def _params_moved(self, before: dict) -> bool:
        """Did any parameter change value? (NaN staying NaN is no change.)"""
        def same(a, b):
            return torch.equal(a, b) or bool(((a == b) | (a.isnan() & b.isnan())).all())
        return any(not same(before[k], p.detach()) for k, p in self.model.named_parameters())

    def _run_batch(self) -> list[StepRecord]:
        recs = []
        for step in self._batch_steps():
            rec, _ = self._run(step)
            recs.append(rec)
        return recs

    def _run_batch_message(self) -> str:
        new_batch = self._batch_done
        recs = self._run_batch()
        self.last_records = recs
        lines = [t("widgets.dbg.batch_done", batch=self.batch_index + 1, batches=self.n_batches,
                   epoch=self.epoch, size=len(self.stepper.xb))]
        if new_batch:
            lines[0] = t("widgets.dbg.new_batch", batch=self.batch_index + 1, batches=self.n_batches,
                         epoch=self.epoch, size=len(self.stepper.xb)) + " " + lines[0]
        if self.skip_zero_grad:
            lines.append(t("widgets.dbg.skipped_zero_grad"))
        return self._msg_html(lines, recs)

    def batches_left(self) -> int:
        """How many batches "Run one epoch" runs: the rest of this epoch, where a batch already
        finished by hand (its step() done) is not run again; if the epoch is finished, the whole next one."""
        if not self._batch_done:
            return self.n_batches - self.batch_index
        return (self.n_batches - self.batch_index - 1) or self.n_batches

    def _run_epoch_message(self) -> str:
        remaining = self.batches_left()
        recs, weighted, samples = [], 0.0, 0
        for _ in range(remaining):
            batch = self._run_batch()
            recs += batch
            loss = next((r.loss for r in batch if r.step == "loss" and r.ok), None)
            if loss is not None:
                weighted += loss * len(self.stepper.xb)
                samples += len(self.stepper.xb)
        self.last_records = recs
        updates = sum(1 for r in recs if r.step == "step" and r.params_changed)
        lines = [t("widgets.dbg.epoch_done", epoch=self.epoch, batches=remaining, updates=updates,
                   loss=weighted / samples if samples else float("nan"))]
        if self.skip_zero_grad:
            lines.append(t("widgets.dbg.skipped_zero_grad"))
        problems = []
        for r in recs:
            if r.problem and r.problem not in {p.problem for p in problems}:
                problems.append(r)
        if problems:
            lines.append(t("widgets.dbg.epoch_problems"))
        return self._msg_html(lines, problems, seen=recs)

    def _single_message(self, rec: StepRecord, new_batch: bool) -> str:
        lines = []
        if new_batch:
            lines.append(t("widgets.dbg.new_batch", batch=self.batch_index + 1, batches=self.n_batches,
                           epoch=self.epoch, size=len(self.stepper.xb)))
        return self._msg_html(lines, [rec])

    def _msg_html(self, lines: list[str], recs: list[StepRecord] = (), seen: list[StepRecord] | None = None) -> str:
        """The explanation: `lines`, then each record's message; a warning if any loss in `seen` diverged.

        Diverged is fit()'s one definition (train.diverged): inf/NaN, or above DIVERGENCE_FACTOR x
        the untrained net's training loss.
        """
        parts = [f"<p>{prose_html(line)}</p>" for line in lines]
        if recs:
            items = []
            for r in recs:
                mark = "⚠️ " if r.problem else ""
                cls = "problem" if r.problem else "ok"
                items.append(f'<li class="{cls}" data-step="{r.step}" data-problem="{r.problem or ""}">{mark}'
                             f"<b>{prose_html(t('step.' + r.step))}</b>: {prose_html(r.message)}</li>")
            parts.append("<ul>" + "".join(items) + "</ul>")
        losses = [r.loss for r in (recs if seen is None else seen) if r.loss is not None]
        if self.stepper.loss is not None:
            losses.append(float(self.stepper.loss.detach()))
        if any(diverged(v, self.reference_loss) for v in losses):
            parts.append(f'<p class="problem">⚠️ {prose_html(self.divergence_text())}</p>')
        return rtl_div("".join(parts))

    # ---- switches ----------------------------------------------------------------------------
    def _on_lr_x100(self, change) -> None:
        lr = self.current_lr
        for group in self.optimizer.param_groups:
            group["lr"] = lr
        key = "widgets.dbg.lr_x100_on" if change["new"] else "widgets.dbg.lr_x100_off"
        self._refresh(self._msg_html([t(key, lr=lr)]), redraw=False)

    def _on_skip(self, change) -> None:
        key = "widgets.dbg.skip_on" if change["new"] else "widgets.dbg.skip_off"
        self._refresh(self._msg_html([t(key)]), redraw=False)

    # ---- what is shown -----------------------------------------------------------------------
    def _build_ui(self, layer: str) -> None:
        self.buttons: dict[str, w.Button] = {}
        for name in STEPS:
            self.buttons[name] = _button(t("step." + name), f"lessonlib-step-{name}")
        for name in ("next", "batch", "epoch", "reset"):
            self.buttons[name] = _button(t(f"widgets.dbg.button.{name}"), f"lessonlib-{name}")
        for name, button in self.buttons.items():
            button.on_click(lambda _b, name=name: self._on_click(name))
        self.buttons["reset"].button_style = "warning"
        self.buttons["next"].button_style = "primary"
        self.skip_toggle = _toggle(t("widgets.dbg.break.skip_zero_grad"), t("widgets.dbg.break.skip_zero_grad.tip"),
                                   "lessonlib-break-skip-zero-grad")
        self.lr_x100 = _toggle(t("widgets.dbg.break.lr_x100"), t("widgets.dbg.break.lr_x100.tip"),
                               "lessonlib-break-lr-x100")
        self.skip_toggle.observe(self._on_skip, names="value")
        self.lr_x100.observe(self._on_lr_x100, names="value")
        self.layer_dropdown = w.Dropdown(
            options=[(_plain(t("widgets.dbg.layer_option", layer=k, shape=self._layer_shape(k))), k) for k in LAYERS],
            value=layer, description=_plain(t("widgets.dbg.layer")), style=_STYLE)
        self.layer_dropdown.add_class("lessonlib-layer")
        self.layer_dropdown.observe(lambda _c: self._show_table(), names="value")
        self.loss_html = _html("lessonlib-loss")
        self.status_html = _html("lessonlib-status")
        self.table_html = _html("lessonlib-param-table")
        self.table_html.add_class("lessonlib-table-html")
        self.message_html = _html("lessonlib-message")
        self.plot_html = _html("lessonlib-plot")
        self.plot_output = self.plot_html      # the plot's widget (an HTML <img>, not an Output)
        fig, ax = plots.new_figure(figsize=(5.0, 3.3))
        xs = self._xs.numpy().reshape(-1)
        ax.scatter(self.data.x_train, self.data.y_train, s=8, alpha=0.35, color="tab:green",
                   label=plots.tr("plot.train_points"))
        ax.plot(xs, true_fn(xs), "k--", lw=1.5, label=plots.tr("plot.truth"))
        (self._pred_line,) = ax.plot(xs, np.zeros_like(xs), lw=2, color="tab:blue", label=plots.tr("plot.prediction"))
        ax.set(xlim=(-10.5, 10.5), ylim=(-25, 25), xlabel=plots.tr("plot.x"), ylabel=plots.tr("plot.y"))
        ax.grid(True)
        ax.legend(loc="upper left", fontsize=plots.SMALL_FONT)
        self._fig, self._ax = fig, ax
        steps_row = _row([self.buttons[n] for n in STEPS])
        run_row = _row([self.buttons[n] for n in ("next", "batch", "epoch", "reset")])
        break_row = _row([self.skip_toggle, self.lr_x100, self.layer_dropdown])
        # two columns side by side where the page is wide enough (the table of layer "2" is as wide
        # as the explanation and plot together), the table under them where it is not; a table
        # wider than the page scrolls inside its own box, index and weights first
        left = w.VBox([self.loss_html, self.status_html, self.message_html, self.plot_html],
                      layout=w.Layout(flex="1 1 420px"))
        right = w.VBox([self.table_html], layout=w.Layout(flex="0 1 auto", min_width="0"))
        right.add_class("lessonlib-table-column")
        body = w.HBox([left, right], layout=w.Layout(flex_flow="row wrap", grid_gap=_GAP, align_items="flex-start"))
        body.add_class("lessonlib-columns")
        self.ui = _frame([steps_row, run_row, break_row, body], "lessonlib-step-debugger")

    def _layer_shape(self, layer: str) -> str:
        fan = {"0": (1, self.hidden), "2": (self.hidden, self.hidden), "4": (self.hidden, 1)}[layer]
        return f"nn.Linear({fan[0]}, {fan[1]})"

    def _refresh(self, message: str, redraw: bool) -> None:
        self._show_loss()
        self._show_status()
        self._show_table()
        self.message_html.value = message
        if redraw or self.redraws == 0:
            self._show_plot()

    def _show_loss(self) -> None:
        loss = self.stepper.loss
        if loss is None:
            value = '<span class="lessonlib-loss-value" data-value="">—</span>'
        else:
            v = float(loss.detach())
            value = f'<span class="lessonlib-loss-value" data-value="{v:.6g}">{v:.4f}</span>'
        label = prose_html(t("widgets.dbg.loss_label"))
        self.loss_html.value = rtl_div(f'<b>{label}</b> <bdi dir="ltr" style="font-size: 1.3em;">{value}</bdi>')

    def _show_status(self) -> None:
        text = t("widgets.dbg.status", epoch=self.epoch, batch=self.batch_index + 1, batches=self.n_batches,
                 size=len(self.stepper.xb), lr=self.optimizer.param_groups[0]["lr"], updates=self.updates,
                 next=t("step." + self.next_step))
        self.status_html.value = rtl_div(f"<small>{prose_html(text)}</small>")
        next_named = _plain(t("widgets.dbg.button.next_named", step=t("step." + self.next_step)))
        self.buttons["next"].description = self.buttons["next"].tooltip = next_named

    def layer_cells(self, layer: str | None = None) -> list[list[tuple[str, tuple]]]:
        """Rows of (parameter name, index) shown for a layer: at most MAX_ROWS x (MAX_COLS + 1)."""
        layer = layer or self.layer_dropdown.value
        W = dict(self.model.named_parameters())[f"{layer}.weight"]
        out, fan_in = W.shape
        rows = []
        if out > 1:
            for i in range(min(out, MAX_ROWS)):
                rows.append([(f"{layer}.weight", (i, j)) for j in range(min(fan_in, MAX_COLS))]
                            + [(f"{layer}.bias", (i,))])
        else:   # one output unit: its weight row is shown as a column
            for j in range(min(fan_in, MAX_ROWS)):
                rows.append([(f"{layer}.weight", (0, j)), (f"{layer}.bias", (0,)) if j == 0 else None])
        return rows

    def _show_table(self) -> None:
        layer = self.layer_dropdown.value
        params = dict(self.model.named_parameters())
        W = params[f"{layer}.weight"]
        out, fan_in = W.shape
        rows = self.layer_cells(layer)
        before = self._before

        def cell(spec, grad: bool) -> str:
            if spec is None:
                return "<td></td>"
            pname, index = spec
            key = pname + (".grad" if grad else "")
            p = params[pname]
            now = _value(p.grad if grad else p.detach(), index)
            was = _value(before[key], index)
            changed = _differs(was, now)
            classes = ("changed" if changed else "unchanged") + (" grad" if grad else "")
            name = f"{key}[{','.join(str(i) for i in index)}]"
            if now is None:
                return f'<td data-name="{name}" data-value="None" class="{classes}">None</td>'
            extra = ""
            if changed and not grad and was is not None:
                extra = f"<small>Δ {_fmt(now - was)}</small>"
            elif changed and grad and was is None:
                extra = "<small>None →</small>"
            return f'<td data-name="{name}" data-value="{now:.6g}" class="{classes}">{_fmt(now)}{extra}</td>'

        if out > 1:
            wcols = [f"weight[i, {j}]" for j in range(min(fan_in, MAX_COLS))]
            head = ["i"] + wcols + ["bias[i]"] + [c.replace("weight", "weight.grad") for c in wcols] + ["bias.grad[i]"]
        else:
            head = ["j", "weight[0, j]", "bias[0]", "weight.grad[0, j]", "bias.grad[0]"]
        lines = ["<tr>" + "".join(f"<th>{escape(h)}</th>" for h in head) + "</tr>"]
        for r, specs in enumerate(rows):
            tds = [cell(s, False) for s in specs] + [cell(s, True) for s in specs]
            lines.append(f"<tr><th>{r}</th>{''.join(tds)}</tr>")
        notes = [t("widgets.dbg.table_caption", layer=layer, shape=self._layer_shape(layer),
                   wshape=tuple(W.shape), bshape=tuple(params[f"{layer}.bias"].shape))]
        if fan_in > MAX_COLS and out > 1:
            notes.append(t("widgets.dbg.table_compact", cols=MAX_COLS, total=fan_in))
        if out > MAX_ROWS:
            notes.append(t("widgets.dbg.table_rows", rows=MAX_ROWS, total=out))
        if out == 1:
            notes.append(t("widgets.dbg.table_transposed"))
        notes.append(t("widgets.dbg.table_legend"))
        caption = rtl_div("".join(f"<p><small>{prose_html(n)}</small></p>" for n in notes))
        self.table_html.value = _TABLE_CSS + caption + _scroll_table("<table>" + "".join(lines) + "</table>",
                                                                    ltr_grid=True)

    def _show_plot(self) -> None:
        with torch.no_grad():
            y = self.model(self._xs).numpy().reshape(-1).astype(np.float64)
        self._pred_line.set_ydata(np.where(np.isfinite(y), y, np.nan))
        title = plots.tr("widgets.dbg.plot_title", updates=self.updates)
        self._ax.set_title(title)
        alt = t("widgets.dbg.plot_title", updates=self.updates)
        self.plot_html.value = _png_img(self._fig, "lessonlib-plot-img", alt=alt)
        self.redraws += 1


def step_debugger(seed: int = 0, lr: float = 0.005, optimizer: str = "sgd", layer: str = "0",
                  batch_size: int = 32, data: LineData | None = None):
    """The training-step debugger (lessons 04, 05, 06, 08): one button per step, what each click changed.

    Returns (ui, dbg). `dbg.click("backward")` is the same as clicking the button.
    The default lr 0.005 is where plain SGD learns this net steadily (0.05 makes it oscillate
    and die); the "learning rate x100" switch then shows divergence.
    """
    dbg = StepDebugger(seed=seed, lr=lr, optimizer=optimizer, layer=layer, batch_size=batch_size, data=data)
    dbg._refresh(dbg._msg_html([t("widgets.dbg.start")]), redraw=True)
    return dbg.ui, dbg


# ---- 2. learning rate and optimizer explorer ----------------------------------------------------------

def _optimizer_options() -> list[tuple[str, str]]:
    return [(_plain(t(f"widgets.opt.{name}")), name) for name in OPTIMIZERS]


# The NumPy float32 re-run "agrees" with fit() at an epoch when both its train and val loss are
# within REPLAY_RTOL x fit()'s loss + REPLAY_ATOL (an MSE of 1e-3 is a 0.03 error on y in [-19, 21]:
# invisible on the plot). Measured on the whole grid (tests/bench.py): the re-run stays within this
# for all 300 epochs at 143 of 184 settings; at the other 41 (SGD at lr 0.01-0.025, RMSprop and
# Adam at mid-to-high rates) it drifts, and the explorer says so.
REPLAY_RTOL, REPLAY_ATOL = 1e-2, 1e-3


def replay_drift_epoch(truth: History, replay: History) -> int | None:
    """The first epoch where the re-run differs from fit() (losses or divergence verdict), or None."""
    for e in range(1, len(truth.train_loss) + 1):
        if e > len(replay.train_loss):
            return e
        for a, b in ((truth.train_loss[e - 1], replay.train_loss[e - 1]), (truth.val_loss[e - 1], replay.val_loss[e - 1])):
            if math.isfinite(a) and math.isfinite(b):
                if abs(a - b) > REPLAY_ATOL + REPLAY_RTOL * abs(a):
                    return e
            elif not (math.isnan(a) and math.isnan(b)) and a != b:
                return e
        if (truth.diverged_at == e) != (replay.diverged_at == e):
            return e
    return None


class OptimizerExplorer:
    """State and logic of optimizer_explorer(): fit()'s history for the setting, a NumPy re-run for the curve, redraw."""

    def __init__(self, seed: int = 0, lr: float = 0.01, optimizer: str = "adam", epochs: int = 300,
                 batch_size: int = 32, data: LineData | None = None, max_epochs: int = 300):
        if optimizer not in OPTIMIZERS:
            raise ValueError(t("train.unknown_optimizer", got=optimizer, expected=list(OPTIMIZERS)))
        self.seed, self.batch_size = seed, batch_size
        self.data = data if data is not None else make_line_data(seed=seed)
        self._init = manual.params_from_model(make_model(seed), dtype=np.float32)
        self._arrays = tuple(a.astype(np.float32) for a in
                             (self.data.x_train, self.data.y_train, self.data.x_val, self.data.y_val))
        self._reference = untrained_loss(make_model(seed), self.data)   # fit()'s divergence reference
        lesson = make_line_data(seed=seed)
        self._lesson_data = data is None or all(np.array_equal(a, b) for a, b in zip(
            self.data.tensors(), lesson.tensors()))
        self.replay: History | None = None      # the NumPy re-run (the fitted curve's weights)
        self.source = "fit"                     # "fit": history from fit() (explorer_grid); "replay": NumPy only
        self.drift_epoch: int | None = None     # first epoch where the re-run leaves fit() (chaotic), or None
        self.max_epochs = max(max_epochs, epochs)
        self.lr_slider, self.lr_readout, lr_box = _lr_slider(lr, -4, 0.5, "lessonlib-lr")
        self.optimizer_dropdown = w.Dropdown(options=_optimizer_options(), value=optimizer,
                                             description=_plain(t("widgets.opt.optimizer")), style=_STYLE)
        self.epochs_slider = w.IntSlider(value=epochs, min=1, max=self.max_epochs, step=1,
                                         description=_plain(t("widgets.opt.epochs")), continuous_update=False,
                                         style=_STYLE)
        for widget, css in ((self.optimizer_dropdown, "lessonlib-optimizer"), (self.epochs_slider, "lessonlib-epochs")):
            widget.add_class(css)
        for widget in (self.lr_slider, self.optimizer_dropdown, self.epochs_slider):
            widget.observe(lambda _c: self.retrain(), names="value")
        self.summary_html = _html("lessonlib-summary")
        self.message_html = _html("lessonlib-message")
        self.plot_html = _html("lessonlib-plot")
        self.ui = _frame([_row([lr_box, self.optimizer_dropdown, self.epochs_slider]),
                          self.summary_html, self.message_html, self.plot_html], "lessonlib-optimizer-explorer")
        self._fig, (self._ax_hist, self._ax_fit) = plots.new_figure(figsize=(9.6, 3.6), ncols=2)
        self._artists: dict = {}
        self.history: History | None = None
        self.params: dict[str, np.ndarray] = {}
        self.train_seconds = self.draw_seconds = 0.0
        self.retrain()

    @property
    def lr(self) -> float:
        return float(self.lr_slider.value)

    @property
    def optimizer(self) -> str:
        return self.optimizer_dropdown.value

    @property
    def epochs(self) -> int:
        return int(self.epochs_slider.value)

    def train(self) -> History:
        """fit()'s History for the current setting, and a NumPy float32 re-run for the fitted curve.

        On the sliders' grid (lesson data) the History is fit()'s own (lessonlib.explorer_grid);
        the re-run (self.replay) follows fit()'s batch order from the same initial weights and
        `drift_epoch` says where it leaves fit(). Off the grid the History is the re-run itself
        (`source` "replay"), with fit()'s divergence rule and reference loss.
        """
        truth = (explorer_grid.lookup(self.optimizer, self.lr, self.epochs, seed=self.seed,
                                      batch_size=self.batch_size) if self._lesson_data else None)
        lr = truth.lr if truth is not None else self.lr
        epochs = len(truth.train_loss) if truth is not None else self.epochs
        orders = epoch_orders(self.seed, self.data.train_size, self.max_epochs)
        params = {k: v.copy() for k, v in self._init.items()}
        start = time.perf_counter()
        out = manual.train(params, *self._arrays, optimizer=self.optimizer, lr=lr, epochs=epochs,
                           batch_orders=lambda epoch: orders[epoch - 1], batch_size=self.batch_size,
                           reference_loss=self._reference)
        self.train_seconds = time.perf_counter() - start
        self.replay = History(optimizer=self.optimizer, lr=lr, epochs=self.epochs, train_loss=out["train_loss"],
                              val_loss=out["val_loss"], diverged_at=out["diverged_at"], seconds=self.train_seconds,
                              reference_loss=self._reference)
        self.params = params
        if truth is None:
            self.source, self.drift_epoch = "replay", None
            return self.replay
        self.source, self.drift_epoch = "fit", replay_drift_epoch(truth, self.replay)
        return truth

    def predict(self, x: np.ndarray) -> np.ndarray:
        with np.errstate(all="ignore"):
            return manual.forward(self.params, np.asarray(x, dtype=np.float32).reshape(-1, 1))["y_hat"]

    def retrain(self) -> History:
        """Re-train with the current settings and redraw; divergence is explained, never raised."""
        self.history = hist = self.train()
        start = time.perf_counter()
        self._draw(hist)
        self.draw_seconds = time.perf_counter() - start
        return hist

    def _draw(self, hist: History) -> None:
        n_epochs = len(hist.train_loss)
        steps = n_epochs * math.ceil(self.data.train_size / self.batch_size)
        name = t(f"widgets.opt.{self.optimizer}")
        self._show_messages(hist, name, n_epochs, steps)
        if not self._artists:
            self._make_artists()
        a = self._artists
        train, val = _finite_or_nan(hist.train_loss), _finite_or_nan(hist.val_loss)
        epochs = np.arange(1, len(train) + 1)
        a["train"].set_data(epochs, train)
        a["val"].set_data(epochs, val)
        ax1 = self._ax_hist
        finite = np.concatenate([train[np.isfinite(train)], val[np.isfinite(val)]])
        finite = finite[finite > 0]
        lo, hi = (float(finite.min()), float(finite.max())) if finite.size else (1e-3, 1e3)
        ax1.set_xlim(0.5, max(len(train), 1) + 0.5)
        ax1.set_ylim(max(lo / 2, 1e-300), min(hi * 2, 1e300))
        a["diverged_line"].set_visible(hist.diverged)
        a["diverged_text"].set_visible(hist.diverged)
        if hist.diverged:
            a["diverged_line"].set_xdata([hist.diverged_at, hist.diverged_at])
            a["diverged_text"].set_text(plots.tr("widgets.opt.plot_diverged", epoch=hist.diverged_at))
        pred = _finite_or_nan(self.predict(self._xs))
        a["pred"].set_ydata(pred.reshape(-1))
        a["no_pred"].set_visible(not np.isfinite(pred).any())
        if np.isfinite(pred).any():
            lo, hi = max(np.nanmin(pred), -200.0), min(np.nanmax(pred), 200.0)
        else:
            lo, hi = -21.0, 21.0
        self._ax_fit.set_ylim(min(lo, -21.0) - 2, max(hi, 21.0) + 2)
        alt = t("widgets.opt.plot_alt", optimizer=name, lr=self.lr)
        self.plot_html.value = _png_img(self._fig, "lessonlib-plot-img", alt=alt)

    def source_message(self, steps: int) -> tuple[str, bool]:
        """(where the numbers come from, is it a warning): fit() itself, fit() with a drifting re-run, or NumPy only."""
        if self.source == "replay":
            return t("widgets.opt.source_replay", steps=steps, seconds=self.train_seconds), True
        if self.drift_epoch is None:
            return t("widgets.opt.source_fit", steps=steps, seconds=self.train_seconds, rtol=REPLAY_RTOL), False
        return t("widgets.opt.source_chaotic", epoch=self.drift_epoch, rtol=REPLAY_RTOL,
                 fit=self.history.train_loss[-1], replay=self.replay.train_loss[-1] if self.replay.train_loss
                 else math.nan), True

    def _show_messages(self, hist: History, name: str, n_epochs: int, steps: int) -> None:
        source, warn = self.source_message(steps)
        source_html = (f'<p class="problem">⚠️ {prose_html(source)}</p>' if warn
                       else f"<p><small>{prose_html(source)}</small></p>")
        if hist.diverged:
            self.summary_html.value = ""
            msg = hist.divergence_message() + " " + t("widgets.opt.diverged_hint")
            self.message_html.value = rtl_div(f'<p class="problem">⚠️ {prose_html(msg)}</p>' + source_html)
        else:
            self.summary_html.value = rtl_div("<p>" + prose_html(t(
                "widgets.opt.summary", optimizer=name, lr=hist.lr, epochs=n_epochs, steps=steps,
                train=hist.final_train_loss, val=hist.final_val_loss)) + "</p>")
            self.message_html.value = rtl_div(source_html)

    def _make_artists(self) -> None:
        """The two panels, drawn once by lessonlib.plots; later draws only move the lines (fast)."""
        ax1, ax2 = self._ax_hist, self._ax_fit
        plots.plot_history([1.0], [1.0], log=True, ax=ax1)
        plots.plot_fit(self.predict, self.data, ax=ax2)
        self._xs = ax2.lines[1].get_xdata().astype(np.float64)
        box = dict(facecolor="white", alpha=0.85, edgecolor="tab:red")
        self._artists = {
            "train": ax1.lines[0], "val": ax1.lines[1], "pred": ax2.lines[1],
            "diverged_line": ax1.axvline(1, color="tab:red", ls=":"),
            "diverged_text": ax1.text(0.5, 0.5, "", transform=ax1.transAxes, ha="center", va="center",
                                      color="tab:red", bbox=box),
            "no_pred": ax2.text(0.5, 0.5, plots.tr("widgets.opt.no_prediction"), transform=ax2.transAxes,
                                ha="center", va="center", color="tab:red", bbox=box),
        }


def optimizer_explorer(seed: int = 0, lr: float = 0.01, optimizer: str = "adam", epochs: int = 300,
                       data: LineData | None = None):
    """Learning rate (log slider), optimizer and epochs; re-trains the lesson's net live (lessons 06, 07).

    Returns (ui, ctl); `ctl.lr_slider.value = 0.1` re-trains as the slider's release does.
    """
    ctl = OptimizerExplorer(seed=seed, lr=lr, optimizer=optimizer, epochs=epochs, data=data)
    return ctl.ui, ctl


# ---- 3. loss landscape of the one-neuron model y = wx + b -------------------------------------------------

W_RANGE, B_RANGE = (-1.0, 5.0), (-4.0, 6.0)
LANDSCAPE_MIN_REFERENCE = 1e-3   # the divergence reference near the minimum (MSE 1e-3: a 0.03 error)


def line_mse_and_grad(w_: float, b_: float, x: np.ndarray, y: np.ndarray) -> tuple[float, float, float]:
    """MSE of y_hat = w x + b and its gradient: dL/dw = mean(2 (y_hat - y) x), dL/db = mean(2 (y_hat - y))."""
    err = w_ * x + b_ - y
    return float(np.mean(err * err)), float(np.mean(2 * err * x)), float(np.mean(2 * err))


class LandscapeExplorer:
    """State and logic of landscape_explorer(): the point (w, b), its gradient, the descent path."""

    def __init__(self, w0: float = 0.0, b0: float = -3.0, lr: float = 0.01, steps: int = 20,
                 data: LineData | None = None):
        self.data = data if data is not None else make_line_data()
        self.x = self.data.x_train.astype(np.float64).reshape(-1)
        self.y = self.data.y_train.astype(np.float64).reshape(-1)
        self.w_slider = w.FloatSlider(value=w0, min=W_RANGE[0], max=W_RANGE[1], step=0.05, readout_format=".2f",
                                      description="w", continuous_update=False, style=_STYLE)
        self.b_slider = w.FloatSlider(value=b0, min=B_RANGE[0], max=B_RANGE[1], step=0.05, readout_format=".2f",
                                      description="b", continuous_update=False, style=_STYLE)
        self.lr_slider, self.lr_readout, lr_box = _lr_slider(lr, -4, -1, "lessonlib-lr")
        self.steps_slider = w.IntSlider(value=steps, min=0, max=100, description=_plain(t("widgets.land.steps")),
                                        continuous_update=False, style=_STYLE)
        for widget, css in ((self.w_slider, "lessonlib-w"), (self.b_slider, "lessonlib-b"),
                            (self.steps_slider, "lessonlib-steps")):
            widget.add_class(css)
        for widget in (self.w_slider, self.b_slider, self.lr_slider, self.steps_slider):
            widget.observe(lambda _c: self.update(), names="value")
        self.values_html = _html("lessonlib-values")
        self.values_html.add_class("lessonlib-table-html")
        self.message_html = _html("lessonlib-message")
        self.plot_html = _html("lessonlib-plot")
        fig = plots.plot_landscape(self.x, self.y, w_range=W_RANGE, b_range=B_RANGE)
        ax = fig.axes[0]
        (self._path_line,) = ax.plot([], [], "o-", ms=3, color="tab:orange", label=plots.tr("widgets.land.path"))
        (self._point,) = ax.plot([], [], "o", ms=8, color="tab:red")
        self._arrow = None
        ax.set_xlim(*W_RANGE)
        ax.set_ylim(*B_RANGE)
        ax.legend(loc="upper right", fontsize=plots.SMALL_FONT)
        self._fig, self._ax = fig, ax
        texts = w.VBox([self.values_html, self.message_html], layout=w.Layout(flex="1 1 320px", min_width="0"))
        texts.add_class("lessonlib-table-column")
        body = w.HBox([self.plot_html, texts], layout=w.Layout(flex_flow="row wrap", grid_gap=_GAP,
                                                                 align_items="flex-start"))
        body.add_class("lessonlib-columns")
        self.ui = _frame([_row([self.w_slider, self.b_slider]), _row([lr_box, self.steps_slider]), body],
                         "lessonlib-landscape-explorer")
        self.update()

    @property
    def point(self) -> tuple[float, float]:
        return float(self.w_slider.value), float(self.b_slider.value)

    def gradient(self, w_: float | None = None, b_: float | None = None) -> tuple[float, float]:
        w0, b0 = self.point
        _, gw, gb = line_mse_and_grad(w0 if w_ is None else w_, b0 if b_ is None else b_, self.x, self.y)
        return gw, gb

    def loss(self, w_: float, b_: float) -> float:
        return line_mse_and_grad(w_, b_, self.x, self.y)[0]

    def descent_path(self) -> tuple[np.ndarray, int | None]:
        """(path, diverged_step): the points (w, b) of `steps` gradient-descent steps from the point.

        Divergence is lessonlib.train's one rule, with the starting point as the untrained model:
        the path stops at the first step whose loss is inf/NaN or above DIVERGENCE_FACTOR times
        the starting loss (floored at LANDSCAPE_MIN_REFERENCE, so a start at the minimum does not
        call rounding noise divergence); diverged_step is that step. `self.path_losses` holds the
        loss at every point of the path.
        """
        w_, b_ = self.point
        lr, path, left = float(self.lr_slider.value), [(w_, b_)], None
        losses = [self.loss(w_, b_)]
        reference = max(losses[0], LANDSCAPE_MIN_REFERENCE)
        with np.errstate(all="ignore"):
            for k in range(1, int(self.steps_slider.value) + 1):
                _, gw, gb = line_mse_and_grad(w_, b_, self.x, self.y)
                w_, b_ = w_ - lr * gw, b_ - lr * gb
                loss = self.loss(w_, b_) if math.isfinite(w_) and math.isfinite(b_) else math.inf
                if diverged(loss, reference):
                    left = k
                    if math.isfinite(loss):
                        path.append((w_, b_))
                        losses.append(loss)
                    break
                path.append((w_, b_))
                losses.append(loss)
        self.path_losses = losses
        return np.array(path), left

    def overshoot_step(self) -> int | None:
        """The first step of the path at which the loss went up (the step jumped past the valley), or None."""
        losses = self.path_losses
        return next((k for k in range(1, len(losses)) if losses[k] > losses[k - 1]), None)

    def update(self) -> None:
        w0, b0 = self.point
        loss0, gw, gb = line_mse_and_grad(w0, b0, self.x, self.y)
        path, diverged_step = self.descent_path()
        self.path, self.diverged_at = path, diverged_step
        lr, steps = float(self.lr_slider.value), len(path) - 1
        w1, b1 = path[-1]
        rows = [("w", w0), ("b", b0), ("MSE", loss0), ("dL/dw", gw), ("dL/db", gb)]
        after = [("w", w1), ("b", b1), ("MSE", self.loss(w1, b1))]
        self.values_html.value = (
            rtl_div(f"<p><b>{prose_html(t('widgets.land.at_point'))}</b></p>")
            + _value_table(rows)
            + rtl_div(f"<p><b>{prose_html(t('widgets.land.after_steps', steps=steps, lr=lr))}</b></p>")
            + _value_table(after, prefix="end."))
        lines = [t("widgets.land.explain")]
        losses, end = self.path_losses, self.path_losses[-1]
        rise = self.overshoot_step()
        self.overshoot_at = rise
        if diverged_step is not None:
            lines.append("⚠️ " + t("widgets.land.diverged", lr=lr, step=diverged_step, loss=end,
                                   factor=DIVERGENCE_FACTOR, start=loss0))
        elif rise is not None:
            lines.append("⚠️ " + t("widgets.land.overshoot", lr=lr, step=rise, before=losses[rise - 1],
                                   after=losses[rise], start=loss0, end=end,
                                   rises=sum(b > a for a, b in zip(losses, losses[1:])), steps=steps))
        elif steps and end < loss0:
            lines.append(t("widgets.land.converging", start=loss0, end=end))
        self.message_html.value = rtl_div("".join(f"<p>{prose_html(line)}</p>" for line in lines))
        self._draw(w0, b0, gw, gb)

    def _draw(self, w0: float, b0: float, gw: float, gb: float) -> None:
        path = self.path
        self._path_line.set_data(path[:, 0], path[:, 1])
        self._point.set_data([w0], [b0])
        if self._arrow is not None:
            self._arrow.remove()
        norm = math.hypot(gw, gb)
        if norm > 0:
            scale = 1.2 / norm    # the arrow shows the direction of -gradient, 1.2 units long
            self._arrow = self._ax.annotate("", xy=(w0 - gw * scale, b0 - gb * scale), xytext=(w0, b0),
                                            arrowprops=dict(arrowstyle="->", color="tab:red", lw=2))
        else:
            self._arrow = None
        self.plot_html.value = _png_img(self._fig, "lessonlib-plot-img", alt=t("plot.title.landscape"))


def _value_table(rows: list[tuple[str, float]], prefix: str = "") -> str:
    """A name/value table under its heading: in Hebrew the names on the right, like the heading."""
    body = "".join(f'<tr><th style="{_CELL} text-align: start;"><bdi dir="ltr">{escape(k)}</bdi></th>'
                   f'<td data-name="{prefix}{escape(k)}" data-value="{v:.6g}" style="{_CELL} text-align: right;">'
                   f"{_num(_fmt(v))}</td></tr>" for k, v in rows)
    return _scroll_table(f'<table style="border-collapse: collapse;">{body}</table>')


def landscape_explorer(w0: float = 0.0, b0: float = -3.0, lr: float = 0.01, steps: int = 20,
                       data: LineData | None = None):
    """The loss landscape of y = wx + b (lessons 03, 06): a point, its gradient, and gradient descent from it.

    Returns (ui, ctl); the w and b sliders move the point.
    """
    ctl = LandscapeExplorer(w0=w0, b0=b0, lr=lr, steps=steps, data=data)
    return ctl.ui, ctl


# ---- 4. what the network learned ------------------------------------------------------------------------

PROBE_X = (12.0, 100.0)   # outside the training range [-10, 10]: the original script's x = 12, and far away


def first_layer_kinks(params: dict) -> np.ndarray:
    """x where a first-layer unit's pre-activation W1 x + b1 crosses zero: x = -b1 / W1 (units with W1 != 0)."""
    W1, b1 = params["W1"].reshape(-1), params["b1"].reshape(-1)
    nz = W1 != 0
    return np.sort(-b1[nz] / W1[nz])


def second_layer_kinks(params: dict, x_range=(-120.0, 120.0), points: int = 24_001) -> np.ndarray:
    """x where a second-layer unit's pre-activation z2(x) crosses zero, found on a fine grid.

    z2 is linear in x between first-layer kinks; with those kinks added to the grid it is linear
    inside every cell, so linear interpolation finds each crossing exactly.
    """
    k1 = first_layer_kinks(params)
    grid = np.concatenate([np.linspace(*x_range, points), k1[(k1 > x_range[0]) & (k1 < x_range[1])]])
    xs = np.unique(grid).reshape(-1, 1)
    z2 = manual.forward(params, xs)["z2"]                  # (points, H)
    s = np.sign(z2)
    found = []
    for u in range(z2.shape[1]):
        z, sg = z2[:, u], s[:, u]
        cross = np.nonzero(sg[:-1] * sg[1:] < 0)[0]
        for i in cross:
            x0, x1 = xs[i, 0], xs[i + 1, 0]
            found.append(x0 - z[i] * (x1 - x0) / (z[i + 1] - z[i]))
    return np.sort(np.array(found, dtype=np.float64))


class LearnedExplorer:
    """State and logic of learned_explorer(): the trained net's curve, kinks, and extrapolation."""

    def __init__(self, model=None, seed: int = 0, data: LineData | None = None, x_max: float = 15.0):
        self.data = data if data is not None else make_line_data(seed=seed)
        if model is None:
            model = make_model(seed)
            fit(model, self.data, optimizer="adam", lr=0.01, epochs=300, seed=seed, progress=False, fast=True)
        self.model = model
        self.params = manual.params_from_model(model, dtype=np.float64)
        self.kinks1 = first_layer_kinks(self.params)
        self.kinks2 = second_layer_kinks(self.params)
        self.probes = [(x, float(self.predict(np.array([x]))[0]), float(true_fn(x))) for x in PROBE_X]
        self.range_slider = w.FloatSlider(value=x_max, min=10.0, max=110.0, step=5.0, readout_format=".0f",
                                          description=_plain(t("widgets.learned.range")), continuous_update=False,
                                          style=_STYLE)
        self.range_slider.add_class("lessonlib-x-range")
        self.range_slider.observe(lambda _c: self.update(), names="value")
        self.table_html = _html("lessonlib-probe-table")
        self.table_html.add_class("lessonlib-table-html")
        self.message_html = _html("lessonlib-message")
        self.plot_html = _html("lessonlib-plot")
        self._fig, self._ax = plots.new_figure(figsize=(6.4, 4.0))
        self.ui = _frame([self.range_slider, self.plot_html, self.table_html, self.message_html],
                         "lessonlib-learned-explorer")
        self._show_table()
        self.update()

    def predict(self, x: np.ndarray) -> np.ndarray:
        return manual.forward(self.params, np.asarray(x, dtype=np.float64).reshape(-1, 1))["y_hat"].reshape(-1)

    def slopes(self) -> tuple[float, float]:
        """Slope of the fitted function far left and far right (past every kink it is a straight line)."""
        far = max(200.0, 2 * float(np.max(np.abs(np.concatenate([self.kinks1, self.kinks2, [0.0]])))))
        y = self.predict(np.array([-far - 1, -far, far, far + 1]))
        return float(y[1] - y[0]), float(y[3] - y[2])

    def visible_kinks(self) -> tuple[np.ndarray, np.ndarray]:
        r = float(self.range_slider.value)
        return (self.kinks1[np.abs(self.kinks1) <= r], self.kinks2[np.abs(self.kinks2) <= r])

    def _show_table(self) -> None:
        head = [t("widgets.learned.col_x"), t("widgets.learned.col_pred"), t("widgets.learned.col_true"),
                t("widgets.learned.col_err"), t("widgets.learned.col_pct")]
        rows = []
        for x, pred, true in self.probes:
            err = abs(pred - true)
            cells = [("x", x, f"{x:g}"), ("pred", pred, f"{pred:.4f}"), ("true", true, f"{true:.4f}"),
                     ("err", err, f"{err:.4f}"), ("pct", 100 * err / abs(true), f"{100 * err / abs(true):.2f}%")]
            rows.append("<tr>" + "".join(f'<td data-name="{k}[{x:g}]" data-value="{v:.6g}" '
                                         f'style="{_CELL} text-align: right;">{_num(s)}</td>'
                                         for k, v, s in cells) + "</tr>")
        table = ("<tr>" + "".join(f'<th style="{_CELL} text-align: right;">{prose_html(h)}</th>' for h in head)
                 + "</tr>") + "".join(rows)
        self.table_html.value = (
            rtl_div(f"<p><b>{prose_html(t('widgets.learned.table_title'))}</b></p>")
            + _scroll_table(f'<table style="border-collapse: collapse;">{table}</table>'))

    def update(self) -> None:
        r = float(self.range_slider.value)
        k1, k2 = self.visible_kinks()
        left, right = self.slopes()
        lines = [t("widgets.learned.kinks", n1=len(k1), n2=len(k2), r=r, total1=len(self.kinks1),
                   total2=len(self.kinks2)),
                 t("widgets.learned.slopes", left=left, right=right),
                 t("widgets.learned.outside")]
        self.message_html.value = rtl_div("".join(f"<p>{prose_html(line)}</p>" for line in lines))
        ax = self._ax
        ax.clear()
        plots.plot_fit(self.predict, self.data, x_range=(-r, r), points=1000, ax=ax)
        if len(k1):
            ax.plot(k1, self.predict(k1), "^", ms=7, color="tab:purple", label=plots.tr("widgets.learned.kink1"))
        if len(k2):
            ax.plot(k2, self.predict(k2), "v", ms=7, color="tab:red", label=plots.tr("widgets.learned.kink2"))
        for x, pred, true in self.probes:
            if x <= r:
                ax.plot([x], [pred], "o", ms=8, mfc="none", mec="tab:red")
                ax.plot([x], [true], "kx", ms=8)
        ax.axvspan(-r, -10, color="0.92", zorder=0)
        ax.axvspan(10, r, color="0.92", zorder=0)
        ax.set_xlim(-r, r)
        ax.legend(fontsize=plots.SMALL_FONT, loc="upper left")
        self.plot_html.value = _png_img(self._fig, "lessonlib-plot-img", alt=t("plot.title.fit"))


def learned_explorer(model=None, seed: int = 0, data: LineData | None = None, x_max: float = 15.0):
    """What the network learned (lesson 07): its curve, the 16 + 16 ReLU kinks, x = 12 and x = 100.

    Trains the lesson's net (Adam, lr 0.01, 300 epochs) unless `model` is given. Returns (ui, ctl).
    """
    ctl = LearnedExplorer(model=model, seed=seed, data=data, x_max=x_max)
    return ctl.ui, ctl
