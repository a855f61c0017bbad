"""lessonlib.data: the lesson's data is exactly the original script's section 2, with no global RNG change."""
import numpy as np
import pytest
import torch

from lessonlib import LineData, make_line_data, true_fn


def script_section_2(seed=0):
    """The original script's section 2 (prints removed), run on NumPy's global generator.

    The global state is saved and restored so this helper itself changes nothing either.
    """
    saved = np.random.get_state()
    try:
        np.random.seed(seed)
        N = 200
        x = np.linspace(-10, 10, N, dtype=np.float32).reshape(-1, 1)
        y = (2.0 * x + 1.0).astype(np.float32)
        idx = np.arange(N)
        np.random.shuffle(idx)
        train_size = int(0.8 * N)
        train_idx, val_idx = idx[:train_size], idx[train_size:]
        x_train, y_train = x[train_idx], y[train_idx]
        x_val, y_val = x[val_idx], y[val_idx]
    finally:
        np.random.set_state(saved)
    return dict(x=x, y=y, idx=idx, train_idx=train_idx, val_idx=val_idx,
                x_train=x_train, y_train=y_train, x_val=x_val, y_val=y_val, train_size=train_size)


def _same_state(a, b):
    return a[0] == b[0] and np.array_equal(a[1], b[1]) and a[2:] == b[2:]


@pytest.mark.parametrize("seed", [0, 1, 123])
def test_same_arrays_and_indices_as_the_script(seed):
    ref = script_section_2(seed)
    data = make_line_data(seed=seed)
    for name in ("x", "y", "idx", "train_idx", "val_idx"):
        got, expected = getattr(data, name), ref[name]
        assert got.dtype == expected.dtype, f"{name}: got dtype {got.dtype}, expected {expected.dtype}"
        assert np.array_equal(got, expected), f"{name} differs from the script's"
    for name in ("x_train", "y_train", "x_val", "y_val"):
        got, expected = getattr(data, name), ref[name]
        assert got.dtype == expected.dtype
        # exact: same float32 bits
        assert np.array_equal(got, expected), f"{name} differs from the script's"
        assert got.tobytes() == expected.tobytes()
    assert data.train_size == ref["train_size"] == 160


def test_dtypes_shapes_and_split():
    data = make_line_data(0)
    assert isinstance(data, LineData)
    assert data.x.dtype == np.float32 and data.y.dtype == np.float32
    assert data.x.shape == (200, 1) and data.y.shape == (200, 1)
    assert data.idx.shape == (200,)
    assert data.train_idx.shape == (160,) and data.val_idx.shape == (40,)
    assert data.x_train.shape == (160, 1) and data.y_train.shape == (160, 1)
    assert data.x_val.shape == (40, 1) and data.y_val.shape == (40, 1)
    for a in (data.x_train, data.y_train, data.x_val, data.y_val):
        assert a.dtype == np.float32
    # the split is a partition of all 200 points
    assert sorted(np.concatenate([data.train_idx, data.val_idx]).tolist()) == list(range(200))
    assert not set(data.train_idx.tolist()) & set(data.val_idx.tolist())
    # endpoints and the rule y = 2x + 1
    assert data.x[0, 0] == np.float32(-10.0) and data.x[-1, 0] == np.float32(10.0)
    assert np.array_equal(data.y, true_fn(data.x).astype(np.float32))
    # the indices are actually shuffled
    assert not np.array_equal(data.idx, np.arange(200))


def test_tensors_match_the_script():
    ref = script_section_2(0)
    tensors = make_line_data(0).tensors()
    assert len(tensors) == 4
    for t, name in zip(tensors, ("x_train", "y_train", "x_val", "y_val"), strict=True):
        expected = torch.from_numpy(ref[name])
        assert isinstance(t, torch.Tensor)
        assert t.dtype == torch.float32, f"{name}: got {t.dtype}, expected torch.float32"
        assert t.device.type == "cpu"
        assert t.shape == expected.shape
        assert torch.equal(t, expected), f"{name} tensor differs from the script's"
        assert not t.requires_grad


def test_different_seeds_give_different_splits():
    a, b, c = make_line_data(seed=0), make_line_data(seed=1), make_line_data(seed=2)
    assert not np.array_equal(a.idx, b.idx)
    assert not np.array_equal(a.idx, c.idx)
    assert not np.array_equal(b.idx, c.idx)
    assert set(a.val_idx.tolist()) != set(b.val_idx.tolist())
    # same seed, same split
    assert np.array_equal(make_line_data(seed=1).idx, b.idx)
    # the x values themselves do not depend on the seed
    assert np.array_equal(a.x, b.x)


def test_no_global_numpy_rng_change():
    np.random.seed(12345)
    before = np.random.get_state()
    make_line_data(seed=0)
    make_line_data(seed=7)
    after = np.random.get_state()
    assert _same_state(before, after), "make_line_data changed NumPy's global random state"
    # the next global draw is the one it would have been anyway
    np.random.seed(12345)
    expected = np.random.rand(3)
    np.random.seed(12345)
    make_line_data(seed=3)
    assert np.array_equal(np.random.rand(3), expected)


def test_data_is_frozen():
    data = make_line_data(0)
    with pytest.raises(AttributeError):     # dataclasses.FrozenInstanceError
        data.x = None


def test_seed_is_the_first_argument():
    """make_line_data(0) must be the lesson's data (as make_model(0) is the lesson's net), not 0 points."""
    a, b = make_line_data(0), make_line_data(seed=0)
    assert len(a.x) == 200
    assert np.array_equal(a.idx, b.idx)
    assert not np.array_equal(make_line_data(5).idx, a.idx)


def test_the_default_is_the_lessons_data():
    """make_line_data() with no argument is the lesson's data: seed 0, as the script seeds it."""
    ref = script_section_2(0)
    data = make_line_data()
    assert np.array_equal(data.idx, ref["idx"]) and np.array_equal(data.y, ref["y"])


def test_tensors_go_to_the_device_asked_for():
    # PyTorch's "meta" device holds shapes without data: a device that is not the CPU on any machine.
    for t in make_line_data(0).tensors("meta"):
        assert t.device.type == "meta"
    assert all(t.device.type == "cpu" for t in make_line_data(0).tensors())


def test_target_rule_gives_its_own_y_on_the_same_x_and_split():
    """`target` replaces y = 2x + 1 with another rule; x and the split stay the lesson's."""
    lesson = make_line_data(0)
    data = make_line_data(0, target=np.abs)
    assert np.array_equal(data.x, lesson.x) and np.array_equal(data.idx, lesson.idx)
    assert np.array_equal(data.y, np.abs(lesson.x)) and not np.array_equal(data.y, lesson.y)


def test_target_output_is_made_float32_and_column_shaped():
    """A rule may return float64 or a flat array; y is still (N, 1) float32 like x."""
    data = make_line_data(0, n=10, target=lambda x: np.sin(x.astype(np.float64)).ravel())
    assert data.y.dtype == np.float32 and data.y.shape == (10, 1)
    expected = np.sin(np.linspace(-10, 10, 10, dtype=np.float32).astype(np.float64)).astype(np.float32)
    assert np.array_equal(data.y[:, 0], expected)
