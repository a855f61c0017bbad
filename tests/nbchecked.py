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
* the student copy (tools/student.py, what `make student` writes) is checked inside the same run
  (tests/nbstudent_kernel.py). Its code cells are the lesson's but for the setup line (answers off;
  checked at collection), so only a cell that reads the answers flag can do anything else: before each
  cell that calls check() or reveal(), and the setup cell, an item `...::Cell 12 student copy` forks
  the kernel, runs the copy's cell with answers off and shows its outputs, and nbval compares them with
  the copy's committed outputs (the cell's own options and sanitizers). A recorder installed after the
  setup cell notes every read of the flag, and the last item (`...: no other cell read the answers
  flag`) fails the lesson if a cell read it without a student run. Every lesson used to run a second
  time as its copy (22 kernels); now the copy costs a fork per check cell.

* a cell tagged `numbers-vary-by-cpu` prints numbers whose last digits depend on the CPU's float32
  arithmetic (tools/arithmetic.py). On the machine kind that wrote the outputs it is compared exactly, as
  every cell; on another it is compared with every number masked (MaskedCell: the words, the verdicts and
  the count of numbers must match, and its asserts run), in any notebook nbval runs.

A notebook is a lesson here when it has a cell tagged `solution` (a student copy has none: it runs as
plain nbval anywhere, e.g. `pytest build/student/he/04_zero_grad.ipynb` after `make student`).
"""
from __future__ import annotations

import functools
import json
import pathlib
import re

import pytest

from tests.nbtools import LANGS, NOTEBOOKS, ROOT, exercises
from tools.arithmetic import TAG, mask_numbers, same_as_reference

KERNEL_SIDE = pathlib.Path(__file__).with_name("nbcheck_kernel.py")
META = "nbcheck"                 # metadata key of an inserted cell


def is_lesson(path: pathlib.Path) -> bool:
    try:
        cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
    except (OSError, ValueError):
        return False
    return any("solution" in c.get("metadata", {}).get("tags", []) for c in cells)


def lang_of(path: pathlib.Path) -> str:
    return path.parent.name if path.parent.name in LANGS else "en"


INSERTED_HEADER = "# Inserted by tests/nbchecked.py for nbval (not in the lesson)"   # nbstudent_kernel.INSERTED


def check_cell_source(spec: dict) -> str:
    """The inserted cell: runs tests/nbcheck_kernel.py with SPEC, binding no name in the lesson."""
    return (f"{INSERTED_HEADER}: {spec['where']}\n"
            f"exec(compile(__import__('pathlib').Path({str(KERNEL_SIDE)!r}).read_text(encoding='utf-8'), "
            f"{str(KERNEL_SIDE)!r}, 'exec'), {{'SPEC': {json.dumps(spec, ensure_ascii=True)}}})")


def exercise_checks(nb, path: pathlib.Path) -> list[tuple[int, dict]]:
    """[(index of the exercise cell in nb.cells, spec of the check inserted after it)]."""
    rel = _rel(path)
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


STUDENT_SIDE = pathlib.Path(__file__).with_name("nbstudent_kernel.py")
# A cell whose output may depend on the answers flag: it calls check() or reveal() (the only readers of
# the flag: lessonlib.text.answers_shown). nbstudent_kernel.verify fails a lesson where another cell read it.
FLAG_READER = re.compile(r"\b(check|reveal)\s*\(")


def kernel_call(side: pathlib.Path, function: str, spec: dict) -> str:
    """An inserted cell's source: runs `function(SPEC)` from `side` in a private namespace; its value (if
    not None) is the cell's result."""
    return (f"{INSERTED_HEADER}: {spec['where']}\n"
            f"(lambda ns: exec(compile(__import__('pathlib').Path({str(side)!r}).read_text(encoding='utf-8'), "
            f"{str(side)!r}, 'exec'), ns) or ns[{function!r}](ns['SPEC']))"
            f"({{'SPEC': {json.dumps(spec, ensure_ascii=True)}}})")


def student_plan(nb, path: pathlib.Path) -> tuple[int, dict[int, dict]] | None:
    """The student copy's cells to run inside the lesson's run: (index of the setup cell among the code
    cells, {code cell index: spec}). The copy's code must be the lesson's but for the setup line.
    None for a notebook without a setup cell outside notebooks/<lang>/ (a small lesson in a test): it
    has no student copy; every course lesson must have one."""
    from tools import student

    lang = lang_of(path)
    rel = _rel(path)
    copy = student.student_copy(nb)           # answers_off() below, once the setup cell is known
    mine = [c for c in nb.cells if c.cell_type == "code"]
    old, new = student.SETUP_LINE.format(lang=lang), student.STUDENT_SETUP_LINE.format(lang=lang)
    setup = [k for k, c in enumerate(mine) if old in c.source]
    if not setup and not (path.parent.parent == NOTEBOOKS and path.parent.name in LANGS):
        return None
    if len(setup) != 1:
        raise ValueError(f"{rel}: expected one setup cell with {old!r}, found {len(setup)}")
    student.answers_off(copy, lang)
    theirs = [c for c in copy.cells if c.cell_type == "code"]
    if len(mine) != len(theirs):
        raise ValueError(f"{rel}: the student copy has {len(theirs)} code cells, the lesson {len(mine)}")
    plan = {}
    for k, (a, b) in enumerate(zip(mine, theirs, strict=True)):
        if b.source != (a.source.replace(old, new) if k == setup[0] else a.source):
            raise ValueError(f"{rel}: the student copy's code cell {k} is not the lesson's: only the setup line "
                             "may differ, or the copy needs a run of its own")
        if k == setup[0] or FLAG_READER.search(a.source) or a.outputs != b.outputs:
            mode = "setup" if k == setup[0] else "answers_off" if k > setup[0] else "as_is"
            plan[k] = {"where": f"{rel} student copy, code cell {k}", "source": b.source, "mode": mode,
                       "outputs": b.outputs, "execution_count": b.execution_count, "lesson_source": a.source}
    return setup[0], plan


def _rel(path: pathlib.Path) -> str:
    try:
        return path.relative_to(NOTEBOOKS).as_posix()
    except ValueError:
        return path.name


@functools.cache
def masked_cell_class():
    IPyNbCell, _ = _nbval()

    class MaskedCell(IPyNbCell):
        """A cell whose printed numbers depend on the CPU's float32 arithmetic (tagged numbers-vary-by-cpu),
        run on a machine whose arithmetic is not the one that wrote the outputs (tools/arithmetic.py): its
        outputs are compared with every number masked, so the text, the verdicts and the number of numbers
        must still match, and the cell's own asserts still run. On the recording machine kind it is not used."""

        def sanitize(self, s):
            return mask_numbers(super().sanitize(s)) if isinstance(s, str) else s

    return MaskedCell


def masked(item):
    """The item as a MaskedCell when its numbers vary by CPU and this CPU is not the recording one."""
    if TAG not in item.cell.metadata.get("tags", []) or same_as_reference():
        return item
    return masked_cell_class().from_parent(item.parent, name=item.name, cell_num=item.cell_num, cell=item.cell,
                                           options=item.options)


def masking_file_class():
    _, IPyNbFile = _nbval()

    class MaskingNbFile(IPyNbFile):
        """nbval's notebook, its cells tagged numbers-vary-by-cpu masked on another arithmetic (masked())."""

        def collect(self):
            for item in super().collect():
                yield masked(item)

    return MaskingNbFile


def checked_file_class():
    from collections import defaultdict

    import nbformat

    IPyNbCell, IPyNbFile = _nbval()

    def inserted(parent, name, cell_num, source, meta, outputs=None, execution_count=None, options=None,
                 cls=IPyNbCell):
        cell = nbformat.v4.new_code_cell(source, metadata={"tags": [] if options else ["nbval-ignore-output"],
                                                           META: meta})
        cell.outputs = outputs or []
        cell.execution_count = execution_count
        return cls.from_parent(parent, name=name, cell_num=cell_num, cell=cell,
                               options=options or defaultdict(bool, check=False))

    class CheckedNbFile(IPyNbFile):
        """nbval's notebook, plus one check item after each exercise cell, and the student copy's cells
        that can differ from the lesson's run before them (module docstring)."""

        def collect(self):
            items = list(super().collect())          # nbval's own items (reads the notebook into self.nb)
            path = pathlib.Path(str(self.fspath))
            checks = dict(exercise_checks(self.nb, path))
            by_cell = {id(self.nb.cells[i]): spec for i, spec in checks.items()}
            if not checks:
                raise ValueError(f"{self.fspath}: a lesson (it has solution cells) without exercises")
            setup, plan = student_plan(self.nb, path) or (None, {})
            rel = _rel(path)
            for k, item in enumerate(items):
                item = masked(item)
                spec = plan.get(k)
                if spec is not None:
                    if item.options.get("check_exception"):
                        raise ValueError(f"{spec['where']}: a cell tagged raises-exception cannot be run as the "
                                         "student copy inside the lesson's run")
                    run_spec = {key: spec[key] for key in ("where", "source", "mode")}
                    yield inserted(self, f"Cell {k} student copy", k, kernel_call(STUDENT_SIDE, "run", run_spec),
                                   {"student": k}, outputs=spec["outputs"], execution_count=spec["execution_count"],
                                   options=defaultdict(bool, item.options), cls=type(item))
                yield item
                if k == setup:
                    yield inserted(self, f"Cell {k} answers-flag recorder", k,
                                   kernel_call(STUDENT_SIDE, "install_recorder", {"where": f"{rel} (setup cell {k})"}),
                                   {"student": "recorder"})
                spec = by_cell.get(id(item.cell))
                if spec is not None:
                    yield inserted(self, f"Cell {spec['cell']} exercise {spec['id']}", spec["cell"],
                                   check_cell_source(spec), {"exercise": spec["id"]})
            if setup is None:
                return
            after = [plan[k]["lesson_source"] for k in sorted(plan) if k > setup]
            yield inserted(self, f"Cell {len(items) - 1} student copy: no other cell read the answers flag",
                           len(items) - 1, kernel_call(STUDENT_SIDE, "verify", {"where": rel, "checked": after}),
                           {"student": "verify"})

    return CheckedNbFile


@pytest.hookimpl(wrapper=True)
def pytest_collect_file(file_path: pathlib.Path, parent):
    collected = yield
    opt = parent.config.option
    if not (getattr(opt, "nbval", False) and file_path.suffix == ".ipynb" and collected):
        return collected
    _, IPyNbFile = _nbval()
    if not any(type(c) is IPyNbFile for c in collected):
        return collected
    cls = checked_file_class() if is_lesson(file_path) else masking_file_class()
    return [cls.from_parent(parent, path=file_path) if type(c) is IPyNbFile else c for c in collected]
