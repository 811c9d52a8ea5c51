# Newsfacet: `make run` installs, indexes corpus/ and serves the UI; `make test` installs and runs every test.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
CORPUS ?= corpus
INDEX ?= index
HOST ?= 127.0.0.1
PORT ?= 5000
# pip and npm say only what went wrong; an install is redone only when pyproject.toml changes.
PIP := $(BIN)/python -m pip --quiet --disable-pip-version-check --no-input
AXE := tests/axe/node_modules/axe-core/axe.min.js

.PHONY: install install-test browser axe run rebuild serve test test-fast bench clean opensearch opensearch-stop

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(PIP) install -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(PIP) install -e '.[test]'
	@touch $@ $(VENV)/.installed

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

# Debian's Chromium for the browser tests (Playwright drives it; no browser download).
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "Chromium missing: run 'sudo apt-get install chromium' for the browser tests"; fi; \
	fi

# axe-core (pinned in tests/axe/package.json) for the browser tests' accessibility checks.
axe: $(AXE)

$(AXE): tests/axe/package.json
	@if ! command -v npm >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; \
	  else echo "npm missing: run 'sudo apt-get install npm' for the accessibility checks"; exit 0; fi; \
	fi; \
	npm install --prefix tests/axe --no-package-lock --no-audit --no-fund --silent && touch $@

rebuild: install
	$(BIN)/newsfacet rebuild $(CORPUS) --index $(INDEX)

# The port is checked before the rebuild, so a second `make run` stops at once and leaves the
# index the first one is serving alone.
run: install
	@$(BIN)/newsfacet serve --check --host $(HOST) --port $(PORT)
	$(BIN)/newsfacet rebuild $(CORPUS) --index $(INDEX)
	$(BIN)/newsfacet serve --index $(INDEX) --host $(HOST) --port $(PORT)

serve: install
	$(BIN)/newsfacet serve --index $(INDEX) --host $(HOST) --port $(PORT)

# The OpenSearch launcher is built (Maven, first time only) before the workers start its clusters.
test: install-test browser axe
	$(BIN)/python tests/opensearch_cluster.py prepare
	$(BIN)/python -m pytest -q -n 2 --dist loadfile

test-fast: install-test
	$(BIN)/python -m pytest -q -m "not browser and not shared and not opensearch" -n 2

bench: install-test
	$(PIP) install -e '.[test,bench]'
	$(BIN)/python bench/run_all.py

# A local 2-node OpenSearch cluster for development (opensearch-dev/, built with Maven on first use).
OPENSEARCH_DATA ?= opensearch-dev/data
OPENSEARCH_PORT ?= 9200
OPENSEARCH_NODES ?= 2

opensearch:
	$(PYTHON) tests/opensearch_cluster.py start --data $(OPENSEARCH_DATA) --http-port $(OPENSEARCH_PORT) --nodes $(OPENSEARCH_NODES)

opensearch-stop:
	$(PYTHON) tests/opensearch_cluster.py stop --data $(OPENSEARCH_DATA)

clean:
	rm -rf $(VENV) $(INDEX) *.egg-info tests/artifacts tests/axe/node_modules opensearch-dev/target
