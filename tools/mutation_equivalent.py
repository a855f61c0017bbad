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
]
