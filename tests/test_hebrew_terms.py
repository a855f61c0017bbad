"""Replaced and forbidden Hebrew forms (issue 15, ../shared/GLOSSARY.md, ../shared/reviews/hebrew-review.md).

The Hebrew language pass replaced a few words and constructions everywhere. This test keeps them out of
every Hebrew text the student or the instructor reads: the source of every Hebrew notebook
(notebooks/he/*.ipynb, so new lessons are covered as soon as they exist), the Hebrew side of the catalog,
and the Hebrew instructor guides. Committed notebook outputs are not read: they are rendered from the
catalog (checked here) and regenerated when the notebooks are re-executed.

Each entry: the forbidden form (a regular expression), the preferred form, and why. A failure names the
file and the cell, line or catalog key, the form found, and the form to use instead.
"""
import json
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from lessonlib.catalog import MESSAGES

ROOT = Path(__file__).resolve().parent.parent
LETTER = "\u05d0-\u05ea"        # Hebrew letters, for word boundaries (\b does not see niqqud-free Hebrew well)


@dataclass(frozen=True)
class Form:
    pattern: str        # a regular expression over the Hebrew text
    preferred: str
    reason: str

    def search(self, text: str):
        return re.search(self.pattern, text)


def word(w: str) -> str:
    """The word w on its own, not inside a longer Hebrew word."""
    return rf"(?<![{LETTER}]){w}(?![{LETTER}])"


FORMS = [
    Form("מנפה", "כלי ההרצה צעד־אחר־צעד (step debugger), ואחר כך \"הכלי\"",
         "an Academy coinage students don't use; its root also means 'to sift', and the widget steps, it does not debug"),
    Form("סובלנות", "טולרנס (tolerance)", "סובלנות is social tolerance, not a numerical one"),
    Form("לבערך", "לערך קרוב ל־..., או סביב ...", "ungrammatical: the preposition ל־ cannot take the adverb בערך"),
    Form(r"ממוצע(?:ים)? רצ(?:ים)?|ממוצע רץ", "ממוצע נע, ממוצעים נעים", "a calque of 'running average'; the glossary's term is ממוצע נע"),
    Form(r"סכום רץ|מדד רץ|בגודל הרץ", "סכום מצטבר, ממוצע נע", "a calque of 'running'; Hebrew says מצטבר or נע"),
    Form(word("[שוה]?חושב"), "חישב / חישבנו, או חושבו (plural)",
         "reads first as 'thinks' (חוֹשֵׁב), not 'was computed' (חוּשַּׁב)"),
    Form("ליניאר", "לינארי, לינארית", "the more common spelling, one spelling across the series"),
    Form("לשבור:", "שבירה: (\"שבירה: דילוג על zero_grad\", \"שבירה: קצב למידה פי 100\")",
         "the step debugger's switches are named with nouns, and messages quote them exactly"),
    Form(r"לדלג על zero_grad(?!\(\))", "שבירה: דילוג על zero_grad", "the switch's name (a noun form), as the messages quote it"),
    Form("פייתון", "Python", "the series writes Python in Latin letters"),
    Form(r"שולף מספר אקראי|לשלוף ממנו", "מגריל מספר אקראי", "שולף is 'pulls out'; a random number is drawn: מגריל"),
    Form(r"רישומים חיים|נתונים חיים|הטבלה החיה", "ממדידה בפועל, הטבלה שמדדנו", "a calque of 'live data'"),
    Form("צופים לראות", "מצפים לראות", "צופים is 'watch' or 'foresee'; 'expect' is מצפים"),
    Form(word("SGD פשוט"), "SGD רגיל", "פשוט after a name reads as 'simply', not 'plain'"),
    Form(word("(?:ה)?ברך|(?:ה)?ברכיים"), "נקודת שבירה (kink), נקודות שבירה",
         "one term per concept: the glossary's term for a kink of a piecewise-linear function"),
    Form(word("ו?מתחתן"), "מתחת לטבלה, מתחת להן", "reads first as 'gets married' (מתחתן), not 'beneath them'"),
    Form(r"(?m)^# שיעור \d{2} ·", "# NN · (\"# 09 · סיווג...\")", "one title form across the series: the number, then the title"),
    Form("הבא בתור:", "**השיעור הבא:**", "every lesson ends with the same pointer, **השיעור הבא:**"),
    Form(r"רשת (?:של )?נקודות", "גריד (grid) של נקודות", "רשת is the neural network everywhere in the series; a grid of points is a גריד"),
    Form(r"(?:נ?תקוע|נתקע)(?:ה|ים)? על", "תקוע ב־..., נתקע סביב ...", "a calque of 'stuck at'; Hebrew is stuck ב־ a value, or סביב it"),
]


def notebook_texts():
    for path in sorted((ROOT / "notebooks" / "he").glob("*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        for i, cell in enumerate(nb["cells"]):
            source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            yield f"{path.relative_to(ROOT)} cell {i} (id {cell.get('id', '?')}, {cell['cell_type']})", source


def catalog_texts():
    for key, entry in MESSAGES.items():
        yield f"lessonlib/catalog.py key {key!r} (he)", entry["he"]


def guide_texts():
    for path in sorted((ROOT / "guides" / "he").glob("*.md")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            yield f"{path.relative_to(ROOT)} line {n}", line


def problems(texts, forms=FORMS):
    found = []
    for where, text in texts:
        for form in forms:
            m = form.search(text)
            if m:
                found.append(f"{where}: found {m.group(0)!r}; use {form.preferred} ({form.reason})")
    return found


def test_there_is_hebrew_to_check():
    assert len(list(notebook_texts())) > 100 and len(list(guide_texts())) > 100 and len(MESSAGES) > 100


@pytest.mark.parametrize("source", ["notebooks", "catalog", "guides"])
def test_no_replaced_or_forbidden_form(source):
    texts = {"notebooks": notebook_texts, "catalog": catalog_texts, "guides": guide_texts}[source]()
    found = problems(texts)
    assert not found, f"{len(found)} replaced or forbidden Hebrew form(s):\n" + "\n".join(found)


@pytest.mark.parametrize("text, form", [
    ("## נסו בעצמכם: מנפה הצעדים", "מנפה"),
    ("הסובלנות היא rtol=1e-5", "סובלנות"),
    ("ציפיתי לבערך 97", "לבערך"),
    ("Adam שומר ממוצעים רצים", "ממוצעים רצים"),
    ("לא חושב שום גרדיאנט.", "חושב"),
    ("הצומת שחושב זה עתה", "שחושב"),
    ("המתג \"לשבור: לדלג על zero_grad\"", "לשבור:"),
    ("העתקה ליניארית", "ליניאר"),
    ("מה אנחנו צופים לראות", "צופים לראות"),
    ("לרשת יש ברכיים ב־0", "ברכיים"),
    ("בפלט העמודות, ומתחתן הגרף", "ומתחתן"),
    ("# שיעור 09 · סיווג", "# שיעור 09 ·"),
    ("**הבא בתור:** שיעור 09", "הבא בתור:"),
    ("על רשת של נקודות שמכסה את המישור", "רשת של נקודות"),
    ("וההשוואה ב־SGD (תקוע על 50.6%)", "תקוע על"),
])
def test_each_old_form_is_caught(text, form):
    found = problems([("sample", text)])
    assert found and repr(form) in found[0] and "sample: found" in found[0] and "use " in found[0], found


@pytest.mark.parametrize("text", [
    "כלי ההרצה צעד־אחר־צעד (step debugger)", "הטולרנס (tolerance) הוא", "חושבו dL/dW", "המודל חישב את החיזוי",
    "מחושב ביד", "הפסד שיחושב ממנו", "ממוצעים נעים", "שבירה: דילוג על zero_grad", "דילגנו על zero_grad()",
    "לינארית למקוטעין", "SGD רגיל", "מצפים לראות", "Python",
    "ומתחת לטבלה הגרף", "# 09 · סיווג", "**השיעור הבא:**", "גריד (grid) של נקודות", "תקוע ב־50.6%", "הרשת נותנת לכל נקודה",
])
def test_preferred_forms_pass(text):
    assert problems([("sample", text)]) == []


def test_every_form_says_what_to_use_and_why():
    for form in FORMS:
        re.compile(form.pattern)
        assert form.preferred.strip() and form.reason.strip(), form
        assert not form.search(form.preferred), f"the preferred form of {form.pattern!r} is itself forbidden"
