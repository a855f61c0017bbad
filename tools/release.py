"""Releases students can pin: `make release VERSION=x.y.z`.

    python -m tools.release 0.2.0 [--skip-tests]

Tag convention: vX.Y.Z (X.Y.Z is `version` in pyproject.toml). On a clean `main`, with a version
newer than pyproject's, this
 1. runs `make test` (the flag --skip-tests, SKIP_TESTS=1 in make, skips it: for a throwaway release
    in a temporary clone, as tests/test_release.py makes);
 2. sets pyproject's version and points every notebook's Colab badge AND install cell at the tag,
    together, commits "Release vX.Y.Z" and tags that commit vX.Y.Z (annotated);
 3. points the notebooks back at `main` (keeping the new version) and commits that on main.
So a student who opens a notebook from the tag gets the library of that tag, and main keeps
pointing at main. Nothing is pushed: the tool prints the push command.

`relink(root, ref)` is the one rewriting step (badge + install cell of every notebook); a future
`make relink` should call it rather than rewrite the links itself. Only the standard library: the
notebooks are rewritten with json in nbformat's own layout (indent 1, sorted keys, UTF-8), so a
relink changes only the lines with a link.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VERSION = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")
MAIN = "main"


class ReleaseError(Exception):
    """A reason not to release, said to the maintainer without a traceback."""


def tag_of(version: str) -> str:
    return f"v{version}"


# ---- pyproject.toml (read and written as text: one line each) -----------------------------------

_VERSION_LINE = re.compile(r'^(version\s*=\s*")([^"]*)(")', re.M)
_REPO_LINE = re.compile(r'^Repository\s*=\s*"([^"]+)"', re.M)


def _pyproject(root: Path) -> str:
    try:
        return (root / "pyproject.toml").read_text(encoding="utf-8")
    except OSError as e:
        raise ReleaseError(f"cannot read {root / 'pyproject.toml'}: {e.strerror or e}") from None


def current_version(root: Path = ROOT) -> str:
    m = _VERSION_LINE.search(_pyproject(root))
    if not m:
        raise ReleaseError("pyproject.toml has no `version = \"...\"` line")
    return m.group(2)


def repository(root: Path = ROOT) -> str:
    m = _REPO_LINE.search(_pyproject(root))
    if not m:
        raise ReleaseError("pyproject.toml has no [project.urls] Repository = \"...\" line")
    return m.group(1).rstrip("/")


def set_version(root: Path, version: str) -> None:
    text = _pyproject(root)
    (root / "pyproject.toml").write_text(_VERSION_LINE.sub(rf"\g<1>{version}\g<3>", text, count=1), encoding="utf-8")


# ---- the notebooks' links ---------------------------------------------------------------------------

def notebook_paths(root: Path = ROOT) -> list[Path]:
    return sorted((root / "notebooks").glob("*/*.ipynb"))


def _patterns(repo: str) -> tuple[re.Pattern, re.Pattern]:
    slug = repo.removeprefix("https://github.com/")
    badge = re.compile(rf"(https://colab\.research\.google\.com/github/{re.escape(slug)}/blob/)[^/\s)]+(/notebooks/)")
    install = re.compile(rf"(git\+{re.escape(repo)})(?:@[^\s\"']+)?(?=[\"'\s]|$)")
    return badge, install


def relink(root: Path, ref: str) -> list[Path]:
    """Point every notebook's Colab badge and install cell at `ref` (a tag or `main`); returns the
    notebooks that changed. Markdown cells get the badge, code cells the install line; outputs stay."""
    badge, install = _patterns(repository(root))
    changed = []
    for path in notebook_paths(root):
        raw = path.read_text(encoding="utf-8")
        nb = json.loads(raw)
        for cell in nb["cells"]:
            pattern, repl = ((badge, rf"\g<1>{ref}\g<2>") if cell["cell_type"] == "markdown"
                             else (install, rf"\g<1>@{ref}") if cell["cell_type"] == "code" else (None, None))
            if pattern is None:
                continue
            src = cell["source"]
            cell["source"] = ([pattern.sub(repl, line) for line in src] if isinstance(src, list)
                              else pattern.sub(repl, src))
        new = json.dumps(nb, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
        if new != raw:
            path.write_text(new, encoding="utf-8")
            changed.append(path)
    return changed


# ---- git ------------------------------------------------------------------------------------------

def _git(root: Path, *args: str, check: bool = True) -> str:
    run = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True)
    if check and run.returncode != 0:
        raise ReleaseError(f"`git {' '.join(args)}` failed: {(run.stderr or run.stdout).strip()}")
    return run.stdout.strip()


def check_can_release(root: Path, version: str) -> None:
    if not VERSION.match(version):
        raise ReleaseError(f"{version!r} is not a version: give three numbers, e.g. make release VERSION=0.2.0")
    old = current_version(root)
    if not VERSION.match(old):
        raise ReleaseError(f"pyproject.toml's version {old!r} is not X.Y.Z; fix it by hand first")
    if tuple(map(int, version.split("."))) <= tuple(map(int, old.split("."))):
        raise ReleaseError(f"{version} is not newer than the current version {old} (pyproject.toml)")
    if _git(root, "rev-parse", "--is-inside-work-tree", check=False) != "true":
        raise ReleaseError(f"{root} is not a git work tree")
    if _git(root, "rev-parse", "-q", "--verify", f"refs/tags/{tag_of(version)}", check=False):
        raise ReleaseError(f"the tag {tag_of(version)} exists already")
    branch = _git(root, "symbolic-ref", "-q", "--short", "HEAD", check=False)
    if branch != MAIN:
        raise ReleaseError(f"release from the {MAIN} branch (you are on {branch or 'a detached HEAD'})")
    dirty = _git(root, "status", "--porcelain")
    if dirty:
        raise ReleaseError("the work tree is not clean; commit or stash first:\n" + dirty)


def release(root: Path, version: str, run_tests: bool = True) -> str:
    """The whole release (module docstring); returns the tag."""
    check_can_release(root, version)
    tag = tag_of(version)
    if run_tests:
        make = os.environ.get("MAKE", "make")
        print(f"release: {make} test (the release is made only if it passes)", flush=True)
        if subprocess.run([make, "test"], cwd=root).returncode != 0:
            raise ReleaseError(f"`{make} test` failed: nothing was changed, committed or tagged")
    set_version(root, version)
    if not relink(root, tag):
        raise ReleaseError("no notebook has a Colab badge or install cell to point at the tag")
    _git(root, "add", "pyproject.toml", "notebooks")
    _git(root, "commit", "-q", "-m", f"Release {tag}")
    _git(root, "tag", "-a", tag, "-m", f"Release {tag}")
    relink(root, MAIN)
    _git(root, "add", "notebooks")
    _git(root, "commit", "-q", "-m", f"After {tag}: the notebooks point at {MAIN} again")
    return tag


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.release", description=__doc__.split("\n\n")[0])
    parser.add_argument("version", help="the new version, X.Y.Z (the tag is vX.Y.Z)")
    parser.add_argument("--skip-tests", action="store_true", help="do not run `make test` first (throwaway releases)")
    args = parser.parse_args(argv)
    root = Path.cwd()
    try:
        tag = release(root, args.version.strip(), run_tests=not args.skip_tests)
    except ReleaseError as e:
        print(f"release: {e}", file=sys.stderr)
        return 1
    print(f"release: tagged {tag}; {MAIN} points at {MAIN} again. Publish with: git push origin {MAIN} {tag}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
