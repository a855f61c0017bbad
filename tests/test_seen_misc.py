"""What the student sees in the widgets' shared parts: the graph stepper's buttons, switch, status line and
error message (lesson 05), the step debugger's parameter table (its header, notes, highlighted cells), the
learning-rate slider, the outer frame, the buttons, and the plots as <img> (a partial redraw included).

Every expectation is a literal written out here (both languages) or computed here with NumPy / matplotlib
directly, never by the code under test. Displayed HTML is read as text: tags stripped, entities decoded,
the bidi isolate marks that keep numbers left to right in Hebrew dropped.
"""
from __future__ import annotations

import html
import io
import re

import numpy as np
import pytest
import torch

from lessonlib import set_language
from lessonlib.text import get_language
from tests.seen import BIDI_MARKS, png_of

w = pytest.importorskip("ipywidgets")
from matplotlib.figure import Figure  # noqa: E402

from lessonlib.widgets import graph_stepper, step_debugger  # noqa: E402
from lessonlib.widgets._common import _button, _frame, _lr_slider, _png_img, _Redraw  # noqa: E402
from lessonlib.widgets._param_table import param_table_html  # noqa: E402



@pytest.fixture(params=["en", "he"])
def lang(request):
    """Run the test in each language; the language is put back afterwards whatever happens."""
    before = get_language()
    try:
        set_language(request.param)
        yield request.param
    finally:
        set_language(before)


def read(value: str) -> str:
    """An HTML value as read: <style> blocks dropped, block tags as a space, inline tags dropped,
    entities decoded, bidi marks dropped, runs of spaces as one."""
    value = re.sub(r"<style\b.*?</style>", " ", value, flags=re.S)
    value = re.sub(r"</?(?:p|li|ul|div|tr|td|th|br|table|small)\b[^>]*>", " ", value)
    value = html.unescape(re.sub(r"<[^>]+>", "", value))
    return re.sub(r"\s+", " ", BIDI_MARKS.sub("", value)).strip()


def plain(text: str) -> str:
    """A widget description / tooltip as read (the isolate marks are invisible)."""
    return BIDI_MARKS.sub("", text)


def paragraphs(value: str) -> list[str]:
    return [read(p) for p in re.findall(r"<p\b[^>]*>(.*?)</p>", value, re.S)]


def table_cells(value: str) -> list[list[tuple[str, str]]]:
    """(class attribute, text) of every cell of the first table, row by row ("" class for a th)."""
    table = re.search(r"<table[^>]*>(.*?)</table>", value, re.S).group(1)
    rows = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S):
        cells = []
        for attrs, inner in re.findall(r"<t[hd]([^>]*)>(.*?)</t[hd]>", row, re.S):
            m = re.search(r'class="([^"]*)"', attrs)
            inner = re.sub(r"<small>(.*?)</small>", r" | \1", inner)
            cells.append((m.group(1) if m else "", read(inner)))
        rows.append(cells)
    return rows


def rgba(png: bytes) -> np.ndarray:
    from PIL import Image
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGBA"))


# ---- the graph stepper (lesson 05): its controls ---------------------------------------------------

GRAPH_BUTTONS = {   # name: (English, Hebrew, tooltip English, tooltip Hebrew, style)
    "forward_one": ("Forward: one node", "קדימה: צומת אחד", "Compute the value of the next node, left to right",
                    "חישוב הערך של הצומת הבא, משמאל לימין", "primary"),
    "backward_one": ("Backward: one node", "אחורה: צומת אחד",
                     "Compute the gradient of the next node, right to left, by the chain rule",
                     "חישוב הגרדיאנט של הצומת הבא, מימין לשמאל, לפי כלל השרשרת", "primary"),
    "forward_all": ("Whole forward pass", "כל המעבר קדימה", "Compute every value that is still missing",
                    "חישוב כל הערכים שעדיין חסרים", ""),
    "backward_all": ("Whole backward pass", "כל המעבר אחורה", "Compute every gradient that is still missing",
                     "חישוב כל הגרדיאנטים שעדיין חסרים", ""),
    "reset": ("Start over", "התחלה מחדש", "Clear every computed value and gradient",
              "מחיקת כל הערכים והגרדיאנטים שחושבו", "warning"),
}


@pytest.mark.parametrize("relu_off", [False, True])
def test_graph_buttons_and_switch_read_and_look_as_designed(lang, relu_off):
    ui, ctl = graph_stepper(relu_off=relu_off)
    he = lang == "he"
    assert list(ctl.buttons) == list(GRAPH_BUTTONS)
    for name, (en_d, he_d, en_tip, he_tip, style) in GRAPH_BUTTONS.items():
        b = ctl.buttons[name]
        assert plain(b.description) == (he_d if he else en_d)
        assert plain(b.tooltip) == (he_tip if he else en_tip)
        assert b.button_style == style, name
        assert b.layout.width == "auto", f"{name}: the button is as wide as its words"
    toggle = ctl.relu_toggle
    assert plain(toggle.description) == ("ReLU כבוי: b1 = -1.5" if he else "ReLU off: b1 = -1.5")
    assert plain(toggle.tooltip) == (
        "מופעל: b1 = -1.5 הופך את z1 לשלילי, ולכן ה־ReLU מוציא 0 ולא מעביר גרדיאנט אחורה" if he
        else "On: b1 = -1.5 makes z1 negative, so the ReLU outputs 0 and passes no gradient back")
    assert toggle.value is relu_off and toggle.layout.width == "auto"
    # the rows as laid out: the five buttons in order, then the switch
    rows = [c for c in ui.children if isinstance(c, w.HBox)]
    assert [list(r.children) for r in rows[:2]] == [[ctl.buttons[n] for n in GRAPH_BUTTONS], [toggle]]


STATUS = {   # after the clicks: (values done, gradients done, what is next) as the line reads
    "en": "Values: {d} of 6 · gradients: {g} of 10 · next: {n}",
    "he": "ערכים: {d} מתוך 6 · גרדיאנטים: {g} מתוך 10 · הבא: {n}",
}
NEXT = {
    "en": {"value": "the value of {}", "grad": "the gradient of {}", "none": "nothing: both passes are complete"},
    "he": {"value": "הערך של {}", "grad": "הגרדיאנט של {}", "none": "שום דבר: שני המעברים הושלמו"},
}


def test_graph_status_line_counts_and_names_the_next_node_through_both_passes(lang):
    _, ctl = graph_stepper()

    def expect(d, g, kind, node=None):
        n = NEXT[lang][kind].format(node) if node else NEXT[lang][kind]
        assert read(ctl.status_html.value) == STATUS[lang].format(d=d, g=g, n=n)

    expect(0, 0, "value", "w1*x")
    ctl.click("forward_one")
    expect(1, 0, "value", "z1")
    ctl.click("forward_all")
    expect(6, 0, "grad", "L")                 # forward done: the first gradient is dL/dL
    ctl.click("backward_one")
    expect(6, 1, "grad", "y_hat")
    ctl.click("backward_one")
    expect(6, 2, "grad", "w2*a1")
    ctl.click("backward_all")
    expect(6, 10, "none")
    ctl.click("reset")
    expect(0, 0, "value", "w1*x")


def test_graph_error_is_shown_in_the_widget_in_words(lang, monkeypatch):
    """A click whose computation fails says so in the readout (the exception then goes to Jupyter's log)."""
    _, ctl = graph_stepper()

    def broken():
        raise RuntimeError("node z1 exploded")

    monkeypatch.setattr(ctl.stepper, "forward_step", broken)
    before = ctl.last_steps
    try:
        ctl.buttons["forward_one"].click()      # ipywidgets logs a handler's exception outside Jupyter
    except RuntimeError:
        pass
    expected = {"en": "Something went wrong: RuntimeError: node z1 exploded",
                "he": "משהו השתבש: RuntimeError: node z1 exploded"}[lang]
    assert paragraphs(ctl.message_html.value) == [expected]
    assert ctl.last_steps is before


# ---- the step debugger's buttons: their tooltip is their words ---------------------------------------

DEBUGGER_BUTTONS = {
    "en": ["1. forward pass", "2. loss", "3. clear gradients (zero_grad)", "4. backpropagation (backward)",
           "5. parameter update (step)", "Next: 1. forward pass", "Run one batch", "Run one epoch", "Start over"],
    "he": ["1. מעבר קדימה", "2. הפסד", "3. איפוס הגרדיאנטים (zero_grad)", "4. התפשטות לאחור (backward)",
           "5. עדכון הפרמטרים (step)", "הבא: 1. מעבר קדימה", "הרצת אצווה אחת", "הרצת אפוק אחד", "התחלה מחדש"],
}


def test_debugger_buttons_show_their_words_as_tooltip_and_fit_them(lang):
    _, dbg = step_debugger()
    buttons = list(dbg.buttons.values())
    assert [plain(b.description) for b in buttons] == DEBUGGER_BUTTONS[lang]
    assert [plain(b.tooltip) for b in buttons] == DEBUGGER_BUTTONS[lang]
    assert all(b.layout.width == "auto" for b in buttons)


def test_a_button_without_its_own_tooltip_shows_its_description():
    b = _button("Run one batch", "lessonlib-x")
    assert (b.description, b.tooltip, b.layout.width) == ("Run one batch", "Run one batch", "auto")
    assert "lessonlib-x" in b._dom_classes
    b = _button("Go", "lessonlib-y", "Go on")
    assert (b.description, b.tooltip) == ("Go", "Go on")


# ---- the learning-rate slider -----------------------------------------------------------------------

@pytest.mark.parametrize("value,lo,hi", [(0.005, -4, -1), (0.03, -4, 0.5)])
def test_lr_slider_settings_and_its_readout_follow_the_value(lang, value, lo, hi):
    slider, readout, box = _lr_slider(value, lo, hi, "lessonlib-lr")
    assert isinstance(slider, w.FloatLogSlider)
    assert plain(slider.description) == {"en": "learning rate", "he": "קצב למידה"}[lang]
    assert (slider.base, slider.min, slider.max, slider.step) == (10, lo, hi, 0.1)
    assert slider.readout is False and slider.continuous_update is False, "re-trains once per release, not per drag"
    assert slider.style.description_width == "initial"
    assert slider.value == pytest.approx(value)
    assert readout.value == {0.005: "0.005", 0.03: "0.03"}[value]
    assert list(box.children) == [slider, readout]
    assert "lessonlib-lr" in slider._dom_classes and "lessonlib-lr-readout" in readout._dom_classes
    assert "lessonlib-lr-box" in box._dom_classes
    for v, shown in ((0.0398107, "0.0398"), (1e-4, "0.0001"), (0.1, "0.1"), (0.00125893, "0.00126")):
        slider.value = v
        assert readout.value == shown
    slider.description = "x"                    # another setting changes nothing in the readout
    assert readout.value == "0.00126"


# ---- the outer frame --------------------------------------------------------------------------------

def test_frame_shows_no_text_of_its_own_and_reads_right_to_left_only_in_hebrew(lang):
    child = w.HTML("<p>hello</p>")
    box = _frame([child], "lessonlib-thing")
    css = box.children[0]
    assert list(box.children[1:]) == [child]
    assert read(css.value) == "", "the CSS part must show nothing"
    assert re.fullmatch(r"(?:\s*<style>.*?</style>)+\s*", css.value, re.S), css.value
    rtl = lang == "he"
    assert ("lessonlib-rtl" in box._dom_classes) is rtl
    assert ("lessonlib-rtl-css" in css._dom_classes) is rtl
    assert ("direction: rtl" in css.value) is rtl
    assert {"lessonlib-widget", "lessonlib-thing"} <= set(box._dom_classes)
    assert css.value.count("<style>") == (2 if rtl else 1)


# ---- plots as <img> ---------------------------------------------------------------------------------

def test_png_img_tag_without_alt_has_an_empty_alt_and_the_figure_width():
    fig = Figure(figsize=(4.0, 3.0))
    fig.add_subplot().plot([0, 1], [1, 0])
    tag = _png_img(fig, "lessonlib-plot-img")
    assert re.fullmatch(r'<img class="lessonlib-plot-img" alt="" width="320" '
                        r'style="max-width: 100%; height: auto;" src="data:image/png;base64,[A-Za-z0-9+/=]+">', tag), tag
    assert rgba(png_of(tag)).shape == (240, 320, 4)      # 80 dpi
    tag = _png_img(fig, "c", alt='loss < 1 "so far"')
    assert 'alt="loss &lt; 1 &quot;so far&quot;"' in tag


def _two_lines():
    """Two thick lines at the same z-order crossing each other: the one added later is drawn on top."""
    fig = Figure(figsize=(3.0, 2.0))
    ax = fig.add_subplot()
    x = np.linspace(0, 1, 20)
    under, = ax.plot(x, x, color="red", linewidth=8)
    over, = ax.plot(x, 1 - x, color="blue", linewidth=8)
    ax.set_xlim(-0.5, 1.5)          # inside the frame: nothing else is drawn over them
    ax.set_ylim(-0.5, 1.5)
    return fig, under, over


@pytest.mark.parametrize("given", ["in drawing order", "reversed"])
def test_a_partial_redraw_draws_the_moving_lines_in_the_order_a_full_draw_does(given):
    fig, under, over = _two_lines()
    redraw = _Redraw(fig, [under, over] if given == "in drawing order" else [over, under])
    redraw.png_img("x")
    under.set_ydata(np.linspace(0.1, 0.9, 20))
    over.set_ydata(np.linspace(0.9, 0.1, 20))
    partial = rgba(png_of(redraw.png_img("x")))
    # the oracle: the same two lines drawn whole, in a new figure
    ref, r_under, r_over = _two_lines()
    _png_img(ref, "x")
    r_under.set_ydata(np.linspace(0.1, 0.9, 20))
    r_over.set_ydata(np.linspace(0.9, 0.1, 20))
    full = rgba(png_of(_png_img(ref, "x")))
    assert partial.shape == full.shape
    # where they cross (the middle of the axes), the blue line is on top
    h, wd = full.shape[:2]
    bbox = ref.axes[0].get_window_extent()
    cx, cy = int(round((bbox.x0 + bbox.x1) / 2)), int(round(h - (bbox.y0 + bbox.y1) / 2))
    assert tuple(full[cy, cx, :3]) == (0, 0, 255)
    assert tuple(partial[cy, cx, :3]) == (0, 0, 255)
    assert np.array_equal(partial, full)


# ---- the step debugger's parameter table -----------------------------------------------------------

def _params(out, fan_in, seed=0):
    g = torch.Generator().manual_seed(seed)
    weight = torch.nn.Parameter(torch.randn(out, fan_in, generator=g, dtype=torch.float64))
    bias = torch.nn.Parameter(torch.randn(out, generator=g, dtype=torch.float64))
    return {"2.weight": weight, "2.bias": bias}


def _snapshot(params):
    snap = {}
    for name, p in params.items():
        snap[name] = p.detach().clone()
        snap[name + ".grad"] = None if p.grad is None else p.grad.clone()
    return snap


NOTES = {
    "caption": {"en": "Layer 2, nn.Linear({i}, {o}): weight of shape ({o}, {i}), bias of shape ({o},), "
                      "and their gradients (.grad).",
                "he": "שכבה 2, nn.Linear({i}, {o}): משקולות בצורה ({o}, {i}), הטיה בצורה ({o},), "
                      "והגרדיאנטים שלהם (.grad)."},
    "compact": {"en": "Compact view: only the first 4 of the {i} weight columns are shown.",
                "he": "תצוגה מקוצרת: מוצגות רק 4 העמודות הראשונות מתוך {i} עמודות המשקולות."},
    "rows": {"en": "Only the first 16 of {o} rows are shown.",
             "he": "מוצגות רק 16 השורות הראשונות מתוך {o}."},
    "transposed": {"en": "This layer has one output neuron, so its single row of weights is shown as a column "
                         "(row j is weight[0, j]).",
                   "he": "לשכבה הזו יש נוירון פלט אחד, ולכן שורת המשקולות היחידה שלה מוצגת כעמודה "
                         "(שורה j היא weight[0, j])."},
    "legend": {"en": "Highlighted cells changed in the last click; Δ is the new value minus the old one "
                     "(for SGD: -lr * grad).",
               "he": "התאים המודגשים השתנו בלחיצה האחרונה; Δ הוא הערך החדש פחות הערך הישן (ב־SGD: -lr * grad)."},
}


@pytest.mark.parametrize("out,fan_in,notes", [
    (3, 6, ["caption", "compact", "legend"]),
    (3, 4, ["caption", "legend"]),
    (1, 6, ["caption", "transposed", "legend"]),       # one output: shown as a column, nothing left out
    (20, 2, ["caption", "rows", "legend"]),
    (20, 7, ["caption", "compact", "rows", "legend"]),
    (1, 16, ["caption", "transposed", "legend"]),      # 16 weights, 16 rows: all shown
    (1, 20, ["caption", "rows", "transposed", "legend"]),   # a row per weight: 4 of the 20 are left out
    (2, 20, ["caption", "compact", "legend"]),         # two outputs: two rows, 4 of the 20 weight columns
])
def test_param_table_notes_say_what_is_shown(lang, out, fan_in, notes):
    params = _params(out, fan_in)
    value = param_table_html(params, "2", _snapshot(params), f"nn.Linear({fan_in}, {out})")
    caption = value.split("<table", 1)[0]
    rows = out if out > 1 else fan_in               # one output: a row per weight
    assert paragraphs(caption) == [NOTES[k][lang].format(i=fan_in, o=rows if k == "rows" else out) for k in notes]


def test_param_table_header_and_cells_of_a_wide_layer():
    params = _params(3, 6)
    before = _snapshot(params)
    W, b = params["2.weight"], params["2.bias"]
    W.grad = torch.full_like(W, 0.5)
    b.grad = torch.full_like(b, -0.25)
    with torch.no_grad():
        W[1, 2] -= 0.125
    value = param_table_html(params, "2", before, "nn.Linear(6, 3)")
    rows = table_cells(value)
    assert [t for _, t in rows[0]] == ["i", "weight[i, 0]", "weight[i, 1]", "weight[i, 2]", "weight[i, 3]",
                                       "bias[i]", "weight.grad[i, 0]", "weight.grad[i, 1]", "weight.grad[i, 2]",
                                       "weight.grad[i, 3]", "bias.grad[i]"]
    Wn, bn = W.detach().numpy(), b.detach().numpy()
    for i, row in enumerate(rows[1:]):
        assert row[0] == ("", str(i))
        values, grads = row[1:6], row[6:]
        for j, (cls, txt) in enumerate(values):
            v = Wn[i, j] if j < 4 else bn[i]
            moved = (i, j) == (1, 2)
            assert cls.split() == ["changed" if moved else "unchanged"]
            assert txt == f"{v:.4f}" + (" | Δ -0.1250" if moved else "")
        for j, (cls, txt) in enumerate(grads):     # every gradient appeared: None → value, drawn as .grad cells
            assert cls.split() == ["changed", "grad"]
            assert txt == ("0.5000" if j < 4 else "-0.2500") + " | None →"
    assert len(rows) == 4
    assert "td.grad { color: #4a4a8a; }" in value and "td.changed { background: #ffe680" in value


def test_param_table_of_one_output_with_many_inputs_shows_16_rows_and_says_so():
    params = _params(1, 20)
    value = param_table_html(params, "2", _snapshot(params), "nn.Linear(20, 1)")
    rows = table_cells(value)
    assert [t for _, t in rows[-1]][0] == "15" and len(rows) == 1 + 16
    assert "Only the first 16 of 20 rows are shown." in value


def test_param_table_reads_as_its_caption_and_cells_and_nothing_else(lang):
    """Everything the table shows as text is its caption's notes and its cells: no stray text between the
    paragraphs, rows or cells, or around the table (a browser shows such text above the table)."""
    for out, fan_in in ((2, 6), (1, 3), (20, 7)):
        params = _params(out, fan_in)
        value = param_table_html(params, "2", _snapshot(params), f"nn.Linear({fan_in}, {out})")
        caption, table = value.split("<table", 1)
        assert read(caption) == " ".join(paragraphs(caption))
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", table, re.S)
        assert read("<table" + table) == " ".join(x for x in (read(c) for c in cells) if x)
        structure = re.sub(r"<t([hd])[^>]*>.*?</t\1>", "", re.sub(r"<table[^>]*>", "<table>", "<table" + table),
                           flags=re.S)
        assert structure.replace("</tr><tr>", "").replace("</div>", "") == "<table><tr></tr></table>"


def test_param_table_of_two_outputs_has_a_row_per_neuron():
    """Two output neurons (not one): a row per neuron, with its weights across, not a transposed column."""
    params = _params(2, 3)
    rows = table_cells(param_table_html(params, "2", _snapshot(params), "nn.Linear(3, 2)"))
    assert [t for _, t in rows[0]] == ["i", "weight[i, 0]", "weight[i, 1]", "weight[i, 2]", "bias[i]",
                                       "weight.grad[i, 0]", "weight.grad[i, 1]", "weight.grad[i, 2]", "bias.grad[i]"]
    assert len(rows) == 3
    Wn = params["2.weight"].detach().numpy()
    assert [t for _, t in rows[2]][:4] == ["1", f"{Wn[1, 0]:.4f}", f"{Wn[1, 1]:.4f}", f"{Wn[1, 2]:.4f}"]


def test_param_table_of_one_output_is_a_column():
    params = _params(1, 3)
    value = param_table_html(params, "2", _snapshot(params), "nn.Linear(3, 1)")
    rows = table_cells(value)
    assert [t for _, t in rows[0]] == ["j", "weight[0, j]", "bias[0]", "weight.grad[0, j]", "bias.grad[0]"]
    Wn, bn = params["2.weight"].detach().numpy(), params["2.bias"].detach().numpy()
    assert [t for _, t in rows[1]] == ["0", f"{Wn[0, 0]:.4f}", f"{bn[0]:.4f}", "None", "None"]
    assert [t for _, t in rows[2]] == ["1", f"{Wn[0, 1]:.4f}", "", "None", ""]
    assert [c.split() for c, _ in rows[1][1:]] == [["unchanged"], ["unchanged"], ["unchanged", "grad"],
                                                    ["unchanged", "grad"]]
    assert len(rows) == 4


def test_param_table_highlights_a_value_that_became_nan_and_not_one_that_stays_nan():
    params = _params(2, 2)
    W = params["2.weight"]
    W.grad = torch.zeros_like(W)
    with torch.no_grad():
        W[0, 1] = float("nan")             # a diverging step
    before = _snapshot(params)
    with torch.no_grad():
        W[0, 0] = float("nan")             # now diverged too; W[0, 1] stays nan
        W[1, 0] = float("inf")
    W.grad[1, 1] = float("nan")
    value = param_table_html(params, "2", before, "nn.Linear(2, 2)")
    rows = table_cells(value)
    assert rows[1][1] == ("changed", "nan | Δ nan")
    assert rows[1][2] == ("unchanged", "nan")
    assert rows[2][1] == ("changed", "inf | Δ inf")
    assert rows[2][5] == ("changed grad", "nan")
    assert rows[2][4] == ("unchanged grad", "0.0000")


# ---- the batch order the debugger and the optimizer explorer replay ---------------------------------

def test_batch_order_is_the_dataloaders_epoch_by_epoch_and_never_touches_a_gpu(monkeypatch):
    """Each epoch's permutation is the one the script's DataLoader(shuffle=True) draws after the net's
    init; drawing it forks only the CPU generator: on a GPU runtime (Colab) it must not start CUDA
    (seconds, and GPU memory) nor change the global generator."""
    from torch.utils.data import DataLoader, TensorDataset

    from lessonlib.model import rng_state_after_init
    from lessonlib.widgets._batch_order import _BatchOrder

    n, seed = 40, 3
    with torch.random.fork_rng(devices=[]):
        torch.set_rng_state(rng_state_after_init(seed, 16))
        loader = DataLoader(TensorDataset(torch.arange(n)), batch_size=8, shuffle=True)
        expected = [torch.cat([b[0] for b in loader]).numpy() for _ in range(3)]

    def no_gpu(*_a, **_k):
        raise AssertionError("the batch order touched CUDA")

    monkeypatch.setattr(torch.cuda, "device_count", lambda: 1)      # as on a one-GPU runtime
    monkeypatch.setattr(torch.cuda, "get_rng_state", no_gpu)
    monkeypatch.setattr(torch.cuda, "set_rng_state", no_gpu)
    torch.manual_seed(123)
    global_state = torch.get_rng_state()
    order = _BatchOrder(seed, n)
    got = [order.next() for _ in range(3)]
    assert [p.tolist() for p in got] == [p.tolist() for p in expected]
    assert torch.equal(torch.get_rng_state(), global_state)


# ---- the graph stepper draws once per click ---------------------------------------------------------

def test_graph_draws_its_plot_once_at_the_start_and_once_per_click():
    """ctl.redraws counts the drawings shown: one when the widget appears, then one per button or switch."""
    _, ctl = graph_stepper()
    assert ctl.redraws == 1
    for k, name in enumerate(["forward_one", "forward_all", "backward_one", "backward_all", "reset"], start=2):
        ctl.click(name)
        assert ctl.redraws == k, name
    ctl.relu_toggle.value = True
    assert ctl.redraws == 7


# ---- a partial redraw under a notebook's own image settings ----------------------------------------

def test_a_partial_redraw_is_upright_when_a_notebook_puts_image_origins_at_the_bottom():
    """A notebook may set rcParams["image.origin"] = "lower" for its own imshow; the partial redraw still
    shows the picture the right way up: the same pixels as the figure drawn whole by matplotlib, a line
    near the top of the axes near the top of the picture."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    def figure(y):
        fig = Figure(figsize=(3.0, 2.0), dpi=80)
        ax = fig.add_subplot()
        line, = ax.plot([0.2, 0.8], [y, y], color="red", linewidth=6)     # inside the frame
        ax.set_xlim(0, 1)
        ax.set_ylim(0, 1)
        return fig, line

    with matplotlib.rc_context({"image.origin": "lower"}):
        fig, line = figure(0.8)
        redraw = _Redraw(fig, [line])
        redraw.png_img("x")
        line.set_ydata([0.9, 0.9])
        partial = rgba(png_of(redraw.png_img("x")))
    ref, _ = figure(0.9)
    buf = io.BytesIO()
    FigureCanvasAgg(ref).print_png(buf)
    full = rgba(buf.getvalue())
    assert partial.shape == full.shape == (160, 240, 4)
    red_rows = np.nonzero(np.all(partial[:, :, :3] == (255, 0, 0), axis=2).any(axis=1))[0]
    assert len(red_rows) and red_rows.max() < 80, "the line at y = 0.9 is in the top half"
    assert np.array_equal(partial, full)


# ---- the graph stepper before any click, and its table as read --------------------------------------

def test_graph_a_fresh_stepper_has_taken_no_step(lang):
    """Before any click the caller finds no step taken: last_steps is an empty list (loopable, len 0), and the
    readout's <div> carries no action, node or verdict; after a click, that one step."""
    _, ctl = graph_stepper()
    assert ctl.last_steps == [] and isinstance(ctl.last_steps, list)
    assert [s.text() for s in ctl.last_steps] == []
    assert ctl.message_html.value.startswith("<div><div dir=")
    assert "data-action" not in ctl.message_html.value
    steps = ctl.click("forward_one")
    assert len(steps) == 1 and ctl.last_steps is steps
    assert ctl.message_html.value.startswith('<div data-action="')


def test_graph_table_reads_as_its_cells_and_nothing_else(lang):
    """Read as a whole, the value/gradient table is its header, row labels and cells: no stray text between
    the rows (a browser would show it above the table)."""
    _, ctl = graph_stepper()
    for click in (None, "forward_all", "backward_one"):
        if click:
            ctl.click(click)
        value = ctl.table_html.value
        table = re.search(r"<table[^>]*>.*</table>", value, re.S).group(0)
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", table, re.S)
        assert read(value) == " ".join(x for x in (read(c) for c in cells) if x)
        structure = re.sub(r"<t([hd])[^>]*>.*?</t\1>", "", re.sub(r"<table[^>]*>", "<table>", table), flags=re.S)
        assert structure == "<table><tr></tr><tr></tr><tr></tr></table>"
    if lang == "en":
        rows = [[read(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", r, re.S)]
                for r in re.findall(r"<tr>(.*?)</tr>", ctl.table_html.value, re.S)]
        assert rows[0] == ["", "x", "w1", "w1*x", "b1", "z1", "a1", "w2", "w2*a1", "b2", "y_hat", "y", "L"]
        assert [r[0] for r in rows[1:]] == ["value", "gradient dL/d(node)"]
        assert rows[1][1:3] == ["2.0000", "0.5000"] and rows[2][-1] == "1.0000"
