"""Slides: the slide structure of every lesson (both editions) and the offline reveal.js build."""
from __future__ import annotations

import pytest

from tests import nbtools
from tools import slide_meta

TYPES = {"slide", "subslide", "fragment", "-", "skip", "notes"}
SHOWN = {"slide", "subslide", "fragment", "-"}
STARTS = {"slide", "subslide"}


def slide_type(cell: dict) -> str | None:
    return cell.get("metadata", {}).get("slideshow", {}).get("slide_type")


def slides_of(nb: dict) -> list[list[int]]:
    """The cell indices shown on each slide/subslide, in order (skipped and notes cells left out)."""
    slides: list[list[int]] = []
    for i, c in enumerate(nb["cells"]):
        t = slide_type(c)
        if t not in SHOWN:
            continue
        if t in STARTS or not slides:
            slides.append([])
        slides[-1].append(i)
    return slides


EDITIONS = [(lang, name) for name in nbtools.lesson_names() for lang in nbtools.LANGS]


@pytest.fixture(scope="module")
def notebooks():
    return {(lang, name): nbtools.load(nbtools.NOTEBOOKS / lang / f"{name}.ipynb") for lang, name in EDITIONS}


def test_there_are_lessons():
    names = nbtools.lesson_names()
    assert {"00_start_here", "08_break_it", "09_classification"} <= set(names), names
    assert len(EDITIONS) == 2 * len(names), EDITIONS


@pytest.mark.parametrize("lang,name", EDITIONS)
def test_every_cell_has_a_slide_type(notebooks, lang, name):
    nb = notebooks[lang, name]
    missing = [i for i, c in enumerate(nb["cells"]) if slide_type(c) not in TYPES]
    assert not missing, f"{lang}/{name}: cells without a valid metadata.slideshow.slide_type: {missing} (run python -m tools.slide_meta)"


@pytest.mark.parametrize("lang,name", EDITIONS)
def test_first_shown_cell_starts_a_slide(notebooks, lang, name):
    nb = notebooks[lang, name]
    first = next(i for i, c in enumerate(nb["cells"]) if slide_type(c) in SHOWN)
    assert slide_type(nb["cells"][first]) == "slide", f"{lang}/{name}: first shown cell {first} is {slide_type(nb['cells'][first])!r}"


@pytest.mark.parametrize("lang,name", EDITIONS)
def test_setup_cells_are_skipped(notebooks, lang, name):
    nb = notebooks[lang, name]
    for i, c in enumerate(nb["cells"]):
        if slide_meta.is_setup_or_install(c, i):
            assert slide_type(c) == "skip", f"{lang}/{name} cell {i}: setup/install cell shown on a slide"


@pytest.mark.parametrize("lang,name", EDITIONS)
def test_solutions_are_never_shown(notebooks, lang, name):
    nb = notebooks[lang, name]
    shown = [i for i, c in enumerate(nb["cells"]) if "solution" in nbtools.tags(c) and slide_type(c) != "skip"]
    assert not shown, f"{lang}/{name}: solution cells {shown} are not 'skip'"


@pytest.mark.parametrize("lang,name", EDITIONS)
def test_each_exercise_has_its_own_slide_without_solution(notebooks, lang, name):
    nb = notebooks[lang, name]
    cells = nb["cells"]
    exercises = [i for i, c in enumerate(cells) if c.get("metadata", {}).get("lessonlib", {}).get("exercise")]
    assert exercises, f"{lang}/{name}: no exercise cells"
    slides = slides_of(nb)
    for i in exercises:
        on = [s for s in slides if i in s]
        assert on, f"{lang}/{name} cell {i}: the exercise cell is not shown on any slide"
        slide = on[0]
        others = [j for j in slide if j != i and cells[j].get("metadata", {}).get("lessonlib", {}).get("exercise")]
        assert not others, f"{lang}/{name} cell {i}: shares its slide with exercise cells {others}"
        bad = [j for j in slide if {"solution", "hint"} & set(nbtools.tags(cells[j]))
               or cells[j].get("metadata", {}).get("lessonlib", {}).get("answers")]
        assert not bad, f"{lang}/{name} cell {i}: the exercise's slide also shows hint/solution/answer cells {bad}"
        # the exercise's own prose (the markdown cell just before it) opens that slide
        prose = i - 1
        assert slide[0] == prose and cells[prose]["cell_type"] == "markdown", \
            f"{lang}/{name} cell {i}: the exercise's slide does not start with its prose (starts at cell {slide[0]})"


@pytest.mark.parametrize("name", nbtools.lesson_names())
def test_he_and_en_have_the_same_slides(notebooks, name):
    he = [slide_type(c) for c in notebooks["he", name]["cells"]]
    en = [slide_type(c) for c in notebooks["en", name]["cells"]]
    diff = [i for i, (a, b) in enumerate(zip(he, en, strict=False)) if a != b]
    assert len(he) == len(en) and not diff, f"{name}: slide types differ between he and en at cells {diff}"


# --- the script's rules, on a small made-up lesson ------------------------------------------------

def _md(text, **meta):
    return {"cell_type": "markdown", "metadata": dict(meta), "source": text}


def _code(text, outputs=(), **meta):
    return {"cell_type": "code", "metadata": dict(meta), "source": text, "outputs": list(outputs), "execution_count": None}


def _lesson():
    long_out = {"output_type": "stream", "name": "stdout", "text": "x\n" * 40}
    return {"cells": [
        _md("# Title"),
        _code('import sys\nif "google.colab" in sys.modules:\n    pass', tags=["nbval-ignore-output"]),
        _code('import lessonlib\nlessonlib.setup(lang="en")'),
        _md("## An idea\n\nsome prose"),
        _code("print(1)"),
        _code("print(2)", [long_out]),
        _md("Now answer this:"),
        _code("answer = ...", tags=["exercise"], lessonlib={"exercise": {"id": "x.y"}}),
        _md("<details><summary>Hint</summary>\n\nthink\n\n</details>", tags=["hint"]),
        _md("<details><summary>Solution</summary>\n\n```python\nanswer = 1\n```\n\n</details>", tags=["solution"]),
        _code("print(answer)", lessonlib={"answers": "x.y"}),
        _md("### A detail"),
    ]}


def test_rules_on_a_made_up_lesson():
    nb = _lesson()
    assert slide_meta.slide_types(nb, nb, "made_up") == [
        "slide", "skip", "skip", "slide", "-", "subslide",   # 40 output lines do not fit: own sub-slide
        "subslide", "-",                                     # the exercise: its prose opens its slide
        "subslide", "skip",                                  # hint below it, solution never shown
        "subslide", "subslide"]                              # the answer cell after them, ### heading


def test_rules_are_deterministic():
    nb = _lesson()
    assert slide_meta.slide_types(nb, nb) == slide_meta.slide_types(_lesson(), _lesson())


def test_editions_out_of_step_get_a_clear_message():
    nb = _lesson()
    shorter = {"cells": nb["cells"][:-1]}
    with pytest.raises(SystemExit, match="differ in their cells"):
        slide_meta.slide_types(nb, shorter, "made_up")


# --- the offline build (`make slides`: build/slides/{he,en}/NN_slug.html) -------------------------
import html.parser  # noqa: E402
import json  # noqa: E402
import pathlib  # noqa: E402
import re  # noqa: E402
import urllib.parse  # noqa: E402

from tools import npm_assets  # noqa: E402
from tools import slides as slides_tool  # noqa: E402

BUILD = slides_tool.OUT
REMOTE = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//", re.I)    # http://, https://, //host, ftp://...
CSS_REF = re.compile(r"""@import\s+(?:url\(\s*)?['"]?([^'")\s;]+)|url\(\s*['"]?([^'")]+?)['"]?\s*\)""", re.I)
# a quoted remote URL in an inline script: an import, a require([...]) list, a script made in JS
JS_REMOTE_URL = re.compile(r"""['"`]((?:https?:)?//[^'"`\s]+)""", re.I)
JS_TYPES = {"", "text/javascript", "application/javascript", "module"}
LOADING = {  # (tag, attribute) pairs whose URL the browser loads by itself
    ("script", "src"), ("img", "src"), ("img", "srcset"), ("iframe", "src"), ("source", "src"),
    ("source", "srcset"), ("video", "src"), ("video", "poster"), ("audio", "src"), ("embed", "src"),
    ("object", "data"), ("input", "src"), ("track", "src"), ("frame", "src"), ("image", "href"),
}
LOADED_LINK_RELS = {"stylesheet", "icon", "preload", "modulepreload", "prefetch", "manifest", "import"}


class _Refs(html.parser.HTMLParser):
    """Every URL a page loads by itself: element attributes, <style> and style="" CSS, inline
    module imports. Plain <a href> navigation is not loaded, so not collected."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.refs: list[tuple[str, str]] = []     # (where, url)
        self.rtl_class = None
        self.html_attrs: dict = {}
        self._in = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for name, value in attrs:
            if value is None:
                continue
            if (tag, name) in LOADING:
                urls = [u.strip().split()[0] for u in value.split(",") if u.strip()] if name == "srcset" else [value]
                self.refs += [(f"<{tag} {name}>", u) for u in urls]
            if name == "style":
                self.refs += [(f"<{tag} style>", u) for u in css_refs(value)]
        if tag == "link" and a.get("href") and LOADED_LINK_RELS & set((a.get("rel") or "").lower().split()):
            self.refs.append((f"<link rel={a.get('rel')}>", a["href"]))
        if tag == "html":
            self.html_attrs = a
        if tag == "div" and "reveal" in (a.get("class") or "").split():
            self.rtl_class = "rtl" in (a.get("class") or "").split()
        executable = tag == "script" and (a.get("type") or "").lower() in JS_TYPES
        self._in = "style" if tag == "style" else "script" if executable and not a.get("src") else None

    def handle_endtag(self, tag):
        self._in = None

    def handle_data(self, data):
        if self._in == "style":
            self.refs += [("<style>", u) for u in css_refs(data)]
        elif self._in == "script":
            self.refs += [("<script> (inline)", u) for u in JS_REMOTE_URL.findall(data)]


def css_refs(css: str) -> list[str]:
    return [a or b for a, b in CSS_REF.findall(css)]


def _local_path(base: pathlib.Path, url: str) -> pathlib.Path | None:
    """The file a relative/file: URL names (None for data: and in-page #anchors)."""
    if url.startswith(("data:", "#", "about:")) or not url.strip():
        return None
    parsed = urllib.parse.urlsplit(url)
    if parsed.scheme == "file":
        return pathlib.Path(urllib.parse.unquote(parsed.path))
    return (base / urllib.parse.unquote(parsed.path)).resolve()


def resource_problems(page: pathlib.Path, text: str | None = None) -> list[str]:
    """Loaded resources of `page` (and of the local CSS it loads, recursively) that point off the
    machine or at a local file that does not exist."""
    parser = _Refs()
    parser.feed(page.read_text(encoding="utf-8") if text is None else text)
    problems, seen_css = [], set()
    todo = [(page.parent, where, url) for where, url in parser.refs]
    while todo:
        base, where, url = todo.pop()
        if REMOTE.match(url):
            problems.append(f"{where} loads {url} from off the machine")
            continue
        path = _local_path(base, url)
        if path is None:
            continue
        if not path.is_file():
            problems.append(f"{where} loads {url}: {path} does not exist")
        elif path.suffix == ".css" and path not in seen_css:
            seen_css.add(path)
            todo += [(path.parent, f"{path.name} (CSS)", u) for u in css_refs(path.read_text(encoding="utf-8", errors="replace"))]
    return problems


def built_pages() -> list[pathlib.Path]:
    pages = sorted(BUILD.glob("*/*.html"))
    if not pages:
        pytest.fail(f"no slides in {BUILD}: run `make slides` first (make test does)", pytrace=False)
    return pages


def test_every_lesson_is_built_in_both_editions():
    built = {(p.parent.name, p.stem) for p in built_pages()}
    expected = {(lang, name) for lang, name in EDITIONS}
    assert expected <= built, f"lessons without slides in {BUILD}: {sorted(expected - built)} (run `make slides`)"


@pytest.mark.parametrize("lang,name", EDITIONS)
def test_built_page_loads_nothing_from_off_the_machine(lang, name):
    page = BUILD / lang / f"{name}.html"
    if not page.exists():
        pytest.fail(f"{page} missing: run `make slides` first (make test does)", pytrace=False)
    problems = resource_problems(page)
    assert not problems, f"{lang}/{name}.html:\n  " + "\n  ".join(problems)
    text = page.read_text(encoding="utf-8")
    assert "colab-badge" not in text, f"{lang}/{name}.html still has the Colab badge"
    for needed in ("reveal.js/dist/reveal.js", slides_tool.MATHJAX_SCRIPT):
        assert needed in text, f"{lang}/{name}.html does not load the shipped {needed}"


@pytest.mark.parametrize("lang,name", EDITIONS)
def test_hebrew_slides_are_rtl_and_english_not(lang, name):
    text = (BUILD / lang / f"{name}.html").read_text(encoding="utf-8")
    parser = _Refs()
    parser.feed(text)
    config = re.findall(r"Reveal\.initialize\(\{.*?\brtl:\s*(true|false)", text, re.S)
    want = lang == "he"
    assert config == ["true" if want else "false"], f"{lang}/{name}: reveal.js rtl option is {config}"
    assert parser.rtl_class is want, f"{lang}/{name}: <div class=\"reveal\"> rtl class is {parser.rtl_class}"
    assert parser.html_attrs == {"lang": lang, "dir": "rtl" if want else "ltr"}, f"{lang}/{name}: <html {parser.html_attrs}>"


def test_slide_css_keeps_code_left_to_right_in_hebrew():
    css = (BUILD / "slides.css").read_text(encoding="utf-8")
    rules = dict(re.findall(r"([^{}]+)\{([^}]*)\}", re.sub(r"/\*.*?\*/", "", css, flags=re.S)))
    code = [body for sel, body in rules.items() if ".reveal.rtl pre" in sel and ".reveal.rtl .jp-CodeCell" in sel]
    assert code and "direction: ltr" in code[0] and "text-align: left" in code[0], css
    prose = [body for sel, body in rules.items() if '.reveal.rtl .jp-RenderedHTMLCommon [dir="rtl"] p' in sel]
    assert prose and "direction: rtl" in prose[0] and "text-align: right" in prose[0], css


# the checker itself: it must catch every kind of off-machine load (so a pass means something)
@pytest.mark.parametrize("snippet", [
    '<script src="https://cdn.example.org/x.js"></script>',
    '<script src="//cdn.example.org/x.js"></script>',
    '<link rel="stylesheet" href="http://example.org/x.css">',
    '<img src="https://colab.research.google.com/assets/colab-badge.svg">',
    '<img srcset="a.png 1x, https://example.org/b.png 2x">',
    '<iframe src="https://example.org/"></iframe>',
    '<style>@import url("https://fonts.example.org/f.css");</style>',
    "<style>.a { background: url(https://example.org/bg.png) }</style>",
    '<div style="background-image: url(//example.org/bg.png)"></div>',
    '<script type="module">import mermaid from "https://cdn.example.org/m.mjs";</script>',
    '<script>require(["https://unpkg.com/reveal.js@4.0.2/dist/reveal.js"], function (R) {});</script>',
    "<script>var s = document.createElement('script'); s.src = '//unpkg.com/x.js';</script>",
    '<script src="missing-local-file.js"></script>',
])
def test_resource_checker_catches(tmp_path, snippet):
    page = tmp_path / "p.html"
    page.write_text(f"<html><head>{snippet}</head><body></body></html>")
    assert resource_problems(page), snippet


def test_resource_checker_allows_links_data_and_local_files(tmp_path):
    (tmp_path / "a.css").write_text("@import url(./b.css); .x { background: url(data:image/png;base64,AAAA) }")
    (tmp_path / "b.css").write_text(".y { background: url('img/c.png') }")
    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "c.png").write_bytes(b"png")
    page = tmp_path / "p.html"
    page.write_text('<html><head><link rel="stylesheet" href="a.css"></head><body>'
                    '<a href="https://colab.research.google.com/github/x">Colab</a>'
                    '<img src="data:image/png;base64,AAAA"><a href="#s">in page</a></body></html>')
    assert resource_problems(page) == []
    (tmp_path / "img" / "c.png").unlink()
    assert resource_problems(page) == ["b.css (CSS) loads img/c.png: " + str(tmp_path / "img" / "c.png") + " does not exist"]


def test_colab_badge_is_dropped_from_markdown():
    md = ("# 03 · Title\n\n[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]"
          "(https://colab.research.google.com/github/o/r/blob/main/notebooks/en/03_loss.ipynb)\n\nText ![x](https://e.org/i.png) end")
    assert slides_tool.drop_remote_images(md) == "# 03 · Title\n\n\nText  end"


def test_npm_packages_are_pinned_and_from_the_registry():
    pkg = json.loads((slides_tool.SLIDES / "package.json").read_text())
    lock = json.loads((slides_tool.SLIDES / "package-lock.json").read_text())
    deps = pkg["dependencies"]
    assert set(deps) == set(npm_assets.PACKAGES), deps
    for name, spec in deps.items():
        assert re.fullmatch(r"\d+\.\d+\.\d+", spec), f"{name} is not pinned to one version: {spec}"
        entry = lock["packages"][f"node_modules/{name}"]
        assert entry["version"] == spec and entry.get("integrity", "").startswith("sha512-"), entry
    resolved = [e.get("resolved") for k, e in lock["packages"].items() if k]
    assert resolved and all(r and r.startswith("https://registry.npmjs.org/") for r in resolved), resolved


def test_make_test_builds_the_slides_and_runs_their_browser_test():
    text = (slides_tool.ROOT / "Makefile").read_text()
    test_rule = re.search(r"^test:([^\n]*)\n((?:\t[^\n]*\n)+)", text, re.M)
    assert test_rule and "slides" in test_rule.group(1).split(), "make test must depend on the slides target"
    assert "tests/test_slides_browser.py" in test_rule.group(2), "make test must run tests/test_slides_browser.py"
    slides_rule = re.search(r"^slides:([^\n]*)\n((?:\t[^\n]*\n)+)", text, re.M)
    assert slides_rule and "-m tools.slides" in slides_rule.group(2), "no `make slides` target building the pages"
    assert re.search(r"npm ci\b", text), "make slides must install the pinned npm packages with npm ci"
