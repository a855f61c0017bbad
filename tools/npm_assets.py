"""The npm packages the offline pages load, shared by the slides (tools/slides.py) and the course
site (tools/site.py).

All of them are pinned in slides/package.json and slides/package-lock.json and installed by
`npm ci` into slides/node_modules (`make slides` and `make site` do it once). A build copies the
parts it needs next to its pages, so the pages load nothing from a CDN.
"""
from __future__ import annotations

import pathlib
import shutil

ROOT = pathlib.Path(__file__).resolve().parents[1]
NPM_DIR = ROOT / "slides"
NODE_MODULES = NPM_DIR / "node_modules"

# what is copied from each npm package: paths or glob patterns relative to the package
PACKAGES: dict[str, list[str]] = {
    "reveal.js": ["dist", "plugin/notes", "LICENSE"],
    "mathjax": ["es5", "LICENSE"],
    # the standalone widget renderer (no require.js) and the icon fonts its CSS loads next to it;
    # not the source maps or the AMD build
    "@jupyter-widgets/html-manager": ["dist/embed.js", "dist/embed.js.LICENSE.txt", "dist/*.woff2", "dist/*.woff",
                                      "dist/*.ttf", "dist/*.eot", "dist/*.svg", "package.json"],
}
# MathJax 3 (TeX input, CommonHTML output, every extension): the script a page loads, relative
# to the folder the mathjax package is copied to
MATHJAX_ENTRY = "es5/tex-chtml-full.js"
HTML_MANAGER_ENTRY = "dist/embed.js"


def check_packages(names, target: str) -> None:
    """A clear message (not a traceback) when `npm ci` has not run."""
    missing = [name for name in names if not (NODE_MODULES / name / "package.json").exists()]
    if missing:
        raise SystemExit(f"{target}: {', '.join(missing)} not installed in {NODE_MODULES}; "
                         f"run `npm ci --prefix slides` (needs node and npm) or `make {target}`")


def copy_package(package: str, dest_root: pathlib.Path) -> None:
    """Copy PACKAGES[package]'s parts to dest_root (replacing an older copy)."""
    if dest_root.exists():
        shutil.rmtree(dest_root)
    src_root = NODE_MODULES / package
    for part in PACKAGES[package]:
        sources = sorted(src_root.glob(part)) if any(c in part for c in "*?[") else [src_root / part]
        for src in sources:
            dest = dest_root / src.relative_to(src_root)
            dest.parent.mkdir(parents=True, exist_ok=True)
            if src.is_dir():
                shutil.copytree(src, dest)
            else:
                shutil.copy2(src, dest)
