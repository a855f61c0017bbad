"""What the plots draw (issue 16): the data of the lines, path, arrow, star and legend in the figure itself,
compared with independent numbers: torch autograd for gradients, a plain gradient-descent loop written
here, numpy's least squares for the minimum, the model's own forward pass for fitted lines, and literal
legend strings. A plot arrow pointing uphill, or a path from another rule, fails here.

Runs in the project env (matplotlib 3.11) and the Colab-like one (3.10): `make test-colab`.
"""
import math
import re

import numpy as np
import pytest
import torch
from matplotlib.colors import to_hex
from matplotlib.text import Annotation

from lessonlib import make_line_data, make_model, set_language
from lessonlib import plots
from lessonlib.plots import needs_bidi
from tests.seen import png_size

w = pytest.importorskip("ipywidgets")
from lessonlib import widgets  # noqa: E402


@pytest.fixture(scope="module")
def xy():
    data = make_line_data(0)
    return data.x_train.astype(np.float64).reshape(-1), data.y_train.astype(np.float64).reshape(-1)


# ---- independent references ----------------------------------------------------------------------

def mse_and_grad(wv, bv, x, y):
    """MSE of w x + b and (dL/dw, dL/db), by torch autograd in float64."""
    wt = torch.tensor(wv, dtype=torch.float64, requires_grad=True)
    bt = torch.tensor(bv, dtype=torch.float64, requires_grad=True)
    loss = ((wt * torch.from_numpy(x) + bt - torch.from_numpy(y)) ** 2).mean()
    loss.backward()
    return loss.item(), wt.grad.item(), bt.grad.item()


def plain_gd(w0, b0, lr, steps, x, y):
    """[(w, b)] of `steps` plain gradient-descent steps, gradients by autograd."""
    path = [(w0, b0)]
    for _ in range(steps):
        _, gw, gb = mse_and_grad(*path[-1], x, y)
        path.append((path[-1][0] - lr * gw, path[-1][1] - lr * gb))
    return np.array(path)


def least_squares(x, y):
    (wv, bv), *_ = np.linalg.lstsq(np.stack([x, np.ones_like(x)], axis=1), y, rcond=None)
    return wv, bv


# ---- reading the figure ------------------------------------------------------------------------------

def legend_texts(ax):
    return [txt.get_text() for txt in ax.get_legend().get_texts()]


def line_labelled(ax, label):
    """The line whose legend label is `label` (the label as drawn)."""
    found = [ln for ln in ax.get_lines() if ln.get_label() == label]
    assert len(found) == 1, [ln.get_label() for ln in ax.get_lines()]
    return found[0]


def arrows(ax):
    """[(tail, head)] of every arrow annotation drawn: annotate("", xy=head, xytext=tail)."""
    return [(np.array(a.xyann, dtype=float), np.array(a.xy, dtype=float))
            for a in ax.texts if isinstance(a, Annotation) and a.arrow_patch is not None]


def star(ax):
    (s,) = [ln for ln in ax.get_lines() if ln.get_marker() == "*"]
    return float(s.get_xdata()[0]), float(s.get_ydata()[0])


def assert_points_downhill(tail, head, point, x, y):
    """The arrow starts at the point and points along minus the gradient (cosine 1), i.e. downhill."""
    _, gw, gb = mse_and_grad(*point, x, y)
    assert tail == pytest.approx(point, abs=1e-12)
    d = head - tail
    cos = -(d[0] * gw + d[1] * gb) / (math.hypot(*d) * math.hypot(gw, gb))
    assert cos == pytest.approx(1.0, abs=1e-9), f"arrow {d} at {point}: cosine with -gradient {cos}"
    # and a short step along it lowers the loss (downhill in the loss itself)
    step = 1e-3 * d / math.hypot(*d)
    assert mse_and_grad(point[0] + step[0], point[1] + step[1], x, y)[0] < mse_and_grad(*point, x, y)[0]
    return math.hypot(*d)


# ---- the landscape explorer --------------------------------------------------------------------------

@pytest.mark.parametrize("w0,b0", [(0.0, -3.0), (4.5, 5.0), (0.5, 4.0), (3.5, -2.5)])
def test_landscape_arrow_points_downhill(xy, w0, b0):
    x, y = xy
    _, ctl = widgets.landscape_explorer(w0=w0, b0=b0)
    ax = ctl._fig.axes[0]
    (arrow,) = arrows(ax)
    length = assert_points_downhill(*arrow, (w0, b0), x, y)
    assert length == pytest.approx(1.2), "drawn at a fixed length"
    ctl.w_slider.value, ctl.b_slider.value = 2.5, 0.0      # moved: the old arrow is gone, the new one downhill
    (arrow,) = arrows(ax)
    assert_points_downhill(*arrow, (2.5, 0.0), x, y)


def test_landscape_at_the_minimum_draws_no_arrow():
    _, ctl = widgets.landscape_explorer(w0=2.0, b0=1.0)
    grad = ctl.gradient()
    if grad == (0.0, 0.0):
        assert arrows(ctl._fig.axes[0]) == []


@pytest.mark.parametrize("w0,b0,lr,steps", [(0.0, -3.0, 0.01, 20), (4.0, 5.0, 0.001, 50), (0.0, -3.0, 0.03, 10)])
def test_landscape_path_is_plain_gradient_descent(xy, w0, b0, lr, steps):
    """The orange path drawn is the sequence of (w, b) of w <- w - lr dL/dw, b <- b - lr dL/db (lr 0.03
    overshoots in the steep direction: drawn all the same)."""
    x, y = xy
    _, ctl = widgets.landscape_explorer(w0=w0, b0=b0, lr=lr, steps=steps)
    ax = ctl._fig.axes[0]
    path = line_labelled(ax, "gradient descent path")
    expected = plain_gd(w0, b0, lr, steps, x, y)
    np.testing.assert_allclose(path.get_xdata(), expected[:, 0], rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(path.get_ydata(), expected[:, 1], rtol=1e-10, atol=1e-12)
    # the table's "after N steps" values, as read, are the path's end
    text = widgets_text(ctl.values_html.value)
    assert f"After {steps} steps of gradient descent (learning rate {lr:g}):" in text
    end_w, end_b, end_mse = (float(v) for v in text.split("):")[1].split()[1::2])
    assert end_w == pytest.approx(expected[-1, 0], abs=0.5e-4) and end_b == pytest.approx(expected[-1, 1], abs=0.5e-4)
    assert end_mse == pytest.approx(mse_and_grad(*expected[-1], x, y)[0], abs=0.5e-4, rel=0.5e-3)


def test_landscape_values_shown_are_autograd_numbers(xy):
    x, y = xy
    _, ctl = widgets.landscape_explorer(w0=0.5, b0=-2.0)
    text = widgets_text(ctl.values_html.value)
    head = text.split("After")[0]
    assert head.split()[:3] == ["At", "the", "point:"]
    names_values = head.split()[3:]
    assert names_values[0::2] == ["w", "b", "MSE", "dL/dw", "dL/db"]
    loss, gw, gb = mse_and_grad(0.5, -2.0, x, y)
    for shown, want in zip(names_values[1::2], (0.5, -2.0, loss, gw, gb), strict=True):
        assert abs(float(shown) - want) <= 0.5e-4 + 1e-9 and len(shown.split(".")[1]) == 4, (shown, want)


def test_landscape_star_and_legend(xy):
    x, y = xy
    _, ctl = widgets.landscape_explorer()
    ax = ctl._fig.axes[0]
    assert star(ax) == pytest.approx(least_squares(x, y), abs=1e-6)
    assert legend_texts(ax) == ["minimum: w = 2, b = 1", "gradient descent path"]
    assert ax.get_title() == "Loss landscape of y = wx + b"
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("w (weight)", "b (bias)")


def widgets_text(value):
    import html
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", value))).strip()


# ---- lessonlib.plots ------------------------------------------------------------------------------------

def test_plot_landscape_draws_the_given_path_and_a_downhill_arrow(xy):
    x, y = xy
    point = (0.0, -3.0)
    _, gw, gb = mse_and_grad(*point, x, y)
    path = plain_gd(*point, 0.01, 5, x, y)
    fig = plots.plot_landscape(x, y, path=path, point=point, grad=(0.02 * gw, 0.02 * gb), n=41)
    ax = fig.axes[0]
    (arrow,) = arrows(ax)
    assert_points_downhill(*arrow, point, x, y)
    drawn = [ln for ln in ax.get_lines() if ln.get_marker() == "o"]
    assert len(drawn) == 1
    np.testing.assert_array_equal(drawn[0].get_xdata(), path[:, 0])
    np.testing.assert_array_equal(drawn[0].get_ydata(), path[:, 1])
    assert star(ax) == pytest.approx(least_squares(x, y), abs=1e-6)
    assert legend_texts(ax) == ["minimum: w = 2, b = 1"]


def test_plot_landscape_contours_are_drawn_at_their_mse(xy):
    """Every vertex of every drawn contour line lies where the MSE (numpy, computed directly) is its level."""
    x, y = xy
    fig = plots.plot_landscape(x, y)
    ax = fig.axes[0]
    (cs,) = [c for c in ax.collections if hasattr(c, "levels")]
    assert list(cs.levels) == [0.5, 1, 2, 5, 10, 20, 50, 100, 200]     # the MSE on the plotted box tops out near 327
    # contour vertices are interpolated linearly inside the grid's cells (along an edge or a diagonal, by
    # the contouring library's version): for a quadratic, off by at most d^T H d / 8 along a segment d,
    # H = [[2 mean(x^2), 2 mean(x)], [2 mean(x), 2]] the MSE's Hessian, grid steps 6/120 and 10/120
    H = np.array([[2 * np.mean(x * x), 2 * np.mean(x)], [2 * np.mean(x), 2.0]])
    hw, hb = 6 / 120, 10 / 120
    bound = max(d @ H @ d / 8 for d in map(np.array, ([hw, 0], [0, hb], [hw, hb], [hw, -hb]))) * (1 + 1e-6)
    checked = 0
    for level, path in zip(cs.levels, cs.get_paths(), strict=True):
        v = path.vertices
        mse = np.mean((v[:, :1] * x + v[:, 1:] - y) ** 2, axis=1)
        np.testing.assert_allclose(mse, level, rtol=0, atol=bound)
        checked += len(v)
    assert checked > 500


def test_plot_fit_draws_the_models_predictions_and_the_truth():
    model = make_model(0)
    data = make_line_data(0)
    fig = plots.plot_fit(lambda xs: model(torch.from_numpy(xs)).detach(), data, x_range=(-12.0, 12.0), points=50)
    ax = fig.axes[0]
    truth = line_labelled(ax, "truth: y = 2x + 1")
    pred = line_labelled(ax, "network's prediction")
    xs = np.linspace(-12.0, 12.0, 50)
    np.testing.assert_allclose(np.ravel(truth.get_xdata()), xs, rtol=1e-6)
    np.testing.assert_allclose(np.ravel(truth.get_ydata()), 2 * xs + 1, rtol=1e-6, atol=1e-6)
    with torch.no_grad():
        want = model(torch.tensor(xs, dtype=torch.float32).reshape(-1, 1)).numpy().reshape(-1)
    np.testing.assert_allclose(np.ravel(pred.get_xdata()), xs, rtol=1e-6)
    np.testing.assert_allclose(pred.get_ydata(), want, rtol=1e-6, atol=1e-6)
    offsets = ax.collections[0].get_offsets()
    np.testing.assert_array_equal(offsets, np.column_stack([data.x_train.ravel(), data.y_train.ravel()]))
    assert legend_texts(ax) == ["truth: y = 2x + 1", "network's prediction", "training set"]
    assert ax.get_title() == "What the network learned"
    # how they look: the truth a thin black dashed line, the prediction a thicker solid one, the points small and faint
    assert (to_hex(truth.get_color()), truth.get_linestyle(), truth.get_linewidth()) == ("#000000", "--", 1.5)
    assert (pred.get_linestyle(), pred.get_linewidth()) == ("-", 2)
    assert list(ax.collections[0].get_sizes()) == [8] and ax.collections[0].get_alpha() == 0.4
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("x", "y") and grid_shown(ax)
    # the defaults, drawn into the axes given: 400 points from -10 to 10, and no data points
    fig2, axes = plots.new_figure(ncols=2)
    assert plots.plot_fit(lambda xs: 3 * xs, ax=axes[1]) is fig2 and not axes[0].lines
    truth, pred = axes[1].get_lines()
    np.testing.assert_allclose(np.ravel(pred.get_xdata()), np.linspace(-10, 10, 400), rtol=1e-6)
    np.testing.assert_allclose(np.ravel(pred.get_ydata()), 3 * np.linspace(-10, 10, 400), rtol=1e-6)
    assert not axes[1].collections and axes[1].get_title() == "What the network learned"
    plots.plot_fit(lambda xs: 2 * xs, ax=axes[1])        # a second model on the same axes, to compare: still a grid
    assert len(axes[1].get_lines()) == 4 and grid_shown(axes[1])


def grid_shown(ax) -> bool:
    lines = ax.get_xgridlines() + ax.get_ygridlines()
    return bool(lines) and all(line.get_visible() for line in lines)


def test_plot_history_draws_the_historys_numbers():
    fig = plots.plot_history([4.0, 2.0, 1.5, 0.25], [5.0, 3.0, 2.0, 0.5])
    ax = fig.axes[0]
    train, val = ax.get_lines()
    assert list(train.get_xdata()) == [1, 2, 3, 4] and list(train.get_ydata()) == [4.0, 2.0, 1.5, 0.25]
    assert list(val.get_xdata()) == [1, 2, 3, 4] and list(val.get_ydata()) == [5.0, 3.0, 2.0, 0.5]
    assert legend_texts(ax) == ["training loss", "validation loss"]
    assert (ax.get_xlabel(), ax.get_ylabel(), ax.get_title()) == ("epoch", "MSE loss", "Learning history: y = 2x + 1")
    assert grid_shown(ax) and ax.get_yscale() == "log"
    plots.plot_history([3.0, 1.0], [4.0, 2.0], ax=ax)       # another run drawn over it: the grid stays
    assert len(ax.get_lines()) == 4 and grid_shown(ax)


def test_plot_data_draws_the_split():
    data = make_line_data(0)
    ax = plots.plot_data(data).axes[0]
    train, val = (c.get_offsets() for c in ax.collections[:2])
    assert len(train) == 160 and len(val) == 40
    np.testing.assert_allclose(train[:, 1], 2 * train[:, 0] + 1, atol=4e-6)      # float32 data
    np.testing.assert_allclose(val[:, 1], 2 * val[:, 0] + 1, atol=4e-6)
    all_x = np.sort(np.concatenate([train[:, 0], val[:, 0]]))
    np.testing.assert_allclose(all_x, np.linspace(-10, 10, 200), atol=1e-6)
    assert legend_texts(ax) == ["training set", "validation set"]
    # training points small dots, validation points larger crosses: told apart at a glance
    from matplotlib.markers import MarkerStyle
    for points, size, marker in zip(ax.collections[:2], (12, 18), ("o", "x"), strict=True):
        style = MarkerStyle(marker)
        want = style.get_path().transformed(style.get_transform()).vertices
        assert list(points.get_sizes()) == [size]
        np.testing.assert_array_equal(points.get_paths()[0].vertices, want)
    assert grid_shown(ax)


def test_least_squares_line_is_exact_for_data_far_from_the_origin():
    """float32 measurements around x = 3000: (w, b) as exact rational arithmetic gives them, to float64's rounding."""
    from fractions import Fraction
    x = (3000 + np.arange(7) * 0.37).astype(np.float32).reshape(-1, 1)
    y = (2 * x.ravel() + 1 + np.array([0.3, -0.2, 0.1, 0.0, -0.4, 0.25, 0.05])).astype(np.float32)
    xs, ys = [Fraction(float(v)) for v in x.ravel()], [Fraction(float(v)) for v in y]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    w_exact = sum((a - mx) * (b - my) for a, b in zip(xs, ys, strict=True)) / sum((a - mx) ** 2 for a in xs)
    w_got, b_got = plots.least_squares_line(x, y)
    assert w_got == pytest.approx(float(w_exact), rel=1e-12) and b_got == pytest.approx(float(my - w_exact * mx), rel=1e-12)
    assert least_squares(x.ravel().astype(np.float64), y.astype(np.float64)) == pytest.approx((w_got, b_got), rel=1e-6)


def test_far_levels_keeps_the_contours_30_points_or_more_from_the_point():
    """Straight contour lines at known distances on a 4 x 4 inch axes: the levels are the distances in points."""
    from matplotlib.figure import Figure
    fig = Figure(figsize=(4, 4))
    ax = fig.add_axes((0, 0, 1, 1))                   # 288 points each way: 28.8 points per unit of w in (-5, 5),
    w, b = np.meshgrid(np.linspace(-5, 5, 101), np.linspace(-10, 10, 41))     # 14.4 per unit of b in (-10, 10)
    levels = [29.7, 30.3, 60]
    for dist in (np.abs(w - 1) * 28.8, np.abs(b + 2) * 14.4):       # lines at w = 1 +- d/28.8, or b = -2 +- d/14.4
        cs = ax.contour(w, b, dist, levels=levels)
        assert plots._far_levels(ax, cs, (1.0, -2.0), (-5.0, 5.0), (-10.0, 10.0)) == [30.3, 60]


@pytest.mark.parametrize("lang", ["en", "he"])
def test_legend_entries_are_the_literal_strings(lang):
    """Written out; Hebrew as matplotlib must be handed it: visual order on 3.10, logical on >= 3.11."""
    set_language(lang)
    data = make_line_data(0)
    legends = [legend_texts(plots.plot_fit(lambda xs: 2 * xs + 1, data).axes[0]),
               legend_texts(plots.plot_history([2.0, 1.0], [2.0, 1.5]).axes[0]),
               legend_texts(plots.plot_data(data).axes[0])]
    if lang == "en":
        expected = [["truth: y = 2x + 1", "network's prediction", "training set"],
                    ["training loss", "validation loss"], ["training set", "validation set"]]
    elif needs_bidi():
        expected = [["y = 2x + 1 :תמאה", "תשרה לש יוזיחה", "ןומיא טס"],
                    ["ןומיא דספה", "היצדילו דספה"], ["ןומיא טס", "היצדילו טס"]]
    else:
        expected = [["האמת: y = 2x + 1", "החיזוי של הרשת", "סט אימון"],
                    ["הפסד אימון", "הפסד ולידציה"], ["סט אימון", "סט ולידציה"]]
    assert legends == expected


# ---- the debugger's fitted line -----------------------------------------------------------------------

def test_debugger_draws_the_nets_prediction():
    _, dbg = widgets.step_debugger(lr=0.005)
    dbg.click("batch")
    ax = dbg._fig.axes[0]
    line = line_labelled(ax, "network's prediction")
    xs = np.asarray(line.get_xdata(), dtype=np.float64)
    np.testing.assert_allclose(xs, np.linspace(-10, 10, 201), atol=1e-6)
    with torch.no_grad():
        want = dbg.model(torch.tensor(xs, dtype=torch.float32).reshape(-1, 1)).numpy().reshape(-1)
        fresh = make_model(0)(torch.tensor(xs, dtype=torch.float32).reshape(-1, 1)).numpy().reshape(-1)
    np.testing.assert_allclose(line.get_ydata(), want, rtol=1e-6, atol=1e-6)
    assert not np.allclose(want, fresh), "one update moved the line"
    truth = line_labelled(ax, "truth: y = 2x + 1")
    np.testing.assert_allclose(truth.get_ydata(), 2 * np.asarray(truth.get_xdata()) + 1, atol=1e-6)
    assert ax.get_title() == "Parameter updates so far: 1"


@pytest.mark.parametrize("lang", ["en", "he"])
def test_the_star_marks_the_minimum_of_the_data_given(lang):
    """Another line (y = 3x - 2, or noisy data): the star sits at numpy's least-squares solution, and its legend
    says where (it was drawn at (2, 1) with "w = 2, b = 1" whatever the data)."""
    set_language(lang)
    rng = np.random.default_rng(0)
    x = np.linspace(-10, 10, 50)
    for y, text_en, text_he in ((3 * x - 2, "minimum: w = 3, b = -2", "מינימום: w = 3, b = -2"),
                                (3 * x - 2 + rng.normal(0, 0.5, x.shape), None, None)):
        fig = plots.plot_landscape(x, y, w_range=(0.0, 6.0), b_range=(-5.0, 5.0), n=41)
        ax = fig.axes[0]
        wv, bv = least_squares(x, y)
        assert star(ax) == pytest.approx((wv, bv), abs=1e-9)
        (entry,) = legend_texts(ax)
        if text_en is not None:
            want = text_en if lang == "en" else text_he
            if lang == "he":       # as matplotlib is handed it: isolated runs on >= 3.11, visual order on 3.10
                want = "b = -2 ,w = 3 :םומינימ" if needs_bidi() else "מינימום: \u2066w = 3\u2069, \u2066b = -2\u2069"
            assert entry == want


# ---- the landscape's verdict, as read, against the plain loop ----------------------------------------------

def numbers_in(sentence):
    return [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?(?:e[+-]\d+)?", sentence)]


def close(shown, value, digits):
    """`shown` is `value` printed with `digits` significant digits."""
    return abs(shown - value) <= 0.5 * 10 ** (math.floor(math.log10(abs(value))) - digits + 1) * (1 + 1e-9)


def test_landscape_says_the_loss_went_down_by_the_loops_numbers(xy):
    x, y = xy
    _, ctl = widgets.landscape_explorer(w0=0.0, b0=-3.0, lr=0.01, steps=20)
    losses = [mse_and_grad(*p, x, y)[0] for p in plain_gd(0.0, -3.0, 0.01, 20, x, y)]
    assert all(b < a for a, b in zip(losses, losses[1:], strict=False))
    last = widgets_text(ctl.message_html.value).split(". ")[-1]
    assert last.startswith("The loss went down from ") and "⚠️" not in widgets_text(ctl.message_html.value)
    start, end = numbers_in(last)
    assert close(start, losses[0], 4) and close(end, losses[-1], 4), (last, losses[0], losses[-1])


def test_landscape_overshoot_is_reported_at_the_loops_first_rise(xy):
    """lr 0.03 is above 2 / (d2L/dw2) = 2 / (2 mean(x^2)): the w direction overshoots and the loss rises."""
    x, y = xy
    lr, steps = 0.03, 10
    assert lr > 2 / (2 * np.mean(x * x))
    _, ctl = widgets.landscape_explorer(w0=0.0, b0=-3.0, lr=lr, steps=steps)
    losses = [mse_and_grad(*p, x, y)[0] for p in plain_gd(0.0, -3.0, lr, steps, x, y)]
    first = next(k for k in range(1, len(losses)) if losses[k] > losses[k - 1])
    rises = sum(b > a for a, b in zip(losses, losses[1:], strict=False))
    text = widgets_text(ctl.message_html.value)
    m = re.search(r"⚠️ Overshoot: the loss rose along the path\. At step (\d+) it went up from (\S+) to (\S+): "
                                r".*\((\d+) of the (\d+) steps went uphill; from start to end the loss went from (\S+) "
                                r"to (\S+)\)\. With learning rate 0\.03 ", text)
    assert m, text
    assert (int(m.group(1)), int(m.group(4)), int(m.group(5))) == (first, rises, steps)
    for shown, value in zip(m.group(2, 3, 6, 7), (losses[first - 1], losses[first], losses[0], losses[-1]), strict=True):
        assert close(float(shown.rstrip(")")), value, 4), (shown, value)


@pytest.mark.parametrize("lr", [0.1, 0.06])
def test_landscape_divergence_stops_the_drawn_path_where_the_loop_passes_1000_times_the_start(xy, lr):
    """lr 0.06: the loss grows about 9x a step, so one step lies between 100x and 1000x the start (a wrong
    factor shows); lr 0.1: about 30x."""
    x, y = xy
    _, ctl = widgets.landscape_explorer(w0=0.0, b0=-3.0, lr=lr, steps=100)
    path = plain_gd(0.0, -3.0, lr, 100, x, y)
    losses = [mse_and_grad(*p, x, y)[0] for p in path[:10]]
    k = next(k for k, v in enumerate(losses) if v > 1000 * losses[0])       # the course's factor, written out
    if lr == 0.06:
        assert 100 * losses[0] < losses[k - 1] < 1000 * losses[0]
    drawn = line_labelled(ctl._fig.axes[0], "gradient descent path")
    np.testing.assert_allclose(np.column_stack([drawn.get_xdata(), drawn.get_ydata()]), path[:k + 1], rtol=1e-10)
    text = widgets_text(ctl.message_html.value)
    m = re.search(r"At step (\d+) the loss is (\S+), more than 1000 times the starting point's (\S+) ", text)
    assert m and int(m.group(1)) == k, text
    assert close(float(m.group(2)), losses[k], 3) and close(float(m.group(3)), losses[0], 4), text


# ---- lesson 05's layer graph: one row of boxes read left to right, each label in its box ---------------------

LAYER_CHAIN = [("tensor", "x", "x\n(B, 1)"), ("layer", "0", "Linear\n(1, 16)"), ("tensor", "z1", "z1\n(B, 16)"),
               ("layer", "1", "ReLU"), ("tensor", "a1", "a1\n(B, 16)"), ("layer", "2", "Linear\n(16, 16)"),
               ("tensor", "z2", "z2\n(B, 16)"), ("layer", "3", "ReLU"), ("tensor", "a2", "a2\n(B, 16)"),
               ("layer", "4", "Linear\n(16, 1)"), ("tensor", "y_hat", "y_hat\n(B, 1)"), ("layer", "loss", "MSE"),
               ("tensor", "L", "L\n()")]
BOX_PAD = 0.02      # FancyBboxPatch's round pad: the drawn box is this much larger on every side


def _extent(patch):
    return (patch.get_x() - BOX_PAD, patch.get_y() - BOX_PAD,
            patch.get_x() + patch.get_width() + BOX_PAD, patch.get_y() + patch.get_height() + BOX_PAD)


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def test_the_layer_graph_is_one_row_of_boxes_joined_left_to_right():
    from matplotlib.colors import to_hex
    from matplotlib.patches import FancyBboxPatch

    from lessonlib import graph_plot

    fig = graph_plot.plot_layer_graph(make_model(0))
    drawn = {a.get_gid(): a for a in fig.findobj() if a.get_gid()}
    assert tuple(fig.get_size_inches()) == (12.8, 4.4)      # the notebook's full width; 13 boxes in a row
    boxes = [drawn[f"{kind}:{name}"] for kind, name, _ in LAYER_CHAIN]
    for i, ((kind, name, text), box) in enumerate(zip(LAYER_CHAIN, boxes, strict=True)):
        x0, y0, x1, y1 = _extent(box)
        assert (x0 + x1) / 2 == pytest.approx(i) and (y0 + y1) / 2 == pytest.approx(0), name   # column i, one row
        label = drawn[f"text:{kind}:{name}"]
        assert label.get_text() == text
        assert label.get_position() == pytest.approx((i, 0)) and (label.get_ha(), label.get_va()) == ("center", "center")
        assert label.get_fontsize() == plots.SMALL_FONT
    # no box covers another: the row's neighbours, the parameter boxes above, the target y
    every_box = [_extent(a) for a in fig.findobj(FancyBboxPatch) if a.get_gid()]
    assert len(every_box) == len(LAYER_CHAIN) + 6 + 1
    assert not any(_overlap(a, b) for i, a in enumerate(every_box) for b in every_box[i + 1:])
    (left, right), (bottom, top) = fig.axes[0].get_xlim(), fig.axes[0].get_ylim()     # and all in view
    assert all(left < x0 and x1 < right and bottom < y0 and y1 < top for x0, y0, x1, y1 in every_box)
    # values (tensors) are white like the small graph's operations; every layer one other colour
    fills = {kind: {to_hex(b.get_facecolor()) for (k, _, _), b in zip(LAYER_CHAIN, boxes, strict=True) if k == kind}
             for kind in ("tensor", "layer")}
    assert fills["tensor"] == {"#ffffff"} and len(fills["layer"]) == 1 and fills["layer"] != fills["tensor"]
    # each Linear's weight and bias sit over it, the weight left and the bias right, in a colour of their own
    for col, k in ((1, "1"), (5, "2"), (9, "3")):
        (w0, _, w1, _), (b0, _, b1, _) = _extent(drawn[f"param:W{k}"]), _extent(drawn[f"param:b{k}"])
        assert (w0 + w1) / 2 < col < (b0 + b1) / 2 and (w0 + w1 + b0 + b1) / 4 == pytest.approx(col)
    param_fill = {to_hex(drawn[f"param:{s}{k}"].get_facecolor()) for s in "Wb" for k in "123"}
    assert len(param_fill) == 1 and not param_fill & (fills["tensor"] | fills["layer"])
    # an arrow from each box's right edge to the next box's left edge, and none past the loss
    for i in range(len(LAYER_CHAIN) - 1):
        (sx, sy), (ex, ey) = drawn[f"arrow:{i}"].xyann, drawn[f"arrow:{i}"].xy
        assert sy == pytest.approx(0) and ey == pytest.approx(0)
        assert sx == pytest.approx(_extent(boxes[i])[2]) and ex == pytest.approx(_extent(boxes[i + 1])[0])
    assert f"arrow:{len(LAYER_CHAIN) - 1}" not in drawn


def test_the_layer_graph_draws_into_the_axes_given():
    from lessonlib import graph_plot

    fig, (top, bottom) = plots.new_figure(figsize=(12.8, 8.8), nrows=2)
    assert graph_plot.plot_layer_graph(make_model(0), ax=bottom) is fig
    assert top.get_title() == "" and not top.patches and bottom.get_title() == (
        "The lesson's network as a computational graph (a batch of B samples)")


def _centre(extent):
    return (extent[0] + extent[2]) / 2, (extent[1] + extent[3]) / 2


def _inside(point, extent) -> bool:
    return extent[0] <= point[0] <= extent[2] and extent[1] <= point[1] <= extent[3]


def _on_border(point, extent) -> bool:
    """The point lies on the drawn outline of the box (an arrow starts or ends there)."""
    x, y = point
    near = (abs(x - extent[0]), abs(x - extent[2]), abs(y - extent[1]), abs(y - extent[3]))
    return _inside(point, (extent[0] - 1e-9, extent[1] - 1e-9, extent[2] + 1e-9, extent[3] + 1e-9)) and min(near) < 1e-9


def test_the_layer_graphs_parameters_target_and_backward_arrow_sit_where_they_belong():
    """Above each Linear its weight and bias, each text inside its own box (name and shape over the red
    .grad line), an arrow into the layer and a red dashed curved one back; the target y over the loss
    in the grey of data, with its arrow; the red dashed backward arrow under the row, from L back to x."""
    from matplotlib.colors import same_color, to_hex
    from matplotlib.text import Annotation

    from lessonlib import graph_plot

    fig = graph_plot.plot_layer_graph(make_model(0))
    drawn = {a.get_gid(): a for a in fig.findobj() if a.get_gid()}
    box = {gid: _extent(a) for gid, a in drawn.items() if gid.split(":")[0] in ("tensor", "layer", "param")}
    forward_lw = drawn["arrow:0"].arrow_patch.get_linewidth()

    def centred_in(gid, extent):
        text = drawn[gid]
        assert (text.get_ha(), text.get_va()) == ("center", "center") and text.get_fontsize() == plots.SMALL_FONT, gid
        assert _inside(text.get_position(), extent) and text.get_position()[0] == pytest.approx(_centre(extent)[0]), gid
        return text

    for layer, n in (("0", "1"), ("2", "2"), ("4", "3")):
        over = box[f"layer:{layer}"]
        for sym in (f"W{n}", f"b{n}"):
            mine = box[f"param:{sym}"]
            assert mine[1] > over[3], sym                                   # above its layer
            name, grad = centred_in(f"param_text:{sym}", mine), centred_in(f"grad:{sym}", mine)
            assert name.get_position()[1] > _centre(mine)[1] > grad.get_position()[1], sym   # name over .grad
            assert name.get_text().startswith(f"{sym} (") and grad.get_text() == ".grad: None"
            assert same_color(grad.get_color(), "tab:red") and same_color(name.get_color(), "black"), sym
            into = drawn[f"arrow:{sym}"]
            assert _on_border(into.xyann, mine) and _on_border(into.xy, over), sym     # parameter -> layer
            back = drawn[f"grad_arrow:{sym}"]
            assert tuple(back.xyann) == pytest.approx(tuple(into.xy)) and tuple(back.xy) == pytest.approx(
                tuple(into.xyann)), sym                                     # the same two ends, the other way
            patch = back.arrow_patch
            assert same_color(patch.get_edgecolor(), "tab:red") and patch.get_linestyle() == "--", sym
            assert patch.get_linewidth() == 1.1 < forward_lw, sym          # thinner than the forward pass
            assert patch.get_connectionstyle().rad == 0.5, sym              # bent: not drawn over the straight one
    # the target y: over the loss, a box of the row's size, grey like the data in the small graph
    target, loss = box["tensor:y"], box["layer:loss"]
    assert _centre(target)[0] == pytest.approx(_centre(loss)[0]) and target[1] > loss[3]
    size = (box["tensor:L"][2] - box["tensor:L"][0], box["tensor:L"][3] - box["tensor:L"][1])
    assert (target[2] - target[0], target[3] - target[1]) == pytest.approx(size)
    fill = to_hex(drawn["tensor:y"].get_facecolor())
    assert fill == "#e6e6e6" and fill != to_hex(drawn["layer:loss"].get_facecolor())
    assert centred_in("text:tensor:y", target).get_text() == "y\n(B, 1)"
    assert _centre(target) == pytest.approx(drawn["text:tensor:y"].get_position())
    into_loss = drawn["arrow:y"]
    assert _on_border(into_loss.xyann, target) and _on_border(into_loss.xy, loss)
    assert into_loss.xyann[1] > into_loss.xy[1]                             # downward, into the loss
    # loss.backward(): one red dashed arrow under the row, from L's column back to x's, and no text of its own
    backward = drawn["backward"]
    assert isinstance(backward, Annotation) and backward.get_text() == ""
    (tail_x, tail_y), (head_x, head_y) = backward.xyann, backward.xy
    assert (tail_x, head_x) == pytest.approx((_centre(box["tensor:L"])[0], _centre(box["tensor:x"])[0]))
    under_row = min(extent[1] for gid, extent in box.items() if not gid.startswith("param:") and gid != "tensor:y")
    label = drawn["backward_label"]
    assert tail_y == head_y and label.get_position()[1] < head_y < under_row and label.get_va() == "top"
    assert same_color(backward.arrow_patch.get_edgecolor(), "tab:red") and backward.arrow_patch.get_linestyle() == "--"


# ---- lesson 09: the classes and the decision boundary, as drawn -------------------------------------

def _scatters(ax):
    """The scatter collections in drawing order: (offsets, facecolours, edgecolours, sizes, marker path)."""
    from matplotlib.collections import PathCollection
    return [c for c in ax.collections if isinstance(c, PathCollection)]


def _marker_path(marker):
    from matplotlib.markers import MarkerStyle
    style = MarkerStyle(marker)
    return style.get_path().transformed(style.get_transform())


def _points_by_class(x, y, classes):
    y = np.asarray(y).reshape(-1)
    return [x[y == k] for k in range(classes)]


@pytest.mark.parametrize("moons", [True, False], ids=["two classes", "three classes"])
def test_the_class_plot_draws_each_class_its_points_colour_and_marker(moons):
    from matplotlib.colors import to_rgba
    from lessonlib.data import make_blobs_data, make_moons_data

    data = make_moons_data() if moons else make_blobs_data()
    fig = plots.plot_classes(data)
    ax = fig.axes[0]
    assert tuple(fig.get_size_inches()) == (5.6, 4.4)
    train, val = _points_by_class(data.x_train, data.y_train, data.classes), _points_by_class(data.x_val, data.y_val, data.classes)
    colours, markers = ["tab:blue", "tab:orange", "tab:green"], ["o", "^", "s"]    # the lesson's, written out
    drawn = _scatters(ax)
    assert len(drawn) == 2 * data.classes                 # per class: training points, then validation outlines
    for k in range(data.classes):
        filled, hollow = drawn[2 * k], drawn[2 * k + 1]
        np.testing.assert_array_equal(filled.get_offsets(), train[k])
        np.testing.assert_array_equal(hollow.get_offsets(), val[k])
        assert [tuple(c) for c in filled.get_facecolors()] == [to_rgba(colours[k])]
        assert len(hollow.get_facecolors()) == 0 or all(c[3] == 0 for c in hollow.get_facecolors()), "outlines only"
        assert [tuple(c) for c in hollow.get_edgecolors()] == [to_rgba(colours[k])]
        for coll in (filled, hollow):
            np.testing.assert_allclose(coll.get_paths()[0].vertices, _marker_path(markers[k]).vertices)
        assert list(filled.get_sizes()) == [16] and list(hollow.get_sizes()) == [26]    # outlines a size up
        assert filled.get_label() == f"class {k}"
    legend = ax.get_legend()
    assert [x.get_text() for x in legend.get_texts()] == [f"class {k}" for k in range(data.classes)]
    assert legend._loc == 1 and all(x.get_fontsize() == plots.SMALL_FONT for x in legend.get_texts())   # upper right
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("x1 (first input)", "x2 (second input)")
    assert ax.get_aspect() == 1 and ax.get_adjustable() == "datalim"       # round moons, every point inside
    # without the validation points: the training points only
    only = _scatters(plots.plot_classes(data, val=False).axes[0])
    assert len(only) == data.classes
    for k in range(data.classes):
        np.testing.assert_array_equal(only[k].get_offsets(), train[k])


def _vertices(contour_set, level_index):
    paths = contour_set.get_paths()
    return np.concatenate([p.vertices for p in (paths[level_index:level_index + 1] if len(paths) > level_index else [])]
                          or [np.empty((0, 2))])


def test_the_two_class_boundary_is_drawn_where_the_probability_is_one_half():
    from matplotlib.contour import ContourSet
    from lessonlib.data import make_moons_data

    data = make_moons_data()
    xs, ys = np.linspace(-2.0, 3.0, 41), np.linspace(-1.5, 2.0, 29)
    X, Y = np.meshgrid(xs, ys)
    P = 1 / (1 + np.exp(-(X - 0.5 * Y)))           # P = 0.5 on the line x1 = 0.5 x2
    fig = plots.plot_boundary((X, Y, P), data, title="Epoch 3")
    ax = fig.axes[0]
    assert tuple(fig.get_size_inches()) == (5.6, 4.4)
    shade, line = [c for c in ax.collections if isinstance(c, ContourSet)]
    assert shade.filled and list(shade.levels) == pytest.approx([k / 10 for k in range(11)])
    assert shade.cmap.name == "RdBu_r" and (shade.norm.vmin, shade.norm.vmax) == (0, 1) and shade.get_alpha() == 0.35
    assert not line.filled and list(line.levels) == [0.5]
    assert [tuple(c) for c in line.get_edgecolor()] == [(0, 0, 0, 1)] and list(line.get_linewidth()) == [2]
    # the shading is P's: the band just above one half lies on the line's right (P > 0.5), the one below on its left
    d = {k: _vertices(shade, k)[:, 0] - 0.5 * _vertices(shade, k)[:, 1] for k in (4, 5)}
    assert len(d[4]) and len(d[5]) and d[5].min() >= -0.02 and d[4].max() <= 0.02
    v = _vertices(line, 0)
    assert len(v) > 10
    np.testing.assert_allclose(v[:, 0], 0.5 * v[:, 1], atol=0.02)   # on the line, across the whole grid:
    assert v[:, 1].min() == pytest.approx(ys[0]) and v[:, 1].max() == pytest.approx(ys[-1])
    # the training points over it, no validation outlines; the grid's limits, a box of equal units
    drawn = _scatters(ax)
    train = _points_by_class(data.x_train, data.y_train, 2)
    assert len(drawn) == 2 and all(np.array_equal(c.get_offsets(), p) for c, p in zip(drawn, train, strict=True))
    assert ax.get_xlim() == (xs[0], xs[-1]) and ax.get_ylim() == (ys[0], ys[-1])
    assert ax.get_aspect() == 1 and ax.get_adjustable() == "box"
    assert ax.get_title() == "Epoch 3"
    # no title given, none shown (not the class plot's "Two moons: the training and validation points")
    assert plots.plot_boundary((X, Y, P), data).axes[0].get_title() == ""


def test_the_three_class_boundary_colours_each_region_by_its_class():
    from matplotlib.colors import to_rgba
    from matplotlib.contour import ContourSet
    from lessonlib.data import make_blobs_data

    data = make_blobs_data()
    xs, ys = np.linspace(-4.0, 4.0, 33), np.linspace(-3.0, 3.0, 25)
    X, Y = np.meshgrid(xs, ys)
    P = np.where(X < -1.0, 0.0, np.where(X < 1.0, 1.0, 2.0))   # class 0 left, 1 in the middle, 2 right
    ax = plots.plot_boundary((X, Y, P), data).axes[0]
    shade, lines = [c for c in ax.collections if isinstance(c, ContourSet)]
    assert shade.filled and list(shade.levels) == [-0.5, 0.5, 1.5, 2.5] and shade.get_alpha() == 0.25
    assert [tuple(shade.cmap(i)) for i in range(3)] == [to_rgba(c) for c in ("tab:blue", "tab:orange", "tab:green")]
    assert not lines.filled and list(lines.levels) == [0.5, 1.5]
    assert all(tuple(c) == (0, 0, 0, 1) for c in lines.get_edgecolor()) and set(lines.get_linewidth()) == {1.5}
    step = xs[1] - xs[0]
    # each class's region in its colour where P is that class: class 0 left of x1 = -1, class 2 right of 1
    assert _vertices(shade, 0)[:, 0].max() <= -1.0 + step and _vertices(shade, 2)[:, 0].min() >= 1.0 - step
    for i, edge in enumerate((-1.0, 1.0)):          # each line between two classes' columns
        v = _vertices(lines, i)
        assert len(v) and np.all(np.abs(v[:, 0] - edge) <= step), (edge, v[:, 0].min(), v[:, 0].max())
    drawn = _scatters(ax)
    assert len(drawn) == 3 and all(np.array_equal(c.get_offsets(), p) for c, p in
                                   zip(drawn, _points_by_class(data.x_train, data.y_train, 3), strict=True))


def test_plot_landscape_scales_labels_and_marks_as_the_lesson_draws_them(xy):
    """The contour colours on a log scale of the loss (viridis, stopping short of its pale yellow), the
    labels' numbers as the levels read, the star and the path's marks; the box and the axes given are used."""
    from matplotlib.colors import LogNorm, to_rgba
    x, y = xy
    fig = plots.plot_landscape(x, y, path=[(0.0, -3.0), (1.0, -2.0)], point=(0.0, -3.0))   # a point, no gradient: no arrow
    ax = fig.axes[0]
    assert tuple(fig.get_size_inches()) == (5.6, 4.6) and arrows(ax) == []
    (cs,) = [c for c in ax.collections if hasattr(c, "levels")]
    assert cs.cmap.name == "viridis" and isinstance(cs.norm, LogNorm)
    assert (cs.norm.vmin, cs.norm.vmax) == (0.5, 800)              # the lowest level to 4x the highest (200)
    labels = cs.labelTexts
    assert labels and all(lab.get_fontsize() == plots.SMALL_FONT for lab in labels)
    assert {lab.get_text() for lab in labels} <= {"0.5", "1", "2", "5", "10", "20", "50", "100", "200"}
    (mark,) = [ln for ln in ax.get_lines() if ln.get_marker() == "*"]
    assert mark.get_markersize() == 14 and to_rgba(mark.get_color()) == to_rgba("r")
    (path,) = [ln for ln in ax.get_lines() if ln.get_marker() == "o"]
    assert path.get_markersize() == 3 and to_rgba(path.get_color()) == to_rgba("tab:orange")
    # another box (line_mse_grid's ranges), drawn into the axes given
    _, other = plots.new_figure()
    assert plots.plot_landscape(x, y, ax=other, w_range=(0.5, 4.0), b_range=(-2.0, 3.0), n=41) is other.figure
    assert other.get_xlim() == (0.5, 4.0) and other.get_ylim() == (-2.0, 3.0)


# ---- the landscape's arrow, legend, levels and colours; a lesson figure's PNG and legend -------------------

def test_plot_landscape_arrow_is_a_plain_red_line_arrow_and_the_legend_sits_upper_right(xy):
    """The gradient arrow as drawn: no text at its tail, a "->" head, tab:red, 2 points wide; the legend in the
    upper right corner (where the lesson's text says it is), not wherever matplotlib finds room."""
    from matplotlib.colors import to_rgba
    from matplotlib.patches import ArrowStyle
    set_language("en")
    x, y = xy
    fig = plots.plot_landscape(x, y, point=(0.0, -3.0), grad=(-0.5, -0.25), n=41)
    ax = fig.axes[0]
    (note,) = [a for a in ax.texts if isinstance(a, Annotation)]
    assert note.get_text() == ""
    assert tuple(note.xyann) == (0.0, -3.0) and tuple(note.xy) == (0.5, -2.75)      # point - grad
    patch = note.arrow_patch
    assert isinstance(patch.get_arrowstyle(), ArrowStyle.CurveB)                     # "->": an open line head
    assert to_rgba(patch.get_edgecolor()) == to_rgba("tab:red") and patch.get_linewidth() == 2
    assert ax.get_legend()._loc == 1                                                 # matplotlib's code for "upper right"


def test_plot_landscape_contour_colours_are_viridis_whatever_the_default_colormap(xy):
    """A student who set matplotlib's default colormap (image.cmap) still sees the lesson's viridis contours:
    level 0.5 dark purple, each level's colour viridis at its place on the log scale from 0.5 to 800."""
    import matplotlib
    from matplotlib import colormaps
    x, y = xy
    with matplotlib.rc_context({"image.cmap": "gray"}):
        fig = plots.plot_landscape(x, y, n=41)
    (cs,) = [c for c in fig.axes[0].collections if hasattr(c, "levels")]
    levels = np.array([0.5, 1, 2, 5, 10, 20, 50, 100, 200])
    assert list(cs.levels) == list(levels)
    where = np.log(levels / 0.5) / np.log(800 / 0.5)                               # 0 at 0.5, 1 at 800
    np.testing.assert_allclose(cs.get_edgecolor(), colormaps["viridis"](where), atol=1 / 255)


def test_plot_landscape_draws_the_levels_strictly_between_the_lowest_and_highest_mse():
    """A level equal to the lowest MSE on the grid or to the highest (there only at a corner: no line to draw)
    is left out. Exact data y = 2x + 1 on the box w in (3, 4), b in (1, 2): MSE (w - 2)^2 + (b - 1)^2, exactly
    1 at the corner (3, 1) and 5 at (4, 2), so the levels drawn are 2 alone."""
    x, y = np.array([-1.0, 1.0]), np.array([-1.0, 3.0])
    w, b = np.meshgrid(np.linspace(3.0, 4.0, 3), np.linspace(1.0, 2.0, 3))
    mse = np.mean((w[..., None] * x + b[..., None] - y) ** 2, axis=-1)
    assert (mse.min(), mse.max()) == (1.0, 5.0)
    fig = plots.plot_landscape(x, y, w_range=(3.0, 4.0), b_range=(1.0, 2.0), n=3)
    (cs,) = [c for c in fig.axes[0].collections if hasattr(c, "levels")]
    assert list(cs.levels) == [2]


def test_far_levels_keeps_a_contour_exactly_30_points_from_the_point():
    """30 points away is far enough: a straight contour whose nearest vertex is exactly 30 points from the
    point is labelled. 4 x 4 inch axes over (0, 288) x (0, 144): 1 point per unit of w, 2 per unit of b."""
    from matplotlib.figure import Figure
    fig = Figure(figsize=(4, 4))
    ax = fig.add_axes((0, 0, 1, 1))
    w, b = np.meshgrid(np.arange(0.0, 289.0), np.arange(0.0, 145.0))
    dist = np.abs(w - 100)                                 # in points: lines at w = 70 and 130 for level 30
    cs = ax.contour(w, b, dist, levels=[29, 30, 31])
    assert plots._far_levels(ax, cs, (100.0, 72.0), (0.0, 288.0), (0.0, 144.0)) == [30, 31]
    dist = np.abs(b - 72) * 2                              # 2 points per unit of b: lines at b = 57 and 87
    cs = ax.contour(w, b, dist, levels=[29, 30, 31])
    assert plots._far_levels(ax, cs, (100.0, 72.0), (0.0, 288.0), (0.0, 144.0)) == [30, 31]


def test_a_lesson_figure_shows_as_a_100_dpi_png_whatever_the_savefig_settings():
    """Jupyter shows _repr_png_'s bytes as a PNG: a PNG at 100 dpi (640 x 400 pixels for 6.4 x 4 inches) even
    where savefig's own format and dpi were set otherwise (an SVG default, a 72 dpi inline backend, 200 dpi)."""
    import matplotlib
    for rc in ({"savefig.format": "svg"}, {"savefig.format": "pdf"}, {"figure.dpi": 72, "savefig.dpi": "figure"},
               {"savefig.dpi": 200}):
        with matplotlib.rc_context(rc):
            fig, ax = plots.new_figure()
            ax.plot([0, 1], [0, 1])
            assert png_size(fig._repr_png_()) == (640, 400), rc


def test_a_lesson_axes_legend_takes_the_labels_given_as_arguments():
    """matplotlib's positional forms on a lesson's axes: ax.legend(labels) and ax.legend(handles, labels) show the
    labels given, for the lines given."""
    set_language("en")
    _, ax = plots.new_figure()
    rising, = ax.plot([0, 1], [0, 1])
    falling, = ax.plot([0, 1], [1, 0])
    ax.legend(["rising", "falling"])
    assert legend_texts(ax) == ["rising", "falling"]
    ax.legend([falling], ["only the falling one"])
    assert legend_texts(ax) == ["only the falling one"]
    (handle,) = ax.get_legend().legend_handles
    assert handle.get_color() == falling.get_color() != rising.get_color()
