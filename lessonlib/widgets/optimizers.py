"""Learning rate and optimizer explorer (lessons 06, 07): fit()'s losses for every slider setting."""
from __future__ import annotations

import math
import time

import ipywidgets as w
import numpy as np

from .. import explorer_grid, manual, plots
from ..data import LineData, make_line_data
from ..model import make_model
from ..text import prose_html, rtl_div, t
from ..train import OPTIMIZERS, History, untrained_loss
from ._batch_order import epoch_orders
from ._common import _STYLE, _finite_or_nan, _frame, _html, _lr_slider, _plain, _png_img, _row


def _optimizer_options() -> list[tuple[str, str]]:
    return [(_plain(t(f"widgets.opt.{name}")), name) for name in OPTIMIZERS]


# The NumPy float32 re-run "agrees" with fit() at an epoch when both its train and val loss are
# within REPLAY_RTOL x fit()'s loss + REPLAY_ATOL (an MSE of 1e-3 is a 0.03 error on y in [-19, 21]:
# invisible on the plot). Measured on the whole grid (`python -m tools.bench --grid-every 1`): the re-run stays within this
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
            self.data.tensors(), lesson.tensors(), strict=True))
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
