"""The steppable computational graph (lesson 05): forward one node, backward one node, and see it.

A thin view over lessonlib.graph.GraphStepper (the state machine, no ipywidgets): each click
calls the stepper, then shows in words what it computed (or, for a click out of order, why it
did nothing), the status, the drawing (lessonlib.graph_plot) and a value/gradient table.

    ui, ctl = widgets.graph_stepper()   # ctl.click("forward_one"), ctl.stepper.values ...

CSS classes for a browser test: the frame is ``lessonlib-graph-stepper`` (+ ``lessonlib-widget``);
buttons ``lessonlib-graph-forward-one``, ``-backward-one``, ``-forward-all``, ``-backward-all``,
``-reset``; the switch ``lessonlib-graph-relu-off``; the readout ``lessonlib-graph-message``
(its ``<div>`` carries data-action, data-node and data-ok); ``lessonlib-graph-status``;
``lessonlib-graph-plot`` (an ``<img class="lessonlib-graph-img">``); ``lessonlib-graph-table``
(cells with data-name="value:z1" / "grad:z1" and data-value, empty until filled).
"""
from __future__ import annotations

from .. import graph as g
from ..graph_plot import plot_graph, restyle_graph
from ..text import escape, is_rtl, prose_html, rtl_div, t
from ._common import _button, _frame, _html, _num, _png_img, _row, _scroll_table, _toggle

__all__ = ["GraphStepperWidget", "graph_stepper", "BUTTONS"]

BUTTONS = ("forward_one", "backward_one", "forward_all", "backward_all", "reset")


class GraphStepperWidget:
    """State and logic of graph_stepper(): a GraphStepper, and what one click shows."""

    def __init__(self, relu_off: bool = False):
        self.stepper = g.GraphStepper(**(g.RELU_OFF if relu_off else g.DEFAULTS))
        self.last_steps: list[g.GraphStep] = []
        self.redraws = 0
        self.fig = None
        self._build_ui(relu_off)
        self._refresh([t("graph.widget.start")])

    # ---- clicks -------------------------------------------------------------------------------------
    def click(self, name: str) -> list[g.GraphStep]:
        """Click a button by name (one of BUTTONS); returns what the stepper did."""
        self.buttons[name].click()
        return self.last_steps

    def _run(self, name: str) -> list[g.GraphStep]:
        s = self.stepper
        return {"forward_one": lambda: [s.forward_step()], "backward_one": lambda: [s.backward_step()],
                "forward_all": s.forward_all, "backward_all": s.backward_all,
                "reset": lambda: [s.reset()]}[name]()

    def _on_click(self, name: str) -> None:
        try:
            self.last_steps = self._run(name)
        except Exception as err:   # noqa: BLE001 - show it in the widget, then let Jupyter log it
            self.message_html.value = rtl_div(f"<p>{prose_html(t('widgets.error', error=f'{type(err).__name__}: {err}'))}</p>")
            raise
        self._refresh([step.message for step in self.last_steps])

    def _on_relu_off(self, change) -> None:
        self.last_steps = [self.stepper.reset(**(g.RELU_OFF if change["new"] else g.DEFAULTS))]
        note = "graph.widget.relu_now_off" if change["new"] else "graph.widget.relu_now_on"
        self._refresh([self.last_steps[0].text(), t(note, b1=self.stepper.leaves["b1"])])

    # ---- what is shown --------------------------------------------------------------------------------
    def _build_ui(self, relu_off: bool) -> None:
        self.buttons = {name: _button(t(f"graph.widget.{name}"), "lessonlib-graph-" + name.replace("_", "-"),
                                      t(f"graph.widget.{name}.tip")) for name in BUTTONS}
        for name, button in self.buttons.items():
            button.on_click(lambda _b, name=name: self._on_click(name))
        self.buttons["forward_one"].button_style = "primary"
        self.buttons["backward_one"].button_style = "primary"
        self.buttons["reset"].button_style = "warning"
        self.relu_toggle = _toggle(t("graph.widget.relu_off"), t("graph.widget.relu_off.tip"), "lessonlib-graph-relu-off")
        self.relu_toggle.value = relu_off
        self.relu_toggle.observe(self._on_relu_off, names="value")
        self.status_html = _html("lessonlib-graph-status")
        self.message_html = _html("lessonlib-graph-message")
        self.plot_html = _html("lessonlib-graph-plot")
        self.table_html = _html("lessonlib-graph-table")
        self.table_html.add_class("lessonlib-table-html")
        rows = [_row([self.buttons[n] for n in BUTTONS]), _row([self.relu_toggle])]
        self.ui = _frame(rows + [self.status_html, self.message_html, self.plot_html, self.table_html],
                         "lessonlib-graph-stepper")

    def _refresh(self, lines: list[str]) -> None:
        s = self.stepper
        last = self.last_steps[-1] if self.last_steps else None
        attrs = ""
        if last is not None:
            attrs = (f' data-action="{last.action}" data-node="{escape(last.node or "")}"'
                     f' data-ok="{str(last.ok).lower()}"')
        body = "".join(f"<p>{prose_html(line)}</p>" for line in lines if line)
        self.message_html.value = f"<div{attrs}>{rtl_div(body)}</div>"
        nxt = s.next_forward or s.next_backward
        next_text = (t("graph.widget.next_forward", node=nxt) if s.next_forward
                     else t("graph.widget.next_backward", node=nxt) if nxt else t("graph.widget.next_none"))
        status = t("graph.widget.status", done=len(s.filled_values()), total=len(g.FORWARD_ORDER),
                   gdone=len(s.filled_grads()), gtotal=len(g.BACKWARD_ORDER), next=next_text)
        self.status_html.value = rtl_div(f"<small>{prose_html(status)}</small>")
        self._show_plot()
        self._show_table()

    def _show_plot(self) -> None:
        # the same artists restyled, in the layout the first drawing found (faster); a new drawing at
        # the start, and after the student switched languages
        if self.fig is None or not restyle_graph(self.fig.axes[0], self.stepper):
            self.fig = plot_graph(self.stepper)
        alt = self.fig.axes[0].get_title()
        self.plot_html.value = _png_img(self.fig, "lessonlib-graph-img", alt=alt)
        self.redraws += 1

    def shown_values(self) -> dict[str, str]:
        """{"value:z1": "1.1000", "grad:z1": "", ...}: what the table shows (empty: not filled yet)."""
        import re
        return dict(re.findall(r'data-name="([^"]+)" data-value="([^"]*)"', self.table_html.value))

    def _show_table(self) -> None:
        s = self.stepper
        names = list(g.NODES)

        def cell(kind, name, v):
            text = "" if v is None else f"{v:.4f}"
            return (f'<td data-name="{kind}:{escape(name)}" data-value="{"" if v is None else f"{v:.6g}"}"'
                    f' style="padding: 1px 8px; text-align: right;">{_num(text) if text else "·"}</td>')

        head = "".join(f'<th style="padding: 1px 8px;">{escape(n)}</th>' for n in names)
        rows = [(t("graph.widget.row_value"), "value", s.values), (t("graph.widget.row_grad"), "grad", s.grads)]
        lang_dir = "rtl" if is_rtl() else "ltr"      # the grid reads left to right; its row labels, in the language
        body = "".join(f'<tr><th dir="{lang_dir}" style="padding: 1px 8px; text-align: start;">{prose_html(label)}</th>'
                       + "".join(cell(kind, n, d[n]) for n in names) + "</tr>" for label, kind, d in rows)
        table = f'<table style="border-collapse: collapse; font-family: monospace;"><tr><th></th>{head}</tr>{body}</table>'
        self.table_html.value = _scroll_table(table, ltr_grid=True)


def graph_stepper(relu_off: bool = False):
    """The tiny network's computational graph, filled one node per click (lesson 05).

    Returns (ui, ctl). `relu_off=True` starts with b1 = -1.5 (the ReLU passes no gradient).
    """
    ctl = GraphStepperWidget(relu_off=relu_off)
    return ctl.ui, ctl

