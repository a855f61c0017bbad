"""What the student sees in lesson 07's "what the network learned" explorer (widgets.learned_explorer).

Most tests use a hand-built net whose function is known exactly,

    y(x) = 1 + 2.5 relu(x) - 1.5 relu(-x) - 0.25 relu(x - 15) + 0.5 relu(x - 20.125) + 0.5 relu(-x - 35.125),

so its first-layer kinks (0, 0, 15), second-layer kinks (20.125, -35.125), far slopes (2.75 on the right,
1.0 on the left) and the extrapolation table are written out here as literals. The displayed text
(tags stripped) is compared with literal sentences in English and Hebrew; the plot is read from the
figure's artists. The lesson's own net (Adam, lr 0.01, 300 epochs) is checked against a plain PyTorch
training loop written here.
"""
import html
import inspect
import re

import numpy as np
import pytest
import torch
from matplotlib.colors import to_hex, to_rgba

from lessonlib import get_language, make_line_data, make_model, set_language
from lessonlib.plots import needs_bidi
from tests.seen import png_of, png_size

w = pytest.importorskip("ipywidgets")
from lessonlib import widgets  # noqa: E402


# ---- reading what is displayed ------------------------------------------------------------------

def text(value: str) -> str:
    """What an HTML value reads as: block tags as a space, inline ones dropped, entities decoded."""
    value = re.sub(r"</?(?:p|li|ul|div|tr|td|th|br|table|small)\b[^>]*>", " ", value)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", value))).strip()


def paragraphs(value: str) -> list[str]:
    return [text(p) for p in re.findall(r"<p\b[^>]*>(.*?)</p>", value, re.S)]


def table_rows(value: str) -> list[list[str]]:
    table = re.search(r"<table[^>]*>(.*?)</table>", value, re.S).group(1)
    return [[text(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S)]


def data_values(value: str) -> dict[str, float]:
    return {k: float(v) for k, v in re.findall(r'data-name="([^"]+)" data-value="([^"]*)"', value)}


def alt_of(img_html: str) -> str:
    return html.unescape(re.search(r'alt="([^"]*)"', img_html).group(1))


@pytest.fixture
def lang(each_language):
    """The test in English, then in Hebrew (tests/conftest.py)."""
    return each_language


@pytest.fixture
def english():
    before = get_language()
    set_language("en")
    try:
        yield
    finally:
        set_language(before)


# ---- the hand-built net ---------------------------------------------------------------------------

def crafted_model():
    m = make_model(0)
    with torch.no_grad():
        for p in m.parameters():
            p.zero_()
        W1, b1, W2, b2, W3, b3 = (m[0].weight, m[0].bias, m[2].weight, m[2].bias, m[4].weight, m[4].bias)
        W1[0, 0], W1[1, 0], W1[2, 0], b1[2] = 1.0, -1.0, 1.0, -15.0     # relu(x), relu(-x), relu(x - 15)
        W2[0, 0] = 1.0                                                    # relu(x)
        W2[1, 1] = 1.0                                                    # relu(-x)
        W2[2, 0], b2[2] = 1.0, -20.125                                    # relu(x) - 20.125: zero at 20.125
        W2[3, 1], b2[3] = 1.0, -35.125                                    # relu(-x) - 35.125: zero at -35.125
        W2[4, 2] = 1.0                                                    # relu(x - 15)
        W3[0, :5] = torch.tensor([2.5, -1.5, 0.5, 0.5, -0.25])
        b3[0] = 1.0
    return m


def f(x):
    """The hand-built net's function, written out (float64)."""
    x = np.asarray(x, dtype=np.float64)
    r = lambda v: np.maximum(v, 0.0)  # noqa: E731
    return 1 + 2.5 * r(x) - 1.5 * r(-x) - 0.25 * r(x - 15) + 0.5 * r(x - 20.125) + 0.5 * r(-x - 35.125)


KINKS1 = [0.0, 0.0, 15.0]
KINKS2 = [-35.125, 20.125]


@pytest.fixture(scope="module")
def crafted():
    return crafted_model()


@pytest.fixture(scope="module")
def built(crafted):
    """One explorer of the hand-built net per language (built in that language), shared by the tests."""
    return {}


@pytest.fixture
def explorer(built, crafted, lang):
    if lang not in built:
        built[lang] = widgets.learned_explorer(model=crafted)[1]
    ctl = built[lang]
    yield ctl
    ctl.range_slider.value = 15.0


KINKS_EN = ("Kinks within ±{r}: {n1} of the 3 first-layer kinks (x = -b1/W1) and {n2} of the 2 second-layer "
            "kinks (where the input of a second-layer neuron crosses zero).")
KINKS_HE = ("נקודות שבירה (kinks) בטווח ±{r}: {n1} מתוך 3 נקודות השבירה של השכבה הראשונה (x = -b1/W1), ו־{n2} "
            "מתוך 2 נקודות השבירה של השכבה השנייה (היכן שהקלט של נוירון בשכבה השנייה חוצה את האפס).")
SLOPES = {"en": "Past its last kink the network is a straight line: slope 2.7500 for large x and 1.0000 for very "
                "negative x (the truth: 2).",
          "he": "אחרי נקודת השבירה האחרונה הרשת היא קו ישר: שיפוע 2.7500 עבור x גדול ו־1.0000 עבור x שלילי "
                "מאוד (האמת: 2)."}
OUTSIDE = {"en": "No training point lies outside [-10, 10]: there the network only continues the straight pieces "
                 "it ended with (extrapolation), so its error usually grows with the distance.",
           "he": "אין אף נקודת אימון מחוץ ל־[-10, 10]: שם הרשת רק ממשיכה את הקטעים הישרים שבהם היא מסתיימת "
                 "(אקסטרפולציה), ולכן השגיאה שלה בדרך כלל גדלה ככל שמתרחקים."}


# ---- the message -------------------------------------------------------------------------------------

RANGES = [  # r, as the message shows it, first-layer and second-layer kinks within ±r
    (15, "15", 3, 0),            # the first-layer kink at exactly 15 is within ±15
    (20.125, "20.125", 3, 1),    # the second-layer kink at exactly 20.125 is within ±20.125
    (35, "35", 3, 1),
    (40, "40", 3, 2),
    (110, "110", 3, 2),
    (10, "10", 2, 0),
]


def test_message_counts_the_kinks_within_the_range_and_states_the_far_slopes(explorer, lang):
    ctl = explorer
    kinks = (KINKS_EN if lang == "en" else KINKS_HE).format(r="15", n1=3, n2=0)
    assert paragraphs(ctl.message_html.value) == [kinks, SLOPES[lang], OUTSIDE[lang]], "at the start"
    for r, shown, n1, n2 in RANGES:
        ctl.range_slider.value = r
        kinks = (KINKS_EN if lang == "en" else KINKS_HE).format(r=shown, n1=n1, n2=n2)
        assert paragraphs(ctl.message_html.value) == [kinks, SLOPES[lang], OUTSIDE[lang]], r
        assert text(ctl.message_html.value) == " ".join([kinks, SLOPES[lang], OUTSIDE[lang]])
        assert ('dir="rtl"' in ctl.message_html.value) == (lang == "he")


# ---- the extrapolation table --------------------------------------------------------------------------

HEAD = {"en": ["x", "prediction", "true value (2x + 1)", "error", "% error"],
        "he": ["x", "חיזוי", "הערך האמיתי (2x + 1)", "שגיאה", "שגיאה באחוזים"]}
TITLE = {"en": "Outside the training range [-10, 10] (extrapolation):",
         "he": "מחוץ לטווח האימון [-10, 10] (אקסטרפולציה):"}


def test_table_shows_x_12_and_100_with_prediction_truth_error_and_percent(explorer, lang):
    ctl = explorer
    value = ctl.table_html.value
    assert paragraphs(value) == [TITLE[lang]]
    # x = 12: 1 + 2.5 * 12 = 31 against 25; x = 100: 1 + 250 - 21.25 + 39.9375 = 269.6875 against 201
    assert table_rows(value) == [HEAD[lang],
                                 ["12", "31.0000", "25.0000", "6.0000", "24.00%"],
                                 ["100", "269.6875", "201.0000", "68.6875", "34.17%"]]
    assert data_values(value) == pytest.approx({
        "x[12]": 12, "pred[12]": 31, "true[12]": 25, "err[12]": 6, "pct[12]": 24,
        "x[100]": 100, "pred[100]": 269.6875, "true[100]": 201, "err[100]": 68.6875,
        "pct[100]": 100 * 68.6875 / 201}, rel=1e-5)
    before = ctl.table_html.value
    ctl.range_slider.value = 110                       # the table does not depend on the range
    assert ctl.table_html.value == before


# ---- the slider ----------------------------------------------------------------------------------------

def test_range_slider_settings(explorer, lang):
    ctl = explorer
    s = ctl.range_slider
    assert isinstance(s, w.FloatSlider)
    assert (s.value, s.min, s.max, s.step) == (15.0, 10.0, 110.0, 5.0)
    assert s.readout_format == ".0f"
    assert s.continuous_update is False, "each drag would redraw on every pixel"
    assert s.description == {"en": "x range ±", "he": "טווח \u2066x\u2069 ±"}[lang]
    assert "lessonlib-x-range" in s._dom_classes
    assert list(ctl.ui.children[1:]) == [s, ctl.plot_html, ctl.table_html, ctl.message_html]


def test_public_signature_defaults():
    sig = inspect.signature(widgets.learned_explorer)
    assert {k: p.default for k, p in sig.parameters.items()} == {"model": None, "seed": 0, "data": None,
                                                                 "x_max": 15.0}
    assert widgets.PROBE_X == (12.0, 100.0)


# ---- the plot --------------------------------------------------------------------------------------------

LEGEND = {"en": ["truth: y = 2x + 1", "network's prediction", "training set", "kinks, layer 1", "kinks, layer 2"],
          "he": ["האמת: y = 2x + 1", "החיזוי של הרשת", "סט אימון", "נקודות שבירה, שכבה 1", "נקודות שבירה, שכבה 2"]}
PLOT_TITLE = {"en": "What the network learned", "he": "מה הרשת למדה"}
# matplotlib 3.10 (Colab's) is handed Hebrew in visual order (lessonlib.plots.needs_bidi): what it stores
VISUAL = {"title": "הדמל תשרה המ",
          "legend": ["y = 2x + 1 :תמאה", "תשרה לש יוזיחה", "ןומיא טס", "1 הבכש ,הריבש תודוקנ", "2 הבכש ,הריבש תודוקנ"]}


def drawn_title(lang):
    return VISUAL["title"] if lang == "he" and needs_bidi() else PLOT_TITLE[lang]


def drawn_legend(lang):
    return VISUAL["legend"] if lang == "he" and needs_bidi() else LEGEND[lang]


def markers(ax, marker):
    return [ln for ln in ax.get_lines() if ln.get_marker() == marker]


def x_span(patch):
    xs = patch.get_patch_transform().transform(patch.get_path().vertices)[:, 0]
    return float(np.min(xs)), float(np.max(xs))


def test_plot_draws_curve_kinks_probes_and_shaded_outside(explorer, lang):
    ctl = explorer
    for r in (15, 10, 20.125, 40, 100):
        ctl.range_slider.value = r
        ax = ctl._ax
        assert tuple(ax.get_xlim()) == (-r, r)
        assert ax.get_title() == drawn_title(lang)

        truth, pred = ax.get_lines()[:2]
        xs = np.linspace(-r, r, 1000, dtype=np.float32)
        np.testing.assert_array_equal(np.asarray(truth.get_xdata()).reshape(-1), xs)
        np.testing.assert_allclose(np.asarray(truth.get_ydata()).reshape(-1), 2 * xs.astype(np.float64) + 1, rtol=1e-6)
        np.testing.assert_array_equal(np.asarray(pred.get_xdata()).reshape(-1), xs)
        np.testing.assert_allclose(np.asarray(pred.get_ydata()).reshape(-1), f(xs), rtol=1e-12, atol=1e-12)

        k1 = [k for k in KINKS1 if abs(k) <= r]
        k2 = [k for k in KINKS2 if abs(k) <= r]
        (up,) = markers(ax, "^")
        assert up.get_linestyle() == "None" and up.get_markersize() == 7
        assert to_hex(up.get_color()) == to_hex("tab:purple")
        np.testing.assert_array_equal(up.get_xdata(), k1)
        np.testing.assert_allclose(up.get_ydata(), f(k1), rtol=1e-12)
        down = markers(ax, "v")
        if k2:
            (down,) = down
            assert down.get_linestyle() == "None" and down.get_markersize() == 7
            assert to_hex(down.get_color()) == to_hex("tab:red")
            np.testing.assert_array_equal(down.get_xdata(), k2)
            np.testing.assert_allclose(down.get_ydata(), f(k2), rtol=1e-12)
        else:
            assert down == []

        shown_probes = [x for x in (12.0, 100.0) if x <= r]
        rings = markers(ax, "o")
        crosses = markers(ax, "x")
        assert [(float(ln.get_xdata()[0]), float(ln.get_ydata()[0])) for ln in rings] == [(x, f(x)) for x in shown_probes]
        assert [(float(ln.get_xdata()[0]), float(ln.get_ydata()[0])) for ln in crosses] == \
            [(x, 2 * x + 1) for x in shown_probes]
        for ln in rings:
            assert ln.get_linestyle() == "None" and ln.get_markersize() == 8
            assert ln.get_markerfacecolor() == "none", "an open ring: the truth's x shows through"
            assert to_hex(ln.get_markeredgecolor()) == to_hex("tab:red")
        for ln in crosses:
            assert ln.get_linestyle() == "None" and ln.get_markersize() == 8
            assert to_hex(ln.get_color()) == "#000000"

        spans = sorted(ax.patches, key=x_span)
        assert [x_span(p) for p in spans] == [(-r, -10.0), (10.0, r)]
        lowest = min(a.get_zorder() for a in list(ax.get_lines()) + list(ax.collections))
        for p in spans:
            assert to_rgba(p.get_facecolor()) == to_rgba("0.92")
            assert p.get_zorder() == 0 and p.get_zorder() < lowest, "the shading lies under everything drawn"

        legend = ax.get_legend()
        names = drawn_legend(lang) if k2 else drawn_legend(lang)[:4]
        assert [t.get_text() for t in legend.get_texts()] == names
        assert legend._loc == 2                                      # upper left
        assert all(t.get_fontsize() == 9 for t in legend.get_texts())

        img = ctl.plot_html.value
        assert 'class="lessonlib-plot-img"' in img
        assert alt_of(img) == PLOT_TITLE[lang]
        assert png_size(png_of(img)) == (512, 320)                      # 6.4 x 4.0 inches at 80 dpi


def test_moving_the_slider_redraws(explorer, lang):
    first = explorer.plot_html.value
    explorer.range_slider.value = 60
    assert explorer.plot_html.value != first
    explorer.range_slider.value = 15
    assert tuple(explorer._ax.get_xlim()) == (-15.0, 15.0)


def test_the_data_and_starting_range_given_are_the_ones_shown(crafted, english):
    data = make_line_data(0, n=40, low=-5.0, high=5.0)
    _, ctl = widgets.learned_explorer(model=crafted, data=data, x_max=40)
    (points,) = ctl._ax.collections
    np.testing.assert_array_equal(points.get_offsets(), np.hstack([data.x_train, data.y_train]))
    assert len(points.get_offsets()) == 32
    assert ctl.range_slider.value == 40
    assert paragraphs(ctl.message_html.value)[0] == KINKS_EN.format(r="40", n1=3, n2=2)
    assert tuple(ctl._ax.get_xlim()) == (-40.0, 40.0)


def test_without_data_the_seeds_data_is_shown(crafted, english):
    _, ctl = widgets.learned_explorer(model=crafted, seed=3)
    data = make_line_data(seed=3)
    (points,) = ctl._ax.collections
    np.testing.assert_array_equal(points.get_offsets(), np.hstack([data.x_train, data.y_train]))
    assert ctl.range_slider.value == 15.0


# ---- the kinks, as functions --------------------------------------------------------------------------

def test_first_layer_kinks_are_minus_b1_over_w1_whatever_the_bias_shape():
    W1 = np.array([[2.0], [-4.0], [0.0], [0.5]])
    b1 = np.array([1.0, 2.0, 7.0, -1.5])                      # x = -0.5, 0.5, (W1 = 0: none), 3
    for bias in (b1, b1.reshape(-1, 1), b1.reshape(1, -1)):
        got = widgets.first_layer_kinks({"W1": W1, "b1": bias})
        assert got.shape == (3,)
        np.testing.assert_array_equal(got, [-0.5, 0.5, 3.0])


def test_second_layer_kinks_of_the_hand_built_net():
    p = {k: v.detach().double().numpy() for k, v in zip(
        ["W1", "b1", "W2", "b2", "W3", "b3"], crafted_model().parameters(), strict=True)}
    np.testing.assert_array_equal(widgets.first_layer_kinks(p), KINKS1)
    np.testing.assert_allclose(widgets.second_layer_kinks(p), KINKS2, rtol=0, atol=1e-9)


def net_params(units1, units2):
    """A 1 -> H -> H -> 1 parameter dict (float64) from (w1, b1) per first-layer unit and (row of W2, b2)
    per second-layer unit; the output layer plays no part in where the second layer bends."""
    W1 = np.array([[w1] for w1, _ in units1], dtype=np.float64)
    b1 = np.array([b for _, b in units1], dtype=np.float64)
    W2 = np.array([row for row, _ in units2], dtype=np.float64)
    b2 = np.array([b for _, b in units2], dtype=np.float64)
    return {"W1": W1, "b1": b1, "W2": W2, "b2": b2, "W3": np.ones((1, len(units2))), "b3": np.zeros(1)}


@pytest.mark.parametrize("at", [0.5, 1.0, -3.25, 0.0, -7.5])
def test_a_second_layer_kink_exactly_on_a_round_number_is_found(at):
    """relu(x + 10) - (10 + at) is exactly zero at x = at, a point a fine grid would land on (the old
    grid search, steps of 0.01, multiplied signs and saw 0, not a change)."""
    p = net_params([(1.0, 10.0)], [([1.0], -(10.0 + at))])
    np.testing.assert_array_equal(widgets.second_layer_kinks(p), [at])


@pytest.mark.parametrize("at", [300.0, -1000.0, 123456.5])
def test_second_layer_kinks_far_outside_the_plotted_range_are_found(at):
    """relu(x) and relu(-x) shifted so that they cross zero far away: past ±120 (the slider stops at 110)."""
    units1 = [(1.0, 0.0), (-1.0, 0.0)]
    row = [1.0, 0.0] if at > 0 else [0.0, 1.0]
    p = net_params(units1, [(row, -abs(at))])
    np.testing.assert_allclose(widgets.second_layer_kinks(p), [at], rtol=1e-12)


@pytest.mark.parametrize("kink,at", [(10.0, 5.0), (10.0, -20.0), (-10.0, -30.0), (0.5, 0.25)])
def test_a_crossing_left_of_every_first_layer_kink_is_found(kink, at):
    """relu(kink - x) - (kink - at): on for x < kink only, crossing zero at x = at < kink, on the outer
    left piece. Whatever the signs of the kink and the crossing."""
    p = net_params([(-1.0, kink)], [([1.0], -(kink - at))])
    np.testing.assert_allclose(widgets.second_layer_kinks(p), [at], rtol=1e-12)


@pytest.mark.parametrize("kink,at", [(-10.0, -5.0), (-10.0, 20.0), (10.0, 30.0), (-0.5, -0.25)])
def test_a_crossing_right_of_every_first_layer_kink_is_found(kink, at):
    """relu(x - kink) - (at - kink): on for x > kink only, crossing zero at x = at > kink, on the outer
    right piece."""
    p = net_params([(1.0, -kink)], [([1.0], -(at - kink))])
    np.testing.assert_allclose(widgets.second_layer_kinks(p), [at], rtol=1e-12)


def test_flat_outer_pieces_give_no_warning(recwarn):
    """A unit whose z2 is flat on an outer piece (its slope there is 0, so it has no crossing there) or
    zero on it: nothing divides by zero where the student can see it, not even a RuntimeWarning."""
    import warnings

    p = net_params([(1.0, 0.0), (-1.0, 0.0)], [([1.0, 0.0], -3.0), ([0.0, 0.0], 0.0), ([1.0, 1.0], 0.0)])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        got = widgets.second_layer_kinks(p)
    np.testing.assert_allclose(got, [3.0], rtol=1e-12)


def test_a_piece_where_z2_is_zero_bends_where_the_unit_turns_on_or_off():
    """z2 = relu(x - 1) - relu(-x) is negative left of 0, zero on [0, 1], positive right of 1: max(0, z2)
    turns on at 1. The opposite sign turns off at 0. A zero that z2 only touches bends nothing."""
    units1 = [(-1.0, 0.0), (1.0, -1.0)]                         # relu(-x), relu(x - 1)
    np.testing.assert_array_equal(widgets.second_layer_kinks(net_params(units1, [([-1.0, 1.0], 0.0)])), [1.0])
    np.testing.assert_array_equal(widgets.second_layer_kinks(net_params(units1, [([1.0, -1.0], 0.0)])), [0.0])
    # the same, small: z2 between 0 and 1 before the zero piece, which still turns off at 0
    small = net_params(units1, [([1e-3, -1e-3], 0.0)])
    np.testing.assert_array_equal(widgets.second_layer_kinks(small), [0.0])
    touch = net_params([(1.0, 0.0), (-1.0, 0.0)], [([1.0, 1.0], 0.0), ([-1.0, -1.0], 0.0)])   # ±|x|
    assert widgets.second_layer_kinks(touch).size == 0


def test_the_first_layers_own_kinks_are_not_second_layer_kinks():
    """z2 = relu(2x + 1000) - 1015 bends at x = -500 (a first-layer kink) but crosses zero only at 7.5;
    z2 = relu(3) - 3 is zero everywhere (W1 = 0: no kink at all) and never turns on."""
    p = net_params([(0.0, 3.0), (2.0, 1000.0)], [([0.0, 1.0], -1015.0), ([1.0, 0.0], -3.0)])
    np.testing.assert_array_equal(widgets.first_layer_kinks(p), [-500.0])
    np.testing.assert_allclose(widgets.second_layer_kinks(p), [7.5], rtol=1e-12)
    flat = net_params([(0.0, 3.0), (0.0, -1.0)], [([1.0, 0.0], -2.0), ([1.0, 0.0], -3.0)])   # no kink anywhere
    assert widgets.first_layer_kinks(flat).size == 0 and widgets.second_layer_kinks(flat).size == 0


def test_second_layer_kinks_of_random_nets_against_each_piece_solved_separately():
    """Untrained nets (kinks anywhere on the line): z2 is a straight line on each piece between sorted
    first-layer kinks and on the two outer pieces; each line, through two of its points, is solved on its own
    and its root kept if it lies on that piece."""
    from lessonlib import manual

    def z2(x):
        return manual.forward(p, np.array([[x]], dtype=np.float64))["z2"][0]

    for seed in range(12):
        p = manual.params_from_model(make_model(seed), dtype=np.float64)
        k1 = np.sort(-p["b1"].reshape(-1) / p["W1"].reshape(-1))
        pieces = [(-np.inf, k1[0], k1[0] - 1, k1[0])] + [(a, b, a, b) for a, b in zip(k1[:-1], k1[1:], strict=True)] \
            + [(k1[-1], np.inf, k1[-1], k1[-1] + 1)]
        expect = []
        for lo, hi, a, b in pieces:                   # the piece (lo, hi), its line through x = a and b
            za, zb = z2(a), z2(b)
            for u in np.nonzero(za != zb)[0]:
                root = a - za[u] * (b - a) / (zb[u] - za[u])
                if lo < root < hi:
                    expect.append(root)
        assert len(expect) > 0
        np.testing.assert_allclose(widgets.second_layer_kinks(p), sorted(expect), rtol=1e-12, atol=1e-12)


def test_far_slopes_are_measured_past_kinks_far_outside_the_slider(english):
    """y = relu(x) + relu(relu(x) - 300) - relu(relu(-x) - 500): slope 1 on [0, 300] and 2 past 300; 0 on
    [-500, 0] and 1 past -500. The far slopes must be read past 300 and -500, not at a fixed distance."""
    m = make_model(0)
    with torch.no_grad():
        for q in m.parameters():
            q.zero_()
        m[0].weight[0, 0], m[0].weight[1, 0] = 1.0, -1.0                  # relu(x), relu(-x)
        m[2].weight[0, 0] = 1.0                                          # relu(x)
        m[2].weight[1, 0], m[2].bias[1] = 1.0, -300.0                    # relu(x) - 300
        m[2].weight[2, 1], m[2].bias[2] = 1.0, -500.0                    # relu(-x) - 500
        m[4].weight[0, :3] = torch.tensor([1.0, 1.0, -1.0])
    _, ctl = widgets.learned_explorer(model=m, seed=0)
    np.testing.assert_allclose(ctl.kinks2, [-500.0, 300.0], rtol=1e-12)
    assert ctl.slopes() == pytest.approx((1.0, 2.0), rel=1e-9)
    assert paragraphs(ctl.message_html.value)[1] == (
        "Past its last kink the network is a straight line: slope 2.0000 for large x and 1.0000 for very "
        "negative x (the truth: 2).")
    assert paragraphs(ctl.message_html.value)[0].endswith(
        "0 of the 2 second-layer kinks (where the input of a second-layer neuron crosses zero).")


def test_table_reads_as_its_title_header_and_cells_and_nothing_else(explorer, lang):
    """Read as a whole, the extrapolation part is the title, the five column names and the two rows' cells:
    no stray text between the rows."""
    assert text(explorer.table_html.value) == " ".join(
        [TITLE[lang], *HEAD[lang], "12", "31.0000", "25.0000", "6.0000", "24.00%",
         "100", "269.6875", "201.0000", "68.6875", "34.17%"])


def test_a_new_explorer_shows_its_slider_table_and_picture(crafted, english):
    """Built inside the test (mutation testing maps a test to the code it runs, and a shared explorer is built
    by the first test that asks for it): the slider's settings, every cell of the table, its data names and
    values (the % error is the error over the truth, times 100), and the picture's size."""
    _, ctl = widgets.learned_explorer(model=crafted)
    s = ctl.range_slider
    assert (s.value, s.min, s.max, s.step) == (15.0, 10.0, 110.0, 5.0)
    assert png_size(png_of(ctl.plot_html.value)) == (512, 320)
    assert ctl.table_html._dom_classes == ("lessonlib-probe-table", "lessonlib-table-html")
    assert table_rows(ctl.table_html.value)[1:] == [["12", "31.0000", "25.0000", "6.0000", "24.00%"],
                                                    ["100", "269.6875", "201.0000", "68.6875", "34.17%"]]
    assert list(data_values(ctl.table_html.value)) == [f"{k}[{x}]" for x in (12, 100)
                                                       for k in ("x", "pred", "true", "err", "pct")]
    assert data_values(ctl.table_html.value)["pct[100]"] == pytest.approx(100 * 68.6875 / 201, rel=1e-5)
    assert data_values(ctl.table_html.value)["pct[12]"] == pytest.approx(24.0, rel=1e-5)


def test_predict_gives_float64_numbers_for_any_numeric_input(crafted, english):
    """ctl.predict() takes x as the student has it (a list of ints, float32, an object array as a pandas column
    of mixed types gives, long double) and always returns plain float64 numbers: the hand-built net's values."""
    _, ctl = widgets.learned_explorer(model=crafted)
    want = np.array([1.0 - 1.5 * 4, 1.0, 31.0, 269.6875])          # f at x = -4, 0, 12, 100, written out
    for x in ([-4, 0, 12, 100], np.array([-4, 0, 12, 100], dtype=np.float32),
              np.array([-4, 0, 12, 100], dtype=object), np.array([-4, 0, 12, 100], dtype=np.longdouble)):
        got = ctl.predict(x)
        assert got.dtype == np.float64 and got.shape == (4,), type(x)
        np.testing.assert_array_equal(got, want)
    np.testing.assert_array_equal(want, f([-4, 0, 12, 100]))
