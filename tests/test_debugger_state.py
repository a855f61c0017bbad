"""The step debugger's state across clicks: what reset brings back, and when the plot is redrawn.

Found by mutation testing (docs/mutation.md, widgets): the seed and width that reset rebuilds with,
and the NaN-aware "did a parameter move?" that decides a redraw, were not pinned by any test.
"""
from __future__ import annotations

import pytest
import torch

pytest.importorskip("ipywidgets")

from lessonlib.model import make_model  # noqa: E402
from lessonlib.widgets.debugger import StepDebugger  # noqa: E402

FIVE = ["forward", "loss", "zero_grad", "backward", "step"]


def redraws_per_click(dbg, names):
    out = []
    for name in names:
        before = dbg.redraws
        dbg.click(name)
        out.append(dbg.redraws - before)
    return out


def test_reset_brings_back_the_seeded_net_of_its_width_and_the_first_batch():
    dbg = StepDebugger(seed=3, hidden=8)
    fresh = StepDebugger(seed=3, hidden=8)
    for name in FIVE * 2 + ["epoch"]:
        dbg.click(name)
    dbg.click("reset")
    want = dict(make_model(3, hidden=8).named_parameters())       # the seed and width it was built with
    got = dict(dbg.model.named_parameters())
    assert list(got) == list(want)
    for k in want:
        assert torch.equal(got[k].detach(), want[k].detach()), f"{k} after reset is not make_model(3, hidden=8)'s"
    assert torch.equal(dbg.stepper.xb, fresh.stepper.xb) and torch.equal(dbg.stepper.yb, fresh.stepper.yb)
    assert (dbg.epoch, dbg.batch_index, dbg.updates, dbg.last_records, dbg.records) == (1, 0, 0, [], [])
    # and the next five steps do what a fresh debugger's do, weight for weight
    for name in FIVE:
        dbg.click(name)
        fresh.click(name)
    for (k, p), (_, q) in zip(dbg.model.named_parameters(), fresh.model.named_parameters(), strict=True):
        assert torch.equal(p.detach(), q.detach()), k


def test_the_plot_is_redrawn_when_weights_turn_nan_and_not_while_they_stay_nan():
    """lr 1e38: the first step sends weights to inf, the second to NaN (a change: redrawn); after that
    NaN stays NaN, which is no change (no redraw)."""
    dbg = StepDebugger(lr=1e38)
    redraws_per_click(dbg, FIVE)
    assert any(p.isinf().any() for p in dbg.model.parameters())
    assert redraws_per_click(dbg, FIVE) == [0, 0, 0, 0, 1]
    assert any(p.isnan().any() for p in dbg.model.parameters())
    assert redraws_per_click(dbg, FIVE) == [0, 0, 0, 0, 0]
