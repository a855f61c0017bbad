"""Project-wide pytest plugin: nbval over the lessons also checks every exercise's solution and
wrong answer in the same kernel run, and runs the student copies (tests/nbchecked.py)."""
import os

# The exercise checks fork the lesson's kernel (tests/nbcheck_kernel.py). A forked copy of a process
# whose torch had started an OpenMP thread pool can hang in its first parallel region (libgomp is not
# fork-safe), so the kernels started here get one thread, as `make test` exports anyway (plain `pytest`
# did not: a plain `pytest -n 2` run without it hung in en/09's first exercise check).
os.environ["OMP_NUM_THREADS"] = "1"

pytest_plugins = ["tests.nbchecked"]
