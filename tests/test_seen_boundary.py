"""What the student sees in lesson 09's boundary explorer (lessonlib.widgets.boundary), read off the widget.

The status and explanation are read as text (tags stripped) and compared with sentences written out
here in English and Hebrew; the two panels are read from the figure (the drawn contour, the lines'
data, colours, markers, legend, title and limits); the controls by their settings. Expected values
come from literals, from a run whose numbers are chosen here (so which epochs "disagree" is known
by construction), or from the oracle of tests/oracles_classification.py, never from lessonlib's code.

Runs under ipywidgets 8 (the project env) and 7.7.1 (Colab's), matplotlib 3.11 and 3.10.
"""
import copy
import html
import inspect
import re

import numpy as np
import pytest
import torch
from matplotlib.colors import to_rgba
from matplotlib.contour import ContourSet
from matplotlib.figure import Figure

from lessonlib import set_language
from lessonlib.classify import ClassifierRun, fit_classifier
from lessonlib.data import make_moons_data
from lessonlib.model import make_classifier
from lessonlib.plots import needs_bidi
from tests.oracles_classification import bce, classifier_net, moons_xy, reference_classifier_fit, sigmoid
from tests.seen import bidi_free

w = pytest.importorskip("ipywidgets")
from lessonlib import widgets  # noqa: E402

# A run whose numbers are chosen here (the weights are a real 7-epoch run's). Epoch by epoch:
#   1: loss down, accuracy up         -> no remark
#   2: loss down, accuracy down       -> "disagree"
#   3: loss level, accuracy down      -> no remark (the loss did not go down)
#   4: loss down, accuracy level      -> no remark (the accuracy did not go down)
#   5: loss down, accuracy up         -> no remark
#   6: loss down, accuracy down       -> "disagree"
#   7: loss down, accuracy up (but below epoch 5's) -> no remark
TRAIN_LOSS = [1.40, 0.90, 0.80, 0.80, 0.60, 0.55, 0.50, 0.45]
TRAIN_ACC = [0.50, 0.75, 0.70, 0.6875, 0.6875, 0.80, 0.775, 0.78125]
VAL_LOSS = [1.50, 1.00, 0.90, 0.88, 0.70, 0.65, 0.62, 0.60]
VAL_ACC = [0.45, 0.70, 0.675, 0.65, 0.65, 0.775, 0.75, 0.75]
DISAGREE = {2, 6}
N_TRAIN = 160                                  # 80 % of the lesson's 200 moons

# the sentences, written out (the catalog is not read)
STATUS = {
    "en": "After epoch {e} of {n_e}: training loss {tl}, training accuracy {ta}% ({wrong} of 160 training points "
          "on the wrong side of the boundary); validation loss {vl}, validation accuracy {va}%.",
    "he": "אחרי אפוק {e} מתוך {n_e}: הפסד האימון {tl}, דיוק על סט האימון {ta}% ({wrong} מתוך 160 נקודות האימון "
          "בצד הלא נכון של הגבול); הפסד הוולידציה {vl}, דיוק על סט הוולידציה {va}%.",
}
UNTRAINED = {
    "en": "Epoch 0 is the untrained network: its logits are small, so almost the whole plane sits near probability 0.5. "
          "Click “Next epoch ▶” and watch the black line (sigmoid(z) = 0.5, that is z = 0) bend around the moons.",
    "he": "אפוק 0 הוא הרשת שעוד לא אומנה: הלוגיטים שלה קטנים, ולכן כמעט כל המישור קרוב להסתברות 0.5. "
          "לחצו על \"האפוק הבא\" וראו איך הקו השחור (sigmoid(z) = 0.5, כלומר z = 0) מתעקם סביב הירחים.",
}
DISAGREE_TEXT = {
    "en": "In this epoch the loss went down and the accuracy went down too: the loss rewards confidence on every point, "
          "the accuracy only counts which side of the line each point is on.",
    "he": "באפוק הזה ההפסד ירד, וגם הדיוק ירד: ההפסד מתגמל ביטחון בכל נקודה, והדיוק רק סופר באיזה צד של הקו כל "
          "נקודה נמצאת.",
}
CONTROLS = {   # (prev description, prev tooltip, next description, next tooltip, slider description)
    "en": ("◀ Previous epoch", "Show the boundary one epoch earlier", "Next epoch ▶", "Show the boundary one epoch later",
           "epoch"),
    "he": ("האפוק הקודם", "הצגת הגבול באפוק הקודם", "האפוק הבא", "הצגת הגבול באפוק הבא", "אפוק"),
}
BOUNDARY_TITLE = {"en": "Decision boundary after epoch {e}", "he": "גבול ההחלטה אחרי אפוק {e}"}
# the history panel's texts as matplotlib is handed them: logical order (isolated runs) on >= 3.11,
# visual order on 3.10: (title, x label, loss legend, accuracy legend)
HISTORY_TEXTS = {
    "en": ("Training loss and accuracy", "epoch", "training loss (BCE)", "training accuracy"),
    "he": ("הפסד האימון והדיוק", "אפוק", "הפסד האימון \u2066(BCE)\u2069", "דיוק על סט האימון"),
    "he-3.10": ("קוידהו ןומיאה דספה", "קופא", "(BCE) ןומיאה דספה", "ןומיאה טס לע קויד"),
}


# ---- reading what is shown -----------------------------------------------------------------------

def text(value: str) -> str:
    value = re.sub(r"</?(?:p|li|ul|div|br)\b[^>]*>", " ", value)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", value))).strip()


def paragraphs(value: str) -> list[str]:
    return [text(p) for p in re.findall(r"<p\b[^>]*>(.*?)</p>", value, re.S)]


def grid_shown(ax) -> bool:
    lines = ax.get_xgridlines() + ax.get_ygridlines()
    return bool(lines) and all(line.get_visible() for line in lines)


def boundary_title(lang: str, e: int) -> str:
    title = BOUNDARY_TITLE[lang].format(e=e)
    if lang == "he" and needs_bidi():            # matplotlib 3.10 is handed the visual order
        title = f"{e} קופא ירחא הטלחהה לובג"
    return title


def history_texts(lang: str):
    return HISTORY_TEXTS["he-3.10" if lang == "he" and needs_bidi() else lang]


def expected_paragraphs(lang: str, e: int) -> list[str]:
    status = STATUS[lang].format(e=e, n_e=len(TRAIN_LOSS) - 1, tl=f"{TRAIN_LOSS[e]:.4f}", ta=f"{100 * TRAIN_ACC[e]:.1f}",
                                 wrong=round(N_TRAIN * (1 - TRAIN_ACC[e])), vl=f"{VAL_LOSS[e]:.4f}",
                                 va=f"{100 * VAL_ACC[e]:.1f}")
    if e == 0:
        return [status, UNTRAINED[lang]]
    return [status, DISAGREE_TEXT[lang]] if e in DISAGREE else [status]


# ---- fixtures ----------------------------------------------------------------------------------------

@pytest.fixture(autouse=True)
def english_afterwards():
    try:
        set_language("en")
        yield
    finally:
        set_language("en")


@pytest.fixture
def quick_png(monkeypatch):
    """For the tests that read only the text and the controls: the figure is drawn but not encoded as PNG."""
    from lessonlib.widgets import boundary
    monkeypatch.setattr(boundary, "_png_img", lambda fig, css, alt="": f'<img class="{css}" alt="{alt}">')


@pytest.fixture(scope="module")
def data():
    return make_moons_data(seed=0)


@pytest.fixture(scope="module")
def real_run(data):
    return fit_classifier(make_classifier(seed=0), data, epochs=2)


@pytest.fixture(scope="module")
def chosen_run(real_run):
    """The chosen numbers, with weights that move from the untrained net (epoch 0) to the real run's after
    2 epochs (epoch 7) in equal steps: every epoch has its own boundary."""
    start, end = real_run.states[0], real_run.states[2]
    states = [{k: start[k] + (end[k] - start[k]) * (e / 7) for k in start} for e in range(8)]
    return ClassifierRun(train_loss=list(TRAIN_LOSS), val_loss=list(VAL_LOSS), train_acc=list(TRAIN_ACC),
                         val_acc=list(VAL_ACC), states=states)


# ---- the text ----------------------------------------------------------------------------------------

def test_the_written_out_sentences_match_the_displayed_numbers_by_hand():
    """Two of the expectations written out in full, so the templates above are not trusted blindly."""
    assert expected_paragraphs("en", 2) == [
        "After epoch 2 of 7: training loss 0.8000, training accuracy 70.0% (48 of 160 training points on the wrong "
        "side of the boundary); validation loss 0.9000, validation accuracy 67.5%.", DISAGREE_TEXT["en"]]
    assert expected_paragraphs("he", 7) == [
        "אחרי אפוק 7 מתוך 7: הפסד האימון 0.4500, דיוק על סט האימון 78.1% (35 מתוך 160 נקודות האימון בצד הלא נכון "
        "של הגבול); הפסד הוולידציה 0.6000, דיוק על סט הוולידציה 75.0%."]


@pytest.mark.parametrize("lang", ["en", "he"])
def test_every_epochs_message_as_read(chosen_run, data, quick_png, lang):
    """Epoch by epoch (clicking and dragging): the status line, and the remark where loss and accuracy both
    went down from the epoch before (only then), or the untrained note at epoch 0."""
    set_language(lang)
    _, ctl = widgets.boundary_explorer(chosen_run, data)
    value = ctl.message_html.value
    assert value.startswith('<div dir="rtl"' if lang == "he" else '<div dir="ltr"')
    assert paragraphs(value) == expected_paragraphs(lang, 0)
    for e in range(1, len(TRAIN_LOSS)):
        ctl.next_button.click()
        assert ctl.epoch == e
        assert paragraphs(ctl.message_html.value) == expected_paragraphs(lang, e), f"epoch {e}"
    for e in (3, 0, 6, 1):                      # and dragged to, in any order
        ctl.epoch_slider.value = e
        assert paragraphs(ctl.message_html.value) == expected_paragraphs(lang, e), f"epoch {e}"


def test_the_real_runs_status_reads_the_lessons_loop(real_run, data, quick_png):
    """On the lesson's own run the numbers shown are the loop's (oracle, float32 tolerance), at every epoch."""
    _, ctl = widgets.boundary_explorer(real_run, data)
    losses, accs = reference_classifier_fit(classifier_net(0), moons_xy(0), epochs=2)
    with torch.no_grad():
        z0 = classifier_net(0)(torch.from_numpy(moons_xy(0)[0])).numpy()
    losses = [bce(z0, moons_xy(0)[1])] + losses
    for e in range(3):
        ctl.show_epoch(e)
        shown = paragraphs(ctl.message_html.value)[0]
        m = re.fullmatch(r"After epoch (\d) of 2: training loss ([\d.]+), training accuracy ([\d.]+)% \((\d+) of 160 "
                         r"training points on the wrong side of the boundary\); validation loss ([\d.]+), "
                         r"validation accuracy ([\d.]+)%\.", shown)
        assert m, shown
        assert int(m.group(1)) == e
        assert float(m.group(2)) == pytest.approx(losses[e], abs=6e-5)
        if e > 0:
            assert float(m.group(3)) == pytest.approx(100 * accs[e - 1], abs=0.06)
            assert int(m.group(4)) == round(160 * (1 - accs[e - 1]))


# ---- the controls ------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["en", "he"])
def test_the_controls_as_shown(chosen_run, data, lang):
    set_language(lang)
    prev_d, prev_tip, next_d, next_tip, slider_d = CONTROLS[lang]
    ui, ctl = widgets.boundary_explorer(chosen_run, data, epoch=3)
    s = ctl.epoch_slider
    assert isinstance(s, w.IntSlider)
    assert (s.min, s.max, s.step, s.value) == (0, 7, 1, 3)
    assert s.description == slider_d and s.readout
    assert s.continuous_update is False                 # the plot is redrawn when the drag ends, not on every pixel
    assert s.style.description_width == "initial"       # the label is not cut to the default width
    assert "lessonlib-epoch" in s._dom_classes
    for b, desc, tip, css in ((ctl.prev_button, prev_d, prev_tip, "lessonlib-boundary-prev"),
                              (ctl.next_button, next_d, next_tip, "lessonlib-boundary-next")):
        assert isinstance(b, w.Button)
        assert (b.description, b.tooltip) == (desc, tip)
        assert css in b._dom_classes and b.layout.width == "auto"
    # the layout: one row of [prev, slider, next], then the plot, then the message
    assert "lessonlib-boundary-explorer" in ui._dom_classes
    assert ("lessonlib-rtl" in ui._dom_classes) == (lang == "he")
    css, row, plot, message = ui.children
    assert "lessonlib-css" in css._dom_classes
    assert list(row.children) == [ctl.prev_button, s, ctl.next_button]
    assert plot is ctl.plot_html and message is ctl.message_html
    assert "lessonlib-plot" in plot._dom_classes and "lessonlib-message" in message._dom_classes


def test_buttons_step_and_stop_at_the_ends(chosen_run, data, quick_png):
    ui, ctl = widgets.boundary_explorer(chosen_run, data)
    states = []
    for _ in range(9):
        states.append((ctl.epoch, ctl.prev_button.disabled, ctl.next_button.disabled))
        ctl.next_button.click()
    assert states == [(0, True, False)] + [(e, False, False) for e in range(1, 7)] + [(7, False, True)] * 2
    for e in (6, 5, 4, 3, 2, 1, 0, 0):
        ctl.prev_button.click()
        assert ctl.epoch == e
    assert ctl.prev_button.disabled and not ctl.next_button.disabled
    ctl.show_epoch(42)
    assert (ctl.epoch, ctl.epoch_slider.value) == (7, 7) and ctl.next_button.disabled
    ctl.show_epoch(-5)
    assert ctl.epoch == 0 and ctl.prev_button.disabled


@pytest.mark.parametrize("asked,shown", [(0, 0), (4, 4), (7, 7), (99, 7), (-3, 0)])
def test_the_epoch_asked_for_is_kept_within_the_run(chosen_run, data, quick_png, asked, shown):
    _, ctl = widgets.boundary_explorer(chosen_run, data, epoch=asked)
    assert ctl.epoch_slider.value == shown and ctl.epoch == shown
    assert (ctl.prev_button.disabled, ctl.next_button.disabled) == (shown == 0, shown == 7)
    assert paragraphs(ctl.message_html.value) == expected_paragraphs("en", shown)


def test_an_epoch_given_as_true_is_refused(chosen_run, data):
    with pytest.raises(ValueError, match=r"takes a whole number of epochs; got True\."):
        widgets.boundary_explorer(chosen_run, data, epoch=True)


def test_the_public_defaults():
    """What the notebook's `widgets.boundary_explorer(run, data)` relies on: start at epoch 0, the lesson's
    seed 0 and its 60 epochs when no run is given."""
    for fn in (widgets.boundary_explorer, widgets.BoundaryExplorer):
        params = inspect.signature(fn).parameters
        defaults = {k: p.default for k, p in params.items() if k != "self"}
        assert defaults == {"run": None, "data": None, "seed": 0, "epochs": 60, "epoch": 0}
        assert list(defaults) == ["run", "data", "seed", "epochs", "epoch"]


def test_without_a_run_it_trains_the_lessons_net_on_the_seeds_moons():
    """seed 3, 1 epoch: the moons of seed 3, the net of seed 3, the loop's batches of seed 3 (oracle)."""
    _, ctl = widgets.boundary_explorer(seed=3, epochs=1)
    xy = moons_xy(3)
    np.testing.assert_array_equal(ctl.data.x[ctl.data.train_idx], xy[0])
    net = classifier_net(3)
    with torch.no_grad():
        z0 = net(torch.from_numpy(xy[0])).numpy()
    losses, accs = reference_classifier_fit(net, xy, epochs=1, seed=3)
    assert ctl.run.epochs == 1 and ctl.epoch_slider.max == 1
    assert ctl.run.train_loss[0] == pytest.approx(bce(z0, xy[1]), rel=1e-4)
    assert ctl.run.train_loss[1] == pytest.approx(losses[0], rel=1e-4)
    assert ctl.run.train_acc[1] == pytest.approx(accs[0], abs=1e-6)


# ---- the picture ---------------------------------------------------------------------------------------

def test_the_figure_and_its_image(chosen_run, data):
    _, ctl = widgets.boundary_explorer(chosen_run, data, epoch=5)
    assert isinstance(ctl._fig, Figure) and tuple(ctl._fig.get_size_inches()) == (10.0, 4.2)
    left, right = sorted(ctl._fig.axes, key=lambda ax: ax.get_position().x0)    # as laid out in the picture
    assert left.get_title() == "Decision boundary after epoch 5" and right.get_title() == "Training loss and accuracy"
    img = ctl.plot_html.value
    assert img.startswith("<img") and 'class="lessonlib-plot-img"' in img
    assert 'width="800"' in img                        # 10 inches at 80 dpi, one PNG pixel per CSS pixel
    assert 'alt="Decision boundary after epoch 5"' in img
    first = img
    ctl.show_epoch(6)
    assert 'alt="Decision boundary after epoch 6"' in ctl.plot_html.value and ctl.plot_html.value != first


def test_the_image_alt_text_in_hebrew(chosen_run, data):
    set_language("he")
    _, ctl = widgets.boundary_explorer(chosen_run, data, epoch=2)
    assert 'alt="גבול ההחלטה אחרי אפוק 2"' in ctl.plot_html.value


def _oracle_grid(states, e, xlim, ylim, n=81):
    """P = sigmoid(net(x)) on an n x n grid, with the recorded weights of epoch e in the oracle's net."""
    net = classifier_net(0)
    net.load_state_dict(states[e])
    xs, ys = np.linspace(*xlim, n), np.linspace(*ylim, n)
    X, Y = np.meshgrid(xs, ys)
    with torch.no_grad():
        z = net(torch.from_numpy(np.stack([X.ravel(), Y.ravel()], axis=1).astype(np.float32))).numpy()
    return X, Y, sigmoid(z[:, 0]).reshape(X.shape)


@pytest.mark.parametrize("lang", ["en", "he"])
def test_the_boundary_panel_is_the_epochs_weights(chosen_run, data, quick_png, lang):
    """The left panel: the black line P = 0.5 where the recorded weights of the epoch shown put it (81 x 81
    grid over all the points plus 0.5), shading from 0 to 1, limits around every point, the epoch in the title."""
    set_language(lang)
    x_all = np.concatenate(moons_xy(0)[::2])
    lo, hi = x_all.min(axis=0).astype(np.float64) - 0.5, x_all.max(axis=0).astype(np.float64) + 0.5
    xlim, ylim = (lo[0], hi[0]), (lo[1], hi[1])
    _, ctl = widgets.boundary_explorer(chosen_run, data)
    for e in (0, 4, 7):
        ctl.show_epoch(e)
        ax = ctl._ax_boundary
        assert ax.get_title() == boundary_title(lang, e)
        assert ax.get_xlim() == pytest.approx(xlim, abs=1e-6) and ax.get_ylim() == pytest.approx(ylim, abs=1e-6)
        shade, line = [c for c in ax.collections if isinstance(c, ContourSet)]
        assert shade.filled and list(shade.levels) == pytest.approx([k / 10 for k in range(11)])
        assert list(line.levels) == [0.5]
        X, Y, P = _oracle_grid(chosen_run.states, e, xlim, ylim)
        gX, gY, gP = ctl.grid(e)
        assert gP.shape == (81, 81)
        np.testing.assert_allclose(gX, X, atol=1e-6)
        np.testing.assert_allclose(gY, Y, atol=1e-6)
        np.testing.assert_allclose(gP, P, atol=1e-5)
        ref = Figure().subplots().contour(X, Y, P, levels=[0.5])
        drawn = np.concatenate([p.vertices for p in line.get_paths()])
        want = np.concatenate([p.vertices for p in ref.get_paths()])
        assert drawn.shape == want.shape, f"epoch {e}: the drawn boundary has another shape"
        np.testing.assert_allclose(drawn, want, atol=1e-3)


@pytest.mark.parametrize("lang", ["en", "he"])
def test_the_history_panel(chosen_run, data, quick_png, lang):
    """The right panel: the loss (blue) and accuracy (green) of every epoch against the epoch, a red line and
    red dots at the epoch shown, y from 0 to 5 % above the starting loss (at least 1.05), its legend at the
    centre right in the small font, a grid, the epoch axis and the title."""
    set_language(lang)
    title, xlabel, loss_label, acc_label = history_texts(lang)
    _, ctl = widgets.boundary_explorer(chosen_run, data)
    for e in (0, 3, 7):
        ctl.show_epoch(e)
        ax = ctl._ax_history
        loss, acc, vline, dots = ax.get_lines()
        for ln, ys, colour, label in ((loss, TRAIN_LOSS, "tab:blue", loss_label), (acc, TRAIN_ACC, "tab:green", acc_label)):
            assert list(np.asarray(ln.get_xdata(), dtype=float)) == [float(k) for k in range(8)]
            assert list(np.asarray(ln.get_ydata(), dtype=float)) == ys
            assert to_rgba(ln.get_color()) == to_rgba(colour) and ln.get_label() == label
            assert ln.get_marker() in ("None", "", None) and ln.get_linestyle() == "-"
        assert list(np.asarray(vline.get_xdata(), dtype=float)) == [e, e]
        assert to_rgba(vline.get_color()) == to_rgba("tab:red") and vline.get_linewidth() == 1.5
        assert list(np.asarray(dots.get_xdata(), dtype=float)) == [e, e]
        assert list(np.asarray(dots.get_ydata(), dtype=float)) == [TRAIN_LOSS[e], TRAIN_ACC[e]]
        assert dots.get_marker() == "o" and dots.get_linestyle() == "None"
        assert to_rgba(dots.get_color()) == to_rgba("tab:red")
        assert ax.get_ylim() == pytest.approx((0.0, 1.4 * 1.05), abs=1e-12)
        assert ax.get_xlabel() == xlabel and ax.get_title() == title
        legend = ax.get_legend()
        assert [x.get_text() for x in legend.get_texts()] == [loss_label, acc_label]
        assert legend._loc == 7                        # "center right"
        assert all(x.get_fontsize() == 9 for x in legend.get_texts())
        assert grid_shown(ax)


def test_the_history_panel_keeps_1_05_when_the_loss_starts_low(real_run, data):
    """The lesson's run starts at a loss of about 0.70: the axis goes to 1.05, so 100 % accuracy fits."""
    _, ctl = widgets.boundary_explorer(real_run, data, epoch=2)
    assert real_run.train_loss[0] * 1.05 < 1.05
    assert ctl._ax_history.get_ylim() == pytest.approx((0.0, 1.05), abs=1e-12)


@pytest.mark.parametrize("bad", [float("nan"), float("inf")])
def test_the_history_panel_fits_a_loss_that_rises_above_its_start(chosen_run, data, bad):
    """A run whose loss climbs (a large learning rate): the axis reaches 5 % above the highest loss, not the
    first one, so the curve is not cut off; a loss that became inf or NaN is left out of the limit."""
    run = copy.copy(chosen_run)
    run.train_loss = [1.40, 2.0, 3.5, 2.5, bad, 0.55, 0.50, 0.45]
    _, ctl = widgets.boundary_explorer(run, data, epoch=3)
    assert ctl._ax_history.get_ylim() == pytest.approx((0.0, 3.5 * 1.05), abs=1e-12)


def test_the_history_marks_and_grid_hold_under_a_style_that_changes_them(chosen_run, data, quick_png):
    """A notebook style with thick lines and a grid on by default: the epoch line stays 1.5 pt and the grid is
    still drawn (a grid toggled rather than turned on would vanish)."""
    import matplotlib

    with matplotlib.rc_context({"lines.linewidth": 4.0, "axes.grid": True}):
        _, ctl = widgets.boundary_explorer(chosen_run, data, epoch=4)
        ctl.show_epoch(5)
        ax = ctl._ax_history
        assert ax.get_lines()[2].get_linewidth() == 1.5
        assert grid_shown(ax)


def test_the_history_colours_hold_under_any_matplotlib_style(chosen_run, data, quick_png):
    """Blue loss, green accuracy, red epoch marks: fixed, not taken from the colour cycle of whatever style
    the student's notebook has set (here a cycle of black and grey only)."""
    import matplotlib
    from cycler import cycler

    with matplotlib.rc_context({"axes.prop_cycle": cycler(color=["black", "0.5"])}):
        _, ctl = widgets.boundary_explorer(chosen_run, data, epoch=4)
        ctl.show_epoch(5)
    loss, acc, vline, dots = ctl._ax_history.get_lines()
    assert [to_rgba(ln.get_color()) for ln in (loss, acc, vline, dots)] == [
        to_rgba("tab:blue"), to_rgba("tab:green"), to_rgba("tab:red"), to_rgba("tab:red")]


def test_a_run_of_a_net_with_8_hidden_units_shows_its_own_boundary(data, quick_png):
    """A run recorded with a smaller net (8 hidden units, not the lesson's 16) is shown with that net's
    weights: each epoch's probabilities are those of an 8-unit net written here with the recorded weights."""
    states = [{k: v.clone() for k, v in classifier_net(s, hidden=8).state_dict().items()} for s in (0, 1)]
    assert states[0]["0.weight"].shape == (8, 2)
    run = ClassifierRun(train_loss=[0.70, 0.60], val_loss=[0.72, 0.65], train_acc=[0.5, 0.625],
                        val_acc=[0.45, 0.6], states=states)
    _, ctl = widgets.boundary_explorer(run, data)
    x_all = np.concatenate(moons_xy(0)[::2])
    lo, hi = x_all.min(axis=0).astype(np.float64) - 0.5, x_all.max(axis=0).astype(np.float64) + 0.5
    xs, ys = np.linspace(lo[0], hi[0], 81), np.linspace(lo[1], hi[1], 81)
    X, Y = np.meshgrid(xs, ys)
    pts = torch.from_numpy(np.stack([X.ravel(), Y.ravel()], axis=1).astype(np.float32))
    for e in (0, 1):
        ctl.show_epoch(e)
        net = classifier_net(0, hidden=8)
        net.load_state_dict(states[e])
        with torch.no_grad():
            P = sigmoid(net(pts).numpy()[:, 0]).reshape(X.shape)
        np.testing.assert_allclose(ctl.grid(e)[2], P, atol=1e-5)
        assert ctl._ax_boundary.get_title() == f"Decision boundary after epoch {e}"
    assert paragraphs(ctl.message_html.value)[0].startswith("After epoch 1 of 1: training loss 0.6000, ")


# ---- the class itself: its default seed, and a long wrong epoch in the message -----------------------

def test_the_class_without_data_or_seed_shows_the_lessons_moons_of_seed_0(chosen_run, quick_png):
    """BoundaryExplorer(run) with no data and no seed (the class, as the function's defaults say) draws the
    lesson's moons of seed 0 (oracle): the 160 training points, and the message counts them."""
    ctl = widgets.BoundaryExplorer(chosen_run)
    x_train = moons_xy(0)[0]
    np.testing.assert_array_equal(ctl.data.x[ctl.data.train_idx], x_train)
    drawn = np.concatenate([c.get_offsets() for c in ctl._ax_boundary.collections if not isinstance(c, ContourSet)])
    assert drawn.shape == (160, 2)
    order = np.lexsort(drawn.T)
    want = x_train.astype(np.float64)
    np.testing.assert_array_equal(drawn[order], want[np.lexsort(want.T)])
    assert paragraphs(ctl.message_html.value) == expected_paragraphs("en", 0)


@pytest.mark.parametrize("lang", ["en", "he"])
def test_a_long_wrong_epoch_is_shown_by_its_first_40_characters(chosen_run, data, lang):
    """epoch=list(range(60)) (the epochs, not one of them) is refused, the message quoting the first 40
    characters of what was given."""
    set_language(lang)
    got = "[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 1"
    want = {"en": f"boundary_explorer(epoch=...) takes a whole number of epochs; got {got}.",
            "he": f"boundary_explorer(epoch=...) מקבלת מספר שלם של אפוקים; קיבלתי {got}."}[lang]
    with pytest.raises(ValueError) as err:
        widgets.BoundaryExplorer(chosen_run, data, epoch=list(range(60)))
    assert bidi_free(str(err.value)) == want
