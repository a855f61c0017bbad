"""Packaging: pyproject.toml, Makefile, CI and README agree with each other (environment.yml: tests/test_environment_yml.py)."""
import os
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parents[1]


def makefile_recipe(target: str) -> list[str]:
    lines = (ROOT / "Makefile").read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if re.match(rf"^{re.escape(target)}\s*:", line))
    recipe = []
    for line in lines[start + 1:]:
        if not line.startswith("\t"):
            break
        recipe.append(line.strip())
    return recipe


def test_makefile_installs_cpu_torch_before_the_package():
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^TORCH_SPEC\s*\?=\s*torch==2\.13\.0\s*$", text, re.M), "Makefile must pin torch==2.13.0"
    recipe = makefile_recipe("$(STAMP)")
    torch_line = next((i for i, line in enumerate(recipe) if "pip install" in line and "$(TORCH_SPEC)" in line), None)
    package_line = next((i for i, line in enumerate(recipe) if "pip install" in line and "-e" in line and "." in line), None)
    assert torch_line is not None, "no `pip install $(TORCH_SPEC)` line in the install recipe"
    assert package_line is not None, "no `pip install -e .` line in the install recipe"
    assert torch_line < package_line, "torch==2.13.0 must be installed before the package"
    assert re.search(r"^install:\s*\$\(STAMP\)", text, re.M)
    assert re.search(r"^test:\s*install", text, re.M) and re.search(r"^lab:\s*install", text, re.M)
    assert re.search(r"^export OMP_NUM_THREADS\s*\?=\s*1", text, re.M)


def test_makefile_lab_and_test_targets():
    lab = " ".join(makefile_recipe("lab"))
    assert "jupyter lab" in lab and "--allow-root" in lab and "$(LAB_ARGS)" in lab
    test = " ".join(makefile_recipe("test"))
    assert "pytest" in test


def test_ci_runs_make_test_with_the_browser_required():
    path = ROOT / ".ci" / "run"
    assert os.access(path, os.X_OK), ".ci/run must be executable"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("#!"), ".ci/run has no shebang line"
    lines = [line.split("#")[0].strip() for line in text.splitlines()]
    lines = [line for line in lines if line]
    require = next((i for i, line in enumerate(lines) if re.fullmatch(r"export REQUIRE_BROWSER=1", line)), None)
    make = next((i for i, line in enumerate(lines) if re.fullmatch(r"make test", line)), None)
    assert require is not None, ".ci/run must export REQUIRE_BROWSER=1"
    assert make is not None, ".ci/run must call `make test`"
    assert require < make, "REQUIRE_BROWSER=1 must be set before `make test`"
    assert "set -euo pipefail" in lines


def test_readme_quick_start_shows_make_test_and_make_lab():
    readme = ROOT / "README.md"
    assert readme.exists(), "README.md is missing"
    text = readme.read_text(encoding="utf-8")
    m = re.search(r"^##\s+Quick start\s*$(.*?)(?=^##\s)", text, re.M | re.S | re.I)
    assert m, "README.md has no '## Quick start' section"
    blocks = re.findall(r"```(?:bash|sh|shell|console)?\n(.*?)```", m.group(1), re.S)
    commands = [line.split("#")[0].strip() for block in blocks for line in block.splitlines()]
    assert "make test" in commands, f"the quick start should show `make test`; it shows {commands}"
    assert "make lab" in commands, f"the quick start should show `make lab`; it shows {commands}"
    assert commands.index("make test") < commands.index("make lab")
