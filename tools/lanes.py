"""Run `make test`'s parts in lanes: the lanes side by side, the commands of one lane one after another.

    python -m tools.lanes --out build/test-lanes.json [--log-dir build] \\
        --lane "unit and notebook tests" "python -m pytest -n 2 -m 'not browser'" \\
        --lane "browser" "python -m pytest -m browser tests/test_browser.py" "..."

Why lanes: on the course machines (2 cores) the browser tests keep less than one core busy (they wait
on JupyterLab and Chromium's one renderer thread), so they run beside the CPU-bound pytest part
instead of after it (docs/benchmarks.md, "make test, part by part").

Each lane's output goes to build/test-lane-<n>.log while it runs and is printed whole, under a
header, when the lane ends: CI's log reads lane by lane, never interleaved. A lane stops at its
first failing command; the other lanes go on, so one run reports every failure. The exit code is
0 only if every command of every lane passed. `--out` records each command's wall time and CPU time
(user + system of its whole process tree, from wait4), read by `make bench` (tools/bench.py).

It also records the machine: the CPU time all its processes used while the lanes ran (from /proc/stat;
more than the lanes' own trees: Chromium's renderers are not children anyone waits for, and whatever
else runs counts too), and how long a fixed pure-Python loop took just before and just after. On the
course machines that loop's time varied by 1.8x within one day and a second busy core adds only about
0.6 of a core, so a `make test` time means little without them (docs/test-time.md).
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_lane(index: int, name: str, commands: list[str], log_dir: Path, results: list, print_lock) -> None:
    log = log_dir / f"test-lane-{index}.log"
    start = time.monotonic()
    record = {"lane": name, "commands": [], "ok": True}
    with log.open("w", encoding="utf-8") as out:
        for command in commands:
            t0 = time.monotonic()
            proc = subprocess.Popen(["bash", "-c", command], cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
            _, status, usage = os.wait4(proc.pid, 0)
            proc.returncode = os.waitstatus_to_exitcode(status)
            entry = {"command": command, "exit": proc.returncode, "wall_s": round(time.monotonic() - t0, 1),
                     "cpu_s": round(usage.ru_utime + usage.ru_stime, 1)}
            record["commands"].append(entry)
            if proc.returncode != 0:
                record["ok"] = False
                break
    record["wall_s"] = round(time.monotonic() - start, 1)
    results[index] = record
    with print_lock:
        verdict = "passed" if record["ok"] else "FAILED"
        print(f"\n==== lane {index + 1}: {name}: {verdict} in {record['wall_s']:.0f} s ({log.relative_to(ROOT) if log.is_relative_to(ROOT) else log}) ====",
              flush=True)
        sys.stdout.write(log.read_text(encoding="utf-8", errors="replace"))
        sys.stdout.flush()


PROBE_LOOPS = 2_000_000


def speed_probe(tries: int = 3) -> float:
    """Seconds for PROBE_LOOPS turns of a fixed pure-Python loop, the least of `tries`: how fast one
    core of this machine is right now (80-90 ms on a course machine in a quick hour)."""
    best = float("inf")
    for _ in range(tries):
        t0, acc = time.perf_counter(), 0
        for i in range(PROBE_LOOPS):
            acc += i * i
        best = min(best, time.perf_counter() - t0)
    return best


def machine_cpu_s() -> float | None:
    """CPU seconds all processes have used since boot (user, nice, system, irq, softirq, steal), or None."""
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()
    except (OSError, IndexError):
        return None
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(x) for x in fields[1:9])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--lane", nargs="+", action="append", required=True, metavar=("NAME", "COMMAND"),
                    help="a lane: its name, then its commands, run in order")
    ap.add_argument("--out", default="build/test-lanes.json", help="where each command's times are written")
    ap.add_argument("--log-dir", default="build", help="where each lane's output is written while it runs")
    args = ap.parse_args(argv)
    for lane in args.lane:
        if len(lane) < 2:
            ap.error(f"lane {lane[0]!r} has no command")
    log_dir = Path(args.log_dir)
    log_dir = log_dir if log_dir.is_absolute() else ROOT / log_dir
    log_dir.mkdir(parents=True, exist_ok=True)
    results: list = [None] * len(args.lane)
    lock = threading.Lock()
    probe_before = speed_probe()
    cpu_before = machine_cpu_s()
    start = time.monotonic()
    threads = [threading.Thread(target=run_lane, args=(i, lane[0], lane[1:], log_dir, results, lock))
               for i, lane in enumerate(args.lane)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    total = time.monotonic() - start
    cpu_after = machine_cpu_s()
    machine = {"cores": os.cpu_count(),
               "busy_cpu_s": None if cpu_before is None or cpu_after is None else round(cpu_after - cpu_before, 1),
               "lanes_cpu_s": round(sum(c["cpu_s"] for r in results for c in r["commands"]), 1),
               "probe_before_s": round(probe_before, 3), "probe_after_s": round(speed_probe(), 3)}
    report = {"wall_s": round(total, 1), "lanes": results, "machine": machine}
    out = Path(args.out)
    if not out.is_absolute():
        out = ROOT / out
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    print(f"\n==== lanes: {total:.0f} s in all ====")
    busy = "" if machine["busy_cpu_s"] is None else (
        f"all processes used {machine['busy_cpu_s']:.0f} CPU-s of {machine['cores']} cores x {total:.0f} s, ")
    print(f"  machine: {busy}the lanes' own process trees {machine['lanes_cpu_s']:.0f}; a fixed loop took "
          f"{1000 * machine['probe_before_s']:.0f} ms before, {1000 * machine['probe_after_s']:.0f} ms after "
          f"(80-90 ms on a course machine in a quick hour)")
    for i, r in enumerate(results):
        for c in r["commands"]:
            print(f"  lane {i + 1} ({r['lane']}): {c['wall_s']:6.0f} s wall {c['cpu_s']:6.0f} s CPU  exit {c['exit']}  "
                  f"{c['command'][:90]}")
    return 0 if all(r["ok"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
