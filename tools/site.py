"""The course site: static HTML of the whole series in both editions (`make site`).

    python -m tools.site [--out build/site] [--lessons 00_start_here,03_loss]

Writes
    build/site/index.html                 the language choice (a GitHub Pages site's front page)
    build/site/{he,en}/index.html         the home page: the lesson table, each lesson's Colab and
                                          Binder links, the switch to the other language
    build/site/{he,en}/NN_slug.html       every lesson with its committed outputs (no execution)
    build/site/assets/                    site.css, MathJax 3 and the widgets' HTML manager
and loads nothing from off the machine: MathJax and the HTML manager come from the npm packages
pinned in slides/package.json (tools/npm_assets.py, shared with the slides). Widgets are drawn
in their last saved state (the notebook's metadata.widgets) by the HTML manager; they answer no
clicks (no kernel). Links to Colab, Binder and GitHub are plain <a href> links out.

Lessons are found by the glob NN_*.ipynb in notebooks/he and notebooks/en; a lesson's title is
its notebook's first heading. The repository's address is read from pyproject.toml
([project.urls] Repository, as tools/release.py reads it). Hebrew pages are lang="he" dir="rtl"
with prose right-aligned and code left-to-right (site/site.css). Every sentence on the pages
that is not the lessons' own comes from lessonlib/catalog.py ("site.*").
"""
from __future__ import annotations

import argparse
import dataclasses
import functools
import html
import importlib.util
import pathlib
import posixpath
import re
import shutil
import sys

from tools import npm_assets

ROOT = pathlib.Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
SITE_DIR = ROOT / "site"
TEMPLATE_DIR = SITE_DIR / "template"
TEMPLATE = "rb109_site"
OUT = ROOT / "build" / "site"
LANGS = ("he", "en")
LESSON_GLOB = "[0-9][0-9]_*.ipynb"
BRANCH = "main"
ASSETS = "assets"
PACKAGES = ("mathjax", "@jupyter-widgets/html-manager")
ASSET_DIRS = {"mathjax": "mathjax", "@jupyter-widgets/html-manager": "html-manager"}
MATHJAX_SCRIPT = f"{ASSETS}/mathjax/{npm_assets.MATHJAX_ENTRY}"
WIDGETS_SCRIPT = f"{ASSETS}/html-manager/{npm_assets.HTML_MANAGER_ENTRY}"
CSS = f"{ASSETS}/site.css"

HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$", re.M)
# "04 · title", "Lesson 06 · title", "שיעור 06 · title": the number is the table's own column
NUMBER_PREFIX = re.compile(r"^(?:\S+\s+)?\d{2}\s*·\s*")
# a link (not an image) in markdown or HTML: [text](target) or href="target"
LINK = re.compile(r"""(?<!!)(\[[^\]\n]*\]\(|href=["'])([^)"'\s]+)""")
LESSON_FILE = re.compile(r"((?:\.\./(?:he|en)/)?\d{2}_[\w-]+)\.ipynb")
ABSOLUTE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//|#)", re.I)
# fenced code blocks and inline code spans: links are not rewritten inside them
CODE = re.compile(r"(```.*?```|~~~.*?~~~|`[^`\n]*`)", re.S)


class SiteError(Exception):
    """A reason the site cannot be built, said without a traceback."""


@functools.cache
def _messages() -> dict:
    """lessonlib/catalog.py's MESSAGES, loaded from the file: importing the lessonlib package
    imports torch, a quarter of the build's time, for a dict of strings."""
    spec = importlib.util.spec_from_file_location("_rb109_catalog", ROOT / "lessonlib" / "catalog.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.MESSAGES


def _t(key: str, lang: str, **values) -> str:
    try:
        return _messages()[key][lang].format(**values)
    except KeyError:
        raise SiteError(f"site: no text {key!r} in {lang!r} in lessonlib/catalog.py") from None


@dataclasses.dataclass
class Lesson:
    lang: str
    name: str            # file stem, e.g. 03_loss
    number: str          # "03"
    title_html: str      # the first heading, rendered (inline code, <bdi> kept), number prefix dropped
    title_text: str      # the same as plain text, for <title>
    path: pathlib.Path

    @property
    def page(self) -> str:
        return f"{self.name}.html"


def lesson_paths(lang: str, notebooks: pathlib.Path = NOTEBOOKS) -> list[pathlib.Path]:
    return sorted((notebooks / lang).glob(LESSON_GLOB))


def first_heading(nb) -> str | None:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            m = HEADING.search(cell.source)
            if m:
                return m.group(1)
    return None


def _inline_html(markdown: str) -> str:
    from nbconvert.filters import markdown2html

    out = markdown2html(markdown).strip()
    return re.sub(r"^<p>(.*)</p>$", r"\1", out, flags=re.S)


def read_lesson(path: pathlib.Path, lang: str):
    import nbformat

    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as e:  # noqa: BLE001 - any unreadable notebook: say which one
        raise SiteError(f"site: cannot read {path}: {e}") from None
    heading = first_heading(nb)
    if heading is None:
        raise SiteError(f"site: {path} has no markdown heading (# ...) to use as the lesson's title")
    heading = NUMBER_PREFIX.sub("", heading)
    title_html = _inline_html(heading)
    title_text = html.unescape(re.sub(r"<[^>]+>", "", title_html))
    lesson = Lesson(lang, path.stem, path.stem[:2], title_html, title_text, path)
    return lesson, nb


def repo_slug(root: pathlib.Path = ROOT) -> str:
    """owner/name of the GitHub repository in pyproject.toml ([project.urls] Repository)."""
    from tools.release import ReleaseError, repository

    try:
        repo = repository(root)
    except ReleaseError as e:
        raise SiteError(f"site: {e}") from None
    if not repo.startswith("https://github.com/") or repo.count("/") != 4:
        raise SiteError(f"site: the Repository address in pyproject.toml is not https://github.com/OWNER/NAME: {repo}")
    return repo.removeprefix("https://github.com/")


def colab_url(slug: str, lang: str, name: str) -> str:
    return f"https://colab.research.google.com/github/{slug}/blob/{BRANCH}/notebooks/{lang}/{name}.ipynb"


def binder_url(slug: str, lang: str, name: str) -> str:
    return f"https://mybinder.org/v2/gh/{slug}/{BRANCH}?labpath=notebooks/{lang}/{name}.ipynb"


def relink(markdown: str, slug: str, lang: str) -> str:
    """A lesson's relative links, made to work on the site: a link to another lesson points at its
    page (03_loss.ipynb -> 03_loss.html, #anchors kept), a link to any other file of the repository
    at that file on GitHub. Absolute links, in-page anchors, images and code are left alone."""
    def fix(m: re.Match) -> str:
        head, target = m.groups()
        if ABSOLUTE.match(target):
            return m.group(0)
        path, sep, fragment = target.partition("#")
        lesson = LESSON_FILE.fullmatch(path)
        if lesson:
            return f"{head}{lesson.group(1)}.html{sep}{fragment}"
        in_repo = posixpath.normpath(posixpath.join("notebooks", lang, path))
        if in_repo.startswith("../"):
            return m.group(0)
        return f"{head}https://github.com/{slug}/blob/{BRANCH}/{in_repo}{sep}{fragment}"

    return "".join(part if i % 2 else LINK.sub(fix, part) for i, part in enumerate(CODE.split(markdown)))


def _other(lang: str) -> str:
    return LANGS[1 - LANGS.index(lang)]


def _dir(lang: str) -> str:
    return "rtl" if lang == "he" else "ltr"


# ---- pages ----------------------------------------------------------------------------------------

IMG_WITHOUT_ALT = re.compile(r"<img(?![^>]*\salt=)")
FOCUSABLE = re.compile(r'(<div class="[^"]*\b(?:jp-Cell-inputWrapper|jp-OutputArea-output)\b[^"]*")')


def exporter():
    """nbconvert's HTMLExporter with our template, without its BeautifulSoup pass over each page
    (more than half the build's time); the two things that pass does, alt text on images and
    focusable cells, are done here with a regular expression."""
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

    class SiteExporter(HTMLExporter):
        def from_notebook_node(self, nb, resources=None, **kw):
            langinfo = nb.metadata.get("language_info", {})
            lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
            self.register_filter("highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self))
            resources = self._init_resources(resources)
            self.register_filter("filter_data_type", WidgetsDataTypeFilter(
                notebook_metadata=self._nb_metadata, parent=self, resources=resources))
            body, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
            body = IMG_WITHOUT_ALT.sub('<img alt=""', body)
            return FOCUSABLE.sub(r'\1 tabindex="0"', body), resources

    return SiteExporter(template_name=TEMPLATE, extra_template_basedirs=[str(TEMPLATE_DIR)],
                        exclude_input_prompt=False)


def lesson_page(exp, lesson: Lesson, nb, lessons: list[Lesson], others: set[str], slug: str) -> str:
    from tools.slides import drop_remote_images

    lang = lesson.lang
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = relink(drop_remote_images(cell.source), slug, lang)
    i = [x.name for x in lessons].index(lesson.name)
    nav = [{"href": "index.html", "label": _t("site.all_lessons", lang), "cls": "rb-home", "bottom": True}]
    if i > 0:
        nav.append({"href": lessons[i - 1].page, "label": _t("site.previous", lang), "cls": "rb-prev", "bottom": True})
    if i + 1 < len(lessons):
        nav.append({"href": lessons[i + 1].page, "label": _t("site.next", lang), "cls": "rb-next", "bottom": True})
    nav += [{"href": colab_url(slug, lang, lesson.name), "label": _t("site.open_colab", lang), "cls": "rb-colab"},
            {"href": binder_url(slug, lang, lesson.name), "label": _t("site.open_binder", lang), "cls": "rb-binder"}]
    other = _other(lang)
    if lesson.name in others:
        nav.append({"href": f"../{other}/{lesson.page}", "label": _t("site.language_name", other), "cls": "rb-lang",
                    "hreflang": other, "dir": _dir(other)})
    resources = {
        "metadata": {"name": lesson.name},
        "rb109": {
            "lang": lang,
            "rtl": lang == "he",
            "title": lesson.title_text,
            "mathjax_url": "../" + MATHJAX_SCRIPT,
            "widgets_url": "../" + WIDGETS_SCRIPT,
            "css_url": "../" + CSS,
            "nav": nav,
            "widgets_note": _t("site.widgets_note", lang),
        },
    }
    body, _ = exp.from_notebook_node(nb, resources=resources)
    return body


def home_page(lang: str, lessons: list[Lesson], slug: str) -> str:
    import jinja2
    from markupsafe import Markup

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(SITE_DIR / "template")), autoescape=True)
    other = _other(lang)
    return env.get_template("home.html.j2").render(
        lang=lang, dir=_dir(lang), other=other, other_dir=_dir(other),
        t=lambda key, in_lang=lang, **v: _t(key, in_lang, **v),
        lessons=[{"number": x.number, "page": x.page, "title": Markup(x.title_html),
                  "colab": colab_url(slug, lang, x.name), "binder": binder_url(slug, lang, x.name)} for x in lessons],
        css_url="../" + CSS, repo=f"https://github.com/{slug}")


def root_page() -> str:
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(SITE_DIR / "template")), autoescape=True)
    return env.get_template("root.html.j2").render(
        langs=[{"lang": lang, "dir": _dir(lang), "name": _t("site.language_name", lang),
                "title": _t("site.course_title", lang)} for lang in LANGS],
        css_url=CSS)


def ship_assets(out: pathlib.Path) -> None:
    npm_assets.check_packages(PACKAGES, "site")
    assets = out / ASSETS
    assets.mkdir(parents=True, exist_ok=True)
    for package in PACKAGES:
        npm_assets.copy_package(package, assets / ASSET_DIRS[package])
    shutil.copy2(SITE_DIR / "site.css", assets / "site.css")


def build(out: pathlib.Path = OUT, lessons: list[str] | None = None, notebooks: pathlib.Path = NOTEBOOKS,
          root: pathlib.Path = ROOT) -> list[pathlib.Path]:
    """Build the site into `out`; returns the pages written."""
    slug = repo_slug(root)
    out.mkdir(parents=True, exist_ok=True)
    ship_assets(out)
    exp = exporter()
    read = {lang: [read_lesson(p, lang) for p in lesson_paths(lang, notebooks)] for lang in LANGS}
    if not any(read.values()):
        raise SiteError(f"site: no lessons ({LESSON_GLOB}) in {notebooks}/he or {notebooks}/en")
    names = {lang: {lesson.name for lesson, _ in read[lang]} for lang in LANGS}
    written = [out / "index.html"]
    written[0].write_text(root_page(), encoding="utf-8")
    (out / ".nojekyll").write_text("")     # GitHub Pages: serve the files as they are
    for lang in LANGS:
        table = [lesson for lesson, _ in read[lang]]
        dest_dir = out / lang
        dest_dir.mkdir(parents=True, exist_ok=True)
        home = dest_dir / "index.html"
        home.write_text(home_page(lang, table, slug), encoding="utf-8")
        written.append(home)
        for lesson, nb in read[lang]:
            if lessons and lesson.name not in lessons:
                continue
            dest = dest_dir / lesson.page
            dest.write_text(lesson_page(exp, lesson, nb, table, names[_other(lang)], slug), encoding="utf-8")
            written.append(dest)
    return written


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=pathlib.Path, default=OUT)
    ap.add_argument("--lessons", default="", help="comma-separated lesson names (default: all)")
    args = ap.parse_args(argv)
    try:
        written = build(args.out, [s for s in args.lessons.split(",") if s] or None)
    except SiteError as e:
        print(e, file=sys.stderr)
        return 1
    print(f"site: {len(written)} pages in {args.out} (open {args.out}/he/index.html)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
