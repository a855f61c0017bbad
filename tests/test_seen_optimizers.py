"""What the student sees in the optimizer explorer (lessons 06, 07): controls, texts and both plots.

Every test reads what is displayed (the HTML's text with the tags stripped, the slider settings, the
drawn matplotlib artists) and compares it with an independent expectation: a literal written out
here, fit()'s own losses read from lessonlib/explorer_grid.npz (the numbers the explorer promises to
show), or plain torch (fit() on this machine) with a float32 tolerance. A live fit() is never compared
exactly: the grid was written on another CPU kind (tools/arithmetic.py).
"""
import base64
import html
import inspect
import math
import re
import struct
import time

import numpy as np
import pytest
import torch
from matplotlib.colors import to_hex, to_rgba

from lessonlib import bidi, explorer_grid, fit, make_line_data, make_model, plots, set_language
from lessonlib.train import History

w = pytest.importorskip("ipywidgets")
from lessonlib import widgets  # noqa: E402

STABLE = ("sgd", -2.5, 50)         # on the grid, no divergence, the re-run agrees with fit()
DIVERGES = ("sgd", -1.2, 40)       # on the grid: finite losses, diverges at epoch 2
DEAD = ("sgd", -1.0, 300)          # on the grid: NaN at epoch 1, no finite prediction
HUGE = ("adam", 0.5, 300)          # on the grid: diverges at epoch 1 with a finite, huge prediction
LANGS = ["en", "he"]


@pytest.fixture
def lang(each_language):
    """The test in English, then in Hebrew (tests/conftest.py)."""
    return each_language


@pytest.fixture(scope="module")
def built():
    """One explorer per language, built in that language (a first draw costs most of a second)."""
    out = {}
    try:
        for code in LANGS:
            set_language(code)
            out[code] = widgets.optimizer_explorer(optimizer=STABLE[0], lr=10 ** STABLE[1], epochs=STABLE[2])
    finally:
        set_language("en")
    return out


@pytest.fixture
def ctl(built, lang):
    return built[lang][1]


def show(ctl, setting):
    """Move the controls as a student does (each change re-trains, as a slider's release does)."""
    optimizer, exponent, epochs = setting
    if ctl.optimizer_dropdown.value != optimizer:
        ctl.optimizer_dropdown.value = optimizer
    if ctl.epochs_slider.value != epochs:
        ctl.epochs_slider.value = epochs
    if ctl.lr_slider.value != 10 ** exponent:
        ctl.lr_slider.value = 10 ** exponent
    return ctl


@pytest.fixture(scope="module")
def fitted():
    """fit() on this machine, off the grid (Adam at 0.0123, 20 epochs): (trained model, History)."""
    model = make_model(0)
    hist = fit(model, make_line_data(0), optimizer="adam", lr=0.0123, epochs=20, progress=False, fast=True)
    return model, hist


def text(value: str) -> str:
    """What an HTML value reads as: block tags as a space, inline ones dropped, entities decoded."""
    value = re.sub(r"</?(?:p|li|ul|div|tr|td|th|br|table|small)\b[^>]*>", " ", value)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", value))).strip()


def grid(setting) -> History:
    optimizer, exponent, epochs = setting
    hist = explorer_grid.lookup(optimizer, 10 ** exponent, epochs)
    assert hist is not None
    return hist


def rgba(c):
    return tuple(np.round(to_rgba(c), 6))


# ---- the controls ---------------------------------------------------------------------------------

def test_call_signature_defaults_the_notebooks_rely_on():
    sig = inspect.signature(widgets.optimizer_explorer)
    assert {k: p.default for k, p in sig.parameters.items()} == {
        "seed": 0, "lr": 0.01, "optimizer": "adam", "epochs": 300, "data": None}
    sig = inspect.signature(widgets.OptimizerExplorer)
    assert {k: p.default for k, p in sig.parameters.items()} == {
        "seed": 0, "lr": 0.01, "optimizer": "adam", "epochs": 300, "batch_size": 32, "data": None, "max_epochs": 300}


def test_controls_as_the_student_finds_them(built, lang):
    ui, ctl = built[lang]
    names = {"en": ("learning rate", "optimizer", "epochs",
                    ["SGD", "SGD + momentum 0.9", "RMSprop", "Adam"]),
             "he": ("קצב למידה", "אופטימייזר", "אפוקים",
                    ["SGD", "SGD עם מומנטום 0.9", "RMSprop", "Adam"])}[lang]
    show(ctl, STABLE)
    lr, dd, ep = ctl.lr_slider, ctl.optimizer_dropdown, ctl.epochs_slider
    assert isinstance(lr, w.FloatLogSlider)
    assert (lr.description, lr.base, lr.min, lr.max, lr.step) == (names[0], 10, -4, 0.5, 0.1)
    assert lr.value == pytest.approx(10 ** -2.5, rel=1e-12)
    assert lr.readout is False and lr.continuous_update is False, "one re-train per release, not per drag"
    assert ctl.lr_readout.value == "0.00316"
    assert dd.description == bidi.plain(names[1]) and dd.value == "sgd"
    assert list(dd.options) == [(bidi.plain(label), v) for label, v in
                                zip(names[3], ["sgd", "momentum", "rmsprop", "adam"], strict=True)]
    assert isinstance(ep, w.IntSlider)
    assert (ep.description, ep.min, ep.max, ep.step, ep.value) == (names[2], 1, 300, 1, 50)
    assert ep.continuous_update is False, "one re-train per release, not per drag"
    assert "lessonlib-lr" in lr._dom_classes and "lessonlib-optimizer" in dd._dom_classes
    assert "lessonlib-epochs" in ep._dom_classes
    for part, css in ((ctl.summary_html, "lessonlib-summary"), (ctl.message_html, "lessonlib-message"),
                      (ctl.plot_html, "lessonlib-plot")):
        assert css in part._dom_classes
    assert "lessonlib-optimizer-explorer" in ui._dom_classes
    assert all(c.style.description_width == "initial" for c in (lr, dd, ep)), "descriptions are not cut off"
    # top to bottom: the controls in one row (learning rate with its readout, optimizer, epochs), the summary,
    # the message, the plot
    row = ui.children[1]
    assert list(ui.children[2:]) == [ctl.summary_html, ctl.message_html, ctl.plot_html]
    assert list(row.children[1:]) == [dd, ep] and list(row.children[0].children) == [lr, ctl.lr_readout]
    direction = {"en": '<div dir="ltr"', "he": '<div dir="rtl"'}[lang]
    assert ctl.summary_html.value.startswith(direction) and ctl.message_html.value.startswith(direction)
    png = base64.b64decode(re.search(r'src="data:image/png;base64,([^"]+)"', ctl.plot_html.value).group(1))
    assert struct.unpack(">II", png[16:24]) == (768, 288), "two panels, 9.6 x 3.6 in at 80 dpi"
    ctl.lr_slider.value = 10 ** -2.2
    assert ctl.lr_readout.value == "0.00631"
    assert ctl.history.lr == pytest.approx(10 ** -2.2) and text(ctl.summary_html.value).startswith(
        {"en": "SGD, learning rate 0.00631, 50 epochs", "he": "SGD, קצב למידה 0.00631, 50 אפוקים"}[lang])


def test_unknown_optimizer_is_named_with_the_choices(lang):
    want = {"en": "Unknown optimizer 'adamw': expected one of ['sgd', 'momentum', 'rmsprop', 'adam'].",
            "he": "אופטימייזר לא מוכר 'adamw': ציפיתי לאחד מ־['sgd', 'momentum', 'rmsprop', 'adam']."}[lang]
    with pytest.raises(ValueError) as err:
        widgets.optimizer_explorer(optimizer="adamw")
    assert str(err.value) == want


def test_data_given_is_on_the_grid_only_when_it_is_the_lessons():
    ctl = widgets.optimizer_explorer(optimizer="sgd", lr=10 ** -2.5, epochs=5, data=make_line_data(0))[1]
    assert ctl.source == "fit" and ctl.history.train_loss == grid(("sgd", -2.5, 5)).train_loss
    ctl = widgets.OptimizerExplorer(optimizer="sgd", lr=10 ** -2.5, epochs=5, data=make_line_data(1), max_epochs=450)
    assert ctl.source == "replay" and ctl.history is ctl.replay
    assert "was not precomputed" in text(ctl.message_html.value)
    assert (ctl.epochs_slider.min, ctl.epochs_slider.max, ctl.epochs_slider.value) == (1, 450, 5)


# ---- the texts ------------------------------------------------------------------------------------

SECONDS = r"\d+\.\d\d"


def test_stable_setting_summary_and_source(ctl, lang):
    show(ctl, STABLE)
    want = grid(STABLE)
    assert ctl.source == "fit" and ctl.drift_epoch is None
    tr_, va = f"{want.train_loss[-1]:.4g}", f"{want.val_loss[-1]:.4g}"
    summary = {"en": f"SGD, learning rate 0.00316, 50 epochs (250 steps): final training loss {tr_}, "
                     f"validation loss {va}.",
               "he": f"SGD, קצב למידה 0.00316, 50 אפוקים (250 צעדים): הפסד האימון בסוף {tr_}, "
                     f"הפסד ולידציה {va}."}[lang]
    assert text(ctl.summary_html.value) == summary
    source = {"en": "The losses and the verdict are fit()'s own (PyTorch, precomputed on the course's "
                    "computer for every setting of these sliders; on another processor fit() can differ in the "
                    "last digits, and a chaotic run by more). The fitted line comes from re-training the 250 steps in NumPy (SECONDS s), which "
                    "stays within 1% of fit()'s losses at every epoch.",
              "he": "ההפסדים וההכרעה הם של fit() עצמו (PyTorch, חושבו מראש במחשב של הקורס לכל מצב של המחוונים "
                    "האלה; במעבד אחר fit() עשוי להיות שונה בספרות האחרונות, ובריצה כאוטית – ביותר מזה). הקו המותאם "
                    "בא מאימון מחדש של 250 הצעדים ב־NumPy (SECONDS שניות), שנשאר בטווח 1% מההפסדים של fit() "
                    "בכל אפוק."}[lang]
    shown = text(ctl.message_html.value)
    assert re.fullmatch(re.escape(source).replace("SECONDS", SECONDS), shown), shown
    assert f"{ctl.train_seconds:.2f}" in shown
    assert "⚠️" not in ctl.message_html.value and 'class="problem"' not in ctl.message_html.value
    assert "<small>" in ctl.message_html.value, "where the numbers come from is a small note"


def test_off_grid_says_everything_is_the_numpy_rerun(ctl, lang):
    show(ctl, ("adam", -2.5, 20))
    ctl.lr_slider.value = 0.0123                            # set from code: not a slider position
    assert ctl.source == "replay" and ctl.history is ctl.replay
    source = {"en": "⚠️ This setting was not precomputed with fit(), so everything shown comes from re-training the "
                    "100 steps in NumPy float32 (SECONDS s). That matches fit() closely until rounding differences "
                    "grow; in a chaotic run fit() can end elsewhere.",
              "he": "⚠️ את המצב הזה לא חישבנו מראש עם fit(), ולכן כל מה שמוצג בא מאימון מחדש של 100 הצעדים ב־NumPy "
                    "ב־float32 (SECONDS שניות). זה קרוב מאוד ל־fit() עד שהבדלי העיגול גדלים; בריצה כאוטית fit() "
                    "יכול להגיע למקום אחר."}[lang]
    shown = text(ctl.message_html.value)
    assert re.fullmatch(re.escape(source).replace("SECONDS", SECONDS), shown), shown
    assert f"{ctl.train_seconds:.2f}" in shown
    assert 'class="problem"' in ctl.message_html.value
    h = ctl.history
    summary = {"en": f"Adam, learning rate 0.0123, 20 epochs (100 steps): final training loss "
                     f"{h.train_loss[-1]:.4g}, validation loss {h.val_loss[-1]:.4g}.",
               "he": f"Adam, קצב למידה 0.0123, 20 אפוקים (100 צעדים): הפסד האימון בסוף "
                     f"{h.train_loss[-1]:.4g}, הפסד ולידציה {h.val_loss[-1]:.4g}."}[lang]
    assert text(ctl.summary_html.value) == summary
    # the History handed to the caller is a whole one: its lr, epochs, timing and reference
    assert (h.optimizer, h.lr, h.epochs, len(h.train_loss), h.diverged_at) == ("adam", 0.0123, 20, 20, None)
    assert h.seconds == ctl.train_seconds > 0
    assert h.reference_loss == pytest.approx(130.6596, rel=1e-6)


def test_off_grid_numbers_are_fits_arithmetic_in_float32(built, fitted):
    """The re-run starts from make_model(0)'s weights and takes fit()'s batches: within float32 noise of fit()."""
    ctl = show(built["en"][1], ("adam", -2.5, 20))
    ctl.lr_slider.value = 0.0123
    model, want = fitted
    np.testing.assert_allclose(ctl.history.train_loss, want.train_loss, rtol=1e-4)
    np.testing.assert_allclose(ctl.history.val_loss, want.val_loss, rtol=1e-4)
    # "NumPy float32", as the message says: the weights and the prediction are float32
    assert {v.dtype for v in ctl.params.values()} == {np.dtype(np.float32)}
    xs = np.linspace(-10, 10, 400, dtype=np.float32)
    assert ctl.predict(xs).dtype == np.float32
    pred_line = ctl._artists["pred"]
    np.testing.assert_array_equal(np.asarray(pred_line.get_xdata(), dtype=np.float32).reshape(-1), xs)
    with torch.no_grad():
        torch_pred = model(torch.from_numpy(xs.reshape(-1, 1))).double().numpy().reshape(-1)
    pred = np.asarray(pred_line.get_ydata(), dtype=float)
    assert pred.shape == (400,)
    np.testing.assert_allclose(pred, torch_pred, rtol=1e-3, atol=1e-3)
    assert ctl._ax_fit.get_ylim() == (-23.0, 23.0), "the truth's y in [-19, 21], a margin of 2"
    assert not ctl._artists["no_pred"].get_visible()


def test_divergence_is_explained_and_marked(ctl, lang):
    show(ctl, DIVERGES)
    want = grid(DIVERGES)
    assert want.diverged_at == 2
    train, val, ref = want.train_loss[1], want.val_loss[1], want.reference_loss
    loss = train if (not math.isfinite(train) or train > 1000 * ref) else val
    lr = f"{10 ** -1.2:g}"
    msg = {"en": f"⚠️ Training diverged at epoch 2: the loss became {loss:.3g}, {loss / ref:.3g} times the untrained "
                 f"network's training loss {ref:.4g} (divergence: a loss that is inf/NaN or more than 1000 times "
                 f"that). Learning rate {lr} is too large for sgd. The plots show what was computed up to that epoch. "
                 f"Try a smaller learning rate.",
           "he": f"⚠️ האימון התבדר באפוק 2: ההפסד הפך ל־{loss:.3g}, פי {loss / ref:.3g} מהפסד האימון של הרשת שלא "
                 f"אומנה, {ref:.4g} (התבדרות: הפסד שהוא inf/NaN או גדול פי יותר מ־1000 מזה). קצב הלמידה {lr} גדול "
                 f"מדי עבור sgd. הגרפים מציגים את מה שחישבנו עד האפוק הזה. נסו קצב למידה קטן יותר."}[lang]
    shown = text(ctl.message_html.value)
    assert shown.startswith(msg + " "), shown
    assert ctl.summary_html.value == ""
    assert ctl.history.diverged_at == 2 and len(ctl.history.train_loss) == 2
    # the history panel: two epochs, a red dotted line at epoch 2 with its note
    ax = ctl._ax_hist
    train_line, val_line = ax.get_lines()[:2]
    np.testing.assert_array_equal(np.asarray(train_line.get_xdata()), [1, 2])
    assert list(train_line.get_ydata()) == want.train_loss and list(val_line.get_ydata()) == want.val_loss
    both = np.array(want.train_loss + want.val_loss)
    assert ax.get_ylim() == pytest.approx((both.min() / 2, both.max() * 2), rel=1e-12)
    assert ax.get_xlim() == (0.5, 2.5)
    line = ctl._artists["diverged_line"]
    assert line.get_visible() and list(line.get_xdata()) == [2, 2]
    assert (to_hex(line.get_color()), line.get_linestyle()) == (to_hex("tab:red"), ":")
    _assert_red_note(ctl._artists["diverged_text"], ax, {"en": "diverged at epoch 2", "he": "התבדר באפוק 2"}[lang])
    # the fit panel: a prediction far below the truth, framed down to -200 (and 2 more)
    pred = np.asarray(ctl._artists["pred"].get_ydata(), dtype=float)
    assert np.isfinite(pred).all() and pred.max() < -200 and not ctl._artists["no_pred"].get_visible()
    assert ctl._ax_fit.get_ylim() == (-202.0, 23.0)
    show(ctl, STABLE)                                  # and it recovers
    assert "⚠️" not in ctl.message_html.value and text(ctl.summary_html.value).startswith("SGD, ")
    assert not line.get_visible() and not ctl._artists["diverged_text"].get_visible()


def test_chaotic_run_says_where_the_rerun_parts(ctl, lang):
    """RMSprop at 0.01: fit()'s loss is shown; the float32 re-run that draws the line drifts, and it says so."""
    show(ctl, ("rmsprop", -2.0, 300))
    want = grid(("rmsprop", -2.0, 300))
    assert ctl.history.train_loss == want.train_loss
    e = ctl.drift_epoch
    assert e is not None and 1 <= e <= 300
    rep = f"{ctl.replay.train_loss[-1]:.4g}"
    msg = {"en": f"⚠️ This run is chaotic: from epoch {e} on, the NumPy re-run that draws the fitted line differs from "
                 f"fit() by more than 1% (rounding differences of one part in ten million grew until the runs parted). "
                 f"The losses and the verdict shown are fit()'s; the fitted line is the re-run's (final training loss "
                 f"{rep}, fit()'s: {want.train_loss[-1]:.4g}).",
           "he": f"⚠️ הריצה הזו כאוטית: מאפוק {e} והלאה, האימון מחדש ב־NumPy שמצייר את הקו המותאם שונה מ־fit() ביותר "
                 f"מ־1% (הבדלי עיגול של חלק אחד מעשרה מיליון גדלו עד שהריצות נפרדו). ההפסדים וההכרעה המוצגים הם של "
                 f"fit(); הקו המותאם הוא של האימון מחדש (הפסד האימון בסוף {rep}, של fit(): "
                 f"{want.train_loss[-1]:.4g})."}[lang]
    assert text(ctl.message_html.value) == msg
    # the drift epoch is the first where the re-run leaves fit() by more than 1% + 1e-3
    for k in range(e - 1):
        for a, b in ((want.train_loss[k], ctl.replay.train_loss[k]), (want.val_loss[k], ctl.replay.val_loss[k])):
            assert abs(a - b) <= 1e-3 + 1e-2 * abs(a)
    pairs = ((want.train_loss[e - 1], ctl.replay.train_loss[e - 1]), (want.val_loss[e - 1], ctl.replay.val_loss[e - 1]))
    assert any(abs(x - y) > 1e-3 + 1e-2 * abs(x) for x, y in pairs)


def test_replay_drift_epoch_compares_every_epoch():
    truth = History("sgd", 0.1, 3, [10.0, 5.0, 1.0], [10.0, 5.0, 1.0])
    same = History("sgd", 0.1, 3, [10.0, 5.0, 1.0], [10.0, 5.0, 1.0])
    assert widgets.replay_drift_epoch(truth, same) is None
    assert widgets.replay_drift_epoch(truth, History("sgd", 0.1, 3, [11.0, 5.0, 1.0], [10.0, 5.0, 1.0])) == 1
    assert widgets.replay_drift_epoch(truth, History("sgd", 0.1, 3, [10.0, 5.0, 1.0], [10.0, 5.0, 1.5])) == 3
    # within 1% + 1e-3 is agreement; just past it is not
    assert widgets.replay_drift_epoch(truth, History("sgd", 0.1, 3, [10.0 + 0.100, 5.0, 1.0],
                                                     [10.0, 5.0, 1.0 - 0.0109])) is None
    assert widgets.replay_drift_epoch(truth, History("sgd", 0.1, 3, [10.0, 5.0, 1.0],
                                                     [10.0, 5.0, 1.0 - 0.0112])) == 3
    # a shorter re-run (it stopped, diverged) parts where it ends
    assert widgets.replay_drift_epoch(truth, History("sgd", 0.1, 2, [10.0, 5.0], [10.0, 5.0], diverged_at=2)) == 2
    assert widgets.replay_drift_epoch(truth, History("sgd", 0.1, 3, [10.0], [10.0])) == 2
    # NaN against a number, and NaN against NaN
    nan = History("sgd", 0.1, 1, [math.nan], [math.nan], diverged_at=1)
    assert widgets.replay_drift_epoch(nan, History("sgd", 0.1, 1, [math.nan], [math.nan], diverged_at=1)) is None
    assert widgets.replay_drift_epoch(nan, History("sgd", 0.1, 1, [3.0], [3.0], diverged_at=1)) == 1
    assert widgets.replay_drift_epoch(History("sgd", 0.1, 1, [3.0], [3.0]), nan) == 1
    inf = History("sgd", 0.1, 1, [math.inf], [math.inf], diverged_at=1)
    assert widgets.replay_drift_epoch(inf, History("sgd", 0.1, 1, [math.inf], [math.inf], diverged_at=1)) is None
    assert widgets.replay_drift_epoch(inf, nan) == 1
    # the same losses, but the re-run calls divergence where fit() did not (or at another epoch)
    assert widgets.replay_drift_epoch(truth, History("sgd", 0.1, 3, [10.0, 5.0, 1.0], [10.0, 5.0, 1.0],
                                                     diverged_at=3)) == 3
    assert widgets.replay_drift_epoch(History("sgd", 0.1, 2, [10.0, 5.0], [10.0, 5.0], diverged_at=2),
                                      History("sgd", 0.1, 2, [10.0, 5.0], [10.0, 5.0])) == 2


# ---- the plots ------------------------------------------------------------------------------------

def _assert_red_note(note, ax, words):
    assert note.get_visible() and note.get_text() == plots.label(words)
    assert note.get_transform() == ax.transAxes and tuple(note.get_position()) == (0.5, 0.5)
    assert (note.get_ha(), note.get_va()) == ("center", "center")
    assert to_hex(note.get_color()) == to_hex("tab:red")
    box = note.get_bbox_patch()
    assert box is not None
    assert rgba(box.get_facecolor()) == rgba(to_rgba("white", 0.85))
    assert rgba(box.get_edgecolor()) == rgba(to_rgba("tab:red", 0.85))


def test_history_panel_draws_fits_losses(ctl, lang):
    show(ctl, STABLE)
    want = grid(STABLE)
    ax = ctl._ax_hist
    train, val = ax.get_lines()[:2]
    epochs = np.arange(1, 51)
    np.testing.assert_array_equal(np.asarray(train.get_xdata()), epochs)
    np.testing.assert_array_equal(np.asarray(val.get_xdata()), epochs)
    assert list(train.get_ydata()) == want.train_loss and list(val.get_ydata()) == want.val_loss
    assert ax.get_yscale() == "log" and ax.get_xlim() == (0.5, 50.5)
    both = np.array(want.train_loss + want.val_loss)
    assert ax.get_ylim() == pytest.approx((both.min() / 2, both.max() * 2), rel=1e-12)
    labels = {"en": (["training loss", "validation loss"], "Learning history: y = 2x + 1", "epoch", "MSE loss"),
              "he": (["הפסד אימון", "הפסד ולידציה"], "היסטוריית הלמידה: y = 2x + 1", None, None)}[lang]
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [plots.label(s) for s in labels[0]]
    assert ax.get_title() == plots.label(labels[1])
    if lang == "en":
        assert (ax.get_xlabel(), ax.get_ylabel()) == labels[2:]
    assert not ctl._artists["diverged_line"].get_visible() and not ctl._artists["diverged_text"].get_visible()
    alt = {"en": "Loss history and fit: SGD, learning rate 0.00316",
           "he": "היסטוריית ההפסד וההתאמה: SGD, קצב למידה 0.00316"}[lang]
    assert ctl.plot_html.value.startswith(f'<img class="lessonlib-plot-img" alt="{alt}" width="768" ')
    # shorter runs: the first epochs of the same run, the axes follow
    ctl.epochs_slider.value = 7
    np.testing.assert_array_equal(np.asarray(train.get_xdata()), np.arange(1, 8))
    assert list(train.get_ydata()) == want.train_loss[:7] and ax.get_xlim() == (0.5, 7.5)


def test_a_dead_net_shows_no_prediction(ctl, lang):
    """SGD at 0.1: NaN at epoch 1. Nothing finite to draw: a fixed frame and a red note on each panel."""
    show(ctl, DEAD)
    assert ctl.history.diverged_at == 1
    assert ctl._ax_hist.get_ylim() == pytest.approx((5e-4, 2000.0))
    assert ctl._ax_fit.get_ylim() == (-23.0, 23.0)
    pred = np.asarray(ctl._artists["pred"].get_ydata(), dtype=float)
    assert pred.shape == (400,) and np.isnan(pred).all()
    _assert_red_note(ctl._artists["no_pred"], ctl._ax_fit,
                     {"en": "no finite prediction: training diverged", "he": "אין חיזוי סופי: האימון התבדר"}[lang])
    _assert_red_note(ctl._artists["diverged_text"], ctl._ax_hist,
                     {"en": "diverged at epoch 1", "he": "התבדר באפוק 1"}[lang])


def test_a_wild_prediction_is_framed_up_to_200(ctl, lang):
    """Adam at 10^0.5 diverges at epoch 1 with a finite prediction reaching above 200: the frame stops at 202."""
    show(ctl, HUGE)
    pred = np.asarray(ctl._artists["pred"].get_ydata(), dtype=float)
    assert np.isfinite(pred).all() and pred.max() > 200 and not ctl._artists["no_pred"].get_visible()
    lo = max(pred.min(), -200.0)
    assert ctl._ax_fit.get_ylim() == pytest.approx((min(lo, -21.0) - 2, 202.0), rel=1e-12)


# ---- a fresh explorer: what its constructor and its first draw make --------------------------------
# mutmut runs a mutant only against the tests that call its function; the shared explorers above are
# built (and their notes made) in the first test that uses them, so these tests build their own.

def test_no_arguments_open_adam_at_0_01_for_300_epochs():
    """OptimizerExplorer() with no arguments: Adam chosen, lr 0.01, 300 epochs, and fit()'s losses for it."""
    ctl = widgets.OptimizerExplorer()
    assert (ctl.optimizer_dropdown.value, ctl.optimizer_dropdown.label) == ("adam", "Adam")
    assert ctl.lr_slider.value == pytest.approx(0.01, rel=1e-12) and ctl.epochs_slider.value == 300
    want = grid(("adam", -2.0, 300))
    assert ctl.history.train_loss == want.train_loss
    assert text(ctl.summary_html.value) == (f"Adam, learning rate 0.01, 300 epochs (1500 steps): final training loss "
                                            f"{want.train_loss[-1]:.4g}, validation loss {want.val_loss[-1]:.4g}.")


def test_a_fresh_explorer_of_a_dead_net_notes_it_on_both_panels(lang):
    """Opened at SGD 0.1 (NaN at epoch 1): its first draw makes both red notes, boxed in white, centred on the panel."""
    optimizer, exponent, epochs = DEAD
    ctl = widgets.OptimizerExplorer(optimizer=optimizer, lr=10 ** exponent, epochs=epochs)
    assert ctl.history.diverged_at == 1
    _assert_red_note(ctl._artists["no_pred"], ctl._ax_fit,
                     {"en": "no finite prediction: training diverged", "he": "אין חיזוי סופי: האימון התבדר"}[lang])
    _assert_red_note(ctl._artists["diverged_text"], ctl._ax_hist,
                     {"en": "diverged at epoch 1", "he": "התבדר באפוק 1"}[lang])


def test_a_fresh_explorer_computes_in_float32():
    """The message says NumPy float32: so are the weights it starts from and trains, and predict() for any input."""
    ctl = widgets.OptimizerExplorer(optimizer="sgd", lr=0.0123, epochs=3)
    assert ctl.source == "replay"
    assert {k: v.dtype for k, v in ctl.params.items()} == {k: np.dtype(np.float32)
                                                            for k in ("W1", "b1", "W2", "b2", "W3", "b3")}
    for x in (np.linspace(-10, 10, 5), [1.0, 2.0], 3.0):
        pred = ctl.predict(x)
        assert pred.dtype == np.float32 and pred.shape == (np.size(x), 1)


def test_draw_seconds_is_the_redraws_share_of_a_retrain(built):
    """tools/bench.py reports draw_seconds: a positive time that, with train_seconds, fits in the whole retrain()."""
    ctl = show(built["en"][1], STABLE)
    start = time.perf_counter()
    ctl.retrain()
    total = time.perf_counter() - start
    assert isinstance(ctl.draw_seconds, float) and isinstance(ctl.train_seconds, float)
    assert 0 < ctl.draw_seconds and 0 < ctl.train_seconds
    assert ctl.train_seconds + ctl.draw_seconds <= total


# ---- the caller's own data, and runs longer than 300 epochs -----------------------------------------

def _own_data():
    """30 points on y = 3 - x over [-5, 5], 24 of them for training: data of the caller's own, not the lesson's."""
    from lessonlib.data import LineData
    x = np.linspace(-5.0, 5.0, 30, dtype=np.float32).reshape(-1, 1)
    idx = np.array([7, 21, 3, 28, 14, 0, 25, 10, 18, 5, 29, 12, 1, 23, 9, 16, 27, 4, 20, 11, 26, 2, 15, 8,
                    6, 13, 17, 19, 22, 24])
    return LineData(x=x, y=(3.0 - x).astype(np.float32), idx=idx, train_idx=idx[:24], val_idx=idx[24:])


def test_optimizer_explorer_trains_and_shows_the_callers_data():
    """optimizer_explorer(data=...) trains on the data given and shows it: its 24 training points on the fit
    panel, one step per epoch (24 points, batches of 32), and fit()'s losses on that data."""
    data = _own_data()
    _, ctl = widgets.optimizer_explorer(optimizer="sgd", lr=0.0123, epochs=5, data=data)
    assert ctl.data is data and ctl.source == "replay"
    (points,) = ctl._ax_fit.collections
    np.testing.assert_array_equal(points.get_offsets(), np.hstack([data.x[data.idx[:24]], data.y[data.idx[:24]]]))
    assert text(ctl.summary_html.value).startswith("SGD, learning rate 0.0123, 5 epochs (5 steps): ")
    want = fit(make_model(0), data, optimizer="sgd", lr=0.0123, epochs=5, progress=False, fast=True)
    np.testing.assert_allclose(ctl.history.train_loss, want.train_loss, rtol=1e-4)
    np.testing.assert_allclose(ctl.history.val_loss, want.val_loss, rtol=1e-4)


def test_a_run_longer_than_300_epochs_takes_fits_batches_to_its_end():
    """Opened at 310 epochs (the slider then reaches 310): all 310 epochs are trained, each in fit()'s batch
    order, so the losses follow fit()'s to the last epoch."""
    data = _own_data()
    _, ctl = widgets.optimizer_explorer(optimizer="sgd", lr=0.0123, epochs=310, data=data)
    assert (ctl.epochs_slider.max, ctl.epochs_slider.value) == (310, 310)
    assert len(ctl.history.train_loss) == 310 and ctl.history.diverged_at is None
    assert text(ctl.summary_html.value).startswith("SGD, learning rate 0.0123, 310 epochs (310 steps): ")
    want = fit(make_model(0), data, optimizer="sgd", lr=0.0123, epochs=310, progress=False, fast=True)
    np.testing.assert_allclose(ctl.history.train_loss, want.train_loss, rtol=1e-4)
    np.testing.assert_allclose(ctl.history.val_loss, want.val_loss, rtol=1e-4)
