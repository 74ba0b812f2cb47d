# Two commands set everything up on a fresh machine with Python 3.11:
#   make book   create .venv if missing, install the pinned tree, execute the pages, build the book (-W)
#   make test   the same install, build the book, then run the test suite
# Two jobs: `make test` installs the browser (apt) while the book installs and builds.
MAKEFLAGS += -j2
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: install book browser test bench bench-build clean

install: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -e .
	$(PY) -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $(STAMP)

# Pages execute first, in parallel, into Jupyter Book's execution cache; supermodel.bookcache
# drops the cache when src/, the lock file or the configuration changed (the cache keys on cell
# source only). An incremental -W rebuild can pass after a failure, so Sphinx always starts
# from empty doctrees; a failed page is never cached and fails the build again.
book: install
	$(PY) -m supermodel.bookcache
	rm -rf _build/html _build/.doctrees _build/jupyter_execute
	$(VENV)/bin/jupyter-book build . --warningiserror --keep-going

# The browser test drives Debian's Chromium (no browser download): install it where missing.
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT := $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get -y -q

browser:
	@test -x /usr/bin/chromium -a -x /usr/bin/chromedriver || $(APT) install chromium chromium-driver \
	  || { $(APT) update && $(APT) install chromium chromium-driver; }

test: book browser
	$(PY) -m pytest

bench: install
	$(PY) benchmarks/bench_core.py

bench-build: install
	$(PY) benchmarks/bench_build.py

clean:
	rm -rf _build .pytest_cache .hypothesis
