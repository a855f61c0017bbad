"""environment.yml: what conda, and repo2docker (Binder, JupyterHub), need from it. Docker is not available
offline, so the file is checked instead of built: it parses; Python is pinned exactly; its pip section pins
CPU torch as the Makefile does and installs this project; its runtime packages are pyproject.toml's; nothing
hides it from repo2docker. And the README's Binder badges open the first lesson of each edition."""
import pathlib
import re
import tomllib

import pytest
import yaml   # PyYAML: installed with jupyterlab (jupyter-events requires it)
from packaging.specifiers import SpecifierSet

ROOT = pathlib.Path(__file__).resolve().parents[1]
# environment.yml may add what serves notebooks to a class (Binder/JupyterHub), nothing else
SERVING = {"python", "pip", "jupyterlab"}
CPU_INDEX = "https://download.pytorch.org/whl/cpu"


def normalize(name: str) -> str:
    """PEP 503 normalized project name."""
    return re.sub(r"[-_.]+", "-", name).lower()


def split_requirement(req: str) -> tuple[str, str]:
    """("numpy", ">=1.24") from "numpy>=1.24" (pip or conda match-spec syntax)."""
    m = re.match(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*(.*?)\s*$", req)
    assert m, f"cannot read requirement {req!r}"
    return normalize(m.group(1)), m.group(3).replace(" ", "")


@pytest.fixture(scope="module")
def pyproject():
    with open(ROOT / "pyproject.toml", "rb") as f:
        return tomllib.load(f)


@pytest.fixture(scope="module")
def environment():
    with open(ROOT / "environment.yml", encoding="utf-8") as f:
        return yaml.safe_load(f)


def env_sections(environment):
    conda, pip = [], []
    for dep in environment["dependencies"]:
        if isinstance(dep, dict):
            assert set(dep) == {"pip"}, f"environment.yml: unexpected nested section {sorted(dep)}"
            pip += dep["pip"]
        else:
            conda.append(str(dep))
    return conda, pip


def makefile_variable(name: str) -> str:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    m = re.search(rf"^{name}\s*\??=\s*(.*?)\s*$", text, re.M)
    assert m, f"the Makefile does not set {name}"
    return m.group(1)


def test_it_parses_as_a_conda_environment(environment):
    assert isinstance(environment, dict), "environment.yml is not a YAML mapping"
    assert isinstance(environment.get("name"), str) and environment["name"]
    assert isinstance(environment.get("channels"), list) and "conda-forge" in environment["channels"]
    assert isinstance(environment.get("dependencies"), list)
    conda, pip = env_sections(environment)
    assert all(isinstance(x, str) for x in conda + pip)
    assert sum(isinstance(d, dict) for d in environment["dependencies"]) == 1, "one pip section"
    assert "pip" in conda, "the pip section needs conda's pip"


def test_python_is_pinned_exactly_and_satisfies_requires_python(pyproject, environment):
    conda, _ = env_sections(environment)
    pythons = [r for r in conda if split_requirement(r)[0] == "python"]
    assert len(pythons) == 1, f"environment.yml names python {len(pythons)} times"
    # repo2docker reads `python=X.Y` (its PYTHON_REGEX, python\s*=+\s*([\d.]*)); a range would not pin it
    m = re.fullmatch(r"python\s*==?\s*(\d+)\.(\d+)(?:\.(\d+))?", pythons[0])
    assert m, f"environment.yml must pin Python exactly (python=3.11), not {pythons[0]!r}"
    version = ".".join(g for g in m.groups() if g is not None)
    assert version in SpecifierSet(pyproject["project"]["requires-python"]), \
        f"python={version} is outside pyproject's requires-python {pyproject['project']['requires-python']}"


def test_pip_section_installs_the_project(environment):
    _, pip = env_sections(environment)
    assert "-e ." in pip or "." in pip, "environment.yml must install this project (pip: -e . or .)"
    # the project's own runtime requirements are resolved there too: it must come after torch's pin
    project = pip.index("-e .") if "-e ." in pip else pip.index(".")
    torch = next(i for i, r in enumerate(pip) if not r.startswith("-") and split_requirement(r)[0] == "torch")
    assert torch < project, "pin torch before installing the project (the Makefile's order)"


def test_torch_is_cpu_and_pinned_like_the_makefile(pyproject, environment):
    conda, pip = env_sections(environment)
    assert not {split_requirement(r)[0] for r in conda} & {"torch", "pytorch", "pytorch-cpu"}, \
        "torch must come from pip (conda-forge's pytorch may be a CUDA build)"
    spec = makefile_variable("TORCH_SPEC")
    assert spec == "torch==2.13.0", f"the Makefile's TORCH_SPEC changed to {spec!r}: update this test and environment.yml"
    torch = [r for r in pip if not r.startswith("-") and split_requirement(r)[0] == "torch"]
    assert torch == [spec], f"environment.yml's pip section must pin {spec} as the Makefile does, not {torch}"
    # the CPU index the Makefile names for machines where PyPI's torch is a CUDA build
    assert CPU_INDEX in (ROOT / "Makefile").read_text(encoding="utf-8")
    index = [r for r in pip if r.startswith("-")]
    assert index and all(re.fullmatch(r"--(extra-)?index-url\s+" + re.escape(CPU_INDEX), r) or r in ("-e .",)
                         for r in index), f"the pip section's options must be PyTorch's CPU index, got {index}"
    assert any(CPU_INDEX in r for r in index), "the pip section must use PyTorch's CPU index"
    runtime = dict(split_requirement(r) for r in pyproject["project"]["dependencies"])
    assert "2.13.0" in SpecifierSet(runtime["torch"]), f"torch 2.13.0 is outside pyproject's torch{runtime['torch']}"


def test_environment_names_the_same_runtime_packages(pyproject, environment):
    runtime = dict(split_requirement(r) for r in pyproject["project"]["dependencies"])
    assert set(runtime) == {"torch", "numpy", "matplotlib", "ipywidgets", "python-bidi"}
    conda, pip = env_sections(environment)
    conda_reqs = dict(split_requirement(r) for r in conda)
    pip_reqs = dict(split_requirement(r) for r in pip if not r.startswith("-") and r != ".")
    named = {**conda_reqs, **pip_reqs}
    missing = sorted(set(runtime) - set(named))
    assert not missing, f"environment.yml lacks runtime packages {missing} that pyproject.toml names"
    extra = sorted(set(named) - set(runtime) - SERVING)
    assert not extra, f"environment.yml names {extra}, which pyproject.toml's runtime dependencies do not"
    for name, spec in runtime.items():
        if name == "torch":
            continue   # pinned like the Makefile, inside pyproject's range (the test above)
        assert named[name] == spec, f"{name}: got {named[name]!r} in environment.yml, expected {spec!r} as in pyproject.toml"
    assert not set(conda_reqs) & set(pip_reqs), "a package is named in both the conda and the pip section"


def test_repo2docker_reads_the_root_environment_yml():
    # a binder/ or .binder/ folder makes repo2docker ignore the configuration files at the root
    for folder in ("binder", ".binder"):
        assert not (ROOT / folder).exists(), f"{folder}/ would hide environment.yml from repo2docker"
    assert not (ROOT / "environment.yaml").exists(), "two environment files: repo2docker reads environment.yml"


def binder_badges(readme: str) -> dict[str, str]:
    """language -> the labpath its Binder badge opens, for badges at pyproject's address on main."""
    with open(ROOT / "pyproject.toml", "rb") as f:
        repo = tomllib.load(f)["project"]["urls"]["Repository"]
    slug = repo.removeprefix("https://github.com/")
    found = re.findall(r"\[!\[[^\]]*\]\(https://mybinder\.org/badge_logo\.svg\)\]\(https://mybinder\.org/v2/gh/"
                       + re.escape(slug) + r"/main\?labpath=notebooks%2F(he|en)%2F([^)\s]+)\)", readme)
    return {lang: path for lang, path in found}


def test_readme_has_a_binder_badge_per_language_opening_the_first_lesson():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    first = sorted((ROOT / "notebooks" / "he").glob("[0-9][0-9]_*.ipynb"))[0].name
    assert binder_badges(readme) == {"he": first, "en": first}, \
        f"README: Binder badges at pyproject's address opening notebooks/he/{first} and notebooks/en/{first}"
    assert all(len(re.findall(r"mybinder\.org/v2/gh/[^)]*notebooks%2F" + lang, readme)) == 1 for lang in ("he", "en"))


def test_readme_has_a_jupyterhub_recipe_with_measured_memory():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### A whole class"):]
    section = section[:section.index("\n## ")]
    recipe = yaml.safe_load(re.search(r"```yaml\n(.*?)```", section, re.S).group(1))
    user = recipe["singleuser"]
    assert user["memory"]["guarantee"] == "512M" and user["memory"]["limit"] == "640M"
    assert user["cpu"]["limit"] == 1 and user["extraEnv"]["OMP_NUM_THREADS"] == "1"
    assert recipe["cull"]["enabled"] is True and recipe["cull"]["timeout"] > 0
    # the limit covers the server and the largest per-lesson hub limit measured in docs/memory.md
    memory = (ROOT / "docs" / "memory.md").read_text(encoding="utf-8")
    hub_limits = [int(row.split("|")[4]) for row in memory.splitlines() if row.startswith("| `")]
    assert hub_limits and 128 + max(hub_limits) <= 640, "docs/memory.md's largest lesson no longer fits the limit"
    assert "repo2docker" in section and "docs/memory.md" in section
