"""Lint (issue 14): ruff over every .py file and both editions' notebooks, the notebooks' metadata,
and the settings they run with (pyproject.toml [tool.ruff], Makefile `lint`)."""
from __future__ import annotations

import json
import pathlib
import re
import shutil
import subprocess
import sys
import tomllib

from tests.nbtools import ROOT, notebook_paths
from tools import check_nb_metadata

with open(ROOT / "pyproject.toml", "rb") as f:
    PYPROJECT = tomllib.load(f)
RUFF = PYPROJECT["tool"]["ruff"]
ORIGINAL = "tests/reference/rb109_02_original.py"


def ruff(*args: str, cwd=ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ruff", *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def test_ruff_check_passes_on_the_code_and_the_notebooks():
    run = ruff("check", "--no-cache", "--output-format", "concise", ".")
    assert run.returncode == 0, f"`ruff check .` found problems (fix them or mark them intended):\n{run.stdout}{run.stderr}"


def test_ruff_reads_both_editions_notebooks():
    run = ruff("check", "--no-cache", "--show-files", ".")
    listed = {line.strip() for line in run.stdout.splitlines()}
    for path in notebook_paths():
        assert any(line.endswith(f"notebooks/{path.parent.name}/{path.name}") for line in listed), \
            f"ruff does not lint {path.parent.name}/{path.name}"
    assert not any(line.endswith(ORIGINAL) for line in listed), f"{ORIGINAL} must stay excluded"


def test_the_original_script_is_excluded_explicitly_and_keeps_its_bugs():
    """Excluded by name (not by a broad pattern), and ruff would report it: the optimizer is never defined."""
    assert ORIGINAL in RUFF["extend-exclude"]
    run = ruff("check", "--no-cache", "--isolated", "--select", "F821", "--output-format", "concise", ORIGINAL)
    assert run.returncode == 1 and "optimizer" in run.stdout, run.stdout


def test_a_new_finding_in_a_notebook_fails_the_lint(tmp_path):
    """The gate works on notebooks: an unused import in a copy of a lesson makes ruff fail, naming the cell."""
    for name in ("pyproject.toml",):
        shutil.copy(ROOT / name, tmp_path / name)
    src = ROOT / "notebooks" / "en" / "02_forward.ipynb"
    nb = json.loads(src.read_text(encoding="utf-8"))
    code = next(c for c in nb["cells"] if c["cell_type"] == "code")
    code["source"] = "import os\n" + "".join(code["source"])
    (tmp_path / "notebooks" / "en").mkdir(parents=True)
    (tmp_path / "notebooks" / "en" / src.name).write_text(json.dumps(nb), encoding="utf-8")
    run = ruff("check", "--no-cache", "--output-format", "concise", ".", cwd=tmp_path)
    assert run.returncode == 1 and re.search(r"02_forward\.ipynb:cell \d+:1:8: F401", run.stdout), run.stdout


def test_rules_and_style_fit_the_code():
    """E, F, W, B at the code's line length; py310 as requires-python; the formatter's settings written down."""
    assert RUFF["line-length"] == 120 and RUFF["target-version"] == "py310"
    assert {"E", "F", "W", "B"} <= set(RUFF["lint"]["select"])
    assert "B905" not in RUFF["lint"].get("ignore", []) and "B023" not in RUFF["lint"].get("ignore", [])
    assert RUFF["format"]["quote-style"] == "double"
    assert any(re.fullmatch(r"ruff==[\d.]+", d) for d in PYPROJECT["project"]["optional-dependencies"]["dev"])


def test_make_test_runs_make_lint_and_lint_runs_ruff_and_the_metadata_check():
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    test_deps = re.search(r"^test:(.*)$", text, re.M).group(1).split()
    assert "lint" in test_deps and test_deps.index("lint") < test_deps.index("slides")
    recipe = re.search(r"^lint:.*\n((?:\t.*\n)+)", text, re.M).group(1)
    assert "$(BIN)/ruff check ." in recipe
    assert "tools.check_nb_metadata notebooks/he/*.ipynb notebooks/en/*.ipynb" in recipe


# ---- notebook metadata (tools/check_nb_metadata.py) ------------------------------------------------

def test_committed_notebooks_have_clean_metadata():
    found = [p for path in notebook_paths() for p in check_nb_metadata.problems(path)]
    assert not found, "\n".join(found)


def _notebook(tmp_path, **meta):
    nb = json.loads((ROOT / "notebooks" / "en" / "02_forward.ipynb").read_text(encoding="utf-8"))
    for key, value in meta.items():
        if key == "cell":
            nb["cells"][1]["metadata"].update(value)
        elif value is None:
            nb["metadata"].pop(key, None)
        else:
            nb["metadata"][key] = value
    path = tmp_path / "nb.ipynb"
    path.write_text(json.dumps(nb), encoding="utf-8")
    return path


def test_metadata_check_finds_timings_and_a_missing_kernelspec(tmp_path):
    timing = {"execution": {"iopub.execute_input": "2026-12-01T19:00:00.000Z"}}
    assert "cell 1: execution timing" in " ".join(check_nb_metadata.problems(_notebook(tmp_path, cell=timing)))
    assert "'ExecuteTime'" in " ".join(check_nb_metadata.problems(_notebook(tmp_path, cell={"ExecuteTime": {}})))
    assert "no kernelspec" in " ".join(check_nb_metadata.problems(_notebook(tmp_path, kernelspec=None)))
    assert "no kernelspec" in " ".join(check_nb_metadata.problems(_notebook(tmp_path, kernelspec={"display_name": "x"})))


def test_metadata_check_allows_saved_widget_state(tmp_path):
    state = {"application/vnd.jupyter.widget-state+json": {"state": {}, "version_major": 2, "version_minor": 0}}
    assert check_nb_metadata.problems(_notebook(tmp_path, widgets=state)) == []


def test_metadata_check_command_exit_codes_and_bad_input(tmp_path):
    def cli(*args):
        return subprocess.run([sys.executable, "-m", "tools.check_nb_metadata", *args], cwd=ROOT,
                              capture_output=True, text=True, timeout=60)
    clean = cli("notebooks/en/02_forward.ipynb")
    assert clean.returncode == 0 and clean.stdout == ""
    dirty = cli(str(_notebook(tmp_path, kernelspec=None)))
    assert dirty.returncode == 1 and "no kernelspec" in dirty.stdout
    not_json = tmp_path / "x.ipynb"
    not_json.write_text("{oops", encoding="utf-8")
    for bad in (cli(str(not_json)), cli(str(tmp_path / "missing.ipynb"))):
        assert bad.returncode == 1 and "Traceback" not in bad.stdout + bad.stderr, bad.stderr
        assert "not a notebook" in bad.stdout or "cannot read" in bad.stdout
    assert cli().returncode == 2


# ---- pre-commit (.pre-commit-config.yaml) ----------------------------------------------------------

def _hooks() -> dict:
    import yaml   # PyYAML comes with jupyterlab (jupyter-events)
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    assert all(repo["repo"] == "local" for repo in config["repos"]), "only local hooks: GitHub is unreachable here"
    return {hook["id"]: hook for repo in config["repos"] for hook in repo["hooks"]}


def _run_hook(hook: dict, files: list[str], cwd=ROOT) -> subprocess.CompletedProcess:
    """The hook's entry as pre-commit runs it (entry + file names), with .venv/bin/ as this venv's bin/."""
    entry = hook["entry"].split()
    assert entry[0].startswith(".venv/bin/"), f"{hook['id']}: run the project's own tool from .venv"
    entry[0] = str(pathlib.Path(sys.executable).parent / entry[0].removeprefix(".venv/bin/"))
    return subprocess.run(entry + files, cwd=cwd, capture_output=True, text=True, timeout=120)


def test_pre_commit_hooks_pass_on_the_repository_and_skip_the_original_script():
    hooks = _hooks()
    assert {"ruff-check", "notebook-metadata"} <= set(hooks)
    assert all(h["language"] == "system" for h in hooks.values())
    notebooks = [str(p.relative_to(ROOT)) for p in notebook_paths()]
    assert all(re.search(hooks["notebook-metadata"]["files"], n) for n in notebooks)
    ruff_run = _run_hook(hooks["ruff-check"], notebooks + ["lessonlib/train.py", ORIGINAL])
    assert ruff_run.returncode == 0, ruff_run.stdout + ruff_run.stderr    # named one by one, still excluded
    meta_run = _run_hook(hooks["notebook-metadata"], notebooks)
    assert meta_run.returncode == 0, meta_run.stdout


def test_pre_commit_hooks_stop_a_bad_notebook(tmp_path):
    hooks = _hooks()
    nb = json.loads((ROOT / "notebooks" / "en" / "02_forward.ipynb").read_text(encoding="utf-8"))
    nb["cells"][2]["metadata"]["execution"] = {"iopub.status.idle": "2026-12-01T19:00:00.000Z"}
    code = next(c for c in nb["cells"] if c["cell_type"] == "code")
    code["source"] = "import os\n" + "".join(code["source"])
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    (tmp_path / "bad.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    assert "F401" in _run_hook(hooks["ruff-check"], ["bad.ipynb"], cwd=tmp_path).stdout
    meta = subprocess.run([sys.executable, "-m", "tools.check_nb_metadata", str(tmp_path / "bad.ipynb")], cwd=ROOT,
                          capture_output=True, text=True, timeout=60)
    assert meta.returncode == 1 and "execution timing" in meta.stdout
