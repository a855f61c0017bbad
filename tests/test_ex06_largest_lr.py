"""06.largest_lr asks what a practitioner asks ("does it learn?"), not "does it diverge?"."""
from lessonlib import check, setup
from lessonlib.exercises import EX06_LR_OPTIONS, _sgd_run06


def test_a_finite_but_dead_run_is_not_the_answer():
    setup(lang="en")
    hist, dead = _sgd_run06(0.015)
    assert not hist.diverged and hist.final_val_loss > 100 and dead >= 15   # finite, yet it learned nothing
    res = check("06.largest_lr", "0.015")
    assert not res.ok and "did not learn" in res.message and "dead" in res.message
    assert "0.006" not in res.message                                      # the first wrong answer gives nothing away


def test_the_largest_learning_option_is_accepted_and_smaller_ones_are_told_why():
    setup(lang="en")
    assert check("06.largest_lr", "0.006").ok and check("06.largest_lr", 0.006).ok
    res = check("06.largest_lr", "0.002")
    assert not res.ok and "learns" in res.message and "largest" in res.message
    assert set(EX06_LR_OPTIONS) == {"0.002", "0.006", "0.015", "0.04"}


def test_a_diverging_option_is_told_it_diverged():
    """0.04 diverges at epoch 1 by the one definition (far above the untrained loss), so the lesson's
    four options show all three failure modes and the answer: slow-but-learning, learns, dead, diverged."""
    setup(lang="en")
    hist, _ = _sgd_run06(0.04)
    assert hist.diverged
    res = check("06.largest_lr", "0.04")
    assert not res.ok and "diverged" in res.message and "0.006" not in res.message


def test_hebrew_diagnosis():
    setup(lang="he")
    try:
        res = check("06.largest_lr", "0.015")
        assert not res.ok and "נוירונים מתים" in res.message
        res = check("06.largest_lr", "0.04")
        assert not res.ok and "התבדר" in res.message and "0.006" not in res.message
    finally:
        setup(lang="en")
