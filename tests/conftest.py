"""Fixtures shared by the unit tests."""
import pytest

from lessonlib.text import get_language, set_language


@pytest.fixture
def language():
    """Switch lessonlib's language inside a test; always back to English afterwards."""
    assert get_language() == "en"
    yield set_language
    set_language("en")
