"""tools/arithmetic.py: the committed numbers are exact on the machine kind that wrote them, and on
another CPU's float32 arithmetic the tests check what holds there (the module's docstring says why)."""
import json
import os
import re
import subprocess
import sys

import nbformat
import pytest

from lessonlib import explorer_grid
from tests.nbchecked import is_lesson
from tests.nbtools import LANGS, NOTEBOOKS, ROOT
from tools import arithmetic


def test_the_recorded_fingerprint_is_the_explorer_grids_own_runs():
    """The grid and the recorded fingerprint come from one machine kind: the grid's runs at the fingerprint's
    setting are the recorded losses bit for bit (on any machine: both are files)."""
    recorded = arithmetic.recorded()["fingerprint"]
    assert list(recorded) == list(arithmetic.OPTIMIZERS)
    for name in arithmetic.OPTIMIZERS:
        h = explorer_grid.lookup(name, arithmetic.LR, arithmetic.EPOCHS)
        assert recorded[name] == {"train_loss": list(h.train_loss), "val_loss": list(h.val_loss)}, name


def test_the_fingerprint_is_this_machines_fit_and_decides_the_check(monkeypatch):
    live = arithmetic.fingerprint()
    assert list(live) == list(arithmetic.OPTIMIZERS)
    assert all(len(v["train_loss"]) == len(v["val_loss"]) >= 1 for v in live.values())
    assert arithmetic.fingerprint() == live                                  # deterministic on one machine
    arithmetic.same_as_reference.cache_clear()
    try:
        monkeypatch.delenv("RB109_ARITHMETIC", raising=False)
        assert arithmetic.same_as_reference() == (live == arithmetic.recorded()["fingerprint"])
        for forced, want in (("same", True), ("other", False)):
            arithmetic.same_as_reference.cache_clear()
            monkeypatch.setenv("RB109_ARITHMETIC", forced)
            assert arithmetic.same_as_reference() is want
    finally:
        arithmetic.same_as_reference.cache_clear()


def test_write_records_this_machine(tmp_path, monkeypatch):
    monkeypatch.setattr(arithmetic, "PATH", tmp_path / "a.json")
    arithmetic.write("a test CPU")
    got = json.loads((tmp_path / "a.json").read_text())
    assert got == {"machine": "a test CPU", "fingerprint": arithmetic.fingerprint()}


@pytest.mark.parametrize("a,b", [
    ("diverging loss 1.0738e+18", "diverging loss 1.7934e+20"),
    ("equal: 295 of 321 numbers, largest difference: 0.9866 eps", "equal: 293 of 321 numbers, largest difference: 0.8595 eps"),
    ("סטייה: <bdi dir='ltr'>−3.25</bdi>", "סטייה: <bdi dir='ltr'>-0.5</bdi>"),
    ("error: 0.0001%", "error: 0.0002%"),
    ("w = .5, loss 1,234.5", "w = .25, loss 7.0"),
])
def test_masking_hides_the_numbers_only(a, b):
    assert a != b and arithmetic.mask_numbers(a) == arithmetic.mask_numbers(b)


@pytest.mark.parametrize("a,b", [
    ("the run diverged at epoch 2", "the run did not diverge in 2 epochs"),       # a verdict
    ("loss 1.5", "loss 1.5 2.5"),                                                  # how many numbers
    ("sgd 3.25", "adam 3.25"),
])
def test_masking_keeps_the_words_and_the_count_of_numbers(a, b):
    assert arithmetic.mask_numbers(a) != arithmetic.mask_numbers(b)


def _tagged(path):
    nb = nbformat.read(path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    return [k for k, c in enumerate(code) if arithmetic.TAG in c.metadata.get("tags", [])], code


def test_cells_whose_numbers_vary_by_cpu_are_tagged_alike_in_both_editions_and_print_numbers():
    found = {}
    for lang in LANGS:
        for path in sorted((NOTEBOOKS / lang).glob("*.ipynb")):
            tagged, code = _tagged(path)
            found[(lang, path.name)] = tagged
            for k in tagged:
                assert is_lesson(path), f"{path}: tagged cells are masked only where nbval runs the lessons' way"
                printed = json.dumps(code[k].outputs, ensure_ascii=False)
                assert arithmetic.mask_numbers(printed) != printed, f"{path} cell {k}: prints no number"
                assert "nbval-ignore-output" not in code[k].metadata.get("tags", []), f"{path} cell {k}"
    names = {name for _, name in found}
    for name in names:
        assert found[("he", name)] == found[("en", name)], name
    # the cells seen to differ between the AMD EPYC and the Intel Xeon (2026-12-02)
    assert {n: found[("en", n)] for n in names if found[("en", n)]} == {
        "06_step.ipynb": [4, 10, 12, 20, 21], "07_full_training_loop.ipynb": [7, 11], "08_break_it.ipynb": [12, 18]}


NB_OUTPUT = "loss 1.25 after 3 steps\n"


def _notebook(path, printed):
    """A notebook of one tagged cell that committed NB_OUTPUT and now prints `printed`."""
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell(f"print({printed!r})", metadata={"tags": [arithmetic.TAG]})
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=NB_OUTPUT)]
    cell.execution_count = 1
    nb.cells = [cell]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


def _nbval(paths, forced):
    """Real nbval over the notebooks, with this project's collection (tests/nbchecked.py): each one's result."""
    env = dict(os.environ, RB109_ARITHMETIC=forced)
    got = subprocess.run([sys.executable, "-m", "pytest", "-p", "tests.nbchecked", "--nbval", "-o", "addopts=",
                          "-p", "no:cacheprovider", "-rA", "-q", *map(str, paths)], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=300)
    lines = got.stdout.splitlines()
    results = {p.name: [w for w in ("PASSED", "FAILED") for line in lines
                        if re.match(rf"{w} (\S*/)?{re.escape(p.name)}::Cell 0( - |$)", line)] for p in paths}
    return results, got.stdout + got.stderr


@pytest.mark.slow
def test_nbval_masks_a_tagged_cells_numbers_only_on_another_arithmetic(tmp_path):
    """Real nbval runs of a tagged cell: a changed number fails on the recording arithmetic and passes on
    another one; the committed output passes on the recording one; a changed word fails on another."""
    same = _notebook(tmp_path / "same.ipynb", "loss 1.25 after 3 steps")
    number = _notebook(tmp_path / "number.ipynb", "loss 1.2500001 after 3 steps")
    word = _notebook(tmp_path / "word.ipynb", "loss 1.25 after 3 epochs")
    results, out = _nbval([same, number], "same")
    assert results == {"same.ipynb": ["PASSED"], "number.ipynb": ["FAILED"]}, out
    assert "1.2500001" in out
    results, out = _nbval([number, word], "other")
    assert results == {"number.ipynb": ["PASSED"], "word.ipynb": ["FAILED"]}, out
    assert "epochs" in out
