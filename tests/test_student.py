"""The student edition (make student, tools/student.py): no solution survives, the hints do, and
the copies still pass nbval with their committed outputs."""
from __future__ import annotations

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
    assert len(pairs()) == 18


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
    # every other cell, in order, exactly as it was: hints, exercise metadata, outputs, collapsed answers
    assert copy["cells"] == kept
    hints = [source(c) for c in src["cells"] if "hint" in tags(c)]
    assert hints and hints == [source(c) for c in copy["cells"] if "hint" in tags(c)]
    answers = [c for c in copy["cells"] if c.get("metadata", {}).get("lessonlib", {}).get("answers")]
    assert all(c["metadata"]["jupyter"]["outputs_hidden"] is True for c in answers)
    assert copy["metadata"] == src["metadata"]


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
    assert "18 notebooks" in proc.stdout
    assert len(list((tmp_path / "out").glob("*/*.ipynb"))) == 18


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


@pytest.mark.slow
def test_student_copies_pass_nbval(tmp_path):
    """The copies are not re-executed: their committed outputs must still be what a run gives."""
    out = tmp_path / "student"
    written = student.build(out)
    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")   # no config from above
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    env.setdefault("OMP_NUM_THREADS", "1")
    proc = subprocess.run([sys.executable, "-m", "pytest", "-c", str(tmp_path / "pytest.ini"),
                           *project_nbval_args(), "-q", *map(str, written)],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=1800)
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    assert " passed" in proc.stdout and " failed" not in proc.stdout


def test_make_student_target_and_build_is_ignored():
    from tests.test_packaging import makefile_recipe

    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^student:\s*install\s*$", text, re.M), "`make student` must depend on install like the others"
    assert any("-m tools.student" in line for line in makefile_recipe("student"))
    assert "build/" in (ROOT / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert "make student" in (ROOT / "README.md").read_text(encoding="utf-8")
