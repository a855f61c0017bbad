"""lessonlib.manual.train (the NumPy engine behind the optimizer explorer) equals PyTorch.

Same initial weights, same batch order (the permutations fit()'s DataLoader draws), float64 on
both sides: the loss histories and the final weights must agree to ~1e-9 relative for every
optimizer the lessons compare. The explorer's speed comes from this engine, so it must be
the same training, not an approximation of it.
"""
import numpy as np
import pytest
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from lessonlib import make_line_data, make_model, make_optimizer, manual
from lessonlib.manual import TORCH_NAMES
from lessonlib.model import rng_state_after_init
from lessonlib.train import OPTIMIZERS, _fast_batches

RTOL = 1e-9
EPOCHS = 8
# learning rates at which each optimizer trains sensibly for these epochs (no divergence, no dead net)
LRS = {"sgd": 0.005, "momentum": 0.001, "rmsprop": 0.001, "adam": 0.01}


@pytest.fixture(scope="module")
def data():
    return make_line_data(seed=0)


def fast_batch_orders(seed, n, epochs):
    """The permutation of every epoch, drawn by lessonlib.train._fast_batches under fit()'s generator state."""
    with torch.random.fork_rng(devices=[]):
        torch.set_rng_state(rng_state_after_init(seed, 16))
        idx = torch.arange(n)
        return [torch.cat([b for b, _ in _fast_batches(idx, idx, 32)]).numpy() for _ in range(epochs)]


def dataloader_batch_orders(seed, n, epochs):
    """The same, from a real DataLoader(shuffle=True, batch_size=32) over the indices."""
    with torch.random.fork_rng(devices=[]):
        torch.set_rng_state(rng_state_after_init(seed, 16))
        idx = torch.arange(n)
        loader = DataLoader(TensorDataset(idx, idx), batch_size=32, shuffle=True)
        return [torch.cat([b for b, _ in loader]).numpy() for _ in range(epochs)]


def assert_rel_close(name, got, expected, rtol=RTOL):
    got, expected = np.asarray(got, dtype=np.float64), np.asarray(expected, dtype=np.float64)
    assert got.shape == expected.shape, f"{name}: got shape {got.shape}, expected {expected.shape}"
    diff = np.abs(got - expected)
    bound = rtol * np.maximum(np.abs(expected), np.max(np.abs(expected)) * 1e-3)
    if np.any(diff > bound):
        i = tuple(int(k) for k in np.unravel_index(int(np.argmax(diff - bound)), diff.shape))
        raise AssertionError(f"{name}{list(i)}: got {got[i]!r}, expected {expected[i]!r} "
                             f"(difference {diff[i]:.3g} > allowed {bound[i]:.3g})")


def torch_train(model, data, optimizer, lr, orders):
    """The lesson's loop (five steps per batch), float64, batches in the given order."""
    xt, yt, xv, yv = (torch.from_numpy(a.astype(np.float64)) for a in
                      (data.x_train, data.y_train, data.x_val, data.y_val))
    opt = make_optimizer(optimizer, model.parameters(), lr)
    loss_fn = nn.MSELoss()
    train_hist, val_hist = [], []
    for perm in orders:
        running = 0.0
        for start in range(0, len(xt), 32):
            i = torch.from_numpy(perm[start:start + 32])
            xb, yb = xt[i], yt[i]
            loss = loss_fn(model(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            running += loss.item() * len(i)
        train_hist.append(running / len(xt))
        with torch.no_grad():
            val_hist.append(loss_fn(model(xv), yv).item())
    return train_hist, val_hist


def test_fast_batches_are_the_dataloader_order(data):
    """The orders the tests (and the explorer) use are exactly what the DataLoader draws."""
    fast = fast_batch_orders(0, data.train_size, 5)
    loader = dataloader_batch_orders(0, data.train_size, 5)
    for epoch, (a, b) in enumerate(zip(fast, loader, strict=True), start=1):
        assert np.array_equal(a, b), f"epoch {epoch}: _fast_batches order differs from DataLoader's"
    assert not np.array_equal(fast[0], fast[1]), "every epoch must be shuffled anew"


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
def test_numpy_engine_equals_torch(data, optimizer):
    lr = LRS[optimizer]
    orders = fast_batch_orders(0, data.train_size, EPOCHS)
    model = make_model(0).double()
    params = manual.params_from_model(model, dtype=np.float64)
    out = manual.train(params, *(a.astype(np.float64) for a in (data.x_train, data.y_train, data.x_val, data.y_val)),
                       optimizer=optimizer, lr=lr, epochs=EPOCHS, batch_orders=lambda epoch: orders[epoch - 1])
    train_hist, val_hist = torch_train(model, data, optimizer, lr, orders)
    assert out["diverged_at"] is None
    assert len(out["train_loss"]) == EPOCHS
    assert train_hist[-1] < 0.5 * train_hist[0], f"{optimizer} at lr {lr} should be learning: {train_hist}"
    assert_rel_close(f"{optimizer} train_loss", out["train_loss"], train_hist)
    assert_rel_close(f"{optimizer} val_loss", out["val_loss"], val_hist)
    state = dict(model.named_parameters())
    for name, torch_name in TORCH_NAMES.items():
        assert_rel_close(f"{optimizer} {name}", params[name], state[torch_name].detach().numpy())


@pytest.mark.parametrize("optimizer", ["sgd", "momentum"])
def test_numpy_engine_reports_divergence_where_torch_diverges(data, optimizer):
    """A huge learning rate: the engine stops at the first epoch whose loss is inf/NaN, as fit() does."""
    lr = 3.0
    orders = fast_batch_orders(0, data.train_size, 3)
    model = make_model(0).double()
    params = manual.params_from_model(model, dtype=np.float64)
    out = manual.train(params, *(a.astype(np.float64) for a in (data.x_train, data.y_train, data.x_val, data.y_val)),
                       optimizer=optimizer, lr=lr, epochs=3, batch_orders=lambda epoch: orders[epoch - 1])
    train_hist, val_hist = torch_train(model, data, optimizer, lr, orders)
    first_bad = next(e for e, (a, b) in enumerate(zip(train_hist, val_hist, strict=True), start=1)
                     if not (np.isfinite(a) and np.isfinite(b)))
    assert out["diverged_at"] == first_bad
    assert len(out["train_loss"]) == first_bad


def test_unknown_optimizer_is_refused_when_built_with_the_catalog_message():
    with pytest.raises(ValueError, match="Unknown optimizer 'adamw'"):
        manual.NumpyOptimizer("adamw", manual.init_params(hidden=4), 0.1)


@pytest.mark.parametrize("optimizer", OPTIMIZERS)
def test_float32_engine_follows_fit_closely_on_a_stable_run(data, optimizer):
    """In float32 (the explorer's re-run) the engine tracks fit() itself to 1e-4 relative over 20 epochs.

    Not bit for bit (matmul summation order, fused multiply-adds differ), which is why the
    explorer takes its losses from fit() (lessonlib.explorer_grid) and checks the re-run's drift.
    """
    from lessonlib import fit
    lr = LRS[optimizer]
    epochs = 20
    orders = fast_batch_orders(0, data.train_size, epochs)
    params = manual.params_from_model(make_model(0), dtype=np.float32)
    out = manual.train(params, *(a.astype(np.float32) for a in (data.x_train, data.y_train, data.x_val, data.y_val)),
                       optimizer=optimizer, lr=lr, epochs=epochs, batch_orders=lambda epoch: orders[epoch - 1])
    hist = fit(make_model(0), data, optimizer=optimizer, lr=lr, epochs=epochs, progress=False, fast=True)
    assert out["diverged_at"] is None and hist.diverged_at is None
    assert out["reference_loss"] == pytest.approx(hist.reference_loss, rel=1e-6)
    assert_rel_close(f"{optimizer} train_loss", out["train_loss"], hist.train_loss, rtol=1e-4)
    assert_rel_close(f"{optimizer} val_loss", out["val_loss"], hist.val_loss, rtol=1e-4)


def test_engine_stops_at_the_one_definition_of_divergence(data):
    """SGD at lr 0.3: epoch 1's loss is finite but far above 1000 x the untrained loss: stop there, as fit() does."""
    orders = fast_batch_orders(0, data.train_size, 3)
    params = manual.params_from_model(make_model(0), dtype=np.float32)
    out = manual.train(params, *(a.astype(np.float32) for a in (data.x_train, data.y_train, data.x_val, data.y_val)),
                       optimizer="sgd", lr=0.3, epochs=3, batch_orders=lambda epoch: orders[epoch - 1])
    assert out["diverged_at"] == 1 and len(out["train_loss"]) == 1
    assert np.isfinite(out["train_loss"][0]) and out["train_loss"][0] > 1000 * out["reference_loss"]
