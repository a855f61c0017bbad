"""widgets.conv_explorer (lesson 10): what the student reads, checked against torch's own convolution.

The displayed TEXT is read (HTML with the tags stripped) and compared with values computed here:
torch.nn.functional.conv2d with padding 1 on the oracle's images (tests/oracles_cnn.py), the hand-made
filters written out as literals, the learned ones from the oracle's net. Runs under ipywidgets 8 and 7.7.1.
"""
import html
import re

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from tests.oracles_cnn import bar_images, cnn

w = pytest.importorskip("ipywidgets")
from lessonlib import widgets  # noqa: E402
from lessonlib.model import make_cnn  # noqa: E402

HORIZONTAL = [[-1, -1, -1], [2, 2, 2], [-1, -1, -1]]   # the hand-made filters, as the widget names them
VERTICAL = [[-1, 2, -1], [-1, 2, -1], [-1, 2, -1]]
DIAGONAL = [[2, -1, -1], [-1, 2, -1], [-1, -1, 2]]


def text(value: str) -> str:
    value = re.sub(r"</?(?:p|li|div|tr|td|th|table)\b[^>]*>", " ", value)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", value))).strip().translate(
        dict.fromkeys(map(ord, "\u2066\u2067\u2068\u2069\u200e\u200f")))


def cells(value: str) -> list[str]:
    return [text(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", value, re.S)]


def first_val_image(label: int) -> np.ndarray:
    _, _, x_val, y_val = bar_images(0)
    return x_val[int(np.flatnonzero(y_val == label)[0]), 0]


def torch_conv(image, kernel, bias=0.0) -> np.ndarray:
    x = torch.tensor(np.asarray(image, dtype=np.float64))[None, None]
    k = torch.tensor(np.asarray(kernel, dtype=np.float64))[None, None]
    return F.conv2d(x, k, bias=torch.tensor([float(bias)], dtype=torch.float64), padding=1)[0, 0].numpy()


def f4(v: float) -> str:
    return f"{v + 0.0:.4f}"


@pytest.fixture(scope="module")
def trained_like():
    """The lesson's net at its initial weights (the widget reads whatever filters the model holds)."""
    return make_cnn(0)


def test_the_sum_shown_is_torchs_convolution_at_every_place_of_one_row():
    _, ctl = widgets.conv_explorer()
    img = first_val_image(0)                              # the first image offered: a horizontal bar
    out = torch_conv(img, HORIZONTAL)
    for c in range(8):
        ctl.set_position(4, c)
        assert text(ctl.message_html.value).startswith(
            f"output[4, {c}] = sum of the nine products + bias = {f4(out[4, c])} + 0.0000 = {f4(out[4, c])}")


def test_the_nine_products_are_the_padded_window_times_the_filter():
    _, ctl = widgets.conv_explorer()
    ctl.filter_dd.value = 1                               # made by hand: vertical bar
    ctl.image_dd.value = 1                                # a vertical bar
    ctl.set_position(0, 7)                                # a corner: five of the nine pixels are padding
    img = first_val_image(1)
    shown = cells(ctl.calc_html.value)
    assert len(shown) == 9
    for k, cell in enumerate(shown):
        i, j = 0 + k // 3 - 1, 7 + k % 3 - 1
        pixel = float(img[i, j]) if 0 <= i < 8 and 0 <= j < 8 else 0.0
        weight = VERTICAL[k // 3][k % 3]
        assert cell == f"{f4(pixel)} × {f4(weight)} = {f4(pixel * weight)}", (k, cell)
    out = torch_conv(img, VERTICAL)
    assert f"= {f4(out[0, 7])}" in text(ctl.message_html.value)


def test_the_diagonal_filter_fires_most_on_the_diagonal_of_a_clean_bar():
    """The hand-made filters are line detectors: on a clean "\\" bar the diagonal one peaks on the bar."""
    out = widgets.conv_map(np.eye(8), np.array(DIAGONAL, dtype=float))
    assert np.allclose(out, torch_conv(np.eye(8), DIAGONAL))
    assert out[3, 3] == 6.0 and out.max() == 6.0


def test_next_and_previous_walk_row_by_row_and_wrap(trained_like):
    _, ctl = widgets.conv_explorer(trained_like)
    ctl.set_position(0, 7)
    ctl.next_button.click()
    assert ctl.position == (1, 0) and text(ctl.message_html.value).startswith("output[1, 0] =")
    ctl.set_position(7, 7)
    ctl.next_button.click()
    assert ctl.position == (0, 0)
    ctl.prev_button.click()
    assert ctl.position == (7, 7) and text(ctl.message_html.value).startswith("output[7, 7] =")
    ctl.row_slider.value = 2                              # the sliders move the window too
    assert text(ctl.message_html.value).startswith("output[2, 7] =")


def test_learned_filters_show_the_models_own_values(trained_like):
    _, ctl = widgets.conv_explorer(trained_like)
    labels = [label for label, _ in ctl.filter_dd.options]
    assert labels == ["made by hand: horizontal bar", "made by hand: vertical bar", "made by hand: diagonal bar \\"] \
        + [f"learned: filter {k}" for k in range(6)]
    net = cnn(0)                                          # the same weights, built independently
    img = first_val_image(2)
    ctl.image_dd.value = 2
    ctl.filter_dd.value = 3 + 4                           # learned: filter 4
    ctl.set_position(5, 2)
    with torch.no_grad():
        expected = float(net[0](torch.from_numpy(img)[None, None])[0, 4, 5, 2])
    bias = float(net[0].bias[4].detach())
    shown = text(ctl.message_html.value)
    m = re.match(r"output\[5, 2\] = sum of the nine products \+ bias = (\S+) \+ (\S+) = (\S+)", shown)
    assert m, shown
    assert m.group(2) == f4(bias) and abs(float(m.group(3)) - expected) <= 0.5e-4 + 1e-6


def test_a_model_without_a_conv_layer_gets_a_message_not_a_traceback():
    _, ctl = widgets.conv_explorer(torch.nn.Linear(2, 2))
    assert len(ctl.filter_dd.options) == 3
    assert "has no nn.Conv2d layer with one input channel" in text(ctl.message_html.value)


def test_the_plot_changes_with_the_window_and_shows_the_map_so_far():
    _, ctl = widgets.conv_explorer()
    before = ctl.plot_html.value
    ctl.next_button.click()
    assert ctl.plot_html.value != before and ctl.plot_html.value.startswith('<img class="lessonlib-plot-img"')
    shown = np.asarray(ctl._ax_out.images[0].get_array(), dtype=float)
    filled = ~np.isnan(np.ma.filled(shown, np.nan))
    assert filled.sum() == 2 and filled[0, 0] and filled[0, 1]   # (0, 0) and (0, 1) computed so far


@pytest.mark.parametrize("lang", ["en", "he"])
def test_every_control_has_a_tooltip_and_hebrew_is_right_to_left(language, lang):
    language(lang)
    ui, ctl = widgets.conv_explorer(make_cnn(0))
    assert ("lessonlib-rtl" in ui._dom_classes) == (lang == "he")

    def descendants(x):
        yield x
        for child in getattr(x, "children", ()):
            yield from descendants(child)
    for c in descendants(ui):
        if getattr(c, "description", ""):
            tip = c.tooltip if c.has_trait("tooltip") else c.description_tooltip
            assert tip and tip != "null", c.description
    if lang == "he":
        shown = text(ctl.message_html.value)
        assert shown.startswith("output[0, 0] = סכום תשע המכפלות + ההטיה =") and "הריפוד" in shown
        assert [label for label, _ in ctl.image_dd.options] == ["אופקי", "אנכי", "אלכסוני"]
        assert text(ctl.calc_html.value).startswith("תשע המכפלות, חלון × מסנן")
    # the panels in the reading direction: image, filter, output map from the right in Hebrew
    lefts = [ax.get_position().x0 for ax in (ctl._ax_in, ctl._ax_k, ctl._ax_out)]
    assert lefts == sorted(lefts, reverse=(lang == "he"))
