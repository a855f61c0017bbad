"""lessonlib.plots: figures with labels in the lesson's language, Hebrew drawn right, no global state."""
import re

import matplotlib
import numpy as np
import pytest
import torch
from bidi.algorithm import get_display

from lessonlib import fit, make_line_data, make_model, predict, true_fn
from lessonlib import plots
from lessonlib.plots import LessonFigure, label, needs_bidi
from lessonlib.text import t

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
HEBREW = re.compile(r"[\u05D0-\u05EA]")


@pytest.fixture
def no_pyplot_figures():
    """pyplot (imported only here) must know of no figure before or after the test."""
    import matplotlib.pyplot as plt
    assert plt.get_fignums() == []
    yield plt
    assert plt.get_fignums() == [], "a lessonlib figure was registered with pyplot"


@pytest.fixture(scope="module")
def data():
    return make_line_data(0)


LRI, PDI = "\u2066", "\u2069"
OLD_MATPLOTLIB = tuple(int(p) for p in matplotlib.__version__.split(".")[:2]) < (3, 11)

# What each label must read, written out (not computed with label(), the function under test):
# (English, Hebrew for matplotlib >= 3.11: logical order, a run it would flip isolated in U+2066..U+2069,
#  Hebrew for matplotlib 3.10: visual order, since it draws the characters as they are stored)
LABELS = {
    "plot.title.data": ("The lesson's data: y = 2x + 1", "הנתונים של השיעור: y = 2x + 1", "y = 2x + 1 :רועישה לש םינותנה"),
    "plot.x": ("x", "x", "x"),
    "plot.y": ("y", "y", "y"),
    "plot.train_points": ("training set", "סט אימון", "ןומיא טס"),
    "plot.val_points": ("validation set", "סט ולידציה", "היצדילו טס"),
    "plot.title.fit": ("What the network learned", "מה הרשת למדה", "הדמל תשרה המ"),
    "plot.truth": ("truth: y = 2x + 1", "האמת: y = 2x + 1", "y = 2x + 1 :תמאה"),
    "plot.prediction": ("network's prediction", "החיזוי של הרשת", "תשרה לש יוזיחה"),
    "plot.title.history": ("Learning history: y = 2x + 1", "היסטוריית הלמידה: y = 2x + 1",
                           "y = 2x + 1 :הדימלה תיירוטסיה"),
    "plot.epoch": ("epoch", "אפוק", "קופא"),
    "plot.mse": ("MSE loss", "הפסד MSE", "MSE דספה"),
    "plot.train_loss": ("training loss", "הפסד אימון", "ןומיא דספה"),
    "plot.val_loss": ("validation loss", "הפסד ולידציה", "היצדילו דספה"),
    "plot.title.landscape": ("Loss landscape of y = wx + b", "נוף ההפסד של y = wx + b", "y = wx + b לש דספהה ףונ"),
    "plot.w": ("w (weight)", f"{LRI}w{PDI} (משקל)", "(לקשמ) w"),
    "plot.b": ("b (bias)", f"{LRI}b{PDI} (הטיה)", "(היטה) b"),
    "plot.minimum": ("minimum: w = 2, b = 1", f"מינימום: {LRI}w = 2{PDI}, {LRI}b = 1{PDI}", "b = 1 ,w = 2 :םומינימ"),
}


def shown(key, lang):
    """What a label must read on the installed matplotlib (LABELS, written out)."""
    en, he_new, he_old = LABELS[key]
    return en if lang == "en" else he_old if OLD_MATPLOTLIB else he_new


def legend_texts(ax):
    return [txt.get_text() for txt in ax.get_legend().get_texts()]


# ---- the version switch --------------------------------------------------------------------

def test_needs_bidi():
    assert needs_bidi("3.10.0") is True
    assert needs_bidi("3.10.7") is True
    assert needs_bidi("3.7.1") is True
    assert needs_bidi("3.11.2") is False
    assert needs_bidi("3.11.0rc1") is False
    assert needs_bidi("3.12.0") is False
    assert needs_bidi("4.0") is False
    assert needs_bidi() is (tuple(int(p) for p in matplotlib.__version__.split(".")[:2]) < (3, 11))


def test_label_on_3_10_uses_legacy_bidi():
    logical = "הפסד אימון"
    visual = label(logical, "3.10.0")
    assert visual == get_display(logical)
    assert visual != logical
    assert visual[0] == logical[-1], "the first visible character must be the last logical one"
    assert visual == "ןומיא דספה"
    # a shape inside Hebrew keeps its order (the bare legacy algorithm showed "(1 ,2)")
    assert label("מינימום (2, 1)", "3.10.0") == "(2, 1) םומינימ"
    assert label("מה הרשת למדה", "3.9.2") == "הדמל תשרה המ"


def test_label_on_3_11_and_later_is_unchanged():
    for version in ("3.11.0", "3.11.2", "3.12.1"):
        for text in ("הפסד אימון", "הנתונים של השיעור: y = 2x + 1"):
            assert label(text, version) == text
        # a shape flips even there ("(1 ,2)"): it is isolated (tests/test_bidi.py)
        assert label("מינימום (2, 1)", version) == "מינימום \u2066(2, 1)\u2069"


def test_label_leaves_non_hebrew_alone():
    for version in ("3.10.0", "3.11.2"):
        assert label("training loss", version) == "training loss"
        assert label("(2, 1) x", version) == "(2, 1) x"


# ---- figures in both languages ----------------------------------------------------------------

@pytest.mark.parametrize("lang", ["en", "he"])
def test_plot_data_labels(language, no_pyplot_figures, data, lang):
    language(lang)
    fig = plots.plot_data(data)
    assert isinstance(fig, LessonFigure)
    ax = fig.axes[0]
    assert ax.get_title() == shown("plot.title.data", lang)
    assert ax.get_xlabel() == shown("plot.x", lang) and ax.get_ylabel() == shown("plot.y", lang)
    assert legend_texts(ax) == [shown("plot.train_points", lang), shown("plot.val_points", lang)]
    assert len(ax.collections[0].get_offsets()) == 160 and len(ax.collections[1].get_offsets()) == 40
    if lang == "he" and not needs_bidi():
        assert ax.get_title() == "הנתונים של השיעור: y = 2x + 1"
        assert legend_texts(ax) == ["סט אימון", "סט ולידציה"]
    if lang == "en":
        assert ax.get_title() == "The lesson's data: y = 2x + 1"


@pytest.mark.parametrize("lang", ["en", "he"])
def test_plot_fit_labels(language, no_pyplot_figures, data, lang):
    language(lang)
    model = make_model(0)
    fig = plots.plot_fit(lambda xs: predict(model, xs), data)
    ax = fig.axes[0]
    assert isinstance(fig, LessonFigure)
    assert ax.get_title() == shown("plot.title.fit", lang)
    assert legend_texts(ax) == [shown("plot.truth", lang), shown("plot.prediction", lang),
                                shown("plot.train_points", lang)]
    truth, prediction = ax.get_lines()[:2]
    assert np.allclose(truth.get_ydata(), 2 * np.asarray(truth.get_xdata()) + 1)     # y = 2x + 1, written out
    xs = np.asarray(prediction.get_xdata(), dtype=np.float32).reshape(-1, 1)
    with torch.no_grad():                        # the net's own forward pass, not lessonlib.predict
        assert np.allclose(prediction.get_ydata(), model(torch.from_numpy(xs)).numpy().reshape(-1))
    if lang == "he":
        assert HEBREW.search(ax.get_title())
    # a different title from the catalog
    fig2 = plots.plot_fit(true_fn, title_key="plot.title.data")
    assert fig2.axes[0].get_title() == shown("plot.title.data", lang)


@pytest.mark.parametrize("lang", ["en", "he"])
def test_plot_history_labels(language, no_pyplot_figures, lang):
    language(lang)
    hist = fit(make_model(0), make_line_data(0), epochs=5, progress=False, fast=True)
    fig = plots.plot_history(hist.train_loss, hist.val_loss)
    assert isinstance(fig, LessonFigure)
    ax = fig.axes[0]
    assert ax.get_title() == shown("plot.title.history", lang)
    assert ax.get_xlabel() == shown("plot.epoch", lang)
    assert ax.get_ylabel() == shown("plot.mse", lang)
    assert legend_texts(ax) == [shown("plot.train_loss", lang), shown("plot.val_loss", lang)]
    assert ax.get_yscale() == "log"
    train_line = ax.get_lines()[0]
    assert list(train_line.get_xdata()) == [1, 2, 3, 4, 5]          # epochs count from 1
    assert list(train_line.get_ydata()) == hist.train_loss
    assert plots.plot_history([3.0, 2.0], [3.0, 2.5], log=False).axes[0].get_yscale() == "linear"
    if lang == "he" and not needs_bidi():
        assert ax.get_xlabel() == "אפוק" and legend_texts(ax) == ["הפסד אימון", "הפסד ולידציה"]
    if lang == "en":
        assert ax.get_xlabel() == "epoch" and legend_texts(ax) == ["training loss", "validation loss"]


@pytest.mark.parametrize("lang", ["en", "he"])
def test_plot_landscape_labels(language, no_pyplot_figures, data, lang):
    language(lang)
    path = [(0.0, 0.0), (1.0, 0.5), (2.0, 1.0)]
    fig = plots.plot_landscape(data.x_train, data.y_train, path=path, point=(0.0, 0.0), grad=(-1.0, -0.5), n=41)
    assert isinstance(fig, LessonFigure)
    ax = fig.axes[0]
    assert ax.get_title() == shown("plot.title.landscape", lang)
    assert ax.get_xlabel() == shown("plot.w", lang) and ax.get_ylabel() == shown("plot.b", lang)
    assert legend_texts(ax) == [shown("plot.minimum", lang)]
    star = ax.get_lines()[0]
    (sw,), (sb,) = star.get_xdata(), star.get_ydata()
    assert (sw, sb) == pytest.approx((2.0, 1.0), abs=1e-6)     # the least-squares line of the float32 data


def test_axes_argument_draws_into_given_axes(no_pyplot_figures):
    fig, axes = plots.new_figure(nrows=1, ncols=2)
    assert isinstance(fig, LessonFigure) and len(axes) == 2
    out = plots.plot_history([1.0, 0.5], [1.0, 0.6], ax=axes[1])
    assert out is fig
    assert axes[1].get_title() == "Learning history: y = 2x + 1" and axes[0].get_title() == ""


# ---- PNG, the landscape's math, no global state ------------------------------------------------

def test_repr_png(no_pyplot_figures, data):
    fig = plots.plot_data(data)
    png = fig._repr_png_()
    assert isinstance(png, bytes) and png.startswith(PNG_MAGIC)
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert (width, height) == (640, 400)          # figsize (6.4, 4.0) at dpi 100


def test_line_mse_grid_minimum(data):
    W, B, L = plots.line_mse_grid(data.x_train, data.y_train)
    assert W.shape == B.shape == L.shape == (121, 121)
    i = np.unravel_index(np.argmin(L), L.shape)
    assert (W[i], B[i]) == pytest.approx((2.0, 1.0), abs=1e-12)
    assert L[i] == pytest.approx(0.0, abs=1e-9)
    assert np.all(L >= -1e-9)
    # the expanded formula equals the plain mean of squared errors
    x = data.x_train.astype(np.float64).reshape(-1)
    y = data.y_train.astype(np.float64).reshape(-1)
    for j, k in [(0, 0), (10, 90), (120, 120), (60, 61)]:
        direct = np.mean((W[j, k] * x + B[j, k] - y) ** 2)
        assert L[j, k] == pytest.approx(direct, rel=1e-10)


def test_plotting_does_not_change_rcparams(language, no_pyplot_figures, data):
    before = dict(matplotlib.rcParams)
    language("he")
    for fig in (plots.plot_data(data), plots.plot_history([2.0, 1.0], [2.0, 1.5]),
                plots.plot_landscape(data.x_train, data.y_train, n=21)):
        fig._repr_png_()
    after = dict(matplotlib.rcParams)
    changed = sorted(k for k in before if before[k] != after.get(k))
    assert changed == [] and set(after) == set(before), f"rcParams changed: {changed}"


def test_hebrew_figure_renders(language, no_pyplot_figures, tmp_path):
    language("he")
    fig = plots.plot_history([4.0, 1.0, 0.5], [4.5, 1.5, 0.7])
    out = tmp_path / "hebrew_plot.png"
    fig.savefig(out, dpi=80)
    assert out.read_bytes().startswith(PNG_MAGIC)


# ---- how the figures look where they are shown (issue 7) ----------------------------------------

OUTPUT_WIDTH_PX = 1320   # a cell's output area in JupyterLab 4 at a 1500 px wide page (measured, sidebar folded)


def smallest_text_px(fig, dpi, shown_width_px=None):
    """(height in CSS px of the smallest text drawn, that text): font size (pt) x dpi / 72 x display scale.

    The display scale is the <img>'s CSS width over the PNG's pixel width: JupyterLab shows a PNG at
    its own size, shrunk (max-width: 100%) only where the output area is narrower.
    """
    import matplotlib.text
    png_width = fig.get_figwidth() * dpi
    scale = min(png_width, shown_width_px or png_width) / png_width
    sizes = [(txt.get_fontsize() * dpi / 72 * scale, txt.get_text()) for txt in fig.findobj(matplotlib.text.Text)
             if txt.get_visible() and txt.get_text().strip()]
    assert sizes, "the figure has no text"
    return min(sizes)


def assert_markers_on_reading_side(leg, renderer, lang):
    """Each legend entry is a row [marker box, text] (matplotlib's own boxes): in Hebrew the marker box
    must lie right of its text, in English left of it."""
    from matplotlib.offsetbox import DrawingArea, TextArea
    entries = [item for column in leg._legend_handle_box.get_children() for item in column.get_children()]
    assert len(entries) == len(leg.get_texts())
    for item in entries:
        marker = next(c for c in item.get_children() if isinstance(c, DrawingArea)).get_window_extent(renderer)
        text = next(c for c in item.get_children() if isinstance(c, TextArea))
        box = text.get_window_extent(renderer)
        ok = marker.x0 >= box.x1 if lang == "he" else marker.x1 <= box.x0
        assert ok, f"{text.get_text()!r}: marker {marker.x0:.0f}..{marker.x1:.0f}, text {box.x0:.0f}..{box.x1:.0f}"


def lesson_figures(data):
    """Every figure lessonlib.plots makes, as the lessons call it."""
    model = make_model(0)
    hist = fit(make_model(0), data, epochs=3, progress=False, fast=True)
    fig4, axes = plots.new_figure(figsize=(9, 6), nrows=2, ncols=2)     # 06's optimizer comparison
    for ax in axes.flat:
        plots.plot_history(hist.train_loss, hist.val_loss, ax=ax)
    return {"plot_data": plots.plot_data(data),
            "plot_fit": plots.plot_fit(lambda xs: predict(model, xs), data),
            "plot_history": plots.plot_history(hist.train_loss, hist.val_loss),
            "plot_landscape": plots.plot_landscape(data.x_train, data.y_train, path=[(0, -3), (1, -2)]),
            "four_histories": fig4}


@pytest.mark.parametrize("lang", ["en", "he"])
def test_lesson_figure_text_is_at_least_10px_where_shown(language, no_pyplot_figures, data, lang):
    language(lang)
    for name, fig in lesson_figures(data).items():
        png = fig._repr_png_()
        assert int.from_bytes(png[16:20], "big") == round(fig.get_figwidth() * plots.FIGURE_DPI)
        px, text = smallest_text_px(fig, plots.FIGURE_DPI, OUTPUT_WIDTH_PX)
        assert px >= plots.MIN_TEXT_PX, f"{name}: {text!r} is drawn {px:.1f} px high"


def test_notebook_figures_keep_readable_text():
    """The lessons' own figure cells use plots.new_figure (dpi 100, lessonlib's axes) with matplotlib's
    default text sizes, no smaller font, and a width whose text is still >= 10 px where shown."""
    import json
    import pathlib
    from matplotlib.font_manager import FontProperties
    defaults = [FontProperties(size=matplotlib.rcParams[k]).get_size_in_points()
                for k in ("font.size", "xtick.labelsize", "ytick.labelsize", "legend.fontsize",
                          "axes.labelsize", "axes.titlesize")]
    root = pathlib.Path(__file__).resolve().parents[1] / "notebooks"
    checked = 0
    for path in sorted(root.glob("*/*.ipynb")):
        for i, cell in enumerate(json.loads(path.read_text())["cells"]):
            src = "".join(cell["source"])
            if cell["cell_type"] != "code" or not re.search(r"figure|subplots|\.legend\(", src):
                continue
            where = f"{path.relative_to(root)} cell {i}"
            assert "plt." not in src and "Figure(" not in src, f"{where}: make figures with plots.new_figure"
            assert not re.search(r"fontsize|labelsize|\bsize=", src), f"{where}: sets a font size"
            for width in re.findall(r"figsize=\(\s*([\d.]+)", src):
                scale = min(1.0, OUTPUT_WIDTH_PX / (float(width) * plots.FIGURE_DPI))
                assert min(defaults) * plots.FIGURE_DPI / 72 * scale >= plots.MIN_TEXT_PX, where
            checked += 1
    assert checked >= 5


@pytest.mark.parametrize("lang", ["en", "he"])
def test_legend_markers_sit_on_the_reading_side(language, no_pyplot_figures, data, lang):
    """Hebrew reads from the right: the marker goes right of its label (markerfirst=False), also for a
    plain ax.legend() in a notebook cell; English keeps matplotlib's default."""
    language(lang)
    figs = list(lesson_figures(data).values())
    fig, ax = plots.new_figure()
    ax.plot([0, 1], [0, 1], label=plots.tr("plot.truth"))
    ax.scatter([0], [1], label=plots.tr("plot.train_points"))
    ax.legend()                                   # as the lessons' own cells call it
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    for f in figs + [fig]:
        canvas = FigureCanvasAgg(f)
        canvas.draw()
        renderer = canvas.get_renderer()
        for a in f.axes:
            if a.get_legend() is not None:
                assert_markers_on_reading_side(a.get_legend(), renderer, lang)
    leg = ax.legend(markerfirst=True)             # asked for explicitly: kept
    assert leg is ax.get_legend()


def test_contour_labels_are_round_and_clear_of_the_minimum(language, no_pyplot_figures, data):
    """03 c19: labels "0" sat on the minimum's star. Labels are round MSE values, none on the star."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    for lang in ("en", "he"):
        language(lang)
        fig = plots.plot_landscape(data.x_train, data.y_train)
        canvas = FigureCanvasAgg(fig)
        canvas.draw()
        renderer = canvas.get_renderer()
        ax = fig.axes[0]
        labels = [txt for txt in ax.texts if txt.get_text()]
        assert len(labels) >= 4
        assert all(txt.get_text() != "0" and float(txt.get_text()) in plots.LANDSCAPE_LEVELS for txt in labels)
        star = ax.get_lines()[0]
        assert star.get_marker() == "*"
        sx, sy = ax.transData.transform((2.0, 1.0))
        r = star.get_markersize() / 2 * fig.dpi / 72          # the star's radius in pixels
        for txt in labels:
            box = txt.get_window_extent(renderer)
            dx = max(box.x0 - sx, 0, sx - box.x1)
            dy = max(box.y0 - sy, 0, sy - box.y1)
            assert (dx * dx + dy * dy) ** 0.5 > r + 2, f"contour label {txt.get_text()!r} covers the minimum"


def test_optimizer_names_for_plot_titles():
    """06's comparison titles its panels with the optimizers' names, not the raw keys ("momentum")."""
    from lessonlib.train import OPTIMIZERS
    for lang in ("en", "he"):
        names = [t(f"plot.optimizer.{name}", lang=lang) for name in OPTIMIZERS]
        assert not any(n.startswith("[") for n in names)
        assert t("plot.optimizer.momentum", lang=lang) != "momentum"
