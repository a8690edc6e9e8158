# Party Portal — run `make help` for the targets.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
SIZE ?= province
SEED ?= 1
HOST ?= 127.0.0.1:8000
# Test processes (pytest-xdist): one per core by default; TEST_WORKERS=0 runs the suite in this process.
TEST_WORKERS ?= auto
# The development targets run with DEBUG on unless told otherwise: with DEBUG off the portal needs a SECRET_KEY
# (and refuses the demo password). The tests set their own (tests/settings.py).
DEV := DEBUG=$${DEBUG:-1}

.DEFAULT_GOAL := help
.PHONY: help install lock run serve migrate seed worker beat test lint fmt check bench messages compilemessages clean

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  %-10s %s\n", $$1, $$2}'

$(BIN)/activate: pyproject.toml requirements.lock
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements.lock
	touch $(BIN)/activate

install: $(BIN)/activate ## Create .venv and install the pinned dependencies

lock: ## Re-pin requirements.lock from pyproject.toml (needs uv in .venv)
	$(BIN)/uv pip compile pyproject.toml --extra dev -o requirements.lock

migrate: install ## Apply database migrations
	$(DEV) $(PY) manage.py migrate --noinput

seed: migrate ## Load the demo province (SIZE=tiny|province|large, SEED=n) if the database is empty
	$(DEV) $(PY) manage.py seed_demo --size $(SIZE) --seed $(SEED) --if-empty

run: seed ## Install, migrate, load the demo province, start a Celery worker and serve http://$(HOST)
	$(MAKE) --no-print-directory compilemessages
	$(DEV) $(PY) manage.py demo_logins
	@echo "Serving the portal on http://$(HOST) (Ctrl-C stops the web server and the worker)"
	@trap 'kill 0' INT TERM EXIT; \
	$(DEV) $(BIN)/celery -A party_portal worker --loglevel=warning --pool=solo --concurrency=1 & \
	$(DEV) $(PY) manage.py runserver $(HOST)

serve: ## Serve the portal without re-seeding
	$(DEV) $(PY) manage.py runserver $(HOST)

worker: ## Start a Celery worker (Redis when REDIS_URL is set, else the filesystem broker)
	$(DEV) $(BIN)/celery -A party_portal worker --loglevel=info

beat: ## Start Celery beat (exactly one per deployment)
	$(DEV) $(BIN)/celery -A party_portal beat --loglevel=info

test: install compilemessages ## Run the test suite (DATABASE_URL picks the database; default SQLite)
	$(BIN)/pytest -n $(TEST_WORKERS)

lint: install ## Lint with ruff
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fmt: install ## Format and auto-fix with ruff
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

check: lint ## Lint, check for missing migrations, run the tests
	$(DEV) $(PY) manage.py makemigrations --check --dry-run
	$(MAKE) test

bench: install ## Run the benchmarks in bench/ (see bench/README.md)
	$(DEV) $(PY) bench/run.py

messages: install ## Refresh the Vietnamese catalogue in locale/vi
	$(DEV) $(PY) manage.py makemessages -l vi --ignore=.venv --ignore=tests --ignore=bench
	$(DEV) $(PY) manage.py compilemessages -v0 --ignore=.venv

compilemessages: install ## Compile the translation catalogues (needs gettext's msgfmt)
	@if ls locale/*/LC_MESSAGES/*.po >/dev/null 2>&1; then $(DEV) $(PY) manage.py compilemessages -v0 --ignore=.venv; fi

clean: ## Remove the virtualenv, the SQLite database and generated files
	rm -rf $(VENV) db.sqlite3* var staticfiles
