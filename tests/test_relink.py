"""Forking (issue 12): a course that forks the repository changes its address in one place, pyproject.toml
[project.urls] Repository, then runs `make relink` (tools/relink.py -> tools.release.relink). Here, in a
temporary copy of the repository: the address is changed, `make relink` really runs, and then the existing
checks of the badges, install cells, README links and Binder badges pass against the new address, and the
old address is nowhere."""
from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from tests.test_release import ENV, REPO, clone  # noqa: F401 - clone: the temporary copy of this work tree (a fixture)

OLD = REPO   # this repository's address, read from pyproject.toml (written nowhere in the tests)
NEW = "https://github.com/fork-school/nn-course-2027"
# the existing checks of every link to the repository, each read against the copy's own pyproject.toml
CHECKS = ["tests/test_notebooks_meta.py", "tests/test_release.py", "tests/test_environment_yml.py"]
SELECT = ("kernelspec_title_badge_install_setup or readme_lists_every_lesson or point_at_the_same_ref "
          "or binder_badge")


def set_address(repo, address: str) -> None:
    path = repo / "pyproject.toml"
    text = path.read_text(encoding="utf-8")
    assert text.count(f'Repository = "{OLD}"') == 1, "pyproject.toml should name the address once"
    path.write_text(text.replace(f'Repository = "{OLD}"', f'Repository = "{address}"'), encoding="utf-8")


def checks(repo) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pytest", "-o", "addopts=", "-p", "no:cacheprovider", "-q",
                           "-k", SELECT, *CHECKS], cwd=repo, capture_output=True, text=True, env=ENV, timeout=600)


def make_relink(repo, *args) -> subprocess.CompletedProcess:
    return subprocess.run(["make", "--no-print-directory", "relink", f"PYTHON={sys.executable}", *args], cwd=repo,
                          capture_output=True, text=True, env=ENV, timeout=120)


def files_naming(repo, slug: str) -> dict[str, int]:
    """Every file of the copy (outside .git) that names `slug`, with how many times."""
    hits = {}
    for path in repo.rglob("*"):
        if ".git" in path.parts or not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        if slug.lower() in text.lower():
            hits[str(path.relative_to(repo))] = text.lower().count(slug.lower())
    return hits


@pytest.mark.slow
def test_make_relink_moves_every_link_to_the_address_in_pyproject(clone):  # noqa: F811
    old_slug, new_slug = OLD.removeprefix("https://github.com/"), NEW.removeprefix("https://github.com/")
    before = files_naming(clone, old_slug)
    assert {"README.md", "pyproject.toml"} <= set(before) and any(p.startswith("notebooks/he/") for p in before)
    set_address(clone, NEW)
    stale = checks(clone)
    assert stale.returncode != 0, "the checks should fail while the links name the old address"

    run = make_relink(clone)
    assert run.returncode == 0, run.stdout + run.stderr
    assert f"now link to {NEW}" in run.stdout

    after = checks(clone)
    assert after.returncode == 0, after.stdout[-4000:] + after.stderr[-2000:]
    passed = int(re.search(r"(\d+) passed", after.stdout).group(1))
    notebooks = len(list((clone / "notebooks").glob("*/*.ipynb")))
    assert passed == 2 * notebooks + 2, after.stdout[-2000:]   # badge + same ref per notebook, README table, Binder

    assert files_naming(clone, old_slug) == {}, "the old address is still named"
    moved = files_naming(clone, new_slug)
    own = ("pyproject.toml", "tests/test_relink.py")   # the address itself, and this file naming the new one
    assert {k: v for k, v in moved.items() if k not in own} == \
        {k: v for k, v in before.items() if k not in own}, "every old link moved, one for one"
    # only the lines with a link changed (notebooks keep nbformat's layout)
    numstat = subprocess.run(["git", "diff", "--numstat"], cwd=clone, capture_output=True, text=True, env=ENV,
                             check=True).stdout.splitlines()
    for line in numstat:
        added, removed, name = line.split("\t")
        assert added == removed, line
        if name != "pyproject.toml":
            old_lines = [x for x in subprocess.run(["git", "show", f"HEAD:{name}"], cwd=clone, capture_output=True,
                                                   text=True, env=ENV).stdout.splitlines() if old_slug in x]
            assert int(added) == len(old_lines), line

    again = make_relink(clone)
    assert again.returncode == 0 and "0 file(s)" in again.stdout, again.stdout + again.stderr


@pytest.mark.slow
def test_make_relink_ref_moves_the_notebooks_to_a_tag_and_refuses_an_address_colab_cannot_open(clone):  # noqa: F811
    run = make_relink(clone, "REF=v9.9.9")
    assert run.returncode == 0, run.stderr
    nb = (clone / "notebooks" / "en" / "02_forward.ipynb").read_text(encoding="utf-8")
    assert f"{OLD.removeprefix('https://')}/blob/v9.9.9/notebooks/" in nb.replace("colab.research.google.com/github/", "github.com/")
    assert f"git+{OLD}@v9.9.9" in nb and "@main" not in nb
    assert "/blob/main/notebooks/" in (clone / "README.md").read_text(encoding="utf-8"), "README keeps its ref"

    set_address(clone, "https://gitlab.com/someone/course")
    bad = make_relink(clone)
    assert bad.returncode != 0 and "Traceback" not in bad.stderr
    assert "not a GitHub address" in bad.stderr, bad.stderr


def test_a_broken_notebook_stops_relink_with_a_message_and_changes_nothing(tmp_path):
    (tmp_path / "pyproject.toml").write_text(f'[project.urls]\nRepository = "{NEW}"\n', encoding="utf-8")
    good = tmp_path / "notebooks" / "en" / "00_a.ipynb"
    good.parent.mkdir(parents=True)
    text = '{"cells": [{"cell_type": "markdown", "metadata": {}, "source": ["[x](' + \
        f'https://colab.research.google.com/github/{OLD.removeprefix("https://github.com/")}/blob/main/notebooks/en/00_a.ipynb)"]}}]}}\n'
    good.write_text(text, encoding="utf-8")
    (tmp_path / "notebooks" / "en" / "01_b.ipynb").write_text("{not json", encoding="utf-8")
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    run = subprocess.run([sys.executable, "-m", "tools.relink"], cwd=tmp_path, capture_output=True, text=True,
                         env={**ENV, "PYTHONPATH": root}, timeout=60)
    assert run.returncode == 1 and "Traceback" not in run.stderr, run.stderr
    assert "notebooks/en/01_b.ipynb is not a readable notebook" in run.stderr
    assert good.read_text(encoding="utf-8") == text, "nothing is rewritten when one notebook is broken"


def test_relink_cli_without_make_is_the_same_step():
    text = open(os.path.join(os.path.dirname(__file__), "..", "tools", "relink.py"), encoding="utf-8").read()
    assert "from tools.release import" in text and "relink(" in text, "make relink must use tools.release.relink"
