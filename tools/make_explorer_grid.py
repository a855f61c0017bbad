"""Regenerate lessonlib/explorer_grid.npz: fit()'s histories for every optimizer-explorer setting.

    PYTHONPATH=. OMP_NUM_THREADS=1 python -m tools.make_explorer_grid

Run it after changing fit(), the model, the data or the divergence rule; tests/test_explorer_truth.py
fails until the file matches fit() again.
"""
import time

from lessonlib import explorer_grid

if __name__ == "__main__":
    start = time.perf_counter()
    out = explorer_grid.generate(progress=print)
    print(f"wrote {explorer_grid.PATH} ({explorer_grid.PATH.stat().st_size / 1024:.0f} KiB) in "
          f"{time.perf_counter() - start:.0f} s with torch {out['torch_version']}")
