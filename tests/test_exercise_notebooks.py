"""Every exercise works: its solution makes the checker pass, a wrong answer is told what is wrong.

Each lesson runs once per edition with every blank replaced by its solution, and right after
each solution a cell checking the exercise's recorded wrong answer (a typical mistake): it must
be rejected with a diagnosis in the lesson's language, without showing the expected answer.
"""
import copy

import pytest

from lessonlib.catalog import MESSAGES
from tests.nbtools import ROOT, exercises, lesson_names, load, output_text, source

CASES = [(lang, name) for name in lesson_names() for lang in ("he", "en")]
EXPLAINS = {"en": ("got", "not the right choice", "differ"),
            "he": ("קיבלתי", "לא הבחירה הנכונה", "שונים")}
LEAK_MARK = "LEAK-CHECK:"


def _wrong_cell(ex: dict) -> str:
    """Check the recorded wrong answer, then ask tests/leaks.py (in the kernel) whether the message leaks."""
    return "\n".join([
        "import sys as _sys",
        f"_sys.path.insert(0, {str(ROOT)!r})",
        "from tests.leaks import leaks as _leaks",
        "from lessonlib.exercises import EXERCISES as _EXERCISES, REVEAL_AFTER as _LIMIT",
        "from lessonlib.text import t as _t",
        f"_wrong = {ex['wrong_answer']}",
        f"_res = check({ex['id']!r}, _wrong)",
        f"_tail = ' ' + _t('check.try_again', tries=1, limit=_LIMIT, id={ex['id']!r})   # the first wrong try",
        "assert _res.message.endswith(_tail), _res.message",
        f"print({LEAK_MARK!r}, _leaks(_res.message.removesuffix(_tail), _EXERCISES[{ex['id']!r}](...), _wrong))",
        "_res",
    ])


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
                 "source": _wrong_cell(ex)}
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
        assert f"{LEAK_MARK} None" in said, f"{where}: the wrong answer's message shows the expected answer: {said[:400]}"
