"""What a student sees and uses in the loss-landscape explorer (lessons 03, 06): lessonlib.widgets.landscape.

Every test reads what the widget shows: the sliders' settings and descriptions, the layout and its CSS
classes (the hooks the page's CSS and the browser tests use), the text of the value tables and of the
message (HTML tags stripped) in both languages, compared with literal sentences written out here, and the
drawn plot (path, point, arrow, legend, limits). Numbers come from literals or from a plain float64 NumPy
loop written here, never from the code under test.

Runs under ipywidgets 8 (the project env) and 7.7.1 (Colab's; `make test-colab`).
"""
import html
import inspect
import math
import re

import numpy as np
import pytest
from matplotlib.colors import to_hex
from matplotlib.text import Annotation

from lessonlib import make_line_data
from lessonlib.data import LineData
from lessonlib.plots import needs_bidi

w = pytest.importorskip("ipywidgets")
from lessonlib import widgets  # noqa: E402


@pytest.fixture
def lang(each_language):
    """The test in English, then in Hebrew (tests/conftest.py)."""
    return each_language


@pytest.fixture(scope="module")
def xy():
    data = make_line_data(0)
    return data.x_train.astype(np.float64).reshape(-1), data.y_train.astype(np.float64).reshape(-1)


# ---- independent references: the MSE, its gradient and plain gradient descent, written out ---------

def mse_grad(wv, bv, x, y):
    err = wv * x + bv - y
    return float(np.mean(err ** 2)), float(np.mean(2.0 * err * x)), float(np.mean(2.0 * err))


def plain_gd(w0, b0, lr, steps, x, y):
    path = [(w0, b0)]
    for _ in range(steps):
        _, gw, gb = mse_grad(*path[-1], x, y)
        path.append((path[-1][0] - lr * gw, path[-1][1] - lr * gb))
    return np.array(path)


def exact_line_data():
    """Five points exactly on y = 2x + 1 (small integers: every sum exact), all of them for training."""
    x = np.array([-2.0, -1.0, 0.0, 1.0, 2.0], dtype=np.float32).reshape(-1, 1)
    idx = np.arange(5)
    return LineData(x=x, y=2 * x + 1, idx=idx, train_idx=idx, val_idx=idx[:0])


# ---- reading what is displayed -----------------------------------------------------------------------

def text(value: str) -> str:
    """An HTML value as read: block tags as a space, inline ones dropped, entities decoded, spaces collapsed."""
    value = re.sub(r"</?(?:p|li|ul|div|tr|td|th|br|table|small)\b[^>]*>", " ", value)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", value))).strip()


def paragraphs(value: str) -> list[str]:
    return [text(p) for p in re.findall(r"<p\b[^>]*>(.*?)</p>", value, re.S)]


def tables(value: str) -> list[list[list[str]]]:
    """Every table's cells (th and td), row by row, as read."""
    return [[[text(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
             for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)]
            for table in re.findall(r"<table[^>]*>(.*?)</table>", value, re.S)]


def assert_shows(shown: str, value: float) -> None:
    """`shown` is `value` with 4 decimals (the tables' everyday format)."""
    assert re.fullmatch(r"-?\d+\.\d{4}", shown), (shown, value)
    assert abs(float(shown) - value) <= 0.5e-4 + 1e-9, (shown, value)


def arrows(ax):
    """[(tail, head, patch)] of every arrow drawn: annotate("", xy=head, xytext=tail)."""
    return [(np.array(a.xyann, dtype=float), np.array(a.xy, dtype=float), a.arrow_patch)
            for a in ax.texts if isinstance(a, Annotation) and a.arrow_patch is not None]


def for_plot(s: str) -> str:
    """A Hebrew-only label as matplotlib is handed it: reversed where it draws in storage order (< 3.11)."""
    return s[::-1] if needs_bidi() else s


def descendants(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from descendants(child)


# ---- the call signature and the controls -------------------------------------------------------------

def test_defaults_the_lessons_rely_on():
    """Lessons 03 and 06 call landscape_explorer() and LandscapeExplorer() with no arguments."""
    want = {"w0": 0.0, "b0": -3.0, "lr": 0.01, "steps": 20, "data": None}
    for f in (widgets.landscape_explorer, widgets.LandscapeExplorer.__init__):
        params = inspect.signature(f).parameters
        assert {k: params[k].default for k in want} == want, f
    ex = widgets.LandscapeExplorer()
    assert ex.point == (0.0, -3.0)
    assert (ex.lr_slider.value, ex.steps_slider.value) == (0.01, 20)
    assert ex.path.shape == (21, 2) and tuple(ex.path[0]) == (0.0, -3.0)


def test_sliders_ranges_steps_and_descriptions(lang):
    """Every slider re-draws only on release (continuous_update False: no redraw per pixel dragged)."""
    ui, ctl = widgets.landscape_explorer()
    he = lang == "he"
    wsl, bsl, lrs, ssl = ctl.w_slider, ctl.b_slider, ctl.lr_slider, ctl.steps_slider
    assert (wsl.value, wsl.min, wsl.max, wsl.step, wsl.readout_format, wsl.description) == (0.0, -1.0, 5.0, 0.05, ".2f", "w")
    assert (bsl.value, bsl.min, bsl.max, bsl.step, bsl.readout_format, bsl.description) == (-3.0, -4.0, 6.0, 0.05, ".2f", "b")
    assert (lrs.value, lrs.base, lrs.min, lrs.max, lrs.step, lrs.readout) == (0.01, 10.0, -4.0, -1.0, 0.1, False)
    assert lrs.description == ("קצב למידה" if he else "learning rate")
    assert ctl.lr_readout.value == "0.01"
    assert (ssl.value, ssl.min, ssl.max, ssl.step) == (20, 0, 100, 1)
    assert ssl.description == ("צעדים" if he else "steps")
    for s in (wsl, bsl, lrs, ssl):
        assert s.continuous_update is False, s.description
        assert s.style.description_width == "initial", s.description     # the whole description shows
    ctl.lr_slider.value = 10 ** -1.4
    assert ctl.lr_readout.value == "0.0398"


def test_layout_and_css_classes(lang):
    """Rows of controls (w, b; learning rate, steps), then the plot beside the tables and the message,
    wrapping on a narrow page; the documented lessonlib-* classes on each part."""
    ui, ctl = widgets.landscape_explorer()
    css, row1, row2, body = ui.children
    assert row1.children == (ctl.w_slider, ctl.b_slider)
    lr_box, steps = row2.children
    assert lr_box.children == (ctl.lr_slider, ctl.lr_readout) and steps is ctl.steps_slider
    plot, texts = body.children
    assert plot is ctl.plot_html and texts.children == (ctl.values_html, ctl.message_html)
    for row in (row1, row2, body):
        assert (row.layout.flex_flow, row.layout.grid_gap) == ("row wrap", "8px")
    assert body.layout.align_items == "flex-start"
    assert (texts.layout.flex, texts.layout.min_width) == ("1 1 320px", "0")
    want = {ctl.w_slider: {"lessonlib-w"}, ctl.b_slider: {"lessonlib-b"}, ctl.lr_slider: {"lessonlib-lr"},
            ctl.steps_slider: {"lessonlib-steps"}, ctl.lr_readout: {"lessonlib-lr-readout"},
            lr_box: {"lessonlib-lr-box"},
            ctl.values_html: {"lessonlib-values", "lessonlib-table-html"}, ctl.message_html: {"lessonlib-message"},
            ctl.plot_html: {"lessonlib-plot"}, texts: {"lessonlib-table-column"}, body: {"lessonlib-columns"},
            row1: {"lessonlib-row"}, row2: {"lessonlib-row"},
            ui: {"lessonlib-widget", "lessonlib-landscape-explorer"} | ({"lessonlib-rtl"} if lang == "he" else set())}
    for widget, classes in want.items():
        assert set(widget._dom_classes) == classes, (widget, widget._dom_classes)
    assert "lessonlib-table-column" in css.value and "lessonlib-table-html" in css.value   # their CSS rule


# ---- the value tables ----------------------------------------------------------------------------------

def test_value_tables_read_the_point_and_the_end_of_the_path(lang, xy):
    x, y = xy
    he = lang == "he"
    ui, ctl = widgets.landscape_explorer()
    for (w0, b0, lr, steps), move in (((0.0, -3.0, 0.01, 20), False), ((2.5, 0.0, 0.03, 10), True)):
        if move:    # as a student does: slider by slider
            ctl.w_slider.value, ctl.b_slider.value, ctl.lr_slider.value, ctl.steps_slider.value = w0, b0, lr, steps
        value = ctl.values_html.value
        head = ("בנקודה:" if he else "At the point:")
        after = (f"אחרי {steps} צעדים של ירידה במורד הגרדיאנט (קצב למידה {lr:g}):" if he
                 else f"After {steps} steps of gradient descent (learning rate {lr:g}):")
        assert paragraphs(value) == [head, after]
        assert text(value).index(head) < text(value).index(after)
        at, end = tables(value)
        assert [r[0] for r in at] == ["w", "b", "MSE", "dL/dw", "dL/db"]
        assert [r[0] for r in end] == ["w", "b", "MSE"]
        assert all(len(r) == 2 for r in at + end)
        loss, gw, gb = mse_grad(w0, b0, x, y)
        for row, want in zip(at, (w0, b0, loss, gw, gb), strict=True):
            assert_shows(row[1], want)
        w1, b1 = plain_gd(w0, b0, lr, steps, x, y)[-1]
        for row, want in zip(end, (w1, b1, mse_grad(w1, b1, x, y)[0]), strict=True):
            assert_shows(row[1], want)


# ---- the message --------------------------------------------------------------------------------------

EXPLAIN = {
    "en": "Red arrow: the direction of minus the gradient (downhill), drawn at a fixed length. Orange: the gradient "
          "descent path, w <- w - lr * dL/dw and b <- b - lr * dL/db.",
    "he": "החץ האדום: הכיוון של מינוס הגרדיאנט (במורד), באורך קבוע. הכתום: המסלול של ירידה במורד הגרדיאנט, "
          "w <- w - lr * dL/dw ו־b <- b - lr * dL/db.",
}


def overshoot(lang, lr, step, before, after, rises, steps, start, end):
    if lang == "he":
        return (f"⚠️ קפיצת יתר: ההפסד עלה לאורך המסלול. בצעד {step} הוא עלה מ־{before} ל־{after}: הצעד קפץ מעבר "
                f"לעמק לנקודה גבוהה יותר בצד השני ({rises} מתוך {steps} הצעדים עלו; מההתחלה ועד הסוף ההפסד השתנה "
                f"מ־{start} ל־{end}). בקצב למידה {lr} הצעדים גדולים מדי לכיוון התלול של העמק הזה; קצב קטן יותר "
                f"יורד בכל צעד.")
    return (f"⚠️ Overshoot: the loss rose along the path. At step {step} it went up from {before} to {after}: the "
            f"step jumped across the valley to a higher point on the other side ({rises} of the {steps} steps went "
            f"uphill; from start to end the loss went from {start} to {end}). With learning rate {lr} the steps are "
            f"too large for this valley's steep direction; a smaller one goes downhill at every step.")


def diverges(lang, lr, step, loss, start):
    if lang == "he":
        return (f"⚠️ המסלול מתבדר: בקצב למידה {lr} כל צעד מחטיא את המינימום יותר מהצעד שלפניו. בצעד {step} ההפסד "
                f"הוא {loss}, גדול פי יותר מ־1000 מההפסד בנקודת ההתחלה, {start} (ההגדרה של התבדרות בקורס), ולכן "
                f"המסלול נעצר שם. נסו קצב למידה קטן יותר.")
    return (f"⚠️ The path diverges: with learning rate {lr} every step overshoots the minimum by more than the one "
            f"before. At step {step} the loss is {loss}, more than 1000 times the starting point's {start} (the "
            f"course's definition of divergence), so the path stops there. Try a smaller learning rate.")


def went_down(lang, start, end):
    return f"ההפסד ירד מ־{start} ל־{end}." if lang == "he" else f"The loss went down from {start} to {end}."


def test_message_names_descent_overshoot_and_divergence(lang, xy):
    """The losses (float64 on the given data, printed to 4 or 3 digits, none near a rounding edge):
    (0, -3), lr 0.01: 149.98 -> 7.1624 after 20 steps, down every step;
    (2, -2.25), lr 10^-1.4: 10.5625, 8.96, 7.64, 6.60, 5.9865, 6.2207, 8.6480: up at steps 5 and 6 only;
    (0, -3), lr 0.03: 149.98, 160.62, ..., 236.48: up from the first step on, 6 of 6;
    (0, -3), lr 0.1: 149.98, 4544.7, 153538 (> 1000 x 149.98 at step 2: the path stops there)."""
    x, y = xy
    ui, ctl = widgets.landscape_explorer()
    assert paragraphs(ctl.message_html.value) == [EXPLAIN[lang], went_down(lang, "150", "7.162")]
    assert (ctl.overshoot_at, ctl.diverged_at) == (None, None)
    losses = [mse_grad(*p, x, y)[0] for p in plain_gd(0.0, -3.0, 0.01, 20, x, y)]
    assert f"{losses[0]:.4g}/{losses[-1]:.4g}" == "150/7.162"

    ctl.w_slider.value, ctl.b_slider.value = 2.0, -2.25
    ctl.steps_slider.value, ctl.lr_slider.value = 6, 10 ** -1.4
    losses = [mse_grad(*p, x, y)[0] for p in plain_gd(2.0, -2.25, 10 ** -1.4, 6, x, y)]
    assert [k for k in range(1, 7) if losses[k] > losses[k - 1]] == [5, 6]
    assert paragraphs(ctl.message_html.value) == [
        EXPLAIN[lang], overshoot(lang, "0.0398", 5, "5.987", "6.221", 2, 6, "10.56", "8.648")]
    assert (ctl.overshoot_at, ctl.diverged_at) == (5, None)

    ctl.w_slider.value, ctl.b_slider.value, ctl.lr_slider.value = 0.0, -3.0, 0.03
    losses = [mse_grad(*p, x, y)[0] for p in plain_gd(0.0, -3.0, 0.03, 6, x, y)]
    assert all(b > a for a, b in zip(losses, losses[1:], strict=False)) and losses[-1] < 1000 * losses[0]
    assert paragraphs(ctl.message_html.value) == [
        EXPLAIN[lang], overshoot(lang, "0.03", 1, "150", "160.6", 6, 6, "150", "236.5")]
    assert (ctl.overshoot_at, ctl.diverged_at) == (1, None)

    ctl.steps_slider.value, ctl.lr_slider.value = 100, 0.1
    assert paragraphs(ctl.message_html.value) == [EXPLAIN[lang], diverges(lang, "0.1", 2, "1.54e+05", "150")]
    assert (ctl.overshoot_at, ctl.diverged_at) == (1, 2)
    np.testing.assert_allclose(ctl.path, plain_gd(0.0, -3.0, 0.1, 2, x, y), rtol=1e-10)

    ctl.steps_slider.value = 0                      # no step taken: nothing to say about the path
    assert paragraphs(ctl.message_html.value) == [EXPLAIN[lang]]
    assert paragraphs(ctl.values_html.value)[1] == ("אחרי 0 צעדים של ירידה במורד הגרדיאנט (קצב למידה 0.1):"
                                                    if lang == "he" else
                                                    "After 0 steps of gradient descent (learning rate 0.1):")
    assert (ctl.overshoot_at, ctl.diverged_at) == (None, None)


@pytest.mark.filterwarnings("ignore:Log scale")     # the contours of a landscape whose minimum is 0
def test_at_the_exact_minimum_nothing_moves_and_nothing_is_claimed(lang):
    """On data exactly on y = 2x + 1, (2, 1) has loss 0 and gradient 0: no arrow, the path stays put, and the
    message says neither "went down" nor overshoot nor divergence."""
    ui, ctl = widgets.landscape_explorer(w0=2.0, b0=1.0, data=exact_line_data())
    assert paragraphs(ctl.message_html.value) == [EXPLAIN[lang]]
    at, end = tables(ctl.values_html.value)
    assert at == [["w", "2.0000"], ["b", "1.0000"], ["MSE", "0.0000"], ["dL/dw", "0.0000"], ["dL/db", "0.0000"]]
    assert end == [["w", "2.0000"], ["b", "1.0000"], ["MSE", "0.0000"]]
    assert arrows(ctl._ax) == []
    path = [ln for ln in ctl._ax.get_lines() if ln.get_color() == "tab:orange"][0]
    assert list(path.get_xdata()) == [2.0] * 21 and list(path.get_ydata()) == [1.0] * 21
    assert (ctl.overshoot_at, ctl.diverged_at) == (None, None)
    ctl.w_slider.value = 1.0       # off the minimum: MSE 2 (w - 2)^2 = 2, gradient (-4, 0): the arrow points to larger w
    ((tail, head, _),) = arrows(ctl._ax)
    np.testing.assert_allclose(tail, (1.0, 1.0), atol=1e-12)
    np.testing.assert_allclose(head, (1.0 + 1.2, 1.0), atol=1e-12)
    # each step multiplies 2 - w by 1 - 0.01 * 4: after 20 steps the loss is 2 * 0.96^40 = 0.39073
    assert paragraphs(ctl.message_html.value) == [EXPLAIN[lang], went_down(lang, "2", "0.3907")]


# ---- the plot ----------------------------------------------------------------------------------------

def test_plot_draws_the_path_the_point_and_a_downhill_arrow(lang, xy):
    x, y = xy
    he = lang == "he"
    ui, ctl = widgets.landscape_explorer()
    ax = ctl._ax
    # matplotlib 3.10 (Colab's) is handed the visual order: the Hebrew run reversed, the formula kept
    title = ("y = wx + b לש דספהה ףונ" if needs_bidi() else "נוף ההפסד של y = wx + b") if he else \
        "Loss landscape of y = wx + b"
    assert ax.get_title() == title
    assert tuple(ax.get_xlim()) == (-1.0, 5.0) and tuple(ax.get_ylim()) == (-4.0, 6.0)
    img = ctl.plot_html.value
    assert img.startswith('<img class="lessonlib-plot-img" ')
    assert re.search(r'alt="([^"]*)"', img).group(1) == ("נוף ההפסד של y = wx + b" if he else "Loss landscape of y = wx + b")

    label = for_plot("מסלול הירידה במורד הגרדיאנט") if he else "gradient descent path"
    legend = ax.get_legend()
    entries = [t.get_text() for t in legend.get_texts()]
    assert len(entries) == 2 and entries[1] == label
    assert [t.get_fontsize() for t in legend.get_texts()] == [9.0, 9.0]
    # drawn at the upper right corner of the axes
    ctl._fig.canvas.draw()
    box, frame = legend.get_window_extent(), ax.get_window_extent()
    assert frame.x1 - 30 < box.x1 <= frame.x1 and frame.y1 - 30 < box.y1 <= frame.y1
    assert box.x0 > (frame.x0 + frame.x1) / 2

    for w0, b0 in ((0.0, -3.0), (3.5, 5.5)):
        ctl.w_slider.value, ctl.b_slider.value = w0, b0
        (path,) = [ln for ln in ax.get_lines() if ln.get_label() == label]
        assert (path.get_marker(), path.get_markersize(), path.get_linestyle()) == ("o", 3.0, "-")
        assert to_hex(path.get_color()) == to_hex("tab:orange")
        expected = plain_gd(w0, b0, 0.01, 20, x, y)
        np.testing.assert_allclose(path.get_xdata(), expected[:, 0], rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(path.get_ydata(), expected[:, 1], rtol=1e-10, atol=1e-12)
        (point,) = [ln for ln in ax.get_lines() if to_hex(ln.get_color()) == to_hex("tab:red")]
        assert (point.get_marker(), point.get_markersize(), point.get_linestyle()) == ("o", 8.0, "None")
        assert (list(point.get_xdata()), list(point.get_ydata())) == ([w0], [b0])
        # one arrow (the old one removed), from the point, 1.2 long, along minus the gradient
        ((tail, head, patch),) = arrows(ax)
        _, gw, gb = mse_grad(w0, b0, x, y)
        norm = math.hypot(gw, gb)
        np.testing.assert_allclose(tail, (w0, b0), atol=1e-12)
        np.testing.assert_allclose(head, (w0 - 1.2 * gw / norm, b0 - 1.2 * gb / norm), rtol=1e-9, atol=1e-9)
        assert type(patch.get_arrowstyle()).__name__ == "CurveB"              # "->"
        assert to_hex(patch.get_edgecolor()) == to_hex("tab:red") and patch.get_linewidth() == 2.0


def test_near_the_minimum_the_arrow_still_shows_the_direction(xy):
    """At (2, 1) on the lesson's data the gradient is tiny (float32 data) but not zero: the arrow is drawn
    at its fixed length all the same."""
    x, y = xy
    _, gw, gb = mse_grad(2.0, 1.0, x, y)
    norm = math.hypot(gw, gb)
    assert 0 < norm < 1e-3
    _, ctl = widgets.landscape_explorer(w0=2.0, b0=1.0)
    ((tail, head, _),) = arrows(ctl._ax)
    d = head - tail
    assert math.hypot(*d) == pytest.approx(1.2, rel=1e-9)
    assert -(d[0] * gw + d[1] * gb) / (1.2 * norm) > 1 - 1e-4
