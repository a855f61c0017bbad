"""lessonlib.manual: the NumPy forward/backward equal PyTorch (the trusted oracle) in float64."""
import numpy as np
import pytest
import torch
from hypothesis import example, given, settings
from hypothesis import strategies as st
from torch.func import functional_call

from lessonlib import make_line_data, make_model
from lessonlib import manual
from lessonlib.manual import PARAM_NAMES, TORCH_NAMES

RTOL = 1e-10   # float64 carries ~16 digits; a different summation order costs a few of them, a bug all of them


def assert_close(name, got, expected, rtol=RTOL, atol=0.0):
    """max |got - expected| <= rtol * max |expected| + atol, else "got X, expected Y" for the worst entry."""
    got, expected = np.asarray(got, dtype=np.float64), np.asarray(expected, dtype=np.float64)
    assert got.shape == expected.shape, f"{name}: got shape {got.shape}, expected shape {expected.shape}"
    diff = np.abs(got - expected)
    bound = rtol * (np.max(np.abs(expected)) if expected.size else 0.0) + atol
    if diff.size and diff.max() > bound:
        i = tuple(int(k) for k in np.unravel_index(int(np.argmax(diff)), diff.shape))
        raise AssertionError(
            f"{name}{list(i)}: got {float(got[i])!r}, expected {float(expected[i])!r} "
            f"(difference {float(diff[i]):.3g} > allowed {bound:.3g})")


def torch_model_from(params):
    """A float64 torch net of the same width holding exactly `params`."""
    hidden = params["W1"].shape[0]
    model = make_model(0, hidden=hidden).double()
    state = dict(model.named_parameters())
    with torch.no_grad():
        for k, v in TORCH_NAMES.items():
            state[v].copy_(torch.from_numpy(params[k]))
    return model


def autograd_grads(model, x, y):
    """(loss, {name: grad}) from PyTorch for MSE on (x, y)."""
    model.zero_grad(set_to_none=True)
    xt, yt = torch.from_numpy(x), torch.from_numpy(y)
    loss = torch.nn.functional.mse_loss(model(xt), yt)
    loss.backward()
    state = dict(model.named_parameters())
    return loss.item(), {k: state[v].grad.numpy().copy() for k, v in TORCH_NAMES.items()}


@pytest.fixture(scope="module")
def lesson():
    """The lesson's float64 net and one batch of its training data."""
    model = make_model(0).double()
    data = make_line_data(0)
    x = data.x_train[:32].astype(np.float64)
    y = data.y_train[:32].astype(np.float64)
    return model, x, y


def test_test_helper_reports_got_and_expected():
    with pytest.raises(AssertionError, match=r"W2\[1, 0\]: got 3\.0, expected 2\.0"):
        assert_close("W2", np.array([[1.0, 1.0], [3.0, 1.0]]), np.array([[1.0, 1.0], [2.0, 1.0]]))


def test_params_from_model(lesson):
    model, _, _ = lesson
    p = manual.params_from_model(model)
    assert list(p) == list(PARAM_NAMES)
    shapes = {"W1": (16, 1), "b1": (16,), "W2": (16, 16), "b2": (16,), "W3": (1, 16), "b3": (1,)}
    for k, shape in shapes.items():
        assert p[k].shape == shape and p[k].dtype == np.float64
    assert np.array_equal(p["W2"], model[2].weight.detach().numpy())
    # a copy, not a view: changing it does not change the model
    p["b3"][0] += 1.0
    assert not np.array_equal(p["b3"], model[4].bias.detach().numpy())


def test_manual_forward_equals_torch(lesson):
    model, x, y = lesson
    params = manual.params_from_model(model)
    cache = manual.forward(params, x)
    with torch.no_grad():
        xt = torch.from_numpy(x)
        z1 = model[0](xt)
        z2 = model[2](model[1](z1))
        y_hat = model(xt)
    assert_close("z1", cache["z1"], z1.numpy(), rtol=1e-13)
    assert_close("z2", cache["z2"], z2.numpy(), rtol=1e-13)
    assert_close("y_hat", cache["y_hat"], y_hat.numpy(), rtol=1e-13)
    assert np.array_equal(cache["a1"], np.maximum(cache["z1"], 0))
    assert cache["y_hat"].shape == (32, 1)
    loss = torch.nn.functional.mse_loss(y_hat, torch.from_numpy(y)).item()
    assert_close("loss", manual.mse(cache["y_hat"], y), loss, rtol=1e-13)


def test_manual_backward_equals_autograd(lesson):
    model, x, y = lesson
    params = manual.params_from_model(model)
    grads = manual.backward(params, manual.forward(params, x), y)
    _, expected = autograd_grads(model, x, y)
    for name in PARAM_NAMES:
        assert_close(f"dL/d{name}", grads[name], expected[name])
        assert grads[name].shape == params[name].shape
    # the chain's intermediate terms have the documented shapes
    assert grads["d_y_hat"].shape == (32, 1) and grads["d_z2"].shape == (32, 16)
    assert set(np.unique(grads["mask1"])) <= {0.0, 1.0}


def test_gradcheck_on_the_model(lesson):
    model, x, y = lesson
    names = [v for v in TORCH_NAMES.values()]
    xt, yt = torch.from_numpy(x), torch.from_numpy(y)
    state = dict(model.named_parameters())
    inputs = tuple(state[n].detach().clone().requires_grad_(True) for n in names)

    def loss_of_params(*ps):
        return torch.nn.functional.mse_loss(functional_call(model, dict(zip(names, ps, strict=True)), (xt,)), yt)

    # no pre-activation within eps of ReLU's kink, or finite differences would be meaningless
    with torch.no_grad():
        z1 = model[0](xt)
        z2 = model[2](model[1](z1))
    assert min(z1.abs().min().item(), z2.abs().min().item()) > 1e-4
    assert torch.autograd.gradcheck(loss_of_params, inputs, eps=1e-6, atol=1e-7, rtol=1e-5)
    # and with respect to the input x as well
    xg = xt.clone().requires_grad_(True)
    assert torch.autograd.gradcheck(lambda inp: model(inp), (xg,), eps=1e-6, atol=1e-7, rtol=1e-5)


FD_ATOL = 2e-9      # central differences at eps = 1e-6, per unit of (1 + L): see the test below


def test_finite_differences_agree(lesson):
    """Central differences: truncation error ~ eps^2 |L'''| (~1e-12 here) and rounding error
    ~ 2.2e-16 * |L| / eps. Measured here (batch of 32, L = 147): worst 2.4e-8 = 1.6e-10 * (1 + L).
    FD_ATOL = 2e-9 * (1 + L) is 12x above that and 8x below a one-sided difference's worst error
    (1.6e-8 * (1 + L), the next test), so a one-sided or sloppier check cannot pass; a real bug
    (a missing factor 2, a wrong mask) is off by the size of the gradient itself."""
    model, x, y = lesson
    params = manual.params_from_model(model)
    cache = manual.forward(params, x)
    assert min(np.abs(cache["z1"]).min(), np.abs(cache["z2"]).min()) > 1e-4   # eps never crosses a kink
    L = manual.mse(cache["y_hat"], y)
    grads = manual.backward(params, cache, y)
    fd = manual.finite_difference({k: v.copy() for k, v in params.items()}, x, y, eps=1e-6)
    for name in PARAM_NAMES:
        assert_close(f"dL/d{name} (finite differences)", grads[name], fd[name], rtol=0.0, atol=FD_ATOL * (1 + L))
    # finite_difference leaves the parameters as they were
    before = {k: v.copy() for k, v in params.items()}
    manual.finite_difference(params, x[:4], y[:4])
    assert all(np.array_equal(before[k], params[k]) for k in PARAM_NAMES)


def test_a_one_sided_difference_fails_the_finite_difference_tolerance(lesson):
    """The tolerance above tells the method apart: (L(p + eps) - L(p)) / eps would not be accepted."""
    model, x, y = lesson
    params = manual.params_from_model(model)
    cache = manual.forward(params, x)
    L = manual.mse(cache["y_hat"], y)
    grads = manual.backward(params, cache, y)
    worst = 0.0
    for name in PARAM_NAMES:
        for idx in np.ndindex(params[name].shape):
            moved = {k: v.copy() for k, v in params.items()}
            moved[name][idx] += 1e-6
            one_sided = (manual.mse(manual.forward(moved, x)["y_hat"], y) - L) / 1e-6
            worst = max(worst, abs(one_sided - grads[name][idx]))
    assert worst > FD_ATOL * (1 + L), f"a one-sided difference ({worst:.3g}) would pass the tolerance"


def test_finite_differences_catch_a_wrong_gradient(lesson):
    """The check above can fail: a gradient with its factor 2 missing is far outside the tolerance."""
    model, x, y = lesson
    params = manual.params_from_model(model)
    grads = manual.backward(params, manual.forward(params, x), y)
    fd = manual.finite_difference({k: v.copy() for k, v in params.items()}, x[:8], y[:8], eps=1e-6)
    grads8 = manual.backward(params, manual.forward(params, x[:8]), y[:8])
    with pytest.raises(AssertionError, match="got .*, expected"):
        assert_close("dL/dW3", grads8["W3"] / 2, fd["W3"], rtol=1e-6, atol=1e-6)
    assert grads["W3"].shape == (1, 16)


def test_init_params_shapes_and_seed():
    p = manual.init_params(hidden=5, seed=3)
    assert {k: v.shape for k, v in p.items()} == {
        "W1": (5, 1), "b1": (5,), "W2": (5, 5), "b2": (5,), "W3": (1, 5), "b3": (1,)}
    assert all(v.dtype == np.float64 for v in p.values())
    assert np.abs(p["W2"]).max() <= 1 / np.sqrt(5)
    q = manual.init_params(hidden=5, seed=3)
    assert all(np.array_equal(p[k], q[k]) for k in p)
    r = manual.init_params(hidden=5, seed=4)
    assert not np.array_equal(p["W2"], r["W2"])


@settings(max_examples=120, deadline=None)
@given(batch=st.integers(1, 40), hidden=st.integers(1, 24),
       weight_seed=st.integers(0, 2**32 - 1), data_seed=st.integers(0, 2**32 - 1))
@example(batch=1, hidden=1, weight_seed=0, data_seed=0)
@example(batch=40, hidden=24, weight_seed=1, data_seed=1)
@example(batch=7, hidden=16, weight_seed=2, data_seed=2)
def test_manual_backward_equals_autograd_property(batch, hidden, weight_seed, data_seed):
    params = manual.init_params(hidden=hidden, seed=weight_seed)
    rng = np.random.default_rng(data_seed)
    x = rng.uniform(-10, 10, (batch, 1))
    y = 2 * x + 1 + rng.normal(0, 1, (batch, 1))
    model = torch_model_from(params)
    loss, expected = autograd_grads(model, x, y)
    cache = manual.forward(params, x)
    assert_close("loss", manual.mse(cache["y_hat"], y), loss, rtol=1e-12)
    grads = manual.backward(params, cache, y)
    for name in PARAM_NAMES:
        assert_close(f"dL/d{name} (hidden={hidden}, batch={batch})", grads[name], expected[name])


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "rmsprop", "adam"])
def test_numpy_optimizer_equals_torch(optimizer):
    """The NumPy training engine (for the live explorer) follows torch's update rules."""
    from lessonlib.train import make_optimizer
    params = manual.init_params(hidden=8, seed=11)
    model = torch_model_from(params)
    opt_t = make_optimizer(optimizer, model.parameters(), lr=0.01)
    opt_n = manual.NumpyOptimizer(optimizer, params, lr=0.01)
    rng = np.random.default_rng(5)
    for step in range(6):
        x = rng.uniform(-10, 10, (16, 1))
        y = 2 * x + 1
        autograd_grads(model, x, y)
        opt_t.step()
        opt_n.step(manual.backward(params, manual.forward(params, x), y))
        got = manual.params_from_model(model)
        for name in PARAM_NAMES:
            assert_close(f"{optimizer} step {step + 1} {name}", params[name], got[name], rtol=1e-9)
