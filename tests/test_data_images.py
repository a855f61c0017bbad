"""lessonlib.data.make_bar_images (lesson 10): the images tests/oracles_cnn.py defines, bit for bit, seeded privately."""
import numpy as np
import pytest
import torch

from lessonlib.data import BAR_CLASSES, ImageData, bar_image, make_bar_images
from tests.oracles_cnn import bar, bar_images


@pytest.mark.parametrize("seed", [0, 1, 7])
def test_same_images_and_labels_as_the_oracle(seed):
    data = make_bar_images(seed=seed)
    for got, expected in zip((data.x_train, data.y_train, data.x_val, data.y_val), bar_images(seed), strict=True):
        assert got.dtype == expected.dtype and got.shape == expected.shape
        assert got.tobytes() == expected.tobytes()


def test_shapes_dtypes_split_and_balance():
    data = make_bar_images(0)
    assert isinstance(data, ImageData) and BAR_CLASSES == ("horizontal", "vertical", "diagonal")
    assert data.x_train.shape == (480, 1, 8, 8) and data.x_val.shape == (120, 1, 8, 8)
    assert data.x_train.dtype == np.float32 and data.y_train.dtype == np.int64
    counts = np.bincount(np.concatenate([data.y_train, data.y_val]))
    assert counts.tolist() == [200, 200, 200]
    assert 0 < np.bincount(data.y_val).min()                       # every class in the validation set
    x_t, y_t, xv_t, yv_t = data.tensors()
    assert x_t.dtype == torch.float32 and y_t.dtype == torch.int64 and tuple(xv_t.shape) == (120, 1, 8, 8)
    assert torch.equal(yv_t, torch.from_numpy(data.y_val))


def test_options_change_what_they_say():
    small = make_bar_images(0, n_per_class=10, size=6, noise=0.0, train_frac=0.5)
    assert small.x_train.shape == (15, 1, 6, 6) and small.x_val.shape == (15, 1, 6, 6)
    assert set(np.unique(small.x_train)) <= {0.0, 1.0}                 # no noise: clean bars only
    ones = small.x_train.reshape(15, -1).sum(axis=1)
    for n_ones, label in zip(ones, small.y_train, strict=True):        # a full row/column, a diagonal of >= 3
        assert n_ones == 6 if label < 2 else 3 <= n_ones <= 6


def test_noise_has_the_given_spread():
    x = make_bar_images(0, noise=0.3).x_train
    clean = make_bar_images(0, noise=0.0).x_train                     # the same draws, so the same bars
    assert abs(float((x - clean).std()) - 0.3) < 0.01


@pytest.mark.parametrize("label,pos,flip", [(0, 3, False), (1, 0, False), (2, 0, False), (2, -5, False),
                                            (2, 5, True), (2, -2, True)])
def test_one_clean_bar(label, pos, flip):
    assert np.array_equal(bar_image(label, pos, flip=flip), bar(label, pos, flip))


def test_a_bad_label_is_refused():
    with pytest.raises(ValueError, match="label"):
        bar_image(3, 0)


def test_no_global_random_state_changes():
    np_before, torch_before = np.random.get_state(), torch.get_rng_state()
    make_bar_images(3)
    np_after = np.random.get_state()
    assert np_before[0] == np_after[0] and np.array_equal(np_before[1], np_after[1]) and np_before[2:] == np_after[2:]
    assert torch.equal(torch_before, torch.get_rng_state())


def test_defaults_are_seed_0_and_an_unflipped_diagonal():
    a, b, other = make_bar_images(), make_bar_images(seed=0), make_bar_images(seed=1)
    assert np.array_equal(a.x_train, b.x_train) and not np.array_equal(a.x_train, other.x_train)
    for k in (-2, 0, 3):
        assert np.array_equal(bar_image(2, k), bar_image(2, k, flip=False))
        assert np.array_equal(bar_image(2, k), np.eye(8, k=k))
