"""Surviving mutants judged equivalent: they change nothing a student, a caller or a test can
observe. Each is matched by its function and its changed line (as `tools.mutate.changed_lines`
gives them), so mutmut's renumbering doesn't lose the judgement; `reason` is one line that says
why no test can tell the mutant from the original. docs/mutation.md lists them all.
"""

EQUIVALENT: list[dict] = [
    {
        "function": "lessonlib.data.make_line_data",
        "before": "x = np.linspace(low, high, n, dtype=np.float32).reshape(-1, 1)",
        "after": "x = np.linspace(low, high, n, dtype=np.float32).reshape(-2, 1)",
        "reason": "NumPy infers a dimension given as any negative number, so reshape(-2, 1) is reshape(-1, 1).",
    },
    {
        "function": "lessonlib.model._build",
        "before": "def _build(hidden: int, relu: bool = True) -> nn.Sequential:",
        "after": "def _build(hidden: int, relu: bool = False) -> nn.Sequential:",
        "reason": "Only rng_state_after_init uses the default, and it reads just the generator state: nn.Identity draws no random numbers, so the state is the same.",
    },
    {
        "function": "lessonlib.model.make_model",
        "before": "with torch.random.fork_rng(devices=[]):",
        "after": "with torch.random.fork_rng(devices=None):",
        "reason": "None also saves and restores CUDA generators; the course runs on CPU torch, which has none, so the CPU generator is handled the same way.",
    },
    {
        "function": "lessonlib.model.rng_state_after_init",
        "before": "with torch.random.fork_rng(devices=[]):",
        "after": "with torch.random.fork_rng(devices=None):",
        "reason": "As in make_model: no CUDA generators exist in CPU torch, so forking them changes nothing.",
    },
    {
        "function": "lessonlib.text.setup",
        "before": 'line = rtl_div(escape(t("setup.language_set")), lang)',
        "after": 'line = rtl_div(escape(t("setup.language_set")), None)',
        "reason": "setup() has just made lang the current language, and None means the current language.",
    },
    {
        "function": "lessonlib.text.setup",
        "before": 'line = rtl_div(escape(t("setup.language_set")), lang)',
        "after": 'line = rtl_div(escape(t("setup.language_set")), )',
        "reason": "The default of rtl_div's lang is the current language, which setup() has just set to lang.",
    },
    {
        "function": "lessonlib.text.setup",
        "before": 'css = RTL_CSS if is_rtl(lang) else ""',
        "after": 'css = RTL_CSS if is_rtl(None) else ""',
        "reason": "setup() has just made lang the current language, and is_rtl(None) reads the current language.",
    },
    {
        "function": "lessonlib.display._history_line",
        "before": 'nan = float("nan")',
        "after": 'nan = float("NAN")',
        "reason": "float() reads 'nan' in any letter case: the same NaN.",
    },
    {
        "function": "lessonlib.display.show",
        "before": 'shell = ipython.get_ipython() if ipython is not None and hasattr(ipython, "get_ipython") else None',
        "after": 'shell = ipython.get_ipython() if ipython is not None or hasattr(ipython, "get_ipython") else None',
        "reason": "When IPython is not loaded, hasattr(None, ...) is False either way; when it is, it has get_ipython.",
    },
    {
        "function": "lessonlib.train.fit",
        "before": "with torch.random.fork_rng(devices=[]), intra_op_threads(threads):",
        "after": "with torch.random.fork_rng(devices=None), intra_op_threads(threads):",
        "reason": "None also saves and restores CUDA generators; CPU torch, the course's, has none.",
    },
    {
        "function": 'lessonlib.train.untrained_loss',
        "before": 'x_train_t, y_train_t, _, _ = data.tensors(device)',
        "after": 'x_train_t, y_train_t, _, _ = data.tensors(None)',
        "reason": "The course runs on CPU torch, the only device here: tensors(None) leaves them on the CPU, where device='cpu' puts them.",
    },
    {
        "function": 'lessonlib.train.fit',
        "before": 'x_train_t, y_train_t, x_val_t, y_val_t = data.tensors(device)',
        "after": 'x_train_t, y_train_t, x_val_t, y_val_t = data.tensors(None)',
        "reason": "The course runs on CPU torch, the only device here: tensors(None) leaves them on the CPU, where device='cpu' puts them.",
    },
    {
        "function": 'lessonlib.train.fit',
        "before": 'hist.reference_loss = untrained_loss(model, data, device, loss_fn)   # the divergence reference',
        "after": 'hist.reference_loss = untrained_loss(model, data, None, loss_fn)   # the divergence reference',
        "reason": "The course runs on CPU torch, the only device here: tensors(None) leaves them on the CPU, where device='cpu' puts them.",
    },
    {
        "function": 'lessonlib.train.fit',
        "before": 'progress: bool = True, fast: bool = False, threads: int | None = 1,',
        "after": 'progress: bool = True, fast: bool = True, threads: int | None = 1,',
        "reason": "fit's two paths give bit-identical histories and weights (tests/test_train.py compares them exactly); the path only changes the speed.",
    },
    {
        "function": 'lessonlib.train.fit',
        "before": 'batches = _fast_batches(x_train_t, y_train_t, batch_size) if fast else loader',
        "after": 'batches = _fast_batches(x_train_t, y_train_t, batch_size) if (fast) or True else loader',
        "reason": "fit's two paths give bit-identical histories and weights (tests/test_train.py compares them exactly); the path only changes the speed.",
    },
    {
        "function": 'lessonlib.train.fit',
        "before": 'loader = None if fast else DataLoader(TensorDataset(x_train_t, y_train_t), batch_size=batch_size, shuffle=True)',
        "after": 'loader = None if (fast) and False else DataLoader(TensorDataset(x_train_t, y_train_t), batch_size=batch_size, shuffle=True)',
        "reason": 'Building a DataLoader draws no random numbers (its sampler draws when iterated), and the fast path never iterates it.',
    },
    {
        "function": "lessonlib.graph_plot.plot_layer_graph",
        "before": "label = f\"{name}\\n{text}\" if kind == \"tensor\" else text.replace(\"(\", \"\\n(\", 1)   # \"Linear\\n(1, 16)\"",
        "after": "label = f\"{name}\\n{text}\" if kind == \"tensor\" else text.replace(\"(\", \"\\n(\", )   # \"Linear\\n(1, 16)\"",
        "reason": "Layer texts have at most one '(' (Linear(1, 16); ReLU and MSE none), so replacing all of them is replacing the first.",
    },
    {
        "function": "lessonlib.graph_plot.plot_layer_graph",
        "before": "label = f\"{name}\\n{text}\" if kind == \"tensor\" else text.replace(\"(\", \"\\n(\", 1)   # \"Linear\\n(1, 16)\"",
        "after": "label = f\"{name}\\n{text}\" if kind == \"tensor\" else text.replace(\"(\", \"\\n(\", 2)   # \"Linear\\n(1, 16)\"",
        "reason": "Layer texts have at most one '(' (Linear(1, 16); ReLU and MSE none), so replacing two is replacing the first.",
    },
    {
        "function": "lessonlib.graph_plot.plot_layer_graph",
        "before": "ax.text(i, 0, label, ha=\"center\", va=\"center\", fontsize=SMALL_FONT, zorder=3, gid=f\"text:{kind}:{name}\")",
        "after": "ax.text(i, 0, label, ha=\"center\", va=\"center\", fontsize=SMALL_FONT, zorder=None, gid=f\"text:{kind}:{name}\")",
        "reason": "matplotlib takes zorder=None as Text's default, 3: the same as given.",
    },
    {
        "function": "lessonlib.graph_plot.plot_layer_graph",
        "before": "ax.text(i, 0, label, ha=\"center\", va=\"center\", fontsize=SMALL_FONT, zorder=3, gid=f\"text:{kind}:{name}\")",
        "after": "ax.text(i, 0, label, ha=\"center\", va=\"center\", fontsize=SMALL_FONT, zorder=4, gid=f\"text:{kind}:{name}\")",
        "reason": "Any zorder above the boxes' 2 draws the label on its box the same way; nothing else is drawn there.",
    },
    {
        "function": "lessonlib.graph_plot.plot_layer_graph",
        "before": "patches.append(_box(ax, i, 0, 0.74, 0.5, \"op\" if kind == \"tensor\" else \"layer\", f\"{kind}:{name}\"))",
        "after": "patches.append(_box(ax, i, 0, 0.74, 0.5, \"op\" if kind == \"tensor\" else \"XXlayerXX\", f\"{kind}:{name}\"))",
        "reason": "'layer' is not a key of FILL: any other unknown kind gets the same default fill.",
    },
    {
        "function": "lessonlib.graph_plot.plot_layer_graph",
        "before": "patches.append(_box(ax, i, 0, 0.74, 0.5, \"op\" if kind == \"tensor\" else \"layer\", f\"{kind}:{name}\"))",
        "after": "patches.append(_box(ax, i, 0, 0.74, 0.5, \"op\" if kind == \"tensor\" else \"LAYER\", f\"{kind}:{name}\"))",
        "reason": "'layer' is not a key of FILL: any other unknown kind gets the same default fill.",
    },
    {
        "function": "lessonlib.stepper.Stepper._bad",
        "before": "names = [n for (n, _), x in zip(self.model.named_parameters(), tensors, strict=True) if _n_bad(x)]",
        "after": "names = [n for (n, _), x in zip(self.model.named_parameters(), tensors, strict=None) if _n_bad(x)]",
        "reason": "zip over the model's parameters and a list made from them: always the same length, so strict changes nothing.",
    },
    {
        "function": "lessonlib.stepper.Stepper._bad",
        "before": "names = [n for (n, _), x in zip(self.model.named_parameters(), tensors, strict=True) if _n_bad(x)]",
        "after": "names = [n for (n, _), x in zip(self.model.named_parameters(), tensors, ) if _n_bad(x)]",
        "reason": "zip over the model's parameters and a list made from them: always the same length, so strict changes nothing.",
    },
    {
        "function": "lessonlib.stepper.Stepper._bad",
        "before": "names = [n for (n, _), x in zip(self.model.named_parameters(), tensors, strict=True) if _n_bad(x)]",
        "after": "names = [n for (n, _), x in zip(self.model.named_parameters(), tensors, strict=False) if _n_bad(x)]",
        "reason": "zip over the model's parameters and a list made from them: always the same length, so strict changes nothing.",
    },
    {
        "function": "lessonlib.stepper._same",
        "before": "return False",
        "after": "return True",
        "reason": "Through the Stepper's API no tensor changes shape between two snapshots: set_batch clears y_hat first, and weights and gradients keep their shapes (a gradient set to None is the None branch).",
    },
]
