"""A pytest plugin for `make mutate` only: pays the one-time costs once, in mutmut's fork server.

mutmut forks a fresh process from its server for every mutant. PyTorch's first optimizer step
imports its compiler machinery (about 1.4 s here) and matplotlib's first drawing loads its
fonts; done here, at the server's start, every forked child inherits them ready, instead of
each mutant paying them again. Nothing here changes a result: a tiny throwaway model and figure.
"""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import torch  # noqa: E402


def _warm_up() -> None:
    model = torch.nn.Linear(1, 1)
    for opt in (torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9), torch.optim.Adam(model.parameters())):
        opt.zero_grad()
        model(torch.ones(1, 1)).sum().backward()
        opt.step()
    fig = plt.figure()
    fig.gca().plot([0, 1], [0, 1], label="x")
    fig.gca().legend()
    fig.canvas.draw()
    plt.close(fig)


_warm_up()


def _warm_exercise_answers() -> None:
    """Every exercise's expected answer computed once (they are cached: some train a net), except
    when the exercises themselves are mutated: there each mutant must compute its own."""
    import os

    if os.environ.get("MUTATE_MODULE") in (None, "exercises"):
        return
    from lessonlib.exercises import EXERCISES

    for checker in EXERCISES.values():
        checker(Ellipsis)


_warm_exercise_answers()


def pytest_runtest_setup(item):
    """mutmut's stats run maps each test to the functions it calls, and runs a mutant only against
    the tests mapped to its function. A cached function (the exercises' short trainings) runs only
    in the first test that needs it, so the mapping would give its mutants one test, often not one
    that looks at the result. In the stats run, lessonlib's caches are emptied before every test, so
    every test that needs a cached value is mapped to the functions behind it. (A mutant's own run
    starts from an empty cache in a fresh fork, so it computes with the mutant either way.)"""
    from mutmut.mutation.trampoline import get_mutant_under_test

    import os
    import sys

    cached = {"exercises": ["lessonlib.exercises"], "widgets": ["lessonlib.widgets._batch_order"]}
    if get_mutant_under_test() != "stats":
        return
    for name in cached.get(os.environ.get("MUTATE_MODULE", ""), []):
        module = sys.modules.get(name)
        for value in vars(module).values() if module else ():
            if callable(getattr(value, "cache_clear", None)):
                value.cache_clear()
