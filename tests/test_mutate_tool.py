"""tools/mutate.py (make mutate): how it names and counts mutants, and that the committed report
is the one its results give."""
import json
import pathlib

import pytest

from tools import mutate
from tools.mutation_equivalent import EQUIVALENT

ROOT = pathlib.Path(__file__).resolve().parents[1]

DIFF = """--- lessonlib/data.py
+++ lessonlib/data.py
@@ -1,3 +1,3 @@
 def f(x):
-    return x + 1
+    return x - 1
"""


def test_changed_lines_are_the_removed_and_added_lines():
    assert mutate.changed_lines(DIFF) == ("return x + 1", "return x - 1")


@pytest.mark.parametrize("name,function", [
    ("lessonlib.data.x_make_line_data__mutmut_7", "lessonlib.data.make_line_data"),
    ("lessonlib.stepper.xǁStepperǁ_record__mutmut_12", "lessonlib.stepper.Stepper._record"),
    ("lessonlib.widgets.landscape.x_landscape_explorer__mutmut_1", "lessonlib.widgets.landscape.landscape_explorer"),
])
def test_function_of_a_mutant(name, function):
    assert mutate.function_of(name) == function


def entry(*mutants):
    return {"module": "m", "files": ["f.py"], "tests": ["t.py"], "seconds": 60, "mutants": list(mutants)}


def test_classify_counts_and_matches_equivalents_by_function_and_line():
    equivalent = [{"function": "lessonlib.data.f", "before": "return x + 1", "after": "return x - 1", "reason": "r"}]
    result = mutate.classify(entry(
        {"name": "lessonlib.data.x_f__mutmut_1", "status": "killed", "diff": ""},
        {"name": "lessonlib.data.x_f__mutmut_2", "status": "survived", "diff": DIFF},
        {"name": "lessonlib.data.x_g__mutmut_1", "status": "survived", "diff": DIFF},
        {"name": "lessonlib.data.x_g__mutmut_2", "status": "timeout", "diff": ""},
        {"name": "lessonlib.data.x_g__mutmut_3", "status": "no tests", "diff": DIFF},
    ), equivalent)
    c = result["counts"]
    assert (c["total"], c["killed"], c["timeout"], c["survived"], c["no tests"], c["equivalent"]) == (5, 1, 1, 1, 1, 1)
    assert result["score"] == pytest.approx(2 / 4)      # (killed + timeout) / (all - equivalent)
    assert [s["function"] for s in result["survivors"]] == ["lessonlib.data.g", "lessonlib.data.g"]
    assert result["equivalents"][0]["reason"] == "r"


def test_every_equivalent_has_a_function_lines_and_a_reason():
    for e in EQUIVALENT:
        assert set(e) == {"function", "before", "after", "reason"}, e
        assert e["function"].startswith("lessonlib.") and e["before"] != e["after"] and len(e["reason"]) > 20


def test_the_committed_report_is_rendered_from_the_committed_results():
    results = json.loads((ROOT / "docs" / "mutation.json").read_text())
    assert (ROOT / "docs" / "mutation.md").read_text() == mutate.render(results, EQUIVALENT)


def test_every_module_names_files_and_tests_that_exist():
    for module, (files, tests) in mutate.MODULES.items():
        assert all(list(ROOT.glob(f)) for f in files), module
        assert all((ROOT / t).exists() for t in tests), module
    assert set(mutate.CORE) <= set(mutate.MODULES)


def test_unknown_module_is_refused_with_the_choices(capsys):
    with pytest.raises(SystemExit):
        mutate.main(["nosuchmodule"])
    assert "unknown module" in capsys.readouterr().err


def test_a_recheck_of_a_changed_source_is_refused(capsys, monkeypatch, tmp_path):
    """A recheck re-tests the previous run's mutants, copies of the source as it was: after the source
    changed, today's tests against them say nothing about today's code (it once gave 175 false survivors)."""
    results = tmp_path / "mutation.json"
    results.write_text(json.dumps({
        "data": {"source": mutate.source_hash("data"), "commit": "aaaaaaa", "mutants": []},
        "model": {"source": "0" * 16, "commit": "bbbbbbb", "mutants": []},
    }))
    monkeypatch.setattr(mutate, "RESULTS", results)
    monkeypatch.setattr(mutate, "REPORT", tmp_path / "mutation.md")
    before = results.read_bytes()
    assert mutate.main(["--recheck", "data", "model"]) == 2
    err = capsys.readouterr().err
    assert "mutate: model: its source changed" in err and "commit bbbbbbb" in err and "MODULES=model" in err
    assert "mutate: data:" not in err
    assert results.read_bytes() == before and not (tmp_path / "mutation.md").exists()    # nothing written
