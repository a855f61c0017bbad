"""Is this Python ready for the course? One line per component, explained in the reader's language (lesson 00).

    checks = check_environment()          # [Check(component, ok, message), ...]
    for line in summary_lines(checks):    # "torch: OK", or the problem and how to fix it
        print(line)

The comparison is a pure function of version strings (`check_version`), so tests pass in
"1.13.1" or None (not installed) without touching the real packages. The minimums are the
ones pyproject.toml declares (tests/test_envcheck.py checks they agree).
"""
from __future__ import annotations

import importlib
import importlib.metadata
import platform
import re
from typing import NamedTuple

from .text import escape, rtl_div, t

# component -> (distribution name for pip, module name, minimum, first unsupported version or None)
REQUIREMENTS: dict[str, tuple[str, str, str, str | None]] = {
    "python": ("python", "sys", "3.10", None),
    "torch": ("torch", "torch", "2.1", None),
    "numpy": ("numpy", "numpy", "1.24", None),
    "matplotlib": ("matplotlib", "matplotlib", "3.7", None),
    "ipywidgets": ("ipywidgets", "ipywidgets", "7.6", "9"),   # Colab ships 7.7; 9 may change the API
    "python-bidi": ("python-bidi", "bidi", "0.4", None),
}


class Check(NamedTuple):
    component: str
    ok: bool
    message: str


def parse_version(version: str) -> tuple[int, ...] | None:
    """The leading numbers of a version string: "2.13.0+cpu" -> (2, 13, 0); None if there are none."""
    m = re.match(r"\s*v?(\d+(?:\.\d+)*)", str(version))
    return tuple(int(p) for p in m.group(1).split(".")) if m else None


def _at_least(version: tuple[int, ...], minimum: tuple[int, ...]) -> bool:
    n = max(len(version), len(minimum))           # (3, 10) vs (3, 9): compare numbers, not text
    return version + (0,) * (n - len(version)) >= minimum + (0,) * (n - len(minimum))


def requirement(component: str) -> str:
    """The pip requirement, e.g. 'ipywidgets>=7.6,<9'."""
    dist, _, minimum, below = REQUIREMENTS[component]
    return f"{dist}>={minimum}" + (f",<{below}" if below else "")


def check_version(component: str, version: str | None, lang: str | None = None) -> Check:
    """Compare one installed version (None: not installed) with the course's requirement."""
    _, _, minimum, below = REQUIREMENTS[component]
    values = dict(component=component, version=version, minimum=minimum, below=below,
                  requirement=requirement(component))
    if version is None:
        return Check(component, False, t("env.missing", lang, **values))
    parsed = parse_version(version)
    if parsed is None:
        return Check(component, False, t("env.unreadable", lang, **values))
    if not _at_least(parsed, parse_version(minimum)):
        key = "env.python_too_old" if component == "python" else "env.too_old"
        return Check(component, False, t(key, lang, **values))
    if below is not None and _at_least(parsed, parse_version(below)):
        return Check(component, False, t("env.too_new", lang, **values))
    key = "env.ok_range" if below else "env.ok"
    return Check(component, True, t(key, lang, **values))


def check_device(cuda_available: bool, lang: str | None = None) -> Check:
    """A GPU is welcome but never needed: the lessons' net trains in about a second on a CPU."""
    return Check("device", True, t("env.device_gpu" if cuda_available else "env.device_cpu", lang))


def installed_version(component: str) -> str | None:
    """The installed version of one of REQUIREMENTS, or None if it cannot be found."""
    dist, module, _, _ = REQUIREMENTS[component]
    if component == "python":
        return platform.python_version()
    return find_version(dist, module)


def find_version(dist: str, module: str) -> str | None:
    """pip's record of distribution `dist`, else `module.__version__`; None if neither exists."""
    try:
        return importlib.metadata.version(dist)
    except importlib.metadata.PackageNotFoundError:
        pass
    try:                                  # installed without pip metadata (rare): ask the module
        return str(getattr(importlib.import_module(module), "__version__", "unknown"))
    except ImportError:
        return None


def installed_versions() -> dict[str, str | None]:
    return {c: installed_version(c) for c in REQUIREMENTS}


def cuda_available() -> bool:
    try:
        import torch
    except ImportError:
        return False
    return bool(torch.cuda.is_available())


def check_environment(versions: dict[str, str | None] | None = None, cuda: bool | None = None,
                      lang: str | None = None) -> list[Check]:
    """One Check per component plus the device. By default reads this machine; tests pass values in."""
    versions = installed_versions() if versions is None else versions
    checks = [check_version(c, versions.get(c), lang) for c in REQUIREMENTS]
    torch_ok = checks[list(REQUIREMENTS).index("torch")].ok
    if cuda is None:
        cuda = cuda_available() if torch_ok else False
    checks.append(check_device(cuda, lang))
    return checks


def summary_lines(checks: list[Check], lang: str | None = None, details: bool = False) -> list[str]:
    """One line per check and a verdict. By default an OK is just "torch: OK", the same on every
    machine (a notebook's committed output); a problem is always explained in full.
    `details=True` gives every message with its version (differs between machines)."""
    lines = [c.message if (details or not c.ok) else t("env.short_ok", lang, component=c.component)
             for c in checks]
    problems = sum(not c.ok for c in checks)
    lines.append(t("env.all_ok", lang) if not problems else t("env.problems", lang, count=problems))
    return lines


class Report:
    """What a notebook shows: the lines as plain text, and as HTML in the reading direction."""

    def __init__(self, lines: list[str], lang: str | None = None):
        self.lines, self.lang = list(lines), lang

    def __repr__(self) -> str:
        return "\n".join(self.lines)

    def _repr_html_(self) -> str:
        return rtl_div("".join(f"<div>{escape(line)}</div>" for line in self.lines), self.lang)


def report(checks: list[Check] | None = None, details: bool = False, lang: str | None = None) -> Report:
    """`report()` in a notebook cell: the environment check, readable in the lesson's language."""
    checks = check_environment(lang=lang) if checks is None else checks
    return Report(summary_lines(checks, lang, details), lang)


def versions(checks: list[Check] | None = None, lang: str | None = None) -> Report:
    """Every component with its exact version: for a help request (differs between machines)."""
    return report(checks, details=True, lang=lang)
