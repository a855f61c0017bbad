"""tests/timing.py: the report of where a pytest run's time went (docs/test-time.md)."""
import json
import os
import subprocess
import sys

from tests import timing
from tests.nbtools import ROOT


def row(nodeid, worker, start, stop):
    return {"id": nodeid, "when": "call", "start": start, "stop": stop, "dur": stop - start, "worker": worker,
            "outcome": "passed"}


def test_report_groups_notebooks_and_finds_the_idle_worker():
    rows = [row("tests/test_a.py::test_x", "gw0", 0, 10), row("tests/test_a.py::test_y", "gw0", 10, 30),
            row("notebooks/he/01.ipynb::Cell 0", "gw1", 0, 5), row("notebooks/he/01.ipynb::Cell 1", "gw1", 5, 8),
            row("notebooks/he/01.ipynb::Cell 1 student copy", "gw1", 8, 11),
            row("notebooks/he/01.ipynb::Cell 1 exercise 01.x", "gw1", 11, 12),
            row("tests/test_a.py::test_x", "main", 0, 10)]          # a worker's own copy: not counted twice
    text = timing.report(rows)
    assert text.splitlines()[0] == "wall 30 s; busy 42 s over 2 worker(s)"
    assert "gw0: busy 30 s, last test ended at 30 s" in text
    assert "gw1: busy 12 s, last test ended at 12 s" in text
    assert "30.0 s  71.4 %  tests/test_a.py" in text
    assert "12.0 s  28.6 %  lessons (nbval, exercise checks, student copy)" in text
    assert "inserted items: exercise checks 1.0 s, student-copy cells 3.0 s" in text


def test_plugin_records_a_run(tmp_path):
    (tmp_path / "test_one.py").write_text("def test_ok():\n    pass\n")
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    out = tmp_path / "t.jsonl"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    proc = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "tests.timing",
                           "--timing-out", str(out), "test_one.py"], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["when"] for r in rows] == ["setup", "call", "teardown"]
    assert rows[0]["id"] == "test_one.py::test_ok" and rows[0]["worker"] == "main"


def test_bad_file_is_a_clear_message(tmp_path, capsys):
    assert timing.main([str(tmp_path / "missing.jsonl")]) == 1
    assert "cannot read the timings" in capsys.readouterr().err
    assert timing.main([]) == 2
