"""The lesson's network: 1 -> 16 -> ReLU -> 16 -> ReLU -> 1, built with an explicit seed (lesson 02).

`make_model(seed=0)` has the same initial weights as the original script after
`torch.manual_seed(0)`, but restores PyTorch's global generator afterwards.
"""
from __future__ import annotations

import contextlib

import torch
from torch import nn


@contextlib.contextmanager
def seeded_cpu_rng(seed: int):
    """Inside the block PyTorch's CPU generator starts from `seed`; afterwards it is as it was before.

    The CPU part of `torch.manual_seed(seed)`, which also seeds the CUDA, XPU and MTIA generators
    (lazily, recording a stack trace each time: about 1 ms per call in a deep stack, and the
    exercises and widgets build thousands of nets). Only the CPU generator is used here.
    """
    with torch.random.fork_rng(devices=[]):
        torch.default_generator.manual_seed(int(seed))
        yield


def _build(hidden: int, relu: bool = True) -> nn.Sequential:
    act = nn.ReLU if relu else nn.Identity      # Identity has no weights: the same random draws
    return nn.Sequential(
        nn.Linear(1, hidden),       # input layer connected to `hidden` neurons
        act(),
        nn.Linear(hidden, hidden),
        act(),
        nn.Linear(hidden, 1),
    )


def make_model(seed: int = 0, hidden: int = 16, device: str | torch.device = "cpu", *,
               relu: bool = True) -> nn.Sequential:
    """A fresh lesson net; its weights depend only on `seed` and `hidden`.

    `relu=False` puts nn.Identity where the ReLUs were (lesson 05's "what if"): the same
    initial weights and layer indices, and the net computes one linear map of x.
    """
    with seeded_cpu_rng(seed):
        model = _build(hidden, relu)
    return model.to(device)


def make_classifier(seed: int = 0, hidden: int = 16, outputs: int = 1, inputs: int = 2,
                    device: str | torch.device = "cpu") -> nn.Sequential:
    """Lesson 09's net: inputs -> hidden -> ReLU -> hidden -> ReLU -> outputs, seeded like make_model.

    The lesson's net with two inputs (a point in the plane). Its outputs are logits, one real
    number per class score, with no sigmoid or softmax inside: BCEWithLogitsLoss (outputs=1, two
    classes) and CrossEntropyLoss (outputs=3, three classes) apply it themselves.
    """
    with seeded_cpu_rng(seed):
        model = nn.Sequential(nn.Linear(inputs, hidden), nn.ReLU(), nn.Linear(hidden, hidden), nn.ReLU(),
                              nn.Linear(hidden, outputs))
    return model.to(device)


def rng_state_after_init(seed: int = 0, hidden: int = 16) -> torch.Tensor:
    """PyTorch's CPU generator state in the original script right after it built the net.

    The script's DataLoader shuffles from the global generator from there on; `fit` replays
    that state so its batches come in the same order.
    """
    with seeded_cpu_rng(seed):
        _build(hidden)
        return torch.get_rng_state()


def count_parameters(model: nn.Module) -> int:
    """1->16: 16 + 16 = 32; 16->16: 256 + 16 = 272; 16->1: 16 + 1 = 17; total 321."""
    return sum(p.numel() for p in model.parameters())


# ---- lesson 10: a first convolutional net, and a fully connected one to compare ------------------

def make_cnn(seed: int = 0, channels: int = 6, size: int = 8, classes: int = 3) -> nn.Sequential:
    """Lesson 10's tiny conv net: (N, 1, 8, 8) -> Conv 3x3 (padding 1) -> ReLU -> MaxPool 2 -> Flatten -> Linear.

    Shapes: (N, 1, 8, 8) -> (N, 6, 8, 8) -> (N, 6, 8, 8) -> (N, 6, 4, 4) -> (N, 96) -> (N, 3) logits.
    Built under torch.manual_seed(seed) in a forked generator (like make_model): nothing global changes.
    """
    with seeded_cpu_rng(seed):
        model = nn.Sequential(
            nn.Conv2d(1, channels, kernel_size=3, padding=1),   # `channels` filters of 3x3, same size out
            nn.ReLU(),
            nn.MaxPool2d(2),                                     # the largest of each 2x2 block: half the size
            nn.Flatten(),
            nn.Linear(channels * (size // 2) ** 2, classes),
        )
    return model


def make_fc_image_net(seed: int = 0, hidden: int = 32, size: int = 8, classes: int = 3) -> nn.Sequential:
    """Lesson 10's fully connected comparison: every pixel to every hidden neuron, (N, 1, 8, 8) -> (N, 3)."""
    with seeded_cpu_rng(seed):
        model = nn.Sequential(nn.Flatten(), nn.Linear(size * size, hidden), nn.ReLU(), nn.Linear(hidden, classes))
    return model
