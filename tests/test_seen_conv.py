"""What the student sees and uses in widgets.conv_explorer (lesson 10), in both languages.

Every control's text, range and style; the full message and the nine products after a move; the three
panels of the plot (the padded image with its frame and window, the filter with its printed weights,
the output map so far) and the data given. Expected values are literals, or computed here with torch
(float64 conv2d, padding 1) and NumPy on the given images and weights, never with the widget's code.
"""
import html
import re

import matplotlib
import numpy as np
import pytest
import torch
import torch.nn.functional as F
from matplotlib.colors import to_rgba

from lessonlib.data import ImageData
from tests.oracles_cnn import bar_images, cnn
from tests.seen import png_of, png_size

w = pytest.importorskip("ipywidgets")
from lessonlib import widgets  # noqa: E402

HORIZONTAL = [[-1, -1, -1], [2, 2, 2], [-1, -1, -1]]
VERTICAL = [[-1, 2, -1], [-1, 2, -1], [-1, 2, -1]]
DIAGONAL = [[2, -1, -1], [-1, 2, -1], [-1, -1, 2]]
ISOLATES = dict.fromkeys(map(ord, "\u2066\u2067\u2068\u2069\u200e\u200f"))
HEBREW_TITLES_AS_WRITTEN = tuple(int(p) for p in matplotlib.__version__.split(".")[:2]) >= (3, 11)

TEXTS = {
    "en": {
        "image": "image", "filter": "filter", "row": "row", "col": "column",
        "prev": "◀ previous place", "next": "next place ▶",
        "prev_tip": "Move the window one place back (row by row)",
        "next_tip": "Move the window one place on (row by row)",
        "images": ["horizontal", "vertical", "diagonal"],
        "filters": ["made by hand: horizontal bar", "made by hand: vertical bar", "made by hand: diagonal bar \\"],
        "learned": "learned: filter {k}",
        "products": "The nine products, window × filter, place by place:",
        "sum": "output[{r}, {c}] = sum of the nine products + bias = {p} + {b} = {v}",
        "where": ("The window is centred on pixel ({r}, {c}) of the image; where it sticks out of the image it "
                  "covers the padding's zeros."),
        "no_conv": ("The model given has no nn.Conv2d layer with one input channel, so only the filters made by "
                    "hand are offered."),
        "titles": ["image (padded) and window", "filter", "output map so far"],
    },
    "he": {
        "image": "תמונה", "filter": "מסנן", "row": "שורה", "col": "עמודה",
        "prev": "המקום הקודם", "next": "המקום הבא",
        "prev_tip": "הזזת החלון מקום אחד אחורה (שורה אחרי שורה)",
        "next_tip": "הזזת החלון מקום אחד קדימה (שורה אחרי שורה)",
        "images": ["אופקי", "אנכי", "אלכסוני"],
        "filters": ["בנוי ביד: פס אופקי", "בנוי ביד: פס אנכי", "בנוי ביד: פס אלכסוני \\"],
        "learned": "נלמד: מסנן {k}",
        "products": "תשע המכפלות, חלון × מסנן, מקום מול מקום:",
        "sum": "output[{r}, {c}] = סכום תשע המכפלות + ההטיה = {p} + {b} = {v}",
        "where": ("החלון ממורכז על הפיקסל ({r}, {c}) של התמונה; במקומות שבהם הוא בולט מחוץ לתמונה הוא מכסה "
                  "את האפסים של הריפוד."),
        "no_conv": "במודל שניתן אין שכבת nn.Conv2d עם ערוץ קלט אחד, ולכן מוצעים רק המסננים שנבנו ביד.",
        "titles": ["התמונה (מרופדת) והחלון", "המסנן", "מפת הפלט עד כאן"],
    },
}


@pytest.fixture
def lang(each_language):
    """The test in English, then in Hebrew (tests/conftest.py)."""
    return each_language


def plain(s: str) -> str:
    return str(s).translate(ISOLATES)


def text(value: str) -> str:
    value = re.sub(r"</?(?:p|li|div|tr|td|th|table)\b[^>]*>", " ", value)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", value))).strip().translate(ISOLATES)


def paragraphs(value: str) -> list[str]:
    return [text(p) for p in re.findall(r"<p\b[^>]*>(.*?)</p>", value, re.S)]


def cells(value: str) -> list[str]:
    return [text(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", value, re.S)]


def f4(v: float) -> str:
    return f"{v + 0.0:.4f}"


def torch_conv(image, kernel, bias=0.0) -> np.ndarray:
    x = torch.tensor(np.asarray(image, dtype=np.float64))[None, None]
    k = torch.tensor(np.asarray(kernel, dtype=np.float64))[None, None]
    return F.conv2d(x, k, bias=torch.tensor([float(bias)], dtype=torch.float64), padding=1)[0, 0].numpy()


def first_val_image(label: int, seed: int = 0) -> np.ndarray:
    _, _, x_val, y_val = bar_images(seed)
    return np.asarray(x_val[int(np.flatnonzero(y_val == label)[0]), 0], dtype=np.float64)


def shown_array(ax) -> np.ndarray:
    return np.ma.filled(np.ma.asarray(ax.images[0].get_array(), dtype=float), np.nan)


def rect(patch) -> tuple:
    return (tuple(float(v) for v in patch.get_xy()), float(patch.get_width()), float(patch.get_height()))


# ---- the controls -------------------------------------------------------------------------------------

def test_every_control_reads_and_ranges_as_the_lesson_says(lang):
    want = TEXTS[lang]
    ui, ctl = widgets.conv_explorer(cnn(0))
    assert [plain(label) for label, _ in ctl.image_dd.options] == want["images"]
    assert [value for _, value in ctl.image_dd.options] == [0, 1, 2]
    assert [plain(label) for label, _ in ctl.filter_dd.options] == want["filters"] + [
        want["learned"].format(k=k) for k in range(6)]
    assert [value for _, value in ctl.filter_dd.options] == list(range(9))
    assert (ctl.image_dd.value, ctl.filter_dd.value) == (0, 0)
    controls = {"image": ctl.image_dd, "filter": ctl.filter_dd, "row": ctl.row_slider, "col": ctl.col_slider}
    for key, control in controls.items():
        assert plain(control.description) == want[key], key
        assert control.style.description_width == "initial", key     # the long Hebrew names are not cut
    for slider in (ctl.row_slider, ctl.col_slider):
        assert (slider.value, slider.min, slider.max, slider.step) == (0, 0, 7, 1)
        assert slider.continuous_update is False                     # a drag redraws once, at the end
    for button, key in ((ctl.prev_button, "prev"), (ctl.next_button, "next")):
        assert plain(button.description) == want[key]
        assert plain(button.tooltip) == want[key + "_tip"]
    classes = {"lessonlib-conv-image": ctl.image_dd, "lessonlib-conv-filter": ctl.filter_dd,
               "lessonlib-conv-row": ctl.row_slider, "lessonlib-conv-col": ctl.col_slider,
               "lessonlib-conv-prev": ctl.prev_button, "lessonlib-conv-next": ctl.next_button,
               "lessonlib-plot": ctl.plot_html, "lessonlib-conv-calc": ctl.calc_html,
               "lessonlib-table-html": ctl.calc_html, "lessonlib-message": ctl.message_html,
               "lessonlib-conv-explorer": ui, "lessonlib-widget": ui}
    for css_class, widget in classes.items():
        assert css_class in widget._dom_classes, css_class
    # the layout: the dropdowns, the sliders, the buttons, then the plot, the products and the message
    rows = [c for c in ui.children if isinstance(c, w.HBox)]
    assert [list(r.children) for r in rows] == [[ctl.image_dd, ctl.filter_dd], [ctl.row_slider, ctl.col_slider],
                                                 [ctl.prev_button, ctl.next_button]]
    assert list(ui.children[-3:]) == [ctl.plot_html, ctl.calc_html, ctl.message_html]


def test_data_of_another_size_sets_the_sliders_and_the_wrap():
    """The data given is the data shown: 5x5 images, one per class, give sliders 0..4 and a wrap at 25."""
    rng = np.random.default_rng(7)
    x_val = rng.normal(0.0, 1.0, (4, 1, 5, 5)).astype(np.float32)
    y_val = np.array([2, 0, 1, 0])
    data = ImageData(x_train=x_val, y_train=y_val, x_val=x_val, y_val=y_val)
    _, ctl = widgets.conv_explorer(data=data)
    for slider in (ctl.row_slider, ctl.col_slider):
        assert (slider.value, slider.min, slider.max) == (0, 0, 4)
    np.testing.assert_array_equal(shown_array(ctl._ax_in), np.pad(x_val[1, 0].astype(np.float64), 1))
    ctl.image_dd.value = 2                                   # diagonal: the first image of label 2
    np.testing.assert_array_equal(shown_array(ctl._ax_in), np.pad(x_val[0, 0].astype(np.float64), 1))
    ctl.set_position(0, 4)
    ctl.next_button.click()
    assert ctl.position == (1, 0)
    ctl.set_position(4, 4)
    ctl.next_button.click()
    assert ctl.position == (0, 0)
    ctl.prev_button.click()
    assert ctl.position == (4, 4)
    out = torch_conv(x_val[0, 0], HORIZONTAL)
    assert paragraphs(ctl.message_html.value)[0] == TEXTS["en"]["sum"].format(
        r=4, c=4, p=f4(out[4, 4]), b="0.0000", v=f4(out[4, 4]))


def test_the_seed_chooses_the_images_shown():
    _, ctl = widgets.conv_explorer(seed=3)
    for label in range(3):
        ctl.image_dd.value = label
        np.testing.assert_array_equal(shown_array(ctl._ax_in), np.pad(first_val_image(label, seed=3), 1))


# ---- the message and the nine products ----------------------------------------------------------------

def test_the_message_and_the_products_in_full(lang):
    want = TEXTS[lang]
    _, ctl = widgets.conv_explorer()
    ctl.image_dd.value = 2
    ctl.filter_dd.value = 2                                  # made by hand: diagonal
    ctl.set_position(3, 0)                                   # the left edge: three of nine pixels are padding
    img = first_val_image(2)
    padded = np.pad(img, 1)
    win = padded[3:6, 0:3]
    products = float((win * np.array(DIAGONAL, dtype=float)).sum())
    assert paragraphs(ctl.message_html.value) == [
        want["sum"].format(r=3, c=0, p=f4(products), b="0.0000", v=f4(products)),
        want["where"].format(r=3, c=0)]
    assert abs(products - torch_conv(img, DIAGONAL)[3, 0]) < 1e-12
    calc = ctl.calc_html.value
    assert paragraphs(calc) == [want["products"]]
    expected = []
    for i in range(3):
        for j in range(3):
            pixel, weight = float(win[i, j]), float(DIAGONAL[i][j])
            expected.append(f"{f4(pixel)} × {f4(weight)} = {f4(pixel * weight)}")
    assert cells(calc) == expected
    assert [win[i, 0] for i in range(3)] == [0.0, 0.0, 0.0]
    # the products are a grid read left to right in both languages; in Hebrew it sits on the right
    assert '<div class="lessonlib-table-scroll" dir="ltr"' in calc
    align = "margin-left: auto; margin-right: 0;" if lang == "he" else ""
    assert f'<table style="{align}">' in calc
    names = re.findall(r'<td data-name="([^"]+)"', calc)
    assert names == [f"product[{i},{j}]" for i in range(3) for j in range(3)]
    direction = "rtl" if lang == "he" else "ltr"
    assert ctl.message_html.value.startswith(f'<div dir="{direction}"')


def test_a_model_without_a_conv_layer_says_so(lang):
    want = TEXTS[lang]
    _, ctl = widgets.conv_explorer(torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Linear(64, 3)))
    assert [plain(label) for label, _ in ctl.filter_dd.options] == want["filters"]
    img = first_val_image(0)
    v = torch_conv(img, HORIZONTAL)[0, 0]
    assert paragraphs(ctl.message_html.value) == [
        want["sum"].format(r=0, c=0, p=f4(v), b="0.0000", v=f4(v)), want["where"].format(r=0, c=0), want["no_conv"]]
    _, ctl = widgets.conv_explorer()                        # no model: no such message
    assert len(paragraphs(ctl.message_html.value)) == 2


def test_a_conv_layer_without_bias_offers_its_filters_with_bias_zero():
    conv = torch.nn.Conv2d(1, 2, 3, padding=1, bias=False)
    with torch.no_grad():
        conv.weight.zero_()
        conv.weight[1, 0] = torch.tensor([[0.5, 0.0, -0.25], [1.0, 0.0, 0.0], [0.0, 0.0, 0.0]])
    _, ctl = widgets.conv_explorer(torch.nn.Sequential(conv, torch.nn.ReLU()))
    assert [label for label, _ in ctl.filter_dd.options][3:] == ["learned: filter 0", "learned: filter 1"]
    ctl.filter_dd.value = 3                                  # all zeros: output 0, colour scales of +-1
    ctl.set_position(2, 2)
    assert paragraphs(ctl.message_html.value)[0] == TEXTS["en"]["sum"].format(
        r=2, c=2, p="0.0000", b="0.0000", v="0.0000")
    assert ctl._ax_k.images[0].get_clim() == (-1.0, 1.0)
    assert ctl._ax_out.images[0].get_clim() == (-1.0, 1.0)
    ctl.filter_dd.value = 4
    img = first_val_image(0)
    kernel = [[0.5, 0.0, -0.25], [1.0, 0.0, 0.0], [0.0, 0.0, 0.0]]
    out = torch_conv(img, kernel)
    assert paragraphs(ctl.message_html.value)[0] == TEXTS["en"]["sum"].format(
        r=2, c=2, p=f4(out[2, 2]), b="0.0000", v=f4(out[2, 2]))
    assert ctl._ax_k.images[0].get_clim() == (-1.0, 1.0)
    np.testing.assert_allclose(ctl._ax_out.images[0].get_clim(), (-np.abs(out).max(), np.abs(out).max()), rtol=1e-12)


# ---- the plot -------------------------------------------------------------------------------------------

def test_the_three_panels_show_image_window_filter_and_map_so_far(lang):
    want = TEXTS[lang]
    _, ctl = widgets.conv_explorer(cnn(0))
    ctl.image_dd.value = 1
    ctl.filter_dd.value = 3 + 2                              # learned: filter 2, its bias is not zero
    ctl.set_position(4, 6)
    img = first_val_image(1)
    net = cnn(0)
    kernel = net[0].weight[2, 0].detach().double().numpy()
    bias = float(net[0].bias[2].detach().double())
    assert bias != 0.0
    ax_in, ax_k, ax_out = ctl._ax_in, ctl._ax_k, ctl._ax_out

    # the padded image, the dashed frame of the image proper (blue), the 3x3 window (red)
    np.testing.assert_array_equal(shown_array(ax_in), np.pad(img, 1))
    assert ax_in.images[0].get_cmap().name == "gray" and ax_in.images[0].get_clim() == (-1.0, 1.5)
    frame, window = ax_in.patches
    assert rect(frame) == ((0.5, 0.5), 8.0, 8.0)
    assert frame.get_edgecolor() == to_rgba("tab:blue") and not frame.get_fill()
    assert frame.get_linewidth() == 1.0 and frame.get_linestyle() == "--"
    assert rect(window) == ((5.5, 3.5), 3.0, 3.0)
    assert window.get_edgecolor() == to_rgba("tab:red") and not window.get_fill()
    assert window.get_linewidth() == 2.5 and window.get_linestyle() in ("-", "solid")

    # the filter, its nine weights printed on it (2 decimals, 9 pt) at their places
    np.testing.assert_array_equal(np.asarray(ax_k.images[0].get_array()), kernel)
    lim = float(np.abs(kernel).max())
    assert ax_k.images[0].get_cmap().name == "bwr" and ax_k.images[0].get_clim() == (-lim, lim)
    printed = sorted((t.get_position(), t.get_text()) for t in ax_k.texts)
    assert printed == sorted(((j, i), f"{kernel[i, j]:.2f}") for i in range(3) for j in range(3))
    for t in ax_k.texts:
        assert t.get_fontsize() == 9 and t.get_ha() == "center" and t.get_va() == "center"

    # the output map: torch's convolution + bias, filled in up to the window's place
    out = torch_conv(img, kernel, bias)
    shown = shown_array(ax_out)
    done = np.arange(64).reshape(8, 8) <= 4 * 8 + 6
    assert np.array_equal(~np.isnan(shown), done)
    np.testing.assert_allclose(shown[done], out[done], rtol=1e-12, atol=1e-12)
    span = float(np.abs(out).max())
    assert ax_out.images[0].get_cmap().name == "viridis"
    np.testing.assert_allclose(ax_out.images[0].get_clim(), (-span, span), rtol=1e-12)
    (mark,) = ax_out.patches
    assert rect(mark) == ((5.5, 3.5), 1.0, 1.0)
    assert mark.get_edgecolor() == to_rgba("tab:red") and mark.get_linewidth() == 2.5 and not mark.get_fill()
    assert paragraphs(ctl.message_html.value)[0].startswith("output[4, 6] = ")
    m = re.search(r"= (\S+) \+ (\S+) = (\S+)$", paragraphs(ctl.message_html.value)[0])
    assert m.group(2) == f4(bias) and abs(float(m.group(3)) - out[4, 6]) <= 0.5e-4 + 1e-9

    # titles: 10 pt, in the lesson's language; no ticks
    for ax, title in zip((ax_in, ax_k, ax_out), want["titles"], strict=True):
        assert ax.title.get_fontsize() == 10
        if lang == "en" or HEBREW_TITLES_AS_WRITTEN:
            assert ax.get_title() == title
        assert list(ax.get_xticks()) == [] and list(ax.get_yticks()) == []
    assert ctl.plot_html.value.startswith(
        f'<img class="lessonlib-plot-img" alt="{want["titles"][2]}" width="608" style="max-width: 100%; height: auto;" '
        'src="data:image/png;base64,')


def test_the_window_and_the_map_follow_every_move():
    _, ctl = widgets.conv_explorer()
    img = first_val_image(0)
    out = torch_conv(img, HORIZONTAL)
    for r, c in [(0, 0), (0, 7), (7, 0), (7, 7), (3, 5)]:
        ctl.set_position(r, c)
        (_, window), (mark,) = ctl._ax_in.patches, ctl._ax_out.patches
        assert rect(window) == ((c - 0.5, r - 0.5), 3.0, 3.0)
        assert rect(mark) == ((c - 0.5, r - 0.5), 1.0, 1.0)
        shown = shown_array(ctl._ax_out)
        assert int((~np.isnan(shown)).sum()) == r * 8 + c + 1
        np.testing.assert_allclose(shown[r, c], out[r, c], rtol=1e-12, atol=1e-12)
        assert paragraphs(ctl.message_html.value)[0] == TEXTS["en"]["sum"].format(
            r=r, c=c, p=f4(out[r, c]), b="0.0000", v=f4(out[r, c]))
    ctl.col_slider.value = 1                                 # the sliders move the window too
    assert rect(ctl._ax_in.patches[1]) == ((0.5, 2.5), 3.0, 3.0)
    ctl.row_slider.value = 6
    assert rect(ctl._ax_out.patches[0]) == ((0.5, 5.5), 1.0, 1.0)
    assert paragraphs(ctl.message_html.value)[1] == TEXTS["en"]["where"].format(r=6, c=1)


def test_the_text_sizes_hold_whatever_the_students_matplotlib_defaults():
    """Titles 10 pt and weights 9 pt (10 px or more at the widget's 80 dpi), even after a notebook changed
    matplotlib's font size: every panel's title alike."""
    with matplotlib.rc_context({"font.size": 6.0, "axes.titlesize": 6.0}):
        _, ctl = widgets.conv_explorer()
        ctl.next_button.click()
        sizes = [ax.title.get_fontsize() for ax in (ctl._ax_in, ctl._ax_k, ctl._ax_out)]
        weights = {t.get_fontsize() for t in ctl._ax_k.texts}
    assert sizes == [10.0, 10.0, 10.0] and weights == {9.0}
    assert [t.get_text() for t in ctl._ax_k.texts] == [f"{v:.2f}" for row in HORIZONTAL for v in row]


def test_the_plot_is_a_608_by_232_pixel_picture(lang):
    """The three panels come as one PNG of 7.6 x 2.9 inches at 80 dpi: 608 x 232 pixels, whatever the move."""
    _, ctl = widgets.conv_explorer()
    assert png_size(png_of(ctl.plot_html.value)) == (608, 232)
    ctl.next_button.click()
    assert png_size(png_of(ctl.plot_html.value)) == (608, 232)


def test_a_pixel_of_minus_zero_reads_as_0_0000():
    """Data whose pixels are -0.0 (e.g. after a sign flip of a zero): the products read 0.0000, never -0.0000."""
    img = np.full((4, 4), -0.0)
    img[0, 1], img[1, 0], img[2, 2] = 1.0, 0.5, 2.0
    x_val = np.stack([img, img.T.copy(), img])[:, None].astype(np.float32)      # labels 0, 1, 2: one image each
    assert np.signbit(x_val[0, 0, 0, 0])
    y_val = np.array([0, 1, 2])
    _, ctl = widgets.conv_explorer(data=ImageData(x_train=x_val, y_train=y_val, x_val=x_val, y_val=y_val))
    ctl.set_position(1, 1)                                   # the window is the image's top-left 3x3
    assert cells(ctl.calc_html.value) == [
        "0.0000 × -1.0000 = 0.0000", "1.0000 × -1.0000 = -1.0000", "0.0000 × -1.0000 = 0.0000",
        "0.5000 × 2.0000 = 1.0000", "0.0000 × 2.0000 = 0.0000", "0.0000 × 2.0000 = 0.0000",
        "0.0000 × -1.0000 = 0.0000", "0.0000 × -1.0000 = 0.0000", "2.0000 × -1.0000 = -2.0000"]
    assert paragraphs(ctl.message_html.value)[0] == TEXTS["en"]["sum"].format(
        r=1, c=1, p="-2.0000", b="0.0000", v="-2.0000")


# ---- one drawing per move -------------------------------------------------------------------------------

def test_a_move_in_the_browser_draws_the_picture_once():
    """A slider moved or a dropdown chosen in the browser (its message: the new value or index) redraws the
    three panels once: the student waits for one picture, not one per trait the control updates."""
    _, ctl = widgets.conv_explorer()
    draws = []
    ctl._fig.canvas.mpl_connect("draw_event", lambda _e: draws.append(1))
    ctl.row_slider.set_state({"value": 3})
    assert len(draws) == 1 and ctl.position == (3, 0)
    ctl.col_slider.set_state({"value": 5})
    assert len(draws) == 2 and ctl.position == (3, 5)
    ctl.image_dd.set_state({"index": 1})
    assert len(draws) == 3
    np.testing.assert_array_equal(shown_array(ctl._ax_in), np.pad(first_val_image(1), 1))
    ctl.filter_dd.set_state({"index": 2})
    assert len(draws) == 4
    out = torch_conv(first_val_image(1), DIAGONAL)
    assert paragraphs(ctl.message_html.value)[0] == TEXTS["en"]["sum"].format(
        r=3, c=5, p=f4(out[3, 5]), b="0.0000", v=f4(out[3, 5]))
    ctl.row_slider.description = "row (0-7)"                 # another setting of a control: nothing to redraw
    ctl.filter_dd.disabled = True
    assert len(draws) == 4


def test_the_next_button_shows_only_the_window_it_moves_to():
    """From the end of row 0 the next place is (1, 0): the message and the picture go there in one step,
    never showing the window at (1, 7) (the new row with the old column) on the way."""
    _, ctl = widgets.conv_explorer()
    ctl.set_position(0, 7)
    shown, draws = [], []
    ctl.message_html.observe(lambda c: shown.append(paragraphs(c["new"])[0]), names="value")
    ctl._fig.canvas.mpl_connect("draw_event", lambda _e: draws.append(1))
    ctl.next_button.click()
    out = torch_conv(first_val_image(0), HORIZONTAL)
    assert shown == [TEXTS["en"]["sum"].format(r=1, c=0, p=f4(out[1, 0]), b="0.0000", v=f4(out[1, 0]))]
    assert len(draws) == 1
    ctl.prev_button.click()
    assert shown[1:] == [TEXTS["en"]["sum"].format(r=0, c=7, p=f4(out[0, 7]), b="0.0000", v=f4(out[0, 7]))]
    assert len(draws) == 2
