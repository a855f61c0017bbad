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
