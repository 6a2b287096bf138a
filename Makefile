# idpilot: `make demo` and `make test` set everything up on a fresh machine with Python 3.11+ and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
STORE ?= demo-tenant/contoso.duckdb

.PHONY: demo test chromium pango lint format bench eval clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e ".[dev,llm,api,sync,report]"
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/idpilot demo --out demo-tenant --store $(STORE)

# The browser tests drive the system Chromium (Debian package `chromium`); install it if missing.
chromium:
	@command -v chromium >/dev/null || { \
	  if [ "$$(id -u)" -eq 0 ]; then SUDO=; \
	  elif command -v sudo >/dev/null; then SUDO=sudo; \
	  else echo "Chromium is missing and $$(id -un) cannot install it: run 'apt-get install -y chromium' as root." >&2; exit 1; fi; \
	  $$SUDO apt-get update && $$SUDO apt-get install -y chromium; }

# PDF reports render through WeasyPrint, which needs Pango (Debian libpango-1.0-0, libpangoft2-1.0-0).
pango:
	@ldconfig -p | grep -q libpangoft2-1.0.so.0 || { \
	  if [ "$$(id -u)" -eq 0 ]; then SUDO=; \
	  elif command -v sudo >/dev/null; then SUDO=sudo; \
	  else echo "Pango is missing and $$(id -un) cannot install it: run 'apt-get install -y libpango-1.0-0 libpangoft2-1.0-0' as root." >&2; exit 1; fi; \
	  $$SUDO apt-get update && $$SUDO apt-get install -y libpango-1.0-0 libpangoft2-1.0-0; }

test: $(STAMP) chromium pango
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/pytest -q

eval: $(STAMP)
	$(BIN)/idpilot eval --store $(STORE)

bench: $(STAMP)
	$(BIN)/python -m bench

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

format: $(STAMP)
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

clean:
	rm -rf $(VENV) demo-tenant bench/out
