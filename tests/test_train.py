"""lessonlib.train: fit() is the original script's loop, number for number, and it learns."""
import io
import json
import math
import os
import pathlib
import subprocess
import sys

import pytest
import torch
from torch import nn

from lessonlib import History, fit, make_line_data, make_model, make_optimizer, predict
from lessonlib.text import t
from lessonlib.train import OPTIMIZERS

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
    for bad in (2, 5, 100):
        msg = check(bad).message
        assert msg != t("check.got_expected_exact", got=f"{bad}", expected=1)
        assert t("check.got_expected_exact", got=f"{bad}", expected=1).split(",")[-1].strip() not in msg
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
