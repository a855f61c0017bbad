"""Mutation testing of lessonlib, one module at a time: `make mutate` (or `python -m tools.mutate`).

mutmut 3 changes one thing in one function at a time (an operator, a constant, a string, an
argument) and runs the tests that call that function; a mutant the tests still pass "survived".
Each module is run against its own test files (MODULES below), in its own work folder
build/mutate/<module>/ (mutmut reads its settings from the folder's pyproject.toml), so a
module's score says how well *its* tests pin it down, and modules can be re-run alone:

    make mutate                      # every module (see docs/mutation.md for the runtime)
    make mutate MODULES="data train" # some of them; the others keep their last results

Results go to docs/mutation.json (one entry per module, kept between runs) and docs/mutation.md
(written from it). A surviving mutant that no test can kill because it changes nothing a
student or a caller can observe is "equivalent": it is listed in tools/mutation_equivalent.py
with a one-line reason, matched by its function and the changed line, so renumbering mutants
does not lose the judgement.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "build" / "mutate"
DOCS = ROOT / "docs"
RESULTS = DOCS / "mutation.json"
REPORT = DOCS / "mutation.md"

# module -> (files mutated, test files run against them). The tests are the module's own unit
# tests: a mutant must be caught where the module is specified, not by chance elsewhere.
MODULES: dict[str, tuple[list[str], list[str]]] = {
    "data": (["lessonlib/data.py"], ["tests/test_data.py", "tests/test_data_classification.py",
                                      "tests/test_data_images.py"]),
    "model": (["lessonlib/model.py"], ["tests/test_model.py", "tests/test_data_classification.py",
                                        "tests/test_model_cnn.py"]),
    "classify": (["lessonlib/classify.py"], ["tests/test_classify.py", "tests/test_widget_boundary.py"]),
    "stepper": (["lessonlib/stepper.py"], ["tests/test_stepper.py", "tests/test_stepper_records.py",
                                            "tests/test_seen_stepper.py"]),
    "train": (["lessonlib/train.py"], ["tests/test_train.py", "tests/test_train_paths.py"]),
    "manual": (["lessonlib/manual.py"], ["tests/test_manual.py", "tests/test_manual_engine.py", "tests/test_manual_details.py"]),
    "checks": (["lessonlib/checks.py"], ["tests/test_checks.py", "tests/test_feedback.py", "tests/test_checks_paths.py"]),
    "exercises": (
        ["lessonlib/exercises.py", "lessonlib/capstone.py"],
        ["tests/test_exercise_answers.py", "tests/test_feedback.py", "tests/test_capstone.py",
         "tests/test_exercises_paths.py", "tests/test_seen_exercises.py", "tests/test_answers_off.py",
         "tests/test_tries.py"],
    ),
    "text": (
        ["lessonlib/text.py", "lessonlib/bidi.py", "lessonlib/display.py"],
        ["tests/test_text.py", "tests/test_bidi.py", "tests/test_display.py", "tests/test_text_paths.py"],
    ),
    "plots": (
        ["lessonlib/plots.py", "lessonlib/graph_plot.py"],
        ["tests/test_plots.py", "tests/test_graph_plot.py", "tests/test_seen_plots.py", "tests/test_plots_cnn.py",
         "tests/test_classify.py"],
    ),
    "graph": (["lessonlib/graph.py"], ["tests/test_graph.py", "tests/test_seen_graph.py"]),
    "widgets": (
        ["lessonlib/widgets/*.py"],
        # not test_widgets_package.py: it reads the package's source files (their length, their
        # imports), which mutmut rewrites; it tests the packaging, not what a widget shows
        ["tests/test_widgets.py", "tests/test_graph_widget.py", "tests/test_seen_widgets.py",
         "tests/test_widget_boundary.py", "tests/test_widget_conv.py", "tests/test_widget_redraw.py",
         "tests/test_explorer_truth.py", "tests/test_seen_landscape.py", "tests/test_seen_conv.py",
         "tests/test_seen_learned.py", "tests/test_seen_boundary.py", "tests/test_seen_optimizers.py",
         "tests/test_seen_misc.py"],
    ),
}
# Tests left out of a module's run: they belong to another module and take seconds each (every
# exercise checker fed random input is the exercises module's robustness test, not checks'), or they
# read a file the work folder replaces.
# test_explorer_truth's packaging test reads the project's pyproject.toml, which in a work folder is mutmut's.
DESELECT: dict[str, str] = {"checks": "not test_every_exercise_never_raises",
                            "widgets": "not test_the_grid_file_ships_with_the_package"}
CORE = ("data", "model", "classify", "stepper", "train", "manual", "checks", "exercises", "text")
GOAL = 0.90

# Files the tests read besides lessonlib and tests/ (notebooks for the figure checks, ...).
ALSO_COPY = ["notebooks", "tools", "README.md", "environment.yml", "Makefile"]

PYTEST_INI = """[pytest]
# Written by tools/mutate.py: the project's settings without nbval, slow or browser tests.
addopts = -p no:cacheprovider -m "not slow and not browser"
markers =
    browser: real JupyterLab + Chromium test
    slow: seconds-long tests
filterwarnings = error::DeprecationWarning:lessonlib.*
"""


def _toml_list(items) -> str:
    return "[" + ", ".join(json.dumps(str(i)) for i in items) + "]"


def _settings(module: str, tests: list[str]) -> str:
    return (
        "[tool.mutmut]\n"
        'source_paths = ["lessonlib"]\n'
        f"only_mutate = {_toml_list(MODULES[module][0])}\n"
        f"also_copy = {_toml_list(ALSO_COPY)}\n"
        f"pytest_add_cli_args_test_selection = {_toml_list(tests + (['-k', DESELECT[module]] if module in DESELECT else []))}\n"
        "pytest_add_cli_args = [\"-p\", \"_hypothesis_pytestplugin\", \"-p\", \"tools.mutate_warmup\"]\n"
        # torch is not fork-safe after it has run a thread pool: fork from a clean server.
        'process_isolation = "forkserver"\n'
        "use_git_change_detection = false\n"
    )


def prepare(module: str) -> tuple[Path, list[str]]:
    """A fresh work folder for one module: links to the sources, mutmut's and pytest's settings."""
    files, tests = MODULES[module]
    tests = [t for t in tests if (ROOT / t).exists()]
    work = WORK / module
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    for name in ["lessonlib", "tests", *ALSO_COPY]:
        (work / name).symlink_to(ROOT / name)
    (work / "pytest.ini").write_text(PYTEST_INI)
    (work / "pyproject.toml").write_text(_settings(module, tests))
    return work, tests


# Run inside a work folder, after `mutmut run`: every mutant's status, and the diff of each
# one that was not killed (mutmut's own functions, so its status names are used as they are).
_COLLECT = r"""
import json, sys
from mutmut.configuration import config
from mutmut.models.results import *  # noqa
from mutmut.utils.file_utils import walk_mutatable_files
from mutmut.stats import status_by_exit_code
from mutmut.mutation.diff_apply import get_diff_for_mutant
try:
    from mutmut.models.results import SourceFileMutationData
except ImportError:
    from mutmut.__main__ import SourceFileMutationData
out = []
for path in walk_mutatable_files():
    m = SourceFileMutationData(path=path)
    m.load()
    for name, code in m.exit_code_by_key.items():
        status = status_by_exit_code[code]
        diff = "" if status == "killed" else get_diff_for_mutant(name, path=path)
        out.append({"name": name, "file": str(path), "status": status, "diff": diff})
json.dump(out, sys.stdout)
"""


def changed_lines(diff: str) -> tuple[str, str]:
    """The removed and added lines of a mutant's diff, stripped (its identity for equivalents)."""
    minus = [ln[1:].strip() for ln in diff.splitlines() if ln.startswith("-") and not ln.startswith("---")]
    plus = [ln[1:].strip() for ln in diff.splitlines() if ln.startswith("+") and not ln.startswith("+++")]
    return " / ".join(minus), " / ".join(plus)


def function_of(name: str) -> str:
    """'lessonlib.data.x_make_line_data__mutmut_7' -> 'lessonlib.data.make_line_data'."""
    base = re.sub(r"__mutmut_\d+$", "", name)
    module, _, func = base.rpartition(".")
    func = re.sub(r"^x[ǁ_]", "", func).replace("ǁ", ".")
    return f"{module}.{func}"


def source_hash(module: str) -> str:
    """One hash of the files a module mutates: a recheck is valid only while they are unchanged."""
    return _hash_texts(source_files(module))


def _hash_texts(files: dict[str, str]) -> str:
    """One hash of some files' texts, in their order (source_hash, and an entry's files at a commit)."""
    import hashlib

    h = hashlib.sha256()
    for text in files.values():
        h.update(text.encode())
    return h.hexdigest()[:16]


def source_files(module: str, commit: str | None = None) -> dict[str, str] | None:
    """The texts of the files a module mutates, now or at a commit (None if git does not have it)."""
    import fnmatch

    if commit is None:
        return {str(path.relative_to(ROOT)): path.read_bytes().decode() for pattern in MODULES[module][0]
                for path in sorted(ROOT.glob(pattern))}
    listed = subprocess.run(["git", "ls-tree", "-r", "--name-only", commit], cwd=ROOT, capture_output=True,
                            text=True)
    if listed.returncode:
        return None
    paths = [p for p in listed.stdout.splitlines() if any(fnmatch.fnmatch(p, pat) for pat in MODULES[module][0])]
    return {p: subprocess.run(["git", "show", f"{commit}:{p}"], cwd=ROOT, capture_output=True,
                              check=True).stdout.decode() for p in sorted(paths)}   # bytes as committed


def function_hashes(files: dict[str, str]) -> dict[str, str]:
    """A hash per function mutmut mutates (module-level functions and methods), named as function_of()
    names them: the function's own text, with the module's constants and class attributes (its other
    statements, imports aside). A mutant of a function whose hash is unchanged is the same mutant:
    mutmut numbers mutants within their function. Like mutmut's own incremental runs, this does not
    follow calls: a function whose callee changed keeps its results."""
    import ast
    import hashlib

    out = {}
    for path, text in files.items():
        module = path.removesuffix(".py").replace("/", ".")
        tree = ast.parse(text)
        funcs, rest = [], []
        for node in tree.body:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                funcs.append((node.name, node))
            elif isinstance(node, ast.ClassDef):
                for item in node.body:
                    if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                        funcs.append((f"{node.name}.{item.name}", item))
                    else:
                        rest.append(ast.dump(item))
                rest.append(ast.dump(ast.ClassDef(name=node.name, bases=node.bases, keywords=node.keywords,
                                                  body=[], decorator_list=node.decorator_list, type_params=[])))
            elif not isinstance(node, (ast.Import, ast.ImportFrom)):
                rest.append(ast.dump(node))
        context = hashlib.sha256("\n".join(rest).encode()).hexdigest()
        for name, node in funcs:
            segment = "\n".join(text.splitlines()[(node.decorator_list[0].lineno if node.decorator_list
                                                    else node.lineno) - 1:node.end_lineno])
            out[f"{module}.{name}"] = hashlib.sha256((context + segment).encode()).hexdigest()[:16]
    return out


def entry_functions(module: str, entry: dict | None) -> dict[str, str] | None:
    """The function hashes of a recorded run: its own; or (an entry written before they were recorded)
    those of the files it ran on, found by its source hash: today's files, its commit's, or those of a
    later commit (a run of files not yet committed). None if none of them is its source."""
    if not entry:
        return None
    if "functions" in entry:
        return entry["functions"]
    if entry.get("source") == source_hash(module):
        return function_hashes(source_files(module))
    commit = entry.get("commit", "?")
    later = subprocess.run(["git", "log", "--format=%h", f"{commit}..HEAD", "--", *MODULES[module][0]],
                           cwd=ROOT, capture_output=True, text=True).stdout.split()
    for candidate in [commit, *reversed(later)]:
        files = source_files(module, candidate)
        if files and _hash_texts(files) == entry.get("source"):
            return function_hashes(files)
    return None


def mutant_pattern(function: str, modules: set[str]) -> str:
    """The mutmut names of a function's mutants (the inverse of function_of), as an fnmatch pattern:
    'lessonlib.data.make_line_data' -> 'lessonlib.data.x_make_line_data__mutmut_*', a method
    'lessonlib.m.Cls.f' -> 'lessonlib.m.xǁClsǁf__mutmut_*'. `modules`: the dotted names of the files."""
    head, _, name = function.rpartition(".")
    if head in modules:
        return f"{head}.x_{name}__mutmut_*"
    module, _, cls = head.rpartition(".")
    return f"{module}.xǁ{cls}ǁ{name}__mutmut_*"


def changed_patterns(module: str, entry: dict | None) -> list[str]:
    """The mutant patterns of the functions whose hash differs from the module's last run (new ones
    included); every function when that run's hashes are not known."""
    files = source_files(module)
    now = function_hashes(files)
    before = entry_functions(module, entry) or {}
    modules = {p.removesuffix(".py").replace("/", ".") for p in files}
    return [mutant_pattern(f, modules) for f in now if before.get(f) != now[f]]


def choose_sample(names: list[str], checked: set[str], n: int, seed: int,
                  only: list[str] | None = None) -> tuple[list[str], int]:
    """A uniform random sample of n of the mutants not checked yet (those matching `only`, if given):
    the names chosen, in mutmut's order, and how many there were to choose from. Unlike a --budget
    run (mutmut tests the cheapest mutants first), a random sample's score estimates the rest's."""
    import fnmatch
    import random

    pool = [x for x in names if x not in checked and (not only or any(fnmatch.fnmatch(x, p) for p in only))]
    chosen = set(random.Random(seed).sample(pool, min(n, len(pool))))
    return [x for x in pool if x in chosen], len(pool)


def keep_checked(collected: list[dict], previous: dict | None, source: str,
                 functions: dict[str, str] | None = None, before_functions: dict[str, str] | None = None
                 ) -> list[dict]:
    """A new run's mutants, with what an earlier run found for those this run did not test: all of them if
    it ran on the same source (mutmut names mutants by function and number, so the same source gives the
    same names); after the source changed, those of the functions whose hash (function_hashes) is the same
    in both, given both runs' hashes."""
    if not previous:
        return collected
    if previous.get("source") == source:
        def same(_name):
            return True
    elif functions and before_functions:
        def same(name):
            f = function_of(name)
            return f in functions and functions[f] == before_functions.get(f)
    else:
        return collected
    before = {m["name"]: m for m in previous["mutants"] if m["status"] != "not checked" and same(m["name"])}
    return [before.get(m["name"], m) if m["status"] == "not checked" else m for m in collected]


def wilson(k: int, n: int, z: float = 1.96) -> tuple[float, float]:
    """The Wilson score interval (95 %) for k successes in n draws: a sample's score, as a range."""
    if n == 0:
        return 0.0, 1.0
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * ((p * (1 - p) / n + z * z / (4 * n * n)) ** 0.5) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def _mutmut(work: Path, args: list[str], log: Path, budget: float | None = None, expect: str = "") -> None:
    """Run mutmut in a work folder; after `budget` minutes, stop it the way Ctrl-C does (it keeps
    every result so far; the rest stays "not checked", and --resume goes on from there)."""
    mutmut = Path(sys.executable).with_name("mutmut")
    env = dict(_ENV, MUTATE_MODULE=work.name)       # read by tools/mutate_warmup.py
    with open(log, "w") as fh:
        # Ctrl-C's default action restored: a shell starts a background job with SIGINT ignored
        proc = subprocess.Popen([str(mutmut), *args], cwd=work, env=env, stdout=fh, stderr=subprocess.STDOUT,
                                preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
        try:
            proc.wait(timeout=budget * 60 if budget else None)
        except subprocess.TimeoutExpired:
            proc.send_signal(signal.SIGINT)      # mutmut stops its workers; each result is saved as it comes
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            print(f"mutate: {work.name}: stopped after {budget:g} minutes (--budget)", flush=True)
            return
        except KeyboardInterrupt:
            proc.wait()   # mutmut got the same Ctrl-C and saves its results
            raise
    if proc.returncode != 0 and not (expect and expect in log.read_text(errors="replace")):
        tail = "".join(log.read_text(errors="replace").splitlines(True)[-30:])
        raise SystemExit(f"mutmut failed in {work} (exit {proc.returncode}); end of {log}:\n{tail}")


# Plugin autoloading scans every installed package and imports nbval's Jupyter stack: seconds in
# every forked test run. The tests need only hypothesis's plugin, loaded by name in _settings.
_ENV = dict(os.environ, OMP_NUM_THREADS="1", MPLBACKEND="Agg", PYTHONHASHSEED="0", PYTEST_DISABLE_PLUGIN_AUTOLOAD="1")


def _collect(work: Path) -> list[dict]:
    got = subprocess.run([sys.executable, "-c", _COLLECT], cwd=work, env=_ENV, capture_output=True, text=True,
                         check=True)
    return json.loads(got.stdout)


def run_module(module: str, jobs: int, previous: dict | None = None, resume: bool = False,
               collect_only: bool = False, only: list[str] | None = None, budget: float | None = None,
               earlier: dict | None = None) -> dict:
    """A full run; or, given the previous result of an unchanged module, a recheck of the
    mutants that were not caught, against the tests as they are now (new tests included).
    A new run keeps what `earlier` (the module's last result) found for the mutants it does not
    test (with --only, --budget): see keep_checked."""
    start = time.monotonic()
    work = WORK / module
    source = source_hash(module)         # taken first: the files may change while the run goes on
    functions = function_hashes(source_files(module))
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                            text=True).stdout.strip() or "?"
    # A recheck re-tests the previous run's own mutants (build/mutate/<module>/mutants holds the
    # sources as they were then): its result is still that commit's, with today's tests.
    recheck = previous is not None and (work / "mutants").is_dir()
    if collect_only and (work / "run.json").exists():
        meta = json.loads((work / "run.json").read_text())
        tests = [t for t in MODULES[module][1] if (ROOT / t).exists()]
        mutants, kept = _resumed(module, work, meta, earlier)
        return {"module": module, "files": MODULES[module][0], "tests": tests, **meta,
                "seconds": round(meta.get("seconds_before", 0)), "deselect": DESELECT.get(module, ""),
                **kept, "mutants": mutants}
    if resume and (work / "run.json").exists():
        # an interrupted run: mutmut tests the mutants it has no result for yet
        meta = json.loads((work / "run.json").read_text())
        tests = [t for t in MODULES[module][1] if (ROOT / t).exists()]
        if (work / "pyproject.toml").read_text() != _settings(module, tests):
            # today's test files; with its stats kept, mutmut would reset every result on a changed selection
            (work / "mutants" / "mutmut-stats.json").unlink(missing_ok=True)
            (work / "pyproject.toml").write_text(_settings(module, tests))
        _mutmut(work, ["run", "--max-children", str(jobs), *(only or [])], work / "mutmut-resume.log", budget)
        meta["seconds_before"] = round(meta.get("seconds_before", 0) + time.monotonic() - start)
        (work / "run.json").write_text(json.dumps(meta))
        mutants, kept = _resumed(module, work, meta, earlier)
        return {"module": module, "files": MODULES[module][0], "tests": tests, **meta,
                "seconds": meta["seconds_before"], "deselect": DESELECT.get(module, ""), **kept, "mutants": mutants}
    if recheck:
        # the mutants tested and not killed; timeouts too, which a loaded machine can cause (those
        # not checked yet are --resume's)
        names = [m["name"] for m in previous["mutants"]
                 if m["status"] not in ("killed", "caught by type check", "not checked")]
        tests = [t for t in MODULES[module][1] if (ROOT / t).exists()]
        if not names:
            return previous
        if (work / "pyproject.toml").read_text() != _settings(module, tests):
            # new test files: re-map tests to functions (with its stats kept, mutmut would reset every
            # result on a changed selection); new tests in the same files are mapped by mutmut itself
            (work / "mutants" / "mutmut-stats.json").unlink(missing_ok=True)
            (work / "pyproject.toml").write_text(_settings(module, tests))
        _mutmut(work, ["run", "--max-children", str(jobs), *names], work / "mutmut-recheck.log", budget)
        seconds = previous["seconds"]  # the runtime of a full run is what the report gives
    else:
        work, tests = prepare(module)
        (work / "run.json").write_text(json.dumps({"source": source, "commit": commit, "functions": functions}))
        _mutmut(work, ["run", "--max-children", str(jobs), *(only or [])], work / "mutmut.log", budget)
        seconds = round(time.monotonic() - start)
        # an interrupted run's minutes so far, for --resume / --collect to add to
        (work / "run.json").write_text(json.dumps({"source": source, "commit": commit, "functions": functions,
                                                   "seconds_before": seconds}))
    mutants = _collect(work)
    kept = {}
    if recheck:
        source, commit = previous.get("source", "?"), previous.get("commit", "?")   # the mutants' own
        functions = entry_functions(module, previous)
        # results this work folder does not hold (an earlier run of the same source), and its samples
        mutants = keep_checked(mutants, previous, source)
        kept = {k: previous[k] for k in ("samples", "carried") if previous.get(k)}
    elif earlier:
        mutants, kept = _carry(module, mutants, earlier, source, functions)
        if (only or budget) and (kept.get("carried") or earlier.get("source") == source):
            seconds += earlier.get("seconds", 0)     # a part of the module: the minutes of the results it kept
    return {"module": module, "files": MODULES[module][0], "tests": tests, "source": source, "commit": commit,
            "seconds": seconds, "deselect": DESELECT.get(module, ""), **kept, "functions": functions,
            "mutants": mutants}


def _resumed(module: str, work: Path, meta: dict, earlier: dict | None) -> tuple[list[dict], dict]:
    """An interrupted run's mutants as they stand, with `earlier`'s results kept where its work folder
    recorded its function hashes (run.json)."""
    mutants = _collect(work)
    if earlier and meta.get("functions"):
        return _carry(module, mutants, earlier, meta["source"], meta["functions"])
    return mutants, {}


def _carry(module: str, mutants: list[dict], earlier: dict, source: str, functions: dict[str, str],
           before_functions: dict[str, str] | None = None) -> tuple[list[dict], dict]:
    """A new run's mutants with the earlier run's results kept (keep_checked), and what the entry keeps
    of it: the samples whose mutants are still there, and how many results came from another source."""
    if before_functions is None:
        before_functions = entry_functions(module, earlier)
    mutants = keep_checked(mutants, earlier, source, functions, before_functions)
    kept_names = {m["name"] for m in mutants}
    same = earlier.get("source") == source
    kept = {}
    samples = [{**x, "names": [n for n in x["names"] if n in kept_names]} for x in earlier.get("samples", [])]
    if samples:
        kept["samples"] = samples
    if same and earlier.get("carried"):
        kept["carried"] = earlier["carried"]
    elif not same:
        before = {m["name"]: m for m in earlier["mutants"] if m["status"] != "not checked"}
        n = sum(1 for m in mutants if m["name"] in before and m is before[m["name"]])
        if n:
            kept["carried"] = {"commit": earlier.get("commit", "?"), "mutants": n}
    return mutants, kept


# A mutant name no mutant has: `mutmut run` with it writes every mutant and then stops, testing none
# (run_sample then chooses among the names it wrote; the next `mutmut run` maps the tests).
NO_MUTANT = "lessonlib.no_such_function__mutmut_0"


def run_sample(module: str, jobs: int, n: int, seed: int, previous: dict | None = None,
               only: list[str] | None = None, budget: float | None = None) -> dict:
    """Test a uniform random sample of n of the module's mutants not checked yet, keeping what earlier
    runs of the same source found. The sample is recorded in the entry: its score estimates the score
    of all the mutants it was drawn from (render() gives the interval and the module's estimate)."""
    start = time.monotonic()
    source = source_hash(module)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                            text=True).stdout.strip() or "?"
    work = WORK / module
    meta = json.loads((work / "run.json").read_text()) if (work / "run.json").exists() else {}
    functions = function_hashes(source_files(module))
    if meta.get("source") != source:
        work, _ = prepare(module)
        (work / "run.json").write_text(json.dumps({"source": source, "commit": commit, "functions": functions}))
        # mutmut writes every mutant, then refuses the filter that matches none: that refusal is expected
        _mutmut(work, ["run", "--max-children", str(jobs), NO_MUTANT], work / "mutmut-generate.log",
                expect="Filtered for specific mutants, but nothing matches")
    tests = [t for t in MODULES[module][1] if (ROOT / t).exists()]
    if (work / "pyproject.toml").read_text() != _settings(module, tests):
        (work / "mutants" / "mutmut-stats.json").unlink(missing_ok=True)
        (work / "pyproject.toml").write_text(_settings(module, tests))
    same = previous is not None and previous.get("source") == source
    before_functions = entry_functions(module, previous)
    collected = keep_checked(_collect(work), previous, source, functions, before_functions)
    checked = {m["name"] for m in collected if m["status"] != "not checked"}
    chosen, pool = choose_sample([m["name"] for m in collected], checked, n, seed, only)
    print(f"mutate: {module}: testing {len(chosen)} mutants chosen at random (seed {seed}) of the {pool} "
          "not checked yet", flush=True)
    if chosen:
        _mutmut(work, ["run", "--max-children", str(jobs), *chosen], work / "mutmut-sample.log", budget)
    mutants, kept = _carry(module, _collect(work), previous, source, functions, before_functions) if previous \
        else (_collect(work), {})
    picked = set(chosen)
    tested = sorted(m["name"] for m in mutants if m["name"] in picked and m["status"] != "not checked")
    samples = [*kept.pop("samples", []), {"seed": seed, "only": only or [], "pool": pool, "names": tested}]
    return {"module": module, "files": MODULES[module][0], "tests": tests, "source": source,
            "commit": previous.get("commit", commit) if same else commit,
            "seconds": (previous["seconds"] if previous else 0) + round(time.monotonic() - start),
            "deselect": DESELECT.get(module, ""), **kept, "samples": samples, "functions": functions,
            "mutants": mutants}


def sample_estimate(entry: dict, equivalent: list[dict]) -> dict | None:
    """The last random sample of a module's run: its own score with a 95 % interval, and the module's
    estimated score: the mutants checked before it as they are, the rest of its pool as the sample is."""
    if not entry.get("samples"):
        return None
    last = entry["samples"][-1]
    names = set(last["names"])
    sample = classify({**entry, "mutants": [m for m in entry["mutants"] if m["name"] in names]}, equivalent)
    known = classify({**entry, "mutants": [m for m in entry["mutants"] if m["name"] not in names]}, equivalent)
    c, k = sample["counts"], known["counts"]
    drawn = len(names)
    real = drawn - c["equivalent"]
    caught = c["killed"] + c["timeout"]
    low, high = wilson(caught, real)
    # the rest of the pool: the sample and the mutants still not checked (not its recorded pool: mutants
    # checked since, by --only or --changed, count as checked), as many of them not equivalent as in the sample
    rest = (k["not checked"] + drawn) * (real / drawn if drawn else 0)
    known_real = k["total"] - k["not checked"] - k["equivalent"]
    known_caught = k["killed"] + k["timeout"]
    whole = (known_caught + rest * (caught / real if real else 0)) / (known_real + rest) if known_real + rest else 1.0
    return {"seed": last["seed"], "only": last["only"], "pool": last["pool"], "drawn": drawn, "real": real,
            "caught": caught, "survived": real - caught, "score": caught / real if real else 1.0,
            "low": low, "high": high, "known": known_real, "whole": whole}


def classify(entry: dict, equivalent: list[dict]) -> dict:
    """Counts for one module, with each survivor matched against the equivalents list."""
    counts = {"total": 0, "killed": 0, "survived": 0, "equivalent": 0, "timeout": 0, "no tests": 0, "other": 0,
              "not checked": 0}
    survivors, equivalents = [], []
    for m in entry["mutants"]:
        counts["total"] += 1
        status = m["status"]
        if status in ("killed", "caught by type check"):
            counts["killed"] += 1
        elif status == "not checked":
            counts["not checked"] += 1     # an interrupted run: the score covers the mutants checked
        elif status == "timeout":
            counts["timeout"] += 1  # an endless loop or a hang is caught: it never passes
        elif status in ("survived", "no tests"):
            before, after = changed_lines(m["diff"])
            func = function_of(m["name"])
            reason = next((e["reason"] for e in equivalent
                           if e["function"] == func and e["before"] == before and e["after"] == after), None)
            if reason:
                counts["equivalent"] += 1
                equivalents.append({**m, "function": func, "before": before, "after": after, "reason": reason})
            else:
                counts["survived" if status == "survived" else "no tests"] += 1
                survivors.append({**m, "function": func, "before": before, "after": after})
        else:
            counts["other"] += 1
            survivors.append({**m, "function": function_of(m["name"]), "before": "", "after": status})
    real = counts["total"] - counts["equivalent"] - counts["not checked"]
    caught = counts["killed"] + counts["timeout"]
    return {"counts": counts, "score": caught / real if real else 1.0, "survivors": survivors, "equivalents": equivalents}


def render(results: dict[str, dict], equivalent: list[dict]) -> str:
    lines = [
        "# Mutation testing",
        "",
        "Written by `make mutate` (`tools/mutate.py`, mutmut "
        f"{results.get('_meta', {}).get('mutmut', '?')}); do not edit by hand. Each module is mutated "
        "and run against its own unit tests (the fast suite, without slow, browser or notebook tests).",
        "A mutant is one small change to one function: an operator, a constant, a string, an argument. "
        "*Killed* means a test failed; *timeout* means it hung, also caught. *Equivalent* survivors "
        "change nothing observable; each has its reason below (`tools/mutation_equivalent.py`).",
        f"Score = (killed + timeout) / (all − equivalent). Goal: ≥ {GOAL:.0%} in every core module "
        f"({', '.join(CORE)}); plots and widgets count too.",
        "",
        f"Machine: {results.get('_meta', {}).get('machine', '?')}.",
        "",
        "| module | files | tests | mutants | killed | timeout | survived | no tests | equivalent | score | minutes | source at |",
        "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    total_s = 0
    details, samples, carried = [], [], []
    for module in MODULES:
        entry = results.get(module)
        if not entry:
            lines.append(f"| {module} | | | not run yet | | | | | | | | |")
            continue
        c = classify(entry, equivalent)
        n = c["counts"]
        total_s += entry["seconds"]
        mark = "" if c["score"] >= GOAL else " ⚠"
        if n["not checked"]:
            est = sample_estimate(entry, equivalent)
            mark += f" (partial: {n['total'] - n['not checked']} of {n['total']} checked"
            mark += f"; estimated {est['whole']:.1%} from a random sample)" if est else ")"
            if est:
                scope = f" matching {', '.join(f'`{o}`' for o in est['only'])}" if est["only"] else ""
                samples.append(
                    f"- **{module}:** {est['drawn']} of the {est['pool']:,} mutants{scope} not checked before were "
                    f"chosen at random (seed {est['seed']}) and tested: {est['caught']} caught, {est['survived']} "
                    f"survived, {est['drawn'] - est['real']} equivalent, a score of {est['score']:.1%} (95 % "
                    f"interval {est['low']:.1%}-{est['high']:.1%}). With the {est['known']} non-equivalent mutants "
                    f"checked before, the module's estimated score is {est['whole']:.1%}.")
        if entry.get("carried"):
            carried.append(f"- **{module}:** {entry['carried']['mutants']:,} results from the run at "
                           f"`{entry['carried']['commit']}`, of functions unchanged since.")
        files = ", ".join(f"`{f}`" for f in entry["files"])
        tests = ", ".join(f"`{x.removeprefix('tests/')}`" for x in entry["tests"])
        if entry.get("deselect"):
            tests += f" (`-k {entry['deselect']!r}`)"
        lines.append(
            f"| {module} | {files} | {tests} | {n['total']} | "
            f"{n['killed']} | {n['timeout']} | {n['survived']} | {n['no tests']} | {n['equivalent']} | "
            f"{c['score']:.1%}{mark} | {entry['seconds'] / 60:.1f} | "
            f"{'`' + entry.get('commit', '?') + '`' + ('' if entry.get('source') == source_hash(module) else ' (changed since)')} |"
        )
        if c["survivors"]:
            details += ["", f"### {module}: surviving mutants ({len(c['survivors'])})", ""]
            for s in c["survivors"]:
                details.append(f"- `{s['function']}` ({s['status']}): `{s['before']}` → `{s['after']}`")
        if c["equivalents"]:
            details += ["", f"### {module}: equivalent mutants ({len(c['equivalents'])})", ""]
            for s in c["equivalents"]:
                details.append(f"- `{s['function']}`: `{s['before']}` → `{s['after']}`: {s['reason']}")
    lines += ["", f"Runtime: the module runs recorded here took about {total_s / 60:.0f} minutes in all on this "
              "machine (see each row; a recheck keeps its full run's minutes). All eleven modules, about "
              f"{sum(len(e['mutants']) for m, e in results.items() if m in MODULES):,} mutants, take several hours "
              "on 2 cores; run them a few at a time "
              "(`make mutate MODULES=...`). A partial row (a run stopped by `--budget`, or `--only` some files) scores "
              "the mutants checked so far; mutmut tests the cheapest first (those with the fewest tests), so the rest "
              "may score otherwise; `--resume` goes on."]
    if carried:
        lines += ["", "Results kept across a change of the source (`--changed`, `--only`, `--sample`): a mutant "
                  "of a function whose text, and whose module's constants, did not change is the same mutant "
                  "(mutmut numbers mutants within their function), so its earlier result is kept. As in mutmut's "
                  "own incremental runs, calls are not followed: a function whose callee changed keeps its results.",
                  "", *carried]
    if samples:
        lines += ["", "Random samples (`--sample N`): where a whole module would take hours, a uniform random sample "
                  "of the mutants not checked yet estimates their score, unlike a `--budget` run (cheapest first). "
                  "The estimate counts the mutants checked before as they are and the rest as the sample scored.",
                  "", *samples]
    lines += details
    return "\n".join(lines) + "\n"


def load_equivalent() -> list[dict]:
    from tools.mutation_equivalent import EQUIVALENT

    return EQUIVALENT


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("modules", nargs="*", help=f"modules to run (default: all of {', '.join(MODULES)})")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="mutants tested at once")
    ap.add_argument("--recheck", action="store_true",
                    help="re-test the mutants not killed last time (survivors and timeouts; the same mutants), with today's tests")
    ap.add_argument("--resume", action="store_true", help="finish an interrupted run of the module(s)")
    ap.add_argument("--collect", action="store_true",
                    help="record an interrupted run as it stands (the rest counts as not checked)")
    ap.add_argument("--only", action="append", metavar="PATTERN",
                    help="test only the mutants whose names match (fnmatch, e.g. 'lessonlib.widgets.debugger.*'; "
                         "repeatable); the others stay not checked, for a later --resume")
    ap.add_argument("--budget", type=float, metavar="MINUTES",
                    help="stop each module's mutmut run after this many minutes, keeping its results so far")
    ap.add_argument("--sample", type=int, metavar="N",
                    help="test N mutants chosen at random among those not checked yet (with --only: among those "
                         "matching), keeping earlier results of the same source; the report estimates the rest")
    ap.add_argument("--seed", type=int, default=0, help="the random sample's seed (default 0)")
    ap.add_argument("--changed", action="store_true",
                    help="test every mutant of the functions changed since the module's last run, keeping the "
                         "results of the others (see function_hashes)")
    ap.add_argument("--report-only", action="store_true", help="rewrite docs/mutation.md from docs/mutation.json")
    args = ap.parse_args(argv)
    unknown = [m for m in args.modules if m not in MODULES]
    if unknown:
        ap.error(f"unknown module(s) {unknown}; choose from {list(MODULES)}")
    if args.sample and (args.recheck or args.resume or args.collect):
        ap.error("--sample chooses new mutants to test: not with --recheck, --resume or --collect")
    if args.changed and (args.sample or args.recheck or args.resume or args.collect or args.only):
        ap.error("--changed chooses the mutants to test: not with --sample, --recheck, --resume, --collect "
                 "or --only")
    results = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    if args.recheck:
        for module in args.modules or list(MODULES):
            previous = results.get(module)
            if previous and previous.get("source") != source_hash(module):
                # its mutants are copies of the old source: today's tests against them prove nothing
                # (a recheck of exercises after its source changed reported 175 false survivors)
                print(f"mutate: {module}: its source changed since the run to recheck (commit "
                      f"{previous.get('commit', '?')}); test its changed functions, keeping the others' "
                      f"results: make mutate MODULES={module} MUTATE_ARGS=--changed (or run it again in full)",
                      file=sys.stderr)
                return 2
    if not args.report_only:
        import importlib.metadata as md

        results["_meta"] = {
            "mutmut": md.version("mutmut"),
            "jobs": args.jobs,
            "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        }
        for module in args.modules or list(MODULES):
            print(f"mutate: {module} ...", flush=True)
            only = args.only
            if args.changed:
                only = changed_patterns(module, results.get(module))
                if not only:
                    print(f"mutate: {module}: no function changed since its last run", flush=True)
                    continue
                print(f"mutate: {module}: testing the mutants of {len(only)} changed function(s)", flush=True)
            if args.sample:
                results[module] = run_sample(module, args.jobs, args.sample, args.seed, results.get(module),
                                             only=only, budget=args.budget)
            else:
                results[module] = run_module(module, args.jobs, results.get(module) if args.recheck else None,
                                             resume=args.resume, collect_only=args.collect, only=only,
                                             budget=args.budget,
                                             earlier=None if args.recheck else results.get(module))
            c = classify(results[module], load_equivalent())
            print(f"mutate: {module}: {c['counts']} score {c['score']:.1%} in {results[module]['seconds']} s", flush=True)
            DOCS.mkdir(exist_ok=True)
            # re-read first: another `make mutate` of other modules may have written meanwhile
            latest = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
            latest.update({"_meta": results["_meta"], module: results[module]})
            results = latest
            RESULTS.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n")
    REPORT.write_text(render(results, load_equivalent()))
    print(f"mutate: wrote {REPORT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
