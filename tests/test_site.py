"""The course site (`make site`, tools/site.py): built once into a temporary folder, then read.

Every lesson (found by the glob NN_*.ipynb, like the tool) has a page in both languages; the home
pages list every lesson with its title, page, Colab and Binder links; every internal link and
every local resource resolves; nothing is loaded from off the machine (the only absolute links are
<a href> links out to Colab, Binder and GitHub); Hebrew pages are lang="he" dir="rtl"; math is
there and loads the shipped MathJax; widgets come with their saved state and the shipped renderer.
The browser test (tests/test_site_browser.py) looks at the pages as drawn.
"""
from __future__ import annotations

import html
import html.parser
import json
import pathlib
import re
import shutil
import tomllib
import types
import urllib.parse

import pytest

from lessonlib.text import t
from tests.test_slides import REMOTE, resource_problems
from tools import site as site_tool

REPO = pathlib.Path(__file__).resolve().parents[1]
LANGS = ("he", "en")
OUTBOUND_HOSTS = {"colab.research.google.com", "mybinder.org", "github.com"}
MATH = re.compile(r"\$[^$\s][^$]*\$|\$\$")


def lesson_names(lang: str, notebooks: pathlib.Path = REPO / "notebooks") -> list[str]:
    return sorted(p.stem for p in (notebooks / lang).glob("[0-9][0-9]_*.ipynb"))


def repository_slug() -> str:
    """owner/name, read here with tomllib (the tool reads the same line with tools.release)."""
    with open(REPO / "pyproject.toml", "rb") as f:
        repo = tomllib.load(f)["project"]["urls"]["Repository"]
    return urllib.parse.urlsplit(repo).path.strip("/")


def notebook(lang: str, name: str) -> dict:
    return json.loads((REPO / "notebooks" / lang / f"{name}.ipynb").read_text(encoding="utf-8"))


class Page(html.parser.HTMLParser):
    """What a page says about itself: <html> attributes, links, ids, the lesson table's rows."""

    def __init__(self, path: pathlib.Path):
        super().__init__(convert_charrefs=True)
        self.path = path
        self.html_attrs: dict = {}
        self.links: list[dict] = []        # every <a href>, with the text inside it
        self.ids: set[str] = set()
        self.scripts: list[str] = []       # <script src>
        self.script_types: list[str] = []
        self.rows: list[list[dict]] = []   # the lesson table: per row, its links
        self._a = None
        self._in_tbody = False
        self.feed(path.read_text(encoding="utf-8"))

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "html":
            self.html_attrs = a
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "a" and "name" in a:
            self.ids.add(a["name"])
        if tag == "script":
            if a.get("src"):
                self.scripts.append(a["src"])
            self.script_types.append(a.get("type", ""))
        if tag == "tbody":
            self._in_tbody = True
        if tag == "tr" and self._in_tbody:
            self.rows.append([])
        if tag == "a" and "href" in a:
            self._a = {"href": a["href"], "class": a.get("class", ""), "text": ""}
            self.links.append(self._a)
            if self._in_tbody and self.rows:
                self.rows[-1].append(self._a)

    def handle_endtag(self, tag):
        if tag == "a":
            self._a = None
        if tag == "tbody":
            self._in_tbody = False

    def handle_data(self, data):
        if self._a is not None:
            self._a["text"] += data


@pytest.fixture(scope="session")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("site")
    try:
        written = site_tool.build(out)
    except SystemExit as e:          # npm packages not installed: the tool says how to get them
        pytest.fail(str(e), pytrace=False)
    pages = sorted(out.glob("*.html")) + sorted(out.glob("*/*.html"))
    return types.SimpleNamespace(out=out, written=written, pages=pages, parsed={p.resolve(): Page(p) for p in pages})


def test_every_lesson_has_a_page_in_both_languages(site):
    expected = {(lang, name) for lang in LANGS for name in lesson_names(lang)}
    assert len(expected) >= 18 and {n for _, n in expected} >= {"00_start_here", "08_break_it"}
    built = {(p.parent.name, p.stem) for p in site.out.glob("*/*.html") if p.stem != "index"}
    assert built == expected, f"missing: {sorted(expected - built)}; unexpected: {sorted(built - expected)}"
    for lang in LANGS:
        assert (site.out / lang / "index.html").is_file(), f"no home page {lang}/index.html"
    assert (site.out / "index.html").is_file()


@pytest.mark.parametrize("lang", LANGS)
def test_home_page_lists_every_lesson_with_its_title_colab_and_binder(site, lang):
    page = Page(site.out / lang / "index.html")
    slug = repository_slug()
    names = lesson_names(lang)
    text = (site.out / lang / "index.html").read_text(encoding="utf-8")
    for key in ("site.course_title", "site.open_colab", "site.open_binder"):     # the catalog's words
        assert html.escape(t(key, lang=lang), quote=False) in text, f"{lang}/index.html lacks {key}"
    assert len(page.rows) == len(names), f"{lang}/index.html: {len(page.rows)} rows for {len(names)} lessons"
    for row, name in zip(page.rows, names, strict=True):
        hrefs = [a["href"] for a in row]
        assert f"{name}.html" in hrefs, f"{lang}/index.html: the row for {name} has links {hrefs}"
        title = next(a["text"] for a in row if a["href"] == f"{name}.html")
        heading = next(m.group(1) for c in notebook(lang, name)["cells"] if c["cell_type"] == "markdown"
                       for m in [re.search(r"^#+\s+(.+)$", "".join(c["source"]), re.M)] if m)
        # the heading's words (markdown and tags aside) are the title's; its "NN ·" prefix is the row's number
        words = re.sub(r"<[^>]+>|`|\*", "", heading).split("·")[-1].split()
        assert title.split() == words, f"{lang}/{name}: title {title!r}, first heading {heading!r}"
        assert f"https://colab.research.google.com/github/{slug}/blob/main/notebooks/{lang}/{name}.ipynb" in hrefs, hrefs
        assert f"https://mybinder.org/v2/gh/{slug}/main?labpath=notebooks/{lang}/{name}.ipynb" in hrefs, hrefs


@pytest.mark.parametrize("lang", LANGS)
def test_language_switch_on_every_page(site, lang):
    other = "en" if lang == "he" else "he"
    home = Page(site.out / lang / "index.html")
    assert f"../{other}/index.html" in [a["href"] for a in home.links], f"{lang}/index.html has no switch to {other}"
    for name in lesson_names(lang):
        page = Page(site.out / lang / f"{name}.html")
        hrefs = [a["href"] for a in page.links]
        if name in lesson_names(other):
            assert f"../{other}/{name}.html" in hrefs, f"{lang}/{name}.html has no link to its {other} edition"
        assert "index.html" in hrefs, f"{lang}/{name}.html has no link to the home page"
        assert any("colab.research.google.com" in h for h in hrefs) and any("mybinder.org" in h for h in hrefs)


def test_every_internal_link_resolves(site):
    problems = []
    for path in site.pages:
        page = site.parsed[path.resolve()]
        for a in page.links:
            href = a["href"]
            split = urllib.parse.urlsplit(href)
            if split.scheme in ("http", "https"):
                if split.hostname not in OUTBOUND_HOSTS:
                    problems.append(f"{path.relative_to(site.out)}: link out to {href}")
                continue
            if split.scheme or href.startswith("//"):
                problems.append(f"{path.relative_to(site.out)}: link {href}")
                continue
            target = (path.parent / urllib.parse.unquote(split.path)).resolve() if split.path else path
            if not target.is_file():
                problems.append(f"{path.relative_to(site.out)}: {href} -> {target} does not exist")
            elif split.fragment and not {split.fragment, urllib.parse.unquote(split.fragment)} & site.parsed[target].ids:
                problems.append(f"{path.relative_to(site.out)}: {href}: no id {split.fragment!r} in {target.name}")
    assert not problems, "\n  ".join(["broken links:"] + problems)


def test_every_page_loads_only_files_of_the_site(site):
    problems = {str(p.relative_to(site.out)): resource_problems(p) for p in site.pages}
    problems = {k: v for k, v in problems.items() if v}
    assert not problems, problems
    for path in site.pages:
        text = path.read_text(encoding="utf-8")
        assert "colab-badge" not in text, f"{path.name} still shows the Colab badge (an image from off the machine)"
        for src in Page(path).scripts:
            assert not REMOTE.match(src)
            assert (path.parent / src).resolve().is_relative_to(site.out.resolve()), f"{path.name}: {src} outside the site"


@pytest.mark.parametrize("lang", LANGS)
def test_pages_say_their_language_and_direction(site, lang):
    want = {"lang": lang, "dir": "rtl" if lang == "he" else "ltr"}
    for path in sorted((site.out / lang).glob("*.html")):
        assert Page(path).html_attrs == want, f"{lang}/{path.name}: <html {Page(path).html_attrs}>"


def test_math_is_there_with_the_shipped_mathjax(site):
    with_math = 0
    for lang in LANGS:
        for name in lesson_names(lang):
            nb = notebook(lang, name)
            tex = [m.group(0) for c in nb["cells"] if c["cell_type"] == "markdown"
                   for m in MATH.finditer("".join(c["source"]))]
            if not tex:
                continue
            with_math += 1
            path = site.out / lang / f"{name}.html"
            page = site.parsed[path.resolve()]
            mathjax = [s for s in page.scripts if s.endswith(site_tool.MATHJAX_SCRIPT)]
            assert mathjax and (path.parent / mathjax[0]).resolve().is_file(), f"{lang}/{name}: no shipped MathJax: {page.scripts}"
            text = path.read_text(encoding="utf-8")
            assert tex[0] in text, f"{lang}/{name}: the TeX {tex[0]!r} is not on the page for MathJax to render"
    assert with_math >= 4, f"only {with_math} lessons have math"


def test_widgets_come_with_their_saved_state_and_the_shipped_renderer(site):
    with_widgets = 0
    for lang in LANGS:
        for name in lesson_names(lang):
            nb = notebook(lang, name)
            views = sum("application/vnd.jupyter.widget-view+json" in o.get("data", {})
                        for c in nb["cells"] for o in c.get("outputs", []))
            page = site.parsed[(site.out / lang / f"{name}.html").resolve()]
            state = page.script_types.count("application/vnd.jupyter.widget-state+json")
            renderer = [s for s in page.scripts if s.endswith(site_tool.WIDGETS_SCRIPT)]
            # without saved state nbconvert shows a widget's text fallback (its text/plain) instead
            shown = views if "widgets" in nb["metadata"] else 0
            assert page.script_types.count("application/vnd.jupyter.widget-view+json") == shown, f"{lang}/{name}"
            if "widgets" in nb["metadata"]:
                with_widgets += 1
                assert state == 1 and renderer, f"{lang}/{name}: state scripts {state}, renderer {renderer}"
            else:
                assert state == 0 and not renderer, f"{lang}/{name}"
    assert with_widgets >= 2


def test_saved_widgets_are_ones_the_shipped_renderer_draws():
    """The HTML manager draws the standard widgets itself; a widget of another package would be
    fetched from a CDN at view time (embed.js's fallback), which the site must not do."""
    shipped = {"@jupyter-widgets/base", "@jupyter-widgets/controls", "@jupyter-widgets/output"}
    other = set()
    for lang in LANGS:
        for name in lesson_names(lang):
            state = notebook(lang, name)["metadata"].get("widgets", {}).get(
                "application/vnd.jupyter.widget-state+json", {}).get("state", {})
            other |= {(lang, name, m["model_module"]) for m in state.values() if m["model_module"] not in shipped}
    assert not other, f"widgets the site cannot draw offline: {sorted(other)}"


def test_lessons_are_found_by_glob_and_titled_by_their_first_heading(tmp_path):
    """A lesson added later (say 09_classification) appears without touching the tool."""
    notebooks = tmp_path / "notebooks"
    for lang, title in (("he", "שיעור 09 · <bdi>`softmax`</bdi> וסיווג"), ("en", "09 · Classification with `softmax`")):
        (notebooks / lang).mkdir(parents=True)
        for name in ("00_start_here", "08_break_it"):
            shutil.copy(REPO / "notebooks" / lang / f"{name}.ipynb", notebooks / lang)
        # a widget output without saved widget state (no metadata.widgets): its text fallback is shown
        widget = {"output_type": "display_data", "metadata": {},
                  "data": {"application/vnd.jupyter.widget-view+json": {"model_id": "abc", "version_major": 2,
                                                                         "version_minor": 0},
                           "text/plain": "VBox(children=(Button(description='go'),))"}}
        nb = {"cells": [{"cell_type": "markdown", "id": "a1b2c3d4", "metadata": {}, "source": f"# {title}\n\ntext $x^2$"},
                        {"cell_type": "code", "id": "e5f6a7b8", "metadata": {}, "source": "1 + 1", "execution_count": 1,
                         "outputs": [{"output_type": "execute_result", "execution_count": 1, "metadata": {},
                                      "data": {"text/plain": "2"}}, widget]}],
              "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
              "nbformat": 4, "nbformat_minor": 5}
        (notebooks / lang / "09_classification.ipynb").write_text(json.dumps(nb), encoding="utf-8")
        (notebooks / lang / "notes.ipynb").write_text(json.dumps(nb), encoding="utf-8")   # not a lesson
    out = tmp_path / "site"
    site_tool.build(out, lessons=["09_classification"], notebooks=notebooks)
    he = Page(out / "he" / "index.html")
    assert [[a["href"] for a in row][0] for row in he.rows] == ["00_start_here.html", "08_break_it.html",
                                                                 "09_classification.html"]
    assert he.rows[2][0]["text"].split() == ["softmax", "וסיווג"]
    assert Page(out / "en" / "index.html").rows[2][0]["text"] == "Classification with softmax"
    page = Page(out / "he" / "09_classification.html")
    assert "08_break_it.html" in [a["href"] for a in page.links]        # previous lesson
    assert not (out / "he" / "notes.html").exists()
    text = (out / "he" / "09_classification.html").read_text(encoding="utf-8")
    assert "VBox(children=(Button(description=&#39;go&#39;),))" in text and "widget-view+json" not in text
    assert site_tool.WIDGETS_SCRIPT not in text


def test_relative_links_point_at_lesson_pages_or_at_github():
    md = ("see [lesson 03](03_loss.ipynb), [its section](03_loss.ipynb#the-loss) and "
          "<a href=\"../en/04_zero_grad.ipynb\">x</a>; [the guide](../../guides/he/03_loss.md#q), "
          "[here](#top), [out](https://pytorch.org/docs), ![plot](img/p.png)\n\n"
          "```python\nlayers[0](x)\n```\nand `fns[1](y.ipynb)`")
    gh = "https://github.com/o/r/blob/main/"
    assert site_tool.relink(md, "o/r", "he") == (
        "see [lesson 03](03_loss.html), [its section](03_loss.html#the-loss) and "
        "<a href=\"../en/04_zero_grad.html\">x</a>; [the guide](" + gh + "guides/he/03_loss.md#q), "
        "[here](#top), [out](https://pytorch.org/docs), ![plot](img/p.png)\n\n"
        "```python\nlayers[0](x)\n```\nand `fns[1](y.ipynb)`")
    assert site_tool.relink("[up](../../../x.md)", "o/r", "en") == "[up](../../../x.md)"   # outside the repository


def test_bad_input_gets_a_clear_message(tmp_path):
    (tmp_path / "pyproject.toml").write_text('[project]\nname = "x"\n')
    with pytest.raises(site_tool.SiteError, match=r"Repository"):
        site_tool.repo_slug(tmp_path)
    (tmp_path / "pyproject.toml").write_text('[project.urls]\nRepository = "https://gitlab.com/a/b"\n')
    with pytest.raises(site_tool.SiteError, match=r"https://github.com/OWNER/NAME"):
        site_tool.repo_slug(tmp_path)
    nb = tmp_path / "00_x.ipynb"
    nb.write_text(json.dumps({"cells": [{"cell_type": "markdown", "id": "a1b2c3d4", "metadata": {}, "source": "no heading"}],
                              "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    with pytest.raises(site_tool.SiteError, match=r"no markdown heading"):
        site_tool.read_lesson(nb, "en")
    nb.write_text("{not json")
    with pytest.raises(site_tool.SiteError, match=r"cannot read .*00_x.ipynb"):
        site_tool.read_lesson(nb, "en")
    (tmp_path / "notebooks" / "he").mkdir(parents=True)
    with pytest.raises(site_tool.SiteError, match=r"no lessons"):
        site_tool.build(tmp_path / "o", notebooks=tmp_path / "notebooks")


def test_make_site_and_make_test():
    text = (REPO / "Makefile").read_text()
    rule = re.search(r"^site:([^\n]*)\n((?:\t[^\n]*\n)+)", text, re.M)
    assert rule and "-m tools.site" in rule.group(2), "no `make site` target building the site"
    assert "$(SLIDES_STAMP)" in rule.group(1).split() and "install" in rule.group(1).split(), rule.group(1)
    test_rule = re.search(r"^test:([^\n]*)\n((?:\t[^\n]*\n)+)", text, re.M)
    assert "tests/test_site_browser.py" in test_rule.group(2), "make test must run tests/test_site_browser.py"
