"""nbval over the lessons, with the exercises and the student edition checked in the same pytest run.

Loaded by the root conftest.py; it changes nothing unless nbval is on (`--nbval`, the project's
addopts). Every lesson used to run three times under pytest (nbval; again with the solutions in
place, tests/test_exercise_notebooks.py; and its student copy, one long test). Now:

* "checked" notebooks: nbval (strict, the same sanitizers) runs each lesson once, with a cell
  inserted after each exercise cell (tests/nbcheck_kernel.py) that checks the solution and the
  recorded wrong answer in a forked copy of the kernel, so the lesson's own state, and so every
  committed output after it, is untouched. The committed cells keep nbval's names and numbers
  (`notebooks/he/04_zero_grad.ipynb::Cell 12`); an inserted check is named after the exercise
  cell it follows (`...::Cell 12 exercise 04.micro_scale`) and fails on an exception only (its
  output is not compared).
* student copies: each lesson's copy from tools/student.py (what `make student` writes) is its own
  nbval file, `notebooks/he/04_zero_grad.ipynb[student]`, so pytest-xdist spreads the copies over
  the workers like the lessons instead of running all of them as one test on one worker.

A notebook is a lesson here when it has a cell tagged `solution` (the student copies have none,
so they run as plain nbval anywhere, e.g. in tests/test_student.py's own runs).
"""
from __future__ import annotations

import json
import pathlib
import shutil
import tempfile

import pytest

from tests.nbtools import LANGS, NOTEBOOKS, ROOT, exercises

KERNEL_SIDE = pathlib.Path(__file__).with_name("nbcheck_kernel.py")
META = "nbcheck"                 # metadata key of an inserted cell
STUDENT = "[student]"            # suffix of a student copy's node id


def is_lesson(path: pathlib.Path) -> bool:
    try:
        cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError):
        return False
    return any("solution" in c.get("metadata", {}).get("tags", []) for c in cells)


def lang_of(path: pathlib.Path) -> str:
    return path.parent.name if path.parent.name in LANGS else "en"


def check_cell_source(spec: dict) -> str:
    """The inserted cell: runs tests/nbcheck_kernel.py with SPEC, binding no name in the lesson."""
    return (f"# Inserted by tests/nbchecked.py for nbval (not in the lesson): {spec['where']}\n"
            f"exec(compile(__import__('pathlib').Path({str(KERNEL_SIDE)!r}).read_text(encoding='utf-8'), "
            f"{str(KERNEL_SIDE)!r}, 'exec'), {{'SPEC': {json.dumps(spec, ensure_ascii=True)}}})")


def exercise_checks(nb, path: pathlib.Path) -> list[tuple[int, dict]]:
    """[(index of the exercise cell in nb.cells, spec of the check inserted after it)]."""
    try:
        rel = path.relative_to(NOTEBOOKS).as_posix()
    except ValueError:
        rel = path.name
    code_numbers, n = {}, 0
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "code":
            code_numbers[i] = n
            n += 1
    found = []
    for ex in exercises(nb):
        where = f"{rel} exercise {ex['id']} (code cell {code_numbers.get(ex['index'])})"
        found.append((ex["index"], {"root": str(ROOT), "where": where, "id": ex["id"], "lang": lang_of(path),
                                    "wrong_answer": ex["wrong_answer"], "solution": ex["solution"],
                                    "cell": code_numbers.get(ex["index"])}))
    return found


def _nbval():
    from nbval.plugin import IPyNbCell, IPyNbFile
    return IPyNbCell, IPyNbFile


def checked_file_class():
    from collections import defaultdict

    import nbformat

    IPyNbCell, IPyNbFile = _nbval()

    class CheckedNbFile(IPyNbFile):
        """nbval's notebook, plus one check item after each exercise cell."""

        def collect(self):
            items = list(super().collect())          # nbval's own items (reads the notebook into self.nb)
            checks = dict(exercise_checks(self.nb, pathlib.Path(str(self.fspath))))
            by_cell = {id(self.nb.cells[i]): spec for i, spec in checks.items()}
            if not checks:
                raise ValueError(f"{self.fspath}: a lesson (it has solution cells) without exercises")
            for item in items:
                yield item
                spec = by_cell.get(id(item.cell))
                if spec is None:
                    continue
                cell = nbformat.v4.new_code_cell(check_cell_source(spec), metadata={
                    "tags": ["nbval-ignore-output"], META: {"exercise": spec["id"]}})
                yield IPyNbCell.from_parent(self, name=f"Cell {spec['cell']} exercise {spec['id']}",
                                            cell_num=spec["cell"], cell=cell,
                                            options=defaultdict(bool, check=False))

    return CheckedNbFile


def student_file_class():
    _, IPyNbFile = _nbval()

    class StudentNbFile(IPyNbFile):
        """nbval over a lesson's student copy (written by tools/student.py into a temporary folder)."""

    return StudentNbFile


def _student_edition(config) -> pathlib.Path:
    """The student edition, built once per pytest process (each xdist worker builds its own)."""
    out = getattr(config, "_nbchecked_student", None)
    if out is None:
        from tools import student

        out = pathlib.Path(tempfile.mkdtemp(prefix="rb109-student-"))
        config._nbchecked_student = out
        student.build(out, notebooks=NOTEBOOKS)
    return out


def pytest_unconfigure(config):
    out = getattr(config, "_nbchecked_student", None)
    if out is not None:
        shutil.rmtree(out, ignore_errors=True)


@pytest.hookimpl(wrapper=True)
def pytest_collect_file(file_path: pathlib.Path, parent):
    collected = yield
    opt = parent.config.option
    if not (getattr(opt, "nbval", False) and file_path.suffix == ".ipynb" and collected):
        return collected
    _, IPyNbFile = _nbval()
    if not any(type(c) is IPyNbFile for c in collected) or not is_lesson(file_path):
        return collected
    CheckedNbFile = checked_file_class()
    out = [CheckedNbFile.from_parent(parent, path=file_path) if type(c) is IPyNbFile else c for c in collected]
    if file_path.parent.parent == NOTEBOOKS and file_path.parent.name in LANGS:
        copy = _student_edition(parent.config) / file_path.parent.name / file_path.name
        rel = file_path.relative_to(ROOT).as_posix()
        out.append(student_file_class().from_parent(parent, path=copy, name=file_path.name + STUDENT,
                                                    nodeid=rel + STUDENT))
    return out
