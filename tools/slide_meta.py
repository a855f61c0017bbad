"""Give every cell of every lesson its slide type (`metadata.slideshow.slide_type`).

    python -m tools.slide_meta            # write both editions (deterministic: a rerun changes nothing)
    python -m tools.slide_meta --check    # exit 1 and name the lessons whose slide types are stale

One structure for both editions: the types are decided once per lesson from the two editions
together (the English headings, the larger of the two estimated heights) and written to both, so
the Hebrew and English slideshows have the same slides. Only `metadata.slideshow` is touched;
sources and outputs stay as they are (no re-execution needed).

The rules, in order (first match wins):
* cell 0 (title) starts a slide;
* the Colab install cell and the `lessonlib.setup(...)` cell, solution cells: "skip"
  (a solution is never shown on a slide; the instructor's guide has the answers);
* a hint: "subslide" (a slide below the exercise, never on it);
* markdown opening with `#`/`##`: "slide"; with `###`: "subslide";
* the prose cell right before an exercise cell: at least "subslide" (the exercise gets its own
  slide), the exercise cell itself "-" (on that slide);
* the first shown cell after an exercise's hint/solution: at least "subslide" (the cell that
  answers a prediction and its comment are never on the exercise's or the hint's slide);
* every other cell "-", unless the slide it would join is then taller than one screen, by the
  estimate below: then it starts a "subslide" (long outputs land on sub-slides).
HAND_OVERRIDES (lesson, cell index) -> type wins over all of these.
The browser test (tests/test_slides_browser.py) measures the result at 1280x720.
"""
from __future__ import annotations

import base64
import math
import pathlib
import re
import struct
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
LANGS = ("he", "en")
SETUP_LINE = re.compile(r'^\s*lessonlib\.setup\(lang="(he|en)"\)\s*$', re.M)
SHOWN = ("slide", "subslide", "-", "fragment")

# Estimated heights in px on reveal's 960x700 slide (nbconvert's reveal CSS: 20px prose, 19px
# code). Calibrated against the built slides measured in Chromium (the estimate runs ~15% high;
# folded hints show one line): a slide whose estimate exceeds BUDGET is split.
BUDGET = 700
PROSE_CHARS_PER_LINE = 72
LINE_PX = 30
CODE_LINE_PX = 27
IMAGE_WIDTH_PX = 800

# (lesson, cell index) -> slide type, where the rules above do not give the best slide.
HAND_OVERRIDES: dict[tuple[str, int], str] = {}


def source(cell) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def tags(cell) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


def _text_lines(md: str) -> list[str]:
    """The markdown's visible lines (no RTL wrappers, no <details> tags, no blank lines)."""
    out = []
    for line in md.splitlines():
        s = re.sub(r"<[^>]+>", "", line).strip()
        if s:
            out.append(s)
    return out


def heading_level(cell) -> int:
    """1..6 when the markdown cell opens with a heading, else 0."""
    if cell["cell_type"] != "markdown":
        return 0
    lines = _text_lines(source(cell))
    if not lines:
        return 0
    m = re.match(r"^\u200f?(#{1,6})\s", lines[0])
    return len(m.group(1)) if m else 0


def _png_size(b64: str) -> tuple[int, int]:
    raw = base64.b64decode(b64[:64] if len(b64) >= 64 else b64 + "=" * (-len(b64) % 4))
    w, h = struct.unpack(">II", raw[16:24])
    return w, h


def _prose_px(text: str) -> float:
    if re.match(r"^\s*(<div[^>]*>\s*)?<details>", text):    # a folded hint/solution: its summary line
        return LINE_PX + 30
    px = 0.0
    for line in _text_lines(text):
        m = re.match(r"^(#{1,6})\s", line)
        if m:
            px += {1: 70, 2: 60, 3: 50}.get(len(m.group(1)), 40)
        elif line.startswith("|"):
            px += 0 if set(line) <= set("|-: ") else 38
        elif line.startswith("```"):
            px += 8
        else:
            px += LINE_PX * max(1, math.ceil(len(line) / PROSE_CHARS_PER_LINE)) + 6
    return px + 20


def _html_px(html: str) -> float:
    text = re.sub(r"<style.*?</style>", "", html, flags=re.S)
    rows = len(re.findall(r"<(?:tr|li|br|p|div|h\d)\b", text))
    plain = re.sub(r"<[^>]+>", "", text)
    return max(rows * 26, LINE_PX * math.ceil(len(plain.strip()) / 90)) + 16


def cell_px(cell) -> float:
    """Estimated height of a cell on a slide, input and outputs."""
    if cell["cell_type"] == "markdown":
        return _prose_px(source(cell))
    px = 24 + CODE_LINE_PX * len(source(cell).splitlines())
    if cell.get("metadata", {}).get("jupyter", {}).get("outputs_hidden"):
        pass  # still shown on a slide: counted like any output
    for o in cell.get("outputs", []):
        if o["output_type"] == "stream":
            text = "".join(o["text"]) if isinstance(o["text"], list) else o["text"]
            px += 12 + CODE_LINE_PX * len(text.splitlines())
            continue
        data = o.get("data", {})
        if "application/vnd.jupyter.widget-view+json" in data:
            continue  # widget slides may scroll (and are not drawn offline)
        if "image/png" in data:
            b64 = data["image/png"]
            b64 = "".join(b64) if isinstance(b64, list) else b64
            w, h = _png_size(b64.strip())
            px += 16 + h * min(1.0, IMAGE_WIDTH_PX / w)
        elif "text/html" in data:
            v = data["text/html"]
            px += _html_px("".join(v) if isinstance(v, list) else v)
        elif "text/plain" in data:
            v = data["text/plain"]
            px += 12 + CODE_LINE_PX * len(("".join(v) if isinstance(v, list) else v).splitlines())
        if o["output_type"] == "error":
            px += CODE_LINE_PX * (3 + len(o.get("traceback", [])))
    return px


def is_setup_or_install(cell, index: int) -> bool:
    if cell["cell_type"] != "code":
        return False
    src = source(cell)
    return bool(SETUP_LINE.search(src)) or ('"google.colab" in sys.modules' in src and index <= 2)


def slide_types(he: dict, en: dict, name: str = "", budget: float = BUDGET) -> list[str]:
    """The slide type of every cell of one lesson (both editions get the same list)."""
    hc, ec = he["cells"], en["cells"]
    if len(hc) != len(ec) or any(a["cell_type"] != b["cell_type"] for a, b in zip(hc, ec, strict=True)):
        raise SystemExit(f"{name}: the he and en editions differ in their cells; fix parity first (tests/test_parity.py)")
    n = len(ec)
    types: list[str | None] = [None] * n
    exercise_at = {i for i, c in enumerate(ec) if "exercise" in tags(c)}
    after_reveal = False  # the previous shown cells were an exercise's hint/solution
    for i, c in enumerate(ec):
        t = None
        if i == 0:
            t = "slide"
        elif is_setup_or_install(c, i) or "solution" in tags(c):
            t = "skip"
        elif "hint" in tags(c):
            t = "subslide"
        else:
            level = heading_level(c) or heading_level(hc[i])
            if level and level <= 2:
                t = "slide"
            elif level:
                t = "subslide"
            elif i + 1 in exercise_at or (after_reveal and i not in exercise_at):
                t = "subslide"
            else:
                t = "-"
        if "hint" in tags(c) or "solution" in tags(c):
            after_reveal = True
        elif t != "skip":
            after_reveal = False
        types[i] = t
    # an exercise's prose cell must open the slide the exercise sits on
    for i in exercise_at:
        j = i - 1
        while j >= 0 and types[j] == "skip":
            j -= 1
        if j >= 0 and types[j] == "-":
            types[j] = "subslide"
    # height budget: split "-" cells onto a sub-slide when the slide would grow past one screen
    height = 0.0
    for i, c in enumerate(ec):
        if types[i] == "skip":
            continue
        px = max(cell_px(c), cell_px(hc[i]))
        if types[i] in ("slide", "subslide"):
            height = px
        elif height + px > budget and i not in exercise_at:
            types[i] = "subslide"
            height = px
        else:
            height += px
    for (lesson, index), t in HAND_OVERRIDES.items():
        if lesson == name:
            types[index] = t
    return types  # type: ignore[return-value]


def apply(check_only: bool = False) -> list[str]:
    import nbformat

    stale = []
    names = sorted({p.stem for lang in LANGS for p in (NOTEBOOKS / lang).glob("*.ipynb")})
    for name in names:
        paths = {lang: NOTEBOOKS / lang / f"{name}.ipynb" for lang in LANGS}
        nbs = {lang: nbformat.read(p, as_version=4) for lang, p in paths.items()}
        types = slide_types(nbs["he"], nbs["en"], name)
        for lang, nb in nbs.items():
            changed = False
            for cell, t in zip(nb.cells, types, strict=True):
                show = cell.metadata.setdefault("slideshow", {})
                if show.get("slide_type") != t:
                    show["slide_type"] = t
                    changed = True
            if changed:
                stale.append(f"{lang}/{name}")
                if not check_only:
                    nbformat.write(nb, paths[lang])
    return stale


def main(argv: list[str]) -> int:
    check_only = "--check" in argv
    stale = apply(check_only)
    if check_only and stale:
        print("slide types out of date (run python -m tools.slide_meta):", ", ".join(stale))
        return 1
    print(("stale: " if check_only else "updated: ") + (", ".join(stale) or "nothing"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
