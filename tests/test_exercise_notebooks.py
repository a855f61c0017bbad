"""Every exercise works: its solution makes the checker pass, a wrong answer is told what is wrong.

Each lesson runs once per edition with every blank replaced by its solution, and right after
each solution a cell checking the exercise's recorded wrong answer.
"""
import copy

import pytest

from lessonlib.catalog import MESSAGES
from tests.nbtools import ROOT, exercises, lesson_names, load, output_text, source

CASES = [(lang, name) for name in lesson_names() for lang in ("he", "en")]
EXPLAINS = {"en": ("got", "expected", "not the right choice", "differ"),
            "he": ("קיבלתי", "ציפיתי", "לא הבחירה הנכונה", "שונים")}


def _run(nb: dict) -> dict:
    import json

    import nbformat
    from nbclient import NotebookClient
    node = nbformat.reads(json.dumps(nb), as_version=4)   # normalizes list-of-lines sources
    NotebookClient(node, kernel_name="python3", timeout=300, allow_errors=True,
                   resources={"metadata": {"path": str(ROOT / "notebooks")}}).execute()
    return node


@pytest.mark.slow
@pytest.mark.parametrize("lang,name", CASES, ids=[f"{l}/{n}" for l, n in CASES])
def test_solutions_pass_and_wrong_answers_are_explained(lang, name):
    nb = copy.deepcopy(load(ROOT / "notebooks" / lang / f"{name}.ipynb"))
    found = exercises(nb)
    assert found, f"{lang}/{name}: no exercises"
    inserted = []
    for ex in reversed(found):          # insert from the end so earlier indices stay valid
        cell = nb["cells"][ex["index"]]
        cell["source"] = ex["solution"]
        wrong = {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
                 "id": f"wrong-{ex['index']}",
                 "source": f"check({ex['id']!r}, {ex['wrong_answer']})"}
        nb["cells"].insert(ex["index"] + 1, wrong)
        inserted.append(ex)
    ran = _run(nb)
    offset = 0
    for ex in found:
        solved = ran.cells[ex["index"] + offset]
        wrong = ran.cells[ex["index"] + offset + 1]
        offset += 1
        where = f"{lang}/{name} exercise {ex['id']}"
        assert source(solved) == ex["solution"]
        got = output_text(solved)
        assert "✅" in got and "❌" not in got, f"{where}: the solution does not pass: {got[:300]}"
        said = output_text(wrong)
        assert "❌" in said, f"{where}: the wrong answer {ex['wrong_answer']!r} was not rejected: {said[:300]}"
        assert MESSAGES["check.unanswered"][lang] not in said
        assert any(w in said for w in EXPLAINS[lang]), f"{where}: the checker does not say what is wrong: {said[:300]}"
