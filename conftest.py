"""Project-wide pytest plugin: nbval over the lessons also checks every exercise's solution and
wrong answer, and the student copy's cells that can differ from the lesson's, in the same kernel run
(tests/nbchecked.py)."""
import os

# The exercise checks fork the lesson's kernel (tests/nbcheck_kernel.py). A forked copy of a process
# whose torch had started an OpenMP thread pool can hang in its first parallel region (libgomp is not
# fork-safe), so the kernels started here get one thread, as `make test` exports anyway (plain `pytest`
# did not: a plain `pytest -n 2` run without it hung in en/09's first exercise check).
os.environ["OMP_NUM_THREADS"] = "1"

pytest_plugins = ["tests.nbchecked"]


def pytest_configure(config):
    """nbval's kernels are forked from a process that has imported torch (tests/kernel_zygote.py: about
    2 CPU-s less per kernel, about 45 kernels per `make test`). RB109_FRESH_KERNELS=1 turns it off."""
    if getattr(config.option, "nbval", False):
        from tests import kernel_zygote

        kernel_zygote.use_for_nbval()


def pytest_unconfigure(config):
    from tests import kernel_zygote

    kernel_zygote.stop()
