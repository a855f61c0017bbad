"""lessonlib.widgets, driven through Python as a browser would (button.click(), slider.value = ...).

Runs under ipywidgets 8 (the project env) and 7.7.1 (Colab's; `make test-colab`). Each test
asserts the state and what the widget displays: values, highlighted cells, explanations.
"""
import base64
import copy
import html
import re
import struct
import subprocess
import sys

import numpy as np
import pytest
from matplotlib.colors import to_hex
import math

import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

import lessonlib
from lessonlib import bidi, explorer_grid
from lessonlib import STEPS, fit, get_language, make_line_data, make_model, manual, set_language, t
from lessonlib.model import rng_state_after_init
from lessonlib.train import DIVERGENCE_FACTOR, OPTIMIZERS
from tools.arithmetic import same_as_reference
from tests.test_plots import OUTPUT_WIDTH_PX, assert_markers_on_reading_side, smallest_text_px

w = pytest.importorskip("ipywidgets")
from lessonlib import widgets  # noqa: E402

LR = 0.005


@pytest.fixture(scope="module")
def data():
    return make_line_data(seed=0)


# ---- helpers that read what a widget displays --------------------------------------------------

CELL = re.compile(r'<td data-name="([^"]+)" data-value="([^"]*)" class="([^"]*)">')


def cells(table_html):
    """{data-name: (data-value, classes)} of every value cell in a parameter table."""
    return {name: (value, set(cls.split())) for name, value, cls in CELL.findall(table_html)}


def loss_shown(dbg):
    m = re.search(r'<span class="lessonlib-loss-value" data-value="([^"]*)">([^<]*)</span>', dbg.loss_html.value)
    assert m, dbg.loss_html.value
    return m.group(1), m.group(2)


def shown(text, widget):
    """The catalog text as it appears (escaped) in an HTML widget."""
    return html.escape(text) in widget.value


def param(dbg, name):
    return dict(dbg.model.named_parameters())[name]


ITEM = re.compile(r'<li class="([^"]*)" data-step="([^"]*)" data-problem="([^"]*)">')
BLOCK = re.compile(r"<(p|li)\b[^>]*>(.*?)</\1>", re.S)


def message_blocks(widget):
    """The explanation as read: its paragraphs and list items in order, tags dropped (and nothing else shown)."""
    blocks = [html.unescape(re.sub(r"<[^>]+>", "", inner)) for _, inner in BLOCK.findall(widget.value)]
    assert "".join(blocks) == text_of(widget), f"text outside the paragraphs and items: {widget.value}"
    return blocks


def message_items(widget):
    """(class, step, problem) of each listed step: "problem" items are the ones marked ⚠️."""
    return ITEM.findall(widget.value)


def dataloader_first_epoch(data, seed=0):
    """The batches the original script's DataLoader gives in epoch 1 (fit's order)."""
    x, y, _, _ = data.tensors()
    with torch.random.fork_rng(devices=[]):
        torch.set_rng_state(rng_state_after_init(seed, 16))
        return list(DataLoader(TensorDataset(x, y), batch_size=32, shuffle=True))


def batch_losses(data, lr=LR, zero_grad=True):
    """Each epoch-1 batch's loss before its step(), by the lesson's own loop (plain PyTorch SGD)."""
    model = make_model(0)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    losses = []
    for xb, yb in dataloader_first_epoch(data):
        if zero_grad:
            optimizer.zero_grad()
        loss = nn.MSELoss()(model(xb), yb)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses


# ---- the package stays light ----------------------------------------------------------------------

def test_importing_lessonlib_does_not_import_ipywidgets():
    code = "import sys, lessonlib; assert 'ipywidgets' not in sys.modules and 'IPython' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_only_widgets_imports_ipywidgets():
    import ast
    import pathlib

    def imported(path):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                yield from (a.name.split(".")[0] for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                yield node.module.split(".")[0]

    pkg = pathlib.Path(lessonlib.__file__).parent
    importers = sorted(p.relative_to(pkg).as_posix() for p in pkg.rglob("*.py")
                       if {"ipywidgets", "IPython"} & set(imported(p)))
    # display.show imports IPython.display lazily, inside IPython only; the rest is the widgets package
    assert [p for p in importers if not p.startswith("widgets/")] == ["display.py"]
    assert any(p.startswith("widgets/") for p in importers)


# ---- 1. step debugger: structure and CSS contract ---------------------------------------------------

def test_css_class_contract():
    ui, dbg = widgets.step_debugger()
    assert isinstance(ui, w.VBox)
    for name in STEPS:
        assert f"lessonlib-step-{name}" in dbg.buttons[name]._dom_classes
    for name in ("next", "batch", "epoch", "reset"):
        assert f"lessonlib-{name}" in dbg.buttons[name]._dom_classes
    assert "lessonlib-loss" in dbg.loss_html._dom_classes
    assert "lessonlib-param-table" in dbg.table_html._dom_classes
    assert "lessonlib-message" in dbg.message_html._dom_classes
    # the parts the browser test and the lesson's CSS find by class (tests/test_browser.py reads
    # .lessonlib-status; the break switches and the layer picker are named for the instructor's guide)
    assert "lessonlib-status" in dbg.status_html._dom_classes
    assert "lessonlib-plot" in dbg.plot_html._dom_classes
    assert "lessonlib-layer" in dbg.layer_dropdown._dom_classes
    assert "lessonlib-break-skip-zero-grad" in dbg.skip_toggle._dom_classes
    assert "lessonlib-break-lr-x100" in dbg.lr_x100._dom_classes
    # the next step is the primary action, reset the one to think twice about
    assert (dbg.buttons["next"].button_style, dbg.buttons["reset"].button_style) == ("primary", "warning")
    assert dbg.layer_dropdown.description == "Layer:"          # (the tests run in English)
    assert isinstance(dbg.stepper, lessonlib.Stepper)
    assert dbg.records == []
    assert dbg.plot_output is dbg.plot_html and "<img" in dbg.plot_html.value
    assert {"lessonlib-widget", "lessonlib-step-debugger"} <= set(ui._dom_classes)
    shown_parts = [id(c) for c in descendants(ui)]      # every part is on the page, in the frame
    for part in (dbg.loss_html, dbg.status_html, dbg.message_html, dbg.plot_html, dbg.table_html,
                 dbg.skip_toggle, dbg.lr_x100, dbg.layer_dropdown, *dbg.buttons.values()):
        assert id(part) in shown_parts, part._dom_classes
    assert dbg.layer_dropdown.style.description_width == "initial", "the label 'Layer:' is not cut short"


def test_initial_display():
    _, dbg = widgets.step_debugger()
    assert loss_shown(dbg) == ("", "—")
    c = cells(dbg.table_html.value)
    assert len([k for k in c if re.fullmatch(r"0\.weight\[\d+,0\]", k)]) == 16
    assert len([k for k in c if re.fullmatch(r"0\.bias\[\d+\]", k)]) == 16
    W = param(dbg, "0.weight").detach()
    assert float(c["0.weight[3,0]"][0]) == pytest.approx(float(W[3, 0]), rel=1e-5)
    assert c["0.weight.grad[3,0]"][0] == "None" and c["0.bias.grad[15]"][0] == "None"
    assert not any("changed" in cls for _, cls in c.values())
    assert shown(t("widgets.dbg.start"), dbg.message_html)


def test_batches_come_in_dataloader_order(data):
    _, dbg = widgets.step_debugger()
    expected = dataloader_first_epoch(data)
    for k, (xb, yb) in enumerate(expected):
        for name in STEPS:
            dbg.click(name)
        assert torch.equal(dbg.stepper.xb, xb) and torch.equal(dbg.stepper.yb, yb), f"batch {k + 1}"
    assert dbg.epoch == 1 and dbg.batch_index == len(expected) - 1


def test_forward_then_loss_shows_the_batch_loss(data):
    _, dbg = widgets.step_debugger()
    xb, yb = dataloader_first_epoch(data)[0]
    (rec,) = dbg.click("forward")
    assert rec.step == "forward" and rec.ok and rec.params_changed == []
    assert loss_shown(dbg) == ("", "—")
    (rec,) = dbg.click("loss")
    with torch.no_grad():
        expected = nn.MSELoss()(make_model(0)(xb), yb).item()
    assert rec.loss == pytest.approx(expected, rel=1e-6)
    value, text = loss_shown(dbg)
    assert value == f"{rec.loss:.6g}" and text == f"{rec.loss:.4f}"
    assert shown(rec.message, dbg.message_html)
    assert dbg.records == [*dbg.records[:-1], rec] and len(dbg.records) == 2


def test_backward_fills_gradients_and_moves_nothing():
    _, dbg = widgets.step_debugger()
    dbg.click("forward")
    dbg.click("loss")
    before = cells(dbg.table_html.value)
    redraws = dbg.redraws
    (rec,) = dbg.click("backward")
    c = cells(dbg.table_html.value)
    g = param(dbg, "0.weight").grad
    for i in range(16):
        value, cls = c[f"0.weight.grad[{i},0]"]
        assert before[f"0.weight.grad[{i},0]"][0] == "None"
        assert "changed" in cls and float(value) == pytest.approx(float(g[i, 0]), rel=1e-5)
        assert "unchanged" in c[f"0.weight[{i},0]"][1]
        assert c[f"0.weight[{i},0]"][0] == before[f"0.weight[{i},0]"][0]
    assert rec.params_changed == [] and "0.weight.grad" in rec.grads_changed
    assert dbg.redraws == redraws, "no parameter moved: the plot must not be redrawn"
    assert shown(rec.message, dbg.message_html)


def test_step_moves_weights_by_minus_lr_times_grad():
    _, dbg = widgets.step_debugger(lr=LR)
    for name in ("forward", "loss", "zero_grad", "backward"):
        dbg.click(name)
    W, g = param(dbg, "0.weight").detach().clone(), param(dbg, "0.weight").grad.clone()
    b, gb = param(dbg, "0.bias").detach().clone(), param(dbg, "0.bias").grad.clone()
    img, redraws = dbg.plot_html.value, dbg.redraws
    (rec,) = dbg.click("step")
    assert rec.ok and set(rec.params_changed) == {"0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias"}
    assert torch.equal(param(dbg, "0.weight").detach(), W.add(g, alpha=-LR))
    assert torch.equal(param(dbg, "0.bias").detach(), b.add(gb, alpha=-LR))
    c = cells(dbg.table_html.value)
    moved = 0
    for i in range(16):
        value, cls = c[f"0.weight[{i},0]"]
        assert ("changed" in cls) == bool(g[i, 0] != 0), f"row {i}: highlighted exactly when W moved"
        moved += "changed" in cls
        assert float(value) == pytest.approx(float(W[i, 0] - LR * g[i, 0]), rel=1e-5, abs=1e-7)
        assert "unchanged" in c[f"0.weight.grad[{i},0]"][1]
    assert moved >= 8, "most first-layer weights move in the first step"
    assert "Δ" in dbg.table_html.value
    assert dbg.redraws == redraws + 1 and dbg.plot_html.value != img
    assert dbg.updates == 1 and "parameter updates so far: 1 ·" in text_of(dbg.status_html)
    assert message_blocks(dbg.message_html) == [
        "5. parameter update (step): W <- W - lr * dL/dW changed 6 parameter tensors. "
        "This is the only step that changes weights and biases."]
    assert message_items(dbg.message_html) == [("ok", "step", "")]
    # step() again with the same gradients: the weights move a second time, a second update, marked a problem
    (rec,) = dbg.click("step")
    assert rec.problem == "step_twice"
    assert torch.equal(param(dbg, "0.weight").detach(), W.add(g, alpha=-LR).add(g, alpha=-LR))
    assert dbg.updates == 2 and "parameter updates so far: 2 ·" in text_of(dbg.status_html)
    assert dbg.redraws == redraws + 2
    assert message_blocks(dbg.message_html) == [
        "⚠️ 5. parameter update (step): step() again with the same gradients: the weights moved a second time in "
        "the same direction, although nothing was re-measured. In a real loop every step() follows a fresh "
        "forward/loss/backward."]
    assert message_items(dbg.message_html) == [("problem", "step", "step_twice")]


def test_step_before_backward_moves_nothing_and_says_why():
    _, dbg = widgets.step_debugger()
    initial = {k: v.detach().clone() for k, v in dbg.model.named_parameters()}
    redraws = dbg.redraws
    (rec,) = dbg.click("step")
    assert rec.problem == "step_without_grad" and rec.params_changed == []
    for k, v in dbg.model.named_parameters():
        assert torch.equal(v.detach(), initial[k]), k
    c = cells(dbg.table_html.value)
    assert not any("changed" in cls for _, cls in c.values())
    assert shown(t("stepper.problem.step_without_grad"), dbg.message_html)
    assert 'data-problem="step_without_grad"' in dbg.message_html.value
    assert dbg.redraws == redraws and dbg.updates == 0


def test_backward_twice_doubles_the_gradients_in_the_table():
    _, dbg = widgets.step_debugger()
    for name in ("forward", "loss", "backward"):
        dbg.click(name)
    g1 = {k: v.grad.clone() for k, v in dbg.model.named_parameters()}
    (rec,) = dbg.click("backward")
    assert rec.problem == "backward_accumulated"
    for k, v in dbg.model.named_parameters():
        assert torch.equal(v.grad, 2 * g1[k]), k
    c = cells(dbg.table_html.value)
    doubled = 0
    for i in range(16):
        value, cls = c[f"0.weight.grad[{i},0]"]
        g = float(g1["0.weight"][i, 0])
        assert ("changed" in cls) == (g != 0), f"row {i}: a zero gradient doubled is still zero"
        doubled += g != 0
        assert float(value) == pytest.approx(2 * g, rel=1e-5)
        assert "unchanged" in c[f"0.weight[{i},0]"][1]
    assert doubled >= 8
    assert shown(t("stepper.did.backward_accumulated", count=2), dbg.message_html)


def test_backward_after_step_is_stale():
    _, dbg = widgets.step_debugger()
    for name in STEPS:
        dbg.click(name)
    grads = {k: v.grad.clone() for k, v in dbg.model.named_parameters()}
    (rec,) = dbg.click("backward")
    assert rec.problem == "backward_stale"
    for k, v in dbg.model.named_parameters():
        assert torch.equal(v.grad, grads[k])
    assert shown(t("stepper.problem.backward_stale"), dbg.message_html)


def test_plot_redrawn_only_when_parameters_change():
    _, dbg = widgets.step_debugger()
    counts = []
    for name in ("forward", "loss", "zero_grad", "backward", "step", "forward"):
        dbg.click(name)
        counts.append(dbg.redraws)
    assert counts == [1, 1, 1, 1, 2, 2]


def test_plot_redrawn_when_weights_turn_nan_and_not_while_they_stay_nan():
    """lr 1e38: the first step sends weights to inf, the second to NaN (a change: redrawn); after that
    NaN stays NaN, which is no change (no redraw)."""
    dbg = widgets.StepDebugger(lr=1e38)

    def redraws_per_click():
        out = []
        for name in STEPS:
            before = dbg.redraws
            dbg.click(name)
            out.append(dbg.redraws - before)
        return out

    redraws_per_click()
    assert any(p.isinf().any() for p in dbg.model.parameters())
    assert (dbg.updates, dbg.batch_index) == (1, 0), "weights sent to inf: still an update"
    assert redraws_per_click() == [0, 0, 0, 0, 1]
    assert any(p.isnan().any() for p in dbg.model.parameters())
    assert (dbg.updates, dbg.batch_index) == (2, 1), "each forward after a step() takes the next batch"
    assert redraws_per_click() == [0, 0, 0, 0, 0]
    assert (dbg.updates, dbg.batch_index) == (3, 2), "NaN written over NaN: step() still ran on this batch"
    assert "batch 3 of 5 (32 samples) · learning rate 1e+38 · parameter updates so far: 3 ·" in text_of(dbg.status_html)
    # batches 4 and 5: no loss is finite, so there is no mean to show
    # the summary counts updates as the status does (each NaN-over-NaN step() one): 2, then 5
    dbg.click("epoch")
    assert message_blocks(dbg.message_html)[0] == ("Epoch 1: ran 2 batches, and step() updated the parameters 2 times. "
                                                   "Mean training loss over these batches: nan.")
    assert "parameter updates so far: 5 ·" in text_of(dbg.status_html)
    set_language("he")
    dbg.click("epoch")
    assert message_blocks(dbg.message_html)[0] == ("אפוק 2: רצו 5 אצוות, ו־step() עדכן את הפרמטרים 5 פעמים. "
                                                   "הפסד האימון הממוצע על האצוות האלה: nan.")
    assert "עדכוני פרמטרים עד כה: 10 ·" in text_of(dbg.status_html)


def test_next_step_follows_the_lesson_order_and_takes_new_batches():
    _, dbg = widgets.step_debugger()
    assert dbg.buttons["next"].description == t("widgets.dbg.button.next_named", step=t("step.forward"))
    ran = [dbg.click("next")[0].step for _ in range(5)]
    assert ran == list(STEPS)
    assert dbg.batch_index == 0
    (rec,) = dbg.click("next")
    assert rec.step == "forward" and dbg.batch_index == 1
    assert shown(t("widgets.dbg.new_batch", batch=2, batches=5, epoch=1, size=32), dbg.message_html)
    # after a click out of order, "next" continues from the step clicked
    dbg.click("backward")
    assert dbg.next_step == "step"


def test_run_batch_runs_the_five_steps(data):
    _, dbg = widgets.step_debugger()
    recs = dbg.click("batch")
    assert [r.step for r in recs] == list(STEPS) and all(r.ok for r in recs)
    for r in recs:
        assert shown(r.message, dbg.message_html)
    assert dbg.updates == 1
    loss = batch_losses(data)[0]
    assert message_blocks(dbg.message_html) == [
        "One batch: the steps ran in order on batch 1 of 5 (epoch 1, 32 samples).",
        "1. forward pass: Computed the prediction y_hat for 32 samples. No parameter changed.",
        f"2. loss: MSE = {loss:.4f}. No parameter changed.",
        "3. clear gradients (zero_grad): Every .grad is now None (set_to_none=True, PyTorch's default). "
        "No parameter changed.",
        "4. backpropagation (backward): Computed dL/dW and dL/db for all 6 parameter tensors (stored in .grad). "
        "No parameter changed.",
        "5. parameter update (step): W <- W - lr * dL/dW changed 6 parameter tensors. "
        "This is the only step that changes weights and biases."]
    assert message_items(dbg.message_html) == [("ok", s, "") for s in STEPS]


def test_run_epoch_equals_fit_with_dataloader(data):
    """One epoch in the debugger is exactly one epoch of fit(): same batches, same arithmetic."""
    _, dbg = widgets.step_debugger(lr=LR)
    recs = dbg.click("epoch")
    assert len(recs) == 25 and dbg.updates == 5 and dbg.epoch == 1
    model = make_model(0)
    hist = fit(model, data, optimizer="sgd", lr=LR, epochs=1, progress=False)
    for (k, p), q in zip(dbg.model.named_parameters(), model.parameters(), strict=True):
        assert torch.equal(p.detach(), q.detach()), k
    assert shown(t("widgets.dbg.epoch_done", epoch=1, batches=5, updates=5, loss=hist.train_loss[0]),
                 dbg.message_html)
    # the next epoch click runs the whole of epoch 2
    dbg.click("epoch")
    assert dbg.epoch == 2 and dbg.updates == 10


def test_skip_zero_grad_accumulates_gradients():
    _, dbg = widgets.step_debugger()
    dbg.skip_toggle.value = True
    assert shown(t("widgets.dbg.skip_on"), dbg.message_html)
    recs = dbg.click("batch")
    assert [r.step for r in recs] == ["forward", "loss", "backward", "step"]
    g1 = {k: v.grad.clone() for k, v in dbg.model.named_parameters()}
    state = {k: v.detach().clone() for k, v in dbg.model.state_dict().items()}
    recs = dbg.click("batch")
    assert recs[2].step == "backward" and recs[2].problem == "backward_accumulated"
    # this batch's own gradient, computed separately at the weights the batch started from
    fresh = make_model(0)
    fresh.load_state_dict(state)
    nn.MSELoss()(fresh(dbg.stepper.xb), dbg.stepper.yb).backward()
    for (k, p), q in zip(dbg.model.named_parameters(), fresh.parameters(), strict=True):
        assert torch.allclose(p.grad, g1[k] + q.grad, rtol=1e-6, atol=1e-6), k
    assert shown(t("widgets.dbg.skipped_zero_grad"), dbg.message_html)
    assert shown(t("stepper.did.backward_accumulated", count=2), dbg.message_html)
    # "next" skips zero_grad too
    assert dbg.click("next")[0].step == "forward"
    dbg.click("next")
    assert dbg.next_step == "backward"


def test_learning_rate_x100_breaks_training_and_is_explained():
    _, dbg = widgets.step_debugger(lr=LR)
    dbg.lr_x100.value = True
    assert dbg.optimizer.param_groups[0]["lr"] == pytest.approx(100 * LR)
    assert shown(t("widgets.dbg.lr_x100_on", lr=100 * LR), dbg.message_html)
    recs = dbg.click("epoch")                      # must not raise
    assert not all(np.isfinite(r.loss) for r in recs if r.loss is not None)
    assert shown(dbg.divergence_text(), dbg.message_html)
    assert "<img" in dbg.plot_html.value
    dbg.lr_x100.value = False
    assert dbg.optimizer.param_groups[0]["lr"] == pytest.approx(LR)


def test_debugger_uses_the_one_definition_of_divergence():
    """A finite loss far above the untrained net's loss is divergence too (fit()'s rule), not only inf/NaN."""
    _, dbg = widgets.step_debugger(lr=LR)
    assert dbg.reference_loss == pytest.approx(lessonlib.train.untrained_loss(make_model(0), make_line_data(0)))
    dbg.click("forward")
    with torch.no_grad():                           # weights blown up by hand: a huge but finite loss
        for p in dbg.model.parameters():
            p.mul_(40.0)
    dbg.click("forward")
    recs = dbg.click("loss")
    loss = recs[-1].loss
    assert math.isfinite(loss) and loss > DIVERGENCE_FACTOR * dbg.reference_loss
    assert shown(dbg.divergence_text(), dbg.message_html)
    dbg.reset()
    dbg.click("forward")
    dbg.click("loss")                               # an ordinary loss: no warning
    assert 'class="problem"' not in dbg.message_html.value


@pytest.mark.parametrize("lang", ["en", "he"])
def test_run_epoch_warns_of_a_loss_that_diverged_even_if_the_epoch_ends_well(lang, data):
    """fit() would stop at a diverged batch: the epoch's summary says so, although the last loss is fine.

    By hand, a net whose hidden units are all off predicts its output bias, set far off (10^4): batch 1's
    loss is far above 1000 x the untrained loss, yet finite and in order (no step is a problem). With lr 0.5
    step() moves only that bias, to batch 1's mean target, and the other batches' losses are ordinary."""
    set_language(lang)
    dbg = widgets.StepDebugger(lr=0.5)
    reference = lessonlib.train.untrained_loss(make_model(0), data)
    with torch.no_grad():
        for name in ("0.weight", "2.weight"):
            param(dbg, name).zero_()
        for name in ("0.bias", "2.bias"):
            param(dbg, name).fill_(-1.0)
        param(dbg, "4.bias").fill_(1e4)
    recs = dbg.click("epoch")
    losses = [r.loss for r in recs if r.step == "loss"]
    assert all(r.problem is None for r in recs) and len(losses) == 5
    assert losses[0] > DIVERGENCE_FACTOR * reference and max(losses[1:]) < 10 * reference
    *_, warning = message_blocks(dbg.message_html)
    assert warning == {
        "en": f"⚠️ Training diverged: a loss is inf or NaN, or above 1000 times the untrained network's training "
              f"loss ({reference:.4g}). The steps were too large. Turn off “Break it: learning rate x100” and "
              f"click “Start over”.",
        "he": f"⚠️ האימון התבדר: הפסד הוא inf או NaN, או גדול פי יותר מ־1000 מהפסד האימון של הרשת הלא "
              f"מאומנת ({reference:.4g}). הצעדים היו גדולים מדי. כבו את „שבירה: קצב למידה פי 100” ולחצו על "
              f"„התחלה מחדש”."}[lang]


def test_layer_dropdown_shows_compact_views():
    _, dbg = widgets.step_debugger()
    assert [v for _, v in dbg.layer_dropdown.options] == ["0", "2", "4"]
    dbg.layer_dropdown.value = "2"
    c = cells(dbg.table_html.value)
    assert "2.weight[15,3]" in c and "2.weight[0,4]" not in c and "2.bias[15]" in c
    assert len([k for k in c if k.startswith("2.weight[")]) == 16 * 4
    assert shown(t("widgets.dbg.table_compact", cols=4, total=16), dbg.table_html)
    dbg.layer_dropdown.value = "4"
    c = cells(dbg.table_html.value)
    assert "4.weight[0,15]" in c and "4.bias[0]" in c and "4.weight.grad[0,15]" in c
    assert shown(t("widgets.dbg.table_transposed"), dbg.table_html)
    # switching layers keeps showing what the last click changed
    for name in ("forward", "loss", "backward"):
        dbg.click(name)
    dbg.layer_dropdown.value = "2"
    assert "changed" in cells(dbg.table_html.value)["2.weight.grad[0,0]"][1]


def test_reset_starts_over():
    """Not the default seed and width: reset rebuilds with the debugger's own, and goes on as a fresh one."""
    dbg, fresh = widgets.StepDebugger(seed=3, hidden=8), widgets.StepDebugger(seed=3, hidden=8)
    dbg.click("epoch")
    dbg.click("forward")
    dbg.click("reset")
    for (k, p), q in zip(dbg.model.named_parameters(), make_model(3, hidden=8).parameters(), strict=True):
        assert torch.equal(p.detach(), q.detach()), k
    assert dbg.records == dbg.last_records == [] and dbg.updates == 0 and (dbg.epoch, dbg.batch_index) == (1, 0)
    # the first batch is the original script's with this seed and width (its DataLoader, after building the net)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(3)
        nn.Sequential(nn.Linear(1, 8), nn.ReLU(), nn.Linear(8, 8), nn.ReLU(), nn.Linear(8, 1))
        data = make_line_data(seed=3)
        xb, yb = next(iter(DataLoader(TensorDataset(torch.from_numpy(data.x_train), torch.from_numpy(data.y_train)),
                                      batch_size=32, shuffle=True)))
    assert torch.equal(dbg.stepper.xb, xb) and torch.equal(dbg.stepper.yb, yb)
    assert loss_shown(dbg) == ("", "—")
    assert cells(dbg.table_html.value)["0.weight.grad[0,0]"][0] == "None"
    assert shown(t("widgets.dbg.reset_done", seed=3), dbg.message_html)
    for name in STEPS:                 # the next five steps are a fresh debugger's, weight for weight
        dbg.click(name)
        fresh.click(name)
    for (k, p), (_, q) in zip(dbg.model.named_parameters(), fresh.model.named_parameters(), strict=True):
        assert torch.equal(p.detach(), q.detach()), k
    # "Start over" redraws the plot even when no parameter moved back: it then reads as a fresh
    # debugger's, in the language of the moment
    dbg.click("reset")
    set_language("he")
    redraws = dbg.redraws
    dbg.click("reset")
    assert dbg.redraws == redraws + 1 and 'alt="עדכוני פרמטרים עד כה: 0"' in dbg.plot_html.value


def test_hebrew_labels_and_right_to_left_messages():
    set_language("he")
    _, dbg = widgets.step_debugger()
    assert dbg.buttons["forward"].description == bidi.plain(t("step.forward", lang="he"))
    assert dbg.buttons["reset"].description == t("widgets.dbg.button.reset", lang="he")
    assert dbg.message_html.value.startswith('<div dir="rtl"')
    dbg.click("forward")
    msg = dbg.message_html.value
    assert "מעבר קדימה" in msg and "<bdi dir='ltr'>y_hat</bdi>" in msg and "<bdi dir='ltr'>32</bdi>" in msg
    dbg.click("step")
    assert "<bdi dir='ltr'>step()</bdi>" in dbg.message_html.value
    assert '<div class="lessonlib-table-scroll" dir="ltr"' in dbg.table_html.value   # the grid reads left to right


# ---- RTL helper -----------------------------------------------------------------------------------

def test_prose_html_isolates_code_and_numbers_in_hebrew():
    set_language("he")
    assert widgets.prose_html("הריצו zero_grad() עכשיו") == "הריצו <bdi dir='ltr'>zero_grad()</bdi> עכשיו"
    # two numbers around prose punctuation stay two runs; a bracket of the sentence stays outside
    assert widgets.prose_html("אצווה 1 מתוך 5 (32 דוגמאות)") == \
        "אצווה <bdi dir='ltr'>1</bdi> מתוך <bdi dir='ltr'>5</bdi> (<bdi dir='ltr'>32</bdi> דוגמאות)"
    assert widgets.prose_html("קצב 0.01, 300 אפוקים") == "קצב <bdi dir='ltr'>0.01</bdi>, <bdi dir='ltr'>300</bdi> אפוקים"
    assert widgets.prose_html("הטיה בצורה (16,), וגם") == "הטיה בצורה <bdi dir='ltr'>(16,)</bdi>, וגם"
    assert widgets.prose_html("בטווח [-10, 10] בלבד") == "בטווח <bdi dir='ltr' style='white-space: nowrap'>[-10, 10]</bdi> בלבד"
    assert widgets.prose_html("העדכון W <- W - lr * g שינה") == "העדכון <bdi dir='ltr' style='white-space: nowrap'>W &lt;- W - lr * g</bdi> שינה"
    set_language("en")
    assert widgets.prose_html("run zero_grad() & x < 1") == "run zero_grad() &amp; x &lt; 1"


# ---- 2. optimizer explorer ---------------------------------------------------------------------------

def test_explorer_controls():
    ui, ctl = widgets.optimizer_explorer()
    assert isinstance(ctl.lr_slider, w.FloatLogSlider) and ctl.lr_slider.continuous_update is False
    assert isinstance(ctl.epochs_slider, w.IntSlider) and ctl.epochs_slider.continuous_update is False
    assert [v for _, v in ctl.optimizer_dropdown.options] == list(OPTIMIZERS)
    assert ctl.history.optimizer == "adam" and len(ctl.history.train_loss) == 300
    assert ctl.history.final_train_loss < 1e-2, "the lesson's settings learn y = 2x + 1"
    assert "<img" in ctl.plot_html.value


def test_explorer_follows_fit(data):
    """The explorer re-trains with NumPy in fit()'s batch order: the same losses as fit() (float32 there)."""
    _, ctl = widgets.optimizer_explorer(epochs=5)
    hist = fit(make_model(0), data, epochs=5, progress=False)
    np.testing.assert_allclose(ctl.history.train_loss, hist.train_loss, rtol=1e-5)
    np.testing.assert_allclose(ctl.history.val_loss, hist.val_loss, rtol=1e-5)


def test_explorer_retrains_when_a_control_changes(data):
    _, ctl = widgets.optimizer_explorer(epochs=20)
    img = ctl.plot_html.value
    ctl.optimizer_dropdown.value = "sgd"
    ctl.lr_slider.value = 10 ** -2.3                   # a slider position (about 0.005)
    assert ctl.history.optimizer == "sgd" and ctl.history.lr == pytest.approx(10 ** -2.3)
    assert ctl.plot_html.value != img
    want = fit(make_model(0), data, optimizer="sgd", lr=ctl.history.lr, epochs=20, progress=False, fast=True)
    if not same_as_reference():
        # another CPU's float32 last bits (tools/arithmetic.py): the explorer shows the recording machine's
        # fit(), the grid; tests/test_explorer_truth.py compares that with this machine's fit()
        want = explorer_grid.lookup("sgd", ctl.history.lr, 20)
    assert ctl.history.train_loss == want.train_loss      # fit()'s own numbers (lessonlib.explorer_grid)
    assert shown(t("widgets.opt.summary", optimizer="SGD", lr=ctl.history.lr, epochs=20, steps=100,
                   train=want.train_loss[-1], val=want.val_loss[-1]), ctl.summary_html)
    ctl.epochs_slider.value = 7
    assert len(ctl.history.train_loss) == 7


@pytest.mark.parametrize("lr", [0.1, 10 ** 0.5])
def test_explorer_divergence_is_explained_not_raised(lr):
    _, ctl = widgets.optimizer_explorer(optimizer="sgd", epochs=50)
    ctl.lr_slider.value = lr
    hist = ctl.history
    assert hist.diverged and hist.diverged_at == 1
    assert shown(hist.divergence_message(), ctl.message_html)
    assert shown(t("widgets.opt.diverged_hint"), ctl.message_html)
    assert "<img" in ctl.plot_html.value
    ctl.lr_slider.value = 0.001                    # and it recovers
    assert not ctl.history.diverged and not shown(hist.divergence_message(), ctl.message_html)


# ---- 3. loss landscape -----------------------------------------------------------------------------

def value_of(widget, name):
    m = re.search(rf'data-name="{re.escape(name)}" data-value="([^"]*)"', widget.value)
    assert m, name
    return float(m.group(1))


def test_landscape_gradient_matches_autograd(data):
    _, ctl = widgets.landscape_explorer(w0=0.5, b0=-2.0)
    x = torch.from_numpy(data.x_train.astype(np.float64)).reshape(-1)
    y = torch.from_numpy(data.y_train.astype(np.float64)).reshape(-1)
    wt = torch.tensor(0.5, dtype=torch.float64, requires_grad=True)
    bt = torch.tensor(-2.0, dtype=torch.float64, requires_grad=True)
    loss = ((wt * x + bt - y) ** 2).mean()
    loss.backward()
    gw, gb = ctl.gradient()
    assert gw == pytest.approx(wt.grad.item(), rel=1e-12) and gb == pytest.approx(bt.grad.item(), rel=1e-12)
    assert value_of(ctl.values_html, "dL/dw") == pytest.approx(gw, rel=1e-5)
    assert value_of(ctl.values_html, "dL/db") == pytest.approx(gb, rel=1e-5)
    assert value_of(ctl.values_html, "MSE") == pytest.approx(loss.item(), rel=1e-5)
    ctl.w_slider.value = 2.0
    ctl.b_slider.value = 1.0                        # the minimum: no gradient (up to the float32 data's rounding)
    assert ctl.gradient() == pytest.approx((0.0, 0.0), abs=1e-6)
    assert value_of(ctl.values_html, "MSE") == pytest.approx(0.0, abs=1e-12)


def test_landscape_descent_path(data):
    _, ctl = widgets.landscape_explorer(w0=0.0, b0=-3.0, lr=0.01, steps=20)
    path = ctl.path
    assert path.shape == (21, 2) and tuple(path[0]) == (0.0, -3.0)
    gw, gb = ctl.gradient()
    assert tuple(path[1]) == pytest.approx((0.0 - 0.01 * gw, -3.0 - 0.01 * gb))
    losses = [ctl.loss(*p) for p in path]
    assert all(b < a for a, b in zip(losses, losses[1:], strict=False)), "a small learning rate goes downhill every step"
    assert value_of(ctl.values_html, "end.w") == pytest.approx(path[-1][0], rel=1e-5)
    assert shown(t("widgets.land.converging", start=losses[0], end=losses[-1]), ctl.message_html)
    ctl.steps_slider.value = 5
    assert len(ctl.path) == 6


def test_landscape_divergence_is_explained():
    _, ctl = widgets.landscape_explorer(lr=0.01, steps=100)
    img = ctl.plot_html.value
    ctl.lr_slider.value = 0.1                       # beyond 2 / (largest curvature): every step overshoots
    assert ctl.diverged_at is not None
    assert shown(t("widgets.land.diverged", lr=ctl.lr_slider.value, step=ctl.diverged_at, loss=ctl.path_losses[-1],
                   factor=DIVERGENCE_FACTOR, start=ctl.path_losses[0]), ctl.message_html)
    assert ctl.plot_html.value != img and "<img" in ctl.plot_html.value


# ---- 4. what the network learned ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def learned():
    """learned_explorer() trains the lesson's net itself (Adam, lr 0.01, 300 epochs)."""
    lang = get_language()
    set_language("en")
    ui, ctl = widgets.learned_explorer()
    set_language(lang)
    return ctl


def exact_second_layer_kinks(params, lo=-120.0, hi=120.0):
    """z2(x) is linear between first-layer kinks: solve each piece exactly (independent of the widget)."""
    W1, b1 = params["W1"].reshape(-1), params["b1"]
    knots = np.sort(np.concatenate([[lo, hi], [k for k in -b1 / W1 if lo < k < hi]]))
    roots = []
    for a, b in zip(knots[:-1], knots[1:], strict=False):
        za, zb = (manual.forward(params, np.array([[v]]))["z2"][0] for v in (a, b))
        for u in np.nonzero(za * zb < 0)[0]:
            roots.append(a - za[u] * (b - a) / (zb[u] - za[u]))
    return np.sort(roots)


def test_learned_first_layer_kinks(learned):
    W1 = learned.model[0].weight.detach().double().numpy().reshape(-1)
    b1 = learned.model[0].bias.detach().double().numpy()
    np.testing.assert_allclose(learned.kinks1, np.sort(-b1 / W1), rtol=1e-12)
    z1 = manual.forward(learned.params, learned.kinks1.reshape(-1, 1))["z1"]
    assert np.all(np.min(np.abs(z1), axis=1) < 1e-9), "at each kink some first-layer unit's input is 0"


def test_learned_second_layer_kinks(learned):
    np.testing.assert_allclose(learned.kinks2, exact_second_layer_kinks(learned.params), rtol=0, atol=1e-6)
    z2 = manual.forward(learned.params, learned.kinks2.reshape(-1, 1))["z2"]
    assert np.all(np.min(np.abs(z2), axis=1) < 1e-6)


def test_learned_extrapolation_table(learned):
    for x, true in ((12.0, 25.0), (100.0, 201.0)):
        pred = lessonlib.predict(learned.model, x)
        assert value_of(learned.table_html, f"pred[{x:g}]") == pytest.approx(pred, rel=1e-5)
        assert value_of(learned.table_html, f"true[{x:g}]") == true
        assert value_of(learned.table_html, f"err[{x:g}]") == pytest.approx(abs(pred - true), rel=1e-3, abs=1e-5)
    assert abs(lessonlib.predict(learned.model, 12.0) - 25.0) < 1.0, "it learned y = 2x + 1 (nearly)"


def test_learned_table_text_and_percent_error_are_computed_independently(learned):
    """The extrapolation table as read: each prediction is the trained net's own output (torch, float64 copy),
    the truth 2x + 1 written out, the error |pred - true| and the % error |pred - true| / |true| * 100."""
    net = copy.deepcopy(learned.model).double()
    header, *rows = cells_in_row_order(learned.table_html.value)
    assert header == ["x", "prediction", "true value (2x + 1)", "error", "% error"]
    assert [r[0] for r in rows] == ["12", "100"]
    for row, (x, true) in zip(rows, ((12.0, 25.0), (100.0, 201.0)), strict=True):
        with torch.no_grad():
            pred = float(net(torch.tensor([[x]], dtype=torch.float64)))
        x_text, pred_text, true_text, err_text, pct_text = row
        assert true_text == f"{true:.4f}" and re.fullmatch(r"-?\d+\.\d{4}", pred_text), row
        assert abs(float(pred_text) - pred) <= 0.5e-4 + 1e-9, (pred_text, pred)
        assert abs(float(err_text) - abs(pred - true)) <= 0.5e-4 + 1e-9, (err_text, abs(pred - true))
        assert re.fullmatch(r"\d+\.\d\d%", pct_text), pct_text
        assert abs(float(pct_text[:-1]) - abs(pred - true) / abs(true) * 100) <= 0.005 + 1e-9, (pct_text, pred)


def test_learned_slopes_shown_are_the_nets_slopes_far_out(learned):
    """Far past every kink the trained net is a straight line: its slope there, by finite differences of the
    net itself (torch, float64), is what the sentence prints, large x first, then very negative x."""
    net = copy.deepcopy(learned.model).double()

    def f(x):
        with torch.no_grad():
            return float(net(torch.tensor([[x]], dtype=torch.float64)))

    right, left = f(1001.0) - f(1000.0), f(-1000.0) - f(-1001.0)
    assert (f(3000.0) - f(2000.0)) / 1000 == pytest.approx(right, rel=1e-9), "not yet straight at x = 1000"
    assert (f(-2000.0) - f(-3000.0)) / 1000 == pytest.approx(left, rel=1e-9)
    assert abs(right - left) > 1e-3, "the two slopes differ: a swap would show"
    for r in (15, 110):
        learned.range_slider.value = r
        m = re.search(r"straight line: slope (-?\d+\.\d{4}) for large x and (-?\d+\.\d{4}) for very negative x "
                      r"\(the truth: 2\)\.", text_of(learned.message_html))
        assert m, text_of(learned.message_html)
        assert abs(float(m.group(1)) - right) <= 0.5e-4 + 1e-9, (m.group(1), right)
        assert abs(float(m.group(2)) - left) <= 0.5e-4 + 1e-9, (m.group(2), left)


def test_learned_range_slider(learned):
    learned.range_slider.value = 110
    n1, n2 = map(len, learned.visible_kinks())
    assert (n1, n2) == (len(learned.kinks1), len(learned.kinks2))
    assert shown(t("widgets.learned.kinks", n1=n1, n2=n2, r=110.0, total1=n1, total2=n2), learned.message_html)
    img = learned.plot_html.value
    learned.range_slider.value = 10
    k1, k2 = learned.visible_kinks()
    assert np.all(np.abs(k1) <= 10) and np.all(np.abs(k2) <= 10)
    assert len(k1) == int(np.sum(np.abs(learned.kinks1) <= 10))
    assert learned.plot_html.value != img


def test_learned_takes_a_given_model(learned):
    _, ctl = widgets.learned_explorer(model=learned.model)
    assert ctl.model is learned.model
    np.testing.assert_array_equal(ctl.kinks1, learned.kinks1)


@pytest.mark.parametrize("make", [widgets.step_debugger, widgets.optimizer_explorer,
                                  widgets.landscape_explorer, widgets.learned_explorer])
def test_hebrew_widgets_are_laid_out_right_to_left_and_english_ones_are_not(make):
    set_language("he")
    ui, _ = make()
    assert "lessonlib-rtl" in ui._dom_classes
    first = ui.children[0]
    assert "lessonlib-rtl-css" in first._dom_classes and "direction: rtl" in first.value
    set_language("en")
    ui, _ = make()
    assert "lessonlib-rtl" not in ui._dom_classes
    assert not any("lessonlib-rtl-css" in c._dom_classes for c in ui.children)
    assert "lessonlib-css" in ui.children[0]._dom_classes and "direction: rtl" not in ui.children[0].value


# ---- layout: one right-to-left whole in Hebrew, nothing clipped (issue 7) ------------------------------

def descendants(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from descendants(child)


def text_of(widget):
    """What an HTML widget reads as, tags (<bdi>, <p>) dropped."""
    return html.unescape(re.sub(r"<[^>]+>", "", widget.value))


def cells_in_row_order(table_html):
    """[[text of each th/td in a row], ...] of the first <table> in the HTML."""
    table = re.search(r"<table[^>]*>(.*?)</table>", table_html, re.S).group(1)
    return [[re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)]


@pytest.mark.parametrize("lang", ["en", "he"])
def test_wide_parameter_table_scrolls_inside_the_widget_index_and_weights_first(lang):
    """Layer "2" (16x16) is wider than half a page: it scrolls in its own box, which starts (left to right,
    scrollLeft 0) at the index column, then the weights; nothing is pushed outside the widget."""
    set_language(lang)
    ui, dbg = widgets.step_debugger(layer="2")
    value = dbg.table_html.value
    m = re.search(r'<div class="lessonlib-table-scroll" dir="ltr" style="([^"]*)"><table', value)
    assert m, "the table must sit in a left-to-right scroll box"
    assert "overflow-x: auto" in m.group(1) and "max-width: 100%" in m.group(1)
    header, *rows = cells_in_row_order(value[m.start():])
    assert header[:3] == ["i", "weight[i, 0]", "weight[i, 1]"] and header[5] == "bias[i]"
    assert header.index("bias[i]") < header.index("weight.grad[i, 0]"), "weights and bias before gradients"
    assert [r[0] for r in rows] == [str(i) for i in range(16)]
    # the box can be narrower than the table: the HTML widget and its column may shrink
    assert "lessonlib-table-html" in dbg.table_html._dom_classes
    css = ui.children[0].value
    assert re.search(r"\.lessonlib-table-html > \.widget-html-content[^{]*\{[^}]*min-width: 0", css)
    column = next(c for c in descendants(ui) if "lessonlib-table-column" in getattr(c, "_dom_classes", ()))
    assert dbg.table_html in column.children and column.layout.min_width == "0"
    columns = next(c for c in descendants(ui) if "lessonlib-columns" in getattr(c, "_dom_classes", ()))
    assert columns.layout.flex_flow == "row wrap", "the table goes under the plot where both do not fit"
    left = next(c for c in columns.children if c is not column)
    assert left.children == (dbg.loss_html, dbg.status_html, dbg.message_html, dbg.plot_html)
    assert left.layout.flex == f"1 1 {DEBUGGER_PLOT_COLUMN_PX}px", "the plot column grows from its width"
    assert column.layout.flex == "0 1 auto", "the table's column is as wide as the table, and may shrink"
    row_gap = next(c for c in descendants(ui) if "lessonlib-row" in getattr(c, "_dom_classes", ())).layout.grid_gap
    assert row_gap and columns.layout.grid_gap == row_gap, "the columns are as far apart as the controls"
    assert columns.layout.align_items == "flex-start", "each column starts at the top, neither stretched"
    if lang == "he":   # a table narrower than its box sits on the right, under its right-aligned caption
        assert 'margin-left: auto; margin-right: 0;' in value[m.start():]


@pytest.mark.parametrize("lang", ["en", "he"])
@pytest.mark.parametrize("make", [widgets.step_debugger, widgets.optimizer_explorer,
                                  widgets.landscape_explorer, widgets.learned_explorer])
def test_every_control_has_a_tooltip(make, lang):
    """Without a tooltip ipywidgets renders title="null" (the two "Break it" switches did)."""
    set_language(lang)
    ui, _ = make()
    controls = [c for c in descendants(ui) if getattr(c, "description", "")]
    assert controls
    for c in controls:
        tip = c.tooltip if c.has_trait("tooltip") else c.description_tooltip
        assert tip and tip != "null", f"{type(c).__name__} {c.description!r} has no tooltip"
    for c in descendants(ui):                       # texts and readouts too: None renders title="null"
        for name in ("tooltip", "description_tooltip"):
            if c.has_trait(name):
                assert getattr(c, name) is not None, f"{type(c).__name__} {c._dom_classes}: {name} is None"
    toggles = [c for c in controls if isinstance(c, w.ToggleButton)]
    assert all(c.tooltip != c.description for c in toggles), "a switch's tooltip says what it does"


def test_break_switches_explain_themselves():
    _, dbg = widgets.step_debugger()
    assert dbg.skip_toggle.tooltip == t("widgets.dbg.break.skip_zero_grad.tip")
    assert dbg.lr_x100.tooltip == t("widgets.dbg.break.lr_x100.tip")
    dbg.click("next")
    assert dbg.buttons["next"].tooltip == dbg.buttons["next"].description   # follows the step it runs
    # a lesson may lock the switches: that is no switching, and says nothing
    message = dbg.message_html.value
    dbg.skip_toggle.disabled = dbg.lr_x100.disabled = True
    assert dbg.message_html.value == message and dbg.optimizer.param_groups[0]["lr"] == LR


def test_hebrew_widgets_are_one_right_to_left_whole():
    """The frame itself is right to left (texts, plots and tables start on the right); a description's gap
    is on its left, towards its control; slider tracks and readouts stay left to right."""
    set_language("he")
    ui, _ = widgets.optimizer_explorer(epochs=5)
    css = ui.children[0].value
    rules = dict(re.findall(r"([^{}]+)\{([^}]*)\}", css.replace("<style>", "").replace("</style>", "")))
    rtl = [sel for sel, body in rules.items() if "direction: rtl" in body]
    assert rtl and re.search(r"(^|,)\s*\.lessonlib-rtl\s*(,|$)", rtl[0]), "the frame is right to left"
    assert any(".lessonlib-rtl .widget-inline-hbox .widget-label" in sel and "margin-left: 8px" in body
               and "margin-right: 0" in body for sel, body in rules.items())
    assert any(".lessonlib-rtl .slider-container" in sel and "direction: ltr" in body for sel, body in rules.items())
    for row in (c for c in descendants(ui) if "lessonlib-row" in getattr(c, "_dom_classes", ())):
        assert row.layout.flex_flow == "row wrap" and row.layout.grid_gap, "controls do not touch"


@pytest.mark.parametrize("lang", ["en", "he"])
def test_value_tables_have_padded_cells_under_their_headings(lang, learned):
    set_language(lang)
    _, land = widgets.landscape_explorer()
    for html_value in (learned.table_html.value, land.values_html.value):
        tds = re.findall(r"<td[^>]*>", html_value)
        assert tds and all("padding: 2px 10px" in td for td in tds), "cells need room: 189.8780100 ran together"
    _, ctl = widgets.learned_explorer(model=learned.model)   # built in `lang`
    for value in (ctl.table_html.value, land.values_html.value):
        box = re.search(r'<div class="lessonlib-table-scroll" dir="(\w+)"', value)
        assert box and box.group(1) == ("rtl" if lang == "he" else "ltr"), "the table starts where its heading does"
        numbers = re.findall(r'<td data-name="[^"]+" data-value="[^"]*" style="[^"]*">(.*?)</td>', value)
        assert numbers and all(n.startswith('<bdi dir="ltr">') for n in numbers), "-0.5 must not read 0.5-"


# ---- widget plots: text at least 10 px where shown -------------------------------------------------------

def png_bytes(img_tag: str) -> bytes:
    """The PNG inside a widget plot's <img> tag (lessonlib.widgets._common._img_tag)."""
    return base64.b64decode(re.search(r'src="data:image/png;base64,([^"]+)"', img_tag).group(1))


def png_width(img_tag):
    data = png_bytes(img_tag)
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">I", data[16:20])[0]


DEBUGGER_PLOT_COLUMN_PX = 420   # the debugger's plot column is at least this wide (flex-basis)


@pytest.mark.parametrize("lang", ["en", "he"])
def test_widget_plot_text_is_at_least_10px_where_shown(lang, learned):
    set_language(lang)
    _, dbg = widgets.step_debugger()
    _, opt = widgets.optimizer_explorer(epochs=5)
    _, land = widgets.landscape_explorer()
    _, lrn = widgets.learned_explorer(model=learned.model)
    for ctl, room in ((dbg, DEBUGGER_PLOT_COLUMN_PX), (opt, OUTPUT_WIDTH_PX), (land, OUTPUT_WIDTH_PX),
                      (lrn, OUTPUT_WIDTH_PX)):
        img = ctl.plot_html.value
        natural = png_width(img)
        css_width = int(re.search(r'width="(\d+)"', img).group(1))
        assert css_width == natural == round(ctl._fig.get_figwidth() * widgets.DPI)
        assert "max-width: 100%" in img
        px, text = smallest_text_px(ctl._fig, widgets.DPI, min(css_width, room))   # max-width: 100%
        assert px >= 10, f"{type(ctl).__name__}: {text!r} is drawn {px:.1f} px high"


@pytest.mark.parametrize("lang", ["en", "he"])
def test_debugger_plot_shows_the_data_the_truth_and_the_prediction(lang, data):
    """The training points (green), the truth y = 2x + 1 (black, dashed) and the current net's prediction
    (blue, wider) on x in [-10, 10], framed with a margin; a legend at the upper left, the count of
    updates as title; 400 x 264 px, one PNG pixel per CSS pixel in the 420 px column."""
    set_language(lang)
    _, dbg = widgets.step_debugger()
    for name in STEPS:
        dbg.click(name)
    ax = dbg._ax
    (points,) = ax.collections
    np.testing.assert_array_equal(points.get_offsets(), np.column_stack([data.x_train, data.y_train]))
    assert list(points.get_sizes()) == [8] and points.get_alpha() == 0.35
    assert to_hex(points.get_facecolor()[0], keep_alpha=False) == to_hex("tab:green")
    truth, pred = ax.get_lines()
    xs = np.linspace(-10, 10, 201)
    for line in (truth, pred):
        np.testing.assert_allclose(np.ravel(line.get_xdata()), xs, atol=1e-5)
    np.testing.assert_allclose(np.ravel(truth.get_ydata()), 2 * xs + 1, atol=1e-4)
    with torch.no_grad():
        want = dbg.model(torch.tensor(xs, dtype=torch.float32).reshape(-1, 1)).double().reshape(-1).numpy()
    np.testing.assert_allclose(np.asarray(pred.get_ydata(), dtype=float), want, rtol=1e-5, atol=1e-5)
    assert (truth.get_linestyle(), to_hex(truth.get_color()), truth.get_linewidth()) == ("--", "#000000", 1.5)
    assert (pred.get_linestyle(), to_hex(pred.get_color()), pred.get_linewidth()) == ("-", to_hex("tab:blue"), 2)
    assert ax.get_xlim() == (-10.5, 10.5) and ax.get_ylim() == (-25, 25)
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("x", "y")
    assert all(g.get_visible() for g in ax.xaxis.get_gridlines() + ax.yaxis.get_gridlines())
    legend = ax.get_legend()
    assert legend._loc == 2, "upper left"
    labels = {"en": ["training set", "truth: y = 2x + 1", "network's prediction"],
              "he": ["סט אימון", "האמת: y = 2x + 1", "החיזוי של הרשת"]}[lang]
    assert [text.get_text() for text in legend.get_texts()] == [lessonlib.plots.label(x) for x in labels]
    assert {text.get_fontsize() for text in legend.get_texts()} == {lessonlib.plots.SMALL_FONT}
    title = {"en": "Parameter updates so far: 1", "he": "עדכוני פרמטרים עד כה: 1"}[lang]
    assert ax.get_title() == lessonlib.plots.label(title) and f'alt="{title}"' in dbg.plot_html.value
    assert struct.unpack(">II", png_bytes(dbg.plot_html.value)[16:24]) == (400, 264)


@pytest.mark.parametrize("lang", ["en", "he"])
def test_widget_legends_put_markers_on_the_reading_side(lang, learned):
    """In Hebrew a legend's marker is on the right of its label (markerfirst=False), in English on the left."""
    set_language(lang)
    figs = [widgets.step_debugger()[1]._fig, widgets.optimizer_explorer(epochs=5)[1]._fig,
            widgets.landscape_explorer()[1]._fig, widgets.learned_explorer(model=learned.model)[1]._fig]
    for fig in figs:
        fig.canvas.draw()
        for ax in fig.axes:
            leg = ax.get_legend()
            if leg is None:
                continue
            assert_markers_on_reading_side(leg, fig.canvas.get_renderer(), lang)


# ---- readouts and runs agree with the texts (issue 7, item 8) --------------------------------------------

def test_landscape_lr_readout_prints_what_the_text_says():
    _, ctl = widgets.landscape_explorer()
    ctl.lr_slider.value = 10 ** -1.4
    assert ctl.lr_slider.readout is False, "the browser's readout would print 0.040"
    assert ctl.lr_readout.value == "0.0398"
    assert "0.0398" in ctl.values_html.value and shown(t("widgets.land.after_steps", steps=len(ctl.path) - 1,
                                                         lr=ctl.lr_slider.value), ctl.values_html)
    ctl.lr_slider.value = 0.01
    assert ctl.lr_readout.value == "0.01"


def test_optimizer_lr_readout_prints_what_the_summary_says():
    _, ctl = widgets.optimizer_explorer(epochs=3)
    for lr in (10 ** -2.2, 0.001, 10 ** 0.5):
        ctl.lr_slider.value = lr
        readout = ctl.lr_readout.value
        assert readout == format(ctl.lr, ".3g")
        if not ctl.history.diverged:
            assert f"{readout}," in text_of(ctl.summary_html)


@pytest.mark.parametrize("lang", ["en", "he"])
def test_run_epoch_after_a_batch_finished_by_hand_runs_only_the_rest(lang, data):
    set_language(lang)
    _, dbg = widgets.step_debugger(lr=LR)
    for name in STEPS:                       # batch 1 by hand
        dbg.click(name)
    recs = dbg.click("epoch")
    assert len(recs) == 4 * 5, "batches 2..5, not batch 1 of epoch 2 as well"
    assert (dbg.epoch, dbg.batch_index, dbg.updates) == (1, 4, 5)
    model = make_model(0)
    fit(model, data, optimizer="sgd", lr=LR, epochs=1, progress=False)
    for (k, p), q in zip(dbg.model.named_parameters(), model.parameters(), strict=True):
        assert torch.equal(p.detach(), q.detach()), k     # exactly one epoch of fit(), no batch more
    losses = [r.loss for r in recs if r.step == "loss"]
    assert t("widgets.dbg.epoch_done", epoch=1, batches=4, updates=4, loss=sum(losses) / 4) in text_of(dbg.message_html)
    # two batches by hand, then the epoch: three left
    dbg.click("reset")
    for _ in range(2):
        dbg.click("batch")
    assert len(dbg.click("epoch")) == 3 * 5 and (dbg.epoch, dbg.batch_index, dbg.updates) == (1, 4, 5)
    # the epoch is over: the next click runs all of epoch 2
    assert len(dbg.click("epoch")) == 5 * 5 and (dbg.epoch, dbg.batch_index, dbg.updates) == (2, 4, 10)
    # half a batch by hand (no step() yet): that batch is run again, in full
    dbg.click("reset")
    dbg.click("forward")
    dbg.click("loss")
    assert len(dbg.click("epoch")) == 5 * 5 and (dbg.epoch, dbg.batch_index, dbg.updates) == (1, 4, 5)
    # batch 1 finished, then forward twice: both on batch 2 (only step() finishes a batch), and the
    # epoch runs batches 2..5
    dbg.click("reset")
    dbg.click("batch")
    dbg.click("forward")
    assert dbg.batch_index == 1
    dbg.click("forward")
    assert dbg.batch_index == 1
    assert message_blocks(dbg.message_html) == [{
        "en": "1. forward pass: Computed the prediction y_hat for 32 samples. No parameter changed.",
        "he": "1. מעבר קדימה: המודל חישב את החיזוי y_hat עבור 32 דוגמאות. אף פרמטר לא השתנה."}[lang]]
    assert len(dbg.click("epoch")) == 4 * 5 and (dbg.epoch, dbg.batch_index, dbg.updates) == (1, 4, 5)
    mean = sum(batch_losses(data)[1:]) / 4
    assert message_blocks(dbg.message_html) == [{
        "en": f"Epoch 1: ran 4 batches, and step() updated the parameters 4 times. "
              f"Mean training loss over these batches: {mean:.4f}.",
        "he": f"אפוק 1: רצו 4 אצוות, ו־step() עדכן את הפרמטרים 4 פעמים. "
              f"הפסד האימון הממוצע על האצוות האלה: {mean:.4f}."}[lang]]


@pytest.mark.parametrize("lang", ["en", "he"])
def test_run_epoch_without_zero_grad_says_so_and_lists_each_problem_once(lang, data):
    """"Break it: skip zero_grad()" on, one epoch: backward() accumulates in batches 2..5; the summary
    says the switch is on, and lists that problem once (its first time: the sum of 2 backward passes)."""
    set_language(lang)
    dbg = widgets.StepDebugger(lr=LR)
    dbg.skip_toggle.value = True
    recs = dbg.click("epoch")
    assert [r.problem for r in recs if r.problem] == ["backward_accumulated"] * 4
    mean = sum(batch_losses(data, zero_grad=False)) / 5
    assert message_blocks(dbg.message_html) == {
        "en": [f"Epoch 1: ran 5 batches, and step() updated the parameters 5 times. "
               f"Mean training loss over these batches: {mean:.4f}.",
               "zero_grad() was skipped (the “Break it: skip zero_grad()” switch is on), so backward() adds to "
               "the gradients left from the previous batch.",
               "Along the way:",
               "⚠️ 4. backpropagation (backward): backward() again without zero_grad(): the new gradients were "
               "ADDED to the old ones (.grad is now the sum of 2 backward passes). No parameter changed."],
        "he": [f"אפוק 1: רצו 5 אצוות, ו־step() עדכן את הפרמטרים 5 פעמים. "
               f"הפסד האימון הממוצע על האצוות האלה: {mean:.4f}.",
               "דילגנו על zero_grad() (המתג „שבירה: דילוג על zero_grad” פועל), ולכן backward() מוסיף "
               "לגרדיאנטים שנשארו מהאצווה הקודמת.",
               "בדרך קרה גם זה:",
               "⚠️ 4. התפשטות לאחור (backward): backward() שוב בלי zero_grad(): הגרדיאנטים החדשים נוספו "
               "לישנים (\u200e.grad הוא עכשיו סכום של 2 מעברים אחורה). אף פרמטר לא השתנה."]}[lang]
    assert message_items(dbg.message_html) == [("problem", "backward", "backward_accumulated")]


@pytest.mark.parametrize("lang", ["en", "he"])
def test_a_step_that_moves_no_weight_is_no_update(lang):
    """lr 0: step() runs on real gradients but moves nothing, so the status and the epoch's summary
    count no parameter update; the batch is used all the same, and the epoch moves on to the next ones."""
    set_language(lang)
    dbg = widgets.StepDebugger(lr=0.0)
    for name in STEPS:
        dbg.click(name)
    rec = dbg.records[-1]
    assert rec.ok and rec.params_changed == [] and param(dbg, "0.weight").grad.abs().sum() > 0
    assert dbg.updates == 0
    assert {"en": "parameter updates so far: 0 ·", "he": "עדכוני פרמטרים עד כה: 0 ·"}[lang] in text_of(dbg.status_html)
    # the step() used batch 1 even though it moved nothing: "Run one epoch" goes on with batches 2-5
    dbg.click("epoch")
    assert dbg.updates == 0 and (dbg.epoch, dbg.batch_index) == (1, 4)
    assert message_blocks(dbg.message_html)[0].startswith(
        {"en": "Epoch 1: ran 4 batches, and step() updated the parameters 0 times. ",
         "he": "אפוק 1: רצו 4 אצוות, ו־step() עדכן את הפרמטרים 0 פעמים. "}[lang])
    dbg.click("epoch")
    assert (dbg.epoch, dbg.batch_index) == (2, 4) and dbg.updates == 0


@pytest.mark.parametrize("lang", ["en", "he"])
def test_an_error_in_a_click_is_shown_then_raised(lang):
    set_language(lang)
    dbg = widgets.StepDebugger()
    with pytest.raises(ValueError, match="^jump$"):
        dbg._on_click("jump")                  # no such button: any error inside a click goes this way
    assert message_blocks(dbg.message_html) == [{"en": "Something went wrong: ValueError: jump",
                                                 "he": "משהו השתבש: ValueError: jump"}[lang]]


def test_clicks_run_torch_on_one_thread():
    """As fit() does (train.intra_op_threads): 2-3x faster for this tiny net; the caller's setting comes back."""
    _, dbg = widgets.step_debugger()
    threads = []
    dbg.model.register_forward_hook(lambda *_: threads.append(torch.get_num_threads()))
    before = torch.get_num_threads()
    torch.set_num_threads(2)
    try:
        dbg.click("forward")
        assert threads == [1] and torch.get_num_threads() == 2
    finally:
        torch.set_num_threads(before)


@pytest.mark.parametrize("lang", ["en", "he"])
def test_an_unknown_layer_is_named(lang):
    set_language(lang)
    with pytest.raises(ValueError) as err:
        widgets.StepDebugger(layer="1")
    assert str(err.value) == {"en": "Unknown layer '1': expected one of ['0', '2', '4'].",
                              "he": "שכבה לא מוכרת '1': ציפיתי לאחת מ־['0', '2', '4']."}[lang]


def test_step_debugger_class_has_the_lessons_defaults(data):
    """StepDebugger (public, like step_debugger) defaults to the lesson's: the seed-0 net, plain SGD at
    lr 0.005, layer 0, batches of 32 in fit()'s order; data given to it is used."""
    dbg = widgets.StepDebugger()
    for (k, p), q in zip(dbg.model.named_parameters(), make_model(0).parameters(), strict=True):
        assert torch.equal(p.detach(), q.detach()), k
    assert type(dbg.optimizer) is torch.optim.SGD
    assert (dbg.optimizer.param_groups[0]["lr"], dbg.optimizer.param_groups[0]["momentum"]) == (0.005, 0)
    assert dbg.layer_dropdown.value == "0"
    xb, yb = dataloader_first_epoch(data)[0]
    assert torch.equal(dbg.stepper.xb, xb) and torch.equal(dbg.stepper.yb, yb)
    small = make_line_data(seed=0, n=100)       # 80 training points: batches of 32, 32 and 16
    dbg = widgets.StepDebugger(data=small)
    dbg.click("forward")
    assert set(dbg.stepper.xb.reshape(-1).tolist()) <= set(small.x_train.reshape(-1).tolist())
    assert text_of(dbg.status_html).startswith("Epoch 1, batch 1 of 3 (32 samples) · ")


# ---- plain strings in the browser: one bidi rule (issue 7, items 3 and 5) --------------------------------

def test_hebrew_plain_strings_keep_code_and_numbers_in_order():
    """Descriptions, options and tooltips reach the browser as plain text: their code, shapes and numbers
    are isolated left to right (U+2066...U+2069) in Hebrew, and left alone in English."""
    set_language("he")
    ui, dbg = widgets.step_debugger()
    labels = {o: v for o, v in dbg.layer_dropdown.options}
    assert f"{bidi.LRI}nn.Linear(16, 16){bidi.PDI}" in next(o for o, v in labels.items() if v == "2")
    assert f"{bidi.LRI}zero_grad{bidi.PDI}" in dbg.skip_toggle.description
    assert f"{bidi.LRI}.grad{bidi.PDI}" in dbg.skip_toggle.tooltip
    assert f"{bidi.LRI}100{bidi.PDI}" in dbg.lr_x100.description
    for c in descendants(ui):
        for name in ("description", "tooltip", "description_tooltip"):
            value = getattr(c, name, None) if c.has_trait(name) else None
            if value and bidi.has_hebrew(value):
                raw = value.replace(bidi.LRI, "").replace(bidi.PDI, "")
                assert value == bidi.plain(raw), f"{type(c).__name__}.{name} = {raw!r} without bidi.plain"
    _, ctl = widgets.learned_explorer(model=make_model(0))
    assert ctl.range_slider.description == bidi.plain(t("widgets.learned.range")) != t("widgets.learned.range")
    set_language("en")
    _, dbg = widgets.step_debugger()
    assert dbg.layer_dropdown.options[1][0] == "layer 2: nn.Linear(16, 16)" and bidi.LRI not in dbg.lr_x100.tooltip


def test_hebrew_table_caption_and_legend_read_in_order():
    """The caption and the Δ legend: "nn.Linear(1, 16)", "(1, 16)", "(16,)", ".grad" and "-lr * grad"
    each one left-to-right run (they were drawn broken apart or reversed)."""
    set_language("he")
    _, dbg = widgets.step_debugger()
    caption = dbg.table_html.value.split("<table")[0]
    runs = re.findall(r"<bdi dir='ltr'[^>]*>(.*?)</bdi>", caption)
    for run in ("nn.Linear(1, 16)", "(16, 1)", "(16,)", "-lr * grad"):
        assert html.escape(run) in runs, (run, runs)
    assert any(r.strip("()\u200e") == ".grad" for r in runs), runs


def test_step_debugger_passes_every_argument_on_and_shows_the_plot_at_once():
    """The notebooks' entry point: each argument reaches the debugger, and the plot is there before any click."""
    small = make_line_data(seed=0, n=100)
    ui, dbg = widgets.step_debugger(seed=3, lr=0.02, optimizer="adam", layer="2", batch_size=16, data=small)
    assert ui is dbg.ui and dbg.data is small and dbg.layer_dropdown.value == "2"
    for (k, p), q in zip(dbg.model.named_parameters(), make_model(3).parameters(), strict=True):
        assert torch.equal(p.detach(), q.detach()), k
    assert type(dbg.optimizer) is torch.optim.Adam and dbg.optimizer.param_groups[0]["lr"] == 0.02
    assert text_of(dbg.status_html).startswith("Epoch 1, batch 1 of 5 (16 samples) · learning rate 0.02 · ")
    assert dbg.redraws == 1 and dbg.plot_html.value.startswith('<img class="lessonlib-plot-img" ')
    dbg.click("batch")                            # a redraw after a step: the same image class for the page's CSS
    assert dbg.redraws == 2 and dbg.plot_html.value.startswith('<img class="lessonlib-plot-img" ')


def test_a_step_on_the_last_batchs_gradients_still_ends_the_batch():
    """forward on a new batch, then step() on the previous batch's gradients (flagged step_twice): the
    batch counts as used, as after any step(), so the next forward takes the one after it."""
    _, dbg = widgets.step_debugger()
    dbg.click("batch")
    dbg.click("forward")
    assert dbg.batch_index == 1
    (rec,) = dbg.click("step")
    assert rec.problem == "step_twice" and dbg.updates == 2
    dbg.click("forward")
    assert dbg.batch_index == 2
