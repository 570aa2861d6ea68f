# Volunteer Hub. `make run` serves the portal on SQLite; `make test` runs lint and every test.
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app wsgi
STAMP := .make
PG_TEST_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test

.PHONY: help run test install assets translations messages family-messages migrate seed serve lint test-sqlite test-postgres browser-deps outbox bench bench-ops bench-load bench-churn bench-instructions clean security

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-15s %s\n", $$1, $$2}'

run: install assets translations migrate seed serve ## Install, migrate, load demo data and serve on http://127.0.0.1:5000 (outbox worker and mail sink beside it)

test: install assets translations browser-deps lint test-sqlite test-postgres ## Lint, then the whole suite on SQLite and on PostgreSQL

$(STAMP):
	@mkdir -p $(STAMP)

$(VENV)/bin/python:
	python3 -m venv $(VENV)

$(STAMP)/python: requirements.txt requirements-dev.txt $(VENV)/bin/python | $(STAMP)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

install: $(STAMP)/python ## Create the virtualenv and install pinned Python packages

$(STAMP)/npm: package.json package-lock.json | $(STAMP)
	npm ci --no-audit --no-fund --loglevel=error
	rm -rf volunteer_hub/static/vendor/dkfds
	mkdir -p volunteer_hub/static/vendor
	cp -r node_modules/dkfds/dist volunteer_hub/static/vendor/dkfds
	@touch $@

assets: $(STAMP)/npm ## Install the design system and axe-core from npm

translations: install ## Compile the .po catalogues, interface and family domains (compiled files are not committed)
	@$(VENV)/bin/pybabel compile --statistics -D "messages family" -d volunteer_hub/translations

migrate: install translations ## Upgrade the database to the newest migration
	$(FLASK) db upgrade

seed: install ## Load the Glostrup demo data (idempotent)
	$(FLASK) seed-demo

serve: ## Serve on http://127.0.0.1:5000 with the outbox worker and a local mail sink (read at /dev/mail; Ctrl-C stops all)
	$(PY) -m volunteer_hub.ops.devserver

outbox: ## Send queued e-mail (MAIL_SERVER/MAIL_PORT say where; `make serve` already runs one)
	$(FLASK) outbox run

lint: install ## ruff over the code and the tests; import-linter's contracts (pyproject.toml) over the floors
	$(VENV)/bin/ruff check volunteer_hub tests bench config.py wsgi.py
	PYTHONPATH=. $(VENV)/bin/lint-imports

# Fonts the family letters name in their CSS (Arabic script and Ethiopic); all from fonts-noto-core.
LETTER_FONTS := "Noto Naskh Arabic" "Noto Sans Arabic" "Noto Sans Ethiopic" "Noto Sans"

browser-deps: ## Debian's Chromium, the letters' fonts and poppler-utils (installed when root and missing)
	@missing=0; for font in $(LETTER_FONTS); do fc-list "$$font" 2>/dev/null | grep -q . || missing=1; done; \
	if [ ! -x /usr/bin/chromium ] || [ $$missing = 1 ] || ! command -v pdftotext >/dev/null || ! command -v pdffonts >/dev/null; then \
		if [ "$$(id -u)" = 0 ]; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
				chromium fonts-noto-core fonts-dejavu-core fontconfig poppler-utils >/dev/null; \
		else echo "Browser tests need: apt-get install chromium fonts-noto-core poppler-utils"; fi; \
	fi

test-sqlite: ## The whole suite on SQLite (PostgreSQL-only tests run on PostgreSQL)
	$(VENV)/bin/pytest -q -p no:cacheprovider

test-postgres: ## The suite again with PostgreSQL as the main database (browser tests excluded)
	VH_TEST_DB=postgres VH_TEST_PG_URL=$(PG_TEST_URL) $(VENV)/bin/pytest -q -p no:cacheprovider -m "not browser and not pg_only"

security: install translations ## The security suite alone (tests/security); prints what it covered
	$(VENV)/bin/pytest -q -p no:cacheprovider tests/security

bench: install ## Benchmarks (print figures; never part of the tests)
	$(PY) -m bench.matching
	$(PY) -m bench.reports

bench-ops: install ## Backup/restore cost and one machine's limits (PostgreSQL on 127.0.0.1; prints figures)
	$(PY) -m bench.backup
	$(PY) -m bench.scaling

bench-load: install ## Pages at national scale under 32 connections vs /healthz (PostgreSQL on 127.0.0.1; ~5 min)
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; } || echo "wrk missing: the load comes from Python threads"
	$(PY) -m bench.load

bench-churn: install ## Pages at national scale while a change is made each second: after a change, under load, flask match suggest; writes docs/performance.md (~10 min)
	@command -v wrk >/dev/null || { [ "$$(id -u)" = 0 ] && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; } || echo "wrk missing: the load comes from Python threads"
	$(PY) -m bench.load --churn --write-docs

bench-instructions: install ## The app's CPU instructions per answer, pages vs /healthz (valgrind; the same on every run; ~5 min)
	@command -v valgrind >/dev/null || { [ "$$(id -u)" = 0 ] && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq valgrind >/dev/null; } || echo "valgrind missing"
	$(PY) -m bench.load.instructions

clean: ## Remove the virtualenv, npm packages and stamps
	rm -rf $(VENV) node_modules $(STAMP) volunteer_hub/static/vendor

messages: install ## Extract new interface texts into the .pot and merge them into every .po (then translate)
	$(VENV)/bin/pybabel -q extract -F babel.cfg -k _l -k lazy_gettext --no-location --omit-header --sort-output -o volunteer_hub/translations/messages.pot .
	$(VENV)/bin/pybabel update -i volunteer_hub/translations/messages.pot -d volunteer_hub/translations --no-fuzzy-matching --ignore-obsolete -w 100

FAMILY_LANGUAGES := da ar fa fa_AF ps ti so uk ku

family-messages: install ## Extract family-facing texts (_f, _lf) and merge them into every family.po (then translate)
	$(VENV)/bin/pybabel -q extract -F babel.cfg --no-default-keywords -k _f -k _lf -k _fg:2 -k _fv:1c,2 --no-location --omit-header --sort-output -o volunteer_hub/translations/family.pot .
	@for locale in $(FAMILY_LANGUAGES); do \
		if [ ! -f volunteer_hub/translations/$$locale/LC_MESSAGES/family.po ]; then \
			$(VENV)/bin/pybabel init -D family -i volunteer_hub/translations/family.pot -d volunteer_hub/translations -l $$locale -w 100; \
		fi; \
	done
	$(VENV)/bin/pybabel update -D family -i volunteer_hub/translations/family.pot -d volunteer_hub/translations --no-fuzzy-matching --ignore-obsolete -w 100
