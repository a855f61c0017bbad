"""The student edition (make student, tools/student.py): no solution survives, the hints do, answers
are off (setup cell, no pointer to a removed solution, no reveal), and the copies still pass nbval
with their committed outputs (checked inside nbval's run of each lesson: tests/nbchecked.py)."""
from __future__ import annotations

import json
import os
import pathlib
import re
import shlex
import subprocess
import sys
import tomllib

import pytest

from tests.nbtools import LANGS, NOTEBOOKS, ROOT, lesson_names, load, source, tags
from tools import student

# Lines of a solution cell that are markup, not solution text.
MARKUP = ("```", "<details", "</details", "<summary", "<div", "</div")


@pytest.fixture(scope="module")
def edition(tmp_path_factory) -> pathlib.Path:
    out = tmp_path_factory.mktemp("student")
    student.build(out)
    return out


def solution_lines(nb: dict) -> set[str]:
    """The non-trivial lines that only a solution cell has.

    Lines that the lesson also shows outside its solutions (the exercise's own `check(...)`
    call, its given inputs such as `z_ex = [...]`) are not solution text, and stay.
    """
    elsewhere = "\n".join(source(c) for c in nb["cells"] if "solution" not in tags(c))
    lines = set()
    for cell in nb["cells"]:
        if "solution" not in tags(cell):
            continue
        for line in source(cell).splitlines():
            s = line.strip()
            if len(s) < 4 or s.startswith(MARKUP) or s in elsewhere:
                continue
            lines.add(s)
    return lines


def pairs():
    return [(lang, name) for lang in LANGS for name in lesson_names()]


def test_every_lesson_is_copied_in_both_editions(edition):
    for lang in LANGS:
        got = sorted(p.name for p in (edition / lang).glob("*.ipynb"))
        assert got == sorted(p.name for p in (NOTEBOOKS / lang).glob("*.ipynb")), lang
    assert len(pairs()) == len(list(NOTEBOOKS.glob("*/*.ipynb"))) >= 20   # 00-09 at least, both editions


@pytest.mark.parametrize("lang,name", pairs())
def test_no_solution_text_survives(edition, lang, name):
    src = load(NOTEBOOKS / lang / f"{name}.ipynb")
    lines = solution_lines(src)
    assert lines, f"{lang}/{name}: the source has no solution text to remove"
    copy_text = (edition / lang / f"{name}.ipynb").read_text(encoding="utf-8")
    copy = load(edition / lang / f"{name}.ipynb")
    everything = copy_text + "\n" + "\n".join(source(c) for c in copy["cells"])   # raw JSON and decoded
    survivors = sorted(s for s in lines if s in everything)
    assert not survivors, f"{lang}/{name}: solution text in the student copy: {survivors[:3]}"
    assert not [c for c in copy["cells"] if "solution" in tags(c)]


@pytest.mark.parametrize("lang,name", pairs())
def test_hints_and_everything_else_survive(edition, lang, name):
    src = load(NOTEBOOKS / lang / f"{name}.ipynb")
    copy = load(edition / lang / f"{name}.ipynb")
    kept = [c for c in src["cells"] if "solution" not in tags(c)]
    n_solutions = len(src["cells"]) - len(kept)
    assert n_solutions > 0
    assert len(copy["cells"]) == len(src["cells"]) - n_solutions
    # every other cell, in order, as it was: hints, exercise metadata, outputs, collapsed answers.
    # Answers off changes only the setup line, prose that named a solution or an answer, and the
    # "try again" tail of a committed check() output (each tested below).
    for a, b in zip(kept, copy["cells"], strict=True):
        assert {k: v for k, v in a.items() if k not in ("source", "outputs")} == \
               {k: v for k, v in b.items() if k not in ("source", "outputs")}
        if source(a) != source(b):
            assert a["cell_type"] == "markdown" or SETUP[lang] in source(a), source(a)[:80]
            assert "hint" not in tags(a)
        if a.get("outputs") != b.get("outputs"):
            assert TRY_AGAIN_ON[lang] in json.dumps(a["outputs"], ensure_ascii=False), source(a)[:80]
    hints = [source(c) for c in src["cells"] if "hint" in tags(c)]
    assert hints and hints == [source(c) for c in copy["cells"] if "hint" in tags(c)]
    answers = [c for c in copy["cells"] if c.get("metadata", {}).get("lessonlib", {}).get("answers")]
    assert all(c["metadata"]["jupyter"]["outputs_hidden"] is True for c in answers)
    assert copy["metadata"] == src["metadata"]


# ---- answers off -----------------------------------------------------------------------------------

SETUP = {lang: f'lessonlib.setup(lang="{lang}")' for lang in LANGS}
STUDENT_SETUP = {lang: f'lessonlib.setup(lang="{lang}", answers=False)' for lang in LANGS}
# The start of the answers-on "try again" tail (it promises the answer and names reveal()).
TRY_AGAIN_ON = {"en": "The answer appears after", "he": "התשובה תוצג אחרי"}
# What must not be in a student copy: prose pointing at a solution cell, reveal(), the answers-on
# tail, the catalog's reveal texts. Written out here, not taken from tools/student.py.
POINTER_PHRASES = {
    "en": ("solution", "reveal(", "The answer appears after", "here is the expected answer", "The fix (A)"),
    "he": ("אחרי הפתרון", "ופתרון", "הפתרון שמתחת", "פתחו את הפתרון", "reveal(", "התשובה תוצג אחרי",
           "הנה התשובה הצפויה", "התיקון (A)"),
}


def prose(nb: dict) -> str:
    return "\n".join(source(c) for c in nb["cells"] if c["cell_type"] == "markdown")


def outputs_text(nb: dict) -> str:
    return "\n".join(json.dumps(c.get("outputs", []), ensure_ascii=False) for c in nb["cells"])


@pytest.mark.parametrize("lang,name", pairs())
def test_every_setup_cell_turns_answers_off(edition, lang, name):
    src = load(NOTEBOOKS / lang / f"{name}.ipynb")
    copy = load(edition / lang / f"{name}.ipynb")
    setups = [c for c in copy["cells"] if c["cell_type"] == "code" and "lessonlib.setup(" in source(c)]
    assert len(setups) == 1
    assert STUDENT_SETUP[lang] in source(setups[0]).splitlines()
    assert SETUP[lang] not in source(setups[0])
    teaching = [c for c in src["cells"] if c["cell_type"] == "code" and SETUP[lang] in source(c)]
    assert len(teaching) == 1
    # the same output: lessonlib.setup(..., answers=False) draws the same as setup(...), so nbval holds
    assert setups[0]["outputs"] == teaching[0]["outputs"] and setups[0]["outputs"]


@pytest.mark.parametrize("lang", LANGS)
def test_no_pointer_to_a_solution_or_an_answer_survives(edition, lang):
    found_in_teaching = set()
    for name in lesson_names():
        src = load(NOTEBOOKS / lang / f"{name}.ipynb")
        kept = {"cells": [c for c in src["cells"] if "solution" not in tags(c)]}
        copy = load(edition / lang / f"{name}.ipynb")
        text_prose, text_out = prose(copy), outputs_text(copy)
        for phrase in POINTER_PHRASES[lang]:
            if phrase in prose(kept) or phrase in outputs_text(kept):
                found_in_teaching.add(phrase)
            where = "prose" if phrase.lower() in text_prose.lower() else "outputs" if phrase in text_out else ""
            assert not where, f"{lang}/{name}: {phrase!r} in the student copy's {where}"
    # the test has teeth: the teaching edition has these pointers (outside its solution cells)
    assert len(found_in_teaching) >= 4, found_in_teaching


@pytest.mark.parametrize("lang", LANGS)
def test_after_the_hint_points_at_the_settling_code_cell(edition, lang):
    """"after the solution" became "after the hint": the hint must come next, and a code cell after it."""
    phrase = {"en": "after the hint", "he": "אחרי הרמז"}[lang]
    used = 0
    for name in lesson_names():
        cells = load(edition / lang / f"{name}.ipynb")["cells"]
        for i, cell in enumerate(cells):
            if cell["cell_type"] != "markdown" or phrase not in source(cell) or "hint" in tags(cell):
                continue
            used += 1
            hint = next(j for j in range(i + 1, len(cells)) if "hint" in tags(cells[j]))
            assert all("exercise" in tags(c) for c in cells[i + 1:hint]), f"{name} cell {i}: not its own hint"
            assert cells[hint + 1]["cell_type"] == "code", f"{name} cell {hint + 1}"
    assert used >= 8


@pytest.mark.parametrize("lang", LANGS)
def test_the_committed_check_output_is_what_the_copy_prints(edition, lang):
    """Lesson 00 shows a wrong answer: the copy's committed output is the answers-off run's own."""
    import lessonlib
    from lessonlib.exercises import check, reset_tries

    copy = load(edition / lang / "00_start_here.ipynb")
    cells = [c for c in copy["cells"] if c["cell_type"] == "code" and 'check("00.predict_backward", 6)' in source(c)]
    assert len(cells) == 1
    data = cells[0]["outputs"][0]["data"]
    try:
        reset_tries()
        lessonlib.setup(lang=lang, answers=False)
        res = check("00.predict_backward", 6)
        html = res._repr_html_()                 # drawn in the lesson's language
    finally:
        lessonlib.setup(lang="en")
    assert "".join(data["text/plain"]) == repr(res)
    assert "".join(data["text/html"]) == html
    assert TRY_AGAIN_ON[lang] not in repr(res)


def test_every_rewrite_is_used():
    """A rewrite that no longer matches anything means the prose changed: the mapping is stale."""
    for lang in LANGS:
        everything = "\n".join(prose(load(p)) for p in sorted((NOTEBOOKS / lang).glob("*.ipynb")))
        for old, new in student.REWRITES[lang]:
            assert old in everything, f"{lang}: rewrite {old[:60]!r} matches nothing"
            assert not any(p in new for p in student.POINTERS[lang])


def test_lesson_08_fix_does_not_name_the_letter(edition):
    """The cell right under exercise 1 said "The fix (A)": in the copy it no longer names the answer."""
    for lang in LANGS:
        cells = load(edition / lang / "08_break_it.ipynb")["cells"]
        ex = next(i for i, c in enumerate(cells) if c.get("metadata", {}).get("lessonlib", {})
                  .get("exercise", {}).get("id") == "08.missing_line")
        after = next(c for c in cells[ex + 1:] if c["cell_type"] == "markdown" and "hint" not in tags(c))
        assert "(A)" not in source(after) and ("The fix" in source(after) or "התיקון" in source(after))


def test_lesson_06_sgd_line_comes_after_exercise_1():
    """Decision (issue 11): the cell that settles 06's Adam prediction also prints SGD's new weight,
    exercise 1's answer. It comes after exercise 1 in both editions (a student working in order has
    answered it), so it stays; this keeps that order true."""
    for lang in LANGS:
        cells = load(NOTEBOOKS / lang / "06_step.ipynb")["cells"]
        ids = [c.get("metadata", {}).get("lessonlib", {}).get("exercise", {}).get("id") for c in cells]
        sgd = ids.index("06.sgd_update")
        prints = [i for i, c in enumerate(cells) if "SGD  w: 0.5 -> 0.7000" in json.dumps(c.get("outputs", []))]
        assert prints and all(i > sgd for i in prints)


def _nb(*cells):
    import nbformat

    return nbformat.v4.new_notebook(cells=list(cells))


def test_a_copy_without_its_setup_cell_is_refused():
    import nbformat

    with pytest.raises(ValueError, match="setup cell"):
        student.student_copy(_nb(nbformat.v4.new_code_cell("x = 1")), "en")


def test_a_pointer_left_in_the_prose_stops_the_build():
    import nbformat

    nb = _nb(nbformat.v4.new_code_cell(SETUP["en"]), nbformat.v4.new_markdown_cell("Now open the solution under it."))
    with pytest.raises(ValueError, match="open the solution"):
        student.student_copy(nb, "en")


@pytest.mark.parametrize("lang", LANGS)
def test_a_committed_output_that_shows_an_answer_is_refused(lang):
    import nbformat
    from lessonlib.text import t

    shown = t("check.revealed_after", lang=lang, tries=3, answer="321")
    cell = nbformat.v4.new_code_cell(SETUP[lang], outputs=[nbformat.v4.new_output(
        "execute_result", data={"text/plain": f"❌ Not yet. {shown}"}, execution_count=1)])
    with pytest.raises(ValueError, match="expected answer"):
        student.student_copy(_nb(cell), lang)


def test_a_code_cell_tagged_solution_is_refused():
    import nbformat

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("answer = 97", metadata={"tags": ["solution"]})])
    with pytest.raises(ValueError, match="must be markdown"):
        student.student_copy(nb)


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "tools.student", *args], cwd=ROOT, capture_output=True,
                          text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})


def test_cli_writes_both_editions(tmp_path):
    proc = run_cli("--out", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr
    n = len(list(NOTEBOOKS.glob("*/*.ipynb")))
    assert n >= 20 and f"{n} notebooks" in proc.stdout
    assert len(list((tmp_path / "out").glob("*/*.ipynb"))) == n


def test_cli_bad_output_folder_is_a_clear_message_not_a_traceback(tmp_path):
    blocker = tmp_path / "a_file"
    blocker.write_text("not a folder")
    proc = run_cli("--out", str(blocker))
    assert proc.returncode == 1
    assert "student edition not written" in proc.stderr and "Traceback" not in proc.stderr


def project_nbval_args() -> list[str]:
    """The project's own nbval options (pyproject addopts), the sanitize file made absolute."""
    with open(ROOT / "pyproject.toml", "rb") as f:
        addopts = shlex.split(tomllib.load(f)["tool"]["pytest"]["ini_options"]["addopts"])
    i = addopts.index("--nbval-sanitize-with")
    addopts[i + 1] = str(ROOT / addopts[i + 1])
    assert "--nbval" in addopts and "--nbval-current-env" in addopts
    return addopts


# The copies pass nbval as they are (their committed outputs are what a run gives): checked inside nbval's
# run of each lesson, where the copy's code can differ from the lesson's (tests/nbchecked.py,
# tests/nbstudent_kernel.py); tests/test_exercise_notebooks.py checks that wiring and the mechanism.


def test_make_student_target_and_build_is_ignored():
    from tests.test_packaging import makefile_recipe

    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^student:\s*install\s*$", text, re.M), "`make student` must depend on install like the others"
    assert any("-m tools.student" in line for line in makefile_recipe("student"))
    assert "build/" in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert "make student" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_a_refused_lesson_is_named(tmp_path):
    """The build says which notebook of which edition it refused."""
    import nbformat

    for lang in LANGS:
        (tmp_path / "nb" / lang).mkdir(parents=True)
        nb = _nb(nbformat.v4.new_code_cell(SETUP[lang]), nbformat.v4.new_markdown_cell("reveal(\"x\") shows it."))
        nbformat.write(nb, tmp_path / "nb" / lang / "09_extra.ipynb")
    with pytest.raises(ValueError, match=r"he/09_extra\.ipynb: prose still points"):
        student.build(tmp_path / "out", notebooks=tmp_path / "nb")
