"""lessonlib.widgets is a package: small modules, the same public names, shipped by a wheel.

One module per widget plus the shared pieces (tests/test_widgets.py drives the widgets
themselves). A module you can read in one sitting: none is longer than MAX_LINES.
"""
import ast
import json
import os
import pathlib
import shutil
import subprocess
import sys
import textwrap
import tomllib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
PKG = ROOT / "lessonlib" / "widgets"
MAX_LINES = 400

# what the lessons, tests and tools use from lessonlib.widgets
PUBLIC = [
    "step_debugger", "optimizer_explorer", "landscape_explorer", "learned_explorer",
    "StepDebugger", "OptimizerExplorer", "LandscapeExplorer", "LearnedExplorer",
    "epoch_orders", "replay_drift_epoch", "line_mse_and_grad", "first_layer_kinks", "second_layer_kinks",
    "prose_html", "DPI", "REPLAY_RTOL", "REPLAY_ATOL",
]
# the shared helpers a new widget module (e.g. the graph widget) builds on
SHARED = ["_frame", "_row", "_html", "_button", "_toggle", "_plain", "_png_img", "_lr_slider", "_scroll_table",
          "_num", "_fmt", "_CELL", "_GAP", "_STYLE", "DPI"]


def modules() -> list[pathlib.Path]:
    return sorted(PKG.glob("*.py"))


def test_widgets_is_a_package_of_small_modules():
    assert (PKG / "__init__.py").is_file(), "lessonlib/widgets/ must be a package"
    assert not (ROOT / "lessonlib" / "widgets.py").exists(), "widgets.py and widgets/ both exist"
    assert len(modules()) >= 5, [p.name for p in modules()]      # one per widget (4) + shared pieces
    too_long = {p.name: n for p in modules() if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not too_long, f"modules longer than {MAX_LINES} lines: {too_long}"


def test_package_has_no_subpackages_left_unshipped():
    """Every package directory under lessonlib/ is named in pyproject.toml (a non-editable install ships only those)."""
    with open(ROOT / "pyproject.toml", "rb") as f:
        listed = set(tomllib.load(f)["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "lessonlib").rglob("__init__.py")}
    assert found <= listed, f"packages missing from pyproject.toml: {sorted(found - listed)}"


def test_public_names_importable():
    from lessonlib import widgets
    missing = [name for name in PUBLIC if not hasattr(widgets, name)]
    assert not missing, missing
    assert set(PUBLIC) <= set(widgets.__all__)
    assert len(widgets.__all__) == len(set(widgets.__all__))
    for name in widgets.__all__:
        assert not name.startswith("_")
        assert getattr(widgets, name) is not None
    from lessonlib.widgets import LandscapeExplorer, step_debugger    # as the lessons import them
    assert callable(step_debugger) and isinstance(LandscapeExplorer, type)
    assert widgets.step_debugger.__module__.startswith("lessonlib.widgets.")


def test_factories_and_classes_are_not_shadowed_by_modules():
    """No module shares its name with a public name (`widgets.step_debugger` stays the function)."""
    from lessonlib import widgets
    assert not {p.stem for p in modules()} & set(widgets.__all__)


def test_shared_helpers_importable_for_new_widgets():
    from lessonlib.widgets import _common
    missing = [name for name in SHARED if not hasattr(_common, name)]
    assert not missing, missing


def test_widget_modules_do_not_import_each_other():
    """Each widget module depends on the shared modules only, so a new widget is one new module."""
    widget_modules = {p.stem for p in modules() if not p.stem.startswith("_")}
    for path in modules():
        if path.stem.startswith("_"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                names = [node.module] if node.module else [a.name for a in node.names]
                assert not set(names) & widget_modules, f"{path.name} imports {names}"


def test_lazy_import_loads_the_package():
    code = textwrap.dedent("""
        import json, sys
        import lessonlib
        before = "ipywidgets" in sys.modules
        w = lessonlib.widgets
        print(json.dumps({"before": before, "after": "ipywidgets" in sys.modules,
                          "path": list(getattr(w, "__path__", [])), "fn": w.step_debugger.__name__}))
    """)
    env = dict(os.environ, OMP_NUM_THREADS="1", MPLBACKEND="Agg")
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert not out["before"] and out["after"]
    assert out["path"], "lessonlib.widgets is not a package"
    assert out["fn"] == "step_debugger"


@pytest.mark.slow
def test_wheel_ships_the_package_and_the_explorer_data(tmp_path):
    """A non-editable install (a built wheel) has every widgets module, and the explorer finds its data."""
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(ROOT / "pyproject.toml", src)
    shutil.copy(ROOT / "README.md", src)
    shutil.copytree(ROOT / "lessonlib", src / "lessonlib", ignore=shutil.ignore_patterns("__pycache__"))
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    build = subprocess.run(pip + ["wheel", str(src), "--no-deps", "--no-build-isolation", "-w", str(tmp_path / "dist")],
                           capture_output=True, text=True, timeout=600)
    assert build.returncode == 0, build.stderr[-3000:]
    wheel, = (tmp_path / "dist").glob("lessonlib-*.whl")
    site = tmp_path / "site"
    install = subprocess.run(pip + ["install", "--no-deps", "--no-index", "--target", str(site), str(wheel)],
                             capture_output=True, text=True, timeout=600)
    assert install.returncode == 0, install.stderr[-3000:]
    code = textwrap.dedent("""
        import json, pathlib
        import lessonlib
        from lessonlib import widgets
        ctl = widgets.OptimizerExplorer(lr=0.01, optimizer="adam", epochs=20)
        print(json.dumps({"lessonlib": lessonlib.__file__, "widgets": widgets.__file__,
                          "modules": sorted(p.name for p in pathlib.Path(widgets.__file__).parent.glob("*.py")),
                          "source": ctl.source}))
    """)
    env = dict(os.environ, OMP_NUM_THREADS="1", MPLBACKEND="Agg", PYTHONPATH=str(site))
    proc = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert pathlib.Path(out["widgets"]).is_relative_to(site), out["widgets"]
    assert out["modules"] == [p.name for p in modules()]
    assert out["source"] == "fit", "the installed explorer did not find explorer_grid.npz"
