# Newsfacet: `make run` installs, indexes corpus/ and serves the UI; `make test` installs and runs every test.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
CORPUS ?= corpus
INDEX ?= index
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: install install-test browser run rebuild serve test test-fast bench clean opensearch opensearch-stop

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .

install-test: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test]'

# Debian's Chromium for the browser tests (Playwright drives it; no browser download).
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "Chromium missing: run 'sudo apt-get install chromium' for the browser tests"; fi; \
	fi

rebuild: install
	$(BIN)/newsfacet rebuild $(CORPUS) --index $(INDEX)

run: rebuild
	$(BIN)/newsfacet serve --index $(INDEX) --host $(HOST) --port $(PORT)

test: install-test browser
	$(BIN)/python -m pytest -q -n 2 --dist loadfile

test-fast: install-test
	$(BIN)/python -m pytest -q -m "not browser and not shared and not opensearch" -n 2

bench: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[test,bench]'
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
	rm -rf $(VENV) $(INDEX) *.egg-info tests/artifacts opensearch-dev/target
