"""lessonlib.envcheck: lesson 00's self-check explains every problem, in both languages.

The comparisons are pure functions of version strings, so these tests pass in versions
("1.13.1", None for "not installed") instead of mocking the packages themselves.
"""
from __future__ import annotations

import pathlib
import re
import subprocess
import sys
import tomllib

import pytest

from lessonlib import envcheck
from lessonlib.envcheck import REQUIREMENTS, check_environment, check_version, parse_version, summary_lines

ROOT = pathlib.Path(__file__).resolve().parents[1]
GOOD = {"python": "3.11.7", "torch": "2.13.0+cpu", "numpy": "2.4.6", "matplotlib": "3.10.0",
        "ipywidgets": "7.7.1", "python-bidi": "0.6.12"}


@pytest.mark.parametrize("text, parsed", [
    ("2.13.0+cpu", (2, 13, 0)), ("2.1.0a0+git1234", (2, 1, 0)), ("3.10", (3, 10)), ("v1.24.4", (1, 24, 4)),
    ("8", (8,)), ("unknown", None), ("", None),
])
def test_parse_version(text, parsed):
    assert parse_version(text) == parsed


@pytest.mark.parametrize("lang", ["en", "he"])
def test_too_old_torch_is_explained(lang):
    c = check_version("torch", "1.13.1+cu117", lang=lang)
    assert not c.ok and c.component == "torch"
    assert "1.13.1+cu117" in c.message and "2.1" in c.message          # what it got, what it needs
    assert '%pip install -U "torch>=2.1"' in c.message                  # and how to fix it
    if lang == "he":
        assert "ישנה מדי" in c.message


@pytest.mark.parametrize("lang", ["en", "he"])
def test_missing_package_is_explained(lang):
    c = check_version("numpy", None, lang=lang)
    assert not c.ok
    assert '%pip install "numpy>=1.24"' in c.message
    assert ("not installed" if lang == "en" else "לא מותקן") in c.message


def test_versions_compare_as_numbers_not_text():
    # "3.9" > "3.10" as text; as a version it is older
    assert not check_version("python", "3.9.18", lang="en").ok
    assert check_version("python", "3.10.0", lang="en").ok
    assert check_version("numpy", "1.24", lang="en").ok            # exactly the minimum
    assert not check_version("numpy", "1.23.5", lang="en").ok
    assert check_version("numpy", "10.0", lang="en").ok


def test_old_python_says_pip_cannot_fix_it():
    c = check_version("python", "3.9.18", lang="en")
    assert not c.ok and "3.9.18" in c.message and "3.10" in c.message and "Colab" in c.message
    assert "%pip" not in c.message


def test_ipywidgets_upper_bound():
    assert check_version("ipywidgets", "7.7.1", lang="en").ok            # Colab's version
    assert check_version("ipywidgets", "8.1.9", lang="en").ok
    c = check_version("ipywidgets", "9.0.0", lang="en")
    assert not c.ok and "9.0.0" in c.message and '"ipywidgets>=7.6,<9"' in c.message


def test_unreadable_version_is_a_problem_not_a_crash():
    c = check_version("torch", "unknown", lang="en")
    assert not c.ok and "'unknown'" in c.message


def test_ok_message_names_version_and_minimum():
    assert check_version("torch", "2.13.0+cpu", lang="en").message == "torch 2.13.0+cpu: OK (>= 2.1 needed)"
    assert check_version("torch", "2.13.0+cpu", lang="he").message == "torch 2.13.0+cpu: תקין (נדרשת גרסה 2.1 ומעלה)"


def test_summary_is_machine_independent_when_all_is_well():
    a = summary_lines(check_environment(GOOD, cuda=False, lang="en"), lang="en")
    b = summary_lines(check_environment({**GOOD, "torch": "2.5.1+cu121", "numpy": "1.26.4"}, cuda=True,
                                        lang="en"), lang="en")
    assert a == b
    assert a == [f"{c}: OK" for c in [*REQUIREMENTS, "device"]] + ["Everything is ready: on to lesson 01!"]
    detailed = summary_lines(check_environment(GOOD, cuda=False, lang="en"), lang="en", details=True)
    assert "torch 2.13.0+cpu: OK (>= 2.1 needed)" in detailed


@pytest.mark.parametrize("lang", ["en", "he"])
def test_summary_explains_each_problem_and_counts_them(lang):
    versions = {**GOOD, "torch": "1.13.1", "ipywidgets": None}
    checks = check_environment(versions, cuda=False, lang=lang)
    lines = summary_lines(checks, lang=lang)
    assert [c.component for c in checks if not c.ok] == ["torch", "ipywidgets"]
    assert any("1.13.1" in line and "torch>=2.1" in line for line in lines)
    assert any("ipywidgets>=7.6,<9" in line for line in lines)
    assert "2" in lines[-1] and lines[-1] != summary_lines(check_environment(GOOD, cuda=False), lang=lang)[-1]


def test_device_is_never_a_problem():
    for cuda in (True, False):
        dev = check_environment(GOOD, cuda=cuda, lang="en")[-1]
        assert dev.component == "device" and dev.ok
    assert "GPU" in check_environment(GOOD, cuda=True, lang="en")[-1].message


def test_this_environment_passes():
    checks = check_environment(lang="en")
    assert all(c.ok for c in checks), [c.message for c in checks if not c.ok]
    assert envcheck.installed_version("torch") is not None


def test_a_package_that_is_not_installed_is_reported_missing():
    assert envcheck.find_version("no-such-package-rb109", "no_such_module_rb109") is None
    assert envcheck.find_version("numpy", "numpy") is not None


def test_report_shows_plain_text_and_direction():
    rep = envcheck.report(check_environment(GOOD, cuda=False, lang="he"), lang="he")
    assert repr(rep).splitlines()[1] == "torch: תקין"
    assert 'dir="rtl"' in rep._repr_html_() and "torch: תקין" in rep._repr_html_()


def test_minimums_match_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = {}
    for dep in project["dependencies"]:
        name, spec = re.match(r"([A-Za-z0-9_.-]+)\s*(.*)", dep).groups()
        declared[name.lower()] = spec.replace(" ", "")
    for component in REQUIREMENTS:
        if component == "python":
            assert project["requires-python"] == f">={REQUIREMENTS['python'][2]}"
        else:
            assert declared[component] == envcheck.requirement(component).removeprefix(component), component
    assert set(declared) == set(REQUIREMENTS) - {"python"}


def test_import_loads_no_plotting_or_widgets():
    code = ("import sys, lessonlib.envcheck; "
            "print(sorted(m for m in ('matplotlib', 'ipywidgets', 'bidi') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert out.stdout.strip() == "[]"


def test_versions_shows_exact_versions():
    checks = check_environment(GOOD, cuda=False, lang="en")
    lines = repr(envcheck.versions(checks, lang="en")).splitlines()
    assert "torch 2.13.0+cpu: OK (>= 2.1 needed)" in lines and "ipywidgets 7.7.1: OK (>= 7.6 and < 9 needed)" in lines
