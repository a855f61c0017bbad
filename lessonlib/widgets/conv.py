"""A filter sliding over an image (lesson 10): every output value computed from its 3x3 window.

The student picks an image (one per class of lesson 10's bars) and a filter (three made by hand, and
the six of the lesson's trained conv layer when a model is given), then moves the window with the
buttons or the sliders. The widget shows the padded image with the window, the filter, the output
map filled in up to the window's place, the nine products and their sum plus the bias: the same
computation as the lesson's cell "by hand, for one window" (padding 1, stride 1, no flip).
"""
from __future__ import annotations

import ipywidgets as w
import numpy as np
from matplotlib.patches import Rectangle

from .. import plots
from ..data import BAR_CLASSES, ImageData, make_bar_images
from ..text import is_rtl, prose_html, rtl_div, t
from ._common import _CELL, _STYLE, _button, _fmt, _frame, _html, _num, _plain, _png_img, _row, _scroll_table

# line detectors made by hand: a bright line through the window's middle gives 3 * 2 - 0 = 6 on clean bars
HAND_FILTERS = {
    "horizontal": np.array([[-1.0, -1.0, -1.0], [2.0, 2.0, 2.0], [-1.0, -1.0, -1.0]]),
    "vertical": np.array([[-1.0, 2.0, -1.0], [-1.0, 2.0, -1.0], [-1.0, 2.0, -1.0]]),
    "diagonal": np.array([[2.0, -1.0, -1.0], [-1.0, 2.0, -1.0], [-1.0, -1.0, 2.0]]),
}
PAD = 1   # the lesson's padding: the output map has the image's size


def conv_map(image: np.ndarray, kernel: np.ndarray, bias: float = 0.0) -> np.ndarray:
    """What nn.Conv2d(1, 1, 3, padding=1) computes for one (H, W) image: every window times the filter, summed, + bias."""
    padded = np.pad(np.asarray(image, dtype=np.float64), PAD)
    k = kernel.shape[0]
    h, wd = padded.shape[0] - k + 1, padded.shape[1] - k + 1
    return np.array([[float((padded[i:i + k, j:j + k] * kernel).sum()) + bias for j in range(wd)] for i in range(h)])


def _first_conv(model):
    """The first nn.Conv2d of `model` with one input channel and square filters, or None."""
    from torch import nn
    for m in (model.modules() if hasattr(model, "modules") else ()):
        if isinstance(m, nn.Conv2d) and m.in_channels == 1 and m.kernel_size[0] == m.kernel_size[1]:
            return m
    return None


class ConvExplorer:
    """State and logic of conv_explorer(): the image, the filter, the window's place, what it computes."""

    def __init__(self, model=None, data: ImageData | None = None, seed: int = 0):
        data = data if data is not None else make_bar_images(seed=seed)
        first = [int(np.flatnonzero(data.y_val == label)[0]) for label in range(len(BAR_CLASSES))]
        self.images = [(t(f"cnn.class.{label}"), data.x_val[i, 0].astype(np.float64)) for label, i in enumerate(first)]
        self.filters = [(t(f"cnn.w.hand.{name}"), k, 0.0) for name, k in HAND_FILTERS.items()]
        conv = _first_conv(model) if model is not None else None
        self.learned = conv is not None
        if conv is not None:
            weight = conv.weight.detach().double().cpu().numpy()
            bias = conv.bias.detach().double().cpu().numpy() if conv.bias is not None else np.zeros(len(weight))
            self.filters += [(t("cnn.w.learned", k=k), weight[k, 0], float(bias[k])) for k in range(len(weight))]
        self.no_conv = model is not None and conv is None
        size = self.images[0][1].shape[0]
        self.image_dd = w.Dropdown(options=[(_plain(name), i) for i, (name, _) in enumerate(self.images)], value=0,
                                   description=_plain(t("cnn.w.image")), style=_STYLE)
        self.filter_dd = w.Dropdown(options=[(_plain(name), i) for i, (name, _, _) in enumerate(self.filters)], value=0,
                                    description=_plain(t("cnn.w.filter")), style=_STYLE)
        self.row_slider = w.IntSlider(value=0, min=0, max=size - 1, description=_plain(t("cnn.w.row")),
                                      continuous_update=False, style=_STYLE)
        self.col_slider = w.IntSlider(value=0, min=0, max=size - 1, description=_plain(t("cnn.w.col")),
                                      continuous_update=False, style=_STYLE)
        self.image_dd.add_class("lessonlib-conv-image")
        self.filter_dd.add_class("lessonlib-conv-filter")
        self.row_slider.add_class("lessonlib-conv-row")
        self.col_slider.add_class("lessonlib-conv-col")
        self.prev_button = _button(t("cnn.w.prev"), "lessonlib-conv-prev", t("cnn.w.prev_tip"))
        self.next_button = _button(t("cnn.w.next"), "lessonlib-conv-next", t("cnn.w.next_tip"))
        self.prev_button.on_click(lambda _b: self.move(-1))
        self.next_button.on_click(lambda _b: self.move(+1))
        self._busy = False
        for control in (self.image_dd, self.filter_dd, self.row_slider, self.col_slider):
            control.observe(lambda _c: None if self._busy else self.update(), names="value")
        self.plot_html = _html("lessonlib-plot")
        self.calc_html = _html("lessonlib-conv-calc")
        self.calc_html.add_class("lessonlib-table-html")
        self.message_html = _html("lessonlib-message")
        self._fig, axes = plots.new_figure(figsize=(7.6, 2.9), ncols=3)
        # image -> filter -> output map in the reading direction: from the right in Hebrew
        self._ax_in, self._ax_k, self._ax_out = axes[::-1] if is_rtl() else axes
        self.ui = _frame([_row([self.image_dd, self.filter_dd]), _row([self.row_slider, self.col_slider]),
                          _row([self.prev_button, self.next_button]), self.plot_html, self.calc_html,
                          self.message_html], "lessonlib-conv-explorer")
        self.update()

    # ---- the state ----------------------------------------------------------------------------
    @property
    def position(self) -> tuple[int, int]:
        return int(self.row_slider.value), int(self.col_slider.value)

    @property
    def image(self) -> np.ndarray:
        return self.images[self.image_dd.value][1]

    @property
    def kernel(self) -> tuple[np.ndarray, float]:
        _, k, b = self.filters[self.filter_dd.value]
        return k, b

    def window(self) -> np.ndarray:
        """The 3x3 window of the padded image centred on the current pixel."""
        r, c = self.position
        k = self.kernel[0].shape[0]
        return np.pad(self.image, PAD)[r:r + k, c:c + k]

    def value(self) -> float:
        kernel, bias = self.kernel
        return float((self.window() * kernel).sum()) + bias

    def set_position(self, r: int, c: int) -> None:
        self._busy = True
        try:
            self.row_slider.value, self.col_slider.value = int(r), int(c)
        finally:
            self._busy = False
        self.update()

    def move(self, step: int) -> None:
        """One place on in reading order (row by row, left to right), wrapping around at the ends."""
        size = self.row_slider.max + 1
        r, c = self.position
        flat = (r * size + c + step) % (size * size)
        self.set_position(flat // size, flat % size)

    # ---- what is shown --------------------------------------------------------------------------
    def _calc_table(self) -> str:
        kernel, _ = self.kernel
        win = self.window()
        rows = []
        for i in range(win.shape[0]):
            cells = "".join(f'<td data-name="product[{i},{j}]" style="{_CELL} text-align: center;">'
                            f'{_num(f"{_fmt(win[i, j] + 0.0)} × {_fmt(kernel[i, j] + 0.0)} = {_fmt(win[i, j] * kernel[i, j] + 0.0)}")}</td>'
                            for j in range(win.shape[1]))
            rows.append(f"<tr>{cells}</tr>")
        return _scroll_table(f'<table>{"".join(rows)}</table>', ltr_grid=True)   # a grid: left to right

    def update(self) -> None:
        r, c = self.position
        kernel, bias = self.kernel
        products = float((self.window() * kernel).sum())
        value = products + bias
        lines = [t("cnn.w.sum", r=r, c=c, products=products, bias=bias, value=value),
                 t("cnn.w.where", r=r, c=c)]
        if self.no_conv:
            lines.append(t("cnn.w.no_conv"))
        self.calc_html.value = (rtl_div(f"<p><b>{prose_html(t('cnn.w.products'))}</b></p>") + self._calc_table())
        self.message_html.value = rtl_div("".join(f"<p>{prose_html(line)}</p>" for line in lines))
        self._draw(r, c, kernel, bias)

    def _draw(self, r: int, c: int, kernel: np.ndarray, bias: float) -> None:
        ax_in, ax_k, ax_out = self._ax_in, self._ax_k, self._ax_out
        for ax in (ax_in, ax_k, ax_out):
            ax.clear()
            ax.set_xticks([])
            ax.set_yticks([])
        padded = np.pad(self.image, PAD)
        ax_in.imshow(padded, cmap="gray", vmin=-1.0, vmax=1.5)
        k = kernel.shape[0]
        size = self.image.shape[0]
        ax_in.add_patch(Rectangle((PAD - 0.5, PAD - 0.5), size, size, fill=False, ec="tab:blue", lw=1, ls="--"))
        ax_in.add_patch(Rectangle((c - 0.5, r - 0.5), k, k, fill=False, ec="tab:red", lw=2.5))
        ax_in.set_title(plots.tr("cnn.w.title.image"), fontsize=plots.SMALL_FONT + 1)
        lim = float(np.abs(kernel).max()) or 1.0
        ax_k.imshow(kernel, cmap="bwr", vmin=-lim, vmax=lim)
        for (i, j), v in np.ndenumerate(kernel):
            ax_k.text(j, i, f"{v:.2f}", ha="center", va="center", fontsize=plots.SMALL_FONT)
        ax_k.set_title(plots.tr("cnn.w.title.filter"), fontsize=plots.SMALL_FONT + 1)
        out = conv_map(self.image, kernel, bias)
        size = out.shape[1]
        shown = np.where(np.arange(out.size).reshape(out.shape) <= r * size + c, out, np.nan)   # up to the window
        span = float(np.abs(out).max()) or 1.0
        ax_out.imshow(shown, cmap="viridis", vmin=-span, vmax=span)
        ax_out.add_patch(Rectangle((c - 0.5, r - 0.5), 1, 1, fill=False, ec="tab:red", lw=2.5))
        ax_out.set_title(plots.tr("cnn.w.title.output"), fontsize=plots.SMALL_FONT + 1)
        self.plot_html.value = _png_img(self._fig, "lessonlib-plot-img", alt=t("cnn.w.title.output"))


def conv_explorer(model=None, data: ImageData | None = None, seed: int = 0):
    """A 3x3 filter sliding over one of lesson 10's images, each output value computed in front of the student.

    With `model` (lesson 10's trained net), its conv layer's filters are offered next to the three made by
    hand. Returns (ui, ctl).
    """
    ctl = ConvExplorer(model=model, data=data, seed=seed)
    return ctl.ui, ctl
