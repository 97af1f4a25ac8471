# Talentbase: `make run` to serve the app, `make test` to run every test.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 5000
export PORT
# Demo profiles generated on the first start (an empty database); `seed-demo --profiles N` adds more.
DEMO_PROFILES ?= 500

.PHONY: run test bench bench-tools lint format translations extract-messages migrate clean help

help:
	@echo "make run     install, migrate, load demo data on first start, serve on http://127.0.0.1:$(PORT)"
	@echo "make test    run the whole test suite (browser tests too when Chromium is installed)"
	@echo "make bench   run the benchmarks in bench/"
	@echo "make lint    ruff"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.run-deps: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-deps: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.run-deps

translations: $(VENV)/.run-deps
	@$(BIN)/pybabel compile --use-fuzzy -d webapp/translations > /dev/null

run: $(VENV)/.run-deps translations
	$(BIN)/flask --app wsgi db upgrade
	$(BIN)/flask --app wsgi seed-demo --if-empty --profiles $(DEMO_PROFILES)
	$(BIN)/gunicorn -c gunicorn.conf.py wsgi:app

test: $(VENV)/.dev-deps translations
	$(BIN)/python -m pytest $(PYTEST_ARGS)

bench: $(VENV)/.dev-deps translations bench-tools
	$(BIN)/python -m bench $(BENCH_ARGS)

# wrk is the load generator (cheap on 2 cores); install it when we may, else bench/ falls back
# to its pure-Python client and says so.
bench-tools:
	@command -v wrk >/dev/null 2>&1 || { [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1 && \
	  { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null 2>&1 || \
	    { apt-get update -qq >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null 2>&1; }; }; } || \
	  echo "wrk is not installed (apt-get install wrk): the benchmarks use the pure-Python load generator"

lint: $(VENV)/.dev-deps
	$(BIN)/ruff check .

format: $(VENV)/.dev-deps
	$(BIN)/ruff check --fix .

# Update the French catalogue after changing texts: extract, merge, then translate the new entries.
extract-messages: $(VENV)/.run-deps
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o webapp/translations/messages.pot --no-location --sort-output .
	$(BIN)/pybabel update -i webapp/translations/messages.pot -d webapp/translations --no-fuzzy-matching --ignore-obsolete

migrate: $(VENV)/.run-deps
	$(BIN)/flask --app wsgi db upgrade

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
