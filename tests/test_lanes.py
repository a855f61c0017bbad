"""tools/lanes.py runs `make test`'s parts side by side: real subprocesses, real timing file."""
from __future__ import annotations

import json
import re
import subprocess
import sys

from tests.nbtools import ROOT


def run_lanes(tmp_path, *lanes: list[str]):
    out = tmp_path / "lanes.json"
    args = [sys.executable, "-m", "tools.lanes", "--out", str(out), "--log-dir", str(tmp_path / "logs")]
    for lane in lanes:
        args += ["--lane", *lane]
    proc = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=60)
    return proc, json.loads(out.read_text(encoding="utf-8"))


def test_lanes_run_side_by_side_and_each_lane_in_order(tmp_path):
    stamp = tmp_path / "order"
    proc, report = run_lanes(
        tmp_path,
        ["slow", f"sleep 1.5; echo slow-done >> {stamp}"],
        ["two steps", f"echo first >> {stamp}", f"echo second >> {stamp}"],
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    # the second lane ran both its commands, in order, while the first was still sleeping
    assert stamp.read_text().split() == ["first", "second", "slow-done"]
    assert report["wall_s"] >= 1.4, report                      # the lanes' total includes the slow lane
    assert [lane["lane"] for lane in report["lanes"]] == ["slow", "two steps"]
    assert [len(lane["commands"]) for lane in report["lanes"]] == [1, 2]
    assert report["lanes"][0]["commands"][0]["wall_s"] >= 1.4
    assert all(c["exit"] == 0 and c["cpu_s"] >= 0 for lane in report["lanes"] for c in lane["commands"])


def test_each_lane_output_is_printed_whole_under_its_header(tmp_path):
    proc, _ = run_lanes(
        tmp_path,
        ["alpha", "for i in 1 2 3; do echo alpha-$i; sleep 0.2; done"],
        ["beta", "for i in 1 2 3; do echo beta-$i; sleep 0.2; done"],
    )
    text = proc.stdout
    for name in ("alpha", "beta"):
        block = re.search(rf"==== lane \d: {name}: passed in \d+ s .*====\n((?:.*\n)*?)(?:\n====|$)", text)
        assert block, text
        assert [line for line in block.group(1).splitlines() if line] == [f"{name}-{i}" for i in (1, 2, 3)], text


def test_a_failing_command_stops_its_lane_not_the_others_and_fails_the_run(tmp_path):
    stamp = tmp_path / "ran"
    proc, report = run_lanes(
        tmp_path,
        ["breaks", "echo before; exit 3", f"echo never >> {stamp}"],
        ["goes on", "sleep 0.3", f"echo after >> {stamp}"],
    )
    assert proc.returncode == 1
    assert stamp.read_text().split() == ["after"]            # the failing lane's second command never ran
    breaks = report["lanes"][0]
    assert breaks["ok"] is False and [c["exit"] for c in breaks["commands"]] == [3]
    assert report["lanes"][1]["ok"] is True
    assert "==== lane 1: breaks: FAILED" in proc.stdout and "before" in proc.stdout


def test_a_lane_without_a_command_is_refused(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "tools.lanes", "--out", str(tmp_path / "x.json"), "--log-dir", str(tmp_path),
                           "--lane", "empty"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "has no command" in proc.stderr


def test_make_test_runs_its_pytest_parts_in_lanes():
    """The Makefile's test recipe: the CPU-bound pytest part and the browser module in separate lanes."""
    text = (ROOT / "Makefile").read_text(encoding="utf-8").replace("\\\n", " ")
    recipe = re.search(r"^test:.*\n((?:\t.*\n)+)", text, re.M).group(1)
    assert "-m tools.lanes" in recipe
    lanes = re.split(r"--lane ", recipe)[1:]
    assert len(lanes) == 3, lanes
    assert "-m pytest -n 2" in lanes[0] and "test_browser.py" not in lanes[0]
    assert "tests/test_browser.py" in lanes[1]
    assert "test_slides_browser.py" in lanes[2] and "test-colab" in lanes[2]


def test_the_machine_is_recorded_beside_the_lanes(tmp_path):
    """All processes' CPU time while the lanes ran (at least the lanes' own) and the speed probe's two
    readings are in the report and in the printed summary."""
    # CPU time, not a count of turns: a fixed count took 0.15 CPU-s on a faster CPU, under the 0.2 asserted
    burn = f'{sys.executable} -c "import time\nwhile time.process_time() < 0.4: pass"'
    proc, report = run_lanes(tmp_path, ["burn", burn], ["burn too", burn])
    assert proc.returncode == 0, proc.stdout + proc.stderr
    machine = report["machine"]
    own = sum(c["cpu_s"] for lane in report["lanes"] for c in lane["commands"])
    assert own > 0.2 and machine["lanes_cpu_s"] == round(own, 1), report
    assert machine["busy_cpu_s"] >= 0.9 * own, report          # /proc/stat counts every process, theirs too
    assert machine["busy_cpu_s"] <= machine["cores"] * report["wall_s"] + 1, report
    assert 0 < machine["probe_before_s"] < 30 and 0 < machine["probe_after_s"] < 30, report
    assert re.search(r"machine: all processes used \d+ CPU-s of \d+ cores x \d+ s, the lanes' own process "
                     r"trees \d+; a fixed loop took \d+ ms before, \d+ ms after", proc.stdout), proc.stdout
