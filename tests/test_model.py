"""lessonlib.model: the lesson's net, seeded like the original script, without touching global RNG."""
import pytest
import torch
from torch import nn

from lessonlib import count_parameters, make_model
from lessonlib.model import rng_state_after_init


def script_model(seed=0):
    """The original script's sections 1 and 3, inside a forked RNG so the test changes nothing."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        model = nn.Sequential(
            nn.Linear(1, 16),
            nn.ReLU(),
            nn.Linear(16, 16),
            nn.ReLU(),
            nn.Linear(16, 1),
        )
        state = torch.get_rng_state()
    return model, state


@pytest.mark.parametrize("seed", [0, 1, 42])
def test_initial_weights_equal_the_scripts(seed):
    ref, _ = script_model(seed)
    model = make_model(seed=seed)
    got = dict(model.named_parameters())
    expected = dict(ref.named_parameters())
    assert list(got) == list(expected)
    for name, p in expected.items():
        assert got[name].shape == p.shape, f"{name}: got shape {tuple(got[name].shape)}, expected {tuple(p.shape)}"
        assert got[name].dtype == torch.float32
        assert torch.equal(got[name], p), f"{name} differs from the script's initial weights"
    assert str(model) == str(ref)


def test_structure():
    model = make_model(0)
    assert isinstance(model, nn.Sequential)
    kinds = [type(m) for m in model]
    assert kinds == [nn.Linear, nn.ReLU, nn.Linear, nn.ReLU, nn.Linear]
    assert (model[0].in_features, model[0].out_features) == (1, 16)
    assert (model[2].in_features, model[2].out_features) == (16, 16)
    assert (model[4].in_features, model[4].out_features) == (16, 1)
    assert all(p.requires_grad for p in model.parameters())


def test_seed_matters_and_is_repeatable():
    a, b, c = make_model(0), make_model(0), make_model(1)
    assert torch.equal(a[0].weight, b[0].weight)
    assert not torch.equal(a[0].weight, c[0].weight)


def test_global_torch_rng_unchanged():
    torch.manual_seed(987)
    before = torch.get_rng_state()
    make_model(seed=0)
    make_model(seed=5, hidden=4)
    rng_state_after_init(0)
    after = torch.get_rng_state()
    assert torch.equal(before, after), "make_model changed PyTorch's global random state"
    torch.manual_seed(987)
    expected = torch.rand(3)
    torch.manual_seed(987)
    make_model(seed=3)
    assert torch.equal(torch.rand(3), expected)


def test_count_parameters():
    model = make_model(0)
    n = count_parameters(model)
    assert n == 321
    assert n == (1 * 16 + 16) + (16 * 16 + 16) + (16 * 1 + 1)
    assert n == 32 + 272 + 17
    assert [p.numel() for p in model.parameters()] == [16, 16, 256, 16, 16, 1]


@pytest.mark.parametrize("hidden", [1, 4, 24])
def test_count_parameters_other_widths(hidden):
    model = make_model(0, hidden=hidden)
    assert count_parameters(model) == 2 * hidden + hidden * hidden + hidden + hidden + 1


def test_rng_state_after_init_is_the_scripts_state():
    _, expected = script_model(0)
    got = rng_state_after_init(0)
    assert torch.equal(got, expected)
    # and it is not just the freshly-seeded state: building the net consumed random numbers
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(0)
        fresh = torch.get_rng_state()
    assert not torch.equal(got, fresh)
    # a DataLoader shuffle drawn from it is the same as in the script
    with torch.random.fork_rng(devices=[]):
        torch.set_rng_state(got)
        a = torch.randperm(160)
        torch.set_rng_state(expected)
        b = torch.randperm(160)
    assert torch.equal(a, b)
    assert not torch.equal(rng_state_after_init(0, hidden=8), got)


def test_the_default_is_the_lessons_net():
    """make_model() and rng_state_after_init() with no argument are seed 0, as the script seeds."""
    for a, b in zip(make_model().parameters(), make_model(0).parameters(), strict=True):
        assert torch.equal(a, b)
    assert torch.equal(rng_state_after_init(), rng_state_after_init(0))
    assert not torch.equal(rng_state_after_init(), rng_state_after_init(1))


def test_model_goes_to_the_device_asked_for():
    # "meta" holds shapes without data: a device that is not the CPU on every machine.
    assert all(p.device.type == "meta" for p in make_model(0, device="meta").parameters())


def test_relu_false_replaces_each_relu_with_identity_and_keeps_the_weights():
    """Lesson 05's "what if": the same weights, and the net is one straight line of x."""
    with_relu, without = make_model(0), make_model(0, relu=False)
    assert [type(m) for m in without] == [nn.Linear, nn.Identity, nn.Linear, nn.Identity, nn.Linear]
    assert [type(m) for m in with_relu] == [nn.Linear, nn.ReLU, nn.Linear, nn.ReLU, nn.Linear]
    for a, b in zip(with_relu.parameters(), without.parameters(), strict=True):
        assert torch.equal(a, b)
    # The product of the three layers, written out: W3 (W2 (W1 x + b1) + b2) + b3.
    (w1, b1), (w2, b2), (w3, b3) = [(m.weight.detach().double(), m.bias.detach().double())
                                    for m in without if isinstance(m, nn.Linear)]
    slope = (w3 @ w2 @ w1).item()
    intercept = (w3 @ (w2 @ b1 + b2) + b3).item()
    x = torch.linspace(-10, 10, 9).reshape(-1, 1)
    with torch.no_grad():
        assert torch.allclose(without.double()(x.double()).ravel(), slope * x.double().ravel() + intercept,
                              rtol=0, atol=1e-12)
        assert not torch.allclose(with_relu(x).ravel(), torch.tensor(slope) * x.ravel() + intercept, atol=1e-3)
