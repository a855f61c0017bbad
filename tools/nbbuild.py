"""Write a lesson's two editions (notebooks/he and notebooks/en) from one Python description.

Used to create a lesson; afterwards the notebooks are the source and are edited directly
(the parity test keeps the editions in step). Conventions every lesson follows, which the
tests rely on:

* cell 0, markdown: the title and the "Open in Colab" badge (`title()`);
* cell 1, code, tag nbval-ignore-output: the Colab-only install (`colab_install()`);
* cell 2, code: `lessonlib.setup(lang=...)`, the only line that differs between editions;
* an exercise is four cells (`exercise()`): the task (markdown), the blank (code, tag
  `exercise`, with `answer = ...`, metadata lessonlib.exercise = {id, wrong_answer}), a hint
  (markdown, tag `hint`) and a hidden solution (markdown, tag `solution`, one fenced python
  block that replaces the exercise cell).

    from tools.nbbuild import Lesson
    L = Lesson("02_forward", title_he="...", title_en="...")
    L.md(he="...", en="...")
    L.code("y_hat = model(x)")
    L.exercise("02.params", task_he=..., task_en=..., code=..., solution=..., hint_he=..., hint_en=..., wrong_answer="320")
    L.write()
"""
from __future__ import annotations

import pathlib
import re
import tomllib

import nbformat

ROOT = pathlib.Path(__file__).resolve().parents[1]
RTL_OPEN = '<div dir="rtl" style="direction: rtl; text-align: right;">'
KERNELSPEC = {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}


def repo_url() -> str:
    """The one place the repository's address is written: pyproject.toml [project.urls]."""
    with open(ROOT / "pyproject.toml", "rb") as f:
        return tomllib.load(f)["project"]["urls"]["Repository"]


def colab_url(lang: str, name: str) -> str:
    path = repo_url().removeprefix("https://github.com/")
    return f"https://colab.research.google.com/github/{path}/blob/main/notebooks/{lang}/{name}.ipynb"


def badge(lang: str, name: str) -> str:
    return f"[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]({colab_url(lang, name)})"


def rtl(markdown: str) -> str:
    """Hebrew prose, wrapped so JupyterLab renders it right-to-left (blank lines keep markdown parsed)."""
    return f"{RTL_OPEN}\n\n{markdown.strip()}\n\n</div>"


def colab_install_source() -> str:
    return (
        "import sys\n"
        'if "google.colab" in sys.modules:  # Colab only; does nothing elsewhere\n'
        f'    %pip install -q "lessonlib @ git+{repo_url()}@main"'   # main; a release points it at its tag (tools/release.py)
    )


class Lesson:
    def __init__(self, name: str, title_he: str, title_en: str, intro_he: str = "", intro_en: str = ""):
        self.name = name
        self.cells: dict[str, list] = {"he": [], "en": []}
        self.md(he=f"# {title_he}\n\n{badge('he', name)}\n\n{intro_he}".strip(),
                en=f"# {title_en}\n\n{badge('en', name)}\n\n{intro_en}".strip())
        self.code(colab_install_source(), tags=["nbval-ignore-output"])
        self.code_per_language(he='import lessonlib\nlessonlib.setup(lang="he")',
                               en='import lessonlib\nlessonlib.setup(lang="en")')

    # ---- cells ----------------------------------------------------------------------------
    def md(self, he: str, en: str, tags=None, ltr_he: str = "") -> None:
        """A markdown cell in both languages; `ltr_he` is appended after the RTL block (e.g. a code block)."""
        he_src = rtl(he) + (f"\n\n{ltr_he.strip()}" if ltr_he else "")
        for lang, src in (("he", he_src), ("en", en.strip() + (f"\n\n{ltr_he.strip()}" if ltr_he else ""))):
            cell = nbformat.v4.new_markdown_cell(src)
            if tags:
                cell.metadata["tags"] = list(tags)
            self.cells[lang].append(cell)

    def code(self, source: str, tags=None, metadata=None) -> None:
        self.code_per_language(source.strip("\n"), source.strip("\n"), tags, metadata)

    def code_per_language(self, he: str, en: str, tags=None, metadata=None) -> None:
        for lang, src in (("he", he), ("en", en)):
            cell = nbformat.v4.new_code_cell(src)
            if tags:
                cell.metadata["tags"] = list(tags)
            if metadata:
                cell.metadata.update(metadata)
            self.cells[lang].append(cell)

    def exercise(self, exercise_id: str, *, task_he: str, task_en: str, code: str, solution: str,
                 hint_he: str, hint_en: str, wrong_answer: str) -> None:
        """Task, blank (must contain `answer = ...`), hint and hidden solution."""
        assert re.search(r"^answer = \.\.\.", code, re.M), "the blank must be a line `answer = ...`"
        self.md(he=task_he, en=task_en)
        self.code(code, tags=["exercise"],
                  metadata={"lessonlib": {"exercise": {"id": exercise_id, "wrong_answer": wrong_answer}}})
        self.md(he=f"<details><summary>רמז</summary>\n\n{hint_he.strip()}\n\n</details>",  # inside the RTL div
                en=f"<details><summary>Hint</summary>\n\n{hint_en.strip()}\n\n</details>", tags=["hint"])
        block = f"```python\n{solution.strip()}\n```"
        for lang, summary in (("he", '<summary dir="rtl">פתרון</summary>'), ("en", "<summary>Solution</summary>")):
            cell = nbformat.v4.new_markdown_cell(f"<details>{summary}\n\n{block}\n\n</details>")
            cell.metadata["tags"] = ["solution"]
            self.cells[lang].append(cell)

    # ---- output ------------------------------------------------------------------------------
    def write(self) -> list[pathlib.Path]:
        paths = []
        for lang in ("he", "en"):
            nb = nbformat.v4.new_notebook()
            nb.cells = self.cells[lang]
            nb.metadata["kernelspec"] = dict(KERNELSPEC)
            nb.metadata["language_info"] = {"name": "python"}
            path = ROOT / "notebooks" / lang / f"{self.name}.ipynb"
            path.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(nb, path)
            paths.append(path)
        return paths
