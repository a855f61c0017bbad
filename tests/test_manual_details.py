"""lessonlib.manual, the details a lesson relies on and the broader tests do not pin: the defaults (the
lesson's net and loop), the names of the chain's terms that lesson 05 prints, ReLU's derivative at exactly
0, the NumPy loop's seeding, its per-epoch callback and its silence on overflow. Expected values are
literal or from an independent computation (PyTorch's autograd), not from lessonlib.manual itself."""
import warnings

import numpy as np
import pytest
import torch

from lessonlib import manual


def _tiny_data(n=40, seed=3):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-10, 10, (n, 1))
    return x, 2 * x + 1


def test_init_params_defaults_are_the_lessons_net():
    """16 hidden units, seed 0; each layer uniform in +-1/sqrt(fan_in) like nn.Linear: fan_in 1 for the
    first layer (its weights and biases reach past 1/sqrt(2)), 16 for the others (they stay within 1/4)."""
    p = manual.init_params()
    assert {k: v.shape for k, v in p.items()} == {"W1": (16, 1), "b1": (16,), "W2": (16, 16), "b2": (16,),
                                                  "W3": (1, 16), "b3": (1,)}
    again = manual.init_params(hidden=16, seed=0, dtype=np.float64)
    assert all(np.array_equal(p[k], again[k]) for k in p)
    assert not np.array_equal(p["W1"], manual.init_params(seed=1)["W1"])
    for k in ("W1", "b1"):
        assert 1 / np.sqrt(2) < np.abs(p[k]).max() <= 1, k
    for k in ("W2", "b2", "W3", "b3"):
        assert np.abs(p[k]).max() <= 0.25, k
    assert all(v.dtype == np.float64 for v in p.values())


def test_backward_names_every_term_of_the_chain():
    """Lesson 05 prints these terms by name: the six gradients and the chain's intermediate terms."""
    x, y = _tiny_data(8)
    p = manual.init_params(seed=0)
    g = manual.backward(p, manual.forward(p, x), y)
    assert set(g) == {"W1", "b1", "W2", "b2", "W3", "b3",
                      "d_y_hat", "mask2", "mask1", "d_a2", "d_z2", "d_a1", "d_z1"}
    assert g["d_a2"].shape == g["d_z2"].shape == g["d_a1"].shape == g["d_z1"].shape == (8, 16)
    assert set(np.unique(g["mask1"])) <= {0.0, 1.0} and set(np.unique(g["mask2"])) <= {0.0, 1.0}


def test_relu_derivative_at_exactly_zero_is_zero_as_in_pytorch():
    """The lesson's rule: ReLU'(z) = 1 if z > 0 else 0, so z = 0 passes no gradient (PyTorch agrees)."""
    x, y = _tiny_data(8)
    p = manual.init_params(seed=0)
    p["W1"][:] = 0.0
    p["b1"][:] = 0.0                  # z1 = 0 exactly, for every unit and every point
    g = manual.backward(p, manual.forward(p, x), y)
    assert not g["mask1"].any()
    assert not g["W1"].any() and not g["b1"].any()
    p2 = {k: v.copy() for k, v in p.items()}
    p2["W2"][:] = 0.0
    p2["b2"][:] = 0.0                 # z2 = 0 exactly
    g2 = manual.backward(p2, manual.forward(p2, x), y)
    assert not g2["mask2"].any() and not g2["W2"].any() and not g2["b2"].any()
    # PyTorch's autograd, independently
    net = torch.nn.Sequential(torch.nn.Linear(1, 16), torch.nn.ReLU(), torch.nn.Linear(16, 16), torch.nn.ReLU(),
                              torch.nn.Linear(16, 1)).double()
    with torch.no_grad():
        for layer, (w, b) in zip(net[::2], (("W1", "b1"), ("W2", "b2"), ("W3", "b3")), strict=True):
            layer.weight.copy_(torch.from_numpy(p2[w]))
            layer.bias.copy_(torch.from_numpy(p2[b]))
    torch.nn.functional.mse_loss(net(torch.from_numpy(x)), torch.from_numpy(y)).backward()
    assert np.allclose(net[2].weight.grad.numpy(), g2["W2"]) and np.allclose(net[0].weight.grad.numpy(), g2["W1"])


def test_finite_difference_default_step_is_central_and_small():
    """With its default step the central difference matches the analytic gradient to about 1e-7 in float64
    (its error is O(eps^2) plus rounding ~ 1e-16 / eps)."""
    x, y = _tiny_data(6)
    p = manual.init_params(seed=2)
    fd = manual.finite_difference(p, x, y)
    g = manual.backward(p, manual.forward(p, x), y)
    for k in manual.PARAM_NAMES:
        assert np.abs(fd[k] - g[k]).max() < 1e-7 * max(1.0, np.abs(g[k]).max()), k


def test_unknown_optimizer_lists_the_known_ones():
    with pytest.raises(ValueError) as err:
        manual.NumpyOptimizer("adamw", {"all": np.zeros(3)}, 0.1, names=("all",))
    for name in ("sgd", "momentum", "rmsprop", "adam"):
        assert name in str(err.value)
    assert "adamw" in str(err.value)


def test_train_defaults_are_the_lessons_loop():
    import inspect

    d = {k: v.default for k, v in inspect.signature(manual.train).parameters.items()}
    assert (d["optimizer"], d["lr"], d["epochs"], d["batch_size"], d["seed"]) == ("adam", 0.01, 300, 32, 0)
    assert d["batch_orders"] is None and d["reference_loss"] is None and d["on_epoch"] is None


def _run(seed, epochs=2, **kw):
    x, y = _tiny_data(40)
    return manual.train(manual.init_params(seed=0), x[:32], y[:32], x[32:], y[32:], epochs=epochs, seed=seed,
                        batch_size=8, **kw)


def test_train_shuffles_with_its_seed_by_default():
    a, b, c = _run(0), _run(0), _run(1)
    assert a["train_loss"] == b["train_loss"] and a["val_loss"] == b["val_loss"]
    assert a["train_loss"] != c["train_loss"]


def test_on_epoch_gets_each_epoch_number_and_the_current_params():
    seen = []
    _run(0, epochs=3, on_epoch=lambda epoch, params: seen.append((epoch, params["W3"].copy())))
    assert [e for e, _ in seen] == [1, 2, 3]
    assert not np.array_equal(seen[0][1], seen[2][1])           # the params as they are after that epoch


def test_a_diverging_run_stops_without_numpy_warnings():
    """An exploding run (huge learning rate) is marked diverged; NumPy's overflow warnings are not shown."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        out = _run(0, epochs=50, optimizer="sgd", lr=1e6)
    assert out["diverged_at"] is not None and out["diverged_at"] <= 50


def test_float32_stays_float32_end_to_end():
    """Lesson 05 works in float32 beside PyTorch: the parameters, the masks and every gradient keep it."""
    from lessonlib import make_model

    p = manual.params_from_model(make_model(seed=0), dtype=np.float32)
    assert all(v.dtype == np.float32 for v in p.values())
    q = manual.init_params(dtype=np.float32)
    assert all(v.dtype == np.float32 for v in q.values())
    x, y = (a.astype(np.float32) for a in _tiny_data(8))
    g = manual.backward(q, manual.forward(q, x), y)
    assert all(g[k].dtype == np.float32 for k in g), {k: g[k].dtype for k in g}
