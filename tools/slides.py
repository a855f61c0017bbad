"""Offline reveal.js slides for every lesson in both editions (`make slides`).

    python -m tools.slides [--out build/slides] [--lessons 00_start_here,03_loss]

Writes build/slides/{he,en}/NN_slug.html, and next to them the files those pages load, all
from this machine: reveal.js/ and mathjax/ (copied from slides/node_modules, installed by
`npm ci` from the pinned slides/package-lock.json) and slides.css (Hebrew right-to-left, code
left-to-right). Nothing is loaded from a CDN; tests/test_slides.py parses every page to prove it.

The pages are nbconvert's slides export with our own template (slides/template/rb109_reveal):
the notebook's slide metadata (tools/slide_meta.py) decides the slides, the committed outputs
are shown as they are (no execution). The Colab badge, an image from colab.research.google.com,
is dropped from the title slide; widgets need a kernel and are presented live with RISE.
"""
from __future__ import annotations

import argparse
import pathlib
import re
import shutil
import sys

from tools import npm_assets

ROOT = pathlib.Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
SLIDES = ROOT / "slides"
NODE_MODULES = npm_assets.NODE_MODULES
TEMPLATE_DIR = SLIDES / "template"
TEMPLATE = "rb109_reveal"
LANGS = ("he", "en")
OUT = ROOT / "build" / "slides"

# what is copied from each npm package into the build (tools/npm_assets.py says which parts)
SHIPPED = {name: npm_assets.PACKAGES[name] for name in ("reveal.js", "mathjax")}
OWN_FILES = ("slides.css", "fit.js")   # from slides/, next to the pages
MATHJAX_SCRIPT = "mathjax/" + npm_assets.MATHJAX_ENTRY

# [![Open In Colab](https://.../colab-badge.svg)](https://colab...)  and a bare remote ![...](http...)
BADGE = re.compile(r"\[!\[[^\]]*\]\((?:https?:)?//[^)]*\)\]\([^)]*\)[ \t]*\n?")
REMOTE_IMAGE = re.compile(r"!\[[^\]]*\]\((?:https?:)?//[^)]*\)")


def drop_remote_images(markdown: str) -> str:
    """The markdown without images loaded from elsewhere (the Colab badge and its link)."""
    return REMOTE_IMAGE.sub("", BADGE.sub("", markdown))


def check_packages() -> None:
    npm_assets.check_packages(SHIPPED, "slides")


def ship_assets(out: pathlib.Path) -> None:
    """Copy reveal.js, MathJax and our CSS next to the pages (replacing an older copy)."""
    for package in SHIPPED:
        npm_assets.copy_package(package, out / package)
    for name in OWN_FILES:
        shutil.copy2(SLIDES / name, out / name)


def exporter():
    from nbconvert import SlidesExporter

    return SlidesExporter(
        template_name=TEMPLATE,
        extra_template_basedirs=[str(TEMPLATE_DIR)],
        reveal_url_prefix="../reveal.js",
        reveal_scroll=False,
        exclude_input_prompt=False,
    )


def build_one(exp, path: pathlib.Path, lang: str, out: pathlib.Path) -> pathlib.Path:
    import nbformat

    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = drop_remote_images(cell.source)
    resources = {
        "metadata": {"name": path.stem},
        "rb109": {
            "lang": lang,
            "rtl": lang == "he",
            "mathjax_url": "../" + MATHJAX_SCRIPT,
            "css_url": "../slides.css",
            "fit_url": "../fit.js",
        },
    }
    body, _ = exp.from_notebook_node(nb, resources=resources)
    dest = out / lang / f"{path.stem}.html"
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_text(body, encoding="utf-8")
    return dest


def build(out: pathlib.Path = OUT, lessons: list[str] | None = None) -> list[pathlib.Path]:
    check_packages()
    out.mkdir(parents=True, exist_ok=True)
    ship_assets(out)
    exp = exporter()
    written = []
    for lang in LANGS:
        for path in sorted((NOTEBOOKS / lang).glob("*.ipynb")):
            if lessons and path.stem not in lessons:
                continue
            written.append(build_one(exp, path, lang, out))
    return written


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=pathlib.Path, default=OUT)
    ap.add_argument("--lessons", default="", help="comma-separated lesson names (default: all)")
    args = ap.parse_args(argv)
    written = build(args.out, [s for s in args.lessons.split(",") if s] or None)
    print(f"slides: {len(written)} pages in {args.out} (open {args.out}/he/00_start_here.html)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
