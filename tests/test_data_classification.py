"""Lesson 09's data and net (lessonlib.data.make_moons_data / make_blobs_data, lessonlib.model.make_classifier).

Compared with tests/oracles_classification.py, which writes the definitions out again without lessonlib.
"""
import numpy as np
import pytest
import torch

from lessonlib.data import ClassData, LineData, make_blobs_data, make_moons_data
from lessonlib.model import count_parameters, make_classifier
from tests.oracles_classification import blobs_xy, classifier_net, moons_xy


def _split(data):
    return data.x_train, data.y_train, data.x_val, data.y_val


@pytest.mark.parametrize("seed", [0, 1, 7])
def test_moons_are_the_lessons_definition(seed):
    data = make_moons_data(seed=seed)
    for got, want in zip(_split(data), moons_xy(seed), strict=True):
        assert got.shape == want.shape and got.dtype == want.dtype
        np.testing.assert_allclose(got, want, rtol=0, atol=1e-6)     # linspace vs pi * i / (n - 1): one ulp
    assert data.x.shape == (200, 2) and data.y.shape == (200, 1) and data.classes == 2
    assert data.train_size == 160 and sorted(np.concatenate([data.train_idx, data.val_idx])) == list(range(200))
    assert set(np.unique(data.y)) == {0.0, 1.0} and data.y.sum() == 100


def test_moons_are_two_interleaved_arcs_no_line_separates():
    """Without noise: class 0 on the unit upper arc, class 1 on the lower arc shifted by (1, 0.5)."""
    data = make_moons_data(seed=0, noise=0.0)
    up, down = data.x[data.y[:, 0] == 0], data.x[data.y[:, 0] == 1]
    np.testing.assert_allclose(np.hypot(up[:, 0], up[:, 1]), 1.0, atol=1e-6)
    np.testing.assert_allclose(np.hypot(down[:, 0] - 1, down[:, 1] - 0.5), 1.0, atol=1e-6)
    assert (up[:, 1] >= -1e-6).all() and (down[:, 1] <= 0.5 + 1e-6).all()
    # the best line a least-squares fit of the labels finds still misclassifies some points
    X = np.hstack([data.x, np.ones((200, 1), dtype=np.float32)]).astype(np.float64)
    w = np.linalg.lstsq(X, data.y[:, 0] * 2 - 1, rcond=None)[0]
    assert ((X @ w > 0) != (data.y[:, 0] == 1)).sum() > 0


def test_moons_odd_n_noise_and_split_fraction():
    data = make_moons_data(seed=3, n=51, noise=0.1)
    assert data.x.shape == (51, 2) and int(data.y.sum()) == 26          # class 1 gets the odd point
    for got, want in zip(_split(data), moons_xy(3, n=51, noise=0.1), strict=True):
        np.testing.assert_allclose(got, want, rtol=0, atol=1e-6)
    assert make_moons_data(seed=3, train_frac=0.6).train_size == 120
    assert not np.array_equal(make_moons_data(seed=0).x, make_moons_data(seed=1).x)


@pytest.mark.parametrize("seed", [0, 5])
def test_blobs_are_the_lessons_definition(seed):
    data = make_blobs_data(seed=seed)
    for got, want in zip(_split(data), blobs_xy(seed), strict=True):
        assert got.shape == want.shape and got.dtype == want.dtype
        np.testing.assert_allclose(got, want, rtol=0, atol=1e-6)
    assert data.classes == 3 and data.y.dtype == np.int64 and data.y.shape == (240,)
    assert np.bincount(data.y).tolist() == [80, 80, 80]


def test_blobs_uneven_counts_and_centres():
    data = make_blobs_data(seed=0, n=10, classes=3, spread=0.0)
    assert np.bincount(data.y).tolist() == [4, 3, 3]
    np.testing.assert_allclose(data.x[data.y == 0], [[0.0, 2.0]] * 4, atol=1e-6)   # class 0 straight up


def test_makers_leave_global_generators_alone():
    np_state, torch_state = np.random.get_state(), torch.get_rng_state()
    make_moons_data(seed=0)
    make_blobs_data(seed=0)
    make_classifier(seed=3, outputs=3)
    after = np.random.get_state()
    assert after[0] == np_state[0] and np.array_equal(after[1], np_state[1]) and after[2:] == np_state[2:]
    assert torch.equal(torch.get_rng_state(), torch_state)


def test_class_data_is_line_data_with_tensors():
    data = make_moons_data()
    assert isinstance(data, ClassData) and isinstance(data, LineData)
    x, y, xv, yv = data.tensors()
    assert x.shape == (160, 2) and y.shape == (160, 1) and y.dtype == torch.float32 and xv.shape == (40, 2)
    x3, y3 = make_blobs_data().tensors()[:2]
    assert y3.dtype == torch.int64 and y3.shape == (192,)


@pytest.mark.parametrize("seed,outputs", [(0, 1), (1, 1), (0, 3)])
def test_classifier_weights_are_seeded_like_the_lesson(seed, outputs):
    got, want = make_classifier(seed=seed, outputs=outputs), classifier_net(seed, outputs)
    names = [n for n, _ in want.named_parameters()]
    assert [n for n, _ in got.named_parameters()] == names
    for (_, p), (_, q) in zip(got.named_parameters(), want.named_parameters(), strict=True):
        assert torch.equal(p, q)
    assert count_parameters(got) == (2 * 16 + 16) + (16 * 16 + 16) + (16 * outputs + outputs)


def test_classifier_outputs_logits_without_a_squashing_layer():
    net = make_classifier(seed=0)
    with torch.no_grad():
        net[4].bias.fill_(-50.0)                       # far outside (0, 1): a logit, not a probability
        z = net(torch.zeros(4, 2))
    assert z.shape == (4, 1) and (z < -10).all()
    assert make_classifier(seed=0, outputs=3)(torch.zeros(5, 2)).shape == (5, 3)


def test_defaults_are_the_lessons_seed_0_and_idx_is_the_shuffle():
    """make_moons_data(), make_blobs_data() and make_classifier() without arguments are lesson 09's seed 0;
    ClassData.idx is the shuffled order that train_idx and val_idx split."""
    for make in (make_moons_data, make_blobs_data):
        a, b, other = make(), make(seed=0), make(seed=1)
        assert np.array_equal(a.x, b.x) and np.array_equal(a.train_idx, b.train_idx)
        assert not np.array_equal(a.train_idx, other.train_idx)
        assert np.array_equal(a.idx, np.concatenate([a.train_idx, a.val_idx]))
        assert sorted(a.idx.tolist()) == list(range(len(a.x)))
    net, net0, net1 = make_classifier(), make_classifier(seed=0), make_classifier(seed=1)
    assert all(torch.equal(p, q) for p, q in zip(net.parameters(), net0.parameters(), strict=True))
    assert not torch.equal(net[0].weight, net1[0].weight)
