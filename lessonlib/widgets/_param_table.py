"""The step debugger's parameter table: which cells it shows, and the table as HTML.

Cells changed by the last click are highlighted (class "changed"), with the change (Δ) or
"None →" (a gradient that appeared); every cell carries data-name / data-value for the tests.
"""
from __future__ import annotations

import math

import torch

from ..text import escape, prose_html, rtl_div, t
from ._common import _fmt, _scroll_table

MAX_ROWS, MAX_COLS = 16, 4    # the parameter table shows at most this many rows and weight columns

_TABLE_CSS = """<style>
.lessonlib-param-table table { border-collapse: collapse; font-family: monospace; font-size: 12px; }
.lessonlib-param-table th, .lessonlib-param-table td { border: 1px solid #ccc; padding: 1px 6px; text-align: right;
  white-space: nowrap; }
.lessonlib-param-table th { background: #f2f2f2; }
.lessonlib-param-table td.changed { background: #ffe680; font-weight: bold; }
.lessonlib-param-table td.grad { color: #4a4a8a; }
.lessonlib-param-table td small { color: #a05000; font-weight: normal; display: block; }
</style>"""


def _value(tensor: torch.Tensor | None, index: tuple) -> float | None:
    return None if tensor is None else float(tensor[index])


def _differs(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return (a is None) != (b is None)
    if math.isnan(a) and math.isnan(b):
        return False
    return a != b


def layer_cells(layer: str, weight_shape) -> list[list[tuple[str, tuple]]]:
    """Rows of (parameter name, index) shown for a layer: at most MAX_ROWS x (MAX_COLS + 1)."""
    out, fan_in = weight_shape
    rows = []
    if out > 1:
        for i in range(min(out, MAX_ROWS)):
            rows.append([(f"{layer}.weight", (i, j)) for j in range(min(fan_in, MAX_COLS))]
                        + [(f"{layer}.bias", (i,))])
    else:   # one output unit: its weight row is shown as a column
        for j in range(min(fan_in, MAX_ROWS)):
            rows.append([(f"{layer}.weight", (0, j)), (f"{layer}.bias", (0,)) if j == 0 else None])
    return rows


def param_table_html(params: dict, layer: str, before: dict, shape: str) -> str:
    """The layer's table (CSS, caption, scrolling table): values and gradients now, cells that
    differ from `before` (a Stepper snapshot) highlighted; `shape` names the layer, nn.Linear(a, b)."""
    W = params[f"{layer}.weight"]
    out, fan_in = W.shape
    rows = layer_cells(layer, W.shape)

    def cell(spec, grad: bool) -> str:
        if spec is None:
            return "<td></td>"
        pname, index = spec
        key = pname + (".grad" if grad else "")
        p = params[pname]
        now = _value(p.grad if grad else p.detach(), index)
        was = _value(before[key], index)
        changed = _differs(was, now)
        classes = ("changed" if changed else "unchanged") + (" grad" if grad else "")
        name = f"{key}[{','.join(str(i) for i in index)}]"
        if now is None:
            return f'<td data-name="{name}" data-value="None" class="{classes}">None</td>'
        extra = ""
        if changed and not grad and was is not None:
            extra = f"<small>Δ {_fmt(now - was)}</small>"
        elif changed and grad and was is None:
            extra = "<small>None →</small>"
        return f'<td data-name="{name}" data-value="{now:.6g}" class="{classes}">{_fmt(now)}{extra}</td>'

    if out > 1:
        wcols = [f"weight[i, {j}]" for j in range(min(fan_in, MAX_COLS))]
        head = ["i"] + wcols + ["bias[i]"] + [c.replace("weight", "weight.grad") for c in wcols] + ["bias.grad[i]"]
    else:
        head = ["j", "weight[0, j]", "bias[0]", "weight.grad[0, j]", "bias.grad[0]"]
    lines = ["<tr>" + "".join(f"<th>{escape(h)}</th>" for h in head) + "</tr>"]
    for r, specs in enumerate(rows):
        tds = [cell(s, False) for s in specs] + [cell(s, True) for s in specs]
        lines.append(f"<tr><th>{r}</th>{''.join(tds)}</tr>")
    notes = [t("widgets.dbg.table_caption", layer=layer, shape=shape,
               wshape=tuple(W.shape), bshape=tuple(params[f"{layer}.bias"].shape))]
    if fan_in > MAX_COLS and out > 1:
        notes.append(t("widgets.dbg.table_compact", cols=MAX_COLS, total=fan_in))
    n_rows = out if out > 1 else fan_in       # one output unit: a row per weight (transposed)
    if n_rows > MAX_ROWS:
        notes.append(t("widgets.dbg.table_rows", rows=MAX_ROWS, total=n_rows))
    if out == 1:
        notes.append(t("widgets.dbg.table_transposed"))
    notes.append(t("widgets.dbg.table_legend"))
    caption = rtl_div("".join(f"<p><small>{prose_html(n)}</small></p>" for n in notes))
    return _TABLE_CSS + caption + _scroll_table("<table>" + "".join(lines) + "</table>", ltr_grid=True)
