"""What the student reads in the step debugger and the graph stepper (issue 16).

Every test here reads the TEXT a widget displays (its HTML with the tags stripped, cell by cell)
and compares it with an independent expectation: a literal written out here, or a number computed
here with plain torch (a fresh net, the DataLoader's batches, a hand-written update rule), never
with the lessonlib code that made the display. The data-value attributes are not read at all.

Runs under ipywidgets 8 (the project env) and 7.7.1 (Colab's; `make test-colab`).
"""
import html
import re

import pytest
import torch
from torch.utils.data import DataLoader, TensorDataset

from lessonlib import STEPS, Stepper, make_line_data, make_model, set_language
from lessonlib.model import rng_state_after_init

w = pytest.importorskip("ipywidgets")
from lessonlib import widgets  # noqa: E402

LR = 0.005


# ---- reading what is displayed ------------------------------------------------------------------

def text(value: str) -> str:
    """What an HTML value reads as: block tags (p, li, div, ...) as a space, inline ones (b, bdi, span)
    dropped, entities decoded, runs of spaces as one."""
    value = re.sub(r"</?(?:p|li|ul|div|tr|td|th|br|table|small)\b[^>]*>", " ", value)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", value))).strip()


def table_rows(value: str) -> list[list[str]]:
    """The text of every cell (th and td) of the first table, row by row; a cell's <small> note
    (the Δ line) is kept after a " | "."""
    table = re.search(r"<table[^>]*>(.*?)</table>", value, re.S).group(1)
    rows = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, re.S):
        cells = []
        for inner in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S):
            inner = re.sub(r"<small>(.*?)</small>", r" | \1", inner)
            cells.append(text(inner))
        rows.append(cells)
    return rows


def message_lines(value: str) -> list[str]:
    """The explanation's paragraphs and list items, each as read."""
    return [text(p) for p in re.findall(r"<(?:p|li)\b[^>]*>(.*?)</(?:p|li)>", value, re.S)]


NUMBER_4 = re.compile(r"-?\d+\.\d{4}")                 # everyday sizes: 4 decimals
NUMBER_E = re.compile(r"-?\d\.\d{3}e[+-]\d{2}")        # tiny or huge: scientific, 4 significant digits


def assert_shows(shown: str, value: float, what: str = "") -> None:
    """`shown` is `value` as the tables print it: 4 decimals for 1e-3 <= |v| < 1e5, else x.xxxe±yy;
    the number read back is `value` rounded (half a unit of the last digit, and a hair for float32)."""
    a = abs(value)
    if a == 0 or 1.001e-3 <= a < 0.999e5:
        assert NUMBER_4.fullmatch(shown), f"{what}: {shown!r} is not a 4-decimal number (value {value!r})"
        assert abs(float(shown) - value) <= 0.5e-4 + 1e-9, f"{what}: shows {shown}, expected {value:.6f}"
    elif a < 0.999e-3 or a >= 1.001e5:
        assert NUMBER_E.fullmatch(shown), f"{what}: {shown!r} is not scientific (value {value!r})"
        assert abs(float(shown) - value) <= 0.5e-3 * a * 1.01, f"{what}: shows {shown}, expected {value:.4e}"


# ---- independent references: the script's batches, the net, the update rules ---------------------

def batches(batch_size=32, seed=0):
    """The batches of epoch 1 as the original script's DataLoader gives them (fit's order)."""
    x, y, _, _ = make_line_data(0).tensors()
    with torch.random.fork_rng(devices=[]):
        torch.set_rng_state(rng_state_after_init(seed, 16))
        return list(DataLoader(TensorDataset(x, y), batch_size=batch_size, shuffle=True))


def grads_of(model, xb, yb):
    """dL/dp of the plain MSE, by autograd on a copy: {name: grad}."""
    model.zero_grad(set_to_none=True)
    ((model(xb) - yb) ** 2).mean().backward()
    return {k: p.grad.clone() for k, p in model.named_parameters()}


def layer0_rows(model, grads=None):
    """[i, weight[i,0], bias[i], weight.grad[i,0], bias.grad[i]] as numbers (None: no gradient)."""
    W, b = model[0].weight.detach(), model[0].bias.detach()
    out = []
    for i in range(16):
        gW = None if grads is None else float(grads["0.weight"][i, 0])
        gb = None if grads is None else float(grads["0.bias"][i])
        out.append([float(W[i, 0]), float(b[i]), gW, gb])
    return out


def check_layer0_table(dbg, model, grads=None, delta=None):
    """The layer-0 table as read: header, index column, values, gradients ("None" where none),
    and the Δ note under every value that moved (delta: {name: tensor of the change})."""
    header, *rows = table_rows(dbg.table_html.value)
    assert header == ["i", "weight[i, 0]", "bias[i]", "weight.grad[i, 0]", "bias.grad[i]"]
    assert [r[0] for r in rows] == [str(i) for i in range(16)]
    expected = layer0_rows(model, grads)
    for i, (row, want) in enumerate(zip(rows, expected, strict=True)):
        for col, (cell, v) in enumerate(zip(row[1:], want, strict=True)):
            what = f"row {i}, {header[col + 1]}"
            if v is None:
                assert cell == "None", f"{what}: {cell!r}"
                continue
            number, _, note = cell.partition(" | ")
            assert_shows(number, v, what)
            if col < 2 and delta is not None:
                d = float(delta["0.weight"][i, 0] if col == 0 else delta["0.bias"][i])
                if d == 0:
                    assert note == "", f"{what}: did not move, yet shows {note!r}"
                else:
                    assert note.startswith("Δ "), f"{what}: moved by {d}, shows {cell!r}"
                    assert_shows(note[2:], d, what + " Δ")
            elif col < 2:
                assert note == "", f"{what}: {cell!r}"


def loss_readout(dbg) -> str:
    t = text(dbg.loss_html.value)
    assert t.startswith("Loss (MSE): "), t
    return t[len("Loss (MSE): "):]


# ---- the step debugger -------------------------------------------------------------------------------

def test_the_table_text_shows_the_fresh_net_and_no_gradients():
    _, dbg = widgets.step_debugger()
    check_layer0_table(dbg, make_model(0))
    assert loss_readout(dbg) == "—"
    assert text(dbg.status_html.value) == ("Epoch 1, batch 1 of 5 (32 samples) · learning rate 0.005 · "
                                           "parameter updates so far: 0 · next step: 1. forward pass")
    caption = text(dbg.table_html.value.split("<table")[0].split("</style>")[-1])
    assert caption.startswith("Layer 0, nn.Linear(1, 16): weight of shape (16, 1), bias of shape (16,), "
                              "and their gradients (.grad).")


def test_loss_readout_and_gradients_shown_are_the_plain_mse_and_autograd():
    _, dbg = widgets.step_debugger(lr=LR)
    xb, yb = batches()[0]
    model = make_model(0)
    with torch.no_grad():
        mse = float(((model(xb) - yb) ** 2).mean())
    dbg.click("forward")
    assert message_lines(dbg.message_html.value) == [
        "1. forward pass: Computed the prediction y_hat for 32 samples. No parameter changed."]
    assert loss_readout(dbg) == "—"
    dbg.click("loss")
    shown = loss_readout(dbg)
    assert_shows(shown, mse, "loss readout")
    assert message_lines(dbg.message_html.value) == [f"2. loss: MSE = {shown}. No parameter changed."]
    dbg.click("zero_grad")
    dbg.click("backward")
    check_layer0_table(dbg, model, grads_of(model, xb, yb))
    assert message_lines(dbg.message_html.value) == [
        "4. backpropagation (backward): Computed dL/dW and dL/db for all 6 parameter tensors (stored in .grad). "
        "No parameter changed."]


def sgd_step_by_hand(model, grads, lr, velocity=None, momentum=0.0):
    """W <- W - lr * v with v <- momentum * v + g (plain SGD: momentum 0). Returns (delta, velocity)."""
    velocity = velocity or {k: torch.zeros_like(g) for k, g in grads.items()}
    delta = {}
    with torch.no_grad():
        for k, p in model.named_parameters():
            velocity[k] = momentum * velocity[k] + grads[k] if momentum else grads[k]
            before = p.detach().clone()
            p.sub_(lr * velocity[k])
            delta[k] = p.detach() - before
    return delta, velocity


def test_sgd_step_message_table_and_readouts():
    _, dbg = widgets.step_debugger(lr=LR)
    xb, yb = batches()[0]
    model = make_model(0)
    grads = grads_of(model, xb, yb)
    for name in STEPS:
        dbg.click(name)
    delta, _ = sgd_step_by_hand(model, grads, LR)
    check_layer0_table(dbg, model, grads, delta)
    assert message_lines(dbg.message_html.value) == [
        "5. parameter update (step): W <- W - lr * dL/dW changed 6 parameter tensors. "
        "This is the only step that changes weights and biases."]
    assert text(dbg.status_html.value) == ("Epoch 1, batch 1 of 5 (32 samples) · learning rate 0.005 · "
                                           "parameter updates so far: 1 · next step: 1. forward pass")


def test_adam_step_names_its_own_rule_and_moves_every_weight_by_lr():
    """Adam's first step is -lr * g / (|g| + eps): every weight with a gradient moves by lr against its sign."""
    _, dbg = widgets.step_debugger(lr=LR, optimizer="adam")
    xb, yb = batches()[0]
    model = make_model(0)
    grads = grads_of(model, xb, yb)
    for name in STEPS:
        dbg.click(name)
    (line,) = message_lines(dbg.message_html.value)
    assert line == ("5. parameter update (step): Adam changed 6 parameter tensors using the gradients dL/dW "
                    "(its own rule, not plain W - lr * dL/dW). This is the only step that changes weights and biases.")
    header, *rows = table_rows(dbg.table_html.value)
    assert header[1:3] == ["weight[i, 0]", "bias[i]"]
    moved = 0
    for i, row in enumerate(rows):
        for col, g in ((1, grads["0.weight"][i, 0]), (2, grads["0.bias"][i])):
            number, _, note = row[col].partition(" | ")
            if abs(float(g)) > 1e-5:
                assert note == ("Δ -0.0050" if g > 0 else "Δ 0.0050"), f"row {i} col {col}: {row[col]!r} (grad {float(g)})"
                moved += 1
            elif g == 0:
                assert note == "", f"row {i}: a zero gradient does not move Adam's first step"
    assert moved >= 16


def test_momentum_step_names_its_rule_and_shows_the_velocity_update():
    """SGD with momentum 0.9: the message must not call it plain SGD's rule, and the second step's Δ is
    -lr * (0.9 g1 + g2), computed here by hand."""
    _, dbg = widgets.step_debugger(lr=LR, optimizer="momentum")
    b = batches()
    model = make_model(0)
    grads = grads_of(model, *b[0])
    _, velocity = sgd_step_by_hand(model, grads, LR, momentum=0.9)
    dbg.click("batch")
    grads = grads_of(model, *b[1])
    delta, _ = sgd_step_by_hand(model, grads, LR, velocity=velocity, momentum=0.9)
    for name in STEPS:
        dbg.click(name)
    check_layer0_table(dbg, model, grads, delta)
    (line,) = message_lines(dbg.message_html.value)
    assert line == ("5. parameter update (step): SGD(momentum=0.9) changed 6 parameter tensors using the gradients "
                    "dL/dW (its own rule, not plain W - lr * dL/dW). This is the only step that changes weights and "
                    "biases.")


def test_a_new_batch_is_announced_and_clears_the_loss_readout():
    """After a finished batch the next forward takes the next batch: its size and number in words, the old loss
    no longer shown, and the new loss the plain MSE of the new batch at the updated weights. Batches of 48 from
    160 points: 48, 48, 48 and a last one of 16."""
    _, dbg = widgets.step_debugger(lr=LR, batch_size=48)
    b = batches(48)
    assert [len(xb) for xb, _ in b] == [48, 48, 48, 16]
    model = make_model(0)
    for k, (xb, yb) in enumerate(b):
        if k:
            dbg.click("forward")
            assert loss_readout(dbg) == "—", "the previous batch's loss must not stay on display"
            assert message_lines(dbg.message_html.value) == [
                f"New batch: {len(xb)} samples (batch {k + 1} of 4, epoch 1).",
                f"1. forward pass: Computed the prediction y_hat for {len(xb)} samples. No parameter changed."]
            assert text(dbg.status_html.value).startswith(f"Epoch 1, batch {k + 1} of 4 ({len(xb)} samples)")
            for name in STEPS[1:]:
                dbg.click(name)
        else:
            for name in STEPS:
                dbg.click(name)
        with torch.no_grad():
            mse = float(((model(xb) - yb) ** 2).mean())
        assert_shows(loss_readout(dbg), mse, f"loss of batch {k + 1}")
        sgd_step_by_hand(model, grads_of(model, xb, yb), LR)
    header, *rows = table_rows(dbg.table_html.value)
    for i, row in enumerate(rows):
        assert_shows(row[1].partition(" | ")[0], float(model[0].weight.detach()[i, 0]), f"row {i} weight after 4 batches")
    dbg.click("forward")                       # epoch 2 begins
    assert message_lines(dbg.message_html.value)[0] == "New batch: 48 samples (batch 1 of 4, epoch 2)."


def test_run_one_epoch_reports_the_size_weighted_mean_loss():
    """Batches of 48, 48, 48, 16: the epoch's loss is weighted by the real batch sizes (computed here by hand)."""
    _, dbg = widgets.step_debugger(lr=LR, batch_size=48)
    model = make_model(0)
    total, n = 0.0, 0
    for xb, yb in batches(48):
        with torch.no_grad():
            total += float(((model(xb) - yb) ** 2).mean()) * len(xb)
        n += len(xb)
        sgd_step_by_hand(model, grads_of(model, xb, yb), LR)
    dbg.click("epoch")
    first = message_lines(dbg.message_html.value)[0]
    m = re.fullmatch(r"Epoch 1: ran 4 batches, and step\(\) updated the parameters 4 times\. "
                     r"Mean training loss over these batches: (\S+)\.", first)
    assert m, first
    assert_shows(m.group(1), total / n, "epoch loss")


def test_start_over_clears_what_is_shown():
    _, dbg = widgets.step_debugger(lr=LR)
    dbg.click("batch")
    dbg.click("forward")
    dbg.click("loss")
    assert loss_readout(dbg) != "—"
    dbg.click("reset")
    assert message_lines(dbg.message_html.value) == [
        "Started over: a fresh network (seed 0), no prediction, no loss, no gradients; epoch 1, batch 1."]
    assert loss_readout(dbg) == "—"
    check_layer0_table(dbg, make_model(0))
    assert text(dbg.status_html.value) == ("Epoch 1, batch 1 of 5 (32 samples) · learning rate 0.005 · "
                                           "parameter updates so far: 0 · next step: 1. forward pass")
    assert 'class="changed"' not in dbg.table_html.value


# ---- Stepper.set_batch: what a new batch clears ---------------------------------------------------------

def test_set_batch_drops_the_prediction_and_loss_and_keeps_weights_and_gradients():
    b = batches()
    model = make_model(0)
    stepper = Stepper(model, torch.optim.SGD(model.parameters(), lr=LR), *b[0])
    stepper.forward(); stepper.compute_loss(); stepper.backward()
    weights = {k: p.detach().clone() for k, p in model.named_parameters()}
    grads = {k: p.grad.clone() for k, p in model.named_parameters()}
    stepper.set_batch(*b[1])
    assert stepper.y_hat is None and stepper.loss is None
    assert stepper.xb is b[1][0] and stepper.yb is b[1][1]
    for k, p in model.named_parameters():
        assert torch.equal(p.detach(), weights[k]) and torch.equal(p.grad, grads[k]), k
    rec = stepper.compute_loss()
    assert rec.problem == "loss_before_forward" and rec.loss is None
    assert rec.message == ("Nothing to measure yet: the loss compares a prediction with the targets, and there is "
                           "no prediction. Run forward() first.")
    rec = stepper.backward()
    assert rec.problem == "backward_before_loss"
    rec = stepper.forward()
    assert rec.message == "Computed the prediction y_hat for 32 samples. No parameter changed."
    rec = stepper.compute_loss()
    with torch.no_grad():
        mse = float(((model(b[1][0]) - b[1][1]) ** 2).mean())
    assert rec.loss == pytest.approx(mse, rel=1e-6) and rec.message == f"MSE = {mse:.4f}. No parameter changed."


# ---- the graph stepper: its table and drawing against numbers worked by hand --------------------------

NODES = ["x", "w1", "w1*x", "b1", "z1", "a1", "w2", "w2*a1", "b2", "y_hat", "y", "L"]
# x = 2, y = 5, w1 = 0.5, b1 = 0.1, w2 = 0.8, b2 = 0.2:
# w1*x = 1, z1 = 1.1, a1 = 1.1, w2*a1 = 0.88, y_hat = 1.08, L = (1.08 - 5)^2 = 3.92^2 = 15.3664
VALUES = ["2.0000", "0.5000", "1.0000", "0.1000", "1.1000", "1.1000", "0.8000", "0.8800", "0.2000", "1.0800",
          "5.0000", "15.3664"]
# dL/dy_hat = 2 (1.08 - 5) = -7.84 = dL/db2 = dL/d(w2*a1); dL/dw2 = -7.84 * 1.1 = -8.624;
# dL/da1 = -7.84 * 0.8 = -6.272 = dL/dz1 = dL/db1 = dL/d(w1*x); dL/dw1 = -6.272 * 2 = -12.544; x, y: none
GRADS = ["·", "-12.5440", "-6.2720", "-6.2720", "-6.2720", "-6.2720", "-8.6240", "-7.8400", "-7.8400", "-7.8400",
         "·", "1.0000"]
# b1 = -1.5: z1 = -0.5, a1 = 0, y_hat = 0.2, L = 4.8^2 = 23.04; dL/dy_hat = -9.6, dL/dw2 = -9.6 * 0 = 0,
# dL/da1 = -9.6 * 0.8 = -7.68, and the ReLU stops it: dL/dz1 = dL/db1 = dL/d(w1*x) = dL/dw1 = 0
VALUES_OFF = ["2.0000", "0.5000", "1.0000", "-1.5000", "-0.5000", "0.0000", "0.8000", "0.0000", "0.2000", "0.2000",
              "5.0000", "23.0400"]
GRADS_OFF = ["·", "0.0000", "0.0000", "0.0000", "0.0000", "-7.6800", "0.0000", "-9.6000", "-9.6000", "-9.6000",
             "·", "1.0000"]


def graph_table(ctl):
    header, values, grads = table_rows(ctl.table_html.value)
    assert header == [""] + NODES
    assert values[0] == "value" and grads[0] == "gradient dL/d(node)"
    return values[1:], grads[1:]


def drawn(ctl, kind):
    """{node: text} drawn in the figure for "value" or "grad"."""
    return {a.get_gid().split(":", 1)[1]: a.get_text() for a in ctl.fig.findobj()
            if (a.get_gid() or "").startswith(kind + ":")}


def test_graph_table_shows_hand_computed_values_then_gradients():
    _, ctl = widgets.graph_stepper()
    values, grads = graph_table(ctl)
    leaves = {"x", "w1", "b1", "w2", "b2", "y"}
    assert values == [v if n in leaves else "·" for n, v in zip(NODES, VALUES, strict=True)]
    assert grads == ["·"] * 12
    ctl.click("forward_all")
    values, grads = graph_table(ctl)
    assert values == VALUES and grads == ["·"] * 12
    ctl.click("backward_all")
    values, grads = graph_table(ctl)
    assert values == VALUES and grads == GRADS
    drawn_values = drawn(ctl, "value")
    for n, v in zip(NODES, VALUES, strict=True):
        assert drawn_values[n] == v, (n, drawn_values[n])
    drawn_grads = drawn(ctl, "grad")
    for n, g in zip(NODES, GRADS, strict=True):
        if g != "·":
            assert g in drawn_grads[n], (n, drawn_grads[n])


def test_graph_backward_one_click_shows_one_hand_computed_gradient_and_its_chain_rule():
    _, ctl = widgets.graph_stepper()
    ctl.click("forward_all")
    order = ["L", "y_hat", "w2*a1", "b2", "a1", "w2", "z1", "w1*x", "b1", "w1"]   # right to left, chain first
    for k, node in enumerate(order[:3], 1):          # one per click (all ten: tests/test_graph_widget.py)
        ctl.click("backward_one")
        _, grads = graph_table(ctl)
        shown = {n: g for n, g in zip(NODES, grads, strict=True) if g != "·"}
        assert set(shown) == set(order[:k]), (k, shown)
        assert shown[node] == GRADS[NODES.index(node)]
    ctl.click("backward_all")
    lines = message_lines(ctl.message_html.value)
    assert len(lines) == 7 and lines[0].startswith("Backpropagation, node b2 (4 of 10), by the chain rule: ")
    line = lines[-1]
    assert line.startswith("Backpropagation, node w1 (10 of 10), by the chain rule: "
                           "dL/dw1 = dL/d(w1*x) * d(w1*x)/dw1 = (-6.2720) * 2.0000 = -12.5440.")
    assert text(ctl.status_html.value) == "Values: 6 of 6 · gradients: 10 of 10 · next: nothing: both passes are complete"


def test_graph_relu_off_shows_the_gradient_stopped_at_the_relu():
    _, ctl = widgets.graph_stepper(relu_off=True)
    ctl.click("forward_all")
    ctl.click("backward_all")
    values, grads = graph_table(ctl)
    assert values == VALUES_OFF and grads == GRADS_OFF


def test_learning_rate_x100_is_said_and_shown_with_the_new_rate():
    _, dbg = widgets.step_debugger(lr=LR)
    dbg.lr_x100.value = True
    assert message_lines(dbg.message_html.value) == [
        "The learning rate is now 0.5 (x100): every step() moves the weights 100 times further than before."]
    assert " · learning rate 0.5 · " in text(dbg.status_html.value)
    xb, yb = batches()[0]
    model = make_model(0)
    grads = grads_of(model, xb, yb)
    for name in STEPS:
        dbg.click(name)
    delta, _ = sgd_step_by_hand(model, grads, 0.5)          # 100 x 0.005, by hand
    check_layer0_table(dbg, model, grads, delta)
    dbg.lr_x100.value = False
    assert message_lines(dbg.message_html.value) == ["The learning rate is back to 0.005."]


def test_hebrew_step_message_reads_in_order():
    """The Hebrew Adam message as shown: the words, and the code and numbers each one left-to-right run."""
    set_language("he")
    _, dbg = widgets.step_debugger(lr=LR, optimizer="adam")
    for name in STEPS:
        dbg.click(name)
    (line,) = message_lines(dbg.message_html.value)
    assert line == ("5. עדכון הפרמטרים (step): האופטימייזר Adam שינה 6 טנזורי פרמטרים בעזרת הגרדיאנטים dL/dW, "
                    "לפי כלל עדכון משלו (לא W - lr * dL/dW הפשוט). זה הצעד היחיד שמשנה משקולות והטיות.")
    value = dbg.message_html.value
    assert value.startswith('<div dir="rtl"')
    runs = [html.unescape(r) for r in re.findall(r"<bdi dir='ltr'[^>]*>(.*?)</bdi>", value)]
    assert runs == ["5", "(step)", "Adam", "6", "dL/dW", "W - lr * dL/dW"], runs


# ---- the debugger's switches and the landscape's gradient at a point given -----------------------------------

@pytest.fixture(scope="module")
def one_debugger():
    """One debugger for the switch tests below (a debugger takes a second to build)."""
    return widgets.step_debugger()[1]


def test_skip_zero_grad_switch_says_on_and_off(one_debugger):
    from lessonlib.text import t

    dbg = one_debugger
    dbg.skip_toggle.value = True
    assert message_lines(dbg.message_html.value) == [text(t("widgets.dbg.skip_on"))]
    dbg.skip_toggle.value = False
    assert message_lines(dbg.message_html.value) == [text(t("widgets.dbg.skip_off"))]


def test_the_divergence_warning_states_the_factor_1000(one_debugger):
    from lessonlib.text import t

    dbg = one_debugger
    assert dbg.divergence_text() == t("widgets.dbg.not_finite", factor="1000", reference=dbg.reference_loss)


def test_the_table_rows_follow_the_layer_chosen(one_debugger):
    dbg = one_debugger
    dbg.layer_dropdown.value = "2"                              # nn.Linear(16, 16): 16 rows, 4 weight columns + bias
    cells = dbg.layer_cells()
    assert len(cells) == 16 and cells[0][:2] == [("2.weight", (0, 0)), ("2.weight", (0, 1))]
    assert cells[15][-1] == ("2.bias", (15,))


def test_landscape_gradient_at_a_point_given_is_autograd_there():
    ex = widgets.LandscapeExplorer(w0=0.0, b0=-3.0)
    x, y = (torch.from_numpy(a.astype("float64").reshape(-1)) for a in (make_line_data(0).x_train,
                                                                        make_line_data(0).y_train))
    wt = torch.tensor(1.5, dtype=torch.float64, requires_grad=True)
    bt = torch.tensor(2.0, dtype=torch.float64, requires_grad=True)
    ((wt * x + bt - y) ** 2).mean().backward()
    gw, gb = ex.gradient(1.5, 2.0)
    assert abs(gw - wt.grad.item()) < 1e-9 and abs(gb - bt.grad.item()) < 1e-9


def test_run_one_batch_says_which_batch_of_which_epoch_and_its_size():
    from lessonlib.text import t

    _, dbg = widgets.step_debugger()
    dbg.click("batch")                      # 160 training points in batches of 32: 5 batches, all of 32
    first = t("widgets.dbg.batch_done", batch=1, batches=5, epoch=1, size=32)
    assert message_lines(dbg.message_html.value)[0] == text(first)
    dbg.click("batch")                      # the next one starts a new batch: it says so first
    second = t("widgets.dbg.new_batch", batch=2, batches=5, epoch=1, size=32) + " " + t(
        "widgets.dbg.batch_done", batch=2, batches=5, epoch=1, size=32)
    assert message_lines(dbg.message_html.value)[0] == text(second)
