"""The student edition: every lesson without its solutions, for an exam or a graded class.

    python -m tools.student [--out build/student]      (or: make student)

writes build/student/he/*.ipynb and build/student/en/*.ipynb: copies of notebooks/he and
notebooks/en with every solution cell (a markdown cell tagged "solution", folded under its
exercise) taken out. Everything else stays as it is: the hints (tagged "hint"), the exercise
cells with their `lessonlib.exercise` metadata (its `wrong_answer` is a typical mistake, not the
solution), the committed outputs, and the collapsed outputs of the cells that settle a
prediction (metadata `lessonlib.answers`, `jupyter.outputs_hidden`). Only markdown cells go, so
the copies pass nbval with the committed outputs, without being run again.
"""
from __future__ import annotations

import argparse
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
LANGS = ("he", "en")
DEFAULT_OUT = ROOT / "build" / "student"
SOLUTION_TAG = "solution"


def is_solution(cell) -> bool:
    """A solution cell: tagged "solution" (tools/nbbuild.py writes them as markdown <details>)."""
    return SOLUTION_TAG in cell.get("metadata", {}).get("tags", [])


def student_copy(nb):
    """The notebook without its solution cells (a new notebook; `nb` is left as it is).

    A solution in a code cell would leave the copy needing a re-run for nbval: refuse it.
    """
    import copy

    out = copy.deepcopy(nb)
    code_solutions = [i for i, c in enumerate(out.cells) if is_solution(c) and c.cell_type != "markdown"]
    if code_solutions:
        raise ValueError(f"solution cells must be markdown; code cells tagged solution: {code_solutions}")
    out.cells = [c for c in out.cells if not is_solution(c)]
    return out


def build(out_dir: pathlib.Path = DEFAULT_OUT, notebooks: pathlib.Path = NOTEBOOKS) -> list[pathlib.Path]:
    """Write the student edition of every lesson in both languages; return the written paths."""
    import nbformat

    written = []
    for lang in LANGS:
        sources = sorted((notebooks / lang).glob("*.ipynb"))
        if not sources:
            raise FileNotFoundError(f"no notebooks in {notebooks / lang}")
        target = out_dir / lang
        target.mkdir(parents=True, exist_ok=True)
        for path in sources:
            nb = nbformat.read(path, as_version=4)
            dest = target / path.name
            nbformat.write(student_copy(nb), dest)
            written.append(dest)
    return written


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.student", description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=pathlib.Path, default=DEFAULT_OUT,
                        help=f"output folder (default: {DEFAULT_OUT.relative_to(ROOT)})")
    args = parser.parse_args(argv)
    try:
        written = build(args.out)
    except (OSError, ValueError) as e:
        print(f"student edition not written: {e}", file=sys.stderr)
        return 1
    print(f"student edition: {len(written)} notebooks in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
