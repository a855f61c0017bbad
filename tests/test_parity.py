"""The two editions of every lesson stay in lockstep (DESIGN.md: two editions, one lesson)."""
import copy

import pytest

from tests.nbtools import LANGS, NOTEBOOKS, lesson_names, load, parity_problems, source


def test_there_are_lessons():
    assert len(lesson_names()) >= 9, lesson_names()


@pytest.mark.parametrize("name", lesson_names())
def test_editions_in_lockstep(name):
    missing = [lang for lang in LANGS if not (NOTEBOOKS / lang / f"{name}.ipynb").exists()]
    assert not missing, f"{name}: missing the {missing} edition"
    he, en = (load(NOTEBOOKS / lang / f"{name}.ipynb") for lang in LANGS)
    problems = parity_problems(name, he, en)
    assert not problems, "\n".join(problems)


def _pair():
    name = lesson_names()[0]
    return name, *(load(NOTEBOOKS / lang / f"{name}.ipynb") for lang in LANGS)


def test_parity_check_catches_a_changed_code_cell():
    name, he, en = _pair()
    en = copy.deepcopy(en)
    i = next(i for i, c in enumerate(en["cells"]) if c["cell_type"] == "code" and i > 2)
    en["cells"][i]["source"] = source(en["cells"][i]) + "\nprint('only in English')"
    problems = parity_problems(name, he, en)
    assert any(p.startswith(f"{name} cell {i}: code differs") for p in problems), problems
    assert "only in English" in "\n".join(problems)


def test_parity_check_catches_a_missing_cell_and_empty_markdown():
    name, he, en = _pair()
    he2 = copy.deepcopy(he)
    del he2["cells"][-1]
    assert any("cells, en has" in p for p in parity_problems(name, he2, en))
    en2 = copy.deepcopy(en)
    j = next(i for i, c in enumerate(en2["cells"]) if c["cell_type"] == "markdown" and i > 0)
    en2["cells"][j]["source"] = "  "
    assert f"{name} cell {j}: empty markdown in the en edition" in parity_problems(name, he, en2)


def test_parity_check_catches_a_wrong_setup_language():
    name, he, en = _pair()
    he2 = copy.deepcopy(he)
    for c in he2["cells"]:
        if c["cell_type"] == "code":
            c["source"] = source(c).replace('setup(lang="he")', 'setup(lang="en")')
    assert any("expected exactly one lessonlib.setup(lang=\"he\")" in p for p in parity_problems(name, he2, en))
