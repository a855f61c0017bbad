"""Slides: the slide structure of every lesson (both editions) and the offline reveal.js build."""
from __future__ import annotations

import pytest

from tests import nbtools
from tools import slide_meta

TYPES = {"slide", "subslide", "fragment", "-", "skip", "notes"}
SHOWN = {"slide", "subslide", "fragment", "-"}
STARTS = {"slide", "subslide"}


def slide_type(cell: dict) -> str | None:
    return cell.get("metadata", {}).get("slideshow", {}).get("slide_type")


def slides_of(nb: dict) -> list[list[int]]:
    """The cell indices shown on each slide/subslide, in order (skipped and notes cells left out)."""
    slides: list[list[int]] = []
    for i, c in enumerate(nb["cells"]):
        t = slide_type(c)
        if t not in SHOWN:
            continue
        if t in STARTS or not slides:
            slides.append([])
        slides[-1].append(i)
    return slides


EDITIONS = [(lang, name) for name in nbtools.lesson_names() for lang in nbtools.LANGS]


@pytest.fixture(scope="module")
def notebooks():
    return {(lang, name): nbtools.load(nbtools.NOTEBOOKS / lang / f"{name}.ipynb") for lang, name in EDITIONS}


def test_there_are_lessons():
    assert len(EDITIONS) == 18, EDITIONS


@pytest.mark.parametrize("lang,name", EDITIONS)
def test_every_cell_has_a_slide_type(notebooks, lang, name):
    nb = notebooks[lang, name]
    missing = [i for i, c in enumerate(nb["cells"]) if slide_type(c) not in TYPES]
    assert not missing, f"{lang}/{name}: cells without a valid metadata.slideshow.slide_type: {missing} (run python -m tools.slide_meta)"


@pytest.mark.parametrize("lang,name", EDITIONS)
def test_first_shown_cell_starts_a_slide(notebooks, lang, name):
    nb = notebooks[lang, name]
    first = next(i for i, c in enumerate(nb["cells"]) if slide_type(c) in SHOWN)
    assert slide_type(nb["cells"][first]) == "slide", f"{lang}/{name}: first shown cell {first} is {slide_type(nb['cells'][first])!r}"


@pytest.mark.parametrize("lang,name", EDITIONS)
def test_setup_cells_are_skipped(notebooks, lang, name):
    nb = notebooks[lang, name]
    for i, c in enumerate(nb["cells"]):
        if slide_meta.is_setup_or_install(c, i):
            assert slide_type(c) == "skip", f"{lang}/{name} cell {i}: setup/install cell shown on a slide"


@pytest.mark.parametrize("lang,name", EDITIONS)
def test_solutions_are_never_shown(notebooks, lang, name):
    nb = notebooks[lang, name]
    shown = [i for i, c in enumerate(nb["cells"]) if "solution" in nbtools.tags(c) and slide_type(c) != "skip"]
    assert not shown, f"{lang}/{name}: solution cells {shown} are not 'skip'"


@pytest.mark.parametrize("lang,name", EDITIONS)
def test_each_exercise_has_its_own_slide_without_solution(notebooks, lang, name):
    nb = notebooks[lang, name]
    cells = nb["cells"]
    exercises = [i for i, c in enumerate(cells) if c.get("metadata", {}).get("lessonlib", {}).get("exercise")]
    assert exercises, f"{lang}/{name}: no exercise cells"
    slides = slides_of(nb)
    for i in exercises:
        on = [s for s in slides if i in s]
        assert on, f"{lang}/{name} cell {i}: the exercise cell is not shown on any slide"
        slide = on[0]
        others = [j for j in slide if j != i and cells[j].get("metadata", {}).get("lessonlib", {}).get("exercise")]
        assert not others, f"{lang}/{name} cell {i}: shares its slide with exercise cells {others}"
        bad = [j for j in slide if {"solution", "hint"} & set(nbtools.tags(cells[j]))
               or cells[j].get("metadata", {}).get("lessonlib", {}).get("answers")]
        assert not bad, f"{lang}/{name} cell {i}: the exercise's slide also shows hint/solution/answer cells {bad}"
        # the exercise's own prose (the markdown cell just before it) opens that slide
        prose = i - 1
        assert slide[0] == prose and cells[prose]["cell_type"] == "markdown", \
            f"{lang}/{name} cell {i}: the exercise's slide does not start with its prose (starts at cell {slide[0]})"


@pytest.mark.parametrize("name", nbtools.lesson_names())
def test_he_and_en_have_the_same_slides(notebooks, name):
    he = [slide_type(c) for c in notebooks["he", name]["cells"]]
    en = [slide_type(c) for c in notebooks["en", name]["cells"]]
    diff = [i for i, (a, b) in enumerate(zip(he, en)) if a != b]
    assert len(he) == len(en) and not diff, f"{name}: slide types differ between he and en at cells {diff}"


# --- the script's rules, on a small made-up lesson ------------------------------------------------

def _md(text, **meta):
    return {"cell_type": "markdown", "metadata": dict(meta), "source": text}


def _code(text, outputs=(), **meta):
    return {"cell_type": "code", "metadata": dict(meta), "source": text, "outputs": list(outputs), "execution_count": None}


def _lesson():
    long_out = {"output_type": "stream", "name": "stdout", "text": "x\n" * 40}
    return {"cells": [
        _md("# Title"),
        _code('import sys\nif "google.colab" in sys.modules:\n    pass', tags=["nbval-ignore-output"]),
        _code('import lessonlib\nlessonlib.setup(lang="en")'),
        _md("## An idea\n\nsome prose"),
        _code("print(1)"),
        _code("print(2)", [long_out]),
        _md("Now answer this:"),
        _code("answer = ...", tags=["exercise"], lessonlib={"exercise": {"id": "x.y"}}),
        _md("<details><summary>Hint</summary>\n\nthink\n\n</details>", tags=["hint"]),
        _md("<details><summary>Solution</summary>\n\n```python\nanswer = 1\n```\n\n</details>", tags=["solution"]),
        _code("print(answer)", lessonlib={"answers": "x.y"}),
        _md("### A detail"),
    ]}


def test_rules_on_a_made_up_lesson():
    nb = _lesson()
    assert slide_meta.slide_types(nb, nb, "made_up") == [
        "slide", "skip", "skip", "slide", "-", "subslide",   # 40 output lines do not fit: own sub-slide
        "subslide", "-",                                     # the exercise: its prose opens its slide
        "subslide", "skip",                                  # hint below it, solution never shown
        "subslide", "subslide"]                              # the answer cell after them, ### heading


def test_rules_are_deterministic():
    nb = _lesson()
    assert slide_meta.slide_types(nb, nb) == slide_meta.slide_types(_lesson(), _lesson())


def test_editions_out_of_step_get_a_clear_message():
    nb = _lesson()
    shorter = {"cells": nb["cells"][:-1]}
    with pytest.raises(SystemExit, match="differ in their cells"):
        slide_meta.slide_types(nb, shorter, "made_up")
