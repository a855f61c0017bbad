"""Every exercise works: its solution makes the checker pass, a wrong answer is told what is wrong.

The checks run inside nbval's run of each lesson (tests/nbchecked.py, loaded by the root
conftest.py): after each exercise cell, an inserted cell forks the kernel and, in the copy, runs
the exercise's solution (its tagged solution cell) and then its recorded wrong answer (a typical
mistake), which must be rejected with a diagnosis in the lesson's language, without showing the
expected answer (tests/nbcheck_kernel.py). One kernel run per lesson checks the committed outputs
and the exercises; the lesson's own state never sees a solution.

This file checks that wiring: every lesson's exercises are complete, nbval collects a check after
each exercise cell, and (on small notebooks written here) a wrong solution, a wrong answer that
passes, or a solution that would change a later cell's output is caught or isolated.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from tests.nbtools import LANGS, NOTEBOOKS, ROOT, exercises, lesson_names, load

CASES = [(lang, name) for name in lesson_names() for lang in LANGS]


@pytest.mark.parametrize("lang,name", CASES, ids=[f"{l}/{n}" for l, n in CASES])
def test_every_exercise_has_a_solution_and_a_wrong_answer(lang, name):
    found = exercises(load(NOTEBOOKS / lang / f"{name}.ipynb"))
    assert found, f"{lang}/{name}: no exercises"
    for ex in found:
        where = f"{lang}/{name} exercise {ex['id']}"
        assert ex["id"], f"{where}: no lessonlib.exercise.id in the cell's metadata"
        assert ex["solution"], f"{where}: no solution cell (markdown tagged solution, with a ```python block) after it"
        assert ex["wrong_answer"], f"{where}: no lessonlib.exercise.wrong_answer in the cell's metadata"
        compile(ex["wrong_answer"], where, "eval")


def project_nbval_args() -> list[str]:
    from tests.test_student import project_nbval_args as args
    return args()


def run_pytest(*args, cwd=ROOT, timeout=900, kernels=False) -> subprocess.CompletedProcess:
    """pytest in a subprocess. kernels=True: a run that executes notebooks, whose nbval kernels are forked
    from this process's zygote, as `make test`'s are (pass `-p conftest`: the project's conftest.py routes
    them there)."""
    if kernels:
        from tests import kernel_zygote

        kernel_zygote.start()              # inherited by the run (RB109_ZYGOTE); None if turned off: plain kernels
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
           "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS", "1")}
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=timeout)


def test_nbval_checks_every_exercise_and_every_student_copy():
    """The project's pytest settings (what `make test` runs) collect, for every lesson of both
    editions, a check right after each exercise cell, and the student copy's cells that can differ
    from the lesson's (the setup cell and every check/reveal call) right before them, the recorder of
    the answers flag after the setup cell, and the verdict on the flag's readers last."""
    from tests.nbchecked import FLAG_READER

    proc = run_pytest("--collect-only", "-q", "notebooks")
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    ids = [line.strip() for line in proc.stdout.splitlines() if "::" in line]
    assert not [i for i in ids if "[student]" in i], "student copies are no longer nbval files of their own"
    for lang in LANGS:
        for name in lesson_names():
            rel = f"notebooks/{lang}/{name}.ipynb"
            nb = load(ROOT / rel)
            mine = [i.split("::", 1)[1] for i in ids if i.split("::", 1)[0] == rel]
            want = [ex["id"] for ex in exercises(nb)]
            checks = [m for m in mine if " exercise " in m]
            assert [c.split(" exercise ")[1] for c in checks] == want, f"{rel}: checks {checks}, exercises {want}"
            for c in checks:     # right after the exercise's own cell
                assert mine[mine.index(c) - 1] == c.split(" exercise ")[0], f"{rel}: {c} not after its cell"
            code = [c for c in nb["cells"] if c["cell_type"] == "code"]
            source = ["".join(c["source"]) if isinstance(c["source"], list) else c["source"] for c in code]
            setup = [k for k, s in enumerate(source) if f'lessonlib.setup(lang="{lang}")' in s]
            assert len(setup) == 1, f"{rel}: setup cells {setup}"
            readers = {k for k, s in enumerate(source) if FLAG_READER.search(s)}
            assert readers, f"{rel}: no cell calls check()"
            students = [m for m in mine if m.endswith(" student copy")]
            assert {int(m.split()[1]) for m in students} >= readers | set(setup), f"{rel}: student copy runs {students}"
            for m in students:   # right before the cell it runs as the copy
                assert mine[mine.index(m) + 1] == m.removesuffix(" student copy"), f"{rel}: {m} not before its cell"
            assert mine[mine.index(f"Cell {setup[0]}") + 1] == f"Cell {setup[0]} answers-flag recorder", rel
            assert mine[-1] == f"Cell {len(code) - 1} student copy: no other cell read the answers flag", rel
            assert len(mine) == len(code) + len(checks) + len(students) + 2, f"{rel}: {len(mine)} items"


# ---- the mechanism, on small lessons written here ------------------------------------------------

def _code(source, outputs=None, tags=None, meta=None, count=None):
    md = {"tags": tags or []}
    md.update(meta or {})
    return {"cell_type": "code", "metadata": md, "source": source, "outputs": outputs or [],
            "execution_count": count}


def _exercise(ex_id: str, solution: str, wrong_answer: str) -> list[dict]:
    """A blank exercise cell on a registered exercise, and its solution cell."""
    return [
        _code(f'answer = ...\ncheck("{ex_id}", answer)', tags=["exercise", "nbval-ignore-output"],
              meta={"lessonlib": {"exercise": {"id": ex_id, "wrong_answer": wrong_answer}}}),
        {"cell_type": "markdown", "metadata": {"tags": ["solution"]},
         "source": f"<details><summary>Solution</summary>\n\n```python\n{solution}\n```\n\n</details>"},
    ]


def _lesson(*cells) -> dict:
    return {"cells": [_code("from lessonlib import check", count=1), *cells],
            "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
            "nbformat": 4, "nbformat_minor": 5}


@pytest.mark.slow
def test_inserted_checks_catch_a_bad_exercise_and_leave_the_lesson_alone(tmp_path):
    lessons = {
        # a solution that rebinds names and mutates a module: the next cell must see neither, only the blank
        "good": _lesson(*_exercise("00.predict_backward", "fixed = True\nimport lessonlib\nlessonlib.MUTATED = 1\n"
                                   "answer = 0\ncheck(\"00.predict_backward\", answer)", "6"),
                        _code("import lessonlib\nprint(answer, 'fixed' in dir(), hasattr(lessonlib, 'MUTATED'))", count=3,
                              outputs=[{"output_type": "stream", "name": "stdout", "text": "Ellipsis False False\n"}])),
        "bad": _lesson(*_exercise("00.predict_backward", 'answer = 3\ncheck("00.predict_backward", answer)', "6"),
                       *_exercise("00.updates", 'answer = 1200\ncheck("00.updates", answer)', "1200"),
                       *_exercise("01.from_numpy", "answer = 1 / 0", "0.0")),
    }
    (tmp_path / "en").mkdir()
    for name, nb in lessons.items():
        (tmp_path / "en" / f"{name}.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    proc = run_pytest("-c", str(tmp_path / "pytest.ini"), "-p", "conftest", *project_nbval_args(),
                      "-rA", str(tmp_path / "en"), cwd=tmp_path, kernels=True)
    out = proc.stdout
    outcome = {m[1]: m[0] for m in re.findall(r"^(PASSED|FAILED) \S*?en/(\S+?\.ipynb::Cell \d+(?: exercise \S+)?)",
                                              out, re.M)}
    assert outcome == {
        "good.ipynb::Cell 0": "PASSED", "good.ipynb::Cell 1": "PASSED",
        "good.ipynb::Cell 1 exercise 00.predict_backward": "PASSED",
        "good.ipynb::Cell 2": "PASSED",                         # the committed output still holds
        "bad.ipynb::Cell 0": "PASSED",
        "bad.ipynb::Cell 1": "PASSED", "bad.ipynb::Cell 1 exercise 00.predict_backward": "FAILED",
        "bad.ipynb::Cell 2": "PASSED", "bad.ipynb::Cell 2 exercise 00.updates": "FAILED",
        "bad.ipynb::Cell 3": "PASSED", "bad.ipynb::Cell 3 exercise 01.from_numpy": "FAILED",
    }, out[-3000:]
    # each failure names the notebook, the exercise and its code cell, and says what is wrong
    assert "bad.ipynb exercise 00.predict_backward (code cell 1): the solution does not pass" in out, out[-4000:]
    assert "bad.ipynb exercise 00.updates (code cell 2): the wrong answer '1200' was not rejected" in out, out[-4000:]
    assert "bad.ipynb exercise 01.from_numpy (code cell 3): the solution raised ZeroDivisionError" in out, out[-4000:]
    assert proc.returncode == 1


def _executed(nb: dict, folder) -> dict:
    """`nb` run by a fresh kernel in `folder`: its committed outputs are what a run gives (make execute)."""
    import nbformat
    from nbclient import NotebookClient

    node = nbformat.from_dict({**nb, "cells": [{"id": f"cell-{i}", **c} for i, c in enumerate(nb["cells"])]})
    NotebookClient(node, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(folder)}}).execute()
    return node


@pytest.mark.slow
def test_the_student_copy_is_checked_inside_the_lessons_run(tmp_path):
    """The student copy's cells that can differ (setup, check/reveal calls) run forked with answers off and
    are compared with the copy's committed outputs; a cell that reads the answers flag any other way fails
    the lesson by name (tests/nbstudent_kernel.py)."""
    import nbformat

    (tmp_path / "en").mkdir()
    nb = _lesson(_code('import lessonlib\nlessonlib.setup(lang="en")'),
                 _code('check("00.updates", 5)'),                        # the "try again" tail: rewritten in the copy
                 *_exercise("00.predict_backward", 'answer = 0\ncheck("00.predict_backward", answer)', "6"),
                 _code("import lessonlib.text as T\nprint(T.answers_shown())   # as check( does"),  # copy: False
                 _code("flag = T.answers_shown()\nprint(flag)"))         # reads the flag, no check( in sight
    node = _executed(nb, tmp_path / "en")
    nbformat.write(node, tmp_path / "en" / "lesson.ipynb")
    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    proc = run_pytest("-c", str(tmp_path / "pytest.ini"), "-p", "conftest", *project_nbval_args(),
                      "-rA", str(tmp_path / "en"), cwd=tmp_path, kernels=True)
    out = proc.stdout
    outcome = dict((m[1], m[0]) for m in re.findall(r"^(PASSED|FAILED) \S*?lesson\.ipynb::(.+?)(?: - |$)", out, re.M))
    assert outcome == {
        "Cell 0": "PASSED",
        "Cell 1 student copy": "PASSED", "Cell 1": "PASSED", "Cell 1 answers-flag recorder": "PASSED",
        "Cell 2 student copy": "PASSED", "Cell 2": "PASSED",   # the copy's answers-off tail, as committed
        "Cell 3 student copy": "PASSED", "Cell 3": "PASSED", "Cell 3 exercise 00.predict_backward": "PASSED",
        "Cell 4 student copy": "FAILED", "Cell 4": "PASSED",   # the copy prints False, its committed output True
        "Cell 5": "PASSED",
        "Cell 5 student copy: no other cell read the answers flag": "FAILED",
    }, out[-4000:]
    assert "Cell outputs differ" in out and "True" in out, out[-4000:]
    assert "1 cell(s) read the answers flag (check/reveal) but were not run as the student copy" in out, out[-4000:]
    assert "'flag = T.answers_shown()'" in out, out[-4000:]
    assert proc.returncode == 1
    # the copy's committed "try again" really is the answers-off one, and it is what was compared
    from lessonlib.text import t
    from tools import student

    copy = student.student_copy(nbformat.read(tmp_path / "en" / "lesson.ipynb", as_version=4), "en")
    text = "".join(o.get("data", {}).get("text/plain", "") for o in copy.cells[2].outputs)
    assert t("check.try_again_answers_off", lang="en", tries=1) in text, text


def test_the_inserted_cells_are_known_to_the_flag_recorder():
    """The recorder ignores reads of the answers flag made by the cells tests/nbchecked.py inserts (the
    exercise checks' forks read it in the child only; the student copy's runs likewise)."""
    from tests import nbchecked, nbstudent_kernel

    assert nbchecked.INSERTED_HEADER.startswith(nbstudent_kernel.INSERTED)
    spec = {"where": "x", "id": "00.updates", "root": str(ROOT), "lang": "en", "wrong_answer": "1",
            "solution": "", "cell": 0}
    assert nbchecked.check_cell_source(spec).startswith(nbstudent_kernel.INSERTED)
    assert nbchecked.kernel_call(nbchecked.STUDENT_SIDE, "verify", {"where": "x"}).startswith(nbstudent_kernel.INSERTED)
