"""The browser test's order/alignment/clipping checker, tested on its own (no JupyterLab).

Known-bad HTML fixtures (tests/fixtures/bidi/bad_*.html, built from issue 7 items 1-5; each
names the finding it must raise in its first-line comment "expect: KIND") must be flagged,
and the fixed forms (good_*.html: <bdi dir="ltr"> isolation, nowrap, an rtl right-aligned
block, a table that scrolls inside its widget) must pass. Each fixture is loaded into
Chromium with page.set_content; one browser for the module, a few seconds in all.

    REQUIRE_BROWSER=1 OMP_NUM_THREADS=1 .venv/bin/python -m pytest -o addopts="" -p no:cacheprovider tests/test_bidi_checker.py -v
"""
from __future__ import annotations

import pathlib
import re

import pytest

from tests.browser_checks import CHROMIUM_ARGS, JS_CLIPPED, JS_TEXT_CHECK, chromium_or_skip

pytestmark = pytest.mark.browser

FIXTURES = pathlib.Path(__file__).parent / "fixtures" / "bidi"
BAD = sorted(FIXTURES.glob("bad_*.html"))
GOOD = sorted(FIXTURES.glob("good_*.html"))
CLIP_KINDS = {"overflows", "past_scroll_start", "cut_by_ancestor", "outside_widget"}
PAGE = """<!doctype html><html><head><meta charset="utf-8">
<style>body { font: 14px "DejaVu Sans", sans-serif; margin: 20px; width: 900px; }</style></head>
<body>{body}</body></html>"""


@pytest.fixture(scope="module")
def page():
    path = chromium_or_skip()
    from playwright.sync_api import sync_playwright
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser.new_page(viewport={"width": 1000, "height": 800})
        finally:
            browser.close()


def findings(page, html: str) -> list[dict]:
    page.set_content(PAGE.replace("{body}", html))
    return page.evaluate(JS_TEXT_CHECK, ["body"]) + page.evaluate(JS_CLIPPED, [".jupyter-widgets"])


def expected_kind(path: pathlib.Path) -> str:
    m = re.search(r"expect: (\w+)", path.read_text().splitlines()[0])
    assert m, f"{path.name}: first line must say 'expect: KIND'"
    return m.group(1)


def test_fixtures_come_in_pairs():
    assert len(BAD) >= 12 and len(GOOD) >= 10, (BAD, GOOD)


@pytest.mark.parametrize("fixture", BAD, ids=lambda p: p.stem)
def test_bad_fixture_is_flagged(page, fixture):
    kind = expected_kind(fixture)
    found = findings(page, fixture.read_text())
    kinds = {f["kind"] for f in found}
    hit = bool(kinds & CLIP_KINDS) if kind == "clipped" else kind in kinds
    assert hit, f"{fixture.name}: expected a {kind!r} finding, got {found}"
    print(f"\n{fixture.stem}: {found}")


@pytest.mark.parametrize("fixture", GOOD, ids=lambda p: p.stem)
def test_fixed_fixture_passes(page, fixture):
    found = findings(page, fixture.read_text())
    assert not found, f"{fixture.name}: the fixed form was flagged: {found}"


@pytest.mark.parametrize("text, run", [
    ("ההפסד הוא -0.25 עכשיו", "-0.25"),
    ("קצב למידה 1e-05 ו־-lr * grad", "-lr * grad"),
    ("קראו ל־loss.backward() ואז", "loss.backward()"),   # "()" jumps to the left
    ("רשת חדשה (seed 0) בלי", None),                # drawn in order without help: not flagged
    ("הערך של W3[-1, 1] גדל", None),
    ("הזרע האקראי (seed) 0 קובע", None),              # a gloss, then a value: two runs
    ("ב־lr=0.01 Adam ניצח", None),
    ("בחירת ההתקן (\"cpu\"). .to(device) מעבירה", ".to(device)"),  # the full stop is not in a run
    ('עו"ד (None) כתב', None),                         # gershayim is not a quote
    ("לא נבדוק. line_mse_grid מחשבת", None),
    ("הרשת בנויה מ־16 - 4 נוירונים", "16 - 4"),         # a formula stays one run
    ("הרשת בנויה מ־16 + 16 נוירונים", None),            # reversed, but the same on screen
    ("צעדים 1–4 מחשבים", "1–4"),
    ("בטווח ±<bdi>15</bdi> מתוך", "±15"),
])
def test_runs_inside_plain_rtl_text(page, text, run):
    """One run per sentence, in a bare rtl div: flagged exactly when the browser scrambles it."""
    found = [f for f in findings(page, f'<div dir="rtl" style="text-align:right">{text}</div>')
             if f["kind"] == "order"]
    if run is None:
        assert not found, found
    else:
        assert [f["run"] for f in found] == [run], found
        fixed = text.replace("<bdi>", "").replace("</bdi>", "").replace(run, f'<bdi dir="ltr">{run}</bdi>')
        assert not findings(page, f'<div dir="rtl" style="text-align:right">{fixed}</div>')


def test_brackets_around_math_are_not_a_run(page):
    """"(" and ")" around an inline formula (MathJax draws it as its own box) are mirrored, not scrambled."""
    html = ('<div dir="rtl" style="text-align:right">כמו הנוסחה שלמעלה '
            '(<span style="display:inline-block">x</span>). את זה בודקת השורה</div>')
    assert not findings(page, html)
