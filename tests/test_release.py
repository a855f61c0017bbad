"""Releases students can pin (issue 14): every notebook's Colab badge and install cell point at the
same ref, `main` or the release's tag; `make release` (tools/release.py) on a throwaway version in a
temporary clone. The links are read here with this file's own patterns, not tools/release.py's."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib

import pytest

from tests.nbtools import ROOT, notebook_paths, source

with open(ROOT / "pyproject.toml", "rb") as f:
    PROJECT = tomllib.load(f)["project"]
REPO = PROJECT["urls"]["Repository"]
SLUG = REPO.removeprefix("https://github.com/")
BADGE_REF = re.compile(r"\(https://colab\.research\.google\.com/github/" + re.escape(SLUG) + r"/blob/([^/)]+)/notebooks/")
INSTALL_REF = re.compile(r"git\+" + re.escape(REPO) + r"(?:@([^\s\"']+))?[\"'\s]")
GIT_ID = {"GIT_AUTHOR_NAME": "Release Test", "GIT_AUTHOR_EMAIL": "release-test@example.invalid",
          "GIT_COMMITTER_NAME": "Release Test", "GIT_COMMITTER_EMAIL": "release-test@example.invalid",
          "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
# the clone's own tools/ must run, not this work tree's (PYTHONPATH may name it)
ENV = {**{k: v for k, v in os.environ.items() if k != "PYTHONPATH"}, **GIT_ID}


def link_refs(nb: dict) -> tuple[list[str], list[str]]:
    """The refs of the Colab badges (markdown) and of the install lines (code) in one notebook."""
    badges, installs = [], []
    for cell in nb["cells"]:
        src = source(cell) + "\n"
        if cell["cell_type"] == "markdown":
            badges += BADGE_REF.findall(src)
        elif cell["cell_type"] == "code":
            installs += [ref or "(none)" for ref in INSTALL_REF.findall(src)]
    return badges, installs


def link_problems(nb: dict, version: str) -> list[str]:
    """Why the notebook's badge and install cell do not agree on `main` or v<version> (empty: they do)."""
    badges, installs = link_refs(nb)
    if not badges or not installs:
        return [f"{'no Colab badge' if not badges else 'no install cell'} pointing at {REPO}"]
    refs = set(badges) | set(installs)
    if len(refs) != 1:
        return [f"the badge points at {sorted(set(badges))}, the install cell at {sorted(set(installs))}: not the same ref"]
    ref = refs.pop()
    if ref not in ("main", f"v{version}"):
        return [f"points at {ref!r}: only 'main' or this version's tag 'v{version}'"]
    return []


@pytest.mark.parametrize("path", notebook_paths(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_badge_and_install_cell_point_at_the_same_ref_main_or_this_version(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    assert not link_problems(nb, PROJECT["version"]), f"{path.parent.name}/{path.name}: {link_problems(nb, PROJECT['version'])}"


def _with_refs(badge: str, install: str) -> dict:
    nb = json.loads((ROOT / "notebooks" / "en" / "02_forward.ipynb").read_text(encoding="utf-8"))
    for cell in nb["cells"][:2]:
        text = source(cell).replace("/blob/main/", f"/blob/{badge}/").replace(f"{REPO}@main", f"{REPO}@{install}")
        cell["source"] = text
    return nb


def test_the_agreement_check_catches_a_mismatch():
    assert link_problems(_with_refs("main", "main"), "0.3.0") == []
    assert link_problems(_with_refs("v0.3.0", "v0.3.0"), "0.3.0") == []
    assert "not the same ref" in link_problems(_with_refs("v0.3.0", "main"), "0.3.0")[0]
    assert "not the same ref" in link_problems(_with_refs("main", "v0.3.0"), "0.3.0")[0]
    assert "only 'main' or" in link_problems(_with_refs("v0.2.9", "v0.2.9"), "0.3.0")[0]   # an old tag
    assert "only 'main' or" in link_problems(_with_refs("dev", "dev"), "0.3.0")[0]
    unpinned = _with_refs("main", "main")
    unpinned["cells"][1]["source"] = source(unpinned["cells"][1]).replace(f"{REPO}@main", REPO)
    assert "not the same ref" in link_problems(unpinned, "0.3.0")[0]                         # no @ref at all


# ---- make release in a temporary clone ------------------------------------------------------------

def git(repo, *args, check=True) -> str:
    run = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, env=ENV)
    assert not check or run.returncode == 0, run.stderr
    return run.stdout.strip()


@pytest.fixture
def clone(tmp_path):
    """The repository's files as they are in this work tree (tracked, and new ones not ignored: uncommitted
    edits included), on a fresh `main` with one commit: a throwaway place to release from. No venv: --skip-tests."""
    repo = tmp_path / "repo"
    files = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    for rel in filter(None, files.split("\0")):
        src = ROOT / rel
        if src.is_file():
            (repo / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, repo / rel)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "start")
    return repo


def release(repo, *args, env=None):
    return subprocess.run([sys.executable, "-m", "tools.release", *args], cwd=repo, capture_output=True, text=True,
                          env={**ENV, **(env or {})}, timeout=120)


def notebooks_at(repo, rev) -> dict[str, dict]:
    names = git(repo, "ls-tree", "-r", "--name-only", rev, "notebooks").split("\n")
    return {n: json.loads(git(repo, "show", f"{rev}:{n}")) for n in names if n.endswith(".ipynb")}


def version_at(repo, rev) -> str:
    return tomllib.loads(git(repo, "show", f"{rev}:pyproject.toml"))["project"]["version"]


def test_make_release_tags_a_commit_on_the_tag_and_main_stays_on_main(clone):
    start = git(clone, "rev-parse", "HEAD")
    old = version_at(clone, start)
    major, minor, patch = map(int, old.split("."))
    version = f"{major}.{minor}.{patch + 1}"
    tag = f"v{version}"
    run = subprocess.run(["make", "release", f"VERSION={version}", "SKIP_TESTS=1", f"PYTHON={sys.executable}"],
                         cwd=clone, capture_output=True, text=True, env=ENV, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
    assert f"git push origin main {tag}" in run.stdout

    assert git(clone, "cat-file", "-t", tag) == "tag"                     # annotated
    assert git(clone, "log", "-1", "--format=%s", tag) == f"Release {tag}"
    assert git(clone, "rev-parse", f"{tag}^{{commit}}") == git(clone, "rev-parse", "main~1")
    assert git(clone, "rev-parse", "main~2") == start
    assert git(clone, "symbolic-ref", "--short", "HEAD") == "main" and git(clone, "status", "--porcelain") == ""

    at_tag, at_main, before = notebooks_at(clone, tag), notebooks_at(clone, "main"), notebooks_at(clone, start)
    assert len(at_tag) == len(notebook_paths()) >= 20      # every lesson of both editions (00-09 at least)
    for name in at_tag:
        assert link_refs(at_tag[name]) == tuple([tag] * len(r) for r in link_refs(before[name])), name
        assert link_problems(at_tag[name], version) == [], name
        assert set(sum(link_refs(at_main[name]), [])) == {"main"}, name
    assert version_at(clone, tag) == version_at(clone, "main") == version
    # the tag changes only the version line and the link lines; main's notebooks are byte for byte the old ones
    changed = git(clone, "diff", "--numstat", start, tag).splitlines()
    assert {line.split("\t")[2] for line in changed} == {"pyproject.toml"} | set(at_tag)
    for line in changed:
        added, removed, name = line.split("\t")
        expected = 1 if name == "pyproject.toml" else sum(map(len, link_refs(before[name])))
        assert int(added) == int(removed) == expected, line
    assert git(clone, "diff", "--name-only", start, "main") == "pyproject.toml"


def test_release_refuses_bad_versions_a_dirty_tree_another_branch_and_failing_tests(clone):
    start = git(clone, "rev-parse", "HEAD")
    old = version_at(clone, start)

    def refused(*args, env=None):
        run = release(clone, *args, env=env)
        assert run.returncode == 1 and "Traceback" not in run.stderr, run.stderr
        assert git(clone, "rev-parse", "HEAD") == start and git(clone, "tag") == ""
        return run.stderr

    assert "not a version" in refused("1.2", "--skip-tests")
    assert "not a version" in refused("v1.2.3", "--skip-tests")
    assert "not newer" in refused(old, "--skip-tests")
    assert "not newer" in refused("0.0.1", "--skip-tests")
    (clone / "README.md").write_text("edited\n", encoding="utf-8")
    assert "not clean" in refused("9.0.0", "--skip-tests")
    git(clone, "checkout", "-q", "README.md")
    git(clone, "tag", "v9.0.0")
    run = release(clone, "9.0.0", "--skip-tests")
    assert run.returncode == 1 and "exists already" in run.stderr
    git(clone, "tag", "-d", "v9.0.0")
    git(clone, "checkout", "-q", "-b", "feature")
    assert "from the main branch" in refused("9.0.0", "--skip-tests")
    git(clone, "checkout", "-q", "main")
    # without --skip-tests the release runs `make test` first, and a failure stops it (a stand-in make)
    fake_make = clone.parent / "fake-make"
    fake_make.write_text(f"#!/bin/sh\necho \"$@\" > {clone.parent / 'make-args'}\nexit 1\n", encoding="utf-8")
    fake_make.chmod(0o755)
    assert "make test` failed" in refused("9.0.0", env={"MAKE": str(fake_make)})
    assert (clone.parent / "make-args").read_text().strip() == "test"
    assert git(clone, "status", "--porcelain") == ""
