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


def run_pytest(*args, cwd=ROOT, timeout=900) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
           "OMP_NUM_THREADS": os.environ.get("OMP_NUM_THREADS", "1")}
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=timeout)


def test_nbval_checks_every_exercise_and_every_student_copy():
    """The project's pytest settings (what `make test` runs) collect, for every lesson of both
    editions, a check right after each exercise cell, and the lesson's student copy."""
    proc = run_pytest("--collect-only", "-q", "notebooks")
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    ids = [line.strip() for line in proc.stdout.splitlines() if "::" in line]
    for lang in LANGS:
        for name in lesson_names():
            rel = f"notebooks/{lang}/{name}.ipynb"
            mine = [i.split("::", 1)[1] for i in ids if i.split("::", 1)[0] == rel]
            want = [ex["id"] for ex in exercises(load(ROOT / rel))]
            checks = [m for m in mine if " exercise " in m]
            assert [c.split(" exercise ")[1] for c in checks] == want, f"{rel}: checks {checks}, exercises {want}"
            for c in checks:     # right after the exercise's own cell
                assert mine[mine.index(c) - 1] == c.split(" exercise ")[0], f"{rel}: {c} not after its cell"
            student = [i for i in ids if i.split("::", 1)[0] == rel + "[student]"]
            assert len(student) == len(mine) - len(checks), f"{rel}: student copy has {len(student)} cells"


# ---- the mechanism, on small lessons written here ------------------------------------------------

def _code(source, outputs=None, tags=None, meta=None, count=None):
    md = {"tags": tags or []}
    md.update(meta or {})
    return {"cell_type": "code", "metadata": md, "source": source, "outputs": outputs or [],
            "execution_count": count}


def _lesson(solution: str, wrong_answer: str, after: str | None = None, after_output: str | None = None) -> dict:
    """A one-exercise lesson on the registered exercise 00.predict_backward (answer 0)."""
    cells = [
        _code("from lessonlib import check", count=1),
        _code('answer = ...\ncheck("00.predict_backward", answer)', tags=["exercise", "nbval-ignore-output"],
              meta={"lessonlib": {"exercise": {"id": "00.predict_backward", "wrong_answer": wrong_answer}}}, count=2),
        {"cell_type": "markdown", "metadata": {"tags": ["solution"]},
         "source": f"<details><summary>Solution</summary>\n\n```python\n{solution}\n```\n\n</details>"},
    ]
    if after is not None:
        cells.append(_code(after, outputs=[{"output_type": "stream", "name": "stdout", "text": after_output}],
                           count=3))
    return {"cells": cells, "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                        "language": "python"}},
            "nbformat": 4, "nbformat_minor": 5}


@pytest.mark.slow
def test_inserted_checks_catch_a_bad_exercise_and_leave_the_lesson_alone(tmp_path):
    lessons = {
        # the lesson's state after the exercise: the blank, whatever the solution assigns elsewhere
        "good": _lesson('answer = 0\ncheck("00.predict_backward", answer)', "6",
                        after="print(answer, 'fixed' if 'fixed' in dir() else 'none')", after_output="Ellipsis none\n"),
        "bad_solution": _lesson('answer = 3\ncheck("00.predict_backward", answer)', "6"),
        "wrong_passes": _lesson('answer = 0\ncheck("00.predict_backward", answer)', "0"),
        "raises": _lesson('answer = 1 / 0', "6"),
        # a solution that rebinds a name and mutates an object: the later cell must not see either
        "isolated": _lesson('fixed = True\nimport lessonlib\nlessonlib.MUTATED = 1\nanswer = 0\n'
                            'check("00.predict_backward", answer)', "6",
                            after="import lessonlib\nprint(answer, 'fixed' in dir(), hasattr(lessonlib, 'MUTATED'))",
                            after_output="Ellipsis False False\n"),
    }
    (tmp_path / "en").mkdir()
    for name, nb in lessons.items():
        (tmp_path / "en" / f"{name}.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    proc = run_pytest("-c", str(tmp_path / "pytest.ini"), "-p", "tests.nbchecked", *project_nbval_args(),
                      "-rA", str(tmp_path / "en"), cwd=tmp_path)
    out = proc.stdout
    outcome = {m[1]: m[0] for m in re.findall(r"^(PASSED|FAILED) \S*?en/(\S+?\.ipynb::Cell \d+(?: exercise \S+)?)",
                                              out, re.M)}
    check = "::Cell 1 exercise 00.predict_backward"
    assert outcome.get("good.ipynb" + check) == "PASSED", out[-3000:]
    assert outcome.get("good.ipynb::Cell 2") == "PASSED", out[-3000:]
    assert outcome.get("isolated.ipynb" + check) == "PASSED", out[-3000:]
    assert outcome.get("isolated.ipynb::Cell 2") == "PASSED", out[-3000:]   # the committed output still holds
    for name in ("bad_solution", "wrong_passes", "raises"):
        assert outcome.get(f"{name}.ipynb{check}") == "FAILED", f"{name}: {out[-3000:]}"
        assert outcome.get(f"{name}.ipynb::Cell 1") == "PASSED", f"{name}: the exercise cell itself passes"
    # the failure names the notebook, the exercise and its code cell, and says what is wrong
    where = "exercise 00.predict_backward (code cell 1)"
    assert re.search(rf"bad_solution\.ipynb {re.escape(where)}: the solution does not pass", out), out[-4000:]
    assert re.search(rf"wrong_passes\.ipynb {re.escape(where)}: the wrong answer '0' was not rejected", out), out[-4000:]
    assert re.search(rf"raises\.ipynb {re.escape(where)}: the solution raised ZeroDivisionError", out), out[-4000:]
    assert proc.returncode == 1
