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
