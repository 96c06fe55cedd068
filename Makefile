# TenantVoice — one command per job, from a fresh clone (Python 3.11 + pip; PyPI, Debian, npm).
#   make run       demo at http://127.0.0.1:5000 and its worker (SQLite in instance/); Ctrl-C stops both
#   make test      whole suite, browser tests included (installs Debian chromium if missing)
#   make test-pg   same suite on PostgreSQL (+ Redis rate limits when Redis answers)
#   make test-dated  SQLite suite without browser tests, as if it were TV_TEST_NOW (Montréal)
#   make bench     page weight, throughput and growth at small size (prints figures, asserts nothing)
#   make lint      ruff check, ruff format --check and mypy (the gate CI and pre-commit run)
#   make i18n      extract strings, update catalogs, fill English, list the French still missing

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
FLASK  := $(VENV)/bin/flask
PIP    := $(PY) -m pip
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PG_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/postgres
REDIS_URL ?= redis://127.0.0.1:6379/0
PORT ?= 5000
# Two pytest workers (pytest-xdist): each has its own in-memory SQLite or its own PostgreSQL
# database, its own live server on a free port and its own Chromium. XDIST= runs in one process.
XDIST ?= -n 2
# The instant `make test-dated` starts every test at (ISO 8601; no offset: Montréal time).
# New Year's Eve half an hour before midnight: a date one week ahead is next year, one day
# ahead is next month. Other dates worth a run: 2027-03-14T01:30 and 2027-11-07T01:30 (DST),
# 2028-02-29T12:00.
TV_TEST_NOW ?= 2026-12-31T23:30

.PHONY: run test test-pg test-dated bench lint i18n translations chromium vnu migrate-check clean help
.DEFAULT_GOAL := help

help:
	@sed -n 2,9p Makefile | sed 's/^# //'

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip

# Stamp files: reinstall only when pyproject.toml changes.
$(VENV)/.installed: pyproject.toml | $(PY)
	$(PIP) install -q -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(PY)
	$(PIP) install -q -e ".[dev]"
	@touch $@ $(VENV)/.installed

translations: | $(PY)
	$(PY) -m babel.messages.frontend -q compile -d translations

chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  echo "Installing Debian chromium (browser tests need /usr/bin/chromium)"; \
	  $(SUDO) apt-get update -q && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; \
	fi

# The Nu HTML checker the browser tests run once per session (tests/htmlcheck.py): vnu.jar from
# npm, pinned, into .tools/ (gitignored); needs java (Debian default-jre-headless) at run time.
VNU_VERSION := 26.9.27
VNU_JAR := .tools/node_modules/vnu-jar/build/dist/vnu.jar

$(VNU_JAR):
	npm install --prefix .tools --no-save --no-package-lock --no-audit --no-fund --loglevel=error vnu-jar@$(VNU_VERSION)

vnu: $(VNU_JAR)
	@command -v java >/dev/null || { echo "Installing Debian default-jre-headless (vnu needs java)"; \
	  $(SUDO) apt-get update -q && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q default-jre-headless; }

run: export REQUIRE_STAFF_2FA = 0
run: $(VENV)/.installed translations
	$(FLASK) --app wsgi db upgrade
	$(FLASK) --app wsgi seed-demo
	@echo ""
	@echo "Demo password for every account above: locataires2026"
	@echo "Staff second factor is OFF in the demo (REQUIRE_STAFF_2FA=0); every page says so."
	@echo "Open http://127.0.0.1:$(PORT) (mail the demo sends: /admin/mail, or instance/mail/)"
	$(PY) tools/serve_with_worker.py --host 127.0.0.1 --port $(PORT)

test: $(VENV)/.installed-dev chromium vnu translations
	$(VENV)/bin/pytest -q $(XDIST)

test-dated: $(VENV)/.installed-dev translations
	@echo "Every test starts at TV_TEST_NOW=$(TV_TEST_NOW) (replay: make test-dated TV_TEST_NOW=$(TV_TEST_NOW))"
	TV_TEST_NOW="$(TV_TEST_NOW)" $(VENV)/bin/pytest -q $(XDIST) --ignore=tests/browser

test-pg: $(VENV)/.installed-dev chromium vnu translations
	@set -e; \
	export TEST_DATABASE_URL="$(PG_URL)"; \
	if $(PY) -c "import redis,sys; redis.Redis.from_url('$(REDIS_URL)', socket_timeout=1).ping()" 2>/dev/null; then \
	  export TEST_REDIS_URL="$(REDIS_URL)"; \
	  export RATELIMIT_STORAGE_URI="$(REDIS_URL)"; \
	  export RATELIMIT_KEY_PREFIX="tvtest-$$($(PY) -c 'import secrets; print(secrets.token_hex(6))')"; \
	  echo "Redis at $(REDIS_URL): rate-limit test uses prefix $$RATELIMIT_KEY_PREFIX"; \
	else echo "Redis not reachable: rate limits stay in memory"; fi; \
	$(VENV)/bin/pytest -q $(XDIST)

bench: $(VENV)/.installed-dev chromium translations
	$(PY) benchmarks/page_weight.py --size small
	$(PY) benchmarks/throughput.py --size small
	$(PY) benchmarks/ballots.py --size small
	$(PY) benchmarks/notify.py --size small
	$(PY) benchmarks/search_feeds.py --size small
	$(PY) benchmarks/scale.py --size small --reps 10 --budget 3
	$(PY) benchmarks/needs.py --size small --reps 10 --budget 3
	$(PY) benchmarks/logbook.py --size small --reps 10 --budget 3

lint: $(VENV)/.installed-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

# After adding strings: writes the new msgids into the catalogs (English filled in), lists the
# French to write in translations/fr_CA/LC_MESSAGES/messages.po, and compiles.
i18n: $(VENV)/.installed-dev
	$(FLASK) --app wsgi translate update
	$(PY) -m babel.messages.frontend -q compile -d translations

migrate-check: $(VENV)/.installed-dev
	$(VENV)/bin/pytest -q tests/test_migrations.py

clean:
	rm -rf $(VENV) .tools .pytest_cache .ruff_cache *.egg-info build
