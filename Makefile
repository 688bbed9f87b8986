# Family Conference Portal: `make run` to try it, `make test` to test it.
# Every target installs what it needs first; the second run only redoes what changed.

PYTHON ?= python3
PORT ?= 5000
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
STAMPS := .stamps
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
# The suite runs on two pytest-xdist workers, the browser tests on one and the rest on the other (tests/conftest.py);
# PYTEST_WORKERS=0 runs it in one process.
PYTEST_WORKERS ?= 2
XDIST := $(if $(filter 0,$(PYTEST_WORKERS)),-n 0,-n $(PYTEST_WORKERS) --dist loadgroup)
# Debian packages the browser tests need: Chromium, and fonts for Bengali, Arabic and Urdu.
BROWSER_PACKAGES := chromium fonts-noto-core
# ... and the whole suite: the scale-out test (tests/deploy) starts its own Redis and PostgreSQL.
TEST_PACKAGES := $(BROWSER_PACKAGES) redis-server postgresql

PO_FILES := $(wildcard translations/*/LC_MESSAGES/messages.po)
MO_FILES := $(PO_FILES:.po=.mo)
ASSET_SOURCES := $(shell find static/src -type f 2>/dev/null) static/build.mjs

.PHONY: install run test test-fast assets translations migrate demo browser-deps test-deps lighthouse bench security clean help

help:
	@echo "make run      install everything, load demo data, serve on http://127.0.0.1:$(PORT)"
	@echo "make test     install everything, then run the whole test suite (browser tests included)"
	@echo "make install  create .venv, install pinned dependencies, build assets, compile translations, migrate"
	@echo "make lighthouse  Lighthouse scores of the family pages on a throwaway server (fails on a missed target)"
	@echo "make bench    requests/s, latency and CPU per request of the busiest pages at 1,000 and 100,000 cases (fails on a missed target)"
	@echo "make security bandit, semgrep, sqlmap and wapiti (on a throwaway server), then the slow safety tests (fails on an unwaived finding)"

install: $(STAMPS)/python $(STAMPS)/node static/dist/manifest.json $(MO_FILES) migrate

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMPS)/python: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	$(BIN)/python -m portal.reports.nltk_data
	@mkdir -p $(STAMPS) && touch $@

$(STAMPS)/node: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@mkdir -p $(STAMPS) && touch $@

static/dist/manifest.json: $(STAMPS)/node $(ASSET_SOURCES)
	npm run --silent build

assets: $(STAMPS)/node
	npm run --silent build

translations/%/LC_MESSAGES/messages.mo: translations/%/LC_MESSAGES/messages.po $(STAMPS)/python
	$(BIN)/python -m babel.messages.frontend compile --statistics -i $< -o $@ -l $*

translations: $(MO_FILES)

migrate: $(STAMPS)/python static/dist/manifest.json
	$(FLASK) db upgrade

demo: install
	$(FLASK) demo load

run: install demo
	@echo "Serving on http://127.0.0.1:$(PORT) (Ctrl+C to stop). Demo sign-ins: $(FLASK) demo accounts"
	$(FLASK) run --host 127.0.0.1 --port $(PORT)

browser-deps:
	@dpkg -s $(BROWSER_PACKAGES) >/dev/null 2>&1 || { \
		echo "Installing $(BROWSER_PACKAGES) from Debian for the browser tests"; \
		$(SUDO) apt-get update -q && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q $(BROWSER_PACKAGES); }

test-deps:
	@dpkg -s $(TEST_PACKAGES) >/dev/null 2>&1 || { \
		echo "Installing $(TEST_PACKAGES) from Debian for the browser and scale-out tests"; \
		$(SUDO) apt-get update -q && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q $(TEST_PACKAGES); }

test: install test-deps $(STAMPS)/semgrep
	PORTAL_ENV=test $(FLASK) translate check
	PORTAL_ENV=test $(BIN)/python -m pytest $(XDIST) $(PYTEST_ARGS)

test-fast: install $(STAMPS)/semgrep
	PORTAL_ENV=test $(BIN)/python -m pytest --ignore=tests/browser -m "not scale_out and not security_slow" $(PYTEST_ARGS)

# Lighthouse has its own package.json, so `npm ci` for the build and tests stays small.
$(STAMPS)/lighthouse: bench/lighthouse/package.json bench/lighthouse/package-lock.json
	npm ci --prefix bench/lighthouse --no-audit --no-fund --loglevel=error
	@mkdir -p $(STAMPS) && touch $@

# Serves the portal from a throwaway database on a free port; the developer's database is not touched.
lighthouse: $(STAMPS)/python static/dist/manifest.json $(MO_FILES) $(STAMPS)/lighthouse browser-deps
	CHROME_PATH=$${CHROME_PATH:-/usr/bin/chromium} $(BIN)/python bench/lighthouse.py

# Seeds throwaway databases (or PostgreSQL ones when DATABASE_URL names a server) and serves them with
# gunicorn on free ports; the developer's database is not touched. wrk comes from Debian. Settings: bench/run.py.
bench: $(STAMPS)/python static/dist/manifest.json $(MO_FILES)
	@command -v wrk >/dev/null 2>&1 || { \
		echo "Installing wrk from Debian for the benchmark"; \
		$(SUDO) apt-get update -q && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk; }
	$(BIN)/python bench/run.py

# semgrep (run by make test through tests/test_static_security.py) and wapiti pin packages older than the
# portal's, so each has its own virtualenv inside .venv; bandit is in requirements-dev.txt, sqlmap in .venv.
$(STAMPS)/semgrep: security/requirements-semgrep.txt | $(BIN)/python
	$(PYTHON) -m venv $(VENV)/semgrep
	$(VENV)/semgrep/bin/python -m pip install --quiet --upgrade pip
	$(VENV)/semgrep/bin/python -m pip install --quiet -r security/requirements-semgrep.txt
	@mkdir -p $(STAMPS) && touch $@

$(STAMPS)/security: security/requirements.txt security/requirements-wapiti.txt $(STAMPS)/python
	$(BIN)/python -m pip install --quiet -r security/requirements.txt
	$(PYTHON) -m venv $(VENV)/wapiti
	$(VENV)/wapiti/bin/python -m pip install --quiet --upgrade pip
	$(VENV)/wapiti/bin/python -m pip install --quiet -r security/requirements-wapiti.txt
	@mkdir -p $(STAMPS) && touch $@

# Static checks (findings and waivers: security/waivers.toml), sqlmap and wapiti on a throwaway server signed in
# as a parent and a chair (a few minutes), then the slow safety proofs (none selected is fine: pytest's exit code 5).
security: install $(STAMPS)/semgrep $(STAMPS)/security
	$(BIN)/python security/static.py
	$(BIN)/python security/scan.py
	PORTAL_ENV=test $(BIN)/python -m pytest -m security_slow $(PYTEST_ARGS) || [ $$? -eq 5 ]

clean:
	rm -rf $(VENV) node_modules bench/lighthouse/node_modules static/dist $(STAMPS) instance
