"""lessonlib.plots.plot_bar_images / plot_filters (lesson 10): what they draw, titled in the lesson's language.

Read from the figure as the student sees it: each panel's pixels, colour map and colour limits (one grey
scale for all images, one red-white-blue scale centred on 0 for all filters), the titles and their size,
the figure's size, and where the filters' colour bar stands.
"""
import numpy as np
import pytest
import torch
from matplotlib.collections import QuadMesh

from lessonlib import plots
from lessonlib.plots import LessonFigure
from tests.oracles_cnn import bar_images, cnn
from tests.test_plots import OUTPUT_WIDTH_PX, smallest_text_px

TITLE_PT = 10       # panel titles: one point above the smallest font the figures use (SMALL_FONT, 9 pt)


@pytest.fixture
def no_pyplot_figures():
    import matplotlib.pyplot as plt
    assert plt.get_fignums() == []
    yield
    assert plt.get_fignums() == [], "a lessonlib figure was registered with pyplot"


def _titles(fig):
    return [ax.get_title() for ax in fig.axes if ax.get_title()]


@pytest.mark.parametrize("lang,names,title", [
    ("en", ["horizontal", "vertical", "diagonal"], "Training images, one row per class"),
    ("he", ["אופקי", "אנכי", "אלכסוני"], "תמונות אימון, שורה לכל מחלקה")])
def test_bar_images_one_row_per_class(language, no_pyplot_figures, lang, names, title):
    language(lang)
    x, y = bar_images(0)[:2]
    fig = plots.plot_bar_images(torch.from_numpy(x), torch.from_numpy(y), per_class=3)
    assert isinstance(fig, LessonFigure) and len(fig.axes) == 9
    assert tuple(fig.get_size_inches()) == pytest.approx((4.5, 4.8))    # 1.5 in a column, 1.6 in a row (title)
    assert _titles(fig) == [plots.label(n) for n in names for _ in range(3)]
    assert fig._suptitle.get_text() == plots.label(title)
    low, high = float(x.min()), float(x.max())                 # one grey scale: all the images' darkest to brightest
    for k, ax in enumerate(fig.axes):                          # row = class, column = its k-th image
        label, col = k // 3, k % 3
        expected = x[np.flatnonzero(y == label)[col], 0]
        image = ax.images[0]
        assert np.array_equal(np.asarray(image.get_array()), expected)
        assert image.get_cmap().name == "gray"
        assert image.get_clim() == pytest.approx((low, high))
        assert (expected.min(), expected.max()) != pytest.approx((low, high))    # not the image's own range
        assert ax.title.get_fontsize() == TITLE_PT
    px, text = smallest_text_px(fig, plots.FIGURE_DPI, OUTPUT_WIDTH_PX)
    assert px >= plots.MIN_TEXT_PX, f"{text!r} is {px:.1f} px"


def test_bar_images_as_the_lesson_calls_it_four_a_class_whatever_the_shapes(no_pyplot_figures):
    """plot_bar_images(x_train, y_train): four images a class; images without their channel axis
    (N, 8, 8) and labels as a column (N, 1) draw the same panels."""
    x, y = bar_images(0)[:2]
    fig = plots.plot_bar_images(x[:, 0], y.reshape(-1, 1))
    assert len(fig.axes) == 12 and tuple(fig.get_size_inches()) == pytest.approx((6.0, 4.8))
    for k, ax in enumerate(fig.axes):
        assert np.array_equal(np.asarray(ax.images[0].get_array()), x[np.flatnonzero(y == k // 4)[k % 4], 0])


@pytest.mark.parametrize("lang,word", [("en", "filter"), ("he", "מסנן")])
def test_filters_drawn_as_images_on_one_scale(language, no_pyplot_figures, lang, word):
    language(lang)
    weight = cnn(0)[0].weight                                   # (6, 1, 3, 3), requires grad: drawn all the same
    fig = plots.plot_filters(weight, "cnn.title.filters_start")
    panels = [ax for ax in fig.axes if ax.images and ax.get_title()]
    assert len(panels) == 6 and len(fig.axes) == 7              # six filters and the colour bar
    assert tuple(fig.get_size_inches()) == pytest.approx((9.2, 2.0))    # 1.4 in a filter, 0.8 in for the bar
    lim = float(weight.detach().abs().max())
    for k, ax in enumerate(panels):
        assert ax.get_title() == plots.label(f"{word} {k}")
        assert ax.title.get_fontsize() == TITLE_PT
        assert np.allclose(np.asarray(ax.images[0].get_array()), weight[k, 0].detach().numpy())
        assert ax.images[0].get_cmap().name == "bwr"                    # red +, white 0, blue -
        assert ax.images[0].get_clim() == pytest.approx((-lim, lim))    # white is 0 in every panel
    (bar,) = [ax for ax in fig.axes if ax not in panels]
    (colours,) = [c for c in bar.collections if isinstance(c, QuadMesh)]
    assert colours.get_cmap().name == "bwr" and bar.get_ylim() == pytest.approx((-lim, lim))
    title = {"en": "The filters before training (random)", "he": "המסננים לפני האימון (אקראיים)"}[lang]
    assert fig._suptitle.get_text() == plots.label(title)
    assert fig._repr_png_().startswith(b"\x89PNG")
    # as laid out: the bar is about as tall as the pictures (not a fifth taller), and stands apart from the row,
    # a few gaps between panels away from the last filter: it belongs to all of them, not to filter 5
    boxes = [ax.get_position() for ax in panels]
    ratio = bar.get_position().height / boxes[0].height
    assert 0.9 < ratio < 1.1, ratio
    gap_between_panels = boxes[1].x0 - boxes[0].x1
    assert bar.get_position().x0 - boxes[-1].x1 > 3 * gap_between_panels
    px, text = smallest_text_px(fig, plots.FIGURE_DPI, OUTPUT_WIDTH_PX)
    assert px >= plots.MIN_TEXT_PX, f"{text!r} is {px:.1f} px"


def test_all_zero_filters_still_draw(no_pyplot_figures):
    fig = plots.plot_filters(np.zeros((2, 1, 3, 3)))
    panels = [ax for ax in fig.axes if ax.images]
    assert len(panels) == 2 and fig._repr_png_()
    assert tuple(fig.get_size_inches()) == pytest.approx((3.6, 2.0))
    for ax in panels:                                   # no weight to scale by: the scale is -1 .. 1
        assert ax.images[0].get_clim() == (-1.0, 1.0)
    (bar,) = [ax for ax in fig.axes if ax not in panels]
    assert bar.get_ylim() == pytest.approx((-1.0, 1.0))


def test_filters_given_without_the_channel_axis_draw_the_same(no_pyplot_figures):
    weight = cnn(0)[0].weight.detach()[:, 0]                    # (6, 3, 3)
    fig = plots.plot_filters(weight)
    panels = [ax for ax in fig.axes if ax.images]
    assert len(panels) == 6
    for k, ax in enumerate(panels):
        assert np.allclose(np.asarray(ax.images[0].get_array()), weight[k].numpy())


def test_titles_keep_their_size_where_the_sessions_default_font_is_smaller(no_pyplot_figures):
    """The panel titles are set at TITLE_PT, not left to rcParams: a notebook whose default font is
    8 pt still gets titles a point above the smallest font (readable where shown)."""
    import matplotlib

    x, y = bar_images(0)[:2]
    with matplotlib.rc_context({"font.size": 8}):
        figs = [plots.plot_bar_images(x, y, per_class=1), plots.plot_filters(np.ones((2, 1, 3, 3)))]
    titles = [ax.title for fig in figs for ax in fig.axes if ax.get_title()]
    assert len(titles) == 3 + 2 and {title.get_fontsize() for title in titles} == {TITLE_PT}
