"""Expected values computed once per session (lessonlib.exercises._computed_once): plain values, the same
answer as a fresh computation, and clear_cache() forgets them."""
import pytest

from lessonlib import exercises
from lessonlib.exercises import EXERCISES, check, clear_cache


def _plain(value) -> bool:
    if isinstance(value, tuple):
        return all(_plain(v) for v in value)
    return type(value) in (bool, int, float)


@pytest.fixture(scope="module")
def cached_then_recomputed() -> dict[str, tuple]:
    """Every exercise's result for its expected answer: checked twice with the values cached, then once
    more after a single clear_cache() for all of them (each value computed afresh once, rather than
    everything again for each exercise)."""
    results = {}
    for exercise_id in sorted(EXERCISES):
        fresh = EXERCISES[exercise_id](...)            # the expected answer (Ellipsis: the blank)
        answer = fresh.expected if fresh.expected is not None else 0
        results[exercise_id] = (answer, check(exercise_id, answer), check(exercise_id, answer))
    clear_cache()
    return {i: (first, again, check(i, answer)) for i, (answer, first, again) in results.items()}


@pytest.mark.parametrize("exercise_id", sorted(EXERCISES))
def test_a_cached_expected_value_gives_the_same_result_as_a_fresh_one(exercise_id, cached_then_recomputed):
    first, again, recomputed = cached_then_recomputed[exercise_id]
    assert (first.status, first.message) == (again.status, again.message) == (recomputed.status, recomputed.message)


def test_cached_values_are_plain_and_cleared():
    assert len(exercises._CACHED) >= 7
    for exercise_id in sorted(EXERCISES):
        EXERCISES[exercise_id](...)
    assert all(fn.cache_info().currsize for fn in exercises._CACHED), "a cached helper no exercise uses"
    for fn in exercises._CACHED:   # a model or a tensor in the cache could be changed by a caller
        code = fn.__wrapped__.__code__
        if code.co_argcount == 0 and not code.co_flags & 0x08:      # no arguments, no **kwargs
            assert _plain(fn()), f"{fn.__wrapped__.__name__} caches {fn()!r}, not plain numbers, shapes or booleans"
    assert _plain(exercises._ex04_extra_step_moves(True)) and _plain(exercises._ex10_shape(padding=0))
    clear_cache()
    assert all(fn.cache_info().currsize == 0 for fn in exercises._CACHED)


def test_a_second_check_uses_the_cache():
    check("04.micro_scale", 1.0)
    hits = exercises._ex04_micro_scale_value.cache_info().hits
    check("04.micro_scale", 2.0)
    assert exercises._ex04_micro_scale_value.cache_info().hits == hits + 1
