"""The loss landscape of the one-neuron model y = wx + b (lessons 03, 06): a point, its gradient, descent."""
from __future__ import annotations

import math

import ipywidgets as w
import numpy as np

from .. import plots
from ..data import LineData, make_line_data
from ..text import escape, prose_html, rtl_div, t
from ..train import DIVERGENCE_FACTOR, diverged
from ._common import (_CELL, _GAP, _STYLE, _fmt, _frame, _html, _lr_slider, _num, _plain, _png_img, _row,
                      _scroll_table)

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
                                   rises=sum(b > a for a, b in zip(losses, losses[1:], strict=False)), steps=steps))
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
