"""lessonlib.plots.plot_bar_images / plot_filters (lesson 10): what they draw, titled in the lesson's language."""
import numpy as np
import pytest
import torch

from lessonlib import plots
from lessonlib.plots import LessonFigure
from tests.oracles_cnn import bar_images, cnn
from tests.test_plots import OUTPUT_WIDTH_PX, smallest_text_px


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
    assert _titles(fig) == [plots.label(n) for n in names for _ in range(3)]
    assert fig._suptitle.get_text() == plots.label(title)
    for k, ax in enumerate(fig.axes):                          # row = class, column = its k-th image
        label, col = k // 3, k % 3
        expected = x[np.flatnonzero(y == label)[col], 0]
        assert np.array_equal(np.asarray(ax.images[0].get_array()), expected)
    px, text = smallest_text_px(fig, plots.FIGURE_DPI, OUTPUT_WIDTH_PX)
    assert px >= plots.MIN_TEXT_PX, f"{text!r} is {px:.1f} px"


@pytest.mark.parametrize("lang,word", [("en", "filter"), ("he", "מסנן")])
def test_filters_drawn_as_images_on_one_scale(language, no_pyplot_figures, lang, word):
    language(lang)
    weight = cnn(0)[0].weight                                   # (6, 1, 3, 3), requires grad: drawn all the same
    fig = plots.plot_filters(weight, "cnn.title.filters_start")
    panels = [ax for ax in fig.axes if ax.images and ax.get_title()]
    assert len(panels) == 6 and len(fig.axes) == 7              # six filters and the colour bar
    lim = float(weight.detach().abs().max())
    for k, ax in enumerate(panels):
        assert ax.get_title() == plots.label(f"{word} {k}")
        assert np.allclose(np.asarray(ax.images[0].get_array()), weight[k, 0].detach().numpy())
        assert ax.images[0].get_clim() == pytest.approx((-lim, lim))    # white is 0 in every panel
    title = {"en": "The filters before training (random)", "he": "המסננים לפני האימון (אקראיים)"}[lang]
    assert fig._suptitle.get_text() == plots.label(title)
    assert fig._repr_png_().startswith(b"\x89PNG")
    px, text = smallest_text_px(fig, plots.FIGURE_DPI, OUTPUT_WIDTH_PX)
    assert px >= plots.MIN_TEXT_PX, f"{text!r} is {px:.1f} px"


def test_all_zero_filters_still_draw(no_pyplot_figures):
    fig = plots.plot_filters(np.zeros((2, 1, 3, 3)))
    assert len([ax for ax in fig.axes if ax.images]) == 2 and fig._repr_png_()
