"""Notebook metadata stays clean: no execution timings, a kernelspec set.

    python -m tools.check_nb_metadata notebooks/he/*.ipynb notebooks/en/*.ipynb

Used by `make lint` (so by `make test`) and by the pre-commit hook (.pre-commit-config.yaml).
Prints one line per problem and exits 1; exits 0 when every notebook is clean.

What is checked, matched to what the committed notebooks carry on purpose:
- no execution timings in any cell's metadata: `execution` (nbclient/JupyterLab's record_timing,
  `make execute` switches it off) and `ExecuteTime` (the jupyterlab-execute-time extension). They
  change on every run and would make every re-execution a diff;
- a kernelspec with a `name` in the notebook's metadata (nbval and `make execute` pick the kernel by it).
Saved widget state (`metadata.widgets`) is allowed: the lessons keep their widget views on purpose.
Only the standard library: the hook runs it before anything is installed.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

TIMING_KEYS = ("execution", "ExecuteTime")


def problems(path: Path) -> list[str]:
    """Why the notebook at `path` is not clean (empty list: it is)."""
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except OSError as e:
        return [f"{path}: cannot read it ({e.strerror or e})"]
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        return [f"{path}: not a notebook (not JSON: {e})"]
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        return [f"{path}: not a notebook (no list of cells)"]
    found = []
    meta = nb.get("metadata") if isinstance(nb.get("metadata"), dict) else {}
    spec = meta.get("kernelspec")
    if not isinstance(spec, dict) or not spec.get("name"):
        found.append(f"{path}: no kernelspec in the notebook's metadata (set the kernel, e.g. python3, and save)")
    for i, cell in enumerate(nb["cells"]):
        cmeta = cell.get("metadata", {}) if isinstance(cell, dict) else {}
        for key in TIMING_KEYS:
            if isinstance(cmeta, dict) and key in cmeta:
                found.append(f"{path} cell {i}: execution timing in its metadata ({key!r}); "
                             f"re-run with `make execute` (record_timing=False) or delete the key")
    return found


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args:
        print("usage: python -m tools.check_nb_metadata NOTEBOOK.ipynb ...", file=sys.stderr)
        return 2
    found = [p for arg in args for p in problems(Path(arg))]
    for line in found:
        print(line)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
