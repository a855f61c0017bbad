"""Paste the cells of NOTEBOOK_CELLS.md into the lessons (branch `chain`; delete both files after use).

    python paste_cells.py [ROOT]      # ROOT: the repository (default: this file's folder)

Reads the `<!-- insert LESSON after ID -->` and `<!-- cell TYPE METADATA -->` markers: each
markdown cell has an en and a he ````markdown block, each code cell one ```python block (the
same in both editions). Inserts them after the anchor cell (found by its id in the en edition;
the he edition gets them at the same position), with fresh ids, no outputs, execution_count None.
"""
from __future__ import annotations

import json
import re
import secrets
import sys
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent


def parse(md: str) -> list[dict]:
    """[{lesson, after, cells: [{type, meta, en, he}]}] in the file's order."""
    groups, cell, lines, i = [], None, md.split("\n"), 0
    while i < len(lines):
        line = lines[i]
        m = re.match(r"<!-- insert (\S+) after (\S+) -->", line)
        if m:
            groups.append({"lesson": m.group(1), "after": m.group(2), "cells": []})
        m = re.match(r"<!-- cell (markdown|code) (.*) -->$", line)
        if m:
            cell = {"type": m.group(1), "meta": json.loads(m.group(2)), "blocks": []}
            groups[-1]["cells"].append(cell)
        fence = "````" if line.startswith("````markdown") else "```" if line.startswith("```python") else None
        if fence and cell is not None:
            j = i + 1
            while lines[j] != fence:
                j += 1
            cell["blocks"].append("\n".join(lines[i + 1:j]))
            i = j
        i += 1
    for g in groups:
        for c in g["cells"]:
            blocks = c.pop("blocks")
            want = 2 if c["type"] == "markdown" else 1
            assert len(blocks) == want, (g["lesson"], c["type"], len(blocks), blocks[:1])
            c["en"], c["he"] = blocks[0], blocks[-1]
    return groups


def new_cell(c: dict, lang: str):
    make = nbformat.v4.new_markdown_cell if c["type"] == "markdown" else nbformat.v4.new_code_cell
    cell = make(c[lang])
    cell.metadata = json.loads(json.dumps(c["meta"]))
    cell.id = secrets.token_hex(4)
    return cell


def paste(root: Path) -> None:
    groups = parse((HERE / "NOTEBOOK_CELLS.md").read_text(encoding="utf-8"))
    for lesson in sorted({g["lesson"] for g in groups}):
        paths = {lang: root / "notebooks" / lang / f"{lesson}.ipynb" for lang in ("en", "he")}
        nbs = {lang: nbformat.read(p, as_version=4) for lang, p in paths.items()}
        for g in reversed([g for g in groups if g["lesson"] == lesson]):   # later anchors first
            at = [c.get("id") for c in nbs["en"].cells].index(g["after"]) + 1
            for lang, nb in nbs.items():
                nb.cells[at:at] = [new_cell(c, lang) for c in g["cells"]]
        for lang, nb in nbs.items():
            nbformat.write(nb, paths[lang])
        print(f"{lesson}: {sum(len(g['cells']) for g in groups if g['lesson'] == lesson)} cells per edition")


if __name__ == "__main__":
    paste(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
