"""Importing lessonlib is cheap and changes nothing global (each check in a fresh interpreter)."""
import json
import os
import pathlib
import subprocess
import sys
import textwrap


ROOT = pathlib.Path(__file__).resolve().parents[1]


def run_fresh(code: str) -> dict:
    """Run `code` in a new Python from the repo root; it prints one JSON object as its last line."""
    env = dict(os.environ, OMP_NUM_THREADS="1", MPLBACKEND="Agg")
    proc = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, f"subprocess failed:\n{proc.stderr[-3000:]}"
    return json.loads(proc.stdout.strip().splitlines()[-1])


def test_import_loads_no_ui_libraries_and_changes_no_state():
    out = run_fresh("""
        import json, sys, warnings
        import numpy as np, torch
        torch.manual_seed(1234); np.random.seed(1234)
        torch.set_num_threads(3)
        t_state = torch.get_rng_state().clone()
        n_state = np.random.get_state()
        filters = list(warnings.filters)
        default_dtype = torch.get_default_dtype()
        import lessonlib
        n_after = np.random.get_state()
        print(json.dumps({
            "modules": sorted(m for m in sys.modules if m.split(".")[0] in ("matplotlib", "ipywidgets", "IPython", "bidi")),
            "torch_rng_same": bool(torch.equal(t_state, torch.get_rng_state())),
            "numpy_rng_same": n_state[0] == n_after[0] and bool((n_state[1] == n_after[1]).all()) and n_state[2:] == n_after[2:],
            "threads": torch.get_num_threads(),
            "filters_same": filters == list(warnings.filters),
            "dtype_same": torch.get_default_dtype() == default_dtype,
            "language": lessonlib.get_language(),
            "next_torch": torch.rand(1).item(),
            "next_numpy": float(np.random.rand()),
        }))
    """)
    assert out["modules"] == [], f"import lessonlib imported {out['modules']}"
    assert out["torch_rng_same"], "import lessonlib changed torch's RNG state"
    assert out["numpy_rng_same"], "import lessonlib changed NumPy's global RNG state"
    assert out["threads"] == 3, f"import lessonlib changed torch's threads to {out['threads']}"
    assert out["filters_same"], "import lessonlib changed the warning filters"
    assert out["dtype_same"]
    assert out["language"] == "en"
    # the next random numbers are the ones the seeds give without lessonlib
    ref = run_fresh("""
        import json, numpy as np, torch
        torch.manual_seed(1234); np.random.seed(1234)
        print(json.dumps({"next_torch": torch.rand(1).item(), "next_numpy": float(np.random.rand())}))
    """)
    assert (out["next_torch"], out["next_numpy"]) == (ref["next_torch"], ref["next_numpy"])


def test_import_keeps_rcparams():
    out = run_fresh("""
        import json
        import matplotlib
        before = {k: repr(v) for k, v in matplotlib.rcParams.items()}
        backend = matplotlib.get_backend()
        import lessonlib
        after_import = {k: repr(v) for k, v in matplotlib.rcParams.items()}
        from lessonlib import plots
        after_plots = {k: repr(v) for k, v in matplotlib.rcParams.items()}
        import sys
        print(json.dumps({
            "import": sorted(k for k in before if before[k] != after_import.get(k)),
            "plots": sorted(k for k in before if before[k] != after_plots.get(k)),
            "same_keys": set(before) == set(after_plots),
            "backend_same": backend == matplotlib.get_backend(),
            "pyplot": "matplotlib.pyplot" in sys.modules,
        }))
    """)
    assert out["import"] == [], f"import lessonlib changed rcParams {out['import']}"
    assert out["plots"] == [], f"importing lessonlib.plots changed rcParams {out['plots']}"
    assert out["same_keys"] and out["backend_same"]
    assert not out["pyplot"], "lessonlib.plots must not import pyplot"


def test_all_names_resolve():
    out = run_fresh("""
        import json, types
        import lessonlib
        missing, kinds = [], {}
        for name in lessonlib.__all__:
            try:
                obj = getattr(lessonlib, name)
            except Exception as err:
                missing.append(f"{name}: {type(err).__name__}: {err}")
                continue
            kinds[name] = "module" if isinstance(obj, types.ModuleType) else type(obj).__name__
        try:
            lessonlib.no_such_name
            unknown = "no error"
        except AttributeError as err:
            unknown = str(err)
        print(json.dumps({"missing": missing, "kinds": kinds, "all": lessonlib.__all__, "unknown": unknown,
                          "dupes": len(lessonlib.__all__) != len(set(lessonlib.__all__))}))
    """)
    assert out["missing"] == [], out["missing"]
    assert not out["dupes"]
    for name in ("manual", "checks", "plots", "widgets", "exercises", "text"):
        assert out["kinds"].get(name) == "module", f"lessonlib.{name}: got {out['kinds'].get(name)}"
    for name in ("make_line_data", "make_model", "fit", "Stepper", "check", "setup", "t"):
        assert name in out["all"]
    assert "no_such_name" in out["unknown"]


def test_star_names_are_the_public_api():
    import lessonlib
    for name in lessonlib.__all__:
        assert not name.startswith("_")
    assert set(lessonlib.__all__) >= {"make_line_data", "make_model", "count_parameters", "Stepper", "fit",
                                      "predict", "make_optimizer", "set_language", "check", "Result"}
