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


# --sample: a uniform random sample of the mutants not checked yet, and the estimate it gives

NAMES = [f"lessonlib.widgets.{f}.x_g__mutmut_{i}" for f in ("debugger", "landscape") for i in range(1, 51)]


def test_a_sample_is_drawn_from_the_unchecked_mutants_only_reproducibly_and_in_mutmuts_order():
    checked = set(NAMES[:50])                       # the debugger's, checked before
    chosen, pool = mutate.choose_sample(NAMES, checked, 10, seed=0)
    assert pool == 50 and len(chosen) == 10 and not set(chosen) & checked
    assert chosen == [x for x in NAMES if x in set(chosen)]
    assert mutate.choose_sample(NAMES, checked, 10, seed=0) == (chosen, 50)
    assert mutate.choose_sample(NAMES, checked, 10, seed=1)[0] != chosen
    # not the first ten (a budget run's choice): spread over the pool
    assert chosen != NAMES[50:60]
    assert mutate.choose_sample(NAMES, checked, 500, seed=0) == (NAMES[50:], 50)     # all there are


def test_a_sample_with_only_draws_among_the_matching_names():
    chosen, pool = mutate.choose_sample(NAMES, set(), 7, seed=3, only=["lessonlib.widgets.landscape.*"])
    assert pool == 50 and len(chosen) == 7 and all(".landscape." in x for x in chosen)


def test_an_earlier_runs_results_of_the_same_source_are_kept_and_of_another_source_not():
    collected = [{"name": "a", "status": "not checked", "diff": ""}, {"name": "b", "status": "killed", "diff": ""},
                 {"name": "c", "status": "not checked", "diff": ""}]
    previous = {"source": "s1", "mutants": [{"name": "a", "status": "survived", "diff": DIFF},
                                            {"name": "b", "status": "survived", "diff": DIFF},
                                            {"name": "c", "status": "not checked", "diff": ""}]}
    kept = mutate.keep_checked(collected, previous, "s1")
    assert [(m["name"], m["status"]) for m in kept] == [("a", "survived"), ("b", "killed"), ("c", "not checked")]
    assert mutate.keep_checked(collected, previous, "s2") == collected
    assert mutate.keep_checked(collected, None, "s1") == collected


def test_the_wilson_interval_against_values_worked_by_hand():
    # 95 of 100: centre (0.95 + 1.9208/100) / 1.038416 = 0.93336, half 1.96 * sqrt(0.000475 + 0.0000960)/1.038416
    low, high = mutate.wilson(95, 100)
    assert low == pytest.approx(0.88825, abs=1e-4) and high == pytest.approx(0.97846, abs=1e-4)
    assert mutate.wilson(0, 0) == (0.0, 1.0)
    low, high = mutate.wilson(10, 10)
    assert high == 1.0 and low == pytest.approx(0.72247, abs=1e-4)


def _m(name, status):
    return {"name": name, "status": status, "diff": "" if status == "killed" else DIFF}


def test_the_estimate_counts_the_mutants_checked_before_as_they_are_and_the_pool_as_the_sample_scored():
    equivalent = [{"function": "lessonlib.widgets.landscape.g", "before": "return x + 1", "after": "return x - 1",
                   "reason": "r"}]
    before = [_m(f"lessonlib.widgets.debugger.x_g__mutmut_{i}", "killed") for i in range(1, 91)] + \
             [_m(f"lessonlib.widgets.debugger.x_h__mutmut_{i}", "survived") for i in range(1, 11)]   # 90 %
    sample = [_m(f"lessonlib.widgets.landscape.x_k__mutmut_{i}", "killed") for i in range(1, 17)] + \
             [_m(f"lessonlib.widgets.landscape.x_k__mutmut_{i}", "survived") for i in range(17, 19)] + \
             [_m(f"lessonlib.widgets.landscape.x_g__mutmut_{i}", "survived") for i in range(1, 3)]   # 2 equivalent
    rest = [_m(f"lessonlib.widgets.landscape.x_k__mutmut_{i}", "not checked") for i in range(19, 199)]
    e = {**entry(*before, *sample, *rest),
         "samples": [{"seed": 0, "only": [], "pool": 200, "names": [m["name"] for m in sample]}]}
    est = mutate.sample_estimate(e, equivalent)
    assert (est["drawn"], est["real"], est["caught"], est["survived"], est["known"]) == (20, 18, 16, 2, 100)
    assert est["score"] == pytest.approx(16 / 18)
    # the pool's 200 mutants: 180 not equivalent (as 18 of 20 drawn), 160 of them caught (as 16 of 18)
    assert est["whole"] == pytest.approx((90 + 160) / (100 + 180))
    assert mutate.sample_estimate(entry(*before), equivalent) is None
    md = mutate.render({"widgets": e}, equivalent)
    row = next(line for line in md.splitlines() if line.startswith("| widgets |"))
    assert "partial: 120 of 300 checked; estimated 89.3% from a random sample" in row
    assert ("20 of the 200 mutants not checked before were chosen at random (seed 0) and tested: 16 caught, "
            "2 survived, 2 equivalent, a score of 88.9% (95 % interval 67.2%-96.9%). With the 100 non-equivalent "
            "mutants checked before, the module's estimated score is 89.3%.") in md


def test_sample_is_refused_with_recheck_resume_or_collect(capsys):
    for flag in ("--recheck", "--resume", "--collect"):
        with pytest.raises(SystemExit):
            mutate.main(["--sample", "5", flag, "widgets"])
        assert "--sample chooses new mutants" in capsys.readouterr().err


# ---- results kept across a change of the source: by function ------------------------------------

SRC = '''"""A module."""
import math

LIMIT = 3


def f(x):
    return x + 1


class _Box:
    size = 2

    def g(self, x):
        return x * 2

    def h(self):
        return math.pi
'''


def _hashes(text, path="pkg/mod.py"):
    return mutate.function_hashes({path: text})


def test_function_hashes_name_functions_and_methods_as_function_of_does():
    h = _hashes(SRC)
    assert set(h) == {"pkg.mod.f", "pkg.mod._Box.g", "pkg.mod._Box.h"}
    for name in ("pkg.mod.x_f__mutmut_3", "pkg.mod.xǁ_Boxǁg__mutmut_1", "pkg.mod.xǁ_Boxǁh__mutmut_12"):
        assert mutate.function_of(name) in h
    assert _hashes(SRC) == h


@pytest.mark.parametrize("change,changed", [
    (("return x + 1", "return x - 1"), {"pkg.mod.f"}),                    # one function's body
    (("return x * 2", "return x * 3"), {"pkg.mod._Box.g"}),               # one method's
    (("LIMIT = 3", "LIMIT = 4"), {"pkg.mod.f", "pkg.mod._Box.g", "pkg.mod._Box.h"}),   # a module constant
    (("size = 2", "size = 5"), {"pkg.mod.f", "pkg.mod._Box.g", "pkg.mod._Box.h"}),     # a class attribute
    (("class _Box:", "class _Box(object):"), {"pkg.mod.f", "pkg.mod._Box.g", "pkg.mod._Box.h"}),
    (("import math\n", "import math\nimport os\n"), set()),              # an import binds a name only
    (('"""A module."""', '"""A module, documented."""\n# a comment'), {"pkg.mod.f", "pkg.mod._Box.g",
                                                                        "pkg.mod._Box.h"}),   # the docstring
    (("\n\ndef f(x):", "\n\ndef e():\n    return 0\n\n\ndef f(x):"), {"pkg.mod.e"}),   # a new function
])
def test_function_hashes_change_with_the_function_or_the_modules_constants(change, changed):
    before, after = _hashes(SRC), _hashes(SRC.replace(*change))
    assert SRC.replace(*change) != SRC
    assert {f for f in after if after[f] != before.get(f)} == changed


def test_keep_checked_after_a_change_keeps_the_results_of_unchanged_functions_only():
    previous = {"source": "s1", "mutants": [_m("pkg.mod.x_f__mutmut_1", "survived"),
                                            _m("pkg.mod.xǁ_Boxǁg__mutmut_1", "killed"),
                                            _m("pkg.mod.xǁ_Boxǁh__mutmut_1", "not checked")]}
    collected = [_m("pkg.mod.x_f__mutmut_1", "not checked"), _m("pkg.mod.xǁ_Boxǁg__mutmut_1", "not checked"),
                 _m("pkg.mod.xǁ_Boxǁh__mutmut_1", "not checked"), _m("pkg.mod.x_e__mutmut_1", "not checked")]
    before = _hashes(SRC)
    now = _hashes(SRC.replace("return x + 1", "return x - 1"))
    kept = mutate.keep_checked(collected, previous, "s2", now, before)
    assert [m["status"] for m in kept] == ["not checked", "killed", "not checked", "not checked"]
    assert mutate.keep_checked(collected, previous, "s2") == collected, "no hashes: nothing kept"
    assert mutate.keep_checked(collected, previous, "s2", now, None) == collected


def test_mutant_patterns_invert_function_of():
    import fnmatch

    modules = {"pkg.mod"}
    names = ["pkg.mod.x_f__mutmut_1", "pkg.mod.x_f__mutmut_12", "pkg.mod.xǁ_Boxǁg__mutmut_2",
             "pkg.mod.x_ff__mutmut_1", "pkg.mod.xǁ_Boxǁgg__mutmut_1"]
    for name in names:
        pattern = mutate.mutant_pattern(mutate.function_of(name), modules)
        assert [n for n in names if fnmatch.fnmatchcase(n, pattern)] == \
            [n for n in names if mutate.function_of(n) == mutate.function_of(name)]


@pytest.fixture
def demo_repo(tmp_path, monkeypatch):
    """A git repository with one module to mutate, pkg/mod.py, committed once (SRC)."""
    import subprocess

    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "mod.py").write_text(SRC)

    def git(*args):
        return subprocess.run(["git", *args], cwd=tmp_path, check=True, capture_output=True, text=True).stdout

    git("init", "-q")
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "--allow-empty", "-m", "start")
    git("add", "pkg")
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "mod")
    monkeypatch.setattr(mutate, "ROOT", tmp_path)
    monkeypatch.setitem(mutate.MODULES, "demo", (["pkg/*.py"], []))
    return tmp_path, git


def test_the_changed_functions_are_found_from_an_old_entrys_commit(demo_repo):
    root, git = demo_repo
    first, head = git("rev-list", "--reverse", "HEAD").split()
    source = mutate.source_hash("demo")
    assert mutate.entry_functions("demo", {"source": source, "commit": head[:7]}) == _hashes(SRC)
    # a run of files committed only later (its own commit is the one before): found in the later commit
    (root / "pkg" / "mod.py").write_text(SRC.replace("LIMIT = 3", "LIMIT = 5").replace("x * 2", "x * 7"))
    assert mutate.entry_functions("demo", {"source": source, "commit": first[:7]}) == _hashes(SRC)
    assert mutate.changed_patterns("demo", {"source": source, "commit": first[:7]}) == [
        "pkg.mod.x_f__mutmut_*", "pkg.mod.xǁ_Boxǁg__mutmut_*", "pkg.mod.xǁ_Boxǁh__mutmut_*"]
    (root / "pkg" / "mod.py").write_text(SRC.replace("x * 2", "x * 7"))
    assert mutate.changed_patterns("demo", {"source": source, "commit": head[:7]}) == ["pkg.mod.xǁ_Boxǁg__mutmut_*"]
    assert mutate.changed_patterns("demo", {"source": source, "functions": _hashes(SRC)}) == \
        ["pkg.mod.xǁ_Boxǁg__mutmut_*"]
    # neither its commit nor a later one holds the files it ran on: every function counts as changed
    assert mutate.entry_functions("demo", {"source": "0" * 16, "commit": head[:7]}) is None
    assert len(mutate.changed_patterns("demo", {"source": "0" * 16, "commit": head[:7]})) == 3


def test_carry_counts_the_results_from_another_source_and_keeps_the_samples(demo_repo):
    earlier = {"source": "old", "commit": "abc1234", "functions": _hashes(SRC),
               "samples": [{"seed": 1, "only": [], "pool": 9,
                            "names": ["pkg.mod.x_f__mutmut_1", "pkg.mod.x_gone__mutmut_1"]}],
               "mutants": [_m("pkg.mod.x_f__mutmut_1", "survived"), _m("pkg.mod.xǁ_Boxǁg__mutmut_1", "killed")]}
    now = _hashes(SRC.replace("x * 2", "x * 3"))
    collected = [_m("pkg.mod.x_f__mutmut_1", "not checked"), _m("pkg.mod.xǁ_Boxǁg__mutmut_1", "not checked")]
    mutants, kept = mutate._carry("demo", collected, earlier, "new", now)
    assert [m["status"] for m in mutants] == ["survived", "not checked"]
    assert kept == {"samples": [{"seed": 1, "only": [], "pool": 9, "names": ["pkg.mod.x_f__mutmut_1"]}],
                    "carried": {"commit": "abc1234", "mutants": 1}}
    md = mutate.render({"widgets": {**entry(*mutants), "carried": kept["carried"]}}, [])
    assert "- **widgets:** 1 results from the run at `abc1234`, of functions unchanged since." in md


def test_the_estimate_counts_the_rest_of_the_pool_as_it_is_now():
    """Mutants of the pool checked after the sample (by --only or --changed) count as checked, not twice."""
    before = [_m(f"lessonlib.widgets.debugger.x_g__mutmut_{i}", "killed") for i in range(1, 91)]
    sample = [_m(f"lessonlib.widgets.landscape.x_k__mutmut_{i}", "killed") for i in range(1, 9)] + \
             [_m(f"lessonlib.widgets.landscape.x_k__mutmut_{i}", "survived") for i in range(9, 11)]
    later = [_m(f"lessonlib.widgets.graph.x_k__mutmut_{i}", "survived") for i in range(1, 11)]
    rest = [_m(f"lessonlib.widgets.conv.x_k__mutmut_{i}", "not checked") for i in range(1, 31)]
    e = {**entry(*before, *sample, *later, *rest),
         "samples": [{"seed": 0, "only": [], "pool": 50, "names": [m["name"] for m in sample]}]}
    est = mutate.sample_estimate(e, [])
    # known: 90 killed + 10 survived since; the rest: the 10 drawn and 30 unchecked, scored as the sample (80 %)
    assert est["whole"] == pytest.approx((90 + 0.8 * 40) / (100 + 40))
    assert est["pool"] == 50


def test_changed_is_refused_with_the_other_ways_of_choosing(capsys):
    for flags in (["--sample", "5"], ["--recheck"], ["--only", "x*"], ["--resume"]):
        with pytest.raises(SystemExit):
            mutate.main(["--changed", *flags, "widgets"])
        assert "--changed chooses the mutants" in capsys.readouterr().err
