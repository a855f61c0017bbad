"""Packaging: pyproject.toml, environment.yml, Makefile, CI and README agree with each other."""
import os
import pathlib
import re
import tomllib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
# environment.yml may add what serves notebooks to a class (Binder/JupyterHub), nothing else
SERVING = {"python", "pip", "jupyterlab"}


def normalize(name: str) -> str:
    """PEP 503 normalized project name."""
    return re.sub(r"[-_.]+", "-", name).lower()


def split_requirement(req: str) -> tuple[str, str]:
    """("numpy", ">=1.24") from "numpy>=1.24" (pip or conda match-spec syntax)."""
    m = re.match(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*(.*?)\s*$", req)
    assert m, f"cannot read requirement {req!r}"
    return normalize(m.group(1)), m.group(3).replace(" ", "")


def load_yaml(path: pathlib.Path) -> dict:
    """PyYAML (installed with jupyterlab's jupyter-events) or, without it, a parser for this file's subset."""
    try:
        import yaml
    except ImportError:   # pragma: no cover - the project env has PyYAML
        return _tiny_yaml(path.read_text(encoding="utf-8"))
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f)


def _tiny_yaml(text: str) -> dict:
    """Just enough YAML for environment.yml: top-level keys, lists, one nested `- pip:` list."""
    data, key, pip = {}, None, None
    for raw in text.splitlines():
        line = raw.split(" #")[0].rstrip() if not raw.lstrip().startswith("#") else ""
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip())
        item = line.strip()
        if indent == 0:
            key, _, value = item.partition(":")
            data[key] = value.strip() or []
            pip = None
        elif item == "- pip:":
            pip = []
            data[key].append({"pip": pip})
        elif item.startswith("- ") and pip is not None and indent > 4:
            pip.append(item[2:].strip())
        elif item.startswith("- "):
            pip = None
            data[key].append(item[2:].strip())
    return data


@pytest.fixture(scope="module")
def pyproject():
    with open(ROOT / "pyproject.toml", "rb") as f:
        return tomllib.load(f)


@pytest.fixture(scope="module")
def environment():
    return load_yaml(ROOT / "environment.yml")


def env_sections(environment):
    conda, pip = [], []
    for dep in environment["dependencies"]:
        if isinstance(dep, dict):
            pip += dep["pip"]
        else:
            conda.append(dep)
    return conda, pip


def test_tiny_yaml_parser_agrees_with_pyyaml():
    yaml = pytest.importorskip("yaml")   # the fallback parser itself is checked where PyYAML exists
    text = (ROOT / "environment.yml").read_text(encoding="utf-8")
    assert _tiny_yaml(text) == yaml.safe_load(text)


def test_environment_names_the_same_runtime_packages(pyproject, environment):
    runtime = dict(split_requirement(r) for r in pyproject["project"]["dependencies"])
    assert set(runtime) == {"torch", "numpy", "matplotlib", "ipywidgets", "python-bidi"}
    conda, pip = env_sections(environment)
    conda_reqs = dict(split_requirement(r) for r in conda)
    pip_reqs = dict(split_requirement(r) for r in pip if not r.startswith("-"))
    named = {**conda_reqs, **pip_reqs}
    missing = sorted(set(runtime) - set(named))
    assert not missing, f"environment.yml lacks runtime packages {missing} that pyproject.toml names"
    extra = sorted(set(named) - set(runtime) - SERVING)
    assert not extra, f"environment.yml names {extra}, which pyproject.toml's runtime dependencies do not"
    for name, spec in runtime.items():
        assert named[name] == spec, f"{name}: got {named[name]!r} in environment.yml, expected {spec!r} as in pyproject.toml"
    assert not set(conda_reqs) & set(pip_reqs), "a package is named in both the conda and the pip section"


def test_torch_comes_from_pip(environment):
    conda, pip = env_sections(environment)
    conda_names = {split_requirement(r)[0] for r in conda}
    pip_names = {split_requirement(r)[0] for r in pip if not r.startswith("-")}
    assert "torch" in pip_names
    assert not conda_names & {"torch", "pytorch", "pytorch-cpu"}
    assert any("download.pytorch.org/whl/cpu" in r for r in pip), "the pip section should use PyTorch's CPU index"
    assert "-e ." in pip, "environment.yml must install this project (pip: -e .)"
    assert "conda-forge" in environment["channels"]


def test_python_versions_agree(pyproject, environment):
    conda, _ = env_sections(environment)
    python = dict(split_requirement(r) for r in conda)["python"]
    m = re.fullmatch(r"=?=?(\d+)\.(\d+)", python)
    assert m, f"environment.yml pins python as {python!r}"
    floor = re.fullmatch(r">=(\d+)\.(\d+)", pyproject["project"]["requires-python"])
    assert tuple(map(int, m.groups())) >= tuple(map(int, floor.groups()))


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
