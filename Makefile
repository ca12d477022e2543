# Xieshang: `make demo` and `make test` are all a new machine needs.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install demo test test-fast test-browser test-security lint format bench bench-load browser-deps clean

$(STAMP): pyproject.toml scripts/vendor_static.sh
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --disable-pip-version-check -q -e '.[dev,prod,embed]'
	./scripts/vendor_static.sh
	touch $(STAMP)

install: $(STAMP)

demo: install
	$(BIN)/xieshang demo

# Debian's chromium and a CJK font for the browser tests (Playwright never downloads a browser here).
browser-deps:
	@./scripts/browser_deps.sh

test: install browser-deps
	$(BIN)/pytest

test-fast: install
	$(BIN)/pytest -m "not browser"

test-browser: install browser-deps
	$(BIN)/pytest -m browser

# Attacks: every URL and API operation as other conferences' roles and anonymously, schemathesis,
# XSS/CSRF/redirects/traversal/uploads/oversize, login throttling, deploy checks, audit immutability.
test-security: install
	$(BIN)/pytest tests/security

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy src

format: install
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

bench: install
	$(BIN)/python bench/run.py

# The loopback load test (Locust against gunicorn + PostgreSQL); see bench/load/README.md.
bench-load: install
	$(BIN)/python bench/load/run.py $(ARGS)

clean:
	rm -rf $(VENV) var src/xieshang/web/static/vendor
