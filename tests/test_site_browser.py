"""The course site in a real browser (headless Chromium via Playwright; launch flags and the
Chromium lookup shared with tests/test_browser.py and tests/test_slides_browser.py).

The site is built into a temporary folder and served by a local http.server on 127.0.0.1; every
request that leaves the machine is blocked and reported. Two pages are opened: the Hebrew home
page and one Hebrew lesson (math, and widgets with sliders). Measured on each: the page is
right-to-left, Hebrew prose is right-to-left and right-aligned, code is left-to-right and
left-aligned, and every internal link on the page resolves (HTTP 200 from the local server) and every file the
page loads is there (no HTTP error);
links out go only to Colab, Binder and GitHub. On the lesson: MathJax rendered the math (no
errors, no TeX left), every widget is drawn from its saved state, and every slider's handle is
on its track; the bidi order rule of
tests/browser_checks.py holds in the prose.
"""
from __future__ import annotations

import functools
import http.server
import threading
import urllib.parse
import urllib.request

import pytest

from tests.browser_checks import CHROMIUM_ARGS, JS_TEXT_CHECK, chromium_or_skip
from tests.test_browser import Deadline
from tools import site as site_tool

pytestmark = pytest.mark.browser

LESSON = "06_step"             # math in its prose, three widgets with sliders
HARD_CAP_S = 120               # the whole module; measured ~15 s on the 2-core box
SCREEN = {"width": 1280, "height": 900}
OUTBOUND_HOSTS = {"colab.research.google.com", "mybinder.org", "github.com"}
LOCAL_SCHEMES = ("data:", "blob:", "about:")

# Direction and alignment of what the page shows: Hebrew prose blocks, code, and the page itself.
JS_MEASURE = r"""() => {
  const HEB = /[\u05d0-\u05ea]/;
  const visible = e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  const st = e => { const c = getComputedStyle(e); return {text: e.textContent.trim().slice(0, 50), direction: c.direction, align: c.textAlign}; };
  const prose = [...document.querySelectorAll(
      'main p, main li, main h1, main h2, main h3, main td, main th, .rb-note')]
    .filter(e => visible(e) && HEB.test(e.textContent) && !e.closest('pre, .jp-CodeCell, .jupyter-widgets'));
  const code = [...document.querySelectorAll('.jp-CodeCell .highlight pre, .jp-OutputArea-output > pre, .jp-RenderedText pre')]
    .filter(visible);
  return {
    page: {lang: document.documentElement.lang, dir: document.documentElement.dir,
           direction: getComputedStyle(document.body).direction},
    prose: prose.map(st),
    code: code.map(st),
    links: [...document.querySelectorAll('a[href]')].map(a => a.href),
    math: document.querySelectorAll('mjx-container').length,
    mathErrors: [...document.querySelectorAll('mjx-merror')].map(e => e.textContent.slice(0, 60)),
    texLeft: [...document.querySelectorAll('.jp-MarkdownCell .jp-RenderedMarkdown')]
               .filter(e => /\$[^$\s][^$]*\$/.test(e.textContent)).map(e => e.textContent.slice(0, 60)),
    views: document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]').length,
    drawn: [...document.querySelectorAll('.widget-subarea')].filter(e => e.querySelector('.lm-Widget') && visible(e)).length,
    // every slider's handle sits on its track (noUiSlider places it from the page's direction)
    sliders: [...document.querySelectorAll('.noUi-target.noUi-horizontal')].filter(visible).map(t => {
      const r = t.getBoundingClientRect(), h = t.querySelector('.noUi-handle').getBoundingClientRect();
      return {left: r.left, right: r.right, handle: (h.left + h.right) / 2}; }),
  };
}"""


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def deadline() -> Deadline:
    return Deadline(HARD_CAP_S)


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The whole site, built into a temporary folder and served on 127.0.0.1."""
    chromium_or_skip()
    out = tmp_path_factory.mktemp("site")
    try:
        site_tool.build(out)
    except SystemExit as e:
        pytest.fail(str(e), pytrace=False)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(out)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser(deadline):
    from playwright.sync_api import sync_playwright

    path = chromium_or_skip()
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=path, args=CHROMIUM_ARGS, headless=True,
                                      timeout=deadline.ms(30))
        try:
            yield chromium
        finally:
            chromium.close()


def _open(browser, base: str, rel: str, deadline: Deadline):
    page = browser.new_page(viewport=SCREEN, locale="he-IL")
    page.set_default_timeout(deadline.ms(30))
    page.remote_requests, page.errors, page.missing = [], [], []

    def route(r):
        url = r.request.url
        if url.startswith(base + "/") or url.startswith(LOCAL_SCHEMES):
            return r.continue_()
        page.remote_requests.append(url)
        return r.abort()

    page.route("**/*", route)
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    # a file of the site the page (or a script or stylesheet of it: fonts, MathJax parts) asks for in vain
    page.on("response", lambda r: r.status >= 400 and page.missing.append(f"{r.url}: HTTP {r.status}"))
    page.goto(f"{base}/{rel}", timeout=deadline.ms(30))
    return page


def _broken_links(base: str, links: list[str]) -> list[str]:
    broken = []
    for href in sorted(set(links)):
        url = urllib.parse.urlsplit(href)
        if href.startswith(base + "/"):
            try:
                with urllib.request.urlopen(urllib.parse.urlunsplit(url._replace(fragment="")), timeout=10) as r:
                    if r.status != 200:
                        broken.append(f"{href}: HTTP {r.status}")
            except OSError as e:
                broken.append(f"{href}: {e}")
        elif url.scheme in ("http", "https") and url.hostname in OUTBOUND_HOSTS:
            continue
        else:
            broken.append(f"{href}: neither on this site nor a link to Colab, Binder or GitHub")
    return broken


def _check_direction(name: str, m: dict) -> None:
    assert m["page"] == {"lang": "he", "dir": "rtl", "direction": "rtl"}, f"{name}: {m['page']}"
    assert m["prose"], f"{name}: no Hebrew prose found"
    bad = [p for p in m["prose"] if (p["direction"], p["align"]) not in (("rtl", "right"), ("rtl", "start"))]
    assert not bad, f"{name}: Hebrew prose not right-to-left and right-aligned: {bad[:5]}"


def test_hebrew_home_page(browser, served, deadline):
    page = _open(browser, served, "he/index.html", deadline)
    try:
        m = page.evaluate(JS_MEASURE)
        _check_direction("he/index.html", m)
        lessons = sorted(p.stem for p in site_tool.lesson_paths("he"))
        linked = {urllib.parse.urlsplit(h).path.rsplit("/", 1)[-1] for h in m["links"]}
        assert {f"{name}.html" for name in lessons} <= linked, f"lessons missing from the table: {lessons}, {linked}"
        order = [f for f in page.evaluate(JS_TEXT_CHECK, ["main", ".rb-nav"])
                 if f["kind"] in ("order", "wrapped", "not_rtl", "not_right_aligned")]
        assert not order, f"he/index.html: bidi findings {order[:5]}"
        broken = _broken_links(served, m["links"])
        assert not broken, "he/index.html:\n  " + "\n  ".join(broken)
        assert not page.remote_requests, f"he/index.html loaded from off the machine: {page.remote_requests}"
        assert not page.errors, page.errors
        assert not page.missing, f"he/index.html: {page.missing}"
    finally:
        page.close()


def test_hebrew_lesson_page(browser, served, deadline):
    name = f"he/{LESSON}.html"
    page = _open(browser, served, name, deadline)
    try:
        page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise",
                               timeout=deadline.ms(30))
        page.evaluate("() => MathJax.startup.promise")
        page.wait_for_function("""() => document.querySelectorAll('.widget-subarea .lm-Widget').length > 0 &&
            document.querySelectorAll('.widget-subarea').length ===
            document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]').length""",
                               timeout=deadline.ms(30))
        m = page.evaluate(JS_MEASURE)
        _check_direction(name, m)
        assert m["code"], f"{name}: no code found"
        bad = [c for c in m["code"] if (c["direction"], c["align"]) not in (("ltr", "left"), ("ltr", "start"))]
        assert not bad, f"{name}: code not left-to-right: {bad[:5]}"
        assert m["math"] > 0 and not m["mathErrors"] and not m["texLeft"], \
            f"{name}: MathJax: {m['math']} rendered, errors {m['mathErrors']}, TeX left {m['texLeft'][:3]}"
        assert m["views"] > 0 and m["drawn"] == m["views"], \
            f"{name}: {m['drawn']} of {m['views']} widgets drawn from their saved state"
        assert m["sliders"], f"{name}: no slider drawn"
        off = [x for x in m["sliders"] if not x["left"] - 1 <= x["handle"] <= x["right"] + 1]
        assert not off, f"{name}: slider handles off their tracks: {off}"
        order = [f for f in page.evaluate(JS_TEXT_CHECK, [".jp-MarkdownCell", ".rb-nav", ".rb-note"])
                 if f["kind"] in ("order", "wrapped", "not_rtl", "not_right_aligned")]
        assert not order, f"{name}: bidi findings {order[:5]}"
        broken = _broken_links(served, m["links"])
        assert not broken, f"{name}:\n  " + "\n  ".join(broken)
        assert not page.remote_requests, f"{name} loaded from off the machine: {page.remote_requests}"
        assert not page.errors, f"{name}: JavaScript errors {page.errors}"
        assert not page.missing, f"{name}: {page.missing}"
    finally:
        page.close()
