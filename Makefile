# Two commands on a fresh machine: `make test` and `make lab`. Both create .venv if missing and
# install everything into it (CPU torch first, then this package with its dev extras).
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
# torch==2.13.0 is a CPU wheel on the course machines. Elsewhere on Linux, PyPI's torch is a
# multi-GB CUDA build; get the CPU one with:
#   make test TORCH_PIP_ARGS="--index-url https://download.pytorch.org/whl/cpu"
TORCH_SPEC     ?= torch==2.13.0
TORCH_PIP_ARGS ?=
STAMP  := $(VENV)/.installed
# The Colab-like env (below): defined here, before `test` names its stamp as a prerequisite
# (make expands prerequisites when it reads the rule).
VENV_COLAB  ?= .venv-colab
STAMP_COLAB := $(VENV_COLAB)/.installed
# Tiny tensors: one thread per process is faster and makes runs repeatable.
export OMP_NUM_THREADS ?= 1
export PYDEVD_DISABLE_FILE_VALIDATION = 1
# Let Python cache compiled modules (__pycache__/, git-ignored) even where the machine sets
# PYTHONDONTWRITEBYTECODE=1 (these do): without the cache every pytest process re-runs pytest's
# assertion rewriting over ~200 test modules, about 8 CPU-s each (docs/test-time.md).
unexport PYTHONDONTWRITEBYTECODE

.PHONY: install test lint release lab execute bench bench-smoke relink clean test-colab mutate student guides slides site

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check $(TORCH_PIP_ARGS) "$(TORCH_SPEC)"
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (rb109-02)" >/dev/null
	$(BIN)/python -c "import torch; print('torch', torch.__version__, 'CUDA build' if torch.version.cuda else 'CPU build')"
	touch $(STAMP)

# The whole suite (docs/benchmarks.md has where the time goes). Lint and the slides first (a second; and
# tests/test_slides.py reads build/slides). Then three lanes side by side (tools/lanes.py prints each
# lane's output whole when it ends, and build/test-lanes.json has each command's time):
#  1. unit tests and notebook tests on two workers, one test file or notebook per work unit (nbval,
#     strict: each lesson runs ONCE, its exercises' solutions and wrong answers and its student copy's
#     cells that can differ checked inside that run: tests/nbchecked.py; kernels forked from a process that
#     has imported torch: tests/kernel_zygote.py);
#  2. tests/test_browser.py, the lessons in real JupyterLab (it keeps under one core busy: it waits on
#     JupyterLab and Chromium's renderer);
#  3. the bidi-checker, slides and site browser tests, then the Colab-like env's tests.
test: install lint slides $(STAMP_COLAB)
	$(BIN)/python -m tools.lanes \
	  --lane "unit and notebook tests" "$(BIN)/python -m pytest -n 2 --dist loadfile -m 'not browser'" \
	  --lane "lessons in JupyterLab" "$(BIN)/python -m pytest -m browser tests/test_browser.py" \
	  --lane "bidi checker, slides, site; Colab-like env" \
	    "$(BIN)/python -m pytest -m browser tests/test_bidi_checker.py tests/test_slides_browser.py tests/test_site_browser.py" \
	    "$(MAKE) --no-print-directory test-colab"

# Lint (ruff, pinned in the dev extras; settings in pyproject.toml [tool.ruff]): every .py file and
# both editions' notebooks (ruff reads .ipynb), and the notebooks' metadata (no execution timings,
# a kernelspec). The formatter's settings are there too, but `ruff format` is not applied yet (README).
lint: install
	$(BIN)/ruff check .
	$(BIN)/python -m tools.check_nb_metadata notebooks/he/*.ipynb notebooks/en/*.ipynb

# A release students can pin: make release VERSION=0.2.0 (README, "Maintainers: lint, pre-commit,
# releases"). Commits "Release v0.2.0" with every notebook's badge and install cell on tag v0.2.0,
# tags it, then commits main's notebooks back to `main`. Pushing is left to you.
release:
	@test -n "$(VERSION)" || { echo "usage: make release VERSION=x.y.z"; exit 2; }
	$(PYTHON) -m tools.release $(VERSION) $(if $(SKIP_TESTS),--skip-tests)

# A fork changes the repository's address in one place, pyproject.toml [project.urls] Repository, then
# `make relink` points every Colab badge, Binder link, install cell and README/guides link at it
# (tools/relink.py; the release's own rewriting step). REF=v0.2.0 also moves the notebooks to that ref.
REF ?=
relink:
	$(PYTHON) -m tools.relink $(if $(REF),--ref $(REF))

# Offline slides: reveal.js pages for every lesson in both editions, in build/slides/{he,en}/.
# reveal.js and MathJax come from npm (pinned in slides/package-lock.json; needs node and npm) and
# are copied next to the pages: nothing is loaded from a CDN (tests/test_slides.py checks).
SLIDES_OUT   ?= build/slides
SLIDES_STAMP := slides/node_modules/.installed

$(SLIDES_STAMP): slides/package.json slides/package-lock.json
	@command -v npm >/dev/null || { echo "make slides needs node and npm (e.g. apt-get install nodejs npm)"; exit 1; }
	cd slides && npm ci --no-audit --no-fund --loglevel=error
	touch $(SLIDES_STAMP)

slides: install $(SLIDES_STAMP)
	$(BIN)/python -m tools.slides --out $(SLIDES_OUT)

# The course site: static HTML of every lesson in both editions with its saved outputs, a home page
# per language, in build/site/ (README, "Course site"). nbconvert with our template (site/template);
# MathJax and the widgets' HTML manager come from the npm packages above: nothing from a CDN.
SITE_OUT ?= build/site

site: install $(SLIDES_STAMP)
	$(BIN)/python -m tools.site --out $(SITE_OUT)

# Colab ships ipywidgets 7.7.1 and matplotlib 3.10 (which draws Hebrew reversed unless python-bidi
# reorders it): the widget and plot tests run again in a second env like that (same recipe as
# .venv: CPU torch first; no nbval there, hence addopts="").

$(STAMP_COLAB): pyproject.toml
	test -x $(VENV_COLAB)/bin/python || $(PYTHON) -m venv $(VENV_COLAB)
	$(VENV_COLAB)/bin/python -m pip install --quiet --disable-pip-version-check $(TORCH_PIP_ARGS) "$(TORCH_SPEC)"
	$(VENV_COLAB)/bin/python -m pip install --quiet --disable-pip-version-check numpy "matplotlib==3.10.*" python-bidi pytest hypothesis "ipywidgets==7.7.1"
	$(VENV_COLAB)/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP_COLAB)

# ipywidgets 7 + a recent ipykernel warn that ipykernel.comm.Comm is deprecated (not our code).
# `make test` runs the same commands (COLAB_TEST) alongside tests/test_browser.py.
COLAB_TEST = $(VENV_COLAB)/bin/python -c "import ipywidgets, matplotlib; print('colab-like env: ipywidgets', ipywidgets.__version__, 'matplotlib', matplotlib.__version__)" && \
  $(VENV_COLAB)/bin/python -m pytest -o addopts="" -p no:cacheprovider tests/test_widgets.py tests/test_plots.py tests/test_bidi.py tests/test_display.py tests/test_explorer_truth.py \
  tests/test_graph.py tests/test_graph_plot.py tests/test_graph_widget.py tests/test_widgets_package.py tests/test_widget_redraw.py \
  tests/test_seen_landscape.py tests/test_seen_conv.py tests/test_seen_learned.py tests/test_seen_boundary.py \
  tests/test_seen_optimizers.py tests/test_seen_misc.py \
  -W 'ignore:The `ipykernel.comm.Comm` class has been deprecated:DeprecationWarning'

test-colab: $(STAMP_COLAB)
	$(COLAB_TEST)

# Trusting our own notebooks lets JupyterLab apply the committed RTL CSS (the setup cell's output)
# as soon as a Hebrew lesson opens; untrusted, it strips <style> until the cell is run again.
lab: install
	$(BIN)/jupyter trust notebooks/he/*.ipynb notebooks/en/*.ipynb >/dev/null
	$(BIN)/jupyter lab --allow-root --notebook-dir=notebooks $(LAB_ARGS)

# Re-run every notebook in place so committed outputs are what a re-run produces, and record which float32
# arithmetic wrote them (tools/arithmetic.py: their numbers are exact on that kind of machine).
execute: install
	$(BIN)/jupyter nbconvert --to notebook --execute --inplace \
	  --ExecutePreprocessor.kernel_name=python3 --ExecutePreprocessor.timeout=600 \
	  --ExecutePreprocessor.record_timing=False \
	  notebooks/he/*.ipynb notebooks/en/*.ipynb
	$(BIN)/python -m tools.arithmetic --write

# Benchmarks (not tests): writes docs/benchmarks.md (15-45 min on 2 cores, by load; tools/bench.py says what
# is measured against what). `make bench QUICK=1` or `make bench-smoke`: a smoke run of a few seconds
# (few repetitions, one lesson, only `lint` of make test) written to $(BENCH_SMOKE_OUT), not to docs/;
# tests/test_bench.py runs it in `make test`.
BENCH_OUT       ?= docs/benchmarks.md
BENCH_SMOKE_OUT ?= build/bench-smoke.md
QUICK ?=
bench: install
	$(BIN)/python -m tools.bench $(if $(QUICK),--quick --out $(BENCH_SMOKE_OUT),--out $(BENCH_OUT))

bench-smoke: install
	$(BIN)/python -m tools.bench --quick --out $(BENCH_SMOKE_OUT)

# Mutation testing (not part of `make test`: it takes long on 2 cores; docs/mutation.md has the
# runtime). One module at a time against its own tests: make mutate MODULES="data train".
MODULES ?=
MUTATE_JOBS ?= 2
MUTATE_ARGS ?=
mutate: install
	$(BIN)/python -m pip install --quiet --disable-pip-version-check "mutmut==3.8.1"
	$(BIN)/python -m tools.mutate --jobs $(MUTATE_JOBS) $(MUTATE_ARGS) $(MODULES)

# For the instructor: the student edition (every lesson without its solution cells, hints kept)
# in build/student/he and build/student/en; and the guides' generated blocks (exercise answers
# from lessonlib.exercises, measured kernel memory from guides/memory.json) rewritten in place.
student: install
	$(BIN)/python -m tools.student

guides: install
	$(BIN)/python -m tools.guides

clean:
	rm -rf $(VENV) $(VENV_COLAB) .pytest_cache .hypothesis
