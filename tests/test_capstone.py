"""The capstone of lesson 08 (lessonlib/capstone.py): a correct loop passes, each broken loop gets its diagnosis.

The loops below are what students write. Expected diagnoses are built from the catalog with the
numbers the tests compute themselves, so a message that changes its meaning fails here.
"""
import math

import numpy as np
import pytest
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from lessonlib import check
from lessonlib.capstone import (ANSWER, BATCH_SIZE, EPOCHS, LEARNED_BELOW, LOADER_SEED, LR, MODEL_SEED, RUNAWAY,
                                _diagnose, check_capstone, make_capstone_data, run_capstone)
from lessonlib.exercises import EXERCISES, REVEAL_AFTER, reveal
from lessonlib.model import make_model
from lessonlib.text import t
from lessonlib.train import DIVERGENCE_FACTOR, diverged
from tests.oracles import lesson_net

BATCHES = math.ceil(len(make_capstone_data().x_train) / BATCH_SIZE)   # 5 per epoch
STEPS = EPOCHS * BATCHES


def said(fn, key, **values):
    """The message check_capstone gives `fn` for the diagnosis `key`."""
    name = "lambda" if fn.__name__ == "<lambda>" else f"{fn.__name__}()"
    return t("capstone.wrong", name=name, diagnosis=t(key, **values))


# ---- loops students write --------------------------------------------------------------------

def correct(model, optimizer, loss_fn, loader, epochs):
    for epoch in range(epochs):
        for xb, yb in loader:
            y_hat = model(xb)
            loss = loss_fn(y_hat, yb)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()


def zero_grad_on_top(model, optimizer, loss_fn, loader, epochs):
    for epoch in range(epochs):
        for xb, yb in loader:
            optimizer.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()
            optimizer.step()


def model_zero_grad(model, optimizer, loss_fn, loader, epochs):
    for epoch in range(epochs):
        for xb, yb in loader:
            loss = loss_fn(model(xb), yb)
            model.zero_grad()
            loss.backward()
            optimizer.step()


def clears_by_hand(model, optimizer, loss_fn, loader, epochs):
    """Clears .grad without zero_grad(): the gradients never accumulate, so that is fine too."""
    for epoch in range(epochs):
        for xb, yb in loader:
            loss = loss_fn(model(xb), yb)
            for p in model.parameters():
                p.grad = None
            loss.backward()
            optimizer.step()


def no_zero_grad(model, optimizer, loss_fn, loader, epochs):
    for epoch in range(epochs):
        for xb, yb in loader:
            loss = loss_fn(model(xb), yb)
            loss.backward()
            optimizer.step()


def zero_grad_per_epoch(model, optimizer, loss_fn, loader, epochs):
    for epoch in range(epochs):
        optimizer.zero_grad()
        for xb, yb in loader:
            loss = loss_fn(model(xb), yb)
            loss.backward()
            optimizer.step()


def step_before_backward(model, optimizer, loss_fn, loader, epochs):
    for epoch in range(epochs):
        for xb, yb in loader:
            loss = loss_fn(model(xb), yb)
            optimizer.zero_grad()
            optimizer.step()
            loss.backward()


def zero_grad_after_backward(model, optimizer, loss_fn, loader, epochs):
    for epoch in range(epochs):
        for xb, yb in loader:
            loss = loss_fn(model(xb), yb)
            loss.backward()
            optimizer.zero_grad()
            optimizer.step()


def step_between_forward_and_backward(model, optimizer, loss_fn, loader, epochs):
    for epoch in range(epochs):
        for xb, yb in loader:
            loss = loss_fn(model(xb), yb)
            optimizer.step()
            optimizer.zero_grad()
            loss.backward()


def no_step(model, optimizer, loss_fn, loader, epochs):
    for epoch in range(epochs):
        for xb, yb in loader:
            loss = loss_fn(model(xb), yb)
            optimizer.zero_grad()
            loss.backward()


def updates_by_hand(model, optimizer, loss_fn, loader, epochs):
    for epoch in range(epochs):
        for xb, yb in loader:
            loss = loss_fn(model(xb), yb)
            optimizer.zero_grad()
            loss.backward()
            with torch.no_grad():
                for p in model.parameters():
                    p -= 0.01 * p.grad


def no_backward(model, optimizer, loss_fn, loader, epochs):
    for epoch in range(epochs):
        for xb, yb in loader:
            loss = loss_fn(model(xb), yb)  # noqa: F841  (the student's bug: loss computed, never backward())
            optimizer.zero_grad()
            optimizer.step()


def own_loss(model, optimizer, loss_fn, loader, epochs):
    for epoch in range(epochs):
        for xb, yb in loader:
            loss = ((model(xb) - yb) ** 2).mean()
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()


def gradient_ascent(model, optimizer, loss_fn, loader, epochs):
    for epoch in range(epochs):
        for xb, yb in loader:
            loss = loss_fn(model(xb), yb)
            optimizer.zero_grad()
            (-loss).backward()          # a sign slip: uphill
            optimizer.step()


def one_epoch(model, optimizer, loss_fn, loader, epochs):
    for xb, yb in loader:
        loss = loss_fn(model(xb), yb)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()


def one_batch_per_epoch(model, optimizer, loss_fn, loader, epochs):
    for epoch in range(epochs):
        for xb, yb in loader:
            loss = loss_fn(model(xb), yb)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            break


def one_epoch_short(model, optimizer, loss_fn, loader, epochs):
    for epoch in range(epochs - 1):
        correct(model, optimizer, loss_fn, loader, 1)


def skeleton(model, optimizer, loss_fn, loader, epochs):
    ...


def forever(model, optimizer, loss_fn, loader, epochs):
    while True:
        correct(model, optimizer, loss_fn, loader, 1)


def typo(model, optimizer, loss_fn, loader, epochs):
    for epoch in range(epochs):
        for xb, yb in loader:
            loss = loss_fn(model(xb), yb)
            loss.backwards()


def draws_random_numbers(model, optimizer, loss_fn, loader, epochs):
    torch.randn(10)
    correct(model, optimizer, loss_fn, loader, epochs)


def other_order_of_names(model, loader, optimizer, loss_fn, epochs):
    correct(model, optimizer, loss_fn, loader, epochs)


# the recorded wrong answer of the notebook's exercise: one expression, no zero_grad
NO_ZERO_GRAD_LAMBDA = (lambda model, optimizer, loss_fn, loader, epochs:
                       [(loss_fn(model(xb), yb).backward(), optimizer.step())
                        for _ in range(epochs) for xb, yb in loader])


# ---- a correct loop ----------------------------------------------------------------------------

def _plain_run(fn):
    """fn on plain objects, not the checker's instrumented ones, with the task built here from its
    definition (module docstring of lessonlib/capstone.py): 200 points drawn uniformly from [-3, 3] by
    NumPy's default_rng(8), y = x**2, the first 160 train; the lessons' net after torch.manual_seed(0);
    Adam, lr 0.01; batches of 32 shuffled by a generator seeded 0. Returns the held-out MSE (before, after)."""
    x = np.random.default_rng(8).uniform(-3.0, 3.0, size=(200, 1)).astype(np.float32)
    x_train, y_train, x_val, y_val = (torch.from_numpy(a.copy())
                                      for a in (x[:160], x[:160] ** 2, x[160:], x[160:] ** 2))
    model, _ = lesson_net(0)
    loader = DataLoader(TensorDataset(x_train, y_train), batch_size=32, shuffle=True,
                        generator=torch.Generator().manual_seed(0))

    def held_out():
        with torch.no_grad():
            return nn.functional.mse_loss(model(x_val), y_val).item()
    before = held_out()
    with torch.random.fork_rng(devices=[]):
        fn(model, torch.optim.Adam(model.parameters(), lr=0.01), nn.MSELoss(), loader, 100)
    return before, held_out()


@pytest.mark.parametrize("fn", [correct, zero_grad_on_top, model_zero_grad, clears_by_hand])
def test_a_correct_loop_passes(language, fn):
    before, after = _plain_run(fn)                  # the numbers the message must report, measured here
    assert after < LEARNED_BELOW / 10 < before, (before, after)
    for lang in ("en", "he"):
        language(lang)
        res = check_capstone(fn)
        assert res.ok and res.status == "correct", res
        assert res.message == t("check.correct", detail=t("capstone.ok", before=before, after=after,
                                                          epochs=100, steps=100 * 5))


def test_the_parameters_may_come_in_another_order_if_named():
    assert check_capstone(other_order_of_names).ok


def test_the_threshold_has_a_margin_for_other_seeds():
    """A correct loop learns y = x**2 far below LEARNED_BELOW from other initial weights too."""
    afters = [run_capstone(correct, model_seed=seed).after for seed in (1, 2, 3)]
    assert max(afters) < LEARNED_BELOW / 10, afters


def test_the_checker_measures_what_a_plain_loop_gets():
    """The instrumented run trains exactly like the same loop on the plain objects (hooks change nothing)."""
    data = make_capstone_data()
    model = make_model(seed=MODEL_SEED)
    optimizer = torch.optim.Adam(model.parameters(), lr=LR)
    loader = DataLoader(TensorDataset(data.x_train, data.y_train), batch_size=BATCH_SIZE, shuffle=True,
                        generator=torch.Generator().manual_seed(LOADER_SEED))
    with torch.random.fork_rng(devices=[]):
        correct(model, optimizer, nn.MSELoss(), loader, EPOCHS)
    with torch.no_grad():
        plain = nn.functional.mse_loss(model(data.x_val), data.y_val).item()
    assert run_capstone(correct).after == plain


# ---- the four broken loops ----------------------------------------------------------------------

@pytest.mark.parametrize("fn", [no_zero_grad, NO_ZERO_GRAD_LAMBDA])
def test_no_zero_grad(language, fn):
    for lang in ("en", "he"):
        language(lang)
        res = check_capstone(fn)
        assert res.status == "wrong" and res.mistake == "capstone.no_zero_grad"
        assert res.message == said(fn, "capstone.no_zero_grad", backward=STEPS), res


def test_zero_grad_fewer_times_than_step(language):
    res = check_capstone(zero_grad_per_epoch)
    assert res.message == said(zero_grad_per_epoch, "capstone.few_zero_grad", zero_grad=EPOCHS, steps=STEPS,
                               stale=STEPS - EPOCHS), res


@pytest.mark.parametrize("fn,order", [
    (step_before_backward, "model(xb) → loss_fn → zero_grad() → step() → backward()"),
    (zero_grad_after_backward, "model(xb) → loss_fn → backward() → zero_grad() → step()"),
])
def test_wrong_order(language, fn, order):
    run = run_capstone(fn)
    assert not run.moved
    for lang in ("en", "he"):
        language(lang)
        res = check_capstone(fn)
        assert res.status == "wrong"
        assert res.message == said(fn, "capstone.wrong_order_unmoved", before=t("capstone.after_zero_grad"),
                                between=t("capstone.nothing"), order=order), res


def test_step_between_forward_and_backward_is_the_wrong_order_not_a_traceback(language):
    for lang in ("en", "he"):
        language(lang)
        res = check_capstone(step_between_forward_and_backward)
        assert res.message == said(step_between_forward_and_backward, "capstone.step_inside_graph",
                                order="model(xb) → loss_fn → step() → zero_grad() → backward()"), res
        assert "Traceback" not in res.message


def test_no_learning_step_never_called(language):
    for lang in ("en", "he"):
        language(lang)
        res = check_capstone(no_step)
        assert res.status == "wrong"
        assert res.message == said(no_step, "capstone.no_step", forward=STEPS, loss=STEPS, zero_grad=STEPS,
                                   backward=STEPS), res


def test_no_learning_other_variants(language):
    assert check_capstone(updates_by_hand).message == said(updates_by_hand, "capstone.no_step_moved")
    assert check_capstone(no_backward).message == said(no_backward, "capstone.no_backward", steps=STEPS)
    assert check_capstone(own_loss).message == said(own_loss, "capstone.no_loss_fn")
    assert check_capstone(skeleton).message == said(skeleton, "capstone.nothing_ran")


def _first_diverged_epoch_of_plain_ascent():
    """The same sign-slip loop on plain objects: the first epoch whose loss diverged (the one definition)."""
    data = make_capstone_data()
    model = make_model(seed=MODEL_SEED)
    with torch.no_grad():
        reference = nn.functional.mse_loss(model(data.x_train), data.y_train).item()
    optimizer = torch.optim.Adam(model.parameters(), lr=LR)
    loader = DataLoader(TensorDataset(data.x_train, data.y_train), batch_size=BATCH_SIZE, shuffle=True,
                        generator=torch.Generator().manual_seed(LOADER_SEED))
    for epoch in range(1, EPOCHS + 1):
        total = 0.0
        for xb, yb in loader:
            loss = nn.functional.mse_loss(model(xb), yb)
            optimizer.zero_grad()
            (-loss).backward()
            optimizer.step()
            total += loss.item() * len(xb)
        epoch_loss = total / len(data.x_train)
        if diverged(epoch_loss, reference):
            return epoch, epoch_loss, reference
    return None


def test_divergence_by_the_one_definition(language):
    found = _first_diverged_epoch_of_plain_ascent()
    assert found is not None, "gradient ascent should diverge"
    epoch, loss, reference = found
    assert math.isfinite(loss) and loss > DIVERGENCE_FACTOR * reference
    for lang in ("en", "he"):
        language(lang)
        res = check_capstone(gradient_ascent)
        expected = said(gradient_ascent, "capstone.diverged", epoch=epoch, loss=loss, ratio=loss / reference,
                        reference=reference, factor=DIVERGENCE_FACTOR, extra=t("capstone.diverged_hint"))
        assert res.status == "wrong" and res.message == expected, (res, expected)


# ---- ran, but not the loop it should be ---------------------------------------------------------

def test_one_epoch_did_not_learn_and_the_clue_says_why(language):
    before, after = _plain_run(one_epoch)
    assert after > LEARNED_BELOW
    res = check_capstone(one_epoch)
    assert res.message == said(one_epoch, "capstone.not_learned", after=after, before=before,
                               limit=LEARNED_BELOW, problem=t("capstone.counts.passes", passes=1, epochs=EPOCHS)), res


def test_learned_but_not_every_epoch_or_batch(language):
    res = check_capstone(one_epoch_short)
    assert not res.ok and t("capstone.counts.passes", passes=EPOCHS - 1, epochs=EPOCHS) in res.message, res
    res = check_capstone(one_batch_per_epoch)
    assert not res.ok and t("capstone.counts.batches", batches=EPOCHS, passes=EPOCHS, per_pass=BATCHES,
                            expected=STEPS) in res.message, res


def test_a_loop_that_never_ends_is_stopped(language):
    run = run_capstone(forever, epochs=2)
    assert run.stopped == "runaway" and run.count("forward") == RUNAWAY * 2 * BATCHES + 1
    assert _diagnose(run).message == t("capstone.runaway", factor=RUNAWAY, expected=2 * BATCHES,
                                       forward=run.count("forward"), steps=run.count("step"), batches=run.batches)


# ---- bad answers: a clear message, never an exception -------------------------------------------

def test_an_error_in_the_loop_is_named_with_its_line(language):
    for lang in ("en", "he"):
        language(lang)
        res = check_capstone(typo)
        assert res.status == "wrong"
        assert res.message == said(typo, "capstone.raised",
                                error="AttributeError: 'Tensor' object has no attribute 'backwards'",
                                where=t("capstone.raised_line", line="loss.backwards()")), res
        assert "Traceback" not in res.message


@pytest.mark.parametrize("answer", [5, "train", [correct], torch.zeros(2), int])
def test_not_a_function(language, answer):
    for lang in ("en", "he"):
        language(lang)
        res = check_capstone(answer)
        assert res.status == "invalid" and not res.ok
        assert t("capstone.expect") in res.message
        assert type(answer).__name__ in res.message or repr(answer)[:12] in res.message, res


def test_none_says_pass_the_function_itself(language):
    for lang in ("en", "he"):
        language(lang)
        res = check_capstone(None)
        assert res.status == "invalid" and res.message == t("capstone.none", expected=t("capstone.expect"))


@pytest.mark.parametrize("answer,shown", [
    (lambda model, optimizer: None, "<lambda>(model, optimizer)"),
    (lambda a, b, c, d, e, f: None, "<lambda>(a, b, c, d, e, f)"),
])
def test_wrong_parameters(language, answer, shown):
    for lang in ("en", "he"):
        language(lang)
        res = check_capstone(answer)
        assert res.status == "invalid"
        assert res.message.startswith(t("capstone.signature", got=shown, problem="", expected="")[:30]), res
        assert shown in res.message and t("capstone.expect") in res.message


def test_the_blank_is_unanswered(language):
    for lang in ("en", "he"):
        language(lang)
        res = check_capstone(...)
        assert res.status == "unanswered" and res.message == t("check.unanswered")


def test_registered_and_wired_into_check_and_reveal(language):
    """check() counts different wrong loops like any wrong answer; the third one, and reveal(), show ANSWER."""
    assert EXERCISES["08.capstone"] is check_capstone
    assert check("08.capstone", correct).ok
    for lang in ("en", "he"):
        language(lang)
        assert reveal("08.capstone").message == t("check.reveal", id="08.capstone", answer=ANSWER)
    language("en")
    wrong = [no_zero_grad, step_before_backward, no_step]
    for i, fn in enumerate(wrong, start=1):
        res = check("08.capstone", fn)
        assert res.message.startswith(check_capstone(fn).message)
        if i < REVEAL_AFTER:
            assert ANSWER not in res.message
    assert res.message.endswith(t("check.revealed_after", tries=len(wrong), answer=ANSWER))


# ---- no global side effects ---------------------------------------------------------------------

@pytest.mark.parametrize("fn", [draws_random_numbers, typo, gradient_ascent])
def test_global_state_is_left_alone(fn):
    torch.manual_seed(1234)
    before = torch.get_rng_state()
    np_before = np.random.get_state()[1].copy()
    threads = torch.get_num_threads()
    torch.set_num_threads(2)
    try:
        check_capstone(fn)
        assert torch.equal(torch.get_rng_state(), before)
        assert np.array_equal(np.random.get_state()[1], np_before)
        assert torch.get_num_threads() == 2
    finally:
        torch.set_num_threads(threads)


def test_reproducible():
    assert run_capstone(correct).after == run_capstone(correct).after


@pytest.mark.parametrize("events,at,shown", [
    # zero_grad at the top of the batch belongs to it; the batch ends where the events end
    (["zero_grad", "forward", "loss", "step", "backward"], 3, "zero_grad() → model(xb) → loss_fn → step() → backward()"),
    # the second of two batches: from its own zero_grad, not the first batch's step
    (["zero_grad", "forward", "loss", "backward", "step", "zero_grad", "forward", "loss", "step", "backward"], 8,
     "zero_grad() → model(xb) → loss_fn → step() → backward()"),
    # a batch that starts the run: nothing before its forward, whatever the last event is
    (["forward", "loss", "step", "backward", "zero_grad"], 2, "model(xb) → loss_fn → step() → backward() → zero_grad()"),
    # up to the next forward pass: a zero_grad between is shown, the next forward is not
    (["forward", "step", "zero_grad", "loss", "forward", "loss"], 1, "model(xb) → step() → zero_grad() → loss_fn"),
    (["forward", "loss", "step", "zero_grad", "forward"], 2, "model(xb) → loss_fn → step() → zero_grad()"),
    # no forward pass before the event: the batch starts at the first event
    (["step", "forward", "loss"], 0, "step()"),
])
def test_batch_order_shows_the_batch_around_the_event(events, at, shown):
    """The order quoted in the capstone's "step inside the graph" message (capstone._batch_order), literal."""
    from lessonlib.capstone import _batch_order

    assert _batch_order(events, at) == shown


def trains_a_copy(model, optimizer, loss_fn, loader, epochs):
    """Every call is there and in order, but backward() goes through a copy of the net: the real
    weights get no gradient, so optimizer.step() never moves them."""
    import copy

    for epoch in range(epochs):
        for xb, yb in loader:
            twin = copy.deepcopy(model)
            loss = loss_fn(twin(xb), yb)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()


def test_steps_that_move_nothing_are_named(language):
    for lang in ("en", "he"):
        language(lang)
        res = check_capstone(trains_a_copy)
        assert res.status == "wrong" and res.mistake == "capstone.not_moved", res
        assert res.message == said(trains_a_copy, "capstone.not_moved", steps=STEPS), res


class TwoArgLoop:
    """A callable object (no __name__) that takes two arguments, not five."""

    def __call__(self, model, optimizer):
        return None


def test_a_callable_object_with_the_wrong_parameters_is_named_by_its_class(language):
    for lang in ("en", "he"):
        language(lang)
        res = check_capstone(TwoArgLoop())
        assert res.status == "invalid", res
        assert res.message == t("capstone.signature", got="TwoArgLoop(model, optimizer)",
                                problem="too many positional arguments", expected=t("capstone.expect")), res


def two_steps_per_batch(model, optimizer, loss_fn, loader, epochs):
    for epoch in range(epochs):
        for xb, yb in loader:
            loss = loss_fn(model(xb), yb)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            optimizer.step()


def test_two_steps_per_batch_is_told_the_counts(language):
    """Two updates per batch (with the seeded data, net and loader: loss 0.17, not under LEARNED_BELOW): the
    message gives the count that is off, steps against batches."""
    run = run_capstone(two_steps_per_batch)
    assert run.count("step") == 2 * STEPS and run.batches == STEPS and not run.after < LEARNED_BELOW
    for lang in ("en", "he"):
        language(lang)
        res = check_capstone(two_steps_per_batch)
        assert res.message == said(two_steps_per_batch, "capstone.not_learned", after=run.after, before=run.before,
                                   limit=LEARNED_BELOW,
                                   problem=t("capstone.counts.steps", steps=2 * STEPS, batches=STEPS)), res


def step_before_backward_zero_grad_last(model, optimizer, loss_fn, loader, epochs):
    """step() before backward(), zero_grad() at the bottom: the first step comes before any zero_grad()."""
    for epoch in range(epochs):
        for xb, yb in loader:
            loss = loss_fn(model(xb), yb)
            optimizer.step()
            loss.backward()
            optimizer.zero_grad()


def test_wrong_order_from_the_start_of_the_run(language):
    fn = step_before_backward_zero_grad_last
    assert not run_capstone(fn).moved
    for lang in ("en", "he"):
        language(lang)
        res = check_capstone(fn)
        assert res.message == said(fn, "capstone.wrong_order_unmoved", before=t("capstone.from_start"),
                                   between="model(xb) → loss_fn",
                                   order="model(xb) → loss_fn → step() → backward() → zero_grad()"), res


def loops_but_calls_nothing(model, optimizer, loss_fn, loader, epochs):
    for epoch in range(epochs):
        for xb, yb in loader:
            pass


def two_backwards_per_step(model, optimizer, loss_fn, loader, epochs):
    """As many zero_grad() as step(), but two backward() between them: the second adds onto the first."""
    for epoch in range(epochs):
        for xb, yb in loader:
            loss_fn(model(xb), yb).backward()
            loss_fn(model(xb), yb).backward()
            optimizer.step()
            optimizer.zero_grad()


def test_a_loop_over_the_batches_that_calls_nothing_is_told_the_counts(language):
    res = check_capstone(loops_but_calls_nothing)
    assert res.message == said(loops_but_calls_nothing, "capstone.no_step", forward=0, loss=0, zero_grad=0,
                               backward=0), res


def test_zero_grad_as_often_as_step_but_misplaced(language):
    run = run_capstone(two_backwards_per_step)
    assert run.count("zero_grad") == run.count("step") == STEPS and run.stale_backwards == STEPS
    for lang in ("en", "he"):
        language(lang)
        res = check_capstone(two_backwards_per_step)
        assert res.message == said(two_backwards_per_step, "capstone.zero_grad_misplaced", stale=STEPS,
                                   backward=2 * STEPS), res
