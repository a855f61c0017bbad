"""lessonlib.plots: figures with labels in the lesson's language, Hebrew drawn right, no global state."""
import re

import matplotlib
import numpy as np
import pytest
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


def shown(key, lang, **values):
    """What a label must read on this matplotlib: the catalog text, reordered only where needed."""
    return label(t(key, lang=lang, **values))


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
    assert np.allclose(truth.get_ydata(), true_fn(truth.get_xdata()))
    xs = np.asarray(prediction.get_xdata(), dtype=np.float32).reshape(-1, 1)
    assert np.allclose(prediction.get_ydata(), predict(model, xs).numpy().reshape(-1))
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
    assert list(star.get_xdata()) == [2.0] and list(star.get_ydata()) == [1.0]


def test_axes_argument_draws_into_given_axes(no_pyplot_figures):
    fig, axes = plots.new_figure(nrows=1, ncols=2)
    assert isinstance(fig, LessonFigure) and len(axes) == 2
    out = plots.plot_history([1.0, 0.5], [1.0, 0.6], ax=axes[1])
    assert out is fig
    assert axes[1].get_title() == t("plot.title.history") and axes[0].get_title() == ""


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
