"""lessonlib.graph: the tiny 1 -> 1 -> ReLU -> 1 network's computational graph, by hand.

Every value and every node's gradient is checked against torch.autograd (float64), the
parameters' gradients also against central finite differences, in both ReLU cases (active and
off); the stepper fills one node per call in topological order and refuses, in words, what it
cannot do yet.
"""
import math
import re

import pytest
import torch
from hypothesis import given, strategies as st

from lessonlib import bidi, graph as g

HEBREW = re.compile(r"[\u05D0-\u05EA]")
CASES = {"relu_active": g.DEFAULTS, "relu_off": g.RELU_OFF,
         "relu_at_zero": {**g.DEFAULTS, "b1": -1.0},           # z1 = 0 exactly: PyTorch's ReLU passes 0
         "negative_everything": {"x": -1.5, "y": -2.0, "w1": -0.7, "b1": 0.3, "w2": -1.2, "b2": 0.4}}


def autograd(leaves):
    """Every node's value and dL/d(node) from torch.autograd, float64, written out independently."""
    v = {k: torch.tensor(float(val), dtype=torch.float64, requires_grad=True) for k, val in leaves.items()}
    v["w1*x"] = v["w1"] * v["x"]
    v["z1"] = v["w1*x"] + v["b1"]
    v["a1"] = torch.relu(v["z1"])
    v["w2*a1"] = v["w2"] * v["a1"]
    v["y_hat"] = v["w2*a1"] + v["b2"]
    v["L"] = (v["y_hat"] - v["y"]) ** 2
    for name in ("w1*x", "z1", "a1", "w2*a1", "y_hat", "L"):
        v[name].retain_grad()
    v["L"].backward()
    return {k: t_.item() for k, t_ in v.items()}, {k: t_.grad.item() for k, t_ in v.items()}


def loss(leaves):
    return g.forward(leaves)["L"]


# ---- the graph's structure -----------------------------------------------------------------------------

def test_nodes_and_edges():
    assert set(g.NODES) == {"x", "y", "w1", "b1", "w2", "b2", "w1*x", "z1", "a1", "w2*a1", "y_hat", "L"}
    assert g.LEAVES == ("x", "w1", "b1", "w2", "b2", "y")
    assert {n for n, node in g.NODES.items() if node.kind == "param"} == {"w1", "b1", "w2", "b2"}
    assert {n for n, node in g.NODES.items() if not node.needs_grad} == {"x", "y"}
    for node in g.NODES.values():       # every input of a computed node is an edge into it, and nothing else
        assert {e.tail for e in g.EDGES if e.head == node.name} == set(node.inputs)
    assert len(g.EDGES) == 11
    relu = next(e for e in g.EDGES if e.head == "a1")
    assert relu.symbol == "da1/dz1" and relu.formula == "[z1 > 0]"
    assert next(e for e in g.EDGES if (e.tail, e.head) == ("w1", "w1*x")).symbol == "d(w1*x)/dw1"


def test_orders_are_topological():
    assert g.FORWARD_ORDER == ("w1*x", "z1", "a1", "w2*a1", "y_hat", "L")
    for i, name in enumerate(g.FORWARD_ORDER):      # left to right: every input is known before
        assert all(inp in g.LEAVES or inp in g.FORWARD_ORDER[:i] for inp in g.NODES[name].inputs)
    assert g.BACKWARD_ORDER[0] == "L" and set(g.BACKWARD_ORDER) == {n for n in g.NODES if n not in ("x", "y")}
    for i, name in enumerate(g.BACKWARD_ORDER[1:], 1):  # right to left: every consumer's gradient is known before
        assert all(e.head in g.BACKWARD_ORDER[:i] for e in g.consumers(name)), name
    cols = [g.NODES[n].col for n in g.BACKWARD_ORDER]
    assert cols == sorted(cols, reverse=True), "backpropagation goes right to left"


def test_defaults_make_the_relu_active_and_relu_off_stops_it():
    assert g.forward(g.DEFAULTS)["z1"] == pytest.approx(1.1) and g.forward()["z1"] > 0
    off = g.forward(g.RELU_OFF)
    assert off["z1"] < 0 and off["a1"] == 0.0


# ---- numbers against autograd and finite differences -----------------------------------------------------

@pytest.mark.parametrize("case", sorted(CASES))
def test_values_and_every_gradient_match_autograd(case):
    leaves = CASES[case]
    values, grads = autograd(leaves)
    ours_v, ours_g = g.forward(leaves), g.backward(leaves)
    for name in g.NODES:
        assert ours_v[name] == pytest.approx(values[name], rel=1e-14, abs=1e-15), f"value of {name}"
        assert ours_g[name] == pytest.approx(grads[name], rel=1e-14, abs=1e-15), (
            f"dL/d{name}: got {ours_g[name]}, expected {grads[name]} (autograd)")
    assert all(isinstance(v, float) for v in (*ours_v.values(), *ours_g.values()))


def test_the_default_numbers():
    """The lesson's worked example: every number can be checked by hand."""
    v, gr = g.forward(), g.backward()
    assert [round(v[n], 10) for n in g.FORWARD_ORDER] == [1.0, 1.1, 1.1, 0.88, 1.08, 15.3664]
    expected = {"L": 1.0, "y_hat": -7.84, "w2*a1": -7.84, "b2": -7.84, "a1": -6.272, "w2": -8.624,
                "z1": -6.272, "w1*x": -6.272, "b1": -6.272, "w1": -12.544, "x": -3.136, "y": 7.84}
    assert {n: round(gr[n], 10) for n in expected} == expected


def test_relu_off_stops_the_gradient():
    gr = g.backward(g.RELU_OFF)
    assert gr["a1"] != 0 and gr["b2"] != 0                       # right of the ReLU: gradients flow
    assert [gr[n] for n in ("z1", "w1*x", "b1", "w1", "x")] == [0.0] * 5
    assert gr["w2"] == 0.0                                         # a1 = 0: w2 had no effect on L


@pytest.mark.parametrize("case", sorted(CASES))
def test_parameter_gradients_match_finite_differences(case):
    leaves = {k: float(v) for k, v in CASES[case].items()}
    h = 1e-6
    grads = g.backward(leaves)
    for p in ("w1", "b1", "w2", "b2"):
        plus, minus = dict(leaves), dict(leaves)
        plus[p] += h
        minus[p] -= h
        fd = (loss(plus) - loss(minus)) / (2 * h)
        if case == "relu_at_zero" and p in ("w1", "b1"):
            continue        # at the kink the two one-sided slopes differ: no derivative to compare with
        assert grads[p] == pytest.approx(fd, rel=1e-7, abs=1e-7), f"dL/d{p}: got {grads[p]}, expected {fd} (finite differences)"


def test_each_local_derivative_matches_autograd():
    for leaves in (g.DEFAULTS, g.RELU_OFF):
        v = g.forward(leaves)
        for edge in g.EDGES:
            tv = {k: torch.tensor(val, dtype=torch.float64, requires_grad=True) for k, val in v.items()}
            head = {"w1*x": lambda tv: tv["w1"] * tv["x"], "z1": lambda tv: tv["w1*x"] + tv["b1"],
                    "a1": lambda tv: torch.relu(tv["z1"]), "w2*a1": lambda tv: tv["w2"] * tv["a1"],
                    "y_hat": lambda tv: tv["w2*a1"] + tv["b2"], "L": lambda tv: (tv["y_hat"] - tv["y"]) ** 2}[edge.head](tv)
            (d,) = torch.autograd.grad(head, tv[edge.tail])
            assert g.local_derivative(edge, v) == pytest.approx(d.item(), rel=1e-14, abs=0), edge.symbol


finite = st.floats(-3, 3, allow_nan=False)


@given(x=finite, y=finite, w1=finite, b1=finite, w2=finite, b2=finite)
def test_any_numbers_match_autograd(x, y, w1, b1, w2, b2):
    leaves = dict(x=x, y=y, w1=w1, b1=b1, w2=w2, b2=b2)
    values, grads = autograd(leaves)
    ours = g.backward(leaves)
    for name in g.NODES:
        assert ours[name] == pytest.approx(grads[name], rel=1e-12, abs=1e-12), name


# ---- the stepper ----------------------------------------------------------------------------------------

def test_stepper_starts_with_the_leaves_only():
    s = g.GraphStepper()
    assert {n: s.values[n] for n in g.LEAVES} == g.DEFAULTS
    assert all(s.values[n] is None for n in g.FORWARD_ORDER)
    assert all(v is None for v in s.grads.values())
    assert s.next_forward == "w1*x" and s.last is None and s.relu_active is None


@pytest.mark.parametrize("case", ["relu_active", "relu_off"])
def test_forward_one_node_per_call_left_to_right(case):
    s = g.GraphStepper(**CASES[case])
    expected = g.forward(CASES[case])
    for i, name in enumerate(g.FORWARD_ORDER, 1):
        step = s.forward_step()
        assert step.ok and step.node == name == s.last and step.action == "forward"
        assert s.filled_values() == list(g.FORWARD_ORDER[:i])       # exactly one more node each call
        assert s.values[name] == expected[name] == step.value
        assert all(gr is None for gr in s.grads.values())
        assert {e.head for e in s.last_edges} == {name}
    assert s.forward_done and s.relu_active is (case == "relu_active")


@pytest.mark.parametrize("case", ["relu_active", "relu_off"])
def test_backward_one_node_per_call_right_to_left(case):
    s = g.GraphStepper(**CASES[case])
    s.forward_all()
    _, expected = autograd(CASES[case])
    for i, name in enumerate(g.BACKWARD_ORDER, 1):
        step = s.backward_step()
        assert step.ok and step.node == name == s.last and step.action == "backward"
        assert s.filled_grads() == list(g.BACKWARD_ORDER[:i])
        assert s.grads[name] == pytest.approx(expected[name], rel=1e-14, abs=1e-15) and step.value == s.grads[name]
    assert s.backward_done
    assert s.grads["x"] is None and s.grads["y"] is None      # data: no gradient, as in PyTorch


def test_backward_before_the_forward_pass_is_refused_in_words():
    s = g.GraphStepper()
    for done in range(len(g.FORWARD_ORDER)):      # at every point of an incomplete forward pass
        before = (dict(s.values), dict(s.grads))
        step = s.backward_step()
        assert not step.ok and step.node is None and step.key == "graph.problem.backward_before_forward"
        assert (s.values, s.grads) == before, "a refused call changes nothing"
        missing = g.FORWARD_ORDER[done]
        assert step.params == {"missing": missing, "done": done, "total": 6}
        assert f"{missing} has no value yet" in step.text("en") and "No gradient was computed" in step.text("en")
        assert HEBREW.search(step.text("he")) and missing in step.text("he")
        assert s.backward_all() == [s.history[-1]] and not s.history[-1].ok       # backward_all refuses too
        s.forward_step()
    assert s.backward_step().ok


def test_refusals_after_each_pass_is_complete():
    s = g.GraphStepper()
    s.forward_all()
    done = s.forward_step()
    assert not done.ok and done.key == "graph.problem.forward_done" and "already complete" in done.text("en")
    assert s.forward_all()[0].key == "graph.problem.forward_done"
    s.backward_all()
    again = s.backward_step()
    assert not again.ok and again.key == "graph.problem.backward_done"
    assert not s.forward_step().ok      # all values are there: forward has nothing left to do


def test_reset_and_new_numbers():
    s = g.GraphStepper()
    s.forward_all()
    s.backward_step()
    step = s.reset()
    assert step.ok and step.action == "reset" and s.filled_values() == [] and s.filled_grads() == []
    assert s.leaves == g.DEFAULTS
    s.reset(**g.RELU_OFF)
    assert s.leaves == g.RELU_OFF and s.values["b1"] == -1.5
    s.reset()                          # keeps the numbers it has
    assert s.leaves == g.RELU_OFF


def test_readouts_say_what_was_computed_in_both_languages():
    s = g.GraphStepper()
    steps = s.forward_all()
    assert steps[1].formula == "z1 = w1*x + b1 = 1.0000 + 0.1000 = 1.1000"
    assert steps[0].formula == "w1*x = 0.5000 * 2.0000 = 1.0000"
    assert steps[2].formula == "a1 = ReLU(z1) = ReLU(1.1000) = 1.1000"
    assert steps[5].formula == "L = (y_hat - y)^2 = (1.0800 - 5.0000)^2 = 15.3664"
    assert steps[1].text("en") == "Forward pass, node z1 (2 of 6): z1 = w1*x + b1 = 1.0000 + 0.1000 = 1.1000"
    assert steps[1].text("he") == "מעבר קדימה, הצומת z1 (2 מתוך 6): z1 = w1*x + b1 = 1.0000 + 0.1000 = 1.1000"
    assert steps[5].key == "graph.did.forward_last"
    back = s.backward_all()
    by_node = {b.node: b for b in back}
    assert by_node["L"].formula == "dL/dL = 1"
    assert by_node["y_hat"].formula == "dL/dy_hat = 2*(y_hat - y) = 2*(1.0800 - 5.0000) = -7.8400"
    assert by_node["z1"].formula == "dL/dz1 = dL/da1 * da1/dz1 = (-6.2720) * 1.0000 = -6.2720"
    assert by_node["w1"].formula == "dL/dw1 = dL/d(w1*x) * d(w1*x)/dw1 = (-6.2720) * 2.0000 = -12.5440"
    assert "by the chain rule" in by_node["z1"].text("en") and "לפי כלל השרשרת" in by_node["z1"].text("he")
    assert back[-1].key == "graph.did.backward_last" and "התפשטות לאחור" in back[-1].text("he")


def test_hebrew_readouts_keep_the_math_in_one_left_to_right_run():
    """Through the one bidi rule every formula stays whole and in order inside the Hebrew sentence."""
    for leaves in (g.DEFAULTS, g.RELU_OFF):
        s = g.GraphStepper(**leaves)
        for step in s.forward_all() + s.backward_all():
            ltr = [piece for is_ltr, piece in bidi.runs(step.text("he")) if is_ltr]
            assert step.formula in ltr, f"{step.formula!r} split into {ltr}"


def test_relu_off_readout_says_the_gradient_stops():
    s = g.GraphStepper(**g.RELU_OFF)
    s.forward_all()
    by_node = {b.node: b for b in s.backward_all()}
    z1 = by_node["z1"]
    assert z1.key == "graph.did.backward_relu_off" and z1.value == 0.0
    assert "the gradient stops at the ReLU" in z1.text("en") and "הגרדיאנט נעצר" in z1.text("he")
    assert z1.formula == "dL/dz1 = dL/da1 * da1/dz1 = (-7.6800) * 0.0000 = 0.0000"
    assert by_node["a1"].key == "graph.did.backward"


def test_current_language_is_used(language):
    s = g.GraphStepper()
    language("he")
    step = s.forward_step()
    assert step.message.startswith("מעבר קדימה") and repr(step) == step.message
    html = step._repr_html_()
    assert 'dir="rtl"' in html and "nowrap'>w1*x = 0.5000 * 2.0000 = 1.0000</bdi>" in html
    refused = s.backward_step()
    assert refused.message.startswith("⚠️ ") and "המעבר קדימה לא הושלם" in refused._repr_html_()


@pytest.mark.parametrize("bad, words", [({"w1": "abc"}, "w1 must be a finite number: got 'abc'."),
                                        ({"x": float("nan")}, "x must be a finite number: got nan."),
                                        ({"b2": None}, "b2 must be a finite number: got None."),
                                        ({"y": True}, "y must be a finite number: got True."),
                                        ({"w3": 1.0}, "Unknown input 'w3'")])
def test_bad_numbers_are_refused_in_words(language, bad, words):
    with pytest.raises(ValueError, match=re.escape(words)):
        g.GraphStepper(**bad)
    with pytest.raises(ValueError, match=re.escape(words)):
        g.forward(bad)
    language("he")
    with pytest.raises(ValueError) as err:
        g.GraphStepper(**bad)
    assert HEBREW.search(str(err.value))


def test_int_leaves_become_floats():
    s = g.GraphStepper(x=2, y=5)
    s.forward_all()
    assert isinstance(s.values["L"], float) and s.values["L"] == pytest.approx(15.3664)
    assert not math.isnan(s.values["L"])


def test_the_core_module_imports_no_plotting_or_widgets():
    """graph.py is the state machine only: drawing (matplotlib) and the widget (ipywidgets) load elsewhere."""
    import subprocess
    import sys
    code = ("import sys; from lessonlib import graph; graph.GraphStepper().forward_all(); "
            "bad = [m for m in sys.modules if m.split('.')[0] in ('matplotlib', 'ipywidgets', 'IPython')]; "
            "assert not bad, bad")
    subprocess.run([sys.executable, "-c", code], check=True)
