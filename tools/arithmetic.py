"""Which float32 arithmetic wrote the committed numbers: `python -m tools.arithmetic [--write]`.

PyTorch's float32 results differ in their last bits from one kind of CPU to another: its kernels and
MKL's pick other instructions and summation orders by CPU (measured: the course's AMD EPYC machines and
an Intel Xeon with AVX-512 give different bits after one optimizer step, under every MKL_CBWR and
ATEN_CPU_CAPABILITY setting tried). A training run carries a last-bit difference on, and a diverging
or chaotic one blows it up (lesson 06's lr 0.0625 run ends at 1.07e18 on one machine, 1.79e20 on the
other). PyTorch promises no more: "completely reproducible results are not guaranteed across ...
different platforms" (its reproducibility notes).

So the numbers committed in the lessons' outputs, the instructor guides and lessonlib/explorer_grid.npz
are exact on the kind of machine that wrote them, and the tests check them exactly there. This module
recognises that machine by a fingerprint: the train and validation losses of a 3-epoch fit() with each
optimizer, bit for bit, recorded in tests/reference_arithmetic.json by whoever re-runs the outputs
(`make execute` writes it). On another arithmetic the tests say so and check what holds on any machine
(tests/nbchecked.py: the cells tagged `numbers-vary-by-cpu` are compared with their numbers masked;
tests/test_explorer_truth.py, tests/test_guides.py: see there).
"""
from __future__ import annotations

import argparse
import functools
import json
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PATH = ROOT / "tests" / "reference_arithmetic.json"
# The fingerprint's runs: every optimizer the lessons use, at lr 0.01 (a point of the explorer's grid,
# so lessonlib/explorer_grid.npz holds the same runs: tests/test_arithmetic.py checks they agree).
OPTIMIZERS = ("sgd", "momentum", "rmsprop", "adam")
LR = 0.01
EPOCHS = 3
TAG = "numbers-vary-by-cpu"      # a notebook cell whose printed numbers depend on the arithmetic


def fingerprint() -> dict[str, dict[str, list[float]]]:
    """This machine's losses for the fingerprint's runs (one thread, as the lessons and tests run)."""
    from lessonlib import fit, make_line_data, make_model

    data = make_line_data(0)
    out = {}
    for name in OPTIMIZERS:
        # as lessonlib/explorer_grid.py generates its runs (fast=True: bit for bit the DataLoader path)
        h = fit(make_model(0), data, optimizer=name, lr=LR, epochs=EPOCHS, progress=False, fast=True, threads=1)
        out[name] = {"train_loss": [float(v) for v in h.train_loss], "val_loss": [float(v) for v in h.val_loss]}
    return out


def recorded() -> dict:
    return json.loads(PATH.read_text())


@functools.cache
def same_as_reference() -> bool:
    """Whether this machine computes the fingerprint's runs bit for bit as the recorded machine did.
    RB109_ARITHMETIC=other answers no and =same yes, on any machine: the recording machine can run the
    checks other machines run (and tests/test_arithmetic.py runs both kinds of check anywhere)."""
    forced = os.environ.get("RB109_ARITHMETIC")
    if forced in ("same", "other"):
        return forced == "same"
    return fingerprint() == recorded()["fingerprint"]


NUMBER = re.compile(r"[-+−]?(?:\d+(?:[.,]\d+)*(?:\.\d*)?|\.\d+)(?:[eE][-+−]?\d+)?")


def mask_numbers(text: str) -> str:
    """The text with every number written as #: what two machines' outputs of the same run share."""
    return NUMBER.sub("#", text)


def write(machine: str) -> None:
    PATH.write_text(json.dumps({"machine": machine, "fingerprint": fingerprint()}, indent=1) + "\n")


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    import platform

    return platform.processor() or platform.machine()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--write", action="store_true", help=f"record this machine's fingerprint in {PATH.relative_to(ROOT)}")
    args = ap.parse_args(argv)
    if args.write:
        write(_cpu())
        print(f"arithmetic: recorded this machine ({_cpu()}) in {PATH.relative_to(ROOT)}")
        return 0
    same = same_as_reference()
    print(f"arithmetic: this machine ({_cpu()}) computes {'the same bits as' if same else 'other last bits than'} "
          f"the machine that wrote the committed numbers ({recorded()['machine']})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
