"""fit, History and predict on the paths the lesson's defaults don't take, each against the
hand-written loop of tests/oracles.py or a literal: another width, another loss, an epoch count
that is not a multiple of ten, divergence seen only on the validation set, predict's shapes."""
import inspect
import io
import math

import numpy as np
import pytest
import torch
from torch import nn

from lessonlib import History, fit, make_line_data, make_model, predict
from lessonlib.text import t
from lessonlib.train import _progress_line, untrained_loss
from tests.oracles import lesson_net, line_xy, reference_fit


def test_the_lessons_settings_are_the_defaults():
    """The course page's numbers: 300 epochs, batch 32, seed 0, lr 0.01, progress shown, the
    DataLoader path, one thread."""
    p = inspect.signature(fit).parameters
    assert {k: p[k].default for k in ("epochs", "batch_size", "seed", "lr", "progress", "fast", "threads")} == \
        {"epochs": 300, "batch_size": 32, "seed": 0, "lr": 0.01, "progress": True, "fast": False, "threads": 1}


@pytest.mark.parametrize("fast", [True, False])
def test_another_width_shuffles_like_the_script_with_that_width(fast):
    """A net 1 -> 8 -> 8 -> 1: the script would build it from seed 0 and shuffle from the generator
    state after that net; fit must replay that state (rng_state_after_init(seed, 8))."""
    net, state = lesson_net(0, hidden=8)
    xy = line_xy(0)
    ref = reference_fit(net, torch.optim.SGD(net.parameters(), lr=0.01), xy, state, epochs=3)
    model = make_model(0, hidden=8)
    hist = fit(model, make_line_data(0), optimizer="sgd", lr=0.01, epochs=3, fast=fast, progress=False)
    assert hist.train_loss == ref.train and hist.val_loss == ref.val


def test_the_divergence_reference_uses_the_loss_it_trains_with():
    model = make_model(0)
    x, y, _, _ = make_line_data(0).tensors()
    with torch.no_grad():
        l1 = float(nn.functional.l1_loss(model(x), y))
    hist = fit(model, make_line_data(0), loss_fn=nn.L1Loss(), epochs=1, progress=False)
    assert hist.reference_loss == pytest.approx(l1, rel=1e-6) and hist.reference_loss != pytest.approx(
        untrained_loss(make_model(0), make_line_data(0)), rel=1e-3)


def test_progress_every_tenth_of_an_odd_epoch_count():
    """25 epochs: a line every 25 // 10 = 2 epochs, and the last one."""
    out = io.StringIO()
    fit(make_model(0), make_line_data(0), epochs=25, fast=True, out=out)
    epochs = [int(line.split("epoch")[1].split("/")[0]) for line in out.getvalue().splitlines()]
    assert epochs == [*range(2, 25, 2), 25]


def test_progress_is_shown_by_default(capsys):
    fit(make_model(0), make_line_data(0), epochs=1, fast=True)
    assert capsys.readouterr().out.count("epoch") == 1


def test_the_progress_bar_is_drawn_in_hashes_and_dashes():
    line = _progress_line(3, 10, 1.5, 2.5, width=10)
    assert line == "[###-------] " + t("train.progress", epoch=3, epochs=10, train=1.5, val=2.5)


def history(train, val, diverged_at, reference=2.0):
    return History(optimizer="sgd", lr=0.5, epochs=len(train), train_loss=train, val_loss=val,
                   diverged_at=diverged_at, reference_loss=reference)


def test_divergence_seen_on_the_validation_set_reports_that_loss():
    h = history([1.0, 3.0], [1.5, 5000.0], diverged_at=2)            # train 3 is fine, val 5000 is not
    assert h.divergence_message() == t("train.diverged", epoch=2, loss=5000.0, ratio=2500.0, factor=1000.0,
                                       reference=2.0, lr=0.5, optimizer="sgd")


def test_divergence_reports_the_epoch_it_happened_not_the_one_before():
    h = history([1.0, 4000.0, 9000.0], [1.0, 1.0, 1.0], diverged_at=2)
    assert h.divergence_message() == t("train.diverged", epoch=2, loss=4000.0, ratio=2000.0, factor=1000.0,
                                       reference=2.0, lr=0.5, optimizer="sgd")


def test_ratio_of_an_empty_history_is_nan_and_of_a_loss_is_its_multiple():
    assert math.isnan(history([], [], None).ratio())
    assert history([4.0], [1.0], None).ratio() == 2.0 and history([4.0], [1.0], None).ratio(10.0) == 5.0


def test_a_history_draws_its_own_summary():
    import html
    h = history([1.0], [2.0], None)
    from lessonlib.display import lines
    assert html.escape(lines(h)[0], quote=False) in h._repr_html_()


def test_predict_gives_a_number_for_a_number_and_a_column_for_many():
    model = make_model(0)
    with torch.no_grad():
        direct = model(torch.tensor([[2.0], [3.0]]))
        single = model(torch.tensor([[2.0]]))[0, 0].item()       # a batch of one rounds its own way
    one = predict(model, 2.0)
    assert isinstance(one, float) and one == single
    assert isinstance(predict(model, 2), float)
    many = predict(model, np.array([2.0, 3.0]))                    # float64 in: float32 net, column out
    assert many.dtype == torch.float32 and many.shape == (2, 1) and torch.equal(many, direct)
    assert predict(model, [[2.0], [3.0]]).shape == (2, 1)


class _ThreadsSeen(nn.Module):
    """An MSE loss that notes how many threads torch runs on while fit calls it."""
    def __init__(self):
        super().__init__()
        self.threads = set()

    def forward(self, y_hat, y):
        self.threads.add(torch.get_num_threads())
        return nn.functional.mse_loss(y_hat, y)


def test_by_default_fit_trains_300_epochs_on_one_thread_and_times_itself():
    loss = _ThreadsSeen()
    hist = fit(make_model(0), make_line_data(0, n=10), loss_fn=loss, fast=True, progress=False)
    assert len(hist.train_loss) == 300 and hist.epochs == 300
    assert loss.threads == {1}
    assert 0 < hist.seconds < 600


class _NotSequential(nn.Module):
    """A student's own module: fit cannot read a width from it, and shuffles as the lesson's net does."""
    def __init__(self):
        super().__init__()
        self.inner = make_model(0)

    def forward(self, x):
        return self.inner(x)


@pytest.mark.parametrize("model", [_NotSequential(), nn.Sequential(nn.Identity(), make_model(0))],
                         ids=["own-module", "sequential-not-linear-first"])
def test_a_model_without_a_readable_width_shuffles_like_the_lessons_net(model):
    net, state = lesson_net(0)                     # width 16: the lesson's generator state
    ref = reference_fit(net, torch.optim.SGD(net.parameters(), lr=0.01), line_xy(0), state, epochs=2)
    hist = fit(model, make_line_data(0), optimizer="sgd", lr=0.01, epochs=2, fast=True, progress=False)
    assert hist.train_loss == ref.train and hist.val_loss == ref.val
