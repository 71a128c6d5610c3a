# skillpass: `make run` sets up and serves with demo data; `make test` sets up and runs every test.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
PG_TEST_URL ?= postgresql+asyncpg://postgres@127.0.0.1:5432/skillpass_test

.PHONY: run test install test-sqlite test-postgres bench clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml constraints.txt | $(BIN)/python
	$(BIN)/pip install --quiet -c constraints.txt -e '.[dev]'
	touch $@

install: $(VENV)/.installed

run: install
	$(BIN)/skillpass db upgrade
	SKILLPASS_BASE_URL="$${SKILLPASS_BASE_URL:-http://$(HOST):$(PORT)}" $(BIN)/skillpass demo load
	@echo "demo password: skillpass-demo  (the server says when it is ready)"
	$(BIN)/skillpass serve --host $(HOST) --port $(PORT)

test: install
	$(BIN)/python tests/setup_env.py
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres

# Browser tests run in their own process: Playwright's sync API and the asyncio tests do not share one.
test-sqlite: install
	SKILLPASS_TEST_DB=sqlite $(BIN)/python -m pytest -q -p no:cacheprovider -m "not browser"
	SKILLPASS_TEST_DB=sqlite $(BIN)/python -m pytest -q -p no:cacheprovider -m browser

test-postgres: install
	@if $(BIN)/python tests/setup_env.py --postgres "$(PG_TEST_URL)"; then \
		SKILLPASS_TEST_DB="$(PG_TEST_URL)" $(BIN)/python -m pytest -q -p no:cacheprovider -m "not browser"; \
	else \
		echo "PostgreSQL not reachable at $(PG_TEST_URL): PostgreSQL pass skipped"; \
		if [ -n "$$REQUIRE_POSTGRES" ]; then exit 1; fi; \
	fi

bench: install
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) var/*.db test-output
