"""Issue 10: the chain rule by hand (05.hidden_grads) and the "what if" experiments of lessons 05 and 06.

The checker compares with autograd and names the part and the factor that is off; the
experiments' claims (the numbers the lesson cells print and assert) hold; the two small
helpers (make_line_data(target=), make_model(relu=)) change nothing else.
"""
from __future__ import annotations

import dataclasses
import time

import numpy as np
import pytest
import torch
from torch import nn

from lessonlib import check, fit, make_line_data, make_model, manual, reveal, t
from lessonlib.exercises import EXERCISES, reset_tries
from tests.test_feedback import _hidden_by_hand


# ---- helpers --------------------------------------------------------------------------------------

def test_target_keeps_the_points_and_the_split():
    line, curve = make_line_data(seed=0), make_line_data(seed=0, target=np.abs)
    for name in ("x", "idx", "train_idx", "val_idx"):
        assert np.array_equal(getattr(line, name), getattr(curve, name)), name
    assert curve.y.dtype == np.float32 and curve.y.shape == line.y.shape
    assert np.array_equal(curve.y, np.abs(line.x)) and not np.array_equal(curve.y, line.y)
    assert np.array_equal(make_line_data(seed=0, target=None).y, line.y)          # the default is y = 2x + 1
    sq = make_line_data(seed=1, target=lambda x: x ** 2)
    assert np.allclose(sq.y_train, sq.x_train ** 2) and np.array_equal(sq.idx, make_line_data(seed=1).idx)


def test_target_changes_no_global_rng():
    before = np.random.get_state()
    make_line_data(seed=3, target=np.abs)
    after = np.random.get_state()
    assert before[0] == after[0] and np.array_equal(before[1], after[1]) and before[2:] == after[2:]


@pytest.mark.parametrize("seed", [0, 7])
def test_make_model_without_relu_has_the_same_weights_and_is_linear(seed):
    net, lin = make_model(seed=seed), make_model(seed=seed, relu=False)
    for (n1, p1), (n2, p2) in zip(net.named_parameters(), lin.named_parameters(), strict=True):
        assert n1 == n2 and torch.equal(p1, p2)
    assert not any(isinstance(m, nn.ReLU) for m in lin) and any(isinstance(m, nn.ReLU) for m in net)
    assert [type(m) for m in lin] == [nn.Linear, nn.Identity, nn.Linear, nn.Identity, nn.Linear]
    lin = lin.double()
    x = torch.linspace(-10, 10, 41, dtype=torch.float64).reshape(-1, 1)
    with torch.no_grad():
        y = lin(x)
        slope = (lin[4].weight @ lin[2].weight @ lin[0].weight).item()            # one linear map: w x + b
    assert torch.allclose(y, slope * x + y[20], atol=1e-12)                     # x[20] = 0


def test_make_model_relu_flag_changes_no_global_rng():
    state = torch.get_rng_state()
    make_model(seed=5, relu=False)
    assert torch.equal(state, torch.get_rng_state())


# ---- 05.hidden_grads -----------------------------------------------------------------------------

def _autograd_truth():
    """dL/dz2, dL/dW2, dL/dW1 for lesson 05's sample, by autograd written out here (float64)."""
    data = make_line_data(seed=0)
    net = make_model(seed=0).double()
    x = torch.from_numpy(data.x_train[:1].astype(np.float64))
    y = torch.from_numpy(data.y_train[:1].astype(np.float64))
    h1 = torch.relu(net[0](x))
    z2 = net[2](h1)
    z2.retain_grad()
    ((net[4](torch.relu(z2)) - y) ** 2).mean().backward()
    return {"delta2": z2.grad.T.numpy(), "W2": net[2].weight.grad.numpy(), "W1": net[0].weight.grad.numpy()}


def test_the_expected_answer_is_autograds_and_the_hand_answer_passes(language):
    truth = _autograd_truth()
    blank = EXERCISES["05.hidden_grads"](...)
    for part in ("delta2", "W2", "W1"):
        assert np.abs(blank.expected[part] - truth[part]).max() < 1e-12
    right = _hidden_by_hand("right")
    variants = [right, {k: torch.from_numpy(v) for k, v in right.items()},            # tensors
                {"delta2": right["delta2"].T, "W2": right["W2"], "W1": right["W1"].ravel()},   # row / 1-D forms
                {k: v.astype(np.float32) for k, v in right.items()}]                  # float32 is close enough
    for lang in ("en", "he"):
        language(lang)
        for answer in variants:
            res = check("05.hidden_grads", answer)
            assert res.ok and res.status == "correct", res.message
            assert res.message == t("check.correct", detail=t("ex.05.hidden_grads.ok"))


@pytest.mark.parametrize("kind,part,key", [
    ("no_mask2", "delta2", "no_mask"), ("outer_w2", "W2", "outer_order"), ("w2_not_t", "W1", "not_transposed"),
    ("one_path", "W1", "no_sum"), ("entrywise", "W1", "no_sum"), ("w1_row", "W1", "outer_order"),
    ("no_two", "delta2", "no_two"), ("sign", "delta2", "sign"), ("div32", "delta2", "divided"),
    ("batch_mean", "W2", "batch_mean"), ("batch_sum", "W2", "batch_sum"), ("batch_delta", "delta2", "batch_shape"),
])
def test_each_slip_is_diagnosed_in_the_part_where_it_happens(language, kind, part, key):
    answer = _hidden_by_hand(kind)
    for lang in ("en", "he"):
        language(lang)
        reset_tries()
        res = check("05.hidden_grads", answer)
        assert res.status == "wrong" and res.mistake == f"ex.05.hidden_grads.{key}", res.message
        head = t("ex.05.hidden_grads.part_wrong", part=part, diagnosis="", right="").strip()
        assert res.message.startswith(head), res.message
        earlier = ("delta2", "W2", "W1")[:("delta2", "W2", "W1").index(part)]
        if earlier:                                   # the parts before it are said to be right
            assert t("ex.05.hidden_grads.right", parts=", ".join(earlier)) in res.message


def test_the_mask_slip_in_layer_1_names_layer_1s_mask():
    right = _hidden_by_hand("right")
    cache = manual.forward(manual.params_from_model(make_model(seed=0)),
                           make_line_data(seed=0).x_train[:1].astype(np.float64))
    W2 = manual.params_from_model(make_model(seed=0))["W2"]
    no_mask1 = {**right, "W1": (W2.T @ right["delta2"]) @ cache["x"]}
    res = check("05.hidden_grads", no_mask1)
    assert res.mistake == "ex.05.hidden_grads.no_mask" and "1[z1 > 0]" in res.message and "W1" in res.message


@pytest.mark.parametrize("answer", [
    None, 3.0, "delta2", [1, 2, 3], (np.zeros((16, 1)), np.zeros((16, 16)), np.zeros((16, 1))),
    {"d2": np.zeros((16, 1)), "W2": np.zeros((16, 16))}, {"delta2": 0, "W2": 0, "W1": 0, "b1": 0},
    {"delta2": np.zeros((16, 2)), "W2": np.zeros((16, 16)), "W1": np.zeros((16, 1))},
    {"delta2": np.full((16, 1), np.nan), "W2": np.zeros((16, 16)), "W1": np.zeros((16, 1))},
    {"delta2": "abc", "W2": np.zeros((16, 16)), "W1": np.zeros((16, 1))},
    {"delta2": None, "W2": None, "W1": None},
])
def test_bad_input_is_explained_never_raised(language, answer):
    for lang in ("en", "he"):
        language(lang)
        res = check("05.hidden_grads", answer)
        assert res.status == "invalid" and not res.ok, res.message
        assert ("expected" if lang == "en" else "ציפיתי") in res.message, res.message
        assert "Traceback" not in res.message and "internal" not in res.message.lower()


def test_a_partly_filled_answer_is_not_a_try(language):
    right = _hidden_by_hand("right")
    for lang in ("en", "he"):
        language(lang)
        res = check("05.hidden_grads", {"delta2": right["delta2"], "W2": ..., "W1": ...})
        assert res.status == "unanswered" and res.message == t(
            "ex.05.hidden_grads.partial", blank="W2, W1", right=t("ex.05.hidden_grads.right", parts="delta2"))
    assert check("05.hidden_grads", {"delta2": ..., "W2": ..., "W1": ...}).status == "unanswered"


def test_different_wrong_dicts_are_different_tries():
    for kind in ("no_mask2", "outer_w2"):
        check("05.hidden_grads", _hidden_by_hand(kind))
    res = check("05.hidden_grads", _hidden_by_hand("sign"))
    assert res.message.endswith(t("check.revealed_after", tries=3, answer=reveal("05.hidden_grads").answer))


# ---- the experiments: the claims the lessons print and assert ------------------------------------

def test_no_relu_experiment():
    start = time.perf_counter()
    line, curve = make_line_data(seed=0), make_line_data(seed=0, target=np.abs)
    loss = {(name, relu): fit(make_model(seed=0, relu=relu), d, epochs=100, fast=True, progress=False).final_val_loss
            for name, d in (("line", line), ("abs", curve)) for relu in (True, False)}
    seconds = time.perf_counter() - start
    assert loss[("line", False)] < 1e-6 and loss[("abs", True)] < 0.05 and loss[("abs", False)] > 5
    x_tr, x_va = curve.x_train.ravel(), curve.x_val.ravel()
    w, b = np.polyfit(x_tr, np.abs(x_tr), 1)                       # no straight line does better
    assert abs(loss[("abs", False)] - np.mean((w * x_va + b - np.abs(x_va)) ** 2)) < 0.05 * loss[("abs", False)]
    assert check("05.predict_no_relu", "B").ok
    print(f"no-ReLU experiment: {seconds:.2f} s")


def test_symmetry_experiment():
    same = make_model(seed=0)
    with torch.no_grad():
        for layer in (same[0], same[2], same[4]):
            layer.weight.fill_(0.1)
            layer.bias.fill_(0.1)
    start = time.perf_counter()
    h = fit(same, make_line_data(seed=0), epochs=100, fast=True, progress=False)
    seconds = time.perf_counter() - start
    for i in (0, 2):
        W = same[i].weight.detach()
        assert (W - W[0]).abs().max().item() == 0.0 and (W[0] != 0.1).any()     # moved, and still equal rows
    assert len(torch.unique(same[2].weight.detach())) == 1 and h.final_val_loss > 1
    assert check("05.predict_symmetry", 0).ok and check("05.predict_symmetry", 1).mistake.endswith("counted_values")
    print(f"symmetry experiment: {seconds:.2f} s")


def test_normalized_x_experiment():
    data = make_line_data(seed=0)
    mu, sd = data.x_train.mean(), data.x_train.std()
    norm = dataclasses.replace(data, x=(data.x - mu) / sd)

    def line_model():
        model = nn.Sequential(nn.Linear(1, 1))
        with torch.no_grad():
            model[0].weight.fill_(0.0)
            model[0].bias.fill_(-3.0)
        return model

    start = time.perf_counter()
    runs = {(name, lr): fit(line_model(), d, optimizer="sgd", lr=lr, epochs=100, fast=True, progress=False)
            for name, d, lr in [("raw", data, 0.1), ("raw", data, 0.02)]
            + [("norm", norm, lr) for lr in (0.02, 0.1, 0.5, 0.9, 1.1, 1.5)]}
    net = {(name, lr): fit(make_model(), d, optimizer="sgd", lr=lr, epochs=100, fast=True, progress=False)
           for name, d in (("raw", data), ("norm", norm)) for lr in (0.015, 0.0625)}
    seconds = time.perf_counter() - start
    assert runs[("raw", 0.1)].diverged and not runs[("raw", 0.02)].diverged     # raw ceiling 0.029
    assert runs[("norm", 1.1)].diverged and runs[("norm", 1.5)].diverged          # the ceiling 2 / lambda_max = 1
    assert all(not runs[("norm", lr)].diverged and runs[("norm", lr)].final_val_loss < 1e-6
               for lr in (0.02, 0.1, 0.5, 0.9))
    assert net[("raw", 0.0625)].diverged and not net[("norm", 0.0625)].diverged
    assert net[("norm", 0.0625)].final_val_loss > 1                                 # not diverging is not learning
    assert net[("raw", 0.015)].final_val_loss > 100 and net[("norm", 0.015)].final_val_loss < 1
    assert check("06.predict_normalized", "0.9").ok and check("06.predict_normalized", 0.9).ok
    print(f"normalization experiment: {seconds:.2f} s")
