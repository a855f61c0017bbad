"""Drawings of computational graphs with matplotlib (no graphviz), lesson 05.

* `plot_graph(stepper)`: the tiny 1 -> 1 -> ReLU -> 1 network of lessonlib.graph, one box per
  node (its value after the forward pass, its gradient dL/d(node) in red after backpropagation),
  one arrow per edge with the local derivative written on it; the node filled by the stepper's
  last call is highlighted, and so are the edges that call read.
* `plot_layer_graph(model)`: the lesson's own net at the level of layers: which tensors feed
  which, with their shapes taken from the real model, and where backpropagation leaves `.grad`.

Node, edge and shape texts are math and code (left to right in both languages); titles, legends
and the key come from the catalog through plots.tr (the series' one bidi rule).
Every artist that carries a number has a gid ("value:z1", "grad:z1", "edge:z1->a1", "param:W1"),
so tests (and curious students) can find what was drawn.
"""
from __future__ import annotations

from matplotlib.patches import FancyBboxPatch, Patch

from . import graph as g
from .plots import SMALL_FONT, new_figure, tr

__all__ = ["plot_graph", "restyle_graph", "plot_layer_graph", "layer_graph"]

BOX_W, BOX_H = 0.52, 0.5          # a node's box, in data units (one column = one unit)
FILL = {"data": "#e6e6e6", "param": "#d7e8f7", "op": "#ffffff"}
HIGHLIGHT = "tab:orange"
GRAD_COLOR = "tab:red"


def _box(ax, x, y, w, h, kind, gid):
    patch = FancyBboxPatch((x - w / 2, y - h / 2), w, h, boxstyle="round,pad=0.02,rounding_size=0.05",
                           facecolor=FILL.get(kind, "#fff4d6"), edgecolor="#444444", linewidth=1.2, zorder=2)
    patch.set_gid(gid)
    ax.add_patch(patch)
    return patch


def _center(patch):
    return (patch.get_x() + patch.get_width() / 2, patch.get_y() + patch.get_height() / 2)


def _border(patch, toward):
    """Where the line from the box's centre toward `toward` leaves the box (pad included)."""
    (cx, cy), (tx, ty) = _center(patch), toward
    hw, hh = patch.get_width() / 2 + 0.02, patch.get_height() / 2 + 0.02
    dx, dy = tx - cx, ty - cy
    k = min(hw / abs(dx) if dx else float("inf"), hh / abs(dy) if dy else float("inf"))
    return cx + k * dx, cy + k * dy


def _arrow(ax, a, b, gid, color="#333333", lw=1.3, style="-", bend=0.0):
    """An arrow from box a to box b, from border to border (`bend`: curved, arc3's rad).

    The end points are computed here: clipping at the patches (patchA/patchB) costs half the
    drawing time, which the widget pays on every click.
    """
    start, end = _border(a, _center(b)), _border(b, _center(a))
    ann = ax.annotate("", xy=end, xytext=start, zorder=1,
                      arrowprops=dict(arrowstyle="-|>", shrinkA=1, shrinkB=1, color=color, lw=lw,
                                      linestyle=style, mutation_scale=14, connectionstyle=f"arc3,rad={bend}"))
    ann.set_gid(gid)
    return ann


def _edge_label(edge: g.Edge, values: dict) -> str:
    """"d(w1*x)/dw1 = x" and, once its head is computed, its value on a second line."""
    text = f"{edge.symbol} = {edge.formula}"
    if values.get(edge.head) is not None and edge.formula != "1":
        text += f"\n= {g.local_derivative(edge, values):.4g}"
    return text


def _title(stepper: g.GraphStepper) -> str:
    return tr("graph.plot.title", done=len(stepper.filled_values()), total=len(g.FORWARD_ORDER),
              gdone=len(stepper.filled_grads()), gtotal=len(g.BACKWARD_ORDER))


def _looks(stepper: g.GraphStepper) -> dict[str, dict]:
    """Everything of the drawing that a step can change, by gid: the numbers, the highlighted box
    and edges (the stepper's last call), and the dashed ReLU edge that passes nothing."""
    values, grads, last = stepper.values, stepper.grads, stepper.last
    looks: dict[str, dict] = {}
    for name, node in g.NODES.items():
        looks[f"node:{name}"] = dict(edgecolor=HIGHLIGHT if name == last else "#444444",
                                     linewidth=3.0 if name == last else 1.2)
        looks[f"value:{name}"] = dict(text="?" if values[name] is None else f"{values[name]:.4f}")
        if node.needs_grad:
            looks[f"grad:{name}"] = dict(text="" if grads[name] is None else f"{grads[name]:.4f}")
    used = {(e.tail, e.head) for e in stepper.last_edges}
    for edge in g.EDGES:
        on = (edge.tail, edge.head) in used
        stops = edge.head == "a1" and values["z1"] is not None and values["z1"] <= 0    # a ReLU passing nothing
        looks[f"arrow:{edge.tail}->{edge.head}"] = dict(color=HIGHLIGHT if on else "#333333",
                                                       linewidth=2.5 if on else 1.3, linestyle="--" if stops else "-")
        looks[f"edge:{edge.tail}->{edge.head}"] = dict(text=_edge_label(edge, values),
                                                      color=GRAD_COLOR if stops else "black")
    return looks


def _restyle(ax, stepper: g.GraphStepper) -> None:
    """Give the drawn artists (found by gid) the look of `stepper`'s state."""
    artists = {a.get_gid(): a for a in ax.get_children() if a.get_gid()}
    for gid, look in _looks(stepper).items():
        artist = artists[gid]
        (artist.arrow_patch if gid.startswith("arrow:") else artist).set(**look)
    ax.set_title(_title(stepper))


def plot_graph(stepper: g.GraphStepper | None = None, ax=None):
    """The tiny graph as `stepper` has filled it (default: both passes done, default numbers)."""
    if stepper is None:
        stepper = g.GraphStepper()
        stepper.forward_all()
        stepper.backward_all()
    fig, ax = (ax.figure, ax) if ax is not None else new_figure(figsize=(12.8, 4.6))
    patches = {}
    for node in g.NODES.values():
        x, y = node.col, node.row
        patches[node.name] = _box(ax, x, y, BOX_W, BOX_H, node.kind, f"node:{node.name}")
        ax.text(x, y + 0.13, node.name, ha="center", va="center", fontweight="bold", zorder=3, gid=f"name:{node.name}")
        ax.text(x, y - 0.01, "", ha="center", va="center", zorder=3, gid=f"value:{node.name}")
        if node.needs_grad:
            ax.text(x, y - 0.15, "", ha="center", va="center", color=GRAD_COLOR, zorder=3, gid=f"grad:{node.name}")
    for edge in g.EDGES:
        a, b = g.NODES[edge.tail], g.NODES[edge.head]
        _arrow(ax, patches[edge.tail], patches[edge.head], f"arrow:{edge.tail}->{edge.head}")
        if a.row == b.row:      # along the chain: the label under the gap between the boxes
            pos, va = ((a.col + b.col) / 2, -BOX_H / 2 - 0.04), "top"
        else:                   # from a leaf above: the label halfway along the arrow
            pos, va = ((a.col + b.col) / 2, (a.row + b.row) / 2), "center"
        ax.text(*pos, "", ha="center", va=va, fontsize=SMALL_FONT, zorder=4, gid=f"edge:{edge.tail}->{edge.head}",
                bbox=dict(boxstyle="round,pad=0.15", facecolor="white", edgecolor="none", alpha=0.9))
    ax.set_xlim(-0.45, 6.45)
    ax.set_ylim(-0.85, 1.35)
    ax.set_axis_off()
    # hidden as well as off: the title's placement then skips laying out their ticks (a quarter of a redraw)
    ax.xaxis.set_visible(False)
    ax.yaxis.set_visible(False)
    ax.text(3.0, -0.82, tr("graph.plot.key"), ha="center", va="bottom", gid="key")
    handles = [Patch(facecolor=FILL[k], edgecolor="#444444", label=tr(f"graph.plot.{k}")) for k in ("data", "param", "op")]
    handles.append(Patch(facecolor="white", edgecolor=HIGHLIGHT, linewidth=3, label=tr("graph.plot.last")))
    ax.legend(handles=handles, loc="upper right", fontsize=SMALL_FONT)
    _restyle(ax, stepper)
    return fig


def restyle_graph(ax, stepper: g.GraphStepper) -> bool:
    """Show `stepper`'s state on axes that plot_graph drew (the graph widget, on every click).

    Only what a step can change is updated (numbers, highlights, the title): the same picture as
    a new plot_graph(stepper), drawn in two thirds of the time (tests/test_graph_widget.py).
    False, and nothing done, where the axes hold no such graph in the current language (the
    student switched languages): draw it anew then.
    """
    key = next((a for a in ax.texts if a.get_gid() == "key"), None)
    if key is None or key.get_text() != tr("graph.plot.key"):
        return False
    _restyle(ax, stepper)
    return True


# ---- the lesson's net, layer by layer ----------------------------------------------------------------

def _shape(shape) -> str:
    """(16, 1), (16,) and (): as Python prints a tuple."""
    return str(tuple(shape))


def layer_graph(model=None) -> dict:
    """The lesson net's layer-level graph, read from the model itself (default: make_model(0)).

    Returns {"chain": [(kind, name, text)], "params": {layer index: [(name, torch name, shape, grad)]}}:
    the tensors along the forward pass with their shapes (batch size written B) and the layers
    between them, and each Linear layer's weight and bias with the shape of its .grad (None before
    backward()). Shapes come from a forward pass with hooks, not from typing them in.
    """
    import torch
    from torch import nn

    from .model import make_model
    model = make_model(0) if model is None else model
    out_shapes = {}
    hooks = [m.register_forward_hook(lambda m, i, o, k=k: out_shapes.__setitem__(k, tuple(o.shape)))
             for k, m in enumerate(model)]
    try:
        with torch.no_grad():
            model(torch.zeros(3, model[0].in_features))      # B = 3, drawn as "B"
    finally:
        for h in hooks:
            h.remove()

    def batch(shape):
        return "(B, " + ", ".join(str(s) for s in shape[1:]) + ")"

    chain = [("tensor", "x", batch((3, model[0].in_features)))]
    params, n_lin, n_act = {}, 0, 0
    linears = [k for k, m in enumerate(model) if isinstance(m, nn.Linear)]
    for k, m in enumerate(model):
        if isinstance(m, nn.Linear):
            n_lin += 1
            chain.append(("layer", str(k), f"Linear({m.in_features}, {m.out_features})"))
            params[k] = [(f"{sym}{n_lin}", f"{k}.{attr}", _shape(p.shape), None if p.grad is None else _shape(p.grad.shape))
                         for sym, attr, p in (("W", "weight", m.weight), ("b", "bias", m.bias))]
            name = "y_hat" if k == linears[-1] else f"z{n_lin}"
        else:
            n_act += 1
            chain.append(("layer", str(k), type(m).__name__))
            name = f"a{n_act}"
        chain.append(("tensor", name, batch(out_shapes[k])))
    chain += [("layer", "loss", "MSE"), ("tensor", "L", "()")]
    return {"chain": chain, "params": params, "target": ("y", batch(out_shapes[linears[-1]]))}


def plot_layer_graph(model=None, ax=None):
    """Which tensors feed which in the lesson's net, and where backpropagation leaves .grad."""
    spec = layer_graph(model)
    chain = spec["chain"]
    fig, ax = (ax.figure, ax) if ax is not None else new_figure(figsize=(12.8, 4.4))
    patches = []
    for i, (kind, name, text) in enumerate(chain):
        label = f"{name}\n{text}" if kind == "tensor" else text.replace("(", "\n(", 1)   # "Linear\n(1, 16)"
        patches.append(_box(ax, i, 0, 0.74, 0.5, "op" if kind == "tensor" else "layer", f"{kind}:{name}"))
        ax.text(i, 0, label, ha="center", va="center", fontsize=SMALL_FONT, zorder=3, gid=f"text:{kind}:{name}")
    for i in range(len(chain) - 1):
        _arrow(ax, patches[i], patches[i + 1], f"arrow:{i}")
    index = {name: i for i, (kind, name, _) in enumerate(chain) if kind == "layer"}
    for k, plist in spec["params"].items():
        col = index[str(k)]
        for (sym, torch_name, shape, grad), dx in zip(plist, (-0.6, 0.6), strict=False):
            grad_text = ".grad: None" if grad is None else f".grad {grad}"
            p = _box(ax, col + dx, 1.05, 1.1, 0.62, "param", f"param:{sym}")
            ax.text(col + dx, 1.16, f"{sym} {shape}\n{torch_name}", ha="center", va="center", fontsize=SMALL_FONT,
                    zorder=3, gid=f"param_text:{sym}")
            ax.text(col + dx, 0.88, grad_text, ha="center", va="center", fontsize=SMALL_FONT, color=GRAD_COLOR,
                    zorder=3, gid=f"grad:{sym}")
            _arrow(ax, p, patches[col], f"arrow:{sym}")
            _arrow(ax, patches[col], p, f"grad_arrow:{sym}", color=GRAD_COLOR, style="--", lw=1.1, bend=0.5)
    y_name, y_shape = spec["target"]
    loss_col = index["loss"]
    target = _box(ax, loss_col, 1.05, 0.74, 0.5, "data", f"tensor:{y_name}")
    ax.text(loss_col, 1.05, f"{y_name}\n{y_shape}", ha="center", va="center", fontsize=SMALL_FONT, zorder=3,
            gid=f"text:tensor:{y_name}")
    _arrow(ax, target, patches[loss_col], f"arrow:{y_name}")
    ax.annotate("", xy=(0, -0.45), xytext=(len(chain) - 1, -0.45), gid="backward",
                arrowprops=dict(arrowstyle="-|>", color=GRAD_COLOR, linestyle="--", lw=1.3))
    ax.text((len(chain) - 1) / 2, -0.5, "loss.backward()", ha="center", va="top", color=GRAD_COLOR,
            fontsize=SMALL_FONT, gid="backward_label")
    ax.text((len(chain) - 1) / 2, -0.78, tr("graph.layers.key"), ha="center", va="top", gid="key")
    ax.set_xlim(-0.55, len(chain) - 0.45)
    ax.set_ylim(-1.0, 1.45)
    ax.set_axis_off()
    ax.set_title(tr("graph.layers.title"))
    return fig
