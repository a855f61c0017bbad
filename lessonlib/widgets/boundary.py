"""The decision boundary as it moves during training (lesson 09): one epoch per click.

The controller holds a lessonlib.classify run (the losses, accuracies and weights of every epoch)
and draws, for the chosen epoch, the boundary over the points next to the loss and accuracy
histories with that epoch marked. Nothing is trained on a click: the weights were recorded.
"""
from __future__ import annotations

import math

import ipywidgets as w

from .. import plots
from ..classify import EPOCHS, ClassifierRun, fit_classifier, grid_probabilities, plot_limits
from ..data import ClassData, make_moons_data
from ..model import make_classifier
from ..text import prose_html, rtl_div, t
from ._common import _STYLE, _button, _frame, _html, _plain, _png_img, _row

GRID_POINTS = 81     # the boundary's grid: 81 x 81 probabilities per epoch (computed when first shown)


class BoundaryExplorer:
    """State and logic of boundary_explorer(): the chosen epoch, its boundary, loss and accuracy."""

    def __init__(self, run: ClassifierRun | None = None, data: ClassData | None = None, seed: int = 0,
                 epochs: int = EPOCHS, epoch: int = 0):
        if data is not None and not isinstance(data, ClassData):
            raise ValueError(t("cls.widget.bad_data", got=type(data).__name__))
        if run is not None and not (isinstance(run, ClassifierRun) and run.states):
            raise ValueError(t("cls.widget.bad_run", got=type(run).__name__))
        if isinstance(epoch, bool) or not isinstance(epoch, int):
            raise ValueError(t("cls.widget.bad_epoch", got=repr(epoch)[:40]))
        self.data = data if data is not None else make_moons_data(seed)
        outputs = 1 if self.data.classes == 2 else self.data.classes
        if run is not None and run.states[0]["4.weight"].shape[0] != outputs:
            raise ValueError(t("cls.widget.run_data_mismatch", outputs=run.states[0]["4.weight"].shape[0],
                               classes=self.data.classes))
        if run is None:
            run = fit_classifier(make_classifier(seed, outputs=outputs), self.data, epochs=epochs, seed=seed)
        self.run = run
        first = run.states[0]
        self.model = make_classifier(seed, hidden=first["0.weight"].shape[0], outputs=first["4.weight"].shape[0],
                                     inputs=first["0.weight"].shape[1])
        self.xlim, self.ylim = plot_limits(self.data)
        self._grids: dict[int, tuple] = {}
        self.epoch_slider = w.IntSlider(value=min(max(int(epoch), 0), run.epochs), min=0, max=run.epochs, step=1,
                                        description=_plain(t("cls.widget.epoch")), continuous_update=False,
                                        style=_STYLE)
        self.epoch_slider.add_class("lessonlib-epoch")
        self.prev_button = _button(t("cls.widget.prev"), "lessonlib-boundary-prev", t("cls.widget.prev.tip"))
        self.next_button = _button(t("cls.widget.next"), "lessonlib-boundary-next", t("cls.widget.next.tip"))
        self.prev_button.on_click(lambda _b: self.show_epoch(self.epoch - 1))
        self.next_button.on_click(lambda _b: self.show_epoch(self.epoch + 1))
        self.epoch_slider.observe(lambda _c: self.update(), names="value")
        self.plot_html = _html("lessonlib-plot")
        self.message_html = _html("lessonlib-message")
        self._fig, (self._ax_boundary, self._ax_history) = plots.new_figure(figsize=(10.0, 4.2), ncols=2)
        self.ui = _frame([_row([self.prev_button, self.epoch_slider, self.next_button]), self.plot_html,
                          self.message_html], "lessonlib-boundary-explorer")
        self.update()

    @property
    def epoch(self) -> int:
        return int(self.epoch_slider.value)

    def show_epoch(self, epoch: int) -> None:
        """Move to `epoch`, kept within 0 .. the last recorded epoch (the slider redraws)."""
        self.epoch_slider.value = min(max(int(epoch), 0), self.run.epochs)

    def grid(self, epoch: int):
        """(X, Y, P) of classify.grid_probabilities for the weights after `epoch` (cached)."""
        if epoch not in self._grids:
            self.model.load_state_dict(self.run.states[epoch])
            self._grids[epoch] = grid_probabilities(self.model, self.xlim, self.ylim, GRID_POINTS)
        return self._grids[epoch]

    def message(self) -> str:
        e, run = self.epoch, self.run
        n_train = len(self.data.train_idx)
        lines = [t("cls.widget.status", epoch=e, epochs=run.epochs, train_loss=run.train_loss[e],
                   train_acc=100 * run.train_acc[e], val_loss=run.val_loss[e], val_acc=100 * run.val_acc[e],
                   wrong=round(n_train * (1 - run.train_acc[e])), n=n_train)]
        if e > 0:
            d_loss = run.train_loss[e] - run.train_loss[e - 1]
            d_acc = run.train_acc[e] - run.train_acc[e - 1]
            if d_loss < 0 and d_acc < 0:
                lines.append(t("cls.widget.disagree"))
        else:
            lines.append(t("cls.widget.untrained"))
        return rtl_div("".join(f"<p>{prose_html(line)}</p>" for line in lines))

    def update(self) -> None:
        e, run = self.epoch, self.run
        self.prev_button.disabled = e <= 0
        self.next_button.disabled = e >= run.epochs
        ax = self._ax_boundary
        ax.clear()
        plots.plot_boundary(self.grid(e), self.data, ax=ax, title=t("cls.plot.title.boundary", epoch=e))
        ax2 = self._ax_history
        ax2.clear()
        epochs = range(run.epochs + 1)
        ax2.plot(epochs, run.train_loss, color="tab:blue", label=plots.tr("cls.plot.train_loss"))
        ax2.plot(epochs, run.train_acc, color="tab:green", label=plots.tr("cls.plot.train_acc"))
        ax2.axvline(e, color="tab:red", lw=1.5)
        ax2.plot([e, e], [run.train_loss[e], run.train_acc[e]], "o", color="tab:red")
        ax2.set(xlabel=plots.tr("plot.epoch"), ylim=(0, 1.05 * max([1.0] + [v for v in run.train_loss if math.isfinite(v)])),
                title=plots.tr("cls.plot.title.history"))
        ax2.legend(fontsize=plots.SMALL_FONT, loc="center right")
        ax2.grid(True)
        self.plot_html.value = _png_img(self._fig, "lessonlib-plot-img", alt=t("cls.plot.title.boundary", epoch=e))
        self.message_html.value = self.message()


def boundary_explorer(run: ClassifierRun | None = None, data: ClassData | None = None, seed: int = 0,
                      epochs: int = EPOCHS, epoch: int = 0):
    """The decision boundary epoch by epoch (lesson 09). Returns (ui, ctl).

    `run` is what lessonlib.classify.fit_classifier recorded on `data`; without one, the lesson's
    net is trained on the lesson's moons (Adam, lr 0.01, `epochs` epochs) first.
    """
    ctl = BoundaryExplorer(run=run, data=data, seed=seed, epochs=epochs, epoch=epoch)
    return ctl.ui, ctl
