r"""The computational graph of a tiny network, worked by hand one node at a time (lesson 05).

The network is 1 -> 1 -> ReLU -> 1 with one training pair (x, y):

    z1 = w1*x + b1,   a1 = ReLU(z1),   y_hat = w2*a1 + b2,   L = (y_hat - y)^2

Nodes are values (the data x, y; the parameters w1, b1, w2, b2; the intermediates w1*x, z1, a1,
w2*a1, y_hat, L); edges carry the local derivative of their head with respect to their tail,
e.g. $\partial z_1/\partial b_1 = 1$, $\partial a_1/\partial z_1 = [z_1 > 0]$. Backpropagation is
the chain rule along the edges, right to left:

$$\frac{\partial L}{\partial v} = \sum_{u \,\in\, \text{consumers}(v)} \frac{\partial L}{\partial u}\,\frac{\partial u}{\partial v}$$

Plain Python floats (float64); tests check every number against torch.autograd and finite
differences. `GraphStepper` fills the values one node per call, left to right, then the gradients
one node per call, right to left; the drawing (lessonlib.graph_plot) and the widget read its state.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable

from .text import t

__all__ = ["Node", "Edge", "NODES", "EDGES", "LEAVES", "FORWARD_ORDER", "BACKWARD_ORDER",
           "DEFAULTS", "RELU_OFF", "forward", "backward", "local_derivative", "consumers",
           "GraphStep", "GraphStepper"]


@dataclass(frozen=True)
class Node:
    """One value of the graph. kind: "data" (x, y), "param" (w1, b1, w2, b2) or "op" (computed).

    col, row: where the drawing puts it (the chain on row 0, the leaves that join it on row 1).
    """
    name: str
    kind: str
    formula: str = ""                  # how an "op" node is computed, e.g. "w1*x + b1"
    inputs: tuple[str, ...] = ()
    col: int = 0
    row: int = 0

    @property
    def needs_grad(self) -> bool:
        """As in PyTorch: the data (x, y) do not require a gradient; everything else does."""
        return self.kind != "data"


@dataclass(frozen=True)
class Edge:
    """tail -> head, with the local derivative d(head)/d(tail) as a formula and as a function of the values."""
    tail: str
    head: str
    formula: str                       # e.g. "x", "1", "[z1 > 0]", "2*(y_hat - y)"
    fn: Callable[[dict], float] = field(compare=False, repr=False)

    @property
    def symbol(self) -> str:
        """The derivative's name: "d(w1*x)/dw1", "da1/dz1"."""
        return f"d{_d(self.head)}/d{_d(self.tail)}"


def _d(name: str) -> str:
    return name if name.replace("_", "").isalnum() else f"({name})"


_NODE_LIST = [
    Node("x", "data", col=0, row=0),
    Node("w1", "param", col=0, row=1),
    Node("w1*x", "op", "w1*x", ("w1", "x"), col=1),
    Node("b1", "param", col=1, row=1),
    Node("z1", "op", "w1*x + b1", ("w1*x", "b1"), col=2),
    Node("a1", "op", "ReLU(z1)", ("z1",), col=3),
    Node("w2", "param", col=3, row=1),
    Node("w2*a1", "op", "w2*a1", ("w2", "a1"), col=4),
    Node("b2", "param", col=4, row=1),
    Node("y_hat", "op", "w2*a1 + b2", ("w2*a1", "b2"), col=5),
    Node("y", "data", col=5, row=1),
    Node("L", "op", "(y_hat - y)^2", ("y_hat", "y"), col=6),
]
NODES: dict[str, Node] = {n.name: n for n in _NODE_LIST}
LEAVES = tuple(n.name for n in _NODE_LIST if n.kind != "op")            # x, w1, b1, w2, b2, y

# how each computed node gets its value from its inputs (same order as NODES)
_COMPUTE: dict[str, Callable[[dict], float]] = {
    "w1*x": lambda v: v["w1"] * v["x"],
    "z1": lambda v: v["w1*x"] + v["b1"],
    "a1": lambda v: max(v["z1"], 0.0),
    "w2*a1": lambda v: v["w2"] * v["a1"],
    "y_hat": lambda v: v["w2*a1"] + v["b2"],
    "L": lambda v: (v["y_hat"] - v["y"]) ** 2,
}

EDGES: tuple[Edge, ...] = (
    Edge("x", "w1*x", "w1", lambda v: v["w1"]),
    Edge("w1", "w1*x", "x", lambda v: v["x"]),
    Edge("w1*x", "z1", "1", lambda v: 1.0),
    Edge("b1", "z1", "1", lambda v: 1.0),
    Edge("z1", "a1", "[z1 > 0]", lambda v: 1.0 if v["z1"] > 0 else 0.0),   # PyTorch's ReLU: 0 at z1 = 0
    Edge("a1", "w2*a1", "w2", lambda v: v["w2"]),
    Edge("w2", "w2*a1", "a1", lambda v: v["a1"]),
    Edge("w2*a1", "y_hat", "1", lambda v: 1.0),
    Edge("b2", "y_hat", "1", lambda v: 1.0),
    Edge("y_hat", "L", "2*(y_hat - y)", lambda v: 2.0 * (v["y_hat"] - v["y"])),
    Edge("y", "L", "-2*(y_hat - y)", lambda v: -2.0 * (v["y_hat"] - v["y"])),
)

# topological order, left to right; gradients go right to left (a node after all its consumers)
FORWARD_ORDER = tuple(n.name for n in _NODE_LIST if n.kind == "op")
BACKWARD_ORDER = tuple(sorted((n.name for n in _NODE_LIST if n.needs_grad),
                              key=lambda name: (-NODES[name].col, NODES[name].row)))

# ReLU active: z1 = 1.1 > 0. The numbers are small and distinct, so every product can be read off.
DEFAULTS = {"x": 2.0, "y": 5.0, "w1": 0.5, "b1": 0.1, "w2": 0.8, "b2": 0.2}
RELU_OFF = {**DEFAULTS, "b1": -1.5}    # z1 = -0.5 < 0: a1 = 0, and the gradient stops at the ReLU


def consumers(name: str) -> tuple[Edge, ...]:
    """The edges leaving `name`: the nodes that use its value."""
    return tuple(e for e in EDGES if e.tail == name)


def _leaves(values: dict) -> dict[str, float]:
    """The six leaf values as floats; anything else is refused in words (the lesson's language)."""
    unknown = sorted(set(values) - set(LEAVES))
    if unknown:
        raise ValueError(t("graph.problem.unknown_leaf", got=unknown[0], expected=list(LEAVES)))
    out = {**DEFAULTS, **values}
    for name, v in out.items():
        try:
            f = float(v)
        except (TypeError, ValueError):
            f = math.nan
        if isinstance(v, bool) or not math.isfinite(f):
            raise ValueError(t("graph.problem.bad_leaf", name=name, got=v))
        out[name] = f
    return out


def forward(values: dict | None = None) -> dict[str, float]:
    """Every node's value, left to right; `values` sets any of the leaves (the rest from DEFAULTS)."""
    v = _leaves(values or {})
    for name in FORWARD_ORDER:
        v[name] = _COMPUTE[name](v)
    return {name: v[name] for name in NODES}


def local_derivative(edge: Edge, values: dict) -> float:
    """d(head)/d(tail) at the given values."""
    return float(edge.fn(values))


def backward(values: dict | None = None) -> dict[str, float]:
    """dL/d(node) for every node (x and y too), by the chain rule, right to left.

    `values`: the leaves (a forward pass is run) or a full forward() result.
    """
    v = values if values is not None and all(k in values for k in NODES) else forward(values)
    grads = {"L": 1.0}
    for name in sorted(NODES, key=lambda n: (-NODES[n].col, NODES[n].row)):
        if name != "L":
            grads[name] = sum(grads[e.head] * local_derivative(e, v) for e in consumers(name))
    return {name: grads[name] for name in NODES}


def _f(v: float) -> str:
    return f"{v:.4f}"


def _p(v: float) -> str:
    """A factor or term: a negative number in brackets ("2.0000 * (-0.5000)")."""
    return f"({_f(v)})" if v < 0 else _f(v)


_NUMBERS: dict[str, Callable[[dict], str]] = {      # each formula with its inputs' numbers
    "w1*x": lambda v: f"{_p(v['w1'])} * {_p(v['x'])}",
    "z1": lambda v: f"{_p(v['w1*x'])} + {_p(v['b1'])}",
    "a1": lambda v: f"ReLU({_f(v['z1'])})",
    "w2*a1": lambda v: f"{_p(v['w2'])} * {_p(v['a1'])}",
    "y_hat": lambda v: f"{_p(v['w2*a1'])} + {_p(v['b2'])}",
    "L": lambda v: f"({_f(v['y_hat'])} - {_p(v['y'])})^2",
}


@dataclass
class GraphStep:
    """What one call of the stepper did: which node it filled (or why it refused), in words.

    `text()` is the sentence in the current language (or `lang`); `formula` is the language-free
    math ("z1 = w1*x + b1 = 1.0000 + 0.1000 = 1.1000").
    """
    action: str                        # "forward", "backward" or "reset"
    node: str | None                   # the node filled, None when refused or reset
    ok: bool
    key: str
    params: dict = field(default_factory=dict)
    formula: str = ""
    value: float | None = None

    def text(self, lang: str | None = None) -> str:
        return t(self.key, lang=lang, **self.params)

    @property
    def message(self) -> str:
        return self.text() if self.ok else f"⚠️ {self.text()}"

    def _repr_html_(self) -> str:
        """A cell ending in `stepper.forward_step()` shows the sentence as lessonlib.show does (RTL in Hebrew)."""
        from .display import html_block
        return html_block(self.message)

    def __repr__(self) -> str:
        return self.message


class GraphStepper:
    """The tiny graph's state: values filled left to right, then gradients right to left, one node per call.

    At the start (and after reset) the leaves hold their values and nothing else is filled.
    Misuse never raises: the returned GraphStep says what is missing (e.g. backward before the
    forward pass is complete).
    """

    def __init__(self, **leaves):
        self.reset(**leaves)

    def reset(self, **leaves) -> GraphStep:
        """Back to the leaves only; `leaves` may set new numbers (e.g. GraphStepper.reset(**RELU_OFF))."""
        self.leaves = _leaves(leaves) if leaves else dict(getattr(self, "leaves", DEFAULTS))
        self.values: dict[str, float | None] = {n: self.leaves.get(n) for n in NODES}
        self.grads: dict[str, float | None] = {n: None for n in NODES}
        self.last: str | None = None           # the node filled by the last call
        self.last_edges: tuple[Edge, ...] = ()   # the edges the last call read
        self.history: list[GraphStep] = []
        return GraphStep("reset", None, True, "graph.did.reset")

    # ---- what is filled ---------------------------------------------------------------------------
    @property
    def next_forward(self) -> str | None:
        return next((n for n in FORWARD_ORDER if self.values[n] is None), None)

    @property
    def next_backward(self) -> str | None:
        return next((n for n in BACKWARD_ORDER if self.grads[n] is None), None)

    @property
    def forward_done(self) -> bool:
        return self.next_forward is None

    @property
    def backward_done(self) -> bool:
        return self.next_backward is None

    def filled_values(self) -> list[str]:
        return [n for n in FORWARD_ORDER if self.values[n] is not None]

    def filled_grads(self) -> list[str]:
        return [n for n in BACKWARD_ORDER if self.grads[n] is not None]

    @property
    def relu_active(self) -> bool | None:
        z1 = self.values["z1"]
        return None if z1 is None else z1 > 0

    # ---- one node per call ------------------------------------------------------------------------
    def _record(self, step: GraphStep) -> GraphStep:
        self.history.append(step)
        return step

    def forward_step(self) -> GraphStep:
        """Fill the value of the next node, left to right."""
        name = self.next_forward
        if name is None:
            key = "graph.problem.forward_done"
            return self._record(GraphStep("forward", None, False, key, {"total": len(FORWARD_ORDER)}))
        node, v = NODES[name], self.values
        value = _COMPUTE[name](v)
        self.values[name] = value
        self.last, self.last_edges = name, tuple(e for e in EDGES if e.head == name)
        named = "" if node.formula == name else f" = {node.formula}"
        formula = f"{name}{named} = {self._substituted(name)} = {_f(value)}"
        done = len(self.filled_values())
        params = {"node": name, "formula": formula, "done": done, "total": len(FORWARD_ORDER)}
        key = "graph.did.forward_last" if done == len(FORWARD_ORDER) else "graph.did.forward"
        return self._record(GraphStep("forward", name, True, key, params, formula, value))

    def _substituted(self, name: str) -> str:
        """The node's formula with the numbers of its inputs: "1.0000 + 0.1000"."""
        return _NUMBERS[name]({k: v for k, v in self.values.items() if v is not None})

    def backward_step(self) -> GraphStep:
        """Fill the gradient dL/d(node) of the next node, right to left, by the chain rule."""
        missing = self.next_forward
        if missing is not None:
            params = {"missing": missing, "done": len(self.filled_values()), "total": len(FORWARD_ORDER)}
            return self._record(GraphStep("backward", None, False, "graph.problem.backward_before_forward", params))
        name = self.next_backward
        if name is None:
            return self._record(GraphStep("backward", None, False, "graph.problem.backward_done",
                                          {"total": len(BACKWARD_ORDER)}))
        if name == "L":
            grad, formula, edges = 1.0, "dL/dL = 1", ()
        elif all(e.head == "L" for e in consumers(name)):     # next to L: the local derivative itself
            (edge,) = edges = consumers(name)
            grad = local_derivative(edge, self.values)
            numbers = edge.formula.replace("y_hat", _f(self.values["y_hat"])).replace(" y)", f" {_p(self.values['y'])})")
            formula = f"dL/d{_d(name)} = {edge.formula} = {numbers} = {_f(grad)}"
        else:
            edges = consumers(name)
            terms = [(self.grads[e.head], local_derivative(e, self.values)) for e in edges]
            grad = sum(g * d for g, d in terms)
            names = " + ".join(f"dL/d{_d(e.head)} * {e.symbol}" for e in edges)
            numbers = " + ".join(f"{_p(g)} * {_p(d)}" for g, d in terms)
            formula = f"dL/d{_d(name)} = {names} = {numbers} = {_f(grad)}"
        self.grads[name] = grad
        self.last, self.last_edges = name, edges
        done = len(self.filled_grads())
        params = {"node": name, "formula": formula, "done": done, "total": len(BACKWARD_ORDER)}
        key = "graph.did.backward_last" if done == len(BACKWARD_ORDER) else "graph.did.backward"
        if name == "z1" and not self.relu_active:
            key = "graph.did.backward_relu_off"
        return self._record(GraphStep("backward", name, True, key, params, formula, grad))

    def forward_all(self) -> list[GraphStep]:
        """The rest of the forward pass (one GraphStep per node filled; a refusal when nothing is left)."""
        steps = [self.forward_step()]
        while not self.forward_done:
            steps.append(self.forward_step())
        return steps

    def backward_all(self) -> list[GraphStep]:
        """The rest of the backward pass; refused, in words, while the forward pass is incomplete."""
        steps = [self.backward_step()]
        while steps[-1].ok and not self.backward_done:
            steps.append(self.backward_step())
        return steps
