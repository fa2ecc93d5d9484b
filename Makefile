# NutriMX — common tasks. `make run` and `make test` work on a fresh Debian machine.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export PYTHONDONTWRITEBYTECODE=1

.PHONY: install run test services services-stop worker beat bench lighthouse lint fmt messages lock demo clean

$(BIN)/python:
	@command -v $(PY) >/dev/null 2>&1 || { echo "Python 3.11 is required ($(PY))"; exit 1; }
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade "pip>=24"

$(VENV)/.installed: requirements.lock | $(BIN)/python
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	@touch $@

install: $(VENV)/.installed

## Install, migrate, load demo data and serve with daphne on the embedded default.
run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py import_foods --if-empty
	$(BIN)/python manage.py seed_demo
	$(BIN)/python manage.py seed_demo_diary
	$(BIN)/python manage.py seed_demo_practice
	$(BIN)/python manage.py seed_demo_social
	$(BIN)/python manage.py seed_demo_content
	$(BIN)/python manage.py assistant_reindex
	DEBUG=$${DEBUG:-1} $(BIN)/daphne -b $(HOST) -p $(PORT) --ping-interval 20 config.asgi:application

## Install and run the whole suite, browser tests included (benchmarks are `make bench`).
test: install
	scripts/ensure-test-deps.sh
	$(BIN)/python -m pytest -n $${PYTEST_WORKERS:-2} --dist loadfile -m "not bench" $(PYTEST_ARGS)

## PostgreSQL + Redis from Debian packages on loopback (idempotent). Prints the env to use.
services:
	scripts/services.sh start

services-stop:
	scripts/services.sh stop

worker: install
	$(BIN)/celery -A config worker --loglevel=INFO --concurrency=$${CELERY_CONCURRENCY:-2}

beat: install
	$(BIN)/celery -A config beat --loglevel=INFO --schedule var/celerybeat-schedule

## Benchmarks: print figures and write bench/results.json (on DATABASE_URL/REDIS_URL when set).
bench: install
	mkdir -p bench
	$(BIN)/python -m pytest tests/benchmarks -m bench -s -q -p no:xdist $(PYTEST_ARGS)

## Lighthouse scores (>= 90 each) of home, blog index and a post on a running server (not in `make test`).
lighthouse:
	scripts/lighthouse.sh $${LH_BASE_URL:-http://$(HOST):$(PORT)}

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check . || true

fmt: install
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

messages: install
	$(BIN)/python manage.py makemessages -l en --ignore=.venv --ignore=staticfiles --no-obsolete
	$(BIN)/python manage.py compilemessages --ignore=.venv

lock: | $(BIN)/python
	$(BIN)/pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --extra dev --generate-hashes --strip-extras --allow-unsafe \
		--no-emit-index-url --no-emit-find-links -o requirements.lock pyproject.toml

clean:
	rm -rf $(VENV) staticfiles var .pytest_cache
