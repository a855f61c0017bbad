"""What every lesson notebook must have (DESIGN.md, issue "lesson series"); read from the committed files."""
import re
import tomllib

import pytest

from lessonlib.catalog import MESSAGES
from lessonlib.exercises import EXERCISES
from tests.nbtools import ROOT, exercises, lesson_names, load, notebook_paths, output_text, source, tags

PATHS = notebook_paths()
IDS = [f"{p.parent.name}/{p.name}" for p in PATHS]
HEBREW = re.compile(r"[\u0590-\u05FF]")
RTL_OPEN = '<div dir="rtl" style="direction: rtl; text-align: right;">'
with open(ROOT / "pyproject.toml", "rb") as f:
    _PROJECT = tomllib.load(f)["project"]
REPO = _PROJECT["urls"]["Repository"]
REFS = ("main", f"v{_PROJECT['version']}")   # main, or a release's tag (tools/release.py, tests/test_release.py)
# Cells whose output may legitimately differ run to run (nbval-ignore-output): the Colab install,
# widgets (their view ids change), and the raw version numbers in 00_start_here.
VOLATILE_OK = re.compile(r'"google\.colab" in sys\.modules|widgets\.|__version__|envcheck\.versions')


def colab_link(path, ref: str = "main") -> str:
    slug = REPO.removeprefix("https://github.com/")
    return f"https://colab.research.google.com/github/{slug}/blob/{ref}/notebooks/{path.parent.name}/{path.name}"


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_kernelspec_title_badge_install_setup(path):
    nb = load(path)
    assert nb["metadata"].get("kernelspec", {}).get("name") == "python3", f"{path.name}: kernelspec python3 missing"
    c0, c1 = nb["cells"][0], nb["cells"][1]
    assert c0["cell_type"] == "markdown" and re.search(r"^# \S", source(c0), re.M), f"{path.name}: no title in cell 0"
    assert any(f"]({colab_link(path, ref)})" in source(c0) for ref in REFS), \
        f"{path.name}: Colab badge must point to {colab_link(path)} (or a release's tag)"
    assert "colab-badge.svg" in source(c0)
    assert c1["cell_type"] == "code" and '"google.colab" in sys.modules' in source(c1)
    assert f"git+{REPO}" in source(c1), f"{path.name}: install cell must install from {REPO}"
    assert "nbval-ignore-output" in tags(c1)


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_executed_without_unexpected_errors(path):
    for i, c in enumerate(load(path)["cells"]):
        if c["cell_type"] != "code" or not source(c).strip():
            continue
        assert c.get("execution_count") is not None, f"{path.name} cell {i}: not executed (run `make execute`)"
        errors = [o for o in c.get("outputs", []) if o["output_type"] == "error"]
        if "raises-exception" in tags(c):
            assert errors, f"{path.name} cell {i}: tagged raises-exception but raised nothing"
        else:
            assert not errors, f"{path.name} cell {i}: {errors[0]['ename']}: {errors[0]['evalue']}"
        stderr = [o for o in c.get("outputs", []) if o.get("name") == "stderr"]
        assert not stderr, f"{path.name} cell {i}: writes to stderr: {''.join(stderr[0]['text'])[:200]}"


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_ignore_output_tags_are_rare_and_justified(path):
    ignored = [(i, c) for i, c in enumerate(load(path)["cells"]) if "nbval-ignore-output" in tags(c)]
    for i, c in ignored:
        assert VOLATILE_OK.search(source(c)), f"{path.name} cell {i}: nbval-ignore-output on a cell that is not volatile"
    assert len(ignored) <= 4, f"{path.name}: {len(ignored)} cells ignore their output"


@pytest.mark.parametrize("path", [p for p in PATHS if p.parent.name == "he"], ids=lambda p: p.name)
def test_hebrew_prose_is_right_to_left(path):
    for i, c in enumerate(load(path)["cells"]):
        if c["cell_type"] != "markdown":
            continue
        src = source(c)
        if "solution" in tags(c):
            continue   # a <details> with a code block, summary marked dir="rtl"
        if HEBREW.search(src):
            assert src.startswith(RTL_OPEN + "\n\n"), f"{path.name} cell {i}: Hebrew prose must open with the RTL div and a blank line"
            body = src[: src.index("</div>", len(RTL_OPEN)) if "</div>" in src else len(src)]
            assert "```" not in src.split("\n\n</div>")[0], f"{path.name} cell {i}: fenced code inside the RTL div"
            for math in re.findall(r"\$\$.+?\$\$|\$[^$]+\$", body, flags=re.S):   # $$display$$ first
                assert not HEBREW.search(math), f"{path.name} cell {i}: Hebrew inside math {math!r}"


@pytest.mark.parametrize("name", lesson_names())
def test_lesson_has_exercises_with_hint_and_solution(name):
    for lang in ("he", "en"):
        nb = load(ROOT / "notebooks" / lang / f"{name}.ipynb")
        found = exercises(nb)
        assert len(found) >= 2, f"{lang}/{name}: {len(found)} exercises, at least 2 expected"
        unanswered = MESSAGES["check.unanswered"][lang]
        for ex in found:
            where = f"{lang}/{name} cell {ex['index']}"
            assert ex["id"] in EXERCISES, f"{where}: exercise id {ex['id']!r} not registered in lessonlib.exercises"
            assert re.search(r"^answer = \.\.\.", ex["code"], re.M), f"{where}: the blank `answer = ...` must stay blank"
            assert ex["solution"], f"{where}: no solution cell with a python block"
            assert ex["wrong_answer"], f"{where}: no wrong_answer in the exercise metadata"
            cell = nb["cells"][ex["index"]]
            assert unanswered in output_text(cell), f"{where}: the committed output must say {unanswered!r}"
            following = [tags(c) for c in nb["cells"][ex["index"] + 1: ex["index"] + 3]]
            assert ["hint"] in following and ["solution"] in following, f"{where}: hint and solution must follow"


def test_readme_lists_every_lesson_with_both_editions_and_colab():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for path in PATHS:
        rel = f"notebooks/{path.parent.name}/{path.name}"
        assert f"]({rel})" in readme, f"README must link {rel}"
        assert colab_link(path) in readme, f"README must link Colab for {rel}"


PREDICTION_HEADING = {"en": "(prediction)", "he": "(תחזית)"}


@pytest.mark.parametrize("name", lesson_names())
def test_every_lesson_has_a_prediction_exercise_before_the_cell_that_answers_it(name):
    """Issue 9: the student commits to an answer, then runs the cell whose output settles it."""
    for lang in ("he", "en"):
        nb = load(ROOT / "notebooks" / lang / f"{name}.ipynb")
        cells = nb["cells"]
        predictions = [ex for ex in exercises(nb)
                       if cells[ex["index"]]["metadata"]["lessonlib"]["exercise"].get("kind") == "prediction"]
        assert predictions, f"{lang}/{name}: no prediction exercise"
        for ex in predictions:
            where = f"{lang}/{name} {ex['id']}"
            task = source(cells[ex["index"] - 1])
            headings = [line for line in task.splitlines() if line.startswith("#")]
            assert cells[ex["index"] - 1]["cell_type"] == "markdown" and headings \
                and PREDICTION_HEADING[lang] in headings[0], f"{where}: the task's heading must say {PREDICTION_HEADING[lang]}"
            answering = [i for i, c in enumerate(cells)
                         if c.get("metadata", {}).get("lessonlib", {}).get("answers") == ex["id"]]
            assert len(answering) == 1, f"{where}: {len(answering)} cells marked as answering it, expected one"
            i = answering[0]
            assert cells[i]["cell_type"] == "code" and i > ex["index"] + 2, f"{where}: the answering cell must come after the exercise"
            between = [j for j in range(ex["index"] + 3, i) if cells[j]["cell_type"] == "code"]
            assert not between, f"{where}: code cells {between} run between the exercise and the cell that answers it"
            assert output_text(cells[i]).strip(), f"{where}: the answering cell (cell {i}) shows no output"
            assert "nbval-ignore-output" not in tags(cells[i]), f"{where}: nbval must check the answering cell's output"
            assert cells[i]["metadata"].get("jupyter", {}).get("outputs_hidden") is True, \
                f"{where}: the answering cell must open with its output collapsed (metadata jupyter.outputs_hidden)"
        answering_ids = {c["metadata"]["lessonlib"]["answers"] for c in cells
                         if c.get("metadata", {}).get("lessonlib", {}).get("answers")}
        collapsed = [i for i, c in enumerate(cells) if c.get("metadata", {}).get("jupyter", {}).get("outputs_hidden")]
        stray = [i for i in collapsed if cells[i].get("metadata", {}).get("lessonlib", {}).get("answers") not in answering_ids]
        assert not stray, f"{lang}/{name}: cells {stray} hide their output but answer no prediction"


def test_every_registered_exercise_is_in_exactly_one_lesson_in_both_editions():
    for lang in ("he", "en"):
        where = {}
        for name in lesson_names():
            for ex in exercises(load(ROOT / "notebooks" / lang / f"{name}.ipynb")):
                where.setdefault(ex["id"], []).append(name)
        assert set(where) == set(EXERCISES), (f"{lang}: registered but in no lesson: {sorted(set(EXERCISES) - set(where))}; "
                                             f"in a lesson but not registered: {sorted(set(where) - set(EXERCISES))}")
        assert all(len(v) == 1 for v in where.values()), {k: v for k, v in where.items() if len(v) > 1}
