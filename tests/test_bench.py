"""`make bench` writes docs/benchmarks.md (tools/bench.py). Here its quick smoke mode runs for real and the
report's structure is checked: every section, a baseline per table, ratios that are finite and equal
median / baseline, the make-test commands read from the Makefile. Timings are not checked."""
from __future__ import annotations

import math
import os
import re
import shlex
import subprocess
import sys

import pytest

from tests.nbtools import ROOT

# the report's sections, in order (written here, not imported from tools/bench.py)
SECTIONS = [
    "Machine",
    "Goals",
    "Step debugger: a click with redraw",
    "Optimizer explorer: a re-train with redraw",
    "The explorer against fit() on its slider grid",
    "fit() against the original loop",
    "Threads: torch.set_num_threads(1) against 2",
    "Run All per lesson, on one core",
    "make test, part by part",
]
RATIO_HEADER = "| what | median, ms | n | ratio to baseline | goal | meets goal | note |"


def sections(report: str) -> dict[str, str]:
    parts = re.split(r"^## (.+)$", report, flags=re.M)
    return {parts[i].strip(): parts[i + 1] for i in range(1, len(parts), 2)}


def table(body: str) -> list[list[str]]:
    """The rows of the section's ratio table (header and rule left out), cells stripped."""
    lines = body.splitlines()
    assert RATIO_HEADER in lines, "no ratio table"
    start = lines.index(RATIO_HEADER) + 2
    rows = []
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        cells = [c.strip() for c in re.split(r"(?<!\\)\|", line)[1:-1]]
        rows.append(cells)
    return rows


def makefile_test_commands() -> list[str]:
    """The recipe lines of the Makefile's `test` target, $(BIN) and $(MAKE) lines as written."""
    lines = (ROOT / "Makefile").read_text(encoding="utf-8").replace("\\\n", " ").splitlines()   # continuations
    start = next(i for i, line in enumerate(lines) if re.match(r"^test\s*:", line))
    out = []
    for line in lines[start + 1:]:
        if not line.startswith("\t"):
            break
        out.append(line.strip())
    return out


@pytest.fixture(scope="module")
def smoke(tmp_path_factory):
    out = tmp_path_factory.mktemp("bench") / "bench.md"
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    run = subprocess.run([sys.executable, "-m", "tools.bench", "--quick", "--out", str(out)], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stderr[-3000:]
    assert "Traceback" not in run.stderr, run.stderr[-3000:]
    return out.read_text(encoding="utf-8")


@pytest.mark.slow
def test_smoke_report_has_every_section_in_order(smoke):
    assert smoke.startswith("# Benchmarks\n")
    assert list(sections(smoke)) == SECTIONS
    assert "QUICK smoke mode" in sections(smoke)["Machine"]


@pytest.mark.slow
def test_machine_section_describes_the_machine(smoke):
    machine = sections(smoke)["Machine"]
    for what in ("CPU:", "cores", "Python 3.", "torch 2.", "OMP_NUM_THREADS=", "intra-op threads", "Load:"):
        assert what in machine, f"the machine section does not say {what!r}"
    assert re.search(r"\d+ cores", machine)
    assert re.search(r"other processes used \d+%|CPU use unknown", machine)


def check_ratios(report: str) -> None:
    for title in SECTIONS[2:]:
        rows = table(sections(report)[title])
        assert len(rows) >= 2, f"{title}: a baseline and at least one figure expected"
        base = rows[0]
        assert base[0].startswith("baseline: "), f"{title}: the first row must be the baseline"
        assert base[3] == "1"
        base_ms = float(base[1])
        assert base_ms > 0 and math.isfinite(base_ms) and int(base[2]) >= 1
        for row in rows[1:]:
            median, n, ratio = float(row[1]), int(row[2]), float(row[3])
            assert math.isfinite(median) and median > 0 and n >= 1, f"{title}: {row}"
            assert math.isfinite(ratio), f"{title}: {row}"
            # 4 significant digits each: the displayed ratio equals displayed median / baseline to 0.2%
            assert ratio == pytest.approx(median / base_ms, rel=2e-3), f"{title}: {row[0]}: {ratio} != {median} / {base_ms}"


@pytest.mark.slow
def test_every_measured_section_has_a_baseline_and_ratios_equal_median_over_baseline(smoke):
    check_ratios(smoke)


@pytest.mark.slow
def test_goals_are_stated_and_judged(smoke):
    expected = {"Step debugger: a click with redraw": "≤ 50.0 ms",
                "Optimizer explorer: a re-train with redraw": "≤ 500 ms",
                "Run All per lesson, on one core": "≤ 10.0 s"}
    for title, goal in expected.items():
        rows = table(sections(smoke)[title])[1:]
        judged = [r for r in rows if r[4] == goal]
        assert judged, f"{title}: no row with the goal {goal}"
        for r in judged:
            assert r[5] in ("yes", "**no**", "FAILED"), r
            assert (r[5] == "yes") == (float(r[1]) <= float(goal.split()[1]) * (1000 if goal.endswith(" s") else 1)) \
                or r[5] == "FAILED", r
    goals = sections(smoke)["Goals"]
    for goal in expected.values():
        assert goal in goals


@pytest.mark.slow
def test_quick_mode_runs_one_lesson_found_by_glob(smoke):
    rows = table(sections(smoke)["Run All per lesson, on one core"])[1:]
    first = sorted((ROOT / "notebooks" / "he").glob("[0-9][0-9]_*.ipynb"))[0].stem
    assert [r[0] for r in rows] == [first]
    assert "FAILED" not in rows[0][5]


@pytest.mark.slow
def lanes_of(line: str) -> list[str]:
    """The commands of a `tools.lanes` line (each lane's commands, in order); any other line as it is."""
    words = shlex.split(line)
    if "tools.lanes" not in words:
        return [line]
    rest = words[words.index("tools.lanes") + 1:]
    out, i = [], 0
    while i < len(rest):
        if rest[i] in ("--lane", "--out"):
            i += 2          # the flag and the lane's name (or the output path)
            continue
        out.append(rest[i])
        i += 1
    return out


def test_make_test_parts_come_from_the_makefile(smoke):
    body = sections(smoke)["make test, part by part"]
    commands = [c for line in makefile_test_commands() for c in lanes_of(line)]
    assert len(commands) >= 4, commands
    pytest_lines = [c for c in commands if " -m pytest " in c]
    assert pytest_lines, "the Makefile's test target runs no pytest line"
    for line in pytest_lines:
        # as run: make's $(BIN) expanded to some .../bin, $$ to $; every pytest call of the line (up to
        # the shell's next ; or &&) is in the report
        for call in line.split(" -m pytest ")[1:]:
            args = " ".join(re.split(r";|&&|\|\||>", call, maxsplit=1)[0].split()).replace("$$", "$")
            assert re.search(r"/bin/python -m pytest " + re.escape(args), body), f"not in the report: {args}"
    if any(re.search(r"\$\(MAKE\).* test-colab$", c) for c in commands):
        assert re.search(r"make( --no-print-directory)? test-colab`", body), "the Colab-like run is listed"
    lint = [r for r in table(body)[1:] if r[0].startswith("lint: ")]
    assert any("ruff check ." in r[0] for r in lint), "quick mode runs `lint`'s commands"
    assert all(r[5] != "FAILED" for r in lint), lint
    assert "Not run in quick mode:" in body and "slides: `" in body


def test_makefile_has_bench_targets_writing_the_report_and_a_smoke_run_elsewhere():
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^BENCH_OUT\s*\?=\s*docs/benchmarks\.md\s*$", text, re.M)
    bench = re.search(r"^bench:.*\n((?:\t.*\n)+)", text, re.M).group(1)
    smoke = re.search(r"^bench-smoke:.*\n((?:\t.*\n)+)", text, re.M).group(1)
    assert "-m tools.bench" in bench and "$(BENCH_OUT)" in bench and "--quick" in bench   # QUICK=1 too
    assert "-m tools.bench --quick --out $(BENCH_SMOKE_OUT)" in smoke
    assert not re.search(r"^BENCH_SMOKE_OUT\s*\?=\s*docs/", text, re.M), "the smoke run must not overwrite docs/"



def test_committed_report_was_written_by_a_full_run():
    report = (ROOT / "docs" / "benchmarks.md").read_text(encoding="utf-8")
    assert list(sections(report)) == SECTIONS
    assert "full mode (`make bench`)" in sections(report)["Machine"]
    lessons = [r[0] for r in table(sections(report)["Run All per lesson, on one core"])[1:]]
    assert lessons == sorted(lessons) and len(lessons) >= 9
    check_ratios(report)
