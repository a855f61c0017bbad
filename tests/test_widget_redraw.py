"""Widget plots redrawn in part (lessonlib.widgets._common._Redraw) give the PNG a full redraw gives.

A redraw puts back the pixels of everything that does not change and draws only the artists that
do. The oracle here is the ordinary full draw of the same figure (matplotlib's own Agg draw and
PNG writer): the two must be equal byte for byte after every kind of click, and with the line
where a full draw puts other artists over it: across the legend, on the frame, off the axes.
"""
from __future__ import annotations

import io

import numpy as np
import pytest

pytest.importorskip("ipywidgets")

from lessonlib.widgets import step_debugger  # noqa: E402
from lessonlib.widgets._common import _png_img  # noqa: E402
from tests.test_widgets import png_bytes  # noqa: E402


def full_redraw(redraw) -> bytes:
    """The figure drawn whole, as before _Redraw: every artist in one ordinary draw."""
    assert not any(a.get_animated() for a in redraw.changing), "the figure must stay whole for others"
    return png_bytes(_png_img(redraw.fig, "x"))


def pixels(png: bytes) -> np.ndarray:
    from PIL import Image
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGBA"))


CLICKS = ["forward", "loss", "zero_grad", "backward", "step", "batch", "epoch", "step", "reset", "epoch"]


@pytest.mark.parametrize("lang", ["he", "en"])
def test_the_debugger_redraw_is_the_full_redraw(lang, language):
    language(lang)
    ui, dbg = step_debugger()
    shown = [png_bytes(dbg.plot_html.value)]
    for name in CLICKS:
        dbg.click(name)
        png = png_bytes(dbg.plot_html.value)
        assert png == full_redraw(dbg._redraw), f"after {name!r} the partial redraw differs from a full one"
        shown.append(png)
    # the plot did move (a redraw that never changed would pass the equality above trivially)
    assert len(set(shown)) >= 4, "the prediction line should move across these clicks"


@pytest.mark.parametrize("line", ["through the legend", "along the top edge", "off the axes"])
def test_a_line_through_the_legend_and_frame_is_drawn_under_them(line):
    """The legend (upper left) and the axes' frame are drawn over the prediction line in a full draw;
    a partial redraw must keep them on top wherever the line goes."""
    ui, dbg = step_debugger()
    xs = dbg._pred_line.get_xdata()
    y = {"through the legend": -2.0 * xs,            # from (-10, 20): across the legend's corner
         "along the top edge": np.full_like(xs, 25.0),  # on the top spine (ylim is -25..25)
         "off the axes": 40.0 * np.sin(xs)}[line]
    plain = png_bytes(dbg._redraw.png_img("x"))
    dbg._pred_line.set_ydata(y)
    png = png_bytes(dbg._redraw.png_img("x"))
    assert png != plain
    assert png == full_redraw(dbg._redraw)


def test_the_figure_itself_still_draws_whole():
    """Whoever saves the debugger's figure (savefig, a notebook's display) gets every artist, not the background."""
    ui, dbg = step_debugger()
    for name in ["forward", "loss", "zero_grad", "backward", "step"]:
        dbg.click(name)
    buf = io.BytesIO()
    dbg._fig.savefig(buf, format="png", dpi=dbg._fig.dpi)
    assert np.array_equal(pixels(buf.getvalue()), pixels(full_redraw(dbg._redraw)))
