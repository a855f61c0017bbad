"""Slides in a real browser (headless Chromium via Playwright; same launch flags as test_browser.py).

(a) The offline slides `make slides` built (build/slides/{he,en}/*.html), each opened from disk at
    1280x720 with every request that leaves the machine blocked and reported. Every slide is shown
    in turn and measured: no text slide's content box reaches past the screen (widget slides may
    scroll). Hebrew slides: reveal.js rtl, prose right-to-left and right-aligned, code
    left-to-right; English: none of that. Math: MathJax output elements, no MathJax errors.
(b) Live slides in JupyterLab with jupyterlab-rise: a Hebrew lesson (a copy: RISE saves the
    notebook when it starts) opened in JupyterLab, its setup cell run, the slideshow started with
    RISE:preview (Alt+R), advanced slide by slide to the end: Hebrew prose right-to-left and
    right-aligned (notebooks/he/rise.css), code left-to-right, math rendered; on the widget's
    slide its cell is run (Ctrl+Enter, as a presenter does). jupyterlab-rise 0.43.1 cannot draw
    ipywidgets 8 there (upstream bug): clicking the widget on its slide is a strict xfail that
    fails once RISE draws it. What the README tells the presenter instead is measured too: with
    the slideshow panel closed, the widget run in the notebook answers a click.
"""
from __future__ import annotations

import pathlib
import re
import shutil
import time
import types

import pytest

from tests.browser_checks import CHROMIUM_ARGS, chromium_or_skip
from tests.test_browser import JS_STATE, Deadline, serve_lab, settled_state
from tools import slides as slides_tool

pytestmark = pytest.mark.browser

REPO = pathlib.Path(__file__).resolve().parents[1]
BUILD = slides_tool.OUT
SCREEN = {"width": 1280, "height": 720}
HARD_CAP_S = 240               # the whole module; measured ~50-70 s on the 2-core box
RISE_LESSON = "04_zero_grad"   # math early on, the step debugger at the end
HEBREW = re.compile(r"[\u05d0-\u05ea]")
LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")

# Every slide of the deck shown in turn, measured on screen.
JS_MEASURE_DECK = r"""() => {
  const HEB = /[\u05d0-\u05ea]/;
  const W = window.innerWidth, H = window.innerHeight;
  const visible = e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  const out = [];
  for (const s of Reveal.getSlides()) {
    const idx = Reveal.getIndices(s);
    Reveal.slide(idx.h, idx.v);
    const where = `${idx.h}/${idx.v || 0}`;
    const text = s.innerText.trim().replace(/\s+/g, ' ').slice(0, 60);
    const widget = !!s.querySelector('.jupyter-widgets, .widget-area');
    let top = Infinity, bottom = -Infinity, left = Infinity, right = -Infinity;
    for (const e of s.querySelectorAll('*')) {
      if (!visible(e)) continue;
      const r = e.getBoundingClientRect();
      top = Math.min(top, r.top); bottom = Math.max(bottom, r.bottom);
      left = Math.min(left, r.left); right = Math.max(right, r.right);
    }
    const prose = [...s.querySelectorAll('.jp-MarkdownCell p, .jp-MarkdownCell li, .jp-MarkdownCell h1, .jp-MarkdownCell h2, .jp-MarkdownCell h3, .jp-MarkdownCell td')]
      .filter(e => visible(e) && HEB.test(e.textContent))
      .map(e => { const c = getComputedStyle(e); return {text: e.textContent.trim().slice(0, 40), direction: c.direction, align: c.textAlign}; });
    const english = [...s.querySelectorAll('.jp-MarkdownCell p, .jp-MarkdownCell li')]
      .filter(e => visible(e) && !HEB.test(e.textContent) && /[A-Za-z]{3}/.test(e.textContent))
      .map(e => { const c = getComputedStyle(e); return {text: e.textContent.trim().slice(0, 40), direction: c.direction, align: c.textAlign}; });
    const code = [...s.querySelectorAll('.jp-CodeCell .highlight pre, .jp-CodeCell .jp-RenderedText pre')]
      .filter(visible)
      .map(e => { const c = getComputedStyle(e); return {text: e.textContent.trim().slice(0, 40), direction: c.direction, align: c.textAlign}; });
    out.push({where, text, widget, fit: s.getAttribute('data-fit'),
              top, bottom, left, right, prose, english, code});
  }
  return {W, H, rtl: Reveal.getConfig().rtl, slides: out,
          math: document.querySelectorAll('mjx-container').length,
          mathErrors: [...document.querySelectorAll('mjx-merror')].map(e => e.textContent.slice(0, 60)),
          texLeft: [...document.querySelectorAll('.jp-MarkdownCell .jp-RenderedMarkdown')]
                     .filter(e => /\$[^$\s][^$]*\$/.test(e.textContent)).length};
}"""


def _pages() -> list[pathlib.Path]:
    return [BUILD / lang / f"{p.stem}.html"
            for lang in ("he", "en") for p in sorted((REPO / "notebooks" / lang).glob("*.ipynb"))]


# ---- fixtures -------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def chromium_path() -> str:
    return chromium_or_skip()


@pytest.fixture(scope="module")
def deadline() -> Deadline:
    return Deadline(HARD_CAP_S)


@pytest.fixture(scope="module")
def browser(chromium_path, deadline):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True,
                                      timeout=deadline.ms(30))
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="module")
def offline_page(browser, deadline):
    """One 1280x720 page for the offline decks; every request off the machine is blocked and noted."""
    page = browser.new_page(viewport=SCREEN)
    page.set_default_timeout(deadline.ms(30))
    page.remote_requests = []
    page.errors = []

    def route(r):
        if r.request.url.startswith(LOCAL_SCHEMES):
            return r.continue_()
        page.remote_requests.append(r.request.url)
        return r.abort()

    page.route("**/*", route)
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    yield page
    page.close()


# ---- (a) offline slides -------------------------------------------------------------------------
@pytest.mark.parametrize("page_path", _pages(), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_offline_slides(offline_page, deadline, page_path):
    if not page_path.exists():
        pytest.fail(f"{page_path} missing: run `make slides` first (make test does)", pytrace=False)
    page, lang = offline_page, page_path.parent.name
    page.remote_requests.clear()
    page.errors.clear()
    page.goto(page_path.as_uri(), timeout=deadline.ms(30))
    page.wait_for_function("() => window.Reveal && Reveal.isReady() && window.MathJax && MathJax.startup"
                           " && MathJax.startup.promise", timeout=deadline.ms(30))
    page.evaluate("() => MathJax.startup.promise")
    deck = page.evaluate(JS_MEASURE_DECK)
    name = f"{lang}/{page_path.name}"
    assert not page.remote_requests, f"{name} tried to load from off the machine: {page.remote_requests}"
    assert not page.errors, f"{name}: JavaScript errors: {page.errors}"
    assert (deck["W"], deck["H"]) == (SCREEN["width"], SCREEN["height"])
    assert len(deck["slides"]) > 3, f"{name}: only {len(deck['slides'])} slides"

    overflow = [f"slide {s['where']} ({s['text']!r}): content box x {s['left']:.0f}..{s['right']:.0f}, "
                f"y {s['top']:.0f}..{s['bottom']:.0f} on a {deck['W']}x{deck['H']} screen (fit {s['fit']})"
                for s in deck["slides"] if not s["widget"]
                and (s["top"] < -0.5 or s["left"] < -0.5 or s["bottom"] > deck["H"] + 0.5 or s["right"] > deck["W"] + 0.5)]
    assert not overflow, f"{name}: text slides overflow the screen:\n  " + "\n  ".join(overflow)

    assert not deck["mathErrors"], f"{name}: MathJax errors {deck['mathErrors']}"
    if deck["texLeft"]:
        assert deck["math"] > 0, f"{name}: markdown has $...$ but no MathJax output (mjx-container)"

    code = [c for s in deck["slides"] for c in s["code"]]
    assert code, f"{name}: no code on any slide"
    bad_code = [c for c in code if c["direction"] != "ltr"]
    assert not bad_code, f"{name}: code not left-to-right: {bad_code[:3]}"
    if lang == "he":
        assert deck["rtl"] is True, f"{name}: reveal.js rtl option is {deck['rtl']}"
        prose = [p for s in deck["slides"] for p in s["prose"]]
        assert prose, f"{name}: no Hebrew prose on any slide"
        bad = [p for p in prose if (p["direction"], p["align"]) != ("rtl", "right")]
        assert not bad, f"{name}: Hebrew prose not right-to-left and right-aligned: {bad[:5]}"
    else:
        assert deck["rtl"] is False, f"{name}: reveal.js rtl option is {deck['rtl']}"
        prose = [p for s in deck["slides"] for p in s["english"]]
        assert prose and all(p["direction"] == "ltr" and p["align"] in ("left", "start") for p in prose), \
            f"{name}: English prose not left-to-right: {[p for p in prose if p['direction'] != 'ltr'][:5]}"
    shrunk = sorted((float(s["fit"]), s["where"]) for s in deck["slides"] if s["fit"] and float(s["fit"]) < 0.9)
    print(f"\n{name}: {len(deck['slides'])} slides, {deck['math']} math elements; shrunk to fit: {shrunk}")


# ---- (b) live slides: JupyterLab + RISE -------------------------------------------------------------
@pytest.fixture(scope="module")
def lab_copy(chromium_path, tmp_path_factory, deadline):
    """JupyterLab on 127.0.0.1 serving a COPY of the Hebrew lessons (RISE:preview saves the notebook)."""
    tmp = tmp_path_factory.mktemp("rise")
    root = tmp / "notebooks"
    shutil.copytree(REPO / "notebooks" / "he", root / "he")
    with serve_lab(tmp, root, deadline) as server:
        yield server


# What the presenter sees on the current RISE slide.
JS_RISE_SLIDE = r"""() => {
  const HEB = /[\u05d0-\u05ea]/;
  const visible = e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  const s = [...document.querySelectorAll('.reveal .slides section.present')].filter(e => !e.classList.contains('stack')).pop();
  if (!s) return null;
  const st = e => { const c = getComputedStyle(e); return {text: e.textContent.trim().slice(0, 40), direction: c.direction, align: c.textAlign}; };
  return {
    id: s.id,
    prose: [...s.querySelectorAll('.jp-RenderedMarkdown p, .jp-RenderedMarkdown li, .jp-RenderedMarkdown h1, .jp-RenderedMarkdown h2, .jp-RenderedMarkdown h3')]
             .filter(e => visible(e) && HEB.test(e.textContent)).map(st),
    code: [...s.querySelectorAll('.jp-CodeCell .jp-InputArea-editor .cm-content')].filter(visible).map(st),
    source: [...s.querySelectorAll('.jp-CodeCell .cm-content')].filter(visible).map(e => e.textContent).join('\n'),
    math: [...s.querySelectorAll('mjx-container')].filter(visible).length,
    mathErrors: s.querySelectorAll('mjx-merror').length,
  };
}"""


IDLE = ("() => { const e = document.querySelector('.jp-Notebook-ExecutionIndicator');"
        " return e && e.dataset.status === 'idle'; }")
WIDGET_CODE = "widgets.step_debugger()"
# the kernel idle for 3 polls in a row (with RISE's panel open, the toolbar's indicator is not
# inside the notebook panel, so test_browser's settle() does not find it)
JS_KERNEL_IDLE = """() => {
  const e = document.querySelector('.jp-Notebook-ExecutionIndicator');
  window.__slidesIdle = e && e.dataset.status === 'idle' ? (window.__slidesIdle || 0) + 1 : 0;
  return window.__slidesIdle >= 3;
}"""
# jupyterlab-rise 0.43.1's slideshow app is built on JupyterLab 4.3 and cannot load the ipywidgets 8
# widget manager (measured: "Failed to create module: package: @jupyter-widgets/jupyterlab-manager
# ... Shared module @jupyterlab/console doesn't exist in shared scope default"); a widget cell run
# on a slide shows its text/plain repr "VBox(children=...)". Upstream: jupyterlab-contrib/rise#119,
# #126 (open). Strict: when a fixed RISE draws the widget, this xfail fails and must go.
RISE_WIDGETS_BUG = ("jupyterlab-rise 0.43.1 cannot load the ipywidgets 8 manager in its slideshow "
                    "(jupyterlab-contrib/rise#119, #126): widgets show as text there")


@pytest.fixture(scope="module")
def rise(browser, lab_copy, deadline):
    """A Hebrew lesson opened in JupyterLab, its setup cell run, the RISE slideshow started with
    RISE:preview (Alt+R) and advanced (Space) from the first slide to the last. On the widget's
    slide its cell is run (Ctrl+Enter: in place; RISE's Shift+Enter also moves on)."""
    page = browser.new_page(viewport=SCREEN, locale="he-IL")
    page.set_default_timeout(deadline.ms(30))
    t0 = time.monotonic()
    rel = f"he/{RISE_LESSON}.ipynb"
    page.goto(f"{lab_copy.base}/lab/tree/{rel}?reset&token={lab_copy.token}", timeout=deadline.ms(60))
    panel = ".jp-NotebookPanel"
    page.wait_for_selector(f"{panel} .jp-MarkdownCell .jp-RenderedMarkdown p", timeout=deadline.ms(45))
    page.wait_for_function(IDLE, timeout=deadline.ms(45))
    assert not page.locator(".jp-Dialog").count(), page.locator(".jp-Dialog").first.inner_text()
    # the lesson's setup cell (skipped on slides) runs first: the widget then speaks Hebrew
    setup = page.locator(f"{panel} .jp-CodeCell").filter(has_text='lessonlib.setup(lang="he")').first
    setup.locator(".jp-InputPrompt").click()
    page.keyboard.press("Shift+Enter")
    page.wait_for_function(
        r"""() => [...document.querySelectorAll('.jp-NotebookPanel .jp-CodeCell')].some(c =>
             c.textContent.includes('lessonlib.setup(lang="he")') && /\[\d+\]/.test(c.querySelector('.jp-InputPrompt').textContent))""",
        timeout=deadline.ms(30))
    page.wait_for_function(IDLE, timeout=deadline.ms(30))
    # RISE:preview (Alt+R) on the focused notebook
    page.locator(f"{panel} .jp-Cell").first.locator(".jp-InputPrompt").click()
    page.keyboard.press("Escape")
    page.keyboard.press("Alt+r")
    frame = None
    for _ in range(int(deadline.ms(30) / 100)):
        frame = next((f for f in page.frames if "/rise/" in f.url), None)
        if frame:
            break
        page.wait_for_timeout(100)
    assert frame, "RISE:preview (Alt+R) opened no slideshow"
    frame.wait_for_selector(".reveal.ready .slides section.present", timeout=deadline.ms(45))
    frame.locator(".reveal").first.click(position={"x": 3, "y": 3})
    seen, slides, widget = set(), [], None
    for _ in range(150):
        page.wait_for_timeout(120)
        info = frame.evaluate(JS_RISE_SLIDE)
        assert info, "no present slide in the RISE slideshow"
        if info["id"] in seen:      # Space on the last slide stays there: the end
            break
        seen.add(info["id"])
        slides.append(info)
        if WIDGET_CODE in info["source"] and widget is None:
            widget = _run_widget_cell_on_slide(page, frame, deadline)
        page.keyboard.press("Space")
    yield types.SimpleNamespace(page=page, frame=frame, slides=slides, widget=widget, deadline=deadline,
                                seconds=time.monotonic() - t0)
    page.close()


def _run_widget_cell_on_slide(page, frame, deadline):
    cell = frame.locator(".reveal .slides section.present .jp-CodeCell").filter(has_text=WIDGET_CODE).first
    cell.locator(".jp-InputPrompt").click()
    page.keyboard.press("Escape")
    page.keyboard.press("Control+Enter")
    # the cell has run when its prompt shows a number; then either the widget or its text repr
    frame.wait_for_function(
        r"""code => [...document.querySelectorAll('section.present .jp-CodeCell')].some(c =>
             c.textContent.includes(code) && /\[\d+\]/.test(c.querySelector('.jp-InputPrompt').textContent)
             && c.querySelector('.jp-OutputArea-output'))""", arg=WIDGET_CODE, timeout=deadline.ms(45))
    page.wait_for_timeout(1500)     # a widget view renders a moment after its output arrives
    out = cell.locator(".jp-OutputArea-output").first
    return types.SimpleNamespace(
        rendered=frame.locator("section.present .lessonlib-step-forward").count() > 0,
        output_text=out.inner_text()[:120] if out.count() else "")


def test_rise_slideshow_reads_right_to_left(rise):
    slides = rise.slides
    assert len(slides) > 10, f"only {len(slides)} RISE slides reached: {[s['id'] for s in slides]}"
    prose = [p for s in slides for p in s["prose"]]
    assert prose, "no Hebrew prose on any RISE slide"
    bad = [p for p in prose if (p["direction"], p["align"]) != ("rtl", "right")]
    assert not bad, f"Hebrew prose on RISE slides not right-to-left and right-aligned: {bad[:5]}"
    code = [c for s in slides for c in s["code"]]
    assert code and all(c["direction"] == "ltr" for c in code), \
        f"code on RISE slides not left-to-right: {[c for c in code if c['direction'] != 'ltr'][:3]}"
    print(f"\nRISE: {len(slides)} slides advanced in {rise.seconds:.1f} s; {len(prose)} Hebrew blocks rtl and "
          f"right-aligned, {len(code)} code cells ltr")


def test_rise_slideshow_renders_math(rise):
    math = sum(s["math"] for s in rise.slides)
    assert math > 0, "no rendered math (mjx-container) on any RISE slide"
    assert not any(s["mathErrors"] for s in rise.slides), "MathJax errors on RISE slides"


@pytest.mark.xfail(strict=True, reason=RISE_WIDGETS_BUG)
def test_rise_widget_answers_a_click_on_its_slide(rise):
    w = rise.widget
    assert w is not None, "the step debugger's slide was never reached"
    assert w.rendered, f"the widget is not drawn on its slide; the cell shows: {w.output_text!r}"
    frame, deadline = rise.frame, rise.deadline
    before = frame.evaluate(JS_STATE)
    frame.locator("section.present .lessonlib-step-forward").click()
    frame.wait_for_function("m => { const e = document.querySelector('.lessonlib-message');"
                            " return e && e.innerText.trim() !== m; }", arg=before["message"] or "",
                            timeout=deadline.ms(20))
    after = frame.evaluate(JS_STATE)
    assert after["msgDirection"] == "rtl", after


def test_rise_widget_cell_runs_on_its_slide(rise):
    """What works today: the widget's slide is reached and its cell runs live in the kernel (the
    presenter clicks the widget in the notebook beside the slideshow)."""
    w = rise.widget
    assert w is not None, "the step debugger's slide was never reached"
    assert w.rendered or w.output_text.startswith("VBox("), \
        f"the widget cell did not run on its slide: {w.output_text!r}"


def test_widget_answers_in_the_notebook_once_the_slideshow_is_closed(rise):
    """The workaround the README gives, measured: while RISE's panel is open its frontend (no
    widget manager) answers the kernel's widget comms by closing them, so even the notebook's own
    copy of the widget goes dead. Close the slideshow panel, run the widget cell again in the
    notebook: it answers clicks."""
    page, deadline = rise.page, rise.deadline
    rise_id = page.evaluate("""() => {
      let w = [...document.querySelectorAll('iframe')].find(f => f.src.includes('/rise/'));
      while (w && !(w.id && document.querySelector(`.lm-TabBar-tab[data-id="${w.id}"]`))) w = w.parentElement;
      return w && w.id;
    }""")
    assert rise_id, "no tab holds RISE's slideshow"
    page.locator(f'.lm-TabBar-tab[data-id="{rise_id}"] .lm-TabBar-tabCloseIcon').click()
    dialog = page.locator(".jp-Dialog")
    page.wait_for_timeout(300)
    if dialog.count():   # "unsaved changes": the slideshow's copy is not saved
        dialog.locator("button", has_text=re.compile(r"^(Discard|Don't Save)$")).first.click()
    for _ in range(int(deadline.ms(20) / 100)):
        if not any("/rise/" in f.url for f in page.frames):
            break
        page.wait_for_timeout(100)
    assert not any("/rise/" in f.url for f in page.frames), "the RISE panel did not close"
    panel = ".jp-NotebookPanel"
    cell = page.locator(f"{panel} .jp-CodeCell").filter(has_text=WIDGET_CODE).first
    cell.scroll_into_view_if_needed()
    cell.locator(".jp-InputPrompt").click()
    page.keyboard.press("Escape")
    page.keyboard.press("Control+Enter")
    page.wait_for_timeout(500)
    forward = page.locator(f"{panel} .lessonlib-step-forward").first
    forward.wait_for(state="visible", timeout=deadline.ms(45))
    page.wait_for_function(JS_KERNEL_IDLE, timeout=deadline.ms(30), polling=100)
    before = settled_state(page, deadline)
    forward.click()
    page.wait_for_function("m => { const e = document.querySelector('.jp-NotebookPanel .lessonlib-message');"
                           " return e && e.innerText.trim() !== m; }", arg=before["message"] or "",
                           timeout=deadline.ms(30))
    after = settled_state(page, deadline)
    assert after["message"] != before["message"] and after["msgDirection"] == "rtl", (before, after)
