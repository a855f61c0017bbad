"""The student edition: every lesson without its solutions, for an exam or a graded class.

    python -m tools.student [--out build/student]      (or: make student)

writes build/student/he/*.ipynb and build/student/en/*.ipynb: copies of notebooks/he and
notebooks/en with every solution cell (a markdown cell tagged "solution", folded under its
exercise) taken out, and answers off:

- the setup cell becomes `lessonlib.setup(lang="he", answers=False)` (resp. "en"): check()
  never shows an expected answer, reveal() says answers are off (lessonlib.exercises). Its
  output is the same, so the committed one stays right;
- the prose that points at a solution cell ("run the code cell right after the solution", "a
  folded hint and solution", the paragraph about reveal() and the third wrong try) is reworded
  (REWRITES); a pointer that is left (POINTERS) stops the build;
- a committed check() output that ends with the answers-on "try again" tail (it names reveal())
  gets the answers-off tail, its HTML drawn again by the one display path: what the copy's own
  run prints, so nbval still passes;
- lesson 08's "The fix (A)" under exercise 1 loses its "(A)": it named the answer right under the
  exercise (in the teaching edition the folded solution sits above it anyway).

Everything else stays as it is: the hints (tagged "hint"), the exercise cells with their
`lessonlib.exercise` metadata (its `wrong_answer` is a typical mistake, not the solution), the
other committed outputs, and the collapsed outputs of the cells that settle a prediction
(metadata `lessonlib.answers`, `jupyter.outputs_hidden`). No code cell's code changes except the
setup line, so the copies pass nbval with the committed outputs, without being run again.
"""
from __future__ import annotations

import argparse
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
LANGS = ("he", "en")
DEFAULT_OUT = ROOT / "build" / "student"
SOLUTION_TAG = "solution"

# The teaching edition's setup line -> the student edition's (answers off).
SETUP_LINE = 'lessonlib.setup(lang="{lang}")'
STUDENT_SETUP_LINE = 'lessonlib.setup(lang="{lang}", answers=False)'

# Prose that points at a removed solution cell (or at answers the copy will not show), and what the
# student copy says instead. After the solution cell goes, the code cell that settles an exercise
# comes right after its hint (tests/test_student.py checks that the hint is there).
REWRITES: dict[str, list[tuple[str, str]]] = {
    "en": [
        ("after the solution", "after the hint"),
        ("Under each exercise there is a folded hint and solution: try on your own first.",
         "Under each exercise there is a folded hint: try on your own first."),
        ('After three different wrong answers to the same exercise, `check` shows the expected answer; if you want '
         'to see it at once, `reveal("00.updates")` shows the answer of exercise `"00.updates"` right away.',
         "In this edition `check` never shows the expected answer, and `reveal` does not either: work it out "
         "from the diagnosis and the hint."),
        ("The fix (A), and the symptom is gone", "The fix, and the symptom is gone"),
    ],
    "he": [
        ("אחרי הפתרון", "אחרי הרמז"),
        ("מתחת לכל תרגיל יש רמז ופתרון מקופלים: נסו קודם לבד.",
         "מתחת לכל תרגיל יש רמז מקופל: נסו קודם לבד."),
        ('אחרי שלוש תשובות שגויות שונות לאותו תרגיל, <bdi>`check`</bdi> מציגה את התשובה הצפויה; ואם אתם רוצים '
         'לראות אותה מיד, <bdi>`reveal("00.updates")`</bdi> מציגה את התשובה של התרגיל <bdi>`"00.updates"`</bdi> '
         'כבר עכשיו.',
         "במהדורה הזו <bdi>`check`</bdi> אף פעם לא מציגה את התשובה הצפויה, וגם <bdi>`reveal`</bdi> לא: "
         "מגיעים אליה בעזרת האבחנה והרמז."),
        ("עם התיקון (A) הסימפטום נעלם", "עם התיקון הסימפטום נעלם"),
    ],
}
# Phrases that must not survive in a student copy's prose (a removed solution, a reveal()).
POINTERS: dict[str, tuple[str, ...]] = {
    "en": ("after the solution", "hint and solution", "the solution under", "open the solution", "reveal(",
           "The fix (A)"),
    "he": ("אחרי הפתרון", "ופתרון", "הפתרון שמתחת", "פתחו את הפתרון", "reveal(", "התיקון (A)"),
}


def is_solution(cell) -> bool:
    """A solution cell: tagged "solution" (tools/nbbuild.py writes them as markdown <details>)."""
    return SOLUTION_TAG in cell.get("metadata", {}).get("tags", [])


def student_copy(nb, lang: str | None = None):
    """The notebook without its solution cells (a new notebook; `nb` is left as it is).

    With `lang` ("he" or "en": the edition), also answers off: the setup cell, the prose that
    points at a solution, and the committed "try again" outputs (see the module's docstring).
    A solution in a code cell would leave the copy needing a re-run for nbval: refuse it.
    """
    import copy

    out = copy.deepcopy(nb)
    code_solutions = [i for i, c in enumerate(out.cells) if is_solution(c) and c.cell_type != "markdown"]
    if code_solutions:
        raise ValueError(f"solution cells must be markdown; code cells tagged solution: {code_solutions}")
    out.cells = [c for c in out.cells if not is_solution(c)]
    if lang is not None:
        answers_off(out, lang)
    return out


def answers_off(nb, lang: str) -> None:
    """Turn a copy's answers off in place: setup line, pointers in the prose, "try again" outputs."""
    if lang not in REWRITES:
        raise ValueError(f"unknown edition {lang!r}: expected one of {sorted(REWRITES)}")
    old, new = SETUP_LINE.format(lang=lang), STUDENT_SETUP_LINE.format(lang=lang)
    setups = [c for c in nb.cells if c.cell_type == "code" and old in c.source]
    if len(setups) != 1:
        raise ValueError(f"expected one setup cell with {old!r}, found {len(setups)}")
    setups[0].source = setups[0].source.replace(old, new)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = reworded(cell.source, lang)
            left = [p for p in POINTERS[lang] if p in cell.source]
            if left:
                raise ValueError(f"prose still points at something the student edition does not have: {left} "
                                 f"in {cell.source[:120]!r} (add a rewrite to tools/student.py REWRITES)")
        elif cell.cell_type == "code":
            for output in cell.get("outputs", []):
                rewrite_try_again(output, lang)


def reworded(source: str, lang: str) -> str:
    for old, new in REWRITES[lang]:
        source = source.replace(old, new)
    return source


def _try_again_pattern(lang: str) -> re.Pattern:
    """The answers-on "try again" tail in `lang`, with the count of tries and the id as groups."""
    from lessonlib.exercises import REVEAL_AFTER
    from lessonlib.text import t

    template = re.escape(t("check.try_again", lang=lang, tries="\x00", limit=REVEAL_AFTER, id="\x01"))
    return re.compile(template.replace(re.escape("\x00"), r"(\d+)").replace(re.escape("\x01"), r"[\w.]+"))


def rewrite_try_again(output, lang: str) -> bool:
    """A committed check() output with the answers-on tail: the answers-off tail instead.

    The text is what the copy's own run prints (answers off); the HTML is drawn from it again by
    the one display path (lessonlib.display.html_block), as a Result's own HTML is. An output
    that shows an answer (check's third wrong try, reveal) cannot be reworded: refused.
    Returns whether the output changed.
    """
    from lessonlib.display import html_block
    from lessonlib.text import t

    data = output.get("data") or {}
    plain = data.get("text/plain")
    if not isinstance(plain, str):
        return False
    for key in ("check.revealed_after", "check.reveal"):
        marker = t(key, lang=lang, tries=0, id="", answer="\x00").split("\x00")[-1]
        if marker.strip() and marker in plain:
            raise ValueError(f"a committed output shows an expected answer ({key}): {plain[:120]!r}")
    pattern = _try_again_pattern(lang)
    if not pattern.search(plain):
        return False
    new_plain = pattern.sub(lambda m: t("check.try_again_answers_off", lang=lang, tries=int(m.group(1))), plain)
    data["text/plain"] = new_plain
    if "text/html" in data:
        data["text/html"] = html_block(new_plain, lang=lang)
    return True


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
            try:
                copy = student_copy(nb, lang)
            except ValueError as e:
                raise ValueError(f"{lang}/{path.name}: {e}") from None
            nbformat.write(copy, dest)
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
