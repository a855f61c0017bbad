"""lessonlib.train: fit() is the original script's loop, number for number, and it learns."""
import io
import json
import math
import os
import pathlib
import re
import subprocess
import sys

import numpy as np
import pytest
import torch
from torch import nn

from lessonlib import History, fit, make_line_data, make_model, make_optimizer, predict
from lessonlib.text import t
from lessonlib.train import OPTIMIZERS
from tests.oracles import diverged as oracle_diverged
from tests.oracles import epoch_orders, lesson_net, line_xy, reference_fit, untrained_mse

ROOT = pathlib.Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "tests" / "reference" / "rb109_02_original.py"
OPTIMIZER_LINE = "optimizer = torch.optim.Adam(model.parameters(), lr=0.01)"


@pytest.fixture(scope="module")
def lesson_run():
    """The lesson's training (DataLoader path), done once for the module: (model, History)."""
    model = make_model(0)
    hist = fit(model, make_line_data(0), progress=False)
    return model, hist


def patched_script(dump_path: pathlib.Path) -> str:
    """The original script with its one missing line added and its histories dumped as JSON."""
    lines = SCRIPT.read_text(encoding="utf-8").splitlines()
    assert not any(line.startswith("optimizer =") for line in lines), "the reference script should lack its optimizer"
    hits = [i for i, line in enumerate(lines) if line.startswith("loss_fn = nn.MSELoss()")]
    assert len(hits) == 1, "expected exactly one `loss_fn = ...` line in the original script"
    lines.insert(hits[0] + 1, OPTIMIZER_LINE)
    lines += [
        "import json as _json",
        f"with open({str(dump_path)!r}, 'w') as _f:",
        "    _json.dump({'train': train_loss_hist, 'val': val_loss_hist, 'y_pred': y_pred,",
        "                'threads': torch.get_num_threads()}, _f)",
    ]
    return "\n".join(lines) + "\n"


@pytest.mark.slow
def test_fit_equals_the_original_script_exactly(tmp_path, lesson_run):
    dump = tmp_path / "hist.json"
    script = tmp_path / "rb109_02_fixed.py"
    script.write_text(patched_script(dump), encoding="utf-8")
    env = dict(os.environ, MPLBACKEND="Agg", OMP_NUM_THREADS=os.environ.get("OMP_NUM_THREADS", "1"))
    proc = subprocess.run([sys.executable, str(script)], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, f"the script failed:\n{proc.stderr[-3000:]}"
    assert "Train size: 160" in proc.stdout and "Val size: 40" in proc.stdout
    ref = json.loads(dump.read_text())
    assert len(ref["train"]) == len(ref["val"]) == 300

    model, hist = lesson_run
    assert isinstance(hist, History)
    assert len(hist.train_loss) == len(hist.val_loss) == 300
    # exact, not approximate: same batches, same arithmetic, same floats
    assert hist.train_loss == ref["train"]
    assert hist.val_loss == ref["val"]
    # the script's section 6 (x = 12) on the trained model
    assert predict(model, 12.0) == ref["y_pred"]
    assert f"Predicted y: {ref['y_pred']:.6f}" in proc.stdout


@pytest.mark.slow
def test_fast_path_equals_dataloader_path_exactly(lesson_run):
    _, hist = lesson_run
    fast = fit(make_model(0), make_line_data(0), progress=False, fast=True)
    assert fast.train_loss == hist.train_loss
    assert fast.val_loss == hist.val_loss


@pytest.mark.parametrize("seed,opt", [(1, "sgd"), (3, "momentum"), (2, "rmsprop")])
def test_fast_path_equals_dataloader_path_other_seeds(seed, opt):
    data = make_line_data(seed)
    a = fit(make_model(seed), data, optimizer=opt, lr=0.001, epochs=15, seed=seed, progress=False)
    b = fit(make_model(seed), data, optimizer=opt, lr=0.001, epochs=15, seed=seed, progress=False, fast=True)
    assert a.train_loss == b.train_loss and a.val_loss == b.val_loss
    # and the seed really changes the batch order
    c = fit(make_model(seed), data, optimizer=opt, lr=0.001, epochs=15, seed=seed + 10, progress=False, fast=True)
    assert c.train_loss != a.train_loss


def test_threads_setting_does_not_change_the_numbers():
    before = torch.get_num_threads()
    try:
        torch.set_num_threads(2)   # so that threads=None really trains on 2 threads
        a = fit(make_model(0), make_line_data(0), epochs=40, progress=False, threads=1)
        b = fit(make_model(0), make_line_data(0), epochs=40, progress=False, threads=None)
        assert torch.get_num_threads() == 2
    finally:
        torch.set_num_threads(before)
    assert a.train_loss == b.train_loss
    assert a.val_loss == b.val_loss


@pytest.mark.slow
def test_it_learns(lesson_run):
    model, hist = lesson_run
    assert hist.final_val_loss < 1e-3, f"got val MSE {hist.final_val_loss}, expected < 1e-3"
    assert hist.final_train_loss < 1e-3
    assert not hist.diverged
    assert hist.val_loss[0] > 100 * hist.final_val_loss     # it got much better
    pred = predict(model, 2)
    assert isinstance(pred, float)
    assert abs(pred - 5.0) / 5.0 < 0.005, f"got {pred} at x = 2, expected 5 within 0.5 %"
    # a batch in, a batch out
    xs = predict(model, [[-1.0], [0.0], [1.0]])
    assert isinstance(xs, torch.Tensor) and xs.shape == (3, 1)
    assert torch.allclose(xs.reshape(-1), torch.tensor([-1.0, 1.0, 3.0]), atol=0.05)


def test_predict_keeps_training_mode():
    model = make_model(0)
    model.train()
    predict(model, 1.0)
    assert model.training
    model.eval()
    predict(model, 1.0)
    assert not model.training


class _Observer(nn.MSELoss):
    """The usual MSE, noting the thread count it ran on and failing after `fail_after` calls."""

    def __init__(self, fail_after=None):
        super().__init__()
        self.threads, self.calls, self.fail_after = set(), 0, fail_after

    def forward(self, y_hat, y):
        self.calls += 1
        self.threads.add(torch.get_num_threads())
        if self.fail_after is not None and self.calls > self.fail_after:
            raise RuntimeError("stop here")
        return super().forward(y_hat, y)


def test_fit_restores_rng_and_threads():
    before_threads = torch.get_num_threads()
    try:
        torch.set_num_threads(2)
        torch.manual_seed(1234)
        rng = torch.get_rng_state()
        spy = _Observer()
        fit(make_model(0), make_line_data(0), epochs=3, progress=False, loss_fn=spy, threads=1)
        assert spy.threads == {1}, f"fit trained on {spy.threads} threads, expected 1"
        assert torch.get_num_threads() == 2
        assert torch.equal(torch.get_rng_state(), rng)
        # also when training stops with an exception
        with pytest.raises(RuntimeError, match="stop here"):
            fit(make_model(0), make_line_data(0), epochs=3, progress=False, loss_fn=_Observer(fail_after=2), threads=1)
        assert torch.get_num_threads() == 2
        assert torch.equal(torch.get_rng_state(), rng)
    finally:
        torch.set_num_threads(before_threads)


def test_fit_accepts_an_optimizer_object():
    model = make_model(0)
    opt = torch.optim.Adam(model.parameters(), lr=0.01)
    a = fit(model, make_line_data(0), optimizer=opt, epochs=5, progress=False)
    b = fit(make_model(0), make_line_data(0), optimizer="adam", lr=0.01, epochs=5, progress=False)
    assert a.optimizer == "Adam"
    assert a.train_loss == b.train_loss


def test_make_optimizer_names():
    params = list(make_model(0).parameters())
    sgd = make_optimizer("sgd", params, lr=0.1)
    assert type(sgd) is torch.optim.SGD and sgd.defaults["momentum"] == 0 and sgd.defaults["lr"] == 0.1
    mom = make_optimizer("momentum", params, lr=0.05)
    assert type(mom) is torch.optim.SGD and mom.defaults["momentum"] == 0.9 and mom.defaults["lr"] == 0.05
    rms = make_optimizer("rmsprop", params, lr=0.01)
    assert type(rms) is torch.optim.RMSprop and rms.defaults["lr"] == 0.01
    adam = make_optimizer("adam", params, lr=0.01)
    assert type(adam) is torch.optim.Adam and adam.defaults["lr"] == 0.01
    assert type(make_optimizer("Adam", params, lr=0.01)) is torch.optim.Adam
    assert set(OPTIMIZERS) == {"sgd", "momentum", "rmsprop", "adam"}


@pytest.mark.parametrize("lang", ["en", "he"])
def test_unknown_optimizer_message(language, lang):
    language(lang)
    params = list(make_model(0).parameters())
    with pytest.raises(ValueError) as err:
        make_optimizer("adamw", params, lr=0.01)
    msg = str(err.value)
    assert msg == t("train.unknown_optimizer", lang=lang, got="adamw", expected=list(OPTIMIZERS))
    assert "'adamw'" in msg
    for name in OPTIMIZERS:
        assert name in msg, f"the message should list {name!r}: {msg}"
    if lang == "he":
        assert "אופטימייזר" in msg
    else:
        assert "Unknown optimizer" in msg
    with pytest.raises(ValueError, match="adamw"):
        fit(make_model(0), make_line_data(0), optimizer="adamw", epochs=1, progress=False)


@pytest.mark.parametrize("lang", ["en", "he"])
def test_divergence_stops_and_explains(language, lang):
    """lr 1000: the loss is NaN in epoch 1; the message says so (not a multiple of the reference)."""
    language(lang)
    hist = fit(make_model(0), make_line_data(0), optimizer="sgd", lr=1000.0, epochs=300, progress=False, fast=True)
    assert hist.diverged
    assert hist.diverged_at is not None and 1 <= hist.diverged_at < 300
    assert len(hist.train_loss) == len(hist.val_loss) == hist.diverged_at, "training should stop at divergence"
    assert not (math.isfinite(hist.train_loss[-1]) and math.isfinite(hist.val_loss[-1]))
    msg = hist.divergence_message()
    assert msg, "a diverged run must explain itself"
    assert str(hist.diverged_at) in msg and "1000" in msg and "sgd" in msg
    assert msg == t("train.diverged_nonfinite", lang=lang, epoch=hist.diverged_at, loss=hist.train_loss[-1],
                    lr=1000.0, optimizer="sgd")
    if lang == "he":
        assert "התבדר" in msg


# ---- the one definition of divergence ------------------------------------------------------------

def test_diverged_is_non_finite_or_above_the_factor_times_the_reference():
    from lessonlib.train import DIVERGENCE_FACTOR, diverged
    ref = 130.0
    assert diverged(math.inf, ref) and diverged(-math.inf, ref) and diverged(math.nan, ref)
    assert diverged(DIVERGENCE_FACTOR * ref * 1.0001, ref)
    assert not diverged(DIVERGENCE_FACTOR * ref, ref)            # "above": the boundary itself is not
    assert not diverged(0.0, ref) and not diverged(ref, ref) and not diverged(2 * ref, ref)
    assert 100 <= DIVERGENCE_FACTOR <= 1e6


def test_reference_is_the_untrained_models_training_loss():
    from lessonlib.train import untrained_loss
    model, data = make_model(0), make_line_data(0)
    xt, yt, _, _ = data.tensors()
    with torch.no_grad():
        expected = nn.MSELoss()(model(xt), yt).item()
    assert untrained_loss(model, data) == expected
    hist = fit(model, data, epochs=2, progress=False, fast=True)
    assert hist.reference_loss == expected
    assert hist.ratio(hist.train_loss[0]) == hist.train_loss[0] / expected


@pytest.mark.parametrize("lang", ["en", "he"])
def test_sgd_lr_03_diverges_at_epoch_1_with_the_rule_in_the_message(language, lang):
    """Epoch 1's loss is ~5.3e28, finite: the old inf/NaN-only rule said epoch 2."""
    from lessonlib.train import DIVERGENCE_FACTOR
    language(lang)
    hist = fit(make_model(0), make_line_data(0), optimizer="sgd", lr=0.3, epochs=100, progress=False, fast=True)
    assert hist.diverged_at == 1
    assert len(hist.train_loss) == 1
    assert math.isfinite(hist.train_loss[0]) and 1e27 < hist.train_loss[0] < 1e30
    assert hist.train_loss[0] > DIVERGENCE_FACTOR * hist.reference_loss
    msg = hist.divergence_message()
    assert msg == t("train.diverged", lang=lang, epoch=1, loss=hist.train_loss[0], ratio=hist.ratio(),
                    factor=DIVERGENCE_FACTOR, reference=hist.reference_loss, lr=0.3, optimizer="sgd")
    assert "1000" in msg and "130.7" in msg


def test_stop_on_divergence_false_marks_the_epoch_and_trains_on():
    """Lesson 06: momentum at lr 0.01 blows up (>1e20), then sits at a dead net's ~128."""
    stop = fit(make_model(0), make_line_data(0), optimizer="momentum", lr=0.01, epochs=100, progress=False, fast=True)
    go = fit(make_model(0), make_line_data(0), optimizer="momentum", lr=0.01, epochs=100, progress=False, fast=True,
             stop_on_divergence=False)
    assert stop.diverged_at is not None and go.diverged_at == stop.diverged_at
    assert len(stop.train_loss) == stop.diverged_at and len(go.train_loss) == 100
    assert go.train_loss[:stop.diverged_at] == stop.train_loss
    assert max(go.train_loss) > 1e20 and 100 < go.final_val_loss < 200


def test_a_bad_but_finite_run_is_not_called_diverged():
    """Worse than the untrained net (e.g. a dying net) is not divergence: only a blow-up is."""
    hist = fit(make_model(0), make_line_data(0), optimizer="sgd", lr=0.0398, epochs=3, progress=False, fast=True)
    # epoch 1 spikes to ~1900x the untrained loss (diverged); a tenth of the lr only trains badly
    assert hist.diverged_at == 1
    slow = fit(make_model(0), make_line_data(0), optimizer="sgd", lr=0.00398, epochs=3, progress=False, fast=True)
    assert not slow.diverged


def test_no_divergence_no_message():
    hist = fit(make_model(0), make_line_data(0), epochs=3, progress=False, fast=True)
    assert not hist.diverged and hist.diverged_at is None
    assert hist.divergence_message() == ""
    assert hist.epochs == 3 and hist.lr == 0.01 and hist.optimizer == "adam"
    assert hist.seconds > 0


def test_progress_goes_to_out(capsys):
    out = io.StringIO()
    hist = fit(make_model(0), make_line_data(0), epochs=10, progress=True, out=out, fast=True)
    lines = out.getvalue().splitlines()
    assert len(lines) == 10
    for epoch, line in enumerate(lines, start=1):
        expected = t("train.progress", epoch=epoch, epochs=10,
                     train=hist.train_loss[epoch - 1], val=hist.val_loss[epoch - 1])
        assert line.endswith(expected), f"got {line!r}, expected it to end with {expected!r}"
    assert lines[-1].startswith("[" + "#" * 20 + "]")
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


def test_progress_every_tenth_and_default_stdout(capsys):
    fit(make_model(0), make_line_data(0), epochs=30, progress=True, fast=True)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 10
    assert "epoch 30/30" in lines[-1] and "epoch 3/30" in lines[0]


def test_progress_false_prints_nothing(capsys):
    out = io.StringIO()
    fit(make_model(0), make_line_data(0), epochs=5, progress=False, out=out)
    fit(make_model(0), make_line_data(0), epochs=5, progress=False)
    assert out.getvalue() == ""
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


def test_progress_in_hebrew(language):
    language("he")
    out = io.StringIO()
    fit(make_model(0), make_line_data(0), epochs=2, progress=True, out=out, fast=True)
    assert "אפוק 2/2" in out.getvalue()
    assert "הפסד ולידציה" in out.getvalue()


@pytest.mark.parametrize("lang", ["en", "he"])
def test_exercise_08_diverged_epoch_follows_the_definition(language, lang):
    """The answer is fit's epoch 1 (was 2, an inf/NaN-only artifact); wrong answers get a diagnosis, not the answer."""
    from lessonlib.exercises import EXERCISES
    from lessonlib.train import DIVERGENCE_FACTOR
    language(lang)
    check = EXERCISES["08.diverged_epoch"]
    assert check(1).ok
    old = check(2)                                   # the old inf/NaN-only answer
    assert not old.ok and old.status == "wrong"
    assert old.message == t("ex.08.diverged.too_late", got="2", factor=DIVERGENCE_FACTOR)
    for bad in (5, 100):       # any epoch after the stop: the same diagnosis, and not the answer
        r = check(bad)
        assert r.mistake == "ex.08.diverged.too_late"
        assert r.message == t("ex.08.diverged.too_late", got=f"{bad}", factor=DIVERGENCE_FACTOR)
        assert not re.search(r"(?<![\d.])1(?![\d.])", r.message.replace("1000", "")), r.message
    assert check(0).message == t("ex.08.diverged.not_epoch", got="0")
    assert check(1.5).message == t("ex.08.diverged.not_epoch", got="1.5")
    assert check("one").status == "invalid" and check(...).status == "unanswered"


# ---- issue 16: History.lr with an optimizer object; unequal batches ------------------------------

def test_history_records_the_learning_rate_of_an_optimizer_object(language):
    """fit(optimizer=SGD(lr=5)) used to record fit's default lr 0.01, and blame it for the divergence."""
    model = make_model()
    hist = fit(model, make_line_data(), optimizer=torch.optim.SGD(model.parameters(), lr=5.0), epochs=5,
               fast=True, progress=False)
    assert hist.lr == 5.0 and hist.optimizer == "SGD"
    assert hist.diverged and "5" in hist.divergence_message() and "0.01" not in hist.divergence_message()
    language("he")
    assert "0.01" not in hist.divergence_message()


def test_epoch_loss_weights_every_batch_by_its_real_size():
    """160 points in batches of 48 (48, 48, 48, 16). With lr = 0 nothing moves, so the epoch's training
    loss must be the plain MSE over all 160 points: weighting the last batch as if it held 48 would not be."""
    data = make_line_data()
    model = make_model()
    x, y = data.tensors()[:2]
    with torch.no_grad():
        truth = float(((model(x) - y) ** 2).mean())
    for fast in (True, False):
        hist = fit(model, data, optimizer=torch.optim.SGD(model.parameters(), lr=0.0), epochs=1, batch_size=48,
                   fast=fast, progress=False)
        assert abs(hist.train_loss[0] - truth) <= 1e-6 * truth, (fast, hist.train_loss[0], truth)
    sizes = [len(b) for b in torch.arange(len(x)).split(48)]
    assert sizes[-1] != 48                      # the case under test: an unequal last batch


# ---- issue 16: an independent oracle, the script's loop written out by hand (tests/oracles.py) -------

def test_the_oracles_shuffle_is_torchs_dataloader():
    """tests/oracles.epoch_orders deals the points as torch's own DataLoader(shuffle=True) does after
    torch.manual_seed(seed) and building the net: the oracle rests on torch, not on lessonlib."""
    from torch.utils.data import DataLoader, TensorDataset

    for seed, n in ((0, 160), (3, 152)):
        _, state = lesson_net(seed)
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(seed)
            nn.Sequential(nn.Linear(1, 16), nn.ReLU(), nn.Linear(16, 16), nn.ReLU(), nn.Linear(16, 1))
            loader = DataLoader(TensorDataset(torch.arange(n)), batch_size=32, shuffle=True)
            dealt = [torch.cat([b for (b,) in loader]) for _ in range(3)]
        orders = epoch_orders(state, n)
        mine = [next(orders) for _ in range(3)]
        assert all(torch.equal(a, b) for a, b in zip(dealt, mine, strict=True))
        assert not torch.equal(mine[0], mine[1])            # a new order every epoch


def test_the_lessons_data_and_net_are_the_scripts():
    """make_line_data and make_model against the script's section 2 and torch.manual_seed + nn.Sequential."""
    for seed, n in ((0, 200), (2, 190)):
        data = make_line_data(seed, n=n)
        for mine, theirs in zip(line_xy(seed, n), (data.x_train, data.y_train, data.x_val, data.y_val), strict=True):
            assert mine.dtype == theirs.dtype == "float32" and np.array_equal(mine, theirs)
        net, _ = lesson_net(seed)
        assert all(torch.equal(a, b) for a, b in zip(net.parameters(), make_model(seed).parameters(), strict=True))


def _reference_optimizer(name, params, lr):
    """The lesson's optimizers by their torch names (lesson 06: "momentum" is SGD with momentum 0.9)."""
    return {"sgd": lambda: torch.optim.SGD(params, lr=lr),
            "momentum": lambda: torch.optim.SGD(params, lr=lr, momentum=0.9),
            "rmsprop": lambda: torch.optim.RMSprop(params, lr=lr),
            "adam": lambda: torch.optim.Adam(params, lr=lr)}[name]()


# (seed, points, optimizer, lr, batch size): 200 points give 160 training points (5 full batches of 32);
# 190 give 152 = 4 x 32 + 24 and 160 in batches of 48 end with 16, so a loss weighted by the nominal
# batch size, or a batch that is dropped or padded, shows.
ORACLE_CASES = [
    (0, 200, "adam", 0.01, 32),
    (0, 190, "sgd", 0.005, 32),
    (0, 190, "adam", 0.01, 32),
    (2, 190, "momentum", 0.001, 32),
    (1, 200, "sgd", 0.005, 48),
    (3, 190, "rmsprop", 0.001, 32),
]


@pytest.mark.parametrize("seed,n,opt,lr,batch", ORACLE_CASES)
@pytest.mark.parametrize("how", ["name", "object"])
def test_fit_equals_a_hand_written_loop_exactly(seed, n, opt, lr, batch, how):
    """fit (both paths) against the script's loop written out in tests/oracles.py, 5 epochs.

    Exact equality, not a tolerance: the oracle does the same float32 operations in the same order
    (torch's mse_loss, the optimizer's step, loss.item() * batch size summed in Python floats), so
    any difference is a different loop, not rounding.
    """
    epochs = 5
    net, state = lesson_net(seed)
    xy = line_xy(seed, n)
    assert (len(xy[0]) % batch != 0) == (n != 200 or batch != 32)
    ref = reference_fit(net, _reference_optimizer(opt, net.parameters(), lr), xy, state, epochs, batch=batch)
    assert len(ref.train) == epochs and ref.train[0] != ref.train[-1]
    for fast in (True, False):
        model = make_model(seed)
        arg = _reference_optimizer(opt, model.parameters(), lr) if how == "object" else opt
        hist = fit(model, make_line_data(seed, n=n), optimizer=arg, lr=lr, epochs=epochs, batch_size=batch,
                   seed=seed, fast=fast, progress=False)
        assert hist.train_loss == ref.train, (fast, hist.train_loss, ref.train)
        assert hist.val_loss == ref.val, (fast, hist.val_loss, ref.val)
        for (name, p), q in zip(model.named_parameters(), net.parameters(), strict=True):
            assert torch.equal(p, q), f"fast={fast}: {name} differs from the hand-written loop's"
        assert hist.lr == lr and not hist.diverged
        assert hist.reference_loss == untrained_mse(lesson_net(seed)[0], xy)


def test_the_oracle_catches_a_loss_weighted_by_the_nominal_batch_size():
    """The oracle itself: 152 points, weighting the short last batch as if it held 32 changes the epoch loss."""
    net, state = lesson_net(0)
    xy = line_xy(0, 190)
    ref = reference_fit(net, torch.optim.SGD(net.parameters(), lr=0.0), xy, state, epochs=1)
    x, y = (torch.from_numpy(a) for a in xy[:2])
    with torch.no_grad():
        per_point = ((net(x) - y) ** 2).double().ravel()
    sizes = [len(b) for b in torch.arange(len(x)).split(32)]
    assert sizes[-1] == 24
    assert abs(ref.train[0] - float(per_point.mean())) <= 1e-6 * ref.train[0]   # float32 batch means vs float64
    # the nominal weighting differs by far more than that tolerance:
    perm = next(epoch_orders(state, len(x)))                  # the order reference_fit used
    nominal = sum(float(per_point[perm[s:s + 32]].mean()) * 32 for s in range(0, len(x), 32)) / len(x)
    assert abs(nominal - ref.train[0]) > 1e-3 * ref.train[0]


@pytest.mark.parametrize("lr,n", [(0.3, 200), (0.3, 190), (0.0398, 200)])
def test_fit_stops_where_the_hand_written_loop_first_diverges(lr, n):
    """SGD blowing up: fit records the oracle's epochs up to the first one above 1000 x the untrained
    training loss (or not finite), and stops there: a finite blow-up (lr 0.3 and 0.0398 on 160 points)
    and a NaN one (lr 0.3 on 152)."""
    net, state = lesson_net(0)
    xy = line_xy(0, n)
    reference = untrained_mse(net, xy)
    ref = reference_fit(net, torch.optim.SGD(net.parameters(), lr=lr), xy, state, epochs=4)
    first = next(e for e, (a, b) in enumerate(zip(ref.train, ref.val, strict=True), start=1)
                 if oracle_diverged(a, reference) or oracle_diverged(b, reference))
    hist = fit(make_model(0), make_line_data(0, n=n), optimizer="sgd", lr=lr, epochs=4, fast=True, progress=False)
    assert hist.diverged_at == first
    # exactly equal, NaN where the oracle has NaN (lr 0.3 on 152 points: NaN in epoch 1)
    np.testing.assert_array_equal(hist.train_loss, ref.train[:first])
    np.testing.assert_array_equal(hist.val_loss, ref.val[:first])
