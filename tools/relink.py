"""`make relink`: point every link to this repository at the address in pyproject.toml.

    python -m tools.relink [--ref REF]

A course that forks the repository changes its address in one place, pyproject.toml
`[project.urls] Repository` (a GitHub address, https://github.com/OWNER/NAME), then runs this.
Every notebook's Colab badge, Binder link and install cell, and the links in README.md, guides/ and
docs/ (Colab, Binder, install lines, plain links to the old address) are rewritten by
tools.release.relink, the one rewriting step the release uses too. The notebooks keep their ref
(`main`, or a release's tag) unless --ref is given; the Markdown files always keep theirs.
Only the standard library: it runs before any install.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tools.release import ReleaseError, relink, repository


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.relink", description=__doc__.split("\n\n")[0])
    parser.add_argument("--ref", default=None, help="point the notebooks at this ref (default: keep each link's ref)")
    args = parser.parse_args(argv)
    root = Path.cwd()
    try:
        changed = relink(root, args.ref.strip() if args.ref else None)
        address = repository(root)
    except ReleaseError as e:
        print(f"relink: {e}", file=sys.stderr)
        return 1
    except OSError as e:
        print(f"relink: cannot rewrite {getattr(e, 'filename', '') or 'a file'}: {e.strerror or e}", file=sys.stderr)
        return 1
    for path in changed:
        print(f"relinked {path.relative_to(root)}")
    print(f"relink: {len(changed)} file(s) now link to {address}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
