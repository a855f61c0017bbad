"""Fixtures and settings shared by the unit tests."""
import os

import pytest
from hypothesis import settings

from lessonlib.text import STRICT_ENV, get_language, set_language

# A catalog key that does not exist is a bug the tests must see, not "[missing text: ...]" on a
# page (lessonlib.text.t). test_text checks the lenient behaviour a lesson gets.
os.environ[STRICT_ENV] = "1"

# The suite is deterministic: property tests draw the same examples every run. To hunt for new
# failures, run with HYPOTHESIS_PROFILE=explore (random examples, more of them). No per-example
# deadline: Hypothesis's default (200 ms) is a timing assertion, and `make test` runs its lanes side
# by side on 2 cores (test_bidi's round-trip property once took longer than that under load).
settings.register_profile("deterministic", derandomize=True, deadline=None)
settings.register_profile("explore", derandomize=False, max_examples=2000, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "deterministic"))


@pytest.fixture(autouse=True)
def english():
    """Every test starts in English and leaves the language as it found it."""
    before = get_language()
    set_language("en")
    yield
    set_language(before)


@pytest.fixture(params=["en", "he"])
def each_language(request):
    """The test once in each language, set as lessonlib's (the autouse `english` restores it afterwards)."""
    set_language(request.param)
    yield request.param


@pytest.fixture
def language():
    """Switch lessonlib's language inside a test; always back to English afterwards."""
    assert get_language() == "en"
    yield set_language
    set_language("en")


# Under `make mutate` (mutmut sets MUTANT_UNDER_TEST) every test computes the expected values it needs, so a
# mutant in them is seen by each test mapped to it (tools/mutate_warmup.py).
MUTATING = "MUTANT_UNDER_TEST" in os.environ


@pytest.fixture(autouse=True)
def fresh_tries(request):
    """Every test starts with no wrong tries counted (check() shows the answer after a few).

    The exercises' expected values (lessonlib.exercises' caches: some train a net) are kept from test to
    test, as in a student's kernel, except around a test that patches something (`monkeypatch`): it
    computes them under its patch, and they are forgotten once the patch is undone. Whether a cached value
    equals a fresh one is tested (tests/test_exercises_cache.py); clearing before every test cost about 85
    CPU-s of `make test`."""
    from lessonlib.exercises import clear_cache, reset_tries

    patching = MUTATING or "monkeypatch" in request.fixturenames
    reset_tries()
    if patching:
        clear_cache()
    yield
    reset_tries()
    if patching:
        clear_cache()       # after monkeypatch's undo: this fixture is set up first, so torn down last
