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

`relink(root, ref)` is the one rewriting step, used by the release and by `make relink`
(tools/relink.py: a fork changes the address in pyproject.toml, then relinks). It points every
Colab badge, Binder link and install line at the address in pyproject.toml, whatever address they
named before: in the notebooks at `ref`; in the Markdown files (README, guides, docs) each link
keeps its own ref, and plain links to an old address (https://github.com/OLD/NAME...) follow too.
Only the standard library: the notebooks are rewritten with json in nbformat's own layout (indent
1, sorted keys, UTF-8), so a relink changes only the lines with a link.
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


GITHUB = re.compile(r"^https://github\.com/([A-Za-z0-9][A-Za-z0-9-]*)/([A-Za-z0-9._-]+?)(?:\.git)?$")
# the links to a repository, whatever its address: (kind, pattern); groups: slug, then the ref
_SLUG = r"([A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9._-]+)"
LINKS = {
    "colab": re.compile(r"https://colab\.research\.google\.com/github/" + _SLUG + r"/blob/([^/\s)\"']+)(?=/notebooks/)"),
    "binder": re.compile(r"https://mybinder\.org/v2/gh/" + _SLUG + r"/([^/\s)?#\"']+)"),
    "install": re.compile(r"git\+https://github\.com/([A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9._-]+?)(?:\.git)?"
                          r"(?:@([^\s\"'#`)]+))?(?=[\"'\s#`)]|$)"),
}


def slug(root: Path = ROOT) -> str:
    """OWNER/NAME of pyproject's Repository, which must be a GitHub address (Colab and Binder open GitHub)."""
    repo = repository(root)
    m = GITHUB.match(repo)
    if not m:
        raise ReleaseError(f"pyproject.toml's Repository {repo!r} is not a GitHub address "
                           "https://github.com/OWNER/NAME (Colab and Binder open GitHub repositories)")
    return f"{m.group(1)}/{m.group(2)}"


def markdown_paths(root: Path = ROOT) -> list[Path]:
    """README.md and the Markdown files under guides/ and docs/ (generated or not)."""
    out = [root / "README.md"] if (root / "README.md").exists() else []
    for folder in ("guides", "docs"):
        out += sorted((root / folder).rglob("*.md"))
    return out


def _link_repl(kind: str, new: str, ref: str | None):
    def repl(m: re.Match) -> str:
        r = ref if ref is not None else m.group(2)
        if kind == "colab":
            return f"https://colab.research.google.com/github/{new}/blob/{r}"
        if kind == "binder":
            return f"https://mybinder.org/v2/gh/{new}/{r}"
        return f"git+https://github.com/{new}" + (f"@{r}" if r else "")
    return repl


def old_slugs(texts, new: str) -> set[str]:
    """The repository addresses (OWNER/NAME) the links in these texts name, other than `new`."""
    found = {m.group(1) for text in texts for pattern in LINKS.values() for m in pattern.finditer(text)}
    return {s for s in found if s.lower() != new.lower()}


def _rewrite(text: str, new: str, ref: str | None, old: set[str], kinds=tuple(LINKS)) -> str:
    for kind in kinds:
        text = LINKS[kind].sub(_link_repl(kind, new, ref), text)
    for s in sorted(old, key=len, reverse=True):   # plain links to an old address: repository, issues, ...
        text = re.sub(r"https://github\.com/" + re.escape(s) + r"(?![A-Za-z0-9._-])", f"https://github.com/{new}", text)
    return text


def relink(root: Path, ref: str | None = MAIN) -> list[Path]:
    """Point every notebook's Colab badge, Binder link and install line at pyproject's Repository and
    at `ref` (a tag or `main`; None keeps each link's ref), and the Markdown files' links (README,
    guides, docs) at the same address, each keeping its ref. Returns the files that changed.
    Markdown cells get the badges, code cells the install line; outputs stay."""
    new = slug(root)
    notebooks, markdown = notebook_paths(root), markdown_paths(root)
    raws = {path: path.read_text(encoding="utf-8") for path in notebooks + markdown}
    old = old_slugs(raws.values(), new)
    changed = []
    parsed = {}
    for path in notebooks:   # all read before any is written: a broken one stops the relink unchanged
        try:
            parsed[path] = json.loads(raws[path])
            if not isinstance(parsed[path].get("cells"), list):
                raise ValueError("no list of cells")
        except (ValueError, AttributeError) as e:
            raise ReleaseError(f"{path.relative_to(root)} is not a readable notebook ({e}); nothing was rewritten") from None
    for path in notebooks:
        raw, nb = raws[path], parsed[path]
        for cell in nb["cells"]:
            kinds = (("colab", "binder") if cell["cell_type"] == "markdown"
                     else ("install",) if cell["cell_type"] == "code" else ())
            if not kinds:
                continue
            src = cell["source"]
            cell["source"] = ([_rewrite(line, new, ref, old, kinds) for line in src] if isinstance(src, list)
                              else _rewrite(src, new, ref, old, kinds))
        text = json.dumps(nb, indent=1, ensure_ascii=False, sort_keys=True) + "\n"
        if text != raw:
            path.write_text(text, encoding="utf-8")
            changed.append(path)
    for path in markdown:
        text = _rewrite(raws[path], new, None, old)
        if text != raws[path]:
            path.write_text(text, encoding="utf-8")
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
