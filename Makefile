# Two commands set everything up on a fresh machine with Python 3.11:
#   make book   create .venv if missing, install the pinned tree, build the book (-W, fresh execution)
#   make test   the same install, build the book, then run the test suite
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install book test bench clean

install: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	$(PY) -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $(STAMP)

# Jupyter Book's cache keys on cell source only, and an incremental -W rebuild can pass
# after a failure, so every build starts from empty doctrees and executes every chapter.
book: install
	rm -rf _build/html _build/.doctrees _build/jupyter_execute
	$(VENV)/bin/jupyter-book build . --warningiserror --keep-going

test: book
	$(PY) -m pytest

bench: install
	$(PY) benchmarks/bench_core.py

clean:
	rm -rf _build .pytest_cache .hypothesis
