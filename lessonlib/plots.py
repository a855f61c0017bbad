"""Matplotlib figures for the lessons, with labels in the lesson's language (Hebrew drawn correctly).

Every function returns a Figure and never calls plt.show(): the notebook shows it.
Hebrew: every label goes through `label()`, i.e. the one bidi rule (lessonlib.bidi.for_matplotlib):
reordered for display on matplotlib < 3.11 (Colab's 3.10), code/number runs isolated on >= 3.11.
Never mix Hebrew with $mathtext$ in one label.
"""
from __future__ import annotations

import io

import matplotlib
import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import LogNorm
from matplotlib.figure import Figure

from . import bidi
from .data import LineData, true_fn
from .text import is_rtl, t

def needs_bidi(mpl_version: str | None = None) -> bool:
    """True where matplotlib draws Hebrew in storage order (reversed), i.e. before 3.11."""
    return bidi.needs_reorder(mpl_version or matplotlib.__version__)


def label(text: str, mpl_version: str | None = None) -> str:
    """Text ready for matplotlib: Hebrew reordered for display only where matplotlib needs it.

    The one bidi rule (lessonlib.bidi.for_matplotlib): code, shapes and numbers inside Hebrew
    keep their order on matplotlib 3.10 too ("W3[0, 1]", "(16, 1)").
    """
    return bidi.for_matplotlib(text, mpl_version or matplotlib.__version__)


def tr(key: str, **values) -> str:
    """A catalog string, ready for a plot."""
    return label(t(key, **values))


FIGURE_DPI = 100     # how a lesson figure is shown (LessonFigure._repr_png_); widgets draw at 80
MIN_TEXT_PX = 10     # no text on a plot is drawn smaller than this, where it is shown
SMALL_FONT = 9       # points: the smallest font the figures use (legends in widgets, contour labels);
                     # 9 pt is 10 px at the widgets' 80 dpi and 12.5 px at 100 dpi


class LessonAxes(Axes):
    """Axes whose legend reads in the lesson's direction: in Hebrew the marker is on the right
    of its label (matplotlib's markerfirst=False), as a right-to-left reader expects."""

    name = "lessonlib"

    def legend(self, *args, **kwargs):
        kwargs.setdefault("markerfirst", not is_rtl())
        return super().legend(*args, **kwargs)


class LessonFigure(Figure):
    """A Figure that Jupyter shows by itself (PNG), without pyplot or an inline backend.

    Not registered with pyplot: no global state, and nothing kept after the figure is dropped.
    """

    def _repr_png_(self) -> bytes:
        buf = io.BytesIO()
        self.savefig(buf, format="png", dpi=FIGURE_DPI)
        return buf.getvalue()


def new_figure(figsize=(6.4, 4.0), nrows: int = 1, ncols: int = 1):
    """(figure, axes): axes is one Axes, or an array of them for several rows/columns."""
    fig = LessonFigure(figsize=figsize, layout="constrained")
    axes = fig.subplots(nrows, ncols, subplot_kw={"axes_class": LessonAxes})
    return fig, axes


def _as_numpy(a) -> np.ndarray:
    return a.detach().cpu().numpy() if hasattr(a, "detach") else np.asarray(a)


def plot_data(data: LineData) -> Figure:
    """Train vs validation points on the line y = 2x + 1 (lesson 01)."""
    fig, ax = new_figure()
    ax.scatter(data.x_train, data.y_train, s=12, label=tr("plot.train_points"))
    ax.scatter(data.x_val, data.y_val, s=18, marker="x", label=tr("plot.val_points"))
    ax.set(xlabel=tr("plot.x"), ylabel=tr("plot.y"), title=tr("plot.title.data"))
    ax.legend()
    ax.grid(True)
    return fig


def plot_fit(predict_fn, data: LineData | None = None, x_range=(-10.0, 10.0), points: int = 400,
             title_key: str = "plot.title.fit", ax=None) -> Figure:
    """The network's prediction against the truth y = 2x + 1; `predict_fn` maps (N, 1) x to y."""
    fig, ax = (ax.figure, ax) if ax is not None else new_figure()
    xs = np.linspace(*x_range, points, dtype=np.float32).reshape(-1, 1)
    ax.plot(xs, true_fn(xs), "k--", lw=1.5, label=tr("plot.truth"))
    ax.plot(xs, _as_numpy(predict_fn(xs)).reshape(-1), lw=2, label=tr("plot.prediction"))
    if data is not None:
        ax.scatter(data.x_train, data.y_train, s=8, alpha=0.4, label=tr("plot.train_points"))
    ax.set(xlabel=tr("plot.x"), ylabel=tr("plot.y"), title=tr(title_key))
    ax.legend()
    ax.grid(True)
    return fig


def plot_history(train_loss, val_loss, log: bool = True, ax=None) -> Figure:
    """Train and validation loss per epoch, the original script's section 5 (log scale by default)."""
    fig, ax = (ax.figure, ax) if ax is not None else new_figure()
    ax.plot(np.arange(1, len(train_loss) + 1), train_loss, label=tr("plot.train_loss"))
    ax.plot(np.arange(1, len(val_loss) + 1), val_loss, label=tr("plot.val_loss"))
    if log:
        ax.set_yscale("log")
    ax.set(xlabel=tr("plot.epoch"), ylabel=tr("plot.mse"), title=tr("plot.title.history"))
    ax.legend()
    ax.grid(True)
    return fig


def line_mse_grid(x: np.ndarray, y: np.ndarray, w_range=(-1.0, 5.0), b_range=(-4.0, 6.0), n: int = 121):
    """MSE(w, b) of the one-neuron model y_hat = w x + b on a grid: (W, B, L), each (n, n)."""
    w = np.linspace(*w_range, n)
    b = np.linspace(*b_range, n)
    W, B = np.meshgrid(w, b)
    x, y = np.asarray(x, dtype=np.float64).reshape(-1), np.asarray(y, dtype=np.float64).reshape(-1)
    # mean over samples of (w x + b - y)^2, expanded so the grid needs no (n, n, N) array
    L = (W**2 * np.mean(x * x) + B**2 + np.mean(y * y) + 2 * W * B * np.mean(x)
         - 2 * W * np.mean(x * y) - 2 * B * np.mean(y))
    return W, B, L


def least_squares_line(x: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """(w, b) minimising the MSE of y_hat = w x + b: w = cov(x, y) / var(x), b = mean(y) - w mean(x)."""
    x, y = np.asarray(x, dtype=np.float64).reshape(-1), np.asarray(y, dtype=np.float64).reshape(-1)
    w = float(np.mean((x - x.mean()) * (y - y.mean())) / np.var(x))
    return w, float(y.mean() - w * x.mean())


LANDSCAPE_LEVELS = (0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000)   # round MSE values: labels read "20", not "0"
LABEL_CLEARANCE_PT = 30   # a labelled contour stays this far from the minimum's star (its label cannot cover it)


def _far_levels(ax, cs, point, x_range, y_range) -> list[float]:
    """The contour levels whose whole line stays LABEL_CLEARANCE_PT or more from `point` on the page.

    Measured with the axes' size before layout (close to the final one): the small contours
    around the minimum are left unlabelled, so no label sits on the star.
    """
    fig = ax.figure
    pos = ax.get_position()
    sx = pos.width * fig.get_figwidth() * 72 / (x_range[1] - x_range[0])     # points per data unit
    sy = pos.height * fig.get_figheight() * 72 / (y_range[1] - y_range[0])
    far = []
    for level, path in zip(cs.levels, cs.get_paths(), strict=True):
        v = path.vertices
        if len(v) and np.min(np.hypot((v[:, 0] - point[0]) * sx, (v[:, 1] - point[1]) * sy)) >= LABEL_CLEARANCE_PT:
            far.append(level)
    return far


def plot_landscape(x: np.ndarray, y: np.ndarray, path=None, point=None, grad=None, ax=None, **grid) -> Figure:
    """Contour of MSE(w, b) for y_hat = w x + b, its minimum, optionally a descent path and a gradient arrow."""
    fig, ax = (ax.figure, ax) if ax is not None else new_figure(figsize=(5.6, 4.6))
    W, B, L = line_mse_grid(x, y, **grid)
    levels = [v for v in LANDSCAPE_LEVELS if L.min() < v < L.max()]
    # colours spread over the log of the loss, stopping short of viridis' pale yellow (unreadable on white)
    cs = ax.contour(W, B, L, levels=levels, cmap="viridis", norm=LogNorm(levels[0], levels[-1] * 4))
    minimum = least_squares_line(x, y)     # (2, 1) for the lesson's data; the star follows the data given
    far = _far_levels(ax, cs, minimum, (W.min(), W.max()), (B.min(), B.max()))
    if far:
        ax.clabel(cs, levels=far, fontsize=SMALL_FONT, fmt="%g")
    ax.plot(*([v] for v in minimum), "r*", ms=14, label=tr("plot.minimum", w=minimum[0], b=minimum[1]))
    if path is not None and len(path):
        path = np.asarray(path)
        ax.plot(path[:, 0], path[:, 1], "o-", ms=3, color="tab:orange")
    if point is not None and grad is not None:
        ax.annotate("", xy=(point[0] - grad[0], point[1] - grad[1]), xytext=point,
                    arrowprops=dict(arrowstyle="->", color="tab:red", lw=2))
    ax.set(xlabel=tr("plot.w"), ylabel=tr("plot.b"), title=tr("plot.title.landscape"))
    ax.legend(loc="upper right")
    return fig


# ---- lesson 09: classification ----------------------------------------------------------------------

CLASS_COLORS = ("tab:blue", "tab:orange", "tab:green")
CLASS_MARKERS = ("o", "^", "s")


def plot_classes(data, ax=None, title_key: str = "cls.plot.title.data", val: bool = True, aspect: bool = True) -> Figure:
    """The points of a ClassData in the plane, one colour and marker per class (lesson 09).

    Training points filled, validation points (with `val`) as outlines of the same marker.
    `aspect`: one unit is as long on both axes (the moons look round), the limits fit the points.
    """
    fig, ax = (ax.figure, ax) if ax is not None else new_figure(figsize=(5.6, 4.4))
    x_train, y_train = data.x_train, np.asarray(data.y_train).reshape(-1)
    x_val, y_val = data.x_val, np.asarray(data.y_val).reshape(-1)
    for k in range(data.classes):
        color, marker = CLASS_COLORS[k % len(CLASS_COLORS)], CLASS_MARKERS[k % len(CLASS_MARKERS)]
        pts = x_train[y_train == k]
        ax.scatter(pts[:, 0], pts[:, 1], s=16, c=color, marker=marker, label=tr("cls.plot.class", k=k))
        if val:
            pts = x_val[y_val == k]
            ax.scatter(pts[:, 0], pts[:, 1], s=26, facecolors="none", edgecolors=color, marker=marker)
    ax.set(xlabel=tr("cls.plot.x1"), ylabel=tr("cls.plot.x2"), title=tr(title_key))
    if aspect:
        ax.set_aspect("equal", adjustable="datalim")
    ax.legend(fontsize=SMALL_FONT, loc="upper right")
    return fig


def plot_boundary(grid, data, ax=None, title: str | None = None) -> Figure:
    """The decision boundary of lesson 09 over the points: `grid` is classify.grid_probabilities(...).

    One logit: P is sigmoid(z), shaded from class 0 to class 1, with the line P = 0.5 (z = 0) in
    black. Several logits: P is the predicted class, each region in its class's colour.
    `title`: the sentence above it, already in the lesson's language (t(...)); none by default.
    """
    from matplotlib.colors import ListedColormap
    fig, ax = (ax.figure, ax) if ax is not None else new_figure(figsize=(5.6, 4.4))
    X, Y, P = grid
    if data.classes == 2:
        ax.contourf(X, Y, P, levels=np.linspace(0, 1, 11), cmap="RdBu_r", alpha=0.35, vmin=0, vmax=1)
        ax.contour(X, Y, P, levels=[0.5], colors="k", linewidths=2)
    else:
        cmap = ListedColormap(CLASS_COLORS[:data.classes])
        ax.contourf(X, Y, P, levels=np.arange(data.classes + 1) - 0.5, cmap=cmap, alpha=0.25)
        ax.contour(X, Y, P, levels=np.arange(data.classes - 1) + 0.5, colors="k", linewidths=1.5)
    plot_classes(data, ax=ax, val=False, aspect=False)
    ax.set(xlim=(X.min(), X.max()), ylim=(Y.min(), Y.max()))
    ax.set_aspect("equal", adjustable="box")      # the grid's limits stay; the box takes the shape
    # not plot_classes' title, which names the validation points (not drawn here) and the moons (not always these)
    ax.set_title(label(title) if title is not None else "")
    return fig


# ---- lesson 10: images and filters ----------------------------------------------------------------

def plot_bar_images(images, labels, per_class: int = 4) -> Figure:
    """The first `per_class` images of each class (lesson 10), one row per class, titled by class name."""
    images, labels = _as_numpy(images), _as_numpy(labels).reshape(-1)
    classes = sorted(set(int(v) for v in labels))
    fig, axes = new_figure(figsize=(1.5 * per_class, 1.6 * len(classes)), nrows=len(classes), ncols=per_class)
    axes = np.asarray(axes).reshape(len(classes), per_class)
    low, high = float(images.min()), float(images.max())     # one grey scale for all: bright bars, dark noise
    for row, cls in zip(axes, classes, strict=True):
        picked = np.flatnonzero(labels == cls)[:per_class]
        for ax, i in zip(row, list(picked) + [None] * (per_class - len(picked)), strict=True):
            ax.set_axis_off()
            if i is not None:
                ax.imshow(images[i].reshape(images.shape[-2:]), cmap="gray", vmin=low, vmax=high)
                ax.set_title(tr(f"cnn.class.{cls}"), fontsize=SMALL_FONT + 1)
    fig.suptitle(tr("cnn.title.images"))
    return fig


def plot_filters(weight, title_key: str = "cnn.title.filters") -> Figure:
    """A conv layer's filters as images (lesson 10): weight (out_channels, 1, k, k), one panel each.

    Red is a positive weight, blue a negative one, white zero, on one colour scale for all panels,
    so the panels can be compared; each panel's title is its filter's index.
    """
    w = _as_numpy(weight)
    w = w.reshape(w.shape[0], *w.shape[-2:])
    lim = float(np.abs(w).max()) or 1.0
    fig, axes = new_figure(figsize=(1.4 * len(w) + 0.8, 2.0), ncols=len(w))
    axes = np.atleast_1d(axes)
    for k, ax in enumerate(axes):
        im = ax.imshow(w[k], cmap="bwr", vmin=-lim, vmax=lim)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_title(tr("cnn.filter", k=k), fontsize=SMALL_FONT + 1)
    fig.colorbar(im, ax=list(axes), shrink=0.8)
    fig.suptitle(tr(title_key))
    return fig
