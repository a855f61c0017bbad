"""Classroom latencies of the widgets, next to the original training loop (not a test: `python -m tests.bench`).

    python -m tests.bench            # or: make bench
    python -m tests.bench --quick    # fewer repetitions

Reports medians of wall-clock times measured in this one run (the machine's load matters, so
compare rows of the same run, not numbers across machines):
* the step debugger: click -> everything redrawn, per kind of click (a step that moves no
  parameter redraws no plot; step(), a batch and an epoch redraw the fit);
* the optimizer explorer: re-train the lesson's 1,500 steps (NumPy engine) + redraw, per optimizer,
  and the engine alone in float64 and float32;
* the explorer against fit() on its whole grid (every lr slider position x four optimizers, 300
  epochs): the same divergence verdict and the same losses (the explorer's come from
  lessonlib/explorer_grid.npz, fit() is re-run here), how many settings are chaotic (the NumPy
  re-run that draws the curve drifts from fit(), and the explorer says so), and the explorer's
  re-train+redraw time next to fit()'s for the same setting;
* the original loop, lessonlib.fit, for the same 1,500 steps: DataLoader with torch's default
  thread count, with 1 thread, and fast=True (no DataLoader, same batches).
"""
from __future__ import annotations

import argparse
import os
import statistics
import time

import numpy as np
import torch

from lessonlib import fit, make_line_data, make_model, manual
from lessonlib.train import OPTIMIZERS


def timed(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def row(rows: list, what: str, seconds: list[float], steps: int | None = None, note: str = "") -> None:
    med = statistics.median(seconds)
    per_step = f"{1000 * med / steps:.3f}" if steps else ""
    rows.append((what, f"{1000 * med:.1f}", f"{1000 * min(seconds):.1f}", per_step, str(len(seconds)), note))


def bench_debugger(rows: list, clicks: int) -> None:
    from lessonlib import widgets
    _, dbg = widgets.step_debugger()
    times: dict[str, list[float]] = {name: [] for name in ("forward", "loss", "zero_grad", "backward", "step")}
    for _ in range(clicks):
        for name in times:
            start = time.perf_counter()
            dbg.click(name)
            times[name].append(time.perf_counter() - start)
    for name, ts in times.items():
        note = "plot redrawn" if name == "step" else "no parameter moved: no plot redraw"
        row(rows, f"debugger click: {name}", ts, note=note)
    # out of order: step() with no gradients moves nothing (no redraw)
    dbg.click("reset")
    ts = []
    for _ in range(clicks):
        dbg.click("zero_grad")
        start = time.perf_counter()
        dbg.click("step")
        ts.append(time.perf_counter() - start)
    row(rows, "debugger click: step without grads", ts, note="out of order: nothing moves, no redraw")
    dbg.click("reset")
    row(rows, "debugger click: run one batch", timed(lambda: dbg.click("batch"), clicks), note="5 steps + redraw")
    dbg.click("reset")
    row(rows, "debugger click: run one epoch", timed(lambda: dbg.click("epoch"), max(5, clicks // 2)),
        note="25 steps + redraw")


def bench_explorer(rows: list, repeat: int) -> None:
    from lessonlib import widgets
    _, ctl = widgets.optimizer_explorer(lr=0.01, epochs=300)
    steps = 300 * 5
    for name in OPTIMIZERS:
        ctl.optimizer_dropdown.value = name           # re-trains once (warm-up for this optimizer)
        total, train, draw = [], [], []
        for _ in range(repeat):
            start = time.perf_counter()
            ctl.retrain()
            total.append(time.perf_counter() - start)
            train.append(ctl.train_seconds)
            draw.append(ctl.draw_seconds)
        note = (f"train {1000 * statistics.median(train):.0f} ms + draw {1000 * statistics.median(draw):.0f} ms"
                + ("  DIVERGED" if ctl.history.diverged else ""))
        row(rows, f"explorer re-train+redraw: {name}", total, steps, note)
    data = make_line_data()
    orders = widgets.epoch_orders(0, data.train_size, 300)
    for dtype in (np.float64, np.float32):
        arrays = [a.astype(dtype) for a in (data.x_train, data.y_train, data.x_val, data.y_val)]
        init = manual.params_from_model(make_model(0), dtype=dtype)

        def run(init=init, arrays=arrays):     # bound now: called within this iteration only
            params = {k: v.copy() for k, v in init.items()}
            return manual.train(params, *arrays, optimizer="adam", lr=0.01, epochs=300,
                                batch_orders=lambda e: orders[e - 1])

        final = run()["train_loss"][-1]
        row(rows, f"NumPy engine alone, adam, {np.dtype(dtype).name}", timed(run, repeat), steps,
            f"final train loss {final:.4g}")


def bench_grid(rows: list, every: int = 1) -> None:
    """Every `every`-th grid setting: explorer (retrain + redraw) vs a fresh fit(), same numbers?"""
    import math

    from lessonlib import explorer_grid, widgets
    from lessonlib.train import History
    _, ctl = widgets.optimizer_explorer(lr=0.01, epochs=300)
    data = make_line_data()
    explorer_times, fit_times = [], []
    settings = [(opt, k) for opt in OPTIMIZERS for k in range(len(explorer_grid.EXPONENTS))][::every]
    verdict_same = losses_same = 0
    chaotic, disagreements = [], []

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
        mine: History = ctl.history
        start = time.perf_counter()
        truth = fit(make_model(0), data, optimizer=opt, lr=lr, epochs=300, progress=False)
        fit_times.append(time.perf_counter() - start)
        verdict_same += mine.diverged_at == truth.diverged_at
        ok = (len(mine.train_loss) == len(truth.train_loss)
              and all(same(a, b) for a, b in zip(mine.train_loss + mine.val_loss, truth.train_loss + truth.val_loss, strict=True)))
        losses_same += ok
        if not ok or mine.diverged_at != truth.diverged_at:
            disagreements.append(f"{opt} lr {lr:.3g}")
        if ctl.drift_epoch is not None:
            chaotic.append(f"{opt} 10^{explorer_grid.EXPONENTS[k]:g} (epoch {ctl.drift_epoch})")
    n = len(settings)
    row(rows, f"explorer re-train+redraw, grid ({n} settings)", explorer_times, 1500,
        f"max {1000 * max(explorer_times):.0f} ms; losses from fit() (explorer_grid.npz)")
    row(rows, f"fit() for the same {n} settings, threads=1", fit_times, 1500,
        f"max {1000 * max(fit_times):.0f} ms (runs stop at divergence)")
    print(f"explorer vs fit() on {n} grid settings: divergence verdict equal at {verdict_same}/{n}, "
          f"losses equal (1e-12 relative) at {losses_same}/{n}"
          + (f"; DISAGREE: {', '.join(disagreements)}" if disagreements else ""))
    print(f"chaotic settings (the NumPy re-run drawing the curve drifts >{widgets.REPLAY_RTOL:.0%} from fit(); "
          f"the explorer says so): {len(chaotic)}/{n}")
    for line in chaotic:
        print("   ", line)


def bench_fit(rows: list, repeat: int) -> None:
    data = make_line_data()
    steps = 300 * 5
    default = torch.get_num_threads()
    cases = [(f"fit, DataLoader, threads default ({default})", dict(threads=None)),
             ("fit, DataLoader, threads=1", dict(threads=1)),
             ("fit, fast=True, threads=1", dict(threads=1, fast=True))]
    cores = os.cpu_count() or 1
    if default != cores:
        cases.insert(1, (f"fit, DataLoader, threads={cores} (all cores)", dict(threads=cores)))
    for what, kwargs in cases:
        ts = timed(lambda kwargs=kwargs: fit(make_model(0), data, epochs=300, progress=False, **kwargs), repeat)
        row(rows, what, ts, steps)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions, every 7th grid setting")
    args = parser.parse_args(argv)
    clicks, repeat, fit_repeat = (5, 2, 1) if args.quick else (20, 5, 2)
    rows: list = []
    print(f"torch {torch.__version__}, {torch.get_num_threads()} intra-op threads by default, "
          f"OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS', 'unset')}, {os.cpu_count()} cores")
    bench_debugger(rows, clicks)
    bench_explorer(rows, repeat)
    bench_grid(rows, every=7 if args.quick else 1)
    bench_fit(rows, fit_repeat)
    head = ("what", "median ms", "best ms", "ms/step", "n", "note")
    widths = [max(len(r[i]) for r in rows + [head]) for i in range(len(head))]
    print("  ".join(h.ljust(wd) for h, wd in zip(head, widths, strict=True)))
    print("  ".join("-" * wd for wd in widths))
    for r in rows:
        print("  ".join(c.ljust(wd) if i in (0, 5) else c.rjust(wd) for i, (c, wd) in enumerate(zip(r, widths, strict=True))))


if __name__ == "__main__":
    main()
