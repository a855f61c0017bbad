"""The instructor's guides (guides/he, guides/en): their generated blocks, rewritten from the code.

    python -m tools.guides            rewrite every generated block (or: make guides)
    python -m tools.guides --check    exit 1 and name the blocks that are out of date

A guide is hand-written except for two blocks, which this tool owns:

- between <!-- answers:begin --> and <!-- answers:end -->: every exercise of the lesson (the
  exercise ids "NN.*" in lessonlib.exercises.EXERCISES) with the expected answer (`reveal`), the
  checker's own explanation of a right answer (`check` on the expected value, in the guide's
  language through lessonlib's catalog) and the notebook's solution code;
- between <!-- memory:begin --> and <!-- memory:end -->: the lesson kernel's measured peak
  memory, from guides/memory.json (written by `python -m tools.measure_memory`).

docs/memory.md gets the same numbers as a table (its own memory block). The answers come from
the checkers, so they cannot drift from the code; tests/test_guides.py fails when a block is stale.
"""
from __future__ import annotations

import argparse
import html
import json
import math
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
GUIDES = ROOT / "guides"
MEMORY_JSON = GUIDES / "memory.json"
MEMORY_DOC = ROOT / "docs" / "memory.md"
LANGS = ("he", "en")
RTL_OPEN = '<div dir="rtl" style="direction: rtl; text-align: right;">'

# The fixed section headings: every guide of a language has these, in this order.
HEADINGS = {
    "en": [
        "## Time and goals",
        "## Before you run it: questions for the class",
        "## Misconceptions to probe",
        "## Widgets: what to demo, and when",
        "## Answers to the exercises",
        "## Memory on a hub",
    ],
    "he": [
        "## זמן ומטרות",
        "## לפני שמריצים: שאלות לכיתה",
        "## תפיסות שגויות שכדאי לבדוק",
        "## ווידג'טים: מה להדגים ומתי",
        "## תשובות לתרגילים",
        "## זיכרון בשרת משותף (hub)",
    ],
}

# The tool's own words in the generated blocks (lessonlib's catalog holds only what lessonlib says).
WORDS = {
    "en": {
        "answer": "Answer:",
        "solution": "The notebook's solution:",
        "no_solution": "(no solution cell in the notebook)",
        "memory": ("Measured peak memory of this lesson's kernel: **{peak} MiB** (resident set size, "
                   "VmHWM; {startup} MiB right after the kernel starts; the whole notebook ran in {seconds} s). "
                   "On a hub, give each student at least **{limit} MiB** for this lesson (peak + 25%, "
                   "rounded up to 64 MiB), plus the same again for every other lesson whose kernel is still "
                   "running: each open notebook keeps its own kernel until it is shut down."),
        "measured": "Measured on {machine}, {date}, {edition} edition (the code cells are the same in both). "
                    "Method and all lessons: [docs/memory.md](../../docs/memory.md).",
        "not_measured": "Not measured yet: run `nice -n 10 python -m tools.measure_memory`, then `python -m tools.guides`.",
        "edition": {"he": "Hebrew", "en": "English"},
    },
    "he": {
        "answer": "תשובה:",
        "solution": "הפתרון מהמחברת:",
        "no_solution": "(אין במחברת תא פתרון)",
        "memory": ("שיא הזיכרון שנמדד לקרנל של השיעור: **<bdi dir=\"ltr\">{peak} MiB</bdi>** "
                   "(זיכרון תושב, resident set size, לפי VmHWM; <bdi dir=\"ltr\">{startup} MiB</bdi> מיד אחרי "
                   "שהקרנל עולה; כל המחברת רצה ב־<bdi dir=\"ltr\">{seconds}</bdi> שניות). בשרת משותף תנו לכל "
                   "סטודנט לפחות **<bdi dir=\"ltr\">{limit} MiB</bdi>** לשיעור הזה (השיא ועוד "
                   "<bdi dir=\"ltr\">25%</bdi>, מעוגל כלפי מעלה לכפולה של <bdi dir=\"ltr\">64 MiB</bdi>), "
                   "ועוד אותו סכום לכל שיעור אחר שהקרנל שלו עדיין רץ: כל מחברת פתוחה מחזיקה קרנל משלה עד שסוגרים אותו."),
        "measured": "נמדד על <bdi dir=\"ltr\">{machine}</bdi>, בתאריך <bdi dir=\"ltr\">{date}</bdi>, במהדורה ה{edition} "
                    "(תאי הקוד זהים בשתי המהדורות). השיטה וכל השיעורים: [docs/memory.md](../../docs/memory.md).",
        "not_measured": "עדיין לא נמדד: הריצו <bdi>`nice -n 10 python -m tools.measure_memory`</bdi> "
                        "ואחר כך <bdi>`python -m tools.guides`</bdi>.",
        "edition": {"he": "עברית", "en": "אנגלית"},
    },
}

MARKERS = {name: (f"<!-- {name}:begin -->", f"<!-- {name}:end -->") for name in ("answers", "memory")}
FENCE = re.compile(r"```python\n(.*?)\n```", re.S)
HEADING = re.compile(r"^#{2,4}\s+(.+?)\s*$", re.M)


class GuideError(Exception):
    """A guide or the data it needs is missing or malformed (a message, not a traceback)."""


def _rel(path: pathlib.Path) -> str:
    try:
        return str(path.relative_to(ROOT))
    except ValueError:
        return str(path)


def lessons() -> list[str]:
    return sorted(p.stem for p in (NOTEBOOKS / "he").glob("*.ipynb"))


def guide_path(lang: str, lesson: str) -> pathlib.Path:
    return GUIDES / lang / f"{lesson}.md"


def _source(cell: dict) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def notebook_exercises(lang: str, lesson: str) -> list[dict]:
    """The lesson's exercise cells in notebook order: id, title (the heading above), solution code."""
    nb = json.loads((NOTEBOOKS / lang / f"{lesson}.ipynb").read_text(encoding="utf-8"))
    cells = nb["cells"]
    found = []
    for i, cell in enumerate(cells):
        ex = cell.get("metadata", {}).get("lessonlib", {}).get("exercise")
        if not ex:
            continue
        title = ""
        for prev in reversed(cells[max(0, i - 3):i]):
            if prev["cell_type"] == "markdown":
                headings = HEADING.findall(_source(prev))
                if headings:
                    title = headings[-1]
                    break
        code = ""
        for nxt in cells[i + 1:i + 4]:
            if "solution" in nxt.get("metadata", {}).get("tags", []):
                m = FENCE.search(_source(nxt))
                code = m.group(1) if m else ""
                break
        found.append({"id": ex["id"], "title": title, "code": code})
    return found


def _explanation(exercise_id: str, lang: str) -> tuple[str, str]:
    """(expected answer as text, the checker's explanation of a right answer) in `lang`."""
    from lessonlib.exercises import check, reveal, reset_tries
    from lessonlib.text import t

    shown = reveal(exercise_id)
    if shown.status != "revealed":
        raise GuideError(f"exercise {exercise_id}: reveal() gave no answer ({shown.message})")
    detail = ""
    if shown.expected is not None:
        res = check(exercise_id, shown.expected)
        reset_tries(exercise_id)
        if res.status != "correct":
            raise GuideError(f"exercise {exercise_id}: its own expected answer is not accepted ({res.message})")
        prefix = t("check.correct", detail="")
        detail = res.message[len(prefix):] if res.message.startswith(prefix) else res.message
    return shown.answer, detail


def answers_block(lang: str, lesson: str) -> str:
    """The generated answers for lesson `lesson` (every registry id "NN.*"), in `lang`."""
    from lessonlib import bidi
    from lessonlib.exercises import EXERCISES
    from lessonlib.text import get_language, is_rtl, set_language

    words = WORDS[lang]
    prefix = lesson.split("_", 1)[0] + "."
    in_notebook = notebook_exercises(lang, lesson)
    ids = [e["id"] for e in in_notebook]
    extra = sorted(k for k in EXERCISES if k.startswith(prefix) and k not in ids)
    items = in_notebook + [{"id": k, "title": "", "code": ""} for k in extra]
    unknown = [e["id"] for e in items if e["id"] not in EXERCISES]
    if unknown:
        raise GuideError(f"{lang}/{lesson}: exercise cells with ids not in lessonlib.exercises: {unknown}")
    before = get_language()
    set_language(lang)
    parts = []
    try:
        for item in items:
            answer, detail = _explanation(item["id"], lang)
            if is_rtl(lang):
                parts.append(_answer_rtl(item, answer, detail, words, bidi.html))
            else:
                parts.append(_answer_ltr(item, answer, detail, words))
    finally:
        set_language(before)
    return "\n\n".join(parts)


def _code_span(text: str) -> str:
    ticks = "``" if "`" in text else "`"
    return f"{ticks}{text}{ticks}"


def _solution(item: dict, words: dict) -> str:
    if not item["code"]:
        return words["no_solution"]
    return f"```python\n{item['code']}\n```"


def _answer_ltr(item: dict, answer: str, detail: str, words: dict) -> str:
    title = f"{item['title']} (`{item['id']}`)" if item["title"] else f"`{item['id']}`"
    lines = [f"#### {title}", "", f"**{words['answer']}** {_code_span(answer)}"]
    if detail:
        lines += ["", html.escape(detail, quote=False)]
    lines += ["", words["solution"], "", _solution(item, words)]
    return "\n".join(lines)


def _answer_rtl(item: dict, answer: str, detail: str, words: dict, to_html) -> str:
    """Hebrew: prose inside an RTL div, the fenced solution code after it, outside the div."""
    ident = f"<bdi>{_code_span(item['id'])}</bdi>"
    title = f"{item['title']} ({ident})" if item["title"] else ident
    lines = [RTL_OPEN, "", f"#### {title}", "", f"**{words['answer']}** <bdi dir=\"ltr\">{_code_span(answer)}</bdi>"]
    if detail:
        lines += ["", to_html(detail)]
    lines += ["", words["solution"] if item["code"] else words["no_solution"], "", "</div>"]
    if item["code"]:
        lines += ["", _solution(item, words)]
    return "\n".join(lines)


def load_memory() -> dict | None:
    if not MEMORY_JSON.exists():
        return None
    try:
        memory = json.loads(MEMORY_JSON.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise GuideError(f"{_rel(MEMORY_JSON)}: not readable JSON ({e})") from None
    fields = ("peak_mib", "startup_mib", "seconds")
    lessons_ok = isinstance(memory, dict) and isinstance(memory.get("lessons"), dict) and all(
        isinstance(e, dict) and all(isinstance(e.get(f), int) for f in fields) for e in memory["lessons"].values())
    if not lessons_ok or not all(isinstance(memory.get(k), str) for k in ("method", "edition", "date", "machine")):
        raise GuideError(f"{_rel(MEMORY_JSON)}: expected method, edition, date, machine and lessons "
                         f"{{name: {{{', '.join(fields)}}}}} as python -m tools.measure_memory writes them")
    return memory


def hub_limit(peak_mib: int) -> int:
    """Peak + 25%, rounded up to a multiple of 64 MiB."""
    return int(math.ceil(peak_mib * 1.25 / 64) * 64)


def memory_block(lang: str, lesson: str, memory: dict | None) -> str:
    words = WORDS[lang]
    entry = (memory or {}).get("lessons", {}).get(lesson)
    if entry is None:
        text = words["not_measured"]
    else:
        text = (words["memory"].format(peak=entry["peak_mib"], startup=entry["startup_mib"], seconds=entry["seconds"],
                                       limit=hub_limit(entry["peak_mib"])) + "\n\n"
                + words["measured"].format(machine=memory["machine"], date=memory["date"],
                                           edition=words["edition"][memory["edition"]]))
    from lessonlib.text import is_rtl

    return f"{RTL_OPEN}\n\n{text}\n\n</div>" if is_rtl(lang) else text


def memory_table(memory: dict | None) -> str:
    if not memory:
        return WORDS["en"]["not_measured"]
    rows = ["| lesson | peak (VmHWM), MiB | after kernel start-up, MiB | hub limit, MiB (peak + 25%, 64 MiB steps) | run time, s |",
            "|---|---|---|---|---|"]
    for lesson, e in memory["lessons"].items():
        rows.append(f"| `{lesson}` | {e['peak_mib']} | {e['startup_mib']} | {hub_limit(e['peak_mib'])} | {e['seconds']} |")
    peaks = [e["peak_mib"] for e in memory["lessons"].values()]
    return "\n".join(rows + ["", f"Range of the peaks: {min(peaks)}–{max(peaks)} MiB. "
                                 f"Machine: {memory['machine']}. Date: {memory['date']}. "
                                 f"Edition: {memory['edition']}. Method: {memory['method']}."])


def replace_block(text: str, name: str, body: str, where: str) -> str:
    begin, end = MARKERS[name]
    if text.count(begin) != 1 or text.count(end) != 1 or text.index(begin) > text.index(end):
        raise GuideError(f"{where}: needs exactly one {begin} ... {end} block")
    head, rest = text.split(begin)
    _, tail = rest.split(end)
    return f"{head}{begin}\n{body}\n{end}{tail}"


def expected_texts() -> dict[pathlib.Path, str]:
    """Every guide (and docs/memory.md) as it should read with fresh generated blocks."""
    memory = load_memory()
    out = {}
    for lang in LANGS:
        for lesson in lessons():
            path = guide_path(lang, lesson)
            if not path.exists():
                raise GuideError(f"missing guide {_rel(path)}")
            text = path.read_text(encoding="utf-8")
            where = _rel(path)
            text = replace_block(text, "answers", answers_block(lang, lesson), where)
            text = replace_block(text, "memory", memory_block(lang, lesson, memory), where)
            out[path] = text
    if MEMORY_DOC.exists():
        out[MEMORY_DOC] = replace_block(MEMORY_DOC.read_text(encoding="utf-8"), "memory", memory_table(memory),
                                        _rel(MEMORY_DOC))
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.guides", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report stale blocks (exit 1 if any)")
    args = parser.parse_args(argv)
    try:
        texts = expected_texts()
    except (GuideError, OSError) as e:
        print(f"guides not updated: {e}", file=sys.stderr)
        return 1
    stale = [p for p, text in texts.items() if p.read_text(encoding="utf-8") != text]
    if args.check:
        for p in stale:
            print(f"out of date: {_rel(p)} (run python -m tools.guides)")
        return 1 if stale else 0
    for p in stale:
        p.write_text(texts[p], encoding="utf-8")
        print(f"updated {_rel(p)}")
    print(f"{len(texts)} files checked, {len(stale)} updated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
