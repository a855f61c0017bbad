"""Where a pytest run's time goes: an opt-in plugin and its report (docs/test-time.md was made with it).

    .venv/bin/python -m pytest -n 2 --dist loadfile -m "not browser" -p tests.timing --timing-out /tmp/t.jsonl
    .venv/bin/python -m tests.timing /tmp/t.jsonl

The plugin appends one JSON line per test phase (setup, call, teardown): node id, worker, start,
stop, duration. Under pytest-xdist it records on the controller, which sees every worker's reports.
The report gives the run's wall time, each worker's busy time and when it went idle, the time per
test file (all nbval cells of a notebook count as one file, with the items tests/nbchecked.py inserts:
the exercise checks and the student copy's cells, also summed apart), and the slowest items.
"""
from __future__ import annotations

import collections
import json
import sys


def pytest_addoption(parser):
    parser.getgroup("timing").addoption("--timing-out", default=None,
                                        help="append each test phase's timing to this JSON-lines file")


_out = []          # the open timing file, on the process that records (controller or plain run)


def pytest_configure(config):
    path = config.getoption("timing_out", None)
    if path and not hasattr(config, "workerinput"):          # not on an xdist worker
        _out.append(open(path, "a", encoding="utf-8"))


def pytest_unconfigure(config):
    while _out:
        _out.pop().close()


def pytest_runtest_logreport(report):
    if not _out:
        return
    node = getattr(report, "node", None)
    worker = getattr(getattr(node, "gateway", None), "id", None) or "main"
    _out[0].write(json.dumps({"id": report.nodeid, "when": report.when, "start": report.start, "stop": report.stop,
                              "dur": report.duration, "worker": worker, "outcome": report.outcome}) + "\n")


def scope(nodeid: str) -> str:
    return nodeid.split("::", 1)[0]


def report(rows: list[dict], top: int = 25) -> str:
    if any(r["worker"] != "main" for r in rows):   # a plugin on the workers too would count twice
        rows = [r for r in rows if r["worker"] != "main"]
    if not rows:
        return "no timings recorded"
    t0, t1 = min(r["start"] for r in rows), max(r["stop"] for r in rows)
    busy, last, per_file, per_item = (collections.defaultdict(float) for _ in range(4))
    for r in rows:
        busy[r["worker"]] += r["dur"]
        last[r["worker"]] = max(last[r["worker"]], r["stop"] - t0)
        per_file[scope(r["id"])] += r["dur"]
        per_item[r["id"]] += r["dur"]
    total = sum(busy.values())
    lines = [f"wall {t1 - t0:.0f} s; busy {total:.0f} s over {len(busy)} worker(s)"]
    lines += [f"  {w}: busy {b:.0f} s, last test ended at {last[w]:.0f} s" for w, b in sorted(busy.items())]
    groups = collections.defaultdict(float)
    for f, d in per_file.items():
        groups["lessons (nbval, exercise checks, student copy)" if f.endswith(".ipynb") else f] += d
    inserted = {kind: sum(d for i, d in per_item.items() if ".ipynb::" in i and marker(i))
                for kind, marker in (("exercise checks", lambda i: " exercise " in i),
                                     ("student-copy cells", lambda i: " student copy" in i or " answers-flag " in i))}
    lines.append("per test file (notebooks grouped):")
    lines += [f"  {d:7.1f} s {100 * d / total:5.1f} %  {k}" for k, d in sorted(groups.items(), key=lambda x: -x[1])[:top]]
    if any(inserted.values()):
        lines.append("  of the lessons' time, inserted items: "
                     + ", ".join(f"{k} {d:.1f} s" for k, d in inserted.items()))
    lines.append("slowest notebooks and items:")
    nbs = sorted(((d, f) for f, d in per_file.items() if ".ipynb" in f), reverse=True)[:8]
    lines += [f"  {d:7.1f} s  {f}" for d, f in nbs]
    lines += [f"  {d:7.1f} s  {i}" for d, i in sorted(((d, i) for i, d in per_item.items()), reverse=True)[:top]
              if ".ipynb" not in i]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m tests.timing TIMINGS.jsonl", file=sys.stderr)
        return 2
    try:
        with open(argv[0], encoding="utf-8") as f:
            rows = [json.loads(line) for line in f if line.strip()]
    except (OSError, ValueError) as e:
        print(f"cannot read the timings: {e}", file=sys.stderr)
        return 1
    print(report(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
