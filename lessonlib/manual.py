r"""The lesson's network written out in NumPy: forward, backward by the chain rule, finite differences (lesson 05).

Shapes for a batch of B samples and hidden width H (16 in the lesson), PyTorch's layout
(W has shape (out, in), so a layer is z = a @ W.T + b):

    z1 = x  @ W1.T + b1     (B, H)     a1 = ReLU(z1)
    z2 = a1 @ W2.T + b2     (B, H)     a2 = ReLU(z2)
    y_hat = a2 @ W3.T + b3  (B, 1)     L = mean((y_hat - y)^2)

Backward, output to input ($\mathbb{1}[z>0]$ is ReLU's derivative, the "mask"):

    dL/dy_hat = 2 (y_hat - y) / B
    dL/dW3 = dL/dy_hat.T @ a2          dL/db3 = sum over batch of dL/dy_hat
    dL/da2 = dL/dy_hat @ W3            dL/dz2 = dL/da2 * 1[z2 > 0]
    dL/dW2 = dL/dz2.T @ a1             dL/db2 = sum of dL/dz2
    dL/da1 = dL/dz2 @ W2               dL/dz1 = dL/da1 * 1[z1 > 0]
    dL/dW1 = dL/dz1.T @ x              dL/db1 = sum of dL/dz1

The same file holds a small NumPy training engine (SGD, momentum, RMSprop, Adam with
PyTorch's update formulas) for the live explorer: tests prove it equals torch.
"""
from __future__ import annotations

import math

import numpy as np
from torch import nn

from .text import t

PARAM_NAMES = ("W1", "b1", "W2", "b2", "W3", "b3")
# the same tensors' names in the torch model (nn.Sequential indices 0, 2, 4)
TORCH_NAMES = dict(zip(PARAM_NAMES, ("0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias"), strict=True))


def params_from_model(model: nn.Module, dtype=np.float64) -> dict[str, np.ndarray]:
    """The lesson net's weights as NumPy arrays: {"W1": (H, 1), "b1": (H,), ..., "b3": (1,)}."""
    state = dict(model.named_parameters())
    return {k: state[v].detach().cpu().numpy().astype(dtype) for k, v in TORCH_NAMES.items()}


def init_params(hidden: int = 16, seed: int = 0, dtype=np.float64) -> dict[str, np.ndarray]:
    """Random weights for any hidden width, uniform in +-1/sqrt(fan_in) like nn.Linear, in `dtype`
    (scaled in float64, then cast: dividing a float32 array by NumPy's float64 sqrt would give float64)."""
    rng = np.random.default_rng(seed)
    shapes = {"W1": (hidden, 1), "b1": (hidden,), "W2": (hidden, hidden), "b2": (hidden,),
              "W3": (1, hidden), "b3": (1,)}
    fan_in = {"W1": 1, "b1": 1, "W2": hidden, "b2": hidden, "W3": hidden, "b3": hidden}
    return {k: (rng.uniform(-1, 1, s) / np.sqrt(fan_in[k])).astype(dtype) for k, s in shapes.items()}


def relu(z: np.ndarray) -> np.ndarray:
    return np.maximum(z, 0.0)


def forward(params: dict, x: np.ndarray) -> dict[str, np.ndarray]:
    """Step 1 by hand: every intermediate value, for backward() and for the lessons to show."""
    z1 = x @ params["W1"].T + params["b1"]          # (B, H)
    a1 = relu(z1)
    z2 = a1 @ params["W2"].T + params["b2"]         # (B, H)
    a2 = relu(z2)
    y_hat = a2 @ params["W3"].T + params["b3"]      # (B, 1)
    return {"x": x, "z1": z1, "a1": a1, "z2": z2, "a2": a2, "y_hat": y_hat}


def mse(y_hat: np.ndarray, y: np.ndarray) -> float:
    """Step 2 by hand: L = (1/N) * sum (y_hat - y)^2."""
    return float(np.mean((y_hat - y) ** 2))


def backward(params: dict, cache: dict, y: np.ndarray) -> dict[str, np.ndarray]:
    """Step 4 by hand: dL/dW, dL/db for every layer, plus the chain's intermediate terms."""
    x, a1, a2, y_hat = cache["x"], cache["a1"], cache["a2"], cache["y_hat"]
    B = y_hat.shape[0]
    d_y_hat = 2.0 * (y_hat - y) / B                     # (B, 1)
    mask2 = (cache["z2"] > 0).astype(y_hat.dtype)      # ReLU'(z2): 1 if z > 0 else 0
    mask1 = (cache["z1"] > 0).astype(y_hat.dtype)
    d_a2 = d_y_hat @ params["W3"]                       # (B, H)
    d_z2 = d_a2 * mask2
    d_a1 = d_z2 @ params["W2"]                          # (B, H)
    d_z1 = d_a1 * mask1
    return {
        "W3": d_y_hat.T @ a2, "b3": d_y_hat.sum(axis=0),
        "W2": d_z2.T @ a1, "b2": d_z2.sum(axis=0),
        "W1": d_z1.T @ x, "b1": d_z1.sum(axis=0),
        "d_y_hat": d_y_hat, "mask2": mask2, "mask1": mask1,
        "d_a2": d_a2, "d_z2": d_z2, "d_a1": d_a1, "d_z1": d_z1,
    }


def loss_of(params: dict, x: np.ndarray, y: np.ndarray) -> float:
    return mse(forward(params, x)["y_hat"], y)


def finite_difference(params: dict, x: np.ndarray, y: np.ndarray, eps: float = 1e-6) -> dict[str, np.ndarray]:
    """dL/dp ~ (L(p + eps) - L(p - eps)) / (2 eps), one number at a time (slow; for checking)."""
    grads = {}
    for name in PARAM_NAMES:
        p = params[name]
        g = np.zeros_like(p)
        for i in np.ndindex(p.shape):
            old = p[i]
            p[i] = old + eps
            up = loss_of(params, x, y)
            p[i] = old - eps
            down = loss_of(params, x, y)
            p[i] = old
            g[i] = (up - down) / (2 * eps)
        grads[name] = g
    return grads


# ---- a NumPy training engine, for widgets that must re-train in a fraction of a second -----------

def _scalar(value: float, dtype) -> np.ndarray:
    """A Python number as PyTorch's CPU kernels use it on a tensor of `dtype` (cast to that dtype)."""
    return np.asarray(value, dtype=dtype)


class NumpyOptimizer:
    """PyTorch's SGD / momentum / RMSprop / Adam updates (default hyper-parameters), in NumPy.

    The operations follow torch.optim's single-tensor code on CPU in the same order and with
    the same scalar casts (Adam's `lerp`, `addcmul`, `addcdiv`), so in float32 the engine
    rounds as PyTorch does except for fused multiply-adds and summation order inside matmuls.
    """

    NAMES = ("sgd", "momentum", "rmsprop", "adam")   # as lessonlib.train.OPTIMIZERS

    def __init__(self, name: str, params: dict, lr: float, names=PARAM_NAMES):
        if name not in self.NAMES:
            raise ValueError(t("train.unknown_optimizer", got=name, expected=list(self.NAMES)))
        self.name, self.params, self.lr, self.t, self.names = name, params, lr, 0, tuple(names)
        self.state = {k: {} for k in self.names}

    def step(self, grads: dict) -> None:
        self.t += 1
        for k in self.names:
            p, g, s = self.params[k], grads[k], self.state[k]
            dt = p.dtype.type
            if self.name == "sgd":                                # p.add_(g, alpha=-lr)
                p += dt(-self.lr) * g
            elif self.name == "momentum":                        # buf = clone(g), then buf.mul_(0.9).add_(g)
                if "buf" not in s:
                    s["buf"] = g.copy()
                else:
                    buf = s["buf"]
                    buf *= dt(0.9)
                    buf += g
                p += dt(-self.lr) * s["buf"]
            elif self.name == "rmsprop":                         # alpha 0.99, eps 1e-8
                sq = s.setdefault("sq", np.zeros_like(p))
                sq *= dt(0.99)
                sq += dt(1 - 0.99) * g * g                       # addcmul_(g, g, value=1 - alpha)
                avg = np.sqrt(sq) + dt(1e-8)
                p += dt(-self.lr) * g / avg                      # addcdiv_(g, avg, value=-lr)
            elif self.name == "adam":                            # betas (0.9, 0.999), eps 1e-8
                m = s.setdefault("m", np.zeros_like(p))
                v = s.setdefault("v", np.zeros_like(p))
                m += dt(1 - 0.9) * (g - m)                       # lerp_(g, 0.1): weight < 0.5 branch
                v *= dt(0.999)
                v += dt(1 - 0.999) * g * g
                step_size = self.lr / (1 - 0.9 ** self.t)
                denom = np.sqrt(v) / dt(math.sqrt(1 - 0.999 ** self.t)) + dt(1e-8)
                p += dt(-step_size) * m / denom                  # addcdiv_(m, denom, value=-step_size)


def _train_step(params: dict, xb: np.ndarray, yb: np.ndarray, out: dict) -> float:
    """Forward, loss and backward of one batch in PyTorch's order (nn.Linear, ReLU, MSELoss).

    The gradients are written into `out` (arrays shaped like the parameters); returns the loss.
    """
    W1, b1, W2, b2, W3, b3 = (params[k] for k in PARAM_NAMES)
    dt = xb.dtype.type
    z1 = xb @ W1.T + b1
    a1 = np.maximum(z1, dt(0))
    z2 = a1 @ W2.T + b2
    a2 = np.maximum(z2, dt(0))
    y_hat = a2 @ W3.T + b3
    diff = y_hat - yb
    loss = float(np.mean(diff * diff, dtype=xb.dtype))
    d_y = dt(2.0 / len(xb)) * diff                               # MSELoss backward: 2/N (y_hat - y)
    d_a2 = d_y @ W3
    d_z2 = np.where(a2 > 0, d_a2, dt(0))                          # ReLU backward: threshold, not a product
    d_a1 = d_z2 @ W2
    d_z1 = np.where(a1 > 0, d_a1, dt(0))
    np.matmul(d_y.T, a2, out=out["W3"])
    np.sum(d_y, axis=0, out=out["b3"])
    np.matmul(d_z2.T, a1, out=out["W2"])
    np.sum(d_z2, axis=0, out=out["b2"])
    np.matmul(d_z1.T, xb, out=out["W1"])
    np.sum(d_z1, axis=0, out=out["b1"])
    return loss


def train(params: dict, x_train: np.ndarray, y_train: np.ndarray, x_val: np.ndarray, y_val: np.ndarray,
          *, optimizer: str = "adam", lr: float = 0.01, epochs: int = 300, batch_orders=None,
          batch_size: int = 32, seed: int = 0, reference_loss: float | None = None,
          on_epoch=None) -> dict:
    """The lesson's loop in NumPy: returns {"train_loss": [...], "val_loss": [...], "diverged_at": epoch|None,
    "reference_loss": float}.

    Divergence is lessonlib.train's one rule (train.diverged): a non-finite loss, or one above
    DIVERGENCE_FACTOR times the untrained net's training loss (`reference_loss`; computed from
    `params` when not given); training stops at that epoch, as fit() does.
    `batch_orders(epoch) -> permutation` fixes the shuffling (tests pass torch's to compare);
    by default a seeded NumPy generator shuffles. `params` are updated in place (its entries become
    views of one flat buffer), in the arrays' dtype (float32 rounds like PyTorch's float32). `on_epoch(epoch, params)` is called after each epoch.
    """
    from .train import diverged          # the one definition of divergence (train imports torch)
    # All six tensors live in one flat buffer (params[k] become views of it), and so do their
    # gradients: the optimizer's element-wise update then runs once per step instead of six
    # times (the same numbers, about twice as fast).
    sizes = [params[k].size for k in PARAM_NAMES]
    offsets = np.cumsum([0] + sizes)
    flat = np.concatenate([params[k].ravel() for k in PARAM_NAMES])
    grad_flat = np.zeros_like(flat)
    grads = {}
    for k, a, b in zip(PARAM_NAMES, offsets[:-1], offsets[1:], strict=True):
        shape = params[k].shape
        params[k] = flat[a:b].reshape(shape)
        grads[k] = grad_flat[a:b].reshape(shape)
    opt = NumpyOptimizer(optimizer, {"all": flat}, lr, names=("all",))
    rng = np.random.default_rng(seed)
    n = len(x_train)
    with np.errstate(all="ignore"):
        if reference_loss is None:
            reference_loss = loss_of(params, x_train, y_train)
        out = {"train_loss": [], "val_loss": [], "diverged_at": None, "reference_loss": reference_loss}
        for epoch in range(1, epochs + 1):
            perm = batch_orders(epoch) if batch_orders is not None else rng.permutation(n)
            running = 0.0
            for start in range(0, n, batch_size):
                i = perm[start:start + batch_size]
                xb, yb = x_train[i], y_train[i]
                running += _train_step(params, xb, yb, grads) * len(i)
                opt.step({"all": grad_flat})
            out["train_loss"].append(running / n)
            out["val_loss"].append(loss_of(params, x_val, y_val))
            if on_epoch is not None:
                on_epoch(epoch, params)
            if diverged(out["train_loss"][-1], reference_loss) or diverged(out["val_loss"][-1], reference_loss):
                out["diverged_at"] = epoch
                break
    return out
