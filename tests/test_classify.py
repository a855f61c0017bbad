"""lessonlib.classify (lesson 09's loop, accuracy, boundary grid) and its plots, against independent oracles."""
import math

import numpy as np
import pytest
import torch
from torch import nn

from lessonlib import plots, set_language, t
from lessonlib.classify import (ClassifierRun, accuracy, evaluate, fit_classifier, grid_probabilities, loss_function,
                                plot_limits, predicted_class)
from lessonlib.data import make_blobs_data, make_moons_data
from lessonlib.model import make_classifier
from tests.oracles_classification import (accuracy_np, bce, blobs_xy, classifier_net, moons_xy,
                                          reference_classifier_fit, sigmoid)


def test_accuracy_counts_sides_of_zero_not_of_one_half():
    z = torch.tensor([[2.1], [0.3], [0.2], [-1.5], [-0.4], [0.9], [-0.7], [-2.0]])
    y = torch.tensor([[1.0], [1.0], [1.0], [0.0], [1.0], [0.0], [0.0], [0.0]])
    assert accuracy(z, y) == pytest.approx(accuracy_np(z.numpy(), y.numpy())) == pytest.approx(6 / 8)
    assert accuracy(torch.zeros(2, 1), torch.tensor([[0.0], [1.0]])) == 0.5        # z = 0 is class 0
    z3 = torch.tensor([[0.1, 2.0, -1.0], [3.0, 0.0, 0.0], [0.0, 0.0, 0.5]])
    assert predicted_class(z3).tolist() == [1, 0, 2]
    assert accuracy(z3, torch.tensor([1, 0, 0])) == pytest.approx(2 / 3)


def test_loss_function_by_number_of_classes():
    assert isinstance(loss_function(make_moons_data()), nn.BCEWithLogitsLoss)
    assert isinstance(loss_function(make_blobs_data()), nn.CrossEntropyLoss)


def test_evaluate_is_bce_and_accuracy_over_whole_sets():
    data, net = make_moons_data(), make_classifier(seed=0)
    train_loss, val_loss, train_acc, val_acc = evaluate(net, data)
    x_train, y_train, x_val, y_val = moons_xy(0)
    w = classifier_net(0)
    with torch.no_grad():
        zt, zv = w(torch.from_numpy(x_train)).numpy(), w(torch.from_numpy(x_val)).numpy()
    assert train_loss == pytest.approx(bce(zt, y_train), rel=1e-5) and val_loss == pytest.approx(bce(zv, y_val), rel=1e-5)
    assert train_acc == pytest.approx(accuracy_np(zt, y_train)) and val_acc == pytest.approx(accuracy_np(zv, y_val))
    assert net.training                                       # evaluate restores the mode


def test_fit_classifier_is_the_lessons_loop():
    run = fit_classifier(make_classifier(seed=0), make_moons_data(seed=0), epochs=8)
    losses, accs = reference_classifier_fit(classifier_net(0), moons_xy(0), epochs=8)
    assert isinstance(run, ClassifierRun) and run.epochs == 8 and len(run.states) == 9
    np.testing.assert_allclose(run.train_loss[1:], losses, rtol=1e-6)
    np.testing.assert_allclose(run.train_acc[1:], accs)
    assert run.train_loss[0] == pytest.approx(bce(classifier_net(0)(torch.from_numpy(moons_xy(0)[0])).detach().numpy(),
                                                  moons_xy(0)[1]), rel=1e-5)


def test_fit_classifier_learns_the_moons_and_the_blobs():
    run = fit_classifier(make_classifier(seed=0), make_moons_data(seed=0))     # the lesson's 60 epochs
    assert run.train_loss[-1] < 0.1 * run.train_loss[0] and run.val_acc[-1] >= 0.95
    run3 = fit_classifier(make_classifier(seed=0, outputs=3), make_blobs_data(seed=0), epochs=30)
    losses, accs = reference_classifier_fit(classifier_net(0, 3), blobs_xy(0), epochs=30)
    np.testing.assert_allclose(run3.train_loss[1:], losses, rtol=1e-5)
    assert run3.val_acc[-1] > 0.85 and run3.train_loss[0] == pytest.approx(math.log(3), abs=0.2)


def test_fit_classifier_records_a_copy_of_the_weights_per_epoch():
    net = make_classifier(seed=0)
    start = {k: v.clone() for k, v in net.state_dict().items()}
    run = fit_classifier(net, make_moons_data(), epochs=2)
    assert all(torch.equal(run.states[0][k], start[k]) for k in start)
    assert all(torch.equal(run.states[-1][k], v) for k, v in net.state_dict().items())
    assert not torch.equal(run.states[1]["4.bias"], run.states[2]["4.bias"])
    assert run.states[-1]["4.bias"] is not net.state_dict()["4.bias"]


def test_mse_on_sigmoid_stays_stuck_where_bce_learns():
    """Lesson 09's comparison: plain SGD from a net sure of class 0; MSE's gradient carries sigma(1 - sigma)."""
    def sure():
        net = make_classifier(seed=0)
        with torch.no_grad():
            net[4].bias.fill_(-6.0)
        return net
    data = make_moons_data()
    bce_run = fit_classifier(sure(), data, optimizer="sgd", lr=0.5, epochs=20)
    mse_run = fit_classifier(sure(), data, optimizer="sgd", lr=0.5, epochs=20,
                             loss_fn=lambda z, y: ((torch.sigmoid(z) - y) ** 2).mean())
    class0 = 1 - moons_xy(0)[1].mean()
    assert mse_run.train_acc[-1] == pytest.approx(class0) and bce_run.train_acc[-1] > 0.9


def test_grid_probabilities_are_the_sigmoid_of_the_logit():
    net = make_classifier(seed=0)
    X, Y, P = grid_probabilities(net, (-1.0, 2.0), (-1.0, 1.0), n=5)
    assert X.shape == Y.shape == P.shape == (5, 5) and X[0, -1] == 2.0 and Y[-1, 0] == 1.0
    w = classifier_net(0)
    with torch.no_grad():
        z = w(torch.tensor([[X[1, 3], Y[1, 3]]], dtype=torch.float32)).item()
    assert P[1, 3] == pytest.approx(sigmoid(z), rel=1e-6)
    _, _, C = grid_probabilities(make_classifier(seed=0, outputs=3), (-3, 3), (-3, 3), n=7)
    assert set(np.unique(C)) <= {0.0, 1.0, 2.0}


def test_plot_limits_cover_every_point():
    data = make_moons_data()
    (x0, x1), (y0, y1) = plot_limits(data, margin=0.5)
    assert x0 == pytest.approx(data.x[:, 0].min() - 0.5) and y1 == pytest.approx(data.x[:, 1].max() + 0.5)
    assert x1 == pytest.approx(data.x[:, 0].max() + 0.5) and y0 == pytest.approx(data.x[:, 1].min() - 0.5)
    assert plot_limits(data) == plot_limits(data, margin=0.5)         # the lesson's and the widget's margin
    (a0, a1), (b0, b1) = plot_limits(data, margin=2.0)
    assert (a0, a1, b0, b1) == pytest.approx((x0 - 1.5, x1 + 1.5, y0 - 1.5, y1 + 1.5))


@pytest.mark.parametrize("lang", ["en", "he"])
def test_classification_plots_speak_the_lessons_language(lang):
    set_language(lang)
    try:
        data = make_moons_data()
        fig = plots.plot_classes(data)
        ax = fig.axes[0]
        assert ax.get_title() == plots.label(t("cls.plot.title.data"))
        assert ax.get_xlabel() == plots.label(t("cls.plot.x1"))
        assert [x.get_text() for x in ax.get_legend().get_texts()] == [plots.label(t("cls.plot.class", k=k)) for k in (0, 1)]
        grid = grid_probabilities(make_classifier(seed=0), *plot_limits(data), n=21)
        fig = plots.plot_boundary(grid, data, title=t("cls.plot.title.boundary", epoch=3))
        ax = fig.axes[0]
        assert ax.get_title() == plots.label(t("cls.plot.title.boundary", epoch=3))
        assert ax.get_xlim() == (grid[0].min(), grid[0].max())                 # the grid's limits are kept
        blobs = make_blobs_data()
        fig = plots.plot_boundary(grid_probabilities(make_classifier(seed=0, outputs=3), *plot_limits(blobs), n=21),
                                  blobs)
        assert len(fig.axes[0].get_legend().get_texts()) == 3
    finally:
        set_language("en")


def test_predicted_class_of_one_point_and_its_labels_dtype():
    """One logit: float 0/1 labels like BCE's targets, and z = 0 (sigmoid 0.5) is class 0. Several logits:
    the class index, also for a single point's logits given without a batch dimension."""
    one = predicted_class(torch.tensor([[0.0], [1e-6], [-1e-6], [3.0]]))
    assert one.dtype == torch.float32 and one.flatten().tolist() == [0.0, 1.0, 0.0, 1.0]
    assert predicted_class(torch.tensor([0.1, 2.0, -1.0])).item() == 1          # shape (3,): one point
    assert predicted_class(torch.tensor([[[0.0, 0.0, 5.0]]])).tolist() == [[2]]   # the last axis is the classes'


def test_fit_classifier_records_the_loss_it_was_given():
    """With loss_fn (lesson 09's MSE on sigmoid), the recorded losses are that loss, before and after each epoch."""
    data = make_moons_data()
    mse = lambda z, y: ((torch.sigmoid(z) - y) ** 2).mean()          # noqa: E731
    net = make_classifier(seed=0)
    x_train, y_train, x_val, y_val = data.tensors()
    with torch.no_grad():
        before = (mse(net(x_train), y_train).item(), mse(net(x_val), y_val).item())
    run = fit_classifier(net, data, epochs=1, loss_fn=mse)
    assert (run.train_loss[0], run.val_loss[0]) == pytest.approx(before, rel=1e-6)
    with torch.no_grad():
        after = (mse(net(x_train), y_train).item(), mse(net(x_val), y_val).item())
    assert (run.train_loss[1], run.val_loss[1]) == pytest.approx(after, rel=1e-6)
    assert run.train_loss[0] < 0.5       # an MSE of probabilities, not BCE (about 0.69 here)


def test_fit_classifier_trains_on_one_thread_and_restores_the_count():
    seen = []

    def loss(z, y):
        seen.append(torch.get_num_threads())
        return nn.functional.binary_cross_entropy_with_logits(z, y)

    before = torch.get_num_threads()
    torch.set_num_threads(2)
    try:
        fit_classifier(make_classifier(seed=0), make_moons_data(), epochs=1, loss_fn=loss)
        assert set(seen) == {1} and torch.get_num_threads() == 2
        seen.clear()
        fit_classifier(make_classifier(seed=0), make_moons_data(), epochs=1, loss_fn=loss, threads=2)
        assert set(seen) == {2}
    finally:
        torch.set_num_threads(before)


def test_fit_classifier_default_optimizer_is_adam_and_grid_is_101_points():
    data = make_moons_data()
    a = fit_classifier(make_classifier(seed=0), data, epochs=2)
    b = fit_classifier(make_classifier(seed=0), data, epochs=2, optimizer="adam")
    c = fit_classifier(make_classifier(seed=0), data, epochs=2, optimizer="sgd")
    assert a.train_loss == b.train_loss and a.train_loss != c.train_loss
    X, Y, P = grid_probabilities(make_classifier(seed=0), (-1, 1), (-1, 1))
    assert X.shape == Y.shape == P.shape == (101, 101) and P.dtype == np.float64


def _boundary_grid(xs, ys):
    """A hand-made grid for plot_boundary: P = sigmoid(x1 - 0.5 x2), one half on the line x1 = 0.5 x2."""
    X, Y = np.meshgrid(xs, ys)
    return X, Y, 1 / (1 + np.exp(-(X - 0.5 * Y)))


def test_plot_classes_wraps_colours_and_markers_past_three_classes():
    """Four blobs: class 3 takes class 0's colour and marker again (blue circles), filled and outlined,
    and every class keeps its own colour whatever matplotlib's colour cycle would have given."""
    from matplotlib.collections import PathCollection
    from matplotlib.colors import to_rgba
    from matplotlib.markers import MarkerStyle

    data = make_blobs_data(classes=4)
    ax = plots.plot_classes(data).axes[0]
    drawn = [c for c in ax.collections if isinstance(c, PathCollection)]
    colours = ["tab:blue", "tab:orange", "tab:green", "tab:blue"]
    markers = ["o", "^", "s", "o"]
    y_train, y_val = np.asarray(data.y_train), np.asarray(data.y_val)
    assert len(drawn) == 8
    for k in range(4):
        filled, hollow = drawn[2 * k], drawn[2 * k + 1]
        np.testing.assert_array_equal(filled.get_offsets(), data.x_train[y_train == k])
        np.testing.assert_array_equal(hollow.get_offsets(), data.x_val[y_val == k])
        assert [tuple(c) for c in filled.get_facecolors()] == [to_rgba(colours[k])], k
        assert [tuple(c) for c in hollow.get_edgecolors()] == [to_rgba(colours[k])], k
        style = MarkerStyle(markers[k])
        want = style.get_path().transformed(style.get_transform()).vertices
        np.testing.assert_allclose(filled.get_paths()[0].vertices, want)
    assert [x.get_text() for x in ax.get_legend().get_texts()] == ["class 0", "class 1", "class 2", "class 3"]
    # on axes whose colour cycle has moved on (a line drawn first), class 0 is still blue, class 1 orange
    fig, ax = plots.new_figure()
    ax.plot([0, 1], [0, 1])
    plots.plot_classes(make_moons_data(), ax=ax)
    drawn = [c for c in ax.collections if isinstance(c, PathCollection)]
    assert [tuple(drawn[i].get_facecolors()[0]) for i in (0, 2)] == [to_rgba("tab:blue"), to_rgba("tab:orange")]


def test_plot_boundary_draws_on_the_axes_it_is_given():
    """With ax, the boundary goes on that axes of the caller's figure (returned), the other panel stays empty."""
    from matplotlib.collections import PathCollection
    from matplotlib.contour import ContourSet

    data = make_moons_data()
    fig, (left, right) = plots.new_figure(figsize=(9, 4), ncols=2)
    out = plots.plot_boundary(_boundary_grid(np.linspace(-2, 3, 26), np.linspace(-1.5, 2, 15)), data, ax=right,
                              title="Epoch 3")
    assert out is fig and len(fig.axes) == 2
    shade, line = [c for c in right.collections if isinstance(c, ContourSet)]
    assert shade.filled and not line.filled and list(line.levels) == [0.5]
    assert len([c for c in right.collections if isinstance(c, PathCollection)]) == 2
    assert right.get_title() == "Epoch 3" and right.get_legend() is not None
    assert len(left.collections) == 0 and left.get_title() == "" and left.get_legend() is None


def test_plot_boundary_shows_exactly_the_grid_even_when_points_lie_outside():
    """A grid smaller than the cloud of points: the axes show the grid's x and y range, not the points'."""
    import io

    data = make_moons_data()
    xs, ys = np.linspace(-0.5, 1.5, 21), np.linspace(-0.25, 0.75, 11)
    assert data.x_train[:, 0].min() < -0.5 and data.x_train[:, 1].max() > 0.75      # points beyond the grid
    fig = plots.plot_boundary(_boundary_grid(xs, ys), data)
    ax = fig.axes[0]
    assert ax.get_xlim() == (-0.5, 1.5) and ax.get_ylim() == (-0.25, 0.75)
    fig.savefig(io.BytesIO(), format="png")                          # drawn: the limits stay
    assert ax.get_xlim() == (-0.5, 1.5) and ax.get_ylim() == (-0.25, 0.75)


def test_plot_boundary_keeps_the_grid_on_axes_that_showed_the_class_plot():
    """Axes that first showed plot_classes (equal units by moving the limits), cleared and reused for the
    boundary: once drawn, the limits are still the grid's, the box takes the equal-units shape."""
    import io

    data = make_moons_data()
    fig, ax = plots.new_figure(figsize=(8, 3))
    plots.plot_classes(data, ax=ax)
    ax.clear()
    plots.plot_boundary(_boundary_grid(np.linspace(-2, 3, 26), np.linspace(-1.5, 2, 15)), data, ax=ax)
    fig.savefig(io.BytesIO(), format="png")
    assert ax.get_xlim() == (-2.0, 3.0) and ax.get_ylim() == (-1.5, 2.0)
    assert ax.get_aspect() == 1 and ax.get_adjustable() == "box"
    w, h = ax.get_position().width * 8, ax.get_position().height * 3     # the box, in inches
    assert w / h == pytest.approx(5 / 3.5, rel=0.02)                     # 5 units across, 3.5 up
