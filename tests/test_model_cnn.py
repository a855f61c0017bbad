"""lessonlib.model.make_cnn / make_fc_image_net (lesson 10): the oracle's nets, their shapes and counts, and it learns."""
import pytest
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from lessonlib import count_parameters
from lessonlib.data import make_bar_images
from lessonlib.model import make_cnn, make_fc_image_net
from tests.oracles_cnn import CNN_PARAMS, FC_PARAMS, bar_images, cnn, fc


@pytest.mark.parametrize("seed", [0, 3])
def test_same_initial_weights_as_the_oracle(seed):
    for got, expected in ((make_cnn(seed), cnn(seed)), (make_fc_image_net(seed), fc(seed))):
        g, e = dict(got.named_parameters()), dict(expected.named_parameters())
        assert list(g) == list(e)
        assert all(torch.equal(g[k], e[k]) for k in g)


def test_layers_and_shapes_through_the_net():
    model = make_cnn(0)
    assert [type(m) for m in model] == [nn.Conv2d, nn.ReLU, nn.MaxPool2d, nn.Flatten, nn.Linear]
    out, shapes = torch.zeros(5, 1, 8, 8), []
    for layer in model:
        out = layer(out)
        shapes.append(tuple(out.shape))
    assert shapes == [(5, 6, 8, 8), (5, 6, 8, 8), (5, 6, 4, 4), (5, 96), (5, 3)]
    assert tuple(make_fc_image_net(0)(torch.zeros(5, 1, 8, 8)).shape) == (5, 3)


def test_parameter_counts():
    assert count_parameters(make_cnn(0)) == CNN_PARAMS == 351
    assert count_parameters(make_fc_image_net(0)) == FC_PARAMS == 2179
    assert count_parameters(make_cnn(0, channels=4)) == (4 * 9 + 4) + (4 * 16 * 3 + 3)
    assert count_parameters(make_fc_image_net(0, hidden=5)) == (64 * 5 + 5) + (5 * 3 + 3)


def test_no_global_random_state_changes():
    before = torch.get_rng_state()
    make_cnn(1)
    make_fc_image_net(1)
    assert torch.equal(before, torch.get_rng_state())


def _train(model, epochs=15):
    """The lesson's loop (the five steps, Adam lr 0.01, batches of 32) on the oracle's images."""
    x_train, y_train, x_val, y_val = (torch.from_numpy(a) for a in bar_images(0))
    loss_fn = nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    loader = DataLoader(TensorDataset(x_train, y_train), batch_size=32, shuffle=True,
                        generator=torch.Generator().manual_seed(0))
    for _ in range(epochs):
        for xb, yb in loader:
            loss = loss_fn(model(xb), yb)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    with torch.no_grad():
        return (model(x_val).argmax(dim=1) == y_val).float().mean().item()


def test_it_learns_and_the_lessons_claims_hold():
    """Lesson 10's claims: the CNN passes 95%; the FC net, 6 times larger, within 5 points; the FC net of
    the CNN's size at least 10 points below."""
    assert make_bar_images(0).x_train.tobytes() == bar_images(0)[0].tobytes()
    acc_cnn, acc_fc, acc_small = _train(make_cnn(0)), _train(make_fc_image_net(0)), _train(make_fc_image_net(0, 5))
    assert acc_cnn > 0.95
    assert abs(acc_fc - acc_cnn) < 0.05 and round(FC_PARAMS / CNN_PARAMS) == 6
    assert acc_small < acc_cnn - 0.10


def test_defaults_are_seed_0():
    for make in (make_cnn, make_fc_image_net):
        net, net0, net1 = make(), make(seed=0), make(seed=1)
        assert all(torch.equal(p, q) for p, q in zip(net.parameters(), net0.parameters(), strict=True))
        assert not all(torch.equal(p, q) for p, q in zip(net.parameters(), net1.parameters(), strict=True))
