"""Reading the lesson notebooks for tests: editions, parity, exercises (conventions in tools/nbbuild.py)."""
from __future__ import annotations

import json
import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
LANGS = ("he", "en")
SETUP_LINE = re.compile(r'^lessonlib\.setup\(lang="(he|en)"\)$')


def load(path: pathlib.Path) -> dict:
    # json, not nbformat: importing nbformat costs seconds (DESIGN.md) and we only read.
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def tags(cell: dict) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def lesson_names() -> list[str]:
    """Every lesson name found in either edition (a lesson missing from one is a parity failure)."""
    return sorted({p.stem for lang in LANGS for p in (NOTEBOOKS / lang).glob("*.ipynb")})


def notebook_paths() -> list[pathlib.Path]:
    return sorted(p for lang in LANGS for p in (NOTEBOOKS / lang).glob("*.ipynb"))


def _normalize_code(src: str) -> str:
    """Code with the one allowed difference (the language in the setup call) taken out."""
    return "\n".join('lessonlib.setup(lang=LANG)' if SETUP_LINE.match(line.strip()) else line
                     for line in src.splitlines())


def parity_problems(name: str, he: dict, en: dict) -> list[str]:
    """Why the two editions of lesson `name` are not in lockstep (empty list: they are)."""
    problems = []
    hc, ec = he["cells"], en["cells"]
    if len(hc) != len(ec):
        problems.append(f"{name}: he has {len(hc)} cells, en has {len(ec)}")
    for i, (a, b) in enumerate(zip(hc, ec, strict=False)):
        where = f"{name} cell {i}"
        if a["cell_type"] != b["cell_type"]:
            problems.append(f"{where}: cell type he={a['cell_type']} en={b['cell_type']}")
            continue
        if tags(a) != tags(b):
            problems.append(f"{where}: tags he={tags(a)} en={tags(b)}")
        if a.get("metadata", {}).get("lessonlib") != b.get("metadata", {}).get("lessonlib"):
            problems.append(f"{where}: exercise metadata differs")
        if a["cell_type"] == "code":
            if _normalize_code(source(a)) != _normalize_code(source(b)):
                first = next((j for j, (x, y) in enumerate(zip(source(a).splitlines() + [""], source(b).splitlines() + [""], strict=False)) if x != y), 0)
                problems.append(f"{where}: code differs between editions (first at line {first + 1}):\n"
                                f"  he: {source(a).splitlines()[first:first + 1]}\n  en: {source(b).splitlines()[first:first + 1]}")
        else:
            for lang, c in (("he", a), ("en", b)):
                if not source(c).strip():
                    problems.append(f"{where}: empty markdown in the {lang} edition")
    setup = [i for i, c in enumerate(hc) if c["cell_type"] == "code" and any(SETUP_LINE.match(l.strip()) for l in source(c).splitlines())]
    for lang, nb in (("he", he), ("en", en)):
        calls = [m.group(1) for c in nb["cells"] if c["cell_type"] == "code"
                 for l in source(c).splitlines() if (m := SETUP_LINE.match(l.strip()))]
        if calls != [lang]:
            problems.append(f"{name} ({lang}): expected exactly one lessonlib.setup(lang=\"{lang}\"), found {calls}")
    if not setup:
        problems.append(f"{name}: no setup cell")
    return problems


def exercises(nb: dict) -> list[dict]:
    """[{index, id, wrong_answer, code, solution}] for every exercise cell, with its solution cell's code."""
    found = []
    cells = nb["cells"]
    for i, c in enumerate(cells):
        if "exercise" not in tags(c):
            continue
        meta = c.get("metadata", {}).get("lessonlib", {}).get("exercise", {})
        solution = None
        for d in cells[i + 1:]:
            if "exercise" in tags(d):
                break
            if "solution" in tags(d):
                m = re.search(r"```python\n(.*?)\n```", source(d), re.S)
                solution = m.group(1) if m else None
                break
        found.append({"index": i, "id": meta.get("id"), "wrong_answer": meta.get("wrong_answer"),
                      "code": source(c), "solution": solution})
    return found


def output_text(cell: dict) -> str:
    """All text a code cell showed (streams, text/plain, text/html)."""
    parts = []
    stream = None          # a stream the kernel flushed in several pieces is one text: join them as is
    for o in cell.get("outputs", []):
        if "text" in o:
            text = "".join(o["text"]) if isinstance(o["text"], list) else o["text"]
            if o.get("output_type") == "stream" and stream == o.get("name") and parts:
                parts[-1] += text
            else:
                parts.append(text)
            stream = o.get("name") if o.get("output_type") == "stream" else None
            continue
        stream = None
        for mime in ("text/plain", "text/html"):
            v = o.get("data", {}).get(mime)
            if v:
                parts.append("".join(v) if isinstance(v, list) else v)
        if o.get("output_type") == "error":
            parts.append(f"{o.get('ename')}: {o.get('evalue')}")
    return "\n".join(parts)
