"""Measure the memory each lesson's kernel needs: what a hub must give one student per lesson.

    nice -n 10 python -m tools.measure_memory [--lang he] [--out guides/memory.json] [lessons...]

Method: run each notebook top to bottom with nbclient in a fresh kernel (the project's "python3"
kernel, OMP_NUM_THREADS=1 as in `make`), then read the kernel process's peak resident set size,
VmHWM in /proc/<pid>/status (the kernel's own high-water mark, so no sampling can miss a
peak), before the kernel is shut down. The kernel's resident size right after start-up (VmRSS,
before any cell) is recorded too. Linux only. The code cells are the same in both editions, so
one edition is measured. `python -m tools.guides` then writes the numbers into the guides and
docs/memory.md.
"""
from __future__ import annotations

import argparse
import datetime
import json
import os
import pathlib
import platform
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "guides" / "memory.json"
MIB = 1024 * 1024


def status_kib(pid: int, field: str) -> int:
    """One memory field of /proc/<pid>/status, in KiB (e.g. VmHWM, VmRSS)."""
    with open(f"/proc/{pid}/status", encoding="ascii") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise KeyError(f"{field} not in /proc/{pid}/status")


def measure(path: pathlib.Path, timeout: int = 600) -> dict:
    """Run one notebook in a fresh kernel; its kernel's start-up and peak memory, in MiB."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    t0 = time.monotonic()
    with client.setup_kernel():
        pid = client.km.provisioner.process.pid
        startup = status_kib(pid, "VmRSS")
        for index, cell in enumerate(nb.cells):
            client.execute_cell(cell, index)
        peak = status_kib(pid, "VmHWM")
    return {"startup_mib": round(startup * 1024 / MIB), "peak_mib": round(peak * 1024 / MIB),
            "seconds": round(time.monotonic() - t0)}


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            cpu = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    total = status_total_mib()
    import torch
    return (f"{cpu}, {os.cpu_count()} cores, {total} MiB RAM; Linux {platform.release()}; "
            f"Python {platform.python_version()}, torch {torch.__version__}")


def status_total_mib() -> int:
    with open("/proc/meminfo", encoding="ascii") as f:
        return int(f.readline().split()[1]) // 1024


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.measure_memory", description=__doc__.splitlines()[0])
    parser.add_argument("--lang", default="he", choices=("he", "en"))
    parser.add_argument("--out", type=pathlib.Path, default=DEFAULT_OUT)
    parser.add_argument("lessons", nargs="*", help="lesson names (default: all), e.g. 02_forward")
    args = parser.parse_args(argv)
    folder = ROOT / "notebooks" / args.lang
    paths = sorted(folder.glob("*.ipynb"))
    if args.lessons:
        unknown = sorted(set(args.lessons) - {p.stem for p in paths})
        if unknown:
            print(f"unknown lesson(s) {unknown}; known: {[p.stem for p in paths]}", file=sys.stderr)
            return 1
        paths = [p for p in paths if p.stem in args.lessons]
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    results = json.loads(args.out.read_text(encoding="utf-8"))["lessons"] if args.out.exists() else {}
    for path in paths:
        results[path.stem] = measure(path)
        print(path.stem, results[path.stem], flush=True)
    report = {
        "method": "nbclient runs the notebook top to bottom in a fresh python3 kernel; then the kernel "
                  "process's VmHWM (peak resident set size) is read from /proc/<pid>/status",
        "edition": args.lang,
        "date": datetime.date.today().isoformat(),
        "machine": machine(),
        "lessons": dict(sorted(results.items())),
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"written {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
