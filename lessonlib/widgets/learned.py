"""What the network learned (lesson 07): its curve, its ReLU kinks, and x = 12 and 100 outside the data."""
from __future__ import annotations

import ipywidgets as w
import numpy as np

from .. import manual, plots
from ..data import LineData, make_line_data, true_fn
from ..model import make_model
from ..text import prose_html, rtl_div, t
from ..train import fit
from ._common import _CELL, _STYLE, _frame, _html, _num, _plain, _png_img, _scroll_table

PROBE_X = (12.0, 100.0)   # outside the training range [-10, 10]: the original script's x = 12, and far away


def first_layer_kinks(params: dict) -> np.ndarray:
    """x where a first-layer unit's pre-activation W1 x + b1 crosses zero: x = -b1 / W1 (units with W1 != 0)."""
    W1, b1 = params["W1"].reshape(-1), params["b1"].reshape(-1)
    nz = W1 != 0
    return np.sort(-b1[nz] / W1[nz])


def _sign_changes(x: np.ndarray, z: np.ndarray) -> list[float]:
    """Where max(0, z) bends, for z linear between the points x (increasing): where z changes sign.

    A zero between two opposite signs is the crossing itself; a run of zeros (z = 0 on a whole
    piece) bends where the unit turns on (the run's last point) or off (its first). A zero that
    z only touches, keeping its sign on both sides, bends nothing.
    """
    found = []
    nonzero = np.nonzero(z)[0]
    for i, j in zip(nonzero[:-1], nonzero[1:], strict=True):
        if (z[i] > 0) == (z[j] > 0):
            continue
        if j == i + 1:
            found.append(x[i] - z[i] * (x[j] - x[i]) / (z[j] - z[i]))
        else:
            found.append(x[j - 1] if z[i] < 0 else x[i + 1])
    return found


def second_layer_kinks(params: dict) -> np.ndarray:
    """x where a second-layer unit's pre-activation z2(x) crosses zero, anywhere on the line.

    z2 is linear between first-layer kinks and beyond the outer ones, so each piece is solved
    exactly: the points are the first-layer kinks plus one point past every crossing of the
    two outer pieces.
    """
    k1 = np.unique(first_layer_kinks(params))
    inner = k1 if len(k1) else np.zeros(1)
    ends = np.array([inner[0] - 1.0, inner[-1] + 1.0])
    z_in, z_out = (manual.forward(params, v.reshape(-1, 1))["z2"] for v in (inner, ends))
    # the outer pieces: z2 = z_in[0] + slope (x - inner[0]) to the left, likewise to the right
    with np.errstate(divide="ignore", invalid="ignore"):
        left = inner[0] - z_in[0] / (z_in[0] - z_out[0])
        right = inner[-1] - z_in[-1] / (z_out[1] - z_in[-1])
    left, right = left[np.isfinite(left)], right[np.isfinite(right)]
    lo = min([inner[0] - 1.0] + [2 * v - inner[0] for v in left])        # past every outer crossing
    hi = max([inner[-1] + 1.0] + [2 * v - inner[-1] for v in right])
    xs = np.concatenate([[lo], inner, [hi]])
    z2 = manual.forward(params, xs.reshape(-1, 1))["z2"]
    return np.sort(np.array([r for u in range(z2.shape[1]) for r in _sign_changes(xs, z2[:, u])],
                            dtype=np.float64))


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
        y = self.predict(np.array([-2 * far, -far, far, 2 * far]))
        return float((y[1] - y[0]) / far), float((y[3] - y[2]) / far)

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
