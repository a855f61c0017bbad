"""The steppable graph widget, driven through Python as a browser would (button.click()).

Runs under ipywidgets 8 (the project env) and 7.7.1 (Colab's; `make test-colab`). Each test
checks what the widget displays: the readout, the status, the value/gradient table, the drawing.
"""
import html
import itertools
import re

import pytest

from lessonlib import bidi, graph as g, set_language, t
from lessonlib.text import prose_html

w = pytest.importorskip("ipywidgets")
from lessonlib import widgets  # noqa: E402
from lessonlib.widgets import GraphStepperWidget, graph_stepper  # noqa: E402
from lessonlib.widgets.graph import BUTTONS  # noqa: E402
from tests.test_widgets import png_bytes  # noqa: E402

HEBREW = re.compile(r"[\u05D0-\u05EA]")


def filled(ctl, kind):
    """The nodes whose value (kind="value") or gradient ("grad") the table shows."""
    return [k.split(":", 1)[1] for k, v in ctl.shown_values().items() if k.startswith(kind + ":") and v != ""]


def readout(ctl):
    return ctl.message_html.value


def says(ctl, text):
    """The sentence appears in the readout as the widget writes it (escaped, bidi-isolated in Hebrew)."""
    return prose_html(text) in readout(ctl)


def drawn_values(ctl):
    """{node: value text} as drawn in the widget's figure."""
    return {a.get_gid()[6:]: a.get_text() for a in ctl.fig.findobj() if (a.get_gid() or "").startswith("value:")}


def test_exported_from_the_widgets_package():
    assert widgets.graph_stepper is graph_stepper and "graph_stepper" in widgets.__all__
    assert graph_stepper.__module__ == "lessonlib.widgets.graph"


def test_css_class_contract():
    ui, ctl = graph_stepper()
    assert isinstance(ui, w.VBox) and isinstance(ctl, GraphStepperWidget)
    assert {"lessonlib-widget", "lessonlib-graph-stepper"} <= set(ui._dom_classes)
    for name in BUTTONS:
        assert "lessonlib-graph-" + name.replace("_", "-") in ctl.buttons[name]._dom_classes
        assert ctl.buttons[name].tooltip == t(f"graph.widget.{name}.tip")
    assert "lessonlib-graph-relu-off" in ctl.relu_toggle._dom_classes and ctl.relu_toggle.tooltip
    for part, css in ((ctl.message_html, "lessonlib-graph-message"), (ctl.status_html, "lessonlib-graph-status"),
                      (ctl.plot_html, "lessonlib-graph-plot"), (ctl.table_html, "lessonlib-graph-table")):
        assert css in part._dom_classes
    assert '<img class="lessonlib-graph-img"' in ctl.plot_html.value


def test_start_shows_the_leaves_only():
    _, ctl = graph_stepper()
    assert filled(ctl, "value") == [n for n in g.NODES if n in g.LEAVES]
    assert filled(ctl, "grad") == []
    assert says(ctl, t("graph.widget.start"))
    assert "Values: 0 of 6" in ctl.status_html.value and "the value of w1*x" in ctl.status_html.value


@pytest.mark.parametrize("n", [1, 3, 6])
def test_forward_n_clicks_show_n_values(n):
    _, ctl = graph_stepper()
    for i in range(n):
        (step,) = ctl.click("forward_one")
        assert step.ok and step.node == g.FORWARD_ORDER[i]
        assert says(ctl, step.text())
        assert f'data-node="{html.escape(step.node)}"' in readout(ctl) and 'data-ok="true"' in readout(ctl)
    computed = [n_ for n_ in filled(ctl, "value") if n_ not in g.LEAVES]
    assert computed == [n_ for n_ in g.NODES if n_ in g.FORWARD_ORDER[:n]]
    # worked by hand from x = 2, y = 5, w1 = 0.5, b1 = 0.1, w2 = 0.8, b2 = 0.2 (not with lessonlib.graph)
    expected = {"w1*x": 1.0, "z1": 1.1, "a1": 1.1, "w2*a1": 0.88, "y_hat": 1.08, "L": 15.3664}
    for name in g.FORWARD_ORDER[:n]:
        assert float(ctl.shown_values()[f"value:{name}"]) == pytest.approx(expected[name], rel=1e-6)
        assert drawn_values(ctl)[name] == f"{expected[name]:.4f}"
    assert [v for k, v in drawn_values(ctl).items() if k in g.FORWARD_ORDER[n:]] == ["?"] * (6 - n)
    assert f"Values: {n} of 6" in ctl.status_html.value


def test_backward_before_the_forward_pass_explains_and_changes_nothing():
    _, ctl = graph_stepper()
    ctl.click("forward_one")
    table = ctl.table_html.value
    (step,) = ctl.click("backward_one")           # no traceback: a message
    assert not step.ok
    assert "⚠️" in readout(ctl) and says(ctl, step.text()) and 'data-ok="false"' in readout(ctl)
    assert "the forward pass is not complete" in readout(ctl) and "z1 has no value yet" in readout(ctl)
    assert ctl.table_html.value == table and filled(ctl, "grad") == []
    (step,) = ctl.click("backward_all")
    assert not step.ok and filled(ctl, "grad") == []


def test_backward_after_forward_fills_one_gradient_per_click_right_to_left():
    _, ctl = graph_stepper()
    steps = ctl.click("forward_all")
    assert [s.node for s in steps] == list(g.FORWARD_ORDER)
    assert says(ctl, steps[-1].text()) and says(ctl, steps[0].text())      # the whole pass, line by line
    # by hand: dL/dy_hat = 2 (1.08 - 5), then the chain rule right to left (tests/test_graph_plot.py)
    grads = {"L": 1.0, "y_hat": -7.84, "b2": -7.84, "w2*a1": -7.84, "w2": -8.624, "a1": -6.272, "z1": -6.272,
             "b1": -6.272, "w1*x": -6.272, "w1": -12.544}
    for i, name in enumerate(g.BACKWARD_ORDER, 1):
        (step,) = ctl.click("backward_one")
        assert step.node == name and says(ctl, step.text())
        assert sorted(filled(ctl, "grad")) == sorted(g.BACKWARD_ORDER[:i])
        assert float(ctl.shown_values()[f"grad:{name}"]) == pytest.approx(grads[name], rel=1e-6)
        highlighted = [a.get_gid()[5:] for a in ctl.fig.findobj()
                       if (a.get_gid() or "").startswith("node:") and a.get_linewidth() == 3.0]
        assert highlighted == [name]
    assert "dL/dw1 = dL/d(w1*x) * d(w1*x)/dw1 = (-6.2720) * 2.0000 = -12.5440" in html.unescape(readout(ctl))
    (step,) = ctl.click("backward_one")
    assert not step.ok and says(ctl, t("graph.problem.backward_done", total=10))
    assert "nothing: both passes are complete" in ctl.status_html.value


def test_backward_all_and_reset():
    _, ctl = graph_stepper()
    ctl.click("forward_all")
    steps = ctl.click("backward_all")
    assert [s.node for s in steps] == list(g.BACKWARD_ORDER)
    assert sorted(filled(ctl, "grad")) == sorted(g.BACKWARD_ORDER)
    img = ctl.plot_html.value
    (step,) = ctl.click("reset")
    assert step.action == "reset" and says(ctl, t("graph.did.reset"))
    assert filled(ctl, "grad") == [] and [n for n in filled(ctl, "value") if n not in g.LEAVES] == []
    assert ctl.plot_html.value != img


def test_relu_off_switch_stops_the_gradient():
    _, ctl = graph_stepper()
    ctl.click("forward_one")
    ctl.relu_toggle.value = True
    assert ctl.stepper.leaves == g.RELU_OFF and ctl.stepper.filled_values() == []
    assert says(ctl, t("graph.widget.relu_now_off", b1=-1.5))
    assert float(ctl.shown_values()["value:b1"]) == -1.5
    ctl.click("forward_all")
    ctl.click("backward_all")
    shown = ctl.shown_values()
    assert [float(shown[f"grad:{n}"]) for n in ("z1", "w1*x", "b1", "w1")] == [0.0] * 4
    assert float(shown["grad:a1"]) == pytest.approx(-7.68)
    assert "the gradient stops at the ReLU" in readout(ctl)
    ctl.relu_toggle.value = False
    assert ctl.stepper.leaves == g.DEFAULTS and says(ctl, t("graph.widget.relu_now_on", b1=0.1))
    _, off = graph_stepper(relu_off=True)
    assert off.relu_toggle.value and off.stepper.leaves == g.RELU_OFF


def test_hebrew_widget():
    set_language("he")
    ui, ctl = graph_stepper()
    assert "lessonlib-rtl" in ui._dom_classes
    assert ctl.buttons["forward_one"].description == bidi.plain(t("graph.widget.forward_one"))
    assert HEBREW.search(ctl.buttons["backward_all"].description)
    (step,) = ctl.click("backward_one")
    assert 'dir="rtl"' in readout(ctl) and says(ctl, step.text())
    assert "עוד אי אפשר להתחיל את ההתפשטות לאחור" in readout(ctl)
    ctl.click("forward_one")
    ctl.click("forward_one")
    # the formula stays one left-to-right run inside the Hebrew sentence
    assert re.search(r"<bdi dir='ltr'[^>]*>z1 = w1\*x \+ b1 = 1\.0000 \+ 0\.1000 = 1\.1000</bdi>", readout(ctl))
    assert HEBREW.search(ctl.status_html.value) and "<bdi dir='ltr'>2</bdi> מתוך <bdi dir='ltr'>6</bdi>" in ctl.status_html.value
    assert ctl.fig.axes[0].get_title() != t("graph.plot.title", lang="en", done=2, total=6, gdone=0, gtotal=10)


@pytest.mark.parametrize("lang,direction", [("he", "rtl"), ("en", "ltr")])
def test_table_row_labels_read_in_the_language_while_the_grid_reads_left_to_right(lang, direction):
    """The browser test saw the Hebrew row labels laid out left to right: they carry the language's dir."""
    set_language(lang)
    _, ctl = graph_stepper()
    table = ctl.table_html.value
    labels = re.findall(r'<tr><th dir="(\w+)"[^>]*>(.*?)</th>', table)
    assert [d for d, _ in labels] == [direction, direction], labels
    assert prose_html(t("graph.widget.row_value")) == labels[0][1]
    assert 'class="lessonlib-table-scroll" dir="ltr"' in table          # the node columns stay left to right


@pytest.mark.parametrize("order", list(itertools.permutations(BUTTONS, 3))[::7])
def test_any_click_order_gives_a_message_never_an_exception(order):
    _, ctl = graph_stepper()
    for name in order + order:
        steps = ctl.click(name)
        assert steps and says(ctl, steps[-1].text())
        s = ctl.stepper
        assert len(filled(ctl, "value")) == 6 + len(s.filled_values())
        assert len(filled(ctl, "grad")) == len(s.filled_grads())
        assert s.filled_grads() == [] or s.forward_done, "a gradient only after the forward pass"


def test_every_control_has_a_tooltip():
    _, ctl = graph_stepper()

    def walk(widget):
        yield widget
        for child in getattr(widget, "children", ()):
            yield from walk(child)

    for widget in walk(ctl.ui):
        for name in ("tooltip", "description_tooltip"):
            if widget.has_trait(name):
                assert getattr(widget, name) is not None, f"{type(widget).__name__}.{name} is None (title=\"null\")"


# A click restyles the drawn artists in place (graph_plot.restyle_graph) instead of drawing the graph
# anew. The oracle is a new figure drawn whole by plot_graph at the same state: byte for byte the same
# PNG, after every kind of click (in order, out of order, all, reset, the ReLU switch both ways).
REDRAW_CLICKS = ["forward_one", "backward_one", "forward_all", "backward_one", "relu_on", "forward_all",
                 "backward_all", "relu_off", "forward_one", "reset"]


def new_drawing(stepper) -> bytes:
    from lessonlib.graph_plot import plot_graph
    from lessonlib.widgets._common import _png_img
    return png_bytes(_png_img(plot_graph(stepper), "x"))


@pytest.mark.parametrize("lang", ["he", "en"])
def test_each_click_shows_what_a_new_drawing_of_its_state_shows(lang, language):
    language(lang)
    _, ctl = graph_stepper()
    shown = [png_bytes(ctl.plot_html.value)]
    for name in REDRAW_CLICKS:
        if name.startswith("relu_"):
            ctl.relu_toggle.value = name == "relu_on"
        else:
            ctl.click(name)
        png = png_bytes(ctl.plot_html.value)
        assert png == new_drawing(ctl.stepper), f"after {name!r} the widget shows another picture than its state's"
        shown.append(png)
    # the picture did change (equality with a drawing that never changes would pass trivially)
    changed = [a != b for a, b in zip(shown[:-1], shown[1:], strict=True)]
    assert changed == [name != "backward_one" or i != 1 for i, name in enumerate(REDRAW_CLICKS)], \
        "every click changes the picture but the refused backward step (the second)"


def test_a_language_switch_redraws_the_graph_in_the_new_language(language):
    _, ctl = graph_stepper()
    ctl.click("forward_one")
    language("he")
    ctl.click("forward_one")
    key = next(a for a in ctl.fig.axes[0].texts if a.get_gid() == "key")
    assert HEBREW.search(key.get_text()) and all(HEBREW.search(x.get_text()) for x in ctl.fig.axes[0].get_legend().get_texts())
    assert png_bytes(ctl.plot_html.value) == new_drawing(ctl.stepper)
