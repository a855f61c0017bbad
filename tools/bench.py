"""Benchmarks written down: `make bench` measures, and writes docs/benchmarks.md.

    python -m tools.bench                      # make bench: everything (15-45 min on 2 cores, by load)
    python -m tools.bench --quick --out X.md   # make bench-smoke: about a minute; one lesson, `lint` only

Every figure is a median of wall-clock times measured in this one run and is given as a RATIO to
its section's baseline, measured in the same run on the same machine (a loaded machine slows both):

* step debugger, a click with redraw (goal <= 50 ms); baseline: an empty redraw, a plain
  matplotlib figure of the debugger's size with one empty axes, rendered to PNG as the widget does;
* optimizer explorer, a re-train with redraw (goal <= 0.5 s); baseline: an empty redraw of the
  explorer's two-axes figure;
* the explorer against fit() on its slider grid: same verdicts and losses? baseline: fit() itself;
* fit() against the original loop: the seed script's section 4 run verbatim (tests/reference/,
  with its missing `optimizer` line added as tests/test_train.py does) is the baseline;
* torch.set_num_threads(1) against 2 on the lesson's tiny tensors; baseline: 1,500 plain-torch
  steps on one thread;
* each lesson's Run All on one core (goal <= 10 s): nbclient in a fresh kernel, OMP_NUM_THREADS=1,
  pinned with taskset to one core when taskset exists; baseline: an empty notebook (one `pass` cell);
* `make test` part by part: the commands of the Makefile's `test` target and of its prerequisites
  (read from the Makefile, so they stay in sync), each run and timed; baseline: a Python start-up
  that imports torch and lessonlib.

The report says how loaded the machine was: the share of all cores' CPU time that other processes
used while each section ran (from /proc/stat, minus this run's own CPU time).
"""
from __future__ import annotations

import argparse
import contextlib
import datetime
import io
import json
import math
import os
import platform
import re
import resource
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "docs" / "benchmarks.md"
LESSON_GLOB = "notebooks/he/[0-9][0-9]_*.ipynb"
ORIGINAL = ROOT / "tests" / "reference" / "rb109_02_original.py"
OPTIMIZER_LINE = "optimizer = torch.optim.Adam(model.parameters(), lr=0.01)"
GOAL_CLICK, GOAL_RETRAIN, GOAL_LESSON, GOAL_MAKE_TEST = 0.050, 0.5, 10.0, 8 * 60.0
LOADED_SHARE = 0.10   # other processes used more than this share of all cores: "loaded"
# the report's sections, in order (tests/test_bench.py keeps its own copy of the titles)
TITLES = {
    "machine": "Machine",
    "summary": "Goals",
    "debugger": "Step debugger: a click with redraw",
    "explorer": "Optimizer explorer: a re-train with redraw",
    "grid": "The explorer against fit() on its slider grid",
    "fit": "fit() against the original loop",
    "threads": "Threads: torch.set_num_threads(1) against 2",
    "lessons": "Run All per lesson, on one core",
    "make_test": "make test, part by part",
}


class BenchError(Exception):
    """Something the bench cannot do, said without a traceback."""


# ---- what is measured -------------------------------------------------------------------------------

@dataclass
class Figure:
    what: str
    seconds: list[float]
    note: str = ""
    goal: float | None = None          # seconds; the median must not exceed it
    failed: bool = False

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


@dataclass
class Section:
    key: str
    intro: str
    baseline: Figure | None = None
    rows: list[Figure] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)     # markdown after the table
    others: float | None = None                         # other processes' share of all cores' CPU time

    @property
    def title(self) -> str:
        return TITLES[self.key]


def timed(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


# ---- machine and load -------------------------------------------------------------------------------

def _proc_stat() -> tuple[int, int] | None:
    """(busy, total) clock ticks of all cores since boot, or None off Linux."""
    try:
        with open("/proc/stat", encoding="ascii") as f:
            fields = [int(v) for v in f.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    user, nice, system, idle, iowait, irq, softirq, steal = (fields + [0] * 8)[:8]
    busy = user + nice + system + irq + softirq + steal
    return busy, busy + idle + iowait


def _own_cpu() -> float:
    """CPU seconds of this process and of its finished children (their children included)."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


class LoadMeter:
    """Other processes' share of the machine's CPU time between start() and share()."""

    def __init__(self):
        self.tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
        self.start()

    def start(self) -> None:
        self._stat, self._own = _proc_stat(), _own_cpu()

    def share(self) -> float | None:
        now = _proc_stat()
        if now is None or self._stat is None or now[1] <= self._stat[1]:
            return None
        busy = (now[0] - self._stat[0]) / self.tick
        total = (now[1] - self._stat[1]) / self.tick
        return min(1.0, max(0.0, (busy - (_own_cpu() - self._own)) / total))


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            return next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    except (OSError, StopIteration):
        return platform.processor() or platform.machine()


def machine_lines(quick: bool) -> list[str]:
    import torch
    affinity = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
    try:
        with open("/proc/meminfo", encoding="ascii") as f:
            ram = f"{int(f.readline().split()[1]) // 1024} MiB RAM"
    except (OSError, ValueError):
        ram = "RAM unknown"
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    return [
        f"- CPU: {cpu_model()}, {os.cpu_count()} cores"
        + (f" (this run may use {len(affinity)}: {affinity})" if affinity is not None else "") + f"; {ram}",
        f"- OS: {platform.system()} {platform.release()}; Python {platform.python_version()}; torch {torch.__version__}",
        f"- Threads: torch's default intra-op threads here {torch.get_num_threads()}; OMP_NUM_THREADS="
        f"{os.environ.get('OMP_NUM_THREADS', 'unset')} (make exports 1); lessons pinned to one core with "
        + ("taskset" if shutil.which("taskset") else "nothing (taskset not found: not pinned)"),
        f"- Run: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC, commit {commit or 'unknown'}, "
        + ("QUICK smoke mode (few repetitions, one lesson, `make test` parts not run except lint): "
           "not a measurement to quote" if quick else "full mode (`make bench`)"),
    ]


# ---- baselines and figures ----------------------------------------------------------------------------

def empty_redraw(figsize, ncols: int = 1):
    """A plain matplotlib figure with empty axes, drawn to PNG bytes as the widgets draw (Agg, their DPI)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure as MplFigure

    from lessonlib.widgets import DPI
    fig = MplFigure(figsize=figsize, dpi=DPI)
    fig.subplots(1, ncols)
    canvas = FigureCanvasAgg(fig)

    def draw():
        buf = io.BytesIO()
        canvas.print_png(buf)
        return buf
    return draw


def plain_torch_steps(steps: int, optimizer: str = "sgd", lr: float = 0.005):
    """`steps` forward+loss+zero_grad+backward+step of the lesson's net in plain torch (no lessonlib),
    on batches of 32 rows of the lesson's x in [-10, 10], as a function to time."""
    import torch
    from torch import nn
    torch.manual_seed(0)
    net = nn.Sequential(nn.Linear(1, 16), nn.ReLU(), nn.Linear(16, 16), nn.ReLU(), nn.Linear(16, 1))
    opt = (torch.optim.SGD if optimizer == "sgd" else torch.optim.Adam)(net.parameters(), lr=lr)
    x = torch.linspace(-10, 10, 200).reshape(-1, 1)
    y = 2 * x + 1
    batches = [(x[i:i + 32], y[i:i + 32]) for i in range(0, 160, 32)]
    loss_fn = nn.MSELoss()

    def run():
        for k in range(steps):
            xb, yb = batches[k % len(batches)]
            loss = loss_fn(net(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
    return run


def torch_threads(n: int):
    """torch on `n` intra-op threads for a block, then restored: lessonlib's own (imported when used)."""
    from lessonlib.train import intra_op_threads
    return intra_op_threads(n)


def bench_debugger(reps: int) -> Section:
    from lessonlib import widgets
    sec = Section("debugger", "Lessons 04-06 and 08: one click on the step debugger, until everything it shows "
                  "is redrawn. A click that moves no parameter redraws no plot; `step` and the batch and epoch "
                  "buttons redraw the fit. Then lesson 05's graph stepper, the other widget stepped by clicks.")
    draw = empty_redraw((5.0, 3.3))
    draw()
    sec.baseline = Figure("empty redraw: a 5.0 x 3.3 in matplotlib figure, one empty axes, to PNG", timed(draw, reps))
    _, dbg = widgets.step_debugger()
    times: dict[str, list[float]] = {name: [] for name in ("forward", "loss", "zero_grad", "backward", "step")}
    for _ in range(reps):
        for name in times:
            start = time.perf_counter()
            dbg.click(name)
            times[name].append(time.perf_counter() - start)
    for name, ts in times.items():
        sec.rows.append(Figure(f"click: {name}", ts, "plot redrawn" if name == "step" else "no parameter moved: no plot",
                               goal=GOAL_CLICK))
    dbg.click("reset")
    ts = []
    for _ in range(reps):
        dbg.click("zero_grad")
        start = time.perf_counter()
        dbg.click("step")
        ts.append(time.perf_counter() - start)
    sec.rows.append(Figure("click: step without gradients", ts, "out of order: nothing moves, no plot", goal=GOAL_CLICK))
    dbg.click("reset")
    sec.rows.append(Figure("click: run one batch", timed(lambda: dbg.click("batch"), reps), "5 steps + redraw",
                           goal=GOAL_CLICK))
    dbg.click("reset")
    sec.rows.append(Figure("click: run one epoch", timed(lambda: dbg.click("epoch"), max(2, reps // 2)),
                           "25 steps + redraw", goal=GOAL_CLICK))
    # the other step-by-step widget: lesson 05's graph, one node per click (its figure twice the
    # debugger's, 64 texts restyled and drawn); no goal was set for it
    _, stepper = widgets.graph_stepper()
    clicks = ["forward_one"] * 6 + ["backward_one"] * 10 + ["reset"]      # 17 redraws a round
    if reps < 5:                                                           # the smoke run: one of each kind
        clicks = ["forward_all", "backward_one", "reset"]
    ts = []
    for _ in range(max(1, reps // 5)):
        for name in clicks:
            start = time.perf_counter()
            stepper.click(name)
            ts.append(time.perf_counter() - start)
    sec.rows.append(Figure("graph stepper (lesson 05): one click, forward or backward one node, or reset", ts,
                           "the 12.8 x 4.6 in graph redrawn (no goal set)"))
    with torch_threads(1):
        one = plain_torch_steps(1)
        one()
        sec.rows.append(Figure("for scale: one plain-torch training step (batch of 32, SGD, 1 thread)",
                               timed(one, reps * 10), "no widget, no redraw"))
    return sec


def bench_explorer(reps: int) -> Section:
    from lessonlib import widgets
    from lessonlib.train import OPTIMIZERS
    sec = Section("explorer", "Lessons 06-07: the optimizer explorer re-trains the lesson's net for 300 epochs "
                  "(1,500 steps, NumPy) and redraws both plots; the loss curves shown are fit()'s own (from "
                  "lessonlib/explorer_grid.npz).")
    draw = empty_redraw((9.6, 3.6), ncols=2)
    draw()
    sec.baseline = Figure("empty redraw: a 9.6 x 3.6 in matplotlib figure, two empty axes, to PNG", timed(draw, reps))
    _, ctl = widgets.optimizer_explorer(lr=0.01, epochs=300)
    for name in OPTIMIZERS:
        ctl.optimizer_dropdown.value = name           # re-trains once (warm-up for this optimizer)
        total, train, drawn = [], [], []
        for _ in range(reps):
            start = time.perf_counter()
            ctl.retrain()
            total.append(time.perf_counter() - start)
            train.append(ctl.train_seconds)
            drawn.append(ctl.draw_seconds)
        note = (f"train {1000 * statistics.median(train):.0f} ms + draw {1000 * statistics.median(drawn):.0f} ms"
                + (" (diverges)" if ctl.history.diverged else ""))
        sec.rows.append(Figure(f"re-train + redraw: {name}, lr 0.01", total, note, goal=GOAL_RETRAIN))
    with torch_threads(1):
        steps = plain_torch_steps(1500, "adam", 0.01)
        sec.rows.append(Figure("for scale: the same 1,500 steps in plain torch (Adam, 1 thread)",
                               timed(steps, max(1, reps // 2)), "no widget, no redraw"))
    return sec


def bench_grid(every: int) -> Section:
    from lessonlib import explorer_grid, fit, make_line_data, make_model, widgets
    from lessonlib.train import OPTIMIZERS
    settings = [(opt, k) for opt in OPTIMIZERS for k in range(len(explorer_grid.EXPONENTS))][::every]
    which = "Every setting" if every == 1 else f"Every {every}th setting" if len(settings) > 1 else "One setting"
    sec = Section("grid", f"{which} of the explorer's sliders ({len(settings)} of "
                  f"{len(OPTIMIZERS) * len(explorer_grid.EXPONENTS)}: lr slider position x optimizer, 300 epochs): the explorer's "
                  "re-train + redraw next to a fresh fit() of the same setting, and whether they agree.")
    _, ctl = widgets.optimizer_explorer(lr=0.01, epochs=300)
    data = make_line_data()
    explorer_times, fit_times = [], []
    verdict_same = losses_same = 0
    chaotic, disagree = [], []

    def same(a: float, b: float) -> bool:
        return (math.isnan(a) and math.isnan(b)) or a == b or abs(a - b) <= 1e-12 * abs(b)

    for opt, k in settings:
        lr = explorer_grid.grid_lr(k)
        ctl.optimizer_dropdown.value = opt
        start = time.perf_counter()
        ctl.lr_slider.value = lr                      # re-trains and redraws, as a slider release does
        if ctl.history.lr != lr or ctl.history.optimizer != opt:
            ctl.retrain()
        explorer_times.append(time.perf_counter() - start)
        mine = ctl.history
        start = time.perf_counter()
        truth = fit(make_model(0), data, optimizer=opt, lr=lr, epochs=300, progress=False)
        fit_times.append(time.perf_counter() - start)
        verdict_same += mine.diverged_at == truth.diverged_at
        ok = (len(mine.train_loss) == len(truth.train_loss)
              and all(same(a, b) for a, b in zip(mine.train_loss + mine.val_loss,
                                                 truth.train_loss + truth.val_loss, strict=True)))
        losses_same += ok
        if not ok or mine.diverged_at != truth.diverged_at:
            disagree.append(f"{opt} lr {lr:.3g}")
        if ctl.drift_epoch is not None:
            chaotic.append(f"{opt} 10^{explorer_grid.EXPONENTS[k]:g} (epoch {ctl.drift_epoch})")
    n = len(settings)
    sec.baseline = Figure("fit() of one setting (threads=1, stops at divergence)", fit_times)
    sec.rows.append(Figure("explorer re-train + redraw of one setting", explorer_times,
                           f"max {1000 * max(explorer_times):.0f} ms", goal=GOAL_RETRAIN))
    from tools.arithmetic import recorded, same_as_reference

    sec.lines += [("- This machine's float32 arithmetic is the grid's own (tools/arithmetic.py): the two must agree "
                   "everywhere." if same_as_reference() else
                   "- This machine's float32 arithmetic is not the grid's (tools/arithmetic.py; the grid was written on "
                   f"{recorded()['machine'].split(' (')[0]}): fit() here differs from the grid in its last bits, and "
                   "chaotic or diverging runs part further, so disagreements below are expected.")]
    sec.lines += [f"- Divergence verdict equal at {verdict_same}/{n} settings; losses equal (1e-12 relative) at "
                  f"{losses_same}/{n}" + (f"; DISAGREE: {', '.join(disagree)}" if disagree else "") + ".",
                  f"- Chaotic settings (the NumPy re-run that draws the fitted curve drifts more than "
                  f"{widgets.REPLAY_RTOL:.0%} from fit(); the explorer says so): {len(chaotic)}/{n}"
                  + (f": {'; '.join(chaotic)}." if chaotic else ".")]
    return sec


def original_loop(epochs: int = 300):
    """The seed script's sections 1-3 (set-up, not timed) and section 4 (the loop, timed), run verbatim
    with its one missing line added (and its `epochs = 300` changed when `epochs` differs); returns a
    function that sets up and a function that runs the loop."""
    text = ORIGINAL.read_text(encoding="utf-8")
    head, sep, rest = text.partition("# 4) Train + record history")
    loop, sep2, _ = rest.partition("# 5) Plot history")
    if not sep or not sep2 or "optimizer.step()" not in loop:
        raise BenchError(f"{ORIGINAL.relative_to(ROOT)}: cannot find sections 4 and 5 of the original script")
    if "loss_fn = nn.MSELoss()" not in head or "epochs = 300" not in loop:
        raise BenchError(f"{ORIGINAL.relative_to(ROOT)}: no `loss_fn = nn.MSELoss()` or `epochs = 300` line")
    head = head.replace("loss_fn = nn.MSELoss()", "loss_fn = nn.MSELoss()\n" + OPTIMIZER_LINE, 1)
    loop = loop.replace("epochs = 300", f"epochs = {epochs}", 1)
    head_code, loop_code = compile(head, str(ORIGINAL), "exec"), compile(loop, str(ORIGINAL), "exec")
    namespace: dict = {}

    def setup():
        namespace.clear()
        namespace["__name__"] = "rb109_02_original"
        with contextlib.redirect_stdout(io.StringIO()):
            exec(head_code, namespace)   # noqa: S102 - the lesson's own script, from this repository

    def run():
        exec(loop_code, namespace)       # noqa: S102
        if len(namespace["train_loss_hist"]) != epochs:
            raise BenchError(f"the original loop did not run {epochs} epochs")
    return setup, run


def timed_with_setup(setup, run, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        setup()
        start = time.perf_counter()
        run()
        out.append(time.perf_counter() - start)
    return out


def bench_fit(reps: int, epochs: int = 300) -> Section:
    from lessonlib import fit, make_line_data, make_model
    sec = Section("fit", f"The lesson's training, {epochs} epochs x 5 batches = {5 * epochs:,} steps of Adam lr 0.01 "
                  "on one thread (as `make` runs it, OMP_NUM_THREADS=1): `lessonlib.fit`, which reproduces the "
                  "original script's numbers exactly (tests/test_train.py), against the original script's loop.")
    setup, run = original_loop(epochs)
    with torch_threads(1):
        sec.baseline = Figure("the original loop (tests/reference/rb109_02_original.py section 4, verbatim, "
                              "DataLoader), 1 thread", timed_with_setup(setup, run, reps))
    data = make_line_data()
    for what, kwargs in (("fit(), DataLoader, threads=1 (its default)", dict(threads=1)),
                         ("fit(fast=True): the same batches without the DataLoader, threads=1",
                          dict(threads=1, fast=True))):
        sec.rows.append(Figure(what, timed(lambda kwargs=kwargs: fit(make_model(0), data, epochs=epochs,
                                                                     progress=False, **kwargs), reps)))
    return sec


def bench_threads(reps: int, epochs: int) -> Section:
    import torch

    from lessonlib import fit, make_line_data, make_model
    steps = 5 * epochs
    sec = Section("threads", "The lesson's tensors are tiny (batches of 32 x 1, layers of 16): is a second "
                  f"intra-op thread worth it? `torch.set_num_threads(n)` around the same work ({epochs} epochs, "
                  f"{steps:,} steps; the original script sets no thread count, so without OMP_NUM_THREADS it gets "
                  f"one thread per core, {os.cpu_count()} here).")
    with torch_threads(1):
        base = plain_torch_steps(steps, "adam", 0.01)
        base()
        sec.baseline = Figure(f"{steps:,} plain-torch steps (forward+loss+zero_grad+backward+Adam step), 1 thread",
                              timed(base, reps))
    with torch_threads(2):
        two = plain_torch_steps(steps, "adam", 0.01)
        two()
        sec.rows.append(Figure(f"the same {steps:,} steps, 2 threads", timed(two, reps)))
    data = make_line_data()
    for n in (1, 2):
        sec.rows.append(Figure(f"fit(), {epochs} epochs, threads={n}",
                               timed(lambda n=n: fit(make_model(0), data, epochs=epochs, progress=False, threads=n),
                                     reps)))
    setup, run = original_loop(epochs)
    with torch_threads(2):
        sec.rows.append(Figure(f"the original loop, {epochs} epochs, 2 threads", timed_with_setup(setup, run, reps)))
    for n in (1, 2):
        with torch_threads(n):
            a = torch.randn(512, 512)
            sec.rows.append(Figure(f"for contrast: a 512 x 512 matmul, {n} thread(s)", timed(lambda a=a: a @ a, reps * 5),
                                   "not the lesson's size"))
    return sec


# ---- lessons: Run All in a fresh kernel, one core ----------------------------------------------------------

def run_notebook(path: Path, timeout: int = 600) -> dict:
    """Run one notebook top to bottom in a fresh python3 kernel: seconds from kernel start to the last
    cell's end, and the cells alone. An error in a cell is reported, not raised."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    start = time.perf_counter()
    error = ""
    with client.setup_kernel():
        cells_start = time.perf_counter()
        for index, cell in enumerate(nb.cells):
            try:
                client.execute_cell(cell, index)
            except CellExecutionError as e:
                error = f"cell {index}: {str(e).strip().splitlines()[-1][:200]}"
                break
        end = time.perf_counter()
    return {"seconds": end - start, "cells": end - cells_start, "error": error}


def lesson_paths(root: Path = ROOT) -> list[Path]:
    return sorted(root.glob(LESSON_GLOB))


def one_core() -> list[str]:
    """A taskset prefix pinning a command to one core (the last this process may use), or []."""
    if not shutil.which("taskset") or not hasattr(os, "sched_getaffinity"):
        return []
    return ["taskset", "-c", str(max(os.sched_getaffinity(0)))]


def time_notebook(path: Path) -> dict:
    env = {**os.environ, "OMP_NUM_THREADS": "1", "PYDEVD_DISABLE_FILE_VALIDATION": "1"}
    cmd = [*one_core(), sys.executable, "-m", "tools.bench", "--run-notebook", str(path)]
    proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    try:
        return json.loads(proc.stdout.strip().splitlines()[-1])
    except (IndexError, json.JSONDecodeError):
        tail = (proc.stderr.strip().splitlines() or ["no output"])[-1]
        return {"seconds": math.nan, "cells": math.nan, "error": f"the runner failed: {tail[:200]}"}


def bench_lessons(paths: list[Path], reps: int, base_reps: int, tmp: Path) -> Section:
    import nbformat
    sec = Section("lessons", "A student's *Restart Kernel and Run All*: nbclient starts a fresh `python3` kernel "
                  "and runs every cell, with OMP_NUM_THREADS=1 and the runner and kernel pinned to one core "
                  f"({' '.join(one_core()) or 'no taskset: not pinned'}). Lessons: `{LESSON_GLOB}` (the code cells "
                  "are the same in both editions). The time includes the kernel's start-up; the note gives the "
                  "cells alone.")
    empty = tmp / "empty.ipynb"
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("pass")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, empty)
    runs = [time_notebook(empty) for _ in range(base_reps)]
    sec.baseline = Figure("an empty notebook (one `pass` cell): kernel start-up and shut-down",
                          [r["seconds"] for r in runs], failed=any(r["error"] for r in runs))
    for path in paths:
        runs = [time_notebook(path) for _ in range(reps)]
        errors = [r["error"] for r in runs if r["error"]]
        cells = statistics.median(r["cells"] for r in runs)
        sec.rows.append(Figure(f"{path.stem}", [r["seconds"] for r in runs],
                               f"cells {cells:.1f} s" + (f"; FAILED: {errors[0]}" if errors else ""),
                               goal=GOAL_LESSON, failed=bool(errors)))
    return sec


# ---- make test, part by part, from the Makefile -------------------------------------------------------------

def makefile_rules(text: str) -> dict[str, tuple[list[str], list[str]]]:
    """target -> (prerequisites, recipe lines) for the explicit rules of a Makefile (continuations joined)."""
    lines = text.replace("\\\n", " ").splitlines()
    rules: dict[str, tuple[list[str], list[str]]] = {}
    current = None
    for line in lines:
        if line.startswith("\t") and current is not None:
            if line.strip():
                rules[current][1].append(re.sub(r"\s+", " ", line.strip()))
            continue
        current = None
        m = re.match(r"^([A-Za-z0-9_$().\-/ ]+?)\s*:(?!=)\s*(.*)$", line)
        if m and not line.startswith((".", "#")) and "=" not in m.group(1):
            current = m.group(1).strip()
            rules[current] = (m.group(2).split("#")[0].split(), [])
    return rules


def make_variables(names: list[str], overrides: dict[str, str]) -> dict[str, str]:
    """The values make gives these variables (with the overrides), by asking make itself."""
    recipe = "".join(f"\n\t@:$(info {n}=$({n}))" for n in names)   # $(info): printed as is, no shell quoting
    cmd = ["make", "-s", "--no-print-directory", *(f"{k}={v}" for k, v in overrides.items()),
           f"--eval=__bench_variables:{recipe}", "__bench_variables"]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if proc.returncode != 0:
        raise BenchError(f"cannot read the Makefile's variables: {proc.stderr.strip()[:300]}")
    return dict(line.split("=", 1) for line in proc.stdout.splitlines() if "=" in line)


@dataclass
class Part:
    target: str
    command: str        # as run (variables expanded)


def make_test_parts(makefile: Path, venv: str | None) -> tuple[list[Part], dict[str, str], dict[str, str]]:
    """The commands `make test` runs after installation, in order, and the environment make exports.

    `test`'s prerequisites except `install` first (their recipes), then `test`'s own recipe; a
    `$(MAKE) target` line stands for that target's recipe. Prerequisites of those (install stamps)
    are left out: this measures a suite that is already installed."""
    text = makefile.read_text(encoding="utf-8")
    rules = makefile_rules(text)
    if "test" not in rules:
        raise BenchError(f"{makefile} has no `test` target")
    raw: list[tuple[str, str]] = []

    def add(target: str, depth: int = 0) -> None:
        if target not in rules or depth > 3:
            raise BenchError(f"`make test` calls `{target}`, which the Makefile does not define")
        for line in rules[target][1]:
            line = line.lstrip("@-+")
            sub = re.match(r"^\$\(MAKE\)\s+([A-Za-z0-9_\-]+)\s*$", line)
            if sub:
                add(sub.group(1), depth + 1)
            else:
                raw.append((target, line))

    for pre in rules["test"][0]:
        if pre != "install" and not pre.startswith("$(STAMP"):      # installation: not part of the measure
            add(pre)
    add("test")
    exported = re.findall(r"^export\s+([A-Za-z_][A-Za-z0-9_]*)", text, re.M)
    names = sorted(set(re.findall(r"\$\(([A-Za-z_][A-Za-z0-9_]*)\)", " ".join(c for _, c in raw))) | set(exported))
    overrides = {}
    if venv:   # the venv running the bench, and the Colab-like env next to it if there is one
        overrides["VENV"] = venv
        colab = Path(venv).with_name(Path(venv).name + "-colab")
        if colab.is_dir():
            overrides["VENV_COLAB"] = str(colab)
    values = make_variables(names, overrides)

    def expand(command: str) -> str:
        for _ in range(5):
            new = re.sub(r"\$\(([A-Za-z_][A-Za-z0-9_]*)\)", lambda m: values.get(m.group(1), m.group(0)), command)
            if new == command:
                break
            command = new
        return command.replace("$$", "$")

    return [Part(t, expand(c)) for t, c in raw], {n: values[n] for n in exported if n in values}, overrides


def lane_commands(command: str) -> list[tuple[str, list[str]]]:
    """For a `python -m tools.lanes --lane NAME CMD... --lane ...` line: its lanes, names and commands."""
    words = shlex.split(command)
    if "tools.lanes" not in words:
        return []
    lanes: list[tuple[str, list[str]]] = []
    it = iter(words[words.index("tools.lanes") + 1:])
    for w in it:
        if w == "--lane":
            lanes.append((next(it), []))
        elif w == "--out":
            next(it)
        elif lanes:
            lanes[-1][1].append(w)
    return lanes


def run_command(command: str, env: dict) -> tuple[float, int, str]:
    start = time.perf_counter()
    proc = subprocess.run(["bash", "-c", command], cwd=ROOT, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    lines = [line.strip() for line in (proc.stdout + proc.stderr).strip().splitlines() if line.strip()]
    summary = lines[-1][:160] if lines else ""
    failed = [line.split(" - ")[0].removeprefix("FAILED ") for line in lines if line.startswith(("FAILED ", "ERROR "))]
    if failed:   # pytest's short summary: which tests failed
        summary += "; failed: " + ", ".join(failed[:5]) + (f" and {len(failed) - 5} more" if len(failed) > 5 else "")
    return seconds, proc.returncode, summary


def venv_of_this_python() -> str | None:
    return sys.prefix if sys.prefix != sys.base_prefix else None


def bench_make_test(quick: bool, base_reps: int) -> Section:
    venv = venv_of_this_python()
    parts, exported, overrides = make_test_parts(ROOT / "Makefile", venv)
    sec = Section("make_test", "The commands of the Makefile's `test` target, read from the Makefile: its "
                  "prerequisites `lint` and `slides` first, then each line of its recipe (`$(MAKE) test-colab` "
                  "stands for that target's lines), each run as make runs it, from the repository's root, with "
                  "make's exported variables"
                  + (" and " + ", ".join(f"{k}={v}" for k, v in overrides.items())
                     + " (the environment running the bench)" if overrides else "")
                  + ". Installation is not measured (the stamps were up to date).")
    env = {**os.environ, **exported}
    python = shlex.quote(os.path.join(venv, "bin", "python") if venv else sys.executable)
    base_cmd = f'{python} -c "import torch, lessonlib"'
    runs = [run_command(base_cmd, env) for _ in range(base_reps)]
    sec.baseline = Figure("a Python start-up that imports torch and lessonlib", [r[0] for r in runs],
                          failed=any(r[1] for r in runs))
    measured, skipped = [], []
    for part in parts:
        lanes = lane_commands(part.command)
        if quick and part.target != "lint":
            skipped.extend(Part(f"{part.target} lane {i + 1} ({name})", c)
                           for i, (name, cmds) in enumerate(lanes) for c in cmds) if lanes else skipped.append(part)
            continue
        if not lanes:
            seconds, code, tail = run_command(part.command, env)
            measured.append(seconds)
            note = f"exit {code}: {tail}" if code else tail
            sec.rows.append(Figure(f"{part.target}: `{part.command}`", [seconds], note, failed=code != 0))
            continue
        # the lanes run side by side: their total counts once; each command is listed with its own times
        with tempfile.TemporaryDirectory() as tmp:
            times = Path(tmp) / "lanes.json"
            seconds, code, tail = run_command(f"{part.command} --out {shlex.quote(str(times))}", env)
            report = json.loads(times.read_text(encoding="utf-8")) if times.exists() else {"lanes": []}
        measured.append(seconds)
        sec.rows.append(Figure(f"{part.target}: {len(lanes)} lanes side by side (tools/lanes.py)", [seconds],
                               f"exit {code}: {tail}" if code else "", failed=code != 0))
        machine = report.get("machine") or {}
        if machine.get("busy_cpu_s") is not None:
            sec.lines.append(f"While the lanes ran, all processes used {machine['busy_cpu_s']:.0f} CPU-s on "
                             f"{machine['cores']} cores (the lanes' own process trees {machine['lanes_cpu_s']:.0f}: Chromium's renderers "
                             f"are not counted there); tools/lanes.py's fixed loop took "
                             f"{1000 * machine['probe_before_s']:.0f} ms before and "
                             f"{1000 * machine['probe_after_s']:.0f} ms after.")
        for i, lane in enumerate(report["lanes"]):
            for c in lane["commands"]:
                sec.rows.append(Figure(f"{part.target} lane {i + 1} ({lane['lane']}): `{c['command']}`", [c["wall_s"]],
                                       f"CPU {c['cpu_s']:.0f} s; beside the other lanes"
                                       + (f"; exit {c['exit']}" if c["exit"] else ""), failed=c["exit"] != 0))
    if measured and not skipped:
        total = sum(measured)
        for fig in sec.rows:
            if " lane " not in fig.what:
                fig.note = f"{fig.median / total:.0%} of the total" + (f"; {fig.note}" if fig.note else "")
        sec.rows.append(Figure("all of `make test` after installation (the sum)", [total],
                               goal=GOAL_MAKE_TEST, failed=any(r.failed for r in sec.rows)))
    sec.lines.append("Where the time goes (CPU per lane, per kernel, per test file; what was changed to save it, "
                     "and what is left): [docs/test-time.md](test-time.md). A lane's rows give its commands' own "
                     "wall times while the other lanes ran beside it; only the lanes' total counts in the sum.")
    if skipped:
        sec.lines.append("Not run in quick mode: " + "; ".join(f"{p.target}: `{p.command}`" for p in skipped) + ".")
    return sec


# ---- the report -------------------------------------------------------------------------------------------

def sig(x: float, digits: int) -> str:
    """x with `digits` significant digits, never in exponent notation."""
    if not math.isfinite(x):
        return str(x)
    if x == 0:
        return "0"
    decimals = max(0, digits - 1 - math.floor(math.log10(abs(x))))
    return f"{x:.{decimals}f}"


def verdict(fig: Figure) -> str:
    if fig.failed:
        return "FAILED"
    if fig.goal is None:
        return ""
    return "yes" if fig.median <= fig.goal else "**no**"


def goal_text(goal: float | None) -> str:
    if goal is None:
        return ""
    return f"≤ {sig(goal * 1000, 3)} ms" if goal < 1 else f"≤ {sig(goal, 3)} s"


def others_text(share: float | None) -> str:
    if share is None:
        return "other processes' CPU use unknown (no /proc/stat)"
    return (f"other processes used {share:.0%} of all cores' CPU time while this section ran"
            + (" (the machine was loaded)" if share > LOADED_SHARE else ""))


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_table(sec: Section) -> list[str]:
    base = sec.baseline
    out = ["| what | median, ms | n | ratio to baseline | goal | meets goal | note |",
           "|---|---:|---:|---:|---|---|---|",
           f"| baseline: {base.what} | {sig(1000 * base.median, 4)} | {len(base.seconds)} | 1 | | "
           f"{'FAILED' if base.failed else ''} | |"]
    for fig in sec.rows:
        ratio = fig.median / base.median
        out.append(f"| {_cell(fig.what)} | {sig(1000 * fig.median, 4)} | {len(fig.seconds)} | {sig(ratio, 4)} | "
                   f"{goal_text(fig.goal)} | {verdict(fig)} | {_cell(fig.note)} |")
    return out


def summary(sections: dict[str, Section]) -> list[str]:
    rows = []

    def worst(key: str, goal_name: str, pick=lambda f: f.goal is not None):
        sec = sections.get(key)
        figs = [f for f in (sec.rows if sec else []) if pick(f)]
        if not figs:
            return
        fig = max(figs, key=lambda f: f.median)
        value = f"{sig(1000 * fig.median, 4)} ms" if fig.goal < 1 else f"{sig(fig.median, 3)} s"
        rows.append(f"| {goal_name} | {goal_text(fig.goal)} | {value} ({fig.what.split(': `')[0]}) | "
                    f"{verdict(fig)} |")
    worst("debugger", "a step-debugger click with redraw, slowest kind")
    worst("explorer", "an explorer re-train with redraw, slowest optimizer")
    worst("grid", "an explorer re-train with redraw over the grid (median)")
    worst("lessons", "a lesson's Run All on one core, slowest lesson")
    worst("make_test", "`make test` after installation", pick=lambda f: f.what.startswith("all of"))
    return ["| goal | target | measured (median) | met |", "|---|---|---|---|", *rows]


def render(sections: list[Section], machine: list[str], total_others: float | None, seconds: float,
           quick: bool) -> str:
    by_key = {s.key: s for s in sections}
    loaded = total_others is not None and total_others > LOADED_SHARE
    out = ["# Benchmarks", "",
           "Written by `make bench` (`python -m tools.bench`; the method is in that module's docstring). Do not edit "
           "by hand: run it again. Every figure is the median of wall-clock times from one run, given as a ratio to "
           "its section's baseline measured in the same run, so compare ratios across machines, not milliseconds.",
           "", f"## {TITLES['machine']}", "", *machine,
           f"- Load: {others_text(total_others)}; this run took {seconds / 60:.1f} min."
           + (" **The machine was loaded** (shared by other engineers' jobs): absolute times are slower than on a "
              "quiet machine, ratios less so." if loaded else " The machine was quiet."),
           "", f"## {TITLES['summary']}", "", *summary(by_key)]
    for key in TITLES:
        if key in ("machine", "summary"):
            continue
        sec = by_key.get(key)
        out += ["", f"## {TITLES[key]}", ""]
        if sec is None:
            out.append("Not measured in this run.")
            continue
        out += [sec.intro, "", *render_table(sec)]
        if sec.lines:
            out += ["", *sec.lines]
        out += ["", f"Load: {others_text(sec.others)}."]
    if quick:
        out += ["", "_Quick smoke run (`make bench-smoke`): the structure of the report, not numbers to quote._"]
    return "\n".join(out) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smoke run: few repetitions, one lesson, only `lint` of make test")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"report path (default {DEFAULT_OUT.relative_to(ROOT)})")
    parser.add_argument("--lessons", nargs="*", help="lesson names to run (default: all; --quick: the first)")
    parser.add_argument("--grid-every", type=int, default=None,
                        help="every Nth explorer grid setting (default 4; --quick: one setting)")
    parser.add_argument("--skip", nargs="*", default=[], choices=[k for k in TITLES if k not in ("machine", "summary")],
                        help="sections not to measure")
    parser.add_argument("--run-notebook", type=Path, help=argparse.SUPPRESS)   # the one-core runner (internal)
    args = parser.parse_args(argv)
    if args.run_notebook:
        print(json.dumps(run_notebook(args.run_notebook)))
        return 0
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    os.environ.setdefault("MPLBACKEND", "Agg")
    quick = args.quick
    reps, base_reps = (3, 1) if quick else (20, 3)
    paths = lesson_paths()
    if args.lessons:
        unknown = sorted(set(args.lessons) - {p.stem for p in paths})
        if unknown:
            print(f"bench: unknown lesson(s) {unknown}; known: {[p.stem for p in paths]}", file=sys.stderr)
            return 2
        paths = [p for p in paths if p.stem in args.lessons]
    elif quick:
        paths = paths[:1]
    if args.grid_every is not None and args.grid_every < 1:
        print(f"bench: --grid-every must be 1 or more, not {args.grid_every}", file=sys.stderr)
        return 2
    grid_every = args.grid_every or (10_000 if quick else 4)
    start = time.perf_counter()
    total = LoadMeter()
    machine = machine_lines(quick)
    sections = []
    jobs = [("debugger", lambda: bench_debugger(reps)),
            ("explorer", lambda: bench_explorer(1 if quick else 5)),
            ("grid", lambda: bench_grid(grid_every)),
            ("fit", lambda: bench_fit(1 if quick else 3, 10 if quick else 300)),
            ("threads", lambda: bench_threads(1 if quick else 3, 10 if quick else 60)),
            ("lessons", lambda: bench_lessons(paths, 1, base_reps, Path(tmp))),
            ("make_test", lambda: bench_make_test(quick, base_reps))]
    try:
        with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
            for key, job in jobs:
                if key in args.skip:
                    continue
                print(f"bench: {TITLES[key]} ...", flush=True)
                meter = LoadMeter()
                sec = job()
                sec.others = meter.share()
                sections.append(sec)
    except BenchError as e:
        print(f"bench: {e}", file=sys.stderr)
        return 1
    report = render(sections, machine, total.share(), time.perf_counter() - start, quick)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report, encoding="utf-8")
    print(report)
    print(f"bench: written {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
