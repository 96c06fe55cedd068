# TenantVoice — one command per job, from a fresh clone (Python 3.11 + pip; PyPI, Debian, npm).
#   make run       demo at http://127.0.0.1:5000 and its worker (SQLite in instance/); Ctrl-C stops both
#   make test      whole suite, browser tests included (installs Debian chromium if missing)
#   make test-pg   same suite on PostgreSQL (+ Redis rate limits when Redis answers)
#   make bench     page weight and throughput at small size (prints figures, asserts nothing)

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
FLASK  := $(VENV)/bin/flask
PIP    := $(PY) -m pip
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PG_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/postgres
REDIS_URL ?= redis://127.0.0.1:6379/0
PORT ?= 5000

.PHONY: run test test-pg bench translations chromium migrate-check clean help
.DEFAULT_GOAL := help

help:
	@sed -n 2,6p Makefile | sed 's/^# //'

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

run: export REQUIRE_STAFF_2FA = 0
run: $(VENV)/.installed translations
	$(FLASK) --app wsgi db upgrade
	$(FLASK) --app wsgi seed-demo
	@echo ""
	@echo "Demo password for every account above: locataires2026"
	@echo "Staff second factor is OFF in the demo (REQUIRE_STAFF_2FA=0); every page says so."
	@echo "Open http://127.0.0.1:$(PORT) (mail the demo sends: /admin/mail, or instance/mail/)"
	$(PY) tools/serve_with_worker.py --host 127.0.0.1 --port $(PORT)

test: $(VENV)/.installed-dev chromium translations
	$(VENV)/bin/pytest -q

test-pg: $(VENV)/.installed-dev chromium translations
	@set -e; \
	export TEST_DATABASE_URL="$(PG_URL)"; \
	if $(PY) -c "import redis,sys; redis.Redis.from_url('$(REDIS_URL)', socket_timeout=1).ping()" 2>/dev/null; then \
	  export TEST_REDIS_URL="$(REDIS_URL)"; \
	  export RATELIMIT_STORAGE_URI="$(REDIS_URL)"; \
	  export RATELIMIT_KEY_PREFIX="tvtest-$$($(PY) -c 'import secrets; print(secrets.token_hex(6))')"; \
	  echo "Redis at $(REDIS_URL): rate-limit test uses prefix $$RATELIMIT_KEY_PREFIX"; \
	else echo "Redis not reachable: rate limits stay in memory"; fi; \
	$(VENV)/bin/pytest -q

bench: $(VENV)/.installed-dev chromium translations
	$(PY) benchmarks/page_weight.py --size small
	$(PY) benchmarks/throughput.py --size small
	$(PY) benchmarks/ballots.py --size small
	$(PY) benchmarks/notify.py --size small

migrate-check: $(VENV)/.installed-dev
	$(VENV)/bin/pytest -q tests/test_migrations.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache *.egg-info build
