"""Lesson 09's boundary widget (lessonlib.widgets.boundary), driven as a browser would (button.click(), slider.value).

Runs under ipywidgets 8 (the project env) and 7.7.1 (Colab's; `make test-colab`).
"""
import html
import re

import numpy as np
import pytest
import torch

from lessonlib import set_language, t
from lessonlib.classify import fit_classifier
from lessonlib.data import make_blobs_data, make_moons_data
from lessonlib.model import make_classifier
from tests.oracles_classification import classifier_net, moons_xy, reference_classifier_fit, sigmoid

w = pytest.importorskip("ipywidgets")
from lessonlib import widgets  # noqa: E402

EPOCHS = 6


@pytest.fixture(scope="module")
def run():
    return fit_classifier(make_classifier(seed=0), make_moons_data(seed=0), epochs=EPOCHS)


def descendants(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from descendants(child)


def text(value: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", value))).strip()


@pytest.fixture(autouse=True)
def english():
    set_language("en")
    yield
    set_language("en")


def test_starts_at_epoch_0_and_steps_one_epoch_per_click(run):
    ui, ctl = widgets.boundary_explorer(run, make_moons_data())
    assert ctl.epoch == 0 and ctl.prev_button.disabled and not ctl.next_button.disabled
    first = ctl.plot_html.value
    assert "<img" in first and "untrained" in ctl.message_html.value
    ctl.next_button.click()
    assert ctl.epoch == 1 and not ctl.prev_button.disabled and ctl.plot_html.value != first
    for _ in range(EPOCHS + 3):                    # past the end: stays at the last epoch
        ctl.next_button.click()
    assert ctl.epoch == EPOCHS and ctl.next_button.disabled
    ctl.prev_button.click()
    assert ctl.epoch == EPOCHS - 1
    ctl.epoch_slider.value = 2
    assert ctl.epoch == 2 and ctl.epoch_slider.max == EPOCHS


def test_the_numbers_shown_are_the_lessons_loop(run):
    """The status line reads the loss and accuracy the loop (written out in the oracle) had after that epoch."""
    _, ctl = widgets.boundary_explorer(run, make_moons_data())
    losses, accs = reference_classifier_fit(classifier_net(0), moons_xy(0), epochs=EPOCHS)
    for e in (1, 4):
        ctl.show_epoch(e)
        shown = text(ctl.message_html.value)
        m = re.search(r"training loss ([\d.]+), training accuracy ([\d.]+)% \((\d+) of (\d+) training points", shown)
        assert m, shown
        assert float(m.group(1)) == pytest.approx(losses[e - 1], abs=6e-5)
        assert float(m.group(2)) == pytest.approx(100 * accs[e - 1], abs=0.06)
        assert int(m.group(3)) == round(160 * (1 - accs[e - 1])) and m.group(4) == "160"


def test_the_boundary_grid_is_the_recorded_weights_sigmoid(run):
    _, ctl = widgets.boundary_explorer(run, make_moons_data())
    X, Y, P = ctl.grid(3)
    net = classifier_net(0)
    reference_classifier_fit(net, moons_xy(0), epochs=3)
    i, j = 10, 50
    with torch.no_grad():
        z = net(torch.tensor([[X[i, j], Y[i, j]]], dtype=torch.float32)).item()
    assert P[i, j] == pytest.approx(sigmoid(z), abs=1e-5)
    assert ctl.grid(3) is ctl.grid(3)                 # drawn once per epoch


def test_an_epoch_where_loss_and_accuracy_disagree_is_explained():
    run = fit_classifier(make_classifier(seed=0), make_moons_data(seed=0), epochs=3)
    _, ctl = widgets.boundary_explorer(run, make_moons_data())
    disagree = [e for e in range(1, 4) if run.train_loss[e] < run.train_loss[e - 1] and run.train_acc[e] < run.train_acc[e - 1]]
    assert disagree == [2]                             # the lesson's run: loss 0.645 -> 0.584, accuracy 86.3% -> 85.0%
    for e in range(4):
        ctl.show_epoch(e)
        assert (html.escape(t("cls.widget.disagree")) in ctl.message_html.value) == (e in disagree)


def test_without_a_run_it_trains_the_lessons_net_and_three_classes_work():
    _, ctl = widgets.boundary_explorer(epochs=2)
    assert ctl.run.epochs == 2 and ctl.data.classes == 2
    blobs = make_blobs_data()
    _, ctl3 = widgets.boundary_explorer(data=blobs, epochs=1)
    _, _, C = ctl3.grid(1)
    assert set(np.unique(C)) <= {0.0, 1.0, 2.0} and "<img" in ctl3.plot_html.value


@pytest.mark.parametrize("lang", ["en", "he"])
def test_layout_language_and_tooltips(run, lang):
    set_language(lang)
    ui, ctl = widgets.boundary_explorer(run, make_moons_data(), epoch=2)
    assert ctl.epoch == 2
    assert ("lessonlib-rtl" in ui._dom_classes) == (lang == "he")
    assert "lessonlib-boundary-explorer" in ui._dom_classes and "lessonlib-widget" in ui._dom_classes
    assert ctl.prev_button.description == widgets._common._plain(t("cls.widget.prev"))
    assert ctl.epoch_slider.description == widgets._common._plain(t("cls.widget.epoch"))
    assert ('dir="rtl"' in ctl.message_html.value) == (lang == "he")
    controls = [c for c in descendants(ui) if getattr(c, "description", "")]
    assert len(controls) == 3
    for c in controls:
        tip = c.tooltip if c.has_trait("tooltip") else c.description_tooltip
        assert tip and tip != "null"
    for c in descendants(ui):
        for name in ("tooltip", "description_tooltip"):
            if c.has_trait(name):
                assert getattr(c, name) is not None


def test_public_names():
    assert {"boundary_explorer", "BoundaryExplorer"} <= set(widgets.__all__)


@pytest.mark.parametrize("lang", ["en", "he"])
def test_plot_text_is_at_least_10px_and_legends_read_in_the_lessons_direction(run, lang):
    from tests.test_plots import OUTPUT_WIDTH_PX, assert_markers_on_reading_side, smallest_text_px
    set_language(lang)
    _, ctl = widgets.boundary_explorer(run, make_moons_data(), epoch=3)
    img = ctl.plot_html.value
    css_width = int(re.search(r'width="(\d+)"', img).group(1))
    assert css_width == round(ctl._fig.get_figwidth() * widgets.DPI) and "max-width: 100%" in img
    px, shown = smallest_text_px(ctl._fig, widgets.DPI, min(css_width, OUTPUT_WIDTH_PX))
    assert px >= 10, f"{shown!r} is drawn {px:.1f} px high"
    ctl._fig.canvas.draw()
    legends = [ax.get_legend() for ax in ctl._fig.axes if ax.get_legend() is not None]
    assert len(legends) == 2
    for leg in legends:
        assert_markers_on_reading_side(leg, ctl._fig.canvas.get_renderer(), lang)


@pytest.mark.parametrize("lang", ["en", "he"])
def test_bad_arguments_are_explained_in_the_lessons_language(run, lang):
    set_language(lang)
    cases = [({"run": "run"}, t("cls.widget.bad_run", got="str")),
             ({"run": run, "data": [1, 2]}, t("cls.widget.bad_data", got="list")),
             ({"run": run, "data": make_moons_data(), "epoch": "3"}, t("cls.widget.bad_epoch", got="'3'")),
             ({"run": run, "data": make_blobs_data()}, t("cls.widget.run_data_mismatch", outputs=1, classes=3))]
    for kwargs, message in cases:
        with pytest.raises(ValueError) as err:
            widgets.boundary_explorer(**kwargs)
        assert str(err.value) == message
