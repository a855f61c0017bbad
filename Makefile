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
# Tiny tensors: one thread per process is faster and makes runs repeatable.
export OMP_NUM_THREADS ?= 1
export PYDEVD_DISABLE_FILE_VALIDATION = 1

.PHONY: install test lab execute bench clean test-widgets-7

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check $(TORCH_PIP_ARGS) "$(TORCH_SPEC)"
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (rb109-02)" >/dev/null
	$(BIN)/python -c "import torch; print('torch', torch.__version__, 'CUDA build' if torch.version.cuda else 'CPU build')"
	touch $(STAMP)

# The whole suite: unit tests, notebook tests (nbval, strict), browser test.
test: install
	$(BIN)/python -m pytest -n 2 --dist loadfile
	$(MAKE) test-widgets-7

# Colab still ships ipywidgets 7.7.1: the widget tests run again in a second env that has it
# (same recipe as .venv: CPU torch first, then the rest; no nbval there, hence addopts="").
VENV_W7  ?= .venv-w7
STAMP_W7 := $(VENV_W7)/.installed

$(STAMP_W7): pyproject.toml
	test -x $(VENV_W7)/bin/python || $(PYTHON) -m venv $(VENV_W7)
	$(VENV_W7)/bin/python -m pip install --quiet --disable-pip-version-check $(TORCH_PIP_ARGS) "$(TORCH_SPEC)"
	$(VENV_W7)/bin/python -m pip install --quiet --disable-pip-version-check numpy matplotlib python-bidi pytest hypothesis "ipywidgets==7.7.1"
	$(VENV_W7)/bin/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP_W7)

# ipywidgets 7 + a recent ipykernel warn that ipykernel.comm.Comm is deprecated (not our code).
test-widgets-7: $(STAMP_W7)
	$(VENV_W7)/bin/python -m pytest -o addopts="" -p no:cacheprovider tests/test_widgets.py \
	  -W 'ignore:The `ipykernel.comm.Comm` class has been deprecated:DeprecationWarning'

# Trusting our own notebooks lets JupyterLab apply the committed RTL CSS (the setup cell's output)
# as soon as a Hebrew lesson opens; untrusted, it strips <style> until the cell is run again.
lab: install
	$(BIN)/jupyter trust notebooks/he/*.ipynb notebooks/en/*.ipynb >/dev/null
	$(BIN)/jupyter lab --allow-root --notebook-dir=notebooks $(LAB_ARGS)

# Re-run every notebook in place so committed outputs are what a re-run produces.
execute: install
	$(BIN)/jupyter nbconvert --to notebook --execute --inplace \
	  --ExecutePreprocessor.kernel_name=python3 --ExecutePreprocessor.timeout=600 \
	  --ExecutePreprocessor.record_timing=False \
	  notebooks/he/*.ipynb notebooks/en/*.ipynb

# Benchmarks (not tests): classroom latencies next to the original loop.
bench: install
	$(BIN)/python -m tests.bench

clean:
	rm -rf $(VENV) $(VENV_W7) .pytest_cache .hypothesis
