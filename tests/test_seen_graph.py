"""The tiny graph's refusals as the student reads them (lesson 05): backpropagation asked for before
the forward pass is complete, and after every gradient is filled. Each names its action (the widget's
log line) and its sentence with the counts written here: 6 values forward, 10 gradients back."""
from lessonlib import graph as g
from lessonlib.text import t


def test_backward_before_the_forward_pass_says_what_is_missing():
    s = g.GraphStepper()
    s.forward_step()
    step = s.backward_step()
    assert (step.action, step.node, step.ok) == ("backward", None, False)
    assert step.message == "⚠️ " + t("graph.problem.backward_before_forward", missing="z1", done=1, total=6)
    assert s.grads == {} or all(v is None for v in s.grads.values())


def test_backward_after_the_last_gradient_says_all_ten_are_done():
    s = g.GraphStepper()
    s.forward_all()
    assert len(s.backward_all()) == 10
    step = s.backward_step()
    assert (step.action, step.node, step.ok) == ("backward", None, False)
    assert step.message == "⚠️ " + t("graph.problem.backward_done", total=10)


def test_forward_after_the_last_value_says_all_six_are_done():
    s = g.GraphStepper()
    s.forward_all()
    step = s.forward_step()
    assert (step.action, step.node, step.ok) == ("forward", None, False)
    assert step.message == "⚠️ " + t("graph.problem.forward_done", total=6)


def test_reset_says_so_and_leaves_nothing_highlighted():
    s = g.GraphStepper()
    s.forward_all()
    step = s.reset()
    assert (step.action, step.ok, step.message) == ("reset", True, t("graph.did.reset"))
    assert s.last is None and tuple(s.last_edges) == ()


def test_an_unknown_leaf_is_refused_with_the_six_names():
    import pytest

    with pytest.raises(ValueError) as err:
        g.GraphStepper(q=1.0)
    assert str(err.value) == t("graph.problem.unknown_leaf", got="q", expected=["x", "w1", "b1", "w2", "b2", "y"])


def test_backward_of_a_complete_forward_result_uses_its_values():
    values = g.forward(g.DEFAULTS)
    values["y_hat"] = 3.0                                   # given, not recomputed: dL/dy_hat = 2 (3 - 5)
    assert g.backward(values)["y_hat"] == 2 * (3.0 - 5.0)
    assert abs(g.backward(g.DEFAULTS)["y_hat"] - 2 * (1.08 - 5.0)) < 1e-12  # leaves only: the forward pass is run
