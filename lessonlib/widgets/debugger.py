"""The training-step debugger (lessons 04, 05, 06, 08): one button per step, what each click changed."""
from __future__ import annotations

import math

import ipywidgets as w
import numpy as np
import torch

from .. import plots
from ..data import LineData, make_line_data, true_fn
from ..model import make_model
from ..stepper import STEPS, Stepper, StepRecord
from ..text import prose_html, rtl_div, t
from ..train import DIVERGENCE_FACTOR, diverged, intra_op_threads, make_optimizer, untrained_loss
from . import _param_table
from ._batch_order import _BatchOrder
from ._common import _GAP, _STYLE, _Redraw, _button, _frame, _html, _plain, _row, _toggle

LAYERS = ("0", "2", "4")      # the Linear layers of the lesson's nn.Sequential


def _used_gradients(rec: StepRecord) -> bool:
    """A step() that ran the update with the batch's gradients (even at lr 0, moving nothing); the
    Stepper refuses the others (no gradients yet, gradients of an old batch) and changes nothing."""
    return rec.step == "step" and rec.problem in (None, "step_twice", "nonfinite_weights")


def _is_update(rec: StepRecord) -> bool:
    """A step() that updated the parameters: one that used fresh gradients and moved them, or wrote
    inf/NaN into them (NaN written over NaN included: the update ran, it had nothing left to change)."""
    return _used_gradients(rec) and (bool(rec.params_changed) or rec.problem == "nonfinite_weights")


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
        self.updates = 0                   # step() calls that updated the parameters (_is_update)
        self._batch_done = False           # step() has used this batch: the next forward takes a new one
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
        if _used_gradients(rec):
            self._batch_done = True
        if _is_update(rec):
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
        updates = sum(1 for r in recs if _is_update(r))        # counted as the status counts them
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
        # a click moves the prediction line and the title only; the legend and the spines are
        # drawn over the line, so they are redrawn with it (_Redraw)
        self._redraw = _Redraw(fig, [self._pred_line, ax.title, ax.get_legend(), *ax.spines.values()])
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
        return _param_table.layer_cells(layer, dict(self.model.named_parameters())[f"{layer}.weight"].shape)

    def _show_table(self) -> None:
        layer = self.layer_dropdown.value
        self.table_html.value = _param_table.param_table_html(dict(self.model.named_parameters()), layer,
                                                              self._before, self._layer_shape(layer))

    def _show_plot(self) -> None:
        with torch.no_grad():
            y = self.model(self._xs).numpy().reshape(-1).astype(np.float64)
        self._pred_line.set_ydata(np.where(np.isfinite(y), y, np.nan))
        title = plots.tr("widgets.dbg.plot_title", updates=self.updates)
        self._ax.set_title(title)
        alt = t("widgets.dbg.plot_title", updates=self.updates)
        self.plot_html.value = self._redraw.png_img("lessonlib-plot-img", alt=alt)
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
