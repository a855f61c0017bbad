"""lessonlib.graph_plot: the drawn graphs carry the stepper's numbers and the model's shapes.

Checks the drawn artists (found by their gid), not only that a figure exists: every value and
gradient as filled, the local derivative on every edge, the highlighted node, the dashed ReLU
that passes nothing, the layer graph's shapes read from the model (hidden=8 gives other shapes)
and its .grad; labels from the catalog through the bidi rule (plots.label) in both languages.
Runs under the project's matplotlib and Colab's 3.10 (`make test-colab`).
"""
import re

import matplotlib
import pytest
import torch

from lessonlib import graph as g, graph_plot as gp, make_model, plots
from lessonlib.plots import LessonFigure, label, needs_bidi
from lessonlib.text import t
from tests.test_plots import OUTPUT_WIDTH_PX, PNG_MAGIC, no_pyplot_figures, smallest_text_px  # noqa: F401

HEBREW = re.compile(r"[\u05D0-\u05EA]")


def drawn(fig):
    """{gid: artist} of every artist with a gid."""
    return {a.get_gid(): a for a in fig.findobj() if a.get_gid()}


def text_of(fig, gid):
    return drawn(fig)[gid].get_text()


def stepped(forward: int, backward: int, leaves=g.DEFAULTS):
    s = g.GraphStepper(**leaves)
    for _ in range(forward):
        s.forward_step()
    for _ in range(backward):
        s.backward_step()
    return s


# ---- the tiny graph ---------------------------------------------------------------------------------------

# Worked by hand (x = 2, y = 5, w1 = 0.5, b1 = 0.1, w2 = 0.8, b2 = 0.2), not with lessonlib.graph:
# w1*x = 1, z1 = 1.1, a1 = 1.1, w2*a1 = 0.88, y_hat = 1.08, L = (1.08 - 5)^2 = 15.3664
HAND_VALUES = {"x": "2.0000", "w1": "0.5000", "w1*x": "1.0000", "b1": "0.1000", "z1": "1.1000", "a1": "1.1000",
               "w2": "0.8000", "w2*a1": "0.8800", "b2": "0.2000", "y_hat": "1.0800", "y": "5.0000", "L": "15.3664"}
# dL/dy_hat = 2 (1.08 - 5) = -7.84 (= dL/db2 = dL/d(w2*a1)), dL/dw2 = -7.84 * a1 = -8.624,
# dL/da1 = -7.84 * w2 = -6.272 (= dL/dz1 = dL/db1 = dL/d(w1*x)), dL/dw1 = -6.272 * x = -12.544
HAND_GRADS = {"w1": "-12.5440", "w1*x": "-6.2720", "b1": "-6.2720", "z1": "-6.2720", "a1": "-6.2720",
              "w2": "-8.6240", "w2*a1": "-7.8400", "b2": "-7.8400", "y_hat": "-7.8400", "L": "1.0000"}
# each edge's local derivative at those values: d(w1*x)/dx = w1, d(w1*x)/dw1 = x, d(w2*a1)/da1 = w2,
# d(w2*a1)/dw2 = a1, da1/dz1 = [1.1 > 0], dL/dy_hat = 2 (y_hat - y), dL/dy = -2 (y_hat - y)
HAND_EDGES = {("x", "w1*x"): "0.5", ("w1", "w1*x"): "2", ("z1", "a1"): "1", ("a1", "w2*a1"): "0.8",
              ("w2", "w2*a1"): "1.1", ("y_hat", "L"): "-7.84", ("y", "L"): "7.84"}


def test_the_drawn_numbers_are_the_hand_worked_ones(no_pyplot_figures):
    fig = gp.plot_graph(stepped(6, 10))
    assert {n: text_of(fig, f"value:{n}") for n in HAND_VALUES} == HAND_VALUES
    assert {n: text_of(fig, f"grad:{n}") for n in HAND_GRADS} == HAND_GRADS
    for (tail, head), value in HAND_EDGES.items():
        assert text_of(fig, f"edge:{tail}->{head}").endswith(f"\n= {value}"), (tail, head)
    assert sorted(HAND_EDGES) == sorted((e.tail, e.head) for e in g.EDGES if e.formula != "1")

def test_every_node_box_shows_its_value_and_gradient(no_pyplot_figures):
    s = stepped(6, 10)
    fig = gp.plot_graph(s)
    assert isinstance(fig, LessonFigure)
    for name in g.NODES:
        assert text_of(fig, f"name:{name}") == name
        assert text_of(fig, f"value:{name}") == f"{s.values[name]:.4f}"
        if name in ("x", "y"):
            assert f"grad:{name}" not in drawn(fig)            # data: no gradient drawn, as in PyTorch
        else:
            assert text_of(fig, f"grad:{name}") == f"{s.grads[name]:.4f}"
    assert text_of(fig, "value:L") == "15.3664" and text_of(fig, "grad:w1") == "-12.5440"
    assert drawn(fig)["grad:w1"].get_color() == gp.GRAD_COLOR


@pytest.mark.parametrize("forward, backward", [(0, 0), (3, 0), (6, 0), (6, 4)])
def test_unfilled_nodes_are_blank_and_the_last_one_is_highlighted(no_pyplot_figures, forward, backward):
    s = stepped(forward, backward)
    fig = gp.plot_graph(s)
    for name in g.FORWARD_ORDER:
        want = "?" if s.values[name] is None else f"{s.values[name]:.4f}"
        assert text_of(fig, f"value:{name}") == want
    for name in g.BACKWARD_ORDER:
        want = "" if s.grads[name] is None else f"{s.grads[name]:.4f}"
        assert text_of(fig, f"grad:{name}") == want
    shown = [a.get_text() for k, a in drawn(fig).items() if k.startswith("value:") and a.get_text() != "?"]
    assert len(shown) == 6 + forward                          # the six leaves, and one more per forward call
    highlighted = [gid[5:] for gid, a in drawn(fig).items() if gid.startswith("node:") and a.get_linewidth() == 3.0]
    assert highlighted == ([s.last] if s.last else [])
    for name in g.NODES:       # the last node in the highlight colour, the others in the plain frame
        box = drawn(fig)[f"node:{name}"]
        assert matplotlib.colors.same_color(box.get_edgecolor(), gp.HIGHLIGHT if name == s.last else "#444444")
        assert box.get_linewidth() == (3.0 if name == s.last else 1.2)
    read = {(e.tail, e.head) for e in s.last_edges}
    assert bool(read) == (s.last is not None)      # every call reads edges: in, forward; out, backward
    for e in g.EDGES:          # the edges the last call read: thicker, in the highlight colour
        arrow = drawn(fig)[f"arrow:{e.tail}->{e.head}"].arrow_patch
        on = (e.tail, e.head) in read
        assert matplotlib.colors.same_color(arrow.get_edgecolor(), gp.HIGHLIGHT if on else "#333333"), e
        assert arrow.get_linewidth() == (2.5 if on else 1.3), e


def test_every_edge_carries_its_local_derivative(no_pyplot_figures):
    before = gp.plot_graph(stepped(0, 0))
    after = gp.plot_graph(stepped(6, 0))
    for e in g.EDGES:
        gid = f"edge:{e.tail}->{e.head}"
        assert text_of(before, gid) == f"{e.symbol} = {e.formula}"      # symbolic before the forward pass
        if e.formula != "1":
            value = g.local_derivative(e, g.forward())
            assert text_of(after, gid) == f"{e.symbol} = {e.formula}\n= {value:.4g}"
    assert text_of(after, "edge:w1->w1*x") == "d(w1*x)/dw1 = x\n= 2"
    assert text_of(after, "edge:z1->a1") == "da1/dz1 = [z1 > 0]\n= 1"
    assert text_of(after, "edge:b1->z1") == "dz1/db1 = 1"


def test_an_inactive_relu_is_drawn_as_a_stop(no_pyplot_figures):
    on = drawn(gp.plot_graph(stepped(6, 10)))
    off_fig = gp.plot_graph(stepped(6, 10, g.RELU_OFF))
    off = drawn(off_fig)
    assert on["arrow:z1->a1"].arrow_patch.get_linestyle() == "-"
    assert off["arrow:z1->a1"].arrow_patch.get_linestyle() == "--"
    assert off["edge:z1->a1"].get_text().endswith("= 0") and off["edge:z1->a1"].get_color() == gp.GRAD_COLOR
    for name in ("z1", "w1*x", "b1", "w1"):
        assert off[f"grad:{name}"].get_text() == "0.0000"
    assert off["grad:a1"].get_text() == "-7.6800"
    # the edge's own rule, da1/dz1 = [z1 > 0]: at z1 = 0 exactly the ReLU passes nothing; at 0.5 it passes
    for b1, dashed in ((-1.0, True), (-0.5, False)):       # z1 = w1 x + b1 = 0.5 * 2 + b1
        s = stepped(6, 0, {**g.DEFAULTS, "b1": b1})
        assert s.values["z1"] == 1.0 + b1
        assert drawn(gp.plot_graph(s))["arrow:z1->a1"].arrow_patch.get_linestyle() == ("--" if dashed else "-")


@pytest.mark.parametrize("lang", ["en", "he"])
def test_titles_legend_and_key_in_both_languages(language, no_pyplot_figures, lang):
    language(lang)
    fig = gp.plot_graph(stepped(6, 2))
    ax = fig.axes[0]
    assert ax.get_title() == label(t("graph.plot.title", lang=lang, done=6, total=6, gdone=2, gtotal=10))
    assert text_of(fig, "key") == label(t("graph.plot.key", lang=lang))
    assert [x.get_text() for x in ax.get_legend().get_texts()] == [
        label(t(f"graph.plot.{k}", lang=lang)) for k in ("data", "param", "op", "last")]
    if lang == "he":
        assert HEBREW.search(ax.get_title())
        if not needs_bidi():
            assert ax.get_title() == "גרף חישוב: 6 מתוך 6 ערכים, 2 מתוך 10 גרדיאנטים"
        else:      # matplotlib 3.10: stored in display order, the numbers' runs kept in order
            assert ax.get_title() != t("graph.plot.title", lang="he", done=6, total=6, gdone=2, gtotal=10)
            assert "10" in ax.get_title()
    else:
        assert ax.get_title() == "Computational graph: 6 of 6 values, 2 of 10 gradients"
    # the math in the boxes is the same in both languages
    assert text_of(fig, "value:L") == "15.3664" and text_of(fig, "edge:y_hat->L").startswith("dL/dy_hat = ")


@pytest.mark.parametrize("lang", ["en", "he"])
def test_graph_text_is_readable_where_shown(language, no_pyplot_figures, lang):
    language(lang)
    for fig in (gp.plot_graph(), gp.plot_layer_graph()):
        png = fig._repr_png_()
        assert png.startswith(PNG_MAGIC)
        px, text = smallest_text_px(fig, plots.FIGURE_DPI, OUTPUT_WIDTH_PX)
        assert px >= plots.MIN_TEXT_PX, f"{text!r} is drawn {px:.1f} px high"
        px, text = smallest_text_px(fig, 80)          # in the widget (80 dpi)
        assert px >= plots.MIN_TEXT_PX, f"{text!r} is drawn {px:.1f} px high in the widget"


def test_plot_graph_defaults_and_given_axes(no_pyplot_figures):
    fig = gp.plot_graph()                       # both passes done
    assert text_of(fig, "grad:w1") == "-12.5440"
    fig2, axes = plots.new_figure(figsize=(12.8, 9), nrows=2)
    assert gp.plot_graph(stepped(2, 0), ax=axes[1]) is fig2 and axes[0].get_title() == ""


# ---- the lesson net, layer by layer --------------------------------------------------------------------------

def test_layer_graph_shapes_come_from_the_model():
    spec = gp.layer_graph(make_model(0))
    assert [text for kind, name, text in spec["chain"]] == [
        "(B, 1)", "Linear(1, 16)", "(B, 16)", "ReLU", "(B, 16)", "Linear(16, 16)", "(B, 16)", "ReLU",
        "(B, 16)", "Linear(16, 1)", "(B, 1)", "MSE", "()"]
    assert [name for kind, name, _ in spec["chain"] if kind == "tensor"] == ["x", "z1", "a1", "z2", "a2", "y_hat", "L"]
    assert spec["params"][0] == [("W1", "0.weight", "(16, 1)", None), ("b1", "0.bias", "(16,)", None)]
    assert spec["params"][4][0] == ("W3", "4.weight", "(1, 16)", None)
    assert spec["target"] == ("y", "(B, 1)")
    small = gp.layer_graph(make_model(0, hidden=8))            # another model, other shapes: not typed in
    assert small["params"][2][0] == ("W2", "2.weight", "(8, 8)", None)
    assert "Linear(1, 8)" in [text for _, _, text in small["chain"]]


def test_layer_graph_shows_where_grad_lands(no_pyplot_figures):
    model = make_model(0)
    fig = gp.plot_layer_graph(model)
    names = dict(model.named_parameters())
    for k, sym in ((0, "1"), (2, "2"), (4, "3")):
        assert text_of(fig, f"param_text:W{sym}") == f"W{sym} {tuple(names[f'{k}.weight'].shape)}\n{k}.weight"
        assert text_of(fig, f"grad:W{sym}") == ".grad: None" and text_of(fig, f"grad:b{sym}") == ".grad: None"
        assert drawn(fig)[f"grad_arrow:W{sym}"].arrow_patch.get_linestyle() == "--"
    assert text_of(fig, "text:tensor:x") == "x\n(B, 1)" and text_of(fig, "text:layer:2") == "Linear\n(16, 16)"
    assert text_of(fig, "backward_label") == "loss.backward()"
    x = torch.linspace(-1, 1, 5).reshape(-1, 1)
    torch.nn.functional.mse_loss(model(x), 2 * x + 1).backward()
    after = gp.plot_layer_graph(model)
    assert text_of(after, "grad:W2") == ".grad (16, 16)" and text_of(after, "grad:b3") == ".grad (1,)"
    assert all(p.grad is not None for p in model.parameters())        # drawing changed nothing in the model
    assert len([a for gid, a in drawn(after).items() if gid.startswith("param:")]) == 6


@pytest.mark.parametrize("lang", ["en", "he"])
def test_layer_graph_labels_in_both_languages(language, no_pyplot_figures, lang):
    language(lang)
    fig = gp.plot_layer_graph()
    assert fig.axes[0].get_title() == label(t("graph.layers.title", lang=lang))
    assert text_of(fig, "key") == label(t("graph.layers.key", lang=lang))
    if lang == "he" and not needs_bidi():
        # ".grad" inside the Hebrew key keeps its dot in front on matplotlib >= 3.11 (isolated, or LRM-marked)
        assert ".grad" in text_of(fig, "key")


def test_drawing_leaves_no_global_state(language, no_pyplot_figures):
    before = dict(matplotlib.rcParams)
    torch_state = torch.get_rng_state()
    language("he")
    for fig in (gp.plot_graph(), gp.plot_layer_graph()):
        fig._repr_png_()
    assert dict(matplotlib.rcParams) == before
    assert torch.equal(torch.get_rng_state(), torch_state)


def look(fig) -> dict:
    """Everything a step can change, read off the drawing: texts and colours, box frames, arrows, the title."""
    from matplotlib.colors import to_hex
    from matplotlib.text import Annotation, Text
    ax, out = fig.axes[0], {}
    for gid, a in drawn(fig).items():
        if isinstance(a, Annotation):
            p = a.arrow_patch
            out[gid] = (to_hex(p.get_edgecolor()), p.get_linewidth(), p.get_linestyle())
        elif isinstance(a, Text):
            out[gid] = (a.get_text(), to_hex(a.get_color()))
        else:
            out[gid] = (to_hex(a.get_edgecolor()), a.get_linewidth())
    out["title"] = ax.get_title()
    return out


def test_restyle_graph_shows_another_state_on_the_same_drawing_and_only_on_its_own(language, no_pyplot_figures):
    fig = gp.plot_graph(stepped(0, 0))
    start = look(fig)
    for later in (stepped(6, 4), stepped(6, 10, g.RELU_OFF), stepped(2, 0)):     # forward, backward, a stopped ReLU
        assert gp.restyle_graph(fig.axes[0], later) is True
        assert look(fig) == look(gp.plot_graph(later)) != start
    # not a drawing of the graph: nothing done
    _, empty = plots.new_figure()
    assert gp.restyle_graph(empty, stepped(6, 4)) is False
    assert not empty.texts and not empty.patches and empty.get_title() == ""
    # drawn in English, the student switched to Hebrew: left alone, for a new drawing in Hebrew
    before = look(fig)
    language("he")
    assert gp.restyle_graph(fig.axes[0], stepped(6, 4)) is False and look(fig) == before
    assert gp.restyle_graph(gp.plot_graph(stepped(0, 0)).axes[0], stepped(6, 4)) is True


# ---- where things are drawn: what the student sees -------------------------------------------------------

def _seen_extent(patch):
    """(x0, y0, x1, y1) of a box as drawn (its outline's path, round corners and pad included), data units."""
    b = patch.get_path().get_extents()
    return b.x0, b.y0, b.x1, b.y1


def _inside(inner, outer) -> bool:
    return outer.x0 <= inner.x0 and inner.x1 <= outer.x1 and outer.y0 <= inner.y0 and inner.y1 <= outer.y1


def _on_outlines_facing(ann, tail, head):
    """The arrow starts on the tail box's drawn outline and ends on the head box's, each where the line between
    the two boxes' centres crosses it."""
    centre = {id(p): ((x0 + x1) / 2, (y0 + y1) / 2) for p in (tail, head) for x0, y0, x1, y1 in [_seen_extent(p)]}
    for (px, py), box, other in ((ann.xyann, tail, head), (ann.xy, head, tail)):
        x0, y0, x1, y1 = _seen_extent(box)
        (cx, cy), (ox, oy) = centre[id(box)], centre[id(other)]
        assert max(abs(px - cx) / ((x1 - x0) / 2), abs(py - cy) / ((y1 - y0) / 2)) == pytest.approx(1), ann.get_gid()
        assert (px - cx) * (oy - cy) - (py - cy) * (ox - cx) == pytest.approx(0, abs=1e-9), ann.get_gid()
        assert (px - cx) * (ox - cx) >= 0 and (py - cy) * (oy - cy) >= 0, ann.get_gid()      # facing the other box


def test_the_small_graph_is_laid_out_as_the_student_reads_it(no_pyplot_figures):
    """Each node's box at its column and row with its name, value and gradient inside it, top to bottom;
    arrows from box border to box border; edge labels between their boxes on white; the key under the
    graph; the legend's entries coloured as the boxes they describe; nothing overlapping, all in view."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.colors import to_hex, to_rgba
    from matplotlib.patches import BoxStyle
    from matplotlib.text import Annotation

    s = stepped(6, 10)                 # last: the backward pass's last node, w1 (a parameter)
    fig = gp.plot_graph(s)
    ax, d = fig.axes[0], drawn(fig)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    r = canvas.get_renderer()
    seen = {gid: a.get_window_extent(r) for gid, a in d.items() if not isinstance(a, Annotation)}
    assert tuple(fig.get_size_inches()) == (12.8, 4.6)       # the notebook's full width
    assert ax.get_xlim() == (-0.45, 6.45) and ax.get_ylim() == (-0.85, 1.35)
    assert not ax.axison and not ax.xaxis.get_visible() and not ax.yaxis.get_visible()
    view = ax.get_window_extent(r)
    fills = {"data": "#e6e6e6", "param": "#d7e8f7", "op": "#ffffff"}       # grey data, blue parameters, white ops
    # the boxes: 0.52 x 0.5 at (col, row), round corners (pad 0.02, radius 0.05), filled by kind
    for node in g.NODES.values():
        box = d[f"node:{node.name}"]
        assert _seen_extent(box) == pytest.approx((node.col - 0.28, node.row - 0.27, node.col + 0.28, node.row + 0.27))
        style = box.get_boxstyle()
        assert isinstance(style, BoxStyle.Round) and (style.pad, style.rounding_size) == (0.02, 0.05)
        assert to_hex(box.get_facecolor()) == fills[node.kind], node.name
        assert _inside(seen[f"node:{node.name}"], view)
        # name (bold) over value over gradient, each centred in the box, none overlapping the next
        texts = [d[f"{k}:{node.name}"] for k in ("name", "value", "grad") if f"{k}:{node.name}" in d]
        assert len(texts) == (2 if node.kind == "data" else 3)
        want = [node.col, node.row + 0.13, node.col, node.row - 0.01, node.col, node.row - 0.15][:2 * len(texts)]
        assert [v for txt in texts for v in txt.get_position()] == pytest.approx(want), node.name
        assert texts[0].get_fontweight() == "bold" and {txt.get_fontweight() for txt in texts[1:]} == {"normal"}
        for txt in texts:
            assert (txt.get_ha(), txt.get_va()) == ("center", "center")
            ext = txt.get_window_extent(r)
            assert _inside(ext, seen[f"node:{node.name}"]), txt.get_gid()
            assert (ext.x0 + ext.x1) / 2 == pytest.approx((seen[f"node:{node.name}"].x0 + seen[f"node:{node.name}"].x1) / 2, abs=1)
        exts = [txt.get_window_extent(r) for txt in texts]
        assert all(upper.y0 >= lower.y1 - 1 for upper, lower in zip(exts, exts[1:], strict=False))     # top to bottom, apart
    boxes = [seen[f"node:{n}"] for n in g.NODES]
    assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1:])
    # the arrows: from the tail box's outline to the head box's, on the line between the centres, under the boxes
    for e in g.EDGES:
        a, b = g.NODES[e.tail], g.NODES[e.head]
        ann = d[f"arrow:{e.tail}->{e.head}"]
        assert ann.get_text() == ""
        (sx, sy), (ex, ey) = ann.xyann, ann.xy
        _on_outlines_facing(ann, d[f"node:{e.tail}"], d[f"node:{e.head}"])
        if a.row == b.row:               # along the row: horizontal, right edge to left edge
            assert (sx, sy, ex, ey) == pytest.approx((a.col + 0.28, a.row, b.col - 0.28, b.row))
        p = ann.arrow_patch
        assert type(p.get_arrowstyle()).__name__ == "CurveFilledB" and p.get_mutation_scale() == 14
        assert (p.shrinkA, p.shrinkB) == (1, 1)                  # a point short of each outline
        assert p.get_connectionstyle().rad == 0                   # straight
        assert ann.get_zorder() < d[f"node:{e.tail}"].get_zorder()
        # the edge's label: under the gap between chain boxes, halfway along a leaf's arrow, on white
        lab = d[f"edge:{e.tail}->{e.head}"]
        ext = seen[f"edge:{e.tail}->{e.head}"]
        assert lab.get_fontsize() == plots.SMALL_FONT and lab.get_ha() == "center"
        if a.row == b.row:
            assert lab.get_position() == pytest.approx(((a.col + b.col) / 2, -0.29)) and lab.get_va() == "top"
            assert seen[f"node:{e.tail}"].x1 < (ext.x0 + ext.x1) / 2 < seen[f"node:{e.head}"].x0
            assert ext.y1 < min(seen[f"node:{e.tail}"].y0, seen[f"node:{e.head}"].y0)        # under the boxes
        else:
            assert lab.get_position() == pytest.approx(((sx + ex) / 2, (sy + ey) / 2)) and lab.get_va() == "center"
        assert not any(ext.overlaps(bx) for bx in boxes), e
        assert _inside(ext, view)
        bg = lab.get_bbox_patch()
        assert bg is not None and isinstance(bg.get_boxstyle(), BoxStyle.Round) and bg.get_boxstyle().pad == 0.15
        assert to_rgba(bg.get_facecolor()) == pytest.approx((1, 1, 1, 0.9)) and bg.get_edgecolor()[3] == 0
        assert lab.get_zorder() > ann.get_zorder()               # over the arrows
        assert matplotlib.colors.same_color(lab.get_color(), "black")     # a ReLU that passes: no red
    # the key: centred under the whole graph (labels included), in view
    key = d["key"]
    k = seen["key"]
    assert (key.get_ha(), key.get_va()) == ("center", "bottom")
    assert (k.x0 + k.x1) / 2 == pytest.approx((view.x0 + view.x1) / 2, abs=1)
    assert all(k.y1 < ext.y0 for gid, ext in seen.items() if gid.split(":")[0] in ("node", "edge", "name", "value", "grad"))
    assert _inside(k, view)
    # the legend: upper right, out of the boxes' way, small; its entries coloured as the boxes they describe
    legend = ax.get_legend()
    lg = legend.get_window_extent(r)
    assert view.x1 - 15 < lg.x1 <= view.x1 and view.y1 - 15 < lg.y1 <= view.y1
    assert not any(lg.overlaps(bx) for bx in boxes)
    assert {txt.get_fontsize() for txt in legend.get_texts()} == {plots.SMALL_FONT}
    handles = legend.legend_handles if hasattr(legend, "legend_handles") else legend.legendHandles
    for h, name in zip(handles[:3], ("x", "w1", "w1*x"), strict=True):         # data, parameter, operation
        box = d[f"node:{name}"]
        assert to_hex(h.get_facecolor()) == to_hex(box.get_facecolor()) != "#fff4d6"
        assert to_hex(h.get_edgecolor()) == to_hex(d["node:x"].get_edgecolor()) == "#444444"
    last = d[f"node:{s.last}"]
    assert s.last == "w1" and to_hex(handles[3].get_facecolor()) == "#ffffff"
    assert to_hex(handles[3].get_edgecolor()) == to_hex(last.get_edgecolor()) and handles[3].get_linewidth() == last.get_linewidth() == 3.0


def test_the_layer_graphs_boxes_are_framed_and_its_arrows_dark_and_red(no_pyplot_figures):
    """The layer graph keeps _box's and _arrow's own look (no restyling): dark grey frames 1.2 wide, forward
    arrows dark grey and straight, .grad arrows red, dashed, thinner and curved back."""
    from matplotlib.colors import to_hex
    fig = gp.plot_layer_graph(make_model(0))
    d = drawn(fig)
    for gid, fill in (("tensor:x", "#ffffff"), ("layer:0", "#fff4d6"), ("param:W1", "#d7e8f7"), ("tensor:y", "#e6e6e6")):
        assert (to_hex(d[gid].get_facecolor()), to_hex(d[gid].get_edgecolor()), d[gid].get_linewidth()) == (fill, "#444444", 1.2)
    for sym, col in (("W1", "layer:0"), ("b2", "layer:2"), ("y", "layer:loss")):    # from above, left or right
        _on_outlines_facing(d[f"arrow:{sym}"], d[f"param:{sym}" if sym != "y" else "tensor:y"], d[col])
    for gid, (color, lw, style, rad) in (("arrow:0", ("#333333", 1.3, "-", 0)), ("arrow:W1", ("#333333", 1.3, "-", 0)),
                                         ("grad_arrow:W1", ("#d62728", 1.1, "--", 0.5))):
        p = d[gid].arrow_patch
        assert (to_hex(p.get_edgecolor()), to_hex(p.get_facecolor())) == (color, color), gid    # line and head
        assert (p.get_linewidth(), p.get_linestyle(), p.get_connectionstyle().rad) == (lw, style, rad), gid


def test_layer_graph_writes_every_dimension_past_the_batch():
    """A tensor with more than one dimension past the batch is written as Python writes the tuple, B first:
    (B, 2, 3) for a Linear(1, 6) output unflattened to 2 x 3, and back to (B, 6) once flattened."""
    model = torch.nn.Sequential(torch.nn.Linear(1, 6), torch.nn.Unflatten(1, (2, 3)), torch.nn.Flatten(),
                                torch.nn.Linear(6, 1))
    spec = gp.layer_graph(model)
    assert [text for kind, _, text in spec["chain"] if kind == "tensor"] == [
        "(B, 1)", "(B, 6)", "(B, 2, 3)", "(B, 6)", "(B, 1)", "()"]
    assert spec["target"] == ("y", "(B, 1)")


def test_the_layer_graphs_backward_arrow_and_its_label_run_under_the_chain(no_pyplot_figures):
    """The lesson net's chain has 13 boxes (x, Linear, z1, ReLU, a1, Linear, z2, ReLU, a2, Linear, y_hat, MSE, L)
    at columns 0..12; under it a red dashed arrow 1.3 wide with a filled head runs from the last column back to
    the first at y = -0.45, and "loss.backward()" is written small and red, centred under the middle column
    (6) just below it."""
    from matplotlib.colors import to_hex
    fig = gp.plot_layer_graph(make_model(0))
    d = drawn(fig)
    arrow = d["backward"]
    assert arrow.get_text() == ""
    assert tuple(arrow.xyann) == (12, -0.45) and tuple(arrow.xy) == (0, -0.45)      # right to left
    p = arrow.arrow_patch
    assert type(p.get_arrowstyle()).__name__ == "CurveFilledB"                       # "-|>": a line, a filled head
    assert (to_hex(p.get_edgecolor()), to_hex(p.get_facecolor())) == ("#d62728", "#d62728")
    assert (p.get_linewidth(), p.get_linestyle()) == (1.3, "--")
    lab = d["backward_label"]
    assert lab.get_text() == "loss.backward()"
    assert tuple(lab.get_position()) == (6.0, -0.5)
    assert (lab.get_ha(), lab.get_va()) == ("center", "top")
    assert to_hex(lab.get_color()) == "#d62728" and lab.get_fontsize() == 9


def test_the_layer_graphs_key_sits_under_it_all_in_view(no_pyplot_figures):
    """The key is centred under the middle column (6) of the 13, its top at y = -0.78 below the backward label,
    in the default black and size; the view spans x from -0.55 to 12.55 (the boxes reach 12 + 0.39) and
    y from -1.0 (under the key) to 1.45 (over the parameter boxes), and everything drawn is inside it."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.colors import to_hex
    from matplotlib.text import Annotation
    fig = gp.plot_layer_graph(make_model(0))
    ax, d = fig.axes[0], drawn(fig)
    key = d["key"]
    assert key.get_text().startswith("Black arrows: the forward pass")
    assert tuple(key.get_position()) == (6.0, -0.78)
    assert (key.get_ha(), key.get_va()) == ("center", "top")
    assert to_hex(key.get_color()) == "#000000" and key.get_fontsize() == 10
    assert ax.get_xlim() == (-0.55, 12.55) and ax.get_ylim() == (-1.0, 1.45)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    r = canvas.get_renderer()
    view = ax.get_window_extent(r)
    seen = {gid: a.get_window_extent(r) for gid, a in d.items() if not isinstance(a, Annotation)}
    assert all(_inside(ext, view) for ext in seen.values()), [g for g, e in seen.items() if not _inside(e, view)]
    k, label_ext = seen["key"], seen["backward_label"]
    assert k.y1 <= label_ext.y0 and (k.x0 + k.x1) / 2 == pytest.approx((view.x0 + view.x1) / 2, abs=1)
