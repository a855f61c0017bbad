"""What every widget shares: layout, right-to-left, CSS, small controls, and plots as PNG <img>.

A new widget builds its outer box with _frame(), rows of controls with _row(), text parts with
_html(), buttons and switches with _button() / _toggle(), a learning-rate slider with
_lr_slider(), plots with _png_img() (or _Redraw, where a click moves only a few artists), and
tables with _scroll_table() (+ _num / _fmt / _CELL).
Hebrew layout (lessonlib-rtl) and tooltips come with _frame(); plain strings that reach the
browser go through _plain() (bidi.plain).
"""
from __future__ import annotations

import base64
import html
import io
import math

import ipywidgets as w
import numpy as np
from matplotlib import image as mpl_image
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.layout_engine import PlaceHolderLayoutEngine

from .. import bidi
from ..text import is_rtl, t

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
    return _img_tag(fig, css_class, alt, buf.getvalue())


def _img_tag(fig, css_class: str, alt: str, png: bytes) -> str:
    b64 = base64.b64encode(png).decode("ascii")
    width = round(fig.get_figwidth() * DPI)
    # shown one PNG pixel per CSS pixel (its text sizes hold: tests/test_widgets.py), smaller
    # only where the box is narrower than the figure
    return (f'<img class="{css_class}" alt="{html.escape(alt, quote=True)}" width="{width}" '
            f'style="max-width: 100%; height: auto;" src="data:image/png;base64,{b64}">')


class _Redraw:
    """A widget plot whose `changing` artists are the only ones that move between redraws.

    The first png_img() draws the whole figure (laying it out, as _png_img does), then keeps
    the pixels of everything else: the points, grid, axes, ticks and labels that cost most of a
    draw (their text). Each later call puts those pixels back and draws only `changing` (in
    z-order, as a full draw does), then encodes the same PNG: byte for byte what a full redraw
    gives (tests/test_widget_redraw.py). Artists drawn above a changing one must be in
    `changing` too (the legend and the spines, over a line), or the line would cover them.
    """

    def __init__(self, fig, changing):
        self.fig = fig
        order = {id(a): i for i, a in enumerate(fig.axes[0].get_children())} if fig.axes else {}
        self.changing = sorted(changing, key=lambda a: (a.get_zorder(), order.get(id(a), 0)))
        self._background = None

    def png_img(self, css_class: str, alt: str = "") -> str:
        fig = self.fig
        canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
        if self._background is None or fig.dpi != DPI:
            img = _png_img(fig, css_class, alt)          # lays the figure out, once
            for a in self.changing:                      # (animated: left out of a draw, only
                a.set_animated(True)                     # while the background is taken, so the
            try:                                         # figure saves and shows whole elsewhere)
                canvas.draw()                            # everything that does not change
            finally:
                for a in self.changing:
                    a.set_animated(False)
            self._background = canvas.copy_from_bbox(fig.bbox)
            return img
        canvas.restore_region(self._background)
        renderer = canvas.get_renderer()
        for a in self.changing:
            a.draw(renderer)
        buf = io.BytesIO()
        mpl_image.imsave(buf, canvas.buffer_rgba(), format="png", origin="upper", dpi=fig.dpi)
        return _img_tag(fig, css_class, alt, buf.getvalue())


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


# ---- layout: the outer box, rows of controls, right to left, tables -------------------------------

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
        return ('<div class="lessonlib-table-scroll" dir="ltr" style="overflow-x: auto; max-width: 100%;">'
                + table.replace("<table", f'<table style="{align}"', 1) + "</div>")
    return (f'<div class="lessonlib-table-scroll" dir="{"rtl" if rtl else "ltr"}" '
            f'style="overflow-x: auto; max-width: 100%;">{table}</div>')


_CELL = "padding: 2px 10px; white-space: nowrap;"     # value tables: room between the columns


def _num(text: str) -> str:
    """A number in a table cell: left to right even inside a Hebrew table (-0.5, not 0.5-)."""
    return f'<bdi dir="ltr">{text}</bdi>'

